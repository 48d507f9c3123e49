import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mapColumns } from './plan-table';
import { joinLines, PAGE_NUMBER, tableRowLine, withoutTableMarks } from './review-lines';

/**
 * A PDF's text for {@link extractPlan}, with its lines, paragraphs and tables kept (see
 * docs/decisions/0002-pdf-text-with-pdfjs.md for why pdf.js and not another reader):
 *
 * - pdf.js gives positioned text pieces; pieces on one baseline form a line, read left to right
 *   (a list number drawn after its text still comes first);
 * - a vertical gap clearly wider than the page's usual line spacing is a blank line (a paragraph);
 * - running headers and footers are removed: a line in the top or bottom eighth of the page, set
 *   apart from the text, that repeats (digits aside) on at least half the pages and on two or
 *   more, and page-number lines there. A one-page PDF keeps its header (nothing repeats);
 * - a table is a line whose pieces, split at wide gaps, are column headers with a title column
 *   (./plan-table); the lines below it that start inside the table's columns are its rows, a new
 *   row where the line spacing is wider than the table's tightest (a wrapped cell is tight).
 *
 * The PDF is parsed in a worker thread with a memory limit and a deadline: an upload is untrusted,
 * and a hostile file must not take the server with it. pdf.js is an ES module; the worker loads it
 * with Node's own import().
 */

export interface PdfItem {
  str: string;
  x: number;
  y: number;
  width: number;
  /** The font size (the text's height), which scales every gap threshold. */
  size: number;
}
export interface PdfPage {
  height: number;
  items: PdfItem[];
}

export const PDF_MAX_PAGES = 300;
const PDF_DEADLINE_MS = 30_000;
const PDFJS_URL = pathToFileURL(path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'legacy', 'build', 'pdf.mjs')).href;

