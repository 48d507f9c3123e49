import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../src/platform/config';
import { projectRoot } from '../../src/platform/project-root';
import { startTemporalCluster, type TemporalCluster } from '../../src/stack/temporal-cluster';
import { createTemporalClient } from '../../src/temporal/client';
import { connectionOptions } from '../../src/temporal/connection';

const run = promisify(execFile);

/**
 * Issue 18, item 2: mutual TLS between lisplan and Temporal, on the production server as
 * docker-compose.yml configures it (the config template's tls section, the certificates of
 * scripts/make-temporal-certs.sh). Only a client with a certificate of the project's CA gets in;
 * lisplan's config (TEMPORAL_TLS_*) gives its client and its worker one.
 */
describe('the Temporal server with mutual TLS', () => {
  let dir: string;
  let cluster: TemporalCluster;
  let certs: string;
  let strangerCerts: string;
  const read = (file: string) => fs.readFileSync(path.join(certs, file));

  beforeAll(async () => {
    dir = path.join(process.env.LISPLAN_TEST_DIR!, 'temporal-mtls');
    fs.mkdirSync(dir, { recursive: true });
    certs = path.join(dir, 'certs');
    strangerCerts = path.join(dir, 'stranger-certs');
    const script = path.join(projectRoot(), 'scripts', 'make-temporal-certs.sh');
    await run('bash', [script, certs]);
    await run('bash', [script, strangerCerts]);
    cluster = await startTemporalCluster({ dir: path.join(dir, 'cluster'), certsDir: certs });
  });
  afterAll(() => cluster?.stop());

  const lisplanConfig = () =>
    loadConfig({
      NODE_ENV: 'production',
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_PAYLOAD_KEY: randomBytes(32).toString('base64'),
      TEMPORAL_TLS_CA_FILE: path.join(certs, 'ca.pem'),
      TEMPORAL_TLS_CERT_FILE: path.join(certs, 'lisplan.pem'),
      TEMPORAL_TLS_KEY_FILE: path.join(certs, 'lisplan-key.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
  const describeDefault = async (options: Parameters<typeof Connection.connect>[0]) => {
    const connection = await Connection.connect({ connectTimeout: 5_000, ...options });
    try {
      return await connection.workflowService.describeNamespace({ namespace: 'default' });
    } finally {
      await connection.close();
    }
  };

  it('refuses a client without a certificate, with one of another CA, and one that does not speak TLS', async () => {
    const serverOnly = { serverRootCACertificate: read('ca.pem'), serverNameOverride: 'temporal' };
    await expect(describeDefault({ address: cluster.address, tls: serverOnly })).rejects.toThrow();
    const stranger = { crt: fs.readFileSync(path.join(strangerCerts, 'lisplan.pem')), key: fs.readFileSync(path.join(strangerCerts, 'lisplan-key.pem')) };
    await expect(describeDefault({ address: cluster.address, tls: { ...serverOnly, clientCertPair: stranger } })).rejects.toThrow();
    await expect(describeDefault({ address: cluster.address })).rejects.toThrow();
    await expect(NativeConnection.connect({ address: cluster.address, tls: serverOnly })).rejects.toThrow();
  });

  it('lets lisplan’s client and worker in with the certificate its config names', async () => {
    const { temporal } = lisplanConfig();
    const { client, connection } = createTemporalClient(temporal);
    try {
      const described = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(described.namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
    const worker = await NativeConnection.connect(connectionOptions(temporal));
    await worker.close();
  });

  it('checks the server’s name: a client that expects another host refuses the server', async () => {
    const { temporal } = lisplanConfig();
    await expect(describeDefault({ ...connectionOptions({ ...temporal, tls: { ...temporal.tls!, serverName: 'not-temporal' } }) })).rejects.toThrow();
  });
});
