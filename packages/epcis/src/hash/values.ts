/**
 * Value canonicalisation of the CBV 2.0 Event Hash ID (epcis.md §10.1 rules 6–9 and 11), written
 * to give exactly what the reference implementation gives on its vectors:
 *
 * - timestamps → UTC, millisecond precision, `YYYY-MM-DDTHH:MM:SS.mmmZ`; fractions beyond
 *   microseconds are cut, microseconds rounded to milliseconds half-to-even (`.1425` → `.142`);
 * - numbers → the text of a binary double as Python prints it (`1.0` → `1`, `0.34340` → `0.3434`,
 *   `1e3` → `1000`, `0.00001` → `1e-05`), for every value that parses as a number;
 * - CBV 1.x URNs → CBV 2.0 Web URIs (`urn:epcglobal:cbv:bizstep:` → `https://ref.gs1.org/cbv/BizStep-` …);
 * - GS1 identifiers → the constrained canonical Digital Link (identifiers.ts).
 */
import { toCanonicalDigitalLink } from '../identifiers.ts';

const toDl = toCanonicalDigitalLink;

const TWO_53 = 9007199254740992;

/** A JS number as Python's `str()` of the value after `float()` / `int()` canonicalisation. */
export function numberText(x: number): string {
  if (Number.isInteger(x)) {
    if (x === 0) return '0';
    return x < TWO_53 && x > -TWO_53 ? String(x) : BigInt(x).toString();
  }
  if (!Number.isFinite(x)) return String(x);
  // Non-integers are below 2^53 in magnitude; JS and Python agree on the shortest digits and on
  // fixed notation down to 1e-4, where Python switches to exponent notation (two-digit exponent).
  if (x >= 1e-4 || x <= -1e-4) return String(x);
  const e = x.toExponential();
  const i = e.indexOf('e');
  const exp = e.slice(i + 2);
  return `${e.slice(0, i)}e-${exp.length < 2 ? `0${exp}` : exp}`;
}

/** Python's float literal grammar (`float()` after `strip()`), without inf / nan. */
const FLOAT_LITERAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** The canonical text of a numeric string, or the string unchanged when it is not a number. */
export function canonicalNumberText(text: string): string {
  if (!FLOAT_LITERAL.test(text)) return text;
  const x = Number(text.includes('_') ? text.replaceAll('_', '') : text);
  // An overflow to infinity makes the reference drop the event; rxtrace keeps the text.
  return Number.isFinite(x) ? numberText(x) : text;
}

const CBV_URN_ROOT = 'urn:epcglobal:cbv:';

/** CBV 1.x vocabulary URNs → CBV 2.0 Web URIs, wherever they occur in the text. */
export function cbvUrnsToWebUris(text: string): string {
  if (text.indexOf(CBV_URN_ROOT) < 0) return text;
  return text
    .replaceAll('urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-')
    .replaceAll('urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-')
    .replaceAll('urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-')
    .replaceAll('urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-')
    .replaceAll('urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-');
}

/**
 * The canonical form of a trimmed, non-empty value: CBV URNs → Web URIs, then numbers, then GS1
 * identifiers. A numeric text can never be an identifier and the reverse, so only one of the last
 * two applies.
 */
export function canonicalValue(text: string): string {
  const c = text.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    const t = canonicalNumberText(text);
    if (t !== text) return t;
  } else if (c === 117 /* u */ || c === 104 /* h */ || c === 72 /* H */) {
    // Identifiers first: where a CBV URN inside a Digital Link would be rewritten (its query or
    // stem), the constrained form drops it anyway, so the order of the two steps does not matter.
    const id = toDl(text);
    if (id !== undefined) return id;
  }
  // (indexOf rather than includes, which first checks whether its argument is a RegExp)
  return text.indexOf(CBV_URN_ROOT) >= 0 ? cbvUrnsToWebUris(text) : text;
}

// ---------------------------------------------------------------------------------------------
// Lists of one product's packs

/** The constrained DL of an SGTIN up to its serial: `https://id.gs1.org/01/<GTIN-14>/21/`. */
const SGTIN_DL_HEAD = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/21\/$/;
/** A plain SGTIN URN up to its serial: `urn:epc:id:sgtin:<GCP>.<reference>.` (digits only). */
const SGTIN_URN_HEAD = /^urn:epc:id:sgtin:\d{6,12}\.\d+\.$/;
/** A plain serial (`A–Z a–z 0–9 - . _`, 1 to 20) from `lastIndex` to the end. */
const PLAIN_SERIAL = /[\w.-]{1,20}$/y;

/** The members of a list of one product's packs: what they share, and each one's serial. */
export interface SgtinRun {
  /** The constrained DL up to the serial, `https://id.gs1.org/01/<GTIN-14>/21/`. */
  head: string;
  /** Serials, in list order: the canonical value of item i is `head + serials[i]`. */
  serials: string[];
}

/**
 * A list whose every item is the same plain SGTIN up to a plain serial — all EPC URNs
 * `urn:epc:id:sgtin:<GCP>.<reference>.<serial>` with one head, or all constrained DLs
 * `https://id.gs1.org/01/<GTIN>/21/<serial>` with one head — the pack list of a commissioning or
 * aggregation event. Every item's canonical value is then the DL head plus its serial, found
 * without converting each item (the first one is converted with toCanonicalDigitalLink, the
 * others only compared with it); `undefined` for any other list (the caller converts each item).
 * Values must be used as written: the caller makes sure no CURIE prefix or trimming applies.
 */
