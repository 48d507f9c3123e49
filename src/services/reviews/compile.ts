import type { ActivityStatus } from '../../domain/activity';
import { AREA_PARTS, REVIEW_STATUS_LABELS, areaSectionId, type AreaPart, type ReviewDecisionItem, type ReviewState } from '../../domain/review';
import { ownerText } from '../../domain/roles';
import { INCIDENT_KPI_ID, reviewFigures, type ReviewFigures } from './figures';
import { barChart, groupedBarChart } from './chart-specs';
import { carryOverItems, choiceText } from './carry-over';
import { nis2Chapter } from './nis2-chapter';
import { bare, formatNumber, inRetrospect, onDay, onDayOf, plural, statusLabel, tense } from './wording';
import type { Block, ReviewActivity, ReviewDocument, ReviewInputs, Section } from './document';

/**
 * Compiles the year's review from live facts and the coordinator's narrative, in the structure
 * of the city's reports merged with ISO/IEC 27001:2022 9.3.2 and 9.3.3. Pure: the same inputs
 * give the same document, which is what makes a frozen snapshot render identically every time.
 */

export const AREA_PART_TITLES: Record<AreaPart, (year: number) => string> = {
  lage: (year) => `Läget ${year}`,
  behov: () => 'Behov',
  utmaningar: () => 'Utmaningar',
  forslag: () => 'Förslag till åtgärder',
};

const FINISHED: readonly ActivityStatus[] = ['done', 'verified'];

export function compileReview(inputs: ReviewInputs, review: ReviewState, compiledAt: string): ReviewDocument {
  const { organisation, year } = inputs;
  const ofYear = inputs.activities.filter((a) => a.planYear === year);
  const figures = reviewFigures(inputs, compiledAt);
  const adopted = inRetrospect(review);
  const status = (a: ReviewActivity) => statusText(a, figures, adopted);
  const chapters: Section[][] = [
    [summary(inputs, figures, review)],
    [chapter('inledning', 'Inledning', [narrative(review, 'inledning')])],
    [followUp(inputs, review, ofYear, figures, status)],
    areaChapters(inputs, review),
    inputsChapter(inputs, figures, review, ofYear, status),
    nis2Chapter(inputs, status, adopted),
    [threeYearPlan(inputs, review)],
    [decisionsChapter(review)],
  ];
  return {
    title: `Ledningens genomgång ${year}`,
    organisation: { id: organisation.id, name: organisation.name, ...(organisation.board ? { board: organisation.board } : {}) },
    year,
    version: review.version,
    ...(review.corrects ? { corrects: review.corrects } : {}),
    ...(review.diaryNumber ? { diaryNumber: review.diaryNumber } : {}),
    status: review.status,
    draft: review.status !== 'adopted',
    compiledAt,
    ...(review.adoption
      ? { adoption: { by: review.adoption.by.name, at: review.adoption.at, decisions: review.adoption.decisions.map(decisionItem), ...(review.adoption.conclusion ? { conclusion: review.adoption.conclusion } : {}) } }
      : {}),
    sections: numberChapters(chapters),
  };
}

/** Chapters are numbered 1, 2, …; their sub-sections 4.1, 4.2, … and theirs 4.1.1, … */
function numberChapters(chapters: Section[][]): Section[] {
  const counters = [0, 0, 0];
  return chapters.flat().map((s) => {
    counters[s.level - 1]! += 1;
    counters.fill(0, s.level);
    return { ...s, number: counters.slice(0, s.level).join('.') };
  });
}

function chapter(id: string, title: string, blocks: Block[], level: Section['level'] = 1): Section {
  return { id, level, number: '', title, blocks };
}

/** A marked section prints the coordinator's judgement; a blank unmarked one is left to the renderers' placeholder. */
function narrative(review: ReviewState, sectionId: string): Block {
  const text = review.narrative[sectionId] ?? '';
  if (!text.trim() && review.nothingToReport?.includes(sectionId)) return { type: 'paragraph', text: NOTHING_TO_REPORT };
  return { type: 'narrative', sectionId, text };
}

