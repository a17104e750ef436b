/**
 * Pack state on PostgreSQL: the batched reads and writes `applyUnit` (../packs/apply.ts) asks
 * for, on the append transaction's client, and the read side (`PackStore`) on the pool. Tables:
 * migration 4 (./migrations.ts), the same layout as on SQLite (../sqlite/packs-schema.ts).
 */
import type pg from 'pg';
import { applyUnit, type Loaded, type PackBackendAsync, runAsync } from '../packs/apply.ts';
import {
  type ChangeRow,
  changesOf,
  checkGroupBy,
  INVENTORY_COLUMNS,
  PACK_FROM,
  PACK_SELECT,
  type PackRow,
  stateOf,
  TUPLE_COLUMNS,
} from '../packs/rows.ts';
import {
  INVENTORY_FIELDS,
  type InventoryCount,
  type InventoryField,
  type InventoryFilter,
  type PackState,
  type PackStore,
} from '../packs.ts';
import type { AppendResult, NewEvent } from '../types.ts';

const T = 'text COLLATE "C"';

export const PACKS_POSTGRES_SQL = `
CREATE TABLE pack_tuples (
  state bigint PRIMARY KEY,
  gtin ${T},
  lot ${T},
  expiry ${T},
  status ${T},
  disposition ${T},
  biz_step ${T},
  location ${T},
  read_point ${T},
  owner ${T},
  possessor ${T},
  n bigint NOT NULL
);
CREATE TABLE pack_state (
  id ${T} PRIMARY KEY,
  parent ${T},
  state bigint NOT NULL,
  last_time ${T} NOT NULL,
  last_seq bigint NOT NULL
);
CREATE INDEX pack_state_parent ON pack_state (parent) WHERE parent IS NOT NULL;
CREATE TABLE pack_changes (
  seq bigint PRIMARY KEY,
  shape bigint NOT NULL,
  lists text NOT NULL
);
CREATE TABLE pack_shapes (
  shape bigint PRIMARY KEY,
  body text NOT NULL
);
`;

const SQL = {
  shapes:
    'INSERT INTO pack_shapes (shape, body) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (shape) DO NOTHING',
  record: `INSERT INTO pack_changes (seq, shape, lists) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
    ON CONFLICT (seq) DO UPDATE SET shape = excluded.shape, lists = excluded.lists`,
  load: `SELECT ${PACK_SELECT} FROM ${PACK_FROM} WHERE s.id = ANY($1::text[])`,
  loadContents: `WITH RECURSIVE sub(id) AS (
      SELECT p.id FROM pack_state p WHERE p.parent = ANY($1::text[])
      UNION SELECT p.id FROM pack_state p JOIN sub ON p.parent = sub.id)
    SELECT ${PACK_SELECT} FROM ${PACK_FROM} WHERE s.id IN (SELECT id FROM sub)`,
  declared: 'SELECT event_id FROM declared_event_ids WHERE event_id = ANY($1::text[])',
  changesOfIds: `SELECT c.seq, h.body AS shape, c.lists FROM pack_changes c JOIN pack_shapes h ON h.shape = c.shape
    WHERE c.seq IN (SELECT i.seq FROM event_identifiers i JOIN events e ON e.seq = i.seq AND e.event_time = i.event_time
      WHERE i.id = ANY($1::text[]) AND i.role <= 5 AND NOT e.is_error_declaration AND NOT e.corrected)`,
  changesOfEvents: `SELECT c.seq, h.body AS shape, c.lists FROM event_ids x JOIN pack_changes c ON c.seq = x.seq
    JOIN pack_shapes h ON h.shape = c.shape
    WHERE x.event_id = ANY($1::text[]) AND NOT x.is_error_declaration`,
  upsertTuples: `INSERT INTO pack_tuples (state, ${TUPLE_COLUMNS}, n)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[])
    ON CONFLICT (state) DO UPDATE SET n = pack_tuples.n + excluded.n`,
  countTuples:
    'UPDATE pack_tuples t SET n = t.n + u.d FROM unnest($1::bigint[], $2::bigint[]) AS u(s, d) WHERE t.state = u.s',
  save: `INSERT INTO pack_state (id, parent, state, last_time, last_seq)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
    ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, state = excluded.state,
      last_time = excluded.last_time, last_seq = excluded.last_seq`,
  delete: 'DELETE FROM pack_state WHERE id = ANY($1::text[])',
};