export function sgtinRun(list: readonly unknown[]): SgtinRun | undefined {
  const n = list.length;
  const first = list[0];
  if (n < 2 || typeof first !== 'string') return undefined;
  const dl = toDl(first);
  // The first item: a plain SGTIN whose serial is written alike in the URN and in the DL.
  if (dl === undefined || dl.length <= 40) return undefined;
  const head = dl.slice(0, 40);
  const cut = first.length - (dl.length - 40);
  if (cut <= 0 || !SGTIN_DL_HEAD.test(head)) return undefined;
  PLAIN_SERIAL.lastIndex = cut;
  if (!PLAIN_SERIAL.test(first)) return undefined;
  const rawHead = first.slice(0, cut);
  if (rawHead !== head && !SGTIN_URN_HEAD.test(rawHead)) return undefined;
  if (first.slice(cut) !== dl.slice(40)) return undefined;
  const serials = new Array<string>(n);
  serials[0] = first.slice(cut);
  for (let i = 1; i < n; i++) {
    const x = list[i];
    if (typeof x !== 'string' || x.indexOf(rawHead) !== 0) return undefined;
    PLAIN_SERIAL.lastIndex = cut;
    if (!PLAIN_SERIAL.test(x)) return undefined;
    serials[i] = x.slice(cut);
  }
  return { head, serials };
}

// ---------------------------------------------------------------------------------------------
// Timestamps

const d2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * An ISO 8601 date-time (`YYYY-MM-DD[Thh:mm[:ss[.f…]]][Z|±hh[:mm]]`) as UTC with milliseconds,
 * `YYYY-MM-DDTHH:MM:SS.mmmZ`; `undefined` when the text is not such a date-time (the reference then
 * keeps the text). A time without offset is read as UTC.
 */
export function utcMillisTimestamp(text: string): string | undefined {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y1 = d2(text, 0);
  const y2 = d2(text, 2);
  const mo = d2(text, 5);
  const day = d2(text, 8);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || day < 1) return undefined;
  const year = y1 * 100 + y2;
  if (year < 1) return undefined;
  const leap = mo === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return undefined;
  let h = 0;
  let mi = 0;
  let s = 0;
  let us = 0;
  let p = 10;
  if (p < n) {
    const sep = text.charCodeAt(p);
    if (sep === 84 || sep === 116 || sep === 32) {
      if (p + 6 > n || text.charCodeAt(p + 3) !== 58) return undefined;
      h = d2(text, p + 1);
      mi = d2(text, p + 4);
      if (h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
      p += 6;
      if (p < n && text.charCodeAt(p) === 58) {
        s = d2(text, p + 1);
        if (s < 0 || s > 59) return undefined;
        p += 3;
        const dot = text.charCodeAt(p);
        if (p < n && (dot === 46 || dot === 44)) {
          p++;
          const start = p;
          while (p < n) {
            const c = text.charCodeAt(p);
            if (c < 48 || c > 57) break;
            if (p - start < 6) us = us * 10 + (c - 48);
            p++;
          }
          if (p === start) return undefined;
          for (let k = p - start; k < 6; k++) us *= 10;
        }
      }
    }
  }
  let offsetMin = 0;
  if (p < n) {
    const c = text.charCodeAt(p);
    if ((c === 90 || c === 122) && p + 1 === n) p++;
    else if (c === 43 || c === 45) {
      const oh = d2(text, p + 1);
      if (oh < 0 || oh > 23) return undefined;
      p += 3;
      let om = 0;
      if (p < n) {
        if (text.charCodeAt(p) === 58) p++;
        om = d2(text, p);
        if (om < 0 || om > 59) return undefined;
        p += 2;
      }
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    }
    if (p !== n) return undefined;
  }
  // Python's round(us, -3): half to even.
  let ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  if (rest > 500 || (rest === 500 && ms % 2 === 1)) ms++;
  let total = ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
  if (offsetMin === 0 && total < 86400000) {
    // Already UTC (the common case): only the date part as given.
    return `${text.slice(0, 10)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${pad3(ms)}Z`;
  }
  let days = daysFromCivil(year, mo, day);
  const shift = Math.floor(total / 86400000);
  days += shift;
  total -= shift * 86400000;
  // civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dd = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mm = mp < 10 ? mp + 3 : mp - 9;
  const yy = yoe + era * 400 + (mm <= 2 ? 1 : 0);
  // Out of Python's datetime range.
  if (yy < 1 || yy > 9999) return undefined;
  const hh = Math.floor(total / 3600000);
  total -= hh * 3600000;
  const mi2 = Math.floor(total / 60000);
  total -= mi2 * 60000;
  const ss = Math.floor(total / 1000);
  return `${pad4(yy)}-${pad2(mm)}-${pad2(dd)}T${pad2(hh)}:${pad2(mi2)}:${pad2(ss)}.${pad3(total - ss * 1000)}Z`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => (n < 1000 ? `${n + 10000}`.slice(1) : `${n}`);
