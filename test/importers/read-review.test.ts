import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OperatorError } from '../../src/errors';
import { Document, Packer, Paragraph } from 'docx';
import { normaliseText, readReviewFile, UnsupportedFormatError } from '../../src/importers/read-review';
import { extractPlan } from '../../src/importers/review-text';

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

  it('reads a real Word document: the same plan as from the text export of the same report', async () => {
    const seed = readFileSync(path.join(__dirname, '../../../shared/seeds/002_c427e757c3233196.txt'), 'utf8');
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: seed.split('\n').map((line) => new Paragraph(line)) }] }));
    const file = write('LG 2025.docx', docx);
    const fromWord = extractPlan(await readReviewFile(file));
    expect(fromWord.activities.length).toBeGreaterThan(10);
    expect(fromWord).toEqual(extractPlan(normaliseText(seed)));
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
    await expect(readReviewFile(path.join(dir, 'LG 2025.pdf'))).rejects.toThrow(/unsupported file type \.pdf; expected \.txt \(UTF-8\) or \.docx/u);
    await expect(readReviewFile(path.join(dir, 'README'))).rejects.toThrow(UnsupportedFormatError);
  });

  it('reports a missing file as an OperatorError', async () => {
    await expect(readReviewFile(path.join(dir, 'saknas.txt'))).rejects.toThrow(/cannot read .*saknas\.txt: no such file/u);
  });
});
