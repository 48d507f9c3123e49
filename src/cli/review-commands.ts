import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Connection, Client } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { clientDataConverter, connectionOptions } from '../temporal/connection';
import { connectStore } from '../store/connection';
import { createModels, type Models } from '../store/models';
import { OperatorError } from '../platform/errors';
import { Problem } from '../services/problem';
import { keyFromTitle, planFromReview } from '../services/plans/import/plan-from-review';
import { readReviewFile } from '../services/plans/import/read-review';
import { extractPlan } from '../services/plans/import/review-text';
import { loadPlan } from '../services/plans/load-plan';
import { EXPORT_FORMATS, renderReview, type ExportFormat } from '../reports';
import { findReview, reviewDocument } from '../services/reviews/service';
import { formatSummary } from './plan-commands';
import { findOrganisation } from '../services/organisations/directory';
import { saveKpiValue } from '../services/kpis/values';

/** Writes one version of a review (the adopted snapshot, or a draft from live facts) to a file. */
export async function reviewExport(opts: { org: string; year: string; format: string; out: string; version?: string }): Promise<void> {
  const year = Number(opts.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new OperatorError(`--year must be a year such as 2026, not "${opts.year}"`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw new OperatorError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${opts.format}"`);
  const version = opts.version === undefined ? undefined : Number(opts.version);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new OperatorError(`--version must be 1 or more, not "${opts.version}"`);
  const config = loadConfig();
  await withStore(config, async (models) => {
    const review = await findReview(models, opts.org, year, version).catch(operatorError);
    const { document, contentHash } = await reviewDocument(models, review, { now: new Date().toISOString(), timeZone: config.planTimeZone }).catch(operatorError);
    const file = await renderReview(document, opts.format as ExportFormat);
    await writeFile(opts.out, file).catch((err: NodeJS.ErrnoException) => {
      throw new OperatorError(`cannot write ${opts.out}: ${err.message}`);
    });
    const what = document.draft ? 'utkast' : `antagen, innehållshash ${contentHash}`;
    process.stdout.write(`Skrev ${opts.out}: ledningens genomgång ${year} för ${opts.org}, version ${document.version} (${what}), ${file.length} byte\n`);
  });
}

/**
 * Reads last year's review, shows what it would load and, once confirmed, starts the
 * activities. KPI figures are offered one by one and saved only when confirmed.
 */
export async function planImport(file: string, opts: { org: string; yes?: boolean }): Promise<void> {
  const extracted = extractPlan(await readReviewFile(file));
  if (extracted.activities.length === 0) throw new OperatorError(`${file}: found no plan items (headings such as "Aktiviteter 2027" followed by a list)`);
  const config = loadConfig();
  await withStore(config, async (models) => {
    const org = await findOrganisation(models, opts.org);
    if (!org) throw new OperatorError(`organisation ${opts.org} does not exist: create it first (POST /api/v1/organisations)`);
    const plan = planFromReview(org, extracted);
    process.stdout.write(preview(plan, extracted));
    const answers = createAnswers();
    try {
      if (!opts.yes && !(await answers.confirm(`Ladda ${plan.activities.length} aktiviteter till ${org.name}? [j/N] `))) {
        process.stdout.write('Inget laddades.\n');
        return;
      }
      const connection = await Connection.connect({ ...connectionOptions(config.temporal), connectTimeout: 5_000 }).catch((err: Error) => {
        throw new OperatorError(`cannot reach Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${err.message}`);
      });
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: clientDataConverter(config.temporal) });
        const summary = await loadPlan({ client, taskQueue: config.temporal.taskQueue, models, timeZone: config.planTimeZone }, plan);
        process.stdout.write(formatSummary(org.name, summary));
      } finally {
        await connection.close();
      }
      let saved = 0;
      for (const k of extracted.kpis) {
        if (opts.yes || !(await answers.confirm(`Spara nyckeltalet "${k.name}" ${k.year}: ${k.value}? [j/N] `))) continue;
        const seriesId = keyFromTitle(k.name);
        await saveKpiValue(models, { orgId: opts.org, seriesId, name: k.name, year: k.year, value: k.value, source: `${file.split('/').pop()}: bekräftad vid import` });
        saved++;
      }
      if (extracted.kpis.length) process.stdout.write(`Nyckeltal: ${saved} av ${extracted.kpis.length} kandidater sparade${opts.yes ? ' (--yes sparar inga: bekräfta dem ett och ett)' : ''}.\n`);
    } finally {
      answers.close();
    }
  });
}

function preview(plan: ReturnType<typeof planFromReview>, extracted: ReturnType<typeof extractPlan>): string {
  const lines = [`Förhandsgranskning för ${plan.organisation.name} (${plan.organisation.id}):`];
  for (const year of [...new Set(plan.activities.map((a) => a.year))].sort()) {
    const ofYear = plan.activities.filter((a) => a.year === year);
    lines.push(`  ${year}: ${ofYear.length} aktiviteter`);
    for (const a of ofYear) lines.push(`    - ${a.title} [${plan.areas.find((x) => x.id === a.area)?.name ?? a.area}] (avsnitt ${a.sourceSection})`);
  }
  if (extracted.kpis.length) {
    lines.push(`  Nyckeltalskandidater (sparas bara efter bekräftelse):`);
    for (const k of extracted.kpis) lines.push(`    - ${k.name} ${k.year}: ${k.value} – ”${k.quote}”`);
  }
  return lines.join('\n') + '\n';
}

/** Answers read line by line from stdin, from a person at a terminal or a pipe. */
function createAnswers() {
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  rl.on('close', () => {
    ended = true;
    waiting.splice(0).forEach((w) => w(undefined));
  });
  const next = (): Promise<string | undefined> => (lines.length ? Promise.resolve(lines.shift()) : ended ? Promise.resolve(undefined) : new Promise((r) => waiting.push(r)));
  return {
    async confirm(question: string): Promise<boolean> {
      process.stdout.write(question);
      const answer = await next();
      if (!process.stdin.isTTY) process.stdout.write(`${answer ?? ''}\n`);
      return /^\s*(j|ja|y|yes)\s*$/i.test(answer ?? '');
    },
    close: () => rl.close(),
  };
}

async function withStore(config: ReturnType<typeof loadConfig>, work: (models: Models) => Promise<void>): Promise<void> {
  const store = await connectStore(config.mongo, { timeoutMs: 5_000 });
  try {
    await work(createModels(store));
  } finally {
    await store.close();
  }
}

function operatorError(err: unknown): never {
  if (err instanceof Problem) throw new OperatorError(err.detail ?? err.title);
  throw err;
}
