import { randomUUID } from 'node:crypto';
import { chainState } from '../audit/chain-check';
import { isDuplicateKeyOn } from '../../store/errors';
import type { Models } from '../../store/models';
import { delegationInForceKey } from '../../store/models/delegation';
import { membershipsOf } from '../../store/models/user';
import { delegationRuleIssues } from '../../domain/delegation';
import type { RoleName } from '../../domain/roles';
import { ADMIN, canRead, COORDINATOR, forbidden, orgOfActivity, requireRead, requireRole, rolesIn } from './access';
import type { Principal } from '../../domain/principal';
import { Problem } from '../problem';
import { refuseRemovingOneself, removeMember } from './removal';
import { checkKpiValue, inferKpiKind, OUTLIER_SHARE, type KpiIssue, type KpiKind } from '../../domain/kpi';

/**
 * An organisation's figures, delegations and members, with the rights checked here: the API
 * routes and the web UI both call these.
 */

export interface KpiSeriesView {
  id: string;
  name: string;
  unit?: string;
  kind: KpiKind;
  values: { year: number; value: number; source?: string; partial?: boolean }[];
}

export async function listKpis(models: Models, principal: Principal, orgId: string): Promise<KpiSeriesView[]> {
  requireRead(principal, orgId);
  const values = await models.kpiValues.find({ orgId }).sort({ seriesId: 1, year: 1 }).lean();
  const series = new Map<string, KpiSeriesView>();
  for (const v of values) {
    const s = series.get(v.seriesId) ?? { id: v.seriesId, name: v.name, ...(v.unit ? { unit: v.unit } : {}), kind: v.kind ?? inferKpiKind(v.name, v.unit), values: [] };
    s.values.push({ year: v.year, value: v.value, ...(v.source ? { source: v.source } : {}), ...(v.partial ? { partial: true } : {}) });
    series.set(v.seriesId, s);
  }
  return [...series.values()];
}

/**
 * A key figure's value refused by its kind (400, naming body.value) or held back as an outlier
 * until confirmed (422, naming body.confirmOutlier). `issue` lets the web UI say it in the
 * reader's language.
 */
export class KpiRefused extends Problem {
  constructor(
    readonly figure: { name: string; year: number; value: number; kind: KpiKind },
    readonly issue: KpiIssue,
    /** Where the figure sits in the request: `body`, or `body.kpis.3` for one of an import's. */
    at = 'body',
  ) {
    const outlier = issue.rule === 'outlier';
    // The detail is Swedish, as every API detail; the field's message English, as every field message.
    super(outlier ? 422 : 400, outlier ? 'kpi-outlier' : 'validation', outlier ? 'Värdet behöver bekräftas' : 'Ogiltig begäran', kpiIssueDetail(figure, issue), {
      errors: [{ field: outlier ? `${at}.confirmOutlier` : `${at}.value`, message: kpiIssueText(figure, issue) }],
    });
  }
}

const svNumber = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 6, useGrouping: false });

function kpiIssueDetail(f: KpiRefused['figure'], issue: KpiIssue): string {
  const v = svNumber.format(f.value);
  switch (issue.rule) {
    case 'whole-number':
      return `"${f.name}" är ett antal: ${v} är inte ett heltal.`;
    case 'not-negative':
      return `"${f.name}" kan inte vara negativt.`;
    case 'percent-range':
      return `"${f.name}" är en andel i procent: ${v} är över 100.`;
    case 'outlier':
      return `${v} för ${f.year} avviker ${svNumber.format(Math.round(issue.change * 100))} % från ${svNumber.format(issue.previous)} år ${issue.previousYear}, mer än ±${OUTLIER_SHARE * 100} %: skicka confirmOutlier: true för att spara det.`;
  }
}

function kpiIssueText(f: KpiRefused['figure'], issue: KpiIssue): string {
  switch (issue.rule) {
    case 'whole-number':
      return `"${f.name}" is a count: ${f.value} is not a whole number.`;
    case 'not-negative':
      return `"${f.name}" cannot be negative.`;
    case 'percent-range':
      return `"${f.name}" is a percentage: ${f.value} is above 100.`;
    case 'outlier':
      return `${f.value} for ${f.year} moves ${Math.round(issue.change * 100)} % from ${issue.previous} in ${issue.previousYear}, more than ±${OUTLIER_SHARE * 100} %: send confirmOutlier: true to save it.`;
  }
}

