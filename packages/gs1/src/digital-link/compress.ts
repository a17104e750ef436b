/**
 * Compressed GS1 Digital Link URIs: the AI data packed into bits and written in base64url as the
 * last path segment (`https://id.gs1.org/HxHKVAdpQgZzjr-hCDKigI`). The bit layout is the one of
 * GS1DigitalLinkToolkit.js / digital-link.js, which the GS1 compression vectors come from:
 *
 * - An item starts with the AI in 4-bit digits (its length follows from its first two digits), or
 *   with a one-byte optimisation code `0A`–`CD` standing for a run of AIs, or with nibble `F` for a
 *   non-GS1 query parameter.
 * - A value is packed per component, with adjacent components of one kind merged as the toolkit
 *   does: fixed-length numeric → ⌈n·log2 10⌉ bits; variable-length numeric → a length field
 *   (bits for the maximum length) then the number; alphanumeric → a 3-bit encoding (000 digits,
 *   001 lower-case hex, 010 upper-case hex, 011 base64url, 100 7-bit ASCII), a length field when
 *   the length varies, then the characters.
 * - A non-GS1 parameter is `1111`, the key length in 7 bits, the key in 6-bit base64url, then the
 *   value as encoding + 7-bit length + characters.
 * - The bits are padded with zeros to a multiple of 6 and written in base64url.
 *
 * Unlike the JavaScript toolkit, numbers are never turned into JavaScript numbers beyond 2^53 and
 * numeric values keep their leading zeros (BigInt is used for the bit packing only).
 */
import { aiLengthFromPrefix, lookupAi } from '../ai-table.ts';
import type { AiDefinition } from '../dictionary.ts';
import type { AiElement } from '../elements.ts';
import { fail, type Gs1Problem, ok, type Result } from '../errors.ts';
import { validateElements } from '../validate.ts';
import { arrangeForDigitalLink, writeDigitalLink } from './format.ts';
import {
  type DigitalLink,
  type DigitalLinkParseOptions,
  isDigitalLinkUri,
  otherQueryParams,
  parseDigitalLink,
  scanUri,
  validationOptions,
} from './parse.ts';
import { decodeComponent, percentEncode } from './percent.ts';
import { allDigits, CSET82_TABLE, resolveNumericAi } from './tables.ts';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
const HEX_UPPER = '0123456789ABCDEF';
const HEX_LOWER = '0123456789abcdef';

/** Bits for an n-digit number: ⌈n·log2 10⌉ (the toolkit's formula, including its +0.01). */
const VALUE_BITS: number[] = [];
for (let n = 0; n <= 130; n++) VALUE_BITS.push(Math.ceil((n * Math.log(10)) / Math.log(2) + 0.01));
/** Bits of the length field for a maximum length. */
const lengthBits = (max: number) => Math.ceil(Math.log(max) / Math.log(2) + 0.01);

/**
 * Optimisation codes: one byte for a frequent run of AIs. The values of a run are written in the
 * order listed here. The toolkit sorts its table in place (as strings) when it loads, so two runs
 * are written in another order than they are declared: `1A` as (01)(10)(17)(21), not
 * (01)(10)(21)(17), and `9D` as (254)(414), not (414)(254). We follow the bits the toolkit
 * actually produces (the dl-compression vector for /414/…/254/… checks it).
 */
const OPTIMISATIONS: ReadonlyArray<readonly [number, readonly string[]]> = (() => {
  const t: Array<readonly [number, readonly string[]]> = [
    [0x0a, ['01', '22']],
    [0x0b, ['01', '10']],
    [0x0c, ['01', '21']],
    [0x0d, ['01', '17']],
    [0x0e, ['01', '7003']],
    [0x0f, ['01', '30']],
    [0x1a, ['01', '10', '17', '21']],
    [0x1b, ['01', '15']],
    [0x1c, ['01', '11']],
    [0x1d, ['01', '16']],
    [0x1e, ['01', '91']],
    [0x1f, ['01', '10', '15']],
  ];
  for (let i = 0; i < 6; i++) t.push([0x2a + i, ['01', `310${i}`]]);
  for (let i = 0; i < 6; i++) t.push([0x3a + i, ['01', `320${i}`]]);
  t.push(
    [0x9a, ['8010', '8011']],
    [0x9b, ['8017', '8019']],
    [0x9c, ['8018', '8019']],
    [0x9d, ['254', '414']],
  );
  for (let i = 0; i < 10; i++) t.push([0xa0 + i, ['01', `392${i}`]]);
  for (let i = 0; i < 10; i++) t.push([0xc0 + i, ['255', `390${i}`]]);
  for (let i = 0; i < 4; i++) t.push([0xca + i, ['255', `394${i}`]]);
  return t;
})();
const OPT_BY_CODE = new Map(OPTIMISATIONS);

