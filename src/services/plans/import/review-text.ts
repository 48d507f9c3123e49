/**
 * Extracts the three-year plan and KPI candidates from the text of a previous year's review
 * (Ledningens genomgång), as PDF/Word-to-text exports leave it. Pure: no I/O, no clock.
 *
 * ## Plan items
 *
 * A *plan heading* is a line (optionally numbered, "3.2" / "3.2." / "3.") whose text is a plan word
 * followed by a year: "Förbättringsaktiviteter under 2026", "Prioriteringar under år 2027",
 * "Aktiviteter 2028", "Planerade aktiviteter för 2027", "Åtgärder 2026", "Insatser 2026:"
 * (see {@link PLAN_HEADING}). A heading wrapped over two lines is joined first (see "Headings").
 * Its items are the list items that follow it, up to the next heading, a label line such as
 * "Förväntat resultat:" (once an item has been seen), or the end of the text. Nothing else is taken:
 * prose and bullet lists under other headings are never activities.
 *
 * - List items start with a bullet: `•`, `▪`, `●`, `◦`, `■`, `·`, `➢`, `✓`, any private-use
 *   character (U+E000–U+F8FF, e.g. U+F0B7 that PDF exports leave for Symbol-font bullets), or a
 *   dash/asterisk followed by a space (`–`, `—`, `-`, `*`); or are numbered `1.`, `1)`, `(1)`, `a)`,
 *   `(a)`. A numbered `N.` line counts as an item only when N is the next number of the list
 *   (1 for the first); otherwise it is a heading if it looks like one, else a continuation.
 * - A private-use bullet, `•` or `▪` in the middle of a line (after a space) starts a new item: PDF
 *   exports sometimes put the next item on the line where the previous one ends.
 * - Other lines continue the open item ("wrapped" items). Blank lines and page-number lines
 *   (`9 (10)`, `Sida 4 av 12`, `4/12`, `- 4 -`, a lone number) are skipped.
 * - A paragraph after the list is not part of the last item: a line after a blank line ends the item
 *   when the item already ends a sentence (`.`, `!`, `?`) and the line starts with a capital — except in
 *   "double-spaced" exports (most lines followed by an empty line, as Word exports often are), where
 *   only a whitespace-only line (an empty Word paragraph) counts as such a break. A page-number line
 *   never ends an item: items continue across page breaks.
 * - Title: the item's lines joined with single spaces, bullet removed, wording and final punctuation
 *   kept. A hyphen at the end of a line joins a compound without a space ("it-\nsystem" →
 *   "it-system", "2025-\n2026" → "2025-2026"), except before "och", "eller", "samt", "respektive",
 *   "resp.", "till" ("risk-\noch sårbarhetsanalys" → "risk- och sårbarhetsanalys"). A soft hyphen
 *   (U+00AD) at the end of a line is dropped and the word joined.
 * - `section` is the heading's number ("3.1"), or its text when it has none ("Aktiviteter 2028").
 * - `area`: the first rule of {@link AREA_RULES} whose keywords occur in the title, else null.
 *
 * ## Headings
 *
 * A heading is: a line numbered with two or more levels ("2.1.1 År 2025", "3.3. Text"); a line
 * "N Text" (N ≤ 30); a line "N. Text" that is not the next item of a numbered plan list and is either
 * the next chapter number or not followed by "N+1." (then it is a numbered list); a known unnumbered
 * heading ({@link KNOWN_HEADING}); or a plan heading. In all numbered forms the text must start with a
 * capital, be at most 120 characters and not end with `.`, `,` or `;`. Limitation: a chapter heading
 * "4. Text" right after items "1."–"3." of a numbered plan list is taken as item 4, unless its text is
 * a known or plan heading ("4. Bilagor").
 *
 * Not handled: running page headers/footers other than page numbers (e.g. the report's title repeated
 * on every page) inside a wrapped item would become part of that item's title.
 * A heading wrapped over lines is joined with the following line(s) when they start with a lower-case
 * letter, are at most 60 characters, do not end a sentence, and either follow directly or the heading
 * ends with a hyphen or a small word ("för", "av", "under", …).
 *
 * ## KPI candidates
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
 */

