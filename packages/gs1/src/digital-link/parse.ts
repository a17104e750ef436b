/**
 * GS1 Digital Link URI → AI elements.
 *
 * `scheme://host[/free/stem]/PK/value[/Q/value…][?AI=value&…][#fragment]`, read in one pass over
 * the string: character check, scheme, host, then the path is walked from the right in `/AI/value`
 * pairs until the rightmost primary key; everything before it is a free stem. Query parameters
 * that are AIs become data attributes; other parameters are kept (undecoded) but ignored.
 */
import type { AiDefinition } from '../dictionary.ts';
import type { AiElement } from '../elements.ts';
import { fail, type Gs1Problem, ok, type Result } from '../errors.ts';
import { type ValidationOptions, validateElements } from '../validate.ts';
import { parseCompressedDigitalLink } from './compress.ts';
import { decodeComponent, rawOffsetOfDecoded } from './percent.ts';
import {
  allDigits,
  BAD_HOST_CHARS,
  belongsInPath,
  CSET82_TABLE,
  isValidQualifierSequence,
  type ResolvedAi,
  resolveNumericAi,
  resolvePathToken,
  URI_CHARS,
} from './tables.ts';

export interface DigitalLinkParseOptions extends ValidationOptions {
  /** Accept an 8-, 12- or 13-digit GTIN for AI (01) and pad it to 14 digits. Default false. */
  permitZeroSuppressedGTINinDLuris?: boolean;
  /** Accept the deprecated short names (`/gtin/`, `/lot/`, `/ser/`, `/sscc/`…) in the path. Default false. */
  permitConvenienceAlphas?: boolean;
  /**
   * Accept an unknown AI (under `permitUnknownAIs`) as a query data attribute. Off by default, as
   * in the GS1 Syntax Engine (its `UNKNOWN_AI_NOT_DL_ATTR` validation).
   */
  permitUnknownAiAttributes?: boolean;
  /** Validate each value (format, check digits, linters) with validate.ts. Default true. */
  validate?: boolean;
  /** With `validate`, also check req/ex associations between the AIs. Default true. */
  associations?: boolean;
  /** When the URI is not an uncompressed DL URI, try reading it as a compressed one. Default false. */
  permitCompressed?: boolean;
}

/** A GTIN written zero-suppressed in the URI and padded to 14 digits (lenient mode only). */
export interface ExpandedGtin {
  /** Index of the element in {@link DigitalLink.elements}. */
  index: number;
  /** The value as written in the URI (8, 12 or 13 digits). */
  written: string;
}

export interface DigitalLink {
  /** Scheme, host and any free path before the primary key, e.g. `https://id.gs1.org`. */
  stem: string;
  /** AI data in URI order: the primary key, its qualifiers, then the query attributes. */
  elements: AiElement[];
  /** How many leading elements came from the path (primary key and key qualifiers). */
  pathCount: number;
  /** Query parameters that are not AIs, as written (`singleton`, `foo=bar`); ignored. */
  ignoredQueryParams: string[];
  /** GTINs that were written zero-suppressed (present only when some were). */
  expandedGtins?: ExpandedGtin[];
  /** True when the data came from a compressed DL URI. */
  compressed?: boolean;
}

function problem(code: string, message: string, position: number, length = 1, ai?: string): Result<never> {
  return fail(code, message, ai === undefined ? { position, length } : { position, length, ai });
}

/** Where the raw value of each element sits in the URI, for mapping value problems back. */
interface Span {
  from: number;
  to: number;
  query: boolean;
}

/**
 * Parses the structure of a DL URI (no compressed form, no value validation): the common part of
 * {@link parseDigitalLink} and {@link isDigitalLinkUri}.
 */
