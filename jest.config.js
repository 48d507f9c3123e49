/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault-injection suite kills servers; it has its own command (`make fault`).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fault/'],
  transform: {
    // Type-checking is `npm run typecheck`'s job; here ts-jest only transpiles, which is fast.
    '^.+\\.[tj]s$': ['ts-jest', { diagnostics: false, tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  // ES-module-only dependencies are transpiled too; Node itself loads them with require().
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi|express-rate-limit)/)'],
  setupFiles: ['<rootDir>/test/support/quiet-sdk.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  // Temporal's native worker keeps a handle open for a moment after shutdown.
  forceExit: true,
  maxWorkers: 2,
};
