/**
 * Runs a query plan against a store, one page at a time.
 *
 * Pages: the store is asked for candidate pages (its `EventFilter`, in the query's order), the
 * residual predicate keeps the events that really match, and store pages are fetched until the
 * page is full (one match beyond it proves that a next page exists — no empty last pages). The
 * page token is stateless (base64url JSON, bound to the query by a digest): it holds the store
 * cursor of the store page that held the last returned event and that event's `seq`. The next
 * request re-reads that store page and continues right after that event (found by identity; by
 * its order key if new events moved it), so every event is returned exactly once while new
 * events are captured between pages — they appear on later pages when they sort after the
 * position reached, as with any keyset pagination.
 *
 * Ordering by an extension field (`orderBy=ext:field`) cannot use the store's order: the
 * matching events recorded up to the first page (`seq` ≤ the store's last seq then — a snapshot,
 * so later pages do not shift) are sorted in memory and paged by offset; more than
 * `maxSortedEvents` matches raise QueryTooComplexException.
 *
 * `eventCountLimit` caps the total over all pages; `maxEventCount` raises QueryTooLargeException
 * (413) when more events match, checked on the first page.
 */
import type { EventFilter, EventOrder, EventPage, QueryOptions, Store, StoredEvent } from '@rxtrace/store';
import type { QueryPlan } from './compile.ts';
import { parameterError, QueryError } from './errors.ts';
import { namespacesOfEvent, scalarText, valuesOf } from './fields.ts';
import { parseNumber, parseTime } from './params.ts';

export interface PageOptions {
  /** Events per page. */
  perPage: number;
  /** Token of the previous page's response. */
  nextPageToken?: string;
  /** Candidates examined per request before a partial page is returned (default 50,000). */
  scanBudget?: number;
  /** Store page size when the residual filters (default 500). */
  storePageSize?: number;
  /** Most events sorted in memory for an extension-field order (default 100,000). */
  maxSortedEvents?: number;
}

export interface QueryPage {
  events: StoredEvent[];
  /** Present when there is a next page. */
  nextPageToken?: string;
}

interface PageToken {
  v: 1;
  /** Query digest. */
  f: string;
  /** Store cursor of the store page holding the last returned event (absent: the first store page). */
  a?: string;
  /** seq of the last returned event (absent: start at the cursor). */
  s?: number;
  /** Order value of the last returned event (eventTime / recordTime), for the fallback comparison. */
  t?: string;
  /** Events returned so far (eventCountLimit). */
  n: number;
  /** Extension order: the snapshot seq and the offset. */
  snap?: number;
  o?: number;
}

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;

/** `perPage` from a query string: default 30, capped at `max` (the server may return fewer). */
export function resolvePerPage(text: string | undefined, max = MAX_PER_PAGE): number {
  if (text === undefined) return Math.min(DEFAULT_PER_PAGE, max);
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw parameterError(`perPage: '${text}' is not a positive integer`);
  return Math.min(Number(text), max);
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(text: string, fingerprint: string): PageToken {
  let t: PageToken;
  try {
    t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
  } catch {
    throw parameterError('nextPageToken is not a token this server issued');
  }
  if (t?.v !== 1 || typeof t.n !== 'number')
    throw parameterError('nextPageToken is not a token this server issued');
  if (t.f !== fingerprint)
    throw parameterError(
      'nextPageToken belongs to another query: repeat the query parameters of the first page',
    );
  return t;
}

/** store.queryEvents, with a cursor the store refuses reported as a bad nextPageToken. */
async function read(store: Store, filter: EventFilter, opts: QueryOptions): Promise<EventPage> {
  try {
    return await store.queryEvents(filter, opts);
  } catch (e) {
    if (e instanceof Error && e.name === 'InvalidCursorError')
      throw parameterError('nextPageToken is not valid (any more): start again from the first page');
    throw e;
  }
}

function orderValue(e: StoredEvent, by: EventOrder): string | undefined {
  return by === 'eventTime' ? e.eventTime : by === 'recordTime' ? e.recordTime : undefined;
}

/** Whether `e` comes after the token position in the store's order. */
function isAfter(e: StoredEvent, tok: PageToken, by: EventOrder, dir: 'ASC' | 'DESC'): boolean {
  const s = tok.s ?? -1;
  const v = orderValue(e, by);
  const asc = dir === 'ASC';
  if (v !== undefined && tok.t !== undefined && v !== tok.t) return asc ? v > tok.t : v < tok.t;
  return asc ? e.seq > s : e.seq < s;
}

/** Counts matches (up to `limit + 1`) to enforce maxEventCount. */
async function countMatches(store: Store, plan: QueryPlan, limit: number, pageSize: number): Promise<number> {
  let n = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.queryEvents(plan.filter, {
      orderBy: 'seq',
      direction: 'ASC',
      limit: pageSize,
      ...(after ? { after } : {}),
    });
    for (const e of page.events) if (plan.residual(e) && ++n > limit) return n;
    if (!page.next || page.events.length === 0) return n;
    after = page.next;
  }
}

