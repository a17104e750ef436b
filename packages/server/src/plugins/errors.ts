/**
 * Every error as an RFC 7807 problem (problem+json, or problem+xml when the client asks for XML),
 * with the EPCIS exception type where one applies — Fastify's own errors included. 5xx answers
 * never carry the error's message or stack: those go to the log, with the request id.
 * Also: the availability gate (503 before migrations ran and while shutting down), the GS1
 * version headers on every response, and the client's GS1-EPCIS-Min/Max check.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EPCIS_VERSION, global, pathOf, RESPONSE_HEADERS, type ServerContext, sendProblem } from '../http.ts';
import { type Problem, ProblemError, problemForStatus } from '../problem.ts';

/** Fastify error codes → the problem they are. */
function problemOfFastifyError(e: FastifyError, limits: ServerContext['limits']): Problem | undefined {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemForStatus(413, `the request body is larger than ${limits.bodyBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemForStatus(415, e.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problemForStatus(400, e.message);
    default:
      return undefined;
  }
}

function versionParts(v: string): number[] {
  return v.split('.').map((x) => Number.parseInt(x, 10) || 0);
}
function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

async function errorsPlugin(app: FastifyInstance, opts: { ctx: ServerContext }): Promise<void> {
  const { ctx } = opts;

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let p: Problem | undefined;
    if (error instanceof ProblemError) p = error.problem;
    else if (error.validation) {
      const where = error.validationContext ?? 'request';
      const exception = where === 'querystring' ? 'QueryParameterException' : 'ValidationException';
      p = { ...problemForStatus(400, error.message), type: `epcisException:${exception}` };
      if (exception === 'QueryParameterException') p.title = 'A query parameter is not valid';
    } else p = problemOfFastifyError(error, ctx.limits);
    if (!p) {
      const status =
        typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
          ? error.statusCode
          : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        p = problemForStatus(status, 'the server could not complete the request', { requestId: request.id });
      } else p = problemForStatus(status, error.message);
    } else if (p.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(request, reply, p);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const allowed = ctx.routes.allowed(path);
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        request,
        reply,
        problemForStatus(405, `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`),
      );
    }
    return sendProblem(request, reply, problemForStatus(404, `there is no resource ${path}`));
  });

  // Availability and version negotiation, before authentication.
  app.addHook('onRequest', async (request, reply) => {
    const role = request.routeOptions.config?.role;
    if (ctx.state.draining && role !== 'public') {
      reply.header('connection', 'close');
      return sendProblem(request, reply, problemForStatus(503, 'the server is shutting down'));
    }
    if (!ctx.state.ready && role !== 'public') {
      reply.header('retry-after', '1');
      return sendProblem(
        request,
        reply,
        problemForStatus(503, 'the server is starting (database migrations are running)'),
      );
    }
    const min = request.headers['gs1-epcis-min'];
    const max = request.headers['gs1-epcis-max'];
    if (typeof min === 'string' && min !== '' && compareVersions(min, EPCIS_VERSION) > 0) {
      return sendProblem(
        request,
        reply,
        problemForStatus(406, `GS1-EPCIS-Min ${min}: this server speaks EPCIS up to ${EPCIS_VERSION}`),
      );
    }
    if (typeof max === 'string' && max !== '' && compareVersions(max, '1.2.0') < 0) {
      return sendProblem(
        request,
        reply,
        problemForStatus(406, `GS1-EPCIS-Max ${max}: this server speaks EPCIS 1.2.0 to ${EPCIS_VERSION}`),
      );
    }
    return undefined;
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [k, v] of Object.entries(RESPONSE_HEADERS)) if (!reply.hasHeader(k)) reply.header(k, v);
    return payload;
  });
}

export default global(errorsPlugin);
