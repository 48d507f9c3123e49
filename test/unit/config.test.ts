import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, DEFAULT_MAX_CACHED_WORKFLOWS, loadConfig, redact, uiSessionSecret } from '../../src/platform/config';

/** A payload key made for this run, as an operator makes one: openssl rand -base64 32. */
const KEY = randomBytes(32).toString('base64');

describe('loadConfig', () => {
  it('points at the embedded servers when no address is given', () => {
    const c = loadConfig({});
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', embedded: true });
    expect(c.mongo).toMatchObject({ uri: 'mongodb://127.0.0.1:27017/?journal=true', dbName: 'lisplan', embedded: true });
    expect(c.port).toBe(3000);
    expect(c.planTimeZone).toBe('Europe/Stockholm');
    expect(c.temporal.databaseFile).toMatch(/data\/temporal\.db$/);
  });

  it('starts nothing embedded for servers that are named', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', MONGODB_URI: 'mongodb://mongo:27017/' });
    expect(c.temporal).toMatchObject({ address: 'temporal:7233', embedded: false });
    expect(c.mongo).toMatchObject({ uri: 'mongodb://mongo:27017/', embedded: false });
  });

  it('reads the OpenID provider, with the client id as the default audience', () => {
    const c = loadConfig({ OIDC_ISSUER: 'https://login.example.se/tenant/v2.0', OIDC_CLIENT_ID: 'lisplan', OIDC_ROLE_MAP: '{"g":[{"orgId":"sodermalm","role":"viewer"}]}' });
    expect(c.oidc).toEqual({ issuer: 'https://login.example.se/tenant/v2.0', clientId: 'lisplan', audience: 'lisplan', rolesClaim: 'groups', roleMap: '{"g":[{"orgId":"sodermalm","role":"viewer"}]}', clientSecret: undefined });
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(loadConfig({}).devLogin).toBe(false);
  });

  it('schedules the weekly digest on Monday 07:00 in Stockholm unless told otherwise or off', () => {
    expect(loadConfig({}).digest).toEqual({ cron: '0 7 * * 1', timeZone: 'Europe/Stockholm' });
    expect(loadConfig({ DIGEST_SCHEDULE: '30 6 * * MON-FRI', DIGEST_TIME_ZONE: 'UTC' }).digest).toEqual({ cron: '30 6 * * MON-FRI', timeZone: 'UTC' });
    expect(loadConfig({ DIGEST_SCHEDULE: 'off' }).digest).toBeUndefined();
  });

  it('opens the yearly review on 1 November in the plan zone unless told otherwise or off', () => {
    expect(loadConfig({}).reviewStart).toEqual({ month: 11, day: 1 });
    expect(loadConfig({ REVIEW_START_DATE: '10-15' }).reviewStart).toEqual({ month: 10, day: 15 });
    expect(loadConfig({ REVIEW_START_DATE: 'off' }).reviewStart).toBeUndefined();
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ MONGODB_URI: '  ', PORT: '' }).mongo.embedded).toBe(true);
    // A blank cache size is the bounded default, not 0 (which would turn the cache off).
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }).temporal.maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).temporal.maxCachedWorkflows).toBe(500);
  });

  it.each([
    [{ MONGODB_URI: 'postgres://db/x' }, /^config: MONGODB_URI must be a mongodb:\/\/ or mongodb\+srv:\/\/ URL \(got "postgres:\/\/db\/x"\)$/],
    [{ PORT: '70000' }, /^config: PORT .*\(got "70000"\)$/],
    [{ PORT: 'abc' }, /^config: PORT /],
    [{ TEMPORAL_ADDRESS: 'no-port' }, /^config: TEMPORAL_ADDRESS must be host:port/],
    [{ TZ: 'Mars/Olympus' }, /^config: TZ must be an IANA time zone/],
    [{ NODE_ENV: 'staging' }, /^config: NODE_ENV /],
    [{ NODE_ENV: 'production', DEV_LOGIN: 'true' }, /^config: DEV_LOGIN must not be true when NODE_ENV=production/],
    [{ OIDC_ISSUER: 'https://login.example.se' }, /^config: OIDC_CLIENT_ID is required when OIDC_ISSUER is set$/],
    [{ OIDC_ROLE_MAP: '{not json' }, /^config: OIDC_ROLE_MAP must be JSON/],
    [{ DIGEST_SCHEDULE: 'every monday' }, /^config: DIGEST_SCHEDULE must be five cron fields/],
    [{ DIGEST_SCHEDULE: '0 7 * *' }, /^config: DIGEST_SCHEDULE must be five cron fields/],
    [{ DIGEST_TIME_ZONE: 'Europe/Stockholmen' }, /^config: DIGEST_TIME_ZONE must be an IANA time zone/],
    [{ MAIL_LEASE_SECONDS: '1' }, /^config: MAIL_LEASE_SECONDS /],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '-1' }, /^config: WORKER_MAX_CACHED_WORKFLOWS /],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never prints a password from a URI', () => {
    expect(() => loadConfig({ MONGODB_URI: 'mongodb://app:s3cret@db:27017 /x' })).toThrow(/app:\*\*\*@db/);
    expect(redact('mongodb://app:s3cret@db:27017/lisplan')).toBe('mongodb://app:***@db:27017/lisplan');
    expect(redact('mongodb://db:27017/lisplan')).toBe('mongodb://db:27017/lisplan');
  });

  it.each(['production', 'test'])('requires SESSION_SECRET for the web UI when NODE_ENV=%s, in one line', (nodeEnv) => {
    const secret = 'a'.repeat(32);
    expect(uiSessionSecret(loadConfig({ NODE_ENV: nodeEnv, SESSION_SECRET: secret, TEMPORAL_PAYLOAD_KEY: KEY }))).toBe(secret);
    const missing = () => uiSessionSecret(loadConfig({ NODE_ENV: nodeEnv, TEMPORAL_PAYLOAD_KEY: KEY }));
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(new RegExp(`^config: SESSION_SECRET is required when NODE_ENV=${nodeEnv} \\(32\\+ characters, the same for every API process\\)$`));
  });

  it.each(['production', 'test'])('requires TEMPORAL_PAYLOAD_KEY when NODE_ENV=%s, in one line; development runs without', (nodeEnv) => {
    expect(() => loadConfig({ NODE_ENV: nodeEnv })).toThrow(
      new RegExp(`^config: TEMPORAL_PAYLOAD_KEY is required when NODE_ENV=${nodeEnv} \\(32 random bytes in base64, the same for the API, the worker and the CLI\\)$`),
    );
    expect(loadConfig({ NODE_ENV: nodeEnv, TEMPORAL_PAYLOAD_KEY: KEY }).temporal.payloadKey?.symmetricKeySize).toBe(32);
    expect(loadConfig({ NODE_ENV: 'development' }).temporal.payloadKey).toBeUndefined();
  });

  it('refuses a payload key of another size without printing it, and never shows the key when the config is logged', () => {
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      loadConfig({ TEMPORAL_PAYLOAD_KEY: short });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('config: TEMPORAL_PAYLOAD_KEY must be 32 random bytes in base64 (openssl rand -base64 32)');
    const config = loadConfig({ TEMPORAL_PAYLOAD_KEY: KEY });
    expect(inspect(config, { depth: 10 }) + JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 10 })).not.toContain(Buffer.from(KEY, 'base64').toString('hex'));
  });

  it('reads TLS to Temporal from PEM files that exist, the client certificate only with its key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lisplan-tls-'));
    const [ca, crt, key] = ['ca.pem', 'client.pem', 'client-key.pem'].map((f) => path.join(dir, f));
    for (const f of [ca!, crt!, key!]) writeFileSync(f, '-----BEGIN CERTIFICATE-----\n');
    expect(loadConfig({}).temporal.tls).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: crt, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: 'temporal' }).temporal.tls).toEqual({
      caFile: ca,
      certFile: crt,
      keyFile: key,
      serverName: 'temporal',
    });
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: crt })).toThrow(/^config: TEMPORAL_TLS_KEY_FILE is required with the other/);
    expect(() => loadConfig({ TEMPORAL_TLS_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(/^config: TEMPORAL_TLS_CA_FILE must name a readable PEM file/);
  });

  it('makes up a session secret per start only in development', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(uiSessionSecret(config)).toMatch(/^[0-9a-f]{64}$/);
    expect(uiSessionSecret(config)).not.toBe(uiSessionSecret(config));
  });
});
