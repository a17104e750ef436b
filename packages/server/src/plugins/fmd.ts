/**
 * EU FMD and recalls over HTTP (core/fmd, core/recall):
 * - `POST /fmd/verify` {gtin, serial, lot?, expiry?} or {code} (+ user?, premises?) → 200 the
 *   verification (status, alerts) — a verification that finds alerts is still a 200 answer
 * - `POST /fmd/decommission` {gtin, serial, lot, expiry, reason, user?, premises} → 200 or 409
 * - `POST /fmd/undo` {gtin, serial, lot, expiry, user?, premises} → 200 or 409
 * - `POST /fmd/dispense` {code, user?, premises} → the pharmacy flow in one call: parse → verify →
 *   decommission as supplied; 200, or 409 with the alerts, 400 for an unreadable code
 * - `POST /fmd/bulk` {operation, items: [{code} | {gtin, serial, lot, expiry}], reason?, user?,
 *   premises} → 200 with one answer per item (at most 1,000)
 * - `GET /fmd/alerts` the alert code table
 * - `POST /recalls` (admin) {kind?, gtin, lot?, reason, classification?, effectiveFrom?, issuedBy?}
 *   → 201 the report; `GET /recalls[?gtin=&lot=&kind=&active=true]`; `GET /recalls/{id}` the report
 *   (affected packs per holder, notifications); `POST /recalls/{id}/close` (admin) {reason?};
 *   `POST /recalls/{id}/notifications/sent` (admin) {holder}
 * `user` defaults to the API key (`key:<keyId>`). Refusals are RFC 7807 problems with `alerts`.
 */
import {
  FMD_ALERT_LIST,
  FmdError,
  FmdService,
  parsePackCode,
  RecallError,
  RecallService,
} from '@rxtrace/core';
import type { RxtraceStore } from '@rxtrace/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../http.ts';
import { ProblemError } from '../problem.ts';

export interface FmdPluginOptions {
  ctx: ServerContext;
  store: RxtraceStore;
  /** The clock (tests set it). */
  now?: () => Date;
}

const FMD_PROBLEM = 'https://rxtrace.org/problems/fmd';

function toProblem(e: unknown): unknown {
  if (e instanceof FmdError)
    return new ProblemError({
      type:
        e.status === 409
          ? `${FMD_PROBLEM}/refused`
          : e.status === 400
            ? `${FMD_PROBLEM}/invalid`
            : 'about:blank',
      title: e.title,
      status: e.status,
      detail: e.detail,
      alerts: e.alerts,
      ...e.extra,
    });
  if (e instanceof RecallError)
    return new ProblemError({ type: 'about:blank', title: e.title, status: e.status, detail: e.detail });
  return e;
}

const packProps = {
  gtin: { type: 'string', description: 'GTIN (8, 12, 13 or 14 digits)' },
  serial: { type: 'string' },
  lot: { type: 'string' },
  expiry: { type: 'string', description: 'YYYY-MM-DD or YYMMDD' },
  code: { type: 'string', description: 'Scan data or any GS1 string (instead of gtin/serial/lot/expiry)' },
  user: { type: 'string' },
  premises: { type: 'string', description: 'GLN or location id where the user acts' },
} as const;

type Body = Record<string, unknown>;

function actor(request: FastifyRequest, b: Body): { user: unknown; premises: unknown } {
  const key = (request as { apiKey?: { keyId: string } }).apiKey;
  return { user: b.user ?? (key ? `key:${key.keyId}` : undefined), premises: b.premises };
}

function packOf(b: Body): Body {
  const { gtin, serial, lot, expiry } = b;
  return { gtin, serial, lot, expiry };
}

