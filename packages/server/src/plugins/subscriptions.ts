/**
 * Query subscriptions (EPCIS 2.0 REST binding), as one Fastify plugin:
 * `app.register(subscriptionsPlugin, { store, engine })`. The engine (`SubscriptionEngine` of
 * @rxtrace/core) is the app's: it starts it after the migrations, stops it on close, and calls
 * `engine.notifyCaptured()` after captures and `engine.queryDeleted(name)` after
 * `DELETE /queries/{name}`. Every route needs the `query` role (the default).
 *
 * | route | answer |
 * | --- | --- |
 * | `POST /queries/{name}/subscriptions` | webhook subscription `{ dest, signatureToken?, stream: true \| schedule: {…}, reportIfEmpty?, initialRecordTime? }` → 201 + Location; 400 SubscriptionControlsException; 404 NoSuchNameException |
 * | `GET /queries/{name}/subscriptions` | the query's webhook subscriptions (perPage, nextPageToken, Link rel=next) |
 * | `GET /queries/{name}/subscriptions/{id}` | one (404 NoSuchResourceException when the query has no such subscription) |
 * | `DELETE /queries/{name}/subscriptions/{id}` | unsubscribe → 204 |
 * | `GET /queries/{name}/events` + `Upgrade: websocket` | WebSocket subscription: `stream=true` or schedule parameters (`second`, `minute`, `hour`, `dayOfMonth`, `month`, `dayOfWeek`; `reportIfEmpty`), `initialRecordTime`, and optionally query parameters that narrow the named query → 101; then each notification is one text message, an EPCISQueryDocument (JSON) with the `subscriptionID` |
 *
 * The WebSocket route is the same path as the query plugin's `GET /queries/{name}/events`: it is
 * registered with a route constraint that only handshakes meet (`Connection: Upgrade` +
 * `Upgrade: websocket`), so the router sends handshakes here and every other GET to the query
 * plugin — neither plugin needs to know the other. Refusals (unknown query, bad controls, no key)
 * are answered before the upgrade, as problems. Close codes: 1000 unsubscribed, 1001 shutdown,
 * 1011 delivery failure, 4404 the named query was deleted. A WebSocket subscription lives as long
 * as its connection (documents not yet sent when it drops are not kept for it).
 *
 * Webhook notifications and their `GS1-Signature` (HMAC-SHA256): see @rxtrace/core
 * `subscriptions/signature.ts` and `subscriptions/engine.ts`. Webhook documents carry GS1 Digital
 * Links (the stored form): a `GS1-EPC-Format: Always_EPC_URN` request is refused (a stored
 * subscription keeps no identifier format); WebSocket subscriptions honour the header.
 */
import websocket from '@fastify/websocket';
import {
  type AttachedSubscription,
  compileQuery,
  type EpcFormat,
  type ParsedQuery,
  parseEpcFormat,
  parseExtensionsHeader,
  parseQueryBody,
  parseQueryString,
  parseWebhookControls,
  parseWebSocketControls,
  QueryError,
  resolvePerPage,
  SUBSCRIPTION_CONTROL_PARAMETERS,
  type SubscriptionControls,
  type SubscriptionEngine,
  SubscriptionError,
} from '@rxtrace/core';
import type { Store, Subscription } from '@rxtrace/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { epcisProblem } from '../problem.ts';
import { negotiate } from './query.ts';

export interface SubscriptionsPluginOptions {
  store: Store;
  engine: SubscriptionEngine;
  /** Cap of perPage when listing (default 1000). */
  maxPerPage?: number;
}

/** The routes this plugin registers (OPTIONS is the app's). */
export const SUBSCRIPTION_ROUTES: readonly { path: string; methods: readonly string[] }[] = [
  { path: '/queries/:queryName/subscriptions', methods: ['GET', 'POST'] },
  { path: '/queries/:queryName/subscriptions/:subscriptionID', methods: ['GET', 'DELETE'] },
  { path: '/queries/:queryName/events', methods: ['GET'] }, // WebSocket handshakes only
];

const JSON_TYPE = 'application/json; charset=utf-8';

/** Route constraint: only WebSocket handshakes (the router sends other requests elsewhere). */
const HANDSHAKE = 'websocket';
const upgradeStrategy = {
  name: 'upgrade',
  storage() {
    const m = new Map<string, unknown>();
    return {
      get: (k: string) => (m.get(k) ?? null) as never,
      set: (k: string, v: unknown) => {
        m.set(k, v);
      },
    };
  },
  deriveConstraint(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
    const up = req.headers.upgrade;
    const conn = req.headers.connection;
    return typeof up === 'string' &&
      /^\s*websocket\s*$/i.test(up) &&
      typeof conn === 'string' &&
      /(^|,)\s*upgrade\s*(,|$)/i.test(conn)
      ? HANDSHAKE
      : undefined;
  },
  mustMatchWhenDerived: false,
};

