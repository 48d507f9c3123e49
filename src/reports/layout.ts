import type { ReviewDocument, Section } from '../services/reviews/document';

/**
 * Page layout that the PDF and the Word document share, so a chapter is landscape in both and a
 * table's columns get their room from the same rule.
 */

/** Dates, years and yes/no fit their content; text columns share the rest of the width. */
export const NARROW_COLUMNS = /^(Slutdatum|\d{4}|Täckt|Förändring)$/;

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

/**
 * Column widths for a table `total` wide, in the same unit. Each column first gets room for its
 * longest word (a word split mid-word is what a reader notices: "Informationssäke|rhetssamordnare"),
 * then the rest goes to the columns with the most text. When even the longest words do not fit,
 * they share the width in proportion.
 */
export function columnWidths(columns: string[], rows: string[][], total: number, charWidth: number): number[] {
  const cells = (i: number) => [columns[i]!, ...rows.map((r) => r[i] ?? '')];
  const longestWord = (i: number) => Math.max(...cells(i).flatMap((c) => c.split(/[\s/]+/).map((w) => w.length)));
  const textLength = (i: number) => Math.min(60, Math.max(...cells(i).flatMap((c) => c.split('\n').map((l) => l.length))));
  const minimum = columns.map((_, i) => (longestWord(i) + 1) * charWidth);
  const wanted = columns.map((_, i) => Math.max(minimum[i]!, textLength(i) * charWidth));
  const floor = minimum.reduce((a, b) => a + b, 0);
  if (floor >= total) return minimum.map((m) => Math.floor((m / floor) * total));
  const extra = wanted.map((w, i) => w - minimum[i]!);
  const extraSum = extra.reduce((a, b) => a + b, 0);
  const spare = total - floor;
  return minimum.map((m, i) => Math.floor(m + (extraSum ? (extra[i]! / extraSum) * spare : spare / columns.length)));
}
