/**
 * One door for every way a pack's identity arrives: scan data with a symbology identifier,
 * bracketed or unbracketed element strings, GS1 Digital Link URIs (plain or compressed, any
 * domain), EPC URIs, and bare GTINs. Everything becomes one ordered list of AIs.
 */
import { GS } from './charsets.ts';
import { type ParsedElements, parseBracketed, parseUnbracketed } from './element-string.ts';
import type { AiElement } from './elements.ts';
import type { Gs1Problem, Result } from './errors.ts';
import { extractFields, type Gs1Fields } from './fields.ts';
import { normalizeGtin } from './gtin.ts';
import { parseInputExtensions } from './parse-extensions.ts';
import { processScanData, type Symbology } from './scan-data.ts';
import { type ValidationOptions, validateAssociations } from './validate.ts';

export type InputForm =
  | 'scan'
  | 'bracketed'
  | 'unbracketed'
  | 'digital-link'
  | 'digital-link-compressed'
  | 'epc'
  | 'gtin';

export interface ParseOptions extends ValidationOptions {
  /** Check the associations between AIs (requisite, exclusive, repeated). Default true. */
  associations?: boolean;
  /** Digital Link leniency: accept 8/12/13-digit GTINs in the path. */
  permitZeroSuppressedGTINinDLuris?: boolean;
  /** Digital Link leniency: accept the deprecated short names (`/gtin/`, `/ser/`…). */
  permitConvenienceAlphas?: boolean;
  /** The year dates are interpreted against (an injected clock). Default: this year. */
  currentYear?: number;
}

export interface Gs1Data {
  form: InputForm;
  /** For scan data: the symbology and its identifier. */
  symbology?: Symbology;
  symbologyIdentifier?: string;
  elements: AiElement[];
  /** For composites: the number of elements in the linear component. */
  linearCount?: number;
  /** For Digital Link input: the URI up to the primary key (`https://id.gs1.org`). */
  stem?: string;
  fields: Gs1Fields;
  /** Things that parsed but look like a scanner or data fault. */
  warnings: Gs1Problem[];
}

