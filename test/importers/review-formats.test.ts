import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readReview, UnsupportedFormatError } from '../../src/services/plans/import/read-review';
import { extractPlan } from '../../src/services/plans/import/review-text';
import { mapColumns, parseCost, parseDate } from '../../src/services/plans/import/plan-table';
import { pdfPagesToText } from '../../src/services/plans/import/pdf-text';
import { thisYear } from '../support/calendar';
import { blocksFromText, reviewDocx, reviewPdf, type ReviewBlock } from '../support/review-documents';

/**
 * An unseen review in another administration's shape, as a real Word document (a Word table, a
 * Word bullet list, a Word numbered list, headings) and as a PDF of the same content: both must
 * give exactly the items, owners and due dates written into them.
 */

jest.setTimeout(60_000);

const Y = thisYear() + 1;
const longTitle = 'Genomföra en riskanalys av förvaltningens samtliga verksamhetskritiska e-tjänster och dokumentera de riskreducerande åtgärderna i en handlingsplan';

const UNSEEN: ReviewBlock[] = [
  { kind: 'heading', text: '1 Sammanfattning', level: 1 },
  { kind: 'paragraph', text: `Under ${Y - 1} rapporterades 14 incidenter (${Y - 2}: 9), varav 3 avsåg förlorade enheter.` },
  { kind: 'heading', text: '3 Treårsplan', level: 1 },
  { kind: 'heading', text: `3.1 Aktiviteter ${Y}`, level: 2 },
  { kind: 'paragraph', text: 'Tabellen visar årets aktiviteter.' },
  {
    kind: 'table',
    rows: [
      ['Aktivitet', 'Ansvarig', 'Start', 'Klart senast', 'Prioritet', 'Kostnad'],
      ['Klassa verksamhetens information i ärendesystemet', 'Informationsägare', `${Y}-02-01`, `${Y}-06-30`, 'Hög', '50 000 kr'],
      [longTitle, 'Informationssäkerhetssamordnare', '', `30 september ${Y}`, 'Medel', ''],
      ['Utbilda chefer i incidenthantering', 'HR-strateg', '', `Q4 ${Y}`, 'Låg', '20 tkr'],
    ],
  },
  { kind: 'heading', text: `3.2 Aktiviteter ${Y + 1}`, level: 2 },
  { kind: 'bullets', items: ['Ta fram lokala rutiner för AI.', 'Följa upp leverantörernas informationssäkerhet vid upphandling.'] },
  { kind: 'heading', text: `3.3 Aktiviteter ${Y + 2}`, level: 2 },
  { kind: 'numbered', items: ['Revidera den lokala anvisningen för informationssäkerhet.', 'Öva incidenthantering med förvaltningsledningen.'] },
  { kind: 'heading', text: '4 Beslut', level: 1 },
  { kind: 'paragraph', text: 'Förvaltningschefen fastställer planen.' },
];

const EXPECTED = [
  { year: Y, section: '3.1', title: 'Klassa verksamhetens information i ärendesystemet', owner: 'Informationsägare', startDate: `${Y}-02-01`, dueDate: `${Y}-06-30`, priority: 'hög', estimatedCost: 50_000 },
  { year: Y, section: '3.1', title: longTitle, owner: 'Informationssäkerhetssamordnare', dueDate: `${Y}-09-30`, priority: 'medel' },
  { year: Y, section: '3.1', title: 'Utbilda chefer i incidenthantering', owner: 'HR-strateg', dueDate: `${Y}-12-31`, priority: 'låg', estimatedCost: 20_000 },
  { year: Y + 1, section: '3.2', title: 'Ta fram lokala rutiner för AI.' },
  { year: Y + 1, section: '3.2', title: 'Följa upp leverantörernas informationssäkerhet vid upphandling.' },
  { year: Y + 2, section: '3.3', title: 'Revidera den lokala anvisningen för informationssäkerhet.' },
  { year: Y + 2, section: '3.3', title: 'Öva incidenthantering med förvaltningsledningen.' },
];

