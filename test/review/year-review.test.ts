import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import type { Express } from 'express';
import { dateInZone } from '../../src/domain/deadlines';
import type { PlanFile } from '../../src/domain/plan-file';
import { readPlanFile } from '../../src/services/plans/read-plan-file';
import { loadPlan } from '../../src/services/plans/load-plan';
import { bearerFor, type TestUser } from '../support/api';
import { testApp } from '../support/api';
import { settles } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A whole plan year against the real servers: Södermalm's seed plan loaded; tasks completed and
 * milestones signed; one activity late and one deferred; the review generated, edited,
 * submitted, sent back, edited, adopted and exported; next year's plan holding the carried-over
 * activity. The exports are read back as a reader's tools would: the DOCX's XML, the PDF's text.
 */

/** The adopted review's PDF and DOCX are kept (git-ignored) so a person can read what the test read. */
const REVIEWS = path.join(__dirname, '..', '..', 'artifacts', 'reviews');
mkdirSync(REVIEWS, { recursive: true });

// A guard against a hang on a loaded machine, not a speed target.
jest.setTimeout(900_000);

const ORG = 'sodermalm-lg';
/**
 * The plan year is this year, so "late" means what it would mean to the people running it: the
 * seed plan (2026–2028) is moved to start this year, and the late activity was due yesterday.
 */
const YEAR = Number(dateInZone(Date.now(), 'Europe/Stockholm').slice(0, 4));
const LATE_DUE = dateInZone(Date.now() - 86_400_000, 'Europe/Stockholm');
/** Södermalm's seed plan; the counts below follow it: its first year plus the late activity the test adds. */
const SEED = readPlanFile(path.join(__dirname, '../../plans/sodermalm.yaml'));
const SEED_TOTAL = SEED.activities.length;
const YEAR_TOTAL = SEED.activities.filter((a) => a.year === SEED.plan.startYear).length + 1;
const USERS: Record<'coordinator' | 'head' | 'owner' | 'other', TestUser> = {
  coordinator: { id: 'lg-fatima', name: 'Fatima Ali', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] },
  head: { id: 'lg-johan', name: 'Johan Wikström', memberships: [{ orgId: ORG, roles: ['head-of-administration'] }] },
  owner: { id: 'lg-owner', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator', 'information-owner', 'activity-owner'] }] },
  other: { id: 'lg-other', name: 'Frida Fastighet', memberships: [{ orgId: 'fk-lg', roles: ['security-coordinator', 'head-of-administration'] }] },
};

