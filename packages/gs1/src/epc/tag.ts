/**
 * EPC binary encodings for RFID tags (TDS section 14) and tag URIs (`urn:epc:tag:sgtin-96:1.…`).
 * Hex output is upper case and zero-padded to whole 16-bit words, as EPC memory is read.
 */
import { CSET82 } from '../charsets.ts';
import type { Gs1Problem, Result } from '../errors.ts';
import { BitReader, BitWriter, binaryToHex, hexToBinary } from './bits.ts';
import { type EpcScheme, SCHEMES, type TagScheme } from './schemes.ts';
import { buildEpcUri, type EpcUri, parseEpcUri } from './uri.ts';

/** One row of a TDS partition table: GCP bits/digits, then the bits/digits (or characters) of the reference. */
type PartitionRow = readonly [gcpBits: number, gcpDigits: number, refBits: number, refDigits: number];
type PartitionTable = readonly PartitionRow[];

// Rows are indexed by the partition value P = 0…6 (GCP of 12 down to 6 digits).
const P_SGTIN: PartitionTable = [
  [40, 12, 4, 1],
  [37, 11, 7, 2],
  [34, 10, 10, 3],
  [30, 9, 14, 4],
  [27, 8, 17, 5],
  [24, 7, 20, 6],
  [20, 6, 24, 7],
];
const P_SSCC: PartitionTable = [
  [40, 12, 18, 5],
  [37, 11, 21, 6],
  [34, 10, 24, 7],
  [30, 9, 28, 8],
  [27, 8, 31, 9],
  [24, 7, 34, 10],
  [20, 6, 38, 11],
];
const P_SGLN: PartitionTable = [
  [40, 12, 1, 0],
  [37, 11, 4, 1],
  [34, 10, 7, 2],
  [30, 9, 11, 3],
  [27, 8, 14, 4],
  [24, 7, 17, 5],
  [20, 6, 21, 6],
];
const P_GRAI: PartitionTable = [
  [40, 12, 4, 0],
  [37, 11, 7, 1],
  [34, 10, 10, 2],
  [30, 9, 14, 3],
  [27, 8, 17, 4],
  [24, 7, 20, 5],
  [20, 6, 24, 6],
];
const P_GIAI96: PartitionTable = [
  [40, 12, 42, 13],
  [37, 11, 45, 14],
  [34, 10, 48, 15],
  [30, 9, 52, 16],
  [27, 8, 55, 17],
  [24, 7, 58, 18],
  [20, 6, 62, 19],
];
const P_GIAI202: PartitionTable = [
  [40, 12, 148, 18],
  [37, 11, 151, 19],
  [34, 10, 154, 20],
  [30, 9, 158, 21],
  [27, 8, 161, 22],
  [24, 7, 164, 23],
  [20, 6, 168, 24],
];
const P_CPI96: PartitionTable = [
  [40, 12, 11, 3],
  [37, 11, 14, 4],
  [34, 10, 17, 5],
  [30, 9, 21, 6],
  [27, 8, 24, 7],
  [24, 7, 27, 8],
  [20, 6, 31, 9],
];
const P_CPIVAR: PartitionTable = [
  [40, 12, 114, 18],
  [37, 11, 120, 19],
  [34, 10, 126, 20],
  [30, 9, 132, 21],
  [27, 8, 138, 22],
  [24, 7, 144, 23],
  [20, 6, 150, 24],
];

/**
 * A segment of a binary layout, applied to the EPC's fields:
 * - `partition`: 3-bit partition value, GCP (field 0) and the second field, coded as zero-padded
 *   digits, an integer, a 7-bit string (fixed width) or a 6-bit string ended by 000000;
 * - `int`: integer without leading zeros; `str7`: 7-bit ASCII padded with zero bits;
 * - `numstr`: digits with leading zeros kept, coded as the integer "1"+digits (SGCN serial);
 * - `fixed`: zero-padded digits of a known count (ITIP piece/total); `zeros`: reserved bits;
 * - `cage8`/`cage6`: a CAGE code or DoDAAC in 6 characters of 8 or 6 bits (5-character CAGE codes
 *   take a leading space); `str6`: 6-bit characters ended by 000000.
 */
