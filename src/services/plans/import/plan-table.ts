import { classifyArea, type ExtractedActivity, type Priority } from './plan-items';

/**
 * A plan written as a table (one row an activity), as Word reviews often have it under a plan
 * heading. The columns are told by the words of the header row, not by their order:
 *
 * | field | header words (first matching rule wins, whole header cell, case-insensitive) |
 * |---|---|
 * | expectedResult | "förväntat resultat", "resultat", "effekt" |
 * | goal | "mål", "koppling till mål", "målkoppling" |
 * | dueDate | "klart senast", "slutdatum", "klart", "senast", "deadline", "tidplan", "när" |
 * | startDate | "start", "startdatum", "påbörjas", "från" |
 * | owner | "ansvarig", "ansvar", "ägare", "vem" |
 * | priority | "prioritet", "prio" |
 * | cost | "kostnad", "budget", "resurs", "resurser", "resursbehov" (a figure in kr also becomes the estimated cost) |
 * | title | "aktivitet", "åtgärd", "insats", "beskrivning", "titel", "vad" |
 * | year | "år", "planår" (a year in the cell overrides the heading's) |
 *
 * A table is a plan table only when one column is the title. Rows with an empty title are skipped.
 * Dates are read as written in Swedish reviews: "2026-06-30", "30/6 2026", "30 juni 2026",
 * "juni 2026" (the month's last day), "Q2 2026" / "kvartal 2" (the quarter's last day), "31 dec"
 * (the row's year); anything else ("löpande", "hela året") leaves the date out.
 */

export type Column = 'title' | 'owner' | 'dueDate' | 'startDate' | 'priority' | 'cost' | 'goal' | 'expectedResult' | 'year';

const COLUMN_RULES: ReadonlyArray<[Column, RegExp]> = [
  ['expectedResult', /^(?:förväntat?|förväntade)?\s*(?:resultat|effekt)(?:er)?$/iu],
  ['goal', /^(?:koppling till\s+)?(?:mål|målkoppling|nämndmål|kf-mål)$/iu],
  ['dueDate', /^(?:klart senast|slutdatum|klart|klar|senast|deadline|tidplan|när|färdigt|slutförs|slut)$/iu],
  ['startDate', /^(?:start|startdatum|påbörjas|börjar|från)$/iu],
  ['owner', /^(?:ansvarig|ansvariga|ansvar|ägare|vem)$/iu],
  ['priority', /^(?:prioritet|prio|prioritering)$/iu],
  ['cost', /^(?:kostnad|kostnader|budget|resurs|resurser|resursbehov|kostnad\s*\/\s*resurs(?:er)?|resurs(?:er)?\s*\/\s*kostnad)$/iu],
  ['title', /^(?:aktivitet|aktiviteter|åtgärd|åtgärder|insats|insatser|beskrivning|titel|vad|förbättringsaktivitet)$/iu],
  ['year', /^(?:år|planår|årtal)$/iu],
];

/** The field each column holds, by its header cell; null for a column no rule knows. */
export function mapColumns(header: string[]): (Column | null)[] {
  const taken = new Set<Column>();
  return header.map((cell) => {
    const text = cell.replace(/[:*]+$/u, '').replace(/\s+/gu, ' ').trim();
    const rule = COLUMN_RULES.find(([column, re]) => !taken.has(column) && re.test(text));
    if (!rule) return null;
    taken.add(rule[0]);
    return rule[0];
  });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number): string | undefined =>
  month >= 1 && month <= 12 && day >= 1 && day <= lastDay(year, month) ? `${year}-${pad(month)}-${pad(day)}` : undefined;
const monthOf = (word: string): number => MONTHS.findIndex((m) => word.toLowerCase().startsWith(m)) + 1;

