import { readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Block, ReviewDocument, Section } from '../services/reviews/document';
import { chartPng } from './charts';
import { chapterOrientation, columnWidths } from './layout';
import { documentHeading, draftNotice, EMPTY_TABLE_TEXT, narrativeParagraphs, titleLines } from './text';

/**
 * The review as a tagged, accessible PDF with the same content as the Word document: title page,
 * table of contents with page numbers, numbered headings, tables whose header row repeats on every
 * page, bullet lists, charts with their alt text, the running header, page numbers and, on a
 * draft, the watermark.
 *
 * PDFKit draws; the layout (line breaks, page breaks, table rows) is done here, so that every
 * piece of content is marked as it is drawn and lands in the structure tree in reading order:
 * Document > Sect per chapter > H1–H3, P, L/LI/Lbl/LBody, Table/Caption/THead/TBody/TR/TH/TD,
 * Figure (with Alt), TOC/TOCI/Link (each link with its Contents). The running header, the footer,
 * the watermark, rules and cell backgrounds are artifacts. The document's language is sv-SE, it
 * declares PDF/UA-1, and its title is shown in the viewer's title bar.
 * The text is set in the Roboto that pdfmake ships (Swedish letters included), read once here:
 * rendering reads no other file and no URL.
 */

const FONT_DIR = path.join(path.dirname(require.resolve('pdfmake/fonts/Roboto')), 'Roboto');
const FONTS = {
  regular: readFileSync(path.join(FONT_DIR, 'Roboto-Regular.ttf')),
  bold: readFileSync(path.join(FONT_DIR, 'Roboto-Medium.ttf')),
  italic: readFileSync(path.join(FONT_DIR, 'Roboto-Italic.ttf')),
} as const;
type FontName = keyof typeof FONTS;

type Orientation = 'portrait' | 'landscape';
const MARGIN = { top: 64, left: 56, right: 56, bottom: 56 } as const;
/** Line height as a multiple of the font size (Roboto's own 1.17, times pdfmake's 1.2 that the PDF had before). */
const LINE = 1.4;
const BODY = { font: 'regular' as FontName, size: 10.5 };
/** Table text is 8.5 pt Roboto: an average character's width, and a cell's padding, in points. */
const TABLE = { size: 8.5, charWidth: 4.8, padX: 4, padY: 3, header: '#dce6f1', rule: '#b0b0b0' } as const;
const HEADINGS = [
  { size: 17, before: 0, after: 10 },
  { size: 14, before: 14, after: 6 },
  { size: 12, before: 10, after: 4 },
] as const;
/** Room a heading keeps below itself on its page, so that it is never the last line of one. */
const KEEP_WITH_NEXT = 3 * BODY.size * LINE;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
interface TextStyle {
  font: FontName;
  size: number;
  color?: string;
}

