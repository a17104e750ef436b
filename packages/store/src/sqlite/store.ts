/**
 * The SQLite Store (better-sqlite3): WAL journal, `synchronous=FULL` (a resolved `append` survives
 * a crash of the process or the machine), prepared statements, one transaction per unit of work.
 *
 * Group commit: `append` queues its unit; the queue is written on the next turn of the event loop,
 * all queued units in ONE transaction (one fsync), each unit inside its own SAVEPOINT — a unit that
 * fails rolls back to its savepoint and rejects alone, the others commit. A single unit (the usual
 * case, one per captured document) is written in a plain transaction.
 *
 * better-sqlite3 is synchronous: statements run on the calling thread. That is the fastest way to
 * SQLite from Node (no thread hop per statement), and one connection serialises the writers of
 * this process; other processes wait for the write lock up to `busy_timeout`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidCursorError } from '../errors.ts';
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
  SyncUnitWriter,
  UnitOfWork,
} from '../types.ts';
import { SqliteDscsaStore } from './dscsa.ts';
import { SqliteFmdStore } from './fmd.ts';
import { key52 } from './keys.ts';
import { SqlitePacks } from './packs.ts';
import {
  buildEventQuery,
  decodeToken,
  EVENT_COLUMNS,
  encodeCursor,
  encodeToken,
  facetCondition,
  toMillis,
} from './query.ts';
import { SqliteRecalls } from './recalls.ts';
import { SqliteRegistry } from './registry.ts';
import { MIGRATIONS, REF_KINDS, ROLE_CODES } from './schema.ts';
import { SqliteSerialStore } from './serials.ts';
import { SqliteVerification } from './verification.ts';

export interface SqliteStoreOptions {
  /** Database file (its directory is created on first use), or `':memory:'` for tests. */
  file: string;
  /** How long a writer waits for another process's write lock (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Page cache size in KiB. Default 65536 (64 MiB). */
  cacheKiB?: number;
  /** Most units written in one group-commit transaction. Default 64. */
  maxUnitsPerCommit?: number;
  /** Keep pack state in step with the log (default true). */
  projections?: boolean;
}

type Db = Database.Database;
type Stmt = Database.Statement;

interface EventRow {
  seq: number;
  event_time: number;
  record_time: number;
  is_err: number;
  corrected: number;
  event_id: string;
  hash_id: string;
  capture_id: string;
  body: string;
}

interface Pending {
  uow: UnitOfWork;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

const DISTINCT_COLUMNS = {
  eventType: 'type',
  bizStep: 'biz_step',
  disposition: 'disposition',
  readPoint: 'read_point',
  bizLocation: 'biz_location',
} as const;

const INSTANCE_ROLES = [
  ROLE_CODES.epc,
  ROLE_CODES.parent,
  ROLE_CODES.child,
  ROLE_CODES.input,
  ROLE_CODES.output,
].join(',');

/** Opens (creating when needed) a SQLite store. Call `migrate()` before use. */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  return new SqliteStore(opts);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function toStored(r: EventRow): StoredEvent {
  const event = JSON.parse(r.body) as StoredEvent['event'];
  // The text of an event prepared by a capture worker has no recordTime: the column is the one.
  event.recordTime = iso(r.record_time);
  return {
    seq: r.seq,
    eventId: r.event_id,
    hashId: r.hash_id,
    eventType: event.type,
    eventTime: iso(r.event_time),
    recordTime: iso(r.record_time),
    captureId: r.capture_id,
    event,
    corrected: r.corrected === 1,
    isErrorDeclaration: r.is_err === 1,
  };
}

export class SqliteStore implements RxtraceStore {
  readonly dialect = 'sqlite';
  readonly file: string;
  private readonly db: Db;
  private readonly maxUnits: number;
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private readonly facetCache = new Map<string, number>();
  private readonly newFacets: string[] = [];
  private sinceOptimize = 0;
  private declared: Set<number> | undefined;
  private dataVersion = -1;
  private closed = false;
  private migrated = false;
  private readonly queryCache = new Map<string, Stmt>();
  private s!: ReturnType<SqliteStore['prepareAll']>;
  readonly serials: SqliteSerialStore;
  readonly registry: SqliteRegistry;
  readonly packs: SqlitePacks;
  readonly verification: SqliteVerification;
  readonly recalls: SqliteRecalls;
  readonly fmd: SqliteFmdStore;
  readonly dscsa: SqliteDscsaStore;

