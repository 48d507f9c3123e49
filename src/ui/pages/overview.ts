import { Router } from 'express';
import { ACTIVITY_STATUSES } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import type { Principal } from '../../domain/principal';
import { planSummary, totalOf, emptyRow } from '../../services/activities/plan-summary';
import { COORDINATOR, forbidden, rolesIn } from '../../services/people/access';
import { chooseOrg, principalOf, type UiKit } from '../kit';
import { activitiesBeingSetUp } from '../../services/plans/setup-state';
import { formerOwnersOf } from '../../services/people/owners';
import { reviewStatusesOfYear } from '../../services/reviews/city-summary';
import { kpiValuesOfYear } from '../../services/kpis/values';

/** The first page after login: the coordinator's overview, the city's for a city-level reader, Mina uppgifter for everyone else. */
export function startPath(p: Principal): string {
  if (p.memberships.some((m) => m.roles.includes(COORDINATOR))) return '/oversikt';
  if (p.cityViewer && p.memberships.length === 0) return '/staden';
  return '/mina-uppgifter';
}

/** The statuses the summaries show, in the order work moves through them. */
const SHOWN = ACTIVITY_STATUSES;

/**
 * Översikt (the coordinator's start page: the year's plan per area) and Staden (every
 * organisation the reader may read, side by side). Both read one aggregation of the read
 * model; every count links to the Planöversikt list it counts. Read-only pages.
 */
export function overviewPages(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();

  router.get('/oversikt', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const { org, orgs } = await chooseOrg(deps, p, req.query.org);
    if (!org) throw forbidden('Du har ingen organisation att visa.');
    const year = chosenYear(req.query.ar, org.plan.startYear, org.plan.endYear, deps.config.planTimeZone);
    const now = new Date();
    const rows = await planSummary(deps.models, { orgIds: [org._id], year, now, today: dateInZone(now.getTime(), deps.config.planTimeZone), by: 'area' });
    const areas = org.areas.map((a) => ({ id: a.id, name: a.name, row: rows.find((r) => r.key === a.id) ?? emptyRow(a.id) }));
    const list = (extra: Record<string, string>) => `/planoversikt?${new URLSearchParams({ org: org._id, ar: String(year), ...extra }).toString()}`;
    kit.render(req, res, 'overview', {
      title: m.t('overview.title'),
      settingUp: await activitiesBeingSetUp(deps.models, [org._id], now),
      org,
      orgs,
      year,
      years: Array.from({ length: org.plan.endYear - org.plan.startYear + 1 }, (_, i) => org.plan.startYear + i),
      areas,
      total: totalOf(rows),
      statuses: SHOWN,
      list,
      coordinator: rolesIn(p, org._id).includes(COORDINATOR),
      formerOwners: rolesIn(p, org._id).includes(COORDINATOR) ? await formerOwnersOf(deps.models, p, org._id) : [],
      seesCity: orgs.length > 1,
    });
  });

  router.get('/staden', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const { orgs } = await chooseOrg(deps, p, undefined);
    if (!p.cityViewer && orgs.length < 2) throw forbidden('Stadens översikt är för stadsövergripande läsare och för den som har roller i flera organisationer.');
    const now = new Date();
    const today = dateInZone(now.getTime(), deps.config.planTimeZone);
    const year = chosenYear(req.query.ar, 2000, 2100, deps.config.planTimeZone);
    const ids = orgs.map((o) => o._id);
    const [rows, reviews, kpis] = await Promise.all([
      planSummary(deps.models, { orgIds: ids, year, now, today, by: 'orgId' }),
      reviewStatusesOfYear(deps.models, ids, year),
      kpiValuesOfYear(deps.models, ids, year),
    ]);
    // Swedish order: Å, Ä and Ö after Z, and "Södermalm" among the S.
    const collator = new Intl.Collator('sv', { sensitivity: 'base' });
    const sorted = [...orgs].sort((a, b) => collator.compare(a.name, b.name));
    const series = [...new Map(kpis.map((k) => [k.seriesId, k.name])).entries()].sort((a, b) => collator.compare(a[1], b[1]));
    kit.render(req, res, 'city', {
      title: m.t('city.title'),
      year,
      organisations: sorted.map((o) => ({
        id: o._id,
        name: o.name,
        row: rows.find((r) => r.key === o._id) ?? emptyRow(o._id),
        review: reviews.find((r) => r.orgId === o._id)?.status,
        kpi: Object.fromEntries(kpis.filter((k) => k.orgId === o._id).map((k) => [k.seriesId, k.value])),
        member: rolesIn(p, o._id).length > 0,
      })),
      total: totalOf(rows),
      statuses: SHOWN,
      series,
    });
  });

  return router;
}

/** ?ar= when it is a year of the window, else this year (in the plan's zone), kept inside the window. */
function chosenYear(wanted: unknown, from: number, to: number, timeZone: string): number {
  const asked = typeof wanted === 'string' && /^\d{4}$/.test(wanted) ? Number(wanted) : undefined;
  if (asked !== undefined && asked >= from && asked <= to) return asked;
  const now = Number(dateInZone(Date.now(), timeZone).slice(0, 4));
  return Math.min(Math.max(now, from), to);
}
