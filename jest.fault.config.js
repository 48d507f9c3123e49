const base = require('./jest.config');

/**
 * `make fault`: the fault-injection suite. Its tests start, kill and restart their own servers,
 * so they run one file at a time and after the ordinary suite.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/fault'],
  testPathIgnorePatterns: [],
  testTimeout: 600_000,
  maxWorkers: 1,
};
