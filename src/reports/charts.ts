import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/**
 * Server-side charts: a Vega-Lite spec compiled to Vega, rendered headless to SVG, and
 * rasterised by resvg to PNG for Word and PDF. Text uses the system's DejaVu Sans when present
 * and resvg's fallback otherwise.
 */

export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * PNG at twice the SVG's size, sharp on paper. Written without an alpha channel (the
 * background is white): PDFKit splits alpha asynchronously, which made the order of a PDF's
 * objects, and so its bytes, differ between two renders of the same review.
 */
export async function chartPng(spec: Record<string, unknown>): Promise<{ png: Buffer; width: number; height: number }> {
  const svg = await chartSvg(spec);
  const rendered = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' }).render();
  const rgba = PNG.sync.read(rendered.asPng());
  return { png: PNG.sync.write(rgba, { colorType: 2, inputHasAlpha: true }), width: rendered.width / 2, height: rendered.height / 2 };
}