/**
 * Saves one year's value of a key figure. The value must suit the figure's kind; one that
 * moves more than ±50 % from the previous year is saved only with `confirmOutlier`. Saving
 * the value already stored asks nothing again.
 */
export async function setKpiValue(
  models: Models,
  principal: Principal,
  input: { orgId: string; seriesId: string; year: number; value: number; name?: string; unit?: string; kind?: KpiKind; source?: string; confirmOutlier?: boolean },
): Promise<{ name: string; unit?: string; kind: KpiKind }> {
  requireRole(principal, input.orgId, [COORDINATOR], 'samordnare');
  if (!(await models.organisations.exists({ _id: input.orgId }))) throw Problem.notFound(`Organisationen ${input.orgId} finns inte.`);
  const history = await models.kpiValues.find({ orgId: input.orgId, seriesId: input.seriesId }).sort({ year: 1 }).lean();
  const existing = history[0];
  const name = input.name ?? existing?.name;
  if (!name) throw Problem.badRequest([{ field: 'body.name', message: 'is required for a new series' }]);
  const unit = input.unit ?? existing?.unit;
  const { kind, issue } = checkKpiValue(history, { name, ...(unit ? { unit } : {}), ...(input.kind ? { kind: input.kind } : {}), year: input.year, value: input.value }, input.confirmOutlier);
  if (issue) throw new KpiRefused({ name, year: input.year, value: input.value, kind }, issue);
  await models.kpiValues.updateOne(
    { _id: `${input.orgId}:${input.seriesId}:${input.year}` },
    { $set: { orgId: input.orgId, seriesId: input.seriesId, year: input.year, value: input.value, name, kind, ...(unit ? { unit } : {}), ...(input.source ? { source: input.source } : {}), updatedAt: new Date() } },
    { upsert: true },
  );
  // A kind named anew is the whole series' kind, so its years are read alike.
  if (input.kind) await models.kpiValues.updateMany({ orgId: input.orgId, seriesId: input.seriesId, kind: { $ne: kind } }, { $set: { kind } });
  return { name, ...(unit ? { unit } : {}), kind };
}

/** An activity's audit events and how far its organisation's chain is verified (the newest events verified now). */
export async function activityAudit(models: Models, principal: Principal, activityId: string) {
  const orgId = orgOfActivity(activityId);
  requireRead(principal, orgId);
  const events = await models.auditEvents.find({ activityId }).sort({ seq: 1 }).select({ _id: 0, eventKey: 0, orgId: 0 }).lean();
  return { events, verification: await chainState(models, orgId) };
}

export interface DelegationView {
  id: string;
  orgId: string;
  from: { userId: string; name: string };
  to: { userId: string; name: string };
  role: string;
  validFrom: string;
  validTo: string;
  ended: boolean;
}

export async function listDelegations(models: Models, principal: Principal, orgId: string): Promise<DelegationView[]> {
  requireRead(principal, orgId);
  return (await models.delegations.find({ orgId }).sort({ validFrom: 1 }).lean()).map(delegationView);
}

export async function createDelegation(
  models: Models,
  principal: Principal,
  orgId: string,
  input: { fromUserId: string; toUserId: string; role: RoleName; validFrom: string; validTo: string },
): Promise<DelegationView> {
  requireRead(principal, orgId);
  // A person delegates their own role; an administrator may record it for them.
  const self = input.fromUserId === principal.userId && rolesIn(principal, orgId).includes(input.role);
  if (!self && !rolesIn(principal, orgId).includes(ADMIN)) throw forbidden('Du kan bara delegera en roll du själv har.');
  // The route has checked these already; the web UI and any other caller come through here too.
  const issues = delegationRuleIssues(input);
  if (issues.length) throw Problem.badRequest(issues.map((i) => ({ field: `body.${i.field}`, message: i.message })));
  const [from, to] = await Promise.all([member(models, orgId, input.fromUserId, 'body.fromUserId'), member(models, orgId, input.toUserId, 'body.toUserId')]);
  if (!from.roles.includes(input.role)) throw Problem.badRequest([{ field: 'body.role', message: `${from.name} does not hold ${input.role}` }]);
  // A second copy of a delegation in force adds no right, only a row that makes the list harder
  // to read and one more to end when the stand-in stops. Two requests that make the same one at
  // once collide on the unique `inForce` key; the query finds copies made before that key existed.
  const same = () =>
    models.delegations
      .findOne({ orgId, 'to.userId': to.userId, 'from.userId': from.userId, role: input.role, validFrom: input.validFrom, validTo: input.validTo, endedAt: { $exists: false } })
      .lean();
  for (let attempt = 1; ; attempt++) {
    const existing = await same();
    if (existing) throw Problem.badRequest([{ field: 'body', message: `the same delegation already exists (${existing._id})` }]);
    const doc = { _id: `delegering-${randomUUID().slice(0, 8)}`, orgId, from: { userId: from.userId, name: from.name }, to: { userId: to.userId, name: to.name }, role: input.role, validFrom: input.validFrom, validTo: input.validTo, createdBy: principal.userId, createdAt: new Date() };
    try {
      await models.delegations.create({ ...doc, inForce: delegationInForceKey(doc) });
      return delegationView(doc);
    } catch (err) {
      // Made by another request meanwhile: the query names it (unless it was ended since, and then this one may be made).
      if (!isDuplicateKeyOn(err, 'inForce') || attempt >= 3) throw err;
    }
  }
}

