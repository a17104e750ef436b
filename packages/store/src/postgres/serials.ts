/**
 * SerialStore on PostgreSQL. Every write is one transaction (COMMIT returns after the WAL flush);
 * candidates go in as one array per statement (`INSERT … SELECT FROM unnest($n::text[]) ON
 * CONFLICT DO NOTHING RETURNING serial`): the unique key (key, serial) decides, and the RETURNING
 * list says which candidates were new, so collisions are replaced without a round trip per row.
 * Counter pools lock their pool row (SELECT … FOR UPDATE) for the transaction; list pools take
 * their unassigned serials with FOR UPDATE SKIP LOCKED, so concurrent requests get disjoint sets.
 * A request made under a client's request id ends with its `serial_request_ids` row (migration 5):
 * a concurrent request with the same id waits on the primary key, then finds it taken and rolls
 * its own reservation back.
 */
import type pg from 'pg';
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

const T = 'text COLLATE "C"';

export const SERIALS_POSTGRES_SQL = `
CREATE TABLE serial_pools (
  pool_id ${T} PRIMARY KEY,
  key ${T} NOT NULL,
  kind ${T} NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  created_at ${T} NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX serial_pools_key ON serial_pools (key, pool_id);
CREATE TABLE serial_requests (
  req bigserial PRIMARY KEY,
  pool_id ${T} NOT NULL,
  at ${T} NOT NULL,
  count integer NOT NULL,
  lot ${T},
  expiry ${T},
  reserved_for ${T}
);
-- state: 0 unassigned, 1 reserved, 2 commissioned, 3 returned, 4 destroyed, 5 decommissioned.
CREATE TABLE serials (
  key ${T} NOT NULL,
  serial ${T} NOT NULL,
  state smallint NOT NULL,
  pool_id ${T},
  req bigint,
  changed_at ${T},
  lot ${T},
  expiry ${T},
  data jsonb,
  PRIMARY KEY (key, serial)
);
CREATE INDEX serials_unassigned ON serials (pool_id, serial) WHERE state = 0;
`;

export const SERIAL_REQUEST_IDS_POSTGRES_SQL = `
CREATE TABLE serial_request_ids (
  request_id ${T} PRIMARY KEY,
  req bigint NOT NULL,
  pool_id ${T} NOT NULL,
  ask jsonb NOT NULL,
  serials jsonb NOT NULL,
  data jsonb
);
`;

type Client = pg.PoolClient;

function code(s: SerialState): number {
  const i = SERIAL_STATES.indexOf(s);
  if (i < 0) throw new Error(`unknown serial state ${s}`);
  return i;
}

interface PoolRow {
  pool_id: string;
  key: string;
  kind: string;
  counter: number;
  created_at: string;
  body: Record<string, unknown>;
}

