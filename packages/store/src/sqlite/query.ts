/**
 * EventFilter → one SQL statement over `events`, with keyset pagination on (order key, seq).
 *
 * Index choice: when the filter names something selective that has its own lookup — eventIDs,
 * identifiers, references, corrective eventIDs — that lookup drives the query (events are fetched
 * by seq, the rowid) and every other condition on `events` is written `+column`, which keeps
 * SQLite from walking a low-selectivity index (bizStep, eventTime…) instead. Error declarations
 * are found through their own small partial index. Without such a lookup
 * the planner chooses among the column indexes and the order-key index.
 */
import { InvalidCursorError } from '../errors.ts';
import type { EventFilter, EventOrder, IdentifierRole, QueryOptions } from '../types.ts';
import { key52 } from './keys.ts';
import { REF_KINDS, ROLE_CODES } from './schema.ts';

/**
 * The least string above every string that starts with `p` (UTF-8 byte order = code point order):
 * `p` with its last code point incremented (U+10FFFF dropped and the one before incremented);
 * undefined when no bound exists (`p` empty or all U+10FFFF).
 */
export function prefixEnd(p: string): string | undefined {
  const cps = Array.from(p, (c) => c.codePointAt(0)!);
  while (cps.length > 0) {
    const last = cps.pop()!;
    if (last < 0x10ffff) {
      cps.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...cps);
    }
  }
  return undefined;
}

export const EVENT_COLUMNS =
  'seq, event_time, record_time, is_err, corrected, event_id, hash_id, capture_id, body';

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

const ORDER_COLUMN: Record<EventOrder, string> = {
  seq: 'seq',
  eventTime: 'event_time',
  recordTime: 'record_time',
};
const ORDER_CODE: Record<EventOrder, string> = { seq: 's', eventTime: 'e', recordTime: 'r' };