export async function endDelegation(models: Models, principal: Principal, orgId: string, delegationId: string): Promise<DelegationView> {
  requireRead(principal, orgId);
  const d = await models.delegations.findOne({ _id: delegationId, orgId }).lean();
  if (!d) throw Problem.notFound('Ingen sådan delegation.');
  if (d.from.userId !== principal.userId && !rolesIn(principal, orgId).includes(ADMIN)) throw forbidden('Bara den som delegerat eller en administratör kan avsluta delegationen.');
  // Ended, it is no longer in force: the same delegation may be made again.
  await models.delegations.updateOne({ _id: d._id, endedAt: { $exists: false } }, { $set: { endedAt: new Date() }, $unset: { inForce: '' } });
  return delegationView({ ...d, endedAt: d.endedAt ?? new Date() });
}

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  roles: string[];
}

export async function listMembers(models: Models, principal: Principal, orgId: string): Promise<MemberView[]> {
  requireRole(principal, orgId, [ADMIN, COORDINATOR], 'administratörer och samordnare');
  const users = await models.users.find({ 'memberships.orgId': orgId }).sort({ name: 1 }).lean();
  return users.map((u) => ({ userId: u._id, name: u.name, email: u.email, roles: membershipsOf(u).find((m) => m.orgId === orgId)?.roles ?? [] }));
}

/**
 * Sets a person's roles in the organisation; a new person is created. No roles is the person's
 * removal from the organisation, made as DELETE makes it (removal.ts): the delegations they gave
 * or hold there end and the chain records it, so emptying the roles is no quieter way to remove
 * someone. `requestId` is the removal's in the audit chain.
 */
export async function setMemberRoles(
  models: Models,
  principal: Principal,
  orgId: string,
  userId: string,
  input: { name?: string; email?: string; roles: RoleName[] },
  requestId: string,
): Promise<MemberView> {
  requireRole(principal, orgId, [ADMIN], 'administratörer');
  const roles = [...new Set(input.roles)];
  if (roles.length === 0) refuseRemovingOneself(principal, userId);
  let existed = false;
  // Administrators of other organisations change the same person at the same time. Each write
  // touches only this organisation's membership, in one atomic update, so none undoes another;
  // when another writer changed what the write depends on in between, it is read and tried again.
  for (let attempt = 1; ; attempt++) {
    const existing = await models.users.findById(userId).lean();
    if (!existing && (!input.name || !input.email)) throw Problem.badRequest([{ field: 'body.name', message: 'name and email are required for a new user' }]);
    // Roles are per organisation, and the path names the one this administrator runs. A name and
    // an email are the person's everywhere: approval requests and reminders of every organisation
    // go to that address. So only someone who administers all of the person's organisations may
    // change them, or one organisation's administrator could redirect another's mail.
    const renames = existing && ((input.name !== undefined && input.name !== existing.name) || (input.email !== undefined && input.email !== existing.email));
    if (renames && membershipsOf(existing).some((m) => m.roles.length > 0 && !administers(principal, m.orgId))) {
      throw forbidden('Namn och e-post kan bara ändras av den som är administratör i alla organisationer där personen har roller.');
    }
    existed = existing !== null;
    const written = await (existing ? writeMembership(models, principal, userId, orgId, roles, input) : insertMember(models, userId, orgId, roles, input)).catch((err: unknown) => {
      throw isDuplicateKeyOn(err, 'email') ? emailTaken() : err;
    });
    if (written) break;
    if (attempt >= MEMBERSHIP_WRITE_TRIES) throw new Problem(409, 'conflict', 'Konflikt', `Användaren ${userId} ändras av andra just nu; försök igen.`);
  }
  if (roles.length === 0 && existed) {
    try {
      await removeMember(models, principal, orgId, userId, requestId);
    } catch (err) {
      // Not a member here (any more): no roles is what they have, and a repeated PUT is audited once.
      if (!(err instanceof Problem && err.status === 404)) throw err;
    }
  }
  const u = (await models.users.findById(userId).lean())!;
  return { userId: u._id, name: u.name, email: u.email, roles };
}

