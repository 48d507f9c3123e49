/**
 * Vega-Lite specifications of the review's charts. Pure data: `src/reports/charts.ts` renders
 * them. Fonts and colours are fixed so that every render of a snapshot is the same picture.
 */

const FONT = 'DejaVu Sans';
const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 480,
  height: 240,
  background: 'white',
  config: { font: FONT, axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12, titleFontSize: 12 }, title: { fontSize: 14 } },
} as const;

export function barChart(title: string | undefined, values: { label: string; value: number }[], unit?: string): Record<string, unknown> {
  return {
    ...BASE,
    ...(title ? { title } : {}),
    data: { values },
    mark: { type: 'bar', color: '#1f5c99' },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: 'År', axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: unit ?? 'Antal' },
    },
  };
}

export function groupedBarChart(title: string, values: { label: string; group: string; value: number }[]): Record<string, unknown> {
  return {
    ...BASE,
    // Narrower than the base, so that with whole category names the picture still fits a page
    // at a readable size.
    width: 240,
    title,
    data: { values },
    mark: 'bar',
    encoding: {
      // Category names such as "Förlorad eller stulen utrustning" are read whole, not cut at Vega's 180 px.
      y: { field: 'label', type: 'nominal', title: null, axis: { labelLimit: 400 } },
      yOffset: { field: 'group' },
      x: { field: 'value', type: 'quantitative', title: 'Antal', axis: { tickMinStep: 1 } },
      color: { field: 'group', type: 'nominal', title: 'År', scale: { range: ['#9bb8d6', '#1f5c99'] } },
    },
  };
}

/**
 * A key figure's bars for a web page. The page names the figure beside the picture, so the
 * picture has no title (a long name made the SVG wide and the browser shrank its text to about
 * 6 px); narrow and with 14 px labels, it is shown at its own size in a card, never scaled down
 * below 12 px on a screen wider than a phone.
 */
export function pageBarChart(values: { label: string; value: number }[], unit?: string): Record<string, unknown> {
  return { ...barChart(undefined, values, unit), width: 240, height: 180, config: { ...BASE.config, axis: { labelFontSize: 14, titleFontSize: 14 } } };
}
