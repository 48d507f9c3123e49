import { isCoordinator, isHead } from './permissions';
import type { ReviewChangeRequest, ReviewState } from './review-schema';

/**
 * The year's management review (Ledningens genomgång, ISO/IEC 27001:2022 9.3) as its workflow
 * holds it: the coordinator's narrative per section, its draft revisions, and the adoption.
 * Facts (statuses, figures) are not kept here: they are compiled from the read model, and
 * frozen into a snapshot when the förvaltningschef adopts the review.
 */

export const REVIEW_STATUSES = ['draft', 'submitted', 'changes-requested', 'adopted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  draft: 'Utkast',
  submitted: 'Inlämnad för antagande',
  'changes-requested': 'Åter för ändring',
  adopted: 'Antagen',
};

/**
 * The sections whose text people write. Focus areas add four each: `omrade:<area>:<part>` (no dots: the store refuses them in keys).
 * The section ids are part of the API and of stored drafts: never rename one.
 */
export const FIXED_NARRATIVE_SECTIONS = ['sammanfattning', 'inledning', 'omvarldsbevakning', 'risker'] as const;
export const AREA_PARTS = ['lage', 'behov', 'utmaningar', 'forslag'] as const;
export type AreaPart = (typeof AREA_PARTS)[number];

export const areaSectionId = (areaId: string, part: AreaPart) => `omrade:${areaId}:${part}`;

// The schemas are in review-schema.ts: the review workflow imports this module, which builds none.
export type { ReviewChangeRequest, ReviewCommand, ReviewState, Revision } from './review-schema';

export type ReviewRejection = { kind: 'forbidden' | 'illegal-transition' | 'stale' | 'invalid'; reason: string };
export type ReviewDecision = { ok: true; state: ReviewState } | { ok: false; rejection: ReviewRejection };

export function newReviewState(input: { orgId: string; year: number; version: number; corrects?: string; narrative: Record<string, string>; diaryNumber?: string }, at: string): ReviewState {
  return {
    id: reviewId(input.orgId, input.year, input.version),
    orgId: input.orgId,
    year: input.year,
    version: input.version,
    ...(input.corrects ? { corrects: input.corrects } : {}),
    ...(input.diaryNumber ? { diaryNumber: input.diaryNumber } : {}),
    status: 'draft',
    narrative: input.narrative,
    revision: 1,
    revisions: [],
    submissions: [],
    changeRequests: [],
    createdAt: at,
    updatedAt: at,
  };
}

export function reviewId(orgId: string, year: number, version: number): string {
  return `${orgId}.${year}.v${version}`;
}

const EDITABLE: readonly ReviewStatus[] = ['draft', 'changes-requested'];

/** The rules of the review: the coordinator writes and submits, the förvaltningschef decides. */
export function decideReview(state: ReviewState, request: ReviewChangeRequest, now: string): ReviewDecision {
  const { actor, command } = request;
  if (request.expectedRevision !== undefined && request.expectedRevision !== state.revision) {
    return reject('stale', `Utkastet har ändrats (revision ${state.revision}, du utgick från ${request.expectedRevision}). Läs in det igen.`);
  }
  const by = { userId: actor.userId, name: actor.name };
  const next = (patch: Partial<ReviewState>): ReviewDecision => ({ ok: true, state: { ...state, ...patch, revision: state.revision + 1, updatedAt: now } });

  switch (command.type) {
    case 'edit-section':
    case 'set-diary-number': {
      if (!isCoordinator(actor)) return reject('forbidden', 'Bara informationssäkerhetssamordnaren skriver årsrapporten.');
      if (!EDITABLE.includes(state.status)) return reject('illegal-transition', `Rapporten är ${REVIEW_STATUS_LABELS[state.status].toLowerCase()} och kan inte ändras.`);
      if (command.type === 'set-diary-number') return next({ diaryNumber: command.diaryNumber });
      const revision = state.revision + 1;
      return next({
        narrative: { ...state.narrative, [command.sectionId]: command.text },
        revisions: [...state.revisions, { revision, sectionId: command.sectionId, text: command.text, by, at: now }],
      });
    }
    case 'submit':
      if (!isCoordinator(actor)) return reject('forbidden', 'Bara informationssäkerhetssamordnaren lämnar in årsrapporten.');
      if (!EDITABLE.includes(state.status)) return reject('illegal-transition', `Rapporten är ${REVIEW_STATUS_LABELS[state.status].toLowerCase()} och kan inte lämnas in.`);
      return next({ status: 'submitted', submissions: [...state.submissions, { by, at: now, revision: state.revision + 1 }] });
    case 'request-changes':
    case 'adopt': {
      if (!isHead(actor)) return reject('forbidden', 'Bara förvaltningschefen antar årsrapporten eller begär ändringar.');
      if (state.status !== 'submitted') return reject('illegal-transition', 'Rapporten måste vara inlämnad innan förvaltningschefen beslutar.');
      if (command.type === 'request-changes') {
        return next({ status: 'changes-requested', changeRequests: [...state.changeRequests, { by, at: now, comment: command.comment, revision: state.revision }] });
      }
      return next({ status: 'adopted', adoption: { by, at: now, decisions: command.decisions, revision: state.revision + 1 } });
    }
  }
}

function reject(kind: ReviewRejection['kind'], reason: string): ReviewDecision {
  return { ok: false, rejection: { kind, reason } };
}
