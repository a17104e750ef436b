/**
 * The master data registry on PostgreSQL (see ../registry.ts): the same tables as on SQLite, JSONB
 * bodies, text keys `COLLATE "C"` (byte order, as SQLite). A bulk write is one transaction of a
 * fixed number of statements whatever the record count: rows travel as one JSON array
 * (`json_to_recordset`) or as arrays (`unnest`), never one round trip per row.
 */
import type pg from 'pg';
import {
  groupRegistryIds,
  type Location,
  type LocationFilter,
  lastOfEach,
  levelDisplayName,
  locationId,
  type Page,
  type PageOptions,
  type Partner,
  type PartnerFilter,
  type Product,
  type ProductFilter,
  type ProductLevel,
  partnerAuthorisedAt,
  partnerId,
  productId,
  RegistryConflictError,
  type RegistryStore,
  registryLookupId,
  type Stored,
  type UpsertResult,
  unitsPerLevel,
} from '../registry.ts';

const T = 'text COLLATE "C"';

/** Migration 2 of the PostgreSQL schema (./migrations.ts). */
export const REGISTRY_POSTGRES_SQL = `
CREATE TABLE registry_products (
  gtin ${T} PRIMARY KEY,
  name text NOT NULL,
  ndc11 ${T},
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  body json NOT NULL
);
CREATE INDEX registry_products_ndc11 ON registry_products (ndc11) WHERE ndc11 IS NOT NULL;

CREATE TABLE registry_gtins (
  gtin ${T} PRIMARY KEY,
  product ${T} NOT NULL REFERENCES registry_products (gtin) ON DELETE CASCADE,
  level text NOT NULL
);
CREATE INDEX registry_gtins_product ON registry_gtins (product);

CREATE TABLE registry_locations (
  id ${T} PRIMARY KEY,
  gln ${T} NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  country text,
  owner_gln ${T},
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  body json NOT NULL
);
CREATE INDEX registry_locations_gln ON registry_locations (gln);
CREATE INDEX registry_locations_owner ON registry_locations (owner_gln) WHERE owner_gln IS NOT NULL;

CREATE TABLE registry_partners (
  gln ${T} PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL,
  country text,
  licence_expiry ${T},
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  body json NOT NULL
);
`;

interface Row {
  key: string;
  created_at: string;
  updated_at: string;
  body: unknown;
}

function stored<T>(id: string, r: Row): Stored<T> {
  return { id, ...(r.body as T), createdAt: r.created_at, updatedAt: r.updated_at };
}

