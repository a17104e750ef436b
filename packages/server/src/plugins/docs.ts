/**
 * The API description: `GET /openapi.json` (OpenAPI 3.0, see ../openapi.ts) and an interactive
 * page at `/docs` (Swagger UI, served from this server: its scripts, styles and images come from
 * the swagger-ui-dist package, no CDN; the online spec validator is off). No key needed.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.ts';
import { addUndescribedRoutes, openApiDocument } from '../openapi.ts';

export default async function docsPlugin(app: FastifyInstance, opts: { ctx: ServerContext }): Promise<void> {
  const { ctx } = opts;
  const document = openApiDocument(ctx.limits);
  let completed = false;
  const complete = () => {
    if (!completed) {
      completed = true;
      addUndescribedRoutes(document, ctx.routes.list());
    }
    return document;
  };
  // Every route of this plugin (Swagger UI's included) is public.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), role: 'public' };
  });
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null, deepLinking: true, persistAuthorization: true },
    transformSpecificationClone: false,
    transformSpecification: () => complete() as never,
  });
  app.get('/openapi.json', async () => complete());
}
