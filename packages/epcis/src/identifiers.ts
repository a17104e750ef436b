/**
 * The one normalised identifier form rxtrace stores and compares: the *constrained canonical GS1
 * Digital Link* on `https://id.gs1.org`, as the CBV 2.0 Event Hash ID defines it.
 *
 * - EPC pure-identity URIs, the LGTIN class URI and EPC pattern URIs (`urn:epc:idpat:…` with the
 *   last field `*`) → `https://id.gs1.org/<AI>/<key>[/<AI>/<qualifier>]`, check digits computed,
 *   GTINs as GTIN-14; an SGLN extension `0` means the GLN itself (no `/254/`).
 * - GS1 Digital Link URIs on any domain (http or https, short names such as `/gtin/` or `/ser/`,
 *   zero-suppressed GTIN-8/12/13) → the same form: query string and fragment dropped, only the
 *   finest key level kept (serial over lot, the CPV dropped), values percent-encoded as in a
 *   canonical DL (`%XX` for every character outside `A–Z a–z 0–9 - . _ ~`).
 * - Allowed keys and qualifiers: 00, 01, 01+21, 01+10, 01+235, 253, 255, 401, 402, 414, 414+254,
 *   417, 8003, 8004, 8006, 8006+21, 8006+10, 8010, 8010+8011, 8017, 8018. Anything else (other
 *   URIs, non-GS1 EPCs such as GID or ADI, malformed identifiers) is not a GS1 identifier and is
 *   left as it is.
 *
 * Digital Link values are checked for format (lengths, character sets), not for check digits: a
 * DL with a wrong GTIN check digit still names that (wrong) GTIN, as in the reference
 * implementation of the hash. EPC URIs are read with the full EPC rules of `@rxtrace/gs1`.
 *
 * {@link toEpcUrn} goes the other way for partners that need EPC URNs; it needs the GS1 Company
 * Prefix length, which a Digital Link does not carry.
 *
 * Everything is pure and allocation-light: no caches (but small memos of the last GTIN and the
 * last two places, see fromPlainEpcUri), no regular expressions built per call.
 */
import {
  type AiElement,
  computeCheckDigit,
  elementsToEpc,
  epcToElements,
  type GcpLengthTable,
  parseDigitalLink,
  parseEpcPattern,
  parseEpcUri,
  percentEncode,
  validateValue,
} from '@rxtrace/gs1';
import type { EpcisProblem, EpcisResult } from './model.ts';

/** Scheme, host and path start of every normalised identifier. */
export const CANONICAL_ID_STEM = 'https://id.gs1.org/';

// Module-local aliases of hot imports.
const enc = percentEncode;
const checkDigit = computeCheckDigit;

/** Primary keys of the constrained form → the qualifiers kept, finest first. */
const KEPT_QUALIFIERS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['00', []],
  ['01', ['21', '235', '10']],
  ['253', []],
  ['255', []],
  ['401', []],
  ['402', []],
  ['414', ['254']],
  ['417', []],
  ['8003', []],
  ['8004', []],
  ['8006', ['21', '10']],
  ['8010', ['8011']],
  ['8017', []],
  ['8018', []],
]);

const DL_OPTIONS = {
  permitConvenienceAlphas: true,
  permitZeroSuppressedGTINinDLuris: true,
  validate: false,
} as const;
const VALUE_CHECK = { linters: false } as const;

const HTTP_URI = /^https?:\/\//i;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** `https://id.gs1.org/<key>/<value>[/<q>/<value>]` from decoded values. */
function write(key: string, keyValue: string, qual?: string, qualValue?: string): string {
  let out = `${CANONICAL_ID_STEM}${key}/${enc(keyValue, 'path')}`;
  if (qual !== undefined && qualValue !== undefined) out += `/${qual}/${enc(qualValue, 'path')}`;
  return out;
}

/**
 * Splits a URI already written in the constrained canonical form — `https://id.gs1.org/K/v` or
 * `…/K/v/Q/w` with a kept qualifier, values of unreserved characters only (so nothing to decode or
 * encode), a GTIN of 14 characters — into `[K, v, Q, w]`; `undefined` for any other shape.
 */
