import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Block, ReviewDocument } from '../services/reviews/document';
import { chartPng } from './charts';
import { chapterOrientation, columnWidths } from './layout';
import { documentHeading, draftNotice, EMPTY_TABLE_TEXT, narrativeParagraphs, titleLines } from './text';

/**
 * The review as PDF with the same content as the Word document: table of contents, numbered
 * headings, tables, charts, page numbers and the running header. pdfmake's own Roboto covers
 * Swedish letters, so no system fonts are needed.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ROBOTO = require('pdfmake/fonts/Roboto') as Parameters<typeof pdfmake.setFonts>[0];
const FONT_DIR = path.dirname(require.resolve('pdfmake/fonts/Roboto'));
pdfmake.setFonts(ROBOTO);
// The document reads nothing but its own fonts: no files elsewhere, no URLs.
const access = pdfmake as unknown as { setUrlAccessPolicy(cb: (url: string) => boolean): void; setLocalAccessPolicy(cb: (file: string) => boolean): void };
access.setUrlAccessPolicy(() => false);
access.setLocalAccessPolicy((file) => path.resolve(file).startsWith(FONT_DIR + path.sep));

const HEADING_STYLES = ['h1', 'h2', 'h3'] as const;
/** A4 in points less the page margins below: the width a table has on each kind of page. */
const TEXT_WIDTH = { portrait: 595.28 - 112, landscape: 841.89 - 112 } as const;
/** Table text is 8.5 pt Roboto: an average character's width, and a cell's padding (lightHorizontalLines), in points. */
const TABLE_CHAR_WIDTH = 4.8;
const TABLE_PADDING = 8;

export async function renderPdf(doc: ReviewDocument): Promise<Buffer> {
  const content: Content[] = [
    ...titleLines(doc).map((line, i): Content => ({ text: line, style: i === 0 ? 'title' : 'subtitle' })),
    ...(doc.draft ? [{ text: draftNotice(doc), style: 'draft' } as Content] : []),
    { toc: { title: { text: 'Innehåll', style: 'h1' } }, pageBreak: 'before' },
  ];
  let orientation: 'portrait' | 'landscape' = 'portrait';
  for (const section of doc.sections) {
    if (section.level === 1) orientation = chapterOrientation(doc, section);
    content.push({
      text: `${section.number} ${section.title}`,
      style: HEADING_STYLES[section.level - 1],
      // The table of contents lists chapters and areas; the areas' four parts would double its length.
      tocItem: section.level <= 2,
      tocMargin: [(section.level - 1) * 12, 0, 0, 0],
      ...(section.level === 1 ? { pageBreak: 'before' as const, pageOrientation: orientation } : {}),
    });
    for (const block of section.blocks) content.push(...(await renderBlock(block, doc.draft, TEXT_WIDTH[orientation])));
  }

  // Fixed dates make the same snapshot give the same bytes.
  const when = new Date(doc.adoption?.at ?? doc.compiledAt);
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    // The document's language and title for a reader's tools. Not `tagged`: pdfmake 0.3 would set
    // the flag (pdfinfo "Tagged: yes") over an empty structure tree, a claim the content does not keep.
    language: 'sv-SE',
    displayTitle: true,
    pageMargins: [56, 64, 56, 56],
    info: { title: doc.title, author: doc.organisation.name, creator: 'lisplan', producer: 'lisplan', creationDate: when, modDate: when },
    ...(doc.draft ? { watermark: { text: 'UTKAST', opacity: 0.08, bold: true } } : {}),
    header: { text: documentHeading(doc), alignment: 'right', fontSize: 8, color: '#555555', margin: [56, 28, 56, 0] },
    footer: (page: number, pages: number) => ({ text: `Sida ${page} (${pages})`, alignment: 'center', fontSize: 9, margin: [0, 20, 0, 0] }),
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 24, bold: true, margin: [0, 160, 0, 16] },
      subtitle: { fontSize: 13, margin: [0, 0, 0, 6] },
      draft: { bold: true, color: '#a00000', margin: [0, 24, 0, 0] },
      h1: { fontSize: 17, bold: true, margin: [0, 0, 0, 10] },
      h2: { fontSize: 14, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] },
      caption: { bold: true, margin: [0, 8, 0, 4] },
      placeholder: { italics: true, color: '#666666' },
      th: { bold: true, fillColor: '#dce6f1' },
    },
  };
  return pdfmake.createPdf(definition).getBuffer();
}

async function renderBlock(block: Block, draft: boolean, width: number): Promise<Content[]> {
  switch (block.type) {
    case 'paragraph':
      return [{ text: block.text, margin: [0, 0, 0, 6] }];
    case 'narrative':
      return narrativeParagraphs(block.text, draft).map((p): Content => ({ text: p.text, margin: [0, 0, 0, 6], ...(p.placeholder ? { style: 'placeholder' } : {}) }));
    case 'bullets':
      return [{ ul: block.items, margin: [0, 0, 0, 6] }];
    case 'table':
      return [
        { text: block.caption, style: 'caption' },
        {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            // Widths for the content, so that every column stays on the page and a label is never split.
            widths: columnWidths(block.columns, block.rows, width - TABLE_PADDING * block.columns.length, TABLE_CHAR_WIDTH),
            body: [
              block.columns.map((c) => ({ text: c, style: 'th' })),
              ...(block.rows.length ? block.rows.map((r) => r.map((c) => ({ text: c }))) : [[{ text: EMPTY_TABLE_TEXT, colSpan: block.columns.length }, ...block.columns.slice(1).map(() => ({ text: '' }))]]),
            ],
          },
          layout: 'lightHorizontalLines',
          fontSize: 8.5,
          margin: [0, 0, 0, 10],
        },
      ];
    case 'chart': {
      const { png, width } = await chartPng(block.spec);
      return [{ image: `data:image/png;base64,${png.toString('base64')}`, width: Math.min(width, 440), alignment: 'center', margin: [0, 6, 0, 10] }];
    }
  }
}
