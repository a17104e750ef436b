/**
 * The EPC schemes of the EPC Tag Data Standard (TDS): the fields of each pure-identity URI, the
 * rules each field follows, and which binary tag encodings exist for it.
 */

/** Scheme names as written in EPC URIs (`urn:epc:id:<scheme>:…`, `urn:epc:class:lgtin:…`). */
export type EpcScheme =
  | 'sgtin'
  | 'lgtin'
  | 'sscc'
  | 'sgln'
  | 'grai'
  | 'giai'
  | 'gsrn'
  | 'gsrnp'
  | 'gdti'
  | 'cpi'
  | 'sgcn'
  | 'ginc'
  | 'gsin'
  | 'itip'
  | 'upui'
  | 'pgln'
  | 'gid'
  | 'usdod'
  | 'adi'
  | 'bic'
  | 'imovn';

/** Binary tag encodings (`urn:epc:tag:<name>:…`). */
export type TagScheme =
  | 'sgtin-96'
  | 'sgtin-198'
  | 'sscc-96'
  | 'sgln-96'
  | 'sgln-195'
  | 'grai-96'
  | 'grai-170'
  | 'giai-96'
  | 'giai-202'
  | 'gsrn-96'
  | 'gsrnp-96'
  | 'gdti-96'
  | 'gdti-174'
  | 'cpi-96'
  | 'cpi-var'
  | 'sgcn-96'
  | 'itip-110'
  | 'itip-212'
  | 'gid-96'
  | 'usdod-96'
  | 'adi-var';

/** How one dot-separated field of a URI body is written and checked. */
export type FieldSpec =
  /** GS1 Company Prefix: 6 to 12 digits (the range the TDS partition tables cover). */
  | { kind: 'gcp'; name: string }
  /** Zero-padded digits ("PaddedNumericComponent"); `empty` allows zero digits. */
  | { kind: 'digits'; name: string; empty?: boolean; exact?: number; max?: number }
  /** GS1 set 82 characters, URI-escaped; `max` counts decoded characters. */
  | { kind: 'gs3a3'; name: string; max: number }
  /** CPI component/part reference: set 39 characters, `/` and `#` escaped. */
  | { kind: 'cpref'; name: string }
  /** Decimal integer without leading zeros ("NumericComponent"), at most `max`. */
  | { kind: 'int'; name: string; max: bigint }
  /** US DoD CAGE code (5) or DoDAAC (6): digits and upper case except I and O. */
  | { kind: 'cage'; name: string }
  /** ADI original part number: 0–32 characters of A–Z 0–9 - /. */
  | { kind: 'adiPart'; name: string }
  /** ADI serial: 1–30 characters of A–Z 0–9 - /, optionally starting with #. */
  | { kind: 'adiSerial'; name: string }
  /** ISO 6346 container code (BIC), with its check digit. */
  | { kind: 'bic'; name: string }
  /** IMO vessel number (7 digits, the last a check digit). */
  | { kind: 'imovn'; name: string };

/** How the GS1 key of an EPC is built from its fields, for the schemes that correspond to one key. */
export interface KeyRule {
  /** Number of leading fields that make up the key proper (they may not be wildcards in a pattern). */
  fields: number;
  /** The field appended to the key when it is part of it (GDTI, GRAI, SGCN serials; GIAI, GINC references). */
  suffixField?: number;
}

export interface SchemeDef {
  scheme: EpcScheme;
  /** `id` for instance identifiers, `class` for LGTIN. */
  type: 'id' | 'class';
  title: string;
  fields: readonly FieldSpec[];
  /** Exact number of digits of GS1 Company Prefix + the second field (e.g. 13 for SGTIN). */
  keyDigits?: number;
  /** Maximum characters of GS1 Company Prefix + the second field (30 for GIAI, GINC, CPI). */
  maxKeyChars?: number;
  /** Binary encodings, smallest first. */
  tags: readonly TagScheme[];
  /** The GS1 key, for schemes that correspond to exactly one key. */
  key?: KeyRule;
  /** True when the EPC has a GS1 element-string equivalent. */
  gs1: boolean;
  /** Pattern URIs (`urn:epc:idpat:`) exist for this scheme. */
  pattern: boolean;
}