export const AREA_IDS = [
  'informationsklassning',
  'it-forteckning',
  'lokal-anvisning-och-roller',
  'utbildning',
  'incidenthantering',
  'upphandling',
  'natverk-och-samarbeten',
  'riskanalys',
  'cybersakerhetslagen',
  'ai',
  'sakerhetsskydd',
  'dataskydd',
  'ledningssystem',
  'styrmodell-pm3',
] as const;
export type AreaId = (typeof AREA_IDS)[number];

/** The areas' Swedish names, for an organisation that does not have the area yet. */
export const AREA_NAMES: Record<AreaId, string> = {
  informationsklassning: 'Informationsklassning',
  'it-forteckning': 'Förteckning av it-system och tjänster',
  'lokal-anvisning-och-roller': 'Lokal anvisning samt rollbesättning och ansvar',
  utbildning: 'Utbildning och kompetens',
  incidenthantering: 'Incidenthantering',
  upphandling: 'Informationssäkerhet på upphandlingsområdet',
  'natverk-och-samarbeten': 'Nätverk och samarbeten',
  riskanalys: 'Riskanalys',
  cybersakerhetslagen: 'Cybersäkerhetslagen (NIS2)',
  ai: 'AI',
  sakerhetsskydd: 'Säkerhetsskydd',
  dataskydd: 'Dataskydd',
  ledningssystem: 'Ledningssystem för informationssäkerhet',
  'styrmodell-pm3': 'Styr- och samverkansmodellen pm3',
};

export interface ExtractedActivity {
  year: number;
  title: string;
  area: AreaId | null;
  section: string;
}

export interface KpiCandidate {
  name: string;
  year: number;
  value: number;
  quote: string;
}

export interface ExtractedPlan {
  activities: ExtractedActivity[];
  kpis: KpiCandidate[];
}

// ---------------------------------------------------------------------------------------------
// Areas

