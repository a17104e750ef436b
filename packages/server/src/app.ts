/**
 * The rxtrace HTTP server: Fastify with one encapsulated plugin per API area.
 *
 *   errors     (global) RFC 7807 problems for every error, 503 gate, GS1 headers, version check
 *   metrics    (global) request metrics hooks + GET /metrics
 *   auth       (global) API keys and roles
 *   health     GET /health
 *   capture    POST /capture, GET /capture, GET /capture/{id}, POST /events
 *   query      the query interface (plugins/query.ts, written separately; registered when present)
 *   subscriptions  webhook and WebSocket query subscriptions (plugins/subscriptions.ts); the
 *              delivery engine is started after the migrations, woken by captures, stopped on close
 *   keys       GET/POST /keys, DELETE /keys/{keyId} (admin)
 *   docs       GET /openapi.json, /docs
 *   discovery  OPTIONS on every resource, GET /
 *
 * `buildServer` returns the Fastify instance, ready (routes registered), with migrations run (or
 * running, with `awaitMigrations: false`). `app.close()` is the graceful shutdown: new requests get
 * 503, running capture jobs finish and reach the store, then the store is closed.
 */
import {
  CaptureService,
  CaptureWorkers,
  SubscriptionEngine,
  type SubscriptionEngineOptions,
} from '@rxtrace/core';
import { isRxtraceStore, type Store } from '@rxtrace/store';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import { type HttpLimits, RouteTable, type ServerContext } from './http.ts';
import authPlugin, { type StaticApiKey } from './plugins/auth.ts';
import capturePlugin from './plugins/capture.ts';
import discoveryPlugin from './plugins/discovery.ts';
import docsPlugin from './plugins/docs.ts';
import dscsaPlugin, { type DscsaSettings } from './plugins/dscsa.ts';
import errorsPlugin from './plugins/errors.ts';
import fmdPlugin from './plugins/fmd.ts';
import healthPlugin from './plugins/health.ts';
import keysPlugin from './plugins/keys.ts';
import labelsPlugin from './plugins/labels.ts';
import metricsPlugin, { ServerMetrics } from './plugins/metrics.ts';
import queryPlugin from './plugins/query.ts';
import registryPlugin from './plugins/registry.ts';
import serialsPlugin from './plugins/serials.ts';
import subscriptionsPlugin from './plugins/subscriptions.ts';
import tracePlugin from './plugins/trace.ts';
import verificationPlugin, { type VerificationSettings } from './plugins/verification.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's context: store, capture service, limits, state, metrics. */
    rxtrace: ServerContext & { metrics: ServerMetrics; migrated: Promise<void> };
  }
}

export const DEFAULT_LIMITS: Readonly<HttpLimits> = Object.freeze({
  captureEvents: 100_000,
  captureBytes: 256 * 1024 * 1024,
  captureBatch: 5_000,
  bodyBytes: 1024 * 1024,
});

export type QueryPlugin = FastifyPluginAsync<{ store: Store }>;

export interface BuildServerOptions {
  store: Store;
  /** Fastify's logger option (pino options, or true/false), or a pino logger instance. Default false. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  limits?: Partial<HttpLimits>;
  /** Keys accepted besides the stored ones (e.g. RXTRACE_API_KEY), held hashed in memory. */
  apiKeys?: StaticApiKey[];
  /** false: no authentication at all (development only). Default true. */
  auth?: boolean;
  /** Run store.migrate() (default true). */
  migrate?: boolean;
  /** Wait for the migrations before returning (default true); else /health says 503 until they ran. */
  awaitMigrations?: boolean;
  /** Close the store when the server closes (default true). */
  closeStore?: boolean;
  /** The query interface plugin. Default: `plugins/query.ts`; `false`: none. */
  query?: QueryPlugin | false;
  /**
   * Capture worker threads (documents prepared on a worker while the store writes them; stores with
   * a synchronous writer only, i.e. SQLite). Default: the machine's parallelism less one, at least
   * 1; 0: capture in process.
   */
  captureWorkers?: number;
  /** Subscription delivery settings (retries, batch size, poll…); `false`: no subscriptions. */
  subscriptions?: Omit<SubscriptionEngineOptions, 'store'> | false;
  /** DSCSA verification settings (our GLN, company prefixes, log retention …); env defaults. */
  verification?: VerificationSettings;
  /** DSCSA TI, exceptions and suspect product cases: our GLN, alert webhook, clocks (plugins/dscsa.ts). */
  dscsa?: DscsaSettings;
  /** The clock of EU FMD and recalls (undo windows, expiry, recalls in force); tests set it. */
  clock?: () => Date;
}