type Segment =
  | { t: 'partition'; table: PartitionTable; ref: 'digits' | 'int' | 'str7' | 'str6' }
  | { t: 'int'; field: number; bits: number }
  | { t: 'str7'; field: number; bits: number }
  | { t: 'numstr'; field: number; bits: number }
  | { t: 'fixed'; field: number; bits: number; digits: number }
  | { t: 'zeros'; bits: number }
  | { t: 'cage8'; field: number }
  | { t: 'cage6'; field: number }
  | { t: 'str6'; field: number; max: number };

interface TagDef {
  name: TagScheme;
  header: number;
  epc: EpcScheme;
  filterBits: number;
  segments: readonly Segment[];
}

const TAGS: readonly TagDef[] = [
  {
    name: 'sgtin-96',
    header: 0x30,
    epc: 'sgtin',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGTIN, ref: 'digits' },
      { t: 'int', field: 2, bits: 38 },
    ],
  },
  {
    name: 'sgtin-198',
    header: 0x36,
    epc: 'sgtin',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGTIN, ref: 'digits' },
      { t: 'str7', field: 2, bits: 140 },
    ],
  },
  {
    name: 'sscc-96',
    header: 0x31,
    epc: 'sscc',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SSCC, ref: 'digits' },
      { t: 'zeros', bits: 24 },
    ],
  },
  {
    name: 'sgln-96',
    header: 0x32,
    epc: 'sgln',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGLN, ref: 'digits' },
      { t: 'int', field: 2, bits: 41 },
    ],
  },
  {
    name: 'sgln-195',
    header: 0x39,
    epc: 'sgln',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGLN, ref: 'digits' },
      { t: 'str7', field: 2, bits: 140 },
    ],
  },
  {
    name: 'grai-96',
    header: 0x33,
    epc: 'grai',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_GRAI, ref: 'digits' },
      { t: 'int', field: 2, bits: 38 },
    ],
  },
  {
    name: 'grai-170',
    header: 0x37,
    epc: 'grai',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_GRAI, ref: 'digits' },
      { t: 'str7', field: 2, bits: 112 },
    ],
  },
  {
    name: 'giai-96',
    header: 0x34,
    epc: 'giai',
    filterBits: 3,
    segments: [{ t: 'partition', table: P_GIAI96, ref: 'int' }],
  },
  {
    name: 'giai-202',
    header: 0x38,
    epc: 'giai',
    filterBits: 3,
    segments: [{ t: 'partition', table: P_GIAI202, ref: 'str7' }],
  },
  {
    name: 'gsrn-96',
    header: 0x2d,
    epc: 'gsrn',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SSCC, ref: 'digits' },
      { t: 'zeros', bits: 24 },
    ],
  },
  {
    name: 'gsrnp-96',
    header: 0x2e,
    epc: 'gsrnp',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SSCC, ref: 'digits' },
      { t: 'zeros', bits: 24 },
    ],
  },
  {
    name: 'gdti-96',
    header: 0x2c,
    epc: 'gdti',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGLN, ref: 'digits' },
      { t: 'int', field: 2, bits: 41 },
    ],
  },
  {
    name: 'gdti-174',
    header: 0x3e,
    epc: 'gdti',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGLN, ref: 'digits' },
      { t: 'str7', field: 2, bits: 119 },
    ],
  },
  {
    name: 'cpi-96',
    header: 0x3c,
    epc: 'cpi',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_CPI96, ref: 'int' },
      { t: 'int', field: 2, bits: 31 },
    ],
  },
  {
    name: 'cpi-var',
    header: 0x3d,
    epc: 'cpi',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_CPIVAR, ref: 'str6' },
      { t: 'int', field: 2, bits: 40 },
    ],
  },
  {
    name: 'sgcn-96',
    header: 0x3f,
    epc: 'sgcn',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGLN, ref: 'digits' },
      { t: 'numstr', field: 2, bits: 41 },
    ],
  },
  {
    name: 'itip-110',
    header: 0x40,
    epc: 'itip',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGTIN, ref: 'digits' },
      { t: 'fixed', field: 2, bits: 7, digits: 2 },
      { t: 'fixed', field: 3, bits: 7, digits: 2 },
      { t: 'int', field: 4, bits: 38 },
    ],
  },
  {
    name: 'itip-212',
    header: 0x41,
    epc: 'itip',
    filterBits: 3,
    segments: [
      { t: 'partition', table: P_SGTIN, ref: 'digits' },
      { t: 'fixed', field: 2, bits: 7, digits: 2 },
      { t: 'fixed', field: 3, bits: 7, digits: 2 },
      { t: 'str7', field: 4, bits: 140 },
    ],
  },
  {
    name: 'gid-96',
    header: 0x35,
    epc: 'gid',
    filterBits: 0,
    segments: [
      { t: 'int', field: 0, bits: 28 },
      { t: 'int', field: 1, bits: 24 },
      { t: 'int', field: 2, bits: 36 },
    ],
  },
  {
    name: 'usdod-96',
    header: 0x2f,
    epc: 'usdod',
    filterBits: 4,
    segments: [
      { t: 'cage8', field: 0 },
      { t: 'int', field: 1, bits: 36 },
    ],
  },
  {
    name: 'adi-var',
    header: 0x3b,
    epc: 'adi',
    filterBits: 6,
    segments: [
      { t: 'cage6', field: 0 },
      { t: 'str6', field: 1, max: 32 },
      { t: 'str6', field: 2, max: 30 },
    ],
  },
];

