/**
 * EventFilter → SQL over the partitioned schema, and the opaque keyset cursor.
 *
 * Each filter becomes an indexed condition: columns of `events` through their per-partition
 * indexes, time ranges also through partition pruning, identifiers / references / eventIDs
 * through their hash-partitioned lookup tables, whose rows carry the events' full key
 * (seq, event_time) so the fetch of the events themselves is pruned to their time partitions.
 */
import { InvalidCursorError } from '../errors.ts';
import type { EventFilter, EventOrder, IdentifierRole, QueryOptions } from '../types.ts';

export const ROLE_CODES: Record<IdentifierRole, number> = {
  epc: 1,
  parent: 2,
  child: 3,
  input: 4,
  output: 5,
  class: 6,
  childClass: 7,
  inputClass: 8,
  outputClass: 9,
};

export const REFERENCE_KIND_CODES = { bizTransaction: 1, source: 2, destination: 3 } as const;

/** Instance-level roles: what `/epcs` lists. */
export const EPC_ROLE_CODES = [1, 2, 3, 4, 5];

export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** `LIKE` pattern matching the values that start with `prefix` (C collation: an index range). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function timeRange(
  col: string,
  r: { ge?: string; lt?: string } | undefined,
  p: Params,
  where: string[],
): void {
  if (!r) return;
  if (r.ge !== undefined) where.push(`${col} >= ${p.add(r.ge)}::timestamptz`);
  if (r.lt !== undefined) where.push(`${col} < ${p.add(r.lt)}::timestamptz`);
}

function anyOf(col: string, values: string[] | undefined, p: Params, where: string[]): void {
  if (values === undefined) return;
  where.push(`${col} = ANY(${p.add(values)}::text[])`);
}

/** WHERE conditions on `events e` for the filter (all ANDed). */
export function filterConditions(f: EventFilter, p: Params): string[] {
  const where: string[] = [];
  if (f.seq?.gt !== undefined) where.push(`e.seq > ${p.add(f.seq.gt)}::bigint`);
  if (f.seq?.le !== undefined) where.push(`e.seq <= ${p.add(f.seq.le)}::bigint`);
  anyOf('e.event_type', f.eventTypes, p, where);
  timeRange('e.event_time', f.eventTime, p, where);
  timeRange('e.record_time', f.recordTime, p, where);
  anyOf('e.action', f.actions, p, where);
  anyOf('e.biz_step', f.bizSteps, p, where);
  anyOf('e.disposition', f.dispositions, p, where);
  anyOf('e.read_point', f.readPoints, p, where);
  anyOf('e.biz_location', f.bizLocations, p, where);
  if (f.eventIds !== undefined) {
    where.push(
      `(e.seq, e.event_time) IN (SELECT x.seq, x.event_time FROM event_ids x WHERE x.event_id = ANY(${p.add(f.eventIds)}::text[]))`,
    );
  }
  for (const m of f.identifiers ?? []) {
    const alternatives: string[] = [];
    if (m.values && m.values.length > 0) alternatives.push(`i.id = ANY(${p.add(m.values)}::text[])`);
    for (const prefix of m.prefixes ?? []) alternatives.push(`i.id LIKE ${p.add(likePrefix(prefix))}`);
    if (alternatives.length === 0 || m.roles.length === 0) {
      where.push('false');
      continue;
    }
    const roles = [...new Set(m.roles.map((r) => ROLE_CODES[r]))];
    where.push(
      `(e.seq, e.event_time) IN (SELECT i.seq, i.event_time FROM event_identifiers i WHERE i.role = ANY(${p.add(roles)}::smallint[]) AND (${alternatives.join(' OR ')}))`,
    );
  }
  for (const r of f.references ?? []) {
    where.push(
      `(e.seq, e.event_time) IN (SELECT r.seq, r.event_time FROM event_references r WHERE r.value = ANY(${p.add(r.values)}::text[]) AND r.kind = ${REFERENCE_KIND_CODES[r.kind]} AND r.type = ${p.add(r.type)})`,
    );
  }
  const ed = f.errorDeclaration;
  if (ed) {
    if (ed.exists === true) where.push('e.is_error_declaration');
    if (ed.exists === false) where.push('NOT e.is_error_declaration');
    if (ed.declarationTime) {
      where.push('e.is_error_declaration');
      timeRange('e.declaration_time', ed.declarationTime, p, where);
    }
    if (ed.reasons !== undefined) {
      where.push('e.is_error_declaration');
      anyOf('e.error_reason', ed.reasons, p, where);
    }
    if (ed.correctiveEventIds !== undefined) {
      where.push(
        `e.is_error_declaration AND e.corrective_event_ids && ${p.add(ed.correctiveEventIds)}::text[]`,
      );
    }
  }
  if (f.includeErrorDeclarations === false) where.push('NOT e.is_error_declaration');
  return [...new Set(where)];
}