type Q = pg.Pool | pg.PoolClient;

function loaded(rows: PackRow[]): Loaded[] {
  return rows.map((r) => ({ row: stateOf(r), state: Number(r.state) }));
}

function backendOn(c: Q): PackBackendAsync {
  return {
    async record(items, shapes) {
      if (shapes.length > 0) await c.query(SQL.shapes, [shapes.map((x) => x[0]), shapes.map((x) => x[1])]);
      await c.query(SQL.record, [
        items.map((i) => i.seq),
        items.map((i) => i.shape),
        items.map((i) => i.lists),
      ]);
    },
    async load(ids, subtree) {
      if (ids.length === 0) return [];
      const { rows } = await c.query<PackRow>(SQL.load, [ids]);
      if (subtree && rows.length > 0) {
        const kids = await c.query<PackRow>(SQL.loadContents, [rows.map((r) => r.id)]);
        for (const k of kids.rows) rows.push(k);
      }
      return loaded(rows);
    },
    async declared(items) {
      if (items.length === 0) return [];
      const { rows } = await c.query<{ event_id: string }>(SQL.declared, [items.map((i) => i.eventId)]);
      if (rows.length === 0) return [];
      const ids = new Set(rows.map((r) => r.event_id));
      return items.filter((i) => ids.has(i.eventId)).map((i) => i.seq);
    },
    async changesOfIds(ids) {
      if (ids.length === 0) return [];
      return changesOf((await c.query<ChangeRow>(SQL.changesOfIds, [ids])).rows);
    },
    async changesOfEvents(eventIds) {
      if (eventIds.length === 0) return [];
      return changesOf((await c.query<ChangeRow>(SQL.changesOfEvents, [eventIds])).rows);
    },
    async save(rows, deleted, tuples) {
      const up = tuples.filter((d) => d.tuple);
      if (up.length > 0) {
        const col = (f: (t: NonNullable<(typeof up)[number]['tuple']>) => string | undefined) =>
          up.map((d) => f(d.tuple!) ?? null);
        await c.query(SQL.upsertTuples, [
          up.map((d) => d.state),
          col((t) => t.gtin),
          col((t) => t.lot),
          col((t) => t.expiry),
          col((t) => t.status),
          col((t) => t.disposition),
          col((t) => t.bizStep),
          col((t) => t.location),
          col((t) => t.readPoint),
          col((t) => t.owner),
          col((t) => t.possessor),
          up.map((d) => d.delta),
        ]);
      }
      const counts = tuples.filter((d) => !d.tuple);
      if (counts.length > 0)
        await c.query(SQL.countTuples, [counts.map((d) => d.state), counts.map((d) => d.delta)]);
      if (rows.length > 0)
        await c.query(SQL.save, [
          rows.map((r) => r.row.id),
          rows.map((r) => r.row.parent ?? null),
          rows.map((r) => r.state),
          rows.map((r) => r.row.lastEventTime),
          rows.map((r) => r.row.lastSeq),
        ]);
      if (deleted.length > 0) await c.query(SQL.delete, [deleted]);
    },
  };
}

