import { Router, type Request } from 'express';
import { z } from 'zod';
import { myApprovals, myOpenActivities, openTasks, type Approval, type MyTask } from '../../services/activities/my-work';
import type { ActivityDoc } from '../../store/models/activity';
import { OPEN_STATUSES } from '../../domain/activity';
import type { Principal } from '../../domain/principal';
import { toProblem } from '../../http/error-handler';
import { applyChange } from '../../services/activities/change';
import { commandRequest, toCommand } from '../../services/activities/command-table';
import { parseOr400 } from '../../services/validate';
import { principalOf, problemText, type UiKit } from '../kit';
import { addFlash, redirectSaved } from '../session';
import { rememberUnprojected, withUnprojected } from '../../services/activities/unprojected';
import { activitiesBeingSetUp } from '../../services/plans/setup-state';
import { findActivities } from '../../services/activities/read';

/** One ticked milestone on Att godkänna: "activityId/milestoneId" (neither id has a slash). */
const Choice = z.string().regex(/^[a-z0-9.-]{1,200}\/[a-z0-9-]{1,100}$/);
/** What one confirmation decides at most: a page of sign-offs, not the whole year at once. */
const MAX_CHOSEN = 50;
const asList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const Chosen = z.preprocess(asList, z.array(Choice).min(1).max(MAX_CHOSEN));
const ApproveChosen = z.object({ val: Chosen, comment: z.string().optional() });
const APPROVE = commandRequest('approve-milestone');

const choiceOf = (a: Pick<Approval, 'activityId' | 'milestoneId'>) => `${a.activityId}/${a.milestoneId}`;

/** Mina uppgifter (the owner's open work) and Att godkänna (what waits for the person's decision). */
export function workPages(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();

  router.get('/mina-uppgifter', async (req, res) => {
    const p = principalOf(res);
    const docs = withUnprojected(req, await myOpenActivities(deps.models, p), deps.config.planTimeZone, (d) => OPEN_STATUSES.includes(d.status));
    const tasks = openTasks(docs, Date.now());
    const groups: { activity: ActivityDoc; tasks: MyTask[] }[] = [];
    for (const t of tasks) {
      const group = groups.find((g) => g.activity._id === t.activityId);
      if (group) group.tasks.push(t);
      else groups.push({ activity: docs.find((d) => d._id === t.activityId)!, tasks: [t] });
    }
    const m = kit.messagesFor(req);
    const settingUp = await activitiesBeingSetUp(deps.models, p.memberships.map((o) => o.orgId), new Date());
    kit.render(req, res, 'tasks', { title: m.t('tasks.title'), groups, ready: readyToSubmit(docs), settingUp });
  });

  /** What waits for the person's decision, each with its activity as the page shows it. */
  async function waiting(req: Request, p: Principal) {
    const fresher = (found: ActivityDoc[]) => withUnprojected(req, found, deps.config.planTimeZone);
    const approvals = await myApprovals(deps.models, p, deps.config.planTimeZone, fresher);
    const ids = [...new Set(approvals.map((a) => a.activityId))];
    const docs = ids.length ? fresher(await findActivities(deps.models, ids)) : [];
    return approvals.map((a) => ({ ...a, activity: docs.find((d) => d._id === a.activityId)! })).filter((a) => a.activity);
  }

  router.get('/att-godkanna', async (req, res) => {
    const items = await waiting(req, principalOf(res));
    kit.render(req, res, 'approvals', { title: kit.messagesFor(req).t('approvals.title'), items, choiceOf });
  });

  // Deciding several at once: the ticked milestones are listed for a confirmation first (a GET
  // that changes nothing); only what still waits for this person's decision is offered there.
  router.get('/att-godkanna/bekrafta', async (req, res) => {
    const m = kit.messagesFor(req);
    const chosen = Chosen.safeParse(req.query.val);
    if (!chosen.success) {
      addFlash(req, 'error', m.t('approvals.noneChosen', { max: MAX_CHOSEN }));
      return redirectSaved(req, res, '/att-godkanna');
    }
    const wanted = new Set(chosen.data);
    const items = (await waiting(req, principalOf(res))).filter((a) => a.kind === 'milestone' && wanted.has(choiceOf(a)));
    kit.render(req, res, 'approvals-confirm', { title: m.t('approvals.confirmTitle'), items, choiceOf, gone: wanted.size - items.length });
  });

  // One post approves each through the same Update as the API; each says how it went, and one
  // refused (decided by someone else meanwhile, a rule) does not stop the others.
  router.post('/att-godkanna/godkann', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const form = parseOr400(ApproveChosen, req.body, 'body');
    const comment = form.comment?.trim() ? { comment: form.comment.trim() } : {};
    // Names for what fails; taken from what the person may see, never from the form.
    const named = new Map((await waiting(req, p)).map((a) => [choiceOf(a), { activity: a.activityTitle, milestone: m.milestoneTitle(a.activity, { id: a.milestoneId ?? '', title: a.milestoneTitle ?? '' }) }]));
    for (const choice of form.val) {
      const [activityId, milestoneId] = choice.split('/') as [string, string];
      try {
        const ids = parseOr400(APPROVE.params, { activityId, milestoneId }, 'params');
        const body = parseOr400(APPROVE.body, comment, 'body');
        const result = await applyChange(deps, p, ids.activityId, toCommand('approve-milestone', { milestoneId: ids.milestoneId }, body));
        if (!result.projected) rememberUnprojected(req, result.state);
        const ms = result.state.milestones.find((x) => x.id === milestoneId);
        addFlash(req, 'ok', m.t(ms?.status === 'approved' ? 'approvals.chosenApproved' : 'approvals.chosenApprovedStep', { activity: result.state.title, milestone: ms ? m.milestoneTitle(result.state, ms) : milestoneId }));
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status >= 500 && problem.status !== 503) deps.logger.error({ err, activityId, milestoneId }, 'approving a chosen milestone failed');
        const reason = problem.status >= 500 && problem.status !== 503 ? m.t('error.title') : problemText(problem, m);
        addFlash(req, 'error', m.t('approvals.chosenFailed', { ...(named.get(choice) ?? { activity: activityId, milestone: milestoneId }), reason }));
      }
    }
    await redirectSaved(req, res, '/att-godkanna');
  });

  return router;
}

/** Milestones whose tasks are all done and that may be sent in now (the final one only after the others are approved). */
function readyToSubmit(docs: ActivityDoc[]) {
  return docs.flatMap((d) =>
    d.milestones
      .filter((ms) => ms.status === 'open' || ms.status === 'rejected')
      .filter((ms) => {
        const tasks = d.tasks.filter((t) => t.milestoneId === ms.id);
        return tasks.length > 0 && tasks.every((t) => t.done);
      })
      .filter((ms) => !ms.final || d.milestones.every((x) => x.final || x.status === 'approved'))
      .map((ms) => ({ activity: d, milestone: ms })),
  );
}
