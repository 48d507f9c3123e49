import path from 'node:path';
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, WidthType } from 'docx';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';

/**
 * Review documents for tests, written once as blocks and made into a real Word document (Word
 * headings, Word bullet and numbered lists, Word tables with a header row) and into a PDF laid
 * out as Word exports one: a running header, "Sida N (M)" footers, bullets and numbers as glyphs
 * beside indented text, tables with cell padding and borders.
 */

export type ReviewBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'numbered'; items: string[] }
  /** The first row is the header row. */
  | { kind: 'table'; rows: string[][] };

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

export async function reviewDocx(blocks: ReviewBlock[]): Promise<Buffer> {
  let lists = 0;
  const children: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') children.push(new Paragraph({ text: block.text, heading: HEADINGS[(block.level ?? 2) - 1] }));
    else if (block.kind === 'paragraph') children.push(new Paragraph(block.text));
    else if (block.kind === 'bullets') children.push(...block.items.map((text) => new Paragraph({ text, bullet: { level: 0 } })));
    else if (block.kind === 'numbered') {
      // Each numbered list its own numbering instance, so that it starts at 1.
      const instance = ++lists;
      children.push(...block.items.map((text) => new Paragraph({ text, numbering: { reference: 'numrerad', level: 0, instance } })));
    } else {
      const row = (cells: string[], header: boolean) =>
        new TableRow({ tableHeader: header, children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) });
      children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: block.rows.map((cells, i) => row(cells, i === 0)) }));
      children.push(new Paragraph(''));
    }
  }
  return Packer.toBuffer(
    new Document({
      numbering: { config: [{ reference: 'numrerad', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
      sections: [{ children }],
    }),
  );
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
pdfmake.setFonts(require('pdfmake/fonts/Roboto') as Parameters<typeof pdfmake.setFonts>[0]);
const FONT_DIR = path.dirname(require.resolve('pdfmake/fonts/Roboto'));
const access = pdfmake as unknown as { setUrlAccessPolicy(cb: (url: string) => boolean): void; setLocalAccessPolicy(cb: (file: string) => boolean): void };
access.setUrlAccessPolicy(() => false);
access.setLocalAccessPolicy((file) => path.resolve(file).startsWith(FONT_DIR + path.sep));

const marked = (marker: string, text: string): Content => ({ columns: [{ text: marker, width: 18 }, { text, width: '*' }], margin: [18, 0, 0, 2] });

export async function reviewPdf(blocks: ReviewBlock[], runningHeader = 'Ledningens genomgång – testförvaltningen'): Promise<Buffer> {
  const content: Content[] = blocks.map((block, i): Content => {
    // A chapter starts on a new page, as in the reviews' own PDFs.
    if (block.kind === 'heading') return { text: block.text, fontSize: [17, 14, 12][(block.level ?? 2) - 1], bold: true, margin: [0, 12, 0, 6], ...(block.level === 1 && i > 0 ? { pageBreak: 'before' as const } : {}) };
    if (block.kind === 'paragraph') return { text: block.text, margin: [0, 0, 0, 8] };
    if (block.kind === 'bullets') return { stack: block.items.map((item) => marked('•', item)), margin: [0, 0, 0, 8] };
    if (block.kind === 'numbered') return { stack: block.items.map((item, i) => marked(`${i + 1}.`, item)), margin: [0, 0, 0, 8] };
    return {
      table: { headerRows: 1, widths: block.rows[0]!.map((_, i) => (i === 0 ? '*' : 'auto')), body: block.rows.map((cells, i) => cells.map((text) => ({ text, bold: i === 0 }))) },
      margin: [0, 0, 0, 10],
    };
  });
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [56, 64, 56, 56],
    header: { text: runningHeader, alignment: 'right', fontSize: 8, margin: [56, 28, 56, 0] },
    footer: (page: number, pages: number) => ({ text: `Sida ${page} (${pages})`, alignment: 'center', fontSize: 9, margin: [0, 20, 0, 0] }),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.2 },
  };
  return pdfmake.createPdf(definition).getBuffer();
}

/**
 * A seed report's text as blocks: numbered lines ("3.1 …", "2 …") as headings, bullet lines as a
 * Word bullet list, every other line a paragraph.
 */
export function blocksFromText(text: string): ReviewBlock[] {
  const bullet = /^\s*[•▪\uF0B7]\s*/u;
  const blocks: ReviewBlock[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const last = blocks[blocks.length - 1];
    if (bullet.test(line)) {
      const item = line.replace(bullet, '');
      if (last?.kind === 'bullets') last.items.push(item);
      else blocks.push({ kind: 'bullets', items: [item] });
    } else if (/^\d{1,2}(?:\.\d{1,2})+\.?\s+\p{Lu}/u.test(line) || /^\d{1,2}\s+\p{Lu}[^.]*$/u.test(line)) {
      blocks.push({ kind: 'heading', text: line, level: line.split(' ')[0]!.split('.').filter(Boolean).length > 1 ? 2 : 1 });
    } else blocks.push({ kind: 'paragraph', text: line });
  }
  return blocks;
}