function splitCanonicalShape(uri: string): string[] | undefined {
  const n = uri.length;
  let p = CANONICAL_ID_STEM.length;
  const parts: string[] = [];
  while (p < n) {
    let q = p;
    while (q < n && isDigit(uri.charCodeAt(q))) q++;
    if (q === p || q >= n || uri.charCodeAt(q) !== 47) return undefined;
    const ai = uri.slice(p, q);
    if (parts.length === 0) {
      if (!KEPT_QUALIFIERS.has(ai)) return undefined;
    } else if (parts.length === 2) {
      if (!KEPT_QUALIFIERS.get(parts[0]!)!.includes(ai)) return undefined;
    } else return undefined;
    p = q + 1;
    q = p;
    while (q < n) {
      const c = uri.charCodeAt(q);
      if (c === 47) break;
      // RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~
      if (
        !(
          (c >= 65 && c <= 90) ||
          (c >= 97 && c <= 122) ||
          isDigit(c) ||
          c === 45 ||
          c === 46 ||
          c === 95 ||
          c === 126
        )
      )
        return undefined;
      q++;
    }
    if (q === p) return undefined;
    if (parts.length === 0 && ai === '01' && q - p !== 14) return undefined;
    parts.push(ai, uri.slice(p, q));
    if (q === n) return parts;
    p = q + 1;
  }
  return undefined;
}

/** The key and kept qualifier of DL path elements (key first), checked for format, or undefined. */
function constrain(els: readonly AiElement[]): AiElement[] | undefined {
  const key = els[0]!;
  const kept = KEPT_QUALIFIERS.get(key.ai);
  if (!kept) return undefined;
  let qual: AiElement | undefined;
  for (const want of kept) {
    for (let i = 1; i < els.length; i++) {
      if (els[i]!.ai === want) {
        qual = els[i];
        break;
      }
    }
    if (qual) break;
  }
  if (validateValue(key.ai, key.value, VALUE_CHECK).length) return undefined;
  if (!qual) return [key];
  if (validateValue(qual.ai, qual.value, VALUE_CHECK).length) return undefined;
  return [key, qual];
}

/** A Digital Link (any domain, query and fragment ignored) → its constrained key elements. */
function dlElements(uri: string): AiElement[] | undefined {
  let end = uri.indexOf('?');
  const hash = uri.indexOf('#');
  if (hash >= 0 && (end < 0 || hash < end)) end = hash;
  if (end < 0) end = uri.length;
  // A trailing slash after the last value is tolerated, as by the reference normaliser.
  if (uri.charCodeAt(end - 1) === 47) end--;
  const r = parseDigitalLink(end < uri.length ? uri.slice(0, end) : uri, DL_OPTIONS);
  if (!r.ok) return undefined;
  return constrain(r.value.elements.slice(0, r.value.pathCount));
}

function fromDigitalLink(uri: string): string | undefined {
  // Already the constrained canonical DL of a pack, case, pallet or place: its own form.
  if (PLAIN_CANONICAL_DL.test(uri)) return uri;
  if (uri.startsWith(CANONICAL_ID_STEM)) {
    const parts = splitCanonicalShape(uri);
    if (parts) {
      if (validateValue(parts[0]!, parts[1]!, VALUE_CHECK).length) return undefined;
      if (parts.length > 2 && validateValue(parts[2]!, parts[3]!, VALUE_CHECK).length) return undefined;
      return uri;
    }
  }
  const els = dlElements(uri);
  if (!els) return undefined;
  return write(els[0]!.ai, els[0]!.value, els[1]?.ai, els[1]?.value);
}

/**
 * The fast paths below take values of the characters that an EPC URI writes as they are (GS1 set
 * 82 without escape) and a canonical Digital Link too (RFC 3986 unreserved): `A–Z a–z 0–9 - . _`,
 * `[\w.-]`. Anything else takes the general path. (One regular expression per shape: on the
 * Node 20 this runs on, a compiled expression checks a 40-character identifier in about a third
 * of the time of a character loop.)
 */
const PLAIN_EPC =
  /^urn:epc:id:(?:sgtin:\d{6,12}\.\d+\.[\w.-]{1,20}|sscc:\d{6,12}\.\d+|sgln:\d{6,12}\.\d*\.[\w.-]{1,20}|pgln:\d{6,12}\.\d*)$/;
const PLAIN_CANONICAL_DL =
  /^https:\/\/id\.gs1\.org\/(?:01\/\d{14}(?:\/21\/[\w.-]{1,20})?|00\/\d{18}|41(?:4\/\d{13}(?:\/254\/[\w.-]{1,20})?|7\/\d{13}))$/;
