/**
 * Recalls on SQLite (see ../recalls.ts): one row per recall (its JSON body plus the columns
 * `active` looks up by), one row per (recall, holder) notification.
 */
import type Database from 'better-sqlite3';
import { FMD_CLAIMS_SQL } from '../fmd.ts';
import {
  parseRecallCursor,
  type Recall,
  RecallExistsError,
  type RecallFilter,
  type RecallNotification,
  type RecallStore,
  recallCursor,
} from '../recalls.ts';

/** Migration 7 of the SQLite schema (./schema.ts): recalls, their notifications, FMD pack claims (../fmd.ts). */
export const RECALLS_SQLITE_SQL = `
CREATE TABLE recalls (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  gtin TEXT NOT NULL,
  lot TEXT,
  effective_from TEXT NOT NULL,
  closed_at TEXT,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX recalls_gtin ON recalls (gtin, lot);
CREATE INDEX recalls_created ON recalls (created_at, id);

CREATE TABLE recall_notifications (
  recall_id TEXT NOT NULL REFERENCES recalls (id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (recall_id, holder)
) WITHOUT ROWID;
${FMD_CLAIMS_SQL}`;

type Db = Database.Database;

export class SqliteRecalls implements RecallStore {
  private s?: ReturnType<SqliteRecalls['prepare']>;

  constructor(
    private readonly db: Db,
    private readonly assertReady: () => void,
  ) {}

  private get st() {
    this.assertReady();
    this.s ??= this.prepare();
    return this.s;
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare(
        'INSERT INTO recalls (id, kind, gtin, lot, effective_from, closed_at, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      exists: db.prepare('SELECT 1 FROM recalls WHERE id = ?').pluck(),
      get: db.prepare('SELECT body FROM recalls WHERE id = ?').pluck(),
      update: db.prepare('UPDATE recalls SET closed_at = ?, body = ? WHERE id = ?'),
      active: db
        .prepare(
          `SELECT body FROM recalls
           WHERE gtin = ? AND (lot IS NULL OR lot = ?) AND effective_from <= ? AND (closed_at IS NULL OR closed_at > ?)
           ORDER BY kind = 'recall' DESC, lot IS NOT NULL DESC, effective_from, id LIMIT 1`,
        )
        .pluck(),
      putNotification: db.prepare(
        'INSERT OR REPLACE INTO recall_notifications (recall_id, holder, body) VALUES (?, ?, ?)',
      ),
      notifications: db
        .prepare('SELECT body FROM recall_notifications WHERE recall_id = ? ORDER BY holder')
        .pluck(),
    };
  }

  async create(r: Recall, notifications: RecallNotification[]): Promise<void> {
    const st = this.st;
    this.db
      .transaction(() => {
        if (st.exists.get(r.id)) throw new RecallExistsError(r.id);
        st.insert.run(
          r.id,
          r.kind,
          r.gtin,
          r.lot ?? null,
          r.effectiveFrom,
          r.closedAt ?? null,
          r.createdAt,
          JSON.stringify(r),
        );
        for (const n of notifications) st.putNotification.run(n.recallId, n.holder, JSON.stringify(n));
      })
      .immediate();
  }

  async get(id: string): Promise<Recall | undefined> {
    const b = this.st.get.get(id) as string | undefined;
    return b === undefined ? undefined : (JSON.parse(b) as Recall);
  }

  async list(
    filter: RecallFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ recalls: Recall[]; next?: string }> {
    this.assertReady();
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.gtin !== undefined) {
      where.push('gtin = ?');
      args.push(filter.gtin);
    }
    if (filter.lot !== undefined) {
      where.push('(lot IS NULL OR lot = ?)');
      args.push(filter.lot);
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    if (filter.activeAt !== undefined) {
      where.push('effective_from <= ? AND (closed_at IS NULL OR closed_at > ?)');
      args.push(filter.activeAt, filter.activeAt);
    }
    if (opts.after !== undefined) {
      const c = parseRecallCursor(opts.after);
      if (!c) throw new RangeError('invalid cursor');
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      args.push(c.createdAt, c.createdAt, c.id);
    }
    const sql = `SELECT body FROM recalls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    const rows = this.db
      .prepare(sql)
      .pluck()
      .all(...args, opts.limit + 1) as string[];
    const recalls = rows.slice(0, opts.limit).map((b) => JSON.parse(b) as Recall);
    return rows.length > opts.limit
      ? { recalls, next: recallCursor(recalls[recalls.length - 1]!) }
      : { recalls };
  }

  async close(id: string, at: string, reason?: string): Promise<Recall | undefined> {
    const st = this.st;
    return this.db
      .transaction(() => {
        const b = st.get.get(id) as string | undefined;
        if (b === undefined) return undefined;
        const r = JSON.parse(b) as Recall;
        if (r.closedAt !== undefined) return r;
        r.closedAt = at;
        if (reason !== undefined) r.closedReason = reason;
        st.update.run(at, JSON.stringify(r), id);
        return r;
      })
      .immediate();
  }

  async active(gtin: string, lot: string | undefined, at: string): Promise<Recall | undefined> {
    // lot undefined: `lot = NULL` is never true, so only whole-product recalls match.
    const b = this.st.active.get(gtin, lot ?? null, at, at) as string | undefined;
    return b === undefined ? undefined : (JSON.parse(b) as Recall);
  }

  async notifications(recallId: string): Promise<RecallNotification[]> {
    return (this.st.notifications.all(recallId) as string[]).map((b) => JSON.parse(b) as RecallNotification);
  }

  async updateNotification(n: RecallNotification): Promise<void> {
    this.st.putNotification.run(n.recallId, n.holder, JSON.stringify(n));
  }
}
