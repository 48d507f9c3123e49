import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { decode } from '@temporalio/common/lib/encoding';
import type { Actor } from '../../src/domain/activity';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { ACTIVITY_WORKFLOW, changeUpdate, stateQuery, type ChangeMessage } from '../../src/workflows/messages/activity';
import { coordinator } from '../support/actors';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Issue 18, item 2: whoever reaches Temporal must not be able to act as anyone. The stack's
 * worker and client carry a payload key (test/support/stack.ts), as every deployment outside
 * development must; a client without it is what `temporal workflow update` or any other direct
 * call to Temporal is.
 */
describe('Temporal without the payload key', () => {
  let stack: TestStack;
  let keyless: Client;
  beforeAll(async () => {
    stack = await startTestStack();
    keyless = new Client({ connection: stack.env.connection, namespace: stack.config.temporal.namespace });
  });
  afterAll(() => stack?.close());

  const title = 'Konfidentiell: byte av larmcentral';
  const start = async (key: string) => {
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'sodermalm', key, year: thisYear(), dueDate: quietDueDate(), title, area: 'ai', owner: { role: 'it-coordinator' } },
    });
    await projected(stack, id, 1);
    return id;
  };
  const cancel = (workflowId: string, requestId: string, actor: Actor): [ChangeMessage] => [{ workflowId, requestId, actor, command: { type: 'cancel', reason: 'Behövs inte längre' } }];
  /** A made-up förvaltningschef: any name and role a sender cares to write. */
  const forged: Actor = { userId: 'mallory', name: 'Påhittad Förvaltningschef', roles: ['head-of-administration', 'security-coordinator'], delegations: [] };

  it('refuses an Update with a made-up actor sent past lisplan, leaving no trace; the app’s own client is accepted', async () => {
    const id = await start('forged-actor');
    const direct = keyless.workflow.getHandle(id).executeUpdate(changeUpdate, { args: cancel(id, 'forged-1', forged) });
    await expect(direct).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(direct).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/did not come from lisplan/) } });

    const handle = stack.env.client.workflow.getHandle(id);
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect((await handle.query(stateQuery)).status).toBe('planned');
    expect(await stack.models.auditEvents.find({ activityId: id }).lean()).toHaveLength(1);
    expect(await stack.models.auditEvents.countDocuments({ 'actor.userId': 'mallory' })).toBe(0);
    expect((await stack.models.activities.findById(id).lean())?.status).toBe('planned');

    const accepted = await handle.executeUpdate(changeUpdate, { args: cancel(id, 'app-1', coordinator) });
    expect(accepted).toMatchObject({ version: 2, duplicate: false, projected: true, state: { status: 'cancelled' } });
    expect((await projected(stack, id, 2)).status).toBe('cancelled');
    const audited = await stack.models.auditEvents.find({ activityId: id }).sort({ version: 1 }).lean();
    expect(audited.map((e) => [e.version, e.action, e.actor.userId])).toEqual([
      [1, 'created', 'system'],
      [2, 'cancel', 'cecilia'],
    ]);
  });

  it('does not let a replayed request id of the app’s answer a sender without the key either', async () => {
    const id = await start('forged-duplicate');
    const complete = (actor: Actor): [ChangeMessage] => [{ workflowId: id, requestId: 'app-2', actor, command: { type: 'complete-task', taskId: 'genomfor' } }];
    await stack.env.client.workflow.getHandle(id).executeUpdate(changeUpdate, { args: complete(coordinator) });
    // The duplicate answer carries the state: a sender without the key gets a refusal instead.
    await expect(keyless.workflow.getHandle(id).executeUpdate(changeUpdate, { args: complete(forged) })).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
    await expect(stack.env.client.workflow.getHandle(id).executeUpdate(changeUpdate, { args: complete(coordinator) })).resolves.toMatchObject({ version: 2, duplicate: true });
  });

  it('refuses a sealed change made for one activity when it is sent to another, leaving no trace there', async () => {
    const [a, b] = [await start('sealed-for-a'), await start('sealed-for-b')];
    // What an insider can copy out of a's history: a request lisplan sealed for a.
    const madeForA = cancel(a, 'for-a-1', coordinator);
    const misdirected = stack.env.client.workflow.getHandle(b).executeUpdate(changeUpdate, { args: madeForA });
    await expect(misdirected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(misdirected).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/not sent for this workflow/) } });
    // Nor without a target: every request lisplan sends names one.
    const { workflowId: _target, ...untargeted } = madeForA[0];
    await expect(stack.env.client.workflow.getHandle(b).executeUpdate(changeUpdate, { args: [untargeted as ChangeMessage] })).rejects.toMatchObject({ cause: { type: 'Forbidden' } });

    const handleB = stack.env.client.workflow.getHandle(b);
    expect((await handleB.fetchHistory()).events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect(await handleB.query(stateQuery)).toMatchObject({ version: 1, status: 'planned' });
    expect((await stack.models.auditEvents.find({ activityId: b }).lean()).map((e) => e.action)).toEqual(['created']);
    expect(await stack.models.activities.findById(b).lean()).toMatchObject({ version: 1, status: 'planned' });
    // The same request is heard by the activity it was made for.
    await expect(stack.env.client.workflow.getHandle(a).executeUpdate(changeUpdate, { args: madeForA })).resolves.toMatchObject({ version: 2, duplicate: false });
  });

  it('ends an activity started past lisplan before it projects anything', async () => {
    const id = `sodermalm.${thisYear()}.forged-start`;
    await keyless.workflow.start(ACTIVITY_WORKFLOW, {
      workflowId: id,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ activity: { orgId: 'sodermalm', key: 'forged-start', year: thisYear(), dueDate: quietDueDate(), title, area: 'ai', owner: { role: 'it-coordinator' } } }],
    });
    await expect(keyless.workflow.getHandle(id).result()).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/not started by lisplan/) } });
    expect(await stack.models.activities.findById(id).lean()).toBeNull();
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(0);
  });

  it('shows such a sender, and the Web UI, nothing but ciphertext: every payload in the history is sealed', async () => {
    const id = await start('ciphertext');
    await stack.env.client.workflow.getHandle(id).executeUpdate(changeUpdate, { args: cancel(id, 'app-3', coordinator) });
    await projected(stack, id, 2);
    const history = await keyless.workflow.getHandle(id).fetchHistory();
    const payloads = payloadsIn(history);
    // The start's input, the Update, its answer, every projection's input and result. The only
    // plain ones are the SDK's record of which patch() calls ran (a marker and the search
    // attribute TemporalChangeVersion, which the server indexes): patch names, nothing of the app's.
    const sdkOwn = (p: Found) => p.path.includes('.markerRecordedEventAttributes.details.patch-data.') || p.path.endsWith('.indexedFields.TemporalChangeVersion');
    const [plain, sealed] = partition(payloads, sdkOwn);
    expect(sealed.length).toBeGreaterThan(5);
    for (const p of sealed) expect([p.path, decode(p.metadata.encoding!)]).toEqual([p.path, ENCRYPTED_ENCODING]);
    const patchNames = /^[a-z-]+$/;
    for (const p of plain) {
      const value = JSON.parse(Buffer.from(p.data).toString('utf8')) as { id: string } | string[];
      for (const name of Array.isArray(value) ? value : [value.id]) expect(name).toMatch(patchNames);
    }
    for (const p of payloads) {
      const bytes = Buffer.from(p.data).toString('utf8');
      for (const secret of ['Konfidentiell', 'larmcentral', 'Cecilia', 'Behövs inte']) expect(bytes).not.toContain(secret);
    }
    // Nor can it read the state through a query: the answer is sealed too.
    await expect(keyless.workflow.getHandle(id).query(stateQuery)).rejects.toThrow(/encoding/i);
  });
});

interface Found {
  metadata: Record<string, Uint8Array>;
  data: Uint8Array;
  /** Where in the history, e.g. .events.4.markerRecordedEventAttributes.details.patch-data.payloads.0 */
  path: string;
}

const partition = <T>(items: T[], test: (item: T) => boolean): [T[], T[]] => [items.filter(test), items.filter((i) => !test(i))];

/** Every Payload (an object with metadata and data bytes) anywhere in a history's events. */
function payloadsIn(node: unknown, out: Found[] = [], at = ''): Found[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && o.data instanceof Uint8Array && 'encoding' in o.metadata) {
    out.push({ ...(o as Omit<Found, 'path'>), path: at });
    return out;
  }
  for (const [k, v] of Object.entries(o)) payloadsIn(v, out, `${at}.${k}`);
  return out;
}
