/**
 * Reading a review's text: lines, gaps (blank and page-number lines), list items, joins.
 * The rules are described under "Plan items" in ./plan-items.
 */

export const PAGE_NUMBER = [
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

export const endsSentence = (text: string) => /[.!?]["”’)]*$/u.test(text);
export const startsUpper = (text: string) => /^["”’(]?\p{Lu}/u.test(text);

/** Joins a continuation line to the text so far (see the module comment). */
export function joinLines(acc: string, next: string): string {
  if (acc === '') return next;
  if (acc.endsWith('\u00AD')) return acc.slice(0, -1) + next;
  if (/[\p{L}\p{N}][-\u2010\u2011]$/u.test(acc) && !/^(?:och|eller|samt|respektive|resp\.|till)(?![\p{L}])/iu.test(next)) {
    return acc + next;
  }
  return `${acc} ${next}`;
}

export const collapse = (s: string) => s.replace(/\s+/gu, ' ').trim();

export type Token =
  | { kind: 'gap'; hard: boolean; page: boolean }
  | { kind: 'line'; text: string };

/** Raw text → content lines and gaps (runs of empty, whitespace-only and page-number lines). */
export function tokenize(text: string): { tokens: Token[]; doubleSpaced: boolean } {
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

export type ItemLine = { marker: string; text: string; number?: number; letter?: string };

export function asItem(text: string): ItemLine | null {
  let m = SYMBOL_BULLET.exec(text) ?? DASH_BULLET.exec(text);
  if (m) return { marker: m[1]!, text: m[2]! };
  m = NUMBERED.exec(text);
  if (m) return { marker: m[2] ?? '()', number: Number(m[1] ?? m[3]), text: m[4]! };
  m = LETTERED.exec(text);
  if (m) return { marker: ')', letter: m[1] ?? m[2]!, text: m[3]! };
  return null;
}

/** A year 1900–2099 written alone, not in a range, date or reference ("2022-2025", "2018:585"). */
export const YEAR_RE = /(?<![\p{N}/:.\-–])((?:19|20)\d\d)(?![\p{N}]|\s*[-–]\s*(?:19|20)?\d\d(?![\p{N}])|[:/.]\p{N})/gu;

/**
 * A table row in the text: a line of its cells after {@link TABLE_ROW}, separated by
 * {@link TABLE_CELL}. The Word and PDF readers write tables so, and the walk reads them back: so a
 * table stays where it was in the text, under its heading. Both are control characters no review
 * has; the readers remove them from the text they read.
 */
export const TABLE_ROW = '\u001E';
export const TABLE_CELL = '\u001F';

/** Text without the table marks, for text that is not a table row. */
// eslint-disable-next-line no-control-regex -- the marks are control characters on purpose
export const withoutTableMarks = (text: string) => text.replace(/[\u001E\u001F]/gu, ' ');

export function tableRowLine(cells: string[]): string {
  // A cell is one line of text: its own line breaks, bullets and marks become spaces.
  const flat = cells.map((c) => withoutTableMarks(c).replace(/[\uE000-\uF8FF\u2022\u25AA]/gu, ' ').replace(/\s+/gu, ' ').trim());
  return TABLE_ROW + flat.join(TABLE_CELL);
}

/** The cells of a table row line, or null for any other line. */
export function tableCells(line: string): string[] | null {
  return line.startsWith(TABLE_ROW) ? line.slice(1).split(TABLE_CELL) : null;
}