describe('a plan year ends in an adopted review', () => {
  let stack: TestStack;
  let app: Express;
  const auth = {} as Record<keyof typeof USERS, string>;

  const api = (who: keyof typeof USERS) => ({
    get: (p: string) => request(app).get(`/api/v1${p}`).set('authorization', auth[who]),
    post: (p: string, body: object = {}) => request(app).post(`/api/v1${p}`).set('authorization', auth[who]).send(body),
    put: (p: string, body: object) => request(app).put(`/api/v1${p}`).set('authorization', auth[who]).send(body),
  });
  const R = `/organisations/${ORG}/reviews/${YEAR}`;

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await loadPlan({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue, models: stack.models, timeZone: stack.config.planTimeZone }, { ...startingIn(YEAR, SEED), organisation: { ...SEED.organisation, id: ORG } });
    for (const who of Object.keys(USERS) as (keyof typeof USERS)[]) auth[who] = await bearerFor(stack.models, USERS[who]);
    await settles(async () => expect(await stack.models.activities.countDocuments({ orgId: ORG })).toBe(SEED_TOTAL), 600_000);
  });
  afterAll(() => stack?.close());

  /** Drives an activity to done through the API: the coordinator works for the owner; every approver signs. */
  async function finish(activityId: string): Promise<void> {
    let a = (await api('coordinator').get(`/activities/${activityId}`).expect(200)).body;
    const change = async (who: keyof typeof USERS, p: string) => {
      const res = await api(who).post(`/activities/${activityId}${p}`);
      expect({ p, status: res.status, body: res.body }).toMatchObject({ status: 200 });
      return res.body.state;
    };
    for (let round = 0; round < 40 && a.status !== 'done'; round++) {
      const task = a.tasks.find((t: { done: boolean }) => !t.done);
      const open = a.milestones.find((m: { status: string }) => m.status === 'open' || m.status === 'rejected');
      const submitted = a.milestones.find((m: { status: string }) => m.status === 'submitted');
      if (task) a = await change('coordinator', `/tasks/${task.id}/complete`);
      else if (open) a = await change('coordinator', `/milestones/${open.id}/submit`);
      else {
        const step = submitted.approvers[submitted.decisions.filter((d: { round: number; decision: string }) => d.round === submitted.round && d.decision === 'approved').length];
        a = await change(step.role === 'head-of-administration' ? 'head' : 'owner', `/milestones/${submitted.id}/approve`);
      }
    }
    expect(a.status).toBe('done');
  }

  // Projections of a whole plan's changes queue behind one audit chain: a generous guard against a hang.
  const projected = (id: string, status: string) => settles(async () => expect((await stack.models.activities.findById(id).lean())?.status).toBe(status), 600_000);

  it('runs the year, then the review from draft to adoption, and carries the unfinished work over', async () => {
    // The year's work: a training done and signed, one activity late, one deferred.
    const doneId = `${ORG}.${YEAR}.introduktion-nyanstallda`;
    await finish(doneId);
    await projected(doneId, 'done');

    await api('coordinator')
      .post(`/organisations/${ORG}/activities`, { key: 'sena-loggrutiner', year: YEAR, title: 'Ta fram rutin för logggranskning', area: 'incidenthantering', owner: { role: 'it-coordinator' }, dueDate: LATE_DUE })
      .expect(201);
    const lateId = `${ORG}.${YEAR}.sena-loggrutiner`;
    await api('owner').post(`/activities/${lateId}/start`).expect(200);
    await api('owner').post(`/activities/${lateId}/comments`, { text: 'Väntar på leverantörens loggexport.' }).expect(200);

    const deferredId = (await stack.models.activities.findOne({ orgId: ORG, planYear: YEAR, area: 'ai' }).lean())!._id;
    await api('head').post(`/activities/${deferredId}/defer`, { reason: 'Avvaktar stadens gemensamma AI-riktlinjer.' }).expect(200);
    await projected(deferredId, 'deferred');
    await projected(lateId, 'in-progress');

    await api('coordinator').put(`/organisations/${ORG}/incidents/${YEAR - 1}`, { counts: { 'forlorad-utrustning': 6, 'obehorig-atkomst': 3 } }).expect(200);
    await api('coordinator').put(`/organisations/${ORG}/incidents/${YEAR}`, { counts: { 'forlorad-utrustning': 8, 'obehorig-atkomst': 3, 'skadlig-kod': 2 } }).expect(200);

    // The review: only the coordinator starts it; it is pre-filled from the year's facts.
    await api('owner').post(R).expect(403);
    await api('other').get(R).expect(403);
    const started = await api('coordinator').post(R, { diaryNumber: 'SDF 2026/123' }).expect(201);
    expect(started.body).toMatchObject({ orgId: ORG, year: YEAR, version: 1, status: 'draft', diaryNumber: 'SDF 2026/123' });
    expect(started.body.narrative.inledning).toContain('ISO/IEC 27001:2022');
    expect(started.body.narrative['omrade:incidenthantering:lage']).toContain('Väntar på leverantörens loggexport.');
    await api('coordinator').post(R).expect(200);

    // Written, submitted, sent back, written again (with a stale revision refused), adopted.
    const edited = await api('coordinator').put(`${R}/sections/sammanfattning`, { text: `Förvaltningen har under ${YEAR} stärkt sitt informationssäkerhetsarbete.` }).expect(200);
    await api('owner').put(`${R}/sections/sammanfattning`, { text: 'Ägaren skriver' }).expect(403);
    await api('coordinator').put(`${R}/sections/inte-ett-avsnitt`, { text: 'x' }).expect(400);
    await api('coordinator').put(`${R}/sections/omvarldsbevakning`, { text: 'Cybersäkerhetslagen trädde i kraft och AI-förordningen börjar tillämpas.' }).expect(200);
    // Each change is answered once the read model has it: the next read shows it, no waiting.
    const read = await api('coordinator').get(R).expect(200);
    expect(read.body.review.narrative.omvarldsbevakning).toBe('Cybersäkerhetslagen trädde i kraft och AI-förordningen börjar tillämpas.');
    expect(read.headers.etag).toBe(`"${edited.body.revision + 1}"`);
    await api('head').post(`${R}/adopt`, { decisions: ['För tidigt'] }).expect(409);
    await api('coordinator').post(`${R}/submit`).expect(200);
    await api('coordinator').put(`${R}/sections/risker`, { text: 'Inlämnad text kan inte ändras.' }).expect(409);
    const sentBack = await api('head').post(`${R}/request-changes`, { comment: 'Beskriv riskerna med leverantörernas loggar.' }).expect(200);
    expect(sentBack.body.state.status).toBe('changes-requested');
    await request(app).put(`/api/v1${R}/sections/risker`).set('authorization', auth.coordinator).set('if-match', `"${edited.body.revision}"`).send({ text: 'gammal' }).expect(412);
    await api('coordinator').put(`${R}/sections/risker`, { text: 'Leverantörernas loggar är en risk som behandlas genom avtalskrav.' }).expect(200);
    await api('coordinator').post(`${R}/submit`).expect(200);
    await api('coordinator').post(`${R}/adopt`, { decisions: ['Genomgången godkänns.'] }).expect(403);
    const adopted = await api('head').post(`${R}/adopt`, { decisions: [`Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.`, `Riskanalysen ska vara klar före 30 juni ${YEAR + 1}.`] }).expect(200);
    expect(adopted.body.state.status).toBe('adopted');
    expect(adopted.body.state.revisions.map((r: { sectionId: string }) => r.sectionId)).toEqual(['sammanfattning', 'omvarldsbevakning', 'risker']);

    // Frozen, with a content hash, as soon as the adoption is answered; nothing changes it any more.
    const overview = (await api('head').get(R).expect(200)).body;
    expect(overview.versions[0]).toMatchObject({ version: 1, status: 'adopted', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await api('coordinator').put(`${R}/sections/sammanfattning`, { text: 'Ändrad efteråt' }).expect(409);

    // Carried over: the late activity continues next year, linked to its origin, which is deferred.
    // The review's run ends once the plan is carried over and its window advanced.
    const finished = await stack.env.client.workflow.getHandle(`review.${ORG}.${YEAR}.v1`).result();
    expect(finished.contentHash).toBe(overview.versions[0].contentHash);
    const successor = await settles(async () => {
      const doc = await stack.models.activities.findOne({ orgId: ORG, planYear: YEAR + 1, continues: lateId }).lean();
      expect(doc).toBeTruthy();
      return doc!;
    }, 600_000);
    expect(successor).toMatchObject({ key: 'sena-loggrutiner', title: 'Ta fram rutin för logggranskning', dueDate: `${YEAR + 1}-12-31`, status: 'planned' });
    await projected(lateId, 'deferred');
    const origin = (await api('coordinator').get(`/activities/${lateId}`).expect(200)).body;
    expect(origin.deferral).toMatchObject({ by: { userId: 'lg-johan' }, comment: `Överförd till ${YEAR + 1} när ledningens genomgång ${YEAR} antogs.` });
    expect(await stack.models.activities.exists({ orgId: ORG, planYear: YEAR + 1, continues: deferredId })).toBeTruthy();
    expect(await stack.models.activities.exists({ orgId: ORG, planYear: YEAR + 1, continues: doneId })).toBeFalsy();
    const org = (await api('coordinator').get(`/organisations/${ORG}`).expect(200)).body;
    expect(org.plan).toMatchObject({ startYear: YEAR + 1, endYear: YEAR + 3 });

    // The frozen document says what happened, in the reports' structure.
    const doc = (await api('owner').get(`${R}/document`).expect(200)).body;
    expect(doc).toMatchObject({ draft: false, status: 'adopted', diaryNumber: 'SDF 2026/123', adoption: { by: 'Johan Wikström' } });
    const titles = doc.sections.filter((s: { level: number }) => s.level === 1).map((s: { title: string }) => s.title);
    expect(titles).toEqual([
      'Sammanfattning',
      'Inledning',
      'Uppföljning av föregående års åtgärder',
      'Fokusområden',
      'Nyckeltal',
      'Incidenter',
      'Omvärldsbevakning',
      'Risker och riskbehandling',
      'Cybersäkerhetslagen',
      `Treårsplan ${YEAR + 1}–${YEAR + 3}`,
      'Beslut',
    ]);
    const text = JSON.stringify(doc);
    expect(text).toContain(`Planen för ${YEAR} omfattar ${YEAR_TOTAL} aktiviteter. 1 är genomförd (varav 0 verifierade), ${YEAR_TOTAL - 2} är inte avslutade och 1 är uppskjuten`);
    expect(text).toContain('1 aktivitet är försenad');
    expect(text).toContain('Antal informationsklassningar (avslutade och pågående): från 74 (2024) till 98 (2025) (+32 %).');
    expect(text).toContain('Leverantörernas loggar är en risk');
    expect(text).toContain(`Överförs från ${YEAR}`);
    // The follow-up table names each sign-off with its date and approver.
    const followUp = table(doc, 'uppfoljning');
    const doneTitle = (await stack.models.activities.findById(doneId).lean())!.title;
    const doneRow = followUp.rows.find((r) => r[0] === doneTitle)!;
    expect(doneRow[3]).toBe('Genomförd');
    expect(doneRow[4]).toMatch(/godkänd \d{4}-\d{2}-\d{2} av Johan Wikström/);
    // The ten measures of NIS2 article 21.2; those without an activity are flagged by name.
    const nis2 = table(doc, 'cybersakerhetslagen');
    expect(nis2.rows).toHaveLength(10);
    const uncovered = nis2.rows.filter((r) => r[2] === 'Nej').map((r) => r[0]!.split(' ')[0]);
    expect(uncovered.length).toBeGreaterThan(0);
    expect(text).toContain(`Åtgärder utan aktivitet, som bör få en i planen: ${uncovered.join(', ')}.`);

    // Exports: the same frozen snapshot renders the same content every time.
    const docx = await download('docx');
    const xml = await docxXml(docx);
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?<w:t[^>]*>1 Sammanfattning<\/w:t>/);
    expect(xml).toMatch(new RegExp(`<w:pStyle w:val="Heading3"/>.*?<w:t[^>]*>4\\.\\d+\\.1 Läget ${YEAR}</w:t>`));
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain('Ta fram rutin för logggranskning');
    expect(xml).toContain('<w:instrText xml:space="preserve">TOC');
    const zip = await JSZip.loadAsync(docx);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBeGreaterThanOrEqual(3);
    const header = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/header\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
    expect(header.join('')).toContain('Södermalms stadsdelsförvaltning');
    expect(header.join('')).toContain(`Ledningens genomgång ${YEAR}`);
    expect(header.join('')).toContain('Dnr SDF 2026/123');
    const footer = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/footer\d*\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
    expect(footer.join('')).toMatch(/PAGE.*NUMPAGES/s);
    expect(header.join('')).not.toContain('UTKAST');
    expect(await docxParts(await download('docx'))).toEqual(await docxParts(docx));

    const pdf = await download('pdf');
    const pdfFile = path.join(REVIEWS, `ledningens-genomgang-${YEAR}.pdf`);
    writeFileSync(pdfFile, pdf);
    writeFileSync(path.join(REVIEWS, `ledningens-genomgang-${YEAR}.docx`), docx);
    writeFileSync(path.join(REVIEWS, `ledningens-genomgang-${YEAR}.json`), JSON.stringify(doc, null, 2));
    const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString();
    expect(pdfText).toContain(`Ledningens genomgång ${YEAR}`);
    expect(pdfText).toContain('9 Cybersäkerhetslagen');
    expect(pdfText).toMatch(/Antal informationsklassningar[^\n]*74[^\n]*98/);
    expect(pdfText).toMatch(/Sida 3 \(\d+\)/);
    expect(pdfText).toContain(`Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.`);
    expect(pdfText).not.toContain('UTKAST');
    // Chapters with a wide table are set on landscape pages, so no column runs off the page.
    const pages = pdfText.split('\f');
    const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages.length), pdfFile]).toString();
    const landscape = (page: number) => {
      const [, w, h] = sizes.match(new RegExp(`Page\\s+${page} size:\\s+([\\d.]+) x ([\\d.]+)`))!;
      return Number(w) > Number(h);
    };
    const pageWith = (text: string) => pages.findIndex((p) => p.includes(text)) + 1;
    expect(landscape(1)).toBe(false);
    expect(landscape(pageWith('Status för varje aktivitet i planen'))).toBe(true);
    expect(landscape(pageWith('Nyckeltal per år'))).toBe(false);
    // An adopted review does not leave a heading empty.
    expect(pdfText).toContain('Inget att redovisa.');
    // The charts are in the PDF as images, as in the DOCX.
    const images = execFileSync('pdfimages', ['-list', pdfFile]).toString().trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect((await download('pdf')).equals(pdf)).toBe(true);

    const md = (await download('md')).toString();
    expect(md).toContain('## 1 Sammanfattning');
    expect(md).toContain(`| Ta fram rutin för logggranskning | It-samordnare | ${LATE_DUE} | Pågår, försenad | – |`);
    const html = (await download('html')).toString();
    expect(html).toContain('<h2>1 Sammanfattning</h2>');
    expect(html).toMatch(/<figure role="img" aria-label="Antal certifierade medarbetare[^"]*"><svg/);
    expect(JSON.parse((await download('json')).toString())).toEqual(doc);
    const csv = (await download('csv')).toString();
    expect(csv.split('\r\n')[0]).toBe('\uFEFFAktivitet;Ansvarig;Slutdatum;Status;Godkännande');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(YEAR_TOTAL + 1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download('xlsx')) as never);
    expect(book.worksheets[0]!.getRow(1).values).toEqual([undefined, 'Aktivitet', 'Ansvarig', 'Slutdatum', 'Status', 'Godkännande']);
    expect(book.worksheets[0]!.rowCount).toBe(YEAR_TOTAL + 1);
    expect(overview.versions[0].contentHash).toMatch(/^[0-9a-f]{64}$/);

    // A correction is a new version that refers to the adopted one, which stays as it was.
    await api('head').post(`${R}/corrections`).expect(403);
    const correction = await api('coordinator').post(`${R}/corrections`).expect(201);
    expect(correction.body).toMatchObject({ version: 2, status: 'draft', corrects: `${ORG}.${YEAR}.v1` });
    expect(correction.body.narrative.risker).toBe('Leverantörernas loggar är en risk som behandlas genom avtalskrav.');
    const draftDocx = await docxXml(await download('docx'));
    expect(draftDocx).toContain('UTKAST');
    const v1 = await request(app).get(`/api/v1${R}/export/json?version=1`).set('authorization', auth.owner).expect(200);
    expect(JSON.parse(v1.text)).toEqual(doc);
    expect(v1.headers['x-content-hash']).toBe(overview.versions[0].contentHash);
    // Anyone can check the hash: it is the SHA-256 of the document's JSON.
    expect(createHash('sha256').update(JSON.stringify(JSON.parse(v1.text))).digest('hex')).toBe(overview.versions[0].contentHash);

    // The correction is compiled from the facts v1 was frozen with, not from the plan as the
    // adoption left it (everything unfinished carried over and deferred).
    const v2Draft = (await api('coordinator').get(`${R}/document`).expect(200)).body;
    expect(v2Draft).toMatchObject({ version: 2, draft: true, compiledAt: doc.compiledAt });
    expect(table(v2Draft, 'uppfoljning')).toEqual(followUp);
    // A draft's spreadsheet opens with the draft notice.
    const draftCsv = (await download('csv')).toString().split('\r\n');
    expect(draftCsv[0]).toMatch(/^\uFEFFUTKAST – inte antaget\./);
    expect(draftCsv[1]).toBe('Aktivitet;Ansvarig;Slutdatum;Status;Godkännande');
    const draftBook = new ExcelJS.Workbook();
    await draftBook.xlsx.load((await download('xlsx')) as never);
    expect(draftBook.worksheets[0]!.name).toMatch(/^UTKAST /);
    expect(draftBook.worksheets[0]!.getCell('A1').text).toMatch(/^UTKAST – inte antaget\./);

    // Adopted, the correction is frozen as version 2 beside v1, and carries nothing over again.
    const carried = await stack.models.activities.countDocuments({ orgId: ORG, planYear: YEAR + 1 });
    await api('coordinator').put(`${R}/sections/risker`, { text: 'Leverantörernas loggar är en risk som behandlas genom avtalskrav och logggranskning.' }).expect(200);
    await api('coordinator').post(`${R}/submit`).expect(200);
    await api('head').post(`${R}/adopt`, { decisions: ['Rättelsen av riskavsnittet antas.'] }).expect(200);
    await stack.env.client.workflow.getHandle(`review.${ORG}.${YEAR}.v2`).result();
    const versions = (await api('owner').get(R).expect(200)).body.versions;
    expect(versions).toEqual([
      expect.objectContaining({ version: 2, status: 'adopted', contentHash: expect.not.stringMatching(overview.versions[0].contentHash) }),
      expect.objectContaining({ version: 1, status: 'adopted', contentHash: overview.versions[0].contentHash }),
    ]);
    const v2 = (await api('owner').get(`${R}/document`).expect(200)).body;
    expect(v2).toMatchObject({ version: 2, corrects: `${ORG}.${YEAR}.v1`, draft: false, adoption: { decisions: ['Rättelsen av riskavsnittet antas.'] } });
    expect(table(v2, 'uppfoljning')).toEqual(followUp);
    expect(await stack.models.activities.countDocuments({ orgId: ORG, planYear: YEAR + 1 })).toBe(carried);
    expect((await api('coordinator').get(`/organisations/${ORG}`).expect(200)).body.plan).toMatchObject({ startYear: YEAR + 1, endYear: YEAR + 3 });

    // The roll-up holds the organisations the caller may read (a city-level viewer, signed in
    // through OIDC, reads all: test/api/oidc-api.test.ts), with counts and late activities.
    const city = await api('head').get(`/city/summary?year=${YEAR}`).expect(200);
    const mine = city.body.organisations.find((o: { id: string }) => o.id === ORG);
    // Everything unfinished was carried over to next year, so deferred in this one.
    expect(mine).toMatchObject({ total: YEAR_TOTAL, byStatus: { done: 1, deferred: YEAR_TOTAL - 1 }, late: [] });
    const asOther = await api('other').get(`/city/summary?year=${YEAR}`).expect(200);
    expect(asOther.body.organisations.map((o: { id: string }) => o.id)).not.toContain(ORG);
  });

  async function download(format: string): Promise<Buffer> {
    const res = await request(app)
      .get(`/api/v1${R}/export/${format}`)
      .set('authorization', auth.owner)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return res.body as Buffer;
  }
});

/** The plan moved whole years; its activities' deadlines follow their year (none has a date of its own). */
function startingIn(year: number, plan: PlanFile): PlanFile {
  const shift = year - plan.plan.startYear;
  if (plan.activities.some((a) => a.startDate || a.dueDate)) throw new Error('the seed plan now has dates of its own: move them too');
  return {
    ...plan,
    plan: { ...plan.plan, startYear: plan.plan.startYear + shift, endYear: plan.plan.endYear + shift },
    activities: plan.activities.map((a) => ({ ...a, year: a.year + shift })),
  };
}

function table(doc: { sections: { id: string; blocks: { type: string }[] }[] }, sectionId: string): { columns: string[]; rows: string[][] } {
  const found = doc.sections.find((x) => x.id === sectionId)?.blocks.find((b) => b.type === 'table');
  if (!found) throw new Error(`no table in section ${sectionId}`);
  return found as unknown as { columns: string[]; rows: string[][] };
}

async function docxXml(docx: Buffer): Promise<string> {
  return (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
}

/** Every part but the package's own timestamps. */
async function docxParts(docx: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(docx);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir && n !== 'docProps/core.xml').sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await zip.file(n)!.async('base64')])));
}

