import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import type { Express } from 'express';
import { addYears, dateInZone } from '../../src/domain/deadlines';
import { decisionActivityId, emptySections, type CarryOverChoice, type ReviewState } from '../../src/domain/review';
import { titleWithoutYear } from '../../src/services/reviews/carry-over';
import { NOTHING_TO_REPORT } from '../../src/services/reviews/compile';
import type { PlanFile } from '../../src/domain/plan-file';
import { readPlanFile } from '../../src/services/plans/read-plan-file';
import { loadPlan } from '../../src/services/plans/load-plan';
import { bearerFor, type TestUser } from '../support/api';
import { testApp } from '../support/api';
import { settles } from '../support/eventually';
import { pdfUaVerdict } from '../support/pdf-ua';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A whole plan year against the real servers, for each seed organisation: the plan loaded; for
 * Södermalm tasks completed and milestones signed, one activity late and one deferred; the
 * review generated, edited, refused while a section is blank or an unfinished activity has no
 * carry-over choice, submitted, sent back, adopted with the förvaltningschef's conclusion and
 * decisions as data, and exported; next year's plan holding what was chosen to carry over and
 * the decisions' activities. The adopted document is checked for what ISO/IEC 27001:2022 9.3
 * asks (issue 16's "done when"): every 9.3.2 input a–g and the conclusion present and labelled,
 * one value per figure, the plan in the MSB handlingsplan's columns, every carry-over choice
 * printed, and no "Inget att redovisa." that nobody chose. The exports are read back as a
 * reader's tools would: the DOCX's XML, the PDF's text.
 */

/** The adopted review's PDF and DOCX are kept (git-ignored) so a person can read what the test read. */
const REVIEWS = path.join(__dirname, '..', '..', 'artifacts', 'reviews');
mkdirSync(REVIEWS, { recursive: true });

// A guard against a hang on a loaded machine, not a speed target.
jest.setTimeout(1_800_000);

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
const FK = 'fk-lg';
const FK_SEED = readPlanFile(path.join(__dirname, '../../plans/fastighetskontoret.yaml'));
const USERS: Record<'coordinator' | 'head' | 'owner' | 'other', TestUser> = {
  coordinator: { id: 'lg-fatima', name: 'Fatima Ali', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] },
  head: { id: 'lg-johan', name: 'Johan Wikström', memberships: [{ orgId: ORG, roles: ['head-of-administration'] }] },
  owner: { id: 'lg-owner', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator', 'information-owner', 'activity-owner'] }] },
  other: { id: 'lg-other', name: 'Frida Fastighet', memberships: [{ orgId: 'fk-lg', roles: ['security-coordinator', 'head-of-administration'] }] },
};

/** The förvaltningschef's 9.3 judgement: one "no", so that a reader can tell the answers apart. */
const CONCLUSION = { suitable: true, adequate: true, effective: false, comment: 'Ledningssystemet är lämpligt och tillräckligt men ännu inte effektivt: för många aktiviteter blev inte klara.' };
const PLAN_COLUMNS = ['Aktivitet', 'Mål/syfte', 'Åtgärd', 'Prioritet', 'Kostnad/resurs', 'Ansvarig', 'Start', 'Slut'];
type Choice = { choice: 'carry'; title: string; due: string } | { choice: 'done-in-part' | 'drop'; reason: string };

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
    await loadPlan({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue, models: stack.models, timeZone: stack.config.planTimeZone }, { ...startingIn(YEAR, FK_SEED), organisation: { ...FK_SEED.organisation, id: FK } });
    await settles(async () => expect(await stack.models.activities.countDocuments({ orgId: ORG })).toBe(SEED_TOTAL), 600_000);
    await settles(async () => expect(await stack.models.activities.countDocuments({ orgId: FK })).toBe(FK_SEED.activities.length), 600_000);
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

    // Two more of the year's activities to close at adoption: one done in part, one dropped.
    const [partialId, droppedId] = (await stack.models.activities.find({ orgId: ORG, planYear: YEAR, area: 'utbildning', status: 'planned' }).sort({ _id: 1 }).limit(2).lean()).map((a) => a._id) as [string, string];
    expect(droppedId).toBeDefined();

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

    // Submission is refused while an unfinished activity has no carry-over choice, and names them.
    const noChoice = await api('coordinator').post(`${R}/submit`).expect(409);
    expect(noChoice.body.detail).toContain('Ta fram rutin för logggranskning');
    const choices = await chooseCarryOver(ORG, api('coordinator'), R, {
      [lateId]: { choice: 'carry', title: 'Införa rutin för logggranskning', due: `${YEAR + 1}-03-31` },
      [partialId]: { choice: 'done-in-part', reason: 'Utbildningen är genomförd för chefer; medarbetarna utbildas i den ordinarie introduktionen.' },
      [droppedId]: { choice: 'drop', reason: 'Ersätts av stadens gemensamma e-utbildning.' },
    });
    await api('coordinator').post(`${R}/carry-over`, { choices: [{ activityId: lateId, choice: 'drop', reason: '' }] }).expect(400);

    // Then while a section is blank; the coordinator writes one and marks the rest as having nothing to report.
    const blank = await api('coordinator').post(`${R}/submit`).expect(409);
    expect(blank.body.detail).toMatch(/^Avsnitt utan text: .*c\) Intressenters behov och förväntningar/);
    await api('coordinator').put(`${R}/sections/intressenter`, { text: 'Stadsdelsnämnden vill ha en årlig redovisning; medarbetarna behöver stöd att rapportera incidenter.' }).expect(200);
    const marked = emptySections((await api('coordinator').get(R).expect(200)).body.review as ReviewState);
    for (const id of marked) await api('coordinator').post(`${R}/sections/${encodeURIComponent(id)}/nothing-to-report`, { value: true }).expect(200);
    await api('owner').post(`${R}/sections/risker/nothing-to-report`, { value: true }).expect(403);

    // Marked now, written after the förvaltningschef sent it back: printed as text, not as the mark.
    const printedAsMarked = marked.filter((id) => id !== 'risker');
    expect(printedAsMarked).toHaveLength(marked.length - 1);
    const submitted = await api('coordinator').post(`${R}/submit`).expect(200);
    // The submission records the figures it was handed in with.
    expect(submitted.body.state.submissions[0].figures).toMatchObject({ total: YEAR_TOTAL, done: 1, deferred: 1, late: 1 });
    await api('coordinator').put(`${R}/sections/risker`, { text: 'Inlämnad text kan inte ändras.' }).expect(409);
    const sentBack = await api('head').post(`${R}/request-changes`, { comment: 'Beskriv riskerna med leverantörernas loggar.' }).expect(200);
    expect(sentBack.body.state.status).toBe('changes-requested');
    await request(app).put(`/api/v1${R}/sections/risker`).set('authorization', auth.coordinator).set('if-match', `"${edited.body.revision}"`).send({ text: 'gammal' }).expect(412);
    await api('coordinator').put(`${R}/sections/risker`, { text: 'Leverantörernas loggar är en risk som behandlas genom avtalskrav.' }).expect(200);
    await api('coordinator').post(`${R}/submit`).expect(200);
    await api('coordinator').post(`${R}/adopt`, { decisions: ['Genomgången godkänns.'], conclusion: CONCLUSION }).expect(403);
    // Adoption needs the förvaltningschef's conclusion.
    await api('head').post(`${R}/adopt`, { decisions: ['Utan slutsats.'] }).expect(400);
    const decisions = [
      { text: `Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.` },
      { text: 'Riskanalysen av leverantörernas loggar ska vara klar.', owner: 'security-coordinator', due: `${YEAR + 1}-06-30` },
    ];
    const adopted = await api('head').post(`${R}/adopt`, { decisions, conclusion: CONCLUSION }).expect(200);
    expect(adopted.body.state.status).toBe('adopted');
    expect(adopted.body.state.revisions.map((r: { sectionId: string }) => r.sectionId)).toEqual(['sammanfattning', 'omvarldsbevakning', 'intressenter', 'risker']);

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
    expect(successor).toMatchObject({ key: 'sena-loggrutiner', title: 'Införa rutin för logggranskning', dueDate: `${YEAR + 1}-03-31`, status: 'planned' });
    await projected(lateId, 'deferred');
    const origin = (await api('coordinator').get(`/activities/${lateId}`).expect(200)).body;
    expect(origin.deferral).toMatchObject({ by: { userId: 'lg-johan' }, comment: `Överförd till ${YEAR + 1} när ledningens genomgång ${YEAR} antogs.` });
    expect(await stack.models.activities.exists({ orgId: ORG, planYear: YEAR + 1, continues: deferredId })).toBeTruthy();
    expect(await stack.models.activities.exists({ orgId: ORG, planYear: YEAR + 1, continues: doneId })).toBeFalsy();
    // Closed as chosen, with the reason; nothing continues them.
    await projected(partialId, 'cancelled');
    await projected(droppedId, 'cancelled');
    expect((await stack.models.activities.findById(partialId).lean())!.cancellation!.comment).toBe(`Avslutad som delvis genomförd vid ledningens genomgång ${YEAR}: Utbildningen är genomförd för chefer; medarbetarna utbildas i den ordinarie introduktionen.`);
    expect((await stack.models.activities.findById(droppedId).lean())!.cancellation!.comment).toBe(`Stryks vid ledningens genomgång ${YEAR}: Ersätts av stadens gemensamma e-utbildning.`);
    expect(await stack.models.activities.exists({ continues: { $in: [partialId, droppedId] } })).toBeFalsy();
    // A carried activity's title no longer names the year it left.
    // Each successor projects itself once started: wait for all of them, not only the one above.
    const carriedTitles = await settles(async () => {
      const titles = (await stack.models.activities.find({ orgId: ORG, planYear: YEAR + 1, continues: { $exists: true } }).lean()).map((a) => a.title);
      expect(titles.length).toBe(choices.filter((c) => c.choice === 'carry').length);
      return titles;
    }, 60_000);
    expect(carriedTitles.filter((t) => new RegExp(`\\b${YEAR}\\b`).test(t))).toEqual([]);
    // The decision with an owner and a date is next year's activity, linked back to the review.
    const decisionId = decisionActivityId(ORG, YEAR, 1);
    const decided = await settles(async () => {
      const doc = await stack.models.activities.findById(decisionId).lean();
      expect(doc).toBeTruthy();
      return doc!;
    }, 600_000);
    expect(decided).toMatchObject({ planYear: YEAR + 1, title: decisions[1]!.text, dueDate: `${YEAR + 1}-06-30`, owner: { role: 'security-coordinator' }, sourceSection: `LG ${YEAR} 9.3.3` });
    expect(await stack.models.activities.exists({ _id: decisionActivityId(ORG, YEAR, 0) })).toBeFalsy();
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
      'Underlag för genomgången (ISO/IEC 27001:2022, 9.3.2)',
      'Cybersäkerhetslagen',
      `Treårsplan ${YEAR + 1}–${YEAR + 3}`,
      'Slutsats och beslut',
    ]);
    const text = JSON.stringify(doc);
    expect(text).toContain(`Planen för ${YEAR} omfattade ${YEAR_TOTAL} aktiviteter: 1 var genomförd (varav 0 verifierade), ${YEAR_TOTAL - 2} var inte avslutade, 1 var uppskjuten och 0 var avbrutna.`);
    expect(text).toContain('1 aktivitet var försenad');
    expect(text).toContain('Leverantörernas loggar är en risk');
    checkAdoptedDocument(doc, { marked: printedAsMarked, choices });
    const decisionRows = table(doc, 'beslut').rows;
    expect(decisionRows).toEqual([
      [decisions[0]!.text, '–', '–', '–'],
      [decisions[1]!.text, 'Informationssäkerhetssamordnare', `${YEAR + 1}-06-30`, decisionId],
    ]);
    // The follow-up table names each sign-off with its date and approver.
    const followUp = table(doc, 'uppfoljning');
    const doneTitle = (await stack.models.activities.findById(doneId).lean())!.title;
    const doneRow = followUp.rows.find((r) => r[0] === doneTitle)!;
    expect(doneRow[3]).toBe('Genomförd');
    expect(doneRow[4]).toMatch(/godkänd \d{4}-\d{2}-\d{2} av Johan Wikström/);
    // The ten measures of NIS2 article 21.2, cited as the law does: the nis2 template's tasks cover
    // every one even where no activity is tagged with it.
    const nis2 = table(doc, 'cybersakerhetslagen');
    expect(nis2.rows.map((r) => r[0]!.split(' ').slice(0, 2).join(' '))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((l) => `21.2 ${l}`));
    expect(nis2.rows.filter((r) => r[2] !== 'Ja')).toEqual([]);
    expect(text).toContain('10 av 10 åtgärder hade en aktivitet eller en uppgift i planen');
    expect(text).not.toContain('Åtgärder utan aktivitet');
    // The reporting duties each have the routine that implements them; the management training has its section.
    expect(table(doc, 'nis2-rapportering').rows.map((r) => [r[0], r[2] !== 'Ingen rutin i planen'])).toEqual([['Tidig varning', true], ['Incidentanmälan', true], ['Slutrapport', true]]);
    expect(doc.sections.find((x: { id: string }) => x.id === 'nis2-ledningens-utbildning').title).toBe('Ledningens utbildning (artikel 20)');

    // Exports: the same frozen snapshot renders the same content every time.
    const docx = await download('docx');
    const xml = await docxXml(docx);
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*?<w:t[^>]*>1 Sammanfattning<\/w:t>/);
    expect(xml).toMatch(new RegExp(`<w:pStyle w:val="Heading3"/>.*?<w:t[^>]*>4\\.\\d+\\.1 Läget ${YEAR}</w:t>`));
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain('Ta fram rutin för logggranskning');
    expect(xml).toContain('<w:instrText xml:space="preserve">PAGEREF _Toc1</w:instrText>');
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
    expect(await pdfUaVerdict(pdfFile)).toBe(`PASS ${pdfFile}`);
    const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString();
    expect(pdfText).toContain(`Ledningens genomgång ${YEAR}`);
    expect(pdfText).toContain('6 Cybersäkerhetslagen');
    expect(pdfText).toMatch(/Antal informationsklassningar[^\n]*74[^\n]*98/);
    checkPrinted(pdfText, printedAsMarked.length);
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
    expect(landscape(pageWith(`Handlingsplan ${YEAR + 1}`))).toBe(true);
    // The charts are in the PDF as images, as in the DOCX.
    const images = execFileSync('pdfimages', ['-list', pdfFile]).toString().trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect((await download('pdf')).equals(pdf)).toBe(true);

    const md = (await download('md')).toString();
    expect(md).toContain('## 1 Sammanfattning');
    expect(md).toContain(`| Ta fram rutin för logggranskning | It-samordnare | ${LATE_DUE} | Pågick, försenad | – |`);
    const html = (await download('html')).toString();
    expect(html).toContain('<h2>1 Sammanfattning</h2>');
    expect(html).toContain('lämpligt: ja; tillräckligt: ja; effektivt: nej');
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
    // A correction keeps its original's marks and carries nothing over, so it needs no choices.
    await api('coordinator').post(`${R}/submit`).expect(200);
    await api('head').post(`${R}/adopt`, { decisions: ['Rättelsen av riskavsnittet antas.'], conclusion: CONCLUSION }).expect(200);
    await stack.env.client.workflow.getHandle(`review.${ORG}.${YEAR}.v2`).result();
    const versions = (await api('owner').get(R).expect(200)).body.versions;
    expect(versions).toEqual([
      expect.objectContaining({ version: 2, status: 'adopted', contentHash: expect.not.stringMatching(overview.versions[0].contentHash) }),
      expect.objectContaining({ version: 1, status: 'adopted', contentHash: overview.versions[0].contentHash }),
    ]);
    const v2 = (await api('owner').get(`${R}/document`).expect(200)).body;
    expect(v2).toMatchObject({ version: 2, corrects: `${ORG}.${YEAR}.v1`, draft: false, adoption: { decisions: [{ text: 'Rättelsen av riskavsnittet antas.' }] } });
    checkAdoptedDocument(v2, { marked: printedAsMarked, choices });
    expect(table(v2, 'uppfoljning')).toEqual(followUp);
    expect(await stack.models.activities.countDocuments({ orgId: ORG, planYear: YEAR + 1 })).toBe(carried);
    expect((await api('coordinator').get(`/organisations/${ORG}`).expect(200)).body.plan).toMatchObject({ startYear: YEAR + 1, endYear: YEAR + 3 });

    // The roll-up holds the organisations the caller may read (a city-level viewer, signed in
    // through OIDC, reads all: test/api/oidc-api.test.ts), with counts and late activities.
    const city = await api('head').get(`/city/summary?year=${YEAR}`).expect(200);
    const mine = city.body.organisations.find((o: { id: string }) => o.id === ORG);
    // Everything unfinished was carried over to next year, so deferred in this one, but the two closed as chosen.
    expect(mine).toMatchObject({ total: YEAR_TOTAL, byStatus: { done: 1, cancelled: 2, deferred: YEAR_TOTAL - 3 }, late: [] });
    const asOther = await api('other').get(`/city/summary?year=${YEAR}`).expect(200);
    expect(asOther.body.organisations.map((o: { id: string }) => o.id)).not.toContain(ORG);
  });

  /**
   * The coordinator's choice for each of the year's unfinished activities: the given ones, and
   * for the rest the form's suggestion (carry over, the title without the year, due a year on).
   */
  async function chooseCarryOver(orgId: string, as: ReturnType<typeof api>, reviewPath: string, given: Record<string, Choice>): Promise<CarryOverChoice[]> {
    const unfinished = await stack.models.activities.find({ orgId, planYear: YEAR, status: { $in: ['planned', 'in-progress', 'blocked', 'changes-requested', 'deferred'] } }).sort({ _id: 1 }).lean();
    const choices: CarryOverChoice[] = unfinished.map((a) => ({ activityId: a._id, ...(given[a._id] ?? { choice: 'carry' as const, title: titleWithoutYear(a.title, YEAR), due: addYears(a.dueDate, 1) }) }));
    expect(Object.keys(given).every((id) => choices.some((c) => c.activityId === id))).toBe(true);
    await as.post(`${reviewPath}/carry-over`, { choices }).expect(200);
    return choices;
  }

  it('adopts Fastighetskontoret’s review: its objectives, registers and figures, every input labelled', async () => {
    const fk = { get: (p: string) => api('other').get(p), post: (p: string, body: object = {}) => api('other').post(p, body), put: (p: string, body: object) => api('other').put(p, body) };
    const F = `/organisations/${FK}/reviews/${YEAR}`;
    await fk.post(F, { diaryNumber: 'FK 1/1' }).expect(201);
    await api('coordinator').get(F).expect(403);
    await fk.put(`${F}/sections/sammanfattning`, { text: `Fastighetskontoret har under ${YEAR} arbetat med den lokala anvisningen och informationsklassningen.` }).expect(200);
    const choices = await chooseCarryOver(FK, fk, F, {});
    const marked = emptySections((await fk.get(F).expect(200)).body.review as ReviewState);
    for (const id of marked) await fk.post(`${F}/sections/${encodeURIComponent(id)}/nothing-to-report`, { value: true }).expect(200);
    await fk.post(`${F}/submit`).expect(200);
    await fk.post(`${F}/adopt`, { decisions: [{ text: 'Den lokala anvisningen revideras.', owner: 'security-coordinator', due: `${YEAR + 1}-09-30` }], conclusion: CONCLUSION }).expect(200);
    // The run ends once the plan is carried over and the decision's activity started.
    await stack.env.client.workflow.getHandle(`review.${FK}.${YEAR}.v1`).result();
    const doc = (await fk.get(`${F}/document`).expect(200)).body;
    checkAdoptedDocument(doc, { marked, choices });
    // The objectives (KF-mål and nämndmål) are printed with their expected results (9.3.2 d).
    const goals = table(doc, 'mal');
    expect(goals.rows.map((r) => r[0])).toEqual(FK_SEED.goals.map((g) => `${g.kind === 'kf-mål' ? 'KF-mål' : 'Nämndmål'}: ${g.title}`));
    expect(JSON.stringify(goals.rows)).toContain(FK_SEED.goals.find((g) => g.expectedResults.length)!.expectedResults[0]!);
    // The seeded registers are printed as tables (9.3.2 c, d, f).
    for (const [section, rows] of [['intressenter', FK_SEED.registers!.intressenter], ['avvikelser', FK_SEED.registers!.avvikelser], ['revisioner', FK_SEED.registers!.revisioner]] as const) {
      expect({ section, rows: table(doc, section).rows.length }).toEqual({ section, rows: rows.length });
    }
    await settles(async () => expect(await stack.models.activities.exists({ _id: decisionActivityId(FK, YEAR, 0), planYear: YEAR + 1 })).toBeTruthy(), 600_000);
    await fk.get(`${F}/export/pdf`).expect(200);
    const pdfFile = path.join(REVIEWS, `ledningens-genomgang-${YEAR}-fastighetskontoret.pdf`);
    writeFileSync(pdfFile, await download('pdf', F, 'other'));
    expect(await pdfUaVerdict(pdfFile)).toBe(`PASS ${pdfFile}`);
    checkPrinted(execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString(), marked.length);
  });

  async function download(format: string, reviewPath = R, who: keyof typeof USERS = 'owner'): Promise<Buffer> {
    const res = await request(app)
      .get(`/api/v1${reviewPath}/export/${format}`)
      .set('authorization', auth[who])
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

/** The plan moved whole years, with its key figures; its activities' deadlines follow their year (none has a date of its own). */
function startingIn(year: number, plan: PlanFile): PlanFile {
  const shift = year - plan.plan.startYear;
  if (plan.activities.some((a) => a.startDate || a.dueDate)) throw new Error('the seed plan now has dates of its own: move them too');
  return {
    ...plan,
    plan: { ...plan.plan, startYear: plan.plan.startYear + shift, endYear: plan.plan.endYear + shift },
    activities: plan.activities.map((a) => ({ ...a, year: a.year + shift })),
    kpis: plan.kpis.map((k) => ({ ...k, values: k.values.map((v) => ({ ...v, year: v.year + shift })) })),
  };
}

type Doc = { sections: { id: string; level: number; title: string; blocks: { type: string; text?: string; caption?: string; columns?: string[]; rows?: string[][] }[] }[] };

/**
 * What an adopted review must hold whatever the organisation (issue 16's "done when"): 9.3.2 a–g
 * and the conclusion labelled; each figure with one value wherever it appears; the plan in the
 * MSB columns for three years; every carry-over choice printed; only chosen "inget att redovisa".
 */
function checkAdoptedDocument(doc: Doc, opts: { marked: string[]; choices: CarryOverChoice[] }): void {
  const section = (id: string) => doc.sections.find((s) => s.id === id);
  const textOf = (id: string) => section(id)!.blocks.map((b) => b.text ?? '').join(' ');
  expect(section('underlag')!.title).toBe('Underlag för genomgången (ISO/IEC 27001:2022, 9.3.2)');
  const labels = doc.sections.filter((s) => s.level === 2 && /^[a-g]\) /.test(s.title)).map((s) => s.title.slice(0, 2));
  expect(labels).toEqual(['a)', 'b)', 'c)', 'd)', 'e)', 'f)', 'g)']);
  expect(section('beslut')!.title).toBe('Slutsats och beslut');
  expect(textOf('beslut')).toContain('Slutsats (ISO/IEC 27001:2022, 9.3): ledningssystemet för informationssäkerhet bedömdes lämpligt: ja; tillräckligt: ja; effektivt: nej.');
  expect(textOf('beslut')).toContain(CONCLUSION.comment);

  // One value per figure: the summary, the follow-up table and input a) agree.
  const [, total, done, , deferred, cancelled] = textOf('sammanfattning').match(/omfattade (\d+) aktivitet(?:er)?: (\d+) var \S+ \(varav \d+ \S+\), (\d+) var inte \S+, (\d+) var \S+ och (\d+) var \S+\./)!.map(Number);
  const lateMatch = textOf('sammanfattning').match(/(Ingen|\d+) aktivitet(?:er)? var försenad/)!;
  const late = lateMatch[1] === 'Ingen' ? 0 : Number(lateMatch[1]);
  const rows = table(doc, 'uppfoljning').rows;
  expect(rows.length).toBe(total);
  expect(rows.filter((r) => /^(Genomförd|Verifierad)/.test(r[3]!)).length).toBe(done);
  expect(rows.filter((r) => r[3]!.startsWith('Uppskjuten')).length).toBe(deferred);
  expect(rows.filter((r) => r[3]!.startsWith('Avbruten')).length).toBe(cancelled);
  expect(rows.filter((r) => r[3]!.endsWith(', försenad')).length).toBe(late);
  // Input a) repeats the summary's sentences word for word: every status counted, cancelled ones too.
  expect(textOf('underlag-a')).toContain(textOf('sammanfattning').match(/Planen för \d{4} omfattade .*? slutdatum\./)![0]);
  // Incidents: the chapter's total for each year is the key figure's value for that year.
  const incidents = textOf('incidenter').match(/Under (\d{4}) rapporterades (\d+) informationssäkerhetsincidenter, mot (\d+) under (\d{4})/);
  const kpiTable = section('nyckeltal')!.blocks.find((b) => b.type === 'table');
  const incidentRow = kpiTable?.rows!.find((r) => r[0]!.startsWith('Rapporterade informationssäkerhetsincidenter'));
  // (A year with no incidents and no key figure has no column: nothing there to disagree.)
  for (const [y, n] of incidents && incidentRow ? [[incidents[1]!, incidents[2]!], [incidents[4]!, incidents[3]!]] : []) {
    const column = kpiTable!.columns!.indexOf(y!);
    if (column >= 0) expect({ year: y, value: incidentRow![column] }).toEqual({ year: y, value: n });
  }

  // The plan chapter: three years, each in the MSB handlingsplan's columns, with real dates.
  const plan = section('trearsplan')!.blocks.filter((b) => b.type === 'table');
  const year = Number(textOf('sammanfattning').match(/Planen för (\d{4})/)![1]);
  expect(plan.map((b) => [b.caption, b.columns])).toEqual([1, 2, 3].map((n) => [`Handlingsplan ${year + n}`, PLAN_COLUMNS]));
  for (const row of plan.flatMap((b) => b.rows!)) {
    expect(row[6]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row[7]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row[6]! <= row[7]!).toBe(true);
  }
  // Carried work is in next year's plan under its new title and date; closed work is not.
  const nextYear = plan[0]!.rows!;
  for (const c of opts.choices) {
    if (c.choice === 'carry') expect(nextYear).toContainEqual(expect.arrayContaining([`${c.title} (överförs från ${year})`, c.due]));
  }

  // Every choice printed with its reason; none left without one.
  const carry = section('uppfoljning')!.blocks.filter((b) => b.type === 'table')[1]!;
  expect(carry.caption).toBe(`Ej avslutade aktiviteter: beslut om överföring till ${year + 1}`);
  expect(carry.rows!.length).toBe(opts.choices.length);
  expect(carry.rows!.filter((r) => r[2] === 'Inget val gjort')).toEqual([]);
  for (const c of opts.choices) {
    if (c.choice === 'drop') expect(carry.rows!.map((r) => r[2])).toContain(`Stryks: ${c.reason}`);
    if (c.choice === 'done-in-part') expect(carry.rows!.map((r) => r[2])).toContain(`Avslutas som delvis genomförd: ${c.reason}`);
  }

  // "Inget att redovisa" only where the coordinator chose it, and said as their judgement.
  const blocks = doc.sections.flatMap((s) => s.blocks);
  expect(blocks.filter((b) => b.type === 'narrative' && !b.text!.trim())).toEqual([]);
  expect(blocks.filter((b) => b.text === NOTHING_TO_REPORT).length).toBe(opts.marked.length);
}

/** The printed document: the labels and the conclusion are there, and no blank section printed as "Inget att redovisa.". */
function checkPrinted(pdfText: string, marked: number): void {
  const flat = pdfText.replace(/\s+/g, ' ');
  for (const label of ['a) Status för åtgärder', 'b) Förändringar i externa', 'c) Intressenters behov', 'd) Återkoppling om', 'e) Återkoppling från intressenter', 'f) Riskbedömning', 'g) Möjligheter till ständig förbättring', 'Slutsats (ISO/IEC 27001:2022, 9.3)']) {
    expect({ label, found: flat.includes(label) }).toEqual({ label, found: true });
  }
  expect(flat).not.toContain('Inget att redovisa.');
  expect(flat.split('Inget att redovisa (informationssäkerhetssamordnarens bedömning).').length - 1).toBe(marked);
  for (const column of PLAN_COLUMNS) expect(flat).toContain(column);
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

