import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates a Temporal Schedule, or brings an existing one in line with the configuration: safe
 * at every worker start. Without a spec (switched off in the configuration) it is removed.
 */
export async function ensureSchedule(client: Client, options: Omit<ScheduleOptions, 'spec'> & { spec?: ScheduleOptions['spec'] }): Promise<void> {
  const handle = client.schedule.getHandle(options.scheduleId);
  if (!options.spec) {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return;
  }
  const { spec, action, policies } = options;
  try {
    await client.schedule.create({ ...options, spec });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  }
}
