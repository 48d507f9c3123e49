import { z } from 'zod';
import { NewFileRef, type FileRef } from '../../domain/activity';
import type { Command } from '../../domain/changes';
import { IsoDate, PersonName, Slug, Text } from '../../domain/common';
import type { ApiDeps } from '../../http/deps';
import { withIdempotency } from '../idempotency';
import type { ApiRoutes } from '../openapi/route';
import { ChangeResponse, IdempotencyHeaders } from '../schemas';
import { actorFor, orgOfActivity } from '../../services/people/access';
import { applyChangeAs } from '../../services/activities/change';
import { idempotencyKeyOf, parseIfMatch } from '../update-headers';
import type { Metrics } from '../../http/metrics';

const empty = z.object({}).strict();
const reason = z.object({ reason: Text(2000) }).strict();
const optionalComment = z.object({ comment: Text(2000).optional() }).strict();

interface ChangeRoute {
  path: string;
  summary: string;
  params: z.ZodObject;
  body: z.ZodType;
  command: (params: Record<string, string>, body: never) => Command;
}

/** One route per workflow Update: each is a command applied by the activity's workflow. */
const CHANGES: ChangeRoute[] = [
  { path: '/start', summary: 'Starta aktiviteten', params: z.object({}), body: empty, command: () => ({ type: 'start' }) },
  { path: '/block', summary: 'Blockera aktiviteten', params: z.object({}), body: reason, command: (_p, b: { reason: string }) => ({ type: 'block', reason: b.reason }) },
  { path: '/unblock', summary: 'Häv blockeringen', params: z.object({}), body: empty, command: () => ({ type: 'unblock' }) },
  {
    path: '/tasks',
    summary: 'Lägg till en uppgift',
    params: z.object({}),
    body: z.object({ title: Text(400), milestoneId: Slug.optional() }).strict(),
    command: (_p, b: { title: string; milestoneId?: string }) => ({ type: 'add-task', title: b.title, milestoneId: b.milestoneId }),
  },
  { path: '/tasks/:taskId/complete', summary: 'Markera en uppgift som klar', params: z.object({ taskId: Slug }), body: empty, command: (p) => ({ type: 'complete-task', taskId: p.taskId! }) },
  { path: '/tasks/:taskId/reopen', summary: 'Öppna en uppgift igen', params: z.object({ taskId: Slug }), body: empty, command: (p) => ({ type: 'reopen-task', taskId: p.taskId! }) },
  { path: '/comments', summary: 'Skriv en kommentar eller statusnotering', params: z.object({}), body: z.object({ text: Text(4000) }).strict(), command: (_p, b: { text: string }) => ({ type: 'add-comment', text: b.text }) },
  {
    path: '/evidence',
    summary: 'Lägg till underlag (en länk eller en uppladdad fil)',
    params: z.object({}),
    body: z
      .object({ text: Text(4000).optional(), link: z.url({ protocol: /^https?$/ }).max(2000).optional(), file: NewFileRef.optional() })
      .strict()
      .refine((b) => b.link !== undefined || b.file !== undefined, 'evidence needs a link or a file'),
    command: (_p, b: { text?: string; link?: string; file?: z.infer<typeof FileRef> }) => ({ type: 'add-evidence', ...b }),
  },
  { path: '/milestones/:milestoneId/submit', summary: 'Skicka in en milstolpe för godkännande', params: z.object({ milestoneId: Slug }), body: optionalComment, command: (p, b: { comment?: string }) => ({ type: 'submit-milestone', milestoneId: p.milestoneId!, comment: b.comment }) },
  { path: '/milestones/:milestoneId/approve', summary: 'Godkänn en milstolpe', params: z.object({ milestoneId: Slug }), body: optionalComment, command: (p, b: { comment?: string }) => ({ type: 'approve-milestone', milestoneId: p.milestoneId!, comment: b.comment }) },
  {
    path: '/milestones/:milestoneId/reject',
    summary: 'Skicka tillbaka en milstolpe med kommentar',
    params: z.object({ milestoneId: Slug }),
    body: z.object({ comment: Text(2000) }).strict(),
    command: (p, b: { comment: string }) => ({ type: 'reject-milestone', milestoneId: p.milestoneId!, comment: b.comment }),
  },
  {
    path: '/extensions',
    summary: 'Begär mer tid',
    params: z.object({}),
    body: z.object({ proposedDueDate: IsoDate, reason: Text(2000) }).strict(),
    command: (_p, b: { proposedDueDate: string; reason: string }) => ({ type: 'request-extension', ...b }),
  },
  {
    path: '/extensions/:extensionId/decision',
    summary: 'Besluta om mer tid',
    params: z.object({ extensionId: Slug }),
    body: z.object({ decision: z.enum(['grant', 'refuse']), comment: Text(2000).optional() }).strict(),
    command: (p, b: { decision: 'grant' | 'refuse'; comment?: string }) => ({ type: 'decide-extension', extensionId: p.extensionId!, ...b }),
  },
  {
    path: '/owner',
    summary: 'Utse aktivitetsansvarig',
    params: z.object({}),
    body: z.object({ userId: Text(100), name: PersonName }).strict(),
    command: (_p, b: { userId: string; name: string }) => ({ type: 'assign-owner', ...b }),
  },
  { path: '/defer', summary: 'Skjut upp aktiviteten till nästa år', params: z.object({}), body: reason, command: (_p, b: { reason: string }) => ({ type: 'defer', reason: b.reason }) },
  { path: '/cancel', summary: 'Avbryt aktiviteten', params: z.object({}), body: reason, command: (_p, b: { reason: string }) => ({ type: 'cancel', reason: b.reason }) },
  { path: '/verify', summary: 'Verifiera effekten', params: z.object({}), body: z.object({ comment: Text(2000) }).strict(), command: (_p, b: { comment: string }) => ({ type: 'verify', comment: b.comment }) },
];

export function changeRoutes(routes: ApiRoutes, deps: ApiDeps, metrics: Metrics): void {
  for (const change of CHANGES) {
    routes.add(
      {
        method: 'post',
        path: `/activities/:activityId${change.path}`,
        summary: change.summary,
        tags: ['Ändringar'],
        params: change.params.extend({ activityId: z.string().regex(/^[a-z0-9-]+\.\d{4}\.[a-z0-9-]+$/) }),
        body: change.body,
        headers: IdempotencyHeaders,
        responses: { 200: { description: 'Det nya tillståndet', schema: ChangeResponse, headers: { ETag: { description: 'the new version', schema: { type: 'string' } } } } },
      },
      async ({ params, body, principal, req }) => {
        const { activityId, ...rest } = params as Record<string, string> & { activityId: string };
        const actor = await actorFor(deps.models, principal, orgOfActivity(activityId), deps.config.planTimeZone);
        const idempotencyKey = idempotencyKeyOf(req);
        const expectedVersion = parseIfMatch(req, '"3"');
        const command = change.command(rest, body as never);
        return withIdempotency(deps.models, { userId: principal.userId, idempotencyKey, method: 'POST', path: req.path, body }, async () => {
          const started = process.hrtime.bigint();
          try {
            const { projected: _behindOrNot, ...result } = await applyChangeAs(deps, actor, activityId, command, {
              ...(idempotencyKey ? { requestId: `${principal.userId}:${idempotencyKey}` } : {}),
              ...(expectedVersion ? { expectedVersion } : {}),
            });
            return { status: 200, body: result, headers: { ETag: `"${result.version}"` } };
          } finally {
            metrics.updateSeconds.observe({ command: command.type }, Number(process.hrtime.bigint() - started) / 1e9);
          }
        });
      },
    );
  }
}
