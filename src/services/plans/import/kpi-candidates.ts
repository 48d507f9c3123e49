import { collapse, YEAR_RE } from './review-lines';
import type { Block } from './review-structure';

/**
 * KPI candidates in a review's prose.
 *
 * Offered for confirmation, never applied: the caller must show them. Only prose and bullets outside
 * plan sections are read (plan sections hold targets, not results). Text is split into sentences
 * (not after abbreviations like "t.ex.", "bl.a.", "s.k."). A number in a sentence is a candidate when
 * - it is written in digits (word numbers such as "fyra" are ignored), is not a year (1900–2099), not
 *   part of a section number, version, date, law or document reference ("3.5", "4.0", "(2018:585)",
 *   "2023/439", "15 januari"), not a duration, amount or percentage ("12 månader", "5 %", "10 kr"),
 *   not a change ("ökat med 24", "fyra fler") and not preceded by "version", "nr", "kap." etc.;
 * - it is a count: followed by "stycken"/"st."/a noun, or preceded by "totalt"/"sammanlagt"/"uppgår
 *   till"/"de";
 * - it has a name: the noun after "antal"/"antalet" (skipping "totala" etc.) earlier in the sentence,
 *   else the noun after the number (skipping "st."/"stycken"); when that is missing or generic
 *   ("personer"), the name of the previous candidate of the same paragraph;
 * - it has a year: the nearest year in the same clause (clauses split at `,`, `;`, "samt", "men",
 *   "medan"), else the only year in the sentence; else "förra året"/"föregående år"/"fjolåret" → the
 *   context year minus one; else the year of the enclosing heading ("2.1.1 År 2025"); else a
 *   current-period phrase ("under året", "i år", "senaste 12 månaderna") → the report year, which is
 *   the first plan year minus one (a review written in 2025 plans 2026–2028). Years in ranges
 *   ("2022-2025") are not used. No year → no candidate.
 * Candidates with the same name, year and value are reported once (the first occurrence).
 *
 * A figure for another year in parentheses after a figure ("14 incidenter (2024: 9)", "(9 år 2024)")
 * belongs to that year and takes the name of the figure before it; the parenthesis does not count
 * as a year of the sentence, so the figure before it keeps the sentence's own year. A number after
 * "varav", "därav", "av dessa", "av vilka" is a part of the figure before it, never a candidate. The
 * name skips "nya", "olika" and the like, keeps a participle with its noun ("certifierade
 * medarbetare"), and is never a verb or filler ("avsåg", "fanns", "fall", "totalt").
 */

export interface KpiCandidate {
  name: string;
  year: number;
  value: number;
  quote: string;
}

const NUMBER_RE = /(?<![\p{L}\p{N}.,:/§(\-–])(\d{1,3}(?:[ ]\d{3})+(?![\p{N}])|\d+)(?![\p{N}]|[.,:/]\p{N}|[-–]\p{L}|\p{L}|\))/gu;
const NO_SPLIT_AFTER = new Set(['t.ex.', 'bl.a.', 's.k.', 'd.v.s.', 'dvs.', 'ca.', 'nr.', 'kap.', 'jfr.', 'inkl.', 'exkl.', 'resp.', 'p.g.a.', 'pga.', 'fr.o.m.', 't.o.m.', 'o.d.', 'f.d.', 'enl.', 'ang.', 'ev.', 'v.']);
const NOT_A_COUNT_AFTER =
  /^(?:år|året|åren|års\S*|årig\S*|månad\S*|veck\S*|dag|dagar|dagars|dygn\S*|timm\S*|tim|minut\S*|sekund\S*|procent\S*|%|kr|kronor|tkr|mkr|mnkr|miljon\S*|miljard\S*|tusen|gång|gånger|ggr|januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|kap|fler|färre|mer|mindre|till|av|och|eller|i|på|per|för|från|om|med|vid|–|-)$/iu;