export async function renderPdf(review: ReviewDocument): Promise<Buffer> {
  // The charts first: rendering them is asynchronous, and the drawing below is not.
  const charts = new Map<Block, Awaited<ReturnType<typeof chartPng>>>();
  for (const block of review.sections.flatMap((s) => s.blocks)) if (block.type === 'chart') charts.set(block, await chartPng(block.spec));

  // Fixed dates make the same snapshot give the same bytes (the file id is derived from them too).
  const when = new Date(review.adoption?.at ?? review.compiledAt);
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'sv-SE',
    displayTitle: true,
    // A buffer, not a name: the standard Helvetica is never loaded.
    font: FONTS.regular as unknown as string,
    info: { Title: review.title, Author: review.organisation.name, Subject: `${review.title}, ${review.organisation.name}`, Creator: 'lisplan', Producer: 'lisplan', CreationDate: when, ModDate: when },
  });
  // PDF/UA-1, declared in the metadata. Not by pdfkit's `subset: 'PDF/UA'`: that numbers the
  // subset 1, which turns on PDF/A-1's CIDSet too, and pdfkit's CIDSet leaves out glyphs its font
  // subsets hold (veraPDF fails the file on ISO 14289-1, 7.21.4.2).
  doc.appendXML('<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about=""><pdfuaid:part>1</pdfuaid:part></rdf:Description>');
  for (const [name, data] of Object.entries(FONTS)) doc.registerFont(name, data);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = new Writer(doc, review.draft, charts);
  const root = doc.struct('Document');
  doc.addStructure(root);

  // Title page.
  w.newPage('portrait');
  w.y = 160 + MARGIN.top;
  titleLines(review).forEach((line, i) => w.text(root, 'P', line, i === 0 ? { font: 'bold', size: 24 } : { font: 'regular', size: 13 }, { after: i === 0 ? 16 : 6 }));
  if (review.draft) w.text(root, 'P', draftNotice(review), { font: 'bold', size: BODY.size, color: '#a00000' }, { before: 24 });

  // The table of contents: its pages are set aside now and written once the headings' pages are known.
  // Each H1 and what follows it up to the next is a Sect, so that a reader can move chapter by chapter.
  const entries = review.sections.filter((s) => s.level <= 2);
  w.newPage('portrait');
  const contents = doc.struct('Sect');
  root.add(contents);
  w.heading(contents, 1, 'Innehåll', false);
  const toc = doc.struct('TOC');
  contents.add(toc);
  const tocLayout = w.layoutToc(entries);
  for (let i = 1; i < tocLayout.pages; i++) w.newPage('portrait');

  // The chapters.
  const headingPages = new Map<Section, number>();
  let orientation: Orientation = 'portrait';
  let chapter: PDFKit.PDFOutline | undefined;
  let sect: Struct | undefined;
  for (const section of review.sections) {
    if (section.level === 1) {
      orientation = chapterOrientation(review, section);
      w.newPage(orientation);
      sect?.end();
      sect = doc.struct('Sect');
      root.add(sect);
    }
    const parent = sect ?? root;
    const title = `${section.number} ${section.title}`;
    w.heading(parent, section.level, title, section.level > 1);
    headingPages.set(section, w.pageIndex);
    if (section.level === 1) chapter = doc.outline.addItem(title, { top: w.headingTop, left: doc.page.width } as never);
    else if (section.level === 2) chapter?.addItem(title, { top: w.headingTop, left: doc.page.width } as never);
    for (const block of section.blocks) w.block(parent, block);
  }
  sect?.end();

  w.writeToc(toc, tocLayout, (i) => headingPages.get(entries[i]!)!);
  toc.end();
  contents.end();
  w.pageFurniture(documentHeading(review));
  root.end();
  doc.end();
  return ended;
}

/** Where the entries of the table of contents go, and how many pages they take. */
interface TocLayout {
  pages: number;
  /** Per entry: its page offset from the first contents page, its top and its lines. */
  items: { page: number; y: number; lines: string[]; indent: number }[];
}

class Writer {
  y: number = MARGIN.top;
  /** The top of the last heading drawn, for the bookmarks. */
  headingTop: number = MARGIN.top;
  private orientation: Orientation = 'portrait';
  private tocStart = 0;

