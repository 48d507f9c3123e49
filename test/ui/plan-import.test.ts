import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { extractPlan } from '../../src/services/plans/import/review-text';
import type { TestUser } from '../support/api';
import { readmeScreenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';
import { thisYear } from '../support/calendar';
import { blocksFromText, reviewDocx, reviewPdf } from '../support/review-documents';

/**
 * "Importera plan" in Debian's Chromium against the real stack: each seed report, as a Word
 * document with real Word lists, as a PDF made from it, and as plain text, is uploaded, previewed, edited (one
 * title changed, one item dropped, one added by hand), its KPI candidates confirmed, and started;
 * the read model then holds exactly that plan. Every step is scanned with axe-core. The JSON API
 * for the same service is checked for its denials, limits and idempotency.
 */

jest.setTimeout(900_000);

const run = randomUUID().slice(0, 6);
const SEEDS = [
  { file: '000_141bc22e8b1aaff0.txt', format: 'docx' },
  { file: '002_c427e757c3233196.txt', format: 'pdf' },
  { file: '000_141bc22e8b1aaff0.txt', format: 'txt' },
] as const;
const user = (id: string, orgId: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name: `${id} ${run}`, memberships: [{ orgId, roles }] });
const orgOf = (i: number) => `imp-${i}-${run}`;
const COORDS = SEEDS.map((_, i) => user(`samordnare${i}`, orgOf(i), ['security-coordinator']));
const VIEWER = user('lasare', orgOf(0), ['viewer']);
const OTHER = user('annan', `imp-annan-${run}`, ['security-coordinator']);