export const NOTHING_TO_REPORT = 'Inget att redovisa (informationssäkerhetssamordnarens bedömning).';

function summary(inputs: ReviewInputs, figures: ReviewFigures, review: ReviewState): Section {
  const adopted = inRetrospect(review);
  const kpiChanges = figures.kpis.flatMap((k) => {
    const prev = k.values.find((v) => v.year === inputs.year - 1);
    const last = k.values.find((v) => v.year === inputs.year);
    // A trend needs both years; a part-year figure is not compared as if it were a whole year.
    if (!prev || !last) return [];
    const partial = prev.partial || last.partial;
    const change = prev.value === 0 || partial ? '' : ` (${signed(Math.round(((last.value - prev.value) / prev.value) * 100))} %)`;
    return [`${bare(k.name)}: från ${valueWithYear(prev)} till ${valueWithYear(last)}${change}.`];
  });
  return chapter('sammanfattning', 'Sammanfattning', [
    { type: 'paragraph', text: activityFacts(figures, adopted) },
    ...(kpiChanges.length ? [{ type: 'bullets', items: kpiChanges } as Block] : []),
    { type: 'paragraph', text: `Status för denna genomgång: ${REVIEW_STATUS_LABELS[review.status].toLowerCase()}.` },
    narrative(review, 'sammanfattning'),
  ]);
}

/**
 * The year's activities by status, every status counted (cancelled and deferred too, so the parts
 * add up to the whole), then the late ones and the forecast: the summary and input a) print the same.
 */
function activityFacts(figures: ReviewFigures, adopted: boolean): string {
  const { total, done, verified, unfinished, deferred, cancelled } = figures.activities;
  const { be } = tense(adopted);
  const state = (n: number, one: string, many: string) => `${n} ${be} ${n === 1 ? one : many}`;
  return [
    `Planen för ${figures.year} ${adopted ? 'omfattade' : 'omfattar'} ${plural(total, 'aktivitet', 'aktiviteter')}: ${state(done, 'genomförd', 'genomförda')} (varav ${verified} ${verified === 1 ? 'verifierad' : 'verifierade'}), ${state(unfinished, 'inte avslutad', 'inte avslutade')}, ${state(deferred, 'uppskjuten', 'uppskjutna')} och ${state(cancelled, 'avbruten', 'avbrutna')}.`,
    lateSentence(figures, adopted),
    ...(figures.forecast ? [forecastSentence(figures, adopted)] : []),
  ].join(' ');
}

function lateSentence(figures: ReviewFigures, adopted: boolean): string {
  const n = figures.late.size;
  const { be } = tense(adopted);
  const when = onDay(figures.today);
  if (n === 0) return `Ingen aktivitet ${be} försenad ${when}, det vill säga inte klar vid sitt slutdatum.`;
  return `${plural(n, 'aktivitet', 'aktiviteter')} ${be} ${n === 1 ? 'försenad' : 'försenade'} ${when}, det vill säga inte ${n === 1 ? 'klar' : 'klara'} vid ${n === 1 ? 'sitt' : 'sina'} slutdatum.`;
}

/** Before year end nearly every deadline is still ahead: the pace says more than the deadlines. */
function forecastSentence(figures: ReviewFigures, adopted: boolean): string {
  const n = figures.forecast!.size;
  const activities = plural(n, 'aktivitet', 'aktiviteter');
  const ready = `${n === 1 ? 'klar' : 'klara'} till ${n === 1 ? 'sitt' : 'sina'} slutdatum (andelen avklarade uppgifter sedan start, framskriven till slutdatum)`;
  return adopted ? `Prognos vid genomgången: i dåvarande takt skulle ytterligare ${activities} inte bli ${ready}.` : `Prognos: i nuvarande takt blir ytterligare ${activities} inte ${ready}.`;
}

