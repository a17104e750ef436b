/**
 * The master data registry: products (GTIN, NDC, packaging hierarchy), locations (GLN / SGLN) and
 * trading partners (party GLN, roles, licence). The records here are already valid and
 * normalised (GTIN-14, 13-digit GLN, ISO country codes…): checking input is @rxtrace/core's job
 * (core/registry/validate.ts). The store keeps them, keyed and indexed, and answers the lookups
 * other features need — the name of an identifier on a pack's journey (`displayNames`), the
 * product of any GTIN of its hierarchy (`productOf`), the DSCSA authorised-trading-partner check
 * (`isAuthorised`).
 *
 * Identifiers in the canonical Digital Link form of `normaliseIdentifier` (@rxtrace/epcis):
 * a product class `https://id.gs1.org/01/<GTIN-14>`, a location `https://id.gs1.org/414/<GLN>` or
 * `…/414/<GLN>/254/<extension>`, a party `https://id.gs1.org/417/<GLN>`.
 */
import { CANONICAL_ID_STEM, normaliseIdentifier } from '@rxtrace/epcis';

/** Packaging levels above the unit (the saleable pack), smallest first. */
export const PACKAGING_LEVELS = ['bundle', 'case', 'pallet'] as const;
export type PackagingLevelName = (typeof PACKAGING_LEVELS)[number];

export interface PackagingLevel {
  level: PackagingLevelName;
  /** GTIN-14 of this level. */
  gtin: string;
  /** How many items of the level below (the unit for the first level) one item of this level holds. */
  quantity: number;
}

export interface Product {
  /** GTIN-14 of the unit of sale (the pack a patient gets). */
  gtin: string;
  /** US National Drug Code as labelled, hyphenated (`0591-0933-01`), when sold in the US. */
  ndc?: string;
  /** The 11-digit HIPAA form of `ndc` (5-4-2, no hyphens). */
  ndc11?: string;
  name: string;
  strength?: string;
  dosageForm?: string;
  /** Units (tablets, vials…) in one pack. */
  packSize?: number;
  /** ISO 3166-1 alpha-2 codes, upper case, sorted, unique. */
  markets: string[];
  /** Digits of the GS1 Company Prefix in the GTIN (needed for EPC URNs). */
  gcpLength: number;
  /** The levels above the unit, smallest first (each level at most once). */
  packaging: PackagingLevel[];
}

export const LOCATION_TYPES = [
  'site',
  'plant',
  'line',
  'warehouse',
  'distribution-centre',
  'dock',
  'pharmacy',
  'hospital',
  'clinic',
  'office',
  'other',
] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export interface Address {
  street?: string;
  city?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface Location {
  /** 13-digit GLN. */
  gln: string;
  /** SGLN extension (AI 254), absent for the GLN itself (an extension `0` means the GLN). */
  extension?: string;
  name: string;
  type: LocationType;
  address?: Address;
  geo?: { lat: number; lon: number };
  /** GLN of the party that owns or runs the location. */
  ownerGln?: string;
}

export const PARTNER_ROLES = [
  'manufacturer',
  'repackager',
  'wholesaler',
  'dispenser',
  '3pl',
  'mah',
  'parallel-importer',
] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const PARTNER_STATUSES = ['authorised', 'suspended', 'revoked'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

export interface Licence {
  /** State licence, FDA registration, EU wholesale / manufacturing authorisation number… */
  number: string;
  /** Who issued it (e.g. `FDA`, `CA Board of Pharmacy`, `BfArM`). */
  authority: string;
  /** First day of validity, `YYYY-MM-DD` (UTC). */
  validFrom?: string;
  /** Last day of validity, `YYYY-MM-DD` (UTC): valid through the end of that day. */
  expiry?: string;
}

export interface Partner {
  /** Party GLN, 13 digits. */
  gln: string;
  name: string;
  /** Unique, in the order of PARTNER_ROLES. */
  roles: PartnerRole[];
  status: PartnerStatus;
  licence?: Licence;
  /** ISO 3166-1 alpha-2 of the party's seat. */
  country?: string;
}

/** A record as stored: the data plus its canonical identifier and times (ISO 8601, UTC). */
export type Stored<T> = T & { id: string; createdAt: string; updatedAt: string };

export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

export interface PageOptions {
  /** 1 to 1000. */
  limit: number;
  /** The `next` of the previous page. */
  after?: string;
}

export interface ProductFilter {
  /** Products sold in this market (ISO 3166-1 alpha-2). */
  market?: string;
  /** Products with this NDC-11 (no hyphens). */
  ndc11?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
}

export interface LocationFilter {
  type?: LocationType;
  country?: string;
  ownerGln?: string;
  /** The GLN and its SGLNs. */
  gln?: string;
  name?: string;
}

export interface PartnerFilter {
  status?: PartnerStatus;
  role?: PartnerRole;
  country?: string;
  /** Partners whose licence expires on or before this day (`YYYY-MM-DD`). */
  licenceExpiringBy?: string;
  name?: string;
}

/** What `productOf` finds for a GTIN: the product and the level the GTIN stands for. */
export interface ProductLevel {
  product: Stored<Product>;
  level: 'unit' | PackagingLevelName;
  /** Units of sale in one item of this level (1 for the unit). */
  units: number;
}

export interface UpsertResult {
  created: number;
  replaced: number;
}

/** A write refused because it contradicts stored data (e.g. a GTIN already used by another product). */
export class RegistryConflictError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RegistryConflictError';
  }
}