// Hot-path aliases: module-local bindings are cheaper than imported ones under the tsx loader.
const URI_OK = URI_CHARS;
const BAD_HOST = BAD_HOST_CHARS;
const SET82 = CSET82_TABLE;
/** Set 82 plus `#`: AI (8010) CPID is written in set 39, whose `#` is not in set 82. */
const SET82_OR_39 = (() => {
  const t = new Uint8Array(SET82);
  t[35] = 1;
  return t;
})();
const decode = decodeComponent;
const resolveToken = resolvePathToken;
const resolveNumeric = resolveNumericAi;
const digitsOnly = allDigits;
const validSequence = isValidQualifierSequence;
const inPath = belongsInPath;

/** Offsets of the parts of a URI that passed the character, scheme and host checks. */
export interface UriParts {
  /** Index of the `/` that starts the path. */
  pathStart: number;
  /** End of the path: the `?`, the `#` or the end of the URI. */
  pathEnd: number;
  /** End of the query: the `#` or the end of the URI. */
  end: number;
}

function describeUriChar(uri: string, i: number): string {
  const c = uri.charCodeAt(i);
  if (c === 32) return 'a space';
  if (c < 32 || c === 127) return `control character 0x${c.toString(16).padStart(2, '0')}`;
  return `'${uri[i]}'`;
}

/** Checks the characters, the scheme and the host of a DL URI and locates path, query and fragment. */
export function scanUri(uri: string): Result<UriParts> {
  const n = uri.length;
  for (let i = 0; i < n; i++) {
    const c = uri.charCodeAt(i);
    if (c >= 128 || URI_OK[c] === 0) {
      return problem(
        'RX_DL_ILLEGAL_CHARACTER',
        `The URI contains ${describeUriChar(uri, i)} at position ${i + 1}, which is not allowed in a URI (it must be percent-encoded).`,
        i,
      );
    }
  }

  let p: number;
  if (uri.startsWith('https://') || uri.startsWith('HTTPS://')) p = 8;
  else if (uri.startsWith('http://') || uri.startsWith('HTTP://')) p = 7;
  else {
    return problem(
      'RX_DL_BAD_SCHEME',
      'A Digital Link URI starts with http:// or https:// (all lower case or all upper case).',
      0,
      Math.max(1, uri.indexOf(':') + 3),
    );
  }

  const pathStart = uri.indexOf('/', p);
  if (pathStart < 0)
    return problem('RX_DL_NO_PATH', 'The URI has no path, so it carries no GS1 identification key.', n, 0);
  if (pathStart === p)
    return problem('RX_DL_NO_DOMAIN', 'The URI has no domain name after the scheme.', p, 0);
  for (let i = p; i < pathStart; i++) {
    if (BAD_HOST[uri.charCodeAt(i)] === 1) {
      return problem(
        'RX_DL_BAD_DOMAIN',
        `The domain name contains '${uri[i]}' at position ${i + 1}, which a host name cannot hold.`,
        i,
      );
    }
  }

  let end = uri.indexOf('#', pathStart);
  if (end < 0) end = n;
  let pathEnd = uri.indexOf('?', pathStart);
  if (pathEnd < 0 || pathEnd > end) pathEnd = end;
  return ok({ pathStart, pathEnd, end });
}

/** The state of one parse, shared by the helpers below (one allocation per call, no closures). */
interface ParseState {
  uri: string;
  padGtins: boolean;
  elements: AiElement[];
  expanded: ExpandedGtin[] | undefined;
  spans: Span[] | undefined;
}