function followUp(inputs: ReviewInputs, review: ReviewState, ofYear: ReviewActivity[], figures: ReviewFigures, status: (a: ReviewActivity) => string): Section {
  const items = carryOverItems(inputs, review);
  return chapter('uppfoljning', 'Uppföljning av föregående års åtgärder', [
    { type: 'paragraph', text: `Status för varje aktivitet i planen för ${figures.year} (ISO/IEC 27001:2022, 9.3.2 a), med skälet för det som sköts upp eller avbröts.` },
    {
      type: 'table',
      caption: `Aktiviteter ${figures.year}`,
      columns: ['Aktivitet', 'Ansvarig', 'Slutdatum', 'Status', 'Godkännande'],
      rows: ofYear.map((a) => [titleWithOrigin(a), ownerText(a.owner), a.dueDate, status(a), signOffs(a)]),
    },
    // The coordinator's choice for each unfinished activity, with its reason: what adoption does with it.
    ...(items.length
      ? [
          {
            type: 'table',
            caption: `Ej avslutade aktiviteter: beslut om överföring till ${figures.year + 1}`,
            columns: ['Aktivitet', 'Status', 'Val vid genomgången'],
            rows: items.map((i) => [i.activity.title, status(i.activity), choiceText(i.choice, figures.year + 1)]),
          } as Block,
        ]
      : []),
  ]);
}

function areaChapters(inputs: ReviewInputs, review: ReviewState): Section[] {
  const used = new Set(inputs.activities.map((a) => a.area));
  const areas = inputs.organisation.areas.filter((a) => used.has(a.id));
  return [
    chapter('omraden', 'Fokusområden', [
      { type: 'paragraph', text: `Läget, behoven, utmaningarna och förslagen inom ${areas.length === 1 ? 'det område' : `vart och ett av de ${areas.length} områden`} där planen ${tense(inRetrospect(review)).have} aktiviteter.` },
    ]),
    ...areas.flatMap((area) => [
      chapter(`omrade:${area.id}`, area.name, [], 2),
      ...AREA_PARTS.map((part) => chapter(areaSectionId(area.id, part), AREA_PART_TITLES[part](inputs.year), [narrative(review, areaSectionId(area.id, part))], 3)),
    ]),
  ];
}

