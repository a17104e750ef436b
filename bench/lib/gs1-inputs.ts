/**
 * Reproducible GS1 benchmark inputs with their ground truth. The generator builds each pack or
 * logistic-unit identity first (GTIN-14 / SSCC with a correct check digit, serial, lot, expiry) and
 * then writes it out in the ways scanners and apps deliver it:
 * - `scan`: scan data with a symbology identifier, `]d2…` (GS1 DataMatrix, packs) or `]C1…`
 *   (GS1-128, SSCC labels), ASCII GS after every variable-length value that is not last;
 * - `element`: the element string with a leading GS for the first FNC1 and no symbology identifier
 *   (what @zxing/library returns for GS1 DataMatrix);
 * - `dl`: a GS1 Digital Link URI, `https://id.gs1.org/01/…/10/…/21/…?17=…`, values percent-encoded.
 * The truth comes from the identity, never from a parser, and the check-digit, calendar and
 * percent-encoding rules here are written out independently of @rxtrace/gs1.
 */
import { createRng, type Rng } from './prng.ts';

export type InputForm = 'scan' | 'element' | 'dl';
export const INPUT_FORMS: readonly InputForm[] = ['scan', 'element', 'dl'];

/** What a correct parser must report for an input. Absent fields must be absent. */
export interface Truth {
  gtin?: string;
  sscc?: string;
  serial?: string;
  lot?: string;
  /** (17) as encoded, YYMMDD. */
  expiry?: string;
  /** (17) as a calendar date, YYYY-MM-DD; DD = 00 means the last day of the month. */
  expiryIso?: string;
}

export interface BenchInput {
  /** Index of the identity the input was written from (three inputs share one). */
  identity: number;
  form: InputForm;
  text: string;
  truth: Truth;
}

export interface GenerateOptions {
  seed?: number;
  /** Number of identities; each gives one input per form. */
  identities?: number;
  /** Share of logistic units (SSCC only) among the identities. Default 0.1. */
  ssccShare?: number;
  /** Share of expiry dates written with DD = 00. Default 0.15. */
  dayZeroShare?: number;
}

const GS = '\u001d';
const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** GS1 AI encodable character set 82. */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** GS1 mod-10 check digit of `body` (the digits before the check digit). */
export function gs1CheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const lastDay = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Percent-encodes a GS1 Digital Link path or query value: RFC 3986 unreserved characters stay,
 * every other character is `%XX` with upper-case hex (set 82 is ASCII, so one byte each).
 */
export function dlEncode(value: string): string {
  let out = '';
  for (const c of value) {
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else out += `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** GS1 prefixes of countries with serialised pharma (DE, FR, IT, ES, UK, US/NDC-based, CH, BE). */
const PREFIXES = [
  '400',
  '401',
  '404',
  '405',
  '406',
  '407',
  '408',
  '409',
  '340',
  '347',
  '348',
  '800',
  '803',
  '840',
  '841',
  '502',
  '503',
  '030',
  '036',
  '761',
  '762',
  '540',
  '541',
];

function gtin14(rng: Rng): string {
  // Packs carry indicator 0 (a GTIN-13 or GTIN-12 in 14 digits); some cases carry 1–8.
  const indicator = rng.chance(0.9) ? '0' : String(rng.int(1, 8));
  const body = indicator + rng.pick(PREFIXES) + rng.string(DIGITS, 9);
  return body + gs1CheckDigit(body);
}

function sscc(rng: Rng): string {
  const body = String(rng.int(0, 9)) + rng.pick(PREFIXES) + rng.string(DIGITS, 13);
  return body + gs1CheckDigit(body);
}

/** A serial or lot: 1–20 characters, half from upper-case letters and digits, half from all of set 82. */
function value82(rng: Rng): string {
  return rng.string(rng.chance(0.5) ? ALNUM : CSET82, rng.int(1, 20));
}

function expiry(rng: Rng, dayZeroShare: number): { raw: string; iso: string } {
  const year = 2000 + rng.int(24, 36);
  const month = rng.int(1, 12);
  const last = lastDay(year, month);
  const day = rng.chance(dayZeroShare) ? 0 : rng.int(1, last);
  const raw = pad2(year % 100) + pad2(month) + pad2(day);
  return { raw, iso: `${year}-${pad2(month)}-${pad2(day === 0 ? last : day)}` };
}

/** Orders of the pack AIs seen on real packs (EU FMD / DSCSA layouts). */
const PACK_ORDERS = [
  ['01', '17', '10', '21'],
  ['01', '17', '10', '21'],
  ['01', '21', '17', '10'],
  ['01', '17', '21', '10'],
  ['01', '10', '17', '21'],
  ['01', '21', '10', '17'],
] as const;

const FIXED = new Set(['00', '01', '17']);

/** Joins AI elements as encoded in a symbol: a GS after each variable-length value but the last. */
export function elementString(elements: readonly (readonly [string, string])[]): string {
  let s = '';
  elements.forEach(([ai, value], i) => {
    s += ai + value;
    if (i < elements.length - 1 && !FIXED.has(ai)) s += GS;
  });
  return s;
}

export function generateInputs(opts: GenerateOptions = {}): BenchInput[] {
  const { seed = 1, identities = 3000, ssccShare = 0.1, dayZeroShare = 0.15 } = opts;
  const rng = createRng(seed);
  const out: BenchInput[] = [];
  for (let id = 0; id < identities; id++) {
    if (rng.chance(ssccShare)) {
      const code = sscc(rng);
      const truth: Truth = { sscc: code };
      out.push({ identity: id, form: 'scan', text: `]C100${code}`, truth });
      out.push({ identity: id, form: 'element', text: `${GS}00${code}`, truth });
      out.push({ identity: id, form: 'dl', text: `https://id.gs1.org/00/${code}`, truth });
      continue;
    }
    const gtin = gtin14(rng);
    const serial = value82(rng);
    const lot = value82(rng);
    const exp = expiry(rng, dayZeroShare);
    const truth: Truth = { gtin, serial, lot, expiry: exp.raw, expiryIso: exp.iso };
    const values: Record<string, string> = { '01': gtin, '10': lot, '17': exp.raw, '21': serial };
    const data = elementString(rng.pick(PACK_ORDERS).map((ai) => [ai, values[ai]!] as const));
    out.push({ identity: id, form: 'scan', text: `]d2${data}`, truth });
    out.push({ identity: id, form: 'element', text: GS + data, truth });
    out.push({
      identity: id,
      form: 'dl',
      text: `https://id.gs1.org/01/${gtin}/10/${dlEncode(lot)}/21/${dlEncode(serial)}?17=${exp.raw}`,
      truth,
    });
  }
  // A scanner at a goods-in desk sees all forms mixed.
  return rng.shuffle(out);
}
