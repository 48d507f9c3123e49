import type { Models } from '../db/models';
import { createSmokeActivities } from './smoke';

/** Activities are built by a factory that takes their dependencies, so tests can pass real ones. */
export function createActivities(deps: { models: Models }) {
  return {
    ...createSmokeActivities(deps.models),
  };
}

export type Activities = ReturnType<typeof createActivities>;
