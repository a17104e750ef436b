/**
 * SerialStore on SQLite, on the SqliteStore's connection (better-sqlite3 is synchronous: each
 * method's transaction runs to its end on this thread, so it never interleaves with the event
 * store's group commits). Every write is one IMMEDIATE transaction, durable (WAL,
 * synchronous=FULL) before the promise resolves.
 *
 * Layout (migration 3, SERIALS_SQLITE_SQL): `serials` is WITHOUT ROWID keyed by (k, serial) — k a
 * small integer standing for the GTIN (`serial_keys`) — so the uniqueness check IS the insert into
 * the one B-tree, and a reservation's candidates are sorted before inserting (neighbouring keys land
 * on the same pages). Per-request data (lot, expiry, reserved for, time) is one `serial_requests`
 * row, not repeated on each serial. Unassigned (imported) serials have a small partial index per
 * pool; states are literals in the SQL (a bound parameter against a partial index's column makes
 * SQLite re-prepare at each bind).
 *
 * Migration 5 (SERIAL_REQUEST_IDS_SQLITE_SQL): `serial_request_ids`, one row per request made
 * under a client's request id — the id, what was asked (JSON) and the serials answered (a JSON
 * array, in answer order), written in the reservation's transaction.
 */
import type Database from 'better-sqlite3';
import {
  emptyCounts,
  type ReconciliationRow,
  type ReservedBatch,
  type ReserveMeta,
  repeatedSerials,
  SERIAL_STATES,
  SerialPoolExhaustedError,
  type SerialPoolRecord,
  type SerialRecord,
  SerialRequestIdTakenError,
  type SerialState,
  type SerialStore,
  type TaggedRequest,
  type TransitionInput,
  type TransitionResult,
  UnknownSerialPoolError,
} from '../serials.ts';

export const SERIALS_SQLITE_SQL = `
CREATE TABLE serial_keys (
  k INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE serial_pools (
  pool INTEGER PRIMARY KEY,
  pool_id TEXT NOT NULL UNIQUE,
  k INTEGER NOT NULL,
  kind TEXT NOT NULL,
  counter INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX serial_pools_k ON serial_pools (k, pool_id);
CREATE TABLE serial_requests (
  req INTEGER PRIMARY KEY,
  pool INTEGER NOT NULL,
  at TEXT NOT NULL,
  count INTEGER NOT NULL,
  lot TEXT,
  expiry TEXT,
  reserved_for TEXT
);
-- state: 0 unassigned, 1 reserved, 2 commissioned, 3 returned, 4 destroyed, 5 decommissioned.
-- lot / expiry: set when the serial is commissioned (before that, its request's).
CREATE TABLE serials (
  k INTEGER NOT NULL,
  serial TEXT NOT NULL,
  state INTEGER NOT NULL,
  pool INTEGER NOT NULL,
  req INTEGER,
  changed_at TEXT,
  lot TEXT,
  expiry TEXT,
  data TEXT,
  PRIMARY KEY (k, serial)
) WITHOUT ROWID;
CREATE INDEX serials_unassigned ON serials (pool, serial) WHERE state = 0;
`;

export const SERIAL_REQUEST_IDS_SQLITE_SQL = `
CREATE TABLE serial_request_ids (
  request_id TEXT PRIMARY KEY,
  req INTEGER NOT NULL,
  pool_id TEXT NOT NULL,
  ask TEXT NOT NULL,
  serials TEXT NOT NULL,
  data TEXT
);
`;

type Db = Database.Database;

/** Rows per multi-row INSERT of a reservation (one statement call instead of MANY). */
const MANY = 128;

function stateCode(s: SerialState): number {
  const i = SERIAL_STATES.indexOf(s);
  if (i < 0) throw new Error(`unknown serial state ${s}`);
  return i;
}

interface PoolRow {
  pool: number;
  pool_id: string;
  k: number;
  kind: string;
  counter: number;
  created_at: string;
  body: string;
}

