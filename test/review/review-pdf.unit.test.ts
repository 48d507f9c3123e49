import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderPdf } from '../../src/reports/pdf';
import { barChart } from '../../src/services/reviews/chart-specs';
import type { ReviewDocument } from '../../src/services/reviews/document';

/**
 * The review PDF as a screen reader gets it: tagged, in Swedish, with a structure tree that holds
 * every heading, paragraph, list, table and chart in reading order and none of the page furniture.
 * Read back with poppler (`pdfinfo -struct-text`, `pdftotext`), which `make test` installs anyway.
 */

jest.setTimeout(120_000);
const run = promisify(execFile);

const ROWS = 70;
const chart = {
  type: 'chart' as const,
  id: 'kpi-incidenter',
  title: 'Antal incidenter',
  alt: 'Antal incidenter: 2025 13, 2026 9 – färre än året före.',
  spec: barChart('Antal incidenter', [{ label: '2025', value: 13 }, { label: '2026', value: 9 }], 'st'),
};
/** The plan in the MSB handlingsplan's columns: two narrow headers with a "/", and a long compound in running text. */
const plan = {
  type: 'table' as const,
  caption: 'Handlingsplan 2027',
  columns: ['Aktivitet', 'Mål/syfte', 'Åtgärd', 'Prioritet', 'Kostnad/resurs', 'Ansvarig', 'Start', 'Slut'],
  rows: [
    ['Informationssäkerhetssamordnare stöttar efter behov objektledarna avseende hur de kan utföra dessa arbetsuppgifter.', '–', 'Genomför aktiviteten', 'medel', '–', 'Informationssäkerhetssamordnare', '2027-01-01', '2027-12-31'],
    ['Bibehålla och utveckla kompetensförsörjningen inom förvaltningen.', '–', 'Generell utbildning i informationssäkerhet; Riktad utbildning för identifierade målgrupper', 'hög', '–', 'Förvaltningschef', '2027-02-01', '2027-06-30'],
  ],
};
/** A draft with every kind of block, a table long enough to run over a page, and a landscape chapter. */
const review: ReviewDocument = {
  title: 'Ledningens genomgång 2026',
  organisation: { id: 'testforvaltningen', name: 'Testförvaltningen' },
  year: 2026,
  version: 1,
  diaryNumber: 'TF 2026/17',
  status: 'draft',
  draft: true,
  compiledAt: '2026-11-15T09:00:00.000Z',
  sections: [
    {
      id: 'sammanfattning',
      level: 1,
      number: '1',
      title: 'Sammanfattning',
      blocks: [
        { type: 'paragraph', text: 'Planen för 2026 omfattade 70 aktiviteter; åtgärderna följs upp löpande av informationssäkerhetssamordnaren tillsammans med förvaltningens objektledare och it-samordnare.' },
        { type: 'narrative', sectionId: 'sammanfattning', text: 'Första stycket om året.\n\nAndra stycket: det gick väl.' },
        { type: 'narrative', sectionId: 'sammanfattning-tom', text: '' },
        { type: 'bullets', items: ['Riskanalysen är genomförd.', 'Öppna avvikelser: två.'] },
      ],
    },
    {
      id: 'uppfoljning',
      level: 1,
      number: '2',
      title: 'Uppföljning av föregående års åtgärder',
      blocks: [
        {
          type: 'table',
          caption: 'Aktiviteter 2026',
          columns: ['Aktivitet', 'Ansvarig', 'Mål', 'Status', 'Kommentar'],
          rows: Array.from({ length: ROWS }, (_, i) => [`Aktivitet nummer ${i + 1} i planen`, 'Informationssäkerhetssamordnare', 'Ökad säkerhet', i % 2 ? 'Genomförd' : 'Pågår', 'Inget att tillägga.']),
        },
        plan,
      ],
    },
    { id: 'omrade', level: 2, number: '2.1', title: 'Område för åtgärder', blocks: [] },
    { id: 'omrade-laget', level: 3, number: '2.1.1', title: 'Läget 2026', blocks: [{ type: 'paragraph', text: 'Läget är gott.' }] },
    {
      id: 'nyckeltal',
      level: 1,
      number: '3',
      title: 'Nyckeltal',
      blocks: [chart, { type: 'table', caption: 'Handlingsplan 2029', columns: ['Aktivitet', 'Slutdatum'], rows: [] }],
    },
  ],
};

