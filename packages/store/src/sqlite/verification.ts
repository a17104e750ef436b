/**
 * VerificationStore on SQLite (migration 6): the exchange log, the lookup directory and saleable
 * returns. Each write is one IMMEDIATE transaction, durable before the promise resolves (WAL,
 * synchronous=FULL); the responder batches its log entries so many exchanges share one commit.
 */
import type Database from 'better-sqlite3';
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
import { type LogRow, LogWriterThread } from './verification-writer.ts';

export const VERIFICATION_SQLITE_SQL = `
CREATE TABLE verification_log (
  n INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  direction TEXT NOT NULL,
  gtin TEXT,
  serial TEXT,
  req_gln TEXT,
  corr_uuid TEXT,
  body TEXT NOT NULL
);
CREATE INDEX verification_log_at ON verification_log (at);
CREATE INDEX verification_log_pack ON verification_log (gtin, serial);
CREATE INDEX verification_log_corr ON verification_log (corr_uuid) WHERE corr_uuid IS NOT NULL;
CREATE INDEX verification_log_req ON verification_log (req_gln) WHERE req_gln IS NOT NULL;
CREATE TABLE verification_directory (
  key TEXT PRIMARY KEY,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE saleable_returns (
  n INTEGER PRIMARY KEY,
  return_id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE return_exceptions (
  return_id TEXT NOT NULL,
  pack_id TEXT NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (return_id, pack_id)
) WITHOUT ROWID;
CREATE INDEX return_exceptions_status ON return_exceptions (status, at);
`;

type Db = Database.Database;

function cursorOf(after: string | undefined): number | undefined {
  if (after === undefined) return undefined;
  if (!/^\d{1,15}$/.test(after)) throw new InvalidCursorError('the page cursor is not valid');
  return Number(after);
}

export class SqliteVerification implements VerificationStore {
  constructor(private readonly db: Db) {}

  private writer: LogWriterThread | undefined;