/** Text that scanner software and logs put where the invisible GS character belongs. */
const GS_PLACEHOLDERS = /<GS>|\{GS\}|\[GS\]|<FNC1>|\{FNC1\}|\\x1[dD]|\\u001[dD]|\u241D/g;
/** The same pattern without the global flag, for testing (a global regex keeps state between calls). */
const HAS_GS_PLACEHOLDER = new RegExp(GS_PLACEHOLDERS.source);
/** What digits become on a French AZERTY keyboard when a scanner types them without Shift. */
const AZERTY_DIGITS = /[&é"'(§è!çà)-]/g;

function detectKeyboardFault(s: string): Gs1Problem | undefined {
  const swapped = s.match(AZERTY_DIGITS)?.length ?? 0;
  const digits = s.match(/\d/g)?.length ?? 0;
  if (swapped >= 6 && digits < swapped / 2 && /[éèçà§]/.test(s)) {
    return {
      code: 'RX_KEYBOARD_LAYOUT',
      message:
        'The scan looks typed through a French (AZERTY) keyboard layout: digits arrived as symbols such as é, è, ç and à. Set the scanner (or the computer) to the keyboard layout the scanner emulates, or use the scanner in serial/HID-POS mode.',
    };
  }
  return undefined;
}

function fromElements(form: InputForm, parsed: ParsedElements): Gs1Data {
  const data: Gs1Data = { form, elements: parsed.elements, fields: {}, warnings: [] };
  if (parsed.linearCount !== undefined) data.linearCount = parsed.linearCount;
  return data;
}

/** Scan data results carry the symbology they came in. */
function fromScan(parsed: ParsedElements, symbology: Symbology, symbologyIdentifier: string): Gs1Data {
  const data = fromElements('scan', parsed);
  data.symbology = symbology;
  data.symbologyIdentifier = symbologyIdentifier;
  return data;
}

/** This year (UTC). Date.now() is cheap; a Date object is built only when the year changes. */
let yearCache = { year: 0, from: 0, until: -1 };
function currentUtcYear(): number {
  const now = Date.now();
  if (now < yearCache.from || now >= yearCache.until) {
    const year = new Date(now).getUTCFullYear();
    yearCache = { year, from: Date.UTC(year, 0, 1), until: Date.UTC(year + 1, 0, 1) };
  }
  return yearCache.year;
}

/** Parses any GS1 input form into AIs, validates it and extracts the typed fields. */
export function parseGs1(input: string, opts: ParseOptions = {}): Result<Gs1Data> {
  const last = input.charCodeAt(input.length - 1);
  let s = last === 10 || last === 13 ? input.replace(/[\r\n]+$/, '') : input;
  const warnings: Gs1Problem[] = [];
  if (s.length === 0)
    return { ok: false, errors: [{ code: 'RX_EMPTY_INPUT', message: 'Nothing was scanned or entered.' }] };
  if (s.length > 8192)
    return {
      ok: false,
      errors: [
        {
          code: 'RX_INPUT_TOO_LONG',
          message: `The input is ${s.length} characters long; GS1 data is never longer than a few hundred.`,
        },
      ],
    };
  if (HAS_GS_PLACEHOLDER.test(s)) {
    s = s.replace(GS_PLACEHOLDERS, GS);
    warnings.push({
      code: 'RX_GS_PLACEHOLDER',
      message:
        'The input spelled the GS separator as text (like <GS>); it was read as the GS character. Configure the scanner to send GS (0x1D).',
    });
  }
  const r = detectAndParse(s, opts, warnings);
  if (!r.ok) {
    const kb = detectKeyboardFault(s);
    return kb ? { ok: false, errors: [kb, ...r.errors] } : r;
  }
  const data = r.value;
  if (warnings.length) data.warnings.unshift(...warnings);
  if (opts.associations !== false) {
    const problems = validateAssociations(data.elements, opts);
    if (problems.length) return { ok: false, errors: problems };
  }
  data.fields = extractFields(data.elements, opts.currentYear ?? currentUtcYear());
  const glued = suspectGluedValues(data.elements, opts);
  if (glued.length) data.warnings.push(...glued);
  return { ok: true, value: data };
}

function detectAndParse(s: string, opts: ParseOptions, warnings: Gs1Problem[]): Result<Gs1Data> {
  const c0 = s[0];
  if (c0 === ']') {
    const scan = processScanData(s);
    if (!scan.ok) return scan;
    const { symbology, symbologyIdentifier, gs1, data } = scan.value;
    if (!gs1) {
      const ext = parseInputExtensions(data, opts);
      if (ext?.ok) return { ok: true, value: { ...ext.value, symbology, symbologyIdentifier, form: 'scan' } };
      if (ext && !ext.ok) return ext;
      return {
        ok: false,
        errors: [
          {
            code: 'RX_NOT_GS1_DATA',
            position: 0,
            message: `The ${symbology} symbol (${symbologyIdentifier}) holds plain data, not GS1 AI data or a Digital Link.`,
          },
        ],
      };
    }
    if (symbology === 'EAN13' || symbology === 'EAN8') {
      const [gtin = '', composite] = data.split('|');
      const elements: AiElement[] = [{ ai: '01', value: gtin.padStart(14, '0') }];
      if (composite) {
        const c = parseUnbracketed(composite, opts);
        if (!c.ok) return c;
        return {
          ok: true,
          value: fromScan(
            { elements: [...elements, ...c.value.elements], linearCount: 1 },
            symbology,
            symbologyIdentifier,
          ),
        };
      }
      return { ok: true, value: fromScan({ elements }, symbology, symbologyIdentifier) };
    }
    const p = parseUnbracketed(data, opts);
    if (!p.ok) return shiftErrors(p, 3 - 1);
    return { ok: true, value: fromScan(p.value, symbology, symbologyIdentifier) };
  }
  if (c0 === '(') {
    const p = parseBracketed(s, opts);
    return p.ok ? { ok: true, value: fromElements('bracketed', p.value) } : p;
  }
  if (c0 === '^' || c0 === GS) {
    const p = parseUnbracketed(s, opts);
    return p.ok ? { ok: true, value: fromElements('unbracketed', p.value) } : p;
  }
  const ext = parseInputExtensions(s, opts);
  if (ext) return ext;
  if (/^\d+$/.test(s) && [8, 12, 13, 14].includes(s.length)) {
    const g = normalizeGtin(s);
    if (!g.ok) return g;
    return { ok: true, value: fromElements('gtin', { elements: [{ ai: '01', value: g.value }] }) };
  }
  // Element string typed without its leading FNC1 (a scanner without symbology identifiers).
  const p = parseUnbracketed(`^${s}`, opts);
  if (p.ok) {
    warnings.push({
      code: 'RX_NO_SYMBOLOGY_ID',
      message:
        'The data came without a symbology identifier or leading FNC1; it was read as GS1 element string data. Enable the symbology identifier (AIM ID) on the scanner.',
    });
    return { ok: true, value: fromElements('unbracketed', p.value) };
  }
  if (/^\d{2}/.test(s)) return shiftErrors(p, -1);
  return {
    ok: false,
    errors: [
      {
        code: 'RX_UNRECOGNISED_INPUT',
        position: 0,
        message:
          'This is not GS1 data: expected scan data (]d2…), an element string ((01)… or ^01…), a GS1 Digital Link URI, an EPC URI or a GTIN.',
      },
    ],
  };
}

function shiftErrors<T>(r: Result<T>, by: number): Result<T> {
  if (r.ok) return r;
  return {
    ok: false,
    errors: r.errors.map((e) => {
      const m = { ...e };
      if (m.position !== undefined) m.position = Math.max(0, m.position + by);
      if (m.component) m.component = { ...m.component, start: Math.max(0, m.component.start + by) };
      return m;
    }),
  };
}

const PACK_AIS = ['10', '17', '21'];

/**
 * A pack with a GTIN but without its lot, expiry or serial, whose variable-length value contains
 * exactly those missing AIs, was almost certainly scanned by a reader that dropped a GS.
 */
function suspectGluedValues(elements: AiElement[], opts: ValidationOptions): Gs1Problem[] {
  // Most packs carry (01) with all of (10), (17), (21): nothing to suspect, and no Set to build.
  let gtin = false;
  let lot = false;
  let expiry = false;
  let serial = false;
  for (let i = 0; i < elements.length; i++) {
    const ai = elements[i]!.ai;
    if (ai === '01') gtin = true;
    else if (ai === '10') lot = true;
    else if (ai === '17') expiry = true;
    else if (ai === '21') serial = true;
  }
  if (!gtin || (lot && expiry && serial)) return [];
  const present = new Set(elements.map((e) => e.ai));
  const out: Gs1Problem[] = [];
  for (const e of elements) {
    if (!PACK_AIS.includes(e.ai) || e.ai === '17') continue;
    for (let i = 1; i < e.value.length - 2; i++) {
      const rest = parseUnbracketed(`^${e.value.slice(i)}`, { ...opts, permitUnknownAIs: false });
      if (!rest.ok) continue;
      const ais = rest.value.elements.map((x) => x.ai);
      if (ais.some((a) => present.has(a)) || !ais.some((a) => PACK_AIS.includes(a))) continue;
      out.push({
        code: 'RX_SUSPECT_MISSING_GS',
        ai: e.ai,
        message: `(${e.ai}) '${e.value}' may hide ${ais.map((a) => `(${a})`).join('')}: the scanner may have dropped the GS separator after (${e.ai}). Read as separated, the data would be (${e.ai})${e.value.slice(0, i)}${rest.value.elements.map((x) => `(${x.ai})${x.value}`).join('')}.`,
      });
      break;
    }
  }
  return out;
}
