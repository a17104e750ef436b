/**
 * Pack state on SQLite: the batched reads and writes `applyUnit` (../packs/apply.ts) asks for,
 * run synchronously inside the capture transaction, and the read side (`PackStore`).
 *
 * Tables (migration 4, ./packs-schema.ts): `pack_state`, one row per object, WITHOUT ROWID keyed
 * by id, with a partial index on `parent` (contents) and one on (location, gtin, lot, status) for
 * trade items (inventory); `pack_changes`, the PackChange of each event by seq (for replays).
 */
import type Database from 'better-sqlite3';
import { applyUnit, type PackBackendSync, runSync, type StoredChange } from '../packs/apply.ts';
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
import { key52 } from './keys.ts';

type Stmt = Database.Statement;

export class SqlitePacks implements PackStore {
  private s: ReturnType<SqlitePacks['prepare']> | undefined;
  private readonly cache = new Map<string, Stmt>();
  private readonly backend: PackBackendSync;

  constructor(
    private readonly db: Database.Database,
    /** Keep pack state in step with the log (default true; off for benchmarks of bare capture). */
    readonly enabled = true,
  ) {
    this.backend = {
      record: (items) => {
        const st = this.st().record;
        for (const it of items) st.run(it.seq, JSON.stringify(it.change));
      },
      load: (ids, subtree) => {
        if (ids.length === 0) return [];
        const st = subtree ? this.st().loadSubtree : this.st().load;
        return (st.all(JSON.stringify(ids)) as PackRow[]).map(stateOf);
      },
      declared: (eventIds) => {
        const st = this.st().declared;
        return eventIds.filter((id) => st.get(key52(id), id) !== undefined);
      },
      changesOfIds: (ids) =>
        ids.length === 0 ? [] : changesOf(this.st().changesOfIds.all(JSON.stringify(ids)) as ChangeRow[]),
      changesOfEvents: (eventIds) => {
        const st = this.st().changesOfEvent;
        const out: StoredChange[] = [];
        for (const id of eventIds) out.push(...changesOf(st.all(key52(id), id) as ChangeRow[]));
        return out;
      },
      save: (rows, deleted) => {
        const s = this.st();
        for (const r of rows)
          s.save.run(
            r.id,
            r.parent ?? null,
            r.gtin ?? null,
            r.lot ?? null,
            r.expiry ?? null,
            r.status ?? null,
            r.disposition ?? null,
            r.bizStep ?? null,
            r.location ?? null,
            r.readPoint ?? null,
            r.owner ?? null,
            r.possessor ?? null,
            r.lastEventTime,
            r.lastSeq,
          );
        for (const id of deleted) s.delete.run(id);
      },
    };
  }

  /** Applies a written unit's changes (inside the capture transaction; see writeUnit). */
  afterWrite(events: NewEvent[], result: AppendResult): void {
    if (this.enabled) runSync(applyUnit(events, result), this.backend);
  }

  private st() {
    if (!this.s) this.s = this.prepare();
    return this.s;
  }

