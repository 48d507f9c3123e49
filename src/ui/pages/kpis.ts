import { Router } from 'express';
import { z } from 'zod';
import { COORDINATOR, rolesIn } from '../../services/people/access';
import { Problem } from '../../services/problem';
import { chartSvg } from '../../reports/charts';
import { barChart } from '../../services/reviews/chart-specs';
import { listKpis, setKpiValue } from '../../services/people/org-data';
import { parseOr400 } from '../../services/validate';
import { Slug, Text, Year } from '../../domain/common';
import { chooseOrg, formAction, principalOf, type UiKit } from '../kit';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const KpiForm = z.object({
  orgId: Slug,
  seriesId: z.preprocess(blankToUndefined, Slug.optional()),
  newId: z.preprocess(blankToUndefined, Slug.optional()),
  newName: z.preprocess(blankToUndefined, Text(160).optional()),
  unit: z.preprocess(blankToUndefined, Text(40).optional()),
  year: z.coerce.number().pipe(Year),
  // Swedish decimal comma as well as a point.
  value: z.preprocess((v) => (typeof v === 'string' ? Number(v.replace(/\s/g, '').replace(',', '.')) : v), z.number().finite()),
});

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
        src: `data:image/svg+xml;base64,${Buffer.from(await chartSvg(barChart(s.name, s.values.map((v) => ({ label: String(v.year), value: v.value })), s.unit))).toString('base64')}`,
      })),
    );
    kit.render(req, res, 'kpis', {
      title: m.t('kpis.title'),
      charts,
      org,
      orgs,
      series,
      years,
      mayEnter: org ? rolesIn(p, org._id).includes(COORDINATOR) : false,
      thisYear: new Date().getFullYear(),
    });
  });

  router.post(
    '/nyckeltal',
    formAction(kit, '/nyckeltal', async (req, p, m) => {
      const f = parseOr400(KpiForm, req.body, 'body');
      const seriesId = f.seriesId ?? f.newId;
      if (!seriesId) throw Problem.badRequest([{ field: 'body.newId', message: 'choose a key figure or name a new one' }]);
      await setKpiValue(kit.deps.models, p, { orgId: f.orgId, seriesId, year: f.year, value: f.value, ...(f.seriesId ? {} : { name: f.newName }), ...(f.unit ? { unit: f.unit } : {}) });
      return m.t('kpis.saved');
    }),
  );

  return router;
}
