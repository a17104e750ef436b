/**
 * VerificationStore on PostgreSQL (migration 6): the exchange log, the lookup directory and
 * saleable returns. Multi-row writes are one statement or one transaction.
 */
import type pg from 'pg';
import { InvalidCursorError } from '../errors.ts';
import {
  bestDirectoryMatch,
  type DirectoryEntry,
  exceptionOf,
  prefixCandidates,
  type ReturnExceptionRow,
  type SaleableReturn,
  type VerificationLogEntry,
  type VerificationLogFilter,
  type VerificationStore,
} from '../verification.ts';

const T = 'text COLLATE "C"';

export const VERIFICATION_POSTGRES_SQL = `
CREATE TABLE verification_log (
  n bigserial PRIMARY KEY,
  at ${T} NOT NULL,
  direction ${T} NOT NULL,
  gtin ${T},
  serial ${T},
  req_gln ${T},
  corr_uuid ${T},
  body jsonb NOT NULL
);
CREATE INDEX verification_log_at ON verification_log (at);
CREATE INDEX verification_log_pack ON verification_log (gtin, serial);
CREATE INDEX verification_log_corr ON verification_log (corr_uuid) WHERE corr_uuid IS NOT NULL;
CREATE INDEX verification_log_req ON verification_log (req_gln) WHERE req_gln IS NOT NULL;
CREATE TABLE verification_directory (
  key ${T} PRIMARY KEY,
  body jsonb NOT NULL
);
CREATE TABLE saleable_returns (
  n bigserial PRIMARY KEY,
  return_id ${T} NOT NULL UNIQUE,
  at ${T} NOT NULL,
  body jsonb NOT NULL
);
CREATE TABLE return_exceptions (
  return_id ${T} NOT NULL,
  pack_id ${T} NOT NULL,
  at ${T} NOT NULL,
  status ${T} NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (return_id, pack_id)
);
CREATE INDEX return_exceptions_status ON return_exceptions (status, at);
`;

function cursorOf(after: string | undefined): string | undefined {
  if (after === undefined) return undefined;
  if (!/^\d{1,15}$/.test(after)) throw new InvalidCursorError('the page cursor is not valid');
  return after;
}

export class PostgresVerification implements VerificationStore {
  constructor(private readonly pool: pg.Pool) {}

  async logExchanges(entries: VerificationLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const cols: (string | null)[][] = [[], [], [], [], [], [], []];
    for (const e of entries) {
      cols[0]!.push(e.at);
      cols[1]!.push(e.direction);
      cols[2]!.push(e.gtin ?? null);
      cols[3]!.push(e.serial ?? null);
      cols[4]!.push(e.reqGLN ?? null);
      cols[5]!.push(e.corrUUID ?? null);
      cols[6]!.push(JSON.stringify(e));
    }
    await this.pool.query(
      `INSERT INTO verification_log (at, direction, gtin, serial, req_gln, corr_uuid, body)
       SELECT a, d, g, s, r, c, b::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t (a, d, g, s, r, c, b)`,
      cols,
    );
  }

