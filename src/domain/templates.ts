import type { ApproverStep, Milestone, Task } from './activity';
import { NIS2_MEASURES, measureLabel, measureLabelEn } from './nis2';
import type { TemplateId } from './template-ids';

/**
 * Activity templates: the plan's recurring kinds of work with their standard tasks and
 * milestones. A coordinator picks one and adapts it (tasks can be added later). Activities
 * store the Swedish titles; the English ones stand next to them for the English UI.
 */

interface TemplateMilestone {
  id: string;
  title: string;
  titleEn: string;
  tasks: { id: string; title: string; titleEn: string; kpi?: { name: string } }[];
  approvers?: ApproverStep[];
}

export interface ActivityTemplate {
  id: string;
  name: string;
  nameEn: string;
  milestones: TemplateMilestone[];
}

const HEAD: ApproverStep[] = [{ role: 'head-of-administration' }];

export const TEMPLATES: Record<TemplateId, ActivityTemplate> = {
  nis2: {
    id: 'nis2',
    name: 'Implementera cybersäkerhetslagen (NIS2)',
    nameEn: 'Implement the Cybersecurity Act (NIS2)',
    milestones: [
      {
        id: 'atgarder-artikel-21',
        title: 'Riskhanteringsåtgärder enligt artikel 21 införda',
        titleEn: 'Risk-management measures under Article 21 in place',
        tasks: NIS2_MEASURES.map((m) => ({ id: nis2TaskId(m.id), title: `Artikel ${measureLabel(m.id)}: ${m.title}`, titleEn: `Article ${measureLabelEn(m.id)}: ${m.titleEn}` })),
      },
      {
        id: 'incidentrapportering',
        title: 'Rutin för incidentrapportering fastställd',
        titleEn: 'Incident reporting procedure adopted',
        tasks: [
          { id: 'tidig-varning-24h', title: 'Tidig varning inom 24 timmar', titleEn: 'Early warning within 24 hours' },
          { id: 'incidentanmalan-72h', title: 'Incidentanmälan inom 72 timmar', titleEn: 'Incident notification within 72 hours' },
          { id: 'slutrapport-en-manad', title: 'Slutrapport inom en månad', titleEn: 'Final report within one month' },
        ],
      },
      {
        id: 'slutford',
        title: 'Cybersäkerhetslagen genomförd',
        titleEn: 'Cybersecurity Act implemented',
        tasks: [
          { id: 'ledningens-utbildning', title: 'Utbildning för ledningen (artikel 20)', titleEn: 'Training for management (Article 20)' },
          { id: 'leverantorsuppfoljning', title: 'Uppföljning av leverantörer', titleEn: 'Follow-up of suppliers' },
        ],
      },
    ],
  },
  'ai-routines': {
    id: 'ai-routines',
    name: 'Lokala rutiner för AI',
    nameEn: 'Local procedures for AI',
    milestones: [
      {
        id: 'slutford',
        title: 'Rutiner för AI fastställda',
        titleEn: 'AI procedures adopted',
        tasks: [
          { id: 'rutin-anvandning', title: 'Rutin för användning av AI', titleEn: 'Procedure for the use of AI' },
          { id: 'rutin-utveckling', title: 'Rutin för utveckling av AI-tjänster', titleEn: 'Procedure for developing AI services' },
        ],
      },
    ],
  },
  delegation: {
    id: 'delegation',
    name: 'Ansvar i delegationsordningen',
    nameEn: 'Responsibilities in the delegation of authority',
    milestones: [
      {
        id: 'forslag',
        title: 'Förslag till delegationsordning klart',
        titleEn: 'Proposed delegation of authority ready',
        tasks: [
          { id: 'kartlagg-beslut', title: 'Kartlägg beslut och ansvar för informationssäkerhet', titleEn: 'Map decisions and responsibilities for information security' },
          { id: 'skriv-text', title: 'Ta fram text till delegationsordningen', titleEn: 'Draft the text for the delegation of authority' },
        ],
      },
      {
        id: 'slutford',
        title: 'Delegationsordningen beslutad',
        titleEn: 'Delegation of authority decided',
        tasks: [{ id: 'namndbeslut', title: 'Nämnden beslutar om delegationsordningen', titleEn: 'The committee decides on the delegation of authority' }],
      },
    ],
  },
  'risk-analysis': {
    id: 'risk-analysis',
    name: 'Riskanalys',
    nameEn: 'Risk analysis',
    milestones: [
      {
        id: 'analys',
        title: 'Riskanalys genomförd',
        titleEn: 'Risk analysis carried out',
        tasks: [
          { id: 'avgransning', title: 'Avgränsning av analysen', titleEn: 'Scope of the analysis' },
          { id: 'analys', title: 'Genomför riskanalysen', titleEn: 'Carry out the risk analysis' },
          { id: 'atgardsplan', title: 'Ta fram plan för riskbehandling', titleEn: 'Draw up a risk treatment plan' },
        ],
      },
      {
        id: 'slutford',
        title: 'Riskanalys fastställd',
        titleEn: 'Risk analysis adopted',
        tasks: [{ id: 'faststall', title: 'Fastställ riskanalysen och riskbehandlingsplanen', titleEn: 'Adopt the risk analysis and the risk treatment plan' }],
        approvers: [{ role: 'information-owner' }, { role: 'head-of-administration' }],
      },
    ],
  },
  'information-classification': {
    id: 'information-classification',
    name: 'Informationsklassning',
    nameEn: 'Information classification',
    milestones: [
      {
        id: 'slutford',
        title: 'Informationsklassning genomförd',
        titleEn: 'Information classification carried out',
        // One task per information asset or system is added when the assets are known.
        tasks: [{ id: 'inventera-tillgangar', title: 'Inventera informationstillgångar och it-system som ska klassas', titleEn: 'List the information assets and IT systems to be classified' }],
      },
    ],
  },
  training: {
    id: 'training',
    name: 'Kompetenshöjande åtgärder',
    nameEn: 'Skills development',
    milestones: [
      {
        id: 'slutford',
        title: 'Utbildningsinsatser genomförda',
        titleEn: 'Training carried out',
        tasks: [
          { id: 'generell-utbildning', title: 'Generell utbildning i informationssäkerhet', titleEn: 'General information security training', kpi: { name: 'Andel medarbetare som genomfört utbildningen' } },
          { id: 'riktad-utbildning', title: 'Riktad utbildning för identifierade målgrupper', titleEn: 'Targeted training for identified groups', kpi: { name: 'Antal deltagare i riktad utbildning' } },
        ],
      },
    ],
  },
};