export class PostgresSerialStore implements SerialStore {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  private async tx<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  private async poolRow(c: Client | pg.Pool, poolId: string, lock = false): Promise<PoolRow> {
    const { rows } = await c.query<PoolRow>(
      `SELECT * FROM serial_pools WHERE pool_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [poolId],
    );
    if (!rows[0]) throw new UnknownSerialPoolError(poolId);
    return rows[0];
  }

  private static record(r: PoolRow): SerialPoolRecord {
    return {
      poolId: r.pool_id,
      key: r.key,
      kind: r.kind as SerialPoolRecord['kind'],
      createdAt: r.created_at,
      config: r.body,
    };
  }

  async createPool(p: SerialPoolRecord): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO serial_pools (pool_id, key, kind, created_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [p.poolId, p.key, p.kind, p.createdAt, JSON.stringify(p.config)],
    );
    return r.rowCount === 1;
  }

  async getPool(poolId: string): Promise<SerialPoolRecord | undefined> {
    const { rows } = await this.pool.query<PoolRow>('SELECT * FROM serial_pools WHERE pool_id = $1', [
      poolId,
    ]);
    return rows[0] ? PostgresSerialStore.record(rows[0]) : undefined;
  }

  async listPools(key?: string): Promise<SerialPoolRecord[]> {
    const { rows } =
      key === undefined
        ? await this.pool.query<PoolRow>('SELECT * FROM serial_pools ORDER BY pool_id')
        : await this.pool.query<PoolRow>('SELECT * FROM serial_pools WHERE key = $1 ORDER BY pool_id', [key]);
    return rows.map(PostgresSerialStore.record);
  }

  private async addRequest(c: Client, m: ReserveMeta): Promise<number> {
    const { rows } = await c.query<{ req: number }>(
      'INSERT INTO serial_requests (pool_id, at, count, lot, expiry, reserved_for) VALUES ($1, $2, $3, $4, $5, $6) RETURNING req',
      [m.poolId, m.at, m.count, m.lot ?? null, m.expiry ?? null, m.reservedFor ?? null],
    );
    return Number(rows[0]!.req);
  }

  /** The batch, after recording it under the client's request id when there is one. */
  private async tagged(c: Client, m: ReserveMeta, b: ReservedBatch): Promise<ReservedBatch> {
    if (m.tag) {
      const r = await c.query(
        `INSERT INTO serial_request_ids (request_id, req, pool_id, ask, serials, data)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          m.tag.id,
          b.requestId,
          m.poolId,
          JSON.stringify(m.tag.ask),
          JSON.stringify(b.serials),
          b.data ? JSON.stringify(b.data) : null,
        ],
      );
      if (r.rowCount !== 1) throw new SerialRequestIdTakenError(m.tag.id); // rolls the reservation back
    }
    return b;
  }

  async findRequest(id: string): Promise<TaggedRequest | undefined> {
    const { rows } = await this.pool.query<{
      request_id: string;
      req: string;
      pool_id: string;
      ask: Record<string, unknown>;
      serials: string[];
      data: (Record<string, string> | null)[] | null;
    }>('SELECT * FROM serial_request_ids WHERE request_id = $1', [id]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.request_id,
      ask: r.ask,
      poolId: r.pool_id,
      reservation: Number(r.req),
      serials: r.serials,
      data: r.data,
    };
  }

  /** Inserts candidates as reserved; the ones that were new, in candidate order. */
  private async insertReserved(
    c: Client,
    key: string,
    poolId: string,
    req: number,
    cand: string[],
  ): Promise<string[]> {
    const { rows } = await c.query<{ serial: string }>(
      `INSERT INTO serials (key, serial, state, pool_id, req)
       SELECT $1, s, 1, $2, $3 FROM unnest($4::text[]) AS s ORDER BY s
       ON CONFLICT DO NOTHING RETURNING serial`,
      [key, poolId, req, cand],
    );
    const got = new Set(rows.map((r) => r.serial));
    return cand.filter((s) => got.has(s));
  }

  async reserveRandom(m: ReserveMeta & { generate: (n: number) => string[] }): Promise<ReservedBatch> {
    return this.tx(async (c) => {
      const p = await this.poolRow(c, m.poolId);
      const req = await this.addRequest(c, m);
      const out: string[] = [];
      let rounds = 0;
      while (out.length < m.count) {
        if (++rounds > 64)
          throw new SerialPoolExhaustedError(
            `pool ${m.poolId}: new random serials keep colliding with issued ones — the serial space is used up`,
          );
        const cand = [...new Set(m.generate(m.count - out.length))];
        out.push(...(await this.insertReserved(c, p.key, p.pool_id, req, cand)));
      }
      return this.tagged(c, m, { requestId: req, serials: out });
    });
  }

  async reserveCounter(
    m: ReserveMeta & { limit: number; format: (i: number) => string },
  ): Promise<ReservedBatch> {
    return this.tx(async (c) => {
      const p = await this.poolRow(c, m.poolId, true);
      const req = await this.addRequest(c, m);
      const out: string[] = [];
      let i = Number(p.counter);
      while (out.length < m.count) {
        const n = Math.min(m.count - out.length, m.limit - i);
        if (n <= 0)
          throw new SerialPoolExhaustedError(
            `pool ${m.poolId} is exhausted: ${m.count} serials asked, ${out.length} left before its end`,
          );
        const cand: string[] = [];
        for (let j = 0; j < n; j++) cand.push(m.format(i++));
        out.push(...(await this.insertReserved(c, p.key, p.pool_id, req, cand)));
      }
      await c.query('UPDATE serial_pools SET counter = $1 WHERE pool_id = $2', [i, p.pool_id]);
      return this.tagged(c, m, { requestId: req, serials: out });
    });
  }

  async reserveListed(m: ReserveMeta): Promise<ReservedBatch> {
    return this.tx(async (c) => {
      const p = await this.poolRow(c, m.poolId);
      const { rows } = await c.query<{ serial: string; data: Record<string, string> | null }>(
        'SELECT serial, data FROM serials WHERE pool_id = $1 AND state = 0 ORDER BY serial LIMIT $2 FOR UPDATE SKIP LOCKED',
        [p.pool_id, m.count],
      );
      if (rows.length < m.count)
        throw new SerialPoolExhaustedError(
          `pool ${m.poolId} has ${rows.length} unassigned serials available; ${m.count} were asked (import more)`,
        );
      const req = await this.addRequest(c, m);
      await c.query(
        'UPDATE serials SET state = 1, req = $1, changed_at = $2 WHERE key = $3 AND serial = ANY($4::text[])',
        [req, m.at, p.key, rows.map((r) => r.serial)],
      );
      return this.tagged(c, m, {
        requestId: req,
        serials: rows.map((r) => r.serial),
        data: rows.map((r) => r.data),
      });
    });
  }

  async importSerials(
    poolId: string,
    items: { serial: string; data?: Record<string, string> | undefined }[],
    at: string,
  ): Promise<{ added: number; duplicates: string[] }> {
    return this.tx(async (c) => {
      const p = await this.poolRow(c, poolId);
      const serials = items.map((i) => i.serial);
      const data = items.map((i) => (i.data && Object.keys(i.data).length ? JSON.stringify(i.data) : null));
      const { rows } = await c.query<{ serial: string }>(
        `INSERT INTO serials (key, serial, state, pool_id, changed_at, data)
         SELECT $1, s, 0, $2, $3, d::jsonb FROM unnest($4::text[], $5::text[]) AS u(s, d) ORDER BY s
         ON CONFLICT DO NOTHING RETURNING serial`,
        [p.key, p.pool_id, at, serials, data],
      );
      const got = new Set(rows.map((r) => r.serial));
      const duplicates: string[] = [];
      for (const s of serials) {
        if (got.has(s)) got.delete(s);
        else duplicates.push(s);
      }
      return { added: rows.length, duplicates };
    });
  }

  async transition(t: TransitionInput): Promise<TransitionResult> {
    const to = code(t.to);
    const from = new Set(t.from.map(code));
    return this.tx(async (c) => {
      const { rows } = await c.query<{ serial: string; state: number }>(
        'SELECT serial, state FROM serials WHERE key = $1 AND serial = ANY($2::text[]) ORDER BY serial FOR UPDATE',
        [t.key, t.serials],
      );
      const state = new Map(rows.map((r) => [r.serial, r.state]));
      const refused: TransitionResult['refused'] = [];
      const unknown: string[] = [];
      for (const serial of t.serials) {
        const st = state.get(serial);
        if (st === undefined) {
          if (t.addUnknown) unknown.push(serial);
          else refused.push({ serial, state: null });
        } else if (!from.has(st)) refused.push({ serial, state: SERIAL_STATES[st]! });
      }
      for (const serial of repeatedSerials(t.serials)) refused.push({ serial, state: null });
      if (refused.length) return { ok: false, changed: 0, added: 0, refused };
      const known = t.serials.filter((s) => state.has(s));
      const r = await c.query(
        `UPDATE serials SET state = $1, changed_at = $2, lot = coalesce($3, lot), expiry = coalesce($4, expiry)
          WHERE key = $5 AND serial = ANY($6::text[])`,
        [to, t.at, t.lot ?? null, t.expiry ?? null, t.key, known],
      );
      if (unknown.length)
        await c.query(
          `INSERT INTO serials (key, serial, state, pool_id, changed_at, lot, expiry)
           SELECT $1, s, $2, NULL, $3, $4, $5 FROM unnest($6::text[]) AS s`,
          [t.key, to, t.at, t.lot ?? null, t.expiry ?? null, unknown],
        );
      return { ok: true, changed: r.rowCount ?? 0, added: unknown.length, refused: [] };
    });
  }

  async statesOf(key: string, serials: string[]): Promise<(SerialState | null)[]> {
    const { rows } = await this.pool.query<{ serial: string; state: number }>(
      'SELECT serial, state FROM serials WHERE key = $1 AND serial = ANY($2::text[])',
      [key, serials],
    );
    const m = new Map(rows.map((r) => [r.serial, r.state]));
    return serials.map((s) => {
      const st = m.get(s);
      return st === undefined ? null : SERIAL_STATES[st]!;
    });
  }

  async getSerial(key: string, serial: string): Promise<SerialRecord | undefined> {
    const { rows } = await this.pool.query<{
      state: number;
      pool_id: string | null;
      changed_at: string | null;
      data: Record<string, string> | null;
      lot: string | null;
      expiry: string | null;
      reserved_for: string | null;
      reserved_at: string | null;
    }>(
      `SELECT s.state, s.pool_id, s.changed_at, s.data, coalesce(s.lot, r.lot) AS lot, coalesce(s.expiry, r.expiry) AS expiry,
              r.reserved_for, r.at AS reserved_at
         FROM serials s LEFT JOIN serial_requests r ON r.req = s.req WHERE s.key = $1 AND s.serial = $2`,
      [key, serial],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      key,
      serial,
      state: SERIAL_STATES[r.state]!,
      poolId: r.pool_id,
      lot: r.lot,
      expiry: r.expiry,
      reservedFor: r.reserved_for,
      reservedAt: r.reserved_at,
      changedAt: r.changed_at ?? r.reserved_at,
      data: r.data,
    };
  }

  async reconcile(key: string, lot?: string): Promise<ReconciliationRow[]> {
    const { rows } = await this.pool.query<{ lot: string | null; state: number; n: string }>(
      `SELECT coalesce(s.lot, r.lot) AS lot, s.state, count(*) AS n
         FROM serials s LEFT JOIN serial_requests r ON r.req = s.req WHERE s.key = $1 GROUP BY 1, 2`,
      [key],
    );
    const byLot = new Map<string | null, ReconciliationRow>();
    for (const r of rows) {
      if (lot !== undefined && r.lot !== lot) continue;
      let row = byLot.get(r.lot);
      if (!row) byLot.set(r.lot, (row = { key, lot: r.lot, counts: emptyCounts() }));
      row.counts[SERIAL_STATES[r.state]!] += Number(r.n);
    }
    return [...byLot.values()].sort((a, b) => ((a.lot ?? '') < (b.lot ?? '') ? -1 : 1));
  }

  async poolCounts(poolId: string): Promise<Record<SerialState, number>> {
    const p = await this.poolRow(this.pool, poolId);
    const { rows } = await this.pool.query<{ state: number; n: string }>(
      'SELECT state, count(*) AS n FROM serials WHERE key = $1 AND pool_id = $2 GROUP BY state',
      [p.key, p.pool_id],
    );
    const c = emptyCounts();
    for (const r of rows) c[SERIAL_STATES[r.state]!] = Number(r.n);
    return c;
  }
}
