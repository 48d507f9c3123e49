import { Router, type Request, type Response } from 'express';
import ExcelJS from 'exceljs';
import { COORDINATOR, rolesIn } from '../../services/people/access';
import { countActivities, listActivities } from '../../services/activities/read';
import type { Principal } from '../../domain/principal';
import { ActivityListQuery } from '../../services/activities/list-query';
import { parseOr400 } from '../../services/validate';
import type { ActivityDoc } from '../../store/models/activity';
import type { OrganisationDoc } from '../../store/models/organisation';
import { spreadsheetCsv } from '../../reports/csv';
import { ACTIVITY_STATUSES, overdueAt, UNFINISHED_STATUSES } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import { ROLE_LABELS } from '../../domain/roles';
import type { Messages } from '../i18n';
import { chooseOrg, principalOf, type UiKit } from '../kit';
import { activitiesBeingSetUp } from '../../services/plans/setup-state';

interface PlanRow {
  id: string;
  title: string;
  area: string;
  areaName: string;
  year: number;
  owner: string;
  status: string;
  statusLabel: string;
  dueDate: string;
  overdue: boolean;
  deferred: boolean;
}

/** Planöversikt: the three-year plan per area with status colours, filters, and the table as CSV or XLSX. */
export function planPages(kit: UiKit): Router {
  const router = Router();

  router.get('/planoversikt', async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    const q = req.query as Record<string, unknown>;
    const { org, orgs } = await chooseOrg(kit.deps, p, q.org);
    const filters = filtersOf(q);
    const years = org ? range(org.plan.startYear, org.plan.endYear) : [];
    const listed = org ? await planPage(kit, p, org, filters, typeof q.sida === 'string' ? q.sida : undefined) : { docs: [], total: 0, next: null, counts: {} };
    const rows = org ? listed.docs.map((d) => row(d, org, m)) : [];
    // The timeline shows a whole selection or nothing: a page of it would misdraw the plan.
    const timelineRows = org && listed.total <= TIMELINE_MOST ? (listed.total <= rows.length && !q.sida ? rows : (await planActivities(kit, p, org, filters)).map((d) => row(d, org, m))) : [];
    const base = Object.entries({ org: org?._id ?? '', ...filters }).filter(([, v]) => v);
    kit.render(req, res, 'plan', {
      title: m.t('plan.title'),
      settingUp: org ? await activitiesBeingSetUp(kit.deps.models, [org._id], new Date()) : undefined,
      org,
      orgs,
      rows,
      years,
      filters,
      statuses: ACTIVITY_STATUSES,
      ownerRoles: Object.keys(ROLE_LABELS).filter((r) => r !== 'viewer' && r !== 'admin'),
      exportQuery: new URLSearchParams(base).toString(),
      total: listed.total,
      statusCounts: listed.counts,
      statusLink: (status: string) => `/planoversikt?${new URLSearchParams([...base.filter(([k]) => k !== 'status'), ...(status ? [['status', status]] : [])]).toString()}`,
      sortLink: (sort: string) => `/planoversikt?${new URLSearchParams([...base.filter(([k]) => k !== 'sortering'), ['sortering', sort]]).toString()}`,
      nextLink: listed.next ? `/planoversikt?${new URLSearchParams([...base, ['sida', listed.next]]).toString()}` : undefined,
      firstLink: q.sida ? `/planoversikt?${new URLSearchParams(base).toString()}` : undefined,
      mayCreate: org ? rolesIn(p, org._id).includes(COORDINATOR) : false,
      timelineShown: Boolean(org) && listed.total <= TIMELINE_MOST,
      timeline: timelineRows.length ? (org?.areas ?? []).map((area) => ({ area, byYear: years.map((y) => timelineRows.filter((r) => r.area === area.id && r.year === y)) })) : [],
    });
  });

  router.get('/planoversikt/export.csv', async (req, res) => {
    const { org, rows, m } = await selection(kit, req, res);
    const csv = spreadsheetCsv([header(m), ...rows.map((r) => cells(r, m))]);
    res.attachment(`planoversikt-${org?._id ?? 'tom'}.csv`).type('text/csv; charset=utf-8').send(csv);
  });

  router.get('/planoversikt/export.xlsx', async (req, res) => {
    const { org, rows, m } = await selection(kit, req, res);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'lisplan';
    const sheet = workbook.addWorksheet(m.t('plan.title'));
    sheet.addRow(header(m)).font = { bold: true };
    for (const r of rows) sheet.addRow(cells(r, m));
    sheet.columns.forEach((c, i) => (c.width = [50, 24, 8, 28, 24, 14, 12][i] ?? 14));
    sheet.autoFilter = { from: 'A1', to: 'G1' };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    const buffer = await workbook.xlsx.writeBuffer();
    res.attachment(`planoversikt-${org?._id ?? 'tom'}.xlsx`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(buffer));
  });

  return router;
}

