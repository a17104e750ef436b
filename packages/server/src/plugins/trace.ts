/**
 * Trace and pack state (role `query`):
 * - `GET /trace/{id}` (or `GET /trace?id=`): the object's journey, current state and containment
 *   tree; id: EPC URN, GS1 Digital Link or GS1 element string of a pack (SGTIN) or an SSCC,
 *   URL-encoded;
 * - `GET /packs/{id}`: the current state, its containers and direct contents;
 * - `GET /inventory?groupBy=location,gtin,lot,status&location=&gtin=&lot=&status=`: counts;
 * - `GET /inventory/items?…&limit=&after=`: the objects behind a count, by id, paginated.
 * Bad ids: 400 problem+json with the reason; unknown ids: 404 with the parsed form.
 */
import { parseTraceId, TraceIdError, traceObject } from '@rxtrace/core';
import {
  INVENTORY_FIELDS,
  type InventoryField,
  type InventoryFilter,
  type RxtraceStore,
} from '@rxtrace/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ServerContext, sendProblem } from '../http.ts';
import { problemForStatus } from '../problem.ts';

type Query = Record<string, string | undefined>;

function badId(request: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof TraceIdError)
    return sendProblem(request, reply, problemForStatus(400, e.message, { id: e.input }));
  throw e;
}

function filterOf(q: Query): InventoryFilter | string {
  const f: InventoryFilter = {};
  for (const k of INVENTORY_FIELDS) {
    const v = q[k];
    if (v === undefined) continue;
    if (v === '') return `${k} is empty`;
    if (k === 'gtin' && !/^\d{14}$/.test(v)) return `gtin '${v}' is not a GTIN-14 (14 digits)`;
    f[k] = v;
  }
  return f;
}

export default async function tracePlugin(
  app: FastifyInstance,
  opts: { ctx: ServerContext; store: RxtraceStore },
): Promise<void> {
  const { store } = opts;

  const trace = async (request: FastifyRequest, reply: FastifyReply, raw: string | undefined) => {
    if (raw === undefined || raw === '')
      return sendProblem(
        request,
        reply,
        problemForStatus(400, 'give the id: GET /trace/{id} or GET /trace?id='),
      );
    let parsed: ReturnType<typeof parseTraceId>;
    try {
      parsed = parseTraceId(raw);
    } catch (e) {
      return badId(request, reply, e);
    }
    const t = await traceObject(store, parsed.id);
    if (!t)
      return sendProblem(
        request,
        reply,
        problemForStatus(404, `no event names ${parsed.id}`, { id: parsed.id, parsed }),
      );
    return t;
  };

  app.get<{ Params: { id: string } }>('/trace/:id', async (request, reply) =>
    trace(request, reply, request.params.id),
  );
  app.get<{ Querystring: Query }>('/trace', async (request, reply) =>
    trace(request, reply, request.query.id),
  );

  app.get<{ Params: { id: string } }>('/packs/:id', async (request, reply) => {
    let id: string;
    try {
      id = parseTraceId(request.params.id).id;
    } catch (e) {
      return badId(request, reply, e);
    }
    const [state] = await store.packs.get([id]);
    if (!state) return sendProblem(request, reply, problemForStatus(404, `no pack state for ${id}`, { id }));
    const [ancestors, children] = await Promise.all([store.packs.ancestors(id), store.packs.children(id)]);
    return { ...state, ancestors: ancestors.map((a) => a.id), children: children.map((c) => c.id) };
  });

  app.get<{ Querystring: Query }>('/inventory', async (request, reply) => {
    const q = request.query;
    const groupBy: InventoryField[] = [];
    for (const g of (q.groupBy ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!INVENTORY_FIELDS.includes(g as InventoryField))
        return sendProblem(
          request,
          reply,
          problemForStatus(400, `groupBy: '${g}' is not one of ${INVENTORY_FIELDS.join(', ')}`),
        );
      groupBy.push(g as InventoryField);
    }
    const filter = filterOf(q);
    if (typeof filter === 'string') return sendProblem(request, reply, problemForStatus(400, filter));
    const counts = await store.packs.inventory(groupBy, filter);
    return { groupBy, filter, total: counts.reduce((n, c) => n + c.count, 0), counts };
  });

  app.get<{ Querystring: Query }>('/inventory/items', async (request, reply) => {
    const q = request.query;
    const filter = filterOf(q);
    if (typeof filter === 'string') return sendProblem(request, reply, problemForStatus(400, filter));
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      return sendProblem(
        request,
        reply,
        problemForStatus(400, `limit '${q.limit}' is not an integer from 1 to 10000`),
      );
    const page = await store.packs.items(filter, { limit, ...(q.after ? { after: q.after } : {}) });
    if (page.next) {
      const next = new URLSearchParams({
        ...(filter as Record<string, string>),
        limit: String(limit),
        after: page.next,
      });
      reply.header('link', `</inventory/items?${next}>; rel="next"`);
    }
    return page;
  });
}
