import type { RenderedMessage } from '../../domain/notification';

/** An email's body as blocks, rendered twice (plain text and HTML) so the two never drift apart. */


export type Part = string | { strong: string };
export type Block =
  | { p: Part[] }
  | { heading: string }
  | { quote: string }
  | { link: { label: string; href: string } }
  | { list: { text: string; detail?: string; href: string }[] };

const FOOTER =
  'Det här är ett automatiskt meddelande från lisplan, stadens verktyg för handlingsplanen för informationssäkerhet. ' +
  'Svara inte på det; ändringar görs i lisplan.';

export function render(subject: string, recipientName: string | undefined, blocks: Block[]): RenderedMessage {
  const greeting: Block = { p: [recipientName ? `Hej ${recipientName},` : 'Hej,'] };
  const all = [greeting, ...blocks];
  return { subject: oneLine(subject), text: toText(all), html: toHtml(oneLine(subject), all) };
}

function toText(blocks: Block[]): string {
  const out = blocks.map((b) => {
    if ('p' in b) return b.p.map((x) => (typeof x === 'string' ? x : x.strong)).join('');
    if ('heading' in b) return `${b.heading}\n${'-'.repeat(b.heading.length)}`;
    if ('quote' in b) return b.quote.split(/\r?\n/).map((l) => `> ${l}`).join('\n');
    if ('link' in b) return `${b.link.label}: ${b.link.href}`;
    return b.list.map((i) => `- ${i.text}${i.detail ? ` (${i.detail})` : ''}\n  ${i.href}`).join('\n');
  });
  return `${out.join('\n\n')}\n\n-- \n${FOOTER}\n`;
}

function toHtml(subject: string, blocks: Block[]): string {
  const body = blocks.map((b) => {
    if ('p' in b) {
      return `<p>${b.p.map((x) => (typeof x === 'string' ? escapeHtml(x) : `<strong>${escapeHtml(x.strong)}</strong>`)).join('')}</p>`;
    }
    if ('heading' in b) return `<h2 style="font-size:16px;margin:20px 0 8px">${escapeHtml(b.heading)}</h2>`;
    if ('quote' in b) {
      return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #999;color:#333">${escapeHtml(b.quote).replace(/\r?\n/g, '<br>')}</blockquote>`;
    }
    if ('link' in b) {
      return `<p><a href="${escapeHtml(b.link.href)}" style="color:#0b5cad">${escapeHtml(b.link.label)}</a></p>`;
    }
    const items = b.list.map(
      (i) =>
        `<li><a href="${escapeHtml(i.href)}" style="color:#0b5cad">${escapeHtml(i.text)}</a>${i.detail ? ` (${escapeHtml(i.detail)})` : ''}</li>`,
    );
    return `<ul>${items.join('')}</ul>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="sv">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#111">',
    ...body,
    `<hr style="border:0;border-top:1px solid #ccc"><p style="font-size:12px;color:#555">${escapeHtml(FOOTER)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Header values are single lines: a title with a line break must not start a new header. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