/** Decodes, pads and checks one value; returns the element value or a problem. */
function readValue(
  st: ParseState,
  ai: string,
  from: number,
  to: number,
  query: boolean,
): string | Result<never> {
  const uri = st.uri;
  if (to === from) {
    return problem(
      'RX_DL_EMPTY_VALUE',
      `(${ai}) has an empty value in the URI ${query ? 'query' : 'path'}.`,
      from,
      0,
      ai,
    );
  }
  const d = decode(uri, from, to, query);
  if (typeof d === 'number') {
    return problem(
      'RX_DL_NULL_CHARACTER',
      `(${ai}) contains "%00" (a NUL character) at position ${-d}, which can never be AI data.`,
      -d - 1,
      3,
      ai,
    );
  }
  let value = d;
  const len = value.length;
  if (ai === '01' && st.padGtins && (len === 8 || len === 12 || len === 13) && digitsOnly(value)) {
    (st.expanded ??= []).push({ index: st.elements.length, written: value });
    value = value.padStart(14, '0');
  } else {
    // A first character check; the AI's own character set is enforced by value validation.
    const allowed = ai === '8010' ? SET82_OR_39 : SET82;
    for (let i = 0; i < len; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128 || allowed[c] === 0) return invalidCharacter(uri, ai, value, i, from, to, query);
    }
  }
  st.spans?.push({ from, to, query });
  return value;
}

function invalidCharacter(
  uri: string,
  ai: string,
  value: string,
  i: number,
  from: number,
  to: number,
  query: boolean,
): Result<never> {
  const c = value.charCodeAt(i);
  const at = rawOffsetOfDecoded(uri, from, to, i);
  const shown =
    c === 32
      ? 'a space'
      : c < 32 || c >= 127
        ? `character 0x${c.toString(16).padStart(2, '0')}`
        : `'${value[i]}'`;
  const how =
    query && uri.charCodeAt(at) === 43
      ? ' ("+" means a space in a query string; write %2B for a plus sign)'
      : '';
  return problem(
    'RX_DL_INVALID_CHARACTER',
    `(${ai}) decodes to ${shown} at position ${at + 1}${how}; GS1 AI data allows only character set 82.`,
    at,
    uri.charCodeAt(at) === 37 ? 3 : 1,
    ai,
  );
}

function noPrimaryKey(
  uri: string,
  pathStart: number,
  pathEnd: number,
  tokFrom: number,
  tokTo: number,
): Result<never> {
  if (tokFrom >= 0) {
    const tok = uri.slice(tokFrom, tokTo);
    return problem(
      'RX_DL_NO_PRIMARY_KEY',
      `'${tok}' at position ${tokFrom + 1} is not a GS1 Application Identifier${digitsOnly(tok) ? '' : ' (or permitted short name)'}, so no primary key precedes the /AI/value pairs after it.`,
      tokFrom,
      tokTo - tokFrom,
    );
  }
  return problem(
    'RX_DL_NO_PRIMARY_KEY',
    'The URI path holds no GS1 primary key (such as /01/ GTIN, /00/ SSCC or /414/ GLN) followed by its value.',
    pathStart,
    pathEnd - pathStart,
  );
}

function badQualifier(
  keyDef: AiDefinition,
  quals: readonly string[],
  ai: string,
  from: number,
  to: number,
): Result<never> {
  const alts = keyDef.dlPrimaryKey!.filter((alt) => alt.length > 0);
  const allowed = alts.length
    ? alts.map((alt) => alt.map((q) => `/${q}/`).join(' then ')).join(', or ')
    : 'none';
  const after = quals.length > 1 ? `(${quals[quals.length - 2]})` : `the primary key (${keyDef.ai})`;
  return problem(
    'RX_DL_BAD_KEY_QUALIFIERS',
    `(${ai}) cannot follow ${after} in the path: the key qualifiers of (${keyDef.ai}) must come in this order, from one alternative only: ${allowed}.`,
    from,
    to - from,
    ai,
  );
}

/**
 * Parses the structure of a DL URI (no compressed form, no value validation): the common part of
 * {@link parseDigitalLink} and {@link isDigitalLinkUri}.
 */
