import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Models } from '../../store/models';
import { smokeWorkflow } from '../../workflows/smoke';
import { Problem } from '../../services/problem';
import { parseOr400 } from '../../services/validate';

const SmokeBody = z.object({ message: z.string().trim().min(1).max(500) }).strict();
const SmokeParams = z.object({ id: z.string().regex(/^smoke-[0-9a-f-]{36}$/) });

/**
 * The foundation's vertical slice: a write goes through a workflow and an activity into the
 * store, and the response is read back from the store.
 */
export function smokeRoutes(deps: { client: Client; models: Models; taskQueue: string }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const body = parseOr400(SmokeBody, req.body, 'body');
    const id = `smoke-${randomUUID()}`;
    await deps.client.workflow.execute(smokeWorkflow, {
      workflowId: id,
      taskQueue: deps.taskQueue,
      args: [{ message: body.message }],
      workflowExecutionTimeout: '1 minute',
    });
    res.status(201).location(`${req.baseUrl}/${id}`).json(await readNote(deps.models, id));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOr400(SmokeParams, req.params, 'params');
    res.json(await readNote(deps.models, id));
  });

  return router;
}

async function readNote(models: Models, id: string) {
  const note = await models.smokeNotes.findById(id).lean();
  if (!note) throw Problem.notFound(`No smoke note ${id}`);
  return { id: note._id, message: note.message, recordedAt: note.recordedAt.toISOString() };
}