  constructor(opts: SqliteStoreOptions) {
    this.file = opts.file;
    this.maxUnits = opts.maxUnitsPerCommit ?? 64;
    const memory = opts.file === ':memory:' || opts.file === '';
    if (!memory) mkdirSync(dirname(opts.file), { recursive: true });
    this.db = new Database(opts.file);
    this.db.pragma(`busy_timeout = ${Math.floor(opts.busyTimeoutMs ?? 5000)}`);
    if (!memory) this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`cache_size = -${Math.floor(opts.cacheKiB ?? 65536)}`);
    this.db.pragma('temp_store = MEMORY');
    this.serials = new SqliteSerialStore(this.db);
    this.registry = new SqliteRegistry(this.db, () => this.assertReady());
    this.packs = new SqlitePacks(this.db, opts.projections ?? true);
    this.verification = new SqliteVerification(this.db);
    this.recalls = new SqliteRecalls(this.db, () => this.assertReady());
    this.fmd = new SqliteFmdStore(this.db, () => this.assertReady());
    this.dscsa = new SqliteDscsaStore(this.db);
  }

  // ---------------------------------------------------------------------------------------------
  // Schema

  async migrate(): Promise<void> {
    this.assertOpen();
    const db = this.db;
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    for (const m of MIGRATIONS) {
      db.transaction(() => {
        const done = db.prepare('SELECT 1 FROM schema_version WHERE version = ?').pluck().get(m.version);
        if (done) return;
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
      }).immediate();
    }
    const current = db.prepare('SELECT max(version) FROM schema_version').pluck().get() as number;
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    if (current > latest)
      throw new Error(`database schema version ${current} is newer than this rxtrace (${latest})`);
    if (!this.migrated) {
      // Planner statistics (sampled, bounded work): with them SQLite knows that a bizStep or an
      // eventType matches many events and a lookup few. Refreshed as the log grows (flush).
      db.pragma('analysis_limit = 1000');
      db.pragma('optimize = 0x10002');
      this.s = this.prepareAll();
      this.migrated = true;
    }
  }

