// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries,
// no code that reaches the database, the API or the clock of the machine.
const bannedInWorkflows = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  'mongoose', 'mongodb', 'express', 'pino', 'supertest', 'nodemailer', 'undici', 'axios',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];

// Adapters hand the models to services whole: the service that owns a collection runs its
// queries (next to the filters its indexes serve), so no adapter calls a collection itself,
// nor keeps one in a variable or destructures one out to call it later.
const storeQueryMessage = 'Adapters do not query the store: call (or add) the function of the service that owns this collection (src/services/<feature>/).';
const storeQueriesInAdapters = [
  'CallExpression[callee.type="MemberExpression"][callee.object.type="MemberExpression"][callee.object.object.name="models"]',
  'CallExpression[callee.type="MemberExpression"][callee.object.type="MemberExpression"][callee.object.object.property.name="models"]',
  'VariableDeclarator > MemberExpression.init[object.name="models"]',
  'VariableDeclarator > MemberExpression.init[object.property.name="models"]',
  'VariableDeclarator[id.type="ObjectPattern"][init.name="models"]',
  'VariableDeclarator[id.type="ObjectPattern"][init.property.name="models"]',
].map((selector) => ({ selector, message: storeQueryMessage }));

module.exports = tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'data/', 'coverage/', 'artifacts/', 'bench/results/', '*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/api/**/*.ts', 'src/ui/**/*.ts', 'src/http/**/*.ts', 'src/cli/**/*.ts', 'src/activities/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...storeQueriesInAdapters] },
  },
  {
    files: ['src/workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: bannedInWorkflows.map((name) => ({
            name,
            message: 'Workflows are deterministic: no Node built-ins or I/O here. Use an activity.',
            allowTypeImports: true,
          })),
          patterns: [
            { group: ['**/store/**', '**/services/**', '**/api/**', '**/http/**', '**/ui/**', '**/stack/**', '**/temporal/**', '**/platform/**'], message: 'Workflows must not reach I/O layers.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