/** ISO/IEC 27001:2022 9.3.2 a–g, each its own labelled section, with the registers' rows as tables. */
function inputsChapter(inputs: ReviewInputs, figures: ReviewFigures, review: ReviewState, ofYear: ReviewActivity[], status: (a: ReviewActivity) => string): Section[] {
  const reg = inputs.registers ?? {};
  const parties = reg.intressenter ?? [];
  const adopted = inRetrospect(review);
  const registerTable = (caption: string, columns: string[], rows: string[][]) => tableOrNone(caption, columns, rows, adopted);
  return [
    chapter('underlag', 'Underlag för genomgången (ISO/IEC 27001:2022, 9.3.2)', [
      { type: 'paragraph', text: `Standardens sju underlag för ledningens genomgång, a–g, vart och ett med de uppgifter som ${adopted ? 'fanns' : 'finns'} registrerade och samordnarens text.` },
    ]),
    chapter('underlag-a', 'a) Status för åtgärder från tidigare genomgångar', [
      // The same sentences as the summary: one wording, so the figures cannot drift apart.
      { type: 'paragraph', text: `${activityFacts(figures, adopted)} Varje aktivitet redovisas i kapitlet Uppföljning av föregående års åtgärder.` },
    ], 2),
    chapter('omvarldsbevakning', 'b) Förändringar i externa och interna frågor', [narrative(review, 'omvarldsbevakning')], 2),
    chapter('intressenter', 'c) Intressenters behov och förväntningar', [
      registerTable('Intressenter', ['Intressent', 'Behov och förväntningar'], parties.map((r) => [r.data.name, r.data.needs])),
      narrative(review, 'intressenter'),
    ], 2),
    chapter('prestanda', 'd) Återkoppling om informationssäkerhetens prestanda', [narrative(review, 'prestanda')], 2),
    chapter('avvikelser', 'Avvikelser och korrigerande åtgärder', [
      registerTable(
        'Avvikelser och korrigerande åtgärder',
        ['Upptäckt', 'Var', 'Avvikelse', 'Orsak', 'Korrigerande åtgärd', 'Ansvarig', 'Klart senast', 'Status'],
        (reg.avvikelser ?? []).map((r) => [r.data.foundOn, r.data.where, r.data.description, r.data.cause ?? '–', r.data.correctiveAction + (r.data.activityId ? ` (aktivitet ${r.data.activityId})` : ''), r.data.owner, r.data.due ?? '–', r.data.status]),
      ),
    ], 3),
    keyFigures(figures, adopted),
    incidentsChapter(figures, adopted),
    chapter('revisioner', 'Revisionsresultat och intern kontroll', [
      registerTable('Revisioner och intern kontroll', ['Datum', 'Slag', 'Omfattning', 'Resultat'], (reg.revisioner ?? []).map((r) => [r.data.date, AUDIT_KINDS[r.data.kind], r.data.scope, r.data.findings])),
    ], 3),
    objectivesChapter(inputs, status, adopted),
    chapter('aterkoppling', 'e) Återkoppling från intressenter', [
      registerTable('Återkoppling från intressenter', ['Intressent', 'Återkoppling'], parties.filter((r) => r.data.feedback).map((r) => [r.data.name, r.data.feedback!])),
      narrative(review, 'aterkoppling'),
    ], 2),
    chapter('risker', 'f) Riskbedömning och riskbehandlingsplan', [
      narrative(review, 'risker'),
      registerTable('Riskbehandlingsplanens aktiviteter', ['Aktivitet', 'Ansvarig', 'Slutdatum', 'Status'], riskTreatment(ofYear).map((a) => [a.title, ownerText(a.owner), a.dueDate, status(a)])),
      registerTable('Kvarstående risker', ['Risk', 'Behandling', 'Nivå', 'Ägare', 'Accepterad'], (reg.restrisker ?? []).map((r) => [r.data.risk, r.data.treatment, r.data.level, r.data.owner, r.data.accepted ? 'Ja' : 'Nej'])),
    ], 2),
    chapter('forbattring', 'g) Möjligheter till ständig förbättring', [narrative(review, 'forbattring')], 2),
  ];
}

const AUDIT_KINDS = { intern: 'Internrevision', extern: 'Extern revision', internkontroll: 'Intern kontroll' } as const;

/** A register printed as a table; an empty one says so, for a reader cannot tell "none" from "not looked at". */
function tableOrNone(caption: string, columns: string[], rows: string[][], adopted: boolean): Block {
  return rows.length ? { type: 'table', caption, columns, rows } : { type: 'paragraph', text: `${caption}: inga uppgifter ${tense(adopted).be} registrerade.` };
}

function keyFigures(figures: ReviewFigures, adopted: boolean): Section {
  const years = [...new Set(figures.kpis.flatMap((k) => k.values.map((v) => v.year)))].sort();
  if (figures.kpis.length === 0) return chapter('nyckeltal', 'Övervakning och mätning: nyckeltal', [{ type: 'paragraph', text: `Inga nyckeltal ${tense(adopted).be} registrerade.` }], 3);
  return chapter('nyckeltal', 'Övervakning och mätning: nyckeltal', [
    {
      type: 'table',
      caption: 'Nyckeltal per år',
      columns: ['Nyckeltal', ...years.map(String), `Förändring ${figures.year - 1}–${figures.year}`],
      rows: figures.kpis.map((k) => {
        const at = (y: number) => k.values.find((v) => v.year === y);
        const prev = at(figures.year - 1);
        const last = at(figures.year);
        const change = prev && last && !prev.partial && !last.partial ? signed(last.value - prev.value) : '–';
        return [k.unit ? `${k.name} (${k.unit})` : k.name, ...years.map((y) => (at(y) ? valueText(at(y)!) : '–')), change];
      }),
    },
    ...figures.kpis
      .filter((k) => k.values.length >= 2)
      .map(
        (k): Block => ({
          type: 'chart',
          id: `kpi-${k.id}`,
          title: k.name,
          alt: `${k.name}: ${k.values.map((v) => `${v.year} ${valueText(v)}`).join(', ')}.`,
          spec: barChart(k.name, k.values.map((v) => ({ label: v.partial ? `${v.year} (delår)` : String(v.year), value: v.value })), k.unit),
        }),
      ),
  ], 3);
}

