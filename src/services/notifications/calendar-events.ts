import type { Config } from '../../platform/config';
import { STATUS_LABELS } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import type { ReviewState } from '../../domain/review';
import type { ActivityDoc } from '../../store/models/activity';
import { deadlineUid, milestoneUid, reviewUid, type CalendarEvent } from './ical';
import { activityUrl, annualReportUrl } from './message-links';

/**
 * What the calendar feeds show, as events (pure): an activity's deadline, its milestones'
 * sign-off, and each year's management review. Each keeps one UID for its whole life and
 * moves with it, so a calendar updates the event it has instead of adding another.
 */

export interface EventContext {
  publicUrl: string;
  /** The plan's zone: a sign-off at 23:30 UTC is the next day in Stockholm. */
  timeZone: string;
}

/** What the feeds need to place the review: the schedule's start date, when there is one. */
export type ReviewEventContext = EventContext & Pick<Config, 'reviewStart'>;

const SECRET_TITLE = 'sekretessmarkerad aktivitet';

/** SEQUENCE follows the activity's version, so a moved deadline replaces the event it had. */
export function deadlineEvent(d: ActivityDoc, ctx: EventContext): CalendarEvent {
  const confidential = d.secrecy === 'osl-18-8';
  return {
    uid: deadlineUid(d._id),
    summary: `Slutdatum: ${confidential ? SECRET_TITLE : d.title}`,
    description: `Status: ${STATUS_LABELS[d.status]}.${d.owner.name && !confidential ? ` Ansvarig: ${d.owner.name}.` : ''}`,
    date: d.dueDate,
    url: activityUrl(ctx.publicUrl, d._id),
    version: d.version,
    updatedAt: d.updatedAt,
  };
}

/**
 * A milestone has no date of its own until it is signed off: it shows on the day it was sent
 * in (waiting for sign-off) and then on the day its last approver approved it. One sent back
 * leaves the calendar until it is sent in again; the final milestone's target is the deadline.
 */
export function milestoneEvents(d: ActivityDoc, ctx: EventContext): CalendarEvent[] {
  const title = d.secrecy === 'osl-18-8' ? SECRET_TITLE : d.title;
  return d.milestones.flatMap((ms) => {
    const approvedAt = ms.status === 'approved' ? ms.decisions.filter((x) => x.decision === 'approved' && x.round === ms.round).at(-1)?.at : undefined;
    const at = approvedAt ?? (ms.status === 'submitted' ? ms.submittedAt : undefined);
    if (!at) return [];
    return [
      {
        uid: milestoneUid(d._id, ms.id),
        summary: approvedAt ? `Milstolpe godkänd: ${ms.title} (${title})` : `Väntar på godkännande: ${ms.title} (${title})`,
        description: approvedAt
          ? `Milstolpen är godkänd${ms.final ? ' och aktiviteten genomförd' : ''}.`
          : `Inskickad för godkännande av ${ms.approvers.map((a) => a.name ?? a.role).join(', sedan ')}.`,
        date: dateInZone(at, ctx.timeZone),
        url: activityUrl(ctx.publicUrl, d._id),
        version: d.version,
        updatedAt: d.updatedAt,
      },
    ];
  });
}

/** The latest version of one year's review, or none yet. */
export type ReviewOfYear = Pick<ReviewState, 'orgId' | 'year' | 'status' | 'revision' | 'submissions' | 'changeRequests' | 'adoption' | 'createdAt' | 'updatedAt'>;

/**
 * One event per organisation and year for Ledningens genomgång: the planned start (the
 * review schedule's date) until it starts, then the day it started, was handed in, or was
 * adopted, whichever is latest.
 */
export function reviewEvent(
  org: { _id: string; name: string },
  year: number,
  review: ReviewOfYear | undefined,
  ctx: ReviewEventContext,
): CalendarEvent | undefined {
  const base = { uid: reviewUid(org._id, year), url: annualReportUrl(ctx.publicUrl, org._id, year) };
  const name = `Ledningens genomgång ${year}`;
  if (!review) {
    if (!ctx.reviewStart) return undefined;
    const { month, day } = ctx.reviewStart;
    return {
      ...base,
      summary: `${name} startar`,
      description: `Årets ledningens genomgång (ISO/IEC 27001 9.3) för ${org.name} öppnas i lisplan.`,
      date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      version: 0,
    };
  }
  const submitted = review.submissions.at(-1);
  const [summary, at] = review.adoption
    ? [`${name} antagen`, review.adoption.at]
    : review.status === 'submitted' && submitted
      ? [`${name} väntar på antagande`, submitted.at]
      : [`${name} pågår`, review.createdAt];
  return {
    ...base,
    summary,
    description: `Ledningens genomgång för ${org.name}.`,
    date: dateInZone(at, ctx.timeZone),
    // Every step adds to one of these lists or the revision, so the sum only grows.
    version: review.revision + review.submissions.length + review.changeRequests.length + (review.adoption ? 1 : 0),
    updatedAt: review.updatedAt,
  };
}
