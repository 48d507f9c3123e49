const base = require('./jest.config');

/**
 * `npm run test:unit`: the fast tier, with no Temporal dev server and no mongod. Its files are
 * those of folders whose every test is pure (test/unit, test/importers), any file elsewhere
 * named *.unit.test.ts (pure code, or workflows with mocked activities on Temporal's
 * lightweight time-skipping test server), and the replay of recorded histories, which keeps the
 * path the team runs it by. `make test` runs them too, once, with everything else.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/**/*.test.ts',
    '<rootDir>/test/importers/**/*.test.ts',
    '<rootDir>/test/**/*.unit.test.ts',
    '<rootDir>/test/workflows/replay.test.ts',
  ],
  globalSetup: '<rootDir>/test/support/unit-setup.ts',
  testTimeout: 60_000,
};
