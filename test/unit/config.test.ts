import { ConfigError, DEFAULT_MAX_CACHED_WORKFLOWS, loadConfig, redact, uiSessionSecret } from '../../src/platform/config';

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
    expect(uiSessionSecret(loadConfig({ NODE_ENV: nodeEnv, SESSION_SECRET: secret }))).toBe(secret);
    const missing = () => uiSessionSecret(loadConfig({ NODE_ENV: nodeEnv }));
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(new RegExp(`^config: SESSION_SECRET is required when NODE_ENV=${nodeEnv} \\(32\\+ characters, the same for every API process\\)$`));
  });

  it('makes up a session secret per start only in development', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(uiSessionSecret(config)).toMatch(/^[0-9a-f]{64}$/);
    expect(uiSessionSecret(config)).not.toBe(uiSessionSecret(config));
  });
});
