/**
 * The registry's use cases over a RegistryStore: records checked (validate.ts) before they are
 * stored, identifiers accepted in every written form (a GTIN of 8–14 digits or its Digital Link; a
 * GLN, SGLN Digital Link or EPC URN…), CSV imports all or nothing by default. Failures are
 * RegistryErrors: `invalid` (with the field errors), `not-found`, `conflict`.
 */
import { normaliseIdentifier } from '@rxtrace/epcis';
import { ndcTo11, normalizeGtin } from '@rxtrace/gs1';
import {
  type Location,
  type LocationFilter,
  locationId,
  type Page,
  type Partner,
  type PartnerFilter,
  type Product,
  type ProductFilter,
  type ProductLevel,
  RegistryConflictError,
  type RegistryStore,
  type Stored,
  type UpsertResult,
} from '@rxtrace/store';
import { type ParsedImport, parseRegistryCsv, type RegistryKind } from './import.ts';
import {
  type Checked,
  checkExtension,
  type FieldError,
  validateLocation,
  validatePartner,
  validateProduct,
} from './validate.ts';

export class RegistryError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface ListQuery {
  /** 1–1000, default 100. */
  limit?: number;
  after?: string;
}

export interface ImportOptions {
  /** Store the valid rows even when others have errors (default false: all or nothing). */
  partial?: boolean;
}

export interface ImportResult extends UpsertResult {
  /** Data rows in the file. */
  rows: number;
  /** Rows stored. */
  stored: number;
  /** Errors by line (only with `partial`; otherwise an error rejects the whole file). */
  errors: FieldError[];
}

/** A location key: its GLN and extension. */
export interface LocationKey {
  gln: string;
  extension?: string;
}

function invalid(errors: FieldError[], what: string): RegistryError {
  const first = errors[0]?.message ?? 'invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new RegistryError('invalid', `${what}: ${first}${more}`, errors);
}

function checked<T>(r: Checked<T>, what: string): T {
  if (!r.ok) throw invalid(r.errors, what);
  return r.value;
}

/** A GTIN from a path or option: 8–14 digits, or a Digital Link / EPC identifier of a GTIN. */
export function parseGtinKey(s: string): string {
  let raw = s.trim();
  if (!/^\d+$/.test(raw)) {
    const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})(?:\/|$)/.exec(normaliseIdentifier(raw));
    if (!m)
      throw new RegistryError(
        'invalid',
        `'${s}' is not a GTIN (8, 12, 13 or 14 digits, or a GS1 Digital Link or EPC URI of one)`,
        [{ field: 'gtin', message: `'${s}' is not a GTIN` }],
      );
    raw = m[1]!;
  }
  const r = normalizeGtin(raw);
  if (!r.ok)
    throw new RegistryError('invalid', r.errors[0]!.message, [
      { field: 'gtin', message: r.errors[0]!.message },
    ]);
  return r.value;
}

/** A GLN from a path or option: 13 digits, or a party / location identifier (`/417/`, `/414/`, URN). */
export function parseGlnKey(s: string, field = 'gln'): string {
  const raw = s.trim();
  let gln = raw;
  if (!/^\d{13}$/.test(raw)) {
    const m = /^https:\/\/id\.gs1\.org\/41[47]\/(\d{13})$/.exec(normaliseIdentifier(raw));
    if (!m)
      throw new RegistryError(
        'invalid',
        `'${s}' is not a GLN (13 digits, or a GS1 Digital Link or EPC URI of a party or location)`,
        [{ field, message: `'${s}' is not a GLN` }],
      );
    gln = m[1]!;
  }
  const r = validateLocation({ gln, name: 'x', type: 'other' });
  if (!r.ok) {
    const e = r.errors.find((x) => x.field === 'gln');
    if (e) throw new RegistryError('invalid', e.message, [{ ...e, field }]);
  }
  return gln;
}

