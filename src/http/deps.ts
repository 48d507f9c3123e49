import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { Config } from '../platform/config';
import type { Models } from '../store/models';
import type { Logger } from '../platform/logger';
import type { BearerVerifier } from './auth/authenticate';

/** What the API's routes need: handed in, so tests pass the real servers' clients. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  client: Client;
  store: Connection;
  models: Models;
  oidc?: BearerVerifier;
}
