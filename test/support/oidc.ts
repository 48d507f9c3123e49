import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/stack/free-port';

/** A user of the test provider; see oidc-provider.mjs. */
export interface TestAccount {
  sub: string;
  name?: string;
  email?: string;
  groups?: string[];
  /** Lifetime of this user's access tokens in seconds (default 600). */
  accessTokenTtl?: number;
  /** The provider leaves `sub` out of this user's access tokens. */
  omitSubject?: boolean;
}

export interface TestOidcProvider {
  /** e.g. http://127.0.0.1:41234 */
  issuer: string;
  /**
   * Tokens for a user, got the way a browser would: the authorization-code flow with PKCE
   * (client lisplan-test), logging in as `sub` through the provider's interaction.
   * The access token is a JWT for `audience` (default lisplan-api).
   */
  tokenFor(sub: string, opts?: { audience?: string }): Promise<{ accessToken: string; idToken: string }>;
  stop(): Promise<void>;
}

export const TEST_CLIENT = { id: 'lisplan-test', secret: 'lisplan-test-secret', redirectUri: 'http://127.0.0.1/lisplan-test/callback' };
export const UI_CLIENT_ID = 'lisplan-ui';
export const AUDIENCE_PREFIX = 'urn:lisplan:audience:';

const SCRIPT = path.join(__dirname, 'oidc-provider.mjs');

/**
 * Starts the real OpenID provider (oidc-provider, in its own Node process) on a free loopback
 * port. `redirectUris` are registered for both clients; `keyFile` lets two providers sign with
 * the same key (the first one writes it).
 */
export async function startOidcProvider(
  accounts: TestAccount[],
  opts: { redirectUris?: string[]; keyFile?: string } = {},
): Promise<TestOidcProvider> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-oidc-'));
  const accountsFile = path.join(dir, 'accounts.json');
  fs.writeFileSync(accountsFile, JSON.stringify(accounts));
  const port = await freePort();
  // --exit-with-stdin: the provider goes away with this process even if stop() is never called.
  const argv = [SCRIPT, '--port', String(port), '--accounts', accountsFile, '--exit-with-stdin'];
  for (const uri of opts.redirectUris ?? []) argv.push('--redirect-uri', uri);
  if (opts.keyFile) argv.push('--keys', opts.keyFile);
  const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const issuer = await waitForReady(child);

  return {
    issuer,
    tokenFor: (sub, tokenOpts) => tokenFor(issuer, sub, tokenOpts?.audience ?? 'lisplan-api'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function waitForReady(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`the test OpenID provider did not start: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no "ready" line within ${timeoutMs} ms`), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /^ready (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });
}

async function tokenFor(issuer: string, sub: string, audience: string): Promise<{ accessToken: string; idToken: string }> {
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const codeVerifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  const resource = `${AUDIENCE_PREFIX}${audience}`;
  const auth = new URL(metadata.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: TEST_CLIENT.id,
    response_type: 'code',
    redirect_uri: TEST_CLIENT.redirectUri,
    scope: 'openid profile email api',
    resource,
    state,
    nonce,
    code_challenge: crypto.createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    login_hint: sub,
  }).toString();

  const callback = await driveAuthorization(auth.href, TEST_CLIENT.redirectUri);
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`the provider refused the login of ${sub}: ${error} ${callback.searchParams.get('error_description') ?? ''}`);
  if (callback.searchParams.get('state') !== state) throw new Error('the provider answered with another state');

  const res = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${TEST_CLIENT.id}:${TEST_CLIENT.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: TEST_CLIENT.redirectUri,
      code_verifier: codeVerifier,
      resource,
    }),
  });
  const body = (await res.json()) as { access_token?: string; id_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token || !body.id_token) {
    throw new Error(`token request failed (HTTP ${res.status}): ${body.error ?? ''} ${body.error_description ?? ''}`);
  }
  return { accessToken: body.access_token, idToken: body.id_token };
}

/**
 * What a browser does after being sent to an authorization URL: follows the provider's
 * redirects (through its interaction endpoint, which logs in the login_hint user and
 * consents), keeping its cookies, until the provider redirects to `redirectUri`. Returns that
 * redirect, with `code` and `state` (or `error`) in its query.
 */
export async function driveAuthorization(authorizationUrl: string, redirectUri: string): Promise<URL> {
  const jar = new CookieJar();
  const target = new URL(redirectUri);
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 500)}`);
    }
    await res.body?.cancel();
    url = new URL(location, url);
    if (url.origin === target.origin && url.pathname === target.pathname) return url;
  }
  throw new Error('too many redirects at the provider');
}

/** Just enough of a browser's cookie store for one origin: names, paths and deletion. */
class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let cookiePath = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') cookiePath = v;
        if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${name};${cookiePath}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}
