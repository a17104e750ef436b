/**
 * EPC ⇄ GS1 data. The EPC URI carries the GS1 Company Prefix split, so EPC → GS1 needs no table;
 * GS1 → EPC needs the prefix length, which the caller supplies (never guessed here).
 *
 * Policies (TDS "Correspondence between EPCs and GS1 keys"):
 * - SGTIN: the GTIN-14 indicator digit leads the item-reference field; check digits are dropped in
 *   the URI and recomputed on the way back.
 * - SGLN: extension `0` means "the GLN itself": `urn:epc:id:sgln:…​.0` ⇄ (414) without (254).
 *   A (254) of `0` given on the way in is accepted and gives the same EPC.
 * - GS1 → EPC picks the scheme from the key AI: (01)+(21) SGTIN, (01)+(235) UPUI, (01)+(10) LGTIN
 *   class, (00) SSCC, (414) SGLN, (417) PGLN, (8003) GRAI, (8004) GIAI, (8017) GSRNP, (8018) GSRN,
 *   (253) GDTI, (255) SGCN, (401) GINC, (402) GSIN, (8006)+(21) ITIP, (8010)+(8011) CPI.
 */
import { isCset82 } from '../charsets.ts';
import { computeCheckDigit, hasValidCheckDigit } from '../check-digit.ts';
import type { AiElement } from '../elements.ts';
import type { Gs1Problem, Result } from '../errors.ts';
import { type EpcScheme, SCHEMES } from './schemes.ts';
import { article, buildEpcUri, type EpcUri, parseEpcPattern, parseEpcUri } from './uri.ts';

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export type GtinFormat = 8 | 12 | 13 | 14;

const failWith = <T>(code: string, message: string, extra: Partial<Gs1Problem> = {}): Result<T> => ({
  ok: false,
  errors: [{ code, message, ...extra }],
});

function asEpc(epc: string | EpcUri): Result<EpcUri> {
  return typeof epc === 'string' ? parseEpcUri(epc) : { ok: true, value: epc };
}

/** Body digits (no check digit) → body + check digit. */
const withCd = (body: string): string => body + computeCheckDigit(body);

/** GCP + reference whose first digit (indicator / extension digit) moves to the front, plus check digit. */
const movedFirst = (gcp: string, ref: string): string => withCd(ref.slice(0, 1) + gcp + ref.slice(1));

/** The AI data an EPC stands for. Fails for EPCs outside the GS1 system (GID, USDOD, ADI, BIC, IMOVN). */
export function epcToElements(epc: string | EpcUri): Result<AiElement[]> {
  const r = asEpc(epc);
  if (!r.ok) return r;
  const { scheme, fields: f } = r.value;
  const g = f[0]!;
  const a = (ai: string, value: string): AiElement => ({ ai, value });
  switch (scheme) {
    case 'sgtin':
      return { ok: true, value: [a('01', movedFirst(g, f[1]!)), a('21', f[2]!)] };
    case 'lgtin':
      return { ok: true, value: [a('01', movedFirst(g, f[1]!)), a('10', f[2]!)] };
    case 'upui':
      return { ok: true, value: [a('01', movedFirst(g, f[1]!)), a('235', f[2]!)] };
    case 'itip':
      return { ok: true, value: [a('8006', movedFirst(g, f[1]!) + f[2]! + f[3]!), a('21', f[4]!)] };
    case 'sscc':
      return { ok: true, value: [a('00', movedFirst(g, f[1]!))] };
    case 'sgln': {
      const out = [a('414', withCd(g + f[1]!))];
      // The conformance vectors (epcpy) map extension 0 to (254)0, and rxtrace follows them; a bare
      // (414) is written with extension 0 in the other direction (TDS), so that one does not round-trip.
      out.push(a('254', f[2]!));
      return { ok: true, value: out };
    }
    case 'pgln':
      return { ok: true, value: [a('417', withCd(g + f[1]!))] };
    case 'grai':
      return { ok: true, value: [a('8003', `0${withCd(g + f[1]!)}${f[2]!}`)] };
    case 'giai':
      return { ok: true, value: [a('8004', g + f[1]!)] };
    case 'gsrn':
      return { ok: true, value: [a('8018', withCd(g + f[1]!))] };
    case 'gsrnp':
      return { ok: true, value: [a('8017', withCd(g + f[1]!))] };
    case 'gdti':
      return { ok: true, value: [a('253', withCd(g + f[1]!) + f[2]!)] };
    case 'sgcn':
      return { ok: true, value: [a('255', withCd(g + f[1]!) + f[2]!)] };
    case 'ginc':
      return { ok: true, value: [a('401', g + f[1]!)] };
    case 'gsin':
      return { ok: true, value: [a('402', withCd(g + f[1]!))] };
    case 'cpi':
      return { ok: true, value: [a('8010', g + f[1]!), a('8011', f[2]!)] };
    default:
      return failWith(
        'RX_EPC_NOT_GS1',
        `${SCHEMES[scheme].title} EPCs have no GS1 element-string equivalent.`,
      );
  }
}

