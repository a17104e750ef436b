/**
 * DSCSA records on SQLite (see ../dscsa.ts): JSON bodies plus lookup columns; `ord` (the rowid)
 * orders the lists newest first and is their page token. Writes are IMMEDIATE transactions.
 */
import type Database from 'better-sqlite3';
import type { CaseFilter, DscsaStore, ExceptionFilter, PartnerException, SuspectCase } from '../dscsa.ts';

/** Migration 8 of the SQLite schema. */
export const DSCSA_SQLITE_SQL = `
CREATE TABLE dscsa_exceptions (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  receipt_event TEXT NOT NULL,
  category TEXT NOT NULL,
  item_key TEXT NOT NULL,
  status TEXT NOT NULL,
  shipment_event TEXT,
  partner_gln TEXT,
  body TEXT NOT NULL,
  UNIQUE (receipt_event, category, item_key)
);
CREATE INDEX dscsa_exceptions_status ON dscsa_exceptions (status, ord);
CREATE INDEX dscsa_exceptions_shipment ON dscsa_exceptions (shipment_event) WHERE shipment_event IS NOT NULL;
CREATE TABLE dscsa_cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
-- An existing log is not re-checked: the receipt check starts after the last event stored now.
INSERT INTO dscsa_cursors (name, seq) SELECT 'receipt-check', COALESCE(MAX(seq), 0) FROM events;
CREATE TABLE dscsa_cases (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX dscsa_cases_status ON dscsa_cases (status, ord);
`;

type Db = Database.Database;

function page<T>(rows: { ord: number; body: string }[], limit: number): { items: T[]; next?: string } {
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => JSON.parse(r.body) as T);
  return more ? { items, next: String(rows[limit - 1]!.ord) } : { items };
}

function afterOrd(after: string | undefined): number {
  if (after === undefined) return Number.MAX_SAFE_INTEGER;
  const n = Number(after);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid page token '${after}'`);
  return n;
}

export class SqliteDscsaStore implements DscsaStore {
  constructor(private readonly db: Db) {}

  async addExceptions(
    items: PartnerException[],
    cursor?: { name: string; seq: number },
  ): Promise<PartnerException[]> {
    const ins = this.db.prepare(
      `INSERT INTO dscsa_exceptions (id, receipt_event, category, item_key, status, shipment_event, partner_gln, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const cur = this.db.prepare(
      'INSERT INTO dscsa_cursors (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq)',
    );
    return this.db
      .transaction(() => {
        const stored: PartnerException[] = [];
        for (const e of items) {
          const r = ins.run(
            e.id,
            e.receiptEventId,
            e.category,
            e.itemKey,
            e.status,
            e.shipmentEventId ?? null,
            e.partnerGln ?? null,
            JSON.stringify(e),
          );
          if (r.changes) stored.push(e);
        }
        if (cursor) cur.run(cursor.name, cursor.seq);
        return stored;
      })
      .immediate();
  }

  async getException(id: string): Promise<PartnerException | undefined> {
    const r = this.db.prepare('SELECT body FROM dscsa_exceptions WHERE id = ?').get(id) as
      | { body: string }
      | undefined;
    return r ? (JSON.parse(r.body) as PartnerException) : undefined;
  }

  async listExceptions(
    f: ExceptionFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: PartnerException[]; next?: string }> {
    const where = ['ord < ?'];
    const args: unknown[] = [afterOrd(opts.after)];
    const add = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`${col} = ?`);
      args.push(v);
    };
    add('status', f.status);
    add('category', f.category);
    add('receipt_event', f.receiptEventId);
    add('shipment_event', f.shipmentEventId);
    add('partner_gln', f.partnerGln);
    const rows = this.db
      .prepare(
        `SELECT ord, body FROM dscsa_exceptions WHERE ${where.join(' AND ')} ORDER BY ord DESC LIMIT ?`,
      )
      .all(...args, opts.limit + 1) as { ord: number; body: string }[];
    return page(rows, opts.limit);
  }

  async updateException(e: PartnerException, expectedStatus: PartnerException['status']): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE dscsa_exceptions SET status = ?, body = ? WHERE id = ? AND status = ?')
      .run(e.status, JSON.stringify(e), e.id, expectedStatus);
    return r.changes === 1;
  }

  async getCursor(name: string): Promise<number> {
    const r = this.db.prepare('SELECT seq FROM dscsa_cursors WHERE name = ?').get(name) as
      | { seq: number }
      | undefined;
    return r?.seq ?? 0;
  }

  async setCursor(name: string, seq: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO dscsa_cursors (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq',
      )
      .run(name, seq);
  }

  async createCase(c: SuspectCase): Promise<boolean> {
    const r = this.db
      .prepare(
        'INSERT INTO dscsa_cases (id, status, version, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(c.id, c.status, c.version, JSON.stringify(c));
    return r.changes === 1;
  }

  async getCase(id: string): Promise<SuspectCase | undefined> {
    const r = this.db.prepare('SELECT body FROM dscsa_cases WHERE id = ?').get(id) as
      | { body: string }
      | undefined;
    return r ? (JSON.parse(r.body) as SuspectCase) : undefined;
  }

  async updateCase(c: SuspectCase): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE dscsa_cases SET status = ?, version = ?, body = ? WHERE id = ? AND version = ?')
      .run(c.status, c.version, JSON.stringify(c), c.id, c.version - 1);
    return r.changes === 1;
  }

  async listCases(
    f: CaseFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: SuspectCase[]; next?: string }> {
    const where = ['ord < ?'];
    const args: unknown[] = [afterOrd(opts.after)];
    if (f.status !== undefined) {
      where.push('status = ?');
      args.push(f.status);
    }
    const rows = this.db
      .prepare(`SELECT ord, body FROM dscsa_cases WHERE ${where.join(' AND ')} ORDER BY ord DESC LIMIT ?`)
      .all(...args, opts.limit + 1) as { ord: number; body: string }[];
    return page(rows, opts.limit);
  }
}
