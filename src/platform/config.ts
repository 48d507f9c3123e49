import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OperatorError } from './errors';

/**
 * Process configuration, read once from the environment and validated at start.
 * An unset TEMPORAL_ADDRESS or MONGODB_URI means "use the embedded server"; a set one
 * names an external server and nothing embedded is started for it.
 */

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

const mongoUri = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/[^\s]+$/, 'must be a mongodb:// or mongodb+srv:// URL');

/** About 1–2 MB each in the worker's heap: keeps the worker well under 1 GB at any plan size. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

const port = z.coerce.number().int().min(1).max(65535);

/** Five cron fields (minute hour day-of-month month day-of-week), or `off`. */
const cron = z
  .string()
  .regex(/^(off|[0-9*,/A-Za-z-]+( [0-9*,/A-Za-z-]+){4})$/, 'must be five cron fields, e.g. "0 7 * * 1" (Monday 07:00), or off');

const ianaZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Stockholm');

/** 32 bytes in base64: the AES-256 key that seals every payload lisplan sends to Temporal. */
const payloadKey = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)');

/** A PEM file that start-up can read; a missing one stops the process here, not at the first connection. */
const pemFile = z.string().refine(isReadableFile, 'must name a readable PEM file');

/** Variables whose value a config error must never echo. */
const SECRETS = new Set(['SESSION_SECRET', 'TEMPORAL_PAYLOAD_KEY', 'OIDC_CLIENT_SECRET', 'SMTP_PASS']);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ: ianaZone.default('UTC'),
  PLAN_TIME_ZONE: ianaZone.default('Europe/Stockholm'),
  DATA_DIR: z.string().min(1).default('data'),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('lisplan'),
  TEMPORAL_UPDATE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  // Bounded by default: the SDK sizes its default from the heap limit (about 2,300 on a 24 GB
  // machine), and 2,000 live activities then held 4.8 GB in the worker.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(DEFAULT_MAX_CACHED_WORKFLOWS),
  TEMPORAL_PAYLOAD_KEY: payloadKey.optional(),
  TEMPORAL_TLS_CA_FILE: pemFile.optional(),
  TEMPORAL_TLS_CERT_FILE: pemFile.optional(),
  TEMPORAL_TLS_KEY_FILE: pemFile.optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: port.default(8233),
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_MONGODB_PORT: port.default(27017),
  MONGODB_URI: mongoUri.optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, - and _ only').default('lisplan'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_ROLES_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAP: z.string().optional(),
  DEV_LOGIN: z.enum(['true', 'false']).default('false'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGINS: z.string().optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  REVIEW_START_DATE: z
    .string()
    .regex(/^(off|(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/, 'must be MM-DD, e.g. 11-01, or off')
    .default('11-01'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.default(587),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).default('"lisplan" <lisplan@localhost>'),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  MAIL_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  DIGEST_SCHEDULE: cron.default('0 7 * * 1'),
  DIGEST_TIME_ZONE: ianaZone.default('Europe/Stockholm'),
  WORKFLOW_HEALTH_CHECK_MINUTES: z
    .string()
    .regex(/^(off|[1-9]\d{0,3})$/, 'must be whole minutes between 1 and 9999, e.g. 10, or off')
    .default('10'),
  ACCESSIBILITY_CONTACT: z.email().max(200).optional(),
}).superRefine((e, ctx) => {
  if (e.DEV_LOGIN === 'true' && e.NODE_ENV === 'production') {
    ctx.addIssue({ code: 'custom', path: ['DEV_LOGIN'], message: 'must not be true when NODE_ENV=production (demo users would be able to log in)' });
  }
  // Whoever reaches Temporal without the key could otherwise read every payload and change any
  // activity as any actor; like SESSION_SECRET, only development may run without it.
  if (e.NODE_ENV !== 'development' && !e.TEMPORAL_PAYLOAD_KEY) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_PAYLOAD_KEY'], message: `is required when NODE_ENV=${e.NODE_ENV} (32 random bytes in base64, the same for the API, the worker and the CLI)` });
  }
  if (Boolean(e.TEMPORAL_TLS_CERT_FILE) !== Boolean(e.TEMPORAL_TLS_KEY_FILE)) {
    ctx.addIssue({ code: 'custom', path: [e.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE'], message: 'is required with the other (the client certificate and its key go together)' });
  }
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'is required when OIDC_ISSUER is set' });
  }
  if (e.OIDC_ROLE_MAP !== undefined) {
    try {
      JSON.parse(e.OIDC_ROLE_MAP);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ROLE_MAP'], message: 'must be JSON (see .env.example)' });
    }
  }
});

