import { Router, type Request } from 'express';
import { applyChange } from '../../services/activities/change';
import { ACTIVITY_COMMANDS, COMMAND_TYPES, commandRequest, toCommand } from '../../services/activities/command-table';
import { parseOr400 } from '../../services/validate';
import type { CommandType } from '../../domain/changes';
import type { ActivityState } from '../../domain/activity';
import type { Principal } from '../../domain/principal';
import type { Messages } from '../i18n';
import { formAction, type UiKit } from '../kit';
import { rememberUnprojected } from '../../services/activities/unprojected';
import { findMember } from '../../services/people/members';
import { orgOfActivity } from '../../services/people/access';

type Said = (state: ActivityState, m: Messages) => string | string[];

/**
 * Every change the UI makes to an activity: a form post at the command's form path in the
 * command table, parsed by the same schemas as the API's route, applied through the same
 * Update (applyChange). Here only what the page says afterwards is the UI's own.
 */
const SAID: Partial<Record<CommandType, Said>> = {
  'complete-task': (s, m) => completedTask(s, m),
  'add-comment': (_s, m) => m.t('comment.saved'),
  'add-evidence': (_s, m) => m.t('evidence.saved'),
  'request-extension': (_s, m) => m.t('extension.saved'),
  'submit-milestone': (s, m) => m.t('tasks.submitted', { title: lastTouchedMilestone(s, m) }),
  'approve-milestone': (s, m) => m.t('approvals.approved', { title: lastTouchedMilestone(s, m) }),
  'reject-milestone': (s, m) => m.t('approvals.rejected', { title: lastTouchedMilestone(s, m) }),
  'decide-extension': (s, m) => (s.extensions.some((e) => e.status === 'granted' && e.decidedAt === s.updatedAt) ? m.t('approvals.granted') : m.t('approvals.refused')),
  // The coordinator's management of an activity (issue 20).
  start: (_s, m) => m.t('manage.started'),
  block: (_s, m) => m.t('manage.blocked'),
  unblock: (_s, m) => m.t('manage.unblocked'),
  'add-task': (s, m) => m.t('manage.taskAdded', { title: s.tasks[s.tasks.length - 1]?.title ?? '' }),
  'assign-owner': (s, m) => m.t('manage.ownerAssigned', { name: s.owner.name ?? '' }),
  defer: (_s, m) => m.t('manage.deferred'),
  cancel: (_s, m) => m.t('manage.cancelled'),
  verify: (_s, m) => m.t('manage.verified'),
  'edit-details': (_s, m) => m.t('manage.detailsSaved'),
  'add-milestone': (s, m) => m.t('manage.milestoneAdded', { title: s.milestones.filter((x) => !x.final).pop()?.title ?? '' }),
  'rename-task': (_s, m) => m.t('manage.renamed'),
  'rename-milestone': (_s, m) => m.t('manage.renamed'),
};

type FormInput = (kit: UiKit, activityId: string, fields: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * What a form sends that the command carries otherwise: the owner is chosen among the
 * organisation's members (the command names them), and a cost is typed as people write it.
 */
const FORM_INPUT: Partial<Record<CommandType, FormInput>> = {
  'assign-owner': async (kit, activityId, f) => ({ ...(await findMember(kit.deps.models, orgOfActivity(activityId), typeof f.userId === 'string' ? f.userId : '')) }),
  'edit-details': async (_kit, _id, f) => (typeof f.estimatedCost === 'string' ? { ...f, estimatedCost: typedNumber(f.estimatedCost) } : f),
};

export function activityActions(kit: UiKit): Router {
  const router = Router();
  for (const type of COMMAND_TYPES) {
    const { form } = ACTIVITY_COMMANDS[type];
    const said = SAID[type];
    if (!form || !said) continue;
    const request = commandRequest(type);
    router.post(
      `/aktiviteter/:activityId${form}`,
      formAction(kit, '/mina-uppgifter', async (req: Request, p: Principal, m: Messages) => {
        const { activityId, ...ids } = parseOr400(request.params, req.params, 'params');
        const fields = filledFields(req.body);
        const body = parseOr400(request.body, FORM_INPUT[type] ? await FORM_INPUT[type](kit, activityId, fields) : fields, 'body');
        const result = await applyChange(kit.deps, p, activityId, toCommand(type, ids, body));
        if (!result.projected) rememberUnprojected(req, result.state);
        return said(result.state, m);
      }),
    );
  }
  return router;
}

/** A form's fields as a command's: a field left empty is one not given, and the form's own fields are not the command's. */
function filledFields(body: unknown): Record<string, unknown> {
  const { returnTo: _r, _csrf: _c, ...fields } = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
}

/** "12 500" or "12500,50" as a number; what is no number stays text, for the schema to name the field. */
function typedNumber(text: string): number | string {
  const n = Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));
  return Number.isFinite(n) ? n : text;
}

/** "Done", and when it was the milestone's last open task, that it can now be sent in. */
function completedTask(state: ActivityState, m: Messages): string[] {
  const task = [...state.tasks].filter((t) => t.done && t.doneAt === state.updatedAt).pop();
  if (!task) return [m.t('tasks.completed', { title: '' })];
  const milestone = state.milestones.find((x) => x.id === task.milestoneId);
  const rest = state.tasks.filter((t) => t.milestoneId === task.milestoneId && !t.done);
  const said = [m.t('tasks.completed', { title: m.taskTitle(state, task) })];
  if (milestone && rest.length === 0 && (milestone.status === 'open' || milestone.status === 'rejected')) said.push(m.t('tasks.lastTaskDone', { title: m.milestoneTitle(state, milestone) }));
  return said;
}

/** The milestone whose latest decision or submission is this change's. */
function lastTouchedMilestone(state: ActivityState, m: Messages): string {
  const touched = state.milestones.find((x) => x.submittedAt === state.updatedAt || x.decisions.some((d) => d.at === state.updatedAt));
  return touched ? m.milestoneTitle(state, touched) : '';
}
