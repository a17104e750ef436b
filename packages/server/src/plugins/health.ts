/**
 * `GET /health`: 200 `{ status: 'ok' }` once the database migrations have run, 503 before that
 * and while the server shuts down (so that a load balancer sends no new work). No key needed.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.ts';

export default async function healthPlugin(
  app: FastifyInstance,
  opts: { ctx: ServerContext },
): Promise<void> {
  const { ctx } = opts;
  app.get('/health', { config: { role: 'public' } }, async (_request, reply) => {
    const status = ctx.state.draining ? 'stopping' : ctx.state.ready ? 'ok' : 'starting';
    reply.code(status === 'ok' ? 200 : 503).header('cache-control', 'no-store');
    return {
      status,
      store: ctx.store.dialect,
      uptimeSeconds: Math.round((Date.now() - ctx.state.startedAt) / 1000),
      captureJobsRunning: ctx.capture.runningCount,
    };
  });
}
