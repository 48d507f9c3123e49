import type { Figures } from './measure';

export interface Row {
  section: string;
  name: string;
  figures?: Figures;
  /** Extra figures that are not latencies, e.g. wall time or memory, for people. */
  value?: string;
  /** The same figures as numbers, for scripts (scripts/capacity.ts reads them). */
  metrics?: Record<string, number>;
  ratio?: string;
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** A Markdown table: readable in a terminal and pasteable into the closing note. */
export function formatTable(rows: Row[]): string {
  const head = ['Section', 'Measurement', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'ops/s', 'Other', 'Ratio'];
  const body = rows.map((r) => [
    r.section,
    r.name,
    r.figures ? `${r.figures.n}${r.figures.errors ? ` (${r.figures.errors} err)` : ''}` : '',
    ms(r.figures?.p50),
    ms(r.figures?.p95),
    ms(r.figures?.p99),
    r.figures ? r.figures.perSecond.toFixed(1) : '',
    r.value ?? '',
    r.ratio ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
export const percent = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;
