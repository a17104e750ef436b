/**
 * DSCSA records on PostgreSQL (see ../dscsa.ts), the same tables and behaviour as SQLite's:
 * JSON bodies (jsonb), lookup columns, `ord` (identity) as the newest-first order and page token.
 */
import type pg from 'pg';
import type { CaseFilter, DscsaStore, ExceptionFilter, PartnerException, SuspectCase } from '../dscsa.ts';

/** Migration 8 of the PostgreSQL schema. */
export const DSCSA_POSTGRES_SQL = `
CREATE TABLE dscsa_exceptions (
  ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  receipt_event text COLLATE "C" NOT NULL,
  category text NOT NULL,
  item_key text COLLATE "C" NOT NULL,
  status text NOT NULL,
  shipment_event text COLLATE "C",
  partner_gln text,
  body jsonb NOT NULL,
  UNIQUE (receipt_event, category, item_key)
);
CREATE INDEX dscsa_exceptions_status ON dscsa_exceptions (status, ord);
CREATE INDEX dscsa_exceptions_shipment ON dscsa_exceptions (shipment_event) WHERE shipment_event IS NOT NULL;
CREATE TABLE dscsa_cursors (name text PRIMARY KEY, seq bigint NOT NULL);
-- An existing log is not re-checked: the receipt check starts after the last event stored now.
INSERT INTO dscsa_cursors (name, seq) SELECT 'receipt-check', COALESCE(MAX(seq), 0) FROM events;
CREATE TABLE dscsa_cases (
  ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  status text NOT NULL,
  version integer NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX dscsa_cases_status ON dscsa_cases (status, ord);
`;

function page<T>(rows: { ord: string; body: T }[], limit: number): { items: T[]; next?: string } {
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => r.body);
  return more ? { items, next: String(rows[limit - 1]!.ord) } : { items };
}

function afterOrd(after: string | undefined): string {
  if (after === undefined) return '9223372036854775807';
  if (!/^\d{1,18}$/.test(after)) throw new RangeError(`invalid page token '${after}'`);
  return after;
}

export class PostgresDscsaStore implements DscsaStore {
  constructor(private readonly pool: pg.Pool) {}

  async addExceptions(
    items: PartnerException[],
    cursor?: { name: string; seq: number },
  ): Promise<PartnerException[]> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const stored: PartnerException[] = [];
      if (items.length) {
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO dscsa_exceptions (id, receipt_event, category, item_key, status, shipment_event, partner_gln, body)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            items.map((e) => e.id),
            items.map((e) => e.receiptEventId),
            items.map((e) => e.category),
            items.map((e) => e.itemKey),
            items.map((e) => e.status),
            items.map((e) => e.shipmentEventId ?? null),
            items.map((e) => e.partnerGln ?? null),
            items.map((e) => JSON.stringify(e)),
          ],
        );
        const ids = new Set(rows.map((r) => r.id));
        for (const e of items) if (ids.has(e.id)) stored.push(e);
      }
      if (cursor)
        await c.query(
          `INSERT INTO dscsa_cursors (name, seq) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET seq = GREATEST(dscsa_cursors.seq, excluded.seq)`,
          [cursor.name, cursor.seq],
        );
      await c.query('COMMIT');
      return stored;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async getException(id: string): Promise<PartnerException | undefined> {
    const { rows } = await this.pool.query<{ body: PartnerException }>(
      'SELECT body FROM dscsa_exceptions WHERE id = $1',
      [id],
    );
    return rows[0]?.body;
  }

  async listExceptions(
    f: ExceptionFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: PartnerException[]; next?: string }> {
    const args: unknown[] = [afterOrd(opts.after)];
    const where = ['ord < $1'];
    const add = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      args.push(v);
      where.push(`${col} = $${args.length}`);
    };
    add('status', f.status);
    add('category', f.category);
    add('receipt_event', f.receiptEventId);
    add('shipment_event', f.shipmentEventId);
    add('partner_gln', f.partnerGln);
    args.push(opts.limit + 1);
    const { rows } = await this.pool.query<{ ord: string; body: PartnerException }>(
      `SELECT ord, body FROM dscsa_exceptions WHERE ${where.join(' AND ')} ORDER BY ord DESC LIMIT $${args.length}`,
      args,
    );
    return page(rows, opts.limit);
  }

  async updateException(e: PartnerException, expectedStatus: PartnerException['status']): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE dscsa_exceptions SET status = $1, body = $2 WHERE id = $3 AND status = $4',
      [e.status, JSON.stringify(e), e.id, expectedStatus],
    );
    return rowCount === 1;
  }

  async getCursor(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>('SELECT seq FROM dscsa_cursors WHERE name = $1', [
      name,
    ]);
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  async setCursor(name: string, seq: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO dscsa_cursors (name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq',
      [name, seq],
    );
  }

  async createCase(c: SuspectCase): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO dscsa_cases (id, status, version, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [c.id, c.status, c.version, JSON.stringify(c)],
    );
    return rowCount === 1;
  }

  async getCase(id: string): Promise<SuspectCase | undefined> {
    const { rows } = await this.pool.query<{ body: SuspectCase }>(
      'SELECT body FROM dscsa_cases WHERE id = $1',
      [id],
    );
    return rows[0]?.body;
  }

  async updateCase(c: SuspectCase): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE dscsa_cases SET status = $1, version = $2, body = $3 WHERE id = $4 AND version = $5',
      [c.status, c.version, JSON.stringify(c), c.id, c.version - 1],
    );
    return rowCount === 1;
  }

  async listCases(
    f: CaseFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: SuspectCase[]; next?: string }> {
    const args: unknown[] = [afterOrd(opts.after)];
    const where = ['ord < $1'];
    if (f.status !== undefined) {
      args.push(f.status);
      where.push(`status = $${args.length}`);
    }
    args.push(opts.limit + 1);
    const { rows } = await this.pool.query<{ ord: string; body: SuspectCase }>(
      `SELECT ord, body FROM dscsa_cases WHERE ${where.join(' AND ')} ORDER BY ord DESC LIMIT $${args.length}`,
      args,
    );
    return page(rows, opts.limit);
  }
}