function asProblem(e: unknown): unknown {
  if (e instanceof SubscriptionError || e instanceof QueryError)
    return epcisProblem(e.exception, e.status, e.message);
  return e;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asProblem(e);
  }
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function searchOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? '' : req.url.slice(q + 1);
}

function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** A subscription as the binding shows it; the signatureToken (a secret) is never shown. */
export function subscriptionView(s: Subscription): Record<string, unknown> {
  return {
    subscriptionID: s.subscriptionId,
    queryName: s.queryName,
    dest: s.dest,
    createdAt: s.createdAt,
    ...(s.lastNotifiedAt ? { lastNotifiedAt: s.lastNotifiedAt } : {}),
    ...(s.initialRecordTime ? { initialRecordTime: s.initialRecordTime } : {}),
    minRecordTime: s.lastNotifiedAt ?? s.initialRecordTime ?? s.createdAt,
    epcFormat: 'Always_GS1_Digital_Link',
    ...(s.stream ? { stream: true } : { schedule: s.schedule ?? {}, reportIfEmpty: s.reportIfEmpty }),
  };
}

/** A close reason fits in 123 bytes. */
function closeSocket(socket: WebSocket, code: number, reason: string): void {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  try {
    socket.close(code, r);
  } catch {}
}

interface Prepared {
  queryName: string;
  query: ParsedQuery;
  controls: SubscriptionControls;
  epcFormat: EpcFormat;
}
const PREPARED = Symbol('rxtrace.subscription');
type PreparedRequest = FastifyRequest & { [PREPARED]?: Prepared };

