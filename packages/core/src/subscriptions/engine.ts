/**
 * The subscription delivery engine: standing queries over the event log.
 *
 * A subscription is a named query plus controls (stream or schedule, reportIfEmpty,
 * initialRecordTime — see ./controls.ts) plus where its results go: a webhook (`dest`, stored by
 * the Store with `lastAckedSeq`) or a live connection (a WebSocket: `attach`, in memory only).
 *
 * Delivery reads the log, never memory: each run takes the store's last seq `hi` and reads, in
 * record order (seq), the events with `lastAcked < seq ≤ hi` that match the query (the store's
 * filter plus the query's residual predicate, as `GET /queries/{name}/events` would select
 * them), in batches of at most `batchSize` events, each an EPCISQueryDocument with the
 * `subscriptionID`. A webhook batch counts as delivered when the receiver answers 2xx; only then is
 * `lastAckedSeq` raised (`Store.ackSubscription`) to the batch's last event — or to `hi` for the
 * last batch of a run, which covers the events in between that do not match. So:
 *
 * - at least once: an event is sent again until a 2xx acknowledges it; after a restart a
 *   subscription resumes after its `lastAckedSeq` (a batch acknowledged by the receiver but not yet
 *   recorded when the process died is sent again: receivers deduplicate by eventID);
 * - every matching event once per successful delivery: windows never overlap (seq is the capture
 *   order and the store guarantees that no event appears below a seq a reader has seen);
 * - `initialRecordTime` bounds the first window (events recorded from then on; the default is the
 *   subscription's creation, i.e. events captured later); it also stays a lower bound of recordTime.
 *
 * Triggers: `notifyCaptured` (the capture path calls it after each stored capture) wakes stream
 * subscriptions; a timer per scheduled subscription fires at the schedule's times (UTC, see
 * ./schedule.ts) and sends what is new — or, with `reportIfEmpty`, an empty document; a poll of the
 * store every `pollMs` catches captures made elsewhere (another process on the same database) and
 * subscriptions created or deleted behind the engine's back (e.g. with their named query).
 *
 * Failures: a webhook batch that fails (network error, timeout, non-2xx, 3xx included — redirects
 * are not followed) is retried after 1 s, 2 s, 4 s … (×2 per attempt, ±20 % jitter, capped at
 * `retry.maxDelayMs`); after `retry.maxAttempts` attempts the subscription rests `maxDelayMs` and
 * then tries again — forever, until a 2xx, the subscription's deletion or shutdown (nothing is
 * skipped). A 413 from the receiver halves the batch size for that subscription. WebSocket
 * subscriptions end with their connection (no identity to resume): a failed send closes them.
 *
 * Shutdown (`stop`): timers and waits end at once, deliveries in flight get `stopGraceMs` to
 * finish, then they are aborted (not acknowledged: sent again after the restart); WebSocket
 * subscriptions are closed with 1001.
 *
 * Not in scope: ordering and counting parameters of the named query (`orderBy`, `orderDirection`,
 * `eventCountLimit`, `maxEventCount`) do not apply to subscriptions (record order, batches).
 */
import { randomUUID } from 'node:crypto';
import type { EPCISQueryDocument, GcpLengthSource } from '@rxtrace/epcis';
import type { EventFilter, Store, StoredEvent, Subscription } from '@rxtrace/store';
import { planQuery, type QueryPlan } from '../query/compile.ts';
import {
  type EpcFormat,
  masterDataOfEvents,
  presentEvents,
  queryDocument,
  urnConverter,
} from '../query/document.ts';
import { type ParsedQuery, parseQueryBody } from '../query/params.ts';
import {
  assertControls,
  type SubscriptionControls,
  SubscriptionError,
  type WebhookControls,
} from './controls.ts';
import { QuerySchedule } from './schedule.ts';
import { SIGNATURE_HEADER, signBody } from './signature.ts';