/** An ISO date from a table cell (see the module comment), or undefined. */
export function parseDate(cell: string, year: number): string | undefined {
  const text = cell.trim();
  let m = /(?<!\d)((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?!\d)/u.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /(?<!\d)(\d{1,2})\/(\d{1,2})(?:\s*[-/ ]\s*((?:19|20)\d\d))?(?!\d)/u.exec(text);
  if (m) return iso(m[3] ? Number(m[3]) : year, Number(m[2]), Number(m[1]));
  m = /(?<!\d)(\d{1,2})\s+(\p{L}{3,})\.?(?:\s+((?:19|20)\d\d))?/u.exec(text);
  if (m && monthOf(m[2]!) > 0) return iso(m[3] ? Number(m[3]) : year, monthOf(m[2]!), Number(m[1]));
  m = /(?:^|\s)(?:q|kvartal|kv\.?)\s*([1-4])(?:\s+((?:19|20)\d\d))?/iu.exec(text);
  if (m) {
    const y = m[2] ? Number(m[2]) : year;
    const month = Number(m[1]) * 3;
    return iso(y, month, lastDay(y, month));
  }
  m = /(?:^|\s)(\p{L}{3,})\.?\s+((?:19|20)\d\d)/u.exec(` ${text}`);
  if (m && monthOf(m[1]!) > 0) {
    const y = Number(m[2]);
    return iso(y, monthOf(m[1]!), lastDay(y, monthOf(m[1]!)));
  }
  return undefined;
}

export function parsePriority(cell: string): Priority | undefined {
  const text = cell.trim().toLowerCase();
  if (/^(?:hög|högsta|high|1|a)\b/u.test(text)) return 'hög';
  if (/^(?:medel|mellan|normal|medium|2|b)\b/u.test(text)) return 'medel';
  if (/^(?:låg|lägre|low|3|c)\b/u.test(text)) return 'låg';
  return undefined;
}

/** An amount in SEK written with kr, tkr or mkr ("50 000 kr", "200 tkr"), or undefined. */
export function parseCost(cell: string): number | undefined {
  const m = /(\d{1,3}(?:[ \u00A0.]\d{3})+|\d+(?:,\d+)?)\s*(kr|kronor|sek|tkr|mkr|mnkr)(?![\p{L}])/iu.exec(cell);
  if (!m) return undefined;
  const value = Number(m[1]!.replace(/[ \u00A0.]/gu, '').replace(',', '.'));
  const unit = m[2]!.toLowerCase();
  return value * (unit === 'tkr' ? 1_000 : unit === 'mkr' || unit === 'mnkr' ? 1_000_000 : 1);
}

const clean = (s: string) => s.replace(/\s+/gu, ' ').trim();
const limit = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s);

/**
 * The activities of a table under a plan heading: header row first, one activity per later row.
 * Null when the header has no title column (then the table is not a plan).
 */
export function activitiesFromTable(rows: string[][], year: number, section: string): ExtractedActivity[] | null {
  const [header, ...body] = rows;
  if (!header) return null;
  const columns = mapColumns(header);
  if (!columns.includes('title')) return null;
  const out: ExtractedActivity[] = [];
  for (const row of body) {
    const cell = (c: Column) => clean(row[columns.indexOf(c)] ?? '');
    const title = cell('title');
    if (!title) continue;
    const rowYear = /^(?:19|20)\d\d$/u.test(cell('year')) ? Number(cell('year')) : year;
    const activity: ExtractedActivity = { year: rowYear, title: limit(title, 400), area: classifyArea(title), section };
    const owner = cell('owner');
    if (owner) activity.owner = limit(owner, 200);
    const due = parseDate(cell('dueDate'), rowYear);
    if (due) activity.dueDate = due;
    const start = parseDate(cell('startDate'), rowYear);
    if (start) activity.startDate = start;
    const priority = parsePriority(cell('priority'));
    if (priority) activity.priority = priority;
    const cost = cell('cost');
    if (cost) {
      activity.resources = limit(cost, 400);
      const sek = parseCost(cost);
      if (sek !== undefined) activity.estimatedCost = sek;
    }
    if (cell('goal')) activity.goal = limit(cell('goal'), 300);
    if (cell('expectedResult')) activity.expectedResult = limit(cell('expectedResult'), 400);
    out.push(activity);
  }
  return out;
}
