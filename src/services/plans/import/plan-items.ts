/**
 * The plan items a review names, and the area each belongs to.
 *
 * ## Plan items
 *
 * A *plan heading* is a line (optionally numbered, "3.2" / "3.2." / "3.") whose text is a plan word
 * followed by a year: "Förbättringsaktiviteter under 2026", "Prioriteringar under år 2027",
 * "Aktiviteter 2028", "Planerade aktiviteter för 2027", "Åtgärder 2026", "Insatser 2026:"
 * (see {@link PLAN_HEADING}). A heading wrapped over two lines is joined first (see "Headings").
 * Its items are the list items that follow it, up to the next heading, a label line such as
 * "Förväntat resultat:" (once an item has been seen), or the end of the text. Nothing else is taken:
 * prose and bullet lists under other headings are never activities.
 *
 * - List items start with a bullet: `•`, `▪`, `●`, `◦`, `■`, `·`, `➢`, `✓`, any private-use
 *   character (U+E000–U+F8FF, e.g. U+F0B7 that PDF exports leave for Symbol-font bullets), or a
 *   dash/asterisk followed by a space (`–`, `—`, `-`, `*`); or are numbered `1.`, `1)`, `(1)`, `a)`,
 *   `(a)`. A numbered `N.` line counts as an item only when N is the next number of the list
 *   (1 for the first); otherwise it is a heading if it looks like one, else a continuation.
 * - A private-use bullet, `•` or `▪` in the middle of a line (after a space) starts a new item: PDF
 *   exports sometimes put the next item on the line where the previous one ends.
 * - Other lines continue the open item ("wrapped" items). Blank lines and page-number lines
 *   (`9 (10)`, `Sida 4 av 12`, `4/12`, `- 4 -`, a lone number) are skipped.
 * - A paragraph after the list is not part of the last item: a line after a blank line ends the item
 *   when the item already ends a sentence (`.`, `!`, `?`) and the line starts with a capital — except in
 *   "double-spaced" exports (most lines followed by an empty line, as Word exports often are), where
 *   only a whitespace-only line (an empty Word paragraph) counts as such a break. A page-number line
 *   never ends an item: items continue across page breaks.
 * - Title: the item's lines joined with single spaces, bullet removed, wording and final punctuation
 *   kept. A hyphen at the end of a line joins a compound without a space ("it-\nsystem" →
 *   "it-system", "2025-\n2026" → "2025-2026"), except before "och", "eller", "samt", "respektive",
 *   "resp.", "till" ("risk-\noch sårbarhetsanalys" → "risk- och sårbarhetsanalys"). A soft hyphen
 *   (U+00AD) at the end of a line is dropped and the word joined.
 * - `section` is the heading's number ("3.1"), or its text when it has none ("Aktiviteter 2028").
 * - `area`: the first rule of {@link AREA_RULES} whose keywords occur in the title, else null.
 */

export const AREA_IDS = [
  'informationsklassning',
  'it-forteckning',
  'lokal-anvisning-och-roller',
  'utbildning',
  'incidenthantering',
  'upphandling',
  'natverk-och-samarbeten',
  'riskanalys',
  'cybersakerhetslagen',
  'ai',
  'sakerhetsskydd',
  'dataskydd',
  'ledningssystem',
  'styrmodell-pm3',
] as const;
export type AreaId = (typeof AREA_IDS)[number];

/** The areas' Swedish names, for an organisation that does not have the area yet. */
export const AREA_NAMES: Record<AreaId, string> = {
  informationsklassning: 'Informationsklassning',
  'it-forteckning': 'Förteckning av it-system och tjänster',
  'lokal-anvisning-och-roller': 'Lokal anvisning samt rollbesättning och ansvar',
  utbildning: 'Utbildning och kompetens',
  incidenthantering: 'Incidenthantering',
  upphandling: 'Informationssäkerhet på upphandlingsområdet',
  'natverk-och-samarbeten': 'Nätverk och samarbeten',
  riskanalys: 'Riskanalys',
  cybersakerhetslagen: 'Cybersäkerhetslagen (NIS2)',
  ai: 'AI',
  sakerhetsskydd: 'Säkerhetsskydd',
  dataskydd: 'Dataskydd',
  ledningssystem: 'Ledningssystem för informationssäkerhet',
  'styrmodell-pm3': 'Styr- och samverkansmodellen pm3',
};