/** Matches `word` as a whole word (or word start with `prefix`), Unicode-aware. */
const w = (source: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})`, flags);

/**
 * Keyword rules, in priority order: the first rule with a match decides. The order resolves titles
 * that name two areas: a risk analysis "inom ramen för … informationsklassningsarbete" is risk
 * analysis; classification "med hänsyn till säkerhetsskyddslagen" is protective security; "lokal
 * anvisning som beskriver … ledningssystem" is the local instruction; "informationsansvar samt
 * utbildning" is roles and responsibility. Keywords match at a word start (compounds such as
 * "informationsklassningar" are matched by their own keyword).
 */
export const AREA_RULES: ReadonlyArray<{ area: AreaId; keywords: RegExp[] }> = [
  { area: 'sakerhetsskydd', keywords: [/säkerhetsskydd/iu] },
  { area: 'cybersakerhetslagen', keywords: [/cybersäkerhetslag/iu, w('nis ?2(?![\\p{N}])')] },
  { area: 'ai', keywords: [w('AI(?![\\p{L}])', 'u'), /artificiell intelligens/iu] },
  { area: 'dataskydd', keywords: [/dataskydd/iu, /personuppgift/iu, w('gdpr'), /registerförteckning/iu] },
  { area: 'incidenthantering', keywords: [/incident/iu] },
  {
    area: 'riskanalys',
    keywords: [/riskanalys/iu, /sårbarhetsanalys/iu, w('rsa(?![\\p{L}])'), /riskbedömning/iu, /riskreducerande/iu],
  },
  { area: 'upphandling', keywords: [/upphandl/iu, /leverantörsuppföljning/iu, /avtalsförvaltning/iu] },
  { area: 'styrmodell-pm3', keywords: [w('pm3(?![\\p{L}\\p{N}])'), /styr- och samverkansmodell/iu, /objektledare/iu] },
  {
    area: 'it-forteckning',
    keywords: [/systemförteckning/iu, /it-förteckning/iu, /förteckning\p{L}* (?:över|av) [\p{L} ]*it-system/iu],
  },
  {
    area: 'lokal-anvisning-och-roller',
    keywords: [
      w('lokala? anvisning'),
      /rollbesättning/iu,
      /informationsansvar/iu,
      /ansvarsfördelning/iu,
      /delegationsordning/iu,
      w('roller(?![\\p{L}])'),
    ],
  },
  {
    area: 'utbildning',
    keywords: [/utbild/iu, /kompetenshöj/iu, /kompetensutveckl/iu, /kompetensförsörjning/iu, /certifiering/iu, /medvetenhet/iu],
  },
  { area: 'natverk-och-samarbeten', keywords: [/nätverk/iu] },
  { area: 'informationsklassning', keywords: [/klassning/iu, /klassa/iu, /informationsinventering/iu] },
  {
    area: 'ledningssystem',
    keywords: [
      /ledningssystem/iu,
      w('lis(?![\\p{L}])'),
      /systematiska informationssäkerhetsarbete/iu,
      /arbetsprocess/iu,
      /27001/u,
    ],
  },
];

/** The area a title clearly belongs to by {@link AREA_RULES}, or null. */
export function classifyArea(title: string): AreaId | null {
  for (const rule of AREA_RULES) {
    if (rule.keywords.some((k) => k.test(title))) return rule.area;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Lines

/** A plan heading's text (without its number): plan word, optional filler words, the year. */
export const PLAN_HEADING =
  /^(?:(?:planerade|prioriterade)\s+)?(?:(?:förbättrings)?aktiviteter|prioriteringar|(?:förbättrings)?åtgärder|insatser|handlingsplan)(?:\s+(?:för|under|inför|år|året|i|planerade))*\s+((?:19|20)\d\d)\s*:?$/iu;

/** Unnumbered headings that end a list (whole line, optional colon). */
export const KNOWN_HEADING =
  /^(?:sammanfattning|inledning|bakgrund|syfte|bilagor|bilaga(?:\s+\d+.*)?|referenser|källor|ordlista|definitioner|begrepp|avslutning|slutsatser?|sammanfattande bedömning|innehåll(?:sförteckning)?|förväntat resultat|förväntade resultat|förslag till åtgärder|behov|utmaningar|treårsplan|kontakt(?:uppgifter)?|(?:år|året)\s+(?:19|20)\d\d)\s*:?$/iu;

const PAGE_NUMBER = [
  /^\d{1,4}\s*\(\s*\d{1,4}\s*\)$/u, // 9 (10)
  /^(?:sida|sid\.|s\.)\s*\d{1,4}(?:\s*(?:av|\/|\()\s*\d{1,4}\)?)?$/iu, // Sida 4 av 12
  /^\d{1,4}\s*(?:av|\/)\s*\d{1,4}$/iu, // 4 av 12, 4/12
  /^[-–—]\s*\d{1,4}\s*[-–—]$/u, // - 4 -
  /^\d{1,3}$/u, // 4
];

const SYMBOL_BULLET = /^([\uE000-\uF8FF\u2022\u25AA\u25AB\u25CF\u25E6\u25A0\u25A1\u25C6\u25C7\u2023\u2043\u2219\u00B7\u27A2\u2794\u25BA\u25B8\u2713\u2714\u2756])\s*(\S.*)$/u;
const DASH_BULLET = /^([-–—*\u2012\u2212])\s+(\S.*)$/u;
const NUMBERED = /^(?:(\d{1,2})([.)])|\((\d{1,2})\))\s+(\S.*)$/u;
const LETTERED = /^(?:([a-z])\)|\(([a-z])\))\s+(\S.*)$/u;
const MULTI_LEVEL = /^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$/u;
const SINGLE_LEVEL = /^(\d{1,2})\s+(\S.*)$/u;

const SMALL_WORD_END = /(?:^|\s)(?:för|av|och|samt|på|i|med|om|till|under|inför|eller|vid|inom|mot|från)$/iu;

const headingLike = (text: string) => /^\p{Lu}/u.test(text) && text.length <= 120 && !/[.,;]$/u.test(text);
const endsSentence = (text: string) => /[.!?]["”’)]*$/u.test(text);
const startsUpper = (text: string) => /^["”’(]?\p{Lu}/u.test(text);
const isLabel = (text: string) => /^\p{Lu}[^.!?]{0,58}:$/u.test(text);

/** Joins a continuation line to the text so far (see the module comment). */
export function joinLines(acc: string, next: string): string {
  if (acc === '') return next;
  if (acc.endsWith('\u00AD')) return acc.slice(0, -1) + next;
  if (/[\p{L}\p{N}][-\u2010\u2011]$/u.test(acc) && !/^(?:och|eller|samt|respektive|resp\.|till)(?![\p{L}])/iu.test(next)) {
    return acc + next;
  }
  return `${acc} ${next}`;
}

const collapse = (s: string) => s.replace(/\s+/gu, ' ').trim();

type Token =
  | { kind: 'gap'; hard: boolean; page: boolean }
  | { kind: 'line'; text: string };

/** Raw text → content lines and gaps (runs of empty, whitespace-only and page-number lines). */
function tokenize(text: string): { tokens: Token[]; doubleSpaced: boolean } {
  const raw = text
    .replace(/^\uFEFF/u, '')
    .replace(/\r\n?/gu, '\n')
    .replace(/\f/gu, '\n')
    .replace(/[\u00A0\u2007\u202F\t]/gu, ' ')
    // An item that starts on the line where the previous one ends.
    .replace(/(?<=\S)[ ]*(?=[\uE000-\uF8FF])/gu, '\n')
    .replace(/(?<=\S)[ ]+(?=[\u2022\u25AA]\s)/gu, '\n')
    .split('\n');

  let content = 0;
  let followedByEmpty = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw[i]!.trim() !== '') {
      content++;
      if (raw[i + 1] === '') followedByEmpty++;
    }
  }
  const doubleSpaced = content > 0 && followedByEmpty / content > 0.8;

  const tokens: Token[] = [];
  for (const line of raw) {
    const trimmed = line.trim();
    const isPage = trimmed !== '' && PAGE_NUMBER.some((re) => re.test(trimmed));
    if (trimmed === '' || isPage) {
      const last = tokens[tokens.length - 1];
      const gap = last?.kind === 'gap' ? last : { kind: 'gap' as const, hard: false, page: false };
      if (gap !== last) tokens.push(gap);
      if (isPage) gap.page = true;
      else if (line !== '') gap.hard = true;
      continue;
    }
    tokens.push({ kind: 'line', text: trimmed });
  }
  return { tokens, doubleSpaced };
}

type ItemLine = { marker: string; text: string; number?: number; letter?: string };

function asItem(text: string): ItemLine | null {
  let m = SYMBOL_BULLET.exec(text) ?? DASH_BULLET.exec(text);
  if (m) return { marker: m[1]!, text: m[2]! };
  m = NUMBERED.exec(text);
  if (m) return { marker: m[2] ?? '()', number: Number(m[1] ?? m[3]), text: m[4]! };
  m = LETTERED.exec(text);
  if (m) return { marker: ')', letter: m[1] ?? m[2]!, text: m[3]! };
  return null;
}

interface Heading {
  number: string | null;
  text: string;
}

const singleYear = (text: string): number | null => {
  const years = [...text.matchAll(YEAR_RE)].map((m) => Number(m[1]));
  return years.length === 1 ? years[0]! : null;
};

// ---------------------------------------------------------------------------------------------
// The walk

interface Block {
  text: string;
  contextYear: number | null;
}

interface PlanState {
  year: number;
  section: string;
  /** The number of the last numbered item ("1." → 1), to tell the next item from a chapter heading. */
  lastNumber: number | null;
  seenItem: boolean;
}

interface Walk {
  activities: ExtractedActivity[];
  blocks: Block[];
  planYears: number[];
}

function walk(text: string): Walk {
  const { tokens, doubleSpaced } = tokenize(text);
  const activities: ExtractedActivity[] = [];
  const blocks: Block[] = [];
  const planYears: number[] = [];

  // Mutable walk state (an object, so that the helpers below and the loop see the same values).
  const st: { plan: PlanState | null; item: string | null; block: Block | null } = { plan: null, item: null, block: null };
  let stack: { number: string | null; year: number | null }[] = [];
  let chapter = 0;

  const contextYear = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.year !== null) return stack[i]!.year;
    return null;
  };
  const closeItem = () => {
    if (st.plan && st.item !== null) {
      const title = collapse(st.item);
      if (title) activities.push({ year: st.plan.year, title, area: classifyArea(title), section: st.plan.section });
    }
    st.item = null;
  };
  const closeBlock = () => {
    if (st.block && st.block.text.trim()) blocks.push({ ...st.block, text: collapse(st.block.text) });
    st.block = null;
  };
  const startHeading = (h: Heading) => {
    closeItem();
    closeBlock();
    st.plan = null;
    if (h.number === null) stack = [];
    else {
      while (stack.length && !(stack[stack.length - 1]!.number !== null && h.number.startsWith(`${stack[stack.length - 1]!.number}.`))) stack.pop();
      chapter = Number(h.number.split('.')[0]);
    }
    const planMatch = PLAN_HEADING.exec(h.text);
    stack.push({ number: h.number, year: planMatch ? Number(planMatch[1]) : singleYear(h.text) });
    if (planMatch) {
      const year = Number(planMatch[1]);
      planYears.push(year);
      st.plan = { year, section: h.number ?? h.text, lastNumber: null, seenItem: false };
    }
  };

  /** The heading this line starts, if it is one (before continuation lines are joined). */
  const headingOf = (line: string, i: number): Heading | null => {
    let m = MULTI_LEVEL.exec(line);
    if (m && headingLike(m[2]!)) return { number: m[1]!, text: m[2]! };
    if (KNOWN_HEADING.test(line) || PLAN_HEADING.test(line)) return { number: null, text: line.replace(/\s*:$/u, '') };
    m = SINGLE_LEVEL.exec(line);
    if (m && Number(m[1]) <= 30 && headingLike(m[2]!)) return { number: m[1]!, text: m[2]! };
    m = /^(\d{1,2})\.\s+(\S.*)$/u.exec(line);
    if (m && headingLike(m[2]!)) {
      const n = Number(m[1]);
      const planHeading = PLAN_HEADING.test(m[2]!) || KNOWN_HEADING.test(m[2]!);
      const expectedItem = st.plan !== null && n === (st.plan.lastNumber ?? 0) + 1;
      // "1. Riskobservation" followed by "2. Tillbud" is a list, not a chapter.
      const nextLine = tokens.slice(i + 1).find((t) => t.kind === 'line');
      const listGoesOn = nextLine !== undefined && new RegExp(`^${n + 1}[.)]\\s`, 'u').test(nextLine.text);
      if (planHeading || (!expectedItem && (n === chapter + 1 || !listGoesOn))) return { number: m[1]!, text: m[2]! };
    }
    return null;
  };

  let gap: { hard: boolean; page: boolean } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'gap') {
      gap = token;
      continue;
    }
    const before = gap;
    gap = null;
    const line = token.text;

    const heading = headingOf(line, i);
    if (heading) {
      // Join a wrapped heading: "3.2 Prioriteringar under" + "år 2026".
      let j = i + 1;
      for (;;) {
        const gapped = tokens[j]?.kind === 'gap';
        const next = tokens[gapped ? j + 1 : j];
        if (next?.kind !== 'line') break;
        const joinable =
          /^\p{Ll}/u.test(next.text) &&
          next.text.length <= 60 &&
          !endsSentence(next.text) &&
          asItem(next.text) === null &&
          (!gapped || /[-\u2010\u2011]$/u.test(heading.text) || SMALL_WORD_END.test(heading.text));
        if (!joinable) break;
        heading.text = collapse(joinLines(heading.text, next.text));
        j = gapped ? j + 2 : j + 1;
        i = j - 1;
      }
      startHeading(heading);
      continue;
    }

    const it = asItem(line);
    const plan = st.plan;
    if (plan) {
      if (it && (it.number === undefined || it.number === (plan.lastNumber ?? 0) + 1)) {
        closeItem();
        if (it.number !== undefined) plan.lastNumber = it.number;
        plan.seenItem = true;
        st.item = it.text;
        continue;
      }
      if (plan.seenItem && isLabel(line) && (before !== null || st.item === null || endsSentence(st.item))) {
        // "Förväntat resultat:" after the list: the plan section ends here.
        closeItem();
        st.plan = null;
        continue;
      }
      if (st.item !== null) {
        const paragraphBreak =
          before !== null && !before.page && (before.hard || !doubleSpaced) && endsSentence(st.item) && startsUpper(line);
        if (paragraphBreak) closeItem();
        else st.item = joinLines(st.item, line);
      }
      continue;
    }

    // Outside plan sections: prose blocks for KPI candidates.
    const ctx = contextYear();
    if (it) {
      closeBlock();
      st.block = { text: it.text, contextYear: ctx };
      continue;
    }
    if (st.block && before !== null && !before.page && (before.hard || !doubleSpaced)) closeBlock();
    st.block ??= { text: '', contextYear: ctx };
    st.block.text = joinLines(st.block.text, line);
  }
  closeItem();
  closeBlock();
  return { activities, blocks, planYears };
}

// ---------------------------------------------------------------------------------------------
// KPI candidates

const YEAR_RE = /(?<![\p{N}/:.\-–])((?:19|20)\d\d)(?![\p{N}]|\s*[-–]\s*(?:19|20)?\d\d(?![\p{N}])|[:/.]\p{N})/gu;
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

function candidatesIn(block: Block, reportYear: number | null): KpiCandidate[] {
  const out: KpiCandidate[] = [];
  let lastName: string | null = null;
  for (const sentence of splitSentences(block.text)) {
    const quote = collapse(sentence);
    for (const m of quote.matchAll(NUMBER_RE)) {
      const digits = m[1]!;
      const value = Number(digits.replace(/\s/gu, ''));
      if (/^(?:19|20)\d\d$/u.test(digits)) continue;
      const before = quote.slice(0, m.index);
      const after = quote.slice(m.index + digits.length);
      const next = /^\s*([\p{L}%–-][\p{L}\p{N}/-]*)\.?/u.exec(after)?.[1] ?? '';
      if (next && NOT_A_COUNT_AFTER.test(next)) continue;
      if (NOT_A_COUNT_BEFORE.test(before)) continue;

      // The noun after the number, skipping "st." / "stycken".
      let noun: string | null = null;
      if (next) {
        if (COUNT_WORD.test(next)) {
          const after2 = after.replace(/^\s*\p{L}+\.?/u, '');
          const n2 = /^\s+(\p{Ll}[\p{L}/-]*)/u.exec(after2)?.[1];
          if (n2 && !VERB_LIKE.test(n2) && !NOT_A_COUNT_AFTER.test(n2) && !/^(?:vilket|som|och|samt)$/iu.test(n2)) noun = n2;
        } else if (/^\p{Ll}/u.test(next) && !VERB_LIKE.test(next)) noun = next;
      }
      const isCount = COUNT_WORD.test(next) || noun !== null || COUNT_BEFORE.test(before);
      if (!isCount) continue;

      const antal = [...before.matchAll(ANTAL_RE)].pop()?.[1] ?? null;
      let name = antal ?? noun;
      if (name === null || GENERIC_NAME.test(name)) name = lastName ?? name;
      if (name === null) continue;

      const year = yearFor(quote, m.index, block.contextYear, reportYear);
      if (year === null) continue;
      lastName = name;
      out.push({ name, year, value, quote });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The three-year plan items and KPI candidates of a review's text. Pure. */
export function extractPlan(text: string): ExtractedPlan {
  const { activities, blocks, planYears } = walk(text);
  const reportYear = planYears.length ? Math.min(...planYears) - 1 : null;
  const kpis: KpiCandidate[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    for (const c of candidatesIn(block, reportYear)) {
      const key = `${c.name.toLowerCase()}|${c.year}|${c.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      kpis.push(c);
    }
  }
  return { activities, kpis };
}