// Runs in the worker: bytes in, positioned pieces per page out.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const pdfjs = await import(workerData.pdfjs);
    const doc = await pdfjs.getDocument({ data: workerData.data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false }).promise;
    if (doc.numPages > workerData.maxPages) throw Object.assign(new Error('too many pages'), { code: 'pages' });
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, , , height] = page.view;
      const content = await page.getTextContent();
      pages.push({ height, items: content.items.filter((i) => typeof i.str === 'string' && i.str.trim() !== '').map((i) => ({ str: i.str, x: i.transform[4], y: i.transform[5], width: i.width, size: Math.hypot(i.transform[2], i.transform[3]) || i.height || 10 })) });
      page.cleanup();
    }
    await doc.destroy();
    parentPort.postMessage({ pages });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err), code: err && (err.code || err.name) });
  }
})();
`;

/** The positioned text of a PDF's pages; rejects with the worker's reason. */
export function readPdfPages(content: Buffer): Promise<PdfPage[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { data: new Uint8Array(content), pdfjs: PDFJS_URL, maxPages: PDF_MAX_PAGES },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: true,
      stderr: true,
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('the PDF took too long to read'));
    }, PDF_DEADLINE_MS);
    worker.once('message', (msg: { pages?: PdfPage[]; error?: string; code?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (msg.pages) resolve(msg.pages);
      else reject(Object.assign(new Error(msg.error ?? 'unreadable PDF'), { code: msg.code }));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

interface Line {
  y: number;
  size: number;
  items: PdfItem[];
  text: string;
}

/** Pieces' text left to right, a space where the gap between them is wider than a fifth of the font. */
function joinPieces(items: PdfItem[]): string {
  let text = '';
  let end: number | null = null;
  for (const item of items) {
    const str = withoutTableMarks(item.str);
    const gap = end === null ? 0 : item.x - end;
    text += end !== null && gap > item.size * 0.2 && !/\s$/u.test(text) && !/^\s/u.test(str) ? ` ${str}` : str;
    end = item.x + item.width;
  }
  return text.replace(/\s+/gu, ' ').trim();
}

function linesOf(page: PdfPage): Line[] {
  const items = [...page.items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const item of items) {
    const line = lines.find((l) => Math.abs(l.y - item.y) <= Math.max(l.size, item.size) * 0.4);
    if (line) {
      line.items.push(item);
      line.size = Math.max(line.size, item.size);
    } else lines.push({ y: item.y, size: item.size, items: [item], text: '' });
  }
  for (const line of lines) {
    line.items.sort((a, b) => a.x - b.x);
    line.text = joinPieces(line.items);
  }
  return lines.filter((l) => l.text !== '').sort((a, b) => b.y - a.y);
}

const runningKey = (text: string) => text.replace(/\d+/gu, '#').toLowerCase();

/**
 * The lines at the page's top and bottom that stand apart from the text (a wider gap than the
 * line spacing) inside the top or bottom eighth: where running headers, footers and page numbers sit.
 */
function marginLines(page: { height: number; lines: Line[] }): Line[] {
  const { lines, height } = page;
  // Farther than a line and a half of the larger font: not the next line of the same text.
  const apart = (a: Line | undefined, b: Line | undefined) => !a || !b || Math.abs(a.y - b.y) > Math.max(a.size, b.size) * 1.8;
  const out: Line[] = [];
  for (let i = 0; i < 2 && i < lines.length && lines[i]!.y > height * (7 / 8) && apart(lines[i], lines[i + 1]); i++) out.push(lines[i]!);
  for (let i = lines.length - 1; i >= lines.length - 2 && i >= 0 && lines[i]!.y < height / 8 && apart(lines[i], lines[i - 1]); i--) out.push(lines[i]!);
  return out;
}

/** Drops running headers and footers (margin lines repeated, digits aside, on half the pages and two or more) and page numbers. */
function withoutRunningLines(pages: { height: number; lines: Line[] }[]): Line[][] {
  const margins = pages.map(marginLines);
  const counts = new Map<string, number>();
  for (const lines of margins) for (const key of new Set(lines.map((l) => runningKey(l.text)))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const repeated = (key: string) => (counts.get(key) ?? 0) >= Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((page, p) => {
    const drop = new Set(margins[p]!.filter((l) => repeated(runningKey(l.text)) || PAGE_NUMBER.some((re) => re.test(l.text))));
    return page.lines.filter((l) => !drop.has(l));
  });
}

/** The usual distance between lines: a low quantile, since lines within paragraphs outnumber the gaps between them. */
const lineSpacing = (lines: Line[]) => {
  const sorted = lines.slice(1).map((l, i) => lines[i]!.y - l.y).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 4)]! : 0;
};

/** Splits a line at gaps wider than 0.6 of its font size (a word space is about 0.25; cell padding is wider): the cells of a table header. */
function segments(line: Line): { x: number; text: string }[] {
  const out: { x: number; items: PdfItem[] }[] = [];
  for (const item of line.items) {
    const last = out[out.length - 1];
    const lastItem = last?.items[last.items.length - 1];
    if (last && lastItem && item.x - (lastItem.x + lastItem.width) <= item.size * 0.6) last.items.push(item);
    else out.push({ x: item.x, items: [item] });
  }
  return out.map((s) => ({ x: s.x, text: joinPieces(s.items) }));
}

/** A table starting at `start` (a header line with a title column): its row lines and where it ends. */
function tableAt(lines: Line[], start: number): { rows: string[]; end: number } | null {
  const header = segments(lines[start]!);
  if (header.length < 2) return null;
  const columns = mapColumns(header.map((h) => h.text));
  if (!columns.includes('title') || columns.filter((c) => c !== null).length < 2) return null;
  const starts = header.map((h) => h.x);
  const tolerance = lines[start]!.size * 0.5;
  const columnOf = (x: number) => starts.reduce((found, s, i) => (x >= s - tolerance ? i : found), -1);
  let end = start + 1;
  // A header cell wrapped over lines ("Klart" / "senast"): lines at body-text spacing, with nothing in the title column.
  const titleColumn = columns.indexOf('title');
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    const tight = lines[end - 1]!.y - line.y <= line.size * 1.5;
    if (!tight || line.items.some((item) => columnOf(item.x) <= titleColumn)) break;
    for (const item of line.items) header[columnOf(item.x)]!.text = joinLines(header[columnOf(item.x)]!.text, item.str.trim());
  }
  const body: { y: number; cells: string[] }[] = [];
  const headerBottom = lines[end - 1]!.y;
  const spacing = lineSpacing(lines);
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    const previousY = body.length ? body[body.length - 1]!.y : headerBottom;
    if (columnOf(line.items[0]!.x) < 0 || previousY - line.y > Math.max(spacing, line.size * 1.2) * 2.5) break;
    const cells = starts.map(() => [] as PdfItem[]);
    for (const item of line.items) cells[Math.max(0, columnOf(item.x))]!.push(item);
    body.push({ y: line.y, cells: cells.map(joinPieces) });
  }
  if (body.length === 0) return null;
  // A row starts where the line spacing is wider than the table's tightest (within a cell).
  const gaps = body.map((b, i) => (i === 0 ? Infinity : body[i - 1]!.y - b.y));
  const tightest = Math.min(...gaps);
  const rows: string[][] = [header.map((h) => h.text)];
  body.forEach((b, i) => {
    if (i === 0 || gaps[i]! > tightest * 1.15) rows.push(b.cells);
    else rows[rows.length - 1] = rows[rows.length - 1]!.map((cell, c) => (b.cells[c] ? (cell ? joinLines(cell, b.cells[c]) : b.cells[c]) : cell));
  });
  return { rows: rows.map(tableRowLine), end };
}

/** The text of a PDF's pages (see the module comment); pure, for tests. */
export function pdfPagesToText(pages: PdfPage[]): string {
  const withLines = pages.map((p) => ({ height: p.height, lines: linesOf(p) }));
  const kept = withoutRunningLines(withLines);
  const out: string[] = [];
  for (const lines of kept) {
    const spacing = lineSpacing(lines);
    for (let i = 0; i < lines.length; i++) {
      const table = tableAt(lines, i);
      if (table) {
        out.push('', ...table.rows, '');
        i = table.end - 1;
        continue;
      }
      const line = lines[i]!;
      const gap = i === 0 ? 0 : lines[i - 1]!.y - line.y;
      if (i > 0 && gap > Math.max(spacing, line.size * 1.1) * 1.45) out.push('');
      out.push(line.text);
    }
  }
  return out.join('\n');
}
