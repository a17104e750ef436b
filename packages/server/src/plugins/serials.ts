/**
 * Serial number management (roles: capture for the line's calls, admin for pools and imports):
 * - `POST /serials/pools` (admin) create a pool; `GET /serials/pools[?gtin=&counts=true]`
 * - `POST /serials/requests` {gtin | poolId, count, lot?, expiry?, reservedFor?, requestId?} → 201
 *   with the serials, durable (reserved) before the answer; `requestId` (or the `Idempotency-Key`
 *   header) makes a retry answer the same serials (`Idempotent-Replayed: true`), 409 when the id
 *   was used with other parameters
 * - `POST /serials/import` (admin) {poolId, serials: [{serial, data?}] | ["…"]} into a list pool
 * - `POST /serials/commission` {gtin, serials, lot?, expiry?, eventTime?, readPoint?, bizLocation?,
 *   allowUnissued?} → the commissioning ObjectEvent captured, serials commissioned
 * - `POST /serials/return`, `/serials/destroy`, `/serials/decommission` {gtin, serials}
 * - `GET /serials/{gtin}/{serial}` the serial's state; `GET /serials/reconciliation?gtin=&lot=`
 * Errors are RFC 7807 problems with the service's precise detail (and e.g. `guessProbability`).
 */
import { SerialError, type SerialPoolInput, SerialService } from '@rxtrace/core';
import type { RxtraceStore } from '@rxtrace/store';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.ts';
import { ProblemError } from '../problem.ts';

export interface SerialsPluginOptions {
  ctx: ServerContext;
  store: RxtraceStore;
}

function toProblem(e: unknown): unknown {
  if (e instanceof SerialError)
    return new ProblemError({
      type: 'about:blank',
      title: e.title,
      status: e.status,
      detail: e.detail,
      ...e.extra,
    });
  return e;
}

const serialList = { type: 'array', minItems: 1, items: { type: 'string' } } as const;
const changeBody = {
  type: 'object',
  required: ['gtin', 'serials'],
  additionalProperties: false,
  properties: { gtin: { type: 'string' }, serials: serialList },
} as const;

