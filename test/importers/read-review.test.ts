import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OperatorError } from '../../src/platform/errors';
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph } from 'docx';
import { normaliseText, readReviewFile, UnsupportedFormatError } from '../../src/services/plans/import/read-review';
import { extractPlan } from '../../src/services/plans/import/review-text';

const fixtures = path.resolve(__dirname, '../fixtures/reports');

describe('readReviewFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lisplan-read-review-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: Buffer | string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('reads .txt as UTF-8 without the byte-order mark, with LF line ends', async () => {
    const file = write('bom-crlf.txt', Buffer.from('\uFEFFRad ett\r\nRad två med åäö\rRad tre\r\n', 'utf8'));
    await expect(readReviewFile(file)).resolves.toBe('Rad ett\nRad två med åäö\nRad tre\n');
  });

  it('reads a Word export with BOM and CRLF (kulturforvaltningen.txt) to the same plan as its text', async () => {
    const file = path.join(fixtures, 'kulturforvaltningen.txt');
    const text = await readReviewFile(file);
    expect(text).not.toMatch(/\r|^\uFEFF/u);
    expect(extractPlan(text)).toEqual(extractPlan(readFileSync(file, 'utf8')));
  });

  it('reads UTF-16 with a byte-order mark (Notepad "Unicode")', async () => {
    const file = write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Aktiviteter 2026\r\n• Första.', 'utf16le')]));
    await expect(readReviewFile(file)).resolves.toBe('Aktiviteter 2026\n• Första.');
  });

  it('rejects a .txt that is not UTF-8 with a one-line message', async () => {
    const file = write('latin1.txt', Buffer.from('Förbättringsaktiviteter under 2026', 'latin1'));
    const err = await readReviewFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect((err as Error).message).toMatch(/is not UTF-8 text/u);
    expect((err as Error).message).not.toContain('\n');
  });

  // In Word a bullet is list formatting, not a character: the documents below carry none in their text.
  it.each(['000_141bc22e8b1aaff0.txt', '002_c427e757c3233196.txt'])('reads a real Word document with Word bullet lists (%s): the same plan as its text export', async (seedFile) => {
    const seed = readFileSync(path.join(__dirname, '../../../shared/seeds', seedFile), 'utf8');
    const bullet = /^\s*[•▪\uF0B7]\s*/u;
    const paragraphs = seed.split('\n').map((line) => (bullet.test(line) ? new Paragraph({ text: line.replace(bullet, ''), bullet: { level: 0 } }) : new Paragraph(line)));
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] }));
    expect(paragraphs.filter((p, i) => bullet.test(seed.split('\n')[i]!)).length).toBeGreaterThan(10);
    const fromWord = extractPlan(await readReviewFile(write(`LG ${seedFile}.docx`, docx)));
    expect(fromWord.activities.length).toBeGreaterThan(10);
    expect(fromWord).toEqual(extractPlan(normaliseText(seed)));
  });

  it('reads an unseen Word report with headings, bullet and numbered lists, and prose that is not a plan item', async () => {
    const numbered = { reference: 'numrerad', level: 0 };
    const docx = await Packer.toBuffer(
      new Document({
        numbering: { config: [{ reference: 'numrerad', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
        sections: [
          {
            children: [
              new Paragraph({ text: '2 Uppföljning', heading: HeadingLevel.HEADING_1 }),
              new Paragraph('Förvaltningen har 4 informationssäkerhetssamordnare och 21 incidenter rapporterades under 2025.'),
              new Paragraph({ text: '3 Treårsplan', heading: HeadingLevel.HEADING_1 }),
              new Paragraph({ text: '3.1 Förbättringsaktiviteter under 2026', heading: HeadingLevel.HEADING_2 }),
              new Paragraph({ text: 'Implementera Cybersäkerhetslagen i förvaltningens rutiner.', bullet: { level: 0 } }),
              new Paragraph({ text: 'Genomföra en riskanalys av verksamhetens kritiska tjänster.', bullet: { level: 0 } }),
              new Paragraph({ text: '3.2 Prioriteringar under år 2027', heading: HeadingLevel.HEADING_2 }),
              new Paragraph({ text: 'Ta fram lokala rutiner för AI.', numbering: numbered }),
              new Paragraph({ text: 'Föra in informationssäkerhetsuppgifter i delegationsordningen.', numbering: numbered }),
              new Paragraph({ text: '3.3 Aktiviteter 2028', heading: HeadingLevel.HEADING_2 }),
              new Paragraph({ text: 'Utbilda all personal i informationsklassning.', bullet: { level: 0 } }),
              new Paragraph({ text: '4 Beslut', heading: HeadingLevel.HEADING_1 }),
              new Paragraph('Förvaltningschefen fastställer planen.'),
            ],
          },
        ],
      }),
    );
    const plan = extractPlan(await readReviewFile(write('Okänd förvaltning LG 2025.docx', docx)));
    expect(plan.activities.map((a) => [a.year, a.section, a.title])).toEqual([
      [2026, '3.1', 'Implementera Cybersäkerhetslagen i förvaltningens rutiner.'],
      [2026, '3.1', 'Genomföra en riskanalys av verksamhetens kritiska tjänster.'],
      [2027, '3.2', 'Ta fram lokala rutiner för AI.'],
      [2027, '3.2', 'Föra in informationssäkerhetsuppgifter i delegationsordningen.'],
      [2028, '3.3', 'Utbilda all personal i informationsklassning.'],
    ]);
  });

  it('refuses a .docx that is not a Word document with one line', async () => {
    const err = await readReviewFile(write('trasig.docx', Buffer.from('PK not a real zip'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as Error).message).toMatch(/is not a Word document \(\.docx\) that can be read/u);
    expect((err as Error).message).not.toContain('\n');
  });

  it('reads .docx through a plugged-in text extractor, normalising its output', async () => {
    const file = write('review.DOCX', Buffer.from('PK not a real zip'));
    const extractor = jest.fn(async (content: Buffer) => `\uFEFF3.1 Aktiviteter 2026\r\n• Från ${content.toString('utf8')}.\r\n`);
    const text = await readReviewFile(file, { extractors: { docx: extractor } });
    expect(extractor).toHaveBeenCalledWith(expect.any(Buffer), file);
    expect(text).toBe('3.1 Aktiviteter 2026\n• Från PK not a real zip.\n');
    expect(extractPlan(text).activities).toEqual([{ year: 2026, title: 'Från PK not a real zip.', area: null, section: '3.1' }]);
  });

  it('rejects other file types', async () => {
    await expect(readReviewFile(path.join(dir, 'LG 2025.odt'))).rejects.toThrow(/unsupported file type \.odt; expected Word \(\.docx\), PDF \(\.pdf\) or text \(\.txt, UTF-8\)/u);
    await expect(readReviewFile(path.join(dir, 'README'))).rejects.toThrow(UnsupportedFormatError);
  });

  it('reports a missing file as an OperatorError', async () => {
    await expect(readReviewFile(path.join(dir, 'saknas.txt'))).rejects.toThrow(/cannot read .*saknas\.txt: no such file/u);
  });
});