/** Runs one page of a planned query. */
export async function runQuery(store: Store, plan: QueryPlan, opts: PageOptions): Promise<QueryPage> {
  const tok = opts.nextPageToken ? decodeToken(opts.nextPageToken, plan.fingerprint) : undefined;
  const storePage = Math.max(opts.storePageSize ?? 500, 1);
  if (!tok && plan.maxEventCount !== undefined && plan.order.by !== 'extension') {
    const n = await countMatches(store, plan, plan.maxEventCount, storePage);
    if (n > plan.maxEventCount)
      throw new QueryError(
        'QueryTooLargeException',
        `more than maxEventCount (${plan.maxEventCount}) events match the query`,
        413,
      );
  }
  if (plan.order.by === 'extension') return runSorted(store, plan, opts, tok);
  const by = plan.order.by;
  const dir = plan.direction;
  const returned = tok?.n ?? 0;
  const left =
    plan.eventCountLimit === undefined ? Number.POSITIVE_INFINITY : plan.eventCountLimit - returned;
  const want = Math.min(opts.perPage, left);
  if (want <= 0) return { events: [] };
  const budget = opts.scanBudget ?? 50_000;
  // One match beyond the page proves there is a next page.
  const fetch = Math.min(Math.max(want + 1, storePage), 5000);

  const out: StoredEvent[] = [];
  let cursor = tok?.a;
  let lastCursor: string | undefined;
  let skipping = tok?.s !== undefined;
  let scanned = 0;
  for (;;) {
    const page = await read(store, plan.filter, {
      orderBy: by,
      direction: dir,
      limit: fetch,
      ...(cursor ? { after: cursor } : {}),
    });
    let i = 0;
    if (skipping && tok) {
      const at = page.events.findIndex((e) => e.seq === tok.s);
      if (at >= 0) {
        i = at + 1;
        skipping = false;
      } else {
        while (i < page.events.length && !isAfter(page.events[i]!, tok, by, dir)) i++;
        if (i < page.events.length) skipping = false;
      }
    }
    for (; i < page.events.length; i++) {
      const e = page.events[i]!;
      scanned++;
      if (!plan.residual(e)) continue;
      if (out.length === want) {
        // A further match: the page is full and there is more (unless eventCountLimit is reached).
        if (returned + out.length >= (plan.eventCountLimit ?? Number.POSITIVE_INFINITY))
          return { events: out };
        const last = out[out.length - 1]!;
        const t = orderValue(last, by);
        return {
          events: out,
          nextPageToken: encodeToken({
            v: 1,
            f: plan.fingerprint,
            ...(lastCursor ? { a: lastCursor } : {}),
            s: last.seq,
            ...(t !== undefined ? { t } : {}),
            n: returned + out.length,
          }),
        };
      }
      out.push(e);
      lastCursor = cursor;
    }
    if (!page.next || page.events.length === 0) break;
    cursor = page.next;
    if (scanned >= budget && !skipping) {
      // Partial page: continue at the next unread store page.
      if (
        out.length === want &&
        plan.eventCountLimit !== undefined &&
        returned + out.length >= plan.eventCountLimit
      )
        break;
      return {
        events: out,
        nextPageToken: encodeToken({ v: 1, f: plan.fingerprint, a: cursor, n: returned + out.length }),
      };
    }
  }
  return { events: out };
}

type SortKey = [number, number | string];

function sortKey(e: StoredEvent, plan: QueryPlan): SortKey | undefined {
  if (plan.order.by !== 'extension') return undefined;
  const v = valuesOf(e.event, plan.order.field, namespacesOfEvent(e.event), plan.namespaces)[0];
  const s = scalarText(v);
  if (s === undefined) return undefined;
  const n = typeof v === 'number' ? v : parseNumber(s);
  if (!Number.isNaN(n)) return [0, n];
  const t = parseTime(s);
  if (!Number.isNaN(t)) return [1, t];
  return [2, s];
}

async function runSorted(
  store: Store,
  plan: QueryPlan,
  opts: PageOptions,
  tok: PageToken | undefined,
): Promise<QueryPage> {
  const snap = tok?.snap ?? (await store.lastSeq());
  const max = opts.maxSortedEvents ?? 100_000;
  const rows: { e: StoredEvent; k: SortKey | undefined }[] = [];
  const filter: EventFilter = {
    ...plan.filter,
    seq: { ...(plan.filter.seq ?? {}), le: Math.min(snap, plan.filter.seq?.le ?? snap) },
  };
  let after: string | undefined;
  for (;;) {
    const page = await read(store, filter, {
      orderBy: 'seq',
      direction: 'ASC',
      limit: 1000,
      ...(after ? { after } : {}),
    });
    for (const e of page.events) {
      if (e.seq > snap || !plan.residual(e)) continue;
      rows.push({ e, k: sortKey(e, plan) });
      if (rows.length > max)
        throw new QueryError(
          'QueryTooComplexException',
          `ordering by an extension field sorts at most ${max} events; narrow the query`,
          413,
        );
    }
    if (!page.next || page.events.length === 0) break;
    after = page.next;
  }
  if (!tok && plan.maxEventCount !== undefined && rows.length > plan.maxEventCount)
    throw new QueryError(
      'QueryTooLargeException',
      `more than maxEventCount (${plan.maxEventCount}) events match the query`,
      413,
    );
  const sign = plan.direction === 'ASC' ? 1 : -1;
  rows.sort((a, b) => {
    if (!a.k || !b.k) return a.k ? -1 : b.k ? 1 : a.e.seq - b.e.seq;
    if (a.k[0] !== b.k[0]) return sign * (a.k[0] - b.k[0]);
    if (a.k[1] !== b.k[1]) return sign * (a.k[1] < b.k[1] ? -1 : 1);
    return sign * (a.e.seq - b.e.seq);
  });
  const total =
    plan.eventCountLimit === undefined ? rows.length : Math.min(rows.length, plan.eventCountLimit);
  const offset = tok?.o ?? 0;
  const end = Math.min(offset + opts.perPage, total);
  const events = rows.slice(offset, end).map((r) => r.e);
  if (end >= total) return { events };
  return { events, nextPageToken: encodeToken({ v: 1, f: plan.fingerprint, n: end, snap, o: end }) };
}