const BY_NAME = new Map(TAGS.map((d) => [d.name, d]));
const BY_HEADER = new Map(TAGS.map((d) => [d.header, d]));

/** Headers the TDS once defined but no longer supports (or rxtrace does not encode). */
const RETIRED_HEADERS: Readonly<Record<number, string>> = {
  58: 'GDTI-113 (withdrawn in TDS 1.9)',
  43: 'reserved',
};

/** An EPC as written on an RFID tag. */
export interface EpcTag {
  /** `urn:epc:tag:<scheme>:<filter>.<fields>` (no filter for GID-96). */
  tagUri: string;
  /** The pure identity. */
  epc: EpcUri;
  scheme: TagScheme;
  filter?: number;
  /** EPC memory contents, upper-case hex in whole 16-bit words. */
  hex: string;
  /** The same bits as a 0/1 string (padded like `hex`). */
  binary: string;
  /** Bits used by the encoding before padding (96, 198, … or the actual length of a -var encoding). */
  bitLength: number;
}

export interface EncodeTagOptions {
  /** Filter value (3 bits for GS1 schemes, 4 for USDOD, 6 for ADI). Defaults to 0, "all others". GID has none. */
  filter?: number;
  /** Binary scheme; by default the smallest one that can hold the EPC. */
  scheme?: TagScheme;
}

/** The tag encodings the TDS defines for an EPC scheme (empty when it cannot go on a tag). */
export function tagSchemesFor(scheme: EpcScheme): readonly TagScheme[] {
  return SCHEMES[scheme].tags;
}

const failWith = <T>(code: string, message: string, extra: Partial<Gs1Problem> = {}): Result<T> => ({
  ok: false,
  errors: [{ code, message, ...extra }],
});

const isCanonicalInt = (s: string): boolean => /^(0|[1-9]\d*)$/.test(s);
const upper = (t: TagScheme): string => t.toUpperCase();

function sixBit(c: string): bigint {
  return BigInt(c.charCodeAt(0) & 0x3f);
}

function fromSixBit(v: number): string {
  return String.fromCharCode(v >= 0x20 ? v : v | 0x40);
}

function encodeStr7(
  w: BitWriter,
  value: string,
  bits: number,
  def: TagDef,
  what: string,
): Gs1Problem | undefined {
  if (value.length * 7 > bits) {
    return {
      code: 'RX_EPC_NOT_ENCODABLE',
      message: `${upper(def.name)} holds a ${what} of at most ${Math.floor(bits / 7)} characters; '${value}' has ${value.length}.`,
    };
  }
  let v = 0n;
  for (const c of value) v = (v << 7n) | BigInt(c.charCodeAt(0));
  w.put(v << BigInt(bits - value.length * 7), bits);
  return undefined;
}