export default async function subscriptionsPlugin(
  app: FastifyInstance,
  opts: SubscriptionsPluginOptions,
): Promise<void> {
  const { store, engine } = opts;
  const maxPerPage = opts.maxPerPage ?? 1000;

  const named = async (name: string) => {
    const q = await store.getNamedQuery(name);
    if (!q) throw epcisProblem('NoSuchNameException', 404, `there is no query named ${name}`);
    return q;
  };

  if (!app.hasContentTypeParser('application/ld+json'))
    app.addContentTypeParser(
      'application/ld+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'ignore'),
    );

  // Webhook subscriptions

  app.post<{ Params: { queryName: string } }>('/queries/:queryName/subscriptions', async (req, reply) =>
    guarded(async () => {
      negotiate(header(req, 'accept'), false);
      const name = req.params.queryName;
      await named(name);
      if (parseEpcFormat(header(req, 'gs1-epc-format')) === 'Always_EPC_URN')
        throw epcisProblem(
          'SubscriptionControlsException',
          400,
          'GS1-EPC-Format: Always_EPC_URN is not offered for webhook subscriptions: their documents carry GS1 Digital Links',
        );
      const type = header(req, 'content-type') ?? '';
      if (!/^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type))
        throw epcisProblem(
          'UnsupportedMediaTypeException',
          415,
          `a subscription is a JSON body (application/json), not ${type || 'a body without Content-Type'}`,
        );
      const sub = await engine.subscribe(name, parseWebhookControls(req.body));
      return reply
        .code(201)
        .header(
          'location',
          `/queries/${encodeURIComponent(name)}/subscriptions/${encodeURIComponent(sub.subscriptionId)}`,
        )
        .type(JSON_TYPE)
        .send(JSON.stringify(subscriptionView(sub)));
    }),
  );

  app.get<{ Params: { queryName: string } }>('/queries/:queryName/subscriptions', async (req, reply) =>
    guarded(async () => {
      negotiate(header(req, 'accept'), false);
      const sp = new URLSearchParams(searchOf(req));
      for (const k of sp.keys())
        if (k !== 'perPage' && k !== 'nextPageToken')
          throw epcisProblem(
            'QueryParameterException',
            400,
            `'${k}' is not a parameter of this resource (perPage, nextPageToken)`,
          );
      const perPage = resolvePerPage(sp.get('perPage') ?? undefined, maxPerPage);
      const token = sp.get('nextPageToken');
      let offset = 0;
      if (token) {
        try {
          offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number }).o;
        } catch {}
        if (!Number.isInteger(offset) || offset < 0 || token === '')
          throw epcisProblem(
            'QueryParameterException',
            400,
            'nextPageToken is not a token this server issued',
          );
      }
      await named(req.params.queryName);
      const all = await engine.listSubscriptions(req.params.queryName);
      if (offset + perPage < all.length) {
        sp.set('nextPageToken', Buffer.from(JSON.stringify({ o: offset + perPage })).toString('base64url'));
        reply.header('link', `<${pathOf(req)}?${sp.toString()}>; rel="next"`);
      }
      return reply
        .type(JSON_TYPE)
        .send(JSON.stringify(all.slice(offset, offset + perPage).map(subscriptionView)));
    }),
  );

  const one = async (queryName: string, id: string): Promise<Subscription> => {
    await named(queryName);
    const s = await engine.getSubscription(queryName, id);
    if (!s)
      throw epcisProblem('NoSuchResourceException', 404, `the query ${queryName} has no subscription ${id}`);
    return s;
  };

  app.get<{ Params: { queryName: string; subscriptionID: string } }>(
    '/queries/:queryName/subscriptions/:subscriptionID',
    async (req, reply) =>
      guarded(async () => {
        negotiate(header(req, 'accept'), false);
        const s = await one(req.params.queryName, req.params.subscriptionID);
        return reply.type(JSON_TYPE).send(JSON.stringify(subscriptionView(s)));
      }),
  );

  app.delete<{ Params: { queryName: string; subscriptionID: string } }>(
    '/queries/:queryName/subscriptions/:subscriptionID',
    async (req, reply) =>
      guarded(async () => {
        await one(req.params.queryName, req.params.subscriptionID);
        await engine.unsubscribe(req.params.queryName, req.params.subscriptionID);
        return reply.code(204).send();
      }),
  );

  // WebSocket subscriptions

  const sockets = new Set<WebSocket>();
  // Before @fastify/websocket's own preClose (which closes without a code): 1001 going away.
  app.addHook('preClose', async () => {
    for (const s of sockets) closeSocket(s, 1001, 'the server is shutting down');
  });
  if (!app.hasConstraintStrategy('upgrade')) app.addConstraintStrategy(upgradeStrategy);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // A handshake refused in an earlier onRequest hook (401, 503) skips @fastify/websocket's own
  // onRequest, so its onResponse does not release the connection: done here.
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 400 && upgradeStrategy.deriveConstraint(req.raw) === HANDSHAKE)
      req.raw.socket?.destroy();
  });

  /** Everything checked before the upgrade: refusals are HTTP problems, not closed sockets. */
  const prepare = async (req: PreparedRequest): Promise<void> =>
    guarded(async () => {
      const name = (req.params as { queryName: string }).queryName;
      const q = await named(name);
      const search = searchOf(req);
      const controls = parseWebSocketControls(search);
      const narrowing = parseQueryString(search, {
        ignore: SUBSCRIPTION_CONTROL_PARAMETERS,
        namespaces: parseExtensionsHeader(header(req, 'gs1-extensions')),
      });
      if (narrowing.perPage !== undefined || narrowing.nextPageToken !== undefined)
        throw epcisProblem(
          'SubscriptionControlsException',
          400,
          'perPage and nextPageToken do not apply to subscriptions',
        );
      const base = parseQueryBody(q.query);
      const query: ParsedQuery = {
        params: [...base.params, ...narrowing.query.params],
        namespaces: { ...base.namespaces, ...narrowing.query.namespaces },
      };
      compileQuery(query);
      req[PREPARED] = {
        queryName: name,
        query,
        controls,
        epcFormat: parseEpcFormat(header(req, 'gs1-epc-format')),
      };
    });

  app.route({
    method: 'GET',
    url: '/queries/:queryName/events',
    exposeHeadRoute: false,
    constraints: { upgrade: HANDSHAKE },
    schema: { hide: true },
    preHandler: async (req) => prepare(req as PreparedRequest),
    // Reached only by a handshake that did not come through the server's upgrade path (inject).
    handler: async () => {
      throw epcisProblem(
        'SubscriptionControlsException',
        400,
        'a WebSocket subscription needs a WebSocket handshake',
      );
    },
    wsHandler: async (socket, req) => {
      const p = (req as PreparedRequest)[PREPARED];
      if (!p) return closeSocket(socket, 1011, 'the subscription could not start');
      sockets.add(socket);
      let handle: AttachedSubscription | undefined;
      let gone = false;
      socket.on('close', () => {
        gone = true;
        sockets.delete(socket);
        handle?.detach();
      });
      socket.on('message', () => {}); // nothing is expected from the client
      try {
        handle = await engine.attach({
          ...p,
          send: (body) =>
            new Promise<void>((resolve, reject) => {
              if (socket.readyState !== socket.OPEN) return reject(new Error('the connection is closed'));
              socket.send(body, (err) => (err ? reject(err) : resolve()));
            }),
          close: (code, reason) => closeSocket(socket, code, reason),
        });
        if (gone) handle.detach();
      } catch (e) {
        req.log.warn({ err: e }, 'WebSocket subscription could not start');
        closeSocket(socket, 1011, 'the subscription could not start');
      }
    },
  });
}