  async logExchanges(entries: VerificationLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: LogRow[] = entries.map((e) => [
      e.at,
      e.direction,
      e.gtin ?? null,
      e.serial ?? null,
      e.reqGLN ?? null,
      e.corrUUID ?? null,
      JSON.stringify(e),
    ]);
    // A file database: the writer thread commits (see verification-writer.ts); in memory: here.
    const file = this.db.memory ? undefined : this.db.name;
    if (file) {
      this.writer ??= new LogWriterThread(file);
      return this.writer.write(rows);
    }
    const ins = this.db.prepare(
      'INSERT INTO verification_log (at, direction, gtin, serial, req_gln, corr_uuid, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        for (const r of rows) ins.run(...r);
      })
      .immediate();
  }

  async queryLog(
    f: VerificationLogFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: VerificationLogEntry[]; next?: string }> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const after = cursorOf(page.after);
    if (after !== undefined) {
      where.push('n < ?');
      args.push(after);
    }
    if (f.direction) {
      where.push('direction = ?');
      args.push(f.direction);
    }
    if (f.gtin) {
      where.push('gtin = ?');
      args.push(f.gtin);
    }
    if (f.serial) {
      where.push('serial = ?');
      args.push(f.serial);
    }
    if (f.reqGLN) {
      where.push('req_gln = ?');
      args.push(f.reqGLN);
    }
    if (f.corrUUID) {
      where.push('corr_uuid = ?');
      args.push(f.corrUUID);
    }
    if (f.from) {
      where.push('at >= ?');
      args.push(f.from);
    }
    if (f.to) {
      where.push('at < ?');
      args.push(f.to);
    }
    const rows = this.db
      .prepare(
        `SELECT n, body FROM verification_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n DESC LIMIT ?`,
      )
      .all(...args, page.limit + 1) as { n: number; body: string }[];
    const more = rows.length > page.limit;
    if (more) rows.pop();
    const items = rows.map((r) => JSON.parse(r.body) as VerificationLogEntry);
    return more ? { items, next: String(rows[rows.length - 1]!.n) } : { items };
  }

  async purgeLog(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM verification_log WHERE at < ?').run(before).changes;
  }

  async putDirectoryEntry(e: DirectoryEntry): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO verification_directory (key, body) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body',
      )
      .run(e.key, JSON.stringify(e));
  }

  async getDirectoryEntry(key: string): Promise<DirectoryEntry | undefined> {
    const r = this.db.prepare('SELECT body FROM verification_directory WHERE key = ?').get(key) as
      | { body: string }
      | undefined;
    return r ? (JSON.parse(r.body) as DirectoryEntry) : undefined;
  }

  async listDirectory(): Promise<DirectoryEntry[]> {
    const rows = this.db.prepare('SELECT body FROM verification_directory ORDER BY key').all() as {
      body: string;
    }[];
    return rows.map((r) => JSON.parse(r.body) as DirectoryEntry);
  }

  async deleteDirectoryEntry(key: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM verification_directory WHERE key = ?').run(key).changes > 0;
  }

  async lookupResponder(gtin: string): Promise<DirectoryEntry | undefined> {
    const keys = [gtin, ...prefixCandidates(gtin)];
    const rows = this.db
      .prepare(`SELECT body FROM verification_directory WHERE key IN (${keys.map(() => '?').join(', ')})`)
      .all(...keys) as { body: string }[];
    return bestDirectoryMatch(
      gtin,
      rows.map((r) => JSON.parse(r.body) as DirectoryEntry),
    );
  }

  async putReturn(r: SaleableReturn): Promise<void> {
    const insR = this.db.prepare('INSERT INTO saleable_returns (return_id, at, body) VALUES (?, ?, ?)');
    const insE = this.db.prepare(
      'INSERT INTO return_exceptions (return_id, pack_id, at, status, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        insR.run(r.returnId, r.at, JSON.stringify(r));
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
          insE.run(r.returnId, it.packId, r.at, it.exception.status, JSON.stringify(row));
        }
      })
      .immediate();
  }

  private withExceptions(r: SaleableReturn): SaleableReturn {
    const rows = this.db
      .prepare('SELECT pack_id, body FROM return_exceptions WHERE return_id = ?')
      .all(r.returnId) as {
      pack_id: string;
      body: string;
    }[];
    const byPack = new Map(rows.map((x) => [x.pack_id, JSON.parse(x.body) as ReturnExceptionRow]));
    for (const it of r.items) {
      const e = byPack.get(it.packId);
      if (e) it.exception = exceptionOf(e);
    }
    return r;
  }

  async getReturn(returnId: string): Promise<SaleableReturn | undefined> {
    const row = this.db.prepare('SELECT body FROM saleable_returns WHERE return_id = ?').get(returnId) as
      | { body: string }
      | undefined;
    return row ? this.withExceptions(JSON.parse(row.body) as SaleableReturn) : undefined;
  }

  async listReturns(page: {
    limit: number;
    after?: string;
  }): Promise<{ items: SaleableReturn[]; next?: string }> {
    const after = cursorOf(page.after);
    const rows = this.db
      .prepare(
        `SELECT n, body FROM saleable_returns ${after !== undefined ? 'WHERE n < ?' : ''} ORDER BY n DESC LIMIT ?`,
      )
      .all(...(after !== undefined ? [after] : []), page.limit + 1) as { n: number; body: string }[];
    const more = rows.length > page.limit;
    if (more) rows.pop();
    const items = rows.map((r) => this.withExceptions(JSON.parse(r.body) as SaleableReturn));
    return more ? { items, next: String(rows[rows.length - 1]!.n) } : { items };
  }

  async listReturnExceptions(status?: 'open' | 'resolved'): Promise<ReturnExceptionRow[]> {
    const rows = (
      status
        ? this.db
            .prepare(
              'SELECT body FROM return_exceptions WHERE status = ? ORDER BY at DESC, return_id, pack_id',
            )
            .all(status)
        : this.db.prepare('SELECT body FROM return_exceptions ORDER BY at DESC, return_id, pack_id').all()
    ) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as ReturnExceptionRow);
  }

  async resolveReturnException(
    returnId: string,
    packId: string,
    r: { at: string; by: string; resolution: string },
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare(
            "SELECT body FROM return_exceptions WHERE return_id = ? AND pack_id = ? AND status = 'open'",
          )
          .get(returnId, packId) as { body: string } | undefined;
        if (!row) return false;
        const e = JSON.parse(row.body) as ReturnExceptionRow;
        const next: ReturnExceptionRow = {
          ...e,
          status: 'resolved',
          resolvedAt: r.at,
          resolvedBy: r.by,
          resolution: r.resolution,
        };
        this.db
          .prepare(
            "UPDATE return_exceptions SET status = 'resolved', body = ? WHERE return_id = ? AND pack_id = ?",
          )
          .run(JSON.stringify(next), returnId, packId);
        return true;
      })
      .immediate();
  }
}
