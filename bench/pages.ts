import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { createLogger } from '../src/platform/logger';
import type { RoleName } from '../src/domain/roles';
import { sequential } from './measure';
import { LISTER } from './read-model-docs';
import type { BenchContext } from './scenarios';
import { seedOrganisations, seedReadModel } from './scenarios';
import type { BenchSizes } from './sizes';

/** The organisation whose pages are measured: all of BENCH_PAGE_ACTIVITIES are its own. */
const PAGES_ORG = 'sidor';
/** What a page may take at p95 (issue 20, item 7). */
const TARGET_P95_MS = 200;

interface PageUser {
  id: string;
  name: string;
  roles: RoleName[];
  cityViewer?: boolean;
}

const COORDINATOR: PageUser = { id: 'sidor-samordnare', name: 'Sara Samordnare', roles: ['security-coordinator'] };
const OWNER: PageUser = { id: LISTER.userId, name: LISTER.name, roles: ['activity-owner'] };
const HEAD: PageUser = { id: 'sidor-chef', name: 'Hedda Chef', roles: ['head-of-administration'] };
const CITY: PageUser = { id: 'sidor-staden', name: 'Stina Stad', roles: [], cityViewer: true };

/**
 * (7) The web UI's HTML pages at BENCH_PAGE_ACTIVITIES activities in one organisation, as each
 * kind of user sees them: the app in this process with the stack's store and Temporal, a real
 * session from the demo login, every request answered 200 and read to the end.
 */
export async function pages(ctx: BenchContext, sizes: BenchSizes): Promise<void> {
  const count = sizes.BENCH_PAGE_ACTIVITIES;
  ctx.log(`pages: seeding ${count} activities in ${PAGES_ORG}`);
  await seedOrganisations(ctx, [PAGES_ORG]);
  await seedReadModel(ctx, 0, count, () => PAGES_ORG);
  for (const u of [COORDINATOR, OWNER, HEAD, CITY]) {
    await ctx.models.users.updateOne(
      { _id: u.id },
      { $set: { name: u.name, email: `${u.id}@bench.lisplan.se`, demo: true, cityViewer: u.cityViewer ?? false }, $push: { memberships: { orgId: PAGES_ORG, roles: u.roles } } },
      { upsert: true },
    );
  }
  const someActivity = (await ctx.models.activities.findOne({ orgId: PAGES_ORG }).select({ _id: 1 }).lean())!._id;

  const app = createApp({ config: { ...ctx.config, devLogin: true }, logger: createLogger({ logLevel: 'error' }, 'bench'), client: ctx.client, store: ctx.store, models: ctx.models });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const measured: [string, PageUser, string][] = [
      ['Översikt (coordinator start page)', COORDINATOR, `/oversikt?org=${PAGES_ORG}`],
      ['Planöversikt, first page', COORDINATOR, `/planoversikt?org=${PAGES_ORG}`],
      ['Planöversikt, search and sort', COORDINATOR, `/planoversikt?org=${PAGES_ORG}&sok=Aktivitet%201&sortering=title`],
      ['Aktivitet', COORDINATOR, `/aktiviteter/${encodeURIComponent(someActivity)}`],
      ['Mina uppgifter (owner)', OWNER, '/mina-uppgifter'],
      ['Att godkänna (förvaltningschef)', HEAD, '/att-godkanna'],
      ['Staden (city reader)', CITY, '/staden'],
    ];
    for (const [name, user, path] of measured) {
      const cookie = await login(base, user.id);
      const get = async () => {
        const res = await fetch(base + path, { headers: { cookie, 'x-forwarded-proto': 'https' }, redirect: 'manual' });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path} as ${user.id}: ${res.status} ${body.slice(0, 200)}`);
      };
      await sequential(5, get);
      const figures = await sequential(sizes.BENCH_PAGE_REQUESTS, get);
      ctx.rows.push({
        section: 'pages',
        name: `${name}, ${count} activities`,
        figures,
        ratio: figures.p95 < TARGET_P95_MS ? `p95 under ${TARGET_P95_MS} ms` : `p95 OVER ${TARGET_P95_MS} ms`,
      });
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * A session as a browser gets one: the login page's cookie and CSRF token, then the demo login.
 * The app runs as in production, where the session cookie is Secure: the requests say they came
 * through the TLS-terminating proxy, as they would.
 */
async function login(base: string, userId: string): Promise<string> {
  const proxied = { 'x-forwarded-proto': 'https' };
  const form = await fetch(`${base}/logga-in`, { headers: proxied });
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`the login page (${form.status}) has no demo login form: ${html.slice(0, 300)}`);
  const cookie = cookieOf(form);
  const res = await fetch(`${base}/logga-in/demo`, {
    method: 'POST',
    headers: { ...proxied, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, userId }).toString(),
    redirect: 'manual',
  });
  await res.text();
  const session = cookieOf(res) || cookie;
  if (res.status !== 303 && res.status !== 302) throw new Error(`demo login as ${userId}: ${res.status}`);
  return session;
}

function cookieOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}
