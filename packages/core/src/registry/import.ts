/**
 * CSV files of products, locations and trading partners → checked records. The header row names
 * the fields (any case, spaces, `_` or `-` allowed: `dosage_form`, `Dosage Form`, `dosageForm`);
 * empty cells are absent values; lists (markets, roles) are separated by `;`, `|` or spaces. An
 * unknown column is an error (a misspelt column must not be dropped silently), so is a key twice
 * in one file. Every error carries its line.
 */
import type { Location, Partner, Product } from '@rxtrace/store';
import { locationId } from '@rxtrace/store';
import { headerKey, parseCsv } from './csv.ts';
import {
  type Checked,
  type FieldError,
  validateLocation,
  validatePartner,
  validateProduct,
} from './validate.ts';

export type RegistryKind = 'products' | 'locations' | 'partners';

/** Column (by headerKey) → where its value goes in the input record. */
const COLUMNS: Record<RegistryKind, Record<string, string>> = {
  products: {
    gtin: 'gtin',
    ndc: 'ndc',
    name: 'name',
    strength: 'strength',
    dosageform: 'dosageForm',
    form: 'dosageForm',
    packsize: 'packSize',
    markets: 'markets',
    market: 'markets',
    gcplength: 'gcpLength',
    bundlegtin: 'bundle.gtin',
    bundleqty: 'bundle.quantity',
    bundlequantity: 'bundle.quantity',
    casegtin: 'case.gtin',
    caseqty: 'case.quantity',
    casequantity: 'case.quantity',
    palletgtin: 'pallet.gtin',
    palletqty: 'pallet.quantity',
    palletquantity: 'pallet.quantity',
  },
  locations: {
    gln: 'gln',
    extension: 'extension',
    ext: 'extension',
    name: 'name',
    type: 'type',
    street: 'address.street',
    city: 'address.city',
    postalcode: 'address.postalCode',
    zip: 'address.postalCode',
    country: 'address.country',
    lat: 'geo.lat',
    latitude: 'geo.lat',
    lon: 'geo.lon',
    lng: 'geo.lon',
    longitude: 'geo.lon',
    ownergln: 'ownerGln',
    owner: 'ownerGln',
  },
  partners: {
    gln: 'gln',
    name: 'name',
    roles: 'roles',
    role: 'roles',
    status: 'status',
    licencenumber: 'licence.number',
    licence: 'licence.number',
    licenceauthority: 'licence.authority',
    authority: 'licence.authority',
    licencevalidfrom: 'licence.validFrom',
    validfrom: 'licence.validFrom',
    licenceexpiry: 'licence.expiry',
    expiry: 'licence.expiry',
    country: 'country',
  },
};

const REQUIRED: Record<RegistryKind, string[]> = {
  products: ['gtin', 'name'],
  locations: ['gln', 'name'],
  partners: ['gln', 'name', 'status'],
};

/** Builds the input record of one CSV row from `path → value` pairs. */
function toInput(kind: RegistryKind, cells: [string, string][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const levels: Record<string, Record<string, string>> = {};
  for (const [path, raw] of cells) {
    const v = raw.trim();
    if (v === '') continue;
    const [a, b] = path.split('.') as [string, string | undefined];
    if (kind === 'products' && b !== undefined) {
      levels[a] ??= {};
      levels[a]![b] = v;
    } else if (b !== undefined) {
      const sub = (o[a] ??= {}) as Record<string, unknown>;
      sub[b] = v;
    } else o[a] = v;
  }
  if (kind === 'products') {
    const packaging = Object.entries(levels).map(([level, f]) => ({ level, ...f }));
    if (packaging.length) o.packaging = packaging;
  }
  return o;
}

const VALIDATE = {
  products: validateProduct,
  locations: validateLocation,
  partners: validatePartner,
} as const;

type RecordOf<K extends RegistryKind> = K extends 'products'
  ? Product
  : K extends 'locations'
    ? Location
    : Partner;

export interface ParsedImport<T> {
  /** The valid records, with their lines. */
  records: { line: number; record: T }[];
  /** Errors by line (nothing of a line with an error is in `records`). */
  errors: FieldError[];
  /** Data rows in the file. */
  rows: number;
}

function keyOf(kind: RegistryKind, r: Product | Location | Partner): string {
  if (kind === 'locations') return locationId((r as Location).gln, (r as Location).extension);
  return kind === 'products' ? (r as Product).gtin : (r as Partner).gln;
}

function describeKey(kind: RegistryKind, r: Product | Location | Partner): string {
  if (kind === 'products') return `GTIN ${(r as Product).gtin}`;
  if (kind === 'locations') {
    const l = r as Location;
    return l.extension ? `GLN ${l.gln} extension ${l.extension}` : `GLN ${l.gln}`;
  }
  return `GLN ${(r as Partner).gln}`;
}

/** Reads a CSV file of `kind` records and checks every row. */
export function parseRegistryCsv<K extends RegistryKind>(kind: K, text: string): ParsedImport<RecordOf<K>> {
  const csv = parseCsv(text);
  if (!csv.ok) return { records: [], errors: csv.errors, rows: 0 };
  const columns = COLUMNS[kind];
  const paths: string[] = [];
  const errors: FieldError[] = [];
  const seenPath = new Map<string, string>();
  csv.header.values.forEach((h, i) => {
    const path = columns[headerKey(h)];
    if (!path) {
      errors.push({
        field: h,
        line: 1,
        message: `line 1: unknown column '${h}' (columns: ${[...new Set(Object.keys(columns))].join(', ')})`,
      });
      return;
    }
    const before = seenPath.get(path);
    if (before !== undefined)
      errors.push({
        field: h,
        line: 1,
        message: `line 1: columns '${before}' and '${h}' are the same field`,
      });
    seenPath.set(path, h);
    paths[i] = path;
  });
  for (const r of REQUIRED[kind])
    if (!seenPath.has(r))
      errors.push({ field: r, line: 1, message: `line 1: the header has no '${r}' column` });
  if (errors.length) return { records: [], errors, rows: csv.records.length };

  const validate = VALIDATE[kind] as (i: unknown) => Checked<RecordOf<K>>;
  const records: { line: number; record: RecordOf<K> }[] = [];
  const firstLine = new Map<string, number>();
  for (const row of csv.records) {
    const input = toInput(
      kind,
      row.values.map((v, i) => [paths[i]!, v]),
    );
    const r = validate(input);
    if (!r.ok) {
      for (const e of r.errors)
        errors.push({ ...e, line: row.line, message: `line ${row.line}: ${e.message}` });
      continue;
    }
    const key = keyOf(kind, r.value);
    const first = firstLine.get(key);
    if (first !== undefined) {
      errors.push({
        field: kind === 'products' ? 'gtin' : 'gln',
        line: row.line,
        message: `line ${row.line}: ${describeKey(kind, r.value)} is also on line ${first}`,
      });
      continue;
    }
    firstLine.set(key, row.line);
    records.push({ line: row.line, record: r.value });
  }
  return { records, errors, rows: csv.records.length };
}