/** One packed part of a value: numeric or alphanumeric, fixed length or up to `len` characters. */
interface Part {
  numeric: boolean;
  fixed: boolean;
  len: number;
}

const LAYOUTS = new Map<string, Part[]>();

/**
 * The packing of an AI value, derived from its dictionary components: a run of mandatory
 * fixed-length numeric components is one fixed part (8001 N4+N5+N3+N1+N1 → N14); the optional or
 * variable numeric components after them are one variable part (8008 N6 N2 [N2][N2] → N8 + N..4);
 * a run of non-numeric components is one part, variable if any component varies (7230 X2+X..28 →
 * X..30).
 */
export function compressionLayout(def: AiDefinition): Part[] {
  let parts = LAYOUTS.get(def.ai);
  if (parts) return parts;
  parts = [];
  const cs = def.components;
  let i = 0;
  while (i < cs.length) {
    const c = cs[i]!;
    const fixedN = (k: number) => cs[k]!.type === 'N' && !cs[k]!.optional && cs[k]!.min === cs[k]!.max;
    if (c.type === 'N' && fixedN(i)) {
      let len = 0;
      while (i < cs.length && fixedN(i)) len += cs[i++]!.max;
      parts.push({ numeric: true, fixed: true, len });
    } else if (c.type === 'N') {
      let len = 0;
      while (i < cs.length && cs[i]!.type === 'N' && !fixedN(i)) len += cs[i++]!.max;
      parts.push({ numeric: true, fixed: false, len });
    } else {
      let len = 0;
      let fixed = true;
      while (i < cs.length && cs[i]!.type !== 'N') {
        const d = cs[i++]!;
        len += d.max;
        if (d.optional || d.min !== d.max) fixed = false;
      }
      parts.push({ numeric: false, fixed, len });
    }
  }
  LAYOUTS.set(def.ai, parts);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Bit writing

class Bits {
  s = '';
  uint(v: number, width: number): void {
    this.s += v.toString(2).padStart(width, '0');
  }
  digits(d: string): void {
    const w = VALUE_BITS[d.length]!;
    const b = d.length === 0 ? '0' : d.length <= 15 ? Number(d).toString(2) : BigInt(d).toString(2);
    this.s += b.padStart(w, '0');
  }
}

const isDigitCode = (c: number) => c >= 48 && c <= 57;

/** The toolkit's choice of character encoding for an alphanumeric string. */
function encodingOf(s: string): number {
  if (s.length === 0) return 4;
  let digits = true;
  let upperHex = true;
  let lowerHex = true;
  let b64 = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = isDigitCode(c);
    if (!d) digits = false;
    if (!d && !(c >= 65 && c <= 70)) upperHex = false;
    if (!d && !(c >= 97 && c <= 102)) lowerHex = false;
    if (c >= 128 || B64_INDEX[c] === -1) b64 = false;
  }
  return digits ? 0 : upperHex ? 2 : lowerHex ? 1 : b64 ? 3 : 4;
}