async function selection(kit: UiKit, req: Request, res: Response) {
  const p = principalOf(res);
  const m = kit.messagesFor(req);
  const q = req.query as Record<string, unknown>;
  const { org, orgs } = await chooseOrg(kit.deps, p, q.org);
  const filters = filtersOf(q);
  const rows = org ? (await planActivities(kit, p, org, filters)).map((d) => row(d, org, m)) : [];
  return { org, orgs, rows, filters, m };
}

/** A page of the table holds this many; the timeline is drawn for selections up to TIMELINE_MOST. */
const PAGE_SIZE = 50;
const TIMELINE_MOST = 100;
const SORTS = ['dueDate', '-dueDate', 'title', '-title', 'status', '-status', 'area', '-area'] as const;

type Filters = ReturnType<typeof filtersOf>;

/** The page's filters as the address carries them (Swedish names), empty when not given. */
function filtersOf(q: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ar: text(q.ar),
    omrade: text(q.omrade),
    ansvarig: text(q.ansvarig),
    status: text(q.status),
    sok: text(q.sok).trim(),
    sortering: SORTS.includes(q.sortering as (typeof SORTS)[number]) ? text(q.sortering) : '',
    forsenad: q.forsenad === 'ja' ? 'ja' : '',
    inom30: q.inom30 === 'ja' ? 'ja' : '',
  };
}

/** The page's filters in the API's list query, so they mean the same in both. */
function listQuery(f: Filters, tz: string, limit: number) {
  const today = dateInZone(Date.now(), tz);
  return parseOr400(
    ActivityListQuery,
    {
      limit: String(limit),
      sort: f.sortering || 'dueDate',
      ...(f.ar ? { year: f.ar } : {}),
      ...(f.omrade ? { area: f.omrade } : {}),
      ...(f.ansvarig ? { owner: f.ansvarig } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.sok ? { q: f.sok } : {}),
      ...(f.forsenad ? { overdue: 'true' } : {}),
      // Due within 30 days, from today on, and not finished.
      ...(f.inom30 ? { dueAfter: addDays(today, -1), dueBefore: addDays(today, 31), ...(f.status ? {} : { status: UNFINISHED_STATUSES.join(',') }) } : {}),
    },
    'query',
  );
}

/**
 * One page of the table (keyset, so page 40 costs what page 1 does), the selection's size,
 * and its count per status whatever the status filter says: the counts are the filter's choices.
 */
async function planPage(kit: UiKit, p: Principal, org: OrganisationDoc, f: Filters, cursor: string | undefined) {
  const query = listQuery(f, kit.deps.config.planTimeZone, PAGE_SIZE);
  const me = { userId: p.userId, roles: rolesIn(p, org._id) };
  const now = new Date();
  const [{ docs, next }, { total, byStatus }] = await Promise.all([
    listActivities(kit.deps.models, org._id, { ...query, ...(cursor ? { cursor } : {}) }, me, now),
    countActivities(kit.deps.models, org._id, query, me, now),
  ]);
  return { docs, total, next, counts: byStatus };
}

/** The read-model query the API's list uses, page by page, so filters mean the same in both. */
async function planActivities(kit: UiKit, p: Principal, org: OrganisationDoc, f: Filters): Promise<ActivityDoc[]> {
  const query = listQuery(f, kit.deps.config.planTimeZone, 200);
  const me = { userId: p.userId, roles: rolesIn(p, org._id) };
  const out: ActivityDoc[] = [];
  for (let cursor: string | undefined, page = 0; page < 50; page++) {
    const { docs, next } = await listActivities(kit.deps.models, org._id, { ...query, ...(cursor ? { cursor } : {}) }, me, new Date());
    out.push(...docs);
    if (!next) break;
    cursor = next;
  }
  return out;
}

function row(d: ActivityDoc, org: OrganisationDoc, m: Messages): PlanRow {
  return {
    id: d._id,
    title: d.title,
    area: d.area,
    areaName: org.areas.find((a) => a.id === d.area)?.name ?? d.area,
    year: d.planYear,
    owner: m.owner(d.owner),
    status: d.status,
    statusLabel: m.status(d.status),
    dueDate: d.dueDate,
    overdue: overdueAt(d.status, d.deadlineAt, Date.now()),
    deferred: d.status === 'deferred',
  };
}

function header(m: Messages): string[] {
  return [m.t('common.activity'), m.t('common.area'), m.t('common.year'), m.t('common.owner'), m.t('common.status'), m.t('common.dueDate'), m.t('common.overdue')];
}

function cells(r: PlanRow, m: Messages): (string | number)[] {
  return [r.title, r.areaName, r.year, r.owner, r.statusLabel, r.dueDate, r.overdue ? m.t('common.yes') : m.t('common.no')];
}

/** A calendar date `days` later (or earlier), as YYYY-MM-DD. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
