/**
 * The master data registry on SQLite (see ../registry.ts). Small tables beside the event log:
 * each record's JSON body plus the columns it is looked up and filtered by. A product's GTINs at
 * every level of its hierarchy (the unit included) are rows of `registry_gtins`, whose primary key
 * makes a GTIN belong to one product at one level. Bulk writes run in one IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import {
  groupRegistryIds,
  type Location,
  type LocationFilter,
  lastOfEach,
  levelDisplayName,
  locationId,
  type PackagingLevelName,
  type Page,
  type PageOptions,
  type Partner,
  type PartnerFilter,
  type Product,
  type ProductFilter,
  type ProductLevel,
  partnerAuthorisedAt,
  RegistryConflictError,
  type RegistryStore,
  registryLookupId,
  type Stored,
  type UpsertResult,
  unitsPerLevel,
} from '../registry.ts';

/** Migration 2 of the SQLite schema (./schema.ts). */
export const REGISTRY_SCHEMA_SQL = `
CREATE TABLE registry_products (
  gtin TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  ndc11 TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX registry_products_ndc11 ON registry_products (ndc11) WHERE ndc11 IS NOT NULL;

CREATE TABLE registry_gtins (
  gtin TEXT PRIMARY KEY,
  product TEXT NOT NULL REFERENCES registry_products (gtin) ON DELETE CASCADE,
  level TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX registry_gtins_product ON registry_gtins (product);

CREATE TABLE registry_locations (
  id TEXT PRIMARY KEY,
  gln TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  country TEXT,
  owner_gln TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX registry_locations_gln ON registry_locations (gln);
CREATE INDEX registry_locations_owner ON registry_locations (owner_gln) WHERE owner_gln IS NOT NULL;

CREATE TABLE registry_partners (
  gln TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  country TEXT,
  licence_expiry TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
`;

type Db = Database.Database;
type Stmt = Database.Statement;

interface Row {
  created_at: string;
  updated_at: string;
  body: string;
}

function stored<T>(id: string, r: Row): Stored<T> {
  return { id, ...(JSON.parse(r.body) as T), createdAt: r.created_at, updatedAt: r.updated_at };
}

function productBody(p: Product): string {
  return JSON.stringify(p);
}

function pageOf<T>(rows: T[], limit: number, keyOf: (r: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: keyOf(items[items.length - 1]!) };
}

export class SqliteRegistry implements RegistryStore {
  private s?: ReturnType<SqliteRegistry['prepare']>;
  private readonly cache = new Map<string, Stmt>();

  constructor(
    private readonly db: Db,
    private readonly assertReady: () => void,
  ) {}

  /** Statements, prepared on first use (the tables exist once migrate() ran). */
  private get st() {
    this.assertReady();
    this.s ??= this.prepare();
    return this.s;
  }