function incidentsChapter(figures: ReviewFigures, adopted: boolean): Section {
  const { year } = figures;
  const prevYear = figures.incidents.get(year - 1);
  const thisYear = figures.incidents.get(year);
  const labels = [...new Set([...(prevYear?.byCategory ?? []), ...(thisYear?.byCategory ?? [])].map((c) => c.label))];
  const count = (y: typeof prevYear, label: string) => y?.byCategory.find((c) => c.label === label)?.count ?? 0;
  const rows = labels.map((label) => ({ label, prev: count(prevYear, label), now: count(thisYear, label) }));
  const uncategorised = { label: 'Ej fördelade på kategori', prev: prevYear?.uncategorised ?? 0, now: thisYear?.uncategorised ?? 0 };
  if (uncategorised.prev + uncategorised.now > 0) rows.push(uncategorised);
  const total = { prev: prevYear?.total ?? 0, now: thisYear?.total ?? 0 };
  const { be } = tense(adopted);
  if (total.prev + total.now === 0) return chapter('incidenter', 'Incidenter', [{ type: 'paragraph', text: `Inga incidenter ${be} registrerade för ${year - 1} eller ${year}.` }], 3);
  // A change is a comparison of two whole years that both have figures; otherwise the column says "–".
  const partial = figures.kpis.find((k) => k.id === INCIDENT_KPI_ID)?.values.some((v) => (v.year === year || v.year === year - 1) && v.partial) ?? false;
  const comparable = prevYear !== undefined && thisYear !== undefined && !partial;
  const change = (prev: number, now: number) => (comparable ? signed(now - prev) : '–');
  const yearLabel = (y: number) => (figures.kpis.find((k) => k.id === INCIDENT_KPI_ID)?.values.find((v) => v.year === y)?.partial ? `${y} (delår)` : String(y));
  return chapter('incidenter', 'Incidenter', [
    { type: 'paragraph', text: incidentSentence(year, prevYear?.total, thisYear?.total, partial, be) },
    {
      type: 'table',
      caption: `Incidenter per kategori ${year - 1}–${year}`,
      columns: ['Kategori', yearLabel(year - 1), yearLabel(year), 'Förändring'],
      rows: [...rows.map((r) => [r.label, String(r.prev), String(r.now), change(r.prev, r.now)]), ['Totalt', String(total.prev), String(total.now), change(total.prev, total.now)]],
    },
    {
      type: 'chart',
      id: 'incidenter',
      title: `Incidenter per kategori ${year - 1} och ${year}`,
      alt: rows.map((r) => `${r.label}: ${r.prev} (${year - 1}), ${r.now} (${year})`).join('; ') + '.',
      spec: groupedBarChart(
        'Incidenter per kategori',
        rows.flatMap((r) => [
          { label: r.label, group: String(year - 1), value: r.prev },
          { label: r.label, group: String(year), value: r.now },
        ]),
      ),
    },
  ], 3);
}

/**
 * The incidents of the year against the year before: a change only between two whole years that
 * both have figures; a year with none entered, or a part of a year, is said to be so.
 */
function incidentSentence(year: number, prev: number | undefined, now: number | undefined, partial: boolean, be: string): string {
  const reported = (n: number) => `${n} ${n === 1 ? 'informationssäkerhetsincident' : 'informationssäkerhetsincidenter'}`;
  if (now === undefined) return `För ${year} ${be} inga incidenter registrerade. Under ${year - 1} rapporterades ${reported(prev ?? 0)}.`;
  if (prev === undefined) return `Under ${year} rapporterades ${reported(now)}. För ${year - 1} ${be} inga incidenter registrerade, så någon jämförelse görs inte.`;
  if (partial) return `Under ${year} rapporterades ${reported(now)}, mot ${prev} under ${year - 1}. Minst ett av åren avser bara en del av året (delår), så förändringen redovisas inte.`;
  return `Under ${year} rapporterades ${reported(now)}, mot ${prev} under ${year - 1} (${signed(now - prev)}).`;
}

