import { Router, type Request, type Response } from 'express';
import ExcelJS from 'exceljs';
import { rolesIn } from '../../services/people/access';
import { activityListQuery, nextCursor } from '../../services/activities/list-query';
import type { Principal } from '../../domain/principal';
import { ActivityListQuery } from '../../services/activities/list-query';
import { parseOr400 } from '../../services/validate';
import type { ActivityDoc } from '../../store/models/activity';
import type { OrganisationDoc } from '../../store/models/organisation';
import { spreadsheetCsv } from '../../reports/csv';
import { ACTIVITY_STATUSES, overdueAt } from '../../domain/activity';
import { ROLE_LABELS } from '../../domain/roles';
import type { Messages } from '../i18n';
import { chooseOrg, principalOf, type UiKit } from '../kit';

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
    const { org, orgs, rows, filters, m } = await selection(kit, req, res);
    const years = org ? range(org.plan.startYear, org.plan.endYear) : [];
    kit.render(req, res, 'plan', {
      title: m.t('plan.title'),
      org,
      orgs,
      rows,
      years,
      filters,
      statuses: ACTIVITY_STATUSES,
      ownerRoles: Object.keys(ROLE_LABELS).filter((r) => r !== 'viewer' && r !== 'admin'),
      exportQuery: new URLSearchParams(Object.entries({ org: org?._id ?? '', ...filters }).filter(([, v]) => v)).toString(),
      timeline: (org?.areas ?? []).map((area) => ({ area, byYear: years.map((y) => rows.filter((r) => r.area === area.id && r.year === y)) })),
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
  const filters = {
    ar: typeof q.ar === 'string' ? q.ar : '',
    omrade: typeof q.omrade === 'string' ? q.omrade : '',
    ansvarig: typeof q.ansvarig === 'string' ? q.ansvarig : '',
    status: typeof q.status === 'string' ? q.status : '',
  };
  const rows = org ? (await planActivities(kit, p, org, filters)).map((d) => row(d, org, m)) : [];
  return { org, orgs, rows, filters, m };
}

/** The read-model query the API's list uses, page by page, so filters mean the same in both. */
async function planActivities(kit: UiKit, p: Principal, org: OrganisationDoc, f: { ar: string; omrade: string; ansvarig: string; status: string }): Promise<ActivityDoc[]> {
  const query = parseOr400(
    ActivityListQuery,
    { limit: '200', sort: 'dueDate', ...(f.ar ? { year: f.ar } : {}), ...(f.omrade ? { area: f.omrade } : {}), ...(f.ansvarig ? { owner: f.ansvarig } : {}), ...(f.status ? { status: f.status } : {}) },
    'query',
  );
  const me = { userId: p.userId, roles: rolesIn(p, org._id) };
  const out: ActivityDoc[] = [];
  for (let cursor: string | undefined, page = 0; page < 50; page++) {
    const q = activityListQuery(org._id, { ...query, ...(cursor ? { cursor } : {}) }, me, new Date());
    const docs = await kit.deps.models.activities.find(q.filter as never).sort(q.sort).limit(q.limit).lean();
    out.push(...docs);
    const next = nextCursor(docs, query.sort, q.limit);
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

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
