import { NIS2_MANAGEMENT_TRAINING, NIS2_MEASURES, measureLabel } from '../../domain/nis2';
import { bare, tense } from './wording';
import type { Block, ReviewActivity, ReviewInputs, Section } from './document';

/**
 * The cybersäkerhetslag chapter (issue 16, item 7). A measure counts as covered when an activity
 * is tagged with it *or* has the nis2 template's task for it: the template's one activity serves
 * all ten, and counting tags only called seven of them uncovered. Then the reporting duties with
 * the routine that implements them, and the management body's training (Article 20).
 */

/** The nis2 template's task ids: a measure's task, the three reporting deadlines, the management training. */
const measureTaskId = (measureId: string) => `nis2-${measureId.replace(/\./g, '-')}`;
const REPORTING_DUTIES = [
  { taskId: 'tidig-varning-24h', duty: 'Tidig varning', deadline: 'inom 24 timmar från att incidenten upptäcktes' },
  { taskId: 'incidentanmalan-72h', duty: 'Incidentanmälan', deadline: 'inom 72 timmar från att incidenten upptäcktes' },
  { taskId: 'slutrapport-en-manad', duty: 'Slutrapport', deadline: 'inom en månad från incidentanmälan' },
] as const;
const MANAGEMENT_TRAINING_TASK = 'ledningens-utbildning';
/** The key figure that counts the management body's members trained, when the organisation keeps one. */
export const MANAGEMENT_TRAINING_KPI = 'ledningens-utbildning';

export function nis2Chapter(inputs: ReviewInputs, status: (a: ReviewActivity) => string, adopted: boolean): Section[] {
  const window = inputs.activities.filter((a) => a.planYear >= inputs.year && a.status !== 'cancelled');
  const taskOf = (a: ReviewActivity, id: string) => a.tasks.find((t) => t.id === id);
  const rows = NIS2_MEASURES.map((m) => {
    const tagged = window.filter((a) => a.nis2Measures.includes(m.id));
    const byTask = window.filter((a) => !tagged.includes(a) && taskOf(a, measureTaskId(m.id)));
    const serving = [
      ...tagged.map((a) => `${bare(a.title)} (${a.planYear}, ${status(a).toLowerCase()})`),
      ...byTask.map((a) => `${bare(a.title)}: uppgiften för ${measureLabel(m.id)} (${a.planYear}, ${taskOf(a, measureTaskId(m.id))!.done ? 'klar' : 'inte klar'})`),
    ];
    return { id: m.id, covered: serving.length > 0, row: [`${measureLabel(m.id)} ${m.title}`, serving.join('\n') || 'Ingen aktivitet', serving.length ? 'Ja' : 'Nej'] };
  });
  const uncovered = rows.filter((r) => !r.covered);
  const { have: has } = tense(adopted);
  return [
    {
      id: 'cybersakerhetslagen',
      level: 1,
      number: '',
      title: 'Cybersäkerhetslagen',
      blocks: [
        {
          type: 'paragraph',
          text: `Cybersäkerhetslagen genomför NIS2-direktivet. Artikel 21.2 kräver tio åtgärder för att hantera cybersäkerhetsrisker. ${rows.length - uncovered.length} av ${rows.length} åtgärder ${has} en aktivitet eller en uppgift i planen ${inputs.year}–${inputs.year + 3}.`,
        },
        { type: 'table', caption: 'Åtgärder enligt NIS2 artikel 21.2', columns: ['Åtgärd', 'Aktiviteter och uppgifter (år, status)', 'Täckt'], rows: rows.map((r) => r.row) },
        ...(uncovered.length ? [{ type: 'paragraph', text: `Åtgärder utan aktivitet, som bör få en i planen: ${uncovered.map((r) => `artikel ${measureLabel(r.id)}`).join(', ')}.` } as Block] : []),
      ],
    },
    { id: 'nis2-rapportering', level: 2, number: '', title: 'Rapporteringsskyldigheter vid betydande incidenter', blocks: reportingBlocks(window, taskOf, has) },
    { id: 'nis2-ledningens-utbildning', level: 2, number: '', title: 'Ledningens utbildning (artikel 20)', blocks: trainingBlocks(inputs, window, status, taskOf, adopted) },
  ];
}

function reportingBlocks(window: ReviewActivity[], taskOf: (a: ReviewActivity, id: string) => { done: boolean } | undefined, has: string): Block[] {
  const rows = REPORTING_DUTIES.map((d) => {
    const routines = window.filter((a) => taskOf(a, d.taskId));
    return [
      d.duty,
      d.deadline,
      routines.map((a) => `${a.title} (${a.planYear})`).join('\n') || 'Ingen rutin i planen',
      routines.length ? (routines.some((a) => taskOf(a, d.taskId)!.done) ? 'Fastställd' : 'Inte fastställd') : '–',
    ];
  });
  const missing = rows.filter((r) => r[3] === '–').length;
  return [
    {
      type: 'paragraph',
      text: `En betydande incident rapporteras till tillsynsmyndigheten i tre steg. ${missing === 0 ? `Planen ${has} en rutin för vart och ett.` : `${missing} av de tre stegen ${has} ingen rutin i planen.`} Om rutinen har övats framgår av aktivitetens underlag; planen registrerar inte övningar för sig.`,
    },
    { type: 'table', caption: 'Rapporteringsskyldigheter och rutiner', columns: ['Skyldighet', 'Frist', 'Rutin (aktivitet, år)', 'Rutinens status'], rows },
  ];
}

function trainingBlocks(inputs: ReviewInputs, window: ReviewActivity[], status: (a: ReviewActivity) => string, taskOf: (a: ReviewActivity, id: string) => { done: boolean } | undefined, adopted: boolean): Block[] {
  const { be } = tense(adopted);
  const training = window.filter((a) => a.nis2Measures.includes(NIS2_MANAGEMENT_TRAINING.id) || taskOf(a, MANAGEMENT_TRAINING_TASK));
  const kpi = inputs.kpis.find((k) => k.id === MANAGEMENT_TRAINING_KPI)?.values.find((v) => v.year === inputs.year);
  return [
    {
      type: 'paragraph',
      text: `Ledningsorganets ledamöter ska genomgå utbildning i cybersäkerhet (artikel 20.2). ${
        kpi ? `Deltagande ${inputs.year}: ${kpi.value}${kpi.partial ? ' (delår)' : ''}.` : `Inget deltagandetal ${be} registrerat för ${inputs.year} (nyckeltalet ${MANAGEMENT_TRAINING_KPI}).`
      }`,
    },
    training.length
      ? { type: 'table', caption: 'Utbildning för ledningen', columns: ['Aktivitet', 'År', 'Status'], rows: training.map((a) => [a.title, String(a.planYear), status(a)]) }
      : { type: 'paragraph', text: adopted ? 'Ingen aktivitet i planen avsåg utbildning av ledningen.' : 'Ingen aktivitet i planen utbildar ledningen.' },
  ];
}
