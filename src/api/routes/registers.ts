import { z } from 'zod';
import { REGISTER_KINDS, REGISTER_ROW_SCHEMAS, type RegisterKind } from '../../domain/registers';
import type { ApiDeps } from '../../http/deps';
import { addRegisterRow, listRegister, removeRegisterRow, replaceRegisterRow } from '../../services/reviews/registers';
import type { ApiRoutes } from '../openapi/route';
import { OrgParams } from '../schemas';

/**
 * The review registers (ISO/IEC 27001:2022 9.3.2 c–f): members read, the coordinator adds,
 * replaces and removes rows. One set of routes per register, so that each has its own body
 * schema in the API description; the rights and the limit are the service's.
 */

const RowParams = z.object({ rowId: z.string().regex(/^[a-z0-9-]{1,80}$/) });

export function registerRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;
  const tags = ['Register för ledningens genomgång'];
  for (const kind of REGISTER_KINDS) routesOf(kind);

  function routesOf(kind: RegisterKind): void {
    const path = `/organisations/:orgId/registers/${kind}`;
    const Row = z.object({ id: z.string(), kind: z.literal(kind), data: REGISTER_ROW_SCHEMAS[kind] }).openapi(`RegisterRow_${kind}`);
    routes.add(
      { method: 'get', path, summary: `Registret ${kind}`, tags, params: OrgParams, responses: { 200: { description: 'Raderna', schema: z.array(Row) } } },
      async ({ params, principal }) => ({ body: await listRegister(models, principal, params.orgId, kind) }),
    );
    routes.add(
      { method: 'post', path, summary: `Lägg till en rad i registret ${kind} (samordnaren)`, tags, params: OrgParams, body: REGISTER_ROW_SCHEMAS[kind], responses: { 201: { description: 'Raden', schema: Row } } },
      async ({ params, body, principal }) => ({ status: 201, body: await addRegisterRow(models, principal, params.orgId, kind, body) }),
    );
    routes.add(
      { method: 'put', path: `${path}/:rowId`, summary: `Ersätt en rad i registret ${kind} (samordnaren)`, tags, params: OrgParams.merge(RowParams), body: REGISTER_ROW_SCHEMAS[kind], responses: { 200: { description: 'Raden', schema: Row } } },
      async ({ params, body, principal }) => ({ body: await replaceRegisterRow(models, principal, params.orgId, kind, params.rowId, body) }),
    );
    routes.add(
      { method: 'delete', path: `${path}/:rowId`, summary: `Ta bort en rad ur registret ${kind} (samordnaren)`, tags, params: OrgParams.merge(RowParams), responses: { 204: { description: 'Borttagen' } } },
      async ({ params, principal }) => {
        await removeRegisterRow(models, principal, params.orgId, kind, params.rowId);
        return { status: 204 };
      },
    );
  }
}