  async queryLog(
    f: VerificationLogFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: VerificationLogEntry[]; next?: string }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    const after = cursorOf(page.after);
    if (after !== undefined) add('n < ?', after);
    if (f.direction) add('direction = ?', f.direction);
    if (f.gtin) add('gtin = ?', f.gtin);
    if (f.serial) add('serial = ?', f.serial);
    if (f.reqGLN) add('req_gln = ?', f.reqGLN);
    if (f.corrUUID) add('corr_uuid = ?', f.corrUUID);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    args.push(page.limit + 1);
    const { rows } = await this.pool.query<{ n: string; body: VerificationLogEntry }>(
      `SELECT n, body FROM verification_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n DESC LIMIT $${args.length}`,
      args,
    );
    const more = rows.length > page.limit;
    if (more) rows.pop();
    const items = rows.map((r) => r.body);
    return more ? { items, next: String(rows[rows.length - 1]!.n) } : { items };
  }

  async purgeLog(before: string): Promise<number> {
    const r = await this.pool.query('DELETE FROM verification_log WHERE at < $1', [before]);
    return r.rowCount ?? 0;
  }

  async putDirectoryEntry(e: DirectoryEntry): Promise<void> {
    await this.pool.query(
      'INSERT INTO verification_directory (key, body) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET body = excluded.body',
      [e.key, JSON.stringify(e)],
    );
  }

  async getDirectoryEntry(key: string): Promise<DirectoryEntry | undefined> {
    const { rows } = await this.pool.query<{ body: DirectoryEntry }>(
      'SELECT body FROM verification_directory WHERE key = $1',
      [key],
    );
    return rows[0]?.body;
  }

  async listDirectory(): Promise<DirectoryEntry[]> {
    const { rows } = await this.pool.query<{ body: DirectoryEntry }>(
      'SELECT body FROM verification_directory ORDER BY key',
    );
    return rows.map((r) => r.body);
  }

  async deleteDirectoryEntry(key: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM verification_directory WHERE key = $1', [key]);
    return (r.rowCount ?? 0) > 0;
  }

  async lookupResponder(gtin: string): Promise<DirectoryEntry | undefined> {
    const { rows } = await this.pool.query<{ body: DirectoryEntry }>(
      'SELECT body FROM verification_directory WHERE key = ANY($1::text[])',
      [[gtin, ...prefixCandidates(gtin)]],
    );
    return bestDirectoryMatch(
      gtin,
      rows.map((r) => r.body),
    );
  }

  async putReturn(r: SaleableReturn): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('INSERT INTO saleable_returns (return_id, at, body) VALUES ($1, $2, $3)', [
        r.returnId,
        r.at,
        JSON.stringify(r),
      ]);
      for (const it of r.items) {
        if (!it.exception) continue;
        const row: ReturnExceptionRow = {
          ...it.exception,
          returnId: r.returnId,
          packId: it.packId,
          at: r.at,
          user: r.user,
          fromGLN: r.fromGLN,
          verificationFailureReason: it.verificationFailureReason,
          additionalInfo: it.additionalInfo,
        };
        await c.query(
          'INSERT INTO return_exceptions (return_id, pack_id, at, status, body) VALUES ($1, $2, $3, $4, $5)',
          [r.returnId, it.packId, r.at, it.exception.status, JSON.stringify(row)],
        );
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  private async withExceptions(rs: SaleableReturn[]): Promise<SaleableReturn[]> {
    if (rs.length === 0) return rs;
    const { rows } = await this.pool.query<{ body: ReturnExceptionRow }>(
      'SELECT body FROM return_exceptions WHERE return_id = ANY($1::text[])',
      [rs.map((r) => r.returnId)],
    );
    const by = new Map(rows.map((x) => [`${x.body.returnId}\n${x.body.packId}`, x.body]));
    for (const r of rs)
      for (const it of r.items) {
        const e = by.get(`${r.returnId}\n${it.packId}`);
        if (e) it.exception = exceptionOf(e);
      }
    return rs;
  }

  async getReturn(returnId: string): Promise<SaleableReturn | undefined> {
    const { rows } = await this.pool.query<{ body: SaleableReturn }>(
      'SELECT body FROM saleable_returns WHERE return_id = $1',
      [returnId],
    );
    return rows[0] ? (await this.withExceptions([rows[0].body]))[0] : undefined;
  }

  async listReturns(page: {
    limit: number;
    after?: string;
  }): Promise<{ items: SaleableReturn[]; next?: string }> {
    const after = cursorOf(page.after);
    const { rows } = await this.pool.query<{ n: string; body: SaleableReturn }>(
      after !== undefined
        ? 'SELECT n, body FROM saleable_returns WHERE n < $1 ORDER BY n DESC LIMIT $2'
        : 'SELECT n, body FROM saleable_returns ORDER BY n DESC LIMIT $1',
      after !== undefined ? [after, page.limit + 1] : [page.limit + 1],
    );
    const more = rows.length > page.limit;
    if (more) rows.pop();
    const items = await this.withExceptions(rows.map((r) => r.body));
    return more ? { items, next: String(rows[rows.length - 1]!.n) } : { items };
  }

  async listReturnExceptions(status?: 'open' | 'resolved'): Promise<ReturnExceptionRow[]> {
    const { rows } = await this.pool.query<{ body: ReturnExceptionRow }>(
      status
        ? 'SELECT body FROM return_exceptions WHERE status = $1 ORDER BY at DESC, return_id, pack_id'
        : 'SELECT body FROM return_exceptions ORDER BY at DESC, return_id, pack_id',
      status ? [status] : [],
    );
    return rows.map((r) => r.body);
  }

  async resolveReturnException(
    returnId: string,
    packId: string,
    r: { at: string; by: string; resolution: string },
  ): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE return_exceptions SET status = 'resolved',
         body = body || jsonb_build_object('status', 'resolved', 'resolvedAt', $3::text, 'resolvedBy', $4::text, 'resolution', $5::text)
       WHERE return_id = $1 AND pack_id = $2 AND status = 'open'`,
      [returnId, packId, r.at, r.by, r.resolution],
    );
    return (res.rowCount ?? 0) > 0;
  }
}
