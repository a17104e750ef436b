/**
 * The Store on PostgreSQL (node-postgres). One transaction per append; every write of a unit of
 * work is a fixed-shape multi-row `INSERT … SELECT FROM unnest($1::…[], …)` (prepared once per
 * connection, no per-row round trips). Durable before acknowledged: the server's
 * synchronous_commit (default on) is left alone, so COMMIT returns after the WAL flush.
 */
import pg from 'pg';
import type {
  ApiKeyRecord,
  AppendResult,
  CaptureJob,
  EventFilter,
  EventPage,
  MasterDataElement,
  NamedQuery,
  NewEvent,
  QueryOptions,
  RxtraceStore,
  StoredEvent,
  Subscription,
  UnitOfWork,
} from '../types.ts';
import { PostgresDscsaStore } from './dscsa.ts';
import { PostgresFmdStore } from './fmd.ts';
import { MIGRATIONS } from './migrations.ts';
import { PostgresPacks } from './packs.ts';
import { monthStart, monthsOf } from './partitions.ts';
import {
  cursorAfter,
  decodeKeyCursor,
  EPC_ROLE_CODES,
  EVENT_COLUMNS,
  encodeKeyCursor,
  pageQuery,
  REFERENCE_KIND_CODES,
  ROLE_CODES,
} from './query.ts';
import { PostgresRecalls } from './recalls.ts';
import { PostgresRegistry } from './registry.ts';
import { PostgresSerialStore } from './serials.ts';
import { PostgresVerification } from './verification.ts';

export interface PostgresStoreOptions {
  /** libpq-style URL, e.g. `postgres://rxtrace:secret@127.0.0.1:5432/rxtrace`. */
  connectionString: string;
  /** Schema holding the tables (created by migrate() when missing); default `public`. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** Partition count of the hash-partitioned lookup tables, fixed when the schema is created; default 16. */
  hashPartitions?: number;
  /** Keep pack state in step with the log (default true). */
  projections?: boolean;
}

const SEEN_FIELDS = { eventType: 1, bizStep: 2, disposition: 3, readPoint: 4, bizLocation: 5 } as const;

/** `2026-03-01 09:00:00.12+00` (TimeZone=UTC, DateStyle=ISO) → `2026-03-01T09:00:00.120Z`. */
export function isoFromPg(s: string): string {
  const n = s.length;
  if (n >= 22 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 32 && s.endsWith('+00')) {
    const frac = s.charCodeAt(19) === 46 ? s.slice(20, n - 3) : '';
    return `${s.slice(0, 10)}T${s.slice(11, 19)}.${frac.padEnd(3, '0').slice(0, 3)}Z`;
  }
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1184) return isoFromPg; // timestamptz
    if (oid === 20) return Number; // int8: seq and counts stay far below 2^53
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads
    return (pg.types.getTypeParser as any)(oid, format);
  },
};

interface EventRow {
  seq: number;
  event_id: string;
  hash_id: string;
  event_type: string;
  event_time: string;
  record_time: string;
  capture_id: string;
  corrected: boolean;
  is_error_declaration: boolean;
  body: StoredEvent['event'];
}

function storedEvent(r: EventRow): StoredEvent {
  return {
    seq: r.seq,
    eventId: r.event_id,
    hashId: r.hash_id,
    eventType: r.event_type,
    eventTime: r.event_time,
    recordTime: r.record_time,
    captureId: r.capture_id,
    event: r.body,
    corrected: r.corrected,
    isErrorDeclaration: r.is_error_declaration,
  };
}

