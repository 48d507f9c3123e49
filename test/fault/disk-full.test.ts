import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { completeAll, expectConsistent, failures, startActivities, startFaultRig, type FaultRig } from './rig';

const DISK_MB = 64;

/**
 * The store's data folder is on a small disk of its own (a tmpfs mount: the tests run as root),
 * which fills up while owners work. mongod stops when it cannot write its journal (MongoDB's
 * behaviour on a full disk, rather than acknowledging what it cannot keep); meanwhile owners'
 * clients are told 503 and retry. When space is freed, the store is started again (what its
 * supervisor does), and everything is projected and audited exactly once.
 */
describe("the store's disk fills up", () => {
  let rig: FaultRig | undefined;
  const mount = path.join(process.env.LISPLAN_TEST_DIR!, 'small-disk');
  const filler = path.join(mount, 'filler');

  beforeAll(async () => {
    fs.mkdirSync(mount, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m`, 'tmpfs', mount], { stdio: 'pipe' });
    } catch (err) {
      throw new Error(`this test mounts a ${DISK_MB} MB tmpfs and needs root (or CAP_SYS_ADMIN): ${(err as Error).message}`);
    }
    rig = await startFaultRig('disk', { storeDataDir: path.join(mount, 'mongodb') });
  });
  afterAll(async () => {
    await rig?.close();
    execFileSync('umount', [mount]);
  });

  it('keeps accepting changes and catches up once space is freed', async () => {
    const ids = await startActivities(rig!, 10, 5);
    fillUp(filler);
    const load = completeAll(rig!, ids, 5);
    // The projection fails on the full disk (or the store has stopped) and retries.
    await new Promise((r) => setTimeout(r, 10_000));
    const store = rig!.stack.store.process;
    const projected = store.hasExited ? 0 : await rig!.models.activities.countDocuments({ _id: { $in: ids }, version: 6 }).catch(() => 0);
    expect(projected).toBeLessThan(ids.length);
    fs.rmSync(filler);
    if (store.hasExited) await rig!.stack.startStore();

    const [attempts, results] = [load.attempts, await load.done];
    expect(failures(attempts)).toEqual([]);
    expect(results).toHaveLength(50);
    await expectConsistent(rig!, [ids, 5]);
  });
});

/** Writes until the file system has no space left. */
function fillUp(file: string): void {
  const chunk = Buffer.alloc(1024 * 1024, 1);
  const fd = fs.openSync(file, 'w');
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}
