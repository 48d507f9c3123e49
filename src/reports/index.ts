import type { ReviewDocument } from '../services/reviews/document';
import { renderCsv, renderXlsx } from './activity-table';
import { renderDocx } from './docx';
import { renderHtml, renderMarkdown } from './markdown';
import { renderPdf } from './pdf';

export const EXPORT_FORMATS = ['docx', 'pdf', 'md', 'html', 'json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function renderReview(doc: ReviewDocument, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(doc);
    case 'pdf':
      return renderPdf(doc);
    case 'md':
      return Buffer.from(await renderMarkdown(doc));
    case 'html':
      return Buffer.from(await renderHtml(doc));
    case 'json':
      return Buffer.from(JSON.stringify(doc, null, 2) + '\n');
    case 'csv':
      return Buffer.from(renderCsv(doc));
    case 'xlsx':
      return renderXlsx(doc);
  }
}

/** e.g. `ledningens-genomgang-2026-sodermalm-v1-utkast.docx` */
export function exportFileName(doc: ReviewDocument, format: ExportFormat): string {
  return `ledningens-genomgang-${doc.year}-${doc.organisation.id}-v${doc.version}${doc.draft ? '-utkast' : ''}.${format}`;
}
