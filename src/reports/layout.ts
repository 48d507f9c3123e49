import type { ReviewDocument, Section } from '../services/reviews/document';

/**
 * Page layout that the PDF and the Word document share, so a chapter is landscape in both and a
 * table's columns get their room from the same rule.
 */

/** Dates, years and yes/no fit their content; text columns share the rest of the width. */
const NARROW_COLUMNS = /^(Slutdatum|\d{4}|Täckt|Förändring)$/;

/**
 * A chapter with a table of four or more text columns is set on landscape pages: on A4 portrait,
 * four columns of Swedish compounds ("Informationssäkerhetssamordnare") are wider than the page,
 * and a word processor would break the words mid-word.
 */
const WIDE_TABLE_TEXT_COLUMNS = 4;

export function chapterOrientation(doc: ReviewDocument, chapter: Section): 'landscape' | 'portrait' {
  const start = doc.sections.indexOf(chapter);
  const end = doc.sections.findIndex((s, i) => i > start && s.level === 1);
  const blocks = doc.sections.slice(start, end === -1 ? undefined : end).flatMap((s) => s.blocks);
  const wide = blocks.some((b) => b.type === 'table' && b.columns.filter((c) => !NARROW_COLUMNS.test(c)).length >= WIDE_TABLE_TEXT_COLUMNS);
  return wide ? 'landscape' : 'portrait';
}

/** Words longer than this in a column of running text may break: a rare long compound must not starve the other columns. */
const LONG_WORD = 20;
/** A column whose cells are all this short holds labels (a role, a date, a status): its words never break. */
const LABEL_LENGTH = 40;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A text's width in the unit of a table's widths. */
export type TextWidth = (text: string) => number;

/**
 * Column widths for a table `total` wide, in the same unit. Each column first gets room for its
 * longest word plus the cell's padding (a word split mid-word is what a reader notices:
 * "Informationssäke|rhetssamordnare"), then the rest goes to the columns with the most text.
 * Only when the longest words do not all fit does a column of running text make do with room
 * for a word of LONG_WORD characters, and when even that does not fit, the columns share the
 * width in proportion. A word's width is `wordWidth` where the renderer can measure it, else
 * `charWidth` per character; a line may break after a "/" ("Kostnad/resurs").
 */
export function columnWidths(columns: string[], rows: string[][], total: number, charWidth: number, wordWidth: TextWidth = (word) => word.length * charWidth): number[] {
  const lines = linesOfColumns(columns, rows);
  const longestLine = (i: number) => Math.max(...lines[i]!.map((l) => l.length));
  const label = columns.map((_, i) => longestLine(i) <= LABEL_LENGTH);
  const whole = wholeWordWidths(lines, charWidth, wordWidth);
  const minimum = sum(whole) <= total ? whole : whole.map((w, i) => (label[i] ? w : Math.min(w, (LONG_WORD + 2) * charWidth)));
  const wanted = columns.map((_, i) => Math.max(minimum[i]!, Math.min(60, longestLine(i)) * charWidth));
  const floor = sum(minimum);
  if (floor >= total) {
    // Too narrow for every longest word: the labels keep theirs, the running text shares the rest.
    const labels = sum(minimum.map((m, i) => (label[i] ? m : 0)));
    const text = floor - labels;
    if (labels >= total || text === 0) return minimum.map((m) => Math.floor((m / floor) * total));
    return minimum.map((m, i) => Math.floor(label[i] ? m : (m / text) * (total - labels)));
  }
  const extra = wanted.map((w, i) => w - minimum[i]!);
  const extraSum = sum(extra);
  const spare = total - floor;
  return minimum.map((m, i) => Math.floor(m + (extraSum ? (extra[i]! / extraSum) * spare : spare / columns.length)));
}

/** Whether every column of the table has room for its longest word, `total` wide. */
export function wholeWordsFit(columns: string[], rows: string[][], total: number, charWidth: number, wordWidth: TextWidth): boolean {
  return sum(wholeWordWidths(linesOfColumns(columns, rows), charWidth, wordWidth)) <= total;
}

function linesOfColumns(columns: string[], rows: string[][]): string[][] {
  return columns.map((c, i) => [c, ...rows.map((r) => r[i] ?? '')].flatMap((cell) => cell.split('\n')));
}

/** Each column's longest word and the cell's padding. */
function wholeWordWidths(lines: string[][], charWidth: number, wordWidth: TextWidth): number[] {
  return lines.map((l) => Math.max(...l.flatMap((line) => line.split(/\s+|(?<=\/)/).map(wordWidth))) + 2 * charWidth);
}
