/**
 * The capture interface of the EPCIS 2.0 REST binding:
 * - `POST /capture`: an EPCISDocument or EPCISQueryDocument, JSON-LD or XML (2.0 or 1.2). The body
 *   is never buffered: the request stream goes to the streaming reader, event by event. The answer
 *   comes when the job has finished (its final state durable): 202 with `Location: /capture/{id}`
 *   and the job; or, when nothing was stored because of an error (rollback mode, or a document
 *   refused as a whole), the problem with the fitting status (400, 413, 415) and the job's errors.
 * - `GET /capture` (paginated), `GET /capture/{captureID}` (JSON, or EPCISCaptureJob XML).
 * - `POST /events`: one bare event (JSON or XML) → 201 with `Location: /events/{eventID}`; 409 when
 *   an event with that eventID exists (an error declaration for it is accepted).
 * Within this plugin the body parsers are replaced: bodies reach the handlers unread.
 */
import { formatOfMediaType } from '@rxtrace/epcis';
import type { CaptureErrorBehaviour, CaptureJob } from '@rxtrace/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ServerContext, sendProblem } from '../http.ts';
import { epcisProblem, type Problem, preferredFormat, problemForStatus } from '../problem.ts';

export interface CapturePluginOptions {
  ctx: ServerContext;
}

