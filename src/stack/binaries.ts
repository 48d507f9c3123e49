import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../platform/project-root';

/** Where the provisioned server binaries live, keyed by the versions in scripts/server-versions.env. */
export interface ServerBinaries {
  temporal: string;
  mongod: string;
}

/** The embedded servers that `make start` runs. */
export function serverBinaries(root: string = projectRoot()): ServerBinaries {
  const { versions, tools } = toolsOf(root);
  return {
    temporal: existing('temporal', path.join(tools, `temporal-${versions.TEMPORAL_CLI_VERSION}`, 'temporal'), ''),
    mongod: existing('mongod', path.join(tools, `mongod-${versions.MONGOD_VERSION}`, 'mongod'), ''),
  };
}

/** The wrapper that runs Temporal's Java time-skipping test server as `temporal-test-server <port>`. */
export function testServerBinary(root: string = projectRoot()): string {
  const { versions, tools } = toolsOf(root);
  const file = path.join(tools, `temporal-test-server-${versions.TEMPORAL_TEST_SERVER_VERSION}`, 'temporal-test-server');
  return existing('Temporal test', file, ' --with-test-server');
}

/** The pinned versions (scripts/server-versions.env) and the folder the provisioned servers live in. */
export function toolsOf(root: string) {
  const versions = parseEnvFile(fs.readFileSync(path.join(root, 'scripts/server-versions.env'), 'utf8'));
  return { versions, tools: process.env.LISPLAN_TOOLS_DIR ?? path.join(root, '.tools') };
}

function existing(name: string, file: string, flag: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`the embedded ${name} server is not built (${file}); run scripts/provision-servers.sh${flag}`);
  }
  return file;
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_]+)=(\S+)/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
