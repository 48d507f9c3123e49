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

const port = z.coerce.number().int().min(1).max(65535);

const ianaZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Stockholm');

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
  TEMPORAL_UI_PORT: port.default(8233),
  EMBEDDED_TEMPORAL_PORT: port.default(7233),
  EMBEDDED_MONGODB_PORT: port.default(27017),
  MONGODB_URI: mongoUri.optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, - and _ only').default('lisplan'),
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
    /** true when lisplan starts the Temporal dev server itself */
    embedded: boolean;
    uiPort: number;
    databaseFile: string;
  };
  mongo: {
    uri: string;
    dbName: string;
    /** true when lisplan starts FerretDB itself */
    embedded: boolean;
    dataDir: string;
  };
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
    const value = env[variable];
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
      embedded: e.TEMPORAL_ADDRESS === undefined,
      uiPort: e.TEMPORAL_UI_PORT,
      databaseFile: path.join(dataDir, 'temporal.db'),
    },
    mongo: {
      uri: e.MONGODB_URI ?? `mongodb://127.0.0.1:${e.EMBEDDED_MONGODB_PORT}/`,
      dbName: e.MONGODB_DB,
      embedded: e.MONGODB_URI === undefined,
      dataDir: path.join(dataDir, 'ferretdb'),
    },
  };
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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
