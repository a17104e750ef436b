/**
 * Character tables and AI lookups shared by the Digital Link parser, formatter and compressor.
 * Everything here is built once at module load; the hot paths only index typed arrays and maps.
 */
import { AI_DEFINITIONS, aiLengthFromPrefix, lookupAi } from '../ai-table.ts';
import { CSET82 } from '../charsets.ts';
import type { AiDefinition } from '../dictionary.ts';

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** RFC 3986 unreserved characters: never percent-encoded. */
export const UNRESERVED = table(`${ALNUM}-._~`);
/** Characters that may appear anywhere in a URI (unreserved, reserved and `%`). */
export const URI_CHARS = table(`${ALNUM}-._~:/?#[]@!$&'()*+,;=%`);
/** URI characters that cannot appear in the host part of a DL URI. */
export const BAD_HOST_CHARS = table(`_~?#@!$&'()*+,;=%`);
/** GS1 AI encodable character set 82. */
export const CSET82_TABLE = table(CSET82);

/** Value of a hex digit character code, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

export function allDigits(s: string, from = 0, to = s.length): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The deprecated short names ("convenience alphas") that older DL URIs use instead of numeric
 * AIs. rxtrace reads them only under `permitConvenienceAlphas` and never writes them.
 */
export const CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = Object.freeze({
  cpid: '8010',
  cpsn: '8011',
  cpv: '22',
  gcn: '255',
  gdti: '253',
  giai: '8004',
  ginc: '401',
  gln: '414',
  glnx: '254',
  gmn: '8013',
  grai: '8003',
  gsin: '402',
  gsrn: '8018',
  gsrnp: '8017',
  gtin: '01',
  itip: '8006',
  lot: '10',
  party: '417',
  refno: '8020',
  ser: '21',
  srin: '8019',
  sscc: '00',
});
const ALPHA_MAP = new Map(Object.entries(CONVENIENCE_ALPHAS));

/** Known AIs by their 2- and 3-digit prefixes: an unknown AI may not extend or shorten a known one. */
const KNOWN_PREFIXES = new Set<string>();
for (const d of AI_DEFINITIONS) for (let l = 2; l < d.ai.length; l++) KNOWN_PREFIXES.add(d.ai.slice(0, l));

/**
 * Whether an AI the dictionary does not know is still plausible (for `permitUnknownAIs`): 2 to 4
 * digits, the length its prefix dictates when the prefix has one, and neither a prefix nor an
 * extension of a known AI.
 */
export function isPlausibleUnknownAi(ai: string): boolean {
  const n = ai.length;
  if (n < 2 || n > 4 || !allDigits(ai)) return false;
  const byPrefix = aiLengthFromPrefix(ai);
  if (byPrefix !== undefined && byPrefix !== n) return false;
  if (KNOWN_PREFIXES.has(ai)) return false;
  for (let l = 2; l < n; l++) if (lookupAi(ai.slice(0, l))) return false;
  return true;
}

export interface ResolvedAi {
  ai: string;
  /** Undefined for an unknown AI accepted under `permitUnknownAIs`. */
  def: AiDefinition | undefined;
  /** True when the token was a convenience alpha. */
  alpha: boolean;
}

/** Resolves a path token (`01`, `8004`, or a convenience alpha when permitted) to an AI. */
export function resolvePathToken(
  tok: string,
  permitAlphas: boolean,
  permitUnknown: boolean,
): ResolvedAi | undefined {
  const n = tok.length;
  if (n === 0) return undefined;
  const c0 = tok.charCodeAt(0);
  if (permitAlphas && n >= 3 && n <= 5 && (c0 < 48 || c0 > 57)) {
    const ai = ALPHA_MAP.get(tok);
    if (ai) return { ai, def: lookupAi(ai), alpha: true };
  }
  return resolveNumericAi(tok, permitUnknown);
}

/** Resolves an all-digit token to a known AI, or to a plausible unknown AI when permitted. */
export function resolveNumericAi(tok: string, permitUnknown: boolean): ResolvedAi | undefined {
  if (tok.length < 2 || tok.length > 4) return undefined;
  const def = lookupAi(tok);
  if (def) return { ai: tok, def, alpha: false };
  if (permitUnknown && isPlausibleUnknownAi(tok)) return { ai: tok, def: undefined, alpha: false };
  return undefined;
}

/**
 * Whether `quals` (in URI order) is a valid key-qualifier sequence for the primary key `key`:
 * an in-order selection from exactly one of the key's qualifier alternatives.
 */
export function isValidQualifierSequence(key: AiDefinition, quals: readonly string[]): boolean {
  if (quals.length === 0) return true;
  const alts = key.dlPrimaryKey;
  if (!alts) return false;
  outer: for (const alt of alts) {
    let j = 0;
    for (const q of quals) {
      while (j < alt.length && alt[j] !== q) j++;
      if (j === alt.length) continue outer;
      j++;
    }
    return true;
  }
  return false;
}

/** Whether a data attribute `ai` would instead belong in the path after the given qualifiers. */
export function belongsInPath(key: AiDefinition, pathQuals: readonly string[], ai: string): boolean {
  const alts = key.dlPrimaryKey;
  if (!alts || pathQuals.includes(ai)) return false;
  for (const alt of alts) {
    if (!alt.includes(ai)) continue;
    let all = true;
    for (const q of pathQuals) {
      if (!alt.includes(q)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