/** Shortens a GTIN-14 to the requested form, when its leading zeros allow it. */
export function gtinInFormat(gtin14: string, format: GtinFormat): Result<string> {
  const drop = 14 - format;
  if (drop > 0 && !/^0+$/.test(gtin14.slice(0, drop))) {
    return failWith(
      'RX_EPC_GTIN_FORMAT',
      `GTIN ${gtin14} cannot be written as a GTIN-${format}: ${drop > 1 ? `its first ${drop} digits are not all 0` : 'its first digit is not 0'}.`,
    );
  }
  return { ok: true, value: gtin14.slice(drop) };
}

function keyOf(
  scheme: EpcScheme,
  f: readonly (string | null)[],
  opts: { gtinFormat?: GtinFormat },
): Result<string> {
  const def = SCHEMES[scheme];
  const rule = def.key;
  if (!rule) {
    const hint = def.gs1 ? ' They stand for several AIs together; use epcToElements.' : '';
    return failWith('RX_EPC_NO_GS1_KEY', `${def.title} EPCs do not correspond to a single GS1 key.${hint}`);
  }
  for (let i = 0; i < rule.fields; i++) {
    if (f[i] === null)
      return failWith(
        'RX_EPC_PATTERN_NO_KEY',
        `The pattern leaves the ${def.fields[i]!.name} open, so it names no GS1 key.`,
      );
  }
  const g = f[0]!;
  const ref = f[1] ?? '';
  let key: string;
  switch (scheme) {
    case 'sgtin':
    case 'lgtin': {
      const gtin = movedFirst(g, ref);
      return gtinInFormat(gtin, opts.gtinFormat ?? 14);
    }
    case 'sscc':
      return { ok: true, value: movedFirst(g, ref) };
    case 'giai':
    case 'ginc':
      key = g;
      break;
    default:
      // SGLN, PGLN, GSRN(P), GSIN, and the numeric part of GRAI, GDTI, SGCN: GCP + reference + check digit.
      key = withCd(g + ref);
  }
  if (rule.suffixField !== undefined) {
    const s = f[rule.suffixField];
    key += s === null ? '*' : s;
  }
  return { ok: true, value: key };
}

/**
 * The GS1 key an EPC stands for: GTIN for SGTIN and LGTIN (as GTIN-14, or GTIN-8/12/13 on request),
 * SSCC, GLN for SGLN (without extension) and PGLN, GRAI (without the AI's leading filler 0, with
 * serial), GIAI, GSRN, GDTI (with serial), GCN (with serial), GINC, GSIN.
 * CPI, ITIP and UPUI combine several AIs: read them with {@link epcToElements}.
 */
export function epcToGs1Key(epc: string | EpcUri, opts: { gtinFormat?: GtinFormat } = {}): Result<string> {
  const r = asEpc(epc);
  if (!r.ok) return r;
  return keyOf(r.value.scheme, r.value.fields, opts);
}

/**
 * The GS1 key selected by an EPC pattern. A wildcard over a part of the key that comes after its
 * check digit (a GDTI/GRAI/GCN serial, a GIAI/GINC reference) gives the key prefix and `*`:
 * `urn:epc:idpat:gdti:0614141.12345.*` → `0614141123452*`. A pattern that leaves open a part of the
 * key before its check digit names no key and fails.
 */
export function epcPatternToKey(pattern: string, opts: { gtinFormat?: GtinFormat } = {}): Result<string> {
  const p = parseEpcPattern(pattern);
  if (!p.ok) return p;
  // The vectors (epcpy) refuse a wildcard SGCN serial, unlike GDTI and GRAI; rxtrace follows them.
  if (p.value.scheme === 'sgcn' && p.value.fields[p.value.fields.length - 1] === null) {
    return failWith(
      'RX_EPC_PATTERN_NO_KEY',
      `The SGCN pattern ${pattern} leaves the coupon serial open, so it names no single GCN key.`,
    );
  }
  return keyOf(p.value.scheme, p.value.fields, opts);
}

