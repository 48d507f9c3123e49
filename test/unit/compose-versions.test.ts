import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { toolsOf } from '../../src/stack/binaries';

/**
 * `make test-cluster` runs the Temporal server that docker-compose.yml describes, without Docker:
 * the two must not drift apart. Same server version (scripts/server-versions.env), same
 * PostgreSQL major version, same schema script, same config template and dynamic config.
 */

const ROOT = path.resolve(__dirname, '../..');
const { versions } = toolsOf(ROOT);

interface Service {
  image?: string;
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const services = (parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;
const TEMPORAL_SERVICES = ['temporal-schema', 'temporal', 'temporal-namespace'];
/** A mount of the project's file `file` (relative to the root) into the container, or undefined. */
const mountOf = (service: Service, file: string) =>
  service.volumes?.map((v) => v.split(':')).find(([source]) => path.resolve(ROOT, source!) === path.join(ROOT, file))?.[1];
const entrypoint = (service: Service) => (Array.isArray(service.entrypoint) ? service.entrypoint.join(' ') : (service.entrypoint ?? ''));

describe('docker-compose.yml and scripts/server-versions.env', () => {
  it('pin a Temporal server version that the provisioning script builds', () => {
    expect(versions.TEMPORAL_SERVER_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    const script = readFileSync(path.join(ROOT, 'scripts/provision-temporal-server.sh'), 'utf8');
    expect(script).toContain('go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION');
    expect(script).toContain('go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION');
  });

  it.each(TEMPORAL_SERVICES)('%s runs an image of that very server version', (name) => {
    const image = services[name]?.image ?? '';
    expect(image).toMatch(/^temporalio\/(auto-setup|server|admin-tools):/);
    expect(image.split(':')[1]).toBe(versions.TEMPORAL_SERVER_VERSION!.replace(/^v/, ''));
  });

  it('runs PostgreSQL of the major version that the cluster suite runs', () => {
    expect(services.postgresql?.image).toBe(`postgres:${versions.POSTGRES_MAJOR_VERSION}`);
  });

  it('applies the schemas with the same script as the cluster suite', () => {
    const schema = services['temporal-schema']!;
    const mounted = mountOf(schema, 'scripts/temporal-server/setup-schema.sh');
    expect(mounted).toBeDefined();
    expect(entrypoint(schema)).toContain(mounted!);
    expect(schema.environment?.SCHEMA_DIR).toMatch(/\/schema\/postgresql\/v12$/);
    expect((services.temporal as { depends_on?: Record<string, { condition?: string }> }).depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
  });

  it('starts the server from the same config template and dynamic config as the cluster suite', () => {
    const temporal = services.temporal!;
    const config = mountOf(temporal, 'scripts/temporal-server/config.yaml');
    const dynamic = mountOf(temporal, 'scripts/temporal-server/dynamicconfig.yaml');
    expect(config).toBe('/etc/lisplan-temporal/config/lisplan.yaml');
    expect(entrypoint(temporal)).toContain('temporal-server --root /etc/lisplan-temporal --config config --env lisplan');
    expect(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe(dynamic);
  });

  it('keeps eager activity execution on, as the embedded dev server has it', () => {
    const dynamic = parse(readFileSync(path.join(ROOT, 'scripts/temporal-server/dynamicconfig.yaml'), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamic['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
  });
});
