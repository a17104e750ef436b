/**
 * EPC matching for MATCH_* parameters. Stored identifiers are canonical GS1 Digital Links
 * (`normaliseIdentifier`), so every parameter value is turned into exact identifiers and
 * identifier prefixes of that form:
 *
 * - an EPC URI or a Digital Link on any domain → its canonical Digital Link (exact);
 * - an EPC pattern whose last field is `*` (`urn:epc:idpat:sgtin:0614141.107346.*`) → the class
 *   Digital Link (`https://id.gs1.org/01/10614141073464`) and, for instance roles, the prefix
 *   `…/01/10614141073464/` (every serial of the GTIN);
 * - a pattern with more wildcards (`urn:epc:idpat:sgtin:0614141.*.*`, company level) → prefixes
 *   on the key digits: the GCP follows the indicator / extension digit, so ten prefixes
 *   `…/01/<d>0614141` (GS1 Company Prefixes are allocated prefix-free, so a key that starts with
 *   the GCP belongs to that company). Non-GS1 EPC schemes (GID, ADI, …) are stored as their EPC
 *   URI and match by URI prefix;
 * - a GTIN-level Digital Link (`…/01/<gtin>`) used with an instance role matches every serial of
 *   the GTIN; used with a class role (MATCH_epcClass …) a GTIN-level value matches the GTIN class
 *   and each of its lots (`…/01/<gtin>/10/<lot>`).
 */
import { CANONICAL_ID_STEM, normaliseIdentifier } from '@rxtrace/epcis';
import { computeCheckDigit, parseEpcPattern } from '@rxtrace/gs1';
import { parameterError } from './errors.ts';

export interface IdMatcher {
  /** Identifiers that match as they are (canonical form). */
  exact: string[];
  /** Identifier prefixes that match. */
  prefixes: string[];
}

const DIGITS = '0123456789';
const S = CANONICAL_ID_STEM;

/** Prefixes for a company-level (or wider) pattern: `fields` has `null` for each `*`. */
function patternPrefixes(scheme: string, fields: (string | null)[]): string[] {
  const gcp = fields[0];
  const withDigit = (ai: string): string[] =>
    gcp === null ? [`${S}${ai}/`] : [...DIGITS].map((d) => `${S}${ai}/${d}${gcp}`);
  const plain = (ai: string): string[] => [gcp === null ? `${S}${ai}/` : `${S}${ai}/${gcp}`];
  switch (scheme) {
    case 'sgtin':
    case 'upui':
      return withDigit('01');
    case 'sscc':
      return withDigit('00');
    case 'itip':
      return withDigit('8006');
    case 'grai':
      return [gcp === null ? `${S}8003/` : `${S}8003/0${gcp}`];
    case 'sgln': {
      const loc = fields[1];
      if (gcp !== null && loc !== null && loc !== undefined) {
        // GLN known, extension wildcard: the GLN itself and every extension of it.
        const body = gcp + loc;
        const gln = body + computeCheckDigit(body);
        return [`${S}414/${gln}`, `${S}414/${gln}/254/`];
      }
      return plain('414');
    }
    case 'pgln':
      return plain('417');
    case 'giai':
      return plain('8004');
    case 'gsrn':
      return plain('8018');
    case 'gsrnp':
      return plain('8017');
    case 'gdti':
      return plain('253');
    case 'sgcn':
      return plain('255');
    case 'ginc':
      return plain('401');
    case 'gsin':
      return plain('402');
    case 'cpi':
      return plain('8010');
    default: {
      // Not a GS1 key: stored as its EPC URI.
      const given: string[] = [];
      for (const f of fields) {
        if (f === null) break;
        given.push(f);
      }
      return [`urn:epc:id:${scheme}:${given.join('.')}${given.length ? '.' : ''}`];
    }
  }
}

/** True for a canonical Digital Link naming a GTIN (or ITIP) without serial or lot. */
function isGtinLevel(dl: string): boolean {
  return /^https:\/\/id\.gs1\.org\/(?:01\/\d{14}|8006\/\d{18})$/.test(dl);
}

/**
 * Exact identifiers and prefixes for the values of one MATCH_ parameter. `classRole` is true for
 * MATCH_*EPCClass (quantity lists), false for instance identifiers.
 */
export function idMatcher(name: string, values: readonly string[], classRole: boolean): IdMatcher {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const v of values) {
    if (v.startsWith('urn:epc:idpat:')) {
      const p = parseEpcPattern(v);
      if (!p.ok)
        throw parameterError(`${name}: '${v}' is not a valid EPC pattern: ${p.errors[0]?.message ?? ''}`);
      const f = p.value.fields;
      const lastOnly = f.indexOf(null) === f.length - 1;
      const dl = lastOnly ? normaliseIdentifier(p.value.uri) : undefined;
      if (dl !== undefined && dl !== p.value.uri) {
        if (classRole) exact.add(dl);
        prefixes.add(`${dl}/`);
        continue;
      }
      if (f.indexOf(null) < 0) {
        // A pattern without wildcard names one EPC.
        exact.add(normaliseIdentifier(`urn:epc:id:${v.slice('urn:epc:idpat:'.length)}`));
        continue;
      }
      for (const pre of patternPrefixes(p.value.scheme, f)) prefixes.add(pre);
      continue;
    }
    const n = normaliseIdentifier(v);
    exact.add(n);
    if (isGtinLevel(n)) prefixes.add(`${n}/`);
  }
  return { exact: [...exact], prefixes: [...prefixes] };
}

/** Whether a (normalised) identifier matches. */
export function matchesId(m: IdMatcher, id: string): boolean {
  if (m.exact.includes(id)) return true;
  for (const p of m.prefixes) if (id.startsWith(p)) return true;
  return false;
}
