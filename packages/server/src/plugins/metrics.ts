/**
 * `GET /metrics` in the Prometheus text format: HTTP requests (count and latency by route pattern
 * and status), captured events, duplicates, invalid events, capture jobs by outcome, running jobs,
 * and the Node.js process metrics. One registry per server (tests run several in one process).
 * The request hooks are global; the route needs no key (restrict it at the network edge).
 */
import type { CaptureOutcome } from '@rxtrace/core';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { global, type ServerContext } from '../http.ts';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'rxtrace_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'rxtrace_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly capturedEvents = new Counter({
    name: 'rxtrace_captured_events_total',
    help: 'EPCIS events stored',
    registers: [this.registry],
  });
  readonly duplicateEvents = new Counter({
    name: 'rxtrace_capture_duplicate_events_total',
    help: 'Events not stored because an identical event (same Event Hash ID) is stored already',
    registers: [this.registry],
  });
  readonly invalidEvents = new Counter({
    name: 'rxtrace_capture_invalid_events_total',
    help: 'Events refused as invalid',
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'rxtrace_capture_jobs_total',
    help: 'Capture jobs finished, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly running: Gauge;

  constructor(runningJobs: () => number) {
    this.running = new Gauge({
      name: 'rxtrace_capture_jobs_running',
      help: 'Capture jobs running now',
      registers: [this.registry],
      collect() {
        this.set(runningJobs());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'rxtrace_' });
  }

  /** Records a finished document capture. */
  captureFinished(o: CaptureOutcome): void {
    this.capturedEvents.inc(o.stored);
    if (o.duplicates) this.duplicateEvents.inc(o.duplicates);
    if (o.invalid) this.invalidEvents.inc(o.invalid);
    this.jobs.inc({ outcome: o.job.success ? 'success' : 'failure' });
  }

  /** Records a `POST /events` capture. */
  eventCaptured(ok: boolean): void {
    if (ok) this.capturedEvents.inc();
    this.jobs.inc({ outcome: ok ? 'success' : 'failure' });
  }
}

async function metricsPlugin(
  app: FastifyInstance,
  opts: { ctx: ServerContext; metrics: ServerMetrics },
): Promise<void> {
  const { metrics } = opts;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    metrics.requests.inc({ method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { role: 'public' } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

export default global(metricsPlugin);
