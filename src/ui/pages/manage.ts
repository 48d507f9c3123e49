import { Router, type Request } from 'express';
import { z } from 'zod';
import { IsoDate, Slug, Text, Year } from '../../domain/common';
import { PlanActivity } from '../../domain/plan-file';
import { RoleName, ROLE_LABELS } from '../../domain/roles';
import { TEMPLATES } from '../../domain/templates';
import { TemplateId } from '../../domain/template-ids';
import { createActivity } from '../../services/activities/create';
import { handOver, openActivitiesOf } from '../../services/activities/reassign';
import { rememberUnprojected } from '../../services/activities/unprojected';
import { COORDINATOR, forbidden, rolesIn } from '../../services/people/access';
import { findMember, membersOf } from '../../services/people/members';
import { formerOwnersOf } from '../../services/people/owners';
import { Problem } from '../../services/problem';
import { parseOr400 } from '../../services/validate';
import type { Principal } from '../../domain/principal';
import type { OrganisationDoc } from '../../store/models/organisation';
import { chooseOrg, formAction, principalOf, type UiKit } from '../kit';
import { addFlash, redirectSaved } from '../session';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(t: T) => z.preprocess(blank, t.optional());

/** The new-activity form's fields; the plan file's schema then fills what a plan item defaults. */
const NewActivityForm = z.object({
  org: Slug,
  template: optional(TemplateId),
  title: Text(400),
  area: Slug,
  year: z.coerce.number().pipe(Year),
  ownerRole: RoleName,
  startDate: optional(IsoDate),
  dueDate: optional(IsoDate),
  priority: optional(z.enum(['hög', 'medel', 'låg'])),
  expectedResult: optional(Text(400)),
  description: optional(Text(4000)),
});

const Handover = z.object({ org: Slug, from: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/), to: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) });

/** Titles become ids as people would shorten them: Swedish letters without their dots. */
export function keyFromTitle(title: string): string {
  const key = title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return key || 'aktivitet';
}

/** A second activity of the same title the same year gets the next free number; the workflow id decides. */
const KEY_TRIES = 20;

/**
 * The coordinator's activity management outside one activity's page: a new activity (blank or
 * from a template) and handing one person's unfinished activities over to another, with the
 * list shown before anything moves. Both on the API's services.
 */
export function managePages(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();

  async function coordinatorOrg(req: Request, p: Principal, wanted: unknown): Promise<{ org: OrganisationDoc; orgs: OrganisationDoc[] }> {
    const { org, orgs } = await chooseOrg(deps, p, wanted);
    const coordinated = orgs.filter((o) => rolesIn(p, o._id).includes(COORDINATOR));
    const chosen = org && rolesIn(p, org._id).includes(COORDINATOR) ? org : wanted ? undefined : coordinated[0];
    if (!chosen) throw forbidden('Bara samordnare kan skapa aktiviteter och lämna över dem.');
    return { org: chosen, orgs: coordinated };
  }

  router.get('/aktiviteter/ny', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const { org, orgs } = await coordinatorOrg(req, p, req.query.org);
    kit.render(req, res, 'activity-new', {
      title: m.t('manage.newTitle'),
      org,
      orgs,
      templates: Object.values(TEMPLATES),
      years: Array.from({ length: org.plan.endYear - org.plan.startYear + 1 }, (_, i) => org.plan.startYear + i),
      ownerRoles: Object.keys(ROLE_LABELS).filter((r) => r !== 'viewer' && r !== 'admin'),
    });
  });

  router.post('/aktiviteter/ny', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const f = parseOr400(NewActivityForm, req.body, 'body');
    await coordinatorOrg(req, p, f.org);
    const base = keyFromTitle(f.title);
    for (let n = 1; n <= KEY_TRIES; n++) {
      const key = n === 1 ? base : `${base.slice(0, 56)}-${n}`;
      const input = parseOr400(PlanActivity, { key, title: f.title, area: f.area, year: f.year, owner: { role: f.ownerRole }, template: f.template, startDate: f.startDate, dueDate: f.dueDate, priority: f.priority, expectedResult: f.expectedResult, description: f.description }, 'body');
      try {
        const { state, projected } = await createActivity(deps, p, f.org, input);
        if (!projected) rememberUnprojected(req, state);
        addFlash(req, 'ok', m.t('manage.created', { title: state.title }));
        return redirectSaved(req, res, `/aktiviteter/${state.id}`);
      } catch (err) {
        if (!(err instanceof Problem) || err.status !== 409) throw err;
      }
    }
    throw new Problem(409, 'conflict', 'Finns redan', `Det finns redan ${KEY_TRIES} aktiviteter med titeln "${f.title}" ${f.year}.`);
  });

  router.get('/overlamna', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const { org, orgs } = await coordinatorOrg(req, p, req.query.org);
    const [members, formerOwners] = await Promise.all([membersOf(deps.models, org._id), formerOwnersOf(deps.models, p, org._id)]);
    const fromId = typeof req.query.fran === 'string' && req.query.fran ? req.query.fran : undefined;
    const from = fromId ? (members.find((x) => x.userId === fromId) ?? formerOwners.find((x) => x.userId === fromId) ?? { userId: fromId, name: fromId }) : undefined;
    const activities = from ? await openActivitiesOf(deps, p, org._id, from.userId) : [];
    kit.render(req, res, 'handover', { title: m.t('handover.title'), org, orgs, members, formerOwners, from, activities, areaName: (id: string) => org.areas.find((a) => a.id === id)?.name ?? id });
  });

  router.post(
    '/overlamna',
    formAction(kit, '/overlamna', async (req, p, m) => {
      const f = parseOr400(Handover, req.body, 'body');
      await coordinatorOrg(req, p, f.org);
      if (f.from === f.to) throw Problem.badRequest([{ field: 'body.to', message: 'is the same person' }]);
      const to = await findMember(deps.models, f.org, f.to, 'body.to');
      const done = await handOver(deps, p, f.org, f.from, f.to);
      return [m.t('handover.done', { n: done.moved.length, name: to.name }), ...done.refused.map((r) => m.t('handover.refused', { title: r.title, reason: r.reason }))];
    }),
  );

  return router;
}