export type Env = z.input<typeof schema>;

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  planTimeZone: string;
  dataDir: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** How long a caller waits for a change's Update before it is told to try again (503). */
    updateTimeoutMs: number;
    /** The worker's sticky cache: workflows kept in memory between their tasks. */
    maxCachedWorkflows: number;
    /** Seals every payload (AES-256-GCM); undefined only in development. Its inspect() shows no key material. */
    payloadKey?: KeyObject;
    /** TLS to Temporal, mutual when a client certificate is given; undefined: plain gRPC. */
    tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
    /** true when lisplan starts the Temporal dev server itself */
    embedded: boolean;
    uiPort: number;
    databaseFile: string;
  };
  mongo: {
    uri: string;
    dbName: string;
    /** true when lisplan starts its embedded mongod itself */
    embedded: boolean;
    dataDir: string;
  };
  /** The URL people reach lisplan at; links in emails and OIDC redirects use it. */
  publicUrl: string;
  /** OpenID Connect; undefined when no provider is configured. */
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    /** The `aud` that bearer tokens must carry. */
    audience: string;
    /** The token claim that carries group or role names, e.g. "groups". */
    rolesClaim: string;
    /** JSON: claim value → [{ orgId, role }] or { cityViewer: true }. */
    roleMap: string;
  };
  /** Demo users may log in without a provider. Never in production. */
  devLogin: boolean;
  /** Signs the web UI's session cookie; read it through uiSessionSecret(), which requires it outside development. */
  sessionSecret?: string;
  corsOrigins: string[];
  /** Requests per minute per person (per address before authentication). */
  rateLimitPerMinute: number;
  /** Refused credentials per minute per address before the API closes to it for the minute. */
  authFailuresPerMinute: number;
  /** When each year's review starts by itself, in the plan's zone; undefined: only on demand. */
  reviewStart?: { month: number; day: number };
  /** Email over SMTP; undefined (no SMTP_HOST) leaves notifications in-app only. */
  smtp?: { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string; maxAttempts: number; leaseSeconds: number };
  /** The weekly digest's Temporal Schedule; undefined when DIGEST_SCHEDULE=off. */
  digest?: { cron: string; timeZone: string };
  /** How often the worker's Schedule checks for workflows that cannot continue; undefined when WORKFLOW_HEALTH_CHECK_MINUTES=off. */
  workflowHealthCheck?: { everyMinutes: number };
  /** Where the accessibility statement tells people to report a problem; unset, it names the coordinators. */
  accessibilityContact?: string;
}

/** Thrown for a bad environment; its message is one line naming the variable. */
export class ConfigError extends OperatorError {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    const value = SECRETS.has(variable) ? undefined : env[variable];
    throw new ConfigError(
      `config: ${variable} ${issue.message}${value === undefined ? '' : ` (got "${redact(value)}")`}`,
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    planTimeZone: e.PLAN_TIME_ZONE,
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.EMBEDDED_TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      updateTimeoutMs: e.TEMPORAL_UPDATE_TIMEOUT_SECONDS * 1000,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      ...(e.TEMPORAL_PAYLOAD_KEY ? { payloadKey: createSecretKey(Buffer.from(e.TEMPORAL_PAYLOAD_KEY, 'base64')) } : {}),
      ...(e.TEMPORAL_TLS_CA_FILE || e.TEMPORAL_TLS_CERT_FILE || e.TEMPORAL_TLS_SERVER_NAME
        ? { tls: { caFile: e.TEMPORAL_TLS_CA_FILE, certFile: e.TEMPORAL_TLS_CERT_FILE, keyFile: e.TEMPORAL_TLS_KEY_FILE, serverName: e.TEMPORAL_TLS_SERVER_NAME } }
        : {}),
      embedded: e.TEMPORAL_ADDRESS === undefined,
      uiPort: e.TEMPORAL_UI_PORT,
      databaseFile: path.join(dataDir, 'temporal.db'),
    },
    mongo: {
      // journal=true as in embeddedStoreUri: the embedded mongod is standalone.
      uri: e.MONGODB_URI ?? `mongodb://127.0.0.1:${e.EMBEDDED_MONGODB_PORT}/?journal=true`,
      dbName: e.MONGODB_DB,
      embedded: e.MONGODB_URI === undefined,
      dataDir: path.join(dataDir, 'mongodb'),
    },
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`,
    oidc: e.OIDC_ISSUER
      ? {
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID!,
          clientSecret: e.OIDC_CLIENT_SECRET,
          audience: e.OIDC_AUDIENCE ?? e.OIDC_CLIENT_ID!,
          rolesClaim: e.OIDC_ROLES_CLAIM,
          roleMap: e.OIDC_ROLE_MAP ?? '{}',
        }
      : undefined,
    devLogin: e.DEV_LOGIN === 'true',
    sessionSecret: e.SESSION_SECRET,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
    ...(e.REVIEW_START_DATE === 'off' ? {} : { reviewStart: { month: Number(e.REVIEW_START_DATE.slice(0, 2)), day: Number(e.REVIEW_START_DATE.slice(3)) } }),
    smtp: e.SMTP_HOST
      ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE === 'true', user: e.SMTP_USER, pass: e.SMTP_PASS, from: e.SMTP_FROM, maxAttempts: e.MAIL_MAX_ATTEMPTS, leaseSeconds: e.MAIL_LEASE_SECONDS }
      : undefined,
    digest: e.DIGEST_SCHEDULE === 'off' ? undefined : { cron: e.DIGEST_SCHEDULE, timeZone: e.DIGEST_TIME_ZONE },
    ...(e.WORKFLOW_HEALTH_CHECK_MINUTES === 'off' ? {} : { workflowHealthCheck: { everyMinutes: Number(e.WORKFLOW_HEALTH_CHECK_MINUTES) } }),
    ...(e.ACCESSIBILITY_CONTACT ? { accessibilityContact: e.ACCESSIBILITY_CONTACT } : {}),
  };
}

/**
 * The secret that signs the web UI's session cookie. Every API process behind a load balancer
 * must sign with the same one, or a login made by one is refused by the next: outside
 * development it is required (the API calls this at start, so it stops with one line). The
 * worker serves no pages and does not need it. In development, a random one per start.
 */
export function uiSessionSecret(config: Pick<Config, 'nodeEnv' | 'sessionSecret'>): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.nodeEnv !== 'development') {
    throw new ConfigError(`config: SESSION_SECRET is required when NODE_ENV=${config.nodeEnv} (32+ characters, the same for every API process)`);
  }
  return randomBytes(32).toString('hex');
}

/** Hides the password of a URL so that a config error never prints a secret. */
export function redact(value: string): string {
  return value.replace(/\/\/([^:/@\s]+):([^@/\s]+)@/, '//$1:***@');
}

function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    out[key] = v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  return out;
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
