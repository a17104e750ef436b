/**
 * The string formats and patterns of the EPCIS 2.0 JSON Schema, as hand-written scanners (no regular
 * expressions on the hot path). Each function accepts exactly the strings the schema's check
 * accepts in the reference set-up (draft-07 with format checks, as ajv + ajv-formats in "full"
 * mode apply them), so rxtrace's verdict equals the schema's:
 *
 * - `uri` ({@link isUri}): RFC 3986 `URI` — scheme, then a hierarchical part that is either
 *   `//authority path-abempty` (the reference check also accepts a single slash before the
 *   authority), `path-absolute` or `path-rootless` (never empty), optional `?query` and
 *   `#fragment`; ASCII only, `%` must start a two-hex-digit escape, IP literals in brackets.
 * - `date-time` ({@link isDateTime}): RFC 3339 `date-time` — `YYYY-MM-DD`, separator `T`/`t` or one
 *   white-space character, `hh:mm:ss[.fraction]`, and a **required** offset `Z`, `±hh`, `±hhmm` or
 *   `±hh:mm` (offset hours ≤ 23, minutes ≤ 59). Days are checked against the month (leap years
 *   included); a leap second `:60` is accepted only where it falls on 23:59 UTC.
 */

// Character classes of RFC 3986, as bit flags over ASCII.
const ALPHA = 1;
const DIGIT = 2;
const SCHEME = 4; // ALPHA / DIGIT / "+" / "-" / "."
const UNRESERVED_SUB = 8; // unreserved / sub-delims: the reg-name characters (no "%")
const PCHAR = 16; // unreserved / sub-delims / ":" / "@" (pct-encoded handled apart)
const HEX = 32;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) f |= ALPHA | SCHEME | UNRESERVED_SUB | PCHAR;
  if (c >= 48 && c <= 57) f |= DIGIT | SCHEME | UNRESERVED_SUB | PCHAR | HEX;
  if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) f |= HEX;
  if ('+-.'.includes(ch)) f |= SCHEME;
  if ("-._~!$&'()*+,;=".includes(ch)) f |= UNRESERVED_SUB | PCHAR;
  if (':@'.includes(ch)) f |= PCHAR;
  CLASS[c] = f;
}

const SLASH = 47;
const COLON = 58;
const QUESTION = 63;
const HASH = 35;
const PERCENT = 37;
const AT = 64;
const LBRACKET = 91;
const RBRACKET = 93;

function isHex(c: number): boolean {
  return c < 128 && (CLASS[c]! & HEX) !== 0;
}

/**
 * The common case, scheme ":" then only path characters (no query, fragment, escapes or IP
 * literal): always a URI. One compiled regular expression is faster than a JavaScript loop here.
 */
const PLAIN_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~!$&'()*+,;=:@/]+$/;

/** Whether `s` is a URI (RFC 3986, with a scheme), as the schema's `format: uri` checks it. */
export function isUri(s: string): boolean {
  if (PLAIN_URI.test(s)) return true;
  const n = s.length;
  if (n === 0) return false;
  let c = s.charCodeAt(0);
  if (c >= 128 || (CLASS[c]! & ALPHA) === 0) return false;
  let i = 1;
  while (i < n) {
    c = s.charCodeAt(i);
    if (c === COLON) break;
    if (c >= 128 || (CLASS[c]! & SCHEME) === 0) return false;
    i++;
  }
  if (i >= n) return false;
  const hierStart = ++i;
  // Hierarchical part: up to the first "?" or "#". All of it pchar / "/" is the common case; "[" and
  // "]" may still be valid inside an authority's IP literal; anything else is not a URI.
  let plain = true;
  while (i < n) {
    c = s.charCodeAt(i);
    if (c === QUESTION || c === HASH) break;
    if (c === PERCENT) {
      if (i + 2 >= n || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 3;
      continue;
    }
    if (c !== SLASH && (c >= 128 || (CLASS[c]! & PCHAR) === 0)) {
      if (c === LBRACKET || c === RBRACKET) plain = false;
      else return false;
    }
    i++;
  }
  const hierEnd = i;
  if (hierEnd === hierStart) return false;
  // Query, then fragment: pchar / "/" / "?".
  if (i < n && s.charCodeAt(i) === QUESTION) {
    i++;
    while (i < n) {
      c = s.charCodeAt(i);
      if (c === HASH) break;
      if (!queryChar(s, i, c)) return false;
      i += c === PERCENT ? 3 : 1;
    }
  }
  if (i < n) {
    i++; // the "#"
    while (i < n) {
      c = s.charCodeAt(i);
      if (!queryChar(s, i, c)) return false;
      i += c === PERCENT ? 3 : 1;
    }
  }
  if (plain) return true; // path-rootless, path-absolute, or "//" + reg-name authority + path
  // An IP literal can only sit in an authority: "/" or "//" then authority, then path-abempty.
  if (s.charCodeAt(hierStart) !== SLASH) return false;
  const authStart =
    hierStart + 1 < hierEnd && s.charCodeAt(hierStart + 1) === SLASH ? hierStart + 2 : hierStart + 1;
  let authEnd = authStart;
  while (authEnd < hierEnd && s.charCodeAt(authEnd) !== SLASH) authEnd++;
  for (let k = authEnd; k < hierEnd; k++) {
    c = s.charCodeAt(k);
    if (c === LBRACKET || c === RBRACKET) return false;
  }
  return isAuthority(s, authStart, authEnd);
}

function queryChar(s: string, i: number, c: number): boolean {
  if (c === PERCENT) return i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2));
  return c === SLASH || c === QUESTION || (c < 128 && (CLASS[c]! & PCHAR) !== 0);
}