const shape = (activity: object) => {
  const a = activity as Record<string, unknown>;
  return Object.fromEntries(['year', 'section', 'title', 'owner', 'startDate', 'dueDate', 'priority', 'estimatedCost'].filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
};

describe('reading an unseen review with a Word table, a bullet list and a numbered list', () => {
  it('.docx: every table row is an activity with its owner, dates, priority and cost; the lists are items', async () => {
    const plan = extractPlan(await readReview(await reviewDocx(UNSEEN), 'LG.docx'));
    expect(plan.activities.map(shape)).toEqual(EXPECTED);
    expect(plan.activities[0]!.resources).toBe('50 000 kr');
  });

  it('.pdf made from the same content: the same items, owners and due dates; no running header or page number in any title', async () => {
    const pdf = await reviewPdf(UNSEEN);
    const text = await readReview(pdf, 'LG.pdf');
    expect(text).not.toMatch(/Sida \d|Ledningens genomgång – testförvaltningen/u);
    expect(extractPlan(text).activities.map(shape)).toEqual(EXPECTED);
  });

  it('.pdf over several pages: a wrapped item continues across the page break and the running lines are gone', async () => {
    const items = Array.from({ length: 45 }, (_, i) => `Aktivitet ${i + 1}: genomföra en genomgång av behörigheterna i verksamhetssystem nummer ${i + 1} och rätta de fel som hittas.`);
    const text = await readReview(await reviewPdf([{ kind: 'heading', text: `3.1 Aktiviteter ${Y}` }, { kind: 'bullets', items }]), 'lang.pdf');
    expect(extractPlan(text).activities.map((a) => a.title)).toEqual(items);
  });

  it.each(['000_141bc22e8b1aaff0.txt', '002_c427e757c3233196.txt'])('seed %s: the Word document and the PDF made from it give the plan of its text', async (seed) => {
    const text = readFileSync(path.join(__dirname, '../../../shared/seeds', seed), 'utf8');
    const expected = extractPlan(text).activities.map((a) => [a.year, a.section, a.title]);
    const blocks = blocksFromText(text);
    const fromDocx = extractPlan(await readReview(await reviewDocx(blocks), 'seed.docx'));
    const fromPdf = extractPlan(await readReview(await reviewPdf(blocks), 'seed.pdf'));
    expect(fromDocx.activities.map((a) => [a.year, a.section, a.title])).toEqual(expected);
    expect(fromPdf.activities.map((a) => [a.year, a.section, a.title])).toEqual(expected);
  });

  it('refuses a file that only claims to be a PDF, and other types, in one line', async () => {
    await expect(readReview(Buffer.from('not a pdf'), 'LG.pdf')).rejects.toThrow(/LG\.pdf is not a PDF document that can be read/u);
    await expect(readReview(Buffer.from('%PDF-1.7 broken'), 'LG.pdf')).rejects.toThrow(UnsupportedFormatError);
    await expect(readReview(Buffer.from('x'), 'LG.rtf')).rejects.toThrow(/unsupported file type \.rtf/u);
  });

  it('a text file cannot smuggle table rows in', async () => {
    const text = await readReview(Buffer.from(`3.1 Aktiviteter ${Y}\n\u001EAktivitet\u001FAnsvarig\n\u001EFalsk\u001FNågon\n• Äkta.`), 'x.txt');
    expect(extractPlan(text).activities.map((a) => a.title)).toEqual(['Äkta.']);
  });
});

describe('plan tables', () => {
  it('maps columns by their header words, whatever their order', () => {
    expect(mapColumns(['Prio', 'Åtgärd', 'Förväntat resultat', 'Ansvar', 'Slutdatum', 'Mål', 'Resurser', 'Okänt'])).toEqual([
      'priority', 'title', 'expectedResult', 'owner', 'dueDate', 'goal', 'cost', null,
    ]);
  });

  it('reads Swedish dates and amounts', () => {
    expect(parseDate('2026-03-31', 2026)).toBe('2026-03-31');
    expect(parseDate('30/6 2027', 2026)).toBe('2027-06-30');
    expect(parseDate('15 mars', 2026)).toBe('2026-03-15');
    expect(parseDate('juni 2026', 2026)).toBe('2026-06-30');
    expect(parseDate('kvartal 1', 2028)).toBe('2028-03-31');
    expect(parseDate('Löpande', 2026)).toBeUndefined();
    expect(parseDate('2026-02-30', 2026)).toBeUndefined();
    expect(parseCost('ca 1,5 mkr')).toBe(1_500_000);
    expect(parseCost('200 timmar')).toBeUndefined();
  });

  it('a table without a title column under a plan heading is not a plan', () => {
    const text = `3.1 Aktiviteter ${Y}\n\u001EÅr\u001FAntal\n\u001E${Y}\u001F4\n• Ett riktigt item.`;
    expect(extractPlan(text).activities.map((a) => a.title)).toEqual(['Ett riktigt item.']);
  });
});

describe('PDF lines', () => {
  const item = (str: string, x: number, y: number, size = 10) => ({ str, x, y, width: str.length * size * 0.5, size });

  it('reads a list number drawn after its text first, and splits paragraphs at gaps wider than the line spacing', () => {
    const body = (y: number, str: string) => item(str, 56, y);
    const text = pdfPagesToText([
      {
        height: 842,
        items: [item('Rubrik', 56, 700, 14), body(676, 'Första raden i stycket'), body(664, 'andra raden'), body(652, 'tredje raden.'), item('Text', 76, 628), item('1.', 56, 628), body(616, 'fortsätter.'), body(592, 'Nytt stycke.')],
      },
    ]);
    expect(text.split('\n')).toEqual(['Rubrik', '', 'Första raden i stycket', 'andra raden', 'tredje raden.', '', '1. Text', 'fortsätter.', '', 'Nytt stycke.']);
  });
});
