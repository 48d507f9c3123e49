import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { AuthError, type OidcIdentity } from '../../src/http/auth/identity';
import { createOidcBearerVerifier, OidcUnavailableError, type OidcConfig } from '../../src/http/auth/oidc';
import { createOidcLogin } from '../../src/http/auth/oidc-login';
import { ConfigError } from '../../src/platform/config';
import { freePort } from '../../src/stack/free-port';
import { driveAuthorization, startOidcProvider, TEST_CLIENT, UI_CLIENT_ID, type TestOidcProvider } from '../support/oidc';

/**
 * Bearer tokens and the UI login against a real OpenID provider (oidc-provider in its own
 * process). Tokens are obtained the way a browser gets them: the authorization-code flow with
 * PKCE, where the provider's interaction logs in the user named by login_hint.
 */

const ROLE_MAP = JSON.stringify({
  'lisplan-sodermalm-samordnare': [{ orgId: 'sodermalm', role: 'security-coordinator' }],
  'lisplan-sodermalm-chef': [
    { orgId: 'sodermalm', role: 'head-of-administration' },
    { orgId: 'sodermalm', role: 'security-coordinator' },
  ],
  'lisplan-kultur-it': [{ orgId: 'kultur', role: 'it-coordinator' }],
  'lisplan-stad-lasare': { cityViewer: true },
});

const ANNA = {
  sub: 'anna-0001',
  name: 'Anna Andersson',
  email: 'anna.andersson@example.se',
  groups: ['lisplan-sodermalm-samordnare', 'lisplan-kultur-it', 'lisplan-sodermalm-chef', 'some-unrelated-group'],
};
const STINA = { sub: 'stina-0002', name: 'Stina Stad', email: 'stina@example.se', groups: ['lisplan-stad-lasare'] };
/** No name and no groups: the name falls back to preferred_username (the sub here). */
const BO = { sub: 'bo-0003', groups: 'lisplan-kultur-it' as unknown as string[] };
const SHORT_LIVED = { sub: 'kort-0004', name: 'Kim Kort', groups: ['lisplan-kultur-it'], accessTokenTtl: 3 };
const NO_SUBJECT = { sub: 'nosub-0005', name: 'Nils Noll', groups: [], omitSubject: true };

const UI_REDIRECT = 'http://127.0.0.1:3999/auth/callback';

let provider: TestOidcProvider;
/** Another issuer that signs with the same key as `provider`. */
let twin: TestOidcProvider;
let keyDir: string;

beforeAll(async () => {
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-oidc-keys-'));
  const keyFile = path.join(keyDir, 'shared-key.json');
  provider = await startOidcProvider([ANNA, STINA, BO, SHORT_LIVED, NO_SUBJECT], { redirectUris: [UI_REDIRECT], keyFile });
  twin = await startOidcProvider([ANNA], { keyFile });
});

afterAll(async () => {
  await Promise.all([provider?.stop(), twin?.stop()]);
  fs.rmSync(keyDir, { recursive: true, force: true });
});

function oidcConfig(overrides: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer: provider.issuer,
    clientId: UI_CLIENT_ID,
    audience: 'lisplan-api',
    rolesClaim: 'groups',
    roleMap: ROLE_MAP,
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal, but it succeeded');
}

