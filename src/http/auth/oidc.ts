import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ConfigError, type Config } from '../../platform/config';
import { AuthError, type OidcIdentity } from './identity';
import { mapRoles, parseRoleMap, rolesClaimValues, type RoleMap } from './role-map';

export type OidcConfig = NonNullable<Config['oidc']>;

/**
 * The OpenID provider could not be reached or answered nonsense (discovery or its key set):
 * the caller is not at fault, so the API answers 503, not 401.
 */
export class OidcUnavailableError extends Error {
  override readonly name = 'OidcUnavailableError';
}

export interface OidcBearerVerifier {
  /** The identity a valid access token carries; AuthError for any token that is not valid. */
  verify(token: string): Promise<OidcIdentity>;
}

export interface OidcVerifierOptions {
  /** Used for discovery and the key set; global fetch by default. */
  fetch?: typeof fetch;
  /** Allowed clock difference with the provider for `exp`, `nbf` and `iat`. Default 30 s. */
  clockToleranceSec?: number;
  /** Timeout of each request to the provider. Default 5 s. */
  timeoutMs?: number;
}

/** Algorithms used when the provider does not say which it signs with. */
const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'PS256'];
/** Only asymmetric algorithms: a key set from the network can never verify an HMAC. */
const ASYMMETRIC_ALGORITHMS = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

interface Discovered {
  /** The issuer exactly as the provider spells it: tokens' `iss` must equal it. */
  issuer: string;
  keys: JWTVerifyGetKey;
  algorithms: string[];
}

/**
 * Verifies bearer access tokens (JWTs) issued by the configured OpenID provider. The provider's
 * metadata is discovered on first use and kept; its keys are fetched and refreshed by jose
 * (also when a token names a key that is not known yet, at most every 30 s).
 */
export function createOidcBearerVerifier(oidc: OidcConfig, opts: OidcVerifierOptions = {}): OidcBearerVerifier {
  const issuerUrl = checkIssuerUrl(oidc.issuer);
  const roleMap = parseRoleMap(oidc.roleMap);
  const fetchImpl = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const clockTolerance = opts.clockToleranceSec ?? 30;
  let discovered: Promise<Discovered> | undefined;

  function discover(): Promise<Discovered> {
    discovered ??= discoverProvider(issuerUrl, fetchImpl, timeoutMs).catch((err: unknown) => {
      discovered = undefined; // try again on the next request
      throw err;
    });
    return discovered;
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.trim() === '') throw new AuthError('token is missing');
      // Garbage is refused without asking the provider anything.
      try {
        decodeProtectedHeader(token);
      } catch {
        throw new AuthError('token is malformed');
      }
      const provider = await discover();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, provider.keys, {
          issuer: provider.issuer,
          audience: oidc.audience,
          algorithms: provider.algorithms,
          clockTolerance,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (err) {
        if (err instanceof OidcUnavailableError) throw err;
        throw new AuthError(reasonFor(err), { cause: err });
      }
      return identityFromClaims(payload, oidc.rolesClaim, roleMap);
    },
  };
}

/**
 * The identity that verified claims (an access token's or an ID token's) describe. The
 * subject must be a non-empty string.
 */
export function identityFromClaims(claims: Record<string, unknown>, rolesClaim: string, roleMap: RoleMap): OidcIdentity {
  const subject = nonEmpty(claims.sub);
  if (subject === undefined) throw new AuthError('token has no subject');
  const email = nonEmpty(claims.email);
  const name = nonEmpty(claims.name) ?? nonEmpty(claims.preferred_username) ?? email ?? subject;
  const { memberships, cityViewer } = mapRoles(rolesClaimValues(claims, rolesClaim), roleMap);
  return { subject, name, ...(email === undefined ? {} : { email }), memberships, cityViewer };
}

/**
 * The issuer as a URL. Plain http is allowed only on loopback (a provider for development or
 * tests); anywhere else tokens and keys would travel unprotected.
 */
export function checkIssuerUrl(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`config: OIDC_ISSUER is not a URL (got "${issuer}")`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new ConfigError(`config: OIDC_ISSUER must be https (http only on 127.0.0.1 or localhost; got "${issuer}")`);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

async function discoverProvider(issuerUrl: URL, fetchImpl: typeof fetch, timeoutMs: number): Promise<Discovered> {
  const url = `${issuerUrl.href.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let metadata: Record<string, unknown>;
  try {
    const res = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    metadata = (await res.json()) as Record<string, unknown>;
    if (typeof metadata !== 'object' || metadata === null) throw new Error('not a JSON object');
  } catch (err) {
    throw new OidcUnavailableError(`OpenID discovery at ${url} failed: ${describe(err)}`, { cause: err });
  }
  const { issuer, jwks_uri: jwksUri } = metadata;
  if (typeof issuer !== 'string' || !sameUrl(issuer, issuerUrl.href)) {
    throw new OidcUnavailableError(
      `OpenID discovery at ${url} names another issuer ("${String(issuer)}"); check OIDC_ISSUER`,
    );
  }
  if (typeof jwksUri !== 'string' || !isAllowedKeySetUrl(jwksUri)) {
    throw new OidcUnavailableError(`OpenID discovery at ${url} has no usable jwks_uri`);
  }
  const remote = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: timeoutMs, [customFetch]: fetchImpl });
  // Errors that are about the token pass through; any other failure to get the keys means
  // the provider is not answering properly.
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (
        err instanceof errors.JWKSNoMatchingKey ||
        err instanceof errors.JWKSMultipleMatchingKeys ||
        err instanceof errors.JOSENotSupported ||
        err instanceof errors.JOSEAlgNotAllowed ||
        err instanceof errors.JWSInvalid ||
        err instanceof errors.JWTInvalid
      ) {
        throw err;
      }
      throw new OidcUnavailableError(`the OpenID provider's key set at ${jwksUri} could not be read: ${describe(err)}`, {
        cause: err,
      });
    }
  };
  const advertised = metadata.id_token_signing_alg_values_supported;
  const algorithms = Array.isArray(advertised)
    ? advertised.filter((a): a is string => typeof a === 'string' && ASYMMETRIC_ALGORITHMS.has(a))
    : [];
  return { issuer, keys, algorithms: algorithms.length > 0 ? algorithms : DEFAULT_ALGORITHMS };
}

/** A short reason for a refused token; never the token or its claims' values. */
function reasonFor(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'aud':
        return 'token is for another audience';
      case 'iss':
        return 'token is from another issuer';
      case 'sub':
        return 'token has no subject';
      case 'exp':
        return 'token has no valid expiry';
      case 'nbf':
        return 'token is not valid yet';
      case 'iat':
        return 'token has an invalid issue time';
      default:
        return `token has an invalid "${err.claim}" claim`;
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (err instanceof errors.JWKSNoMatchingKey) return 'token is signed with an unknown key';
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'token does not say which key signed it';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return 'token is signed with an algorithm that is not allowed';
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'token is malformed';
  return 'token is invalid';
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

function isAllowedKeySetUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

/** An error's message with those of its causes (which say why fetch failed); realm-independent. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { message, code } = e as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message && !parts.includes(message)) parts.push(message);
    else if (typeof code === 'string' && !parts.includes(code)) parts.push(code);
  }
  return parts.length > 0 ? parts.join(': ') : String(err);
}