export interface RegistryStore {
  // Products, keyed by the unit GTIN-14.
  /** Stores a new product; false (nothing changed) when one with that GTIN exists. */
  createProduct(p: Product): Promise<boolean>;
  /**
   * Creates or replaces products in ONE transaction (all or nothing). Rejects with a
   * RegistryConflictError when a GTIN of a hierarchy belongs to another product.
   */
  putProducts(ps: Product[]): Promise<UpsertResult>;
  getProduct(gtin: string): Promise<Stored<Product> | undefined>;
  /** By GTIN (byte order). */
  listProducts(filter: ProductFilter, page: PageOptions): Promise<Page<Stored<Product>>>;
  deleteProduct(gtin: string): Promise<boolean>;
  /** The product whose hierarchy holds this GTIN-14 (at the unit or any level above). */
  productOf(gtin: string): Promise<ProductLevel | undefined>;

  // Locations, keyed by their canonical id (see locationId).
  createLocation(l: Location): Promise<boolean>;
  putLocations(ls: Location[]): Promise<UpsertResult>;
  getLocation(id: string): Promise<Stored<Location> | undefined>;
  /** By id (byte order). */
  listLocations(filter: LocationFilter, page: PageOptions): Promise<Page<Stored<Location>>>;
  deleteLocation(id: string): Promise<boolean>;

  // Trading partners, keyed by party GLN.
  createPartner(p: Partner): Promise<boolean>;
  putPartners(ps: Partner[]): Promise<UpsertResult>;
  getPartner(gln: string): Promise<Stored<Partner> | undefined>;
  /** By GLN. */
  listPartners(filter: PartnerFilter, page: PageOptions): Promise<Page<Stored<Partner>>>;
  deletePartner(gln: string): Promise<boolean>;
  /**
   * The DSCSA authorised-trading-partner check: the party is registered, its status is
   * `authorised`, and its licence is valid on `at` (see partnerAuthorisedAt).
   */
  isAuthorised(partyGln: string, at: Date): Promise<boolean>;

  /**
   * Registered names of identifiers in canonical Digital Link form: locations (`/414/…`, an SGLN
   * `/254/0` standing for its GLN), parties (`/417/…`), product classes (`/01/<GTIN-14>`, any level
   * of a hierarchy; levels above the unit named `<name> (case)` …). Unknown ids are absent from
   * the map; an id that is not canonical is normalised first (the map key stays the id given).
   */
  displayNames(ids: string[]): Promise<Map<string, string>>;
}

