import type { RenderedMessage } from '../../domain/notification';
import { render, type Block } from './message-layout';
import { activityUrl, approvalsUrl, settingsUrl } from './message-links';
import { countOf, formatSwedishDate } from './message-wording';

export interface DigestInput {
  recipientName: string;
  openTasks: { activityId: string; activityTitle: string; taskTitle: string; confidential?: boolean }[];
  comingDeadlines: { activityId: string; activityTitle: string; dueDate: string; confidential?: boolean }[];
  waitingApprovals: { activityId: string; activityTitle: string; milestoneTitle: string; confidential?: boolean }[];
  publicUrl: string;
}


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
  blocks.push({ p: ['Du får den här sammanfattningen varje vecka enligt dina inställningar.'] }, { link: { label: 'Ändra dina inställningar', href: settingsUrl(publicUrl) } });
  return render(`Din sammanfattning i lisplan: ${counts.join(', ')}`, input.recipientName, blocks);
}