const SQL = {
  upsertProducts: `INSERT INTO registry_products (gtin, name, ndc11, created_at, updated_at, body)
    SELECT r.gtin, r.name, r.ndc11, $2, $2, r.body FROM json_to_recordset($1::json) AS r(gtin text, name text, ndc11 text, body json)
    ON CONFLICT (gtin) DO UPDATE SET name = EXCLUDED.name, ndc11 = EXCLUDED.ndc11, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
    RETURNING (xmax = 0) AS inserted`,
  insertProduct: `INSERT INTO registry_products (gtin, name, ndc11, created_at, updated_at, body)
    VALUES ($1, $2, $3, $4, $4, $5::json) ON CONFLICT (gtin) DO NOTHING RETURNING gtin`,
  clearGtins: 'DELETE FROM registry_gtins WHERE product = ANY($1::text[])',
  gtinOwners: 'SELECT gtin, product, level FROM registry_gtins WHERE gtin = ANY($1::text[])',
  insertGtins: `INSERT INTO registry_gtins (gtin, product, level) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
  upsertLocations: `INSERT INTO registry_locations (id, gln, name, type, country, owner_gln, created_at, updated_at, body)
    SELECT r.id, r.gln, r.name, r.type, r.country, r.owner_gln, $2, $2, r.body
    FROM json_to_recordset($1::json) AS r(id text, gln text, name text, type text, country text, owner_gln text, body json)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, country = EXCLUDED.country,
      owner_gln = EXCLUDED.owner_gln, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
    RETURNING (xmax = 0) AS inserted`,
  insertLocation: `INSERT INTO registry_locations (id, gln, name, type, country, owner_gln, created_at, updated_at, body)
    SELECT r.id, r.gln, r.name, r.type, r.country, r.owner_gln, $2, $2, r.body
    FROM json_to_recordset($1::json) AS r(id text, gln text, name text, type text, country text, owner_gln text, body json)
    ON CONFLICT (id) DO NOTHING RETURNING id`,
  upsertPartners: `INSERT INTO registry_partners (gln, name, status, country, licence_expiry, created_at, updated_at, body)
    SELECT r.gln, r.name, r.status, r.country, r.licence_expiry, $2, $2, r.body
    FROM json_to_recordset($1::json) AS r(gln text, name text, status text, country text, licence_expiry text, body json)
    ON CONFLICT (gln) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, country = EXCLUDED.country,
      licence_expiry = EXCLUDED.licence_expiry, updated_at = EXCLUDED.updated_at, body = EXCLUDED.body
    RETURNING (xmax = 0) AS inserted`,
  insertPartner: `INSERT INTO registry_partners (gln, name, status, country, licence_expiry, created_at, updated_at, body)
    SELECT r.gln, r.name, r.status, r.country, r.licence_expiry, $2, $2, r.body
    FROM json_to_recordset($1::json) AS r(gln text, name text, status text, country text, licence_expiry text, body json)
    ON CONFLICT (gln) DO NOTHING RETURNING gln`,
  names: `SELECT 'l' AS kind, id AS key, name, NULL AS level FROM registry_locations WHERE id = ANY($1::text[])
    UNION ALL SELECT 'p', gln, name, NULL FROM registry_partners WHERE gln = ANY($2::text[])
    UNION ALL SELECT 'g', g.gtin, p.name, g.level FROM registry_gtins g JOIN registry_products p ON p.gtin = g.product
      WHERE g.gtin = ANY($3::text[])`,
};

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23505';
}

function locationRow(l: Location) {
  return {
    id: locationId(l.gln, l.extension),
    gln: l.gln,
    name: l.name,
    type: l.type,
    country: l.address?.country ?? null,
    owner_gln: l.ownerGln ?? null,
    body: l,
  };
}

function partnerRow(p: Partner) {
  return {
    gln: p.gln,
    name: p.name,
    status: p.status,
    country: p.country ?? null,
    licence_expiry: p.licence?.expiry ?? null,
    body: p,
  };
}

/** Parameter placeholders and values of a dynamic WHERE. */
class Where {
  readonly parts: string[] = [];
  readonly values: unknown[] = [];
  add(sql: (p: string) => string, v: unknown): void {
    this.values.push(v);
    this.parts.push(sql(`$${this.values.length}`));
  }
  sql(): string {
    return this.parts.length ? ` WHERE ${this.parts.join(' AND ')}` : '';
  }
}

export class PostgresRegistry implements RegistryStore {
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
      if (isUniqueViolation(e) && (e as { table?: string }).table === 'registry_gtins') {
        throw new RegistryConflictError(
          `a GTIN of this hierarchy was registered to another product at the same moment (${(e as Error).message})`,
          'packaging',
        );
      }
      throw e;
    } finally {
      c.release();
    }
  }

  private async page<T>(
    table: string,
    key: string,
    w: Where,
    page: PageOptions,
    idOf: (k: string) => string,
  ): Promise<Page<Stored<T>>> {
    if (page.after !== undefined) w.add((p) => `${key} > ${p}`, page.after);
    w.values.push(page.limit + 1);
    const { rows } = await this.pool.query<Row>(
      `SELECT ${key} AS key, created_at, updated_at, body FROM ${table}${w.sql()} ORDER BY ${key} LIMIT $${w.values.length}`,
      w.values,
    );
    const items = rows.slice(0, page.limit).map((r) => stored<T>(idOf(r.key), r));
    return rows.length > page.limit ? { items, next: rows[page.limit - 1]!.key } : { items };
  }

  // ---------------------------------------------------------------------------------------------
  // Products

  /** Replaces the GTIN rows of these products, refusing GTINs another product holds. */
  private async writeGtins(c: pg.PoolClient, ps: Product[]): Promise<void> {
    const gtins: string[] = [];
    const products: string[] = [];
    const levels: string[] = [];
    const seen = new Map<string, { product: string; level: string }>();
    for (const p of ps) {
      const all: [string, string][] = [
        [p.gtin, 'unit'],
        ...p.packaging.map((l) => [l.gtin, l.level] as [string, string]),
      ];
      for (const [gtin, level] of all) {
        const before = seen.get(gtin);
        if (before) {
          throw new RegistryConflictError(
            before.product === p.gtin
              ? `GTIN ${gtin} appears twice in the hierarchy of product ${p.gtin}`
              : `GTIN ${gtin} (${level} of product ${p.gtin}) is already the ${before.level} GTIN of product ${before.product}`,
            level === 'unit' ? 'gtin' : `packaging.${level}.gtin`,
          );
        }
        seen.set(gtin, { product: p.gtin, level });
        gtins.push(gtin);
        products.push(p.gtin);
        levels.push(level);
      }
    }
    await c.query(SQL.clearGtins, [ps.map((p) => p.gtin)]);
    const { rows } = await c.query<{ gtin: string; product: string; level: string }>(SQL.gtinOwners, [gtins]);
    if (rows.length > 0) {
      const o = rows[0]!;
      const mine = seen.get(o.gtin)!;
      throw new RegistryConflictError(
        `GTIN ${o.gtin} (${mine.level} of product ${mine.product}) is already the ${o.level} GTIN of product ${o.product}`,
        mine.level === 'unit' ? 'gtin' : `packaging.${mine.level}.gtin`,
      );
    }
    await c.query(SQL.insertGtins, [gtins, products, levels]);
  }

  async createProduct(p: Product): Promise<boolean> {
    return this.tx(async (c) => {
      const { rowCount } = await c.query(SQL.insertProduct, [
        p.gtin,
        p.name,
        p.ndc11 ?? null,
        new Date().toISOString(),
        JSON.stringify(p),
      ]);
      if (!rowCount) return false;
      await this.writeGtins(c, [p]);
      return true;
    });
  }

  async putProducts(input: Product[]): Promise<UpsertResult> {
    const ps = lastOfEach(input, (p) => p.gtin);
    if (ps.length === 0) return { created: 0, replaced: 0 };
    return this.tx(async (c) => {
      const rows = ps.map((p) => ({ gtin: p.gtin, name: p.name, ndc11: p.ndc11 ?? null, body: p }));
      const r = await c.query<{ inserted: boolean }>(SQL.upsertProducts, [
        JSON.stringify(rows),
        new Date().toISOString(),
      ]);
      await this.writeGtins(c, ps);
      const created = r.rows.filter((x) => x.inserted).length;
      return { created, replaced: r.rows.length - created };
    });
  }

  async getProduct(gtin: string): Promise<Stored<Product> | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT gtin AS key, created_at, updated_at, body FROM registry_products WHERE gtin = $1',
      [gtin],
    );
    return rows[0] ? stored<Product>(productId(gtin), rows[0]) : undefined;
  }

  async listProducts(f: ProductFilter, page: PageOptions): Promise<Page<Stored<Product>>> {
    const w = new Where();
    if (f.market !== undefined) w.add((p) => `(body->'markets')::jsonb ? ${p}`, f.market);
    if (f.ndc11 !== undefined) w.add((p) => `ndc11 = ${p}`, f.ndc11);
    if (f.name !== undefined) w.add((p) => `strpos(lower(name), lower(${p})) > 0`, f.name);
    return this.page<Product>('registry_products', 'gtin', w, page, productId);
  }

  async deleteProduct(gtin: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM registry_products WHERE gtin = $1', [gtin]);
    return (rowCount ?? 0) > 0;
  }

  async productOf(gtin: string): Promise<ProductLevel | undefined> {
    const { rows } = await this.pool.query<Row & { level: ProductLevel['level'] }>(
      `SELECT p.gtin AS key, g.level, p.created_at, p.updated_at, p.body FROM registry_gtins g
       JOIN registry_products p ON p.gtin = g.product WHERE g.gtin = $1`,
      [gtin],
    );
    const r = rows[0];
    if (!r) return undefined;
    const product = stored<Product>(productId(r.key), r);
    return { product, level: r.level, units: unitsPerLevel(product).get(r.level) ?? 1 };
  }

  // ---------------------------------------------------------------------------------------------
  // Locations

  async createLocation(l: Location): Promise<boolean> {
    const { rowCount } = await this.pool.query(SQL.insertLocation, [
      JSON.stringify([locationRow(l)]),
      new Date().toISOString(),
    ]);
    return (rowCount ?? 0) > 0;
  }

  async putLocations(ls: Location[]): Promise<UpsertResult> {
    const rows = lastOfEach(ls.map(locationRow), (r) => r.id);
    if (rows.length === 0) return { created: 0, replaced: 0 };
    // One statement: atomic on its own.
    const r = await this.pool.query<{ inserted: boolean }>(SQL.upsertLocations, [
      JSON.stringify(rows),
      new Date().toISOString(),
    ]);
    const created = r.rows.filter((x) => x.inserted).length;
    return { created, replaced: r.rows.length - created };
  }

  async getLocation(id: string): Promise<Stored<Location> | undefined> {
    const key = registryLookupId(id);
    const { rows } = await this.pool.query<Row>(
      'SELECT id AS key, created_at, updated_at, body FROM registry_locations WHERE id = $1',
      [key],
    );
    return rows[0] ? stored<Location>(key, rows[0]) : undefined;
  }

  async listLocations(f: LocationFilter, page: PageOptions): Promise<Page<Stored<Location>>> {
    const w = new Where();
    if (f.type !== undefined) w.add((p) => `type = ${p}`, f.type);
    if (f.country !== undefined) w.add((p) => `country = ${p}`, f.country);
    if (f.ownerGln !== undefined) w.add((p) => `owner_gln = ${p}`, f.ownerGln);
    if (f.gln !== undefined) w.add((p) => `gln = ${p}`, f.gln);
    if (f.name !== undefined) w.add((p) => `strpos(lower(name), lower(${p})) > 0`, f.name);
    return this.page<Location>('registry_locations', 'id', w, page, (k) => k);
  }

  async deleteLocation(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM registry_locations WHERE id = $1', [
      registryLookupId(id),
    ]);
    return (rowCount ?? 0) > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Partners

  async createPartner(p: Partner): Promise<boolean> {
    const { rowCount } = await this.pool.query(SQL.insertPartner, [
      JSON.stringify([partnerRow(p)]),
      new Date().toISOString(),
    ]);
    return (rowCount ?? 0) > 0;
  }

  async putPartners(ps: Partner[]): Promise<UpsertResult> {
    const rows = lastOfEach(ps.map(partnerRow), (r) => r.gln);
    if (rows.length === 0) return { created: 0, replaced: 0 };
    const r = await this.pool.query<{ inserted: boolean }>(SQL.upsertPartners, [
      JSON.stringify(rows),
      new Date().toISOString(),
    ]);
    const created = r.rows.filter((x) => x.inserted).length;
    return { created, replaced: r.rows.length - created };
  }

  async getPartner(gln: string): Promise<Stored<Partner> | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT gln AS key, created_at, updated_at, body FROM registry_partners WHERE gln = $1',
      [gln],
    );
    return rows[0] ? stored<Partner>(partnerId(gln), rows[0]) : undefined;
  }

  async listPartners(f: PartnerFilter, page: PageOptions): Promise<Page<Stored<Partner>>> {
    const w = new Where();
    if (f.status !== undefined) w.add((p) => `status = ${p}`, f.status);
    if (f.country !== undefined) w.add((p) => `country = ${p}`, f.country);
    if (f.role !== undefined) w.add((p) => `(body->'roles')::jsonb ? ${p}`, f.role);
    if (f.licenceExpiringBy !== undefined) w.add((p) => `licence_expiry <= ${p}`, f.licenceExpiringBy);
    if (f.name !== undefined) w.add((p) => `strpos(lower(name), lower(${p})) > 0`, f.name);
    return this.page<Partner>('registry_partners', 'gln', w, page, partnerId);
  }

  async deletePartner(gln: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM registry_partners WHERE gln = $1', [gln]);
    return (rowCount ?? 0) > 0;
  }

  async isAuthorised(partyGln: string, at: Date): Promise<boolean> {
    const p = await this.getPartner(partyGln);
    return p !== undefined && partnerAuthorisedAt(p, at);
  }

  // ---------------------------------------------------------------------------------------------
  // Names

  async displayNames(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const wanted = groupRegistryIds(ids);
    if (wanted.locations.size + wanted.parties.size + wanted.gtins.size === 0) return out;
    const { rows } = await this.pool.query<{
      kind: 'l' | 'p' | 'g';
      key: string;
      name: string;
      level: ProductLevel['level'] | null;
    }>(SQL.names, [[...wanted.locations.keys()], [...wanted.parties.keys()], [...wanted.gtins.keys()]]);
    for (const r of rows) {
      const group = r.kind === 'l' ? wanted.locations : r.kind === 'p' ? wanted.parties : wanted.gtins;
      const name = r.kind === 'g' ? levelDisplayName(r.name, r.level ?? 'unit') : r.name;
      for (const id of group.get(r.key) ?? []) out.set(id, name);
    }
    return out;
  }
}