// ---------------------------------------------------------------------------------------------
// GS1 → EPC

export interface ElementsToEpcOptions {
  /** Digits of the GS1 Company Prefix in the key (6–12). Look it up in trading-partner data or the GCP table. */
  companyPrefixLength: number;
  /** Which scheme to build when the elements hold several keys. */
  scheme?: EpcScheme;
}

/** The key AI of each scheme built from GS1 data ((01) also gives LGTIN and UPUI, see below). */
const KEY_AIS: readonly (readonly [string, EpcScheme])[] = [
  ['00', 'sscc'],
  ['414', 'sgln'],
  ['417', 'pgln'],
  ['8003', 'grai'],
  ['8004', 'giai'],
  ['8017', 'gsrnp'],
  ['8018', 'gsrn'],
  ['253', 'gdti'],
  ['255', 'sgcn'],
  ['401', 'ginc'],
  ['402', 'gsin'],
  ['8006', 'itip'],
  ['8010', 'cpi'],
  ['01', 'sgtin'],
];

type Get = (ai: string) => AiElement | undefined;

function elementProblem(el: AiElement, code: string, message: string): Result<never> {
  return failWith(code, message, { ai: el.ai });
}

/** Checks a fixed-length all-digit key whose last digit is its check digit. */
function checkNumericKey(el: AiElement, len: number, name: string): Result<string> {
  const v = el.value;
  if (!/^\d+$/.test(v) || v.length !== len)
    return elementProblem(el, 'RX_EPC_BAD_KEY', `(${el.ai}) ${name} has ${len} digits; '${v}' does not.`);
  if (!hasValidCheckDigit(v)) {
    return elementProblem(
      el,
      'RX_EPC_CHECK_DIGIT',
      `(${el.ai}) ${name} ${v} has a wrong check digit: it should end in ${computeCheckDigit(v.slice(0, -1))}.`,
    );
  }
  return { ok: true, value: v };
}

function checkText(el: AiElement, max: number, name: string, min = 1): Result<string> {
  const v = el.value;
  if (v.length < min || v.length > max)
    return elementProblem(
      el,
      'RX_EPC_BAD_VALUE',
      `(${el.ai}) ${name} has ${min} to ${max} characters; '${v}' has ${v.length}.`,
    );
  if (!isCset82(v))
    return elementProblem(
      el,
      'RX_EPC_BAD_VALUE',
      `(${el.ai}) ${name} may only hold GS1 set 82 characters; '${v}' does not.`,
    );
  return { ok: true, value: v };
}

function need(get: Get, ai: string, forWhat: string): Result<AiElement> {
  const el = get(ai);
  return el ? { ok: true, value: el } : failWith('RX_EPC_MISSING_AI', `${forWhat} needs AI (${ai}).`);
}

/** Splits `digits` (a key without check digit, indicator already dropped) at the GCP length. */
function splitAt(digits: string, gcpLen: number, el: AiElement): Result<[string, string]> {
  if (gcpLen > digits.length) {
    return elementProblem(
      el,
      'RX_EPC_GCP_LENGTH',
      `A GS1 Company Prefix of ${gcpLen} digits does not fit in (${el.ai}) ${el.value}.`,
    );
  }
  return { ok: true, value: [digits.slice(0, gcpLen), digits.slice(gcpLen)] };
}

/** GTIN-8/12/13/14 in (01) → GTIN-14 (GTINs are right-aligned in 14 digits). */
function gtin14(el: AiElement): Result<string> {
  const v = el.value;
  if (/^\d+$/.test(v) && [8, 12, 13].includes(v.length))
    return checkNumericKey({ ai: el.ai, value: v.padStart(14, '0') }, 14, 'GTIN');
  return checkNumericKey(el, 14, 'GTIN');
}

