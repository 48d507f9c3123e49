import { ROLE_LABELS } from '../../domain/roles';
import type { DecisionOutcome, RenderedMessage } from '../../domain/notification';

/**
 * The emails lisplan sends, in Swedish. Pure: the same input always gives the same message,
 * with a plain-text and an HTML body built from the same blocks, so the two never drift
 * apart. Every interpolated value is escaped in the HTML body; the only personal data used is
 * a person's name (the address is the envelope's business, not the body's).
 */


export interface ActivityRef {
  id: string;
  title: string;
  /**
   * The activity is covered by secrecy (OSL 18:8): its title stays out of the email and the
   * recipient follows the link, where access is checked.
   */
  confidential?: boolean;
}


interface Common {
  /** The application's public base URL, e.g. https://lisplan.example.se */
  publicUrl: string;
  recipientName?: string;
}

export type MessageInput = Common &
  (
    | { type: 'reminder'; activity: ActivityRef; dueDate: string; daysLeft: number }
    | { type: 'overdue'; activity: ActivityRef; dueDate: string }
    | {
        type: 'escalation';
        /** Who is told: the security coordinator first, the head of administration later. */
        level: 'coordinator' | 'head';
        activity: ActivityRef;
        dueDate: string;
        daysOverdue: number;
        ownerName?: string;
      }
    | { type: 'approval-requested'; activity: ActivityRef; milestoneTitle: string; submittedBy?: string }
    | {
        type: 'decision';
        outcome: DecisionOutcome;
        activity: ActivityRef;
        /** The milestone decided on (approved, sent back). */
        milestoneTitle?: string;
        decidedBy?: string;
        comment?: string;
        /** Extension granted: the new due date. Extension refused: the date that still applies. */
        dueDate?: string;
        /** Extension refused: the date that was asked for. */
        proposedDueDate?: string;
      }
    | { type: 'review-adoption'; orgId: string; orgName: string; year: number }
  );

export interface DigestInput {
  recipientName: string;
  openTasks: { activityId: string; activityTitle: string; taskTitle: string; confidential?: boolean }[];
  comingDeadlines: { activityId: string; activityTitle: string; dueDate: string; confidential?: boolean }[];
  waitingApprovals: { activityId: string; activityTitle: string; milestoneTitle: string; confidential?: boolean }[];
  publicUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Links

export function activityUrl(publicUrl: string, activityId: string): string {
  return `${base(publicUrl)}/aktiviteter/${encodeURIComponent(activityId)}`;
}

export function approvalsUrl(publicUrl: string): string {
  return `${base(publicUrl)}/att-godkanna`;
}

export function annualReportUrl(publicUrl: string, orgId: string, year: number): string {
  return `${base(publicUrl)}/arsrapport/${encodeURIComponent(orgId)}/${year}`;
}

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Swedish wording

const swedishDate = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-12-31` → `31 december 2026`. Anything that is not a calendar date is returned as is. */
export function formatSwedishDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? date : swedishDate.format(t);
}

function days(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'dag' : 'dagar'}`;
}

function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function activityName(a: ActivityRef): string {
  return a.confidential ? 'en sekretessmarkerad aktivitet' : `”${a.title}”`;
}

function subjectTitle(a: ActivityRef): string {
  return a.confidential ? 'sekretessmarkerad aktivitet' : a.title;
}

// ---------------------------------------------------------------------------------------------
// Blocks: one description, two renderings

type Part = string | { strong: string };
type Block =
  | { p: Part[] }
  | { heading: string }
  | { quote: string }
  | { link: { label: string; href: string } }
  | { list: { text: string; detail?: string; href: string }[] };

const FOOTER =
  'Det här är ett automatiskt meddelande från lisplan, stadens verktyg för handlingsplanen för informationssäkerhet. ' +
  'Svara inte på det; ändringar görs i lisplan.';

