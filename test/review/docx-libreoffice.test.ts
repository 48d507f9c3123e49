import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import type { Actor } from '../../src/domain/activity';
import { decideReview, emptySections, newReviewState, REVIEW_RULES, type ReviewChangeRequest } from '../../src/domain/review';
import { renderDocx } from '../../src/reports/docx';
import { renderPdf } from '../../src/reports/pdf';
import { compileReview } from '../../src/services/reviews/compile';
import { prefillNarrative } from '../../src/services/reviews/prefill';
import { seedInputs } from '../support/seed-review';

/**
 * The review's DOCX as a word processor lays it out: Södermalm's adopted review converted to PDF
 * by LibreOffice headless (Debian's libreoffice-writer-nogui, from
 * scripts/provision-test-packages.sh), read back as text and pages. Two pages of the converted
 * DOCX and two of lisplan's own PDF are kept as images under artifacts/reviews/ for a person to
 * look at.
 */

jest.setTimeout(900_000);
const run = promisify(execFile);
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'reviews');
const coordinator: Actor = { userId: 'c', name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] };
const head: Actor = { userId: 'h', name: 'Hanna Chef', roles: ['head-of-administration'], delegations: [] };

/** Södermalm's review, sections marked, every unfinished activity carried over, submitted and adopted. */
function adoptedDocument() {
  const inputs = seedInputs('sodermalm.yaml');
  const at = new Date().toISOString();
  let state = newReviewState({ orgId: inputs.organisation.id, year: inputs.year, version: 1, narrative: prefillNarrative(inputs) }, at);
  const apply = (actor: Actor, command: ReviewChangeRequest['command']) => {
    const d = decideReview(state, { requestId: command.type, actor, command }, at, REVIEW_RULES);
    if (!d.ok) throw new Error(d.rejection.reason);
    state = d.state;
  };
  for (const sectionId of emptySections(state)) apply(coordinator, { type: 'set-nothing-to-report', sectionId, value: true });
  apply(coordinator, { type: 'submit' });
  apply(head, { type: 'adopt', decisions: [{ text: 'Treårsplanen fastställs.' }], conclusion: { suitable: true, adequate: true, effective: true, comment: 'Ledningssystemet fungerar.' } });
  return compileReview(inputs, state, at);
}

/** Page sizes from pdfinfo: whether each page is landscape. */
async function landscapePages(pdf: string, pages: number): Promise<boolean[]> {
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', String(pages), pdf]);
  return [...stdout.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => Number(m[1]) > Number(m[2]));
}

async function pageImage(pdf: string, page: number, name: string): Promise<string> {
  const out = path.join(ARTIFACTS, name);
  await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', '60', '-png', '-singlefile', pdf, out]);
  return `${out}.png`;
}