  private prepare() {
    const db = this.db;
    return {
      productExists: db.prepare('SELECT 1 FROM registry_products WHERE gtin = ?').pluck(),
      insertProduct: db.prepare(
        'INSERT INTO registry_products (gtin, name, ndc11, created_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updateProduct: db.prepare(
        'UPDATE registry_products SET name = ?, ndc11 = ?, updated_at = ?, body = ? WHERE gtin = ?',
      ),
      clearGtins: db.prepare('DELETE FROM registry_gtins WHERE product = ?'),
      gtinOwner: db.prepare('SELECT product, level FROM registry_gtins WHERE gtin = ?'),
      insertGtin: db.prepare('INSERT INTO registry_gtins (gtin, product, level) VALUES (?, ?, ?)'),
      getProduct: db.prepare('SELECT created_at, updated_at, body FROM registry_products WHERE gtin = ?'),
      deleteProduct: db.prepare('DELETE FROM registry_products WHERE gtin = ?'),
      productOf: db.prepare(
        `SELECT g.level, p.gtin, p.created_at, p.updated_at, p.body FROM registry_gtins g
         JOIN registry_products p ON p.gtin = g.product WHERE g.gtin = ?`,
      ),
      productNames: db.prepare(
        `SELECT g.gtin, g.level, p.name FROM registry_gtins g JOIN registry_products p ON p.gtin = g.product
         WHERE g.gtin IN (SELECT value FROM json_each(?))`,
      ),
      locationExists: db.prepare('SELECT 1 FROM registry_locations WHERE id = ?').pluck(),
      insertLocation: db.prepare(
        `INSERT INTO registry_locations (id, gln, name, type, country, owner_gln, created_at, updated_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateLocation: db.prepare(
        'UPDATE registry_locations SET name = ?, type = ?, country = ?, owner_gln = ?, updated_at = ?, body = ? WHERE id = ?',
      ),
      getLocation: db.prepare('SELECT created_at, updated_at, body FROM registry_locations WHERE id = ?'),
      deleteLocation: db.prepare('DELETE FROM registry_locations WHERE id = ?'),
      locationNames: db.prepare(
        'SELECT id, name FROM registry_locations WHERE id IN (SELECT value FROM json_each(?))',
      ),
      partnerExists: db.prepare('SELECT 1 FROM registry_partners WHERE gln = ?').pluck(),
      insertPartner: db.prepare(
        `INSERT INTO registry_partners (gln, name, status, country, licence_expiry, created_at, updated_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updatePartner: db.prepare(
        'UPDATE registry_partners SET name = ?, status = ?, country = ?, licence_expiry = ?, updated_at = ?, body = ? WHERE gln = ?',
      ),
      getPartner: db.prepare('SELECT created_at, updated_at, body FROM registry_partners WHERE gln = ?'),
      deletePartner: db.prepare('DELETE FROM registry_partners WHERE gln = ?'),
      partnerNames: db.prepare(
        'SELECT gln, name FROM registry_partners WHERE gln IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  private statement(sql: string): Stmt {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Products

  /** Writes the GTIN rows of a product, refusing GTINs another product holds. */
  private writeGtins(p: Product): void {
    const st = this.st;
    st.clearGtins.run(p.gtin);
    const levels: [string, 'unit' | PackagingLevelName][] = [
      [p.gtin, 'unit'],
      ...p.packaging.map((l) => [l.gtin, l.level] as [string, PackagingLevelName]),
    ];
    for (const [gtin, level] of levels) {
      const owner = st.gtinOwner.get(gtin) as { product: string; level: string } | undefined;
      if (owner) {
        throw new RegistryConflictError(
          owner.product === p.gtin
            ? `GTIN ${gtin} appears twice in the hierarchy of product ${p.gtin}`
            : `GTIN ${gtin} (${level} of product ${p.gtin}) is already the ${owner.level} GTIN of product ${owner.product}`,
          level === 'unit' ? 'gtin' : `packaging.${level}.gtin`,
        );
      }
      st.insertGtin.run(gtin, p.gtin, level);
    }
  }

  async createProduct(p: Product): Promise<boolean> {
    const st = this.st;
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        if (st.productExists.get(p.gtin)) return false;
        st.insertProduct.run(p.gtin, p.name, p.ndc11 ?? null, now, now, productBody(p));
        this.writeGtins(p);
        return true;
      })
      .immediate();
  }

  async putProducts(ps: Product[]): Promise<UpsertResult> {
    const st = this.st;
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        const r: UpsertResult = { created: 0, replaced: 0 };
        for (const p of lastOfEach(ps, (x) => x.gtin)) {
          if (st.productExists.get(p.gtin)) {
            st.updateProduct.run(p.name, p.ndc11 ?? null, now, productBody(p), p.gtin);
            r.replaced++;
          } else {
            st.insertProduct.run(p.gtin, p.name, p.ndc11 ?? null, now, now, productBody(p));
            r.created++;
          }
          this.writeGtins(p);
        }
        return r;
      })
      .immediate();
  }

  async getProduct(gtin: string): Promise<Stored<Product> | undefined> {
    const r = this.st.getProduct.get(gtin) as Row | undefined;
    return r ? stored<Product>(productIdOf(gtin), r) : undefined;
  }

  async listProducts(f: ProductFilter, page: PageOptions): Promise<Page<Stored<Product>>> {
    this.assertReady();
    const where: string[] = [];
    const params: unknown[] = [];
    if (page.after !== undefined) {
      where.push('gtin > ?');
      params.push(page.after);
    }
    if (f.market !== undefined) {
      where.push("EXISTS (SELECT 1 FROM json_each(body, '$.markets') WHERE value = ?)");
      params.push(f.market);
    }
    if (f.ndc11 !== undefined) {
      where.push('ndc11 = ?');
      params.push(f.ndc11);
    }
    if (f.name !== undefined) {
      where.push('instr(lower(name), lower(?)) > 0');
      params.push(f.name);
    }
    const sql = `SELECT gtin, created_at, updated_at, body FROM registry_products${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY gtin LIMIT ?`;
    const rows = this.statement(sql).all(...params, page.limit + 1) as (Row & { gtin: string })[];
    const p = pageOf(rows, page.limit, (r) => r.gtin);
    return {
      items: p.items.map((r) => stored<Product>(productIdOf(r.gtin), r)),
      ...(p.next ? { next: p.next } : {}),
    };
  }

  async deleteProduct(gtin: string): Promise<boolean> {
    return this.st.deleteProduct.run(gtin).changes > 0;
  }

  async productOf(gtin: string): Promise<ProductLevel | undefined> {
    const r = this.st.productOf.get(gtin) as
      | (Row & { level: ProductLevel['level']; gtin: string })
      | undefined;
    if (!r) return undefined;
    const product = stored<Product>(productIdOf(r.gtin), r);
    return { product, level: r.level, units: unitsPerLevel(product).get(r.level) ?? 1 };
  }

  // ---------------------------------------------------------------------------------------------
  // Locations

  private locationColumns(l: Location): [string, string, string | null, string | null] {
    return [l.name, l.type, l.address?.country ?? null, l.ownerGln ?? null];
  }

  async createLocation(l: Location): Promise<boolean> {
    const st = this.st;
    const id = locationId(l.gln, l.extension);
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        if (st.locationExists.get(id)) return false;
        st.insertLocation.run(id, l.gln, ...this.locationColumns(l), now, now, JSON.stringify(l));
        return true;
      })
      .immediate();
  }

  async putLocations(ls: Location[]): Promise<UpsertResult> {
    const st = this.st;
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        const r: UpsertResult = { created: 0, replaced: 0 };
        for (const l of lastOfEach(ls, (x) => locationId(x.gln, x.extension))) {
          const id = locationId(l.gln, l.extension);
          if (st.locationExists.get(id)) {
            st.updateLocation.run(...this.locationColumns(l), now, JSON.stringify(l), id);
            r.replaced++;
          } else {
            st.insertLocation.run(id, l.gln, ...this.locationColumns(l), now, now, JSON.stringify(l));
            r.created++;
          }
        }
        return r;
      })
      .immediate();
  }

  async getLocation(id: string): Promise<Stored<Location> | undefined> {
    const key = registryLookupId(id);
    const r = this.st.getLocation.get(key) as Row | undefined;
    return r ? stored<Location>(key, r) : undefined;
  }

  async listLocations(f: LocationFilter, page: PageOptions): Promise<Page<Stored<Location>>> {
    this.assertReady();
    const where: string[] = [];
    const params: unknown[] = [];
    if (page.after !== undefined) {
      where.push('id > ?');
      params.push(page.after);
    }
    const eq = (column: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`${column} = ?`);
      params.push(v);
    };
    eq('type', f.type);
    eq('country', f.country);
    eq('owner_gln', f.ownerGln);
    eq('gln', f.gln);
    if (f.name !== undefined) {
      where.push('instr(lower(name), lower(?)) > 0');
      params.push(f.name);
    }
    const sql = `SELECT id, created_at, updated_at, body FROM registry_locations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    const rows = this.statement(sql).all(...params, page.limit + 1) as (Row & { id: string })[];
    const p = pageOf(rows, page.limit, (r) => r.id);
    return { items: p.items.map((r) => stored<Location>(r.id, r)), ...(p.next ? { next: p.next } : {}) };
  }

  async deleteLocation(id: string): Promise<boolean> {
    return this.st.deleteLocation.run(registryLookupId(id)).changes > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Partners

  private partnerColumns(p: Partner): [string, string, string | null, string | null] {
    return [p.name, p.status, p.country ?? null, p.licence?.expiry ?? null];
  }

  async createPartner(p: Partner): Promise<boolean> {
    const st = this.st;
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        if (st.partnerExists.get(p.gln)) return false;
        st.insertPartner.run(p.gln, ...this.partnerColumns(p), now, now, JSON.stringify(p));
        return true;
      })
      .immediate();
  }

  async putPartners(ps: Partner[]): Promise<UpsertResult> {
    const st = this.st;
    const now = new Date().toISOString();
    return this.db
      .transaction(() => {
        const r: UpsertResult = { created: 0, replaced: 0 };
        for (const p of lastOfEach(ps, (x) => x.gln)) {
          if (st.partnerExists.get(p.gln)) {
            st.updatePartner.run(...this.partnerColumns(p), now, JSON.stringify(p), p.gln);
            r.replaced++;
          } else {
            st.insertPartner.run(p.gln, ...this.partnerColumns(p), now, now, JSON.stringify(p));
            r.created++;
          }
        }
        return r;
      })
      .immediate();
  }

  async getPartner(gln: string): Promise<Stored<Partner> | undefined> {
    const r = this.st.getPartner.get(gln) as Row | undefined;
    return r ? stored<Partner>(partyIdOf(gln), r) : undefined;
  }

  async listPartners(f: PartnerFilter, page: PageOptions): Promise<Page<Stored<Partner>>> {
    this.assertReady();
    const where: string[] = [];
    const params: unknown[] = [];
    if (page.after !== undefined) {
      where.push('gln > ?');
      params.push(page.after);
    }
    if (f.status !== undefined) {
      where.push('status = ?');
      params.push(f.status);
    }
    if (f.country !== undefined) {
      where.push('country = ?');
      params.push(f.country);
    }
    if (f.role !== undefined) {
      where.push("EXISTS (SELECT 1 FROM json_each(body, '$.roles') WHERE value = ?)");
      params.push(f.role);
    }
    if (f.licenceExpiringBy !== undefined) {
      where.push('licence_expiry <= ?');
      params.push(f.licenceExpiringBy);
    }
    if (f.name !== undefined) {
      where.push('instr(lower(name), lower(?)) > 0');
      params.push(f.name);
    }
    const sql = `SELECT gln, created_at, updated_at, body FROM registry_partners${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY gln LIMIT ?`;
    const rows = this.statement(sql).all(...params, page.limit + 1) as (Row & { gln: string })[];
    const p = pageOf(rows, page.limit, (r) => r.gln);
    return {
      items: p.items.map((r) => stored<Partner>(partyIdOf(r.gln), r)),
      ...(p.next ? { next: p.next } : {}),
    };
  }

  async deletePartner(gln: string): Promise<boolean> {
    return this.st.deletePartner.run(gln).changes > 0;
  }

  async isAuthorised(partyGln: string, at: Date): Promise<boolean> {
    const p = await this.getPartner(partyGln);
    return p !== undefined && partnerAuthorisedAt(p, at);
  }

  // ---------------------------------------------------------------------------------------------
  // Names

  async displayNames(ids: string[]): Promise<Map<string, string>> {
    const st = this.st;
    const out = new Map<string, string>();
    const wanted = groupRegistryIds(ids);
    if (wanted.locations.size) {
      for (const r of st.locationNames.all(JSON.stringify([...wanted.locations.keys()])) as {
        id: string;
        name: string;
      }[])
        for (const id of wanted.locations.get(r.id) ?? []) out.set(id, r.name);
    }
    if (wanted.parties.size) {
      for (const r of st.partnerNames.all(JSON.stringify([...wanted.parties.keys()])) as {
        gln: string;
        name: string;
      }[])
        for (const id of wanted.parties.get(r.gln) ?? []) out.set(id, r.name);
    }
    if (wanted.gtins.size) {
      for (const r of st.productNames.all(JSON.stringify([...wanted.gtins.keys()])) as {
        gtin: string;
        level: ProductLevel['level'];
        name: string;
      }[]) {
        const name = levelDisplayName(r.name, r.level);
        for (const id of wanted.gtins.get(r.gtin) ?? []) out.set(id, name);
      }
    }
    return out;
  }
}

function productIdOf(gtin: string): string {
  return `https://id.gs1.org/01/${gtin}`;
}

function partyIdOf(gln: string): string {
  return `https://id.gs1.org/417/${gln}`;
}
