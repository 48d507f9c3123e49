import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/provision-test-packages.sh), never a downloaded browser build. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'artifacts', 'screenshots');
/** The screenshots the README shows, committed, so they are always the tests' own. */
export const README_SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Another context (its own cookies), e.g. a phone or a browser without JavaScript. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** How long a page, a click or a download may take before the test calls it a hang. */
export const BROWSER_WAIT_MS = 300_000;

/** A Swedish user in Stockholm on a desktop screen, unless the options say otherwise. */
const SWEDISH_DESKTOP: BrowserContextOptions = { locale: 'sv-SE', timezoneId: 'Europe/Stockholm', viewport: { width: 1280, height: 900 }, acceptDownloads: true };

/**
 * Chromium keeps the real clock when scripts/test-on-date.sh moves the stack's: under
 * libfaketime it spins (a GPU process at 50 % CPU and pages that never load), and the pages are
 * rendered by the server, whose clock is the moved one, so the browser's is not what they show.
 */
function withoutFakeClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('FAKETIME') && name !== 'LD_PRELOAD'));
  const preload = env.LD_PRELOAD?.split(/[: ]/).filter((lib) => lib && !lib.includes('faketime')).join(':');
  return { ...rest, ...(preload ? { LD_PRELOAD: preload } : {}) };
}

/** A headless Chromium; every context is a Swedish reader's. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Form controls (date inputs) follow the browser's own language, which on Linux comes from
    // the environment and needs Debian's chromium-l10n; the context's locale does not reach them.
    env: { ...withoutFakeClock(process.env), LANGUAGE: 'sv', LANG: 'sv_SE.UTF-8' },
  });
  const newPage = async (options: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ ...SWEDISH_DESKTOP, ...options });
    // Playwright's 30 s is a speed target on a loaded two-core machine (a DOCX download timed
    // out there); waits are hang guards, so they are as long as jest's own.
    context.setDefaultTimeout(BROWSER_WAIT_MS);
    return context.newPage();
  };
  const page = await newPage();
  return { context: page.context(), page, newPage, close: () => browser.close() };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) is kept.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() => {
    const g = globalThis as unknown as { axe: typeof axe; document: Parameters<typeof axe.run>[0] };
    return g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A full-page screenshot under artifacts/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The screenshot also becomes the README's picture of the page (docs/screenshots/). */
export async function readmeScreenshot(file: string): Promise<void> {
  await mkdir(README_SCREENSHOTS, { recursive: true });
  await copyFile(file, path.join(README_SCREENSHOTS, path.basename(file)));
}