/**
 * A location key: a GLN (with `extension`), or an SGLN written as a Digital Link
 * (`…/414/<GLN>/254/<ext>`, any domain) or EPC URN (`urn:epc:id:sgln:…`).
 */
export function parseLocationKey(s: string, extension?: string): LocationKey {
  const raw = s.trim();
  let gln: string;
  let ext = extension;
  if (/^\d{13}$/.test(raw)) gln = raw;
  else {
    const m = /^https:\/\/id\.gs1\.org\/414\/(\d{13})(?:\/254\/([^/]+))?$/.exec(normaliseIdentifier(raw));
    if (!m)
      throw new RegistryError(
        'invalid',
        `'${s}' is not a GLN or SGLN (13 digits, a GS1 Digital Link with /414/, or urn:epc:id:sgln:…)`,
        [{ field: 'gln', message: `'${s}' is not a GLN or SGLN` }],
      );
    gln = m[1]!;
    if (m[2] !== undefined) {
      if (ext !== undefined)
        throw new RegistryError('invalid', 'the extension is given twice', [
          { field: 'extension', message: 'the extension is given twice' },
        ]);
      ext = decodeURIComponent(m[2]);
    }
  }
  parseGlnKey(gln);
  const e = checkExtension(ext);
  if (!e.ok) throw new RegistryError('invalid', e.message, [{ field: 'extension', message: e.message }]);
  return e.value === undefined ? { gln } : { gln, extension: e.value };
}

function limitOf(q: ListQuery): number {
  const l = q.limit ?? 100;
  if (!Number.isInteger(l) || l < 1 || l > 1000)
    throw new RegistryError('invalid', `the page size must be a whole number from 1 to 1000, not ${l}`, [
      { field: 'limit', message: 'from 1 to 1000' },
    ]);
  return l;
}

function pageOpts(q: ListQuery) {
  return { limit: limitOf(q), ...(q.after !== undefined && q.after !== '' ? { after: q.after } : {}) };
}

export class RegistryService {
  constructor(readonly store: RegistryStore) {}

  // ---------------------------------------------------------------------------------------------
  // Products

  /** Stores a new product; a conflict when its GTIN is registered. */
  async createProduct(input: unknown): Promise<Stored<Product>> {
    const p = checked(validateProduct(input), 'the product is not valid');
    if (!(await this.conflicts(() => this.store.createProduct(p))))
      throw new RegistryError(
        'conflict',
        `a product with GTIN ${p.gtin} is registered already (PUT /products/${p.gtin} replaces it)`,
      );
    return (await this.store.getProduct(p.gtin))!;
  }

  /** Creates or replaces the product of `gtinKey`; the body's gtin, when given, must be the same. */
  async putProduct(gtinKey: string, input: unknown): Promise<{ record: Stored<Product>; created: boolean }> {
    const gtin = parseGtinKey(gtinKey);
    const body =
      typeof input === 'object' && input !== null && !Array.isArray(input) ? { gtin, ...input } : input;
    const p = checked(validateProduct(body), 'the product is not valid');
    if (p.gtin !== gtin)
      throw new RegistryError('invalid', `the body's gtin ${p.gtin} is not the GTIN of the URL (${gtin})`, [
        { field: 'gtin', message: 'differs from the URL' },
      ]);
    const r = await this.conflicts(() => this.store.putProducts([p]));
    return { record: (await this.store.getProduct(gtin))!, created: r.created === 1 };
  }

  async getProduct(gtinKey: string): Promise<Stored<Product>> {
    const gtin = parseGtinKey(gtinKey);
    const p = await this.store.getProduct(gtin);
    if (!p) throw new RegistryError('not-found', `there is no product with GTIN ${gtin}`);
    return p;
  }