/** A pino-compatible logger (Fastify's `app.log`). */
export interface EngineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetryPolicy {
  /** Delay before the first retry (default 1,000 ms); doubled per failed attempt. */
  initialDelayMs: number;
  /** Longest delay between attempts, and the rest after maxAttempts (default 300,000 ms). */
  maxDelayMs: number;
  /** Attempts in a row before the subscription rests maxDelayMs (default 10). */
  maxAttempts: number;
}

export interface SubscriptionEngineOptions {
  store: Store;
  /** Events per notification (default 100). */
  batchSize?: number;
  /** Store page size while scanning (default 500). */
  storePageSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Time a receiver has to answer a POST (default 30,000 ms). */
  requestTimeoutMs?: number;
  /** Store poll for captures made elsewhere and for deleted subscriptions (default 2,000 ms; 0: off). */
  pollMs?: number;
  /** Time deliveries in flight get to finish on `stop` before they are aborted (default 2,000 ms). */
  stopGraceMs?: number;
  /** For tests: the HTTP client (default the global fetch). */
  fetch?: typeof fetch;
  /** For tests: the clock of schedules and timestamps (default Date.now). */
  now?: () => number;
  logger?: EngineLogger;
  /** GS1 Company Prefix lengths, for WebSocket subscribers asking for `Always_EPC_URN`. */
  gcp?: GcpLengthSource;
}

/** What `attach` needs: a live subscriber (e.g. a WebSocket). */
export interface AttachOptions {
  queryName: string;
  /** The named query, possibly narrowed by further parameters. */
  query: ParsedQuery;
  controls: SubscriptionControls;
  epcFormat?: EpcFormat;
  /** Sends one document (JSON text); rejects when it cannot (the subscription then ends). */
  send(body: string): Promise<void>;
  /** Ends the connection (the subscription ended: query deleted, shutdown, failure). */
  close(code: number, reason: string): void;
}

export interface AttachedSubscription {
  subscriptionID: string;
  /** The subscriber went away: stop delivering (does not call `close`). */
  detach(): void;
}

/** Delivery state of a subscription, for views and diagnostics. */
export interface DeliveryStatus {
  /** Failed attempts since the last success. */
  failures: number;
  lastError?: string;
  /** Set while the subscription rests after maxAttempts failures (ISO time it tries again). */
  retryAt?: string;
}

/** A failed delivery (status: the receiver's HTTP status, if it answered). */
export class DeliveryError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'DeliveryError';
    this.status = status;
  }
}

/** WebSocket close code when the subscription's named query was deleted. */
export const CLOSE_QUERY_DELETED = 4404;

interface Sink {
  kind: 'webhook' | 'socket';
  deliver(body: string, signal: AbortSignal): Promise<void>;
  close?(code: number, reason: string): void;
}

interface Target {
  id: string;
  queryName: string;
  query: ParsedQuery;
  controls: SubscriptionControls;
  schedule: QuerySchedule | undefined;
  epcFormat: EpcFormat;
  /** A stored (webhook) subscription: acknowledgements go to the store. */
  persisted: boolean;
  sink: Sink;
  /** Highest seq considered: delivered and acknowledged, or known not to match. */
  cursor: number;
  batchLimit: number;
  closed: boolean;
  dirty: boolean;
  /** A scheduled report is due (kept until delivered). */
  owed: boolean;
  running: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  restTimer: NodeJS.Timeout | undefined;
  restUntil: number;
  /** Aborts this subscription's requests and waits when it ends. */
  abort: AbortController;
  failures: number;
  lastError: string | undefined;
}

const MAX_TIMER = 2 ** 31 - 1;
const noop = (): void => {};
const silent: EngineLogger = { info: noop, warn: noop, error: noop };

