import { DEFAULT_REMINDER_POLICY, notificationSchedule, REMINDER_HOUR } from '../src/domain/deadlines';

const AT = `${String(REMINDER_HOUR).padStart(2, '0')}:00`;

/**
 * The country on paper: what 290 municipalities need on Temporal Cloud and MongoDB Atlas,
 * computed from one bench run's JSON (bench/results/*.json, written by bench/main.ts). Pure:
 * no files, no clock. `scripts/capacity.ts` reads the JSON and writes docs/capacity.md.
 *
 * Every number in the document is either a stated input below (with its source), a figure the
 * bench measured, or computed from those two; each computed figure carries its formula in words.
 */

// ---------------------------------------------------------------------------------------------
// Inputs

export interface Input<T = number> {
  label: string;
  value: T;
  unit?: string;
  source: string;
}

export interface AtlasTier {
  name: string;
  ramGB: number;
  vcpus: number;
  /** Disk IOPS without provisioned IOPS. */
  iops: number;
  maxStorageGB: number;
  /** Whether Atlas recommends the tier for production load. */
  production: boolean;
}

export interface Inputs {
  municipalities: Input;
  organisations: Input;
  activities: Input;
  workingDaysPerYear: Input;
  workingHoursPerDay: Input;
  yearEndShareOfChanges: Input;
  yearEndWeeks: Input;
  busiestHourFactor: Input;
  largestOrganisationShare: Input;
  reminderBurstShare: Input;
  temporalApsLimit: Input;
  temporalRetentionDays: Input;
  projectionWritesPerChange: Input;
  idempotencyWritesPerChange: Input;
  readsPerChange: Input;
  noticesPerActivityYear: Input;
  writesPerNotification: Input;
  diskIosPerWrite: Input;
  wiredTigerCacheFill: Input;
  cpuTargetUtilisation: Input;
  rollUpAcceptableSeconds: Input;
  reminderAcceptableMinutes: Input;
  yearsOfData: Input<number[]>;
  atlasTiers: Input<AtlasTier[]>;
}

const CHECK = 'An assumption: check it against';

/** The stated inputs. Everything else in docs/capacity.md is measured or computed. */
export const INPUTS: Inputs = {
  municipalities: { label: 'Municipalities', value: 290, source: 'Sweden’s 290 kommuner (issue 15).' },
  organisations: {
    label: 'Organisations in the deployment',
    value: 290,
    source:
      'One organisation (one audit chain, one `orgId`) per municipality, as issue 15 counts them. A municipality split into förvaltningar has several; that spreads its audit chain but adds organisations to the roll-up.',
  },
  activities: {
    label: 'Activities in the country',
    value: 600_000,
    source:
      'Issue 15: about 600,000. Taken as activity-years: each activity of a plan year is one activity workflow (its id holds the year) and one read-model document, and next year’s instance is a new one.',
  },
  workingDaysPerYear: { label: 'Working days a year', value: 250, unit: 'days', source: 'Swedish weekdays less public holidays, rounded.' },
  workingHoursPerDay: { label: 'Working hours a day', value: 8, unit: 'h', source: 'Changes are made in office hours; nights and weekends are taken as idle.' },
  yearEndShareOfChanges: {
    label: 'Share of the year’s changes made in the year-end weeks',
    value: 0.3, unit: '%',
    source: `${CHECK} a pilot’s audit trail. Activities are due 31 December by default (src/domain/deadlines.ts) and the year’s review opens on 1 November (REVIEW_START_DATE): owners finish, hand in and get approval in the last weeks.`,
  },
  yearEndWeeks: { label: 'Year-end weeks', value: 4, unit: 'weeks', source: 'December’s working weeks, before the holidays.' },
  busiestHourFactor: {
    label: 'Busiest hour vs the average working hour of a year-end day',
    value: 2,
    source: `${CHECK} a pilot: mornings and the hour after lunch carry most changes.`,
  },
  largestOrganisationShare: {
    label: 'Share of the country’s activities in the largest organisation',
    value: 0.02, unit: '%',
    source: 'Issue 15’s example; Stockholm has about 10 % of the population, but its förvaltningar are separate organisations.',
  },
  reminderBurstShare: {
    label: 'Share of activities whose first reminder fires at the same instant',
    value: 0.5, unit: '%',
    source: `${CHECK} the plans loaded. Every activity due on the default 31 December has its 30-day reminder at ${AT} on 1 December (src/domain/deadlines.ts); half of them still open then is assumed.`,
  },
  temporalApsLimit: {
    label: 'Temporal Cloud actions per second per namespace (default limit)',
    value: 500,
    unit: 'actions/s',
    source: `${CHECK} Temporal Cloud’s current limits page (docs.temporal.io/cloud/limits: 500 APS by default, raised automatically from the last 7 days’ use, or provisioned).`,
  },
  temporalRetentionDays: {
    label: 'Temporal namespace retention of closed workflows',
    value: 30,
    unit: 'days',
    source: 'A choice (Temporal Cloud allows 1–90 days). The audit trail in MongoDB is the record that lasts, not Temporal’s histories.',
  },
  projectionWritesPerChange: {
    label: 'Read-model writes per change',
    value: 1,
    source: 'Counted in src/services/activities/projection.ts: `projectActivity` is one conditional `updateOne` (upsert) of the activity’s document.',
  },
  idempotencyWritesPerChange: {
    label: 'Idempotency records written per change',
    value: 2,
    source: 'Counted in src/api/idempotency.ts: the claim (an `updateOne` upsert) and the stored answer (a `findOneAndUpdate`) when the request carries an Idempotency-Key (the bench’s and a careful client’s do); a claim renewed during a slow request adds one every few seconds.',
  },
  readsPerChange: {
    label: 'Store reads per change',
    value: 5,
    source:
      'Counted in the code: the API token and its user (src/http/auth/authenticate.ts, 2), the caller’s delegations (src/services/people/access.ts, 1), the idempotency lookup (src/api/idempotency.ts, 1), the audit chain’s head (src/services/audit/store.ts, 1). A sign-in through OpenID Connect instead does one `updateOne` of the user, which writes nothing when nothing changed.',
  },
  noticesPerActivityYear: {
    label: 'Change notices per activity-year',
    value: 2,
    source: 'Counted for the bench’s year (bench/footprint.ts) with src/domain/change-notices.ts: handing in the milestone asks for approval, approving it tells the owner.',
  },
  writesPerNotification: {
    label: 'Store writes per notification',
    value: 5,
    source:
      'Counted in the code for one recipient: recording it (src/services/notifications/outbox.ts `recordOnce`), then in src/services/notifications/deliver.ts the claim, `$addToSet deliveredTo`, status sent and releasing the claim.',
  },
  diskIosPerWrite: {
    label: 'Disk I/Os per document write',
    value: 3,
    source: `${CHECK} Atlas’s Disk IOPS metric in a pilot. A journal write (the oplog entry shares it) and, at the next checkpoint, the data page and the index pages it touched, partly shared with other writes.`,
  },
  wiredTigerCacheFill: {
    label: 'Share of the WiredTiger cache the working set may fill',
    value: 0.8, unit: '%',
    source: 'WiredTiger starts evicting at 80 % of its cache (eviction_target); its cache is by default half of (RAM − 1 GB).',
  },
  cpuTargetUtilisation: { label: 'CPU utilisation to size for at the peak', value: 0.5, unit: '%', source: 'Headroom for bursts, retries and a node going away.' },
  rollUpAcceptableSeconds: {
    label: 'Longest acceptable city roll-up',
    value: 2,
    unit: 's',
    source: 'The roll-up is a page (GET /api/v1/reviews/city) a person waits for.',
  },
  reminderAcceptableMinutes: {
    label: 'Longest acceptable delay of a reminder',
    value: 60,
    unit: 'min',
    source: `A reminder of ${AT} should be in the inbox within the hour.`,
  },
  yearsOfData: { label: 'Years of data to size the store for', value: [1, 5], source: 'The read model and the audit trail keep every year; nothing is deleted.' },
  atlasTiers: {
    label: 'Atlas tiers (AWS, General class)',
    value: [
      { name: 'M10', ramGB: 2, vcpus: 2, iops: 3000, maxStorageGB: 128, production: false },
      { name: 'M20', ramGB: 4, vcpus: 2, iops: 3000, maxStorageGB: 256, production: false },
      { name: 'M30', ramGB: 8, vcpus: 2, iops: 3000, maxStorageGB: 512, production: true },
      { name: 'M40', ramGB: 16, vcpus: 4, iops: 3000, maxStorageGB: 1024, production: true },
      { name: 'M50', ramGB: 32, vcpus: 8, iops: 3000, maxStorageGB: 4096, production: true },
      { name: 'M60', ramGB: 64, vcpus: 16, iops: 3000, maxStorageGB: 4096, production: true },
    ],
    source: `${CHECK} Atlas’s current cluster tier and price list: RAM, vCPUs and the largest disk per tier; standard gp3 storage with 3,000 IOPS (more with provisioned IOPS on M30+); Atlas recommends M30 or larger for production, M10/M20 for low traffic.`,
  },
};

