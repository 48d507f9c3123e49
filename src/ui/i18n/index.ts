import { STATUS_LABELS, type ActivityStatus } from '../../domain/activity';
import { REVIEW_STATUS_LABELS, type ReviewStatus } from '../../domain/review';
import { ownerText, ROLE_LABELS, type RoleName } from '../../domain/roles';
import { englishTitle, type ActivityTemplate } from '../../domain/templates';
import { en } from './en';
import { sv } from './sv';

/**
 * The web UI's words: Swedish first, English as a switch. Both catalogues have the same keys
 * (the type says so), so a missing English text is a compile error, not a leak.
 */

export const LANGS = ['sv', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export type MessageKey = keyof typeof sv;
export type Catalogue = Record<MessageKey, string>;


const STATUS_EN: Record<ActivityStatus, string> = {
  planned: 'Planned',
  'in-progress': 'In progress',
  'awaiting-approval': 'Awaiting approval',
  'changes-requested': 'Changes requested',
  done: 'Done',
  verified: 'Verified',
  blocked: 'Blocked',
  deferred: 'Deferred',
  cancelled: 'Cancelled',
};

const REVIEW_STATUS_EN: Record<ReviewStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted for adoption',
  'changes-requested': 'Returned for changes',
  adopted: 'Adopted',
};

/** The plan files' priorities are Swedish words; English readers get theirs. */
const PRIORITY_EN: Record<string, string> = { hög: 'high', medel: 'medium', låg: 'low' };

const ROLE_EN: Record<RoleName, string> = {
  'activity-owner': 'activity owner',
  'security-coordinator': 'information security coordinator',
  'head-of-administration': 'head of administration',
  'data-protection-officer': 'data protection officer',
  'information-owner': 'information owner',
  'system-object-manager': 'system object manager',
  'it-coordinator': 'IT coordinator',
  'procurement-officer': 'procurement officer',
  'protective-security-coordinator': 'protective security coordinator',
  'it-strategist': 'IT strategist',
  archivist: 'archivist',
  'business-developer': 'business developer',
  viewer: 'viewer',
  admin: 'administrator',
};

/** A refused form names its fields by the labels people saw, not by the names the server reads. */
const FIELD_LABELS: Record<string, MessageKey> = {
  text: 'field.text',
  comment: 'common.comment',
  link: 'evidence.link',
  proposedDueDate: 'extension.date',
  reason: 'extension.reason',
  decisions: 'review.decisions',
  sectionId: 'field.section',
  newId: 'kpis.newId',
  newName: 'kpis.newName',
  seriesId: 'kpis.series',
  unit: 'kpis.unit',
  value: 'kpis.value',
  year: 'common.year',
  name: 'common.name',
  email: 'common.email',
  userId: 'admin.userId',
  roles: 'admin.roles',
  fromUserId: 'common.from',
  toUserId: 'common.to',
  role: 'common.role',
  validFrom: 'common.validFrom',
  validTo: 'common.validTo',
  expiresInDays: 'admin.token.days',
};

const ACTION_SV: Record<string, string> = {
  created: 'Aktiviteten skapades',
  start: 'Startad',
  block: 'Blockerad',
  unblock: 'Blockering hävd',
  'add-task': 'Uppgift tillagd',
  'complete-task': 'Uppgift klar',
  'reopen-task': 'Uppgift öppnad igen',
  'add-comment': 'Kommentar',
  'add-evidence': 'Underlag tillagt',
  'submit-milestone': 'Milstolpe inskickad',
  'approve-milestone': 'Milstolpe godkänd',
  'reject-milestone': 'Milstolpe tillbakaskickad',
  'request-extension': 'Mer tid begärd',
  'decide-extension': 'Beslut om mer tid',
  'assign-owner': 'Ansvarig utsedd',
  defer: 'Uppskjuten',
  cancel: 'Avbruten',
  verify: 'Effekten verifierad',
  'edit-details': 'Uppgifter om aktiviteten ändrade',
  'add-milestone': 'Milstolpe tillagd',
  'rename-task': 'Uppgift omdöpt',
  'rename-milestone': 'Milstolpe omdöpt',
  'workflow-problem': 'Arbetsflödet har stannat',
};

const ACTION_EN: Record<string, string> = {
  created: 'Activity created',
  start: 'Started',
  block: 'Blocked',
  unblock: 'Unblocked',
  'add-task': 'Task added',
  'complete-task': 'Task done',
  'reopen-task': 'Task reopened',
  'add-comment': 'Comment',
  'add-evidence': 'Evidence added',
  'submit-milestone': 'Milestone submitted',
  'approve-milestone': 'Milestone approved',
  'reject-milestone': 'Milestone sent back',
  'request-extension': 'More time requested',
  'decide-extension': 'Extension decided',
  'assign-owner': 'Owner assigned',
  defer: 'Deferred',
  cancel: 'Cancelled',
  verify: 'Effect verified',
  'edit-details': 'Activity details changed',
  'add-milestone': 'Milestone added',
  'rename-task': 'Task renamed',
  'rename-milestone': 'Milestone renamed',
  'workflow-problem': 'The workflow has stopped',
};