interface Node {
  type: string;
  attributes: string[];
  text: string[];
  children: Node[];
}

/** `pdfinfo -struct-text`'s tree: two spaces of indent per level, attributes and text below their element. */
function parseStruct(out: string): Node {
  const root: Node = { type: 'root', attributes: [], text: [], children: [] };
  const stack: { indent: number; node: Node }[] = [{ indent: -2, node: root }];
  for (const raw of out.split('\n')) {
    if (!raw.trim()) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    while (stack.length > 1 && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1)!.node;
    if (line.startsWith('"')) parent.text.push(line.slice(1, -1));
    else if (line.startsWith('/')) parent.attributes.push(line);
    else if (line.startsWith('Object ')) continue;
    else {
      const node: Node = { type: line.split(/[\s:]/)[0]!, attributes: [], text: [], children: [] };
      parent.children.push(node);
      stack.push({ indent, node });
    }
  }
  return root;
}
const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
const textOf = (n: Node): string => [...n.text, ...n.children.map(textOf)].join('');

/** A PDF string as pdfkit writes it: escaped, and in UTF-16 after a byte order mark unless it is ASCII. */
function pdfText(literal: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  const bytes = Buffer.from(literal.replace(/\\([nrtbf()\\])/g, (_, c: string) => escapes[c] ?? c), 'latin1');
  return bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}

/** The Alt entries of the Figure elements, from the file: pdfinfo does not print them. */
function figureAlts(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/S \/Figure\n(?:.*\n)*?\/Alt \(((?:\\.|[^\\)])*)\)/g)].map((m) => pdfText(m[1]!));
}

/** The Contents of the link annotations, in the order they were written: what a screen reader says of each link. */
function linkContents(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/Contents \(((?:\\.|[^\\)])*)\)\n\/Subtype \/Link/g)].map((m) => pdfText(m[1]!));
}