const DEFAULT_TEMPLATE: ActivityTemplate = {
  id: 'default',
  name: 'Förbättringsaktivitet',
  nameEn: 'Improvement activity',
  milestones: [{ id: 'slutford', title: 'Aktiviteten genomförd', titleEn: 'Activity completed', tasks: [{ id: 'genomfor', title: 'Genomför aktiviteten', titleEn: 'Carry out the activity' }] }],
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

/** The template an activity was made from: an activity without one (or with an unknown one) got the default. */
function templateOf(templateId: string | undefined): ActivityTemplate {
  return (templateId && TEMPLATES[templateId as TemplateId]) || DEFAULT_TEMPLATE;
}

/** Tasks and milestones for a new activity. The last milestone is the final one. */
export function instantiateTemplate(templateId: string | undefined, extraTasks: string[] = [], options: TemplateOptions = {}): { tasks: Task[]; milestones: Milestone[] } {
  const template = templateOf(templateId);
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

export type TemplatePart = 'task' | 'milestone';

/**
 * What an English reader sees for an activity's task or milestone: the template's English title
 * while the activity still has the template's Swedish one. A title someone renamed, a task of
 * their own, or a title an older run stored (the legacy NIS2 titles) is the activity's own and
 * is shown as stored.
 */
export function englishTitle(templateId: string | undefined, part: TemplatePart, id: string, stored: string): string {
  const template = templateOf(templateId);
  const found = part === 'milestone' ? template.milestones.find((m) => m.id === id) : template.milestones.flatMap((m) => m.tasks).find((t) => t.id === id);
  return found?.title === stored ? found.titleEn : stored;
}
