import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer: every CSV lisplan hands out goes through here. Semicolons, CRLF and a
 * BOM, which Swedish Excel opens correctly. Cells hold what people typed (titles, names), and a
 * spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula
 * ("=HYPERLINK(…)" sends data away when clicked). As OWASP recommends for CSV injection, such a
 * text cell gets a leading apostrophe, and a cell with a quote or a separator is quoted with its
 * quotes doubled, so it cannot end its cell and start another. Numbers stay numbers.
 */
export function spreadsheetCsv(rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { bom: true, delimiter: ';', record_delimiter: '\r\n', escape_formulas: true });
}
