import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import { bearerFor, testApp, type TestUser } from './api';
import { launchBrowser, screenshot, seriousViolations, type TestBrowser } from './browser';
import { thisYear } from './calendar';
import { startTestStack, type TestStack } from './stack';

export interface UiOrganisation {
  id: string;
  name: string;
  areas?: { id: string; name: string }[];
}

/** The real stack, the app on a loopback port with demo login, and Chromium: what every browser test starts from. */
export interface UiSession {
  stack: TestStack;
  app: Express;
  base: string;
  browser: TestBrowser;
  page: Page;
  /** A bearer token per user id, for setting the scene through the API. */
  auth: Record<string, string>;
  /** Screenshot and axe-core scan of the page as it is now; any serious or critical violation fails. */
  check(name: string, on?: Page): Promise<string>;
  /** Clicks a form's button (or a link) and waits for the page it leads to. */
  submit(button: ReturnType<Page['locator']>, on?: Page): Promise<void>;
  /** Logs in as a demo user, from no session. */
  loginAs(user: TestUser, on?: Page): Promise<void>;
  /** What the page confirmed (role=status); an error (role=alert) instead shows in the failure. */
  flash(on?: Page): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_AREAS = [
  { id: 'ai', name: 'AI och nya tjänster' },
  { id: 'styrning', name: 'Styrning och riskhantering' },
];

export async function startUiSession(opts: { organisations: UiOrganisation[]; users: TestUser[]; env?: Partial<TestStack['config']> }): Promise<UiSession> {
  const stack = await startTestStack();
  const app = testApp(stack, { env: { devLogin: true, ...opts.env } });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const year = thisYear();
  for (const org of opts.organisations) {
    await stack.models.organisations.create({ _id: org.id, name: org.name, plan: { startYear: year, endYear: year + 2 }, areas: org.areas ?? DEFAULT_AREAS, goals: [], updatedAt: new Date() });
  }
  const auth: Record<string, string> = {};
  for (const u of opts.users) {
    auth[u.id] = await bearerFor(stack.models, u);
    await stack.models.users.updateOne({ _id: u.id }, { $set: { demo: true } });
  }
  const browser = await launchBrowser();
  const page = browser.page;

  const submit = async (button: ReturnType<Page['locator']>, on: Page = page) => {
    await Promise.all([on.waitForNavigation(), button.click()]);
  };
  return {
    stack,
    app,
    base,
    browser,
    page,
    auth,
    submit,
    async check(name, on = page) {
      const file = await screenshot(on, name);
      expect({ page: name, violations: await seriousViolations(on) }).toEqual({ page: name, violations: [] });
      return file;
    },
    async loginAs(u, on = page) {
      await on.context().clearCookies();
      await on.goto(`${base}/logga-in`);
      await on.getByLabel('Välj en demoanvändare').selectOption(u.id);
      await submit(on.getByRole('button', { name: 'Logga in som demoanvändare' }), on);
      await on.waitForLoadState();
      if (on.url().endsWith('/logga-in')) throw new Error(`login as ${u.id} stayed at the login page: ${await on.locator('main').innerText()}`);
    },
    async flash(on = page) {
      const [ok, error] = await Promise.all([on.getByRole('status').first().innerText(), on.getByRole('alert').first().innerText()]);
      return error ? `${ok} [fel: ${error}]` : ok;
    },
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      await stack.close();
    },
  };
}