function parseStructure(
  uri: string,
  opts: DigitalLinkParseOptions,
  spans: Span[] | undefined,
): Result<DigitalLink> {
  const parts = scanUri(uri);
  if (!parts.ok) return parts;
  const { pathStart, pathEnd, end } = parts.value;

  // Path segment k runs from starts[k] to ends[k] (each segment follows a '/').
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = pathStart; i < pathEnd; i++) {
    if (uri.charCodeAt(i) === 47) {
      if (starts.length) ends.push(i);
      starts.push(i + 1);
    }
  }
  ends.push(pathEnd);
  const segs = starts.length;

  const permitAlphas = opts.permitConvenienceAlphas === true;
  const permitUnknown = opts.permitUnknownAIs === true;

  // Walk back over /AI/value pairs to the rightmost primary key.
  let keySeg = -1;
  let keyDef: AiDefinition | undefined;
  for (let a = segs - 2; a >= 0; a -= 2) {
    const r = resolveToken(uri.slice(starts[a]!, ends[a]!), permitAlphas, permitUnknown);
    if (!r) return noPrimaryKey(uri, pathStart, pathEnd, a < segs - 2 ? starts[a]! : -1, ends[a]!);
    if (r.def?.dlPrimaryKey) {
      keySeg = a;
      keyDef = r.def;
      break;
    }
  }
  if (!keyDef) return noPrimaryKey(uri, pathStart, pathEnd, -1, -1);

  const st: ParseState = {
    uri,
    padGtins: opts.permitZeroSuppressedGTINinDLuris === true,
    elements: [],
    expanded: undefined,
    spans,
  };
  const elements = st.elements;

  // The path: primary key and key qualifiers.
  const quals: string[] = [];
  for (let a = keySeg; a < segs; a += 2) {
    const r = resolveToken(uri.slice(starts[a]!, ends[a]!), permitAlphas, permitUnknown) as ResolvedAi;
    const v = readValue(st, r.ai, starts[a + 1]!, ends[a + 1]!, false);
    if (typeof v !== 'string') return v;
    if (a > keySeg) {
      quals.push(r.ai);
      if (!validSequence(keyDef, quals)) return badQualifier(keyDef, quals, r.ai, starts[a]!, ends[a]!);
    }
    elements.push({ ai: r.ai, value: v });
  }
  const pathCount = elements.length;

  // The query: AI attributes; anything else is kept but ignored.
  const ignored: string[] = [];
  let q = pathEnd + 1;
  while (q < end) {
    if (uri.charCodeAt(q) === 38 /* & */) {
      q++;
      continue;
    }
    let r = uri.indexOf('&', q);
    if (r < 0 || r > end) r = end;
    let eq = uri.indexOf('=', q);
    if (eq >= r) eq = -1;
    if (eq < 0 || !digitsOnly(uri, q, eq)) {
      ignored.push(uri.slice(q, r));
      q = r;
      continue;
    }
    const key = uri.slice(q, eq);
    const res = resolveNumeric(key, permitUnknown);
    if (!res) {
      return problem(
        'RX_DL_UNKNOWN_AI_PARAM',
        `The query parameter '${key}' at position ${q + 1} is numeric but is not a GS1 Application Identifier; numeric parameter names are reserved for AIs.`,
        q,
        key.length,
        key,
      );
    }
    const v = readValue(st, key, eq + 1, r, true);
    if (typeof v !== 'string') return v;
    // Checks in the order a reader meets them: duplicate, allowed as an attribute, belongs in the path.
    for (let i = 0; i < elements.length; i++) {
      if (elements[i]!.ai === key) {
        return problem(
          'RX_DL_DUPLICATE_AI',
          `(${key}) appears more than once in the URI (again at position ${q + 1}).`,
          q,
          key.length,
          key,
        );
      }
    }
    if (res.def ? !res.def.dlDataAttr : opts.permitUnknownAiAttributes !== true) {
      return problem(
        'RX_DL_NOT_ATTRIBUTE',
        res.def
          ? `(${key}) ${res.def.title} is not allowed as a Digital Link query attribute.`
          : `(${key}) is not a known AI, so it is not allowed as a Digital Link query attribute.`,
        q,
        key.length,
        key,
      );
    }
    if (inPath(keyDef, quals, key)) {
      return problem(
        'RX_DL_BELONGS_IN_PATH',
        `(${key}) is a key qualifier of (${keyDef.ai}) and must be written in the path (/${keyDef.ai}/…/${key}/…), not in the query.`,
        q,
        key.length,
        key,
      );
    }
    elements.push({ ai: key, value: v });
    q = r;
  }

  const dl: DigitalLink = {
    stem: uri.slice(0, starts[keySeg]! - 1),
    elements,
    pathCount,
    ignoredQueryParams: ignored,
  };
  if (st.expanded) dl.expandedGtins = st.expanded;
  return ok(dl);
}