describe('bearer tokens from a real OpenID provider', () => {
  it('verifies a token to the identity, with roles merged per organisation and unknown groups ignored', async () => {
    const { accessToken } = await provider.tokenFor(ANNA.sub);
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(accessToken)).toMatchObject({ iss: provider.issuer, aud: 'lisplan-api', sub: ANNA.sub });

    const identity = await createOidcBearerVerifier(oidcConfig()).verify(accessToken);
    expect(identity).toEqual<OidcIdentity>({
      subject: ANNA.sub,
      name: 'Anna Andersson',
      email: 'anna.andersson@example.se',
      memberships: [
        { orgId: 'sodermalm', roles: ['security-coordinator', 'head-of-administration'] },
        { orgId: 'kultur', roles: ['it-coordinator'] },
      ],
      cityViewer: false,
    });
  });

  it('maps a city-viewer group, a single-string claim and a missing name', async () => {
    const verifier = createOidcBearerVerifier(oidcConfig());
    await expect(verifier.verify((await provider.tokenFor(STINA.sub)).accessToken)).resolves.toEqual({
      subject: STINA.sub,
      name: 'Stina Stad',
      email: 'stina@example.se',
      memberships: [],
      cityViewer: true,
    });
    await expect(verifier.verify((await provider.tokenFor(BO.sub)).accessToken)).resolves.toEqual({
      subject: BO.sub,
      name: BO.sub,
      memberships: [{ orgId: 'kultur', roles: ['it-coordinator'] }],
      cityViewer: false,
    });
  });

  it('reads roles from another claim when configured so', async () => {
    const verifier = createOidcBearerVerifier(oidcConfig({ rolesClaim: 'email', roleMap: '{"stina@example.se": {"cityViewer": true}}' }));
    const identity = await verifier.verify((await provider.tokenFor(STINA.sub)).accessToken);
    expect(identity.cityViewer).toBe(true);
  });

  describe('refuses with AuthError', () => {
    const verifier = () => createOidcBearerVerifier(oidcConfig());

    it('a token for another audience', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub, { audience: 'other-api' });
      expect(decodeJwt(accessToken).aud).toBe('other-api');
      const err = await refusal(verifier().verify(accessToken));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token is for another audience');
    });

    it('the ID token (audience: the client) used as a bearer token', async () => {
      const { idToken } = await provider.tokenFor(ANNA.sub);
      const err = await refusal(verifier().verify(idToken));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token is for another audience');
    });

    it("the provider's claims re-signed with a foreign key under the provider's key id", async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ ...decodeJwt(accessToken), groups: ['lisplan-stad-lasare'] })
        .setProtectedHeader(decodeProtectedHeader(accessToken) as { alg: string; kid: string; typ: string })
        .sign(privateKey);
      const err = await refusal(verifier().verify(forged));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token signature is invalid');
    });

    it('a token signed by a key the provider does not have', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(decodeJwt(accessToken))
        .setProtectedHeader({ alg: 'RS256', kid: 'not-a-provider-key', typ: 'at+jwt' })
        .sign(privateKey);
      const err = await refusal(verifier().verify(forged));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token is signed with an unknown key');
    });

    it('an unsigned token (alg "none")', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const unsigned = new UnsecuredJWT(decodeJwt(accessToken)).encode();
      const err = await refusal(verifier().verify(unsigned));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token is signed with an algorithm that is not allowed');
    });

    it('a real token once it has expired', async () => {
      // The provider gives this user 3-second access tokens; no clock tolerance here.
      const v = createOidcBearerVerifier(oidcConfig(), { clockToleranceSec: 0 });
      await v.verify((await provider.tokenFor(ANNA.sub)).accessToken); // discovery and keys fetched
      const { accessToken } = await provider.tokenFor(SHORT_LIVED.sub);
      const { exp, iat } = decodeJwt(accessToken);
      expect(exp! - iat!).toBe(3);
      await expect(v.verify(accessToken)).resolves.toMatchObject({ subject: SHORT_LIVED.sub });

      await new Promise((r) => setTimeout(r, Math.max(0, exp! * 1000 - Date.now()) + 1_100));
      const err = await refusal(v.verify(accessToken));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token has expired');
      // With the default tolerance (30 s) the same token still passes: clocks may differ a little.
      await expect(createOidcBearerVerifier(oidcConfig()).verify(accessToken)).resolves.toBeDefined();
    });

    it('a token from another issuer, even one signed with the same key', async () => {
      const { accessToken } = await twin.tokenFor(ANNA.sub);
      expect(decodeProtectedHeader(accessToken).kid).toBe(decodeProtectedHeader((await provider.tokenFor(ANNA.sub)).accessToken).kid);
      expect(decodeJwt(accessToken).iss).toBe(twin.issuer);
      const err = await refusal(verifier().verify(accessToken));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token is from another issuer');
    });

    it('a signed token without a subject', async () => {
      const { accessToken } = await provider.tokenFor(NO_SUBJECT.sub);
      expect(decodeJwt(accessToken).sub).toBeUndefined();
      const err = await refusal(verifier().verify(accessToken));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe('token has no subject');
    });

    it.each([
      ['garbage', 'not-a-token', 'token is malformed'],
      ['three dots of garbage', 'a.b.c', 'token is malformed'],
      ['an empty token', '', 'token is missing'],
      ['an opaque random string', crypto.randomBytes(32).toString('base64url'), 'token is malformed'],
    ])('%s', async (_what, token, reason) => {
      const err = await refusal(verifier().verify(token));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toBe(reason);
    });

    it('a mangled signature, and never repeats the token in its reason', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const [h, p, s] = accessToken.split('.');
      const mangled = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
      const err = await refusal(verifier().verify(mangled));
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).not.toContain(p!.slice(0, 20));
      expect(err.message).not.toContain(s!.slice(0, 20));
    });
  });

  describe('an unreachable provider', () => {
    it('throws OidcUnavailableError when nothing listens at the issuer', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const verifier = createOidcBearerVerifier(oidcConfig({ issuer: `http://127.0.0.1:${await freePort()}` }), { timeoutMs: 2_000 });
      const err = await refusal(verifier.verify(accessToken));
      expect(err).toBeInstanceOf(OidcUnavailableError);
      expect(err).not.toBeInstanceOf(AuthError);
      expect(err.message).toMatch(/^OpenID discovery at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration failed: .*ECONNREFUSED/);
    });

    it('retries discovery after a failure instead of keeping it', async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      let down = true;
      const flaky: typeof fetch = (input, init) => (down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
      const verifier = createOidcBearerVerifier(oidcConfig(), { fetch: flaky });
      expect(await refusal(verifier.verify(accessToken))).toBeInstanceOf(OidcUnavailableError);
      down = false;
      await expect(verifier.verify(accessToken)).resolves.toMatchObject({ subject: ANNA.sub });
    });

    it("throws OidcUnavailableError when the provider's key set cannot be fetched", async () => {
      const { accessToken } = await provider.tokenFor(ANNA.sub);
      const noKeys: typeof fetch = (input, init) =>
        String(input instanceof Request ? input.url : input).endsWith('/jwks')
          ? Promise.resolve(new Response('bad gateway', { status: 502 }))
          : fetch(input, init);
      const err = await refusal(createOidcBearerVerifier(oidcConfig(), { fetch: noKeys }).verify(accessToken));
      expect(err).toBeInstanceOf(OidcUnavailableError);
      expect(err.message).toMatch(/key set .* could not be read/);
    });

    it('refuses garbage without asking the provider', async () => {
      const verifier = createOidcBearerVerifier(oidcConfig({ issuer: `http://127.0.0.1:${await freePort()}` }));
      expect(await refusal(verifier.verify('garbage'))).toBeInstanceOf(AuthError);
    });
  });

  it('refuses plain http to a provider that is not on this machine', () => {
    expect(() => createOidcBearerVerifier(oidcConfig({ issuer: 'http://login.example.se' }))).toThrow(ConfigError);
    expect(() => createOidcLogin(oidcConfig({ issuer: 'http://login.example.se' }), UI_REDIRECT)).toThrow(/must be https/);
  });
});

