import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics: request latency by route and status, Temporal Update latency, and the
 * workflows that cannot continue by kind (read from the store at each scrape, given a counter).
 */
export function createMetrics(opts: { workflowProblems?: () => Promise<Record<string, number>> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lisplan_' });
  const { workflowProblems } = opts;
  if (workflowProblems) {
    new Gauge({
      name: 'lisplan_workflow_problems',
      help: 'Activity and review workflows that cannot continue, by kind (stuck, ended-abnormally), as the last health check found them',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        for (const [kind, n] of Object.entries(await workflowProblems())) this.set({ kind }, n);
      },
    });
  }
  return {
    registry,
    httpSeconds: new Histogram({
      name: 'lisplan_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    updateSeconds: new Histogram({
      name: 'lisplan_temporal_update_duration_seconds',
      help: 'Latency of activity workflow Updates',
      labelNames: ['command'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
