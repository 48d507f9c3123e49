import { Router } from 'express';
import { z } from 'zod';
import { ADMIN, COORDINATOR, forbidden, rolesIn } from '../../services/people/access';
import { createDelegation, endDelegation, listDelegations, listMembers, setMemberRoles } from '../../services/people/org-data';
import { createToken, listTokens, revokeToken } from '../../services/people/tokens';
import { parseOr400 } from '../../services/validate';
import { PersonName, Slug, Text } from '../../domain/common';
import { checkDelegationRules, DelegationFields } from '../../domain/delegation';
import { dateInZone } from '../../domain/deadlines';
import { ROLE_LABELS, RoleName } from '../../domain/roles';
import type { Principal } from '../../domain/principal';
import type { Request, Response } from 'express';
import { chooseOrg, formAction, mayAdminister, principalOf, problemText, type UiKit } from '../kit';
import { addFlash, redirectSaved } from '../session';
import { removalOf, removeMember } from '../../services/people/removal';
import { hasMembership, membersOf } from '../../services/people/members';
import { toProblem } from '../../http/error-handler';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const roleList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(RoleName).max(20));
const UserId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);

/**
 * Administration: users and roles per organisation (administrators edit, coordinators read),
 * delegations (a person delegates their own role; an administrator for anyone) and the
 * person's own API tokens. The rules are those of the API's services.
 */
