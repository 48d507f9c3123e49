import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { IsoDate, Slug, Text, Year } from '../../domain/common';
import type { Principal } from '../../domain/principal';
import { ROLE_LABELS, RoleName } from '../../domain/roles';
import type { Models } from '../../store/models';
import { OperatorError } from '../../platform/errors';
import { COORDINATOR, requireRole } from '../people/access';
import { membersOf, type Member } from '../people/members';
import { KpiRefused, setKpiValue } from '../people/org-data';
import { checkKpiValue, type KpiIssue, type KpiKind } from '../../domain/kpi';
import { Problem } from '../problem';
import { parseOr400 } from '../validate';
import { keyFromTitle, planFromItems } from './import/plan-from-review';
import { AREA_IDS, AREA_NAMES } from './import/plan-items';
import { readReview, REVIEW_EXTENSIONS } from './import/read-review';
import { extractPlan } from './import/review-text';
import { loadPlan, type LoadSummary } from './load-plan';

/**
 * Importing a plan from last year's review, for the web UI and the API alike: read the uploaded
 * file into a preview (nothing stored), let the coordinator edit it, then start the activities
 * (idempotently: the key comes from the title, and a started activity is never started again)
 * and save the KPI figures the coordinator confirmed.
 *
 * Everything a person can add is bounded here: the file's size, the items and the KPI candidates
 * of a preview and of a confirmation.
 */

export const MAX_REVIEW_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ITEMS = 150;
export const MAX_IMPORT_KPIS = 60;

export const ImportItem = z
  .object({
    year: Year,
    title: Text(400),
    area: Slug,
    section: Text(20).optional(),
    owner: RoleName,
    /** A person of the organisation for the role; without one the role owns the activity. */
    ownerUserId: Text(100).optional(),
    startDate: IsoDate.optional(),
    dueDate: IsoDate.optional(),
    priority: z.enum(['hög', 'medel', 'låg']).default('medel'),
    resources: Text(400).optional(),
    estimatedCost: z.number().finite().min(0).optional(),
    expectedResult: Text(400).optional(),
  })
  .strict()
  .refine((i) => !i.startDate || !i.dueDate || i.startDate <= i.dueDate, { message: 'must not be before startDate', path: ['dueDate'] });
export type ImportItem = z.infer<typeof ImportItem>;

export const ImportKpi = z
  .object({ name: Text(160), year: Year, value: z.number().finite(), quote: Text(1000).optional(), confirmOutlier: z.boolean().optional() })
  .strict();
export type ImportKpi = z.infer<typeof ImportKpi>;

/** A KPI candidate as the preview shows it: its kind, and what the key-figure rules say about its value. */
export type ImportKpiCandidate = ImportKpi & { quote: string; kind: KpiKind; issue?: KpiIssue };

/** What the coordinator confirms: the items to start and the KPI figures to save. */
export const ImportRequest = z
  .object({
    source: Text(200),
    items: z.array(ImportItem).min(1).max(MAX_IMPORT_ITEMS),
    kpis: z.array(ImportKpi).max(MAX_IMPORT_KPIS).default([]),
  })
  .strict();
export type ImportRequest = z.infer<typeof ImportRequest>;

export interface ImportPreview {
  orgId: string;
  source: string;
  items: ImportItem[];
  kpis: ImportKpiCandidate[];
  /** The areas an item may be filed under: the organisation's and the importer's. */
  areas: { id: string; name: string }[];
}