function isLoggerInstance(l: unknown): l is FastifyBaseLogger {
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof (l as { child?: unknown }).child === 'function' &&
    typeof (l as { info?: unknown }).info === 'function'
  );
}

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const logger = opts.logger ?? false;
  const app = Fastify({
    ...(isLoggerInstance(logger) ? { loggerInstance: logger } : { logger }),
    bodyLimit: limits.bodyBytes,
    return503OnClosing: false, // the errors plugin answers 503 itself, as a problem
    forceCloseConnections: 'idle',
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
  }) as unknown as FastifyInstance;

  const routes = new RouteTable();
  app.addHook('onRoute', (r) => {
    routes.add(r.url, r.method as string | string[]);
  });

  const state = { ready: false, draining: false, startedAt: Date.now() };
  const subscriptions =
    opts.subscriptions === false
      ? undefined
      : new SubscriptionEngine({ logger: app.log, ...opts.subscriptions, store: opts.store });
  let metrics!: ServerMetrics;
  const workers =
    opts.captureWorkers !== 0 && typeof opts.store.syncWriter === 'function'
      ? new CaptureWorkers(opts.captureWorkers === undefined ? {} : { size: opts.captureWorkers })
      : undefined;
  const capture = new CaptureService(opts.store, {
    ...(workers ? { workers } : {}),
    limits: {
      maxEvents: limits.captureEvents,
      maxBytes: limits.captureBytes,
      batchSize: limits.captureBatch,
    },
    onFinished: (o) => {
      metrics.captureFinished(o);
      if (o.stored > 0) subscriptions?.notifyCaptured();
    },
  });
  metrics = new ServerMetrics(() => capture.runningCount);
  const ctx: ServerContext = { store: opts.store, capture, limits, routes, state };

  const migrated = (opts.migrate ?? true) ? opts.store.migrate() : Promise.resolve();
  const ready = migrated.then(
    async () => {
      await subscriptions
        ?.start()
        .catch((e: unknown) =>
          app.log.error({ err: e }, 'subscriptions: the delivery engine could not start'),
        );
      state.ready = true;
    },
    (e: unknown) => {
      app.log.error({ err: e }, 'database migration failed: the server stays unavailable');
      throw e;
    },
  );
  ready.catch(() => {});
  app.decorate('rxtrace', { ...ctx, metrics, migrated: ready });

  // Graceful shutdown: refuse new work, let running captures finish, then close the store.
  app.addHook('preClose', async () => {
    state.draining = true;
  });
  app.addHook('onClose', async () => {
    await capture.drain();
    await workers?.close();
    await subscriptions?.stop();
    if (opts.closeStore ?? true) await opts.store.close();
  });
  // Subscriptions follow bare-event captures (documents: onFinished above) and query deletions.
  if (subscriptions)
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (request.method === 'POST' && route === '/events' && reply.statusCode === 201)
        subscriptions.notifyCaptured();
      else if (request.method === 'DELETE' && route === '/queries/:queryName' && reply.statusCode === 204)
        subscriptions.queryDeleted((request.params as { queryName: string }).queryName);
    });

  await app.register(errorsPlugin, { ctx });
  await app.register(metricsPlugin, { ctx, metrics });
  await app.register(authPlugin, { ctx, enabled: opts.auth ?? true, staticKeys: opts.apiKeys ?? [] });
  await app.register(healthPlugin, { ctx });
  await app.register(capturePlugin, { ctx });
  const query = opts.query === undefined ? (queryPlugin as unknown as QueryPlugin) : opts.query || undefined;
  if (query) await app.register(query, { store: opts.store });
  if (subscriptions) await app.register(subscriptionsPlugin, { store: opts.store, engine: subscriptions });
  await app.register(keysPlugin, { ctx });
  await app.register(labelsPlugin, { ctx });
  if (isRxtraceStore(opts.store)) await app.register(serialsPlugin, { ctx, store: opts.store });
  if (isRxtraceStore(opts.store)) await app.register(tracePlugin, { ctx, store: opts.store });
  if (isRxtraceStore(opts.store)) await app.register(registryPlugin, { ctx, store: opts.store });
  if (isRxtraceStore(opts.store))
    await app.register(dscsaPlugin, { ctx, store: opts.store, settings: opts.dscsa ?? {} });
  if (isRxtraceStore(opts.store))
    await app.register(verificationPlugin, { ctx, store: opts.store, settings: opts.verification ?? {} });
  if (isRxtraceStore(opts.store))
    await app.register(fmdPlugin, { ctx, store: opts.store, ...(opts.clock ? { now: opts.clock } : {}) });
  await app.register(docsPlugin, { ctx });
  await app.register(discoveryPlugin, { ctx });
  await app.ready();
  if (opts.awaitMigrations ?? true) await ready;
  return app;
}