/** The canonical id of a product class: `https://id.gs1.org/01/<GTIN-14>`. */
export function productId(gtin14: string): string {
  return `${CANONICAL_ID_STEM}01/${gtin14}`;
}

/** The canonical id of a location: `https://id.gs1.org/414/<GLN>[/254/<extension>]`. */
export function locationId(gln: string, extension?: string): string {
  if (extension === undefined || extension === '' || extension === '0')
    return `${CANONICAL_ID_STEM}414/${gln}`;
  return normaliseIdentifier(`${CANONICAL_ID_STEM}414/${gln}/254/${encodeURIComponent(extension)}`);
}

/** The canonical id of a party: `https://id.gs1.org/417/<GLN>`. */
export function partnerId(gln: string): string {
  return `${CANONICAL_ID_STEM}417/${gln}`;
}

/**
 * The id `displayNames` looks up for an identifier: canonical form, an SGLN with extension `0`
 * as its GLN.
 */
export function registryLookupId(id: string): string {
  const canonical = id.startsWith(CANONICAL_ID_STEM) ? id : normaliseIdentifier(id);
  const m = /^(https:\/\/id\.gs1\.org\/414\/\d{13})\/254\/0$/.exec(canonical);
  return m ? m[1]! : canonical;
}

/** End of a `YYYY-MM-DD` day (UTC), in ms. */
function endOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
}

/**
 * True when the partner may trade on `at`: status `authorised`, a licence, `at` on or after its
 * first day (when given) and on or before its last day (when given; valid through that day, UTC).
 */
export function partnerAuthorisedAt(p: Partner, at: Date): boolean {
  if (p.status !== 'authorised' || !p.licence) return false;
  const t = at.getTime();
  if (Number.isNaN(t)) return false;
  if (p.licence.validFrom && t < Date.parse(`${p.licence.validFrom}T00:00:00.000Z`)) return false;
  if (p.licence.expiry && t >= endOfDay(p.licence.expiry)) return false;
  return true;
}

/** Units of sale in one item of each level of a product (unit: 1). */
export function unitsPerLevel(p: Product): Map<'unit' | PackagingLevelName, number> {
  const out = new Map<'unit' | PackagingLevelName, number>([['unit', 1]]);
  let n = 1;
  for (const l of p.packaging) {
    n *= l.quantity;
    out.set(l.level, n);
  }
  return out;
}

/** The name `displayNames` gives a GTIN of a product (named `name`) at a level. */
export function levelDisplayName(name: string, level: 'unit' | PackagingLevelName): string {
  return level === 'unit' ? name : `${name} (${level})`;
}

/** Each record once, the last one of each key winning, in the order of first appearance. */
export function lastOfEach<T>(items: readonly T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const t of items) m.set(key(t), t);
  return [...m.values()];
}

const PRODUCT_ID = /^https:\/\/id\.gs1\.org\/01\/(\d{14})$/;
const PARTY_ID = /^https:\/\/id\.gs1\.org\/417\/(\d{13})$/;
const LOCATION_ID = /^https:\/\/id\.gs1\.org\/414\/\d{13}(\/254\/[^/]+)?$/;

/** The ids asked for, grouped by what they name: lookup key → the ids given for it. */
export function groupRegistryIds(ids: string[]): {
  locations: Map<string, string[]>;
  parties: Map<string, string[]>;
  gtins: Map<string, string[]>;
} {
  const locations = new Map<string, string[]>();
  const parties = new Map<string, string[]>();
  const gtins = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, id: string) => {
    const l = m.get(k);
    if (l) l.push(id);
    else m.set(k, [id]);
  };
  for (const id of new Set(ids)) {
    if (typeof id !== 'string') continue;
    const key = registryLookupId(id);
    if (LOCATION_ID.test(key)) {
      add(locations, key, id);
      continue;
    }
    const party = PARTY_ID.exec(key);
    if (party) {
      add(parties, party[1]!, id);
      continue;
    }
    const product = PRODUCT_ID.exec(key);
    if (product) add(gtins, product[1]!, id);
  }
  return { locations, parties, gtins };
}