describe('the UI login (authorization code with PKCE) against a real OpenID provider', () => {
  const login = () => createOidcLogin(oidcConfig(), UI_REDIRECT);

  /** The browser's part: go to the provider as `sub`, come back to the redirect URI. */
  async function browse(url: string, sub: string): Promise<URL> {
    const withHint = new URL(url);
    withHint.searchParams.set('login_hint', sub);
    return driveAuthorization(withHint.href, UI_REDIRECT);
  }

  it('starts with PKCE, state and nonce, and finishes with the identity', async () => {
    const ui = login();
    const pending = await ui.start();
    const url = new URL(pending.url);
    expect(url.origin + url.pathname).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: UI_CLIENT_ID,
      response_type: 'code',
      redirect_uri: UI_REDIRECT,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: crypto.createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.has('code_verifier')).toBe(false);

    const callback = await browse(pending.url, ANNA.sub);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const { identity, idToken } = await ui.finish(callback, pending);
    expect(identity).toEqual({
      subject: ANNA.sub,
      name: 'Anna Andersson',
      email: 'anna.andersson@example.se',
      memberships: [
        { orgId: 'sodermalm', roles: ['security-coordinator', 'head-of-administration'] },
        { orgId: 'kultur', roles: ['it-coordinator'] },
      ],
      cityViewer: false,
    });
    expect(decodeJwt(idToken)).toMatchObject({ iss: provider.issuer, aud: UI_CLIENT_ID, sub: ANNA.sub, nonce: pending.nonce });
  });

  it('refuses a tampered state before redeeming the code, which still works with the right one', async () => {
    const ui = login();
    const pending = await ui.start();
    const callback = await browse(pending.url, STINA.sub);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${pending.state}x`);
    const err = await refusal(ui.finish(tampered, pending));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/state/);
    // Someone else's state in the saved session is just as wrong.
    expect(await refusal(ui.finish(callback, { ...pending, state: 'another-session' }))).toBeInstanceOf(AuthError);

    await expect(ui.finish(callback, pending)).resolves.toMatchObject({ identity: { subject: STINA.sub, cityViewer: true } });
  });

  it('refuses a wrong PKCE code verifier (the provider refuses the code)', async () => {
    const ui = login();
    const pending = await ui.start();
    const callback = await browse(pending.url, ANNA.sub);
    const err = await refusal(ui.finish(callback, { ...pending, codeVerifier: crypto.randomBytes(32).toString('base64url') }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe('the provider refused the authorization code (invalid_grant)');
  });

  it('refuses a wrong nonce', async () => {
    const ui = login();
    const pending = await ui.start();
    const callback = await browse(pending.url, ANNA.sub);
    const err = await refusal(ui.finish(callback, { ...pending, nonce: 'another-nonce' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/nonce/);
  });

  it('refuses a code replayed after it was redeemed', async () => {
    const ui = login();
    const pending = await ui.start();
    const callback = await browse(pending.url, ANNA.sub);
    await ui.finish(callback, pending);
    const err = await refusal(ui.finish(callback, pending));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe('the provider refused the authorization code (invalid_grant)');
  });

  it('passes on the provider refusing the login', async () => {
    const ui = login();
    const pending = await ui.start();
    const callback = await browse(pending.url, 'nobody-at-all');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const err = await refusal(ui.finish(callback, pending));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe('the provider refused the login (access_denied)');
  });

  it('refuses a callback without a saved login session', async () => {
    const err = await refusal(login().finish(new URL(`${UI_REDIRECT}?code=x&state=y`), { state: '', nonce: '', codeVerifier: '' }));
    expect(err).toBeInstanceOf(AuthError);
  });

  it('logs in with a confidential client too (client secret at the token endpoint)', async () => {
    const ui = createOidcLogin(oidcConfig({ clientId: TEST_CLIENT.id, clientSecret: TEST_CLIENT.secret }), UI_REDIRECT);
    const pending = await ui.start();
    const { identity } = await ui.finish(await browse(pending.url, BO.sub), pending);
    expect(identity).toMatchObject({ subject: BO.sub, memberships: [{ orgId: 'kultur', roles: ['it-coordinator'] }] });

    const wrongSecret = createOidcLogin(oidcConfig({ clientId: TEST_CLIENT.id, clientSecret: 'wrong' }), UI_REDIRECT);
    const again = await wrongSecret.start();
    const err = await refusal(wrongSecret.finish(await browse(again.url, BO.sub), again));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toBe('the provider refused the client at its token endpoint (invalid_client)');
  });

  it('throws OidcUnavailableError when the provider goes away between start and finish', async () => {
    const gone = await startOidcProvider([ANNA], { redirectUris: [UI_REDIRECT] });
    try {
      const ui = createOidcLogin(oidcConfig({ issuer: gone.issuer }), UI_REDIRECT, { timeoutSec: 2 });
      const pending = await ui.start();
      const callback = await browse(pending.url, ANNA.sub);
      await gone.stop();
      const err = await refusal(ui.finish(callback, pending));
      expect(err).toBeInstanceOf(OidcUnavailableError);
      expect(err.message).toMatch(/^the provider could not be reached: .*ECONNREFUSED/);
    } finally {
      await gone.stop();
    }
  });

  it('throws OidcUnavailableError when the provider cannot be reached', async () => {
    const ui = createOidcLogin(oidcConfig({ issuer: `http://127.0.0.1:${await freePort()}` }), UI_REDIRECT, { timeoutSec: 2 });
    const err = await refusal(ui.start());
    expect(err).toBeInstanceOf(OidcUnavailableError);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