export function requireImporter(p: Principal, orgId: string): void {
  requireRole(p, orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
}

/** A role named in an owner cell ("Informationsägare", "IT-samordnare / förvaltningschef"): the first one named, else the coordinator. */
export function roleFromOwner(owner: string | undefined): RoleName {
  const text = (owner ?? '').toLowerCase();
  let best: { role: RoleName; at: number } | null = null;
  for (const [role, label] of Object.entries(ROLE_LABELS) as [RoleName, string][]) {
    const at = text.indexOf(label);
    if (at >= 0 && (!best || at < best.at)) best = { role, at };
  }
  return best?.role ?? COORDINATOR;
}

/** A member named in an owner cell ("Anna Berg, IT-samordnare"): the person, when exactly one matches. */
function personFromOwner(owner: string | undefined, members: Member[]): { ownerUserId?: string } {
  const text = (owner ?? '').toLocaleLowerCase('sv-SE');
  const named = text ? members.filter((m) => text.includes(m.name.toLocaleLowerCase('sv-SE'))) : [];
  return named.length === 1 ? { ownerUserId: named[0]!.userId } : {};
}

/** Reads an uploaded review into a preview. Stores nothing; the bytes are not kept. */
export async function previewImport(models: Models, p: Principal, orgId: string, file: { name: string; content: Buffer }): Promise<ImportPreview> {
  requireImporter(p, orgId);
  const org = await models.organisations.findById(orgId).lean();
  if (!org) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
  if (file.content.length === 0) throw Problem.badRequest([{ field: 'body.file', message: 'the file is empty' }]);
  if (file.content.length > MAX_REVIEW_BYTES) throw new Problem(413, 'too-large', 'Filen är för stor', `At most ${MAX_REVIEW_BYTES / 1024 / 1024} MiB.`);
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (!(REVIEW_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new Problem(415, 'unsupported-media-type', 'Filtypen stöds inte', 'Word (.docx), PDF (.pdf) eller text (.txt, UTF-8).');
  }
  let text: string;
  try {
    text = await readReview(file.content, file.name);
  } catch (err) {
    if (err instanceof OperatorError) throw Problem.badRequest([{ field: 'body.file', message: err.message }]);
    throw err;
  }
  const extracted = extractPlan(text);
  if (extracted.activities.length === 0) {
    throw Problem.badRequest([{ field: 'body.file', message: 'no plan items found (headings such as "Aktiviteter 2027" followed by a list or a table)' }]);
  }
  const members = await membersOf(models, orgId);
  const areas = [...org.areas.map((a) => ({ id: a.id, name: a.name }))];
  for (const id of AREA_IDS) if (!areas.some((a) => a.id === id)) areas.push({ id, name: AREA_NAMES[id] });
  areas.push({ id: 'ovrigt', name: 'Övrigt' });
  return {
    orgId,
    source: file.name.slice(0, 200),
    items: extracted.activities.slice(0, MAX_IMPORT_ITEMS).map((a) => ({
      year: a.year,
      title: a.title.slice(0, 400),
      area: a.area ?? 'ovrigt',
      section: a.section.slice(0, 20),
      owner: roleFromOwner(a.owner),
      ...personFromOwner(a.owner, members),
      priority: a.priority ?? 'medel',
      ...(a.startDate ? { startDate: a.startDate } : {}),
      ...(a.dueDate ? { dueDate: a.dueDate } : {}),
      ...(a.resources ? { resources: a.resources } : {}),
      ...(a.estimatedCost !== undefined ? { estimatedCost: a.estimatedCost } : {}),
      ...(a.expectedResult ? { expectedResult: a.expectedResult } : {}),
    })),
    kpis: await withKpiChecks(
      models,
      orgId,
      extracted.kpis.slice(0, MAX_IMPORT_KPIS).map((k) => ({ name: k.name.slice(0, 160), year: k.year, value: k.value, quote: k.quote.slice(0, 1000) })),
    ),
    areas,
  };
}

/**
 * Each figure checked by the key-figure rules against its series as stored and the other years
 * of the same figure in this import (a review often gives last year's value beside this year's):
 * the preview shows what would be refused or must be confirmed, before anything is saved.
 */
async function withKpiChecks<K extends ImportKpi>(models: Models, orgId: string, kpis: K[]): Promise<(K & { kind: KpiKind; issue?: KpiIssue })[]> {
  const seriesIds = [...new Set(kpis.map((k) => keyFromTitle(k.name)))];
  const stored = seriesIds.length ? await models.kpiValues.find({ orgId, seriesId: { $in: seriesIds } }).lean() : [];
  return kpis.map((k) => {
    const seriesId = keyFromTitle(k.name);
    const imported = kpis.filter((o) => o !== k && keyFromTitle(o.name) === seriesId && o.year !== k.year);
    const series = stored.filter((v) => v.seriesId === seriesId);
    const history = [...series.filter((v) => !imported.some((o) => o.year === v.year)), ...imported];
    // A stored series has its kind already, whichever years this import brings.
    const kind = series.find((v) => v.kind)?.kind;
    return { ...k, ...checkKpiValue(history, { name: k.name, year: k.year, value: k.value, ...(kind ? { kind } : {}) }, k.confirmOutlier) };
  });
}

/**
 * Refuses the import's figures as the Nyckeltal form would: a value its kind rules out (400) or
 * an outlier not confirmed (422), naming the figure (body.kpis.N). Called before anything
 * starts, so a refused figure starts no activity.
 */
export async function checkImportKpis(models: Models, orgId: string, kpis: ImportKpi[]): Promise<void> {
  const checked = await withKpiChecks(models, orgId, kpis);
  checked.forEach((k, i) => {
    if (k.issue) throw new KpiRefused({ name: k.name, year: k.year, value: k.value, kind: k.kind }, k.issue, `body.kpis.${i}`);
  });
}

export interface ImportDeps {
  client: Client;
  taskQueue: string;
  models: Models;
  timeZone: string;
}

/** Starts the confirmed items and saves the confirmed KPI figures; importing the same items again starts nothing twice. */
export async function confirmImport(
  deps: ImportDeps,
  p: Principal,
  orgId: string,
  body: unknown,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<LoadSummary & { kpisSaved: number }> {
  requireImporter(p, orgId);
  const request = parseOr400(ImportRequest, body, 'body');
  const org = await deps.models.organisations.findById(orgId).lean();
  if (!org) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
  await checkImportKpis(deps.models, orgId, request.kpis);
  const plan = planFromItems(org, request.items, `${request.source}: importerad`);
  const summary = await loadPlan(deps, plan, onProgress);
  // Earlier years first, so each is the year before of the next; all were checked above.
  for (const k of [...request.kpis].sort((a, b) => a.year - b.year)) {
    await setKpiValue(deps.models, p, { orgId, seriesId: keyFromTitle(k.name), year: k.year, value: k.value, name: k.name, source: `${request.source}: bekräftad vid import`.slice(0, 200), confirmOutlier: true });
  }
  return { ...summary, kpisSaved: request.kpis.length };
}

/** An item's area must be a slug; a known importer area gets its Swedish name when the organisation lacks it. */
export const areaName = (id: string): string => (AREA_NAMES as Record<string, string>)[id] ?? (id === 'ovrigt' ? 'Övrigt' : id);