describe('the review PDF', () => {
  let dir: string;
  let pdf: Buffer;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lg-pdf-'));
    pdf = await renderPdf(review);
    file = path.join(dir, 'lg.pdf');
    writeFileSync(file, pdf);
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('is tagged, in Swedish, with its title shown, and the same bytes every time', async () => {
    const { stdout } = await run('pdfinfo', [file]);
    expect(stdout).toMatch(/Tagged:\s+yes/);
    expect(stdout).toMatch(/Title:\s+Ledningens genomgång 2026/);
    expect(stdout).toMatch(/PDF version:\s+1\.7/);
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Lang (sv-SE)');
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw).toMatch(/\/Marked true/);
    // PDF/UA-1 declared in the XMP metadata (veraPDF's PDF/UA-1 profile requires it).
    expect(raw).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
    expect((await renderPdf(review)).equals(pdf)).toBe(true);
  });

  it('has a structure tree with every block in reading order and no page furniture', async () => {
    const { stdout, stderr } = await run('pdfinfo', ['-struct-text', file]);
    expect(stderr).toBe('');
    const tree = parseStruct(stdout);
    expect(tree.children.map((c) => c.type)).toEqual(['Document']);
    const document = tree.children[0]!;
    const nodes = all(document);

    // Headings in order, numbered, with their levels.
    const headings = nodes.filter((n) => /^H[1-3]$/.test(n.type)).map((n) => `${n.type} ${textOf(n)}`);
    expect(headings).toEqual(['H1 Innehåll', 'H1 1 Sammanfattning', 'H1 2 Uppföljning av föregående års åtgärder', 'H2 2.1 Område för åtgärder', 'H3 2.1.1 Läget 2026', 'H1 3 Nyckeltal']);
    // The top level follows the document: the title page, then the contents and each chapter as a
    // section (Sect) of its H1 and everything up to the next one, in reading order.
    expect(document.children.map((c) => c.type)).toEqual(['P', 'P', 'P', 'P', 'P', 'Sect', 'Sect', 'Sect', 'Sect']);
    expect(document.children.filter((c) => c.type === 'Sect').map((sect) => sect.children.map((c) => (c.type === 'H1' ? `H1 ${textOf(c)}` : c.type)))).toEqual([
      ['H1 Innehåll', 'TOC'],
      ['H1 1 Sammanfattning', 'P', 'P', 'P', 'P', 'L'],
      ['H1 2 Uppföljning av föregående års åtgärder', 'Table', 'Table', 'H2', 'H3', 'P'],
      ['H1 3 Nyckeltal', 'Figure', 'Table'],
    ]);
    // Word for word, also where a paragraph runs over two lines.
    expect(nodes.filter((c) => c.type === 'P').map(textOf)).toEqual([
      'Ledningens genomgång 2026',
      'Testförvaltningen',
      'Diarienummer TF 2026/17',
      'Sammanställd den 15 november 2026',
      expect.stringMatching(/^UTKAST – inte antaget\./),
      'Planen för 2026 omfattade 70 aktiviteter; åtgärderna följs upp löpande av informationssäkerhetssamordnaren tillsammans med förvaltningens objektledare och it-samordnare.',
      'Första stycket om året.',
      'Andra stycket: det gick väl.',
      '[Text saknas – skrivs av informationssäkerhetssamordnaren.]',
      'Läget är gott.',
    ]);

    // The list: items with a label and a body.
    const list = nodes.find((c) => c.type === 'L')!;
    expect(list.children.map((li) => [li.type, li.children.map((c) => c.type)])).toEqual([['LI', ['Lbl', 'LBody']], ['LI', ['Lbl', 'LBody']]]);
    expect(list.children.map((li) => textOf(li.children[1]!))).toEqual(['Riskanalysen är genomförd.', 'Öppna avvikelser: två.']);

    // The tables: a caption, one header row of column headers, then the body, once, however many pages it takes.
    const [activities, msb, empty] = nodes.filter((c) => c.type === 'Table');
    expect(activities!.children.map((c) => c.type)).toEqual(['Caption', 'THead', 'TBody']);
    expect(textOf(activities!.children[0]!)).toBe('Aktiviteter 2026');
    const headRows = activities!.children[1]!.children;
    expect(headRows).toHaveLength(1);
    expect(headRows[0]!.children.map((th) => [th.type, th.attributes, textOf(th)])).toEqual(
      ['Aktivitet', 'Ansvarig', 'Mål', 'Status', 'Kommentar'].map((c) => ['TH', ['/Scope /Column'], c]),
    );
    const bodyRows = activities!.children[2]!.children;
    expect(bodyRows).toHaveLength(ROWS);
    expect(bodyRows.every((tr) => tr.type === 'TR' && tr.children.length === 5 && tr.children.every((td) => td.type === 'TD'))).toBe(true);
    expect(bodyRows.at(-1)!.children.map(textOf)).toEqual([`Aktivitet nummer ${ROWS} i planen`, 'Informationssäkerhetssamordnare', 'Ökad säkerhet', 'Genomförd', 'Inget att tillägga.']);
    // A header with a "/" reads whole, wherever its line was broken.
    expect(msb!.children[1]!.children[0]!.children.map(textOf)).toEqual(plan.columns);
    // An empty table says so in one cell across the columns.
    const emptyBody = empty!.children.find((c) => c.type === 'TBody')!;
    expect(emptyBody.children.map((tr) => tr.children.map((td) => [td.type, td.attributes, textOf(td)]))).toEqual([[['TD', ['/ColSpan 2'], 'Inga aktiviteter']]]);

    // The chart is a figure with the chart's alt text.
    expect(nodes.filter((n) => n.type === 'Figure')).toHaveLength(1);
    expect(figureAlts(pdf)).toEqual([chart.alt]);

    // Nothing of the running header, the page numbers or the watermark is in the structure.
    const structText = nodes.map((n) => n.text.join('')).join('\n');
    expect(structText).not.toMatch(/Sida \d+ \(\d+\)|Testförvaltningen · Ledningens/);
    expect(structText.split('\n').filter((t) => t === 'UTKAST')).toEqual([]);
  });

  it('prints the contents with the page of each chapter, and repeats a table header on every page it runs over', async () => {
    const { stdout: tree } = await run('pdfinfo', ['-struct-text', file]);
    const toc = all(parseStruct(tree)).find((n) => n.type === 'TOC')!;
    const entries = toc.children.map((toci) => [toci.type, toci.children.map((c) => c.type).join(), textOf(toci)]);
    const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
    const pages = text.split('\f').slice(0, -1);
    const pageOf = (heading: string) => pages.findIndex((p) => p.split('\n').some((l) => l.trim() === heading)) + 1;
    const expected = ['1 Sammanfattning', '2 Uppföljning av föregående års åtgärder', '2.1 Område för åtgärder', '3 Nyckeltal'].map((h) => ['TOCI', 'Link', `${h} ${pageOf(h)}`]);
    expect(entries).toEqual(expected);
    // Each contents link says where it leads.
    expect(linkContents(pdf)).toEqual(expected.map(([, , entry]) => entry!.replace(/ (\d+)$/, ', sidan $1')));
    expect(pageOf('3 Nyckeltal')).toBeGreaterThan(pageOf('2 Uppföljning av föregående års åtgärder') + 1);
    // The contents page as printed: the title, then the page number at the right.
    expect(pages[1]).toMatch(/^\s*1 Sammanfattning\s{3,}3\s*$/m);

    // Every page: the running header, "Sida N (M)" and the draft's watermark.
    pages.forEach((p, i) => {
      expect(p).toContain('Testförvaltningen · Ledningens genomgång 2026 · Dnr TF 2026/17 · UTKAST');
      expect(p).toContain(`Sida ${i + 1} (${pages.length})`);
    });
    const { stdout: flat } = await run('pdftotext', [file, '-']);
    expect(flat.split('\f').slice(0, -1).every((p) => p.includes('UTKAST\n'))).toBe(true);

    // The table runs over pages, each headed by the column headers; every row is printed once.
    const tablePages = pages.filter((p) => p.includes('Aktivitet nummer'));
    expect(tablePages.length).toBeGreaterThan(1);
    for (const p of tablePages) expect(p).toMatch(/Aktivitet\s+Ansvarig\s+Mål\s+Status\s+Kommentar/);
    for (let i = 1; i <= ROWS; i++) expect(text.match(new RegExp(`Aktivitet nummer ${i} i planen`, 'g'))).toHaveLength(1);
    // The MSB plan's narrow columns: a header breaks after its "/" if at all, and no word of a
    // header or a cell is split mid-word ("Mål/syft e", "Informationssäkerhetssamordnar e").
    const tokens = new Set(text.split(/\s+/));
    const words = [...plan.columns, ...plan.rows.flat()].flatMap((c) => c.split(' '));
    const split = words.filter((w) => !tokens.has(w) && !w.split(/(?<=\/)/).every((piece) => tokens.has(piece)));
    expect(split).toEqual([]);
    // The wide table's chapter is set on landscape pages, the rest on portrait.
    const chapter2 = [pageOf('2 Uppföljning av föregående års åtgärder'), pageOf('3 Nyckeltal') - 1];
    const { stdout: sizes } = await run('pdfinfo', ['-f', '1', '-l', String(pages.length), file]);
    const landscape = [...sizes.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => Number(m[1]) > Number(m[2]));
    pages.forEach((_, i) => expect({ page: i + 1, landscape: landscape[i] }).toEqual({ page: i + 1, landscape: i + 1 >= chapter2[0]! && i + 1 <= chapter2[1]! }));
    expect(tablePages.every((p) => landscape[pages.indexOf(p)])).toBe(true);
    // The chart is an image.
    const { stdout: images } = await run('pdfimages', ['-list', file]);
    expect(images.trim().split('\n').slice(2)).toHaveLength(1);
  });
});
