import {
  AlignmentType,
  BookmarkEnd,
  BookmarkStart,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  LevelFormat,
  LeaderType,
  Packer,
  PageNumber,
  PageOrientation,
  PageReference,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type FileChild,
  type ISectionOptions,
  type ParagraphChild,
} from 'docx';
import { TextWatermark } from 'docx/watermarks';
import type { Block, ReviewDocument, Section } from '../services/reviews/document';
import { chartPng } from './charts';
import PDFDocument from 'pdfkit';
import { chapterOrientation, columnWidths, wholeWordsFit, type TextWidth } from './layout';
import { documentHeading, draftNotice, EMPTY_TABLE_TEXT, narrativeParagraphs, titleLines } from './text';

/**
 * The review as a Word document, the format the city files: real headings (so Word's table of
 * contents works), tables, charts as images, page numbers, and a header with the organisation,
 * year and diary number. A draft carries a watermark on every page.
 */

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
const FONT = 'Calibri';
/** A4 in twips, with 2.5 cm margins: the width a table has on a portrait and a landscape page. */
const A4 = { short: 11906, long: 16838, margin: 1418 };
const TEXT_WIDTH = { portrait: A4.short - 2 * A4.margin, landscape: A4.long - 2 * A4.margin } as const;
/** A character's width in twips at a text size in half-points, for the widest of the fonts a reader may have (DejaVu Sans for Calibri): the cell's padding. */
const charWidth = (size: number) => size * 7;
/**
 * A word's width in twips at a text size in half-points, measured in Helvetica Bold (pdfkit's
 * built-in metrics) and widened by 1.35: DejaVu Sans, which LibreOffice uses for Calibri where
 * Carlito is missing, is up to 1.23× as wide in bold, and at 1.25 LibreOffice still split a
 * "Prioritet" header. Counting characters at 0.7 em split "informationssäkerhetso|mrådet" in
 * the eight-column plan although the column had room.
 */
const wordWidth = (size: number): TextWidth => (word) => helveticaBoldAt1pt().widthOfString(word) * (size / 2) * 20 * 1.35;
let measuring: PDFKit.PDFDocument | undefined;
const helveticaBoldAt1pt = () => (measuring ??= new PDFDocument({ autoFirstPage: false }).font('Helvetica-Bold').fontSize(1));
/** Table text in half-points: 9 pt, 8 pt in a table of six or more columns (the MSB plan has eight), and 7 pt when their longest words do not all fit at 8. */
function tableTextSize(columns: string[], rows: string[][], width: number): number {
  if (columns.length < 6) return 18;
  return wholeWordsFit(columns, rows, width, charWidth(16), wordWidth(16)) ? 16 : 14;
}

/**
 * A heading's bookmark, which its contents entry links to and takes its page from: hidden (the
 * leading underscore, as Word's own "_Toc" bookmarks) and numbered after the section, so that the
 * same snapshot gives the same document (the library's bookmark ids come from a process-wide counter).
 */
const bookmarkName = (section: Section) => `_Toc${section.number.replace(/\./g, '_')}`;