/** A URL for logs: no credentials, no query string. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function messageOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

export class SubscriptionEngine {
  readonly store: Store;
  private readonly batchSize: number;
  private readonly storePageSize: number;
  private readonly retry: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly pollMs: number;
  private readonly stopGraceMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly log: EngineLogger;
  private readonly gcp: GcpLengthSource | undefined;

  private readonly targets = new Map<string, Target>();
  /** Stored subscriptions ended here (never re-activated by the poll). */
  private readonly removed = new Set<string>();
  private started = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** Aborted when stopping: ends waits. */
  private readonly halt = new AbortController();
  /** Aborted after the stop grace: ends requests in flight. */
  private readonly requests = new AbortController();
  private seenSeq = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(opts: SubscriptionEngineOptions) {
    this.store = opts.store;
    this.batchSize = Math.max(1, opts.batchSize ?? 100);
    this.storePageSize = Math.max(1, opts.storePageSize ?? 500);
    this.retry = { initialDelayMs: 1000, maxDelayMs: 300_000, maxAttempts: 10, ...opts.retry };
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 2000;
    this.stopGraceMs = opts.stopGraceMs ?? 2000;
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silent;
    this.gcp = opts.gcp;
  }

  // -------------------------------------------------------------------------------------------
  // Life cycle

  /** Loads the stored subscriptions and starts delivering (streams resume after lastAckedSeq). */
  async start(): Promise<void> {
    if (this.started) return;
    if (this.stopping) throw new Error('a stopped subscription engine cannot be started again');
    this.started = true;
    // The poll first: it also activates what a failure below would leave out.
    this.schedulePoll();
    this.seenSeq = await this.store.lastSeq();
    for (const s of await this.store.listSubscriptions()) await this.activate(s);
  }

  /** Stops delivering: see the module comment. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    this.halt.abort();
    for (const t of this.targets.values()) {
      clearTimeout(t.timer);
      clearTimeout(t.restTimer);
    }
    const busy = (): Promise<unknown>[] =>
      [...[...this.targets.values()].map((t) => t.running), this.polling].filter((p) => p !== undefined);
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(busy()),
      new Promise<void>((r) => {
        graceTimer = setTimeout(r, this.stopGraceMs);
      }),
    ]);
    clearTimeout(graceTimer);
    this.requests.abort();
    await Promise.allSettled(busy());
    for (const t of [...this.targets.values()]) this.end(t, 1001, 'the server is shutting down');
  }

  // -------------------------------------------------------------------------------------------
  // Triggers

  /** The capture path stored events (up to `lastSeq`, when known): stream subscriptions look. */
  notifyCaptured(lastSeq?: number): void {
    if (!this.started || this.stopping) return;
    if (lastSeq !== undefined) {
      if (lastSeq <= this.seenSeq) return;
      this.seenSeq = lastSeq;
    }
    this.wakeStreams();
  }

  /** A named query was deleted: its subscriptions end (webhooks and live connections). */
  queryDeleted(queryName: string): void {
    for (const t of [...this.targets.values()])
      if (t.queryName === queryName) {
        if (t.persisted) this.removed.add(t.id);
        this.end(t, CLOSE_QUERY_DELETED, `the query ${queryName} was deleted`);
      }
  }

  private wakeStreams(): void {
    for (const t of this.targets.values()) if (t.controls.stream) this.wake(t);
  }

  private schedulePoll(): void {
    if (this.pollMs <= 0 || this.stopping) return;
    this.pollTimer = setTimeout(() => {
      this.polling = this.poll()
        .catch((e: unknown) => this.log.warn({ err: e }, 'subscriptions: store poll failed'))
        .finally(() => {
          this.polling = undefined;
          this.schedulePoll();
        });
    }, this.pollMs);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    const hi = await this.store.lastSeq();
    if (hi > this.seenSeq) {
      this.seenSeq = hi;
      this.wakeStreams();
    }
    const subs = await this.store.listSubscriptions();
    const live = new Set(subs.map((s) => s.subscriptionId));
    for (const t of [...this.targets.values()])
      if (t.persisted && !live.has(t.id)) {
        this.removed.add(t.id);
        this.end(t, CLOSE_QUERY_DELETED, 'the subscription was deleted');
      }
    for (const s of subs) if (!this.targets.has(s.subscriptionId)) await this.activate(s);
    const names = new Set((await this.store.listNamedQueries()).map((q) => q.name));
    for (const t of [...this.targets.values()])
      if (!t.persisted && !names.has(t.queryName))
        this.end(t, CLOSE_QUERY_DELETED, `the query ${t.queryName} was deleted`);
  }

  // -------------------------------------------------------------------------------------------
  // Webhook subscriptions (stored)

  /**
   * Creates a webhook subscription to a named query: stored, then delivering. Without
   * initialRecordTime it considers the events captured from now on (lastAckedSeq = the last seq).
   */
  async subscribe(queryName: string, controls: WebhookControls): Promise<Subscription> {
    const q = await this.store.getNamedQuery(queryName);
    if (!q) throw new SubscriptionError(`there is no query named ${queryName}`, 'NoSuchNameException');
    assertControls(controls, this.now());
    parseQueryBody(q.query);
    const sub: Subscription = {
      subscriptionId: randomUUID(),
      queryName,
      dest: controls.dest,
      ...(controls.signatureToken !== undefined ? { signatureToken: controls.signatureToken } : {}),
      stream: controls.stream,
      ...(controls.schedule ? { schedule: { ...controls.schedule } as Record<string, string> } : {}),
      reportIfEmpty: controls.reportIfEmpty,
      createdAt: new Date(this.now()).toISOString(),
      ...(controls.initialRecordTime !== undefined ? { initialRecordTime: controls.initialRecordTime } : {}),
      lastAckedSeq: controls.initialRecordTime !== undefined ? 0 : await this.store.lastSeq(),
    };
    try {
      await this.store.putSubscription(sub);
    } catch (e) {
      if (!(await this.store.getNamedQuery(queryName)))
        throw new SubscriptionError(`there is no query named ${queryName}`, 'NoSuchNameException');
      throw e;
    }
    if (this.started && !this.stopping) await this.activate(sub);
    return sub;
  }

  /** Stored subscriptions of a named query (oldest first). */
  listSubscriptions(queryName: string): Promise<Subscription[]> {
    return this.store.listSubscriptions(queryName);
  }

  async getSubscription(queryName: string, subscriptionId: string): Promise<Subscription | undefined> {
    return (await this.store.listSubscriptions(queryName)).find((s) => s.subscriptionId === subscriptionId);
  }

  /** Deletes a webhook subscription; false when the query has none with this id. */
  async unsubscribe(queryName: string, subscriptionId: string): Promise<boolean> {
    if (!(await this.getSubscription(queryName, subscriptionId))) return false;
    this.removed.add(subscriptionId);
    const t = this.targets.get(subscriptionId);
    if (t) this.end(t, 1000, 'unsubscribed');
    return this.store.deleteSubscription(subscriptionId);
  }

  /** How deliveries of a subscription go (undefined when it is not active here). */
  deliveryStatus(subscriptionId: string): DeliveryStatus | undefined {
    const t = this.targets.get(subscriptionId);
    if (!t) return undefined;
    return {
      failures: t.failures,
      ...(t.lastError !== undefined ? { lastError: t.lastError } : {}),
      ...(t.restUntil > this.now() ? { retryAt: new Date(t.restUntil).toISOString() } : {}),
    };
  }

  private async activate(s: Subscription): Promise<void> {
    if (this.targets.has(s.subscriptionId) || this.removed.has(s.subscriptionId) || this.stopping) return;
    const q = await this.store.getNamedQuery(s.queryName);
    if (!q) return;
    let query: ParsedQuery;
    let schedule: QuerySchedule | undefined;
    try {
      query = parseQueryBody(q.query);
      schedule = s.schedule && !s.stream ? new QuerySchedule(s.schedule) : undefined;
    } catch (e) {
      this.log.error(
        { err: e, subscriptionID: s.subscriptionId, queryName: s.queryName },
        'subscriptions: the stored subscription or its query cannot be read; it is not served',
      );
      return;
    }
    if (this.targets.has(s.subscriptionId) || this.removed.has(s.subscriptionId) || this.stopping) return;
    const controls: SubscriptionControls = {
      stream: s.stream,
      ...(schedule ? { schedule: schedule.spec } : {}),
      reportIfEmpty: s.reportIfEmpty,
      ...(s.initialRecordTime !== undefined ? { initialRecordTime: s.initialRecordTime } : {}),
    };
    const t = this.target(
      s.subscriptionId,
      s.queryName,
      query,
      controls,
      schedule,
      'Always_GS1_Digital_Link',
      true,
      s.lastAckedSeq,
      this.webhook(s),
    );
    this.enable(t);
  }

  /** POSTs documents to `dest`, signed when there is a token. */
  private webhook(s: Subscription): Sink {
    const where = redact(s.dest);
    return {
      kind: 'webhook',
      deliver: async (body, signal) => {
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'rxtrace-subscriptions',
          'GS1-EPCIS-Version': '2.0.0',
        };
        if (s.signatureToken !== undefined) headers[SIGNATURE_HEADER] = signBody(s.signatureToken, body);
        let res: Response;
        try {
          res = await this.fetch(s.dest, {
            method: 'POST',
            headers,
            body,
            redirect: 'manual',
            signal: AbortSignal.any([signal, AbortSignal.timeout(this.requestTimeoutMs)]),
          });
        } catch (e) {
          throw new DeliveryError(`POST ${where}: ${messageOf(e)}`);
        }
        try {
          await res.arrayBuffer();
        } catch {}
        if (res.status < 200 || res.status > 299)
          throw new DeliveryError(`POST ${where}: HTTP ${res.status}`, res.status);
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Live subscriptions (WebSocket)

  /** Subscribes a live connection; it receives documents until `detach`, or is closed. */
  async attach(a: AttachOptions): Promise<AttachedSubscription> {
    if (!this.started || this.stopping) throw new Error('the subscription engine is not running');
    assertControls(a.controls, this.now());
    const schedule =
      a.controls.schedule && !a.controls.stream ? new QuerySchedule(a.controls.schedule) : undefined;
    const cursor = a.controls.initialRecordTime !== undefined ? 0 : await this.store.lastSeq();
    const id = randomUUID();
    const sink: Sink = {
      kind: 'socket',
      deliver: (body) => a.send(body),
      close: (code, reason) => a.close(code, reason),
    };
    const t = this.target(
      id,
      a.queryName,
      a.query,
      a.controls,
      schedule,
      a.epcFormat ?? 'Always_GS1_Digital_Link',
      false,
      cursor,
      sink,
    );
    if (this.stopping) throw new Error('the subscription engine is not running');
    this.enable(t);
    return {
      subscriptionID: id,
      detach: () => {
        t.sink.close = undefined;
        this.end(t, 1000, 'detached');
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Delivery

  private target(
    id: string,
    queryName: string,
    query: ParsedQuery,
    controls: SubscriptionControls,
    schedule: QuerySchedule | undefined,
    epcFormat: EpcFormat,
    persisted: boolean,
    cursor: number,
    sink: Sink,
  ): Target {
    return {
      id,
      queryName,
      query,
      controls,
      schedule,
      epcFormat,
      persisted,
      sink,
      cursor,
      batchLimit: this.batchSize,
      closed: false,
      dirty: false,
      owed: false,
      running: undefined,
      timer: undefined,
      restTimer: undefined,
      restUntil: 0,
      abort: new AbortController(),
      failures: 0,
      lastError: undefined,
    };
  }

  private enable(t: Target): void {
    this.targets.set(t.id, t);
    if (t.schedule) this.arm(t);
    // Streams look at once: a restart resumes after lastAckedSeq, initialRecordTime reaches back.
    else this.wake(t);
  }

  private end(t: Target, code: number, reason: string): void {
    if (t.closed) return;
    t.closed = true;
    t.abort.abort();
    clearTimeout(t.timer);
    clearTimeout(t.restTimer);
    this.targets.delete(t.id);
    try {
      t.sink.close?.(code, reason);
    } catch {}
  }

  /** Sets the timer of the next scheduled run. */
  private arm(t: Target, after = this.now()): void {
    if (!t.schedule || t.closed || this.stopping) return;
    const next = t.schedule.next(after);
    if (next === undefined) return;
    const fire = (): void => {
      if (t.closed || this.stopping) return;
      const now = this.now();
      if (now + 5 < next) {
        t.timer = setTimeout(fire, Math.min(next - now, MAX_TIMER));
        t.timer.unref();
        return;
      }
      t.owed = true;
      this.wake(t);
      this.arm(t, Math.max(now, next));
    };
    t.timer = setTimeout(fire, Math.min(Math.max(next - this.now(), 0), MAX_TIMER));
    t.timer.unref();
  }

  /** Runs the subscription (again, when it is running: runs coalesce). */
  private wake(t: Target): void {
    if (t.closed || this.stopping) return;
    t.dirty = true;
    if (t.running) return;
    t.running = (async () => {
      try {
        while (t.dirty && !t.closed && !this.stopping) {
          t.dirty = false;
          try {
            await this.run(t);
          } catch (e) {
            if (t.closed || this.stopping) break;
            t.failures++;
            t.lastError = messageOf(e);
            this.log.error(
              { err: e, subscriptionID: t.id, queryName: t.queryName },
              'subscriptions: a run failed',
            );
            this.rest(t, this.backoff(t.failures));
          }
        }
      } finally {
        t.running = undefined;
      }
    })();
  }

  /** Stops trying for `ms`, then runs again. */
  private rest(t: Target, ms: number): void {
    if (t.closed || this.stopping) return;
    t.restUntil = this.now() + ms;
    clearTimeout(t.restTimer);
    t.restTimer = setTimeout(() => {
      t.restUntil = 0;
      this.wake(t);
    }, ms);
    t.restTimer.unref();
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Waits `ms`, or less when the subscription ends or the engine stops. */
  private sleep(t: Target, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signals = [t.abort.signal, this.halt.signal];
      const done = (): void => {
        clearTimeout(timer);
        for (const s of signals) s.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const s of signals) {
        if (s.aborted) return done();
        s.addEventListener('abort', done, { once: true });
      }
    });
  }

  private async stillActive(t: Target): Promise<boolean> {
    if (t.persisted) return (await this.getSubscription(t.queryName, t.id)) !== undefined;
    return (await this.store.getNamedQuery(t.queryName)) !== undefined;
  }

  /** One run: everything new since the cursor, in batches; see the module comment. */
  private async run(t: Target): Promise<void> {
    if (t.schedule && !t.owed) return;
    if (t.restUntil > this.now()) return;
    if (!(await this.stillActive(t))) {
      if (t.persisted) this.removed.add(t.id);
      this.end(t, CLOSE_QUERY_DELETED, `the query ${t.queryName} or the subscription was deleted`);
      return;
    }
    const hi = await this.store.lastSeq();
    let sent = 0;
    let batch: StoredEvent[] = [];
    if (hi > t.cursor) {
      const plan: QueryPlan = await planQuery(t.query, this.store);
      const irt = t.controls.initialRecordTime;
      const filter: EventFilter = { ...plan.filter, seq: { gt: t.cursor, le: hi } };
      if (irt !== undefined) {
        const ge = plan.filter.recordTime?.ge;
        filter.recordTime = {
          ...(plan.filter.recordTime ?? {}),
          ge: ge !== undefined && ge > irt ? ge : irt,
        };
      }
      let after: string | undefined;
      for (;;) {
        const page = await this.store.queryEvents(filter, {
          orderBy: 'seq',
          direction: 'ASC',
          limit: this.storePageSize,
          ...(after !== undefined ? { after } : {}),
        });
        for (const e of page.events) {
          if (e.seq <= t.cursor || e.seq > hi) continue;
          if (irt !== undefined && e.recordTime < irt) continue;
          if (!plan.residual(e)) continue;
          batch.push(e);
          if (batch.length >= t.batchLimit) {
            if (!(await this.send(t, batch, e.seq))) return;
            sent += batch.length;
            batch = [];
          }
        }
        if (!page.next || page.events.length === 0) break;
        if (t.closed || this.stopping) return;
        after = page.next;
      }
    }
    if (batch.length > 0 || (t.schedule !== undefined && t.controls.reportIfEmpty && sent === 0)) {
      if (!(await this.send(t, batch, hi))) return;
    } else if (hi > t.cursor) t.cursor = hi;
    t.owed = false;
  }

  private async document(t: Target, events: StoredEvent[]): Promise<EPCISQueryDocument> {
    const presented = presentEvents(events, t.epcFormat, this.gcp);
    const vocab = await masterDataOfEvents(
      this.store,
      events.map((e) => e.event),
    );
    if (t.epcFormat === 'Always_EPC_URN' && vocab.length) {
      const { conv } = urnConverter(this.gcp);
      for (const v of vocab)
        v.vocabularyElementList = v.vocabularyElementList.map((el) => ({
          ...el,
          id: conv(el.id),
          ...(el.children ? { children: el.children.map(conv) } : {}),
        }));
    }
    return queryDocument(presented.events, {
      queryName: t.queryName,
      subscriptionID: t.id,
      context: presented.context,
      vocabularyList: vocab,
      creationDate: new Date(this.now()).toISOString(),
    });
  }

  /**
   * Delivers one batch and, once delivered, acknowledges up to `ackTo`. false when it could not
   * be delivered (now): the subscription rests, ended, or the engine stops.
   */
  private async send(t: Target, events: StoredEvent[], ackTo: number): Promise<boolean> {
    const body = JSON.stringify(await this.document(t, events));
    for (let attempt = 1; ; attempt++) {
      if (t.closed || this.stopping) return false;
      try {
        await t.sink.deliver(body, AbortSignal.any([t.abort.signal, this.requests.signal]));
        break;
      } catch (e) {
        if (t.closed || this.stopping) return false;
        if (e instanceof DeliveryError && e.status === 413 && events.length > 1) {
          // The receiver wants smaller batches.
          const half = Math.ceil(events.length / 2);
          t.batchLimit = Math.max(1, Math.min(t.batchLimit, half));
          this.log.info(
            { subscriptionID: t.id, batchSize: t.batchLimit },
            'subscriptions: 413 from the receiver, smaller batches',
          );
          return (
            (await this.send(t, events.slice(0, half), events[half - 1]!.seq)) &&
            (await this.send(t, events.slice(half), ackTo))
          );
        }
        t.failures++;
        t.lastError = messageOf(e);
        if (t.sink.kind === 'socket') {
          this.end(t, 1011, 'the subscription could not be delivered');
          return false;
        }
        if (attempt >= this.retry.maxAttempts) {
          this.log.warn(
            { subscriptionID: t.id, attempts: attempt, err: t.lastError, retryInMs: this.retry.maxDelayMs },
            'subscriptions: delivery keeps failing; resting before trying again',
          );
          this.rest(t, this.retry.maxDelayMs);
          return false;
        }
        const wait = this.backoff(attempt);
        this.log.warn(
          { subscriptionID: t.id, attempt, err: t.lastError, retryInMs: wait },
          'subscriptions: delivery failed; retrying',
        );
        await this.sleep(t, wait);
      }
    }
    const at = new Date(this.now()).toISOString();
    if (t.persisted) await this.store.ackSubscription(t.id, ackTo, at);
    t.cursor = Math.max(t.cursor, ackTo);
    t.failures = 0;
    t.lastError = undefined;
    return true;
  }
}