/** What a page cursor holds: the sort key of the last event returned. */
interface Cursor {
  o: EventOrder;
  d: 'ASC' | 'DESC';
  /** The last event's eventTime / recordTime (ISO), for time orders. */
  t?: string;
  s: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof c !== 'object' || c === null) throw new InvalidCursorError();
  const o = c as Record<string, unknown>;
  if (o.o !== 'seq' && o.o !== 'eventTime' && o.o !== 'recordTime') throw new InvalidCursorError();
  if (o.d !== 'ASC' && o.d !== 'DESC') throw new InvalidCursorError();
  if (typeof o.s !== 'number' || !Number.isSafeInteger(o.s)) throw new InvalidCursorError();
  if (o.o !== 'seq' && (typeof o.t !== 'string' || Number.isNaN(Date.parse(o.t))))
    throw new InvalidCursorError();
  return o as unknown as Cursor;
}

const ORDER_COLUMN: Record<EventOrder, string | undefined> = {
  seq: undefined,
  eventTime: 'e.event_time',
  recordTime: 'e.record_time',
};

export const EVENT_COLUMNS =
  'e.seq, e.event_id, e.hash_id, e.event_type, e.event_time, e.record_time, e.capture_id, e.corrected, e.is_error_declaration, e.body';

/** The page query: filter, keyset condition from the cursor, order, limit + 1 (to know if more follow). */
export function pageQuery(
  f: EventFilter,
  opts: QueryOptions,
): { text: string; values: unknown[]; order: EventOrder; direction: 'ASC' | 'DESC' } {
  const order = opts.orderBy ?? 'seq';
  const direction = opts.direction ?? 'ASC';
  const p = new Params();
  const where = filterConditions(f, p);
  const col = ORDER_COLUMN[order];
  const cmp = direction === 'ASC' ? '>' : '<';
  if (opts.after !== undefined) {
    const c = decodeCursor(opts.after);
    if (c.o !== order || c.d !== direction)
      throw new InvalidCursorError('the cursor belongs to a query with another order');
    if (col === undefined) where.push(`e.seq ${cmp} ${p.add(c.s)}::bigint`);
    else where.push(`(${col}, e.seq) ${cmp} (${p.add(c.t)}::timestamptz, ${p.add(c.s)}::bigint)`);
  }
  const limit = Math.max(1, Math.floor(opts.limit));
  const orderBy = col === undefined ? `e.seq ${direction}` : `${col} ${direction}, e.seq ${direction}`;
  const text = `SELECT ${EVENT_COLUMNS} FROM events e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT ${p.add(limit + 1)}`;
  return { text, values: p.values, order, direction };
}

export function cursorAfter(
  order: EventOrder,
  direction: 'ASC' | 'DESC',
  last: { seq: number; eventTime: string; recordTime: string },
): string {
  if (order === 'seq') return encodeCursor({ o: order, d: direction, s: last.seq });
  return encodeCursor({
    o: order,
    d: direction,
    t: order === 'eventTime' ? last.eventTime : last.recordTime,
    s: last.seq,
  });
}

/** Cursor for value lists (distinct values, jobs): the last key, opaque. */
export function encodeKeyCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeKeyCursor(token: string, size: number): string[] {
  try {
    const k: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(k) && k.length === size && k.every((x) => typeof x === 'string')) return k as string[];
  } catch {}
  throw new InvalidCursorError();
}