export async function renderDocx(doc: ReviewDocument): Promise<Buffer> {
  const front: FileChild[] = [
    ...titleLines(doc).map((line, i) => new Paragraph({ heading: i === 0 ? HeadingLevel.TITLE : undefined, children: [new TextRun({ text: line, size: i === 0 ? undefined : 24 })] })),
    ...(doc.draft ? [new Paragraph({ children: [new TextRun({ text: draftNotice(doc), bold: true, color: 'A00000' })] })] : []),
    // Not a heading: the table of contents would list itself.
    new Paragraph({ pageBreakBefore: true, spacing: { after: 200 }, children: [new TextRun({ text: 'Innehåll', bold: true, size: 32 })] }),
    // Each entry links to its heading's bookmark and takes its page from a PAGEREF field, not
    // from a TOC field: LibreOffice keeps a TOC field's result as the text it was saved with (and
    // rebuilds it only when asked), but lays out a PAGEREF as the page the bookmark is on. Word
    // fills the PAGEREFs in when it updates the fields on opening (updateFields below) and when it
    // prints. The document is generated from the review, not kept up in Word, so Word's own
    // "update table" is not missed.
    ...doc.sections
      .filter((s) => s.level <= 2)
      .map(
        (s) =>
          new Paragraph({
            style: `TOC${s.level}`,
            tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH.portrait, leader: LeaderType.DOT }],
            children: [new InternalHyperlink({ anchor: bookmarkName(s), children: [new TextRun({ children: [`${s.number} ${s.title}`, new Tab()] }), new PageReference(bookmarkName(s))] })],
          }),
      ),
  ];
  // Drawing ids numbered per document: the library's default counter runs across documents.
  let drawings = 0;
  const nextDrawingId = () => String(++drawings);

  const header = new Header({
    children: [
      new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: documentHeading(doc), size: 18, color: '555555' })] }),
      ...(doc.draft ? [new Paragraph({ children: [new TextWatermark({ text: 'UTKAST', color: 'C0C0C0', opacity: 0.4 })] })] : []),
    ],
  });
  const footer = new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['Sida ', PageNumber.CURRENT, ' (', PageNumber.TOTAL_PAGES, ')'], size: 18 })] })],
  });
  // One Word section per run of chapters with the same orientation: wide tables get landscape pages, as in the PDF.
  const sections: { orientation: 'portrait' | 'landscape'; children: FileChild[] }[] = [{ orientation: 'portrait', children: front }];
  for (const section of doc.sections) {
    let current = sections.at(-1)!;
    const orientation = section.level === 1 ? chapterOrientation(doc, section) : current.orientation;
    const newSection = section.level === 1 && orientation !== current.orientation;
    if (newSection) sections.push((current = { orientation, children: [] }));
    const id = doc.sections.indexOf(section) + 1;
    current.children.push(
      new Paragraph({
        heading: HEADINGS[section.level - 1],
        pageBreakBefore: section.level === 1 && !newSection,
        // The bookmark's markers written directly, with an id of this document's own: the library
        // writes them into the paragraph as they are, though its types list only its Bookmark.
        children: [new BookmarkStart(bookmarkName(section), id), new TextRun(`${section.number} ${section.title}`), new BookmarkEnd(id)] as unknown as ParagraphChild[],
      }),
    );
    for (const block of section.blocks) current.children.push(...(await renderBlock(block, doc.draft, nextDrawingId, TEXT_WIDTH[orientation])));
  }

  const document = new Document({
    title: doc.title,
    creator: 'lisplan',
    description: `${doc.title}, ${doc.organisation.name}`,
    features: { updateFields: true },
    // Swedish throughout: spelling, hyphenation and a screen reader's voice follow the language.
    styles: { default: { document: { run: { font: FONT, size: 22, language: { value: 'sv-SE' } } } } },
    numbering: { config: [{ reference: 'punkter', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 360, hanging: 260 } } } }] }] },
    sections: sections.map(
      (s): ISectionOptions => ({
        properties: { page: { size: { width: A4.short, height: A4.long, orientation: s.orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT }, margin: { top: A4.margin, bottom: A4.margin, left: A4.margin, right: A4.margin } } },
        headers: { default: header },
        footers: { default: footer },
        children: s.children,
      }),
    ),
  });
  return Packer.toBuffer(document);
}

async function renderBlock(block: Block, draft: boolean, nextDrawingId: () => string, width: number): Promise<FileChild[]> {
  switch (block.type) {
    case 'paragraph':
      return [new Paragraph({ spacing: { after: 120 }, children: [new TextRun(block.text)] })];
    case 'narrative':
      return narrativeParagraphs(block.text, draft).map((p) => new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: p.text, italics: p.placeholder, color: p.placeholder ? '777777' : undefined })] }));
    case 'bullets':
      return block.items.map((item) => new Paragraph({ numbering: { reference: 'punkter', level: 0 }, children: [new TextRun(item)] }));
    case 'table': {
      const size = tableTextSize(block.columns, block.rows, width);
      return [
        new Paragraph({ keepNext: true, spacing: { before: 120 }, children: [new TextRun({ text: block.caption, bold: true })] }),
        new Table({
          width: { size: width, type: WidthType.DXA },
          // Fixed widths set for the content: a word processor's equal columns split long words.
          layout: TableLayoutType.FIXED,
          columnWidths: columnWidths(block.columns, block.rows, width, charWidth(size), wordWidth(size)),
          rows: [
            new TableRow({ tableHeader: true, children: block.columns.map((c) => cell(c, true, size)) }),
            ...(block.rows.length ? block.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(c, false, size)) })) : [new TableRow({ children: [cell(EMPTY_TABLE_TEXT, false, size, block.columns.length)] })]),
          ],
        }),
        new Paragraph({ children: [] }),
      ];
    }
    case 'chart': {
      const { png, width, height } = await chartPng(block.spec);
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new ImageRun({ type: 'png', data: png, transformation: { width, height }, altText: { id: nextDrawingId(), title: block.title, description: block.alt, name: block.id } })],
        }),
      ];
    }
  }
}

function cell(text: string, head: boolean, size: number, columnSpan?: number): TableCell {
  return new TableCell({
    columnSpan,
    shading: head ? { fill: 'DCE6F1' } : undefined,
    // A line break in a cell is a paragraph of its own in Word.
    children: text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: head, size })] })),
  });
}
