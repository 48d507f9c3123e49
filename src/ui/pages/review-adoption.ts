import type { Request } from 'express';
import { IsoDate } from '../../domain/common';
import { ROLE_LABELS, isRoleName, type RoleName } from '../../domain/roles';
import type { ReviewCommand } from '../../domain/review';
import type { Messages } from '../i18n';

/**
 * The förvaltningschef's adoption form: the 9.3.3 decisions, each with its text and, when it
 * calls for work, an owner role and a due date (the API's `{ text, owner, due }`: such a decision
 * becomes an activity of next year's plan), the 9.3 conclusion and the explicit yes. Checked here
 * field by field, so the page can say which field is wrong and keep what was written.
 */

/** Decision rows on the form. The API takes 50; a year's review has a handful, and empty rows are left out. */
export const DECISION_ROWS = 6;

/** The roles a decision's work can be given to: those that own activities (not a reader or the administrator). */
export const DECISION_OWNER_ROLES = (Object.keys(ROLE_LABELS) as RoleName[]).filter((r) => r !== 'viewer' && r !== 'admin');

export interface AdoptionForm {
  decisions: { text: string; owner: string; due: string }[];
  suitable: boolean;
  adequate: boolean;
  effective: boolean;
  comment: string;
  confirm: boolean;
}

/** Form field names, also the ids' stems the page links its errors to. */
export const decisionField = (n: number, part: 'text' | 'owner' | 'due') => `decision-${n}-${part}`;

export function emptyAdoptionForm(): AdoptionForm {
  return { decisions: Array.from({ length: DECISION_ROWS }, () => ({ text: '', owner: '', due: '' })), suitable: false, adequate: false, effective: false, comment: '', confirm: false };
}

export function readAdoptionForm(req: Request): AdoptionForm {
  const field = (name: string) => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v.trim() : '';
  };
  return {
    decisions: Array.from({ length: DECISION_ROWS }, (_, i) => ({ text: field(decisionField(i + 1, 'text')), owner: field(decisionField(i + 1, 'owner')), due: field(decisionField(i + 1, 'due')) })),
    suitable: field('suitable') === 'ja',
    adequate: field('adequate') === 'ja',
    effective: field('effective') === 'ja',
    comment: field('conclusionComment'),
    confirm: field('confirm') === 'ja',
  };
}

/** What is wrong, by field name, in the reader's language; empty when the form can be sent on. */
export function adoptionErrors(form: AdoptionForm, m: Messages, example: string): Record<string, string> {
  const errors: Record<string, string> = {};
  form.decisions.forEach((d, i) => {
    const n = i + 1;
    if (!d.text && (d.owner || d.due)) errors[decisionField(n, 'text')] = m.t('review.error.textMissing');
    if (d.owner && !isRoleName(d.owner)) errors[decisionField(n, 'owner')] = m.t('review.error.ownerInvalid');
    if (d.due && !IsoDate.safeParse(d.due).success) errors[decisionField(n, 'due')] = m.t('review.error.dueInvalid', { example });
    // An owner without a date (or the reverse) would silently become no activity: ask for both or neither.
    else if (d.owner && !d.due) errors[decisionField(n, 'due')] = m.t('review.error.dueMissing');
    if (d.due && !d.owner) errors[decisionField(n, 'owner')] = m.t('review.error.ownerMissing');
  });
  if (!form.decisions.some((d) => d.text)) errors[decisionField(1, 'text')] = m.t('review.error.noDecision');
  if (!form.comment) errors.conclusionComment = m.t('review.error.commentMissing');
  if (!form.confirm) errors.confirm = m.t('review.error.confirmMissing');
  return errors;
}

/** The adopt command of a form without errors: a decision with an owner and a date is one the API turns into an activity. */
export function adoptionCommand(form: AdoptionForm): ReviewCommand {
  return {
    type: 'adopt',
    decisions: form.decisions
      .filter((d) => d.text)
      .map((d) => (d.owner && d.due && isRoleName(d.owner) ? { text: d.text, owner: d.owner, due: d.due } : d.text)),
    conclusion: { suitable: form.suitable, adequate: form.adequate, effective: form.effective, comment: form.comment },
  };
}
