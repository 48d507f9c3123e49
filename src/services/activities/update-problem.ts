import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REJECTION_TYPES } from '../../workflows/messages/activity';
import { Problem, type Limit } from '../problem';

const STATUS_BY_TYPE: Record<string, [number, string, string]> = {
  [REJECTION_TYPES.forbidden]: [403, 'forbidden', 'Åtkomst nekad'],
  [REJECTION_TYPES['illegal-transition']]: [409, 'illegal-transition', 'Otillåten ändring'],
  [REJECTION_TYPES['not-found']]: [404, 'not-found', 'Hittades inte'],
  [REJECTION_TYPES.invalid]: [400, 'validation', 'Ogiltig begäran'],
  [REJECTION_TYPES.stale]: [412, 'stale-version', 'Aktiviteten har ändrats'],
};

/**
 * A refused Update becomes the HTTP problem its domain reason calls for. Activities and reviews
 * share the failure types; `subject` names the thing, e.g. "Aktiviteten sodermalm.2026.ai".
 */
export function updateProblem(err: unknown, subject: string): Problem | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === REJECTION_TYPES.limit) return Problem.limitReached(limitOf(err.cause.details?.[0]), err.cause.message);
    const mapped = STATUS_BY_TYPE[err.cause.type ?? ''];
    if (mapped) return new Problem(mapped[0], mapped[1], mapped[2], err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return /completed|closed/i.test(err.message)
      ? new Problem(409, 'illegal-transition', 'Otillåten ändring', `${subject} är avslutad och kan inte ändras.`)
      : Problem.notFound(`${subject} finns inte.`);
  }
  return undefined;
}

/** The limit the workflow named in its refusal's details; a refusal without one still says its reason. */
function limitOf(detail: unknown): Limit {
  const d = detail as Partial<Limit> | undefined;
  return { name: typeof d?.name === 'string' ? d.name : 'unknown', max: typeof d?.max === 'number' ? d.max : 0 };
}
