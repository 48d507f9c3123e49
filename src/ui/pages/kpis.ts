import { Router, type Request } from 'express';
import { z } from 'zod';
import { COORDINATOR, rolesIn } from '../../services/people/access';
import { Problem } from '../../services/problem';
import { chartSvg } from '../../reports/charts';
import { pageBarChart } from '../../services/reviews/chart-specs';
import { KpiRefused, listKpis, setKpiValue } from '../../services/people/org-data';
import { parseOr400 } from '../../services/validate';
import { Slug, Text, Year } from '../../domain/common';
import { KpiKind, type KpiIssue } from '../../domain/kpi';
import type { Messages } from '../i18n';
import { chooseOrg, formAction, principalOf, type UiKit } from '../kit';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const KpiForm = z.object({
  orgId: Slug,
  seriesId: z.preprocess(blankToUndefined, Slug.optional()),
  newId: z.preprocess(blankToUndefined, Slug.optional()),
  newName: z.preprocess(blankToUndefined, Text(160).optional()),
  unit: z.preprocess(blankToUndefined, Text(40).optional()),
  kind: z.preprocess(blankToUndefined, KpiKind.optional()),
  year: z.coerce.number().pipe(Year),
  // Swedish decimal comma as well as a point.
  // Swedish decimal comma as well as a point, and spaces between thousands.
  value: z.preprocess((v) => (typeof v === 'string' ? Number(v.replace(/\s/g, '').replace(',', '.').replace('\u2212', '-')) : v), z.number().finite()),
  confirmOutlier: z.literal('on').optional(),
});

/** The form as it was sent, kept when a value is refused or held back, so the person corrects or confirms it. */
interface KpiDraft {
  fields: Record<string, string>;
  /** The value waits for the confirmation box. */
  confirm: boolean;
}
const DRAFT_FIELDS = ['seriesId', 'newId', 'newName', 'unit', 'kind', 'year', 'value'] as const;
const drafts = (req: Request) => req.session as unknown as { kpiDraft?: KpiDraft };

/** A figure as people read it: 16, 85 %, 1 250 kr. */
const shown = (m: Messages, value: number, unit: string | undefined, kind: KpiKind) => `${m.number(value)}${kind === 'percent' && !unit ? ' %' : unit ? ` ${unit}` : ''}`;

/** What the key-figure rules said about a value, in the reader's language (the Nyckeltal form and the plan import's preview). */
export function issueText(m: Messages, figure: KpiRefused['figure'], issue: KpiIssue): string {
  const vars = { name: figure.name, year: figure.year, value: m.number(figure.value) };
  switch (issue.rule) {
    case 'whole-number':
      return m.t('kpis.wholeNumber', vars);
    case 'not-negative':
      return m.t('kpis.notNegative', vars);
    case 'percent-range':
      return m.t('kpis.percentRange', vars);
    case 'outlier': {
      const percent = Math.round(issue.change * 100);
      return m.t('kpis.outlier', { ...vars, change: `${percent > 0 ? '+' : ''}${m.number(percent)} %`, previous: m.number(issue.previous), previousYear: issue.previousYear });
    }
  }
}

/** Nyckeltal: the figures per year, entered by the coordinator, with their trend. */
export function kpiPages(kit: UiKit): Router {
  const router = Router();

  router.get('/nyckeltal', async (req, res) => {
    const p = principalOf(res);
    const { org, orgs } = await chooseOrg(kit.deps, p, req.query.org);
    const series = org ? await listKpis(kit.deps.models, p, org._id) : [];
    const years = [...new Set(series.flatMap((s) => s.values.map((v) => v.year)))].sort();
    const m = kit.messagesFor(req);
    // The review's chart renderer (Vega-Lite to SVG), shown as an image: no script reaches the page.
    const charts = await Promise.all(
      series.map(async (s) => ({
        name: s.name,
        alt: `${s.name}: ${s.values.map((v) => `${v.year} ${m.number(v.value)}`).join(', ')}`,
        src: `data:image/svg+xml;base64,${Buffer.from(await chartSvg(pageBarChart(s.values.map((v) => ({ label: String(v.year), value: v.value })), s.unit))).toString('base64')}`,
      })),
    );
    const draft = drafts(req).kpiDraft;
    delete drafts(req).kpiDraft;
    kit.render(req, res, 'kpis', {
      title: m.t('kpis.title'),
      charts,
      org,
      orgs,
      series,
      years,
      mayEnter: org ? rolesIn(p, org._id).includes(COORDINATOR) : false,
      thisYear: new Date().getFullYear(),
      kinds: KpiKind.options,
      draft,
    });
  });

  router.post(
    '/nyckeltal',
    formAction(kit, '/nyckeltal', async (req, p, m) => {
      const body = req.body as Record<string, unknown>;
      try {
        const f = parseOr400(KpiForm, body, 'body');
        const seriesId = f.seriesId ?? f.newId;
        if (!seriesId) throw Problem.badRequest([{ field: 'body.newId', message: 'choose a key figure or name a new one' }]);
        const saved = await setKpiValue(kit.deps.models, p, {
          orgId: f.orgId,
          seriesId,
          year: f.year,
          value: f.value,
          ...(f.seriesId ? {} : { name: f.newName, ...(f.kind ? { kind: f.kind } : {}) }),
          ...(f.unit ? { unit: f.unit } : {}),
          confirmOutlier: f.confirmOutlier === 'on',
        });
        return m.t('kpis.saved', { name: saved.name, year: f.year, value: shown(m, f.value, saved.unit, saved.kind) });
      } catch (err) {
        if (!(err instanceof Problem) || err.status >= 500) throw err;
        const fields = Object.fromEntries(DRAFT_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k].slice(0, 200) : '']));
        drafts(req).kpiDraft = { fields, confirm: err instanceof KpiRefused && err.issue.rule === 'outlier' };
        if (err instanceof KpiRefused) throw new Problem(err.status, err.type, err.title, issueText(m, err.figure, err.issue));
        throw err;
      }
    }),
  );

  return router;
}
