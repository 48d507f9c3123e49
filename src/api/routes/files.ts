import { createHash, randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { FileName, FileRef } from '../../domain/activity';
import { actorFor, forbidden, orgOfActivity, requireRead } from '../../services/people/access';
import { mayWork } from '../../domain/permissions';
import { stateQuery } from '../../workflows/messages/activity';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../../services/problem';
import { ActivityParams } from '../../domain/activity';
import { FileNameHeaders } from '../schemas';
import { parseOr400 } from '../../services/validate';
import { activityFile, storeUpload } from '../../services/activities/uploads';

export const MAX_EVIDENCE_BYTES = 1024 * 1024;
const ALLOWED_TYPES = /^(application\/pdf|image\/(png|jpeg)|text\/plain|text\/csv|application\/vnd\.openxmlformats-officedocument\.(wordprocessingml\.document|spreadsheetml\.sheet))$/;

/**
 * Evidence files: uploaded as the raw request body (at most 1 MiB), then attached to the
 * activity with POST …/evidence { file }. Downloads are for readers of the organisation.
 */
export function fileRoutes(routes: ApiRoutes, deps: ApiDeps): Router {
  routes.add(
    {
      method: 'get',
      path: '/activities/:activityId/files/:fileId',
      summary: 'Hämta en uppladdad fil med underlag',
      tags: ['Underlag'],
      params: ActivityParams.extend({ fileId: z.string().regex(/^fil-[0-9a-f-]{36}$/) }),
      responses: { 200: { description: 'Filen' } },
    },
    async ({ params, principal, res }) => {
      requireRead(principal, orgOfActivity(params.activityId));
      const file = await activityFile(deps.models, params.activityId, params.fileId);
      if (!file) throw Problem.notFound('Ingen sådan fil.');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      // lean() hands back BSON Binary, whose bytes are in .buffer.
      const data = file.data as unknown as Buffer | { buffer: Uint8Array };
      res.type(file.contentType).send(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer));
      return { sent: true };
    },
  );

  // The upload takes a raw body rather than JSON: mounted by hand, described in the same document.
  routes.describe({
    method: 'post',
    path: '/activities/:activityId/files',
    summary: 'Ladda upp en fil med underlag (högst 1 MiB); bifoga den sedan med …/evidence',
    tags: ['Underlag'],
    params: ActivityParams,
    headers: FileNameHeaders,
    rawBody: {
      contentTypes: ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      description: 'The file (not empty)',
    },
    responses: { 201: { description: 'Referensen att bifoga', schema: FileRef } },
  });
  const router = Router();
  router.post(
    '/api/v1/activities/:activityId/files',
    express.raw({ type: () => true, limit: MAX_EVIDENCE_BYTES }),
    async (req, res) => {
      const { activityId } = parseOr400(ActivityParams, req.params, 'params');
      const principal = res.locals.principal;
      const actor = await actorFor(deps.models, principal, orgOfActivity(activityId), deps.config.planTimeZone);
      const name = parseOr400(FileName, decodeHeader(req.get('x-filename') ?? ''), 'params');
      const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim();
      if (!ALLOWED_TYPES.test(contentType)) {
        throw new Problem(415, 'unsupported-media-type', 'Filtypen stöds inte', 'PDF, PNG, JPEG, text, CSV, Word (.docx) or Excel (.xlsx) only.');
      }
      const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (data.length === 0) throw Problem.badRequest([{ field: 'body', message: 'the file is empty' }]);
      // The workflow, not the projection (which may lag a fresh activity), says whether it exists
      // and who may add to it: only those who may work on it may store files for it.
      const state = await deps.client.workflow
        .getHandle(activityId)
        .query(stateQuery)
        .catch((err: unknown) => {
          throw err instanceof WorkflowNotFoundError ? Problem.notFound(`Aktiviteten ${activityId} finns inte.`) : err;
        });
      if (!mayWork(actor, state)) throw forbidden('Bara aktivitetsansvarig eller samordnare kan lägga till underlag.');
      const ref = { id: `fil-${randomUUID()}`, name, size: data.length, contentType, sha256: createHash('sha256').update(data).digest('hex') };
      await storeUpload(deps.models, { _id: ref.id, orgId: orgOfActivity(activityId), activityId, name, contentType, size: ref.size, sha256: ref.sha256, data, uploadedBy: actor.userId });
      res.status(201).json(ref);
    },
  );
  return router;
}

/** A URL-encoded header value; a malformed one becomes an empty (and so refused) name. */
function decodeHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}