export class SqliteSerialStore implements SerialStore {
  private readonly db: Db;
  private st: ReturnType<SqliteSerialStore['prepare']> | undefined;
  private readonly keyCache = new Map<string, number>();

  constructor(db: Db) {
    this.db = db;
  }

  private get s() {
    this.st ??= this.prepare();
    return this.st;
  }

  private prepare() {
    const db = this.db;
    return {
      keyOf: db.prepare('SELECT k FROM serial_keys WHERE key = ?').pluck(),
      addKey: db.prepare('INSERT INTO serial_keys (key) VALUES (?)'),
      keyName: db.prepare('SELECT key FROM serial_keys WHERE k = ?').pluck(),
      addPool: db.prepare(
        'INSERT OR IGNORE INTO serial_pools (pool_id, k, kind, created_at, body) VALUES (?, ?, ?, ?, ?)',
      ),
      pool: db.prepare('SELECT * FROM serial_pools WHERE pool_id = ?'),
      poolById: db.prepare('SELECT pool_id FROM serial_pools WHERE pool = ?').pluck(),
      pools: db.prepare(
        'SELECT p.*, k.key FROM serial_pools p JOIN serial_keys k ON k.k = p.k ORDER BY pool_id',
      ),
      poolsOf: db.prepare(
        'SELECT p.*, k.key FROM serial_pools p JOIN serial_keys k ON k.k = p.k WHERE k.key = ? ORDER BY pool_id',
      ),
      setCounter: db.prepare('UPDATE serial_pools SET counter = ? WHERE pool = ?'),
      addRequest: db.prepare(
        'INSERT INTO serial_requests (pool, at, count, lot, expiry, reserved_for) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      addTag: db.prepare(
        'INSERT OR IGNORE INTO serial_request_ids (request_id, req, pool_id, ask, serials, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      tag: db.prepare('SELECT * FROM serial_request_ids WHERE request_id = ?'),
      insertReserved: db.prepare(
        'INSERT OR IGNORE INTO serials (k, serial, state, pool, req) VALUES (?, ?, 1, ?, ?)',
      ),
      insertReservedMany: db.prepare(
        `INSERT OR IGNORE INTO serials (k, serial, state, pool, req) VALUES ${Array(MANY).fill('(?, ?, 1, ?, ?)').join(', ')}`,
      ),
      reqOf: db.prepare('SELECT req FROM serials WHERE k = ? AND serial = ?').pluck(),
      insertUnassigned: db.prepare(
        'INSERT OR IGNORE INTO serials (k, serial, state, pool, changed_at, data) VALUES (?, ?, 0, ?, ?, ?)',
      ),
      takeListed: db.prepare(
        'SELECT serial, data FROM serials WHERE pool = ? AND state = 0 ORDER BY serial LIMIT ?',
      ),
      markListed: db.prepare(
        'UPDATE serials SET state = 1, req = ?, changed_at = ? WHERE k = ? AND serial = ?',
      ),
      stateOf: db.prepare('SELECT state FROM serials WHERE k = ? AND serial = ?').pluck(),
      setState: db.prepare(
        'UPDATE serials SET state = ?, changed_at = ?, lot = coalesce(?, lot), expiry = coalesce(?, expiry) WHERE k = ? AND serial = ?',
      ),
      insertState: db.prepare(
        'INSERT INTO serials (k, serial, state, pool, changed_at, lot, expiry) VALUES (?, ?, ?, 0, ?, ?, ?)',
      ),
      serial: db.prepare(
        `SELECT s.state, s.pool, s.changed_at, s.data, coalesce(s.lot, r.lot) AS lot, coalesce(s.expiry, r.expiry) AS expiry,
                r.reserved_for, r.at AS reserved_at
           FROM serials s LEFT JOIN serial_requests r ON r.req = s.req WHERE s.k = ? AND s.serial = ?`,
      ),
      reconcile: db.prepare(
        `SELECT coalesce(s.lot, r.lot) AS lot, s.state, count(*) AS n
           FROM serials s LEFT JOIN serial_requests r ON r.req = s.req WHERE s.k = ? GROUP BY 1, 2`,
      ),
      poolCounts: db.prepare(
        'SELECT state, count(*) AS n FROM serials WHERE k = ? AND pool = ? GROUP BY state',
      ),
    };
  }

  /** The integer standing for a key; created when `create`. */
  private keyId(key: string, create: boolean): number | undefined {
    const hit = this.keyCache.get(key);
    if (hit !== undefined) return hit;
    let k = this.s.keyOf.get(key) as number | undefined;
    if (k === undefined) {
      if (!create) return undefined;
      k = Number(this.s.addKey.run(key).lastInsertRowid);
    }
    this.keyCache.set(key, k);
    return k;
  }

  private poolRow(poolId: string): PoolRow {
    const r = this.s.pool.get(poolId) as PoolRow | undefined;
    if (!r) throw new UnknownSerialPoolError(poolId);
    return r;
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async createPool(p: SerialPoolRecord): Promise<boolean> {
    return this.tx(() => {
      const k = this.keyId(p.key, true)!;
      return this.s.addPool.run(p.poolId, k, p.kind, p.createdAt, JSON.stringify(p.config)).changes === 1;
    });
  }

  private toRecord(r: PoolRow & { key: string }): SerialPoolRecord {
    return {
      poolId: r.pool_id,
      key: r.key,
      kind: r.kind as SerialPoolRecord['kind'],
      createdAt: r.created_at,
      config: JSON.parse(r.body) as Record<string, unknown>,
    };
  }

  async getPool(poolId: string): Promise<SerialPoolRecord | undefined> {
    const r = this.s.pool.get(poolId) as PoolRow | undefined;
    if (!r) return undefined;
    return this.toRecord({ ...r, key: this.s.keyName.get(r.k) as string });
  }

  async listPools(key?: string): Promise<SerialPoolRecord[]> {
    const rows = (key === undefined ? this.s.pools.all() : this.s.poolsOf.all(key)) as (PoolRow & {
      key: string;
    })[];
    return rows.map((r) => this.toRecord(r));
  }

  private addRequest(pool: number, m: ReserveMeta): number {
    return Number(
      this.s.addRequest.run(pool, m.at, m.count, m.lot ?? null, m.expiry ?? null, m.reservedFor ?? null)
        .lastInsertRowid,
    );
  }

  /** The batch, after recording it under the client's request id when there is one. */
  private tagged(m: ReserveMeta, b: ReservedBatch): ReservedBatch {
    if (m.tag) {
      const data = b.data ? JSON.stringify(b.data) : null;
      const r = this.s.addTag.run(
        m.tag.id,
        b.requestId,
        m.poolId,
        JSON.stringify(m.tag.ask),
        JSON.stringify(b.serials),
        data,
      );
      if (r.changes !== 1) throw new SerialRequestIdTakenError(m.tag.id); // rolls the reservation back
    }
    return b;
  }

  async findRequest(id: string): Promise<TaggedRequest | undefined> {
    const r = this.s.tag.get(id) as
      | {
          request_id: string;
          req: number;
          pool_id: string;
          ask: string;
          serials: string;
          data: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.request_id,
      ask: JSON.parse(r.ask) as Record<string, unknown>,
      poolId: r.pool_id,
      reservation: r.req,
      serials: JSON.parse(r.serials) as string[],
      data: r.data === null ? null : (JSON.parse(r.data) as (Record<string, string> | null)[]),
    };
  }

  async reserveRandom(m: ReserveMeta & { generate: (n: number) => string[] }): Promise<ReservedBatch> {
    return this.tx(() => {
      const p = this.poolRow(m.poolId);
      const req = this.addRequest(p.pool, m);
      const ins = this.s.insertReserved;
      const out: string[] = [];
      let want = m.count;
      let rounds = 0;
      const many = this.s.insertReservedMany;
      const args: unknown[] = new Array(MANY * 4);
      for (let j = 0; j < MANY; j++) {
        args[j * 4] = p.k;
        args[j * 4 + 2] = p.pool;
        args[j * 4 + 3] = req;
      }
      while (want > 0) {
        if (++rounds > 64)
          throw new SerialPoolExhaustedError(
            `pool ${m.poolId}: new random serials keep colliding with issued ones — the serial space is used up`,
          );
        let cand = m.generate(want);
        cand.sort();
        let i = 0;
        if (rounds === 1) {
          // First round: the candidates, sorted, deduplicated, go in MANY at a time. A short
          // count of changes means some existed already: those rows carry another request's id
          // (every other candidate of this round is distinct and not yet inserted).
          cand = cand.filter((c, j) => j === 0 || c !== cand[j - 1]);
          for (; i + MANY <= cand.length; i += MANY) {
            for (let j = 0; j < MANY; j++) args[j * 4 + 1] = cand[i + j];
            const n = many.run(...args).changes;
            if (n === MANY) {
              for (let j = i; j < i + MANY; j++) out.push(cand[j]!);
            } else {
              for (let j = i; j < i + MANY; j++)
                if (this.s.reqOf.get(p.k, cand[j]) === req) out.push(cand[j]!);
            }
          }
          want = m.count - out.length;
        }
        let prev: string | undefined;
        for (; i < cand.length; i++) {
          const c = cand[i]!;
          if (c === prev) continue; // a repeat within the batch (sorted: neighbours)
          prev = c;
          if (ins.run(p.k, c, p.pool, req).changes === 1) {
            out.push(c);
            want--;
          }
        }
      }
      return this.tagged(m, { requestId: req, serials: out });
    });
  }

  async reserveCounter(
    m: ReserveMeta & { limit: number; format: (i: number) => string },
  ): Promise<ReservedBatch> {
    return this.tx(() => {
      const p = this.poolRow(m.poolId);
      const req = this.addRequest(p.pool, m);
      const ins = this.s.insertReserved;
      const out: string[] = [];
      let i = p.counter;
      while (out.length < m.count) {
        if (i >= m.limit)
          throw new SerialPoolExhaustedError(
            `pool ${m.poolId} is exhausted: ${m.count} serials asked, ${out.length} left before its end`,
          );
        const s = m.format(i++);
        if (ins.run(p.k, s, p.pool, req).changes === 1) out.push(s);
      }
      this.s.setCounter.run(i, p.pool);
      return this.tagged(m, { requestId: req, serials: out });
    });
  }

  async reserveListed(m: ReserveMeta): Promise<ReservedBatch> {
    return this.tx(() => {
      const p = this.poolRow(m.poolId);
      const rows = this.s.takeListed.all(p.pool, m.count) as { serial: string; data: string | null }[];
      if (rows.length < m.count)
        throw new SerialPoolExhaustedError(
          `pool ${m.poolId} has ${rows.length} unassigned serials; ${m.count} were asked (import more)`,
        );
      const req = this.addRequest(p.pool, m);
      for (const r of rows) this.s.markListed.run(req, m.at, p.k, r.serial);
      return this.tagged(m, {
        requestId: req,
        serials: rows.map((r) => r.serial),
        data: rows.map((r) => (r.data === null ? null : (JSON.parse(r.data) as Record<string, string>))),
      });
    });
  }

  async importSerials(
    poolId: string,
    items: { serial: string; data?: Record<string, string> | undefined }[],
    at: string,
  ): Promise<{ added: number; duplicates: string[] }> {
    return this.tx(() => {
      const p = this.poolRow(poolId);
      const duplicates: string[] = [];
      let added = 0;
      const sorted = [...items].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
      for (const it of sorted) {
        const data = it.data && Object.keys(it.data).length ? JSON.stringify(it.data) : null;
        if (this.s.insertUnassigned.run(p.k, it.serial, p.pool, at, data).changes === 1) added++;
        else duplicates.push(it.serial);
      }
      return { added, duplicates };
    });
  }

  async transition(t: TransitionInput): Promise<TransitionResult> {
    const to = stateCode(t.to);
    const from = new Set(t.from.map(stateCode));
    return this.tx(() => {
      const refused: TransitionResult['refused'] = [];
      const k = this.keyId(t.key, t.addUnknown === true);
      if (k === undefined)
        return {
          ok: false,
          changed: 0,
          added: 0,
          refused: t.serials.map((serial) => ({ serial, state: null })),
        };
      const unknown: string[] = [];
      for (const serial of t.serials) {
        const st = this.s.stateOf.get(k, serial) as number | undefined;
        if (st === undefined) {
          if (t.addUnknown) unknown.push(serial);
          else refused.push({ serial, state: null });
        } else if (!from.has(st)) refused.push({ serial, state: SERIAL_STATES[st]! });
      }
      const rep = repeatedSerials(t.serials);
      if (refused.length || rep.length) {
        for (const serial of rep) refused.push({ serial, state: null });
        return { ok: false, changed: 0, added: 0, refused };
      }
      const lot = t.lot ?? null;
      const expiry = t.expiry ?? null;
      const known = new Set(unknown);
      let changed = 0;
      for (const serial of t.serials) {
        if (known.has(serial)) continue;
        changed += this.s.setState.run(to, t.at, lot, expiry, k, serial).changes;
      }
      for (const serial of unknown) this.s.insertState.run(k, serial, to, t.at, lot, expiry);
      return { ok: true, changed, added: unknown.length, refused: [] };
    });
  }

  async statesOf(key: string, serials: string[]): Promise<(SerialState | null)[]> {
    const k = this.keyId(key, false);
    return serials.map((s) => {
      const st = k === undefined ? undefined : (this.s.stateOf.get(k, s) as number | undefined);
      return st === undefined ? null : SERIAL_STATES[st]!;
    });
  }

  async getSerial(key: string, serial: string): Promise<SerialRecord | undefined> {
    const k = this.keyId(key, false);
    if (k === undefined) return undefined;
    const r = this.s.serial.get(k, serial) as
      | {
          state: number;
          pool: number;
          changed_at: string | null;
          data: string | null;
          lot: string | null;
          expiry: string | null;
          reserved_for: string | null;
          reserved_at: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      key,
      serial,
      state: SERIAL_STATES[r.state]!,
      poolId: r.pool === 0 ? null : ((this.s.poolById.get(r.pool) as string | undefined) ?? null),
      lot: r.lot,
      expiry: r.expiry,
      reservedFor: r.reserved_for,
      reservedAt: r.reserved_at,
      changedAt: r.changed_at ?? r.reserved_at,
      data: r.data === null ? null : (JSON.parse(r.data) as Record<string, string>),
    };
  }

  async reconcile(key: string, lot?: string): Promise<ReconciliationRow[]> {
    const k = this.keyId(key, false);
    if (k === undefined) return [];
    const byLot = new Map<string | null, ReconciliationRow>();
    for (const r of this.s.reconcile.all(k) as { lot: string | null; state: number; n: number }[]) {
      if (lot !== undefined && r.lot !== lot) continue;
      let row = byLot.get(r.lot);
      if (!row) byLot.set(r.lot, (row = { key, lot: r.lot, counts: emptyCounts() }));
      row.counts[SERIAL_STATES[r.state]!] += r.n;
    }
    return [...byLot.values()].sort((a, b) => ((a.lot ?? '') < (b.lot ?? '') ? -1 : 1));
  }

  async poolCounts(poolId: string): Promise<Record<SerialState, number>> {
    const p = this.poolRow(poolId);
    const c = emptyCounts();
    for (const r of this.s.poolCounts.all(p.k, p.pool) as { state: number; n: number }[])
      c[SERIAL_STATES[r.state]!] = r.n;
    return c;
  }
}
