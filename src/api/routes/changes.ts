import type { ApiDeps } from '../../http/deps';
import { withIdempotency } from '../idempotency';
import type { ApiRoutes } from '../openapi/route';
import { ChangeResponse, IdempotencyHeaders } from '../schemas';
import { actorFor, orgOfActivity } from '../../services/people/access';
import { applyChangeAs } from '../../services/activities/change';
import { ACTIVITY_COMMANDS, COMMAND_TYPES, commandRequest, toCommand } from '../../services/activities/command-table';
import { idempotencyKeyOf, parseIfMatch } from '../update-headers';
import type { Metrics } from '../../http/metrics';

/** One route per activity command, from the command table: each is an Update of the activity's workflow. */
export function changeRoutes(routes: ApiRoutes, deps: ApiDeps, metrics: Metrics): void {
  for (const type of COMMAND_TYPES) {
    const request = commandRequest(type);
    routes.add(
      {
        method: 'post',
        path: `/activities/:activityId${ACTIVITY_COMMANDS[type].api}`,
        summary: ACTIVITY_COMMANDS[type].summary,
        tags: ['Ändringar'],
        params: request.params,
        body: request.body,
        headers: IdempotencyHeaders,
        responses: { 200: { description: 'Det nya tillståndet', schema: ChangeResponse, headers: { ETag: { description: 'the new version', schema: { type: 'string' } } } } },
      },
      async ({ params, body, principal, req }) => {
        const { activityId, ...ids } = params;
        const actor = await actorFor(deps.models, principal, orgOfActivity(activityId), deps.config.planTimeZone);
        const idempotencyKey = idempotencyKeyOf(req);
        const expectedVersion = parseIfMatch(req, '"3"');
        const command = toCommand(type, ids, body);
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
