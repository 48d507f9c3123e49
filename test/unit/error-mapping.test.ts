import { Metadata } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import mongoose from 'mongoose';
import { toProblem } from '../../src/http/error-handler';
import { StoreUnavailableError } from '../../src/store/errors';
import { sendUpdate } from '../../src/services/unavailable';

/** How the failures Temporal's client throws become HTTP problems. */
const grpc = (code: number, message: string) => new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`${code} ${message}`), { code }) });

/** What the server sends when the workflow task that was to take an Update failed: FAILED_PRECONDITION with a WorkflowNotReadyFailure detail. */
function workflowNotReady(): ServiceError {
  const metadata = new Metadata();
  const detail = { type_url: 'type.googleapis.com/temporal.api.errordetails.v1.WorkflowNotReadyFailure', value: temporal.api.errordetails.v1.WorkflowNotReadyFailure.encode({}).finish() };
  metadata.set('grpc-status-details-bin', Buffer.from(google.rpc.Status.encode({ code: 9, message: 'Unable to perform workflow execution update due to unexpected workflow task failure.', details: [detail] }).finish()));
  const notReady = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'), { code: 9, details: 'x', metadata });
  return new ServiceError('Workflow Update failed', { cause: notReady });
}

describe('error mapping', () => {
  it('answers 429 with Retry-After when Temporal refuses more concurrent Updates on one workflow', () => {
    const problem = toProblem(grpc(8, 'RESOURCE_EXHAUSTED: limit on number of concurrent in-flight updates has been reached (10)'));
    expect(problem).toMatchObject({ status: 429, type: 'busy', extra: { retryAfterSeconds: 1 } });
  });

  it('keeps 503 for an unreachable server and 500 for anything unknown', () => {
    expect(toProblem(grpc(14, 'UNAVAILABLE: No connection established'))).toMatchObject({ status: 503, extra: { retryAfterSeconds: 5 } });
    expect(toProblem(grpc(9, 'FAILED_PRECONDITION: something else'))).toMatchObject({ status: 500 });
  });

  it('answers 503 when the workflow task that was to take an Update failed (its worker was killed)', () => {
    expect(toProblem(workflowNotReady())).toMatchObject({ status: 503, extra: { retryAfterSeconds: 5 } });
    expect(toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('cancelled', { cause: Object.assign(new Error('1 CANCELLED'), { code: 1 }) }))).toMatchObject({ status: 503 });
  });

  it('answers 503 for every failure of the store and its replies, and 500 for the driver used wrongly', () => {
    const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });
    for (const err of [
      named('MongoServerError', { code: 1 }),
      named('MongoUnexpectedServerResponseError'),
      named('MongoNetworkError'),
      named('MongoNetworkTimeoutError'),
      named('BSONOffsetError'),
      named('BSONError'),
      new StoreUnavailableError('the store returned a malformed user document'),
      new mongoose.Error('Connection was force closed'),
    ]) {
      const { status, extra } = toProblem(err);
      expect({ error: err.name, status, extra }).toMatchObject({ error: err.name, status: 503, extra: { retryAfterSeconds: 5 } });
    }
    expect(toProblem(named('MongoServerError', { code: 11000 }))).toMatchObject({ status: 500 });
    expect(toProblem(named('MongoInvalidArgumentError'))).toMatchObject({ status: 500 });
  });
});

/** An Update whose workflow task failed under it was not applied: it is sent again, a bounded number of times. */
describe('sendUpdate', () => {
  const client = { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() } as unknown as Client;
  const failingFirst = (failures: Error[]) => {
    let calls = 0;
    const send = async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return 'applied';
    };
    return { send, calls: () => calls };
  };

  it('sends again after WorkflowNotReady and answers with the outcome', async () => {
    const update = failingFirst([workflowNotReady(), workflowNotReady()]);
    await expect(sendUpdate(client, Date.now() + 60_000, update.send)).resolves.toBe('applied');
    expect(update.calls()).toBe(3);
  });

  it('gives up after four attempts, and never retries another failure', async () => {
    const stuck = failingFirst(Array.from({ length: 10 }, workflowNotReady));
    await expect(sendUpdate(client, Date.now() + 60_000, stuck.send)).rejects.toThrow('Workflow Update failed');
    expect(stuck.calls()).toBe(4);
    const refused = failingFirst([grpc(9, 'FAILED_PRECONDITION: something else')]);
    await expect(sendUpdate(client, Date.now() + 60_000, refused.send)).rejects.toThrow('Workflow Update failed');
    expect(refused.calls()).toBe(1);
  });

  it('does not wait past the deadline', async () => {
    const update = failingFirst([workflowNotReady()]);
    await expect(sendUpdate(client, Date.now() + 100, update.send)).rejects.toThrow('Workflow Update failed');
    expect(update.calls()).toBe(1);
  });
});