  async listProducts(
    f: { market?: string; ndc?: string; name?: string },
    q: ListQuery = {},
  ): Promise<Page<Stored<Product>>> {
    const filter: ProductFilter = {};
    if (f.market) filter.market = f.market.trim().toUpperCase();
    if (f.name) filter.name = f.name;
    if (f.ndc) {
      const n = ndcTo11(f.ndc);
      if (!n.ok)
        throw new RegistryError('invalid', `ndc: ${n.errors[0]!.message}`, [
          { field: 'ndc', message: n.errors[0]!.message },
        ]);
      filter.ndc11 = n.value;
    }
    return this.store.listProducts(filter, pageOpts(q));
  }

  async deleteProduct(gtinKey: string): Promise<void> {
    const gtin = parseGtinKey(gtinKey);
    if (!(await this.store.deleteProduct(gtin)))
      throw new RegistryError('not-found', `there is no product with GTIN ${gtin}`);
  }

  /** The product of a GTIN at any level of its hierarchy, or undefined. */
  async productOf(gtinKey: string): Promise<ProductLevel | undefined> {
    return this.store.productOf(parseGtinKey(gtinKey));
  }

  // ---------------------------------------------------------------------------------------------
  // Locations

  async createLocation(input: unknown): Promise<Stored<Location>> {
    const l = checked(validateLocation(input), 'the location is not valid');
    const id = locationId(l.gln, l.extension);
    if (!(await this.store.createLocation(l)))
      throw new RegistryError('conflict', `the location ${id} is registered already (PUT replaces it)`);
    return (await this.store.getLocation(id))!;
  }