  private prepareAll() {
    const db = this.db;
    return {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      // is_err is written as a literal, one statement per value: a bound parameter compared with
      // a column that a partial index's WHERE names (events_declarations, events_declared_ids: is_err
      // = 1) makes SQLite prepare the statement again at every bind (it decides per value whether
      // the partial index applies) — ~6 µs per captured event.
      isDuplicate: [0, 1].map((isErr) =>
        db
          .prepare(
            `SELECT 1 FROM event_ids i JOIN events e ON e.seq = i.seq WHERE i.id = ? AND i.h = ? AND e.hash_id = ? AND e.is_err = ${isErr}`,
          )
          .pluck(),
      ) as [Stmt, Stmt],
      isDuplicateNoId: [0, 1].map((isErr) =>
        db
          .prepare(
            `SELECT 1 FROM event_hashes x JOIN events e ON e.seq = x.seq WHERE x.h = ? AND e.hash_id = ? AND e.is_err = ${isErr}`,
          )
          .pluck(),
      ) as [Stmt, Stmt],
      insertHash: db.prepare('INSERT INTO event_hashes (h, seq) VALUES (?, ?)'),
      facetByKey: db.prepare('SELECT facet FROM facets WHERE key = ?').pluck(),
      insertFacet: db.prepare(
        'INSERT INTO facets (key, type, action, biz_step, disposition, read_point, biz_location) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      isDeclared: db.prepare('SELECT 1 FROM events WHERE id_key = ? AND is_err = 1 AND event_id = ?').pluck(),
      declaredKeys: db.prepare('SELECT id_key FROM events WHERE is_err = 1').pluck(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      insertEvent: db.prepare(
        `INSERT INTO events (id_key, facet, event_time, record_time, is_err, corrected, decl_time, err_reason, event_id, hash_id, capture_id, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      markCorrected: db.prepare(
        'UPDATE events SET corrected = 1 WHERE id_key = ? AND event_id = ? AND is_err = 0 AND corrected = 0',
      ),
      insertId: db.prepare('INSERT OR IGNORE INTO event_ids (id, seq, role, h) VALUES (?, ?, ?, ?)'),
      insertRef: db.prepare('INSERT OR IGNORE INTO event_refs (value, kind, type, seq) VALUES (?, ?, ?, ?)'),
      countJobEvents: db.prepare(
        'INSERT INTO capture_jobs (capture_id, event_count) VALUES (?, ?) ON CONFLICT (capture_id) DO UPDATE SET event_count = event_count + excluded.event_count',
      ),
      putJob: db.prepare(
        'INSERT INTO capture_jobs (capture_id, created_at, body) VALUES (?, ?, ?) ON CONFLICT (capture_id) DO UPDATE SET created_at = excluded.created_at, body = excluded.body',
      ),
      getJob: db.prepare(
        'SELECT event_count, body FROM capture_jobs WHERE capture_id = ? AND body IS NOT NULL',
      ),
      listJobs: db.prepare(
        'SELECT event_count, body FROM capture_jobs WHERE body IS NOT NULL ORDER BY created_at, capture_id LIMIT ?',
      ),
      listJobsAfter: db.prepare(
        'SELECT event_count, body FROM capture_jobs WHERE body IS NOT NULL AND created_at >= ? AND (created_at > ? OR capture_id > ?) ORDER BY created_at, capture_id LIMIT ?',
      ),
      eventsById: db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE id_key = ? AND event_id = ? ORDER BY seq`,
      ),
      lastSeq: db.prepare('SELECT max(seq) FROM events').pluck(),
      count: db.prepare('SELECT coalesce(sum(n), 0) FROM facets').pluck(),
      addFacetCount: db.prepare('UPDATE facets SET n = n + ? WHERE facet = ?'),
      putMaster: db.prepare(
        'INSERT INTO master_data (type, id, body) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET body = excluded.body',
      ),
      clearChildren: db.prepare('DELETE FROM master_children WHERE parent = ? AND type = ?'),
      putChild: db.prepare('INSERT OR IGNORE INTO master_children (parent, type, child) VALUES (?, ?, ?)'),
      allMaster: db.prepare('SELECT body FROM master_data ORDER BY type, id').pluck(),
      masterOfType: db.prepare('SELECT body FROM master_data WHERE type = ? ORDER BY id').pluck(),
      putQuery: db.prepare('INSERT OR IGNORE INTO named_queries (name, created_at, body) VALUES (?, ?, ?)'),
      getQuery: db.prepare('SELECT body FROM named_queries WHERE name = ?').pluck(),
      listQueries: db.prepare('SELECT body FROM named_queries ORDER BY name').pluck(),
      deleteQuery: db.prepare('DELETE FROM named_queries WHERE name = ?'),
      putSub: db.prepare(
        `INSERT INTO subscriptions (subscription_id, query_name, created_at, last_acked_seq, last_notified_at, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (subscription_id) DO UPDATE SET query_name = excluded.query_name, created_at = excluded.created_at,
           last_acked_seq = excluded.last_acked_seq, last_notified_at = excluded.last_notified_at, body = excluded.body`,
      ),
      listSubs: db.prepare(
        'SELECT last_acked_seq, last_notified_at, body FROM subscriptions ORDER BY created_at, subscription_id',
      ),
      listSubsOf: db.prepare(
        'SELECT last_acked_seq, last_notified_at, body FROM subscriptions WHERE query_name = ? ORDER BY created_at, subscription_id',
      ),
      deleteSub: db.prepare('DELETE FROM subscriptions WHERE subscription_id = ?'),
      ackSub: db.prepare(
        'UPDATE subscriptions SET last_acked_seq = max(last_acked_seq, ?), last_notified_at = ? WHERE subscription_id = ?',
      ),
      putKey: db.prepare(
        'INSERT INTO api_keys (key_id, body) VALUES (?, ?) ON CONFLICT (key_id) DO UPDATE SET body = excluded.body',
      ),
      findKey: db.prepare('SELECT body FROM api_keys WHERE key_id = ?').pluck(),
      listKeys: db.prepare('SELECT body FROM api_keys ORDER BY key_id').pluck(),
      firstEpc: db
        .prepare(`SELECT id FROM event_ids WHERE role IN (${INSTANCE_ROLES}) ORDER BY id LIMIT 1`)
        .pluck(),
      nextEpc: db
        .prepare(`SELECT id FROM event_ids WHERE id > ? AND role IN (${INSTANCE_ROLES}) ORDER BY id LIMIT 1`)
        .pluck(),
      distinct: Object.fromEntries(
        Object.entries(DISTINCT_COLUMNS).map(([field, c]) => [
          field,
          {
            first: db.prepare(`SELECT min(${c}) FROM facets`).pluck(),
            next: db.prepare(`SELECT min(${c}) FROM facets WHERE ${c} > ?`).pluck(),
          },
        ]),
      ) as Record<keyof typeof DISTINCT_COLUMNS, { first: Stmt; next: Stmt }>,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Units already queued are written first.
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    try {
      if (this.migrated) this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  private assertReady(): void {
    this.assertOpen();
    if (!this.migrated) throw new Error('call migrate() before using the store');
  }

  // ---------------------------------------------------------------------------------------------
  // Capture

  append(uow: UnitOfWork): Promise<AppendResult> {
    try {
      this.assertReady();
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ uow, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes queued units, up to maxUnits per transaction. */
  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxUnits);
      for (const p of batch) this.sinceOptimize += p.uow.events.length;
      if (batch.length === 1) this.writeOne(batch[0]!);
      else this.writeGroup(batch);
    }
    this.maybeOptimize();
  }

  /** Planner statistics refreshed as the log grows (every 250,000 events written). */
  private maybeOptimize(): void {
    if (this.sinceOptimize >= 250_000) {
      this.sinceOptimize = 0;
      this.db.pragma('optimize');
    }
  }

  private writeOne(p: Pending): void {
    const s = this.s;
    let result: AppendResult;
    try {
      s.begin.run();
      try {
        result = this.writeUnit(p.uow);
        s.commit.run();
      } catch (e) {
        if (this.db.inTransaction) s.rollback.run();
        throw e;
      }
    } catch (e) {
      this.forgetNewFacets(0);
      p.reject(e);
      return;
    }
    this.newFacets.length = 0;
    p.resolve(result);
  }

  private writeGroup(batch: Pending[]): void {
    const s = this.s;
    const db = this.db;
    const outcomes: ({ ok: true; r: AppendResult } | { ok: false; e: unknown })[] = [];
    try {
      s.begin.run();
      try {
        for (let i = 0; i < batch.length; i++) {
          db.exec('SAVEPOINT unit');
          const mark = this.newFacets.length;
          try {
            outcomes.push({ ok: true, r: this.writeUnit(batch[i]!.uow) });
            db.exec('RELEASE unit');
          } catch (e) {
            // Some errors (disk full, I/O) end the whole transaction: then the group fails.
            if (!db.inTransaction) throw e;
            db.exec('ROLLBACK TO unit');
            db.exec('RELEASE unit');
            this.forgetNewFacets(mark);
            outcomes.push({ ok: false, e });
          }
        }
        s.commit.run();
      } catch (e) {
        if (db.inTransaction) s.rollback.run();
        throw e;
      }
    } catch (e) {
      this.forgetNewFacets(0);
      for (const p of batch) p.reject(e);
      return;
    }
    this.newFacets.length = 0;
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i]!;
      if (o.ok) batch[i]!.resolve(o.r);
      else batch[i]!.reject(o.e);
    }
  }

  /**
   * The eventID keys of the stored error declarations, so that an event is looked up as "already
   * declared erroneous" only when its key is among them (declarations are rare; the lookup would
   * cost every captured event a query). Kept in memory: this connection adds its own declarations
   * as it writes them (a rolled-back one left in the set only costs a lookup), and reloads the set
   * when another connection has committed since (PRAGMA data_version).
   */
  private declaredKeys(): Set<number> {
    const v = this.s.dataVersion.get() as number;
    if (this.declared === undefined || v !== this.dataVersion) {
      this.declared = new Set(this.s.declaredKeys.all() as number[]);
      this.dataVersion = v;
    }
    return this.declared;
  }

  /** Facets created in the current transaction: dropped from the cache if it rolls back. */
  private forgetNewFacets(from: number): void {
    for (let i = from; i < this.newFacets.length; i++) this.facetCache.delete(this.newFacets[i]!);
    this.newFacets.length = from;
  }

  /** The facet id of an event's low-cardinality fields, created when new. */
  private facetOf(e: NewEvent['event']): number {
    const key = `${e.type}\u0001${e.action ?? '\u0002'}\u0001${e.bizStep ?? '\u0002'}\u0001${e.disposition ?? '\u0002'}\u0001${e.readPoint?.id ?? '\u0002'}\u0001${e.bizLocation?.id ?? '\u0002'}`;
    let id = this.facetCache.get(key);
    if (id !== undefined) return id;
    const s = this.s;
    id = s.facetByKey.get(key) as number | undefined;
    if (id === undefined) {
      const info = s.insertFacet.run(
        key,
        e.type,
        e.action ?? null,
        e.bizStep ?? null,
        e.disposition ?? null,
        e.readPoint?.id ?? null,
        e.bizLocation?.id ?? null,
      );
      id = Number(info.lastInsertRowid);
      this.newFacets.push(key);
    }
    if (this.facetCache.size >= 100_000) this.facetCache.clear();
    this.facetCache.set(key, id);
    return id;
  }

  /**
   * Writes one unit inside the current transaction.
   *
   * Idempotency without an index on the hash: events with the same Event Hash ID have the same
   * identifiers (the hash covers them, normalised as the index rows are). The event's *anchor* —
   * its least identifier in an instance role (epc, parent, child, input, output), else its least
   * class — carries the hash key in its index row, so a duplicate is found by reading the rows of
   * that one identifier: the B-tree page the new row goes to anyway. Events without any
   * identifier keep their hash key in `event_hashes`.
   */
  private writeUnit(uow: UnitOfWork): AppendResult {
    const s = this.s;
    const declared = this.declaredKeys();
    const stored: AppendResult['stored'] = [];
    const duplicates: AppendResult['duplicates'] = [];
    const captureId = uow.captureId;
    const events = uow.events;
    const facetCounts = new Map<number, number>();
    for (let i = 0; i < events.length; i++) {
      const ne = events[i]!;
      const decl = ne.errorDeclaration;
      const isErr = decl ? 1 : 0;
      const h = key52(ne.hashId);
      const ids = ne.identifiers;
      const anchor = anchorOf(ids);
      const dup =
        anchor >= 0
          ? s.isDuplicate[isErr]!.get(ids[anchor]!.id, h, ne.hashId)
          : s.isDuplicateNoId[isErr]!.get(h, ne.hashId);
      if (dup !== undefined) {
        duplicates.push({ eventId: ne.eventId, hashId: ne.hashId });
        continue;
      }
      const idKey = key52(ne.eventId);
      const corrected =
        !decl && declared.has(idKey) && s.isDeclared.get(idKey, ne.eventId) !== undefined ? 1 : 0;
      if (decl) declared.add(idKey);
      const facet = this.facetOf(ne.event);
      facetCounts.set(facet, (facetCounts.get(facet) ?? 0) + 1);
      const seq = this.insertEvent(ne, idKey, facet, isErr, corrected, captureId);
      for (let j = 0; j < ids.length; j++) {
        const x = ids[j]!;
        s.insertId.run(x.id, seq, ROLE_CODES[x.role] ?? 0, j === anchor ? h : null);
      }
      if (anchor < 0) s.insertHash.run(h, seq);
      const refs = ne.references;
      for (let j = 0; j < refs.length; j++) {
        const r = refs[j]!;
        s.insertRef.run(r.value, REF_KINDS[r.kind] ?? 0, r.type, seq);
      }
      if (decl) {
        s.markCorrected.run(idKey, ne.eventId);
        for (const c of decl.correctiveEventIds) s.insertRef.run(c, REF_KINDS.corrective, '', seq);
      }
      stored.push({ eventId: ne.eventId, seq, index: i });
    }
    for (const [facet, n] of facetCounts) s.addFacetCount.run(n, facet);
    if (uow.masterData && uow.masterData.length > 0) this.writeMasterData(uow.masterData);
    if (stored.length > 0 || uow.job) s.countJobEvents.run(captureId, stored.length);
    if (uow.job) this.writeJob(uow.job);
    this.packs.afterWrite(events, { stored, duplicates }); // pack state, same transaction
    return { stored, duplicates };
  }

  private insertEvent(
    ne: NewEvent,
    idKey: number,
    facet: number,
    isErr: number,
    corrected: number,
    captureId: string,
  ): number {
    const decl = ne.errorDeclaration;
    const info = this.s.insertEvent.run(
      idKey,
      facet,
      toMillis(ne.eventTime, 'eventTime'),
      toMillis(ne.recordTime, 'recordTime'),
      isErr,
      corrected,
      decl ? toMillis(decl.declarationTime, 'declarationTime') : null,
      decl?.reason ?? null,
      ne.eventId,
      ne.hashId,
      captureId,
      ne.body ?? JSON.stringify(ne.event),
    );
    return Number(info.lastInsertRowid);
  }

  private writeJob(job: CaptureJob): void {
    const { eventCount: _ignored, ...rest } = job;
    this.s.putJob.run(job.captureId, job.createdAt, JSON.stringify(rest));
  }

  syncWriter(): SyncUnitWriter {
    return {
      begin: () => {
        this.assertReady();
        // Units queued for the next group commit go first, in their own transaction.
        if (this.queue.length > 0) this.flush();
        this.s.begin.run();
      },
      write: (uow) => {
        this.sinceOptimize += uow.events.length;
        return this.writeUnit(uow);
      },
      commit: () => {
        this.s.commit.run();
        this.newFacets.length = 0;
        this.maybeOptimize();
      },
      rollback: () => {
        if (this.db.inTransaction) this.s.rollback.run();
        this.forgetNewFacets(0);
      },
    };
  }

  async putCaptureJob(job: CaptureJob): Promise<void> {
    this.assertReady();
    this.writeJob(job);
  }

  async getCaptureJob(captureId: string): Promise<CaptureJob | undefined> {
    this.assertReady();
    const row = this.s.getJob.get(captureId) as { event_count: number; body: string } | undefined;
    return row && jobOf(row);
  }

  async listCaptureJobs(opts: {
    limit: number;
    after?: string;
  }): Promise<{ jobs: CaptureJob[]; next?: string }> {
    this.assertReady();
    const limit = Math.max(1, Math.floor(opts.limit));
    let rows: { event_count: number; body: string }[];
    if (opts.after === undefined) rows = this.s.listJobs.all(limit + 1) as typeof rows;
    else {
      const v = decodeToken(opts.after, 'jobs');
      if (!Array.isArray(v) || typeof v[0] !== 'string' || typeof v[1] !== 'string')
        throw new InvalidCursorError();
      rows = this.s.listJobsAfter.all(v[0], v[0], v[1], limit + 1) as typeof rows;
    }
    const jobs = rows.slice(0, limit).map(jobOf);
    const last = jobs[jobs.length - 1];
    return rows.length > limit && last
      ? { jobs, next: encodeToken('jobs', [last.createdAt, last.captureId]) }
      : { jobs };
  }

  // ---------------------------------------------------------------------------------------------
  // Query

  async queryEvents(filter: EventFilter, opts: QueryOptions): Promise<EventPage> {
    this.assertReady();
    const q = buildEventQuery(filter, { ...opts, scanFacets: this.facetsAreCommon(filter) });
    const rows = this.statement(q.sql).all(...q.params) as EventRow[];
    const limit = Math.max(1, Math.floor(opts.limit));
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const events = rows.map(toStored);
    if (!more) return { events };
    const last = rows[rows.length - 1]!;
    const orderBy = opts.orderBy ?? 'seq';
    const key = orderBy === 'eventTime' ? last.event_time : orderBy === 'recordTime' ? last.record_time : 0;
    return { events, next: encodeCursor(orderBy, opts.direction ?? 'ASC', key, last.seq) };
  }

  /**
   * Whether the filter's facet values cover so many events (≥ 2% of the log, and more than a few
   * pages' worth) that walking the log in order beats collecting and sorting all of them.
   */
  private facetsAreCommon(filter: EventFilter): boolean {
    const fc = facetCondition(filter);
    if (!fc) return false;
    const matching = this.statement(`SELECT coalesce(sum(n), 0) FROM facets WHERE ${fc.sql}`)
      .pluck()
      .get(...fc.params) as number;
    if (matching < 2000) return false;
    return matching * 50 >= (this.s.count.get() as number);
  }

  /** Prepared statements of generated SQL, reused while the shape of the filter repeats. */
  private statement(sql: string): Stmt {
    let st = this.queryCache.get(sql);
    if (!st) {
      if (this.queryCache.size >= 500) this.queryCache.clear();
      st = this.db.prepare(sql);
      this.queryCache.set(sql, st);
    }
    return st;
  }

  async getEventsById(eventId: string): Promise<StoredEvent[]> {
    this.assertReady();
    return (this.s.eventsById.all(key52(eventId), eventId) as EventRow[]).map(toStored);
  }

  async distinctValues(
    field: 'eventType' | 'bizStep' | 'disposition' | 'readPoint' | 'bizLocation' | 'epc',
    opts: { limit: number; after?: string },
  ): Promise<{ values: string[]; next?: string }> {
    this.assertReady();
    let first: Stmt;
    let next: Stmt;
    if (field === 'epc') {
      first = this.s.firstEpc;
      next = this.s.nextEpc;
    } else {
      const st = this.s.distinct[field];
      if (!st) throw new TypeError(`distinctValues: unknown field '${field}'`);
      first = st.first;
      next = st.next;
    }
    const limit = Math.max(1, Math.floor(opts.limit));
    const values: string[] = [];
    // One index seek per value (a skip scan): cost grows with the values returned, not the events.
    let v: string | undefined;
    if (opts.after === undefined) v = (first.get() as string | null) ?? undefined;
    else {
      const from = decodeToken(opts.after, `distinct:${field}`);
      if (typeof from !== 'string') throw new InvalidCursorError();
      v = (next.get(from) as string | null) ?? undefined;
    }
    while (v !== undefined && values.length < limit) {
      values.push(v);
      v = (next.get(v) as string | null) ?? undefined;
    }
    return v === undefined
      ? { values }
      : { values, next: encodeToken(`distinct:${field}`, values[values.length - 1]) };
  }

  async lastSeq(): Promise<number> {
    this.assertReady();
    return (this.s.lastSeq.get() as number | null) ?? 0;
  }

  async countEvents(): Promise<number> {
    this.assertReady();
    return this.s.count.get() as number;
  }

  // ---------------------------------------------------------------------------------------------
  // Master data

  async putMasterData(elements: MasterDataElement[]): Promise<void> {
    this.assertReady();
    this.db.transaction(() => this.writeMasterData(elements)).immediate();
  }

  private writeMasterData(elements: MasterDataElement[]): void {
    const s = this.s;
    for (const el of elements) {
      s.putMaster.run(el.type, el.id, JSON.stringify(el));
      s.clearChildren.run(el.id, el.type);
      for (const c of el.children ?? []) s.putChild.run(el.id, el.type, c);
    }
  }

  async getMasterData(type?: string, ids?: string[]): Promise<MasterDataElement[]> {
    this.assertReady();
    let bodies: string[];
    if (ids === undefined)
      bodies = (type === undefined ? this.s.allMaster.all() : this.s.masterOfType.all(type)) as string[];
    else if (ids.length === 0) bodies = [];
    else {
      const sql = `SELECT body FROM master_data WHERE id IN (${ids.map(() => '?').join(',')})${type === undefined ? '' : ' AND type = ?'} ORDER BY type, id`;
      bodies = this.statement(sql)
        .pluck()
        .all(...ids, ...(type === undefined ? [] : [type])) as string[];
    }
    return bodies.map((b) => JSON.parse(b) as MasterDataElement);
  }

  async descendants(ids: string[]): Promise<string[]> {
    this.assertReady();
    if (ids.length === 0) return [];
    // UNION (not UNION ALL) drops rows already found, which also ends cycles.
    const sql = `WITH RECURSIVE d(id) AS (SELECT value FROM json_each(?) UNION SELECT c.child FROM master_children c JOIN d ON c.parent = d.id) SELECT id FROM d`;
    return this.statement(sql).pluck().all(JSON.stringify(ids)) as string[];
  }

  // ---------------------------------------------------------------------------------------------
  // Named queries, subscriptions

  async putNamedQuery(q: NamedQuery): Promise<boolean> {
    this.assertReady();
    return this.s.putQuery.run(q.name, q.createdAt, JSON.stringify(q)).changes === 1;
  }

  async getNamedQuery(name: string): Promise<NamedQuery | undefined> {
    this.assertReady();
    const b = this.s.getQuery.get(name) as string | undefined;
    return b === undefined ? undefined : (JSON.parse(b) as NamedQuery);
  }

  async listNamedQueries(): Promise<NamedQuery[]> {
    this.assertReady();
    return (this.s.listQueries.all() as string[]).map((b) => JSON.parse(b) as NamedQuery);
  }

  async deleteNamedQuery(name: string): Promise<boolean> {
    this.assertReady();
    // Its subscriptions go with it (ON DELETE CASCADE).
    return this.s.deleteQuery.run(name).changes === 1;
  }

  async putSubscription(sub: Subscription): Promise<void> {
    this.assertReady();
    const { lastAckedSeq, lastNotifiedAt, ...rest } = sub;
    this.s.putSub.run(
      sub.subscriptionId,
      sub.queryName,
      sub.createdAt,
      lastAckedSeq,
      lastNotifiedAt ?? null,
      JSON.stringify(rest),
    );
  }

  async listSubscriptions(queryName?: string): Promise<Subscription[]> {
    this.assertReady();
    const rows = (queryName === undefined ? this.s.listSubs.all() : this.s.listSubsOf.all(queryName)) as {
      last_acked_seq: number;
      last_notified_at: string | null;
      body: string;
    }[];
    return rows.map((r) => {
      const sub = JSON.parse(r.body) as Subscription;
      sub.lastAckedSeq = r.last_acked_seq;
      if (r.last_notified_at !== null) sub.lastNotifiedAt = r.last_notified_at;
      return sub;
    });
  }

  async deleteSubscription(subscriptionId: string): Promise<boolean> {
    this.assertReady();
    return this.s.deleteSub.run(subscriptionId).changes === 1;
  }

  async ackSubscription(subscriptionId: string, seq: number, notifiedAt: string): Promise<void> {
    this.assertReady();
    this.s.ackSub.run(seq, notifiedAt, subscriptionId);
  }

  // ---------------------------------------------------------------------------------------------
  // API keys

  async putApiKey(k: ApiKeyRecord): Promise<void> {
    this.assertReady();
    this.s.putKey.run(k.keyId, JSON.stringify(k));
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    this.assertReady();
    const b = this.s.findKey.get(keyId) as string | undefined;
    return b === undefined ? undefined : (JSON.parse(b) as ApiKeyRecord);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    this.assertReady();
    return (this.s.listKeys.all() as string[]).map((b) => JSON.parse(b) as ApiKeyRecord);
  }
}

/**
 * Index of the anchor identifier: the least id in an instance role, else the least id (first
 * occurrence on ties, so that it is the row actually inserted); -1 when there is none.
 */
function anchorOf(ids: NewEvent['identifiers']): number {
  let best = -1;
  let bestInstance = false;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i]!;
    const code = ROLE_CODES[x.role];
    const instance = code !== undefined && code <= ROLE_CODES.output;
    if (best < 0 || (instance && !bestInstance) || (instance === bestInstance && x.id < ids[best]!.id)) {
      best = i;
      bestInstance = instance;
    }
  }
  return best;
}

function jobOf(row: { event_count: number; body: string }): CaptureJob {
  const job = JSON.parse(row.body) as CaptureJob;
  job.eventCount = row.event_count;
  return job;
}