describe('Importera plan in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let page: Page;
  let dir: string;
  let auth: Record<string, string>;
  const submit = (button: ReturnType<Page['locator']>) => ui.submit(button);
  const check = (name: string) => ui.check(name);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lisplan-plan-import-'));
    ui = await startUiSession({
      organisations: [...SEEDS.map((_, i) => orgOf(i)), `imp-annan-${run}`].map((id) => ({ id, name: `Importförvaltningen ${id}`, areas: [{ id: 'styrning', name: 'Styrning' }] })),
      users: [...COORDS, VIEWER, OTHER],
    });
    ({ stack, app, base, page, auth } = ui);
  });

  afterAll(async () => {
    await ui?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SEEDS.map((s, i) => [s.file, s.format, i] as const))('imports %s as .%s: upload, preview, edit, drop, add, confirm KPIs, start', async (seedFile, format, i) => {
    const orgId = orgOf(i);
    const coord = COORDS[i]!;
    const text = readFileSync(path.join(__dirname, '../../../shared/seeds', seedFile), 'utf8');
    const expected = extractPlan(text);
    const blocks = blocksFromText(text);
    const file = path.join(dir, `LG ${i}.${format}`);
    writeFileSync(file, format === 'docx' ? await reviewDocx(blocks) : format === 'pdf' ? await reviewPdf(blocks) : text);

    const started = Date.now();
    await ui.loginAs(coord);

    // A coordinator finds the import on Planöversikt.
    await page.goto(`${base}/planoversikt?org=${orgId}`);
    await submit(page.getByRole('link', { name: 'Importera plan' }));
    expect(new URL(page.url()).pathname).toBe('/importera-plan');
    await check(`plan-import-${format}-1-upload`);
    await page.getByLabel('Genomgången (.docx, .pdf eller .txt)').setInputFiles(file);
    await submit(page.getByRole('button', { name: 'Läs in genomgången' }));
    expect((await page.getByRole('heading', { level: 2 }).first().innerText()).trim()).toBe(`Granska planen från LG ${i}.${format}`);
    const previewShot = await check(`plan-import-${format}-2-preview`);
    if (i === 0) await readmeScreenshot(previewShot);

    // Every item found is in the preview, by year.
    expect(await page.locator('textarea[name$=".title"]').count()).toBe(expected.activities.length);
    const first = expected.activities[0]!;
    const second = expected.activities[1]!;
    await page.locator('#title-0').fill(`${first.title} (reviderad)`);
    // A person of the organisation for the role, as well as the role.
    await page.locator('#person-0').selectOption(coord.id);
    await page.locator('#keep-1').uncheck();
    await page.getByLabel('Aktivitet', { exact: true }).fill('Öva kontinuitetsplanen med ledningen');
    await page.locator('#new-year').fill(String(first.year));
    await page.getByLabel('Ansvarig', { exact: true }).selectOption('head-of-administration');
    for (const box of await page.locator('input[name^="kpi."]').all()) await box.check();
    await check(`plan-import-${format}-3-edited`);
    await submit(page.getByRole('button', { name: 'Starta planen' }));
    await page.waitForURL(/\/planoversikt\?org=/u, { timeout: 600_000 });
    await check(`plan-import-${format}-4-planoversikt`);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`plan import of ${seedFile} as .${format}: ${expected.activities.length} items, the whole browser flow took ${seconds.toFixed(1)} s\n`);

    const docs = await eventually(async () => {
      const found = await stack.models.activities.find({ orgId }).lean();
      return found.length === expected.activities.length ? found : undefined;
    }, `the read model of ${orgId}`);
    const titles = docs.map((d) => d.title).sort();
    const want = [`${first.title} (reviderad)`, ...expected.activities.slice(2).map((a) => a.title), 'Öva kontinuitetsplanen med ledningen'].sort();
    expect(titles).toEqual(want);
    expect(titles).not.toContain(second.title);
    expect(docs.find((d) => d.title === 'Öva kontinuitetsplanen med ledningen')?.owner.role).toBe('head-of-administration');
    expect(docs.find((d) => d.title === `${first.title} (reviderad)`)?.owner).toMatchObject({ userId: coord.id, name: coord.name });
    const kpis = await stack.models.kpiValues.find({ orgId }).lean();
    expect(kpis.map((k) => [k.name, k.year, k.value]).sort()).toEqual(expected.kpis.map((k) => [k.name, k.year, k.value]).sort());
    await submit(page.getByRole('button', { name: 'Logga ut' }));
  });

  describe('JSON API', () => {
    const preview = (u: TestUser, orgId: string, name: string, body: Buffer) =>
      request(app).post(`/api/v1/organisations/${orgId}/plan-import/preview`).set('authorization', auth[u.id]!).set('x-filename', encodeURIComponent(name)).set('content-type', 'application/octet-stream').send(body);
    const txt = Buffer.from(`3.1 Aktiviteter ${thisYear() + 1}\n• Klassa informationen i e-arkivet.\n• Utbilda nya chefer.\n`);

    it('previews for a coordinator of the organisation and refuses everyone else', async () => {
      const ok = await preview(COORDS[0]!, orgOf(0), 'LG.txt', txt);
      expect(ok.status).toBe(200);
      expect(ok.body.items.map((x: { title: string }) => x.title)).toEqual(['Klassa informationen i e-arkivet.', 'Utbilda nya chefer.']);
      expect((await preview(VIEWER, orgOf(0), 'LG.txt', txt)).status).toBe(403);
      expect((await preview(OTHER, orgOf(0), 'LG.txt', txt)).status).toBe(403);
      expect((await request(app).post(`/api/v1/organisations/${orgOf(0)}/plan-import/preview`).send(txt)).status).toBe(401);
    });

    it('refuses another file type, an empty file and a file over the limit', async () => {
      expect((await preview(COORDS[0]!, orgOf(0), 'LG.odt', txt)).status).toBe(415);
      expect((await preview(COORDS[0]!, orgOf(0), 'LG.txt', Buffer.alloc(0))).status).toBe(400);
      expect((await preview(COORDS[0]!, orgOf(0), 'LG.txt', Buffer.alloc(6 * 1024 * 1024, 0x41))).status).toBe(413);
    });

    it('starts a confirmed plan once (the same request again starts nothing), bounded and validated', async () => {
      const orgId = `imp-annan-${run}`;
      const body = { source: 'LG.txt', items: [{ year: thisYear() + 1, title: 'Klassa informationen i e-arkivet.', area: 'informationsklassning', owner: 'security-coordinator' }], kpis: [{ name: 'incidenter', year: thisYear(), value: 4 }] };
      const post = (b: object, u = OTHER) => request(app).post(`/api/v1/organisations/${orgId}/plan-import`).set('authorization', auth[u.id]!).send(b);
      const first = await post(body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ activities: 1, started: 1, existing: 0, kpisSaved: 1 });
      expect((await post(body)).body).toMatchObject({ started: 0, existing: 1 });
      expect((await post(body, COORDS[0])).status).toBe(403);
      const tooMany = { ...body, items: Array.from({ length: 151 }, (_, n) => ({ ...body.items[0]!, title: `Aktivitet ${n}` })) };
      const refused = await post(tooMany);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/problem\+json/u);
      expect((await post({ ...body, items: [{ ...body.items[0]!, dueDate: '31/12' }] })).status).toBe(400);

      // A person as owner must be a member; a plan naming someone else starts nothing.
      const named = (userId: string) => ({ ...body, items: [{ ...body.items[0]!, title: 'Utbilda nya chefer.', ownerUserId: userId }] });
      const stranger = await post(named(COORDS[0]!.id));
      expect(stranger.status).toBe(400);
      expect(stranger.body.errors).toEqual([expect.objectContaining({ field: 'activities.0.owner.userId' })]);
      expect(await stack.models.activities.countDocuments({ orgId, title: 'Utbilda nya chefer.' })).toBe(0);
      expect((await post(named(OTHER.id))).body).toMatchObject({ started: 1 });
      const owned = await eventually(async () => (await stack.models.activities.findOne({ orgId, title: 'Utbilda nya chefer.' }).lean()) ?? undefined, 'the named owner projected');
      expect(owned.owner).toMatchObject({ role: 'security-coordinator', userId: OTHER.id, name: OTHER.name });
    });
  });
});

