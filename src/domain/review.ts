import type { LimitBreach } from './limits';
import { isCoordinator, isHead } from './permissions';
import { reviewLimitBreached } from './review-limits';
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
export const FIXED_NARRATIVE_SECTIONS = ['sammanfattning', 'inledning', 'omvarldsbevakning', 'risker', 'intressenter', 'prestanda', 'aterkoppling', 'forbattring'] as const;

/** The fixed sections' headings, as submission names the ones still empty. */
export const SECTION_TITLES: Record<(typeof FIXED_NARRATIVE_SECTIONS)[number], string> = {
  sammanfattning: 'Sammanfattning',
  inledning: 'Inledning',
  omvarldsbevakning: 'b) Förändringar i externa och interna frågor',
  risker: 'f) Riskbedömning och riskbehandling',
  intressenter: 'c) Intressenters behov och förväntningar',
  prestanda: 'd) Återkoppling om informationssäkerhetens prestanda',
  aterkoppling: 'e) Återkoppling från intressenter',
  forbattring: 'g) Möjligheter till ständig förbättring',
};
export const AREA_PARTS = ['lage', 'behov', 'utmaningar', 'forslag'] as const;
export type AreaPart = (typeof AREA_PARTS)[number];

export const areaSectionId = (areaId: string, part: AreaPart) => `omrade:${areaId}:${part}`;

// The schemas are in review-schema.ts: the review workflow imports this module, which builds none.
export type { CarryOverChoice, ReviewChangeRequest, ReviewCommand, ReviewConclusion, ReviewDecisionItem, ReviewState, Revision, SubmittedFigures } from './review-schema';

/** A year's plan is bounded (a plan file holds at most a few hundred activities): so are the choices about it. */
export const MAX_CARRY_OVER_CHOICES = 500;

/**
 * The rules a review version runs under. Versions started before the adoption checks existed
 * replay under the rules they ran with (the workflow decides with patched()).
 */
export interface ReviewRules {
  /** Submission needs every section written or marked "inget att redovisa"; adoption needs the conclusion. */
  adoptionChecks: boolean;
  /** The state is bounded (REVIEW_LIMITS); an older run may hold and accept more. */
  limits?: boolean;
}
export const LEGACY_REVIEW_RULES: ReviewRules = { adoptionChecks: false };
export const REVIEW_RULES: ReviewRules = { adoptionChecks: true, limits: true };

/** The sections a submission needs: the fixed ones and every area part the draft was opened with. */
export function requiredSections(state: Pick<ReviewState, 'narrative'>): string[] {
  return [...new Set([...FIXED_NARRATIVE_SECTIONS, ...Object.keys(state.narrative)])];
}

/** Sections with no text that the coordinator has not marked "inget att redovisa". */
export function emptySections(state: Pick<ReviewState, 'narrative' | 'nothingToReport'>): string[] {
  const marked = new Set(state.nothingToReport ?? []);
  return requiredSections(state).filter((id) => !(state.narrative[id] ?? '').trim() && !marked.has(id));
}

export function sectionLabel(sectionId: string): string {
  if (sectionId in SECTION_TITLES) return SECTION_TITLES[sectionId as keyof typeof SECTION_TITLES];
  const [, area, part] = sectionId.split(':');
  return `${AREA_PART_LABELS[part as AreaPart] ?? part} (${area})`;
}

const AREA_PART_LABELS: Record<AreaPart, string> = { lage: 'Läget', behov: 'Behov', utmaningar: 'Utmaningar', forslag: 'Förslag till åtgärder' };

/** The activity a decision that calls for work becomes, in the next year's plan. */
export function decisionActivityId(orgId: string, year: number, index: number): string {
  return `${orgId}.${year + 1}.lg-${year}-beslut-${index + 1}`;
}

export type ReviewRejection = { kind: 'forbidden' | 'illegal-transition' | 'stale' | 'invalid' | 'limit'; reason: string; limit?: LimitBreach['limit'] };
export type ReviewDecision = { ok: true; state: ReviewState } | { ok: false; rejection: ReviewRejection };