function encodeInt(
  w: BitWriter,
  value: string,
  bits: number,
  def: TagDef,
  what: string,
  maxDigits?: number,
): Gs1Problem | undefined {
  const max = (1n << BigInt(bits)) - 1n;
  if (
    !isCanonicalInt(value) ||
    BigInt(value) > max ||
    (maxDigits !== undefined && value.length > maxDigits)
  ) {
    const limit =
      maxDigits !== undefined && 10n ** BigInt(maxDigits) - 1n < max ? 10n ** BigInt(maxDigits) - 1n : max;
    return {
      code: 'RX_EPC_NOT_ENCODABLE',
      message: `${upper(def.name)} holds a ${what} that is a number without leading zeros up to ${limit}; '${value}' is not.`,
    };
  }
  w.put(BigInt(value), bits);
  return undefined;
}

function encodeFields(def: TagDef, epc: EpcUri, filter: number): Result<BitWriter> {
  const w = new BitWriter();
  w.put(BigInt(def.header), 8);
  w.put(BigInt(filter), def.filterBits);
  const f = epc.fields;
  const names = epc.fieldNames;
  for (const s of def.segments) {
    let p: Gs1Problem | undefined;
    switch (s.t) {
      case 'partition': {
        const gcp = f[0]!;
        const ref = f[1]!;
        const p0 = s.table.findIndex((r) => r[1] === gcp.length);
        const row = s.table[p0];
        if (!row)
          return failWith(
            'RX_EPC_NOT_ENCODABLE',
            `${upper(def.name)} cannot hold a ${gcp.length}-digit GS1 Company Prefix.`,
          );
        const [gcpBits, , refBits, refDigits] = row;
        w.put(BigInt(p0), 3);
        w.put(BigInt(gcp), gcpBits);
        const what = label(names[1]!);
        if (s.ref === 'digits') {
          if (ref.length !== refDigits)
            return failWith(
              'RX_EPC_NOT_ENCODABLE',
              `${upper(def.name)} needs a ${what} of ${refDigits} digits with this company prefix.`,
            );
          w.put(ref === '' ? 0n : BigInt(ref), refBits);
        } else if (s.ref === 'int') {
          p = encodeInt(w, ref, refBits, def, what, refDigits);
        } else if (s.ref === 'str7') {
          if (ref.length > refDigits) {
            return failWith(
              'RX_EPC_NOT_ENCODABLE',
              `${upper(def.name)} holds a ${what} of at most ${refDigits} characters with this company prefix; '${ref}' has ${ref.length}.`,
            );
          }
          p = encodeStr7(w, ref, refBits, def, what);
        } else {
          if (ref.length > refDigits) {
            return failWith(
              'RX_EPC_NOT_ENCODABLE',
              `${upper(def.name)} holds a ${what} of at most ${refDigits} characters with this company prefix; '${ref}' has ${ref.length}.`,
            );
          }
          for (const c of ref) w.put(sixBit(c), 6);
          w.put(0n, 6);
        }
        break;
      }
      case 'int':
        p = encodeInt(w, f[s.field]!, s.bits, def, label(names[s.field]!));
        break;
      case 'str7':
        p = encodeStr7(w, f[s.field]!, s.bits, def, label(names[s.field]!));
        break;
      case 'numstr': {
        const v = BigInt(`1${f[s.field]!}`);
        if (v >> BigInt(s.bits) !== 0n)
          return failWith(
            'RX_EPC_NOT_ENCODABLE',
            `${upper(def.name)} cannot hold the ${label(names[s.field]!)} '${f[s.field]!}'.`,
          );
        w.put(v, s.bits);
        break;
      }
      case 'fixed': {
        const v = BigInt(f[s.field]!);
        if (v >> BigInt(s.bits) !== 0n)
          return failWith(
            'RX_EPC_NOT_ENCODABLE',
            `${upper(def.name)} cannot hold the ${label(names[s.field]!)} '${f[s.field]!}'.`,
          );
        w.put(v, s.bits);
        break;
      }
      case 'zeros':
        w.put(0n, s.bits);
        break;
      case 'cage8':
      case 'cage6': {
        const cage = f[s.field]!.padStart(6, ' ');
        for (const c of cage)
          w.put(s.t === 'cage8' ? BigInt(c.charCodeAt(0)) : sixBit(c), s.t === 'cage8' ? 8 : 6);
        break;
      }
      case 'str6': {
        for (const c of f[s.field]!) w.put(sixBit(c), 6);
        w.put(0n, 6);
        break;
      }
    }
    if (p) return { ok: false, errors: [p] };
  }
  return { ok: true, value: w };
}