/** Validation options for validate.ts from the DL options (`associations: false` turns off req/ex/repeats/DIGSIG). */
export function validationOptions(opts: DigitalLinkParseOptions): ValidationOptions {
  if (opts.associations !== false) return opts;
  return { ...opts, requisite: false, exclusive: false, repeats: false, digsig: false };
}

/**
 * Parses a GS1 Digital Link URI into AI elements (path AIs, then query AIs, in URI order), its
 * stem and the ignored non-AI query parameters. Values are validated (format, check digits,
 * linters, associations) unless `validate: false`. Problems carry their position in the URI.
 */
export function parseDigitalLink(uri: string, opts: DigitalLinkParseOptions = {}): Result<DigitalLink> {
  const spans: Span[] = [];
  const r = parseStructure(uri, opts, spans);
  if (!r.ok) {
    if (opts.permitCompressed && r.errors[0]!.code === 'RX_DL_NO_PRIMARY_KEY') {
      const c = parseCompressedDigitalLink(uri, opts);
      if (c.ok) return c;
    }
    return r;
  }
  if (opts.validate === false) return r;
  const problems = validateElements(r.value.elements, validationOptions(opts));
  if (problems.length === 0) return r;
  return { ok: false, errors: problems.map((pr) => locate(pr, r.value, spans, uri)) };
}

/** Moves a value problem (position inside the value) onto the URI. */
function locate(pr: Gs1Problem, dl: DigitalLink, spans: Span[], uri: string): Gs1Problem {
  const { valuePosition, componentStart, componentLength, ...rest } = pr as Gs1Problem & {
    valuePosition?: number;
    componentStart?: number;
    componentLength?: number;
  };
  const out: Gs1Problem = { ...rest };
  const idx = pr.ai === undefined ? -1 : dl.elements.findIndex((e) => e.ai === pr.ai);
  const span = idx >= 0 ? spans[idx] : undefined;
  if (span) {
    const padded = dl.expandedGtins?.find((x) => x.index === idx);
    const k = Math.max(0, (valuePosition ?? 0) - (padded ? 14 - padded.written.length : 0));
    out.position = rawOffsetOfDecoded(uri, span.from, span.to, k);
    if (out.length === undefined) out.length = valuePosition === undefined ? span.to - span.from : 1;
  } else if (out.position !== undefined) {
    delete out.position;
  }
  return out;
}

/** True when `uri` has the structure of an uncompressed GS1 Digital Link URI (values not validated). */
export function isDigitalLinkUri(uri: string, opts: DigitalLinkParseOptions = {}): boolean {
  return parseStructure(uri, opts, undefined).ok;
}

/** The non-AI query parameters of a parsed DL URI as key/value pairs (values percent-decoded). */
export function otherQueryParams(dl: DigitalLink): Array<{ key: string; value?: string }> {
  const out: Array<{ key: string; value?: string }> = [];
  for (const raw of dl.ignoredQueryParams) {
    const eq = raw.indexOf('=');
    if (eq < 0) out.push({ key: raw });
    else {
      const v = decodeComponent(raw, eq + 1, raw.length, true);
      out.push({ key: raw.slice(0, eq), value: typeof v === 'string' ? v : raw.slice(eq + 1) });
    }
  }
  return out;
}