/** Milliseconds of an ISO 8601 time (filter bound or stored value); throws on anything else. */
export function toMillis(s: string, what: string): number {
  const ms = typeof s === 'string' ? Date.parse(s) : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${what}: '${String(s)}' is not an ISO 8601 date-time`);
  return ms;
}

function placeholders(n: number): string {
  return n === 1 ? '?' : `${'?,'.repeat(n - 1)}?`;
}

function rolesSql(roles: IdentifierRole[]): string {
  const codes = roles.map((r) => ROLE_CODES[r]).filter((c) => c !== undefined);
  return codes.length === 0 ? 'NULL' : codes.join(',');
}

interface Cursor {
  key: number;
  seq: number;
}

export function encodeCursor(
  orderBy: EventOrder,
  direction: 'ASC' | 'DESC',
  key: number,
  seq: number,
): string {
  return Buffer.from(JSON.stringify([ORDER_CODE[orderBy] + direction[0], key, seq])).toString('base64url');
}

export function decodeCursor(token: string, orderBy: EventOrder, direction: 'ASC' | 'DESC'): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(v) || v.length !== 3) throw new InvalidCursorError();
  const [tag, key, seq] = v as unknown[];
  if (tag !== ORDER_CODE[orderBy] + direction[0])
    throw new InvalidCursorError('page cursor of another order or direction');
  if (!Number.isSafeInteger(key) || !Number.isSafeInteger(seq)) throw new InvalidCursorError();
  return { key: key as number, seq: seq as number };
}

/** An opaque cursor over any JSON value (distinct values, capture jobs), tagged with its use. */
export function encodeToken(tag: string, value: unknown): string {
  return Buffer.from(JSON.stringify([tag, value])).toString('base64url');
}

export function decodeToken(token: string, tag: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(v) || v.length !== 2 || v[0] !== tag) throw new InvalidCursorError();
  return v[1];
}

/** The condition on `facets` of the filter's low-cardinality fields, or undefined when it has none. */
export function facetCondition(f: EventFilter): { sql: string; params: string[] } | undefined {
  const conds: string[] = [];
  const params: string[] = [];
  const list = (column: string, values: string[] | undefined): void => {
    if (values === undefined) return;
    if (values.length === 0) conds.push('0');
    else {
      conds.push(values.length === 1 ? `${column} = ?` : `${column} IN (${placeholders(values.length)})`);
      params.push(...values);
    }
  };
  list('type', f.eventTypes);
  list('action', f.actions);
  list('biz_step', f.bizSteps);
  list('disposition', f.dispositions);
  list('read_point', f.readPoints);
  list('biz_location', f.bizLocations);
  return conds.length === 0 ? undefined : { sql: conds.join(' AND '), params };
}

export function buildEventQuery(f: EventFilter, opts: QueryOptions & { scanFacets?: boolean }): BuiltQuery {
  const orderBy = opts.orderBy ?? 'seq';
  const direction = opts.direction ?? 'ASC';
  if (!(orderBy in ORDER_COLUMN))
    throw new TypeError(`orderBy: '${orderBy}' is not seq, eventTime or recordTime`);
  if (direction !== 'ASC' && direction !== 'DESC')
    throw new TypeError(`direction: '${direction}' is not ASC or DESC`);
  const where: string[] = [];
  const params: unknown[] = [];

  const driven =
    (f.eventIds !== undefined && f.eventIds.length > 0) ||
    (f.identifiers !== undefined && f.identifiers.length > 0) ||
    (f.references !== undefined && f.references.length > 0) ||
    (f.errorDeclaration !== undefined &&
      f.errorDeclaration.exists !== false &&
      Object.keys(f.errorDeclaration).length > 0);
  const col = (c: string): string => (driven ? `+${c}` : c);

  const range = (column: string, r: { ge?: string; lt?: string } | undefined, what: string): void => {
    if (r?.ge !== undefined) {
      where.push(`${column} >= ?`);
      params.push(toMillis(r.ge, what));
    }
    if (r?.lt !== undefined) {
      where.push(`${column} < ?`);
      params.push(toMillis(r.lt, what));
    }
  };

  if (f.seq?.gt !== undefined) {
    where.push('seq > ?');
    params.push(f.seq.gt);
  }
  if (f.seq?.le !== undefined) {
    where.push('seq <= ?');
    params.push(f.seq.le);
  }
  if (f.eventIds !== undefined) {
    if (f.eventIds.length === 0) where.push('0');
    else {
      // The key selects through its index; the text decides.
      where.push(
        `id_key IN (${placeholders(f.eventIds.length)}) AND event_id IN (${placeholders(f.eventIds.length)})`,
      );
      for (const id of f.eventIds) params.push(key52(id));
      params.push(...f.eventIds);
    }
  }
  for (const m of f.identifiers ?? []) {
    const parts: string[] = [];
    const roles = rolesSql(m.roles);
    const values = m.values ?? [];
    if (values.length > 0) {
      parts.push(
        `SELECT seq FROM event_ids WHERE id ${values.length === 1 ? '= ?' : `IN (${placeholders(values.length)})`} AND role IN (${roles})`,
      );
      params.push(...values);
    }
    for (const p of m.prefixes ?? []) {
      const end = prefixEnd(p);
      parts.push(
        `SELECT seq FROM event_ids WHERE id >= ?${end === undefined ? '' : ' AND id < ?'} AND role IN (${roles})`,
      );
      params.push(p);
      if (end !== undefined) params.push(end);
    }
    where.push(parts.length === 0 ? '0' : `seq IN (${parts.join(' UNION ALL ')})`);
  }
  for (const m of f.references ?? []) {
    if (m.values.length === 0) {
      where.push('0');
      continue;
    }
    where.push(
      `seq IN (SELECT seq FROM event_refs WHERE value IN (${placeholders(m.values.length)}) AND kind = ${REF_KINDS[m.kind] ?? 0} AND type = ?)`,
    );
    params.push(...m.values, m.type);
  }
  range(col('event_time'), f.eventTime, 'eventTime');
  range(col('record_time'), f.recordTime, 'recordTime');
  // The low-cardinality fields: one condition on the small facets table.
  const facet = facetCondition(f);
  if (facet) {
    // A common value (most events are 'shipping') is better found by walking the log in the
    // order asked and testing the facet than by sorting all its events: the caller decides.
    where.push(
      `${driven || opts.scanFacets ? '+facet' : 'facet'} IN (SELECT facet FROM facets WHERE ${facet.sql})`,
    );
    params.push(...facet.params);
  }
  const d = f.errorDeclaration;
  if (d) {
    const needsDecl =
      d.exists === true ||
      d.declarationTime !== undefined ||
      d.reasons !== undefined ||
      d.correctiveEventIds !== undefined;
    if (d.exists === false) where.push(needsDecl ? '0' : `${col('is_err')} = 0`);
    else if (needsDecl) {
      // Declarations are few: they are found through their small partial index (which needs
      // `is_err = 1` written literally), not by walking the log.
      let sub = 'SELECT seq FROM events INDEXED BY events_declarations WHERE is_err = 1';
      if (d.declarationTime?.ge !== undefined) {
        sub += ' AND decl_time >= ?';
        params.push(toMillis(d.declarationTime.ge, 'declarationTime'));
      }
      if (d.declarationTime?.lt !== undefined) {
        sub += ' AND decl_time < ?';
        params.push(toMillis(d.declarationTime.lt, 'declarationTime'));
      }
      if (d.reasons !== undefined) {
        sub += d.reasons.length === 0 ? ' AND 0' : ` AND err_reason IN (${placeholders(d.reasons.length)})`;
        params.push(...d.reasons);
      }
      where.push(`seq IN (${sub})`);
    }
    if (d.correctiveEventIds !== undefined) {
      if (d.correctiveEventIds.length === 0) where.push('0');
      else {
        where.push(
          `seq IN (SELECT seq FROM event_refs WHERE value IN (${placeholders(d.correctiveEventIds.length)}) AND kind = ${REF_KINDS.corrective} AND type = '')`,
        );
        params.push(...d.correctiveEventIds);
      }
    }
  }
  if (f.includeErrorDeclarations === false) where.push(`${col('is_err')} = 0`);

  const cmp = direction === 'ASC' ? '>' : '<';
  const dir = direction === 'ASC' ? '' : ' DESC';
  let order: string;
  if (orderBy === 'seq') {
    if (opts.after !== undefined) {
      where.push(`seq ${cmp} ?`);
      params.push(decodeCursor(opts.after, orderBy, direction).seq);
    }
    order = `seq${dir}`;
  } else {
    const k = col(ORDER_COLUMN[orderBy]);
    if (opts.after !== undefined) {
      const c = decodeCursor(opts.after, orderBy, direction);
      // The first term bounds the index range; the second decides ties.
      where.push(`${k} ${cmp}= ? AND (${k} ${cmp} ? OR seq ${cmp} ?)`);
      params.push(c.key, c.key, c.seq);
    }
    order = `${k}${dir}, seq${dir}`;
  }
  const limit = Math.max(1, Math.floor(opts.limit));
  params.push(limit + 1);
  const sql = `SELECT ${EVENT_COLUMNS} FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
  return { sql, params };
}