const FIELD_SV: Record<string, string> = { status: 'status', tasks: 'uppgifter', milestones: 'milstolpar', entries: 'kommentarer och underlag', extensions: 'begäran om mer tid', dueDate: 'slutdatum', deadlineHistory: 'slutdatumshistorik', owner: 'ansvarig', title: 'titel', area: 'område', goal: 'mål', expectedResult: 'förväntat resultat', priority: 'prioritet', estimatedCost: 'kostnad', startDate: 'startdatum' };
const FIELD_EN: Record<string, string> = { status: 'status', tasks: 'tasks', milestones: 'milestones', entries: 'comments and evidence', extensions: 'requests for more time', dueDate: 'due date', deadlineHistory: 'due date history', owner: 'owner', title: 'title', area: 'area', goal: 'goal', expectedResult: 'expected result', priority: 'priority', estimatedCost: 'cost', startDate: 'start date' };

export interface Messages {
  lang: Lang;
  locale: string;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  status(s: string): string;
  role(r: string): string;
  /** Who owns an activity, standing alone (a table cell); see ownerText. */
  owner(o: { role: RoleName; name?: string }): string;
  reviewStatus(s: ReviewStatus): string;
  priority(p: string): string;
  /** A form field's label, by the name the server reads it under. */
  field(name: string): string;
  /** A calendar date (YYYY-MM-DD) as people write it, e.g. "31 december 2026". */
  date(isoDate: string | undefined): string;
  /** An instant in the plan's time zone, with the time of day. */
  dateTime(iso: string | Date | undefined): string;
  number(n: number): string;
  /** An audit event's action, e.g. "Uppgift klar". */
  action(a: string): string;
  /** What an audit event changed, in words: status as labels, other fields by name. */
  changes(changes: { field: string; before: string; after: string }[]): string;
  /** An activity's task as the reader's language has it: a template's untouched task reads in English in English. */
  taskTitle(activity: { template?: string }, task: { id: string; title: string }): string;
  /** An activity's milestone, likewise. */
  milestoneTitle(activity: { template?: string }, milestone: { id: string; title: string }): string;
  /** A template's name in the reader's language (the new-activity form's picker). */
  templateName(template: ActivityTemplate): string;
}

export function messages(lang: Lang, timeZone: string): Messages {
  const catalogue: Record<MessageKey, string> = lang === 'en' ? en : sv;
  const locale = lang === 'en' ? 'en-GB' : 'sv-SE';
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const numberFmt = new Intl.NumberFormat(locale);
  const role = (r: string) => (lang === 'en' ? ROLE_EN : ROLE_LABELS)[r as RoleName] ?? r;
  return {
    lang,
    locale,
    t: (key, vars = {}) => catalogue[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`)),
    status: (s) => (lang === 'en' ? STATUS_EN[s as ActivityStatus] : STATUS_LABELS[s as ActivityStatus]) ?? s,
    role,
    owner: (o) => ownerText(o, role),
    reviewStatus: (s) => (lang === 'en' ? REVIEW_STATUS_EN : REVIEW_STATUS_LABELS)[s],
    priority: (p) => (lang === 'en' ? (PRIORITY_EN[p] ?? p) : p),
    field: (name) => (FIELD_LABELS[name] ? catalogue[FIELD_LABELS[name]] : name),
    date: (d) => (d ? dateFmt.format(new Date(`${d}T12:00:00Z`)) : ''),
    dateTime: (d) => (d ? dateTimeFmt.format(typeof d === 'string' ? new Date(d) : d) : ''),
    number: (n) => numberFmt.format(n),
    action: (a) => (lang === 'en' ? ACTION_EN : ACTION_SV)[a] ?? a,
    taskTitle: (a, t) => (lang === 'en' ? englishTitle(a.template, 'task', t.id, t.title) : t.title),
    milestoneTitle: (a, ms) => (lang === 'en' ? englishTitle(a.template, 'milestone', ms.id, ms.title) : ms.title),
    templateName: (t) => (lang === 'en' ? t.nameEn : t.name),
    changes: (changes) =>
      changes
        .filter((c) => c.field in FIELD_SV)
        .map((c) => {
          const name = (lang === 'en' ? FIELD_EN : FIELD_SV)[c.field]!;
          if (c.field === 'status' || c.field === 'dueDate') {
            const show = (v: string) => {
              const plain = v.replace(/^"|"$/g, '');
              return c.field === 'status' ? ((lang === 'en' ? STATUS_EN : STATUS_LABELS)[plain as ActivityStatus] ?? plain) : plain;
            };
            return c.before ? `${name}: ${show(c.before)} → ${show(c.after)}` : `${name}: ${show(c.after)}`;
          }
          return name;
        })
        .join('; '),
  };
}
