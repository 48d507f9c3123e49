import { z } from 'zod';
import { ActivityParams, NewFileRef } from '../../domain/activity';
import { Command, type CommandType } from '../../domain/commands';
import { PersonName, Text } from '../../domain/common';
import { commandRequestParts, type CommandInput } from '../command-request';
import { parseOr400 } from '../validate';

/**
 * The one table of activity commands: where the API and the web UI take each one, and its
 * summary in the API's document. The parts of a request come from the domain's command schema:
 * the ids the path names (`:taskId`) are the path's, every other field of the command is the
 * body's, but those the service fills in (`serverOnly`). Routes add nothing of their own but
 * stricter rules for new input (`newInput`), and every request is parsed into a `Command` by the
 * domain's own schema, so a route hands the workflow a command that type-checks without casts.
 */
interface CommandRoute extends Pick<CommandInput, 'newInput' | 'serverOnly'> {
  /** Below /activities/:activityId in the API. */
  api: string;
  /** Below /aktiviteter/:activityId in the web UI, for the commands it has a form for. */
  form?: string;
  summary: string;
}

export const ACTIVITY_COMMANDS: Readonly<Record<CommandType, CommandRoute>> = {
  start: { api: '/start', form: '/starta', summary: 'Starta aktiviteten' },
  block: { api: '/block', form: '/blockera', summary: 'Blockera aktiviteten' },
  unblock: { api: '/unblock', form: '/hav-blockering', summary: 'Häv blockeringen' },
  'add-task': { api: '/tasks', form: '/uppgifter', summary: 'Lägg till en uppgift' },
  'complete-task': { api: '/tasks/:taskId/complete', form: '/uppgifter/:taskId/klar', summary: 'Markera en uppgift som klar' },
  'reopen-task': { api: '/tasks/:taskId/reopen', summary: 'Öppna en uppgift igen' },
  // A request carries the text; the change service stores it and hands the workflow its textRef.
  'add-comment': { api: '/comments', form: '/kommentarer', summary: 'Skriv en kommentar eller statusnotering', newInput: { text: Text(4000) }, serverOnly: ['textRef'] },
  'add-evidence': { api: '/evidence', form: '/underlag', summary: 'Lägg till underlag (en länk eller en uppladdad fil)', newInput: { file: NewFileRef.optional() }, serverOnly: ['textRef'] },
  'submit-milestone': { api: '/milestones/:milestoneId/submit', form: '/milstolpar/:milestoneId/skicka-in', summary: 'Skicka in en milstolpe för godkännande' },
  'approve-milestone': { api: '/milestones/:milestoneId/approve', form: '/milstolpar/:milestoneId/godkann', summary: 'Godkänn en milstolpe' },
  'reject-milestone': { api: '/milestones/:milestoneId/reject', form: '/milstolpar/:milestoneId/skicka-tillbaka', summary: 'Skicka tillbaka en milstolpe med kommentar' },
  'request-extension': { api: '/extensions', form: '/mer-tid', summary: 'Begär mer tid' },
  'decide-extension': { api: '/extensions/:extensionId/decision', form: '/forlangningar/:extensionId/beslut', summary: 'Besluta om mer tid' },
  'assign-owner': { api: '/owner', form: '/ansvarig', summary: 'Utse aktivitetsansvarig', newInput: { name: PersonName } },
  defer: { api: '/defer', form: '/skjut-upp', summary: 'Skjut upp aktiviteten till nästa år' },
  cancel: { api: '/cancel', form: '/avbryt', summary: 'Avbryt aktiviteten' },
  verify: { api: '/verify', form: '/verifiera', summary: 'Verifiera effekten' },
  'edit-details': { api: '/details', form: '/uppgifter-om', summary: 'Ändra aktivitetens titel, område, mål, förväntat resultat, prioritet, kostnad, start eller slutdatum (samordnare)' },
  'add-milestone': { api: '/milestones', form: '/milstolpar', summary: 'Lägg till en milstolpe före den sista (samordnare)' },
  'rename-task': { api: '/tasks/:taskId/title', form: '/uppgifter/:taskId/namn', summary: 'Byt namn på en uppgift' },
  'rename-milestone': { api: '/milestones/:milestoneId/title', form: '/milstolpar/:milestoneId/namn', summary: 'Byt namn på en milstolpe (samordnare)' },
};

export const COMMAND_TYPES = Object.keys(ACTIVITY_COMMANDS) as CommandType[];

/** The ids a command's path may carry besides the activity's (all of them slugs in the domain). */
type ItemIds = Partial<Record<'taskId' | 'milestoneId' | 'extensionId', z.ZodType<string>>>;

/** The path and body schemas of one command, derived from its domain schema. */
export function commandRequest(type: CommandType) {
  const route = ACTIVITY_COMMANDS[type];
  const { ids, body } = commandRequestParts(Command.options, type, route.api, route);
  const idShape: ItemIds = ids;
  return { type, params: ActivityParams.extend(idShape), body };
}

/**
 * The command of a request whose params and body passed their schemas. The domain's schema
 * checks what spans fields (evidence needs a link or a file); its complaint is the body's.
 */
export function toCommand(type: CommandType, params: Record<string, unknown>, body: Record<string, unknown>): Command {
  return parseOr400(Command, { ...body, ...params, type }, 'body');
}
