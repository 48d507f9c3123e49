import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { extractPlan } from '../../src/services/plans/import/review-text';
import { readReviewFile } from '../../src/services/plans/import/read-review';
import { startReview } from '../../src/services/reviews/service';
import { projectRoot } from '../../src/platform/project-root';
import { settles } from '../support/eventually';
import { cliEnv, runCli } from '../support/cli';
import { startTestStack, type TestStack } from '../support/stack';

const root = projectRoot();
const SEED = path.join(root, '../shared/seeds/000_141bc22e8b1aaff0.txt');
const ORG = 'import-fk';

// A guard against a hang on a loaded machine, not a speed target.
jest.setTimeout(600_000);


/** `lisplan plan import` and `lisplan review export` against the real servers. */
describe('lisplan plan import and review export', () => {
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-review-cli-'));

  beforeAll(async () => {
    stack = await startTestStack();
    env = cliEnv(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Fastighetskontoret (import)', plan: { startYear: 2026, endYear: 2028 }, areas: [], goals: [], updatedAt: new Date() });
  });
  afterAll(() => stack?.close());

  it('shows the preview and loads nothing when the answer is no', async () => {
    const res = await runCli(['plan', 'import', SEED, '--org', ORG], env, 'n\n');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Förhandsgranskning för Fastighetskontoret (import) (import-fk):');
    // Every item read from the report is listed, by year, with its section, before anything is asked.
    const extracted = extractPlan(await readReviewFile(SEED));
    for (const year of [2026, 2027, 2028]) expect(res.stdout).toContain(`  ${year}: ${extracted.activities.filter((a) => a.year === year).length} aktiviteter`);
    for (const a of extracted.activities) expect(res.stdout).toContain(`    - ${a.title} [`);
    expect(res.stdout).toContain('Nyckeltalskandidater (sparas bara efter bekräftelse):');
    expect(res.stdout).toMatch(/Ladda \d+ aktiviteter till Fastighetskontoret \(import\)\? \[j\/N\] n\nInget laddades\./);
    expect(await stack.models.activities.countDocuments({ orgId: ORG })).toBe(0);
  });

  it('loads every plan item once confirmed, and saves only the KPI figures confirmed one by one', async () => {
    const extracted = extractPlan(await readReviewFile(SEED));
    expect(extracted.kpis.length).toBeGreaterThan(0);
    const answers = ['j', 'j', ...extracted.kpis.slice(1).map(() => 'n')].join('\n') + '\n';
    const res = await runCli(['plan', 'import', SEED, '--org', ORG], env, answers);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${extracted.activities.length} aktiviteter, ${extracted.activities.length} startade, 0 fanns redan`);
    expect(res.stdout).toContain(`Nyckeltal: 1 av ${extracted.kpis.length} kandidater sparade.`);
    const titles = await settles(async () => {
      const docs = await stack.models.activities.find({ orgId: ORG }).lean();
      expect(docs).toHaveLength(extracted.activities.length);
      return docs.map((d) => [d.planYear, d.title]);
    });
    expect(titles.sort()).toEqual(extracted.activities.map((a) => [a.year, a.title]).sort());
    const kpis = await stack.models.kpiValues.find({ orgId: ORG }).lean();
    expect(kpis.map((k) => [k.name, k.year, k.value])).toEqual([[extracted.kpis[0]!.name, extracted.kpis[0]!.year, extracted.kpis[0]!.value]]);

    const again = await runCli(['plan', 'import', SEED, '--org', ORG, '--yes'], env);
    expect(again.stdout).toContain(`0 startade, ${extracted.activities.length} fanns redan`);
  });

  it('refuses an unknown organisation with one line', async () => {
    const res = await runCli(['plan', 'import', SEED, '--org', 'finns-inte'], env);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('organisation finns-inte does not exist');
  });

  it('exports a draft review as DOCX, PDF, Markdown and JSON, watermarked as a draft', async () => {
    const missing = await runCli(['review', 'export', '--org', ORG, '--year', '2026', '--format', 'md', '--out', path.join(out, 'x.md')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('lisplan: Det finns ingen ledningens genomgång 2026 för import-fk.');

    await startReview({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue }, stack.models, { orgId: ORG, year: 2026, diaryNumber: 'FK 2026/77' });
    for (const format of ['docx', 'pdf', 'md', 'json']) {
      const file = path.join(out, `lg.${format}`);
      const res = await runCli(['review', 'export', '--org', ORG, '--year', '2026', '--format', format, '--out', file], env);
      expect({ format, code: res.code, stderr: res.stderr }).toEqual({ format, code: 0, stderr: '' });
      expect(res.stdout).toMatch(new RegExp(`^Skrev ${file.replace(/[.]/g, '\\.')}: ledningens genomgång 2026 för import-fk, version 1 \\(utkast\\), \\d+ byte\\n$`));
    }
    const xml = await (await JSZip.loadAsync(fs.readFileSync(path.join(out, 'lg.docx')))).file('word/header1.xml')!.async('string');
    expect(xml).toContain('Dnr FK 2026/77');
    expect(xml).toContain('UTKAST');
    const pdfText = execFileSync('pdftotext', [path.join(out, 'lg.pdf'), '-']).toString();
    expect(pdfText).toContain('UTKAST – inte antaget.');
    expect(pdfText).toContain('3 Uppföljning av föregående års åtgärder');
    expect(fs.readFileSync(path.join(out, 'lg.md'), 'utf8')).toContain('## 3 Uppföljning av föregående års åtgärder');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'lg.json'), 'utf8'));
    expect(json).toMatchObject({ draft: true, status: 'draft', organisation: { id: ORG } });

    const bad = await runCli(['review', 'export', '--org', ORG, '--year', '2026', '--format', 'odt', '--out', path.join(out, 'x.odt')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('lisplan: --format must be one of docx, pdf, md, html, json, csv, xlsx, not "odt"');
  });
});