export class PostgresPacks implements PackStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Keep pack state in step with the log (default true). */
    readonly enabled = true,
  ) {}

  /** Applies a written unit's changes on the append transaction's client. */
  async afterWrite(c: pg.PoolClient, events: NewEvent[], result: AppendResult): Promise<void> {
    if (this.enabled) await runAsync(applyUnit(events, result), backendOn(c));
  }

  async get(ids: string[]): Promise<PackState[]> {
    return (await backendOn(this.pool).load(ids, false)).map((r) => r.row);
  }

  async children(id: string): Promise<PackState[]> {
    const { rows } = await this.pool.query<PackRow>(
      `SELECT ${PACK_SELECT} FROM ${PACK_FROM} WHERE s.parent = $1 ORDER BY s.id`,
      [id],
    );
    return rows.map(stateOf);
  }

  async descendants(id: string): Promise<PackState[]> {
    const out: PackState[] = [];
    let level = [id];
    const seen = new Set(level);
    while (level.length > 0) {
      const { rows } = await this.pool.query<PackRow>(
        `SELECT ${PACK_SELECT} FROM ${PACK_FROM} WHERE s.parent = ANY($1::text[]) ORDER BY s.parent, s.id`,
        [level],
      );
      const next: string[] = [];
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(stateOf(r));
        next.push(r.id);
      }
      level = next;
    }
    return out;
  }

  async ancestors(id: string): Promise<PackState[]> {
    const { rows } = await this.pool.query<PackRow & { depth: number }>(
      `WITH RECURSIVE a(id, depth) AS (
         SELECT parent, 1 FROM pack_state WHERE id = $1 AND parent IS NOT NULL
         UNION SELECT p.parent, a.depth + 1 FROM pack_state p JOIN a ON p.id = a.id WHERE p.parent IS NOT NULL AND a.depth < 64)
       SELECT ${PACK_SELECT}, a.depth FROM a JOIN pack_state s ON s.id = a.id JOIN pack_tuples t ON t.state = s.state ORDER BY a.depth`,
      [id],
    );
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(stateOf);
  }

  async inventory(groupBy: InventoryField[], filter: InventoryFilter): Promise<InventoryCount[]> {
    const g = checkGroupBy(groupBy);
    const { where, params } = whereOf(filter);
    const cols = g.map((f) => INVENTORY_COLUMNS[f]);
    const sql = `SELECT ${[...cols, 'sum(n)::bigint AS n'].join(', ')} FROM pack_tuples t WHERE ${where}${
      cols.length > 0 ? ` GROUP BY ${cols.join(', ')} HAVING sum(n) > 0 ORDER BY ${cols.join(', ')}` : ''
    }`;
    const { rows } = await this.pool.query<Record<string, string | number | null>>(sql, params);
    return rows.map((r) => {
      const key: InventoryCount['key'] = {};
      for (const f of g) key[f] = r[INVENTORY_COLUMNS[f]] as string | null;
      return { key, count: Number(r.n) };
    });
  }

  async items(
    filter: InventoryFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: PackState[]; next?: string }> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(opts.limit)));
    const { where, params } = whereOf(filter);
    const all: unknown[] = [...params];
    let after = '';
    if (opts.after !== undefined) {
      all.push(opts.after);
      after = ` AND s.id > $${all.length}`;
    }
    all.push(limit + 1);
    const { rows } = await this.pool.query<PackRow>(
      `SELECT ${PACK_SELECT} FROM ${PACK_FROM} WHERE ${where}${after} ORDER BY s.id LIMIT $${all.length}`,
      all,
    );
    const items = rows.slice(0, limit).map(stateOf);
    return rows.length > limit ? { items, next: items[items.length - 1]!.id } : { items };
  }
}

function whereOf(f: InventoryFilter): { where: string; params: string[] } {
  const parts = ['t.gtin IS NOT NULL'];
  const params: string[] = [];
  for (const k of INVENTORY_FIELDS) {
    const v = f[k];
    if (v === undefined) continue;
    params.push(v);
    parts.push(`t.${INVENTORY_COLUMNS[k]} = $${params.length}`);
  }
  return { where: parts.join(' AND '), params };
}
