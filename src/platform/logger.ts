import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** Structured logs; tokens and secrets are redacted wherever they appear in a log object. */
export function createLogger(config: Pick<Config, 'logLevel'>, name: string): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.pass', '*.token', '*.secret'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