function writeChars(bits: Bits, s: string, enc: number): void {
  if (enc === 0) bits.digits(s);
  else if (enc === 1 || enc === 2)
    for (let i = 0; i < s.length; i++) bits.uint(HEX_UPPER.indexOf(s[i]!.toUpperCase()), 4);
  else if (enc === 3) for (let i = 0; i < s.length; i++) bits.uint(B64_INDEX[s.charCodeAt(i)]!, 6);
  else for (let i = 0; i < s.length; i++) bits.uint(s.charCodeAt(i), 7);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

function writeValue(bits: Bits, def: AiDefinition, value: string): string | undefined {
  const parts = compressionLayout(def);
  let pos = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const last = k === parts.length - 1;
    const take = p.fixed ? p.len : last ? value.length - pos : Math.min(p.len, value.length - pos);
    if (take < 0 || pos + take > value.length || take > p.len)
      return `(${def.ai}) '${value}' does not fit the format of (${def.ai}).`;
    const s = value.slice(pos, pos + take);
    pos += take;
    if (p.numeric) {
      for (let i = 0; i < s.length; i++)
        if (!isDigitCode(s.charCodeAt(i)))
          return `(${def.ai}) '${value}' has a non-digit where digits are required.`;
      if (!p.fixed) bits.uint(s.length, lengthBits(p.len));
      bits.digits(s);
    } else {
      if (!isAscii(s)) return `(${def.ai}) '${value}' holds a character outside ASCII.`;
      const enc = encodingOf(s);
      bits.uint(enc, 3);
      if (!p.fixed) bits.uint(s.length, lengthBits(p.len));
      writeChars(bits, s, enc);
    }
  }
  if (pos !== value.length) return `(${def.ai}) '${value}' is longer than the format of (${def.ai}) allows.`;
  return undefined;
}

function writeAi(bits: Bits, ai: string): void {
  for (let i = 0; i < ai.length; i++) bits.uint(ai.charCodeAt(i) - 48, 4);
}

/** A non-GS1 key can be compressed when it is 1–127 base64url characters. */
function compressibleKey(key: string): boolean {
  if (key.length === 0 || key.length > 127) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128 || B64_INDEX[c] === -1) return false;
  }
  return true;
}

function toBase64url(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 6) {
    let chunk = s.slice(i, i + 6);
    if (chunk.length < 6) chunk = chunk.padEnd(6, '0');
    out += B64[parseInt(chunk, 2)];
  }
  return out;
}

export interface CompressOptions {
  /** Use the one-byte optimisation codes for frequent AI runs. Default true. */
  optimisations?: boolean;
  /** Non-GS1 query parameters to pack along (those that cannot be packed are refused). */
  otherParams?: ReadonlyArray<{ key: string; value: string }>;
}

/** Packs AI elements (and optional non-GS1 parameters) into the base64url data of a compressed DL URI. */
export function compressElements(elements: readonly AiElement[], opts: CompressOptions = {}): Result<string> {
  const values = new Map<string, string>();
  for (const e of elements) {
    const prev = values.get(e.ai);
    if (prev !== undefined && prev !== e.value) {
      return fail(
        'RX_DL_CONFLICTING_VALUES',
        `(${e.ai}) appears twice with different values ('${prev}' and '${e.value}').`,
        { ai: e.ai },
      );
    }
    values.set(e.ai, e.value);
  }
  const keys = [...values.keys()].sort();
  const bits = new Bits();

  if (opts.optimisations !== false) {
    for (;;) {
      let best: readonly [number, readonly string[]] | undefined;
      let bestScore = 0;
      for (const opt of OPTIMISATIONS) {
        let all = true;
        let score = 0;
        for (const ai of opt[1]) {
          if (!keys.includes(ai)) {
            all = false;
            break;
          }
          score += ai.length;
        }
        if (all && score > bestScore) {
          best = opt;
          bestScore = score;
        }
      }
      if (!best) break;
      bits.uint(best[0], 8);
      for (const ai of best[1]) {
        const err = writeValue(bits, lookupAi(ai)!, values.get(ai)!);
        if (err) return fail('RX_DL_CANNOT_COMPRESS', err, { ai });
        keys.splice(keys.indexOf(ai), 1);
      }
    }
  }

  for (const ai of keys) {
    const def = lookupAi(ai);
    if (!def)
      return fail('RX_DL_CANNOT_COMPRESS', `(${ai}) is not a known AI, so it has no compressed form.`, {
        ai,
      });
    writeAi(bits, ai);
    const err = writeValue(bits, def, values.get(ai)!);
    if (err) return fail('RX_DL_CANNOT_COMPRESS', err, { ai });
  }

  for (const { key, value } of opts.otherParams ?? []) {
    if (!compressibleKey(key) || value.length > 127 || !isAscii(value)) {
      return fail(
        'RX_DL_CANNOT_COMPRESS',
        `The query parameter '${key}' cannot be compressed (the key must be 1–127 base64url characters, the value at most 127 ASCII characters).`,
      );
    }
    bits.uint(15, 4);
    bits.uint(key.length, 7);
    for (let i = 0; i < key.length; i++) bits.uint(B64_INDEX[key.charCodeAt(i)]!, 6);
    const enc = encodingOf(value);
    bits.uint(enc, 3);
    bits.uint(value.length, 7);
    writeChars(bits, value, enc);
  }
  return ok(toBase64url(bits.s));
}

