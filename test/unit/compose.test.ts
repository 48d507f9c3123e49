import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/platform/config';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked by reading it:
 * the app services' environment passes lisplan's own config validation and names external
 * servers, the addresses and ports line up with the services that serve them, the image is
 * the Debian one, and every dependency exists.
 */

const ROOT = path.resolve(__dirname, '../..');
const APP_SERVICES = ['worker', 'api'] as const;

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  expose?: Array<string | number>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: string[];
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Variables the file requires from the operator (${VAR:?message}): compose stops without them. */
const required = new Set<string>();

/**
 * Compose's interpolation for the file's own defaults: ${VAR:-default}, ${VAR-default}, $$; a
 * required ${VAR:?message} is noted and stands in as a value that passes config validation.
 */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (match, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    if (op === '?') {
      required.add(name!);
      // A key stands in as 32 bytes in base64, as config validation asks of it.
      return name!.endsWith('_KEY') ? Buffer.from(`operator-supplied-${name}`.padEnd(32, '-').slice(0, 32)).toString('base64') : `operator-supplied-${name}`.padEnd(32, '-');
    }
    if (fallback === undefined) throw new Error(`\${${name}} has no default; the file must run without a .env`);
    return fallback;
  });
}

function interpolateDeep<T>(node: T): T {
  if (typeof node === 'string') return interpolate(node) as T;
  if (Array.isArray(node)) return node.map((n: unknown) => interpolateDeep(n)) as T;
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v)])) as T;
  }
  return node;
}

function loadCompose(): ComposeFile {
  // merge: true because the file uses YAML merge keys (<<: *app), as compose does.
  const raw = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
  return interpolateDeep(raw);
}

/** Bind mounts of a service: container path -> the project's file (relative to the root). */
function mountsOf(service: Service): Map<string, string> {
  return new Map((service.volumes ?? []).map((v) => v.split(':')).filter(([source]) => source!.startsWith('./')).map(([source, target]) => [target!, path.relative(ROOT, path.resolve(ROOT, source!))]));
}

/**
 * A readable file for config validation to find where a service names a file it mounts (the
 * certificates are made by scripts/make-temporal-certs.sh at deployment, not kept in git).
 */
const standInFile = (() => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lisplan-compose-')), 'stand-in.pem');
  writeFileSync(file, '');
  return file;
})();

/** The environment lisplan's config reads in the service's container, its files made readable here. */
function configEnvOf(service: Service): Record<string, string> {
  const env = envOf(service);
  const mounts = mountsOf(service);
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith('_FILE')) continue;
    if (!mounts.has(value)) throw new Error(`${key}=${value} is no file that the service mounts`);
    env[key] = standInFile;
  }
  return env;
}

/** A service's environment as strings, whichever of compose's two forms it uses. */
function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const i = line.indexOf('=');
        return i === -1 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      if (v === null || v === undefined) return [k, ''];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [k, String(v)];
      throw new Error(`environment ${k} is not a scalar`);
    }),
  );
}

/** Container ports a service makes reachable, from `ports` (short or long syntax) and `expose`. */
function containerPorts(service: Service): number[] {
  const out: number[] = [];
  for (const p of service.ports ?? []) {
    if (typeof p === 'object') {
      out.push(Number(p.target));
    } else {
      // [ip:][host:]container[/proto]
      const container = String(p).split('/')[0]!.split(':').pop()!;
      out.push(Number(container));
    }
  }
  for (const e of service.expose ?? []) out.push(Number(String(e).split('/')[0]));
  return out;
}

/** Published host port -> container port pairs from the short syntax. */
function publishedPorts(service: Service): Array<{ host: number; container: number }> {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: Number(p.published), container: Number(p.target) };
    const parts = String(p).split('/')[0]!.split(':');
    const container = Number(parts.pop());
    const host = parts.length ? Number(parts.pop()) : NaN;
    return { host, container };
  });
}

function dependencies(service: Service): string[] {
  const d = service.depends_on ?? [];
  return Array.isArray(d) ? d : Object.keys(d);
}

