/** The links an email gives: each leads to the page in lisplan where the reader acts. */


export function activityUrl(publicUrl: string, activityId: string): string {
  return `${base(publicUrl)}/aktiviteter/${encodeURIComponent(activityId)}`;
}

export function approvalsUrl(publicUrl: string): string {
  return `${base(publicUrl)}/att-godkanna`;
}

export function annualReportUrl(publicUrl: string, orgId: string, year: number): string {
  return `${base(publicUrl)}/arsrapport/${encodeURIComponent(orgId)}/${year}`;
}

/** Where a person chooses how notices reach them (Inställningar). */
export function settingsUrl(publicUrl: string): string {
  return `${base(publicUrl)}/installningar`;
}

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}