describe('the review DOCX in LibreOffice', () => {
  let dir: string;
  beforeAll(async () => {
    // Reachable first: the conversion needs soffice, which only the provisioning script installs.
    await expect(run('soffice', ['--version'])).resolves.toMatchObject({ stdout: expect.stringContaining('LibreOffice') });
    dir = mkdtempSync(path.join(os.tmpdir(), 'lg-docx-'));
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('opens in Swedish with sized columns and a table of contents that does not list itself and shows the pages, and converts page by page', async () => {
    const doc = adoptedDocument();
    const docx = await renderDocx(doc);
    const zip = await JSZip.loadAsync(docx);
    expect(await zip.file('word/styles.xml')!.async('string')).toMatch(/<w:lang w:val="sv-SE"\/>/);
    expect(await zip.file('word/settings.xml')!.async('string')).toMatch(/<w:updateFields( w:val="true")?\/>/);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:tblLayout w:type="fixed"\/>/);
    // The columns are not equal: a table's widths follow its content.
    const grid = [...xml.matchAll(/<w:tblGrid>(.*?)<\/w:tblGrid>/g)].map((m) => [...m[1]!.matchAll(/w:w="(\d+)"/g)].map((w) => Number(w[1])));
    expect(grid.some((cols) => new Set(cols).size > 1)).toBe(true);

    const file = path.join(dir, 'ledningens-genomgang.docx');
    writeFileSync(file, docx);
    await run('soffice', [`-env:UserInstallation=file://${dir}/profil`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 240_000 });
    const converted = path.join(dir, 'ledningens-genomgang.pdf');
    const { stdout: info } = await run('pdfinfo', [converted]);
    const pages = Number(info.match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThan(10);
    const { stdout: text } = await run('pdftotext', ['-layout', converted, '-']);
    writeFileSync(path.join(ARTIFACTS, 'libreoffice-docx.txt'), text);

    // The headings and the 9.3 conclusion are there, numbered as in the document.
    for (const s of doc.sections.filter((x) => x.level === 1)) expect(text).toContain(`${s.number} ${s.title}`);
    expect(text).toContain('Slutsats (ISO/IEC 27001:2022, 9.3)');
    // "Innehåll" heads the contents and is not an entry of them.
    expect(text.match(/^\s*Innehåll\s*$/gm)).toHaveLength(1);
    // Every contents entry ends in the page its heading is on, as LibreOffice laid it out.
    const pageTexts = text.split('\f');
    const contents = pageTexts.findIndex((p) => /^\s*Innehåll\s*$/m.test(p));
    const entries = doc.sections.filter((s) => s.level <= 2).map((s) => `${s.number} ${s.title}`);
    const printed = entries.map((entry) => {
      const line = new RegExp(`^\\s*${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')}\\s*\\.{3,}\\s*(\\d+)\\s*$`, 'm');
      return Number(pageTexts.slice(contents, contents + 2).join('\n').match(line)?.[1]);
    });
    const headingPage = (entry: string) => pageTexts.findIndex((p, i) => i > contents && p.split('\n').some((l) => l.trim() === entry)) + 1;
    expect(entries.map((entry, i) => [entry, printed[i]])).toEqual(entries.map((entry) => [entry, headingPage(entry)]));
    expect(printed.every((n) => n > contents + 1)).toBe(true);
    // No label split mid-word in a table column: the longest role, the column headers and the dates are whole.
    const tokens = new Set(text.split(/\s+/));
    // Labels, and the long compounds of the plan's running text ("informationssäkerhetso|mrådet").
    const split = [...tokens].filter((t) => /^(Informationssäkerhetssamordn?a?r?|Priorite|Ansvari|Slutdatu|\d{4}-\d{2}-?|informationssäkerhetso(m|mr|mrå|mråd|mråde)?|mrådet)$/.test(t));
    expect(split).toEqual([]);
    for (const whole of ['Informationssäkerhetssamordnare', 'informationssäkerhetsområdet', 'Prioritet', 'Ansvarig', `${doc.year + 1}-12-31`]) expect({ whole, found: tokens.has(whole) }).toEqual({ whole, found: true });
    // The chapters with wide tables are on landscape pages, as in the PDF.
    const landscape = await landscapePages(converted, pages);
    const planPage = pageTexts.findIndex((p) => p.includes(`Handlingsplan ${doc.year + 1}`));
    expect(landscape[0]).toBe(false);
    expect(landscape[planPage]).toBe(true);

    // Two pages of each, for a person to look at: the contents and the plan in the MSB form.
    const pdf = path.join(dir, 'lisplan.pdf');
    writeFileSync(pdf, await renderPdf(doc));
    const { stdout: pdfText } = await run('pdftotext', ['-layout', pdf, '-']);
    const pdfPlanPage = pdfText.split('\f').findIndex((p) => p.includes(`Handlingsplan ${doc.year + 1}`)) + 1;
    const images = [
      await pageImage(converted, 2, 'libreoffice-docx-sida-2'),
      await pageImage(converted, planPage + 1, `libreoffice-docx-sida-${planPage + 1}`),
      await pageImage(pdf, 2, 'pdf-sida-2'),
      await pageImage(pdf, pdfPlanPage, `pdf-sida-${pdfPlanPage}`),
    ];
    for (const image of images) expect(readFileSync(image).subarray(1, 4).toString('latin1')).toBe('PNG');
    // The PDF is tagged (its structure is checked in review-pdf.unit.test.ts).
    const { stdout: pdfInfo } = await run('pdfinfo', [pdf]);
    expect(pdfInfo).toMatch(/Tagged:\s+yes/);
  });
});