  private prepare() {
    const db = this.db;
    return {
      record: db.prepare('INSERT OR REPLACE INTO pack_changes (seq, body) VALUES (?, ?)'),
      load: db.prepare(`SELECT ${PACK_COLUMNS} FROM pack_state WHERE id IN (SELECT value FROM json_each(?))`),
      loadSubtree: db.prepare(
        `WITH RECURSIVE t(id) AS (SELECT value FROM json_each(?) UNION SELECT p.id FROM pack_state p JOIN t ON p.parent = t.id)
         SELECT ${PACK_COLUMNS} FROM pack_state WHERE id IN (SELECT id FROM t)`,
      ),
      declared: db.prepare('SELECT 1 FROM events WHERE id_key = ? AND is_err = 1 AND event_id = ?').pluck(),
      changesOfIds: db.prepare(
        `SELECT DISTINCT c.seq, c.body FROM event_ids i JOIN events e ON e.seq = i.seq JOIN pack_changes c ON c.seq = i.seq
         WHERE i.id IN (SELECT value FROM json_each(?)) AND i.role <= 5 AND e.is_err = 0 AND e.corrected = 0`,
      ),
      changesOfEvent: db.prepare(
        'SELECT c.seq, c.body FROM events e JOIN pack_changes c ON c.seq = e.seq WHERE e.id_key = ? AND e.event_id = ? AND e.is_err = 0',
      ),
      save: db.prepare(
        `INSERT INTO pack_state (${PACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, gtin = excluded.gtin, lot = excluded.lot,
           expiry = excluded.expiry, status = excluded.status, disposition = excluded.disposition,
           biz_step = excluded.biz_step, location = excluded.location, read_point = excluded.read_point,
           owner = excluded.owner, possessor = excluded.possessor, last_time = excluded.last_time, last_seq = excluded.last_seq`,
      ),
      delete: db.prepare('DELETE FROM pack_state WHERE id = ?'),
      children: db.prepare(`SELECT ${PACK_COLUMNS} FROM pack_state WHERE parent = ? ORDER BY id`),
      parentOf: db.prepare('SELECT parent FROM pack_state WHERE id = ?').pluck(),
    };
  }

  private statement(sql: string): Stmt {
    let st = this.cache.get(sql);
    if (!st) {
      if (this.cache.size > 200) this.cache.clear();
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  async get(ids: string[]): Promise<PackState[]> {
    return this.backend.load(ids, false);
  }

  async children(id: string): Promise<PackState[]> {
    return (this.st().children.all(id) as PackRow[]).map(stateOf);
  }

  async descendants(id: string): Promise<PackState[]> {
    const out: PackState[] = [];
    let level = [id];
    const seen = new Set(level);
    while (level.length > 0) {
      const next: string[] = [];
      const rows = this.statement(
        `SELECT ${PACK_COLUMNS} FROM pack_state WHERE parent IN (SELECT value FROM json_each(?)) ORDER BY parent, id`,
      ).all(JSON.stringify(level)) as PackRow[];
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
    const out: PackState[] = [];
    const seen = new Set([id]);
    let p = this.st().parentOf.get(id) as string | null | undefined;
    while (p != null && !seen.has(p)) {
      seen.add(p);
      const [row] = this.backend.load([p], false);
      if (!row) break;
      out.push(row);
      p = row.parent;
    }
    return out;
  }

  async inventory(groupBy: InventoryField[], filter: InventoryFilter): Promise<InventoryCount[]> {
    const g = checkGroupBy(groupBy);
    const { where, params } = whereOf(filter);
    const cols = g.map((f) => INVENTORY_COLUMNS[f]);
    const sql = `SELECT ${[...cols, 'count(*) AS n'].join(', ')} FROM pack_state WHERE ${where}${
      cols.length > 0 ? ` GROUP BY ${cols.join(', ')} ORDER BY ${cols.join(', ')}` : ''
    }`;
    const rows = this.statement(sql).all(...params) as Record<string, string | number | null>[];
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
    const after = opts.after !== undefined ? ' AND id > ?' : '';
    const rows = this.statement(
      `SELECT ${PACK_COLUMNS} FROM pack_state WHERE ${where}${after} ORDER BY id LIMIT ?`,
    ).all(...params, ...(opts.after !== undefined ? [opts.after] : []), limit + 1) as PackRow[];
    const items = rows.slice(0, limit).map(stateOf);
    return rows.length > limit ? { items, next: items[items.length - 1]!.id } : { items };
  }
}

/** Trade items only (gtin not null), plus the filters; the same text on both dialects but placeholders. */
function whereOf(f: InventoryFilter): { where: string; params: string[] } {
  const parts = ['gtin IS NOT NULL'];
  const params: string[] = [];
  for (const k of INVENTORY_FIELDS) {
    const v = f[k];
    if (v === undefined) continue;
    parts.push(`${INVENTORY_COLUMNS[k]} = ?`);
    params.push(v);
  }
  return { where: parts.join(' AND '), params };
}
