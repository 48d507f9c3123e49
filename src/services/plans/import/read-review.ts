import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { convert as htmlToText, type SelectorDefinition } from 'html-to-text';
import { convertToHtml } from 'mammoth';
import { OperatorError } from '../../../platform/errors';
import { PDF_MAX_PAGES, pdfPagesToText, readPdfPages } from './pdf-text';
import { TABLE_ROW, tableRowLine, withoutTableMarks } from './review-lines';

/**
 * Reads a previous year's review (Ledningens genomgång) as plain text for {@link extractPlan}.
 *
 * - `.txt`: UTF-8 (a UTF-8 byte-order mark is stripped; a UTF-16 file with a byte-order mark, as
 *   Windows Notepad saves "Unicode", is decoded too); CRLF and lone CR become LF. Bytes that are not
 *   valid UTF-8 are an {@link UnsupportedFormatError}, not a silent mis-decoding.
 * - `.docx`: the text of the Word document, one paragraph per line, with Word's own bullets and
 *   numbering written out as `•` and `1.` (mammoth to HTML, html-to-text to text), and each table
 *   as table row lines (./review-lines) where it stands; another extractor can be passed as
 *   `extractors.docx`. The output is normalised like a `.txt` file.
 * - `.pdf`: the text of the PDF with its lines, paragraphs and tables, without running headers,
 *   footers and page numbers (./pdf-text).
 * - Anything else: {@link UnsupportedFormatError}.
 *
 * @see extractPlan in ./review-text
 */

/** The file cannot be read as review text; the message is one line naming what is missing. */
export class UnsupportedFormatError extends OperatorError {
  override readonly name: string = 'UnsupportedFormatError';
}

/** Turns a file's bytes into text (for formats other than plain text). */
export type TextExtractor = (content: Buffer, file: string) => Promise<string>;

export interface ReadReviewOptions {
  /** Extractors by extension without the dot, lower case, e.g. `{ docx: extractDocxText }`. */
  extractors?: Partial<Record<string, TextExtractor>>;
}

/** BOM stripped, CRLF/CR → LF. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n');
}

/** Decodes a text file's bytes: UTF-8 (BOM optional) or UTF-16 with a BOM. */
export function decodeText(content: Buffer, file: string): string {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content);
  if (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    throw new UnsupportedFormatError(`${file} is not UTF-8 text: save it as UTF-8 (e.g. "Text (UTF-8)") and try again`);
  }
}

/** The file types a review may come in, by extension. */
export const REVIEW_EXTENSIONS = ['docx', 'pdf', 'txt'] as const;
const UNSUPPORTED_HINT = 'expected Word (.docx), PDF (.pdf) or text (.txt, UTF-8)';

export async function readReviewFile(file: string, options: ReadReviewOptions = {}): Promise<string> {
  refuseUnsupported(file, options);
  const content = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new OperatorError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  return readReview(content, file, options);
}

/** A review's text from its bytes; `name` (a file name) tells the format by its extension. */
export async function readReview(content: Buffer, name: string, options: ReadReviewOptions = {}): Promise<string> {
  const extractor = refuseUnsupported(name, options);
  // Table marks are the readers' own: a text file must not bring any.
  const text = extractor ? await extractor(content, name) : withoutTableMarks(decodeText(content, name));
  return normaliseText(text);
}

function refuseUnsupported(name: string, options: ReadReviewOptions): TextExtractor | undefined {
  const ext = path.extname(name).slice(1).toLowerCase();
  const extractor = options.extractors?.[ext] ?? BUILT_IN[ext];
  if (ext !== 'txt' && !extractor) throw new UnsupportedFormatError(`${name}: unsupported file type${ext ? ` .${ext}` : ''}; ${UNSUPPORTED_HINT}`);
  return extractor;
}