/** The prepared statements of the append path: fixed text, arrays as parameters. */
const SQL = {
  lockSeq: { name: 'rx_lock_seq', text: 'SELECT value FROM rxtrace_seq WHERE only_row FOR UPDATE' },
  setSeq: { name: 'rx_set_seq', text: 'UPDATE rxtrace_seq SET value = $1 WHERE only_row' },
  claimHashes: {
    name: 'rx_claim_hashes',
    text: `INSERT INTO event_hashes (hash_id, is_error_declaration)
      SELECT * FROM unnest($1::text[], $2::boolean[]) ON CONFLICT DO NOTHING RETURNING hash_id, is_error_declaration`,
  },
  declaredIds: {
    name: 'rx_declared_ids',
    text: 'SELECT event_id FROM declared_event_ids WHERE event_id = ANY($1::text[])',
  },
  addDeclaredIds: {
    name: 'rx_add_declared_ids',
    text: 'INSERT INTO declared_event_ids (event_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING',
  },
  insertEvents: {
    name: 'rx_insert_events',
    text: `INSERT INTO events (seq, event_time, record_time, event_id, hash_id, event_type, action, biz_step, disposition,
        read_point, biz_location, capture_id, is_error_declaration, corrected, declaration_time, error_reason,
        corrective_event_ids, body)
      SELECT u.seq, date_trunc('milliseconds', u.et::timestamptz), date_trunc('milliseconds', u.rt::timestamptz), u.eid, u.hid, u.typ,
        u.act, u.bs, u.disp, u.rp, u.bl, $18, u.decl, u.corr, date_trunc('milliseconds', u.dt::timestamptz), u.reason,
        CASE WHEN u.cids IS NULL THEN NULL ELSE u.cids::text[] END, u.body::jsonb
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
        $10::text[], $11::text[], $12::boolean[], $13::boolean[], $14::text[], $15::text[], $16::text[], $17::text[])
        AS u(seq, et, rt, eid, hid, typ, act, bs, disp, rp, bl, decl, corr, dt, reason, cids, body)`,
  },
  insertIds: {
    name: 'rx_insert_ids',
    text: `INSERT INTO event_ids (event_id, is_error_declaration, seq, event_time)
      SELECT u.i, u.d, u.s, date_trunc('milliseconds', u.t::timestamptz) FROM unnest($1::text[], $2::boolean[], $3::bigint[], $4::text[]) AS u(i, d, s, t)`,
  },
  insertIdentifiers: {
    name: 'rx_insert_identifiers',
    text: `INSERT INTO event_identifiers (id, role, seq, event_time)
      SELECT u.i, u.r, u.s, date_trunc('milliseconds', u.t::timestamptz) FROM unnest($1::text[], $2::smallint[], $3::bigint[], $4::text[]) AS u(i, r, s, t)`,
  },
  insertReferences: {
    name: 'rx_insert_references',
    text: `INSERT INTO event_references (value, kind, type, seq, event_time)
      SELECT u.v, u.k, u.ty, u.s, date_trunc('milliseconds', u.t::timestamptz)
      FROM unnest($1::text[], $2::smallint[], $3::text[], $4::bigint[], $5::text[]) AS u(v, k, ty, s, t)`,
  },
  markCorrected: {
    name: 'rx_mark_corrected',
    text: `UPDATE events e SET corrected = true FROM event_ids o
      WHERE o.event_id = ANY($1::text[]) AND NOT o.is_error_declaration
        AND e.seq = o.seq AND e.event_time = o.event_time AND NOT e.corrected`,
  },
  insertSeen: {
    name: 'rx_insert_seen',
    text: `INSERT INTO seen_values (field, value) SELECT * FROM unnest($1::smallint[], $2::text[]) ON CONFLICT DO NOTHING`,
  },
  countStored: {
    name: 'rx_count_stored',
    text: `INSERT INTO capture_event_counts (capture_id, stored) VALUES ($1, $2)
      ON CONFLICT (capture_id) DO UPDATE SET stored = capture_event_counts.stored + EXCLUDED.stored`,
  },
  putJob: {
    name: 'rx_put_job',
    text: `INSERT INTO capture_jobs (capture_id, created_at, body) VALUES ($1, $2, $3::jsonb)
      ON CONFLICT (capture_id) DO UPDATE SET created_at = EXCLUDED.created_at, body = EXCLUDED.body`,
  },
  putMasterData: {
    name: 'rx_put_master_data',
    text: `INSERT INTO master_data (type, id, children, body)
      SELECT u.t, u.i, COALESCE(u.c::text[], '{}'), u.b::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(t, i, c, b)
      ON CONFLICT (type, id) DO UPDATE SET children = EXCLUDED.children, body = EXCLUDED.body`,
  },
};

