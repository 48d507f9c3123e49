/** The outbox id of one scheduled notification of one activity: recorded and delivered once. */
export function notificationId(activityId: string, pointKey: string): string {
  return `${activityId}|${pointKey}`;
}

/** A notification as mailed: subject, plain text and HTML. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** How an approver decided, as a notice tells the owner. */
export type DecisionOutcome = 'approved' | 'sent-back' | 'extension-granted' | 'extension-refused';