// ---------------------------------------------------------------------------------------------
// Bit reading

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  get left(): number {
    return this.s.length - this.pos;
  }
  uint(width: number): number {
    if (this.pos + width > this.s.length) throw new Truncated();
    const v = width === 0 ? 0 : parseInt(this.s.slice(this.pos, this.pos + width), 2);
    this.pos += width;
    return v;
  }
  /** An n-digit number, leading zeros kept; undefined when the bits hold a number of more digits. */
  digits(n: number): string | undefined {
    const w = VALUE_BITS[n]!;
    if (this.pos + w > this.s.length) throw new Truncated();
    const slice = this.s.slice(this.pos, this.pos + w);
    this.pos += w;
    if (n === 0) return '';
    const d = w <= 52 ? parseInt(slice, 2).toString() : BigInt(`0b${slice}`).toString();
    return d.length > n ? undefined : d.padStart(n, '0');
  }
}

class Truncated extends Error {}
class BadData extends Error {}

function readChars(r: Reader, n: number, enc: number): string {
  if (enc === 0) {
    const d = r.digits(n);
    if (d === undefined) throw new BadData(`a ${n}-digit number is out of range`);
    return d;
  }
  let out = '';
  if (enc === 1 || enc === 2) {
    const alphabet = enc === 1 ? HEX_LOWER : HEX_UPPER;
    for (let i = 0; i < n; i++) out += alphabet[r.uint(4)];
  } else if (enc === 3) {
    for (let i = 0; i < n; i++) out += B64[r.uint(6)];
  } else if (enc === 4) {
    for (let i = 0; i < n; i++) out += String.fromCharCode(r.uint(7));
  } else throw new BadData(`character encoding ${enc} does not exist`);
  return out;
}

function readValue(r: Reader, def: AiDefinition): string {
  let value = '';
  for (const p of compressionLayout(def)) {
    if (p.numeric) {
      const n = p.fixed ? p.len : r.uint(lengthBits(p.len));
      if (n > p.len) throw new BadData(`(${def.ai}) is given ${n} digits where at most ${p.len} fit`);
      const d = r.digits(n);
      if (d === undefined) throw new BadData(`(${def.ai}) holds a number of more than ${n} digits`);
      value += d;
    } else {
      const enc = r.uint(3);
      const n = p.fixed ? p.len : r.uint(lengthBits(p.len));
      if (n > p.len) throw new BadData(`(${def.ai}) is given ${n} characters where at most ${p.len} fit`);
      value += readChars(r, n, enc);
    }
  }
  return value;
}

export interface DecompressedData {
  elements: AiElement[];
  /** Non-GS1 query parameters that were packed along. */
  otherParams: Array<{ key: string; value: string }>;
}