function render(subject: string, recipientName: string | undefined, blocks: Block[]): RenderedMessage {
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

// ---------------------------------------------------------------------------------------------
// Messages

export function renderMessage(input: MessageInput): RenderedMessage {
  const { publicUrl, recipientName } = input;
  switch (input.type) {
    case 'reminder': {
      const { activity, dueDate, daysLeft } = input;
      const left = daysLeft <= 0 ? 'sista dagen är i dag' : `${days(daysLeft)} kvar`;
      return render(`Påminnelse: ${subjectTitle(activity)} – ${left} (${formatSwedishDate(dueDate)})`, recipientName, [
        { p: ['Du är ansvarig för ', { strong: activityName(activity) }, `, som ska vara klar senast ${formatSwedishDate(dueDate)}.`] },
        {
          p: [
            daysLeft <= 0 ? 'Sista dagen är i dag. ' : `Det är ${days(daysLeft)} kvar. `,
            'Uppdatera status, bocka av uppgifter och lägg in underlag, eller begär förlängning om slutdatumet inte håller.',
          ],
        },
        { link: { label: 'Öppna aktiviteten', href: activityUrl(publicUrl, activity.id) } },
      ]);
    }
    case 'overdue': {
      const { activity, dueDate } = input;
      return render(`Försenad: ${subjectTitle(activity)} (slutdatum ${formatSwedishDate(dueDate)})`, recipientName, [
        { p: ['Slutdatumet för ', { strong: activityName(activity) }, ` var ${formatSwedishDate(dueDate)} och aktiviteten är inte klar.`] },
        {
          p: [
            'Gör klart och skicka in för godkännande, eller begär förlängning med en motivering. ',
            'Om aktiviteten fortfarande är försenad om en vecka går en påminnelse till informationssäkerhetssamordnaren.',
          ],
        },
        { link: { label: 'Öppna aktiviteten', href: activityUrl(publicUrl, activity.id) } },
      ]);
    }
    case 'escalation': {
      const { activity, dueDate, daysOverdue, ownerName, level } = input;
      const role = level === 'head' ? ROLE_LABELS['head-of-administration'] : ROLE_LABELS['security-coordinator'];
      return render(`Eskalering: ${subjectTitle(activity)} är försenad ${days(daysOverdue)}`, recipientName, [
        {
          p: [
            { strong: capitalize(activityName(activity)) },
            ` skulle ha varit klar ${formatSwedishDate(dueDate)} och är försenad ${days(daysOverdue)}.`,
            ownerName ? ` Ansvarig: ${ownerName}.` : '',
          ],
        },
        {
          p: [
            `Du får det här meddelandet som ${role}. `,
            level === 'head'
              ? 'Aktiviteten har redan eskalerats till informationssäkerhetssamordnaren utan att bli klar. Ta ställning till om den ska prioriteras, få ny ansvarig, förlängas eller skjutas upp.'
              : 'Följ upp med den ansvarige: stöd, ny ansvarig eller förlängning. Är aktiviteten inte klar om en vecka till eskaleras den till förvaltningschefen.',
          ],
        },
        { link: { label: 'Öppna aktiviteten', href: activityUrl(publicUrl, activity.id) } },
      ]);
    }
    case 'approval-requested': {
      const { activity, submittedBy } = input;
      // A milestone's title can tell as much as the activity's.
      const milestoneTitle = activity.confidential ? undefined : input.milestoneTitle;
      return render(`Att godkänna: ${milestoneTitle ? `${milestoneTitle} – ` : ''}${subjectTitle(activity)}`, recipientName, [
        {
          p: [
            milestoneTitle ? 'Delmålet ' : 'Ett delmål',
            milestoneTitle ? { strong: `”${milestoneTitle}”` } : '',
            ' i ',
            activityName(activity),
            submittedBy ? ` har skickats in av ${submittedBy}` : ' har skickats in',
            ' och väntar på ditt godkännande.',
          ],
        },
        { p: ['Granska underlaget och godkänn, eller skicka tillbaka för komplettering med en kommentar.'] },
        { link: { label: 'Gå till Att godkänna', href: approvalsUrl(publicUrl) } },
        { link: { label: 'Öppna aktiviteten', href: activityUrl(publicUrl, activity.id) } },
      ]);
    }
    case 'decision':
      return renderDecision(input);
    case 'review-adoption': {
      const { orgId, orgName, year } = input;
      return render(`Ledningens genomgång ${year} väntar på fastställande – ${orgName}`, recipientName, [
        { p: ['Underlaget till ledningens genomgång ', { strong: `${year}` }, ` för ${orgName} är klart och väntar på att fastställas.`] },
        { p: ['Läs igenom årsrapporten och fastställ den, eller lämna synpunkter.'] },
        { link: { label: 'Öppna årsrapporten', href: annualReportUrl(publicUrl, orgId, year) } },
      ]);
    }
  }
}

function renderDecision(input: Extract<MessageInput, { type: 'decision' }>): RenderedMessage {
  const { activity, outcome, decidedBy, comment, dueDate, proposedDueDate, publicUrl, recipientName } = input;
  const milestoneTitle = activity.confidential ? undefined : input.milestoneTitle;
  const by = decidedBy ? ` av ${decidedBy}` : '';
  const link: Block = { link: { label: 'Öppna aktiviteten', href: activityUrl(publicUrl, activity.id) } };
  const said: Block[] = !comment
    ? []
    : activity.confidential
      ? [{ p: ['Beslutet har en kommentar; läs den i lisplan.'] }]
      : [{ p: ['Kommentar:'] }, { quote: comment }];
  const milestone = milestoneTitle ? `delmålet ”${milestoneTitle}”` : 'delmålet';
  const title = subjectTitle(activity);
  switch (outcome) {
    case 'approved':
      return render(`Godkänt: ${milestoneTitle ? `${milestoneTitle} – ` : ''}${title}`, recipientName, [
        { p: [capitalize(milestone), ' i ', { strong: activityName(activity) }, ` har godkänts${by}.`] },
        ...said,
        link,
      ]);
    case 'sent-back':
      return render(`Åter för komplettering: ${milestoneTitle ? `${milestoneTitle} – ` : ''}${title}`, recipientName, [
        { p: [capitalize(milestone), ' i ', { strong: activityName(activity) }, ` har skickats tillbaka för komplettering${by}.`] },
        ...said,
        { p: ['Komplettera och skicka in igen.'] },
        link,
      ]);
    case 'extension-granted':
      return render(`Förlängning beviljad: ${title}${dueDate ? ` – nytt slutdatum ${formatSwedishDate(dueDate)}` : ''}`, recipientName, [
        {
          p: [
            'Din begäran om förlängning för ',
            { strong: activityName(activity) },
            ` har beviljats${by}.`,
            dueDate ? ` Nytt slutdatum är ${formatSwedishDate(dueDate)}.` : '',
          ],
        },
        ...said,
        link,
      ]);
    case 'extension-refused':
      return render(`Förlängning avslagen: ${title}`, recipientName, [
        {
          p: [
            'Din begäran om förlängning för ',
            { strong: activityName(activity) },
            proposedDueDate ? ` till ${formatSwedishDate(proposedDueDate)}` : '',
            ` har avslagits${by}.`,
            dueDate ? ` Slutdatumet ${formatSwedishDate(dueDate)} gäller.` : '',
          ],
        },
        ...said,
        link,
      ]);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Digest

/** A summary of what waits for one person; null when nothing does (no empty emails). */
export function renderDigest(input: DigestInput): RenderedMessage | null {
  const { openTasks, comingDeadlines, waitingApprovals, publicUrl } = input;
  if (openTasks.length + comingDeadlines.length + waitingApprovals.length === 0) return null;

  const counts = [
    openTasks.length ? countOf(openTasks.length, 'öppen uppgift', 'öppna uppgifter') : '',
    comingDeadlines.length ? `${comingDeadlines.length} kommande slutdatum` : '',
    waitingApprovals.length ? `${waitingApprovals.length} att godkänna` : '',
  ].filter(Boolean);
  const name = (x: { activityTitle: string; confidential?: boolean }) =>
    x.confidential ? 'Sekretessmarkerad aktivitet' : x.activityTitle;

  const blocks: Block[] = [{ p: [`Det här väntar på dig i lisplan: ${counts.join(', ')}.`] }];
  if (waitingApprovals.length) {
    blocks.push(
      { heading: 'Väntar på ditt godkännande' },
      {
        list: waitingApprovals.map((a) => ({
          text: a.confidential ? `Delmål i ${name(a).toLowerCase()}` : `${a.milestoneTitle} – ${a.activityTitle}`,
          href: activityUrl(publicUrl, a.activityId),
        })),
      },
      { link: { label: 'Gå till Att godkänna', href: approvalsUrl(publicUrl) } },
    );
  }
  if (comingDeadlines.length) {
    blocks.push(
      { heading: 'Kommande slutdatum' },
      {
        list: comingDeadlines.map((d) => ({
          text: name(d),
          detail: `senast ${formatSwedishDate(d.dueDate)}`,
          href: activityUrl(publicUrl, d.activityId),
        })),
      },
    );
  }
  if (openTasks.length) {
    blocks.push(
      { heading: 'Öppna uppgifter' },
      {
        list: openTasks.map((t) => ({
          text: t.confidential ? `Uppgift i ${name(t).toLowerCase()}` : `${t.taskTitle} – ${t.activityTitle}`,
          href: activityUrl(publicUrl, t.activityId),
        })),
      },
    );
  }
  return render(`Din sammanfattning i lisplan: ${counts.join(', ')}`, input.recipientName, blocks);
}