/** The job as the binding shows it (plus rxtrace's `eventCount`). */
export function jobView(j: CaptureJob): Record<string, unknown> {
  const v: Record<string, unknown> = {
    captureID: j.captureId,
    createdAt: j.createdAt,
  };
  if (j.finishedAt) v.finishedAt = j.finishedAt;
  v.running = j.running;
  v.success = j.success;
  v.captureErrorBehaviour = j.captureErrorBehaviour;
  v.eventCount = j.eventCount;
  v.errors = j.errors;
  return v;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `epcis:EPCISCaptureJob` (EPCIS 2.0 XML). */
export function jobXml(j: CaptureJob): string {
  const el = (n: string, v: unknown) =>
    v === undefined || v === null ? '' : `<${n}>${esc(String(v))}</${n}>`;
  const errors = j.errors.length
    ? `<errors>${j.errors.map((e) => `<error>${el('type', e.type)}${el('title', e.title)}${el('status', e.status)}${el('detail', e.detail)}${el('instance', e.instance)}</error>`).join('')}</errors>`
    : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<epcis:EPCISCaptureJob xmlns:epcis="urn:epcglobal:epcis:xsd:2" running="${j.running}" success="${j.success}" captureID="${esc(j.captureId)}">` +
    `${el('captureErrorBehaviour', j.captureErrorBehaviour)}${el('createdAt', j.createdAt)}${el('finishedAt', j.finishedAt)}${errors}</epcis:EPCISCaptureJob>`
  );
}

function errorBehaviourOf(request: FastifyRequest): CaptureErrorBehaviour {
  const h = request.headers['gs1-capture-error-behaviour'];
  if (h === undefined || h === '') return 'rollback';
  const v = String(h).trim().toLowerCase();
  if (v === 'rollback' || v === 'proceed') return v;
  throw epcisProblem(
    'ValidationException',
    400,
    `GS1-Capture-Error-Behaviour must be 'rollback' or 'proceed', not ${JSON.stringify(h)}`,
  );
}

/** Reads a whole (small) body, refusing it past `max` bytes. */
async function readBody(request: FastifyRequest, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of request.raw.iterator({ destroyOnReturn: false })) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > max)
      throw epcisProblem('CaptureLimitExceededException', 413, `the event is larger than ${max} bytes`);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** After an early answer, the rest of the body is discarded and the connection closed. */
function discardRest(request: FastifyRequest, reply: FastifyReply): void {
  if (!request.raw.readableEnded) {
    reply.header('connection', 'close');
    request.raw.resume();
  }
}

export default async function capturePlugin(app: FastifyInstance, opts: CapturePluginOptions): Promise<void> {
  const { ctx } = opts;
  const { capture, limits } = ctx;

  // Bodies reach the handlers as streams, unread, whatever their type (checked by the handlers).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.post('/capture', { config: { role: 'capture' } }, async (request, reply) => {
    const contentType = request.headers['content-type'];
    const fmt = formatOfMediaType(contentType);
    if (fmt === 'unsupported') {
      discardRest(request, reply);
      return sendProblem(
        request,
        reply,
        problemForStatus(
          415,
          `media type ${JSON.stringify(contentType)}: send an EPCIS document as JSON(-LD) (application/json, application/ld+json) or XML (application/xml, text/xml)`,
        ),
      );
    }
    const errorBehaviour = errorBehaviourOf(request);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.captureBytes) {
      discardRest(request, reply);
      reply.header('GS1-EPCIS-Capture-File-Size-Limit', String(limits.captureBytes));
      return sendProblem(
        request,
        reply,
        epcisProblem(
          'CaptureLimitExceededException',
          413,
          `the document is ${declared} bytes; the limit is ${limits.captureBytes} bytes (GS1-EPCIS-Capture-File-Size-Limit)`,
        ).problem,
      );
    }
    const body = request.raw.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    const started = capture.start({
      body,
      ...(contentType !== undefined ? { contentType } : {}),
      errorBehaviour,
      limits: {
        maxEvents: limits.captureEvents,
        maxBytes: limits.captureBytes,
        batchSize: limits.captureBatch,
      },
    });
    request.log.info({ captureID: started.captureId, errorBehaviour }, 'capture started');
    const outcome = await started.done;
    const job = outcome.job;
    request.log.info(
      {
        captureID: job.captureId,
        success: job.success,
        eventsRead: outcome.eventsRead,
        stored: outcome.stored,
        duplicates: outcome.duplicates,
        invalid: outcome.invalid,
      },
      'capture finished',
    );
    if (outcome.rejected) {
      discardRest(request, reply);
      const r = outcome.rejected;
      if (r.status === 413) {
        reply.header('GS1-EPCIS-Capture-Limit', String(limits.captureEvents));
        reply.header('GS1-EPCIS-Capture-File-Size-Limit', String(limits.captureBytes));
      }
      const p: Problem = {
        type: r.type,
        title: r.title,
        status: r.status ?? 400,
        ...(r.detail !== undefined ? { detail: r.detail } : {}),
        instance: `/capture/${job.captureId}`,
        captureID: job.captureId,
        errors: job.errors,
      };
      return sendProblem(request, reply, p);
    }
    reply.code(202).header('location', `/capture/${job.captureId}`);
    return { ...jobView(job), duplicates: outcome.duplicates };
  });

  app.get<{ Querystring: { perPage?: number; nextPageToken?: string } }>(
    '/capture',
    {
      config: { role: 'capture' },
      schema: {
        querystring: {
          type: 'object',
          properties: {
            perPage: { type: 'integer', minimum: 1 },
            nextPageToken: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    async (request, reply) => {
      const perPage = Math.min(request.query.perPage ?? 30, 1000);
      const page = await capture.listJobs({
        limit: perPage,
        ...(request.query.nextPageToken ? { after: request.query.nextPageToken } : {}),
      });
      if (page.next) {
        reply.header(
          'link',
          `</capture?perPage=${perPage}&nextPageToken=${encodeURIComponent(page.next)}>; rel="next"`,
        );
      }
      return page.jobs.map(jobView);
    },
  );

  app.get<{ Params: { captureID: string } }>(
    '/capture/:captureID',
    { config: { role: 'capture' } },
    async (request, reply) => {
      const job = await capture.getJob(request.params.captureID);
      if (!job)
        return sendProblem(
          request,
          reply,
          problemForStatus(404, `there is no capture job ${request.params.captureID}`),
        );
      const fmt = preferredFormat(request.headers.accept);
      if (fmt === null)
        return sendProblem(
          request,
          reply,
          problemForStatus(406, 'a capture job is available as application/json or application/xml'),
        );
      if (fmt === 'xml')
        return reply.header('content-type', 'application/xml; charset=utf-8').send(jobXml(job));
      return jobView(job);
    },
  );

  app.post('/events', { config: { role: 'capture' } }, async (request, reply) => {
    const contentType = request.headers['content-type'];
    if (formatOfMediaType(contentType) === 'unsupported') {
      discardRest(request, reply);
      return sendProblem(
        request,
        reply,
        problemForStatus(
          415,
          `media type ${JSON.stringify(contentType)}: send one event as JSON(-LD) or XML`,
        ),
      );
    }
    const max = Math.min(limits.captureBytes, 16 * 1024 * 1024);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      discardRest(request, reply);
      return sendProblem(
        request,
        reply,
        epcisProblem(
          'CaptureLimitExceededException',
          413,
          `the event is ${declared} bytes; the limit is ${max} bytes`,
        ).problem,
      );
    }
    let body: Buffer;
    try {
      body = await readBody(request, max);
    } catch (e) {
      discardRest(request, reply);
      throw e;
    }
    const out = await capture.captureEvent({ body, ...(contentType !== undefined ? { contentType } : {}) });
    if (!out.ok) {
      const p: Problem = { ...out.problem, status: out.problem.status ?? 400 };
      if (out.errors.length > 1) p.errors = out.errors;
      return sendProblem(request, reply, p);
    }
    reply.code(201).header('location', `/events/${encodeURIComponent(out.eventId)}`);
    return out.event;
  });
}