export default async function fmdPlugin(app: FastifyInstance, opts: FmdPluginOptions): Promise<void> {
  const now = opts.now;
  const fmd = new FmdService(opts.store, { capture: opts.ctx.capture, ...(now ? { now } : {}) });
  const recalls = new RecallService(opts.store, now ? { now } : {});
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw toProblem(e);
      }
    };
  const body = (required: string[], extra: Record<string, unknown> = {}) => ({
    body: { type: 'object', required, additionalProperties: false, properties: { ...packProps, ...extra } },
  });

  app.post<{ Body: Body }>(
    '/fmd/verify',
    { config: { role: 'query' }, schema: body([]) },
    wrap(async (request) => {
      const b = request.body;
      const a = b.premises === undefined ? undefined : actor(request, b);
      if (b.code !== undefined) return fmd.verifyCode(b.code, a);
      return fmd.verify(packOf(b), a);
    }),
  );

  app.post<{ Body: Body }>(
    '/fmd/decommission',
    { config: { role: 'capture' }, schema: body(['reason'], { reason: { type: 'string' } }) },
    wrap(async (request) => {
      const b = request.body;
      const r = await fmd.decommission(
        b.code !== undefined ? await codePack(b.code) : packOf(b),
        b.reason,
        actor(request, b),
      );
      request.log.info({ id: r.id, reason: r.reason, eventId: r.eventId }, 'fmd decommission');
      return r;
    }),
  );

  app.post<{ Body: Body }>(
    '/fmd/undo',
    { config: { role: 'capture' }, schema: body([]) },
    wrap(async (request) => {
      const b = request.body;
      const r = await fmd.undo(b.code !== undefined ? await codePack(b.code) : packOf(b), actor(request, b));
      request.log.info({ id: r.id, corrected: r.correctedEventId }, 'fmd undo');
      return r;
    }),
  );

  app.post<{ Body: Body }>(
    '/fmd/dispense',
    { config: { role: 'capture' }, schema: body(['code']) },
    wrap(async (request) => {
      const b = request.body;
      const r = await fmd.dispense(b.code, actor(request, b));
      request.log.info({ id: r.id, eventId: r.eventId }, 'fmd dispense');
      return r;
    }),
  );

  app.post<{ Body: Body }>(
    '/fmd/bulk',
    {
      config: { role: 'capture' },
      schema: {
        body: {
          type: 'object',
          required: ['operation', 'items'],
          additionalProperties: false,
          properties: {
            operation: { type: 'string', enum: ['verify', 'decommission', 'undo', 'dispense'] },
            reason: { type: 'string' },
            user: { type: 'string' },
            premises: { type: 'string' },
            items: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object' } },
          },
        },
      },
    },
    wrap(async (request) => {
      const b = request.body;
      const r = await fmd.bulk(
        b.operation,
        b.items,
        b.premises === undefined && b.operation === 'verify' ? undefined : actor(request, b),
        b.reason,
      );
      request.log.info({ operation: r.operation, count: r.count, ok: r.ok }, 'fmd bulk');
      return r;
    }),
  );

  app.get('/fmd/alerts', { config: { role: 'query' } }, async () => ({ alerts: FMD_ALERT_LIST }));

  async function codePack(code: unknown) {
    const { form: _f, ...p } = parsePackCode(code as string, now ? now() : new Date());
    return p;
  }

  // Recalls

  app.post<{ Body: Body }>(
    '/recalls',
    {
      config: { role: 'admin' },
      schema: {
        body: {
          type: 'object',
          required: ['gtin', 'reason'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['recall', 'withdrawal'] },
            gtin: { type: 'string' },
            lot: { type: 'string' },
            reason: { type: 'string' },
            classification: { type: 'string' },
            effectiveFrom: { type: 'string' },
            issuedBy: { type: 'string' },
          },
        },
      },
    },
    wrap(async (request, reply) => {
      const r = await recalls.create(request.body);
      request.log.info(
        { recallId: r.recall.id, gtin: r.recall.gtin, lot: r.recall.lot, packs: r.affected.total },
        'recall issued',
      );
      reply.code(201).header('location', `/recalls/${r.recall.id}`);
      return r;
    }),
  );

  app.get<{
    Querystring: {
      gtin?: string;
      lot?: string;
      kind?: string;
      active?: boolean;
      perPage?: number;
      nextPageToken?: string;
    };
  }>(
    '/recalls',
    {
      config: { role: 'query' },
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            gtin: { type: 'string' },
            lot: { type: 'string' },
            kind: { type: 'string' },
            active: { type: 'boolean' },
            perPage: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            nextPageToken: { type: 'string' },
          },
        },
      },
    },
    wrap(async (request) => {
      const q = request.query;
      const page = await recalls.list(q, {
        limit: q.perPage ?? 100,
        ...(q.nextPageToken ? { after: q.nextPageToken } : {}),
      });
      return { recalls: page.recalls, ...(page.next ? { nextPageToken: page.next } : {}) };
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/recalls/:id',
    { config: { role: 'query' } },
    wrap(async (request) => recalls.report(request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/recalls/:id/close',
    {
      config: { role: 'admin' },
      schema: {
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { reason: { type: 'string' } },
        },
      },
    },
    wrap(async (request) => recalls.close(request.params.id, request.body?.reason)),
  );

  app.post<{ Params: { id: string }; Body: { holder: string } }>(
    '/recalls/:id/notifications/sent',
    {
      config: { role: 'admin' },
      schema: {
        body: {
          type: 'object',
          required: ['holder'],
          additionalProperties: false,
          properties: { holder: { type: 'string' } },
        },
      },
    },
    wrap(async (request) => recalls.markSent(request.params.id, request.body.holder)),
  );
}