const DIGIT = '0123456789';

/**
 * The GS1 mod-10 weighted sum of the digits `s[from, to)` standing at positions `k0…` of a key
 * body of `len` digits (weight 3 on the last position, then 1, 3, …).
 */
function weighted(s: string, from: number, to: number, k0: number, len: number): number {
  let sum = 0;
  let w = ((len - 1 - k0) & 1) === 0 ? 3 : 1;
  for (let i = from; i < to; i++) {
    sum += (s.charCodeAt(i) - 48) * w;
    w = 4 - w;
  }
  return sum;
}

/**
 * A one-entry memo of {@link fromPlainEpcUri}: the last plain SGTIN's URN up to its serial
 * (`urn:epc:id:sgtin:4012345.012345.`, every character of it checked) and its DL up to the serial
 * (`https://id.gs1.org/01/04012345123456/21/`). A URN with that head and a plain serial needs only
 * its serial checked. Bounded (two strings), and the answer is the same with or without it.
 */
let lastSgtinUrn = '';
let lastSgtinDl = '';
/** A plain serial (see {@link PLAIN_EPC}) from `lastIndex` to the end. */
const SERIAL_TAIL = /[\w.-]{1,20}$/y;

/**
 * The last two places and parties (SGLN / PGLN URNs) converted, and their DLs: the read point and
 * business location of one event are those of the next ones too. Bounded, and answers alike.
 */
const placeIn = ['', ''];
const placeOut = ['', ''];
let placeNext = 0;

/** The check digit of a weighted sum. */
const checkOf = (sum: number): string => DIGIT[(10 - (sum % 10)) % 10]!;

/**
 * The EPCs of every pack, case, pallet and place in a pharma document — SGTIN, SSCC, SGLN, PGLN
 * written plainly (no escapes) — straight to their constrained DL, without building the general
 * EPC model. `undefined` whenever the URI is anything else or breaks any rule of its scheme (the
 * general path then gives the answer or the reason), so that the result is always the one of the
 * general path (identifiers.test.ts checks them against each other).
 */
function fromPlainEpcUri(uri: string): string | undefined {
  // The packs of a list are mostly of one product: the last SGTIN's GTIN is remembered.
  const head = lastSgtinUrn;
  // (indexOf: on Node 20, startsWith and includes cost about twice as much in place; they check
  // whether their argument is a RegExp first)
  if (head !== '' && uri.indexOf(head) === 0) {
    SERIAL_TAIL.lastIndex = head.length;
    if (SERIAL_TAIL.test(uri)) return lastSgtinDl + uri.slice(head.length);
  }
  if (!PLAIN_EPC.test(uri)) return undefined;
  // urn:epc:id:sgtin: (key body of 13 digits), sscc: (17), sgln: / pgln: (12)
  const c11 = uri.charCodeAt(11);
  const c12 = uri.charCodeAt(12);
  const len =
    c11 === 112 /* p */ ? 12 : c12 === 115 /* s */ ? 17 : uri.charCodeAt(13) === 116 /* t */ ? 13 : 12;
  const g0 = len === 13 ? 17 : 16;
  const g1 = uri.indexOf('.', g0);
  const gcp = g1 - g0;
  // The reference: the rest of the key's digits, then a dot (or the end for SSCC and PGLN).
  const r0 = g1 + 1;
  const r1 = r0 + len - gcp;
  const n = uri.length;
  // (The expression saw digits up to the next dot or the end.)
  if (len === 17 || c11 === 112 ? r1 !== n : uri.indexOf('.', r0) !== r1) return undefined;
  if (len !== 12) {
    // SGTIN / SSCC: the first digit of the reference (indicator / extension digit) leads the key.
    const sum =
      weighted(uri, r0, r0 + 1, 0, len) +
      weighted(uri, g0, g1, 1, len) +
      weighted(uri, r0 + 1, r1, gcp + 1, len);
    const key = `${uri[r0]}${uri.slice(g0, g1)}${uri.slice(r0 + 1, r1)}${checkOf(sum)}`;
    if (len === 17) return `${CANONICAL_ID_STEM}00/${key}`;
    // (join: one flat string, cheap to extend and to compare)
    lastSgtinDl = [CANONICAL_ID_STEM, '01/', key, '/21/'].join('');
    lastSgtinUrn = uri.slice(0, r1 + 1);
    return lastSgtinDl + uri.slice(r1 + 1);
  }
  // SGLN / PGLN: GCP + location / party reference (may be empty).
  const sum = weighted(uri, g0, g1, 0, 12) + weighted(uri, r0, r1, gcp, 12);
  const gln = `${uri.slice(g0, g1)}${uri.slice(r0, r1)}${checkOf(sum)}`;
  // (join: one flat string, as it will be read again and again)
  let out: string;
  if (c11 === 112) out = [CANONICAL_ID_STEM, '417/', gln].join('');
  // Extension `0`: the GLN itself.
  else if (r1 + 2 === n && uri.charCodeAt(r1 + 1) === 48) out = [CANONICAL_ID_STEM, '414/', gln].join('');
  else out = [CANONICAL_ID_STEM, '414/', gln, '/254/', uri.slice(r1 + 1)].join('');
  placeIn[placeNext] = uri;
  placeOut[placeNext] = out;
  placeNext ^= 1;
  return out;
}

