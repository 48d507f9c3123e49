import ExcelJS from 'exceljs';
import type { ReviewDocument } from '../services/reviews/document';
import { spreadsheetCsv } from './csv';
import { draftNotice } from './text';

/**
 * The review's activity table (section "Uppföljning") as CSV and XLSX, for people who work on
 * in a spreadsheet (the CSV by the one CSV writer, ./csv.ts). A draft's table opens with the
 * draft notice, so a copy passed on is never mistaken for the adopted one.
 */

function activityTable(doc: ReviewDocument): { caption: string; columns: string[]; rows: string[][] } {
  const section = doc.sections.find((s) => s.id === 'uppfoljning');
  const table = section?.blocks.find((b) => b.type === 'table');
  if (!table || table.type !== 'table') throw new Error('the review has no activity table');
  return table;
}

export function renderCsv(doc: ReviewDocument): string {
  const { columns, rows } = activityTable(doc);
  const notice = doc.draft ? [[draftNotice(doc)]] : [];
  return spreadsheetCsv([...notice, columns, ...rows]);
}

export async function renderXlsx(doc: ReviewDocument): Promise<Buffer> {
  const { caption, columns, rows } = activityTable(doc);
  const book = new ExcelJS.Workbook();
  book.creator = 'lisplan';
  // Fixed dates make the same snapshot give the same workbook.
  book.created = book.modified = new Date(doc.adoption?.at ?? doc.compiledAt);
  const sheet = book.addWorksheet(`${doc.draft ? 'UTKAST ' : ''}${caption}`.slice(0, 31));
  if (doc.draft) {
    sheet.addRow([draftNotice(doc)]).font = { bold: true, color: { argb: 'FFB00020' } };
    sheet.headerFooter.oddHeader = '&C&"-,Bold"UTKAST – inte antaget';
  }
  sheet.addRow(columns).font = { bold: true };
  rows.forEach((r) => sheet.addRow(r));
  sheet.columns.forEach((c, i) => (c.width = i === 0 ? 60 : 24));
  sheet.views = [{ state: 'frozen', ySplit: doc.draft ? 2 : 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
