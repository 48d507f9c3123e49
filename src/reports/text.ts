import { onDayOf } from '../services/reviews/wording';
import type { ReviewDocument } from '../services/reviews/document';

/** Wording that every export of a review shares, so the formats never drift apart. */

/** What a table without rows says, e.g. a year of the three-year plan with nothing planned yet. */
export const EMPTY_TABLE_TEXT = 'Inga aktiviteter';

export function titleLines(doc: ReviewDocument): string[] {
  return [
    doc.title,
    doc.organisation.name,
    ...(doc.organisation.board ? [`Till ${doc.organisation.board}`] : []),
    ...(doc.diaryNumber ? [`Diarienummer ${doc.diaryNumber}`] : []),
    doc.adoption ? `Antagen av förvaltningschefen ${onDayOf(doc.adoption.at)}` : `Sammanställd ${onDayOf(doc.compiledAt)}`,
    ...(doc.version > 1 ? [`Version ${doc.version}, rättelse av ${doc.corrects ?? 'tidigare version'}`] : []),
  ];
}

/** The running header: organisation, year and diary number. */
export function documentHeading(doc: ReviewDocument): string {
  return [doc.organisation.name, doc.title, doc.diaryNumber ? `Dnr ${doc.diaryNumber}` : undefined, doc.draft ? 'UTKAST' : undefined].filter(Boolean).join(' · ');
}

export function draftNotice(doc: ReviewDocument): string {
  return `UTKAST – inte antaget. Uppgifterna är hämtade ${onDayOf(doc.compiledAt)} och kan ändras fram till antagandet.`;
}

/** A narrative split into paragraphs; a blank one shows what is still to write in a draft. */
export function narrativeParagraphs(text: string, draft: boolean): { text: string; placeholder: boolean }[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length) return paragraphs.map((p) => ({ text: p, placeholder: false }));
  // An adopted review says so rather than leave a heading with nothing under it.
  return [draft ? { text: '[Text saknas – skrivs av informationssäkerhetssamordnaren.]', placeholder: true } : { text: 'Inget att redovisa.', placeholder: false }];
}