/** Pure-identity EPC URI or LGTIN class URI → constrained DL. */
function fromEpcUri(uri: string): string | undefined {
  const r = epcToElements(uri);
  if (!r.ok) return undefined;
  const els = r.value;
  const key = els[0]!;
  const second = els[1];
  if (key.ai === '414' && second?.value === '0') return write('414', key.value);
  return write(key.ai, key.value, second?.ai, second?.value);
}

/** EPC pattern URI whose only wildcard is the last field → the key it selects, as a constrained DL. */
function fromEpcPattern(uri: string): string | undefined {
  const r = parseEpcPattern(uri);
  if (!r.ok) return undefined;
  const f = r.value.fields;
  const last = f.length - 1;
  for (let i = 0; i < last; i++) if (f[i] === null) return undefined;
  if (f[last] !== null) return undefined;
  const gcp = f[0]!;
  const ref = f[1]!;
  switch (r.value.scheme) {
    case 'sgtin':
    case 'upui': {
      const body = ref.slice(0, 1) + gcp + ref.slice(1);
      return write('01', body + checkDigit(body));
    }
    case 'itip': {
      const body = ref.slice(0, 1) + gcp + ref.slice(1);
      return write('8006', body + checkDigit(body) + f[2]! + f[3]!);
    }
    case 'grai': {
      const body = gcp + ref;
      return write('8003', `0${body}${checkDigit(body)}`);
    }
    case 'gdti':
    case 'sgcn': {
      const body = gcp + ref;
      return write(r.value.scheme === 'gdti' ? '253' : '255', body + checkDigit(body));
    }
    case 'cpi':
      return write('8010', gcp + ref);
    default:
      return undefined;
  }
}

/**
 * The constrained canonical GS1 Digital Link of an identifier given as an EPC URI, EPC class or
 * pattern URI, or GS1 Digital Link on any domain; `undefined` when the value is not a GS1
 * identifier.
 */
export function toCanonicalDigitalLink(id: string): string | undefined {
  const c0 = id.charCodeAt(0);
  if (c0 === 117 /* u */) {
    if (id === placeIn[0]) return placeOut[0];
    if (id === placeIn[1]) return placeOut[1];
    const plain = fromPlainEpcUri(id);
    if (plain !== undefined) return plain;
    if (id.startsWith('urn:epc:id:') || id.startsWith('urn:epc:class:')) return fromEpcUri(id);
    if (id.startsWith('urn:epc:idpat:')) return fromEpcPattern(id);
    return undefined;
  }
  if ((c0 === 104 /* h */ || c0 === 72) /* H */ && id.length > 12) return fromDigitalLink(id);
  return undefined;
}

/**
 * The normalised form of an identifier: its constrained canonical GS1 Digital Link, or the value
 * unchanged when it is not a GS1 identifier (a `geo:` URI, a business-transaction URN, a URL…).
 */
export function normaliseIdentifier(id: string): string {
  return toCanonicalDigitalLink(id) ?? id;
}

// ---------------------------------------------------------------------------------------------
// Back to EPC URNs

/** How to find the GS1 Company Prefix length of a key: a fixed length, or a look-up. */
export type GcpLengthSource =
  | { companyPrefixLength: number }
  | {
      /**
       * A GCP length table (`parseGcpLengthTable` of `@rxtrace/gs1`) or a function; both are given
       * the key's digits from where the company prefix starts (indicator / extension / filler
       * digit removed) and answer the prefix length, or undefined when they do not know it.
       */
      gcpLookup: GcpLengthTable | ((digits: string) => number | undefined);
    };

