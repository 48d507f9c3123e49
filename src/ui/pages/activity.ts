import { Router } from 'express';
import { actorFor, ADMIN, COORDINATOR, orgOfActivity, requireRead, requireRole, rolesIn } from '../../services/people/access';
import { Problem } from '../../services/problem';
import { activityAudit } from '../../services/people/org-data';
import { verifyWholeChain } from '../../services/audit/chain-check';
import { parseOr400 } from '../../services/validate';
import { ActivityParams, overdueAt } from '../../domain/activity';
import { nextApprovalStep } from '../../domain/changes';
import { dateInZone } from '../../domain/deadlines';
import { approvalRight, isCoordinator, mayManage, mayWork } from '../../domain/permissions';
import { membersOf } from '../../services/people/members';

/** Who may be asked to approve a milestone the coordinator adds. */
const APPROVER_ROLES = ['head-of-administration', 'security-coordinator', 'information-owner', 'it-coordinator'] as const;
import { formAction, principalOf, type UiKit } from '../kit';
import { withUnprojected } from '../../services/activities/unprojected';
import { workflowProblemOf } from '../../services/workflow-health/problems';
import { findActivity } from '../../services/activities/read';
import { findOrganisation } from '../../services/organisations/directory';


/** Aktivitet: everything about one activity, its audit trail with the chain verified, and the forms the reader may use. */
export function activityPage(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();
  router.get('/aktiviteter/:activityId', async (req, res) => {
    const p = principalOf(res);
    const { activityId } = parseOr400(ActivityParams, req.params, 'params');
    const orgId = orgOfActivity(activityId);
    requireRead(p, orgId);
    const found = await findActivity(deps.models, activityId);
    const [doc] = found ? withUnprojected(req, [found], deps.config.planTimeZone) : [];
    if (!doc) throw Problem.notFound(`Aktiviteten ${activityId} finns inte.`);
    const [audit, org, workflowProblem] = await Promise.all([activityAudit(deps.models, p, activityId), findOrganisation(deps.models, orgId), workflowProblemOf(deps.models, activityId)]);
    const actor = rolesIn(p, orgId).length > 0 ? await actorFor(deps.models, p, orgId, deps.config.planTimeZone) : undefined;
    const today = dateInZone(Date.now(), deps.config.planTimeZone);
    const decidable = new Set(
      doc.milestones
        .filter((ms) => ms.status === 'submitted' && actor)
        .filter((ms) => {
          const step = ms.approvers[nextApprovalStep(ms)];
          return step !== undefined && approvalRight(actor!, step, today).allowed;
        })
        .map((ms) => ms.id),
    );
    const coordinate = actor ? isCoordinator(actor) : false;
    const oversees = rolesIn(p, orgId).some((r) => r === COORDINATOR || r === ADMIN);
    kit.render(req, res, 'activity', {
      org,
      can: { work: actor ? mayWork(actor, doc) : false, coordinate, manage: actor ? mayManage(actor) : false },
      members: coordinate ? await membersOf(deps.models, orgId) : [],
      approverRoles: APPROVER_ROLES,
      title: doc.title,
      a: doc,
      areaName: org?.areas.find((x) => x.id === doc.area)?.name ?? doc.area,
      audit,
      // Every reader is told the workflow stopped; the id to quote to the operator is for those who oversee the organisation.
      workflowProblem: workflowProblem && { kind: workflowProblem.kind, firstSeenAt: workflowProblem.firstSeenAt, ...(oversees ? { workflowId: workflowProblem.workflowId } : {}) },
      mayCheckWholeChain: oversees,
      mayWork: actor ? mayWork(actor, doc) : false,
      decidable,
      overdue: overdueAt(doc.status, doc.deadlineAt, Date.now()),
      today,
    });
  });

  // The page verifies only the chain's new events; an old event edited in place needs the whole chain read.
  router.post(
    '/aktiviteter/:activityId/kontrollera-kedjan',
    // It reads every event of the organisation: for those who answer for its audit trail, and a refusal is the 403 page, not a notice.
    (req, res, next) => {
      requireRole(principalOf(res), orgOfActivity(parseOr400(ActivityParams, req.params, 'params').activityId), [ADMIN, COORDINATOR], 'samordnare och administratörer');
      next();
    },
    formAction(kit, '/mina-uppgifter', async (req, _p, m) => {
      const orgId = orgOfActivity(parseOr400(ActivityParams, req.params, 'params').activityId);
      const state = await verifyWholeChain(deps.models, orgId);
      if (state.ok) return m.t('activity.chainCheckedOk', { n: m.number(state.events) });
      throw new Problem(409, 'chain-broken', 'Kedjan har avvikelser', m.t('activity.chainCheckedBad', { problems: state.problems.map((x) => `#${x.seq} ${x.detail}`).join('; ') }));
    }),
  );
  return router;
}