function label(name: string): string {
  return name.replace(/([A-Z])/g, ' $1').toLowerCase();
}

/** The body of a pure-identity URI: everything after `urn:epc:id:<scheme>:`. */
const bodyOf = (epc: EpcUri): string => epc.uri.slice(`urn:epc:${epc.type}:${epc.scheme}:`.length);

function tagUriOf(def: TagDef, epc: EpcUri, filter: number): string {
  return `urn:epc:tag:${def.name}:${def.filterBits ? `${filter}.` : ''}${bodyOf(epc)}`;
}

function encodeWith(def: TagDef, epc: EpcUri, filter: number): Result<EpcTag> {
  const r = encodeFields(def, epc, filter);
  if (!r.ok) return r;
  const binary = r.value.toBinary();
  const tag: EpcTag = {
    tagUri: tagUriOf(def, epc, filter),
    epc,
    scheme: def.name,
    hex: binaryToHex(binary),
    binary,
    bitLength: r.value.length,
  };
  if (def.filterBits) tag.filter = filter;
  return { ok: true, value: tag };
}

/**
 * Encodes an EPC for an RFID tag: tag URI, hex and bits. `scheme` picks the binary scheme
 * (`sgtin-96`, `sgtin-198`, …); without it the smallest one that can hold the EPC is used, so an
 * SGTIN with an alphanumeric serial becomes SGTIN-198.
 */
export function encodeEpcTag(epcInput: string | EpcUri, opts: EncodeTagOptions = {}): Result<EpcTag> {
  const pr = typeof epcInput === 'string' ? parseEpcUri(epcInput) : { ok: true as const, value: epcInput };
  if (!pr.ok) return pr;
  const epc = pr.value;
  const candidates = SCHEMES[epc.scheme].tags;
  if (candidates.length === 0) {
    return failWith(
      'RX_EPC_NOT_TAG_ENCODABLE',
      `The Tag Data Standard defines no RFID tag encoding for ${SCHEMES[epc.scheme].title} EPCs.`,
    );
  }
  let defs: TagDef[];
  if (opts.scheme !== undefined) {
    const d = BY_NAME.get(opts.scheme);
    if (!d || d.epc !== epc.scheme) {
      return failWith(
        'RX_EPC_WRONG_TAG_SCHEME',
        `${String(opts.scheme)} is not an encoding of ${epc.scheme.toUpperCase()} EPCs; use ${candidates.join(' or ')}.`,
      );
    }
    defs = [d];
  } else {
    defs = candidates.map((n) => BY_NAME.get(n)!);
  }
  const first = defs[0]!;
  let filter = opts.filter;
  if (first.filterBits === 0) {
    if (filter !== undefined) return failWith('RX_EPC_FILTER', `${upper(first.name)} has no filter value.`);
    filter = 0;
  } else {
    filter ??= 0;
    if (!Number.isInteger(filter) || filter < 0 || filter >= 2 ** first.filterBits) {
      return failWith(
        'RX_EPC_FILTER',
        `The filter value of ${upper(first.name)} is 0 to ${2 ** first.filterBits - 1}; ${filter} was given.`,
      );
    }
  }
  let last: Result<EpcTag> | undefined;
  for (const d of defs) {
    last = encodeWith(d, epc, filter);
    if (last.ok) return last;
  }
  return last!;
}

/**
 * Reads a tag URI (`urn:epc:tag:sgtin-96:3.0614141.812345.6789`): checks it, and gives its
 * binary encoding and pure identity.
 */