/** `[ userinfo "@" ] host [ ":" port ]` over s[a, b). */
function isAuthority(s: string, a: number, b: number): boolean {
  let at = -1;
  for (let k = a; k < b; k++) {
    if (s.charCodeAt(k) === AT) {
      at = k;
      break;
    }
  }
  if (at >= 0) {
    for (let k = a; k < at; k++) {
      const c = s.charCodeAt(k);
      if (c === PERCENT) {
        k += 2; // escapes were checked by the caller
        continue;
      }
      if (c !== COLON && (c >= 128 || (CLASS[c]! & UNRESERVED_SUB) === 0)) return false;
    }
    a = at + 1;
  }
  let k = a;
  if (k < b && s.charCodeAt(k) === LBRACKET) {
    let close = k + 1;
    while (close < b && s.charCodeAt(close) !== RBRACKET) close++;
    if (close >= b || !isIpLiteral(s.slice(k + 1, close))) return false;
    k = close + 1;
  } else {
    while (k < b) {
      const c = s.charCodeAt(k);
      if (c === COLON) break;
      if (c === PERCENT) {
        k += 3;
        continue;
      }
      if (c >= 128 || (CLASS[c]! & UNRESERVED_SUB) === 0) return false;
      k++;
    }
  }
  if (k === b) return true;
  if (s.charCodeAt(k) !== COLON) return false;
  for (k++; k < b; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** IPv6address or IPvFuture (RFC 3986 §3.2.2), the text between the brackets. */
function isIpLiteral(t: string): boolean {
  const c0 = t.charCodeAt(0);
  if (c0 === 118 || c0 === 86) {
    // "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    let i = 1;
    while (i < t.length && isHex(t.charCodeAt(i))) i++;
    if (i === 1 || i >= t.length || t.charCodeAt(i) !== 46) return false;
    i++;
    if (i >= t.length) return false;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c !== COLON && (c >= 128 || (CLASS[c]! & UNRESERVED_SUB) === 0)) return false;
    }
    return true;
  }
  return isIpv6(t);
}

function isH16(p: string): boolean {
  if (p.length < 1 || p.length > 4) return false;
  for (let i = 0; i < p.length; i++) if (!isHex(p.charCodeAt(i))) return false;
  return true;
}

