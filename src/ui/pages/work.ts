import { Router } from 'express';
import { myApprovals, myOpenActivities, openTasks, type MyTask } from '../../services/activities/my-work';
import type { ActivityDoc } from '../../store/models/activity';
import { OPEN_STATUSES } from '../../domain/activity';
import { principalOf, type UiKit } from '../kit';
import { withUnprojected } from '../../services/activities/unprojected';

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
    kit.render(req, res, 'tasks', { title: m.t('tasks.title'), groups, ready: readyToSubmit(docs) });
  });

  router.get('/att-godkanna', async (req, res) => {
    const p = principalOf(res);
    const fresher = (found: ActivityDoc[]) => withUnprojected(req, found, deps.config.planTimeZone);
    const approvals = await myApprovals(deps.models, p, deps.config.planTimeZone, fresher);
    const ids = [...new Set(approvals.map((a) => a.activityId))];
    const docs = ids.length ? fresher(await deps.models.activities.find({ _id: { $in: ids } }).lean()) : [];
    const items = approvals.map((a) => ({ ...a, activity: docs.find((d) => d._id === a.activityId)! })).filter((a) => a.activity);
    kit.render(req, res, 'approvals', { title: kit.messagesFor(req).t('approvals.title'), items });
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
