import { extractPlan } from '../../src/services/plans/import/review-text';

/**
 * KPI candidates a coordinator can trust: each figure under the year the sentence gives it, named
 * after the measured thing (never a verb or a filler word), with its sentence as the quote. The
 * sentences are the seed reports' own (joined as their lines are) and unseen ones.
 */

/** A paragraph under a heading for `year` (as the seeds' "2.1.1 År 2025"), before a plan for the year after it. */
const report = (year: number, paragraph: string) => [`2.1 År ${year}`, paragraph, `3.1 Aktiviteter ${year + 1}`, '• Första.'].join('\n');
const triples = (year: number, paragraph: string) => extractPlan(report(year, paragraph)).kpis.map((k) => [k.name, k.year, k.value]);

describe('KPI candidates: the seed reports', () => {
  it('Södermalm: classifications, the total in the previous year`s report, the increase left out', () => {
    const text =
      'I förra årets rapport uppgick det totala antalet informationsklassningar, avslutade och pågående, vid förvaltningen till totalt 74 stycken. ' +
      'Antalet informationsklassningar, avslutade och pågående, har under året ökat med 24 stycken. ' +
      'Det totala antalet informationsklassningar som genomförts vid förvaltningen, avslutade och pågående, uppgår därmed till totalt 98 stycken.';
    expect(triples(2025, text)).toEqual([
      ['informationsklassningar', 2024, 74],
      ['informationsklassningar', 2025, 98],
    ]);
  });

  it('Södermalm: certified staff per year, each figure under the year its clause gives', () => {
    const text =
      'Antalet medarbetare som genomfört utbildningen hittills år 2025 är totalt 773 personer. ' +
      'Det är en sänkning från år 2024 då totalt 881 personer certifierades samt från 2023 då totalt 900 certifierades. ' +
      'Siffran är fortsatt klart högre än de 367 medarbetare som genomförde utbildningen år 2022.';
    expect(triples(2025, text)).toEqual([
      ['medarbetare', 2025, 773],
      ['medarbetare', 2024, 881],
      ['medarbetare', 2023, 900],
      ['medarbetare', 2022, 367],
    ]);
  });

  it('Södermalm: incidents, not the change "fyra fler"', () => {
    const text =
      'Antal informationssäkerhetsincidenter som rapporterats in under 2025 i förvaltningens incidenthanteringssystem, IA, uppgår till totalt 13 stycken vilket är fyra fler rapporterade incident än under föregående år.';
    expect(triples(2025, text)).toEqual([['informationssäkerhetsincidenter', 2025, 13]]);
  });

  it('Fastighetskontoret: "senaste 12 månaders-perioden" is the report year, the name is the noun after "st."', () => {
    const text = 'Under den senaste 12 månaders-perioden har 2 st. incidenter/händelser rapporterats avseende informationssäkerhet. Dessa två incidenter avser en personuppgiftsincident hos en extern leverantör.';
    expect(extractPlan(report(2025, text)).kpis).toEqual([
      { name: 'incidenter/händelser', year: 2025, value: 2, quote: 'Under den senaste 12 månaders-perioden har 2 st. incidenter/händelser rapporterats avseende informationssäkerhet.' },
    ]);
  });
});

describe('KPI candidates: unseen sentences', () => {
  it.each([
    // [sentence, expected [name, year, value] triples]
    ['14 incidenter rapporterades under året (2024: 9).', [['incidenter', 2025, 14], ['incidenter', 2024, 9]]],
    ['Under 2025 rapporterades 21 incidenter (år 2024: 17), varav 3 avsåg förlorade mobiltelefoner.', [['incidenter', 2025, 21], ['incidenter', 2024, 17]]],
    ['Förvaltningen genomförde 12 informationsklassningar under året (8 år 2024).', [['informationsklassningar', 2025, 12], ['informationsklassningar', 2024, 8]]],
    ['Totalt 310 certifierade medarbetare fanns vid årets slut.', [['certifierade medarbetare', 2025, 310]]],
    ['Av de 40 systemen i förteckningen har 25 klassade system en utsedd systemägare under året.', [['systemen', 2025, 40], ['klassade system', 2025, 25]]],
    ['Under 2025 deltog 56 chefer i utbildningen, varav 12 avslutade den.', [['chefer', 2025, 56]]],
    ['Under året hölls 4 nya riskanalyser.', [['riskanalyser', 2025, 4]]],
    ['Incidenterna ökade med 5 jämfört med 2024.', []],
    ['Rutinen har reviderats 3 gånger under 2025.', []],
    ['Under 2025 var 95 procent av medarbetarna utbildade.', []],
    ['I 7 fall gick det inte att följa rutinen.', []],
    ['Avtalet löper i 24 månader från 1 mars 2025.', []],
    ['Under 2024 rapporterades 8 incidenter och under 2025 rapporterades 11 incidenter.', [['incidenter', 2024, 8], ['incidenter', 2025, 11]]],
  ] as [string, [string, number, number][]][])('%s', (sentence, expected) => {
    expect(triples(2025, sentence)).toEqual(expected);
  });

  it('every candidate carries its whole sentence as the quote', () => {
    const kpis = extractPlan(report(2025, 'Inledning utan siffror. Under året rapporterades 6 incidenter (2024: 4). Slut.')).kpis;
    expect(kpis.map((k) => k.quote)).toEqual(['Under året rapporterades 6 incidenter (2024: 4).', 'Under året rapporterades 6 incidenter (2024: 4).']);
  });
});
