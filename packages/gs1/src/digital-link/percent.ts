/**
 * Percent-encoding of AI values inside DL URI components (GS1 DL URI syntax; RFC 3986).
 * - Encoding keeps the unreserved characters `A–Z a–z 0–9 - . _ ~` and escapes every other
 *   character as `%XX` (upper-case hex); in a query component a space becomes `+`.
 * - Decoding turns each `%XX` with two hex digits into that byte (a `%` not followed by two hex
 *   digits stays literal) and, in a query component only, `+` into a space. `%00` is refused.
 */
import { fail, ok, type Result } from '../errors.ts';
import { hexValue, UNRESERVED } from './tables.ts';

export type UriComponent = 'path' | 'query';

// Module-local aliases of the hot imports (cheaper than imported bindings under the tsx loader).
const UNRES = UNRESERVED;
const hexOf = hexValue;

const HEX = '0123456789ABCDEF';
const hex2 = (b: number) => `%${HEX[b >> 4]}${HEX[b & 15]}`;

/** Percent-encodes one AI value for a DL URI path segment or query parameter value. */
export function percentEncode(value: string, component: UriComponent): string {
  const query = component === 'query';
  let i = 0;
  const n = value.length;
  // Fast path: most values (GTINs, dates, simple lots) need no escaping at all.
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c >= 128 || UNRES[c] === 0) break;
    i++;
  }
  if (i === n) return value;
  let out = value.slice(0, i);
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) {
      if (UNRES[c] === 1) out += value[i];
      else if (c === 32 && query) out += '+';
      else out += hex2(c);
    } else {
      // Not in set 82, so never valid AI data; still escaped as UTF-8 so that the URI stays legal.
      const cp = value.codePointAt(i)!;
      if (cp > 0xffff) i++;
      const bytes = Buffer.from(String.fromCodePoint(cp), 'utf8');
      for (const b of bytes) out += hex2(b);
    }
  }
  return out;
}

/**
 * Decodes `raw[from, to)` as a path or query component. Returns the decoded text, or the offset
 * (in `raw`) of a `%00` as a negative number minus one. Internal: the parser wants no allocation
 * for the common unescaped case and the position of a fault.
 */
export function decodeComponent(raw: string, from: number, to: number, query: boolean): string | number {
  let i = from;
  while (i < to) {
    const c = raw.charCodeAt(i);
    if (c === 37 /* % */ || (query && c === 43) /* + */) break;
    i++;
  }
  if (i === to) return from === 0 && to === raw.length ? raw : raw.slice(from, to);
  let out = raw.slice(from, i);
  while (i < to) {
    const c = raw.charCodeAt(i);
    if (c === 37 && i + 2 < to) {
      const h = hexOf(raw.charCodeAt(i + 1));
      const l = hexOf(raw.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        const b = (h << 4) | l;
        if (b === 0) return -i - 1;
        out += String.fromCharCode(b);
        i += 3;
        continue;
      }
    }
    out += query && c === 43 ? ' ' : raw[i];
    i++;
  }
  return out;
}

/**
 * Position in `raw` (from `from`) of the character that decodes to index `k` of the decoded text:
 * maps a fault found in a decoded value back onto the URI as written.
 */
export function rawOffsetOfDecoded(raw: string, from: number, to: number, k: number): number {
  let i = from;
  let d = 0;
  while (i < to && d < k) {
    if (
      raw.charCodeAt(i) === 37 &&
      i + 2 < to &&
      hexOf(raw.charCodeAt(i + 1)) >= 0 &&
      hexOf(raw.charCodeAt(i + 2)) >= 0
    )
      i += 3;
    else i++;
    d++;
  }
  return i;
}

/** Decodes a percent-encoded DL URI component. Fails on `%00` (a NUL can never be AI data). */
export function percentDecode(value: string, component: UriComponent): Result<string> {
  const r = decodeComponent(value, 0, value.length, component === 'query');
  if (typeof r === 'number') {
    return fail('RX_DL_NULL_CHARACTER', '"%00" (a NUL character) is not allowed in a Digital Link URI.', {
      position: -r - 1,
      length: 3,
    });
  }
  return ok(r);
}
