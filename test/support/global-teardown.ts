import fs from 'node:fs';
import type { ManagedProcess } from '../../src/stack/managed-process';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __lisplanServers?: ManagedProcess[] }).__lisplanServers ?? [];
  await Promise.all(servers.map((s) => s.stop()));
  const dir = process.env.LISPLAN_TEST_DIR;
  if (dir && process.env.LISPLAN_KEEP_TEST_DIR !== '1') fs.rmSync(dir, { recursive: true, force: true });
}
