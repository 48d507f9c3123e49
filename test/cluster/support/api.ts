import http from 'node:http';
import type { Express } from 'express';
// Not '../support/api': jest.cluster.config.js maps that path to this file.
import { bearerFor, type TestUser } from '../../support/api';
import type { ClusterTestStack } from './stack';

export { bearerFor, type TestUser };

/**
 * `testApp` of test/support/api.ts for the cluster run: instead of an app in the test's process,
 * a small round-robin in front of the stack's two API processes. Each request (supertest's, or
 * one to `.listen()`'s address) goes to the next API in turn, so a suite's write and the read
 * right after it are served by different processes.
 */
export function testApp(stack: ClusterTestStack, opts: { env?: Record<string, unknown>; oidc?: unknown } = {}): Express {
  // The API processes run with DEV_LOGIN=true; nothing else can be changed per app here.
  const other = [...Object.keys(opts.env ?? {}).filter((k) => k !== 'devLogin'), ...(opts.oidc ? ['oidc'] : [])];
  if (other.length) throw new Error(`the cluster's API processes cannot take ${other.join(', ')} per test`);
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = new URL(req.url ?? '/', stack.cluster.nextApiUrl());
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.once('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`round-robin: ${target.host}: ${err.message}`);
    });
    req.pipe(upstream);
  };
  const listen = (...args: Parameters<http.Server['listen']>) => http.createServer(handler).listen(...args);
  return Object.assign(handler, { listen }) as unknown as Express;
}
