import * as client from 'openid-client';
import { AuthError, type OidcIdentity } from './identity';
import { checkIssuerUrl, identityFromClaims, isLoopbackHost, OidcUnavailableError, type OidcConfig } from './oidc';
import { parseRoleMap } from './role-map';

/** What the UI keeps (in its session cookie) between `start` and `finish`. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcLogin {
  /** The provider URL to send the browser to, and the values to keep until it comes back. */
  start(): Promise<PendingLogin & { url: string }>;
  /**
   * Checks the provider's answer at the redirect URI against what `start` gave (state, nonce,
   * PKCE), redeems the code and returns who logged in. AuthError when the login is refused or
   * does not check out; OidcUnavailableError when the provider cannot be reached.
   */
  finish(callbackUrl: URL, saved: PendingLogin): Promise<{ identity: OidcIdentity; idToken: string }>;
}

export interface OidcLoginOptions {
  /** Default "openid profile email". */
  scope?: string;
  fetch?: client.CustomFetch;
  /** Timeout of each request to the provider, in seconds. Default 10. */
  timeoutSec?: number;
}

/**
 * The web UI's login: the authorization-code flow with PKCE (S256), state and nonce, with
 * openid-client. The identity comes from the ID token's claims; roles from the roles claim in
 * it through OIDC_ROLE_MAP. A confidential client (OIDC_CLIENT_SECRET set) authenticates at
 * the token endpoint with HTTP Basic; a public one with PKCE alone.
 */
export function createOidcLogin(oidc: OidcConfig, redirectUri: string, opts: OidcLoginOptions = {}): OidcLogin {
  const issuerUrl = checkIssuerUrl(oidc.issuer);
  const roleMap = parseRoleMap(oidc.roleMap);
  const scope = opts.scope ?? 'openid profile email';
  const callbackBase = new URL(redirectUri);
  let configuration: Promise<client.Configuration> | undefined;

  function discover(): Promise<client.Configuration> {
    configuration ??= client
      .discovery(
        issuerUrl,
        oidc.clientId,
        undefined,
        oidc.clientSecret === undefined ? client.None() : client.ClientSecretBasic(oidc.clientSecret),
        {
          // http only for a provider on this machine (see checkIssuerUrl).
          execute: issuerUrl.protocol === 'http:' && isLoopbackHost(issuerUrl.hostname) ? [client.allowInsecureRequests] : [],
          timeout: opts.timeoutSec ?? 10,
          ...(opts.fetch ? { [client.customFetch]: opts.fetch } : {}),
        },
      )
      .catch((err: unknown) => {
        configuration = undefined; // try again on the next login
        throw new OidcUnavailableError(`OpenID discovery at ${issuerUrl.href} failed: ${message(err)}`, { cause: err });
      });
    return configuration;
  }

  return {
    async start() {
      const config = await discover();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state, nonce, codeVerifier };
    },

    async finish(callbackUrl, saved) {
      if (!saved?.state || !saved.nonce || !saved.codeVerifier) {
        throw new AuthError('the login session is missing or has expired');
      }
      const config = await discover();
      // The code was issued for redirectUri; behind a proxy the URL this server saw may differ.
      const current = new URL(callbackBase.href);
      current.search = callbackUrl.search;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: saved.codeVerifier,
          expectedState: saved.state,
          expectedNonce: saved.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw loginError(err);
      }
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new AuthError('the provider returned no ID token');
      return { identity: identityFromClaims(claims, oidc.rolesClaim, roleMap), idToken: tokens.id_token };
    },
  };
}

const UNAVAILABLE_CODES = new Set(['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/** The provider refused, or the answer does not check out (401); or it is not there (503). */
function loginError(err: unknown): Error {
  if (err instanceof client.AuthorizationResponseError) {
    return new AuthError(`the provider refused the login (${err.error})`, { cause: err });
  }
  if (err instanceof client.ResponseBodyError) {
    if (err.status >= 500) return new OidcUnavailableError(`the provider's token endpoint failed (HTTP ${err.status})`, { cause: err });
    return new AuthError(`the provider refused the authorization code (${err.error})`, { cause: err });
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    // A 401 from the token endpoint: it does not accept this client (wrong OIDC_CLIENT_SECRET?).
    if (err.status >= 500) return new OidcUnavailableError(`the provider's token endpoint failed (HTTP ${err.status})`, { cause: err });
    const error = err.cause[0]?.parameters.error ?? `HTTP ${err.status}`;
    return new AuthError(`the provider refused the client at its token endpoint (${error})`, { cause: err });
  }
  if (isNetworkFailure(err)) {
    return new OidcUnavailableError(`the provider could not be reached: ${message(err)}`, { cause: err });
  }
  if (err instanceof client.ClientError) {
    if (err.code !== undefined && UNAVAILABLE_CODES.has(err.code)) {
      return new OidcUnavailableError(`the provider's token endpoint failed: ${message(err)}`, { cause: err });
    }
    return new AuthError(`the login response is not valid: ${message(err)}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE|UND_ERR_.*)$/;

/**
 * Whether fetch() failed to talk to the provider at all. Checked by name and code, not with
 * instanceof: fetch's errors may come from another realm (as under Jest).
 */
function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message: text, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    if (name === 'TypeError' && text === 'fetch failed') return true;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
  }
  return false;
}

/** openid-client's message, with the more precise ones of its causes. */
function message(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { message: text, code } = e as { message?: unknown; code?: unknown };
    if (typeof text === 'string' && text && !parts.includes(text)) parts.push(text);
    else if (typeof code === 'string' && !parts.includes(code)) parts.push(code);
  }
  return parts.length > 0 ? parts.join(': ') : String(err);
}
