import type { Models } from '../db/models';
import { createActivityStoreActivities } from './activity-store';
import { createSmokeActivities } from './smoke';

/** Activities are built by a factory that takes their dependencies, so tests can pass real ones. */
export function createActivities(deps: { models: Models; timeZone: string }) {
  return {
    ...createSmokeActivities(deps.models),
    ...createActivityStoreActivities(deps.models, { timeZone: deps.timeZone }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