export function parseTagUri(input: string): Result<EpcTag> {
  const m = /^urn:epc:tag:([a-z0-9]+-(?:\d+|var)):/.exec(input);
  if (!m) {
    if (!input.startsWith('urn:epc:tag:'))
      return failWith(
        'RX_EPC_NOT_TAG_URI',
        `A tag URI starts with 'urn:epc:tag:'; '${input.slice(0, 20)}' does not.`,
        { position: 0 },
      );
    return failWith(
      'RX_EPC_UNKNOWN_TAG_SCHEME',
      `'${input}' does not name a tag encoding such as sgtin-96.`,
      { position: 12 },
    );
  }
  const def = BY_NAME.get(m[1] as TagScheme);
  if (!def)
    return failWith(
      'RX_EPC_UNKNOWN_TAG_SCHEME',
      `'${m[1]}' is not an EPC tag encoding of the Tag Data Standard.`,
      { position: 12, length: m[1]!.length },
    );
  let pos = m[0].length;
  let filter = 0;
  if (def.filterBits) {
    const fm = /^(\d+)\./.exec(input.slice(pos));
    if (!fm)
      return failWith('RX_EPC_FILTER', `${upper(def.name)} tag URIs have the filter value first, then '.'.`, {
        position: pos,
      });
    const fs = fm[1]!;
    filter = Number(fs);
    if (!isCanonicalInt(fs) || filter >= 2 ** def.filterBits) {
      return failWith(
        'RX_EPC_FILTER',
        `The filter value of ${upper(def.name)} is 0 to ${2 ** def.filterBits - 1}; '${fs}' is not.`,
        { position: pos, length: fs.length },
      );
    }
    pos += fm[0].length;
  }
  const prefix = `urn:epc:id:${def.epc}:`;
  const pure = parseEpcUri(prefix + input.slice(pos));
  if (!pure.ok) {
    const shift = pos - prefix.length;
    return {
      ok: false,
      errors: pure.errors.map((e) => (e.position === undefined ? e : { ...e, position: e.position + shift })),
    };
  }
  return encodeWith(def, pure.value, filter);
}

/** Reads the EPC in tag memory given as hex (the EPC bank from bit 0x20 on). */
export function decodeEpcTag(hex: string): Result<EpcTag> {
  const bits = hexToBinary(hex);
  if (bits === undefined) return failWith('RX_EPC_BAD_HEX', `'${hex}' is not a hexadecimal string.`);
  return decodeEpcBinary(bits);
}

type Fail = { ok: false; problem: Gs1Problem };
type Decoded = { ok: true; value: string } | Fail;

const truncated = (def: TagDef): Fail => ({
  ok: false,
  problem: {
    code: 'RX_EPC_TRUNCATED',
    message: `The data ends before the ${upper(def.name)} encoding does.`,
  },
});
const badField = (def: TagDef, message: string): Fail => ({
  ok: false,
  problem: { code: 'RX_EPC_BAD_BINARY_FIELD', message: `${upper(def.name)}: ${message}` },
});

function readStr7(r: BitReader, bits: number, def: TagDef): Decoded {
  const v = r.read(bits);
  if (v === undefined) return truncated(def);
  let s = '';
  let ended = false;
  for (let i = 0; i + 7 <= bits; i += 7) {
    const code = Number((v >> BigInt(bits - i - 7)) & 0x7fn);
    if (code === 0) {
      ended = true;
      continue;
    }
    if (ended) return badField(def, 'a character follows the zero padding of a string field.');
    const c = String.fromCharCode(code);
    if (!CSET82.includes(c)) return badField(def, `character 0x${code.toString(16)} is not in GS1 set 82.`);
    s += c;
  }
  return { ok: true, value: s };
}

function readStr6(r: BitReader, max: number, def: TagDef): Decoded {
  let s = '';
  for (;;) {
    const v = r.read(6);
    if (v === undefined) return truncated(def);
    if (v === 0n) return { ok: true, value: s };
    if (s.length === max) return badField(def, `a 6-bit string field runs past ${max} characters.`);
    s += fromSixBit(Number(v));
  }
}

function readInt(r: BitReader, bits: number, def: TagDef): Decoded {
  const v = r.read(bits);
  return v === undefined ? truncated(def) : { ok: true, value: v.toString() };
}

