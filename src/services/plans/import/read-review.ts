import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { convert as htmlToText, type SelectorDefinition } from 'html-to-text';
import { convertToHtml } from 'mammoth';
import { OperatorError } from '../../../platform/errors';

/**
 * Reads a previous year's review (Ledningens genomgång) as plain text for {@link extractPlan}.
 *
 * - `.txt`: UTF-8 (a UTF-8 byte-order mark is stripped; a UTF-16 file with a byte-order mark, as
 *   Windows Notepad saves "Unicode", is decoded too); CRLF and lone CR become LF. Bytes that are not
 *   valid UTF-8 are an {@link UnsupportedFormatError}, not a silent mis-decoding.
 * - `.docx`: the text of the Word document, one paragraph per line, with Word's own bullets and
 *   numbering written out as `•` and `1.` (mammoth to HTML, html-to-text to text); another
 *   extractor can be passed as `extractors.docx`. The output is normalised like a `.txt` file.
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

export async function readReviewFile(file: string, options: ReadReviewOptions = {}): Promise<string> {
  const ext = path.extname(file).slice(1).toLowerCase();
  const extractor = options.extractors?.[ext] ?? (ext === 'docx' ? extractDocxText : undefined);
  if (ext !== 'txt' && !extractor) {
    throw new UnsupportedFormatError(`${file}: unsupported file type${ext ? ` .${ext}` : ''}; expected .txt (UTF-8) or .docx`);
  }
  const content = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new OperatorError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const text = extractor ? await extractor(content, file) : decodeText(content, file);
  return normaliseText(text);
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

/** A Word document's text, one paragraph or list item per line; a file that is not a Word document is refused in one line. */
export async function extractDocxText(content: Buffer, file: string): Promise<string> {
  let html: string;
  try {
    html = (await convertToHtml({ buffer: content })).value;
  } catch {
    throw new UnsupportedFormatError(`${file} is not a Word document (.docx) that can be read; save it again from Word or as .txt (UTF-8)`);
  }
  return htmlToText(html, { wordwrap: false, selectors: DOCX_TEXT_SELECTORS })
    .split('\n')
    .map((line) => line.trimStart())
    .filter((line) => line !== '')
    .join('\n');
}