function isIpv4(p: string): boolean {
  const parts = p.split('.');
  if (parts.length !== 4) return false;
  for (const o of parts) {
    if (o.length < 1 || o.length > 3) return false;
    for (let i = 0; i < o.length; i++) {
      const c = o.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (Number(o) > 255) return false;
  }
  return true;
}

/** IPv6address: eight 16-bit groups (the last two may be an IPv4 address), or fewer around one "::". */
function isIpv6(t: string): boolean {
  const dbl = t.indexOf('::');
  if (dbl >= 0 && t.indexOf('::', dbl + 1) >= 0) return false;
  const groups = (part: string, allowV4Last: boolean): number => {
    if (part === '') return 0;
    const ps = part.split(':');
    let count = 0;
    for (let i = 0; i < ps.length; i++) {
      const g = ps[i]!;
      if (isH16(g)) count++;
      else if (allowV4Last && i === ps.length - 1 && isIpv4(g)) count += 2;
      else return -1;
    }
    return count;
  };
  if (dbl < 0) return groups(t, true) === 8;
  const before = groups(t.slice(0, dbl), false);
  const after = groups(t.slice(dbl + 2), true);
  return before >= 0 && after >= 0 && before + after <= 7;
}

// ---------------------------------------------------------------------------------------------
// date-time

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** JavaScript's `\s` (white space and line terminators), the other separators the check allows. */
function isJsSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Parses an RFC 3339 date-time as the schema's `format: date-time` accepts it and returns its
 * instant in milliseconds since the epoch (fractions beyond milliseconds truncated; a leap second
 * counts as the next second); `NaN` when the string is not such a date-time.
 */
export function parseDateTime(s: string): number {
  const n = s.length;
  if (n < 20) return Number.NaN; // 10 (date) + 1 + 8 (time) + 1 (offset)
  const y1 = d2(s, 0);
  const y2 = d2(s, 2);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return Number.NaN;
  const y = y1 * 100 + y2;
  if (mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const maxDay = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[mo]!;
  if (d > maxDay) return Number.NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && !isJsSpace(sep)) return Number.NaN;
  const hr = d2(s, 11);
  const min = d2(s, 14);
  const ss = d2(s, 17);
  if (hr < 0 || min < 0 || ss < 0 || s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON)
    return Number.NaN;
  let i = 19;
  let fracEnd = i;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    const fs = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === fs) return Number.NaN;
    fracEnd = i;
  }
  if (i >= n) return Number.NaN; // the offset is required
  let c = s.charCodeAt(i);
  let tzSign = 1;
  let tzH = 0;
  let tzM = 0;
  if (c === 90 || c === 122) {
    i++;
  } else if (c === 43 || c === 45) {
    tzSign = c === 45 ? -1 : 1;
    tzH = d2(s, i + 1);
    if (tzH < 0 || i + 3 > n) return Number.NaN;
    i += 3;
    if (i < n) {
      c = s.charCodeAt(i);
      if (c === COLON) i++;
      tzM = d2(s, i);
      if (tzM < 0 || i + 2 > n) return Number.NaN;
      i += 2;
    }
  } else {
    return Number.NaN;
  }
  if (i !== n || tzH > 23 || tzM > 59) return Number.NaN;
  // Seconds as a number, exactly as a decimal-to-double conversion would give them (matters only
  // for 59.999…, which may round up to 60, and for leap seconds).
  const sec = ss >= 59 && fracEnd > 19 ? Number(s.slice(17, fracEnd)) : ss;
  if (!(hr <= 23 && min <= 59 && sec < 60)) {
    // Leap second: allowed only where it is 23:59 in UTC.
    const utcMin = min - tzM * tzSign;
    const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
    if (!((utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61)) return Number.NaN;
  }
  let ms = 0;
  if (fracEnd > 20) {
    const f = s.charCodeAt(20) - 48;
    const g = fracEnd > 21 ? s.charCodeAt(21) - 48 : 0;
    const h = fracEnd > 22 ? s.charCodeAt(22) - 48 : 0;
    ms = f * 100 + g * 10 + h;
  }
  let t = Date.UTC(y, mo - 1, d, hr, min, ss, ms);
  if (y < 100) t = new Date(t).setUTCFullYear(y, mo - 1, d); // Date.UTC reads years 0–99 as 1900–1999
  return t - tzSign * (tzH * 60 + tzM) * 60000;
}

/** Whether `s` is a date-time with a time-zone offset, as the schema's `format: date-time` checks it. */
export function isDateTime(s: string): boolean {
  return !Number.isNaN(parseDateTime(s));
}

// ---------------------------------------------------------------------------------------------
// Patterns of the schema

/** `eventTimeZoneOffset`: `^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$`. */
export function isTimeZoneOffset(s: string): boolean {
  if (s.length !== 6) return false;
  const sign = s.charCodeAt(0);
  if ((sign !== 43 && sign !== 45) || s.charCodeAt(3) !== COLON) return false;
  const h = d2(s, 1);
  const m = d2(s, 4);
  if (h < 0 || m < 0) return false;
  return (h <= 13 && m <= 59) || (h === 14 && m === 0);
}

/** Offset in minutes of a valid `eventTimeZoneOffset`. */
export function timeZoneOffsetMinutes(s: string): number {
  const v = d2(s, 1) * 60 + d2(s, 4);
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** `schemaVersion`: `^\d+(\.\d+)*$`. */
export function isVersion(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && digits > 0) digits = 0;
    else return false;
  }
  return digits > 0;
}

