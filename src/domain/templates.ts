import type { ApproverStep, Milestone, Task } from './activity';
import { NIS2_MEASURES, measureLabel } from './nis2';
import type { TemplateId } from './template-ids';

/**
 * Activity templates: the plan's recurring kinds of work with their standard tasks and
 * milestones. A coordinator picks one and adapts it (tasks can be added later).
 */

interface TemplateMilestone {
  id: string;
  title: string;
  tasks: { id: string; title: string; kpi?: { name: string } }[];
  approvers?: ApproverStep[];
}

export interface ActivityTemplate {
  id: string;
  name: string;
  milestones: TemplateMilestone[];
}

const HEAD: ApproverStep[] = [{ role: 'head-of-administration' }];

export const TEMPLATES: Record<TemplateId, ActivityTemplate> = {
  nis2: {
    id: 'nis2',
    name: 'Implementera cybersäkerhetslagen (NIS2)',
    milestones: [
      {
        id: 'atgarder-artikel-21',
        title: 'Riskhanteringsåtgärder enligt artikel 21 införda',
        tasks: NIS2_MEASURES.map((m) => ({ id: nis2TaskId(m.id), title: `Artikel ${measureLabel(m.id)}: ${m.title}` })),
      },
      {
        id: 'incidentrapportering',
        title: 'Rutin för incidentrapportering fastställd',
        tasks: [
          { id: 'tidig-varning-24h', title: 'Tidig varning inom 24 timmar' },
          { id: 'incidentanmalan-72h', title: 'Incidentanmälan inom 72 timmar' },
          { id: 'slutrapport-en-manad', title: 'Slutrapport inom en månad' },
        ],
      },
      {
        id: 'slutford',
        title: 'Cybersäkerhetslagen genomförd',
        tasks: [
          { id: 'ledningens-utbildning', title: 'Utbildning för ledningen (artikel 20)' },
          { id: 'leverantorsuppfoljning', title: 'Uppföljning av leverantörer' },
        ],
      },
    ],
  },
  'ai-routines': {
    id: 'ai-routines',
    name: 'Lokala rutiner för AI',
    milestones: [
      {
        id: 'slutford',
        title: 'Rutiner för AI fastställda',
        tasks: [
          { id: 'rutin-anvandning', title: 'Rutin för användning av AI' },
          { id: 'rutin-utveckling', title: 'Rutin för utveckling av AI-tjänster' },
        ],
      },
    ],
  },
  delegation: {
    id: 'delegation',
    name: 'Ansvar i delegationsordningen',
    milestones: [
      {
        id: 'forslag',
        title: 'Förslag till delegationsordning klart',
        tasks: [
          { id: 'kartlagg-beslut', title: 'Kartlägg beslut och ansvar för informationssäkerhet' },
          { id: 'skriv-text', title: 'Ta fram text till delegationsordningen' },
        ],
      },
      {
        id: 'slutford',
        title: 'Delegationsordningen beslutad',
        tasks: [{ id: 'namndbeslut', title: 'Nämnden beslutar om delegationsordningen' }],
      },
    ],
  },
  'risk-analysis': {
    id: 'risk-analysis',
    name: 'Riskanalys',
    milestones: [
      {
        id: 'analys',
        title: 'Riskanalys genomförd',
        tasks: [
          { id: 'avgransning', title: 'Avgränsning av analysen' },
          { id: 'analys', title: 'Genomför riskanalysen' },
          { id: 'atgardsplan', title: 'Ta fram plan för riskbehandling' },
        ],
      },
      {
        id: 'slutford',
        title: 'Riskanalys fastställd',
        tasks: [{ id: 'faststall', title: 'Fastställ riskanalysen och riskbehandlingsplanen' }],
        approvers: [{ role: 'information-owner' }, { role: 'head-of-administration' }],
      },
    ],
  },
  'information-classification': {
    id: 'information-classification',
    name: 'Informationsklassning',
    milestones: [
      {
        id: 'slutford',
        title: 'Informationsklassning genomförd',
        // One task per information asset or system is added when the assets are known.
        tasks: [{ id: 'inventera-tillgangar', title: 'Inventera informationstillgångar och it-system som ska klassas' }],
      },
    ],
  },
  training: {
    id: 'training',
    name: 'Kompetenshöjande åtgärder',
    milestones: [
      {
        id: 'slutford',
        title: 'Utbildningsinsatser genomförda',
        tasks: [
          { id: 'generell-utbildning', title: 'Generell utbildning i informationssäkerhet', kpi: { name: 'Andel medarbetare som genomfört utbildningen' } },
          { id: 'riktad-utbildning', title: 'Riktad utbildning för identifierade målgrupper', kpi: { name: 'Antal deltagare i riktad utbildning' } },
        ],
      },
    ],
  },
};

const DEFAULT_TEMPLATE: ActivityTemplate = {
  id: 'default',
  name: 'Förbättringsaktivitet',
  milestones: [{ id: 'slutford', title: 'Aktiviteten genomförd', tasks: [{ id: 'genomfor', title: 'Genomför aktiviteten' }] }],
};

function nis2TaskId(measureId: string): string {
  return `nis2-${measureId.replace(/\./g, '-')}`;
}

/**
 * The NIS2 measures' tasks as activities started before they read "Artikel 21.2 a: …" have them
 * ("21.2.a: …"): such an activity's workflow rebuilds its first state from the template on replay.
 */
const LEGACY_TASK_TITLES: ReadonlyMap<string, string> = new Map(NIS2_MEASURES.map((m) => [nis2TaskId(m.id), `${m.id}: ${m.title}`]));

export interface TemplateOptions {
  /** The task titles of the template as they were before the NIS2 tasks named their article. */
  legacyTaskTitles?: boolean;
}

/** Tasks and milestones for a new activity. The last milestone is the final one. */
export function instantiateTemplate(templateId: string | undefined, extraTasks: string[] = [], options: TemplateOptions = {}): { tasks: Task[]; milestones: Milestone[] } {
  const template = (templateId && TEMPLATES[templateId as TemplateId]) || DEFAULT_TEMPLATE;
  const last = template.milestones.length - 1;
  const milestones: Milestone[] = template.milestones.map((m, i) => ({
    id: m.id,
    title: m.title,
    final: i === last,
    approvers: m.approvers ?? HEAD,
    status: 'open',
    round: 0,
    decisions: [],
  }));
  const tasks: Task[] = template.milestones.flatMap((m) =>
    m.tasks.map((t) => ({ id: t.id, title: (options.legacyTaskTitles && LEGACY_TASK_TITLES.get(t.id)) || t.title, milestoneId: m.id, done: false, ...(t.kpi ? { kpi: t.kpi } : {}) })),
  );
  extraTasks.forEach((title, i) => tasks.push({ id: `uppgift-${i + 1}`, title, milestoneId: template.milestones[last]!.id, done: false }));
  return { tasks, milestones };
}