/** The organisation's objectives (KF-mål, nämndmål), each with the activities that serve it and where they stand. */
function objectivesChapter(inputs: ReviewInputs, status: (a: ReviewActivity) => string, adopted: boolean): Section {
  const goals = inputs.goals ?? [];
  const serving = (id: string) => inputs.activities.filter((a) => a.goal === id && a.planYear <= inputs.year);
  return chapter('mal', 'Uppfyllelse av informationssäkerhetsmål', [
    tableOrNone(
      'Mål och förväntade resultat',
      ['Mål', 'Förväntade resultat', 'Aktiviteter (status)', 'Uppfyllt'],
      goals.map((g) => {
        const acts = serving(g.id);
        const finished = acts.filter((a) => FINISHED.includes(a.status)).length;
        return [
          `${g.kind === 'kf-mål' ? 'KF-mål' : 'Nämndmål'}: ${g.title}`,
          g.expectedResults.join('\n') || '–',
          acts.map((a) => `${bare(a.title)} (${status(a).toLowerCase()})`).join('\n') || `Ingen aktivitet ${tense(adopted).be} kopplad till målet`,
          acts.length ? `${finished} av ${acts.length} aktiviteter genomförda` : '–',
        ];
      }),
      adopted,
    ),
  ], 3);
}

/** The risk treatment plan's activities: those of the risk area and those from the risk analysis template. */
function riskTreatment(ofYear: ReviewActivity[]): ReviewActivity[] {
  return ofYear.filter((a) => a.area === 'riskanalys' || a.template === 'risk-analysis');
}

/** The MSB handlingsplan's columns, one table per year of the coming three. */
const PLAN_COLUMNS = ['Aktivitet', 'Mål/syfte', 'Åtgärd', 'Prioritet', 'Kostnad/resurs', 'Ansvarig', 'Start', 'Slut'];

function threeYearPlan(inputs: ReviewInputs, review: ReviewState): Section {
  const { year } = inputs;
  const next = [year + 1, year + 2, year + 3];
  const carried = carryOverItems(inputs, review).filter((i) => !i.choice || i.choice.choice === 'carry');
  return chapter('trearsplan', `Treårsplan ${next[0]}–${next[2]}`, [
    {
      type: 'paragraph',
      text:
        inRetrospect(review)
          ? `Handlingsplan per år i MSB:s form. Aktiviteter som inte blev klara under ${year} och som fördes över står under ${year + 1} med sin nya titel och sitt nya slutdatum; de fördes över när genomgången antogs.`
          : `Handlingsplan per år i MSB:s form. Aktiviteter som inte blev klara under ${year} och som förs över står under ${year + 1} med sin nya titel och sitt nya slutdatum; de förs över när genomgången antas.`,
    },
    ...next.map((y): Block => {
      const planned = inputs.activities.filter((a) => a.planYear === y);
      const moved = y === year + 1 ? carried : [];
      return {
        type: 'table',
        caption: `Handlingsplan ${y}`,
        columns: PLAN_COLUMNS,
        rows: [
          ...planned.map((a) => planRow(inputs, a, a.title, a.startDate ?? `${y}-01-01`, a.dueDate, a.continues ? `Överförd från ${yearOf(a.continues)}` : '')),
          ...moved.map((i) => {
            const c = i.choice?.choice === 'carry' ? i.choice : undefined;
            return planRow(inputs, i.activity, c?.title ?? i.suggestion.title, `${y}-01-01`, c?.due ?? i.suggestion.due, `Överförs från ${year}`);
          }),
        ],
      };
    }),
  ]);
}