const NOT_A_COUNT_BEFORE =
  /(?<![\p{L}])(?:(?:ökat|ökade|ökar|minskat|minskade|minskar|ökning|minskning|höjts|sänkts)\s+(?:med|på)|ytterligare|version|v\.|nr|nummer|kapitel|kap\.|sidan|sida|s\.|punkt|mål|steg|nivå|bilaga|paragraf|§|dnr)\s*$/iu;
const COUNT_BEFORE = /(?<![\p{L}])(?:totalt|sammanlagt|sammantaget|uppgår till|uppgick till|uppgått till|de|dessa)\s*$/iu;
const COUNT_WORD = /^(?:stycken|st)$/iu;
const GENERIC_NAME = /^(?:personer|individer|stycken|st)$/iu;
/** Past tense and passive verb endings ("certifierades", "svarade", "genomförts"): not a noun. */
const VERB_LIKE = /(?:ade|ades|ats|its|de|des|te|tes|ts|as)$/iu;
const ANTAL_RE = /(?<![\p{L}])antal(?:et)?\s+(?:(?:totala|samlade|sammanlagda|sammantagna|rapporterade|genomförda)\s+)*([\p{L}][\p{L}/-]*)/giu;
const RELATIVE_PREVIOUS = /förra året|förra årets|föregående år|fjolår|i fjol/iu;
const CURRENT_PERIOD = /under året|(?<![\p{L}])i år(?![\p{L}])|senaste (?:12|tolv) månader|under perioden|det gångna året|det senaste året/iu;

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]["”’)]*(?=\s+["”’(]?[\p{Lu}\p{N}])/gu)) {
    const end = m.index + m[0].length;
    const token = /\S+$/u.exec(text.slice(start, end))?.[0].toLowerCase() ?? '';
    if (NO_SPLIT_AFTER.has(token)) continue;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

function yearFor(sentence: string, index: number, contextYear: number | null, reportYear: number | null): number | null {
  const years = [...sentence.matchAll(YEAR_RE)].map((m) => ({ year: Number(m[1]), at: m.index }));
  // The clause around the number.
  const bounds = [...sentence.matchAll(/[,;]|\s(?:samt|men|medan)\s/gu)].map((m) => m.index);
  const from = Math.max(-1, ...bounds.filter((b) => b < index));
  const to = Math.min(sentence.length, ...bounds.filter((b) => b > index));
  const inClause = years.filter((y) => y.at > from && y.at < to);
  const before = inClause.filter((y) => y.at < index);
  if (before.length) return before[before.length - 1]!.year;
  if (inClause.length) return inClause[0]!.year;
  const distinct = new Set(years.map((y) => y.year));
  if (distinct.size === 1) return years[0]!.year;
  if (distinct.size > 1) return null;
  const base = contextYear ?? reportYear;
  if (RELATIVE_PREVIOUS.test(sentence)) return base === null ? null : base - 1;
  if (contextYear !== null) return contextYear;
  if (CURRENT_PERIOD.test(sentence)) return reportYear;
  return null;
}

/** "(2024: 17)", "(år 2024: 17)", "(17 år 2024)": a figure for another year, given beside this year's. */
const EARLIER_FIGURE = /\(\s*(?:år\s+)?((?:19|20)\d\d)\s*:\s*(\d{1,3}(?:[ ]\d{3})+|\d+)\s*\)|\(\s*(\d{1,3}(?:[ ]\d{3})+|\d+)\s+(?:år\s+)?((?:19|20)\d\d)\s*\)/gu;
/** A part of the figure before it ("varav 3 avsåg …"): not a total to track. */
const PART_BEFORE = /(?<![\p{L}])(?:varav|därav|av dessa|av dem|av vilka)\s*$/iu;
/** Words that are never the measured thing: verbs that follow a number, fillers, adjectives. */
const NEVER_A_NAME =
  /^(?:avsåg|avser|gick|går|fick|får|blev|blir|var|är|har|hade|kom|kommer|gav|ger|tog|tar|såg|ser|låg|ligger|stod|står|fanns|finns|gjorde|gör|sker|skedde|ingick|ingår|omfattade|omfattar|rör|rörde|gäller|gällde|utgör|utgjorde|kvar|fall|totalt|ytterligare|olika|nya|fler|st|stycken|som|vilka|vilket|och|samt|eller)$/iu;
const ADJECTIVE_SKIP = /^(?:nya|olika|befintliga|aktiva|allvarliga|större|mindre)$/iu;
/** A participle before the noun belongs to the name: "certifierade medarbetare", "klassade system". */
const PARTICIPLE = /^\p{Ll}+(?:ade|erade|da|dda|ta)$/u;

/** The measured thing after a number ("14 incidenter", "310 certifierade medarbetare", "5 st. nya system"), or null. */
function nounAfter(after: string): string | null {
  const words = [...after.matchAll(/^\s*(?:[\p{L}][\p{L}\p{N}/-]*\.?)|\s+[\p{L}][\p{L}\p{N}/-]*\.?/gu)].map((w) => w[0].trim().replace(/\.$/u, '')).slice(0, 4);
  let i = 0;
  while (i < words.length && (COUNT_WORD.test(words[i]!) || ADJECTIVE_SKIP.test(words[i]!))) i++;
  const word = words[i];
  if (!word || !/^\p{Ll}/u.test(word) || NEVER_A_NAME.test(word) || NOT_A_COUNT_AFTER.test(word)) return null;
  const following = words[i + 1];
  if (PARTICIPLE.test(word) && following && /^\p{Ll}/u.test(following) && !VERB_LIKE.test(following) && !NEVER_A_NAME.test(following) && !NOT_A_COUNT_AFTER.test(following)) {
    return `${word} ${following}`;
  }
  return VERB_LIKE.test(word) ? null : word;
}

export function candidatesIn(block: Block, reportYear: number | null): KpiCandidate[] {
  const out: KpiCandidate[] = [];
  let lastName: string | null = null;
  for (const sentence of splitSentences(block.text)) {
    const quote = collapse(sentence);
    // Another year's figure in parentheses belongs to that year; blanked out (same length, so
    // positions hold) so that its year does not claim this year's figure.
    const earlier: { year: number; value: number; at: number }[] = [];
    const text = quote.replace(EARLIER_FIGURE, (match, y1: string | undefined, v1: string | undefined, v2: string | undefined, y2: string | undefined, at: number) => {
      earlier.push({ year: Number(y1 ?? y2), value: Number((v1 ?? v2)!.replace(/\s/gu, '')), at });
      return ' '.repeat(match.length);
    });
    for (const m of text.matchAll(NUMBER_RE)) {
      const digits = m[1]!;
      const value = Number(digits.replace(/\s/gu, ''));
      if (/^(?:19|20)\d\d$/u.test(digits)) continue;
      const before = text.slice(0, m.index);
      const after = text.slice(m.index + digits.length);
      const next = /^\s*([\p{L}%–-][\p{L}\p{N}/-]*)\.?/u.exec(after)?.[1] ?? '';
      if (next && NOT_A_COUNT_AFTER.test(next)) continue;
      if (NOT_A_COUNT_BEFORE.test(before) || PART_BEFORE.test(before)) continue;

      const noun = next ? nounAfter(after) : null;
      const isCount = COUNT_WORD.test(next) || noun !== null || COUNT_BEFORE.test(before);
      if (!isCount) continue;

      const antal = [...before.matchAll(ANTAL_RE)].pop()?.[1] ?? null;
      let name = antal ?? noun;
      if (name === null || GENERIC_NAME.test(name)) name = lastName ?? name;
      if (name === null || NEVER_A_NAME.test(name)) continue;

      const year = yearFor(text, m.index, block.contextYear, reportYear);
      if (year === null) continue;
      lastName = name;
      out.push({ name, year, value, quote });
      // The earlier figures that follow this one, up to the next number, are the same measure.
      const nextNumber = [...text.slice(m.index + digits.length).matchAll(NUMBER_RE)].find((n) => !/^(?:19|20)\d\d$/u.test(n[1]!));
      const until = nextNumber ? m.index + digits.length + nextNumber.index : text.length;
      for (const e of earlier.filter((e) => e.at > m.index && e.at < until)) out.push({ name, year: e.year, value: e.value, quote });
    }
  }
  return out;
}
