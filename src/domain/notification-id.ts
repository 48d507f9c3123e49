/** The outbox id of one scheduled notification of one activity: recorded and delivered once. */
export function notificationId(activityId: string, pointKey: string): string {
  return `${activityId}|${pointKey}`;
}