/** A PDF's text; a file that is not a readable PDF is refused in one line. */
export async function extractPdfText(content: Buffer, file: string): Promise<string> {
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') throw new UnsupportedFormatError(`${file} is not a PDF document that can be read; ${UNSUPPORTED_HINT}`);
  const pages = await readPdfPages(content).catch((err: { code?: string }) => {
    throw new UnsupportedFormatError(
      err.code === 'pages'
        ? `${file} has more than ${PDF_MAX_PAGES} pages; a review has fewer`
        : err.code === 'PasswordException'
          ? `${file} is password-protected; save it without a password and try again`
          : `${file} is not a PDF document that can be read; ${UNSUPPORTED_HINT}`,
    );
  });
  const text = pdfPagesToText(pages);
  if (text.trim() === '') throw new UnsupportedFormatError(`${file} has no text (a scanned PDF?); save it as text, Word or a PDF with text`);
  return text;
}

/**
 * How the Word document's HTML becomes the lines {@link extractPlan} reads. In Word a bullet or a
 * number is list formatting, not a character of the text, so a plain-text extraction would lose
 * exactly the marks that tell a plan item from prose.
 */
const DOCX_TEXT_SELECTORS: SelectorDefinition[] = [
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  { selector: 'ul', options: { itemPrefix: '• ' } },
  { selector: 'a', options: { ignoreHref: true } },
  { selector: 'img', format: 'skip' },
];

/** A Word document's text, one paragraph or list item per line and each table as row lines; a file that is not a Word document is refused in one line. */
export async function extractDocxText(content: Buffer, file: string): Promise<string> {
  let html: string;
  try {
    html = (await convertToHtml({ buffer: content })).value;
  } catch {
    throw new UnsupportedFormatError(`${file} is not a Word document (.docx) that can be read; save it again from Word or as .txt (UTF-8)`);
  }
  const tables: string[][] = [];
  // Each outermost table becomes a placeholder paragraph, replaced by its row lines after the text conversion.
  const withPlaceholders = replaceTables(withoutTableMarks(html), (rows) => {
    tables.push(rows.map(tableRowLine));
    return `<p>${TABLE_ROW}${tables.length - 1}</p>`;
  });
  return htmlToText(withPlaceholders, { wordwrap: false, selectors: DOCX_TEXT_SELECTORS })
    .split('\n')
    .map((line) => line.trimStart())
    .filter((line) => line !== '')
    .flatMap((line) => (line.startsWith(TABLE_ROW) ? ['', ...(tables[Number(line.slice(1))] ?? []), ''] : [line]))
    .join('\n');
}

/** A cell's HTML as one line of text. */
const cellText = (html: string) => htmlToText(html, { wordwrap: false, selectors: DOCX_TEXT_SELECTORS }).replace(/\s+/gu, ' ').trim();

/**
 * Replaces each outermost `<table>` of mammoth's HTML by what `render` makes of its rows' cell
 * texts. Mammoth writes plain tags without attributes that matter here; a table nested in a cell
 * stays inside that cell's text.
 */
function replaceTables(html: string, render: (rows: string[][]) => string): string {
  const tag = /<(\/?)(table|tr|td|th)\b[^>]*>/giu;
  let out = '';
  let depth = 0;
  let tableStart = 0;
  let copyFrom = 0;
  let rows: string[][] = [];
  let cellStart = -1;
  for (const m of html.matchAll(tag)) {
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (name === 'table') {
      if (!closing && depth++ === 0) {
        out += html.slice(copyFrom, m.index);
        tableStart = m.index;
        rows = [];
      } else if (closing && depth > 0 && --depth === 0) {
        out += render(rows);
        copyFrom = m.index + m[0].length;
      }
      continue;
    }
    if (depth !== 1) continue;
    if (name === 'tr' && !closing) rows.push([]);
    else if ((name === 'td' || name === 'th') && !closing) cellStart = m.index + m[0].length;
    else if ((name === 'td' || name === 'th') && closing && cellStart >= 0) {
      rows[rows.length - 1]?.push(cellText(html.slice(cellStart, m.index)));
      cellStart = -1;
    }
  }
  // An unclosed table (not from mammoth) is left as text.
  return depth > 0 ? out + html.slice(tableStart) : out + html.slice(copyFrom);
}

const BUILT_IN: Partial<Record<string, TextExtractor>> = { docx: extractDocxText, pdf: extractPdfText };