/** An email is one person's: notices to it must not reach a second. The other person is not named. */
function emailTaken(): Problem {
  return new Problem(409, 'conflict', 'Konflikt', 'E-postadressen används redan av en annan användare.', { errors: [{ field: 'body.email', message: 'is already used by another user' }] });
}

/** Each retry follows a write by someone else that landed; this many in a row is not a race but a bug. */
const MEMBERSHIP_WRITE_TRIES = 20;

/** A new person, unless a concurrent request made them first (false: read them and try again). */
async function insertMember(models: Models, userId: string, orgId: string, roles: RoleName[], input: { name?: string; email?: string }): Promise<boolean> {
  try {
    const res = await models.users.updateOne(
      { _id: userId },
      { $setOnInsert: { name: input.name, email: input.email, memberships: roles.length ? [{ orgId, roles }] : [], cityViewer: false, demo: false } },
      { upsert: true },
    );
    return res.upsertedCount === 1;
  } catch (err) {
    // The store retries such an upsert itself when its insert collides on _id; should one still
    // reach here, the person is there now. Any other duplicate (the email) is the caller's.
    if (isDuplicateKeyOn(err, '_id')) return false;
    throw err;
  }
}

/**
 * One organisation's membership of an existing person, and the name and email if given, as one
 * update. The filter holds what the caller read and checked: that the membership is there (or
 * not) and, for a new name or email, that the person still has roles only where this
 * administrator runs things. False when that no longer holds.
 */
async function writeMembership(models: Models, principal: Principal, userId: string, orgId: string, roles: RoleName[], input: { name?: string; email?: string }): Promise<boolean> {
  const profile = { ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}) };
  const administered = principal.memberships.map((m) => m.orgId).filter((o) => administers(principal, o));
  const unchangedOrAllowed = Object.keys(profile).length
    ? { $or: [profile, { memberships: { $not: { $elemMatch: { orgId: { $nin: administered }, 'roles.0': { $exists: true } } } } }] }
    : {};
  const filter = { _id: userId, ...unchangedOrAllowed };
  const setProfile = Object.keys(profile).length ? { $set: profile } : {};
  // No roles: the membership ends through the removal (setMemberRoles), after the name and email.
  if (roles.length === 0) return Object.keys(profile).length === 0 || (await models.users.updateOne(filter, setProfile)).matchedCount === 1;
  const changed = await models.users.updateOne(
    { ...filter, 'memberships.orgId': orgId },
    { $set: { 'memberships.$[m].roles': roles, ...profile } },
    { arrayFilters: [{ 'm.orgId': orgId }] },
  );
  if (changed.matchedCount === 1) return true;
  const added = await models.users.updateOne({ ...filter, 'memberships.orgId': { $ne: orgId } }, { $push: { memberships: { orgId, roles } }, ...setProfile });
  return added.matchedCount === 1;
}

function administers(principal: Principal, orgId: string): boolean {
  return canRead(principal, orgId) && rolesIn(principal, orgId).includes(ADMIN);
}

/** Both ends of a delegation are members: a right to sign for the organisation stays inside it. */
async function member(models: Models, orgId: string, userId: string, field: string) {
  const u = await models.users.findById(userId).lean();
  const roles = u && membershipsOf(u).find((m) => m.orgId === orgId)?.roles;
  if (!u || !roles?.length) throw Problem.badRequest([{ field, message: 'not a member of the organisation' }]);
  return { userId: u._id, name: u.name, roles };
}

function delegationView(d: { _id: string; orgId: string; from: { userId: string; name: string }; to: { userId: string; name: string }; role: string; validFrom: string; validTo: string; endedAt?: Date }): DelegationView {
  return { id: d._id, orgId: d.orgId, from: d.from, to: d.to, role: d.role, validFrom: d.validFrom, validTo: d.validTo, ended: Boolean(d.endedAt) };
}