function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function isErrorDeclaration(e: NewEvent): boolean {
  return e.errorDeclaration !== undefined;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresStore implements RxtraceStore {
  readonly dialect = 'postgres';
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly hashPartitions: number;
  /** Month partitions known to exist (`YYYY-MM-01`). */
  private readonly knownMonths = new Set<string>();
  private monthsLoaded = false;
  private closed = false;
  readonly serials: PostgresSerialStore;
  readonly packs: PostgresPacks;
  readonly verification: PostgresVerification;
  readonly recalls: PostgresRecalls;
  readonly fmd: PostgresFmdStore;
  readonly dscsa: PostgresDscsaStore;
  readonly registry: PostgresRegistry;

  constructor(o: PostgresStoreOptions) {
    const schema = o.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new Error(`invalid schema name ${JSON.stringify(schema)} (lower-case letters, digits, _)`);
    this.schema = schema;
    this.hashPartitions = o.hashPartitions ?? 16;
    if (!Number.isInteger(this.hashPartitions) || this.hashPartitions < 1 || this.hashPartitions > 1024) {
      throw new Error('hashPartitions must be an integer between 1 and 1024');
    }
    this.pool = new pg.Pool({
      connectionString: o.connectionString,
      max: o.maxConnections ?? 10,
      options: `-c search_path=${schema} -c TimeZone=UTC -c DateStyle=ISO`,
      types: TYPES,
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
    this.serials = new PostgresSerialStore(this.pool);
    this.packs = new PostgresPacks(this.pool, o.projections ?? true);
    this.verification = new PostgresVerification(this.pool);
    this.recalls = new PostgresRecalls(this.pool);
    this.fmd = new PostgresFmdStore(this.pool);
    this.dscsa = new PostgresDscsaStore(this.pool);
    this.registry = new PostgresRegistry(this.pool);
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}.rxtrace_migrate`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(`CREATE TABLE IF NOT EXISTS rxtrace_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await c.query<{ version: number }>('SELECT version FROM rxtrace_migrations');
      const done = new Set(rows.map((r) => r.version));
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql({ hashPartitions: this.hashPartitions }));
        await c.query('INSERT INTO rxtrace_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
    // The current month, so the first captures do not wait for a partition.
    await this.ensurePartitions([monthStart(new Date().toISOString())]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** Creates the monthly partitions of events for these months (`YYYY-MM-01`) where missing. */
  async ensurePartitions(months: Iterable<string>): Promise<string[]> {
    if (!this.monthsLoaded) {
      for (const m of await this.eventPartitions()) this.knownMonths.add(m.month);
      this.monthsLoaded = true;
    }
    const created: string[] = [];
    for (const m of months) {
      if (this.knownMonths.has(m)) continue;
      const { rows } = await this.pool.query<{ created: boolean }>(
        'SELECT rxtrace_ensure_event_partition($1::date) AS created',
        [m],
      );
      if (rows[0]?.created) created.push(m);
      this.knownMonths.add(m);
    }
    return created;
  }

  /** The month partitions of events (name, `YYYY-MM-01`, row estimate is not computed). */
  async eventPartitions(): Promise<{ name: string; month: string }[]> {
    const { rows } = await this.pool.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE n.nspname = $1 AND p.relname = 'events' ORDER BY c.relname`,
      [this.schema],
    );
    const out: { name: string; month: string }[] = [];
    for (const r of rows) {
      const m = /FROM \('(\d+-\d\d-\d\d)/.exec(r.bound);
      if (m?.[1]) out.push({ name: r.name, month: m[1] });
    }
    return out;
  }

  async append(uow: UnitOfWork): Promise<AppendResult> {
    const events = uow.events;
    if (events.length > 0) await this.ensurePartitions(monthsOf(events.map((e) => e.eventTime)));
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const result = await this.appendIn(c, uow);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  private async appendIn(c: pg.PoolClient, uow: UnitOfWork): Promise<AppendResult> {
    const events = uow.events;
    const stored: AppendResult['stored'] = [];
    const duplicates: AppendResult['duplicates'] = [];
    if (events.length > 0) {
      // The serialisation point: held until COMMIT.
      const base = (await c.query<{ value: number }>(SQL.lockSeq)).rows[0]?.value ?? 0;
      // Claim the unit's distinct (hash ID, is declaration) keys: the ones inserted are new, the
      // others were stored before; a key's first occurrence in the unit is the one stored.
      const first = new Map<string, number>();
      const claimHashes: string[] = [];
      const claimDecls: boolean[] = [];
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as NewEvent;
        const decl = isErrorDeclaration(e);
        const key = `${decl ? 1 : 0}${e.hashId}`;
        if (first.has(key)) continue;
        first.set(key, i);
        claimHashes.push(e.hashId);
        claimDecls.push(decl);
      }
      const claimed = new Set<string>();
      const { rows } = await c.query<{ hash_id: string; is_error_declaration: boolean }>(SQL.claimHashes, [
        claimHashes,
        claimDecls,
      ]);
      for (const r of rows) claimed.add(`${r.is_error_declaration ? 1 : 0}${r.hash_id}`);
      const fresh: { e: NewEvent; seq: number; decl: boolean }[] = [];
      let seq = base;
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as NewEvent;
        const decl = isErrorDeclaration(e);
        const key = `${decl ? 1 : 0}${e.hashId}`;
        if (!claimed.has(key) || first.get(key) !== i) {
          duplicates.push({ eventId: e.eventId, hashId: e.hashId });
          continue;
        }
        seq++;
        fresh.push({ e, seq, decl });
        stored.push({ eventId: e.eventId, seq, index: i });
      }
      if (fresh.length > 0) await this.insertEvents(c, uow.captureId, fresh, seq);
    }
    if (uow.masterData && uow.masterData.length > 0) await this.putMasterDataIn(c, uow.masterData);
    if (uow.job) await this.putJobIn(c, uow.job);
    await this.packs.afterWrite(c, events, { stored, duplicates }); // pack state, same transaction
    return { stored, duplicates };
  }

  private async insertEvents(
    c: pg.PoolClient,
    captureId: string,
    fresh: { e: NewEvent; seq: number; decl: boolean }[],
    lastSeq: number,
  ): Promise<void> {
    // Originals whose eventID already has (or gets, in this unit) an error declaration are stored corrected.
    const declaredHere = new Set<string>();
    const originalIds = new Set<string>();
    for (const f of fresh) (f.decl ? declaredHere : originalIds).add(f.e.eventId);
    const declared = new Set(declaredHere);
    if (originalIds.size > 0) {
      const { rows } = await c.query<{ event_id: string }>(SQL.declaredIds, [[...originalIds]]);
      for (const r of rows) declared.add(r.event_id);
    }

    const n = fresh.length;
    const seqs: number[] = new Array(n);
    const ets: string[] = new Array(n);
    const rts: string[] = new Array(n);
    const eids: string[] = new Array(n);
    const hids: string[] = new Array(n);
    const types: string[] = new Array(n);
    const actions: (string | null)[] = new Array(n);
    const bizSteps: (string | null)[] = new Array(n);
    const dispositions: (string | null)[] = new Array(n);
    const readPoints: (string | null)[] = new Array(n);
    const bizLocations: (string | null)[] = new Array(n);
    const decls: boolean[] = new Array(n);
    const corrs: boolean[] = new Array(n);
    const declTimes: (string | null)[] = new Array(n);
    const reasons: (string | null)[] = new Array(n);
    const correctives: (string | null)[] = new Array(n);
    const bodies: string[] = new Array(n);
    const idIds: string[] = [];
    const idRoles: number[] = [];
    const idSeqs: number[] = [];
    const idTimes: string[] = [];
    const refValues: string[] = [];
    const refKinds: number[] = [];
    const refTypes: string[] = [];
    const refSeqs: number[] = [];
    const refTimes: string[] = [];
    const seenFields: number[] = [];
    const seenValues: string[] = [];
    const seenKeys = new Set<string>();
    const see = (field: number, value: string | undefined) => {
      if (value === undefined) return;
      const k = `${field}:${value}`;
      if (seenKeys.has(k)) return;
      seenKeys.add(k);
      seenFields.push(field);
      seenValues.push(value);
    };

    for (let i = 0; i < n; i++) {
      const { e, seq, decl } = fresh[i] as { e: NewEvent; seq: number; decl: boolean };
      const ev = e.event;
      seqs[i] = seq;
      ets[i] = e.eventTime;
      rts[i] = e.recordTime;
      eids[i] = e.eventId;
      hids[i] = e.hashId;
      types[i] = ev.type;
      actions[i] = ev.action ?? null;
      bizSteps[i] = ev.bizStep ?? null;
      dispositions[i] = ev.disposition ?? null;
      readPoints[i] = ev.readPoint?.id ?? null;
      bizLocations[i] = ev.bizLocation?.id ?? null;
      decls[i] = decl;
      corrs[i] = !decl && declared.has(e.eventId);
      declTimes[i] = e.errorDeclaration?.declarationTime ?? null;
      reasons[i] = e.errorDeclaration?.reason ?? null;
      correctives[i] = e.errorDeclaration ? pgTextArray(e.errorDeclaration.correctiveEventIds) : null;
      bodies[i] = JSON.stringify(ev);
      const dedupe = new Set<string>();
      for (const id of e.identifiers) {
        const role = ROLE_CODES[id.role];
        const k = `${role}:${id.id}`;
        if (dedupe.has(k)) continue;
        dedupe.add(k);
        idIds.push(id.id);
        idRoles.push(role);
        idSeqs.push(seq);
        idTimes.push(e.eventTime);
      }
      dedupe.clear();
      for (const r of e.references) {
        const kind = REFERENCE_KIND_CODES[r.kind];
        const k = `${kind}:${r.type}\u0000${r.value}`;
        if (dedupe.has(k)) continue;
        dedupe.add(k);
        refValues.push(r.value);
        refKinds.push(kind);
        refTypes.push(r.type);
        refSeqs.push(seq);
        refTimes.push(e.eventTime);
      }
      see(SEEN_FIELDS.eventType, ev.type);
      see(SEEN_FIELDS.bizStep, ev.bizStep);
      see(SEEN_FIELDS.disposition, ev.disposition);
      see(SEEN_FIELDS.readPoint, ev.readPoint?.id);
      see(SEEN_FIELDS.bizLocation, ev.bizLocation?.id);
    }

    await c.query(SQL.insertEvents, [
      seqs,
      ets,
      rts,
      eids,
      hids,
      types,
      actions,
      bizSteps,
      dispositions,
      readPoints,
      bizLocations,
      decls,
      corrs,
      declTimes,
      reasons,
      correctives,
      bodies,
      captureId,
    ]);
    await c.query(SQL.insertIds, [eids, decls, seqs, ets]);
    if (idIds.length > 0) await c.query(SQL.insertIdentifiers, [idIds, idRoles, idSeqs, idTimes]);
    if (refValues.length > 0)
      await c.query(SQL.insertReferences, [refValues, refKinds, refTypes, refSeqs, refTimes]);
    if (declaredHere.size > 0) {
      await c.query(SQL.addDeclaredIds, [[...declaredHere]]);
      await c.query(SQL.markCorrected, [[...declaredHere]]);
    }
    if (seenFields.length > 0) await c.query(SQL.insertSeen, [seenFields, seenValues]);
    await c.query(SQL.countStored, [captureId, n]);
    await c.query(SQL.setSeq, [lastSeq]);
  }

  async putCaptureJob(job: CaptureJob): Promise<void> {
    await this.putJobIn(this.pool, job);
  }

  private async putJobIn(c: pg.Pool | pg.PoolClient, job: CaptureJob): Promise<void> {
    await c.query(SQL.putJob, [job.captureId, job.createdAt, JSON.stringify(job)]);
  }

  async getCaptureJob(captureId: string): Promise<CaptureJob | undefined> {
    const { rows } = await this.pool.query<{ body: CaptureJob; stored: number }>(
      `SELECT j.body, COALESCE(n.stored, 0) AS stored FROM capture_jobs j LEFT JOIN capture_event_counts n USING (capture_id)
       WHERE j.capture_id = $1`,
      [captureId],
    );
    const r = rows[0];
    return r ? { ...r.body, eventCount: r.stored } : undefined;
  }

  async listCaptureJobs(opts: {
    limit: number;
    after?: string;
  }): Promise<{ jobs: CaptureJob[]; next?: string }> {
    const limit = Math.max(1, Math.floor(opts.limit));
    const values: unknown[] = [limit + 1];
    let where = '';
    if (opts.after !== undefined) {
      const [createdAt, id] = decodeKeyCursor(opts.after, 2);
      values.push(createdAt, id);
      where = 'WHERE (j.created_at, j.capture_id) > ($2, $3)';
    }
    const { rows } = await this.pool.query<{
      body: CaptureJob;
      created_at: string;
      capture_id: string;
      stored: number;
    }>(
      `SELECT j.body, j.created_at, j.capture_id, COALESCE(n.stored, 0) AS stored
       FROM capture_jobs j LEFT JOIN capture_event_counts n USING (capture_id)
       ${where} ORDER BY j.created_at, j.capture_id LIMIT $1`,
      values,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      jobs: page.map((r) => ({ ...r.body, eventCount: r.stored })),
      ...(more && last ? { next: encodeKeyCursor([last.created_at, last.capture_id]) } : {}),
    };
  }

  async queryEvents(filter: EventFilter, opts: QueryOptions): Promise<EventPage> {
    const q = pageQuery(filter, opts);
    const { rows } = await this.pool.query<EventRow>(q.text, q.values);
    const limit = Math.max(1, Math.floor(opts.limit));
    const more = rows.length > limit;
    const events = (more ? rows.slice(0, limit) : rows).map(storedEvent);
    const last = events[events.length - 1];
    return { events, ...(more && last ? { next: cursorAfter(q.order, q.direction, last) } : {}) };
  }

  async getEventsById(eventId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e
       WHERE (e.seq, e.event_time) IN (SELECT x.seq, x.event_time FROM event_ids x WHERE x.event_id = $1)
       ORDER BY e.seq`,
      [eventId],
    );
    return rows.map(storedEvent);
  }

  async distinctValues(
    field: 'eventType' | 'bizStep' | 'disposition' | 'readPoint' | 'bizLocation' | 'epc',
    opts: { limit: number; after?: string },
  ): Promise<{ values: string[]; next?: string }> {
    const limit = Math.max(1, Math.floor(opts.limit));
    const after = opts.after === undefined ? undefined : decodeKeyCursor(opts.after, 1)[0];
    let rows: { value: string }[];
    if (field === 'epc') {
      // Loose scan of the identifier index: one index descent per distinct value, not per row.
      ({ rows } = await this.pool.query<{ value: string }>(
        `WITH RECURSIVE d(value) AS (
           (SELECT id FROM event_identifiers WHERE role = ANY($1::smallint[]) AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT 1)
           UNION ALL
           SELECT (SELECT id FROM event_identifiers WHERE role = ANY($1::smallint[]) AND id > d.value ORDER BY id LIMIT 1)
           FROM d WHERE d.value IS NOT NULL
         )
         SELECT value FROM d WHERE value IS NOT NULL LIMIT $3`,
        [EPC_ROLE_CODES, after ?? null, limit + 1],
      ));
    } else {
      ({ rows } = await this.pool.query<{ value: string }>(
        'SELECT value FROM seen_values WHERE field = $1 AND ($2::text IS NULL OR value > $2) ORDER BY value LIMIT $3',
        [SEEN_FIELDS[field], after ?? null, limit + 1],
      ));
    }
    const more = rows.length > limit;
    const values = (more ? rows.slice(0, limit) : rows).map((r) => r.value);
    const last = values[values.length - 1];
    return { values, ...(more && last !== undefined ? { next: encodeKeyCursor([last]) } : {}) };
  }

  async lastSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ value: number }>('SELECT value FROM rxtrace_seq WHERE only_row');
    return rows[0]?.value ?? 0;
  }

  async countEvents(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM events');
    return rows[0]?.n ?? 0;
  }

  async putMasterData(elements: MasterDataElement[]): Promise<void> {
    if (elements.length === 0) return;
    await this.putMasterDataIn(this.pool, elements);
  }

  private async putMasterDataIn(c: pg.Pool | pg.PoolClient, elements: MasterDataElement[]): Promise<void> {
    // Last one wins when the same (type, id) comes twice in one call.
    const byKey = new Map<string, MasterDataElement>();
    for (const el of elements) byKey.set(`${el.type}\u0000${el.id}`, el);
    const list = [...byKey.values()];
    await c.query(SQL.putMasterData, [
      list.map((e) => e.type),
      list.map((e) => e.id),
      list.map((e) => pgTextArray(e.children ?? [])),
      list.map((e) => JSON.stringify(e)),
    ]);
  }

  async getMasterData(type?: string, ids?: string[]): Promise<MasterDataElement[]> {
    const { rows } = await this.pool.query<{ body: MasterDataElement }>(
      `SELECT body FROM master_data WHERE ($1::text IS NULL OR type = $1) AND ($2::text[] IS NULL OR id = ANY($2::text[])) ORDER BY type, id`,
      [type ?? null, ids ?? null],
    );
    return rows.map((r) => r.body);
  }

  async descendants(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH RECURSIVE d(id) AS (
         SELECT unnest($1::text[]) COLLATE "C"
         UNION
         SELECT unnest(m.children) FROM master_data m JOIN d ON m.id = d.id
       )
       SELECT id FROM d ORDER BY id`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async putNamedQuery(q: NamedQuery): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO named_queries (name, created_at, query) VALUES ($1, $2, $3::jsonb) ON CONFLICT (name) DO NOTHING',
      [q.name, q.createdAt, JSON.stringify(q.query)],
    );
    return r.rowCount === 1;
  }

  async getNamedQuery(name: string): Promise<NamedQuery | undefined> {
    const { rows } = await this.pool.query<{ name: string; created_at: string; query: unknown }>(
      'SELECT name, created_at, query FROM named_queries WHERE name = $1',
      [name],
    );
    const r = rows[0];
    return r ? { name: r.name, query: r.query, createdAt: r.created_at } : undefined;
  }

  async listNamedQueries(): Promise<NamedQuery[]> {
    const { rows } = await this.pool.query<{ name: string; created_at: string; query: unknown }>(
      'SELECT name, created_at, query FROM named_queries ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, query: r.query, createdAt: r.created_at }));
  }

  async deleteNamedQuery(name: string): Promise<boolean> {
    // Its subscriptions go with it (foreign key ON DELETE CASCADE), in the same statement.
    const r = await this.pool.query('DELETE FROM named_queries WHERE name = $1', [name]);
    return (r.rowCount ?? 0) > 0;
  }

  async putSubscription(s: Subscription): Promise<void> {
    await this.pool.query(
      `INSERT INTO subscriptions (subscription_id, query_name, created_at, body) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (subscription_id) DO UPDATE SET query_name = EXCLUDED.query_name, created_at = EXCLUDED.created_at, body = EXCLUDED.body`,
      [s.subscriptionId, s.queryName, s.createdAt, JSON.stringify(s)],
    );
  }

  async listSubscriptions(queryName?: string): Promise<Subscription[]> {
    const { rows } = await this.pool.query<{ body: Subscription }>(
      'SELECT body FROM subscriptions WHERE ($1::text IS NULL OR query_name = $1) ORDER BY created_at, subscription_id',
      [queryName ?? null],
    );
    return rows.map((r) => r.body);
  }

  async deleteSubscription(subscriptionId: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM subscriptions WHERE subscription_id = $1', [subscriptionId]);
    return (r.rowCount ?? 0) > 0;
  }

  async ackSubscription(subscriptionId: string, seq: number, notifiedAt: string): Promise<void> {
    await this.pool.query(
      `UPDATE subscriptions SET body = body || jsonb_build_object(
         'lastAckedSeq', GREATEST((body->>'lastAckedSeq')::bigint, $2::bigint), 'lastNotifiedAt', $3::text)
       WHERE subscription_id = $1`,
      [subscriptionId, seq, notifiedAt],
    );
  }

  async putApiKey(k: ApiKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_keys (key_id, created_at, body) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (key_id) DO UPDATE SET created_at = EXCLUDED.created_at, body = EXCLUDED.body`,
      [k.keyId, k.createdAt, JSON.stringify(k)],
    );
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<{ body: ApiKeyRecord }>(
      'SELECT body FROM api_keys WHERE key_id = $1',
      [keyId],
    );
    return rows[0]?.body;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<{ body: ApiKeyRecord }>(
      'SELECT body FROM api_keys ORDER BY key_id',
    );
    return rows.map((r) => r.body);
  }

  /** Runs a query in the store's schema (tests, maintenance). */
  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }
}

/** Opens (does not migrate) a PostgreSQL store; call `migrate()` before use. */
export function openPostgresStore(o: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(o);
}
