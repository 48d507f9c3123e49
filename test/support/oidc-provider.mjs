// A real OpenID provider for tests: panva's oidc-provider on loopback, with test users.
//
//   node test/support/oidc-provider.mjs --port 4000 --accounts accounts.json \
//     [--redirect-uri http://127.0.0.1:3000/auth/callback]... [--keys keys.json] [--exit-with-stdin]
//
// accounts.json: [{ "sub": "anna", "name": "Anna A", "email": "anna@example.se",
//                   "groups": ["lisplan-sodermalm-samordnare"],
//                   "accessTokenTtl": 60,        // optional, seconds
//                   "omitSubject": true }]        // optional: access tokens without `sub`
//
// Clients:
//   lisplan-ui    public (token_endpoint_auth_method none), authorization code + PKCE
//   lisplan-test  confidential (secret "lisplan-test-secret", HTTP Basic), authorization code
//                 + PKCE and client credentials
// Both accept the --redirect-uri values; lisplan-test also http://127.0.0.1/lisplan-test/callback,
// which nothing needs to listen on: test code reads the code from the redirect.
//
// Access tokens are JWTs (RS256, typ at+jwt) when a resource indicator
// urn:lisplan:audience:<audience> is requested; their `aud` is <audience> and they carry the
// user's name, email and groups. ID tokens carry the profile (with groups) and email claims.
//
// There is no login page. The provider sends the browser to /interaction/<uid> (its
// interactions.url); that endpoint logs in the account named by the authorization request's
// login_hint and grants what the client asked for, through the provider's own interaction API.
// Everything else (authorization, codes, PKCE, tokens, signing) is oidc-provider's own code.
//
// Prints "ready <issuer>" on stdout when listening; exits on SIGTERM or SIGINT, and with
// --exit-with-stdin also when its stdin closes (the test process that started it is gone).
// The keys are generated at start; with --keys <file> they are read from the file when it
// exists, else generated and written there, so that two providers can share them.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider, { errors } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    accounts: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    keys: { type: 'string' },
    'exit-with-stdin': { type: 'boolean', default: false },
  },
});
if (!args.port || !args.accounts) {
  console.error('usage: oidc-provider.mjs --port <port> --accounts <file.json> [--redirect-uri <uri>]... [--keys <file>] [--exit-with-stdin]');
  process.exit(2);
}

const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;
const AUDIENCE_PREFIX = 'urn:lisplan:audience:';
const TEST_REDIRECT_URI = 'http://127.0.0.1/lisplan-test/callback';

/** @type {{ sub: string; name?: string; email?: string; groups?: string[]; accessTokenTtl?: number; omitSubject?: boolean }[]} */
const accountList = JSON.parse(fs.readFileSync(args.accounts, 'utf8'));
const accounts = new Map(accountList.map((a) => [a.sub, a]));

const jwks = { keys: [signingKey(args.keys)] };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'lisplan-ui',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: args['redirect-uri'].length > 0 ? args['redirect-uri'] : ['http://127.0.0.1:3000/auth/callback'],
    },
    {
      client_id: 'lisplan-test',
      client_secret: 'lisplan-test-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'client_credentials'],
      response_types: ['code'],
      redirect_uris: [...args['redirect-uri'], TEST_REDIRECT_URI],
    },
  ],
  jwks,
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'api'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'groups'],
    email: ['email', 'email_verified'],
  },
  // Put the user's claims in the ID token of the code flow too, as Entra ID and Keycloak do.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => undefined,
      // The token request may leave out the resource that was granted.
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resourceIndicator) => {
        const audience = resourceIndicator.startsWith(AUDIENCE_PREFIX) ? resourceIndicator.slice(AUDIENCE_PREFIX.length) : '';
        if (!/^[a-z0-9][a-z0-9-]*$/.test(audience)) throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
        return { scope: 'api', audience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  async findAccount(_ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: account.name,
          preferred_username: sub,
          email: account.email,
          email_verified: account.email === undefined ? undefined : true,
          groups: account.groups ?? [],
        };
      },
    };
  },
  // The claims that JWT access tokens carry besides the standard ones.
  async extraTokenClaims(_ctx, token) {
    const account = token.accountId ? accounts.get(token.accountId) : undefined;
    if (!account) return undefined;
    return { name: account.name, email: account.email, groups: account.groups ?? [] };
  },
  formats: {
    customizers: {
      async jwt(_ctx, token, jwt) {
        if (token.accountId && accounts.get(token.accountId)?.omitSubject) delete jwt.payload.sub;
      },
    },
  },
  ttl: {
    AccessToken: (_ctx, token) =>
      (token.accountId && accounts.get(token.accountId)?.accessTokenTtl) || token.resourceServer?.accessTokenTTL || 600,
    ClientCredentials: 600,
    AuthorizationCode: 60,
    IdToken: 600,
    RefreshToken: 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});

const handleProvider = provider.callback();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', issuer);
  if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(url.pathname)) {
    interaction(req, res).catch((err) => {
      console.error('interaction failed:', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${err.message}`);
    });
    return;
  }
  handleProvider(req, res);
});

/** Logs in the account that login_hint names, then grants what the client asked for. */
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    const account = typeof params.login_hint === 'string' ? accounts.get(params.login_hint) : undefined;
    const result = account
      ? { login: { accountId: account.sub } }
      : { error: 'access_denied', error_description: 'no such test user (login_hint)' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.writeHead(400, { 'content-type': 'text/plain' });
  res.end(`unexpected prompt ${prompt.name}`);
}

function signingKey(file) {
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
  if (file) fs.writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (args['exit-with-stdin']) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