export type Priority = 'hög' | 'medel' | 'låg';

/**
 * One plan item. Items of a list carry year, title, area and section; items of a plan table
 * (./plan-table) also what its columns give, as written (owner) or parsed (dates, priority, cost).
 */
export interface ExtractedActivity {
  year: number;
  title: string;
  area: AreaId | null;
  section: string;
  owner?: string;
  startDate?: string;
  dueDate?: string;
  priority?: Priority;
  resources?: string;
  estimatedCost?: number;
  goal?: string;
  expectedResult?: string;
}

// ---------------------------------------------------------------------------------------------
// Areas

/** Matches `word` as a whole word (or word start with `prefix`), Unicode-aware. */
const w = (source: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})`, flags);

/**
 * Keyword rules, in priority order: the first rule with a match decides. The order resolves titles
 * that name two areas: a risk analysis "inom ramen för … informationsklassningsarbete" is risk
 * analysis; classification "med hänsyn till säkerhetsskyddslagen" is protective security; "lokal
 * anvisning som beskriver … ledningssystem" is the local instruction; "informationsansvar samt
 * utbildning" is roles and responsibility. Keywords match at a word start (compounds such as
 * "informationsklassningar" are matched by their own keyword).
 */
export const AREA_RULES: ReadonlyArray<{ area: AreaId; keywords: RegExp[] }> = [
  { area: 'sakerhetsskydd', keywords: [/säkerhetsskydd/iu] },
  { area: 'cybersakerhetslagen', keywords: [/cybersäkerhetslag/iu, w('nis ?2(?![\\p{N}])')] },
  { area: 'ai', keywords: [w('AI(?![\\p{L}])', 'u'), /artificiell intelligens/iu] },
  { area: 'dataskydd', keywords: [/dataskydd/iu, /personuppgift/iu, w('gdpr'), /registerförteckning/iu] },
  { area: 'incidenthantering', keywords: [/incident/iu] },
  {
    area: 'riskanalys',
    keywords: [/riskanalys/iu, /sårbarhetsanalys/iu, w('rsa(?![\\p{L}])'), /riskbedömning/iu, /riskreducerande/iu],
  },
  { area: 'upphandling', keywords: [/upphandl/iu, /leverantörsuppföljning/iu, /avtalsförvaltning/iu] },
  { area: 'styrmodell-pm3', keywords: [w('pm3(?![\\p{L}\\p{N}])'), /styr- och samverkansmodell/iu, /objektledare/iu] },
  {
    area: 'it-forteckning',
    keywords: [/systemförteckning/iu, /it-förteckning/iu, /förteckning\p{L}* (?:över|av) [\p{L} ]*it-system/iu],
  },
  {
    area: 'lokal-anvisning-och-roller',
    keywords: [
      w('lokala? anvisning'),
      /rollbesättning/iu,
      /informationsansvar/iu,
      /ansvarsfördelning/iu,
      /delegationsordning/iu,
      w('roller(?![\\p{L}])'),
    ],
  },
  {
    area: 'utbildning',
    keywords: [/utbild/iu, /kompetenshöj/iu, /kompetensutveckl/iu, /kompetensförsörjning/iu, /certifiering/iu, /medvetenhet/iu],
  },
  { area: 'natverk-och-samarbeten', keywords: [/nätverk/iu] },
  { area: 'informationsklassning', keywords: [/klassning/iu, /klassa/iu, /informationsinventering/iu] },
  {
    area: 'ledningssystem',
    keywords: [
      /ledningssystem/iu,
      w('lis(?![\\p{L}])'),
      /systematiska informationssäkerhetsarbete/iu,
      /arbetsprocess/iu,
      /27001/u,
    ],
  },
];

/** The area a title clearly belongs to by {@link AREA_RULES}, or null. */
export function classifyArea(title: string): AreaId | null {
  for (const rule of AREA_RULES) {
    if (rule.keywords.some((k) => k.test(title))) return rule.area;
  }
  return null;
}