// ---------------------------------------------------------------------------------------------
// The bench's JSON

export interface BenchRow {
  section: string;
  name: string;
  figures?: { n: number; errors: number; p50: number; p95: number; p99: number; perSecond: number; wallMs?: number };
  value?: string;
  metrics?: Record<string, number | null>;
  ratio?: string;
}

export interface BenchRun {
  at: string;
  complete?: boolean;
  machine?: { cpus?: number; cpuModel?: string; memoryGiB?: number; node?: string };
  sizes?: Record<string, unknown>;
  rows: BenchRow[];
}

/** A row or a figure the computation needs is not in the bench's JSON. The message is one line. */
export class MissingBenchFigure extends Error {
  override readonly name = 'MissingBenchFigure';
}

/** What the computation takes from one bench run. */
export interface Measured {
  run: { at: string; complete: boolean; machine: BenchRun['machine']; sizes: Record<string, unknown> };
  completion: { row: string; callers: number; changes: number; perSecond: number; errors: number; apiCpuMs: number; workerCpuMs: number; temporalCpuMs: number; storeCpuMs: number };
  sameActivity: { row: string; callers: number; perSecond: number; errors: number };
  year: { changesPerYear: number; historyEvents: number; historyBytes: number; actionsInHistory: number; reminderPoints: number; actionsPerReminder: number; auditEventsPerYear: number };
  activityDoc: { documents: number; bytes: number; diskBytes: number; indexBytes: number };
  auditDoc: { documents: number; bytes: number; diskBytes: number; indexBytes: number };
  planLoad: { row: string; workflows: number; loadedSeconds: number; projectedSeconds: number };
  rollUp: { row: string; p50Ms: number; organisations: number; activities: number; errors: number };
}

const COMPLETION = 'task completion (API)';
const SAME_ACTIVITY = 'same activity (API)';
export const YEAR_ROW = 'one activity’s year (Temporal)';
export const ACTIVITY_DOC_ROW = 'store bytes per read-model activity';
export const AUDIT_DOC_ROW = 'store bytes per audit event';

