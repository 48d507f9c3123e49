import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/platform/project-root';
import { eventually } from '../support/eventually';
import { cliEnv, runCli } from '../support/cli';
import { startTestStack, type TestStack } from '../support/stack';
import { yearEnd } from '../../src/domain/deadlines';
import { readPlanFile } from '../../src/services/plans/read-plan-file';

const root = projectRoot();

/** What each seed plan holds, counted from its file: the expectations follow the data. */
const seedPlans = ['fastighetskontoret', 'sodermalm'].map((id) => {
  const plan = readPlanFile(path.join(root, 'plans', `${id}.yaml`));
  const perYear: Record<number, number> = {};
  for (const a of plan.activities) perYear[a.year] = (perYear[a.year] ?? 0) + 1;
  return { id, name: plan.organisation.name, total: plan.activities.length, perYear };
});
const allActivities = seedPlans.reduce((n, p) => n + p.total, 0);
const perYearLine = (p: (typeof seedPlans)[number]) => `  per år: ${Object.entries(p.perYear).map(([y, n]) => `${y}: ${n}`).join(', ')}`;


/** The `lisplan` command against the real servers, with a worker serving its task queue. */
describe('lisplan plan load and seed demo', () => {
  let stack: TestStack;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startTestStack();
    env = cliEnv(stack);
  });
  afterAll(() => stack?.close());

  it('loads both seed organisations with demo users, and the read model shows their plans per year', async () => {
    const first = await runCli(['seed', 'demo'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const p of seedPlans) {
      expect(first.stdout).toContain(`${p.name} (${p.id}): ${p.total} aktiviteter, ${p.total} startade, 0 fanns redan\n${perYearLine(p)}`);
    }
    expect(first.stdout).toContain('Demoanvändare: 21');

    const counts = await eventually(async () => {
      const docs = await stack.models.activities.find({}, { orgId: 1, planYear: 1 }).lean();
      if (docs.length < allActivities) return undefined;
      const byOrgYear: Record<string, number> = {};
      for (const d of docs) byOrgYear[`${d.orgId} ${d.planYear}`] = (byOrgYear[`${d.orgId} ${d.planYear}`] ?? 0) + 1;
      return byOrgYear;
    }, `all ${allActivities} activities projected`, 180_000);
    expect(counts).toEqual(
      Object.fromEntries(seedPlans.flatMap((p) => Object.entries(p.perYear).map(([year, n]) => [`${p.id} ${year}`, n]))),
    );

    const nis2 = await stack.models.activities.findOne({ orgId: 'sodermalm', template: 'nis2', planYear: 2026 }).lean();
    // The plan file gives it no due date: the end of its plan year.
    expect(nis2).toMatchObject({ status: 'planned', dueDate: yearEnd(2026), openTaskCount: 15 });
    const kpis = await stack.models.kpiValues.find({ orgId: 'sodermalm', seriesId: 'certifierade-medarbetare' }).sort({ year: 1 }).lean();
    expect(kpis.map((k) => [k.year, k.value])).toEqual([[2022, 367], [2023, 900], [2024, 881], [2025, 773]]);
    const classifications = await stack.models.kpiValues.find({ orgId: 'sodermalm', seriesId: 'informationsklassningar' }).sort({ year: 1 }).lean();
    expect(classifications.map((k) => k.value)).toEqual([74, 98]);
    expect(await stack.models.kpiValues.findOne({ orgId: 'fastighetskontoret', seriesId: 'incidenter', year: 2025 }).lean()).toMatchObject({ value: 2 });
    expect(await stack.models.kpiValues.findOne({ orgId: 'sodermalm', seriesId: 'incidenter', year: 2025 }).lean()).toMatchObject({ value: 13 });
    const heads = await stack.models.users.find({ 'memberships.roles': 'head-of-administration' }).lean();
    expect(heads.map((u) => u.memberships[0]!.orgId).sort()).toEqual(['fastighetskontoret', 'sodermalm']);
    const organisation = await stack.models.organisations.findById('fastighetskontoret').lean();
    expect(organisation!.goals[1]!.expectedResults).toHaveLength(3);

    // The review registers' seed facts (issue 16's 9.3.2 c–f) come with the plans.
    const registerRows = await stack.models.registerRows.find({}, { orgId: 1, kind: 1 }).lean();
    expect(new Set(registerRows.map((r) => r.orgId))).toEqual(new Set(['fastighetskontoret', 'sodermalm']));

    // Loading the same plans again creates nothing.
    const again = await runCli(['plan', 'load', 'plans/fastighetskontoret.yaml', 'plans/sodermalm.yaml'], env);
    expect(again.code).toBe(0);
    for (const p of seedPlans) {
      expect(again.stdout).toContain(`${p.name} (${p.id}): ${p.total} aktiviteter, 0 startade, ${p.total} fanns redan`);
      expect(await stack.models.activities.countDocuments({ orgId: p.id })).toBe(p.total);
    }
    expect(await stack.models.registerRows.countDocuments()).toBe(registerRows.length);
  }, 300_000);

  it('refuses a bad plan with one line naming the problem, and starts nothing', async () => {
    const dir = process.env.LISPLAN_TEST_DIR!;
    const bad = path.join(dir, 'bad-plan.yaml');
    fs.writeFileSync(bad, fs.readFileSync(path.join(root, 'plans/fastighetskontoret.yaml'), 'utf8').replace('organisation:\n  id: fastighetskontoret', 'organisation:\n  id: trasig-plan').replace(/area: riskanalys/, 'area: finns-inte'));
    const before = await stack.models.activities.countDocuments();

    for (const [args, message] of [
      [['plan', 'load', bad], /^lisplan: .*bad-plan\.yaml: activities\.\d+\.area: unknown area finns-inte\n$/],
      [['plan', 'load', path.join(dir, 'saknas.yaml')], /^lisplan: .*saknas\.yaml: cannot read \(ENOENT\)\n$/],
    ] as const) {
      const result = await runCli([...args], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    const noServer = await runCli(['plan', 'load', 'plans/sodermalm.yaml'], { ...env, MONGODB_URI: 'mongodb://127.0.0.1:1/' });
    expect(noServer.code).toBe(1);
    expect(noServer.stderr).toMatch(/^lisplan: cannot reach the store at mongodb:\/\/127\.0\.0\.1:1\/ \(MONGODB_URI\): .*\n$/);
    expect(await stack.models.activities.countDocuments()).toBe(before);
    expect(await stack.models.organisations.countDocuments({ _id: 'trasig-plan' })).toBe(0);
  });
});
