import { ServiceError } from '@temporalio/client';
import { toProblem } from '../../src/api/error-handler';

/** How the failures Temporal's client throws become HTTP problems. */
describe('error mapping', () => {
  const grpc = (code: number, message: string) => new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`${code} ${message}`), { code }) });

  it('answers 429 with Retry-After when Temporal refuses more concurrent Updates on one workflow', () => {
    const problem = toProblem(grpc(8, 'RESOURCE_EXHAUSTED: limit on number of concurrent in-flight updates has been reached (10)'));
    expect(problem).toMatchObject({ status: 429, type: 'busy', extra: { retryAfterSeconds: 1 } });
  });

  it('keeps 503 for an unreachable server and 500 for anything unknown', () => {
    expect(toProblem(grpc(14, 'UNAVAILABLE: No connection established'))).toMatchObject({ status: 503, extra: { retryAfterSeconds: 5 } });
    expect(toProblem(grpc(9, 'FAILED_PRECONDITION: something else'))).toMatchObject({ status: 500 });
  });
});
