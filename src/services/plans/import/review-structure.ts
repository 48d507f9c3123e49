import { classifyArea, type ExtractedActivity } from './plan-items';
import { activitiesFromTable } from './plan-table';
import { asItem, collapse, endsSentence, joinLines, startsUpper, tableCells, tokenize, YEAR_RE } from './review-lines';

/**
 * The structure of a review's text: headings, plan sections and their items, prose blocks.
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
 */

/** A plan heading's text (without its number): plan word, optional filler words, the year. */
export const PLAN_HEADING =
  /^(?:(?:planerade|prioriterade)\s+)?(?:(?:förbättrings)?aktiviteter|prioriteringar|(?:förbättrings)?åtgärder|insatser|handlingsplan)(?:\s+(?:för|under|inför|år|året|i|planerade))*\s+((?:19|20)\d\d)\s*:?$/iu;

/** Unnumbered headings that end a list (whole line, optional colon). */
export const KNOWN_HEADING =
  /^(?:sammanfattning|inledning|bakgrund|syfte|bilagor|bilaga(?:\s+\d+.*)?|referenser|källor|ordlista|definitioner|begrepp|avslutning|slutsatser?|sammanfattande bedömning|innehåll(?:sförteckning)?|förväntat resultat|förväntade resultat|förslag till åtgärder|behov|utmaningar|treårsplan|kontakt(?:uppgifter)?|(?:år|året)\s+(?:19|20)\d\d)\s*:?$/iu;

const MULTI_LEVEL = /^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$/u;
const SINGLE_LEVEL = /^(\d{1,2})\s+(\S.*)$/u;

const SMALL_WORD_END = /(?:^|\s)(?:för|av|och|samt|på|i|med|om|till|under|inför|eller|vid|inom|mot|från)$/iu;

const headingLike = (text: string) => /^\p{Lu}/u.test(text) && text.length <= 120 && !/[.,;]$/u.test(text);
const isLabel = (text: string) => /^\p{Lu}[^.!?]{0,58}:$/u.test(text);

interface Heading {
  number: string | null;
  text: string;
}

const singleYear = (text: string): number | null => {
  const years = [...text.matchAll(YEAR_RE)].map((m) => Number(m[1]));
  return years.length === 1 ? years[0]! : null;
};

// The walk

export interface Block {
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

export interface Walk {
  activities: ExtractedActivity[];
  blocks: Block[];
  planYears: number[];
}

export function walk(text: string): Walk {
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

    if (tableCells(line)) {
      // A table: its rows are the row lines that follow, across gaps.
      const rows: string[][] = [];
      let j = i;
      for (; j < tokens.length; j++) {
        const t = tokens[j]!;
        if (t.kind === 'gap') continue;
        const cells = tableCells(t.text);
        if (!cells) break;
        rows.push(cells);
      }
      i = j - 1;
      closeItem();
      closeBlock();
      // Under a plan heading a table with a title column is the plan; other tables are not read.
      const fromTable = st.plan ? activitiesFromTable(rows, st.plan.year, st.plan.section) : null;
      if (fromTable && st.plan) {
        activities.push(...fromTable);
        st.plan.seenItem = true;
      }
      continue;
    }

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