const problem = (code: string, message: string): EpcisResult<never> => ({
  ok: false,
  errors: [{ code, message } satisfies EpcisProblem],
});

/** Where the company prefix starts in the value of a key AI. */
function gcpDigits(ai: string, value: string): string {
  return ai === '01' || ai === '00' || ai === '8006' || ai === '8003' ? value.slice(1) : value;
}

function gcpLength(ai: string, value: string, src: GcpLengthSource | undefined): number | EpcisResult<never> {
  if (!src) {
    return problem(
      'RX_EPCIS_GCP_LENGTH_REQUIRED',
      `Converting ${ai === '01' ? 'a GTIN' : `(${ai}) ${value}`} to an EPC URN needs the length of its GS1 Company Prefix, which a Digital Link does not carry: pass companyPrefixLength or gcpLookup.`,
    );
  }
  if ('companyPrefixLength' in src) return src.companyPrefixLength;
  const digits = gcpDigits(ai, value);
  const look = src.gcpLookup;
  const len = typeof look === 'function' ? look(digits) : look.lengthFor(digits);
  if (!len) {
    return problem(
      'RX_EPCIS_GCP_LENGTH_UNKNOWN',
      `The GS1 Company Prefix length of (${ai}) ${value} is not in the look-up table; pass companyPrefixLength.`,
    );
  }
  return len;
}

/** Builds an EPC (or, with `pattern`, the pattern whose last field is `*`) from AI data. */
function buildUrn(els: AiElement[], L: number, pattern: boolean): EpcisResult<string> {
  const r = elementsToEpc(els, { companyPrefixLength: L });
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => ({ code: e.code, message: e.message })) };
  const uri = r.value.uri;
  if (!pattern) return { ok: true, value: uri };
  // The last field is the dummy serial `0` added by the caller.
  return { ok: true, value: `urn:epc:idpat:${uri.slice('urn:epc:id:'.length, -1)}*` };
}

/**
 * An identifier as an EPC URN: EPC URIs and patterns come back in their canonical spelling; a
 * GS1 Digital Link (any domain) becomes the pure-identity EPC (`urn:epc:id:sgtin:…`), the LGTIN
 * class (GTIN + lot) or, for a key without its serial, the EPC pattern (`urn:epc:idpat:sgtin:…*`).
 * Converting a Digital Link needs the GS1 Company Prefix length: without `gcp` the result is an
 * error saying so.
 */
export function toEpcUrn(id: string, gcp?: GcpLengthSource): EpcisResult<string> {
  if (id.startsWith('urn:epc:')) {
    const r = id.startsWith('urn:epc:idpat:') ? parseEpcPattern(id) : parseEpcUri(id);
    if (r.ok) return { ok: true, value: r.value.uri };
    return { ok: false, errors: r.errors.map((e) => ({ code: e.code, message: e.message })) };
  }
  const els = HTTP_URI.test(id) ? dlElements(id) : undefined;
  if (!els) return problem('RX_EPCIS_NOT_GS1_IDENTIFIER', `'${id}' is not a GS1 identifier.`);
  const key = els[0]!;
  const qual = els[1];
  const L = gcpLength(key.ai, key.value, gcp);
  if (typeof L !== 'number') return L;
  switch (key.ai) {
    case '01':
      return qual ? buildUrn(els, L, false) : buildUrn([key, { ai: '21', value: '0' }], L, true);
    case '8006':
      if (qual?.ai === '10')
        return problem('RX_EPCIS_NO_EPC', `An ITIP with a batch/lot (${id}) has no EPC URN form.`);
      return qual ? buildUrn(els, L, false) : buildUrn([key, { ai: '21', value: '0' }], L, true);
    case '8010':
      return qual ? buildUrn(els, L, false) : buildUrn([key, { ai: '8011', value: '0' }], L, true);
    case '8003':
      // A GRAI without serial (filler + 13 digits) is the class of assets: the pattern.
      return key.value.length === 14
        ? buildUrn([{ ai: '8003', value: `${key.value}0` }], L, true)
        : buildUrn(els, L, false);
    case '253':
    case '255':
      return key.value.length === 13
        ? buildUrn([{ ai: key.ai, value: `${key.value}0` }], L, true)
        : buildUrn(els, L, false);
    default:
      return buildUrn(els, L, false);
  }
}
