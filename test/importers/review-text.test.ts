import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { splitSentences } from '../../src/services/plans/import/kpi-candidates';
import { classifyArea, type ExtractedActivity } from '../../src/services/plans/import/plan-items';
import { joinLines } from '../../src/services/plans/import/review-lines';
import { extractPlan } from '../../src/services/plans/import/review-text';
import { FASTIGHETSKONTORET_ITEMS, SODERMALM_PRIORITIES } from '../fixtures/seed-plan-items';

const seeds = path.resolve(__dirname, '../../../shared/seeds');
const plans = path.resolve(__dirname, '../../plans');
const fixtures = path.resolve(__dirname, '../fixtures/reports');

const read = (file: string) => readFileSync(file, 'utf8');

interface PlanYamlActivity {
  year: number;
  sourceSection?: string;
  title: string;
  area: string;
}
const planActivities = (file: string): PlanYamlActivity[] =>
  (parse(read(path.join(plans, file))) as { activities: PlanYamlActivity[] }).activities;

/** Titles per year, in order. */
const byYear = (activities: { year: number; title: string }[]) => {
  const out: Record<number, string[]> = {};
  for (const a of activities) (out[a.year] ??= []).push(a.title);
  return out;
};

const kpiTriples = (text: string) => extractPlan(text).kpis.map((k) => [k.name, k.year, k.value]);

/** A one-section review around the given list lines. */
const section = (...lines: string[]) => ['3.1 Förbättringsaktiviteter under 2026', ...lines].join('\n');
const titles = (text: string) => extractPlan(text).activities.map((a) => a.title);

// -------------------------------------------------------------------------------------------------

describe('seed report Fastighetskontoret (000_141bc22e8b1aaff0.txt)', () => {
  const result = extractPlan(read(path.join(seeds, '000_141bc22e8b1aaff0.txt')));

  const expected = FASTIGHETSKONTORET_ITEMS;

  it('finds every item of 3.1, 3.2 and 3.3 and nothing else', () => {
    expect(byYear(result.activities)).toEqual(expected);
    expect(result.activities.map((a) => `${a.year}:${a.section}`)).toEqual([
      ...Array<string>(10).fill('2026:3.1'),
      ...Array<string>(5).fill('2027:3.2'),
      ...Array<string>(5).fill('2028:3.3'),
    ]);
  });

  it('agrees with the reviewed plan file plans/fastighetskontoret.yaml (sections 3.1–3.3)', () => {
    const reviewed = planActivities('fastighetskontoret.yaml').filter((a) => ['3.1', '3.2', '3.3'].includes(a.sourceSection ?? ''));
    expect(byYear(reviewed)).toEqual(expected);
    expect(reviewed.map((a) => a.sourceSection)).toEqual(result.activities.map((a) => a.section));
  });

  it('maps items to areas by keyword, and never to an area other than the reviewed one', () => {
    expect(result.activities.map((a) => a.area)).toEqual([
      'informationsklassning', 'lokal-anvisning-och-roller', 'informationsklassning', 'riskanalys', 'riskanalys',
      'lokal-anvisning-och-roller', 'sakerhetsskydd', 'lokal-anvisning-och-roller', 'utbildning', 'utbildning',
      'ledningssystem', 'riskanalys', null, 'ledningssystem', 'utbildning',
      'ledningssystem', 'riskanalys', null, 'ledningssystem', 'utbildning',
    ]);
    const reviewed = planActivities('fastighetskontoret.yaml').filter((a) => ['3.1', '3.2', '3.3'].includes(a.sourceSection ?? ''));
    result.activities.forEach((a, i) => {
      if (a.area !== null) expect({ title: a.title, area: a.area }).toEqual({ title: a.title, area: reviewed[i]!.area });
    });
  });

  it('offers the incident count (2, reported in the summary and in 2.1.7) once, for the report year 2025', () => {
    expect(result.kpis).toEqual([
      {
        name: 'incidenter/händelser',
        year: 2025,
        value: 2,
        quote: 'Under den senaste 12 månaders-perioden har 2 st. incidenter/händelser rapporterats avseende informationssäkerhet.',
      },
    ]);
  });
});

