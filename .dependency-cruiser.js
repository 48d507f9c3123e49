// @ts-check
/**
 * The layers of src/ and the direction of every import (README, "Architecture"):
 *
 *   domain ← store ← services ← adapters (api, ui, cli, activities, reports) ← composition (app, server, worker)
 *   platform (config, logs, errors) is below everything; http is the API's and the UI's shared plumbing;
 *   workflows see only the domain and their own messages (and the Activities' types).
 *
 * `npm run lint` runs this with eslint; a new cycle or an import against the arrow fails it.
 */
const ADAPTERS = 'api|ui|cli|http|activities|stack|temporal';
const TOP = '^src/(app|server|worker)\\.ts$';

/** One rule: modules under `from` must not import modules under `to`. */
const forbid = (name, comment, from, to, extra = {}) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to, ...extra } });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A module must not reach itself through its imports.', from: { path: '^src/' }, to: { circular: true, dependencyTypesNot: ['type-only'] } },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      scope: 'folder',
      comment: 'Two folders of src/ must not import each other, directly or round about.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    forbid('domain-is-pure', 'The domain is pure rules: it imports nothing of the application.', '^src/domain/', '^src/', { pathNot: '^src/domain/' }),
    forbid('platform-stands-alone', 'platform/ (config, logs, errors) is below every layer.', '^src/platform/', '^src/', { pathNot: '^src/platform/' }),
    forbid('store-below-services', 'The store knows the domain and nothing above it.', '^src/store/', `^src/(services|reports|workflows|${ADAPTERS})/`),
    forbid('services-below-adapters', 'Services are called by the adapters, never the other way round.', '^src/services/', `^src/(reports|${ADAPTERS})/|${TOP}`),
    forbid(
      'services-use-workflow-messages',
      'Services talk to a workflow through its messages module; the workflow itself only as a type.',
      '^src/services/',
      '^src/workflows/',
      { pathNot: '^src/workflows/messages/', dependencyTypesNot: ['type-only'] },
    ),
    forbid('reports-render-documents', 'Reports render what services compile; they call no adapter.', '^src/reports/', `^src/(${ADAPTERS})/|${TOP}`),
    forbid(
      'workflows-are-deterministic',
      'Workflows see the domain and their messages only (the Activities as types).',
      '^src/workflows/',
      '^src/',
      { pathNot: '^src/(workflows|domain)/', dependencyTypesNot: ['type-only'] },
    ),
    forbid('activities-call-services', 'Temporal Activities are adapters: they use services, the store and workflow messages, no other adapter.', '^src/activities/', `^src/(api|ui|cli|http|stack)/|${TOP}`),
    forbid('activities-use-workflow-messages', 'An Activity reaches a workflow through its messages module only.', '^src/activities/', '^src/workflows/', { pathNot: '^src/workflows/messages/' }),
    forbid('api-is-not-ui', 'The JSON API and the web UI are separate adapters over the same services.', '^src/api/', '^src/(ui|cli|stack)/'),
    forbid('ui-is-not-api', 'The web UI and the JSON API are separate adapters over the same services.', '^src/ui/', '^src/(api|cli|stack)/'),
    forbid('http-is-shared-plumbing', 'http/ serves both the API and the UI, so it imports neither.', '^src/http/', '^src/(api|ui|cli|stack|activities)/'),
    forbid('cli-is-an-adapter', 'The CLI calls services like the API and the UI do.', '^src/cli/', '^src/(api|ui|http|activities)/'),
    { ...forbid('composition-on-top', 'Only the entry points compose the app; nothing below them imports one.', '^src/', TOP), from: { path: '^src/', pathNot: TOP } },
  ],
  options: {
    // Type-only imports vanish in the compiled code (a workflow names its Activities' types, as Temporal's API asks); the rules are about what runs.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