/** Unpacks the base64url data of a compressed DL URI. `offset` places problems in a larger text. */
export function decompressElements(data: string, offset = 0): Result<DecompressedData> {
  if (data.length === 0)
    return fail('RX_DL_NOT_COMPRESSED', 'There is no compressed data.', { position: offset, length: 0 });
  let s = '';
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0)
      return fail(
        'RX_DL_NOT_COMPRESSED',
        `'${data[i]}' at position ${offset + i + 1} is not a base64url character, so this is not compressed DL data.`,
        { position: offset + i, length: 1 },
      );
    s += v.toString(2).padStart(6, '0');
  }
  const r = new Reader(s);
  const elements: AiElement[] = [];
  const otherParams: Array<{ key: string; value: string }> = [];
  const at = () => offset + Math.floor(r.pos / 6);
  const push = (ai: string, value: string) => {
    if (elements.some((e) => e.ai === ai)) throw new BadData(`(${ai}) is present twice`);
    elements.push({ ai, value });
  };
  try {
    while (r.left > 5) {
      const h1 = r.uint(4);
      const h2 = r.uint(4);
      if (h1 <= 9 && h2 <= 9) {
        let ai = `${h1}${h2}`;
        const len = aiLengthFromPrefix(ai);
        if (len === undefined) throw new BadData(`no AI starts with ${ai}`);
        while (ai.length < len) {
          const d = r.uint(4);
          if (d > 9) throw new BadData(`the AI ${ai}… continues with a non-digit`);
          ai += d;
        }
        const def = lookupAi(ai);
        if (!def) throw new BadData(`(${ai}) is not a known AI`);
        push(ai, readValue(r, def));
      } else {
        const code = (h1 << 4) | h2;
        const run = OPT_BY_CODE.get(code);
        if (run) {
          for (const ai of run) push(ai, readValue(r, lookupAi(ai)!));
        } else if (h1 === 15) {
          const keyLen = (h2 << 3) | r.uint(3);
          let key = '';
          for (let i = 0; i < keyLen; i++) key += B64[r.uint(6)];
          const enc = r.uint(3);
          const n = r.uint(7);
          otherParams.push({ key, value: readChars(r, n, enc) });
        } else {
          throw new BadData(
            `the code ${code.toString(16).toUpperCase().padStart(2, '0')} is neither an AI nor an optimisation code`,
          );
        }
      }
    }
    if (r.left > 0 && r.uint(r.left) !== 0) throw new BadData('the padding bits are not zero');
  } catch (e) {
    if (e instanceof Truncated)
      return fail('RX_DL_COMPRESSED_TRUNCATED', 'The compressed data ends in the middle of a value.', {
        position: offset + data.length,
        length: 0,
      });
    if (e instanceof BadData)
      return fail('RX_DL_COMPRESSED_INVALID', `The compressed data is invalid: ${e.message}.`, {
        position: at(),
        length: 1,
      });
    throw e;
  }
  if (elements.length === 0)
    return fail('RX_DL_COMPRESSED_INVALID', 'The compressed data holds no AI.', {
      position: offset,
      length: data.length,
    });
  return ok({ elements, otherParams });
}

/**
 * Reads a compressed DL URI (`https://host[/stem]/<base64url>[?params]`) into the same model as
 * {@link parseDigitalLink}: elements in DL order (path AIs first), the stem, and the non-GS1
 * parameters (packed ones first, then those of the query string) as ignored parameters.
 */
