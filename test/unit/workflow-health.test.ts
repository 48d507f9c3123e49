import { classifyWorkflow, workflowSubject, type WorkflowExecutionFacts } from '../../src/domain/workflow-health';

describe('classifyWorkflow', () => {
  const running: WorkflowExecutionFacts = { status: 'RUNNING', subjectClosed: false };

  it('finds a running workflow with no failing task healthy, however many tries a task took below the limit', () => {
    expect(classifyWorkflow(running)).toEqual({ kind: 'healthy' });
    expect(classifyWorkflow({ ...running, pendingTaskAttempt: 2, lastEventType: 'WorkflowTaskScheduled' })).toEqual({ kind: 'healthy' });
  });

  it('finds a running workflow stuck from the third failed attempt of its workflow task, with Temporal’s reason', () => {
    expect(classifyWorkflow({ ...running, pendingTaskAttempt: 3, lastEventType: 'WorkflowTaskFailed', lastEventReason: 'Input exceeds size limit' })).toEqual({
      kind: 'stuck',
      reason: 'workflow task attempt 3: Input exceeds size limit',
    });
    expect(classifyWorkflow({ ...running, pendingTaskAttempt: 7 })).toEqual({ kind: 'stuck', reason: 'workflow task attempt 7' });
  });

  it('finds a running workflow whose last event is a failed workflow task stuck even when no task is pending', () => {
    expect(classifyWorkflow({ ...running, lastEventType: 'WorkflowTaskFailed' })).toEqual({ kind: 'stuck', reason: 'workflow task failed' });
  });

  it.each([
    ['TERMINATED', 'terminated'],
    ['FAILED', 'failed'],
    ['TIMED_OUT', 'timed out'],
    ['CANCELLED', 'cancelled'],
  ] as const)('finds a %s workflow of an open activity ended abnormally', (status, word) => {
    expect(classifyWorkflow({ status, subjectClosed: false, lastEventReason: 'Workflow history size exceeds limit.' })).toEqual({
      kind: 'ended-abnormally',
      reason: `${word}: Workflow history size exceeds limit.`,
    });
    expect(classifyWorkflow({ status, subjectClosed: false })).toEqual({ kind: 'ended-abnormally', reason: word });
  });

  it('finds the workflow of a closed activity healthy however it ended', () => {
    for (const status of ['TERMINATED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'COMPLETED'] as const) {
      expect(classifyWorkflow({ status, subjectClosed: true })).toEqual({ kind: 'healthy' });
    }
  });

  it('finds a completed or continued workflow healthy', () => {
    expect(classifyWorkflow({ status: 'COMPLETED', subjectClosed: false })).toEqual({ kind: 'healthy' });
    expect(classifyWorkflow({ status: 'CONTINUED_AS_NEW', subjectClosed: false })).toEqual({ kind: 'healthy' });
  });
});

describe('workflowSubject', () => {
  it('reads an activity’s and a review version’s workflow id, and nothing else', () => {
    expect(workflowSubject('sodermalm.2026.riskanalys')).toEqual({ subject: 'activity', orgId: 'sodermalm', subjectId: 'sodermalm.2026.riskanalys' });
    expect(workflowSubject('review.sodermalm.2026.v2')).toEqual({ subject: 'review', orgId: 'sodermalm', subjectId: 'sodermalm.2026.v2' });
    expect(workflowSubject('digest.lisplan')).toBeUndefined();
    expect(workflowSubject('yearly-review.lisplan')).toBeUndefined();
  });
});
