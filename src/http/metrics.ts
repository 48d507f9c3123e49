import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics: request latency by route and status, and Temporal Update latency. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lisplan_' });
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
