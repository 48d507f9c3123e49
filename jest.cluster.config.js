const base = require('./jest.config');

/**
 * `make test-cluster`: the production topology. The Temporal server (go.temporal.io/server) on
 * PostgreSQL and mongod start once (test/cluster/global-setup.ts); each test file runs against
 * two worker processes and two API processes of its own.
 *
 * The e2e suites below run unchanged: their `../support/stack` and `../support/api` are mapped to
 * test/cluster/support/, which start the processes and put a round-robin over the two APIs where
 * the suites had an in-process app. Of activities-api.test.ts only the read-your-writes tests
 * run (the others change the app's config per test, which processes cannot take). Then the fault
 * rig's consistency check, and its one fault case on this topology (test/cluster/*.cluster.ts).
 */
const suites = {
  'test/e2e/readme-walkthrough.test.ts': ['the README walkthrough'],
  'test/api/activities-api.test.ts': [
    'activity API returns the new state from the write',
    'activity API answers a change once the read model has it',
    'activity API replays the first response for a repeated Idempotency-Key',
    'activity API serialises concurrent writers',
  ],
  'test/e2e/cli.test.ts': ['lisplan plan load and seed demo loads both seed organisations'],
  'test/review/year-review.test.ts': ['a plan year ends in an adopted review'],
  'test/cluster/consistency.cluster.ts': ['the cluster: two workers and two APIs'],
  'test/cluster/kill-worker-and-api.cluster.ts': ['the cluster loses one worker and one API'],
  'test/cluster/temporal-mtls.cluster.ts': ['the Temporal server with mutual TLS'],
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: Object.keys(suites).map((file) => `<rootDir>/${file}`),
  testPathIgnorePatterns: ['/node_modules/'],
  testNamePattern: `^(${Object.values(suites).flat().map(escape).join('|')})`,
  moduleNameMapper: {
    '^\\.\\./support/stack$': '<rootDir>/test/cluster/support/stack.ts',
    '^\\.\\./support/api$': '<rootDir>/test/cluster/support/api.ts',
  },
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  testTimeout: 600_000,
  // Each file starts four Node processes beside the servers; two cores take one file at a time.
  maxWorkers: 1,
};