export function parseCompressedDigitalLink(
  uri: string,
  opts: DigitalLinkParseOptions = {},
): Result<DigitalLink> {
  const parts = scanUri(uri);
  if (!parts.ok) return parts;
  const { pathStart, pathEnd, end } = parts.value;
  const last = uri.lastIndexOf('/', pathEnd - 1);
  if (last < pathStart || last === pathEnd - 1) {
    return fail('RX_DL_NOT_COMPRESSED', 'The URI path does not end in a segment of compressed data.', {
      position: pathEnd,
      length: 0,
    });
  }
  const unpacked = decompressElements(uri.slice(last + 1, pathEnd), last + 1);
  if (!unpacked.ok) return unpacked;
  const elements = unpacked.value.elements;
  const ignored = unpacked.value.otherParams.map((p) => `${p.key}=${percentEncode(p.value, 'query')}`);

  // Query parameters left uncompressed: AIs join the data, others are kept.
  let q = pathEnd + 1;
  while (q < end) {
    if (uri.charCodeAt(q) === 38) {
      q++;
      continue;
    }
    let r = uri.indexOf('&', q);
    if (r < 0 || r > end) r = end;
    let eq = uri.indexOf('=', q);
    if (eq >= r) eq = -1;
    const key = eq < 0 ? '' : uri.slice(q, eq);
    if (eq < 0 || !allDigits(key)) {
      ignored.push(uri.slice(q, r));
      q = r;
      continue;
    }
    const res = resolveNumericAi(key, opts.permitUnknownAIs === true);
    const v = decodeComponent(uri, eq + 1, r, true);
    let bad = typeof v === 'number' || v.length === 0;
    if (typeof v === 'string') {
      for (let i = 0; i < v.length && !bad; i++)
        bad = v.charCodeAt(i) >= 128 || CSET82_TABLE[v.charCodeAt(i)] === 0;
    }
    if (!res || bad)
      return fail(
        'RX_DL_UNKNOWN_AI_PARAM',
        `The query parameter '${uri.slice(q, r)}' is not a valid AI attribute.`,
        { position: q, length: r - q },
      );
    if (elements.some((e) => e.ai === key))
      return fail('RX_DL_DUPLICATE_AI', `(${key}) appears more than once in the URI.`, {
        position: q,
        length: key.length,
        ai: key,
      });
    elements.push({ ai: key, value: v as string });
    q = r;
  }

  const layout = arrangeForDigitalLink(elements, opts);
  if (!layout.ok) return layout;
  const ordered = layout.value.path.concat(layout.value.query);
  if (opts.validate !== false) {
    const problems = validateElements(ordered, validationOptions(opts));
    if (problems.length)
      return {
        ok: false,
        errors: problems.map(
          (p): Gs1Problem => ({ code: p.code, message: p.message, ...(p.ai ? { ai: p.ai } : {}) }),
        ),
      };
  }
  return ok({
    stem: uri.slice(0, last),
    elements: ordered,
    pathCount: layout.value.path.length,
    ignoredQueryParams: ignored,
    compressed: true,
  });
}

/** Appends raw query parameters to a URI. */
function withParams(uri: string, params: readonly string[]): string {
  if (params.length === 0) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${params.join('&')}`;
}

/** Turns a compressed DL URI back into the uncompressed canonical form on the same stem. */
export function decompressDigitalLink(uri: string, opts: DigitalLinkParseOptions = {}): Result<string> {
  const r = parseCompressedDigitalLink(uri, opts);
  if (!r.ok) return r;
  const dl = r.value;
  const out = writeDigitalLink(
    { path: dl.elements.slice(0, dl.pathCount), query: dl.elements.slice(dl.pathCount) },
    dl.stem,
  );
  return ok(withParams(out, dl.ignoredQueryParams));
}

export interface CompressDigitalLinkOptions extends DigitalLinkParseOptions {
  /** Use the optimisation codes. Default true. */
  optimisations?: boolean;
  /** Also pack the non-GS1 query parameters (those that can be). Default true. */
  compressOtherParams?: boolean;
}

/** Compresses an (uncompressed) DL URI, keeping its stem. */
export function compressDigitalLink(uri: string, opts: CompressDigitalLinkOptions = {}): Result<string> {
  const r = parseDigitalLink(uri, opts);
  if (!r.ok) return r;
  const dl = r.value;
  const packed: Array<{ key: string; value: string }> = [];
  const kept: string[] = [];
  const others = otherQueryParams(dl);
  for (let i = 0; i < others.length; i++) {
    const p = others[i]!;
    if (
      opts.compressOtherParams !== false &&
      p.value !== undefined &&
      compressibleKey(p.key) &&
      p.value.length <= 127 &&
      isAscii(p.value)
    ) {
      packed.push({ key: p.key, value: p.value });
    } else kept.push(dl.ignoredQueryParams[i]!);
  }
  const data = compressElements(dl.elements, {
    optimisations: opts.optimisations !== false,
    otherParams: packed,
  });
  if (!data.ok) return data;
  return ok(withParams(`${dl.stem}/${data.value}`, kept));
}

/**
 * True when `uri` is a compressed GS1 DL URI: not an uncompressed DL URI (even read leniently),
 * and its last path segment unpacks cleanly to AI data with a primary key.
 */
export function isCompressedDigitalLink(uri: string): boolean {
  if (
    isDigitalLinkUri(uri, {
      permitConvenienceAlphas: true,
      permitZeroSuppressedGTINinDLuris: true,
      permitUnknownAIs: true,
    })
  )
    return false;
  return parseCompressedDigitalLink(uri, { validate: false }).ok;
}