function hostPort(address: string): { host: string; port: number } {
  const m = /^([^:]+):(\d+)$/.exec(address);
  if (!m) throw new Error(`not host:port: ${address}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** The keys of the zod schema in src/platform/config.ts, read from its source (the schema is not exported). */
function configKeys(): Set<string> {
  const source = readFileSync(path.join(ROOT, 'src/platform/config.ts'), 'utf8');
  const block = /const schema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source);
  if (!block) throw new Error('cannot find `const schema = z.object({...})` in src/platform/config.ts');
  return new Set([...block[1]!.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

const compose = loadCompose();
const services = compose.services;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('has the app services and the servers they use', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'worker', 'api']),
    );
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    const service = services[name]!;
    const env = envOf(service);

    it('passes lisplan config validation, names external servers and runs in production', () => {
      const config = loadConfig(configEnvOf(service));
      expect(config.nodeEnv).toBe('production');
      expect(env.NODE_ENV).toBe('production');
      expect(config.temporal.embedded).toBe(false);
      expect(config.mongo.embedded).toBe(false);
      expect(config.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'default', taskQueue: 'lisplan' });
      expect(config.mongo).toMatchObject({ uri: 'mongodb://mongodb:27017/', dbName: 'lisplan' });
      expect(config.logLevel).toBe('info');
      expect(config.planTimeZone).toBe('Europe/Stockholm');
      expect(env.TZ).toBe('UTC');
    });

    it('sets only variables that src/platform/config.ts knows (a misspelt name would be silently ignored)', () => {
      const known = configKeys();
      expect(known.size).toBeGreaterThan(5);
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    });

    it('is built from the Dockerfile and restarts unless stopped', () => {
      const context = typeof service.build === 'string' ? service.build : service.build?.context;
      expect(context).toBe('.');
      if (typeof service.build === 'object' && service.build.dockerfile) expect(service.build.dockerfile).toBe('Dockerfile');
      expect(service.restart).toBe('unless-stopped');
    });

    it('waits for Temporal and a healthy MongoDB', () => {
      expect(dependencies(service)).toEqual(expect.arrayContaining(['temporal', 'mongodb']));
      const d = service.depends_on as Record<string, { condition?: string }>;
      expect(Array.isArray(service.depends_on)).toBe(false);
      expect(d.mongodb?.condition).toBe('service_healthy');
    });
  });

  it('uses the same environment for both app services, apart from the API-only HOST and PORT', () => {
    const worker = envOf(services.worker!);
    const { HOST, PORT, ...apiShared } = envOf(services.api!);
    expect(HOST).toBe('0.0.0.0');
    expect(PORT).toBeDefined();
    expect(apiShared).toEqual(worker);
  });

  it('runs the API by default and the worker by command override', () => {
    expect(services.api!.command ?? ['node', 'dist/src/server.js']).toEqual(['node', 'dist/src/server.js']);
    const cmd = services.worker!.command;
    expect(Array.isArray(cmd) ? cmd : String(cmd).split(/\s+/)).toEqual(['node', 'dist/src/worker.js']);
    // The image's HTTP health check does not apply to the worker.
    expect(services.worker!.healthcheck?.disable).toBe(true);
  });

  it("publishes the API's PORT", () => {
    const port = Number(envOf(services.api!).PORT);
    expect(loadConfig(configEnvOf(services.api!)).port).toBe(port);
    const published = publishedPorts(services.api!);
    expect(published.map((p) => p.container)).toContain(port);
    expect(published.find((p) => p.container === port)?.host).toBe(3000);
  });

  it('TEMPORAL_ADDRESS names the temporal service on a port it serves, and the UI uses the same address', () => {
    const address = envOf(services.worker!).TEMPORAL_ADDRESS!;
    const { host, port } = hostPort(address);
    expect(host).toBe('temporal');
    expect(port).toBe(7233);
    expect(services[host]).toBeDefined();
    expect(services[host]!.image).toMatch(/^temporalio\/auto-setup:1\.2\d\.\d+$/);
    expect(containerPorts(services[host]!)).toContain(port);
    expect(envOf(services['temporal-ui']!).TEMPORAL_ADDRESS).toBe(address);
  });

  it("MONGODB_URI names the mongodb service on MongoDB's port", () => {
    const uri = new URL(envOf(services.worker!).MONGODB_URI!);
    expect(uri.protocol).toBe('mongodb:');
    expect(uri.hostname).toBe('mongodb');
    expect(Number(uri.port || 27017)).toBe(27017);
    expect(services[uri.hostname]?.image).toMatch(/^mongo:7(\.|$)/);
    expect(services.mongodb!.healthcheck?.test).toEqual(expect.arrayContaining(['mongosh']));
  });

  it('backs Temporal with the PostgreSQL service, with one password for both', () => {
    const temporal = envOf(services.temporal!);
    const pg = envOf(services.postgresql!);
    expect(temporal).toMatchObject({ DB: 'postgres12', DB_PORT: '5432', POSTGRES_SEEDS: 'postgresql' });
    expect(services[temporal.POSTGRES_SEEDS!]).toBeDefined();
    expect(temporal.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(temporal.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
    expect(temporal.POSTGRES_PWD).toBe('lisplan-local'); // the local-only default
    expect(services.postgresql!.healthcheck?.test).toEqual(expect.arrayContaining(['pg_isready']));
    expect((services.temporal!.depends_on as Record<string, { condition?: string }>).postgresql?.condition).toBe(
      'service_healthy',
    );
  });

  it('reads the PostgreSQL password from the environment, with a default', () => {
    const raw = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(raw).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:-[^}]+\}/);
    expect(raw).toMatch(/POSTGRES_PWD: \$\{POSTGRES_PASSWORD:-[^}]+\}/);
  });

  it('keeps the databases on named volumes', () => {
    const volumes = Object.keys(compose.volumes ?? {});
    for (const name of ['postgresql', 'mongodb']) {
      const mounts = (services[name] as { volumes?: string[] }).volumes ?? [];
      expect(mounts.length).toBeGreaterThan(0);
      for (const m of mounts) expect(volumes).toContain(m.split(':')[0]);
    }
  });

  it('publishes Temporal on no interface and its Web UI on loopback only: both carry full authority over every workflow', () => {
    expect(services.temporal!.ports ?? []).toEqual([]);
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((p) => ({ name, binding: typeof p === 'object' ? `${p.published}:${p.target}` : String(p) })));
    const temporalPorts = published.filter((p) => ['temporal', 'temporal-ui'].includes(p.name));
    expect(temporalPorts).toEqual([{ name: 'temporal-ui', binding: '127.0.0.1:8233:8080' }]);
    // Only the API is published on every interface.
    expect(published.filter((p) => !p.binding.startsWith('127.0.0.1:')).map((p) => p.name)).toEqual(['api']);
  });

  it('refuses to start without SESSION_SECRET, which every API replica shares, and without the payload key', () => {
    expect([...required].sort()).toEqual(['SESSION_SECRET', 'TEMPORAL_PAYLOAD_KEY']);
    expect(loadConfig(configEnvOf(services.api!)).sessionSecret).toBe('operator-supplied-SESSION_SECRET'.padEnd(32, '-'));
    expect(loadConfig(configEnvOf(services.worker!)).temporal.payloadKey?.symmetricKeySize).toBe(32);
  });

  it('speaks mutual TLS with Temporal: the server asks every client for a certificate of the project’s CA', () => {
    const certs = 'certs/temporal';
    const temporal = services.temporal!;
    const temporalEnv = envOf(temporal);
    const serverMounts = mountsOf(temporal);
    for (const key of ['TEMPORAL_TLS_SERVER_CERT', 'TEMPORAL_TLS_SERVER_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY']) {
      expect(serverMounts.get(temporalEnv[key]!)).toMatch(new RegExp(`^${certs}/`));
    }
    const template = readFileSync(path.join(ROOT, 'scripts/temporal-server/config.yaml'), 'utf8');
    expect(template.match(/requireClientAuth: true/g)).toHaveLength(2);
    // The app: the CA, its own certificate and key, checked against the server's name.
    for (const name of APP_SERVICES) {
      const config = loadConfig(configEnvOf(services[name]!));
      expect(config.temporal.tls).toMatchObject({ serverName: 'temporal' });
      const env = envOf(services[name]!);
      expect([env.TEMPORAL_TLS_CA_FILE, env.TEMPORAL_TLS_CERT_FILE, env.TEMPORAL_TLS_KEY_FILE].map((f) => mountsOf(services[name]!).get(f!))).toEqual(
        [`${certs}/ca.pem`, `${certs}/lisplan.pem`, `${certs}/lisplan-key.pem`],
      );
    }
    // The Web UI and the namespace job are clients too, with the operator's certificate; the
    // app's key is mounted nowhere else.
    for (const name of ['temporal-ui', 'temporal-namespace']) {
      expect(envOf(services[name]!)).toMatchObject({ TEMPORAL_TLS_CA: '/run/temporal/ca.pem', TEMPORAL_TLS_CERT: '/run/temporal/operator.pem', TEMPORAL_TLS_KEY: '/run/temporal/operator-key.pem', TEMPORAL_TLS_SERVER_NAME: 'temporal' });
      expect([...mountsOf(services[name]!).values()].sort()).toEqual([`${certs}/ca.pem`, `${certs}/operator-key.pem`, `${certs}/operator.pem`]);
    }
    const withAppKey = Object.entries(services).filter(([, s]) => [...mountsOf(s).values()].includes(`${certs}/lisplan-key.pem`)).map(([n]) => n);
    expect(withAppKey.sort()).toEqual(['api', 'worker']);
    // Made by the project's script into a folder git ignores.
    expect(readFileSync(path.join(ROOT, 'scripts/make-temporal-certs.sh'), 'utf8')).toContain(`dir=\${1:-${certs}}`);
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('/certs/');
  });

  it('depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dep of dependencies(service)) {
        expect(`${name} -> ${dep}: ${dep in services ? 'exists' : 'missing'}`).toBe(`${name} -> ${dep}: exists`);
      }
    }
  });
});

describe('Dockerfile', () => {
  const fromLines = dockerfile.split('\n').filter((l) => /^\s*FROM\s/i.test(l));

  it('builds every stage on node:20-bookworm-slim, never Alpine', () => {
    expect(fromLines.length).toBeGreaterThanOrEqual(2);
    for (const line of fromLines) {
      const image = line.trim().split(/\s+/)[1];
      expect(image).toBe('node:20-bookworm-slim');
      expect(line.toLowerCase()).not.toContain('alpine');
    }
  });

  it('runs as node in production, with the API as the default command', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/TZ=UTC/);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/server\.js"\]$/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
  });

  it('starts the files that the build produces', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.server).toBe('node dist/src/server.js');
    expect(pkg.scripts.worker).toBe('node dist/src/worker.js');
  });
});