describe('seed report Södermalm (002_c427e757c3233196.txt)', () => {
  const result = extractPlan(read(path.join(seeds, '002_c427e757c3233196.txt')));

  const expected = SODERMALM_PRIORITIES;

  it('finds every priority of 3.2, 3.3 and 3.4 and nothing else (not the prose proposals of 2.x.4)', () => {
    expect(byYear(result.activities)).toEqual(expected);
    expect(result.activities.map((a) => `${a.year}:${a.section}`)).toEqual([
      ...Array<string>(9).fill('2026:3.2'),
      ...Array<string>(5).fill('2027:3.3'),
      ...Array<string>(3).fill('2028:3.4'),
    ]);
  });

  it('agrees with the reviewed plan file plans/sodermalm.yaml (sections 3.2–3.4)', () => {
    const reviewed = planActivities('sodermalm.yaml').filter((a) => ['3.2', '3.3', '3.4'].includes(a.sourceSection ?? ''));
    expect(byYear(reviewed)).toEqual(expected);
    expect(reviewed.map((a) => a.sourceSection)).toEqual(result.activities.map((a) => a.section));
  });

  it('maps items to areas by keyword, and never to an area other than the reviewed one', () => {
    expect(result.activities.map((a) => a.area)).toEqual([
      'cybersakerhetslagen', 'ledningssystem', 'styrmodell-pm3', 'informationsklassning', null, null, 'utbildning', 'ai', null,
      'lokal-anvisning-och-roller', 'styrmodell-pm3', 'cybersakerhetslagen', 'utbildning', null,
      'styrmodell-pm3', 'utbildning', null,
    ]);
    const reviewed = planActivities('sodermalm.yaml').filter((a) => ['3.2', '3.3', '3.4'].includes(a.sourceSection ?? ''));
    result.activities.forEach((a, i) => {
      if (a.area !== null) expect({ title: a.title, area: a.area }).toEqual({ title: a.title, area: reviewed[i]!.area });
    });
  });

  it('offers the classification, certification and incident counts with their years', () => {
    expect(result.kpis.map((k) => [k.name, k.year, k.value])).toEqual([
      ['informationsklassningar', 2024, 74], // "I förra årets rapport …" under "2.1.1 År 2025"
      ['informationsklassningar', 2025, 98],
      ['medarbetare', 2025, 773],
      ['medarbetare', 2024, 881],
      ['medarbetare', 2023, 900],
      ['medarbetare', 2022, 367],
      ['informationssäkerhetsincidenter', 2025, 13],
    ]);
    expect(result.kpis[1]!.quote).toBe(
      'Det totala antalet informationsklassningar som genomförts vid förvaltningen, avslutade och pågående, uppgår därmed till totalt 98 stycken.',
    );
    for (const k of result.kpis) expect(k.quote).toContain(String(k.value));
  });

  it('agrees with the KPI values of the reviewed plan file, except the derived 2024 incident figure', () => {
    const kpis = (parse(read(path.join(plans, 'sodermalm.yaml'))) as { kpis: { id: string; values: { year: number; value: number }[] }[] }).kpis;
    const reviewed = kpis.flatMap((k) => k.values.map((v) => `${v.year}:${v.value}`));
    const found = result.kpis.map((k) => `${k.year}:${k.value}`);
    expect(reviewed.filter((v) => !found.includes(v))).toEqual(['2024:9']); // "fyra fler … än föregående år": not offered
    expect(found.filter((v) => !reviewed.includes(v))).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('synthetic reports (test/fixtures/reports)', () => {
  it('miljoforvaltningen.txt: • and – bullets, numbered and lettered items, "Aktiviteter 2028", a page number inside a list', () => {
    const a = (year: number, section: string, area: ExtractedActivity['area'], title: string) => ({ year, title, area, section });
    expect(extractPlan(read(path.join(fixtures, 'miljoforvaltningen.txt')))).toEqual({
      activities: [
        a(2026, '3.1', 'informationsklassning', 'Genomföra informationsklassning av förvaltningens ärendehanteringssystem.'),
        a(2026, '3.1', 'incidenthantering', 'Ta fram en rutin för incidentrapportering.'),
        a(2026, '3.1', 'utbildning', 'Utbilda samtliga chefer i informationssäkerhet, med fokus på it-system och behörigheter.'),
        a(2026, '3.1', 'it-forteckning', 'Upprätta en förteckning över förvaltningens it-system och tjänster.'),
        a(2026, '3.1', 'riskanalys', 'Fortsätta arbetet med risk- och sårbarhetsanalys.'),
        a(2027, '3.2', 'lokal-anvisning-och-roller', 'Revidera den lokala anvisningen för informationssäkerhet.'),
        a(2027, '3.2', 'upphandling', 'Följa upp leverantörernas informationssäkerhet vid upphandling av nya tjänster.'),
        a(2027, '3.2', 'sakerhetsskydd', 'Genomföra en säkerhetsskyddsanalys.'),
        a(2028, 'Aktiviteter 2028', 'ledningssystem', 'Utvärdera förvaltningens ledningssystem för informationssäkerhet.'),
        a(2028, 'Aktiviteter 2028', 'ai', 'Införa rutiner för användning av AI-verktyg.'),
        a(2028, 'Aktiviteter 2028', 'natverk-och-samarbeten', 'Fortsatt samverkan i stadens nätverk för informationssäkerhetssamordnare.'),
      ],
      kpis: [
        { name: 'informationsklassningar', year: 2025, value: 12, quote: 'Förvaltningen har under 2025 genomfört 12 informationsklassningar.' },
        // "240 medarbetare" in the summary has no year context: not offered. "3 år" is a duration.
        { name: 'informationssäkerhetsincidenter', year: 2025, value: 7, quote: 'Under året rapporterades totalt 7 stycken informationssäkerhetsincidenter.' },
      ],
    });
  });

  it('kulturforvaltningen.txt: a double-spaced Word export (BOM, CRLF) with U+F0B7 bullets, a same-line bullet, a wrapped heading and a page break inside an item', () => {
    const a = (year: number, section: string, area: ExtractedActivity['area'], title: string) => ({ year, title, area, section });
    expect(extractPlan(read(path.join(fixtures, 'kulturforvaltningen.txt')))).toEqual({
      activities: [
        a(2026, '3.1', 'cybersakerhetslagen', 'Implementera nya cybersäkerhetslagen i förvaltningens rutiner.'),
        a(2026, '3.1', 'utbildning', 'Genomföra utbildning för nämnden och förvaltningsledningen.'),
        a(2026, '3.1', 'informationsklassning', 'Arbetet med informationsklassningar fortsätter. Nya system prioriteras.'),
        a(2027, '3.2', 'styrmodell-pm3', 'Fortsatt implementering av styr- och samverkansmodellen pm3.'),
        a(2027, '3.2', 'riskanalys', 'Genomföra en riskanalys av förvaltningens mest kritiska system.'),
        a(2027, '3.2', null, 'Informationssäkerhet är en naturlig del av det löpande arbetet.'),
        // The paragraph after the list ("Förvaltningen återkommer …") and the appendix bullets are not items.
        a(2028, '3.3', null, 'Utvärdera förvaltningens arbete med informationssäkerhet.'),
      ],
      kpis: [
        // "5 fler" is a change; "4 informationssäkerhetssamordnare" under "2.1.2 Behov" has no year context.
        {
          name: 'incidenter',
          year: 2025,
          value: 21,
          quote: 'Antalet rapporterade incidenter under 2025 uppgick till totalt 21 stycken, vilket är 5 fler än föregående år.',
        },
      ],
    });
  });

  it('idrottsforvaltningen.txt: a table of contents, "N." chapters, 1) items, ▪ bullets with a same-line ▪, an unrelated list', () => {
    const a = (year: number, section: string, area: ExtractedActivity['area'], title: string) => ({ year, title, area, section });
    expect(extractPlan(read(path.join(fixtures, 'idrottsforvaltningen.txt')))).toEqual({
      activities: [
        a(2026, '3.1', 'lokal-anvisning-och-roller', 'Ta fram en lokal anvisning för informationssäkerhet.'),
        a(2026, '3.1', 'dataskydd', 'Genomföra en GDPR-årsrapport med registerförteckning.'),
        a(2026, '3.1', 'ledningssystem', 'Kartlägga arbetsprocesserna för informationssäkerhet inom förvaltningen.'),
        a(2027, '3.2', null, 'Uppföljning av genomförda aktiviteter.'),
        a(2027, '3.2', 'incidenthantering', 'Förbättra rutinen för incidenthantering.'),
        a(2027, '3.2', 'natverk-och-samarbeten', 'Delta i stadens nätverk för informationssäkerhet.'),
        a(2028, '3.3', 'informationsklassning', 'Genomföra en ny informationsklassning av bokningssystemet.'),
        a(2028, '3.3', null, 'Ta fram förvaltningsspecifika mål.'),
      ],
      kpis: [
        { name: 'medarbetare', year: 2024, value: 310, quote: 'Under 2024 certifierades 310 medarbetare och under 2025 certifierades 295 medarbetare.' },
        { name: 'medarbetare', year: 2025, value: 295, quote: 'Under 2024 certifierades 310 medarbetare och under 2025 certifierades 295 medarbetare.' },
      ],
    });
  });
});

// -------------------------------------------------------------------------------------------------

describe('list items', () => {
  it.each([
    ['•', '• '],
    ['▪', '▪ '],
    ['●', '● '],
    ['◦', '◦ '],
    ['U+F0B7 with a space', '\uF0B7 '],
    ['U+F0B7 without a space', '\uF0B7'],
    ['U+F0A7 (Wingdings square)', '\uF0A7 '],
    ['en dash', '– '],
    ['em dash', '— '],
    ['hyphen', '- '],
    ['asterisk', '* '],
  ])('takes %s bullets', (_kind, bullet) => {
    expect(titles(section(`${bullet}Första aktiviteten.`, `${bullet}Andra aktiviteten.`))).toEqual(['Första aktiviteten.', 'Andra aktiviteten.']);
  });

  it.each([
    ['1.', ['1. Första.', '2. Andra.', '3. Tredje.']],
    ['1)', ['1) Första.', '2) Andra.', '3) Tredje.']],
    ['(1)', ['(1) Första.', '(2) Andra.', '(3) Tredje.']],
    ['a)', ['a) Första.', 'b) Andra.', 'c) Tredje.']],
    ['(a)', ['(a) Första.', '(b) Andra.', '(c) Tredje.']],
  ])('takes numbered items %s', (_kind, lines) => {
    expect(titles(section(...lines))).toEqual(['Första.', 'Andra.', 'Tredje.']);
  });

  it('does not take a hyphen without a space as a bullet', () => {
    expect(titles(section('• Uppdatera förteckningen över it', '-system och tjänster.'))).toEqual(['Uppdatera förteckningen över it -system och tjänster.']);
  });

  it('ignores an introductory line before the first item', () => {
    expect(titles(section('Under året planeras följande:', '• Första.'))).toEqual(['Första.']);
  });
});

describe('wrapped items', () => {
  it('joins continuation lines with single spaces, across blank lines, keeping the final punctuation', () => {
    expect(titles(section('•   Genomföra en riskanalys  inom ramen för', '', 'det systematiska   arbetet;', '• Nästa!'))).toEqual([
      'Genomföra en riskanalys inom ramen för det systematiska arbetet;',
      'Nästa!',
    ]);
  });

  it('keeps a line-end hyphen in a compound without a space', () => {
    expect(titles(section('• Inventera förvaltningens it-', 'system under åren 2025-', '2026 och SS-', 'ISO/IEC 27001.'))).toEqual([
      'Inventera förvaltningens it-system under åren 2025-2026 och SS-ISO/IEC 27001.',
    ]);
  });

  it('keeps the space after a suspended compound ("risk- och")', () => {
    expect(titles(section('• Genomföra risk-', 'och sårbarhetsanalys samt informationssäkerhets-', 'eller dataskyddsutbildning.'))).toEqual([
      'Genomföra risk- och sårbarhetsanalys samt informationssäkerhets- eller dataskyddsutbildning.',
    ]);
  });

  it('drops a soft hyphen at a line end and joins the word', () => {
    expect(titles(section('• Informations\u00AD', 'klassning av system.'))).toEqual(['Informationsklassning av system.']);
  });

  it('joins after an en dash at a line end with a space', () => {
    expect(titles(section('• Omvärldsbevakning –', 'hot och trender.'))).toEqual(['Omvärldsbevakning – hot och trender.']);
  });

  it('does not take a paragraph after the list (single-spaced export)', () => {
    expect(titles(section('• Första.', '• Andra.', '', 'Förvaltningen återkommer med en bedömning.'))).toEqual(['Första.', 'Andra.']);
  });

  it('continues an item that has not ended its sentence, even after a blank line and a capital', () => {
    expect(titles(section('• Samverka med', '', 'Stadsledningskontoret.'))).toEqual(['Samverka med Stadsledningskontoret.']);
  });

  it('in a double-spaced export, continues across empty lines but ends at a whitespace-only line', () => {
    const text = ['3.1 Aktiviteter 2026', '', '▪ Arbetet fortsätter. ', '', 'Nya system prioriteras. ', '', ' ', '', 'En avslutande mening. ', '', 'Mer text. ', ''].join('\n');
    expect(titles(text)).toEqual(['Arbetet fortsätter. Nya system prioriteras.']);
  });
});

describe('page numbers and page breaks', () => {
  it.each(['9 (10)', '4 (12)', 'Sida 4 av 12', 'sida 4', '4 av 12', '4/12', '- 4 -', '4'])('skips "%s" inside an item and between items', (page) => {
    expect(titles(section('• Genomföra en riskanalys av', '', ' ', page, '', 'kritiska system.', page, '• Andra.'))).toEqual([
      'Genomföra en riskanalys av kritiska system.',
      'Andra.',
    ]);
  });

  it('continues an item across a page break even when the next page starts with a capital', () => {
    expect(titles(section('• Första meningen.', ' ', '9 (10)', ' ', 'Andra meningen.', '• Nästa.'))).toEqual(['Första meningen. Andra meningen.', 'Nästa.']);
  });
});

describe('an item on the same text line as the end of the previous one', () => {
  it.each([
    ['U+F0B7', '\uF0B7'],
    ['•', '•'],
    ['▪', '▪'],
  ])('splits at a %s bullet in the middle of a line', (_kind, bullet) => {
    expect(titles(section(`${bullet} Första aktiviteten som`, `slutar här. ${bullet} Andra aktiviteten.`))).toEqual([
      'Första aktiviteten som slutar här.',
      'Andra aktiviteten.',
    ]);
  });

  it('splits at U+F0B7 even without a space before it', () => {
    expect(titles(section('\uF0B7 Första.\uF0B7Andra.'))).toEqual(['Första.', 'Andra.']);
  });

  it('does not split at a hyphen or dash in the middle of a line', () => {
    expect(titles(section('• Rutiner – och roller - ses över.'))).toEqual(['Rutiner – och roller - ses över.']);
  });
});

describe('headings', () => {
  it.each([
    ['Förbättringsaktiviteter under 2026', 2026, 'Förbättringsaktiviteter under 2026'],
    ['3.1 Förbättringsaktiviteter under 2026', 2026, '3.1'],
    ['3.2. Prioriteringar under år 2027', 2027, '3.2'],
    ['Prioriteringar under år 2027', 2027, 'Prioriteringar under år 2027'],
    ['Aktiviteter 2028', 2028, 'Aktiviteter 2028'],
    ['4 Aktiviteter 2028', 2028, '4'],
    ['4. Aktiviteter 2028:', 2028, '4'],
    ['5.1 Planerade aktiviteter för år 2027', 2027, '5.1'],
    ['Åtgärder 2026', 2026, 'Åtgärder 2026'],
  ])('"%s" → year %d, section %s', (heading, year, sectionId) => {
    expect(extractPlan(`Inledning\n\n${heading}\n• Första.\n`).activities).toEqual([{ year, title: 'Första.', area: null, section: sectionId }]);
  });

  it('joins a heading wrapped over two lines', () => {
    expect(extractPlan('3.2 Prioriteringar under\når 2027\n• Första.').activities).toEqual([
      { year: 2027, title: 'Första.', area: null, section: '3.2' },
    ]);
  });

  it.each([
    ['a numbered heading', '3.3 Uppföljning'],
    ['a numbered heading with a trailing dot', '3.3. Uppföljning'],
    ['a chapter heading', '4 Bilagor'],
    ['a "N." chapter heading', '4. Bilagor'],
    ['a known heading', 'Sammanfattning'],
    ['a label after the list', 'Förväntat resultat:'],
  ])('ends the list at %s', (_kind, heading) => {
    expect(titles(section('• Första.', '• Andra.', '', heading, '• Inte en aktivitet.'))).toEqual(['Första.', 'Andra.']);
  });

  it('ends a numbered list at a chapter heading with the next chapter number', () => {
    const text = ['3. Treårsplan', '3.1 Aktiviteter 2026', '1. Första.', '2. Andra.', '4. Uppföljning', '1. Begreppslista'].join('\n');
    expect(titles(text)).toEqual(['Första.', 'Andra.']);
  });

  it('ends the list at the end of the text, and takes nothing from lists elsewhere or from a table of contents', () => {
    const text = [
      'Innehåll',
      '3.1 Förbättringsaktiviteter under 2026 ........ 9',
      '3.2 Förbättringsaktiviteter under 2027 9',
      '2.1 Incidenter',
      '• Riskobservation',
      '• Tillbud',
      '3.1 Förbättringsaktiviteter under 2026',
      '• Första.',
      '• Sista',
    ].join('\n');
    expect(titles(text)).toEqual(['Första.', 'Sista']);
  });

  it('does not take a heading-like sentence in prose as a plan heading', () => {
    expect(titles('Under 2026 planeras aktiviteter 2026 enligt nedan.\n• Inte en aktivitet.')).toEqual([]);
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    expect(extractPlan('\uFEFF3.1 Aktiviteter 2026\r\n• Första\r\nraden.\r\n').activities).toEqual([
      { year: 2026, title: 'Första raden.', area: null, section: '3.1' },
    ]);
  });

  it('returns nothing for a text without plan headings', () => {
    expect(extractPlan('Inledning\n\nIngen plan här.\n• Punkt.')).toEqual({ activities: [], kpis: [] });
    expect(extractPlan('')).toEqual({ activities: [], kpis: [] });
  });
});

describe('areas', () => {
  it.each([
    ['Fortsatt informationsklassning av system.', 'informationsklassning'],
    ['Revidera systemförteckningen.', 'it-forteckning'],
    ['Upprätta en förteckning över förvaltningens it-system.', 'it-forteckning'],
    ['Revidera den lokala anvisningen.', 'lokal-anvisning-och-roller'],
    ['Tydliggöra roller och ansvar.', 'lokal-anvisning-och-roller'],
    ['Genomföra utbildning för chefer.', 'utbildning'],
    ['Generella kompetenshöjande åtgärder.', 'utbildning'],
    ['Revidera rutinen för incidenthantering.', 'incidenthantering'],
    ['Ställa krav vid upphandling.', 'upphandling'],
    ['Delta i stadens nätverk.', 'natverk-och-samarbeten'],
    ['Genomföra en risk- och sårbarhetsanalys (RSA).', 'riskanalys'],
    ['Implementera nya cybersäkerhetslagen.', 'cybersakerhetslagen'],
    ['Förbereda för NIS2.', 'cybersakerhetslagen'],
    ['Ta fram rutiner för AI-tjänster.', 'ai'],
    ['Beakta säkerhetsskyddslagen.', 'sakerhetsskydd'],
    ['Ta fram en GDPR-årsrapport.', 'dataskydd'],
    ['Utvärdera ledningssystemet för informationssäkerhet.', 'ledningssystem'],
    ['Implementera pm3.', 'styrmodell-pm3'],
    ['Utse objektledare.', 'styrmodell-pm3'],
    ['Uppföljning av genomförda aktiviteter.', null],
    ['Genomföra systematiska kontroller.', null], // "kontroller" is not "roller"
    ['Mail från kontoret.', null], // "ai" inside a word is not AI
  ])('%s → %s', (title, area) => {
    expect(classifyArea(title)).toBe(area);
  });

  it('resolves titles naming two areas by rule order', () => {
    expect(classifyArea('Genomföra en riskanalys inom ramen för informationsklassningsarbetet.')).toBe('riskanalys');
    expect(classifyArea('Informationsklassningen med hänsyn till säkerhetsskyddslagen.')).toBe('sakerhetsskydd');
    expect(classifyArea('Informationsansvar samt utbildning.')).toBe('lokal-anvisning-och-roller');
  });
});

describe('helpers', () => {
  it('joinLines', () => {
    expect(joinLines('', 'a')).toBe('a');
    expect(joinLines('it-', 'system')).toBe('it-system');
    expect(joinLines('risk-', 'och')).toBe('risk- och');
    expect(joinLines('slut.', 'Nästa')).toBe('slut. Nästa');
  });

  it('splitSentences keeps abbreviations inside sentences', () => {
    expect(splitSentences('Vi har t.ex. 3 system. Det är bl.a. IA. Sista meningen')).toEqual([
      'Vi har t.ex. 3 system.',
      'Det är bl.a. IA.',
      'Sista meningen',
    ]);
  });
});

describe('KPI candidates', () => {
  const inYear = (...lines: string[]) => ['2.1.1 År 2025', ...lines].join('\n');

  it('takes the name from "antalet …", the year from the heading, the value and the sentence', () => {
    expect(extractPlan(inYear('Det totala antalet informationsklassningar uppgår', 'till totalt 98 stycken. Det är bra.')).kpis).toEqual([
      { name: 'informationsklassningar', year: 2025, value: 98, quote: 'Det totala antalet informationsklassningar uppgår till totalt 98 stycken.' },
    ]);
  });

  it('prefers a year in the same clause, and takes "förra året" as the context year minus one', () => {
    expect(kpiTriples(inYear('Under 2024 certifierades 310 medarbetare och under 2023 certifierades 295 medarbetare.'))).toEqual([
      ['medarbetare', 2024, 310],
      ['medarbetare', 2023, 295],
    ]);
    expect(kpiTriples(inYear('Förra året var antalet incidenter totalt 9 stycken.'))).toEqual([['incidenter', 2024, 9]]);
  });

  it('inherits the name of the previous candidate of the paragraph when the noun is generic or missing', () => {
    expect(kpiTriples(inYear('Antalet medarbetare som certifierats är 773 personer. Under 2024 var de totalt 881 personer.'))).toEqual([
      ['medarbetare', 2025, 773],
      ['medarbetare', 2024, 881],
    ]);
  });

  it.each([
    ['a date', 'Lagen träder i kraft 15 januari 2026.'],
    ['a duration', 'Systemet har använts i 3 år och 12 månader.'],
    ['a percentage', 'Målet är att 100 procent av medarbetarna ska vara certifierade.'],
    ['a change', 'Antalet klassningar har ökat med 24 stycken och är fyra fler än förra året.'],
    ['a section number or version', 'Se 3.5 Hög beredskap och KLASSA 4.0 samt version 2 av rutinen.'],
    ['a law or document reference', 'Säkerhetsskyddslagen (2018:585) och ärende KS 2023/439 gäller.'],
    ['a year alone', 'Under 2025 genomfördes arbetet.'],
    ['a number without a noun', 'Av 12 svarade de flesta ja.'],
  ])('offers no candidate for %s', (_kind, sentence) => {
    expect(extractPlan(inYear(sentence)).kpis).toEqual([]);
  });

  it('offers no candidate without a year context', () => {
    expect(extractPlan('2.1 Nuläge\nFörvaltningen har 4 informationssäkerhetssamordnare.').kpis).toEqual([]);
  });

  it('takes "under året" / "senaste 12 månaderna" as the report year (the first plan year minus one)', () => {
    const text = ['2.1 Incidenter', 'Under den senaste 12 månaderna har 2 st. incidenter rapporterats.', '3.1 Aktiviteter 2026', '• Första.'].join('\n');
    expect(kpiTriples(text)).toEqual([['incidenter', 2025, 2]]);
  });

  it('does not read plan sections (targets, not results) and reports each name/year/value once', () => {
    const text = [
      'Sammanfattning',
      '• Under 2025 rapporterades totalt 13 stycken incidenter.',
      '2.1 Incidenter',
      'Under 2025 rapporterades totalt 13 stycken incidenter.',
      '3.1 Aktiviteter 2026',
      '• Öka antalet klassningar till totalt 120 stycken under 2026.',
    ].join('\n');
    expect(kpiTriples(text)).toEqual([['incidenter', 2025, 13]]);
  });
});
