import { ROLE_LABELS } from '../../domain/roles';
import type { DecisionOutcome, RenderedMessage } from '../../domain/notification';
import { render, type Block } from './message-layout';
import { activityUrl, approvalsUrl, annualReportUrl } from './message-links';
import { activityName, capitalize, days, formatSwedishDate, subjectTitle, type ActivityRef } from './message-wording';

/**
 * The emails lisplan sends, in Swedish. Pure: the same input always gives the same message,
 * with a plain-text and an HTML body built from the same blocks, so the two never drift
 * apart. Every interpolated value is escaped in the HTML body; the only personal data used is
 * a person's name (the address is the envelope's business, not the body's).
 */



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