function fromElements(scheme: EpcScheme, get: Get, L: number): Result<EpcUri> {
  const title = `${cap(article(scheme.toUpperCase()))} ${scheme.toUpperCase()} EPC`;
  switch (scheme) {
    case 'sgtin':
    case 'lgtin':
    case 'upui': {
      const el = get('01')!;
      const gt = gtin14(el);
      if (!gt.ok) return gt;
      const [ai, name, max] =
        scheme === 'sgtin'
          ? ['21', 'serial', 20]
          : scheme === 'lgtin'
            ? ['10', 'batch/lot', 20]
            : ['235', 'TPX', 28];
      const other = need(get, ai as string, title);
      if (!other.ok) return other;
      const t = checkText(other.value, max as number, name as string);
      if (!t.ok) return t;
      const parts = splitAt(gt.value.slice(1, 13), L, el);
      if (!parts.ok) return parts;
      return buildEpcUri(scheme, [parts.value[0], gt.value[0] + parts.value[1], t.value]);
    }
    case 'itip': {
      const el = get('8006')!;
      if (!/^\d{18}$/.test(el.value))
        return elementProblem(
          el,
          'RX_EPC_BAD_KEY',
          `(8006) has 18 digits (GTIN, piece, total); '${el.value}' does not.`,
        );
      const gt = checkNumericKey({ ai: '8006', value: el.value.slice(0, 14) }, 14, 'GTIN');
      if (!gt.ok) return gt;
      const ser = need(get, '21', title);
      if (!ser.ok) return ser;
      const t = checkText(ser.value, 20, 'serial');
      if (!t.ok) return t;
      const parts = splitAt(gt.value.slice(1, 13), L, el);
      if (!parts.ok) return parts;
      return buildEpcUri('itip', [
        parts.value[0],
        gt.value[0] + parts.value[1],
        el.value.slice(14, 16),
        el.value.slice(16, 18),
        t.value,
      ]);
    }
    case 'sscc': {
      const el = get('00')!;
      const k = checkNumericKey(el, 18, 'SSCC');
      if (!k.ok) return k;
      const parts = splitAt(k.value.slice(1, 17), L, el);
      if (!parts.ok) return parts;
      return buildEpcUri('sscc', [parts.value[0], k.value[0] + parts.value[1]]);
    }
    case 'sgln':
    case 'pgln':
    case 'gsrn':
    case 'gsrnp':
    case 'gsin': {
      const ai = { sgln: '414', pgln: '417', gsrn: '8018', gsrnp: '8017', gsin: '402' }[scheme];
      const len = { sgln: 13, pgln: 13, gsrn: 18, gsrnp: 18, gsin: 17 }[scheme];
      const el = get(ai)!;
      const k = checkNumericKey(
        el,
        len,
        scheme === 'gsin' ? 'GSIN' : scheme.startsWith('gsrn') ? 'GSRN' : 'GLN',
      );
      if (!k.ok) return k;
      const parts = splitAt(k.value.slice(0, -1), L, el);
      if (!parts.ok) return parts;
      if (scheme !== 'sgln') return buildEpcUri(scheme, parts.value);
      const ext = get('254');
      let extension = '0';
      if (ext) {
        const t = checkText(ext, 20, 'GLN extension');
        if (!t.ok) return t;
        extension = t.value;
      }
      return buildEpcUri('sgln', [...parts.value, extension]);
    }
    case 'grai':
    case 'gdti':
    case 'sgcn': {
      const ai = { grai: '8003', gdti: '253', sgcn: '255' }[scheme];
      const el = get(ai)!;
      const v = el.value;
      const lead = scheme === 'grai' ? 1 : 0;
      if (scheme === 'grai' && v[0] !== '0')
        return elementProblem(el, 'RX_EPC_BAD_KEY', '(8003) starts with the filler digit 0.');
      const k = checkNumericKey({ ai, value: v.slice(lead, lead + 13) }, 13, scheme.toUpperCase());
      if (!k.ok) return k;
      const serial = v.slice(lead + 13);
      if (serial === '') {
        return elementProblem(
          el,
          'RX_EPC_MISSING_SERIAL',
          `Only a serialised ${scheme === 'sgcn' ? 'GCN' : scheme.toUpperCase()} is an EPC; (${ai}) ${v} has no serial component.`,
        );
      }
      const max = { grai: 16, gdti: 17, sgcn: 12 }[scheme];
      if (scheme === 'sgcn' ? !/^\d{1,12}$/.test(serial) : !isCset82(serial) || serial.length > max) {
        return elementProblem(
          el,
          'RX_EPC_BAD_VALUE',
          `The serial component of (${ai}) is ${scheme === 'sgcn' ? '1 to 12 digits' : `1 to ${max} set-82 characters`}; '${serial}' is not.`,
        );
      }
      const parts = splitAt(k.value.slice(0, 12), L, el);
      if (!parts.ok) return parts;
      return buildEpcUri(scheme, [...parts.value, serial]);
    }
    case 'giai':
    case 'ginc': {
      const ai = scheme === 'giai' ? '8004' : '401';
      const el = get(ai)!;
      const t = checkText(el, 30, scheme.toUpperCase());
      if (!t.ok) return t;
      if (L >= t.value.length || !/^\d+$/.test(t.value.slice(0, L))) {
        return elementProblem(
          el,
          'RX_EPC_GCP_LENGTH',
          `(${ai}) ${t.value} does not start with a ${L}-digit GS1 Company Prefix followed by a reference.`,
        );
      }
      return buildEpcUri(scheme, [t.value.slice(0, L), t.value.slice(L)]);
    }
    case 'cpi': {
      const el = get('8010')!;
      const v = el.value;
      if (v.length < 1 || v.length > 30 || !/^[0-9A-Z#/-]+$/.test(v)) {
        return elementProblem(
          el,
          'RX_EPC_BAD_VALUE',
          `(8010) holds 1 to 30 characters of GS1 set 39; '${v}' does not.`,
        );
      }
      if (L >= v.length || !/^\d+$/.test(v.slice(0, L))) {
        return elementProblem(
          el,
          'RX_EPC_GCP_LENGTH',
          `(8010) ${v} does not start with a ${L}-digit GS1 Company Prefix followed by a part reference.`,
        );
      }
      const ser = need(get, '8011', title);
      if (!ser.ok) return ser;
      if (!/^(0|[1-9]\d{0,11})$/.test(ser.value.value)) {
        return elementProblem(
          ser.value,
          'RX_EPC_BAD_VALUE',
          `(8011) is 1 to 12 digits without leading zeros; '${ser.value.value}' is not.`,
        );
      }
      return buildEpcUri('cpi', [v.slice(0, L), v.slice(L), ser.value.value]);
    }
    default:
      return failWith('RX_EPC_NOT_GS1', `${SCHEMES[scheme].title} EPCs cannot be made from GS1 data.`);
  }
}

/**
 * Builds the EPC for GS1 AI data, e.g. [(01) GTIN, (21) serial] → `urn:epc:id:sgtin:…`, and
 * [(01) GTIN, (10) lot] (no serial) → `urn:epc:class:lgtin:…`. Other elements (expiry, quantities…)
 * are ignored. `companyPrefixLength` is required: it cannot be derived from the key.
 */
export function elementsToEpc(elements: readonly AiElement[], opts: ElementsToEpcOptions): Result<EpcUri> {
  const L = opts.companyPrefixLength;
  if (!Number.isInteger(L) || L < 6 || L > 12) {
    return failWith(
      'RX_EPC_GCP_LENGTH',
      `The GS1 Company Prefix length for an EPC is 6 to 12 digits; ${L} was given.`,
    );
  }
  const get: Get = (ai) => elements.find((e) => e.ai === ai);
  let scheme = opts.scheme;
  if (scheme === undefined) {
    const found = KEY_AIS.filter(([ai]) => get(ai));
    if (found.length === 0) {
      return failWith(
        'RX_EPC_NO_KEY',
        'The data holds no GS1 key that an EPC can be made from ((01), (00), (414), (417), (8003), (8004), …).',
      );
    }
    // (01) with (8006)? Not allowed together (dictionary ex=); any other pair is ambiguous.
    if (found.length > 1) {
      return failWith(
        'RX_EPC_SEVERAL_KEYS',
        `The data holds several GS1 keys (${found.map(([ai]) => `(${ai})`).join(', ')}); say which EPC scheme to build.`,
      );
    }
    scheme = found[0]![1];
    if (scheme === 'sgtin') {
      // GTIN + serial → SGTIN; GTIN + TPX → UPUI; GTIN + lot without serial → LGTIN (a class).
      if (get('21')) scheme = 'sgtin';
      else if (get('235')) scheme = 'upui';
      else if (get('10')) scheme = 'lgtin';
      else
        return failWith(
          'RX_EPC_MISSING_AI',
          'A GTIN alone is no EPC: add a serial (21) for an SGTIN, a batch/lot (10) for an LGTIN, or a TPX (235) for a UPUI.',
        );
    }
  } else {
    const keyAi = scheme === 'lgtin' || scheme === 'upui' ? '01' : KEY_AIS.find(([, s]) => s === scheme)?.[0];
    if (!keyAi)
      return failWith(
        'RX_EPC_NOT_GS1',
        `${SCHEMES[scheme]?.title ?? scheme} EPCs cannot be made from GS1 data.`,
      );
    if (!get(keyAi))
      return failWith(
        'RX_EPC_MISSING_AI',
        `${cap(article(scheme.toUpperCase()))} ${scheme.toUpperCase()} EPC needs AI (${keyAi}).`,
      );
  }
  return fromElements(scheme, get, L);
}