  async putLocation(
    key: LocationKey,
    input: unknown,
  ): Promise<{ record: Stored<Location>; created: boolean }> {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      checked(validateLocation(input), 'the location is not valid');
    const body = input as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...body, gln: body.gln ?? key.gln };
    if (key.extension !== undefined && body.extension === undefined) merged.extension = key.extension;
    const l = checked(validateLocation(merged), 'the location is not valid');
    if (l.gln !== key.gln || (l.extension ?? undefined) !== key.extension)
      throw new RegistryError(
        'invalid',
        `the body names ${locationId(l.gln, l.extension)}, not the location of the URL (${locationId(key.gln, key.extension)})`,
        [{ field: 'gln', message: 'differs from the URL' }],
      );
    const r = await this.store.putLocations([l]);
    return {
      record: (await this.store.getLocation(locationId(l.gln, l.extension)))!,
      created: r.created === 1,
    };
  }

  async getLocation(key: LocationKey): Promise<Stored<Location>> {
    const id = locationId(key.gln, key.extension);
    const l = await this.store.getLocation(id);
    if (!l) throw new RegistryError('not-found', `there is no location ${id}`);
    return l;
  }

  async listLocations(f: LocationFilter, q: ListQuery = {}): Promise<Page<Stored<Location>>> {
    const filter: LocationFilter = { ...f };
    if (f.country) filter.country = f.country.trim().toUpperCase();
    if (f.gln) filter.gln = parseGlnKey(f.gln);
    if (f.ownerGln) filter.ownerGln = parseGlnKey(f.ownerGln, 'ownerGln');
    return this.store.listLocations(filter, pageOpts(q));
  }

  async deleteLocation(key: LocationKey): Promise<void> {
    const id = locationId(key.gln, key.extension);
    if (!(await this.store.deleteLocation(id)))
      throw new RegistryError('not-found', `there is no location ${id}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Partners

  async createPartner(input: unknown): Promise<Stored<Partner>> {
    const p = checked(validatePartner(input), 'the trading partner is not valid');
    if (!(await this.store.createPartner(p)))
      throw new RegistryError(
        'conflict',
        `a trading partner with GLN ${p.gln} is registered already (PUT /partners/${p.gln} replaces it)`,
      );
    return (await this.store.getPartner(p.gln))!;
  }

  async putPartner(glnKey: string, input: unknown): Promise<{ record: Stored<Partner>; created: boolean }> {
    const gln = parseGlnKey(glnKey);
    const body =
      typeof input === 'object' && input !== null && !Array.isArray(input) ? { gln, ...input } : input;
    const p = checked(validatePartner(body), 'the trading partner is not valid');
    if (p.gln !== gln)
      throw new RegistryError('invalid', `the body's gln ${p.gln} is not the GLN of the URL (${gln})`, [
        { field: 'gln', message: 'differs from the URL' },
      ]);
    const r = await this.store.putPartners([p]);
    return { record: (await this.store.getPartner(gln))!, created: r.created === 1 };
  }

  async getPartner(glnKey: string): Promise<Stored<Partner>> {
    const gln = parseGlnKey(glnKey);
    const p = await this.store.getPartner(gln);
    if (!p) throw new RegistryError('not-found', `there is no trading partner with GLN ${gln}`);
    return p;
  }

  async listPartners(f: PartnerFilter, q: ListQuery = {}): Promise<Page<Stored<Partner>>> {
    const filter: PartnerFilter = { ...f };
    if (f.country) filter.country = f.country.trim().toUpperCase();
    return this.store.listPartners(filter, pageOpts(q));
  }

  async deletePartner(glnKey: string): Promise<void> {
    const gln = parseGlnKey(glnKey);
    if (!(await this.store.deletePartner(gln)))
      throw new RegistryError('not-found', `there is no trading partner with GLN ${gln}`);
  }

  /** The DSCSA authorised-trading-partner check (see RegistryStore.isAuthorised). */
  async isAuthorised(partyGln: string, at: Date = new Date()): Promise<boolean> {
    return this.store.isAuthorised(parseGlnKey(partyGln), at);
  }

  /** Registered names of canonical identifiers (see RegistryStore.displayNames). */
  displayNames(ids: string[]): Promise<Map<string, string>> {
    return this.store.displayNames(ids);
  }

  // ---------------------------------------------------------------------------------------------
  // Imports

  /** Parses and checks a CSV file of `kind` records without storing anything. */
  parseCsv(kind: RegistryKind, text: string): ParsedImport<Product | Location | Partner> {
    return parseRegistryCsv(kind, text);
  }

  /**
   * Imports a CSV file: every row checked, then the records written in ONE transaction (created or
   * replaced). By default a single error rejects the file (RegistryError 'invalid' with every error
   * and its line) and nothing is stored; with `partial` the valid rows are stored and the errors
   * returned.
   */
  async importCsv(kind: RegistryKind, text: string, opts: ImportOptions = {}): Promise<ImportResult> {
    const parsed = parseRegistryCsv(kind, text);
    if (parsed.errors.length && (!opts.partial || parsed.records.length === 0))
      throw invalid(parsed.errors, `the file was not imported (nothing was stored)`);
    const records = parsed.records.map((r) => r.record);
    let res: UpsertResult = { created: 0, replaced: 0 };
    if (records.length) {
      if (kind === 'products')
        res = await this.conflicts(() => this.store.putProducts(records as Product[]), parsed);
      else if (kind === 'locations') res = await this.store.putLocations(records as Location[]);
      else res = await this.store.putPartners(records as Partner[]);
    }
    return { ...res, rows: parsed.rows, stored: records.length, errors: parsed.errors };
  }

  /** Runs a product write, turning a store conflict into a RegistryError (with the CSV line when known). */
  private async conflicts<R>(
    write: () => Promise<R>,
    parsed?: ParsedImport<Product | Location | Partner>,
  ): Promise<R> {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof RegistryConflictError)) throw e;
      const gtin = /GTIN (\d{14}) \((?:\w+) of product (\d{14})\)/.exec(e.message)?.[2];
      const line = gtin ? parsed?.records.find((r) => (r.record as Product).gtin === gtin)?.line : undefined;
      const message = line !== undefined ? `line ${line}: ${e.message}` : e.message;
      throw new RegistryError('conflict', message, [
        { field: e.field ?? 'gtin', message, ...(line !== undefined ? { line } : {}) },
      ]);
    }
  }
}