/** `uom`: `^[A-Z0-9]{2,3}$`. */
export function isUom(s: string): boolean {
  if (s.length < 2 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/** `hexBinaryValue`: `^[A-Fa-f0-9]+$`. */
export function isHexBinary(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

/**
 * The negative look-ahead of `vocab-other-uri` (bizStep, disposition, BTT, SDT, error reason,
 * sensor component): a custom value must not start with `urn:epcglobal:cbv` or
 * `http(s)://ns.gs1.org/cbv/` — standard values are written as bare words in JSON.
 */
export function isReservedCbvUri(s: string): boolean {
  if (s.startsWith('urn:epcglobal:cbv')) return true;
  return s.startsWith('https://ns.gs1.org/cbv/') || s.startsWith('http://ns.gs1.org/cbv/');
}

/**
 * The negative look-ahead of `vocab-nonGS1WebVoc-uri` (measurement and alert types): a custom value
 * must not start with `http(s)://gs1.org/voc/` or `http(s)://www.gs1.org/voc/`.
 */
export function isReservedGs1VocUri(s: string): boolean {
  if (!s.startsWith('http')) return false;
  let i = 4;
  if (s.charCodeAt(i) === 115) i++; // "s"
  if (!s.startsWith('://', i)) return false;
  i += 3;
  if (s.startsWith('www.', i)) i += 4;
  return s.startsWith('gs1.org/voc/', i);
}

/**
 * JSON Schema `uniqueItems` equality (structural: same JSON type and value; objects with the same
 * keys and equal values, in any order). Iterative, so deeply nested input cannot overflow the stack.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const stack: unknown[] = [a, b];
  while (stack.length) {
    const y = stack.pop();
    const x = stack.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
    }
  }
  return true;
}

/** Scratch hash table of {@link firstDuplicateString} (validation is synchronous: one serves every call). */
let dupTable = new Int32Array(64);
/** No first-duplicate answer from {@link firstDuplicateString}: ask the general path. */
const ASK_GENERAL = null;

/**
 * {@link firstDuplicate} for an array of strings (an EPC list), without the engine's string hash:
 * V8 hashes every character of a string the first time it is a Map key, which for fresh EPCs of
 * 40–60 characters is most of the cost of the check. Here a string's slot comes from its length
 * and its last 8 characters (where serials differ), in an open-addressing table of item indices;
 * equal slots are told apart by comparing the strings. `null` when an item is not a string, or
 * when the strings collide too often (e.g. all ending alike): the general path then answers, so
 * the worst case stays linear.
 */
function firstDuplicateString(arr: readonly unknown[], n: number): [number, number] | undefined | null {
  let size = 64;
  while (size < 2 * n) size *= 2;
  let t = dupTable;
  if (t.length < size) t = dupTable = new Int32Array(size);
  else t.fill(0, 0, size);
  const mask = size - 1;
  let budget = 4 * n; // extra probes allowed in all
  for (let j = 0; j < n; j++) {
    const s = arr[j];
    if (typeof s !== 'string') return ASK_GENERAL;
    const len = s.length;
    let h = len;
    for (let k = len - 1, end = len > 8 ? len - 8 : 0; k >= end; k--)
      h = Math.imul(h ^ s.charCodeAt(k), 0x5bd1e995);
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const e = t[slot]!;
      if (e === 0) {
        t[slot] = j + 1;
        break;
      }
      if (arr[e - 1] === s) return [e - 1, j];
      if (--budget < 0) return ASK_GENERAL;
      slot = (slot + 1) & mask;
    }
  }
  return undefined;
}

/**
 * Index pair `[i, j]` (i < j) of the first repeated item of an array by {@link jsonEqual}, or
 * `undefined` when all items are distinct. Strings (the usual case) go through a hash table of
 * their own ({@link firstDuplicateString}), anything else through a Map.
 */
export function firstDuplicate(arr: readonly unknown[]): [number, number] | undefined {
  const n = arr.length;
  if (n < 2) return undefined;
  if (n <= 8) {
    for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) if (jsonEqual(arr[i], arr[j])) return [i, j];
    return undefined;
  }
  const quick = firstDuplicateString(arr, n);
  if (quick !== ASK_GENERAL) return quick;
  const seen = new Map<unknown, number>();
  let objects: number[] | undefined;
  for (let j = 0; j < n; j++) {
    const v = arr[j];
    if (typeof v === 'object' && v !== null) {
      if (objects) {
        for (const i of objects) if (jsonEqual(arr[i], v)) return [i, j];
        objects.push(j);
      } else objects = [j];
      continue;
    }
    const i = seen.get(v);
    if (i !== undefined) return [i, j];
    seen.set(v, j);
  }
  return undefined;
}
