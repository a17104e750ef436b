/**
 * Pack state on PostgreSQL: the batched reads and writes `applyUnit` (../packs/apply.ts) asks
 * for, on the append transaction's client, and the read side (`PackStore`) on the pool. Tables:
 * migration 4 (./migrations.ts), the same layout as on SQLite.
 */
import type pg from 'pg';
import { applyUnit, type PackBackendAsync, runAsync } from '../packs/apply.ts';
import {
  type ChangeRow,
  changesOf,
  checkGroupBy,
  INVENTORY_COLUMNS,
  PACK_COLUMNS,
  type PackRow,
  stateOf,
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
CREATE TABLE pack_state (
  id ${T} PRIMARY KEY,
  parent ${T},
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
  last_time ${T} NOT NULL,
  last_seq bigint NOT NULL
);
CREATE INDEX pack_state_parent ON pack_state (parent) WHERE parent IS NOT NULL;
CREATE INDEX pack_state_inventory ON pack_state (location, gtin, lot, status) WHERE gtin IS NOT NULL;
CREATE TABLE pack_changes (
  seq bigint PRIMARY KEY,
  body jsonb NOT NULL
);
`;

const SQL = {
  record:
    'INSERT INTO pack_changes (seq, body) SELECT s, b::jsonb FROM unnest($1::bigint[], $2::text[]) AS u(s, b) ON CONFLICT (seq) DO UPDATE SET body = excluded.body',
  load: `SELECT ${PACK_COLUMNS} FROM pack_state WHERE id = ANY($1::text[])`,
  loadSubtree: `WITH RECURSIVE t(id) AS (SELECT unnest($1::text[]) COLLATE "C" UNION SELECT p.id FROM pack_state p JOIN t ON p.parent = t.id)
    SELECT ${PACK_COLUMNS} FROM pack_state WHERE id IN (SELECT id FROM t)`,
  declared: 'SELECT event_id FROM declared_event_ids WHERE event_id = ANY($1::text[])',
  changesOfIds: `SELECT DISTINCT c.seq, c.body FROM event_identifiers i
    JOIN pack_changes c ON c.seq = i.seq
    JOIN events e ON e.seq = i.seq AND e.event_time = i.event_time
    WHERE i.id = ANY($1::text[]) AND i.role <= 5 AND NOT e.is_error_declaration AND NOT e.corrected`,
  changesOfEvents: `SELECT c.seq, c.body FROM event_ids x JOIN pack_changes c ON c.seq = x.seq
    WHERE x.event_id = ANY($1::text[]) AND NOT x.is_error_declaration`,
  save: `INSERT INTO pack_state (${PACK_COLUMNS})
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[])
    ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, gtin = excluded.gtin, lot = excluded.lot,
      expiry = excluded.expiry, status = excluded.status, disposition = excluded.disposition,
      biz_step = excluded.biz_step, location = excluded.location, read_point = excluded.read_point,
      owner = excluded.owner, possessor = excluded.possessor, last_time = excluded.last_time, last_seq = excluded.last_seq`,
  delete: 'DELETE FROM pack_state WHERE id = ANY($1::text[])',
};

type Q = pg.Pool | pg.PoolClient;

function backendOn(c: Q): PackBackendAsync {
  return {
    async record(items) {
      await c.query(SQL.record, [items.map((i) => i.seq), items.map((i) => JSON.stringify(i.change))]);
    },
    async load(ids, subtree) {
      if (ids.length === 0) return [];
      const { rows } = await c.query<PackRow>(subtree ? SQL.loadSubtree : SQL.load, [ids]);
      return rows.map(stateOf);
    },
    async declared(eventIds) {
      if (eventIds.length === 0) return [];
      const { rows } = await c.query<{ event_id: string }>(SQL.declared, [eventIds]);
      return rows.map((r) => r.event_id);
    },
    async changesOfIds(ids) {
      if (ids.length === 0) return [];
      return changesOf((await c.query<ChangeRow>(SQL.changesOfIds, [ids])).rows);
    },
    async changesOfEvents(eventIds) {
      if (eventIds.length === 0) return [];
      return changesOf((await c.query<ChangeRow>(SQL.changesOfEvents, [eventIds])).rows);
    },
    async save(rows, deleted) {
      if (rows.length > 0) {
        const col = (f: (r: PackState) => string | number | undefined) => rows.map((r) => f(r) ?? null);
        await c.query(SQL.save, [
          col((r) => r.id),
          col((r) => r.parent),
          col((r) => r.gtin),
          col((r) => r.lot),
          col((r) => r.expiry),
          col((r) => r.status),
          col((r) => r.disposition),
          col((r) => r.bizStep),
          col((r) => r.location),
          col((r) => r.readPoint),
          col((r) => r.owner),
          col((r) => r.possessor),
          col((r) => r.lastEventTime),
          col((r) => r.lastSeq),
        ]);
      }
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
    return backendOn(this.pool).load(ids, false);
  }

  async children(id: string): Promise<PackState[]> {
    const { rows } = await this.pool.query<PackRow>(
      `SELECT ${PACK_COLUMNS} FROM pack_state WHERE parent = $1 ORDER BY id`,
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
        `SELECT ${PACK_COLUMNS} FROM pack_state WHERE parent = ANY($1::text[]) ORDER BY parent, id`,
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
       SELECT ${PACK_COLUMNS.split(', ')
         .map((c) => `s.${c}`)
         .join(', ')}, a.depth FROM a JOIN pack_state s ON s.id = a.id ORDER BY a.depth`,
      [id],
    );
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(stateOf);
  }

  async inventory(groupBy: InventoryField[], filter: InventoryFilter): Promise<InventoryCount[]> {
    const g = checkGroupBy(groupBy);
    const { where, params } = whereOf(filter);
    const cols = g.map((f) => INVENTORY_COLUMNS[f]);
    const sql = `SELECT ${[...cols, 'count(*)::bigint AS n'].join(', ')} FROM pack_state WHERE ${where}${
      cols.length > 0 ? ` GROUP BY ${cols.join(', ')} ORDER BY ${cols.join(', ')}` : ''
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
      after = ` AND id > $${all.length}`;
    }
    all.push(limit + 1);
    const { rows } = await this.pool.query<PackRow>(
      `SELECT ${PACK_COLUMNS} FROM pack_state WHERE ${where}${after} ORDER BY id LIMIT $${all.length}`,
      all,
    );
    const items = rows.slice(0, limit).map(stateOf);
    return rows.length > limit ? { items, next: items[items.length - 1]!.id } : { items };
  }
}

function whereOf(f: InventoryFilter): { where: string; params: string[] } {
  const parts = ['gtin IS NOT NULL'];
  const params: string[] = [];
  for (const k of INVENTORY_FIELDS) {
    const v = f[k];
    if (v === undefined) continue;
    params.push(v);
    parts.push(`${INVENTORY_COLUMNS[k]} = $${params.length}`);
  }
  return { where: parts.join(' AND '), params };
}