export function adminPages(kit: UiKit): Router {
  const { models } = kit.deps;
  const router = Router();

  async function page(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const p = principalOf(res);
    const { org, orgs } = await chooseOrg(kit.deps, p, req.query.org ?? (req.body as Record<string, unknown> | undefined)?.orgId);
    if (!org || !mayAdminister(p, org._id)) throw forbidden('Bara administratörer, samordnare och förvaltningschefen når administrationen.');
    const roles = rolesIn(p, org._id);
    const seesMembers = roles.includes(ADMIN) || roles.includes(COORDINATOR);
    const members = seesMembers ? await listMembers(models, p, org._id) : [];
    const people = seesMembers ? members : await membersOf(models, org._id);
    kit.render(req, res, 'admin', {
      title: kit.messagesFor(req).t('admin.title'),
      org,
      orgs: orgs.filter((o) => mayAdminister(p, o._id)),
      members,
      people,
      isAdmin: roles.includes(ADMIN),
      mayRemove: seesMembers,
      myRoles: roles,
      allRoles: Object.keys(ROLE_LABELS),
      delegations: await listDelegations(models, p, org._id),
      tokens: await listTokens(models, p),
      orgNames: Object.fromEntries(orgs.map((o) => [o._id, o.name])),
      today: dateInZone(Date.now(), kit.deps.config.planTimeZone),
      ...extra,
    });
  }

  router.get('/administration', (req, res) => page(req, res));

  const MemberForm = z.object({ orgId: Slug, userId: UserId, name: z.preprocess(blankToUndefined, PersonName.optional()), email: z.preprocess(blankToUndefined, z.email().max(200).optional()), roles: roleList });
  const saveMember = formAction(kit, '/administration', async (req, p, m) => {
    const f = parseOr400(MemberForm, req.body, 'body');
    const saved = await setMemberRoles(models, p, f.orgId, f.userId, { roles: f.roles, ...(f.name ? { name: f.name } : {}), ...(f.email ? { email: f.email } : {}) }, req.res!.locals.requestId as string);
    return m.t('admin.rolesSaved', { name: saved.name });
  });
  router.post('/administration/anvandare', async (req, res, next) => {
    const p = principalOf(res);
    const f = MemberForm.safeParse(req.body);
    // An administrator leaving another member with no roles ticked is removing them: the removal
    // page shows what that touches and asks first. Anything else is saved, or refused, as posted.
    const removing = f.success && f.data.roles.length === 0 && f.data.userId !== p.userId && rolesIn(p, f.data.orgId).includes(ADMIN);
    if (removing && (await hasMembership(models, f.data.orgId, f.data.userId))) {
      addFlash(req, 'error', kit.messagesFor(req).t('admin.noRolesIsRemoval'));
      return redirectSaved(req, res, `/administration/ta-bort?${new URLSearchParams({ org: f.data.orgId, person: f.data.userId }).toString()}`);
    }
    return saveMember(req, res, next);
  });

  // Removing a person: first what it touches (their roles and unfinished activities), then the removal.
  router.get('/administration/ta-bort', async (req, res) => {
    const p = principalOf(res);
    const q = parseOr400(z.object({ org: Slug, person: UserId }), req.query, 'query');
    const { org } = await chooseOrg(kit.deps, p, q.org);
    const leaving = await removalOf(models, p, q.org, q.person);
    kit.render(req, res, 'member-removal', { title: kit.messagesFor(req).t('removal.title', { name: leaving.name }), org, leaving, areaName: (id: string) => org?.areas.find((a) => a.id === id)?.name ?? id });
  });

  router.post('/administration/ta-bort', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const f = parseOr400(z.object({ orgId: Slug, userId: UserId }), req.body, 'body');
    const confirmation = `/administration/ta-bort?${new URLSearchParams({ org: f.orgId, person: f.userId }).toString()}`;
    if ((req.body as Record<string, unknown>).confirm !== 'ja') {
      addFlash(req, 'error', m.t('removal.notConfirmed'));
      return redirectSaved(req, res, confirmation);
    }
    try {
      const removed = await removeMember(models, p, f.orgId, f.userId, res.locals.requestId as string);
      const flagged = removed.activities.length;
      addFlash(req, 'ok', m.t(flagged === 0 ? 'removal.done' : flagged === 1 ? 'removal.doneFlaggedOne' : 'removal.doneFlagged', { name: removed.name, n: flagged }));
      // Their activities are what is left to do: the handover page lists them, for the coordinator.
      const next = removed.activities.length && rolesIn(p, f.orgId).includes(COORDINATOR) ? `/overlamna?${new URLSearchParams({ org: f.orgId, fran: f.userId }).toString()}` : `/administration?org=${encodeURIComponent(f.orgId)}`;
      await redirectSaved(req, res, next);
    } catch (err) {
      const problem = toProblem(err);
      // Refused rights get the error page, as the confirmation page itself would; the rest is said on the form.
      if ((problem.status >= 500 && problem.status !== 503) || problem.status === 403) throw err;
      // A 409 is a person whose roles the identity provider gives: the confirmation page says so in the reader's language.
      if (problem.status !== 409) addFlash(req, 'error', problemText(problem, m));
      await redirectSaved(req, res, problem.status === 404 ? `/administration?org=${encodeURIComponent(f.orgId)}` : confirmation);
    }
  });

  router.post(
    '/administration/delegeringar',
    formAction(kit, '/administration', async (req, p, m) => {
      const f = parseOr400(DelegationFields.extend({ orgId: Slug, fromUserId: UserId, toUserId: UserId }).superRefine(checkDelegationRules), req.body, 'body');
      await createDelegation(models, p, f.orgId, f);
      return m.t('admin.delegation.created');
    }),
  );

  router.post(
    '/administration/delegeringar/:delegationId/avsluta',
    formAction(kit, '/administration', async (req, p, m) => {
      const f = parseOr400(z.object({ orgId: Slug, delegationId: z.string().regex(/^delegering-[0-9a-f]{8}$/) }), { ...req.body, ...req.params }, 'body');
      await endDelegation(models, p, f.orgId, f.delegationId);
      return m.t('admin.delegation.endedMsg');
    }),
  );

  router.post('/administration/tokens', async (req, res) => {
    const p: Principal = principalOf(res);
    const f = parseOr400(z.object({ orgId: Slug, name: Text(100), expiresInDays: z.coerce.number().int().min(1).max(365) }), req.body, 'body');
    if (!mayAdminister(p, f.orgId)) throw forbidden('Bara administratörer, samordnare och förvaltningschefen når administrationen.');
    const created = await createToken(models, p, f);
    // The secret is shown once, in this response, never stored in the session.
    await page(req, res, { createdToken: created.token });
  });

  router.post(
    '/administration/tokens/:tokenId/aterkalla',
    formAction(kit, '/administration', async (req, p, m) => {
      const { tokenId } = parseOr400(z.object({ tokenId: z.string().regex(/^[0-9a-f]{12}$/) }), req.params, 'params');
      await revokeToken(models, p, tokenId);
      return m.t('admin.token.revoked');
    }),
  );

  return router;
}