function planRow(inputs: ReviewInputs, a: ReviewActivity, title: string, start: string, due: string, note: string): string[] {
  const goal = inputs.goals?.find((g) => g.id === a.goal);
  const purpose = [goal?.title, a.expectedResult].filter(Boolean).join('. ') || '–';
  const measure = a.description ? shorten(a.description, 300) : a.tasks.map((t) => t.title).slice(0, 3).join('; ') || '–';
  const cost = [a.estimatedCost !== undefined ? `${formatNumber(a.estimatedCost)} kr` : '', a.resources ?? ''].filter(Boolean).join(', ') || '–';
  return [note ? `${title} (${note.toLowerCase()})` : title, purpose, measure, a.priority ?? '–', cost, ownerText(a.owner), start, due];
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** 9.3.3 and the 9.3 judgement: the förvaltningschef's conclusion and decisions, with the activities they became. */
function decisionsChapter(review: ReviewState): Section {
  if (!review.adoption) return chapter('beslut', 'Slutsats och beslut', [{ type: 'paragraph', text: 'Slutsatsen och besluten förs in när förvaltningschefen antar genomgången.' }]);
  const { conclusion } = review.adoption;
  const yesNo = (b: boolean) => (b ? 'ja' : 'nej');
  const decisions = review.adoption.decisions.map(decisionItem);
  return chapter('beslut', 'Slutsats och beslut', [
    { type: 'paragraph', text: `Förvaltningschefen ${review.adoption.by.name} antog genomgången ${onDayOf(review.adoption.at)}.` },
    ...(conclusion
      ? [
          {
            type: 'paragraph',
            text: `Slutsats (ISO/IEC 27001:2022, 9.3): ledningssystemet för informationssäkerhet bedömdes lämpligt: ${yesNo(conclusion.suitable)}; tillräckligt: ${yesNo(conclusion.adequate)}; effektivt: ${yesNo(conclusion.effective)}.`,
          } as Block,
          { type: 'paragraph', text: conclusion.comment } as Block,
        ]
      : []),
    {
      type: 'table',
      caption: 'Beslut (ISO/IEC 27001:2022, 9.3.3)',
      columns: ['Beslut', 'Ansvarig', 'Klart senast', 'Aktivitet i nästa års plan'],
      rows: decisions.map((d) => [d.text, d.owner ? ownerText({ role: d.owner }) : '–', d.due ?? '–', d.activityId ?? '–']),
    },
  ]);
}

/** A decision adopted before decisions were data is its text alone. */
function decisionItem(d: string | ReviewDecisionItem): ReviewDecisionItem {
  return typeof d === 'string' ? { text: d } : d;
}

function statusText(a: ReviewActivity, figures: ReviewFigures, adopted: boolean): string {
  const label = statusLabel(a.status, adopted);
  const reason = a.status === 'cancelled' ? a.cancellation?.comment : a.status === 'deferred' ? a.deferral?.comment : undefined;
  if (reason) return `${label}: ${reason}`;
  return figures.late.has(a.id) ? `${label}, försenad` : label;
}

function valueText(v: { value: number; partial?: boolean }): string {
  return v.partial ? `${formatNumber(v.value)} (delår)` : formatNumber(v.value);
}

/** "773 (2026, delår)": the year and, for part of a year, that it is one, in one parenthesis. */
function valueWithYear(v: { year: number; value: number; partial?: boolean }): string {
  return `${formatNumber(v.value)} (${v.year}${v.partial ? ', delår' : ''})`;
}

/** The approvals of the activity's milestones, with their dates. */
function signOffs(a: ReviewActivity): string {
  const approved = a.milestones.flatMap((m) =>
    m.decisions.filter((d) => d.round === m.round && d.decision === 'approved').map((d) => `${bare(m.title)}: godkänd ${d.at.slice(0, 10)} av ${d.by.name}`),
  );
  return approved.join('; ') || '–';
}

function titleWithOrigin(a: ReviewActivity): string {
  return a.continues ? `${a.title} (överförd från ${yearOf(a.continues)})` : a.title;
}

function yearOf(activityId: string): string {
  return activityId.split('.')[1] ?? '';
}

function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '±0';
}