function decodeFields(def: TagDef, r: BitReader): { ok: true; fields: string[] } | Fail {
  const fields: string[] = [];
  for (const s of def.segments) {
    let d: Decoded;
    switch (s.t) {
      case 'partition': {
        const p = r.read(3);
        if (p === undefined) return truncated(def);
        const row = s.table[Number(p)];
        if (!row) return badField(def, `partition value ${p} is not defined (0 to 6).`);
        const [gcpBits, gcpDigits, refBits, refDigits] = row;
        const g = r.read(gcpBits);
        if (g === undefined) return truncated(def);
        if (g >= 10n ** BigInt(gcpDigits))
          return badField(def, `the company prefix ${g} has more than ${gcpDigits} digits.`);
        fields.push(g.toString().padStart(gcpDigits, '0'));
        if (s.ref === 'digits') {
          const v = r.read(refBits);
          if (v === undefined) return truncated(def);
          if (v >= 10n ** BigInt(refDigits))
            return badField(def, `the reference ${v} has more than ${refDigits} digits.`);
          d = { ok: true, value: refDigits === 0 ? '' : v.toString().padStart(refDigits, '0') };
        } else if (s.ref === 'int') {
          d = readInt(r, refBits, def);
        } else if (s.ref === 'str7') {
          d = readStr7(r, refBits, def);
        } else {
          d = readStr6(r, refDigits, def);
        }
        break;
      }
      case 'int':
        d = readInt(r, s.bits, def);
        break;
      case 'str7':
        d = readStr7(r, s.bits, def);
        break;
      case 'numstr': {
        const v = r.read(s.bits);
        if (v === undefined) return truncated(def);
        const t = v.toString();
        d =
          t.length > 1 && t[0] === '1'
            ? { ok: true, value: t.slice(1) }
            : badField(def, `${v} is not a numeric string (it must read 1 followed by the digits).`);
        break;
      }
      case 'fixed': {
        const v = r.read(s.bits);
        if (v === undefined) return truncated(def);
        d =
          v >= 10n ** BigInt(s.digits)
            ? badField(def, `${v} has more than ${s.digits} digits.`)
            : { ok: true, value: v.toString().padStart(s.digits, '0') };
        break;
      }
      case 'zeros':
        if (r.read(s.bits) === undefined) return truncated(def);
        continue;
      case 'cage8':
      case 'cage6': {
        const w = s.t === 'cage8' ? 8 : 6;
        let c = '';
        for (let i = 0; i < 6; i++) {
          const v = r.read(w);
          if (v === undefined) return truncated(def);
          c += w === 8 ? String.fromCharCode(Number(v)) : fromSixBit(Number(v));
        }
        d = { ok: true, value: c.startsWith(' ') ? c.slice(1) : c };
        break;
      }
      case 'str6':
        d = readStr6(r, s.max, def);
        break;
    }
    if (!d.ok) return d;
    fields.push(d.value);
  }
  return { ok: true, fields };
}

/** Reads the EPC in tag memory given as a 0/1 string. Bits after the encoding (padding) are ignored. */
export function decodeEpcBinary(bits: string): Result<EpcTag> {
  if (!/^[01]*$/.test(bits)) return failWith('RX_EPC_BAD_BINARY', 'Binary EPC data holds only 0 and 1.');
  const r = new BitReader(bits);
  const h = r.read(8);
  if (h === undefined)
    return failWith('RX_EPC_TRUNCATED', 'EPC data starts with an 8-bit header; there are fewer bits.');
  const header = Number(h);
  const def = BY_HEADER.get(header);
  const hx = `0x${header.toString(16).toUpperCase().padStart(2, '0')}`;
  if (!def) {
    const why = RETIRED_HEADERS[header];
    return failWith(
      'RX_EPC_UNKNOWN_HEADER',
      why
        ? `EPC header ${hx} is ${why}; it is not supported.`
        : `EPC header ${hx} is not an EPC encoding rxtrace knows.`,
    );
  }
  const filter = Number(r.read(def.filterBits) ?? -1);
  if (filter < 0)
    return failWith('RX_EPC_TRUNCATED', `The data ends before the ${upper(def.name)} encoding does.`);
  const d = decodeFields(def, r);
  if (!d.ok) return { ok: false, errors: [d.problem] };
  const epc = buildEpcUri(def.epc, d.fields);
  if (!epc.ok)
    return {
      ok: false,
      errors: epc.errors.map((e) => ({
        ...e,
        message: `${upper(def.name)} data holds an invalid EPC: ${e.message}`,
      })),
    };
  return encodeWith(def, epc.value, filter);
}
