import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';

/**
 * Replays recorded histories (test/fixtures/histories, made by scripts/record-histories.ts)
 * through the current workflow code. A change that would break running workflows fails here;
 * such a change must go behind patched().
 */
const dir = path.join(__dirname, '../fixtures/histories');
const histories = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, history: temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));

describe('replay of recorded histories', () => {
  it('has histories for an activity’s main path, an extension, continue-as-new and a yearly recurrence, the review, the digest and a delivery', () => {
    expect(histories.map((h) => h.name).sort()).toEqual([
      'activity-answer-when-projected.json',
      'activity-continue-as-new.json',
      'activity-extension-while-running.json',
      'activity-main-path-with-rejection.json',
      'activity-yearly-recurrence.json',
      'delivery-sent.json',
      'digest-weekly.json',
      'review-adopted-after-changes.json',
    ]);
    for (const { history } of histories) expect(history.events.length).toBeGreaterThan(10);
  });

  it.each(histories.map((h) => [h.name, h.history] as const))('replays %s through the current code', async (name, history) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE! }, replayName: name }, history),
    ).resolves.toBeUndefined();
  });

  it('fails when the workflow changes incompatibly', async () => {
    const changed = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows/activity-changed'), logger: silent });
    const { history } = histories.find((h) => h.name === 'activity-main-path-with-rejection.json')!;
    await expect(Worker.runReplayHistory({ workflowBundle: changed, replayName: 'changed' }, history)).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