/** Picks the rows and figures the computation needs; throws MissingBenchFigure naming the first one missing. */
export function measuredFrom(run: BenchRun): Measured {
  if (!Array.isArray(run.rows)) throw new MissingBenchFigure('no "rows" array');
  const inSection = (section: string) => run.rows.filter((r) => r.section === section);
  const missing = (what: string) => new MissingBenchFigure(`no row "${what}"`);
  const metric = (r: BenchRow, key: string): number => {
    const v = r.metrics?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new MissingBenchFigure(`row "${r.section} / ${r.name}" has no metric "${key}"`);
    return v;
  };
  const perSecond = (r: BenchRow): number => {
    const v = r.figures?.perSecond;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new MissingBenchFigure(`row "${r.section} / ${r.name}" has no figures.perSecond`);
    return v;
  };
  const withCallers = (section: string) => inSection(section).filter((r) => typeof r.metrics?.callers === 'number');
  const byCallers = (rows: BenchRow[]) => [...rows].sort((a, b) => (b.metrics!.callers as number) - (a.metrics!.callers as number));

  // The most loaded task-completion row: its CPU per change is what the peak costs.
  const completion = byCallers(withCallers(COMPLETION))[0];
  if (!completion) throw missing(`${COMPLETION} / N owner(s)`);
  // One activity, its owners all in one organisation: one audit chain under load. 32 owners, or the most measured.
  const sameRows = withCallers(SAME_ACTIVITY);
  const same = sameRows.find((r) => r.metrics!.callers === 32) ?? byCallers(sameRows)[0];
  if (!same) throw missing(`${SAME_ACTIVITY} / 32 owner(s)`);
  const one = (section: string, name: string) => {
    const r = inSection(section).find((x) => x.name === name);
    if (!r) throw missing(`${section} / ${name}`);
    return r;
  };
  const year = one('footprint', YEAR_ROW);
  const docRow = (name: string) => {
    const r = one('footprint', name);
    return { documents: metric(r, 'documents'), bytes: metric(r, 'bytesPerDocument'), diskBytes: metric(r, 'diskBytesPerDocument'), indexBytes: metric(r, 'indexBytesPerDocument') };
  };
  const plan = inSection('plan load').find((r) => typeof r.metrics?.workflows === 'number');
  if (!plan) throw missing('plan load / N org × M = W workflows');
  const rollUp = inSection('review').find((r) => r.name.startsWith('city roll-up'));
  if (!rollUp) throw missing('review / city roll-up, N organisations, M activities');
  const p50 = rollUp.figures?.p50;
  if (typeof p50 !== 'number' || !Number.isFinite(p50)) throw new MissingBenchFigure(`row "review / ${rollUp.name}" has no figures.p50`);

  return {
    run: { at: String(run.at), complete: run.complete === true, machine: run.machine ?? {}, sizes: run.sizes ?? {} },
    completion: {
      row: `${COMPLETION} / ${completion.name}`,
      callers: metric(completion, 'callers'),
      changes: metric(completion, 'changes'),
      perSecond: perSecond(completion),
      errors: completion.figures?.errors ?? 0,
      apiCpuMs: metric(completion, 'apiCpuMsPerChange'),
      workerCpuMs: metric(completion, 'workerCpuMsPerChange'),
      temporalCpuMs: metric(completion, 'temporalCpuMsPerChange'),
      storeCpuMs: metric(completion, 'storeCpuMsPerChange'),
    },
    sameActivity: { row: `${SAME_ACTIVITY} / ${same.name}`, callers: metric(same, 'callers'), perSecond: perSecond(same), errors: same.figures?.errors ?? 0 },
    year: {
      changesPerYear: metric(year, 'changesPerYear'),
      historyEvents: metric(year, 'historyEvents'),
      historyBytes: metric(year, 'historyBytes'),
      actionsInHistory: metric(year, 'actionsInHistory'),
      reminderPoints: metric(year, 'reminderPoints'),
      actionsPerReminder: metric(year, 'actionsPerReminder'),
      auditEventsPerYear: metric(year, 'auditEventsPerYear'),
    },
    activityDoc: docRow(ACTIVITY_DOC_ROW),
    auditDoc: docRow(AUDIT_DOC_ROW),
    planLoad: { row: `plan load / ${plan.name}`, workflows: metric(plan, 'workflows'), loadedSeconds: metric(plan, 'loadedSeconds'), projectedSeconds: metric(plan, 'projectedSeconds') },
    rollUp: { row: `review / ${rollUp.name}`, p50Ms: p50, organisations: metric(rollUp, 'organisations'), activities: metric(rollUp, 'activities'), errors: rollUp.figures?.errors ?? 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// The computation

export interface Figure {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** The formula in words, with the numbers that went in. */
  how: string;
}

export interface Section {
  title: string;
  intro?: string;
  figures: Figure[];
  /** Extra Markdown after the figures (a table of tiers or of bottlenecks). */
  after?: string[];
}

export interface TierVerdict {
  years: number;
  tier: AtlasTier;
  cacheGB: number;
  checks: { production: boolean; cache: boolean; iops: boolean; storage: boolean; cpu: boolean };
  fits: boolean;
}

export interface Bottleneck {
  name: string;
  need: string;
  limit: string;
  /** Limit over need: below 1 it is already too little. */
  headroom: number;
  how: string;
}

export interface Capacity {
  measured: Measured;
  inputs: Inputs;
  sections: Section[];
  tiers: TierVerdict[];
  /** The smallest tier that passes every check, per horizon in years (undefined: none does). */
  suggestedTier: Record<number, AtlasTier | undefined>;
  /** Most pressing first. */
  bottlenecks: Bottleneck[];
  /** What looked wrong or thin in the bench run. */
  warnings: string[];
  /** Looks up a computed figure by key; throws when there is none (a typo in a test or a template). */
  get(key: string): number;
}

const GB = 1e9;
/** WiredTiger's default cache: half of (RAM − 1 GB), at least 0.25 GB. */
const cacheOf = (t: AtlasTier) => Math.max(0.25, 0.5 * (t.ramGB - 1));
const HOURS_PER_MONTH = (365 * 24) / 12;

export function computeCapacity(m: Measured, inputs: Inputs = INPUTS): Capacity {
  const all = new Map<string, Figure>();
  const sections: Section[] = [];
  let current: Section | undefined;
  const section = (title: string, intro?: string) => {
    current = { title, ...(intro ? { intro } : {}), figures: [] };
    sections.push(current);
    return current;
  };
  const put = (key: string, label: string, value: number, unit: string, how: string): number => {
    if (all.has(key)) throw new Error(`capacity: figure ${key} computed twice`);
    const f = { key, label, value, unit, how };
    all.set(key, f);
    current!.figures.push(f);
    return value;
  };
  const I = (k: keyof Omit<Inputs, 'yearsOfData' | 'atlasTiers'>) => inputs[k].value;
  const y = m.year;

  // Load -------------------------------------------------------------------------------------
  section('The load', 'Changes are what people do through the API or the web UI: each is one Update of an activity workflow.');
  const changesPerYear = put('changesPerYear', 'Changes a year in the country', I('activities') * y.changesPerYear, 'changes', `activities (${n(I('activities'))}) × changes in one activity’s year (${n(y.changesPerYear)}, measured)`);
  const workingSeconds = I('workingDaysPerYear') * I('workingHoursPerDay') * 3600;
  const avgChanges = put('avgChangesPerSecond', 'Changes per second, average working hour', changesPerYear / workingSeconds, 'changes/s', `changes a year (${n(changesPerYear)}) ÷ (working days (${n(I('workingDaysPerYear'))}) × working hours (${n(I('workingHoursPerDay'))}) × 3,600 s)`);
  const workingWeeks = I('workingDaysPerYear') / 5;
  const peakFactor = put(
    'peakFactor',
    'Peak factor: the busiest hour vs the average working hour',
    (I('yearEndShareOfChanges') / I('yearEndWeeks')) * workingWeeks * I('busiestHourFactor'),
    '×',
    `the year-end weeks carry ${pct(I('yearEndShareOfChanges'))} of the changes in ${n(I('yearEndWeeks'))} of ${n(workingWeeks)} working weeks (${n(I('yearEndShareOfChanges'))} ÷ ${n(I('yearEndWeeks'))} × ${n(workingWeeks)}), × their busiest hour vs their average hour (${n(I('busiestHourFactor'))})`,
  );
  const peakChanges = put('peakChangesPerSecond', 'Changes per second in the busiest hour', avgChanges * peakFactor, 'changes/s', `average (${n(avgChanges)}) × peak factor (${n(peakFactor)})`);

  // Temporal Cloud -----------------------------------------------------------------------------
  section(
    'Temporal Cloud',
    'Actions are what Temporal Cloud bills and rate-limits. The bench counts the billable events in the history of one activity’s year made through the API (bench/footprint.ts); that year happens within seconds, so its reminders are added from the reminder schedule.',
  );
  const actionsPerActivityYear = put(
    'actionsPerActivityYear',
    'Actions per activity-year',
    y.actionsInHistory + y.reminderPoints * y.actionsPerReminder,
    'actions',
    `actions in the history of one activity’s year (${n(y.actionsInHistory)}) + reminder points (${n(y.reminderPoints)}) × actions per reminder (${n(y.actionsPerReminder)})`,
  );
  const actionsPerYear = put('actionsPerYear', 'Actions a year, the country', actionsPerActivityYear * I('activities'), 'actions', `actions per activity-year (${n(actionsPerActivityYear)}) × activities (${n(I('activities'))})`);
  put('actionsPerMonth', 'Actions per month, average', actionsPerYear / 12, 'actions', `actions a year (${n(actionsPerYear)}) ÷ 12`);
  // The default due date is 31 December: its reminders and the overdue notice fall in December.
  const dueYear = Number(m.run.at.slice(0, 4)) || 2026;
  const schedule = notificationSchedule(`${dueYear}-12-31`, DEFAULT_REMINDER_POLICY, 'Europe/Stockholm');
  const inDecember = schedule.filter((p) => localMonth(p.at) === 12).length;
  put(
    'actionsDecember',
    'Actions in December, the busiest month (upper bound)',
    I('activities') * (y.actionsInHistory * I('yearEndShareOfChanges') + inDecember * y.actionsPerReminder),
    'actions',
    `activities (${n(I('activities'))}) × (actions in the history (${n(y.actionsInHistory)}) × the year-end share (${n(I('yearEndShareOfChanges'))}) + reminder points in December for the default due date (${inDecember} of ${schedule.length}, from DEFAULT_REMINDER_POLICY) × actions per reminder (${n(y.actionsPerReminder)})); every point counted as sent, an upper bound`,
  );
  const actionsPerChange = y.actionsInHistory / y.changesPerYear;
  const peakAps = put(
    'peakActionsPerSecond',
    'Actions per second in the busiest hour, from changes',
    peakChanges * actionsPerChange,
    'actions/s',
    `changes per second at the peak (${n(peakChanges)}) × actions per change (${n(actionsPerChange)} = actions in the history ${n(y.actionsInHistory)} ÷ changes ${n(y.changesPerYear)}, the workflow’s start included)`,
  );
  put('peakApsShareOfLimit', 'Share of the namespace’s APS limit at the peak', peakAps / I('temporalApsLimit'), '%', `actions per second at the peak (${n(peakAps)}) ÷ the APS limit (${n(I('temporalApsLimit'))})`);
  const burstReminders = put(
    'reminderBurstReminders',
    `Reminders due at ${AT} on 1 December (the 30-day reminder)`,
    I('activities') * I('reminderBurstShare'),
    'reminders',
    `activities (${n(I('activities'))}) × the share due 31 December and still open (${n(I('reminderBurstShare'))}); each is an email too`,
  );
  const burstActions = put(
    'reminderBurstActions',
    `Actions due at ${AT} on 1 December`,
    burstReminders * y.actionsPerReminder,
    'actions',
    `those reminders (${n(burstReminders)}) × actions per reminder (${n(y.actionsPerReminder)})`,
  );
  const burstMinutes = put('reminderBurstMinutes', 'Time to work off that burst at the APS limit', burstActions / I('temporalApsLimit') / 60, 'min', `burst actions (${n(burstActions)}) ÷ the APS limit (${n(I('temporalApsLimit'))}/s) ÷ 60; Temporal Cloud throttles, it loses nothing`);
  put('historyBytesPerActivityYear', 'History per activity-year', y.historyBytes / 1024, 'KiB', `measured: ${n(y.historyEvents)} events, ${n(y.historyBytes)} bytes; the reminders’ timers and activities and the delivery workflows’ own histories are not in it`);
  const historyGB = (I('activities') * y.historyBytes) / GB;
  const activeGB = put(
    'activeStorageGB',
    'Active storage: histories of open workflows',
    historyGB,
    'GB',
    `activities (${n(I('activities'))}) × history per activity-year (${n(y.historyBytes)} B); an upper bound: every workflow open with its whole year’s history (a workflow closes when its activity is verified, cancelled or deferred)`,
  );
  put('activeStorageGBhPerMonth', 'Active storage per month', activeGB * HOURS_PER_MONTH, 'GBh', `active storage (${n(activeGB)} GB) × ${n(HOURS_PER_MONTH)} hours a month`);
  put(
    'retainedStorageGBhPerMonth',
    'Retained storage per month, averaged over the year',
    (historyGB * I('temporalRetentionDays') * 24) / 12,
    'GBh',
    `every activity-year’s history (${n(historyGB)} GB) kept for the retention (${n(I('temporalRetentionDays'))} days × 24 h) after its workflow closes, ÷ 12 months; if all close at the turn of the year, ${n(historyGB)} GB are retained for those ${n(I('temporalRetentionDays'))} days at once`,
  );

  // MongoDB Atlas: data -------------------------------------------------------------------------
  const atlasData = section(
    'MongoDB Atlas: data',
    'Per node of the replica set (each of Atlas’s three nodes holds all of it). “On disk” is the bench’s WiredTiger storageSize, compressed; “uncompressed” is the documents’ BSON size, an upper bound for the disk. Idempotency records (kept a day), notifications, sessions and uploaded files are not measured by the bench and not in these sums.',
  );
  const auditPerYear = put('auditEventsPerYear', 'Audit events a year', I('activities') * y.auditEventsPerYear, 'events', `activities (${n(I('activities'))}) × audit events per activity-year (${n(y.auditEventsPerYear)}, measured: its creation and each change)`);
  const horizons = inputs.yearsOfData.value;
  const dataRows: string[] = ['| Collection | Years | Documents | Uncompressed | On disk | Indexes |', '| --- | --- | --- | --- | --- | --- |'];
  const storageUpperGB: Record<number, number> = {};
  const workingSetGB: Record<number, number> = {};
  for (const Y of horizons) {
    const actDocs = put(`activityDocuments${Y}y`, `Activity documents after ${years(Y)}`, I('activities') * Y, 'documents', `activities (${n(I('activities'))}) × ${years(Y)}: each plan year’s activities are documents of their own`);
    const auditDocs = put(`auditDocuments${Y}y`, `Audit events after ${years(Y)}`, auditPerYear * Y, 'documents', `audit events a year (${n(auditPerYear)}) × ${years(Y)}`);
    const actData = put(`activityDataGB${Y}y`, `Activity data after ${years(Y)}, uncompressed`, (actDocs * m.activityDoc.bytes) / GB, 'GB', `documents (${n(actDocs)}) × ${exact(m.activityDoc.bytes)} B each`);
    const actDisk = put(`activityDiskGB${Y}y`, `Activity data after ${years(Y)}, on disk`, (actDocs * m.activityDoc.diskBytes) / GB, 'GB', `documents (${n(actDocs)}) × ${exact(m.activityDoc.diskBytes)} B on disk each`);
    const actIdx = put(`activityIndexGB${Y}y`, `Activity indexes after ${years(Y)}`, (actDocs * m.activityDoc.indexBytes) / GB, 'GB', `documents (${n(actDocs)}) × ${exact(m.activityDoc.indexBytes)} B of indexes each`);
    const audData = put(`auditDataGB${Y}y`, `Audit data after ${years(Y)}, uncompressed`, (auditDocs * m.auditDoc.bytes) / GB, 'GB', `events (${n(auditDocs)}) × ${exact(m.auditDoc.bytes)} B each`);
    const audDisk = put(`auditDiskGB${Y}y`, `Audit data after ${years(Y)}, on disk`, (auditDocs * m.auditDoc.diskBytes) / GB, 'GB', `events (${n(auditDocs)}) × ${exact(m.auditDoc.diskBytes)} B on disk each`);
    const audIdx = put(`auditIndexGB${Y}y`, `Audit indexes after ${years(Y)}`, (auditDocs * m.auditDoc.indexBytes) / GB, 'GB', `events (${n(auditDocs)}) × ${exact(m.auditDoc.indexBytes)} B of indexes each`);
    put(`storageOnDiskGB${Y}y`, `Storage after ${years(Y)}, as measured`, actDisk + actIdx + audDisk + audIdx, 'GB', `activity data on disk (${n(actDisk)}) + its indexes (${n(actIdx)}) + audit data on disk (${n(audDisk)}) + its indexes (${n(audIdx)})`);
    storageUpperGB[Y] = put(`storageUpperGB${Y}y`, `Storage after ${years(Y)}, uncompressed (upper bound)`, actData + actIdx + audData + audIdx, 'GB', `activity data (${n(actData)}) + its indexes (${n(actIdx)}) + audit data (${n(audData)}) + its indexes (${n(audIdx)})`);
    const currentYearDocs = (I('activities') * m.activityDoc.bytes) / GB;
    workingSetGB[Y] = put(
      `workingSetGB${Y}y`,
      `Working set after ${years(Y)}`,
      currentYearDocs + actIdx + audIdx,
      'GB',
      `this year’s activity documents, uncompressed as the cache holds them (${n(currentYearDocs)}) + every index: activities (${n(actIdx)}) and audit events (${n(audIdx)}); older years’ documents and the audit events themselves are read rarely (a chain’s verification, an export)`,
    );
    dataRows.push(`| activities | ${Y} | ${n(actDocs)} | ${n(actData)} GB | ${n(actDisk)} GB | ${n(actIdx)} GB |`);
    dataRows.push(`| audit_events | ${Y} | ${n(auditDocs)} | ${n(audData)} GB | ${n(audDisk)} GB | ${n(audIdx)} GB |`);
  }
  atlasData.after = dataRows;

  // MongoDB Atlas: operations -------------------------------------------------------------------
  section(
    'MongoDB Atlas: operations',
    'Counted from what the code does per change (src/services/activities/projection.ts, src/services/audit/store.ts, src/api/idempotency.ts) and per notification (src/services/notifications/deliver.ts); the counts are inputs above, with their sources.',
  );
  const auditInsertsPerChange = put('auditInsertsPerChange', 'Audit inserts per change', y.auditEventsPerYear / y.changesPerYear, 'inserts', `audit events per activity-year (${n(y.auditEventsPerYear)}) ÷ changes (${n(y.changesPerYear)}); the creation’s event is spread over the changes`);
  const writesPerChange = put(
    'writesPerChange',
    'Document writes per change',
    auditInsertsPerChange + I('projectionWritesPerChange') + I('idempotencyWritesPerChange'),
    'writes',
    `audit inserts (${n(auditInsertsPerChange)}) + the projection’s update (${n(I('projectionWritesPerChange'))}) + the idempotency record (${n(I('idempotencyWritesPerChange'))})`,
  );
  const noticeWrites = put(
    'noticeWritesPerChange',
    'Notification writes per change, from change notices',
    (I('noticesPerActivityYear') * I('writesPerNotification')) / y.changesPerYear,
    'writes',
    `change notices per activity-year (${n(I('noticesPerActivityYear'))}) × writes per notification (${n(I('writesPerNotification'))}) ÷ changes (${n(y.changesPerYear)}): a notice is recorded and delivered right after the change that caused it`,
  );
  const reminderWrites = put(
    'reminderWritesPerActivityYear',
    'Reminder writes per activity-year',
    y.reminderPoints * I('writesPerNotification'),
    'writes',
    `reminder points (${n(y.reminderPoints)}) × writes per notification (${n(I('writesPerNotification'))}); every point counted as sent`,
  );
  const avgWrites = put(
    'avgWritesPerSecond',
    'Writes per second, average working hour',
    (changesPerYear * (writesPerChange + noticeWrites) + I('activities') * reminderWrites) / workingSeconds,
    'writes/s',
    `(changes a year (${n(changesPerYear)}) × (writes per change (${n(writesPerChange)}) + notice writes (${n(noticeWrites)})) + activities × reminder writes (${n(I('activities'))} × ${n(reminderWrites)})) ÷ working seconds a year (${n(workingSeconds)})`,
  );
  const peakWrites = put(
    'peakWritesPerSecond',
    'Writes per second in the busiest hour',
    peakChanges * (writesPerChange + noticeWrites),
    'writes/s',
    `changes per second at the peak (${n(peakChanges)}) × (writes per change (${n(writesPerChange)}) + notice writes (${n(noticeWrites)}))`,
  );
  put('peakReadsPerSecond', 'Reads per second in the busiest hour, from changes', peakChanges * I('readsPerChange'), 'reads/s', `changes per second at the peak (${n(peakChanges)}) × reads per change (${n(I('readsPerChange'))}); lists and pages come on top and are served from the cache when the working set fits`);
  const burstWrites = put(
    'reminderBurstWritesPerSecond',
    'Writes per second while the reminder burst is worked off',
    (I('temporalApsLimit') / y.actionsPerReminder) * I('writesPerNotification'),
    'writes/s',
    `reminders per second at the APS limit (${n(I('temporalApsLimit'))} ÷ ${n(y.actionsPerReminder)} actions each) × writes per notification (${n(I('writesPerNotification'))})`,
  );
  put('avgIops', 'Disk IOPS, average working hour', avgWrites * I('diskIosPerWrite'), 'IOPS', `writes per second (${n(avgWrites)}) × disk I/Os per write (${n(I('diskIosPerWrite'))})`);
  const peakIops = put('peakIops', 'Disk IOPS in the busiest hour', peakWrites * I('diskIosPerWrite'), 'IOPS', `writes per second (${n(peakWrites)}) × disk I/Os per write (${n(I('diskIosPerWrite'))})`);
  const burstIops = put('reminderBurstIops', 'Disk IOPS during the reminder burst', burstWrites * I('diskIosPerWrite'), 'IOPS', `writes per second (${n(burstWrites)}) × disk I/Os per write (${n(I('diskIosPerWrite'))})`);
  const neededIops = Math.max(peakIops, burstIops);
  const storeCores = put(
    'storeCoresAtPeak',
    'Store CPU at the peak',
    (peakChanges * m.completion.storeCpuMs) / 1000,
    'cores',
    `changes per second at the peak (${n(peakChanges)}) × the store’s CPU per change (${n(m.completion.storeCpuMs)} ms, measured on mongod) ÷ 1,000`,
  );

  // MongoDB Atlas: tier ---------------------------------------------------------------------------
  const tierSection = section(
    'MongoDB Atlas: tier',
    `A tier fits when Atlas recommends it for production, its WiredTiger cache (half of RAM − 1 GB) holds the working set at ${pct(inputs.wiredTigerCacheFill.value)} fill, its IOPS cover the larger of the peak’s and the reminder burst’s (${n(neededIops)}), its largest disk holds the uncompressed data, and its vCPUs at ${pct(inputs.cpuTargetUtilisation.value)} cover the store’s CPU at the peak.`,
  );
  const tiers: TierVerdict[] = [];
  const suggestedTier: Record<number, AtlasTier | undefined> = {};
  const tierRows = ['| Years | Tier | RAM | Cache | Working set | IOPS | Largest disk | Production | Cache ok | IOPS ok | Disk ok | CPU ok | Fits |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  const yes = (b: boolean) => (b ? 'yes' : '**no**');
  for (const Y of horizons) {
    for (const tier of inputs.atlasTiers.value) {
      const cacheGB = cacheOf(tier);
      const checks = {
        production: tier.production,
        cache: workingSetGB[Y]! <= cacheGB * I('wiredTigerCacheFill'),
        iops: neededIops <= tier.iops,
        storage: storageUpperGB[Y]! <= tier.maxStorageGB,
        cpu: storeCores <= tier.vcpus * I('cpuTargetUtilisation'),
      };
      const fits = Object.values(checks).every(Boolean);
      tiers.push({ years: Y, tier, cacheGB, checks, fits });
      if (fits && !suggestedTier[Y]) suggestedTier[Y] = tier;
      tierRows.push(
        `| ${Y} | ${tier.name} | ${tier.ramGB} GB | ${n(cacheGB)} GB | ${n(workingSetGB[Y]!)} GB | ${n(tier.iops)} | ${n(tier.maxStorageGB)} GB | ${yes(checks.production)} | ${yes(checks.cache)} | ${yes(checks.iops)} | ${yes(checks.storage)} | ${yes(checks.cpu)} | ${fits ? '**yes**' : 'no'} |`,
      );
    }
    suggestedTier[Y] ??= undefined;
  }
  for (const Y of horizons) {
    const t = suggestedTier[Y];
    const cacheNeed = workingSetGB[Y]! / I('wiredTigerCacheFill');
    put(`cacheNeededGB${Y}y`, `WiredTiger cache needed after ${years(Y)}`, cacheNeed, 'GB', `working set (${n(workingSetGB[Y]!)} GB) ÷ fill (${n(I('wiredTigerCacheFill'))})`);
    tierSection.after ??= [];
    tierSection.after.push(
      t
        ? `- **After ${years(Y)}: ${t.name}** (${t.ramGB} GB RAM, cache ${n(cacheOf(t))} GB for a ${n(cacheNeed)} GB need; ${n(t.iops)} IOPS for ${n(neededIops)}; ${n(t.maxStorageGB)} GB disk for ${n(storageUpperGB[Y]!)} GB uncompressed)${cacheNeed > 0.9 * cacheOf(t) ? '. Its cache is nearly full: the next tier up once the documents grow past the bench’s' : ''}.`
        : `- **After ${years(Y)}: no tier in the list fits** — see the table for which check fails.`,
    );
  }
  tierSection.after!.push('', ...tierRows);

  // CPU ----------------------------------------------------------------------------------------
  section(
    'Our processes: CPU at the peak',
    `From the CPU each process used per change in the bench’s most loaded completion run (${m.completion.row}), sized to run at ${pct(I('cpuTargetUtilisation'))}. Run at least two of each for availability. The reminder burst’s CPU is not measured.`,
  );
  const cores = (key: string, label: string, ms: number, what: string) =>
    put(key, label, (peakChanges * ms) / 1000 / I('cpuTargetUtilisation'), 'cores', `changes per second at the peak (${n(peakChanges)}) × ${what} CPU per change (${n(ms)} ms) ÷ 1,000 ÷ utilisation (${n(I('cpuTargetUtilisation'))})`);
  cores('apiCores', 'API cores', m.completion.apiCpuMs, 'the API’s');
  cores('workerCores', 'Worker cores', m.completion.workerCpuMs, 'the worker’s');
  cores('temporalCores', 'Temporal server cores, were it self-hosted', m.completion.temporalCpuMs, 'the Temporal dev server’s');

  // Plan load ---------------------------------------------------------------------------------
  section('The year’s plans', 'Loading next year’s plans starts every activity workflow and appends its creation to its organisation’s audit chain.');
  const projectedRate = put('planLoadRate', 'Workflows loaded and projected per second, measured', m.planLoad.workflows / m.planLoad.projectedSeconds, 'workflows/s', `workflows (${n(m.planLoad.workflows)}) ÷ seconds until all were projected (${n(m.planLoad.projectedSeconds)}), one worker on the bench machine`);
  put('countryPlanLoadHours', 'The country’s plans at that rate', I('activities') / projectedRate / 3600, 'h', `activities (${n(I('activities'))}) ÷ ${n(projectedRate)}/s ÷ 3,600; more workers shorten it`);

  // First bottleneck --------------------------------------------------------------------------
  const bottleneckSection = section(
    'The first bottleneck',
    'Each candidate’s headroom is its limit over its need; the smallest comes first. Below 1× it is already too small.',
  );
  const hotActivities = put('hotOrganisationActivities', 'Activities of the largest organisation', I('activities') * I('largestOrganisationShare'), 'activities', `activities (${n(I('activities'))}) × its share (${n(I('largestOrganisationShare'))})`);
  const hotPeak = put('hotOrganisationPeakChangesPerSecond', 'Its changes per second in the busiest hour', peakChanges * I('largestOrganisationShare'), 'changes/s', `the country’s peak (${n(peakChanges)}) × its share (${n(I('largestOrganisationShare'))})`);
  const chainRate = put(
    'chainChangesPerSecond',
    'One organisation’s audit chain, measured',
    Math.min(m.sameActivity.perSecond, m.completion.perSecond),
    'changes/s',
    `the lower of ${m.sameActivity.row} (${n(m.sameActivity.perSecond)}/s) and ${m.completion.row} (${n(m.completion.perSecond)}/s): both ran in one organisation, so every change appended to one chain. It is the whole stack’s rate on the bench machine, so a lower bound for the chain alone`,
  );
  put('hotOrganisationPlanLoadMinutes', 'Its plan load at the measured plan-load rate', hotActivities / projectedRate / 60, 'min', `its activities (${n(hotActivities)}) ÷ ${n(projectedRate)}/s ÷ 60: one chain takes every creation`);
  const rollUpPerActivity = m.rollUp.p50Ms / m.rollUp.activities;
  const rollUpLinear = put(
    'rollUpSeconds',
    'City roll-up over the whole deployment, linear',
    (rollUpPerActivity * I('activities')) / 1000,
    's',
    `measured p50 (${n(m.rollUp.p50Ms)} ms for ${n(m.rollUp.activities)} activities in ${n(m.rollUp.organisations)} organisations) scaled linearly in activities to ${n(I('activities'))} (× ${n(I('activities') / m.rollUp.activities)}); a city-wide reader’s roll-up reads every organisation it can read (src/api/routes/reviews.ts)`,
  );
  put(
    'rollUpSecondsOrgTimesActivities',
    'The same, scaled by organisations × activities',
    ((m.rollUp.p50Ms / (m.rollUp.organisations * m.rollUp.activities)) * I('organisations') * I('activities')) / 1000,
    's',
    `measured p50 × (${n(I('organisations'))} × ${n(I('activities'))}) ÷ (${n(m.rollUp.organisations)} × ${n(m.rollUp.activities)}): src/services/reviews/city-summary.ts filters every activity once per organisation, which is this shape once it dominates`,
  );
  put(
    'rollUpSecondsLargestOrganisation',
    'Roll-up of the largest organisation alone, linear',
    (rollUpPerActivity * hotActivities) / 1000,
    's',
    `measured p50 per activity (${n(rollUpPerActivity)} ms) × its activities (${n(hotActivities)})`,
  );
  const bottlenecks: Bottleneck[] = [
    {
      name: 'The review roll-up (GET /api/v1/reviews/city)',
      need: `${n(rollUpLinear)} s`,
      limit: `${n(I('rollUpAcceptableSeconds'))} s`,
      headroom: I('rollUpAcceptableSeconds') / rollUpLinear,
      how: 'acceptable time ÷ the linear projection; one query reads every activity of the year, and one process sorts and groups them',
    },
    {
      name: `The reminder burst at ${AT} on 1 December`,
      need: `${n(burstMinutes)} min`,
      limit: `${n(I('reminderAcceptableMinutes'))} min`,
      headroom: I('reminderAcceptableMinutes') / burstMinutes,
      how: `acceptable delay ÷ the time to work off the burst at the namespace’s APS limit; our workers and the mail relay must keep that pace too (${n(I('temporalApsLimit') / y.actionsPerReminder)} reminders, emails and ${n((I('temporalApsLimit') / y.actionsPerReminder) * I('writesPerNotification'))} store writes a second)`,
    },
    {
      name: 'A hot organisation’s audit chain',
      need: `${n(hotPeak)} changes/s`,
      limit: `${n(chainRate)} changes/s`,
      headroom: chainRate / hotPeak,
      how: 'one chain’s measured changes per second ÷ the largest organisation’s changes per second at the peak',
    },
    {
      name: 'Temporal Cloud’s APS limit in the busiest hour',
      need: `${n(peakAps)} actions/s`,
      limit: `${n(I('temporalApsLimit'))} actions/s`,
      headroom: I('temporalApsLimit') / peakAps,
      how: 'the namespace’s APS limit ÷ actions per second at the peak',
    },
  ].sort((a, b) => a.headroom - b.headroom);
  bottleneckSection.after = [
    '| Rank | Candidate | Need | Limit | Headroom | How |',
    '| --- | --- | --- | --- | --- | --- |',
    ...bottlenecks.map((b, i) => `| ${i + 1} | ${b.name} | ${b.need} | ${b.limit} | ${n(b.headroom)}× | ${b.how} |`),
  ];

  // Warnings ----------------------------------------------------------------------------------
  const warnings: string[] = [];
  if (!m.run.complete) warnings.push('The run is not marked complete: it stopped before its last section.');
  for (const [row, errors] of [[m.completion.row, m.completion.errors], [m.sameActivity.row, m.sameActivity.errors], [m.rollUp.row, m.rollUp.errors]] as const) {
    if (errors > 0) warnings.push(`${row}: ${errors} operation(s) failed during the measurement.`);
  }
  if (y.reminderPoints !== schedule.length) warnings.push(`The bench counted ${y.reminderPoints} reminder points; DEFAULT_REMINDER_POLICY gives ${schedule.length} for a 31 December due date.`);
  if (y.auditEventsPerYear !== y.changesPerYear + 1) warnings.push(`The year of ${y.changesPerYear} changes left ${y.auditEventsPerYear} audit events, not one per change plus the creation.`);
  if (m.completion.changes < 200) warnings.push(`CPU per change comes from ${m.completion.changes} changes, measured as whole 10 ms clock ticks per process: about ±${n(10 / m.completion.changes)} ms per change.`);
  const diskRatio = (d: { bytes: number; diskBytes: number }) => d.bytes / d.diskBytes;
  if (diskRatio(m.activityDoc) > 4 || diskRatio(m.auditDoc) > 4) {
    warnings.push(
      `On-disk bytes are ${n(diskRatio(m.activityDoc))}× (activities) and ${n(diskRatio(m.auditDoc))}× (audit events) smaller than the documents. WiredTiger’s storageSize read right after the writes, before a checkpoint, can miss recent pages, and the bench’s documents repeat one another; the tier is therefore sized on the uncompressed bytes. The index sizes come from the same statistics and may be low for the same reason, and they decide the working set: a larger index per document moves the tier up.`,
    );
  }

  return {
    measured: m,
    inputs,
    sections,
    tiers,
    suggestedTier,
    bottlenecks,
    warnings,
    get(key: string): number {
      const f = all.get(key);
      if (!f) throw new Error(`capacity: no figure ${key}`);
      return f.value;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The document

/** Bench sizes a full run uses (bench/sizes.ts), to say which of this run's were reduced. */
export type SizeDefaults = Record<string, unknown>;

export function renderCapacity(c: Capacity, source: { file: string; defaults?: SizeDefaults }): string {
  const m = c.measured;
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const mc = m.run.machine ?? {};
  const sizes = Object.entries(m.run.sizes)
    .map(([k, v]) => {
      const d = source.defaults?.[k];
      const reduced = d !== undefined && JSON.stringify(d) !== JSON.stringify(v);
      return `${k} ${fmtSize(v)}${reduced ? ` (full run: ${fmtSize(d)})` : ''}`;
    })
    .join('; ');
  const reduced = source.defaults && Object.entries(m.run.sizes).some(([k, v]) => source.defaults![k] !== undefined && JSON.stringify(source.defaults![k]) !== JSON.stringify(v));

  push(
    '> Generated by `npm run capacity` (scripts/capacity.ts) from the bench’s JSON. Do not edit it by hand: change the inputs in scripts/capacity-model.ts, or run the bench (`make bench`) and then `npm run capacity`.',
    '',
    '# Capacity: the country on paper',
    '',
    `What ${n(c.inputs.municipalities.value)} municipalities with about ${n(c.inputs.activities.value)} activities need on Temporal Cloud and MongoDB Atlas, and where the first bottleneck is, computed from one bench run.`,
    '',
    '## The run it is computed from',
    '',
    `- File: \`${source.file}\`${m.run.complete ? '' : ' (**not complete**)'}`,
    `- Measured at: ${m.run.at}`,
    `- Machine: ${mc.cpus ?? '?'} CPUs (${mc.cpuModel ?? '?'}), ${mc.memoryGiB ?? '?'} GiB RAM, Node ${mc.node ?? '?'}; Temporal’s dev server, mongod, the worker and the API all on it`,
    `- Sizes: ${sizes || 'not recorded'}`,
  );
  if (reduced) push('- **A reduced run**: the figures come from fewer operations than a full run, so they are rougher; run `make bench` with the full sizes before relying on them.');
  push('');

  push('## Summary', '');
  const sum = (key: string, unit?: string) => `${n(c.get(key))}${unit ? ` ${unit}` : ''}`;
  const horizons = c.inputs.yearsOfData.value;
  push(
    `- **Temporal Cloud:** ${sum('actionsPerMonth')} actions a month on average (${sum('actionsPerActivityYear')} per activity-year), ${sum('actionsDecember')} in December; ${sum('peakActionsPerSecond', 'actions/s')} in the busiest hour against a ${n(c.inputs.temporalApsLimit.value)} APS limit, but ${sum('reminderBurstActions')} actions fall due at once on 1 December. Active storage at most ${sum('activeStorageGB', 'GB')} (${sum('activeStorageGBhPerMonth', 'GBh')} a month).`,
    `- **MongoDB Atlas:** ${horizons.map((Y) => `after ${years(Y)} ${sum(`storageUpperGB${Y}y`, 'GB')} uncompressed (${sum(`storageOnDiskGB${Y}y`, 'GB')} as measured on disk), working set ${sum(`workingSetGB${Y}y`, 'GB')}, tier **${c.suggestedTier[Y]?.name ?? 'none in the list'}**`).join('; ')}. Writes: ${sum('avgWritesPerSecond', '/s')} on average, ${sum('peakWritesPerSecond', '/s')} in the busiest hour, ${sum('reminderBurstWritesPerSecond', '/s')} during the reminder burst (${sum('reminderBurstIops', 'IOPS')}).`,
    `- **Our processes at the peak:** API ${sum('apiCores', 'cores')}, workers ${sum('workerCores', 'cores')} (run at least two of each).`,
    `- **First bottleneck:** ${c.bottlenecks[0]!.name}, headroom ${n(c.bottlenecks[0]!.headroom)}× (${c.bottlenecks[0]!.need} needed, ${c.bottlenecks[0]!.limit} allowed). Then: ${c.bottlenecks
      .slice(1)
      .map((b) => `${b.name} ${n(b.headroom)}×`)
      .join('; ')}.`,
    '',
  );

  push('## Inputs', '', 'Stated, not measured; each with its source. They are the object `INPUTS` in scripts/capacity-model.ts.', '', '| Input | Value | Source |', '| --- | --- | --- |');
  for (const input of Object.values(c.inputs) as Input<unknown>[]) {
    const value = Array.isArray(input.value)
      ? input.value.map((v) => (typeof v === 'object' && v !== null ? tierText(v as AtlasTier) : String(v))).join('; ')
      : `${n(input.value as number)}${input.unit ? ` ${input.unit}` : ''}`;
    push(`| ${input.label} | ${value} | ${input.source} |`);
  }
  push('');

  push('## Measured', '', `Read from the bench’s JSON rows (section / name: metric).`, '', '| Row | Figure | Value |', '| --- | --- | --- |');
  const meas = (row: string, figure: string, v: number) => push(`| ${row} | ${figure} | ${exact(v)} |`);
  const yr = `footprint / ${YEAR_ROW}`;
  for (const [k, v] of Object.entries(m.year)) meas(yr, k, v);
  for (const [row, d] of [[`footprint / ${ACTIVITY_DOC_ROW}`, m.activityDoc], [`footprint / ${AUDIT_DOC_ROW}`, m.auditDoc]] as const) {
    meas(row, 'documents', d.documents);
    meas(row, 'bytesPerDocument', d.bytes);
    meas(row, 'diskBytesPerDocument', d.diskBytes);
    meas(row, 'indexBytesPerDocument', d.indexBytes);
  }
  meas(m.completion.row, 'figures.perSecond', m.completion.perSecond);
  meas(m.completion.row, 'changes', m.completion.changes);
  meas(m.completion.row, 'apiCpuMsPerChange', m.completion.apiCpuMs);
  meas(m.completion.row, 'workerCpuMsPerChange', m.completion.workerCpuMs);
  meas(m.completion.row, 'temporalCpuMsPerChange', m.completion.temporalCpuMs);
  meas(m.completion.row, 'storeCpuMsPerChange', m.completion.storeCpuMs);
  meas(m.sameActivity.row, 'figures.perSecond', m.sameActivity.perSecond);
  meas(m.planLoad.row, 'workflows', m.planLoad.workflows);
  meas(m.planLoad.row, 'loadedSeconds', m.planLoad.loadedSeconds);
  meas(m.planLoad.row, 'projectedSeconds', m.planLoad.projectedSeconds);
  meas(m.rollUp.row, 'figures.p50 (ms)', m.rollUp.p50Ms);
  meas(m.rollUp.row, 'organisations', m.rollUp.organisations);
  meas(m.rollUp.row, 'activities', m.rollUp.activities);
  push('');

  for (const s of c.sections) {
    push(`## ${s.title}`, '');
    if (s.intro) push(s.intro, '');
    push('| Figure | Value | How it is computed |', '| --- | --- | --- |');
    for (const f of s.figures) push(`| ${f.label} | ${n(f.value, f.unit)} | ${f.how} |`);
    push('');
    if (s.after) push(...s.after, '');
  }

  push('## Checks on the run, and what it does not measure', '');
  for (const w of c.warnings) push(`- ${w}`);
  push(
    '- The history of one activity’s year is made through the API within seconds: the reminders’ timers and activities, and the delivery workflows they start, add events, bytes and CPU that the bench does not measure (their actions are added from the schedule).',
    '- Billable events are counted from the history (bench/footprint.ts); patch markers are counted as actions too, which overstates a little. Queries (on creating an activity and on uploading a file) are billed too and are not counted.',
    '- Not in the sums: the year’s review workflows (one per organisation), weekly digests, notifications’ documents, idempotency records (kept a day), sessions and uploaded files stored in the database; the roll-up’s and the lists’ reads beyond the changes’ own.',
    '- Everything ran on one machine with Temporal’s dev server and a standalone mongod; Temporal Cloud and a three-node Atlas replica set add network round trips (latency), not CPU on our side.',
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Three significant digits, thousands grouped; whole numbers below 1,000 as they are. */
export function n(v: number, unit?: string): string {
  if (unit === '%') return pct(v);
  const text = (() => {
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return '0';
    const abs = Math.abs(v);
    if (Number.isInteger(v) && abs < 1e6) return v.toLocaleString('en-US');
    const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
    const rounded = Number(v.toPrecision(3));
    return rounded.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  })();
  return unit ? `${text} ${unit}` : text;
}

/** Four significant digits: for measured figures. */
export function exact(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return n(v);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(v))));
  return Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

function years(y: number): string {
  return y === 1 ? '1 year' : `${y} years`;
}

function pct(v: number): string {
  return `${n(v * 100)} %`;
}

function fmtSize(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

function tierText(t: AtlasTier): string {
  return `${t.name}: ${t.ramGB} GB RAM, ${t.vcpus} vCPU, ${n(t.iops)} IOPS, up to ${n(t.maxStorageGB)} GB${t.production ? '' : ', not for production load'}`;
}

/** The month of an instant in Swedish local time. */
function localMonth(iso: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', month: 'numeric' }).format(new Date(iso)));
}
