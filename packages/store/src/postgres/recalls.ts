/**
 * Recalls on PostgreSQL (see ../recalls.ts): the same tables as on SQLite, text keys `COLLATE "C"`,
 * times as ISO text (compared as on SQLite). A create is one transaction: the recall and all its
 * notifications (one statement for the notifications, rows as a JSON array).
 */
import type pg from 'pg';
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

const T = 'text COLLATE "C"';

/** Migration 7 of the PostgreSQL schema (./migrations.ts): recalls, their notifications, FMD pack claims (../fmd.ts). */
export const RECALLS_POSTGRES_SQL = `
CREATE TABLE recalls (
  id ${T} PRIMARY KEY,
  kind text NOT NULL,
  gtin ${T} NOT NULL,
  lot ${T},
  effective_from ${T} NOT NULL,
  closed_at ${T},
  created_at ${T} NOT NULL,
  body json NOT NULL
);
CREATE INDEX recalls_gtin ON recalls (gtin, lot);
CREATE INDEX recalls_created ON recalls (created_at, id);

CREATE TABLE recall_notifications (
  recall_id ${T} NOT NULL REFERENCES recalls (id) ON DELETE CASCADE,
  holder ${T} NOT NULL,
  body json NOT NULL,
  PRIMARY KEY (recall_id, holder)
);
${FMD_CLAIMS_SQL.replace('CREATE TABLE', 'CREATE UNLOGGED TABLE')}`;

const UPSERT_NOTIFICATIONS = `
INSERT INTO recall_notifications (recall_id, holder, body)
SELECT x->>'recallId', x->>'holder', x FROM json_array_elements($1::json) AS x
ON CONFLICT (recall_id, holder) DO UPDATE SET body = EXCLUDED.body`;

export class PostgresRecalls implements RecallStore {
  constructor(private readonly pool: pg.Pool) {}

  private async tx<R>(fn: (c: pg.PoolClient) => Promise<R>): Promise<R> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      if ((e as { code?: string }).code === '23505' && (e as { table?: string }).table === 'recalls') {
        throw new RecallExistsError(String((e as { detail?: string }).detail ?? ''));
      }
      throw e;
    } finally {
      c.release();
    }
  }

  async create(r: Recall, notifications: RecallNotification[]): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        'INSERT INTO recalls (id, kind, gtin, lot, effective_from, closed_at, created_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          r.id,
          r.kind,
          r.gtin,
          r.lot ?? null,
          r.effectiveFrom,
          r.closedAt ?? null,
          r.createdAt,
          JSON.stringify(r),
        ],
      );
      if (notifications.length) await c.query(UPSERT_NOTIFICATIONS, [JSON.stringify(notifications)]);
    });
  }

  async get(id: string): Promise<Recall | undefined> {
    const r = await this.pool.query('SELECT body FROM recalls WHERE id = $1', [id]);
    return r.rows[0]?.body as Recall | undefined;
  }

  async list(
    filter: RecallFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ recalls: Recall[]; next?: string }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const p = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (filter.gtin !== undefined) where.push(`gtin = ${p(filter.gtin)}`);
    if (filter.lot !== undefined) where.push(`(lot IS NULL OR lot = ${p(filter.lot)})`);
    if (filter.kind !== undefined) where.push(`kind = ${p(filter.kind)}`);
    if (filter.activeAt !== undefined) {
      const a = p(filter.activeAt);
      where.push(`effective_from <= ${a} AND (closed_at IS NULL OR closed_at > ${a})`);
    }
    if (opts.after !== undefined) {
      const c = parseRecallCursor(opts.after);
      if (!c) throw new RangeError('invalid cursor');
      where.push(`(created_at, id) < (${p(c.createdAt)}, ${p(c.id)})`);
    }
    const sql = `SELECT body FROM recalls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${p(opts.limit + 1)}`;
    const rows = (await this.pool.query(sql, args)).rows as { body: Recall }[];
    const recalls = rows.slice(0, opts.limit).map((x) => x.body);
    return rows.length > opts.limit
      ? { recalls, next: recallCursor(recalls[recalls.length - 1]!) }
      : { recalls };
  }

  async close(id: string, at: string, reason?: string): Promise<Recall | undefined> {
    return this.tx(async (c) => {
      const row = (await c.query('SELECT body FROM recalls WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) return undefined;
      const r = row.body as Recall;
      if (r.closedAt !== undefined) return r;
      r.closedAt = at;
      if (reason !== undefined) r.closedReason = reason;
      await c.query('UPDATE recalls SET closed_at = $1, body = $2 WHERE id = $3', [
        at,
        JSON.stringify(r),
        id,
      ]);
      return r;
    });
  }

  async active(gtin: string, lot: string | undefined, at: string): Promise<Recall | undefined> {
    const r = await this.pool.query(
      `SELECT body FROM recalls
       WHERE gtin = $1 AND (lot IS NULL OR lot = $2) AND effective_from <= $3 AND (closed_at IS NULL OR closed_at > $3)
       ORDER BY kind = 'recall' DESC, lot IS NOT NULL DESC, effective_from, id LIMIT 1`,
      [gtin, lot ?? null, at],
    );
    return r.rows[0]?.body as Recall | undefined;
  }

  async notifications(recallId: string): Promise<RecallNotification[]> {
    const r = await this.pool.query(
      'SELECT body FROM recall_notifications WHERE recall_id = $1 ORDER BY holder',
      [recallId],
    );
    return r.rows.map((x) => x.body as RecallNotification);
  }

  async updateNotification(n: RecallNotification): Promise<void> {
    await this.pool.query(UPSERT_NOTIFICATIONS, [JSON.stringify([n])]);
  }
}
