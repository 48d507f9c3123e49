import MarkdownIt from 'markdown-it';
import type { Block, ReviewDocument } from '../services/reviews/document';
import { chartSvg } from './charts';
import { documentHeading, draftNotice, EMPTY_TABLE_TEXT, narrativeParagraphs, titleLines } from './text';

/**
 * The review as Markdown, and as HTML rendered from that Markdown by markdown-it, so the two
 * never differ. Charts are inline SVG in HTML and their alt text in Markdown.
 */

export async function renderMarkdown(doc: ReviewDocument): Promise<string> {
  return (await markdownParts(doc, async (b) => `*Diagram: ${escapeMd(b.alt)}*`)).join('\n\n') + '\n';
}

export async function renderHtml(doc: ReviewDocument): Promise<string> {
  const charts = new Map<string, { svg: string; alt: string }>();
  const parts = await markdownParts(doc, async (b) => {
    charts.set(b.id, { svg: await chartSvg(b.spec), alt: b.alt });
    return `@@chart:${b.id}@@`;
  });
  // Raw HTML stays off for people's text; the charts' SVG is put in after rendering.
  let body = new MarkdownIt({ html: false }).render(parts.join('\n\n'));
  for (const [id, chart] of charts) body = body.replace(`<p>@@chart:${id}@@</p>`, `<figure role="img" aria-label="${escapeAttr(chart.alt)}">${chart.svg}</figure>`);
  return `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeAttr(`${doc.title} – ${doc.organisation.name}`)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#dce6f1}figure{margin:1rem 0}svg{max-width:100%;height:auto}</style>
</head>
<body>
${body}</body>
</html>
`;
}

async function markdownParts(doc: ReviewDocument, chart: (b: Extract<Block, { type: 'chart' }>) => Promise<string>): Promise<string[]> {
  const [title, ...rest] = titleLines(doc);
  const parts = [`# ${escapeMd(title!)}`, rest.map(escapeMd).join('  \n'), `*${escapeMd(documentHeading(doc))}*`];
  if (doc.draft) parts.push(`**${escapeMd(draftNotice(doc))}**`);
  for (const section of doc.sections) {
    parts.push(`${'#'.repeat(section.level + 1)} ${section.number} ${escapeMd(section.title)}`);
    for (const block of section.blocks) {
      parts.push(block.type === 'chart' ? await chart(block) : blockMarkdown(block, doc.draft));
    }
  }
  return parts.filter((p) => p.length > 0);
}

function blockMarkdown(block: Exclude<Block, { type: 'chart' }>, draft: boolean): string {
  switch (block.type) {
    case 'paragraph':
      return escapeMd(block.text);
    case 'narrative':
      return narrativeParagraphs(block.text, draft).map((p) => (p.placeholder ? `*${escapeMd(p.text)}*` : escapeMd(p.text))).join('\n\n');
    case 'bullets':
      return block.items.map((i) => `- ${escapeMd(i)}`).join('\n');
    case 'table': {
      const row = (cells: string[]) => `| ${cells.map((c) => escapeMd(c).replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
      const rows = block.rows.length ? block.rows : [[EMPTY_TABLE_TEXT, ...block.columns.slice(1).map(() => '')]];
      return [`**${escapeMd(block.caption)}**`, '', row(block.columns), `|${block.columns.map(() => ' --- ').join('|')}|`, ...rows.map(row)].join('\n');
    }
  }
}

/** People's text is text: Markdown syntax in it must not format, nor HTML in it run. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#+!|~])/g, '\\$1').replace(/^(\s*)(\d+)\./gm, '$1$2\\.').replace(/^(\s*)-/gm, '$1\\-');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