export default async function serialsPlugin(app: FastifyInstance, opts: SerialsPluginOptions): Promise<void> {
  const service = new SerialService(opts.store.serials, { capture: opts.ctx.capture });
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw toProblem(e);
      }
    };
  const capture = { role: 'capture' as const };
  const admin = { role: 'admin' as const };

  app.post<{ Body: SerialPoolInput }>(
    '/serials/pools',
    { config: admin, schema: { body: { type: 'object', required: ['kind'] } } },
    wrap(async (request, reply) => {
      const pool = await service.createPool(request.body);
      request.log.info({ poolId: pool.poolId, kind: pool.kind, key: pool.key }, 'serial pool created');
      reply.code(201).header('location', `/serials/pools/${encodeURIComponent(pool.poolId)}`);
      return pool;
    }),
  );

  app.get<{ Querystring: { gtin?: string; counts?: boolean } }>(
    '/serials/pools',
    {
      config: capture,
      schema: {
        querystring: {
          type: 'object',
          properties: { gtin: { type: 'string' }, counts: { type: 'boolean' } },
        },
      },
    },
    wrap(async (request) => service.listPools(request.query.gtin, request.query.counts === true)),
  );

  app.get<{ Params: { poolId: string } }>(
    '/serials/pools/:poolId',
    { config: capture },
    wrap(async (request) => {
      const p = await service.getPool(request.params.poolId);
      return { ...p, counts: await service.store.poolCounts(p.poolId) };
    }),
  );

  app.post<{
    Body: {
      gtin?: string;
      poolId?: string;
      count: number;
      lot?: string;
      expiry?: string;
      reservedFor?: string;
      requestId?: string;
    };
  }>(
    '/serials/requests',
    {
      config: capture,
      schema: {
        body: {
          type: 'object',
          required: ['count'],
          additionalProperties: false,
          properties: {
            gtin: { type: 'string' },
            poolId: { type: 'string' },
            count: { type: 'integer' },
            lot: { type: 'string' },
            expiry: { type: 'string' },
            reservedFor: { type: 'string' },
            requestId: { type: 'string' },
          },
        },
      },
    },
    wrap(async (request, reply) => {
      const header = request.headers['idempotency-key'];
      if (Array.isArray(header))
        throw new SerialError(400, 'Invalid Idempotency-Key', 'give one Idempotency-Key header');
      const body = request.body;
      if (header !== undefined && body.requestId !== undefined && header !== body.requestId)
        throw new SerialError(
          400,
          'Two request ids',
          `the Idempotency-Key header (${JSON.stringify(header)}) and the body's requestId (${JSON.stringify(body.requestId)}) differ`,
        );
      const r = await service.request(header !== undefined ? { ...body, requestId: header } : body);
      if (r.replayed) {
        reply.header('idempotent-replayed', 'true');
        request.log.info({ requestId: r.requestId, count: r.count }, 'serial request replayed');
      }
      reply.code(201);
      return r;
    }),
  );

  app.post<{
    Body: { poolId: string; serials: (string | { serial: string; data?: Record<string, string> })[] };
  }>(
    '/serials/import',
    {
      config: admin,
      bodyLimit: 256 * 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['poolId', 'serials'],
          additionalProperties: false,
          properties: { poolId: { type: 'string' }, serials: { type: 'array', minItems: 1 } },
        },
      },
    },
    wrap(async (request) => {
      const items = request.body.serials.map((s) => (typeof s === 'string' ? { serial: s } : s));
      const r = await service.importSerials(request.body.poolId, items);
      request.log.info(
        { poolId: r.poolId, added: r.added, duplicates: r.duplicates.length },
        'serials imported',
      );
      return r;
    }),
  );

  app.post<{
    Body: {
      gtin: string;
      serials: string[];
      lot?: string;
      expiry?: string;
      eventTime?: string;
      eventTimeZoneOffset?: string;
      readPoint?: string;
      bizLocation?: string;
      allowUnissued?: boolean;
    };
  }>(
    '/serials/commission',
    {
      config: capture,
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        body: {
          type: 'object',
          required: ['gtin', 'serials'],
          additionalProperties: false,
          properties: {
            gtin: { type: 'string' },
            serials: serialList,
            lot: { type: 'string' },
            expiry: { type: 'string' },
            eventTime: { type: 'string' },
            eventTimeZoneOffset: { type: 'string' },
            readPoint: { type: 'string' },
            bizLocation: { type: 'string' },
            allowUnissued: { type: 'boolean' },
          },
        },
      },
    },
    wrap(async (request) => service.commission(request.body)),
  );

  for (const [path, action] of [
    ['/serials/return', 'returnSerials'],
    ['/serials/destroy', 'destroy'],
    ['/serials/decommission', 'decommission'],
  ] as const) {
    app.post<{ Body: { gtin: string; serials: string[] } }>(
      path,
      { config: capture, bodyLimit: 32 * 1024 * 1024, schema: { body: changeBody } },
      wrap(async (request) => service[action](request.body.gtin, request.body.serials)),
    );
  }

  app.get<{ Querystring: { gtin: string; lot?: string } }>(
    '/serials/reconciliation',
    {
      config: capture,
      schema: {
        querystring: {
          type: 'object',
          required: ['gtin'],
          properties: { gtin: { type: 'string' }, lot: { type: 'string' } },
        },
      },
    },
    wrap(async (request) => service.reconcile(request.query.gtin, request.query.lot)),
  );

  app.get<{ Params: { gtin: string; serial: string } }>(
    '/serials/:gtin/:serial',
    { config: capture },
    wrap(async (request) => service.get(request.params.gtin, request.params.serial)),
  );
}
