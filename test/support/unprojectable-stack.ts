import request from 'supertest';
import type { Express } from 'express';
import { bearerFor, testApp, type TestUser } from './api';
import { quietDueDate, thisYear } from './calendar';
import { startTestStackAround, type TestStack } from './stack';

/**
 * A stack whose worker cannot project the activities and reviews named in `unprojectable`, as
 * when the store is away for the worker only; with one organisation, its coordinator's bearer
 * token and a way to create an activity there through the API.
 */
export interface UnprojectableStack {
  stack: TestStack;
  app: Express;
  auth: string;
  unprojectable: Set<string>;
  create: (key: string) => Promise<string>;
}

export async function startUnprojectableStack(orgId: string, coordinator: TestUser): Promise<UnprojectableStack> {
  const unprojectable = new Set<string>();
  const stack = await startTestStackAround((real) => ({
    ...real,
    async persistActivityChange(input) {
      if (unprojectable.has(input.snapshot.id)) throw new Error('the store is away (test)');
      return real.persistActivityChange(input);
    },
    async persistReview(input) {
      if (unprojectable.has(input.state.id)) throw new Error('the store is away (test)');
      return real.persistReview(input);
    },
  }));
  const app = testApp(stack);
  await stack.models.organisations.create({ _id: orgId, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
  const auth = await bearerFor(stack.models, coordinator);
  const create = async (key: string): Promise<string> => {
    const created = await request(app).post(`/api/v1/organisations/${orgId}/activities`).set('authorization', auth)
      .send({ key, year: thisYear(), dueDate: quietDueDate(), title: 'Aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    return created.body.id as string;
  };
  return { stack, app, auth, unprojectable, create };
}
