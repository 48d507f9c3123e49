import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { bearerFor, type TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

const YEAR = thisYear();
const USER: TestUser = { id: 'l-agare', name: 'Lova Ägare', memberships: [{ orgId: 'loggar', roles: ['it-coordinator'] }] };

/**
 * A calendar feed's URL is its credential (calendar clients send no token), so it must not end
 * up in the request log, which operators read and ship elsewhere. The app logs at info level
 * into memory here, as it logs in production.
 */
describe('the request log', () => {
  let stack: TestStack;
  let app: Express;
  const lines: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    app = createApp({ config: stack.config, logger, client: stack.env.client, store: stack.store, models: stack.models });
    await stack.models.organisations.create({ _id: 'loggar', name: 'Loggförvaltningen', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
  });
  afterAll(() => stack?.close());

  it('leaves out the secret of a calendar feed’s URL, however the path is written', async () => {
    const auth = await bearerFor(stack.models, USER);
    const created = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth).expect(201);
    const path = new URL(created.body.url as string).pathname;
    const secret = path.split('/').pop()!.replace(/\.ics$/, '');
    const mistyped = path.replace(secret, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);

    lines.length = 0;
    await request(app).get(path).expect(200);
    await request(app).get(`${path}?x=1`).expect(200);
    // Whatever answers it, an upper-case path carries the same secret.
    await request(app).get(path.replace('/api/v1/calendar/', '/API/V1/CALENDAR/'));
    await request(app).get(mistyped).expect(404);
    await request(app).get(`/api/v1/calendar/${secret}`).expect(400);

    const logged = lines.map((l) => JSON.parse(l) as { req?: { url: string }; msg: string });
    expect(logged.map((l) => l.req?.url)).toEqual([
      '/api/v1/calendar/[redacted]',
      '/api/v1/calendar/[redacted]',
      '/API/V1/CALENDAR/[redacted]',
      '/api/v1/calendar/[redacted]',
      '/api/v1/calendar/[redacted]',
    ]);
    // Half the secret is still most of a credential: none of it anywhere in the log.
    expect(lines.join('\n')).not.toContain(secret.slice(0, 20));
    expect(lines.join('\n')).not.toContain(secret.slice(-20));
  });

  it('keeps other paths as they are', async () => {
    const auth = await bearerFor(stack.models, USER);
    lines.length = 0;
    await request(app).get('/api/v1/me').set('authorization', auth).expect(200);
    await request(app).get('/api/v1/organisations/loggar/activities?limit=5').set('authorization', auth).expect(200);
    expect(lines.map((l) => (JSON.parse(l) as { req?: { url: string } }).req?.url)).toEqual(['/api/v1/me', '/api/v1/organisations/loggar/activities']);
  });
});
