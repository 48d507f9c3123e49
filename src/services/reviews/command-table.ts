import type { z } from 'zod';
import { ReviewCommand, type ReviewCommandType } from '../../domain/review-schema';
import { commandRequestParts, type CommandInput } from '../command-request';
import { parseOr400 } from '../validate';

/**
 * The one table of review commands: where the API takes each one and its summary in the API's
 * document, one route per command so that each has its own rights in the matrix. As for the
 * activity's commands (../activities/command-table.ts), the parts of a request come from the
 * domain's `ReviewCommand` schema and every request is parsed into a command by it.
 */
interface ReviewCommandRoute extends Pick<CommandInput, 'serverOnly'> {
  /** A text that is replaced is a PUT; the steps of the review's life are POSTs. */
  method: 'put' | 'post';
  /** Below /organisations/:orgId/reviews/:year in the API. */
  api: string;
  summary: string;
}

export const REVIEW_COMMANDS: Readonly<Record<ReviewCommandType, ReviewCommandRoute>> = {
  'edit-section': { method: 'put', api: '/sections/:sectionId', summary: 'Skriv texten i ett avsnitt (samordnaren)' },
  'set-diary-number': { method: 'put', api: '/diary-number', summary: 'Ange diarienummer (samordnaren)' },
  'set-nothing-to-report': {
    method: 'post',
    api: '/sections/:sectionId/nothing-to-report',
    summary: 'Markera ett avsnitt "inget att redovisa" eller ta bort markeringen (samordnaren)',
  },
  'set-carry-over': {
    method: 'post',
    api: '/carry-over',
    summary: 'Välj för ej avslutade aktiviteter: för över (ny titel och nytt slutdatum), avsluta som delvis genomförd eller stryk med skäl (samordnaren)',
  },
  // The figures a review is handed in with are the service's to count, not the client's to say.
  submit: { method: 'post', api: '/submit', summary: 'Lämna in för antagande (samordnaren)', serverOnly: ['figures'] },
  'request-changes': { method: 'post', api: '/request-changes', summary: 'Skicka tillbaka med kommentar (förvaltningschefen)' },
  adopt: {
    method: 'post',
    api: '/adopt',
    summary: 'Anta genomgången: slutsats och beslut; ett beslut med ansvarig och datum blir en aktivitet nästa år (förvaltningschefen)',
  },
};

export const REVIEW_COMMAND_TYPES = Object.keys(REVIEW_COMMANDS) as ReviewCommandType[];

/** The ids a command's path may carry besides the review's. */
type SectionIds = Partial<Record<'sectionId', z.ZodType<string>>>;

/** The path ids and body schema of one review command, derived from its domain schema. */
export function reviewCommandRequest(type: ReviewCommandType): { ids: SectionIds; body: z.ZodObject } {
  const route = REVIEW_COMMANDS[type];
  const { ids, body } = commandRequestParts(ReviewCommand.options, type, route.api, route);
  const sectionIds: SectionIds = ids;
  return { ids: sectionIds, body };
}

/** The command of a request whose params and body passed their schemas. */
export function toReviewCommand(type: ReviewCommandType, params: Record<string, unknown>, body: Record<string, unknown>): ReviewCommand {
  return parseOr400(ReviewCommand, { ...body, ...params, type }, 'body');
}
