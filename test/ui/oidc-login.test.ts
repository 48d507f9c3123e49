import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp } from '../support/api';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startOidcProvider, UI_CLIENT_ID, type TestOidcProvider } from '../support/oidc';
import { startTestStack, type TestStack } from '../support/stack';

const ROLE_MAP = JSON.stringify({ 'lisplan-ui-it': [{ orgId: 'ui-oidc', role: 'it-coordinator' }] });
const MAJA = { sub: 'maja-0001', name: 'Maja Modig', email: 'maja@example.se', groups: ['lisplan-ui-it'] };

/** The web UI's login through a real OpenID provider (authorization code with PKCE), in Chromium. */
describe('web UI login with OpenID Connect', () => {
  let stack: TestStack;
  let server: Server;
  let provider: TestOidcProvider;
  let browser: TestBrowser;
  let base: string;

  beforeAll(async () => {
    stack = await startTestStack();
    server = createServer();
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    provider = await startOidcProvider([MAJA], { redirectUris: [`${base}/logga-in/callback`] });
    const app = testApp(stack, { env: { publicUrl: base, oidc: { issuer: provider.issuer, clientId: UI_CLIENT_ID, audience: 'lisplan-api', rolesClaim: 'groups', roleMap: ROLE_MAP } } });
    server.on('request', app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await provider?.stop();
    await stack?.close();
  });

  it('logs in through the provider and lands on Mina uppgifter as the person the ID token names', async () => {
    const { page } = browser;
    // The test provider has no login form: it logs in the person named by login_hint. The test
    // adds it to the provider address lisplan sends the browser to, where a person would type it.
    await page.route(`${base}/logga-in/oidc`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers().location!);
      location.searchParams.set('login_hint', MAJA.sub);
      await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
    });
    await page.goto(`${base}/logga-in`);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/logga-in' || url.search === ''), page.getByRole('link', { name: 'Logga in med ditt organisationskonto' }).click()]);
    await page.waitForLoadState();
    if (page.url() !== `${base}/mina-uppgifter`) throw new Error(`ended at ${page.url()}: ${await page.locator('main').innerText()}`);
    await expect(page.locator('header').innerText()).resolves.toContain('Inloggad som Maja Modig');
    const user = await stack.models.users.findById(`oidc-${MAJA.sub}`).lean();
    expect(user).toMatchObject({ name: 'Maja Modig', memberships: [{ orgId: 'ui-oidc', roles: ['it-coordinator'] }] });
    // The session cookie is HttpOnly and SameSite=Lax.
    const cookie = (await browser.context.cookies(base)).find((c) => c.name === 'lisplan.sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('refuses a callback that does not belong to a login it started', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await page.goto(`${base}/logga-in/callback?code=forged&state=forged`);
    expect(page.url()).toBe(`${base}/logga-in`);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Inloggningen misslyckades. Försök igen.');
  });
});
