/**
 * Discovery: `OPTIONS` on every resource answers 204 with `Allow` (the methods registered for that
 * path, whichever plugin registered them) and the GS1 headers of the binding; on `/capture` also
 * the capture limits and error behaviours. A path no route matches is a NoSuchResourceException.
 * `GET /` lists the top-level resources (unless the query plugin answers it).
 * Register this plugin after every other one: it reads the route table when it answers.
 */
import type { FastifyInstance } from 'fastify';
import {
  captureDiscoveryHeaders,
  DISCOVERY_HEADERS,
  pathOf,
  type ServerContext,
  sendProblem,
} from '../http.ts';
import { problemForStatus } from '../problem.ts';

export const TOP_LEVEL_RESOURCES = [
  'events',
  'eventTypes',
  'epcs',
  'bizSteps',
  'bizLocations',
  'readPoints',
  'dispositions',
  'capture',
  'queries',
];

export default async function discoveryPlugin(
  app: FastifyInstance,
  opts: { ctx: ServerContext },
): Promise<void> {
  const { ctx } = opts;

  app.options('*', { config: { role: 'public' } }, async (request, reply) => {
    const path = pathOf(request.url);
    const allowed = ctx.routes.allowed(path);
    if (allowed.length === 0)
      return sendProblem(request, reply, problemForStatus(404, `there is no resource ${path}`));
    reply.header('allow', allowed.join(', '));
    for (const [k, v] of Object.entries(DISCOVERY_HEADERS)) reply.header(k, v);
    if (path === '/capture' || path === '/capture/')
      for (const [k, v] of Object.entries(captureDiscoveryHeaders(ctx.limits))) reply.header(k, v);
    return reply.code(204).send();
  });

  if (!app.hasRoute({ method: 'GET', url: '/' })) {
    app.get('/', async () => ({
      '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      type: 'Collection',
      member: TOP_LEVEL_RESOURCES,
    }));
  }
}