  constructor(
    private readonly doc: Doc,
    private readonly draft: boolean,
    private readonly charts: Map<Block, { png: Buffer; width: number; height: number }>,
  ) {}

  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }
  private get left(): number {
    return MARGIN.left;
  }
  private get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }
  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  newPage(orientation: Orientation): void {
    this.orientation = orientation;
    this.doc.addPage({ size: 'A4', layout: orientation, margins: MARGIN });
    this.y = MARGIN.top;
  }

  /** A new page unless `height` more fits on this one (a fresh page takes what it gets). */
  private room(height: number): boolean {
    if (this.y + height <= this.bottom || this.y === MARGIN.top) return false;
    this.newPage(this.orientation);
    return true;
  }

  private style: TextStyle = BODY;
  private use(style: TextStyle): number {
    this.style = style;
    this.doc.font(style.font).fontSize(style.size).fillColor(style.color ?? '#000000');
    return style.size * LINE;
  }

  /** Words' widths per font and size: measuring shapes the text, which is slow, and a review repeats its words. */
  private readonly widths = new Map<string, number>();
  private measure(text: string): number {
    const key = `${this.style.font}\u0000${this.style.size}\u0000${text}`;
    let width = this.widths.get(key);
    if (width === undefined) this.widths.set(key, (width = this.doc.widthOfString(text)));
    return width;
  }

  /**
   * Lines of `text` in `width` at the current font: broken at spaces, a word wider than the line
   * broken after a "/" or where it must. A line that ends between words keeps a space at its
   * end, so that the text a screen reader or a copy gets back has its words apart ("ytterligare
   * under", not "ytterligareunder").
   */
  private wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    const space = this.measure(' ');
    for (const paragraph of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').split('\n')) {
      let line = '';
      let used = 0;
      for (const word of paragraph.split(/ +/)) {
        const w = this.measure(word);
        if (line && used + space + w <= width) {
          line = `${line} ${word}`;
          used += space + w;
          continue;
        }
        if (!line && w <= width) {
          line = word;
          used = w;
          continue;
        }
        if (line) lines.push(`${line} `);
        line = word;
        used = w;
        // A word wider than the line is broken after a "/" that fits ("Kostnad/|resurs"), else where it must.
        while (used > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && this.doc.widthOfString(line.slice(0, cut)) > width) cut--;
          const slash = line.lastIndexOf('/', cut - 1);
          if (slash > 0) cut = slash + 1;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
          used = this.measure(line);
        }
      }
      lines.push(`${line} `);
    }
    // Nothing follows the last line.
    lines[lines.length - 1] = lines.at(-1)!.trimEnd();
    return lines;
  }

  /** One marked piece of a structure element per page it runs over. */
  private marked<T>(element: Struct, tag: string, draw: () => T): T {
    const content = this.doc.markStructureContent(tag);
    const result = draw();
    this.doc.endMarkedContent();
    element.add(content);
    return result;
  }

  private artifact(type: 'Layout' | 'Pagination', draw: () => void): void {
    this.doc.markContent('Artifact', { type });
    this.doc.save();
    draw();
    this.doc.restore();
    this.doc.endMarkedContent();
  }

  /** Lines of text as one structure element, continued on the next page when the page is full. */
  text(parent: Struct, tag: string, text: string, style: TextStyle, space: { before?: number; after?: number; indent?: number } = {}): Struct {
    const element = this.doc.struct(tag);
    parent.add(element);
    this.lines(element, tag, this.wrapIn(text, style, space.indent ?? 0), style, space);
    element.end();
    return element;
  }

  private wrapIn(text: string, style: TextStyle, indent: number): string[] {
    this.use(style);
    return this.wrap(text, this.width - indent);
  }

  private lines(element: Struct, tag: string, lines: string[], style: TextStyle, space: { before?: number; after?: number; indent?: number }): void {
    const height = this.use(style);
    if (this.y > MARGIN.top) this.y += space.before ?? 0;
    this.room(height);
    let i = 0;
    while (i < lines.length) {
      this.marked(element, tag, () => {
        this.use(style);
        for (; i < lines.length && (this.y + height <= this.bottom || this.y === MARGIN.top); i++, this.y += height) {
          this.doc.text(lines[i]!, this.left + (space.indent ?? 0), this.y, { lineBreak: false });
        }
      });
      if (i < lines.length) this.newPage(this.orientation);
    }
    this.y += space.after ?? 0;
  }

  heading(parent: Struct, level: 1 | 2 | 3, title: string, keepWithNext: boolean): void {
    const spec = HEADINGS[level - 1]!;
    const style: TextStyle = { font: 'bold', size: spec.size };
    const lines = this.wrapIn(title, style, 0);
    if (this.y > MARGIN.top) this.y += spec.before;
    if (keepWithNext) this.room(lines.length * spec.size * LINE + KEEP_WITH_NEXT);
    this.headingTop = this.y;
    const element = this.doc.struct(`H${level}`);
    parent.add(element);
    this.lines(element, `H${level}`, lines, style, { after: spec.after });
    element.end();
  }

  block(parent: Struct, block: Block): void {
    switch (block.type) {
      case 'paragraph':
        this.text(parent, 'P', block.text, BODY, { after: 6 });
        return;
      case 'narrative':
        for (const p of narrativeParagraphs(block.text, this.draft)) this.text(parent, 'P', p.text, p.placeholder ? { font: 'italic', size: BODY.size, color: '#666666' } : BODY, { after: 6 });
        return;
      case 'bullets':
        this.bullets(parent, block.items);
        return;
      case 'table':
        this.table(parent, block);
        return;
      case 'chart':
        this.chart(parent, block);
        return;
    }
  }

  private bullets(parent: Struct, items: string[]): void {
    const list = this.doc.struct('L');
    parent.add(list);
    const indent = 14;
    for (const item of items) {
      const li = this.doc.struct('LI');
      list.add(li);
      const lines = this.wrapIn(item, BODY, indent);
      const height = BODY.size * LINE;
      this.room(height);
      const label = this.doc.struct('Lbl');
      li.add(label);
      this.marked(label, 'Lbl', () => this.doc.circle(this.left + 5, this.y + BODY.size * 0.55, 1.9).fill('#000000'));
      label.end();
      const body = this.doc.struct('LBody');
      li.add(body);
      this.lines(body, 'LBody', lines, BODY, { indent });
      body.end();
      li.end();
    }
    list.end();
    this.y += 6;
  }

  private table(parent: Struct, block: Extract<Block, { type: 'table' }>): void {
    const doc = this.doc;
    const n = block.columns.length;
    // Widths for the content, so that every column stays on the page and a label is never split:
    // each word measured as set, in the header's bold, the wider of the two.
    this.use({ font: 'bold', size: TABLE.size });
    const widths = columnWidths(block.columns, block.rows, this.width - 2 * TABLE.padX * n, TABLE.charWidth, (word) => this.measure(word)).map((c) => c + 2 * TABLE.padX);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const total = widths.reduce((a, b) => a + b, 0);
    const line = TABLE.size * LINE;
    const cellLines = (cells: string[], font: FontName, span = false) => {
      this.use({ font, size: TABLE.size });
      return cells.map((c, i) => this.wrap(c, (span ? total : widths[i]!) - 2 * TABLE.padX));
    };
    const head = cellLines(block.columns, 'bold');
    const headHeight = Math.max(...head.map((l) => l.length)) * line + 2 * TABLE.padY;
    const body = block.rows.length ? block.rows.map((r) => ({ lines: cellLines(block.columns.map((_, i) => r[i] ?? ''), 'regular'), span: false })) : [{ lines: cellLines([EMPTY_TABLE_TEXT], 'regular', true), span: true }];
    const rowHeight = (lines: string[][]) => Math.max(...lines.map((l) => l.length)) * line + 2 * TABLE.padY;

    const table = doc.struct('Table');
    parent.add(table);
    // The caption stays with the header row and the first row.
    const captionStyle: TextStyle = { font: 'bold', size: BODY.size };
    const caption = this.wrapIn(block.caption, captionStyle, 0);
    this.y += 8;
    this.room(caption.length * BODY.size * LINE + 4 + headHeight + Math.min(rowHeight(body[0]!.lines), 4 * line));
    const captionElement = doc.struct('Caption');
    table.add(captionElement);
    this.lines(captionElement, 'Caption', caption, captionStyle, { after: 4 });
    captionElement.end();

    /** Draws `count` lines of a row from line `from` of each cell: into its cells' structure, or as a repeated header, an artifact. */
    const drawRow = (lines: string[][], from: number[], count: number, font: FontName, cells: Struct[] | undefined, span: boolean) => {
      const height = count * line + 2 * TABLE.padY;
      const top = this.y;
      if (font === 'bold') this.artifact('Layout', () => doc.rect(this.left, top, total, height).fill(TABLE.header));
      lines.forEach((cellText, i) => {
        const shown = cellText.slice(from[i], from[i]! + count);
        if (!shown.length) return;
        const draw = () => {
          this.use({ font, size: TABLE.size });
          shown.forEach((l, k) => doc.text(l, xs[i]! + TABLE.padX, top + TABLE.padY + k * line, { lineBreak: false }));
        };
        if (cells) this.marked(cells[i]!, span ? 'TD' : font === 'bold' ? 'TH' : 'TD', draw);
        else this.artifact('Pagination', draw);
      });
      this.artifact('Layout', () => doc.moveTo(this.left, top + height).lineTo(this.left + total, top + height).lineWidth(font === 'bold' ? 1 : 0.5).stroke(font === 'bold' ? '#000000' : TABLE.rule));
      this.y = top + height;
    };
    // The header row on a new page repeats what is already in the structure.
    const header = (cells?: Struct[]) => drawRow(head, head.map(() => 0), Math.max(...head.map((l) => l.length)), 'bold', cells, false);

    const thead = doc.struct('THead');
    table.add(thead);
    const headRow = doc.struct('TR');
    thead.add(headRow);
    const ths = block.columns.map(() => doc.struct('TH', { scope: 'Column' } as never));
    ths.forEach((th) => headRow.add(th));
    header(ths);
    ths.forEach((th) => th.end());
    headRow.end();
    thead.end();

    const tbody = doc.struct('TBody');
    table.add(tbody);
    for (const row of body) {
      const tr = doc.struct('TR');
      tbody.add(tr);
      const tds = row.lines.map(() => doc.struct('TD'));
      if (row.span) (tds[0] as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = { O: 'Table', ColSpan: n };
      tds.forEach((td) => tr.add(td));
      const needed = row.lines.map((l) => l.length);
      const from = row.lines.map(() => 0);
      const full = this.doc.page.height - MARGIN.bottom - MARGIN.top - headHeight;
      // A row stays whole on one page unless it is longer than a page.
      if (this.y + rowHeight(row.lines) > this.bottom && rowHeight(row.lines) <= full) {
        this.newPage(this.orientation);
        header();
      }
      while (needed.some((k, i) => from[i]! < k)) {
        const fits = Math.floor((this.bottom - this.y - 2 * TABLE.padY) / line);
        if (fits < 1) {
          this.newPage(this.orientation);
          header();
          continue;
        }
        const count = Math.min(fits, Math.max(...needed.map((k, i) => k - from[i]!)));
        drawRow(row.lines, from, count, 'regular', tds, row.span);
        from.forEach((f, i) => (from[i] = f + count));
      }
      tds.forEach((td) => td.end());
      tr.end();
    }
    tbody.end();
    table.end();
    this.y += 10;
  }

  private chart(parent: Struct, block: Extract<Block, { type: 'chart' }>): void {
    const { png, width, height } = this.charts.get(block)!;
    let shown = Math.min(width, 440, this.width);
    const full = this.doc.page.height - MARGIN.top - MARGIN.bottom - 16;
    if ((height * shown) / width > full) shown = (width * full) / height;
    const h = (height * shown) / width;
    this.y += 6;
    this.room(h);
    const x = this.left + (this.width - shown) / 2;
    const figure = this.doc.struct('Figure', { alt: block.alt, bbox: [x, this.y, x + shown, this.y + h], placement: 'Block' } as never);
    parent.add(figure);
    this.marked(figure, 'Figure', () => this.doc.image(png, x, this.y, { width: shown, height: h }));
    figure.end();
    this.y += h + 10;
  }

  /** Where each contents entry goes, from the line after the "Innehåll" heading on. */
  layoutToc(entries: Section[]): TocLayout {
    this.tocStart = this.pageIndex;
    const height = BODY.size * LINE;
    const items: TocLayout['items'] = [];
    let page = 0;
    let y = this.y;
    for (const s of entries) {
      const indent = (s.level - 1) * 12;
      const lines = this.wrapIn(`${s.number} ${s.title}`, BODY, indent + 40);
      if (y + lines.length * height > this.bottom) {
        page++;
        y = MARGIN.top;
      }
      items.push({ page, y, lines, indent });
      y += lines.length * height + 2;
    }
    return { pages: page + 1, items };
  }

  writeToc(toc: Struct, layout: TocLayout, pageOf: (entry: number) => number): void {
    const doc = this.doc;
    const height = BODY.size * LINE;
    layout.items.forEach((item, i) => {
      doc.switchToPage(this.tocStart + item.page);
      const target = pageOf(i);
      // The page number after a space, so that the entry reads "1 Sammanfattning 3".
      const number = ` ${target + 1}`;
      const link = doc.struct('Link');
      this.marked(link, 'Link', () => {
        this.use(BODY);
        item.lines.forEach((l, k) => doc.text(l, this.left + item.indent, item.y + k * height, { lineBreak: false }));
        const last = item.y + (item.lines.length - 1) * height;
        doc.text(number, this.left + this.width - doc.widthOfString(number), last, { lineBreak: false });
      });
      // A page index links to that page; the link says where it leads, for a screen reader.
      const description = `${item.lines.join('').trim()}, sidan ${target + 1}`;
      doc.link(this.left, item.y, this.width, item.lines.length * height, target as unknown as string, { structParent: link, Contents: new String(description) } as never);
      link.end();
      toc.add(doc.struct('TOCI', {}, [link]));
    });
  }

  /** The running header, "Sida N (M)" and a draft's watermark on every page, as artifacts. */
  pageFurniture(heading: string): void {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const { width, height } = doc.page;
      this.artifact('Pagination', () => {
        this.use({ font: 'regular', size: 8, color: '#555555' });
        const lines = this.wrap(heading, width - MARGIN.left - MARGIN.right);
        lines.forEach((l, k) => doc.text(l, width - MARGIN.right - doc.widthOfString(l.trimEnd()), 28 + k * 8 * LINE, { lineBreak: false }));
        this.use({ font: 'regular', size: 9 });
        const footer = `Sida ${i + 1} (${count})`;
        doc.text(footer, (width - doc.widthOfString(footer)) / 2, height - MARGIN.bottom + 20, { lineBreak: false });
      });
      if (this.draft) {
        this.artifact('Pagination', () => {
          const size = Math.min(width, height) / 4;
          doc.font('bold').fontSize(size).fillColor('#000000').fillOpacity(0.08);
          const text = 'UTKAST';
          const angle = (Math.atan2(height, width) * 180) / Math.PI;
          doc.rotate(-angle, { origin: [width / 2, height / 2] });
          doc.text(text, (width - doc.widthOfString(text)) / 2, height / 2 - size * 0.6, { lineBreak: false });
        });
      }
    }
  }
}