export function newReviewState(
  input: { orgId: string; year: number; version: number; corrects?: string; narrative: Record<string, string>; nothingToReport?: string[]; carryOver?: ReviewState['carryOver']; diaryNumber?: string },
  at: string,
): ReviewState {
  return {
    id: reviewId(input.orgId, input.year, input.version),
    orgId: input.orgId,
    year: input.year,
    version: input.version,
    ...(input.corrects ? { corrects: input.corrects } : {}),
    ...(input.diaryNumber ? { diaryNumber: input.diaryNumber } : {}),
    status: 'draft',
    narrative: input.narrative,
    ...(input.nothingToReport?.length ? { nothingToReport: input.nothingToReport } : {}),
    ...(input.carryOver?.length ? { carryOver: input.carryOver } : {}),
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

/** Where a review version's events stand in the organisation's audit chain, apart from its activities'. */
export function reviewAuditSubject(id: string): string {
  return `review:${id}`;
}

const EDITABLE: readonly ReviewStatus[] = ['draft', 'changes-requested'];

/** The rules of the review: the coordinator writes and submits, the förvaltningschef decides; and within its limits. */
export function decideReview(state: ReviewState, request: ReviewChangeRequest, now: string, rules: ReviewRules = LEGACY_REVIEW_RULES): ReviewDecision {
  const decision = decideUnbounded(state, request, now, rules);
  if (!decision.ok || !rules.limits) return decision;
  const breach = reviewLimitBreached(state, decision.state, request.command.type);
  return breach ? { ok: false, rejection: { kind: 'limit', ...breach } } : decision;
}

function decideUnbounded(state: ReviewState, request: ReviewChangeRequest, now: string, rules: ReviewRules): ReviewDecision {
  const { actor, command } = request;
  if (request.expectedRevision !== undefined && request.expectedRevision !== state.revision) {
    return reject('stale', `Utkastet har ändrats (revision ${state.revision}, du utgick från ${request.expectedRevision}). Läs in det igen.`);
  }
  const by = { userId: actor.userId, name: actor.name };
  const next = (patch: Partial<ReviewState>): ReviewDecision => ({ ok: true, state: { ...state, ...patch, revision: state.revision + 1, updatedAt: now } });

  switch (command.type) {
    case 'edit-section':
    case 'set-nothing-to-report':
    case 'set-carry-over':
    case 'set-diary-number': {
      if (!isCoordinator(actor)) return reject('forbidden', 'Bara informationssäkerhetssamordnaren skriver årsrapporten.');
      if (!EDITABLE.includes(state.status)) return reject('illegal-transition', `Rapporten är ${REVIEW_STATUS_LABELS[state.status].toLowerCase()} och kan inte ändras.`);
      if (command.type === 'set-diary-number') return next({ diaryNumber: command.diaryNumber });
      if (command.type === 'set-carry-over') {
        // A later choice for the same activity replaces the earlier one.
        const chosen = new Set(command.choices.map((c) => c.activityId));
        const carryOver = [...(state.carryOver ?? []).filter((c) => !chosen.has(c.activityId)), ...command.choices];
        if (carryOver.length > MAX_CARRY_OVER_CHOICES) return reject('invalid', `Högst ${MAX_CARRY_OVER_CHOICES} val om överföring per genomgång.`);
        return next({ carryOver });
      }
      if (command.type === 'set-nothing-to-report') {
        const others = (state.nothingToReport ?? []).filter((id) => id !== command.sectionId);
        return next({ nothingToReport: command.value ? [...others, command.sectionId] : others });
      }
      const revision = state.revision + 1;
      return next({
        narrative: { ...state.narrative, [command.sectionId]: command.text },
        revisions: [...state.revisions, { revision, sectionId: command.sectionId, text: command.text, by, at: now }],
      });
    }
    case 'submit':
      if (!isCoordinator(actor)) return reject('forbidden', 'Bara informationssäkerhetssamordnaren lämnar in årsrapporten.');
      if (!EDITABLE.includes(state.status)) return reject('illegal-transition', `Rapporten är ${REVIEW_STATUS_LABELS[state.status].toLowerCase()} och kan inte lämnas in.`);
      if (rules.adoptionChecks) {
        const empty = emptySections(state);
        if (empty.length) return reject('illegal-transition', `Avsnitt utan text: ${empty.map(sectionLabel).join('; ')}. Skriv dem eller markera dem "inget att redovisa".`);
      }
      return next({ status: 'submitted', submissions: [...state.submissions, { by, at: now, revision: state.revision + 1, ...(command.figures ? { figures: command.figures } : {}) }] });
    case 'request-changes':
    case 'adopt': {
      if (!isHead(actor)) return reject('forbidden', 'Bara förvaltningschefen antar årsrapporten eller begär ändringar.');
      if (state.status !== 'submitted') return reject('illegal-transition', 'Rapporten måste vara inlämnad innan förvaltningschefen beslutar.');
      if (command.type === 'request-changes') {
        return next({ status: 'changes-requested', changeRequests: [...state.changeRequests, { by, at: now, comment: command.comment, revision: state.revision }] });
      }
      if (rules.adoptionChecks && !command.conclusion) return reject('invalid', 'Förvaltningschefens slutsats om ledningssystemets lämplighet, tillräcklighet och effektivitet krävs för att anta genomgången.');
      const decisions = command.decisions.map((d, i) =>
        typeof d === 'string' || !(d.owner && d.due) ? d : { ...d, activityId: decisionActivityId(state.orgId, state.year, i) },
      );
      return next({ status: 'adopted', adoption: { by, at: now, decisions, ...(command.conclusion ? { conclusion: command.conclusion } : {}), revision: state.revision + 1 } });
    }
  }
}

function reject(kind: ReviewRejection['kind'], reason: string): ReviewDecision {
  return { ok: false, rejection: { kind, reason } };
}