const gcp: FieldSpec = { kind: 'gcp', name: 'companyPrefix' };
const pow2 = (n: number): bigint => (1n << BigInt(n)) - 1n;

export const SCHEMES: Readonly<Record<EpcScheme, SchemeDef>> = {
  sgtin: {
    scheme: 'sgtin',
    type: 'id',
    title: 'Serialised Global Trade Item Number (SGTIN)',
    fields: [gcp, { kind: 'digits', name: 'itemReference' }, { kind: 'gs3a3', name: 'serial', max: 20 }],
    keyDigits: 13,
    tags: ['sgtin-96', 'sgtin-198'],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  lgtin: {
    scheme: 'lgtin',
    type: 'class',
    title: 'GTIN + batch/lot (LGTIN)',
    fields: [gcp, { kind: 'digits', name: 'itemReference' }, { kind: 'gs3a3', name: 'lot', max: 20 }],
    keyDigits: 13,
    tags: [],
    key: { fields: 2 },
    gs1: true,
    pattern: false,
  },
  sscc: {
    scheme: 'sscc',
    type: 'id',
    title: 'Serial Shipping Container Code (SSCC)',
    fields: [gcp, { kind: 'digits', name: 'serialReference' }],
    keyDigits: 17,
    tags: ['sscc-96'],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  sgln: {
    scheme: 'sgln',
    type: 'id',
    title: 'Global Location Number with extension (SGLN)',
    fields: [
      gcp,
      { kind: 'digits', name: 'locationReference', empty: true },
      { kind: 'gs3a3', name: 'extension', max: 20 },
    ],
    keyDigits: 12,
    tags: ['sgln-96', 'sgln-195'],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  grai: {
    scheme: 'grai',
    type: 'id',
    title: 'Global Returnable Asset Identifier (GRAI)',
    fields: [
      gcp,
      { kind: 'digits', name: 'assetType', empty: true },
      { kind: 'gs3a3', name: 'serial', max: 16 },
    ],
    keyDigits: 12,
    tags: ['grai-96', 'grai-170'],
    key: { fields: 2, suffixField: 2 },
    gs1: true,
    pattern: true,
  },
  giai: {
    scheme: 'giai',
    type: 'id',
    title: 'Global Individual Asset Identifier (GIAI)',
    fields: [gcp, { kind: 'gs3a3', name: 'assetReference', max: 30 }],
    maxKeyChars: 30,
    tags: ['giai-96', 'giai-202'],
    key: { fields: 1, suffixField: 1 },
    gs1: true,
    pattern: true,
  },
  gsrn: {
    scheme: 'gsrn',
    type: 'id',
    title: 'Global Service Relation Number – recipient (GSRN)',
    fields: [gcp, { kind: 'digits', name: 'serviceReference' }],
    keyDigits: 17,
    tags: ['gsrn-96'],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  gsrnp: {
    scheme: 'gsrnp',
    type: 'id',
    title: 'Global Service Relation Number – provider (GSRNP)',
    fields: [gcp, { kind: 'digits', name: 'serviceReference' }],
    keyDigits: 17,
    tags: ['gsrnp-96'],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  gdti: {
    scheme: 'gdti',
    type: 'id',
    title: 'Global Document Type Identifier (GDTI)',
    fields: [
      gcp,
      { kind: 'digits', name: 'documentType', empty: true },
      { kind: 'gs3a3', name: 'serial', max: 17 },
    ],
    keyDigits: 12,
    tags: ['gdti-96', 'gdti-174'],
    key: { fields: 2, suffixField: 2 },
    gs1: true,
    pattern: true,
  },
  cpi: {
    scheme: 'cpi',
    type: 'id',
    title: 'Component / Part Identifier (CPI)',
    fields: [
      gcp,
      { kind: 'cpref', name: 'componentPartReference' },
      { kind: 'int', name: 'serial', max: 999_999_999_999n },
    ],
    maxKeyChars: 30,
    tags: ['cpi-96', 'cpi-var'],
    gs1: true,
    pattern: true,
  },
  sgcn: {
    scheme: 'sgcn',
    type: 'id',
    title: 'Serialised Global Coupon Number (SGCN)',
    fields: [
      gcp,
      { kind: 'digits', name: 'couponReference', empty: true },
      { kind: 'digits', name: 'serial', max: 12 },
    ],
    keyDigits: 12,
    tags: ['sgcn-96'],
    key: { fields: 2, suffixField: 2 },
    gs1: true,
    pattern: true,
  },
  ginc: {
    scheme: 'ginc',
    type: 'id',
    title: 'Global Identification Number for Consignment (GINC)',
    fields: [gcp, { kind: 'gs3a3', name: 'consignmentReference', max: 30 }],
    maxKeyChars: 30,
    tags: [],
    key: { fields: 1, suffixField: 1 },
    gs1: true,
    pattern: true,
  },
  gsin: {
    scheme: 'gsin',
    type: 'id',
    title: 'Global Shipment Identification Number (GSIN)',
    fields: [gcp, { kind: 'digits', name: 'shipperReference' }],
    keyDigits: 16,
    tags: [],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  itip: {
    scheme: 'itip',
    type: 'id',
    title: 'Individual Trade Item Piece (ITIP)',
    fields: [
      gcp,
      { kind: 'digits', name: 'itemReference' },
      { kind: 'digits', name: 'piece', exact: 2 },
      { kind: 'digits', name: 'total', exact: 2 },
      { kind: 'gs3a3', name: 'serial', max: 20 },
    ],
    keyDigits: 13,
    tags: ['itip-110', 'itip-212'],
    gs1: true,
    pattern: true,
  },
  upui: {
    scheme: 'upui',
    type: 'id',
    title: 'Unit Pack Unique Identifier (UPUI: GTIN + TPX)',
    fields: [gcp, { kind: 'digits', name: 'itemReference' }, { kind: 'gs3a3', name: 'tpx', max: 28 }],
    keyDigits: 13,
    tags: [],
    gs1: true,
    pattern: true,
  },
  pgln: {
    scheme: 'pgln',
    type: 'id',
    title: 'Global Location Number of a party (PGLN)',
    fields: [gcp, { kind: 'digits', name: 'partyReference', empty: true }],
    keyDigits: 12,
    tags: [],
    key: { fields: 2 },
    gs1: true,
    pattern: true,
  },
  gid: {
    scheme: 'gid',
    type: 'id',
    title: 'General Identifier (GID)',
    fields: [
      { kind: 'int', name: 'managerNumber', max: pow2(28) },
      { kind: 'int', name: 'objectClass', max: pow2(24) },
      { kind: 'int', name: 'serial', max: pow2(36) },
    ],
    tags: ['gid-96'],
    gs1: false,
    pattern: true,
  },
  usdod: {
    scheme: 'usdod',
    type: 'id',
    title: 'US Department of Defense identifier (USDOD)',
    fields: [
      { kind: 'cage', name: 'cageOrDodaac' },
      { kind: 'int', name: 'serial', max: pow2(36) },
    ],
    tags: ['usdod-96'],
    gs1: false,
    pattern: true,
  },
  adi: {
    scheme: 'adi',
    type: 'id',
    title: 'Aerospace and Defense Identifier (ADI)',
    fields: [
      { kind: 'cage', name: 'cageOrDodaac' },
      { kind: 'adiPart', name: 'originalPartNumber' },
      { kind: 'adiSerial', name: 'serial' },
    ],
    tags: ['adi-var'],
    gs1: false,
    pattern: true,
  },
  bic: {
    scheme: 'bic',
    type: 'id',
    title: 'BIC intermodal container code (ISO 6346)',
    fields: [{ kind: 'bic', name: 'containerCode' }],
    tags: [],
    gs1: false,
    pattern: false,
  },
  imovn: {
    scheme: 'imovn',
    type: 'id',
    title: 'IMO vessel number',
    fields: [{ kind: 'imovn', name: 'vesselNumber' }],
    tags: [],
    gs1: false,
    pattern: false,
  },
};

export const isEpcScheme = (s: string): s is EpcScheme => Object.hasOwn(SCHEMES, s);
