import { Router, type Request } from 'express';
import { z } from 'zod';
import { applyChange } from '../../services/activities/change';
import { parseOr400 } from '../../services/validate';
import { IsoDate, Slug, Text } from '../../domain/common';
import type { Command } from '../../domain/changes';
import type { ActivityState } from '../../domain/activity';
import type { Principal } from '../../domain/principal';
import type { Messages } from '../i18n';
import { formAction, type UiKit } from '../kit';
import { rememberUnprojected } from '../../services/activities/unprojected';

const Params = z.object({ activityId: z.string().regex(/^[a-z0-9-]+\.\d{4}\.[a-z0-9-]+$/), taskId: Slug.optional(), milestoneId: Slug.optional(), extensionId: Slug.optional() });
const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), Text(max).optional());

type Said = (state: ActivityState, m: Messages) => string | string[];

interface Action {
  path: string;
  body: z.ZodType;
  command: (params: z.infer<typeof Params>, body: never) => Command;
  said: Said;
}

/**
 * Every change the UI makes to an activity: a form post that becomes one domain command and
 * goes through the same Update as the API (applyChange), so the rules are the workflow's.
 */
const ACTIONS: Action[] = [
  {
    path: '/uppgifter/:taskId/klar',
    body: z.object({}),
    command: (p) => ({ type: 'complete-task', taskId: p.taskId! }),
    said: (s, m) => completedTask(s, m),
  },
  {
    path: '/kommentarer',
    body: z.object({ text: Text(4000) }),
    command: (_p, b: { text: string }) => ({ type: 'add-comment', text: b.text }),
    said: (_s, m) => m.t('comment.saved'),
  },
  {
    path: '/underlag',
    body: z.object({ link: z.url({ protocol: /^https?$/ }).max(2000), text: optionalText(4000) }),
    command: (_p, b: { link: string; text?: string }) => ({ type: 'add-evidence', link: b.link, ...(b.text ? { text: b.text } : {}) }),
    said: (_s, m) => m.t('evidence.saved'),
  },
  {
    path: '/mer-tid',
    body: z.object({ proposedDueDate: IsoDate, reason: Text(2000) }),
    command: (_p, b: { proposedDueDate: string; reason: string }) => ({ type: 'request-extension', proposedDueDate: b.proposedDueDate, reason: b.reason }),
    said: (_s, m) => m.t('extension.saved'),
  },
  {
    path: '/milstolpar/:milestoneId/skicka-in',
    body: z.object({ comment: optionalText(2000) }),
    command: (p, b: { comment?: string }) => ({ type: 'submit-milestone', milestoneId: p.milestoneId!, ...(b.comment ? { comment: b.comment } : {}) }),
    said: (s, m) => m.t('tasks.submitted', { title: lastTouchedMilestone(s) }),
  },
  {
    path: '/milstolpar/:milestoneId/godkann',
    body: z.object({ comment: optionalText(2000) }),
    command: (p, b: { comment?: string }) => ({ type: 'approve-milestone', milestoneId: p.milestoneId!, ...(b.comment ? { comment: b.comment } : {}) }),
    said: (s, m) => m.t('approvals.approved', { title: lastTouchedMilestone(s) }),
  },
  {
    path: '/milstolpar/:milestoneId/skicka-tillbaka',
    body: z.object({ comment: Text(2000) }),
    command: (p, b: { comment: string }) => ({ type: 'reject-milestone', milestoneId: p.milestoneId!, comment: b.comment }),
    said: (s, m) => m.t('approvals.rejected', { title: lastTouchedMilestone(s) }),
  },
  {
    path: '/forlangningar/:extensionId/beslut',
    body: z.object({ decision: z.enum(['grant', 'refuse']), comment: optionalText(2000) }),
    command: (p, b: { decision: 'grant' | 'refuse'; comment?: string }) => ({ type: 'decide-extension', extensionId: p.extensionId!, decision: b.decision, ...(b.comment ? { comment: b.comment } : {}) }),
    said: (s, m) => (s.extensions.some((e) => e.status === 'granted' && e.decidedAt === s.updatedAt) ? m.t('approvals.granted') : m.t('approvals.refused')),
  },
];

export function activityActions(kit: UiKit): Router {
  const router = Router();
  for (const action of ACTIONS) {
    router.post(
      `/aktiviteter/:activityId${action.path}`,
      formAction(kit, '/mina-uppgifter', async (req: Request, p: Principal, m: Messages) => {
        const params = parseOr400(Params, req.params, 'params');
        const { returnTo: _r, _csrf: _c, ...fields } = (req.body ?? {}) as Record<string, unknown>;
        const body = parseOr400(action.body, fields, 'body');
        const result = await applyChange(kit.deps, p, params.activityId, action.command(params, body as never));
        if (!result.projected) rememberUnprojected(req, result.state);
        return action.said(result.state, m);
      }),
    );
  }
  return router;
}

/** "Done", and when it was the milestone's last open task, that it can now be sent in. */
function completedTask(state: ActivityState, m: Messages): string[] {
  const task = [...state.tasks].filter((t) => t.done && t.doneAt === state.updatedAt).pop();
  if (!task) return [m.t('tasks.completed', { title: '' })];
  const milestone = state.milestones.find((x) => x.id === task.milestoneId);
  const rest = state.tasks.filter((t) => t.milestoneId === task.milestoneId && !t.done);
  const said = [m.t('tasks.completed', { title: task.title })];
  if (milestone && rest.length === 0 && (milestone.status === 'open' || milestone.status === 'rejected')) said.push(m.t('tasks.lastTaskDone', { title: milestone.title }));
  return said;
}

/** The milestone whose latest decision or submission is this change's. */
function lastTouchedMilestone(state: ActivityState): string {
  const touched = state.milestones.find((x) => x.submittedAt === state.updatedAt || x.decisions.some((d) => d.at === state.updatedAt));
  return touched?.title ?? '';
}
