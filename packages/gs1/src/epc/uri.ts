/**
 * EPC pure-identity URIs (`urn:epc:id:…`, `urn:epc:class:lgtin:…`) and pattern URIs
 * (`urn:epc:idpat:…`): parsing, validation, canonical formatting.
 */
import type { Gs1Problem, Result } from '../errors.ts';
import { type ComponentAlphabet, escapeComponent, unescapeComponent } from './escape.ts';
import { type EpcScheme, type FieldSpec, isEpcScheme, SCHEMES, type SchemeDef } from './schemes.ts';

/** A valid EPC, split into its fields (decoded: URI escapes resolved). */
export interface EpcUri {
  /** Canonical URI (escapes in upper case). */
  uri: string;
  type: 'id' | 'class';
  scheme: EpcScheme;
  /** The dot-separated fields, decoded, in URI order (names in {@link EpcUri.fieldNames}). */
  fields: string[];
  fieldNames: string[];
  /** The GS1 Company Prefix, for schemes built on one. */
  companyPrefix?: string;
}

/** A valid EPC pattern; `null` fields are the `*` wildcards (always trailing). */
export interface EpcPattern {
  uri: string;
  scheme: EpcScheme;
  fields: (string | null)[];
  fieldNames: string[];
}

type FieldResult = { ok: true; value: string } | { ok: false; problem: Gs1Problem };

const bad = (code: string, message: string, position: number, length: number): FieldResult => ({
  ok: false,
  problem: { code, message, position, length },
});

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const CAGE = /^[0-9A-HJ-NP-Z]{5,6}$/;

/** ISO 6346 letter values: A=10, then upwards skipping multiples of 11. */
const ISO6346_LETTERS: Record<string, number> = (() => {
  const t: Record<string, number> = {};
  let v = 10;
  for (let c = 65; c <= 90; c++) {
    if (v % 11 === 0) v++;
    t[String.fromCharCode(c)] = v++;
  }
  return t;
})();

/** The ISO 6346 check digit of the first 10 characters of a container code. */
export function iso6346CheckDigit(code10: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = code10[i]!;
    const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : (ISO6346_LETTERS[c] ?? 0);
    sum += v * 2 ** i;
  }
  return String((sum % 11) % 10);
}

/** The check digit of an IMO ship identification number (weights 7…2 over the first six digits). */
export function imoCheckDigit(first6: string): string {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (first6.charCodeAt(i) - 48) * (7 - i);
  return String(sum % 10);
}

function unescaped(raw: string, alphabet: ComponentAlphabet, start: number, name: string): FieldResult {
  const u = unescapeComponent(raw, alphabet);
  if (u.ok) return u;
  return bad(u.code, `${name}: ${u.message}`, start + u.index, u.length);
}

function digitsOnly(raw: string, start: number, name: string): FieldResult | undefined {
  const i = raw.search(/\D/);
  if (i >= 0)
    return bad('RX_EPC_NOT_NUMERIC', `${name} has digits only; '${raw[i]}' is not a digit.`, start + i, 1);
  return undefined;
}

/** Checks one field as written in a URI and decodes it. */
function parseField(spec: FieldSpec, raw: string, start: number): FieldResult {
  const name = label(spec.name);
  const len = Math.max(1, raw.length);
  switch (spec.kind) {
    case 'gcp': {
      if (raw === '') return bad('RX_EPC_EMPTY_FIELD', 'The GS1 Company Prefix is missing.', start, 0);
      const nd = digitsOnly(raw, start, name);
      if (nd) return nd;
      if (raw.length < 6 || raw.length > 12) {
        return bad(
          'RX_EPC_GCP_LENGTH',
          `A GS1 Company Prefix in an EPC has 6 to 12 digits; '${raw}' has ${raw.length}.`,
          start,
          len,
        );
      }
      return { ok: true, value: raw };
    }
    case 'digits': {
      if (raw === '' && !spec.empty) return bad('RX_EPC_EMPTY_FIELD', `${name} is missing.`, start, 0);
      const nd = digitsOnly(raw, start, name);
      if (nd) return nd;
      if (spec.exact !== undefined && raw.length !== spec.exact) {
        return bad(
          'RX_EPC_FIELD_LENGTH',
          `${name} has exactly ${spec.exact} digits; '${raw}' has ${raw.length}.`,
          start,
          len,
        );
      }
      if (spec.max !== undefined && raw.length > spec.max) {
        return bad(
          'RX_EPC_FIELD_LENGTH',
          `${name} has at most ${spec.max} digits; '${raw}' has ${raw.length}.`,
          start,
          len,
        );
      }
      return { ok: true, value: raw };
    }
    case 'gs3a3':
    case 'cpref': {
      if (raw === '') return bad('RX_EPC_EMPTY_FIELD', `${name} is missing.`, start, 0);
      const r = unescaped(raw, spec.kind, start, name);
      if (r.ok && spec.kind === 'gs3a3' && r.value.length > spec.max) {
        return bad(
          'RX_EPC_FIELD_LENGTH',
          `${name} has at most ${spec.max} characters; '${r.value}' has ${r.value.length}.`,
          start,
          len,
        );
      }
      return r;
    }
    case 'int': {
      if (raw === '') return bad('RX_EPC_EMPTY_FIELD', `${name} is missing.`, start, 0);
      const nd = digitsOnly(raw, start, name);
      if (nd) return nd;
      if (raw.length > 1 && raw[0] === '0') {
        return bad(
          'RX_EPC_LEADING_ZERO',
          `${name} is a number written without leading zeros; '${raw}' starts with 0.`,
          start,
          len,
        );
      }
      if (BigInt(raw) > spec.max)
        return bad('RX_EPC_OUT_OF_RANGE', `${name} is at most ${spec.max}; ${raw} is too large.`, start, len);
      return { ok: true, value: raw };
    }
    case 'cage': {
      if (!CAGE.test(raw)) {
        return bad(
          'RX_EPC_BAD_CAGE',
          `A CAGE code has 5 and a DoDAAC 6 characters, digits or upper-case letters other than I and O; '${raw}' is neither.`,
          start,
          len,
        );
      }
      return { ok: true, value: raw };
    }
    case 'adiPart': {
      const r = unescaped(raw, 'adi', start, name);
      if (r.ok && r.value.length > 32) {
        return bad(
          'RX_EPC_FIELD_LENGTH',
          `${name} has at most 32 characters; '${r.value}' has ${r.value.length}.`,
          start,
          len,
        );
      }
      return r;
    }
    case 'adiSerial': {
      const hash = raw.startsWith('%23');
      const rest = hash ? raw.slice(3) : raw;
      if (rest === '') return bad('RX_EPC_EMPTY_FIELD', `${name} is missing.`, start, raw.length);
      const r = unescaped(rest, 'adi', start + (hash ? 3 : 0), name);
      if (!r.ok) return r;
      const value = (hash ? '#' : '') + r.value;
      if (value.length > 30)
        return bad(
          'RX_EPC_FIELD_LENGTH',
          `${name} has at most 30 characters; '${value}' has ${value.length}.`,
          start,
          len,
        );
      return { ok: true, value };
    }
    case 'bic': {
      if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(raw)) {
        return bad(
          'RX_EPC_BAD_BIC',
          `A container code (ISO 6346) is 3 upper-case owner letters, the category U, J or Z, 6 digits and a check digit; '${raw}' is not.`,
          start,
          len,
        );
      }
      // The Tag Data Standard defines the syntax only; the conformance vectors (taken from epcpy)
      // treat a container code with a wrong ISO 6346 check digit as a valid EPC, and rxtrace follows
      // them. iso6346CheckDigit() is exported for callers that want the check.
      return { ok: true, value: raw };
    }
    case 'imovn': {
      if (!/^\d{7}$/.test(raw))
        return bad('RX_EPC_BAD_IMO', `An IMO vessel number has 7 digits; '${raw}' does not.`, start, len);
      // As for BIC: syntax only, as the vectors expect; imoCheckDigit() is exported for callers.
      return { ok: true, value: raw };
    }
  }
}

/** `itemReference` → `Item reference` (`companyPrefix` → `GS1 Company Prefix`). */
const LABELS = new Map<string, string>();
function label(name: string): string {
  let l = LABELS.get(name);
  if (l === undefined) {
    const s = name.replace(/([A-Z])/g, ' $1').toLowerCase();
    l = name === 'companyPrefix' ? 'GS1 Company Prefix' : s.charAt(0).toUpperCase() + s.slice(1);
    LABELS.set(name, l); // field names are a small fixed set
  }
  return l;
}

/** `a`/`an` before a scheme acronym read letter by letter (an SGTIN, a GIAI, an LGTIN, a UPUI). */
export function article(acronym: string): string {
  return /^[AEFHILMNORSX]/.test(acronym) ? 'an' : 'a';
}

const schemeName = (def: SchemeDef): string => {
  const u = def.scheme.toUpperCase();
  return `${article(u)} ${u}`;
};

const ALPHABET_OF: Partial<Record<FieldSpec['kind'], ComponentAlphabet>> = {
  gs3a3: 'gs3a3',
  cpref: 'cpref',
  adiPart: 'adi',
};

/** Writes one decoded field value as it appears in a URI. */
export function formatField(spec: FieldSpec, value: string): string {
  if (spec.kind === 'adiSerial')
    return value.startsWith('#')
      ? `%23${escapeComponent(value.slice(1), 'adi')}`
      : escapeComponent(value, 'adi');
  const a = ALPHABET_OF[spec.kind];
  return a ? escapeComponent(value, a) : value;
}

interface SplitBody {
  raws: string[];
  starts: number[];
}

/** Splits a URI body into `n` fields; only the last may contain dots (serials may). */
function splitBody(def: SchemeDef, body: string, base: number): SplitBody | Gs1Problem {
  const n = def.fields.length;
  const raws: string[] = [];
  const starts: number[] = [];
  let pos = 0;
  for (let i = 0; i < n - 1; i++) {
    const dot = body.indexOf('.', pos);
    if (dot < 0) return fieldCountProblem(def, base + body.length);
    raws.push(body.slice(pos, dot));
    starts.push(base + pos);
    pos = dot + 1;
  }
  raws.push(body.slice(pos));
  starts.push(base + pos);
  const last = def.fields[n - 1]!;
  const lastMayHoldDots = last.kind === 'gs3a3';
  if (!lastMayHoldDots && raws[n - 1]!.includes('.'))
    return fieldCountProblem(def, base + pos + raws[n - 1]!.indexOf('.'));
  return { raws, starts };
}

function fieldCountProblem(def: SchemeDef, position: number): Gs1Problem {
  const names = def.fields
    .map((f) => `<${label(f.name).toLowerCase().replace('gs1 company prefix', 'GS1 Company Prefix')}>`)
    .join('.');
  const one = def.fields.length === 1;
  return {
    code: 'RX_EPC_FIELD_COUNT',
    message: one
      ? `${cap(schemeName(def))} EPC has a single field, ${names}.`
      : `${cap(schemeName(def))} EPC has ${def.fields.length} fields separated by '.': ${names}.`,
    position,
  };
}

/** Checks the lengths that involve two fields: GS1 Company Prefix + reference. */
function crossCheck(
  def: SchemeDef,
  fields: readonly (string | null)[],
  starts: readonly number[],
): Gs1Problem | undefined {
  const g = fields[0];
  const ref = fields[1];
  if (g == null || ref == null) return undefined;
  const total = g.length + ref.length;
  const start = starts[0]!;
  const length = (starts[1] ?? start) - start + ref.length;
  if (def.keyDigits !== undefined && total !== def.keyDigits) {
    return {
      code: 'RX_EPC_KEY_LENGTH',
      message: `In ${schemeName(def)} EPC the GS1 Company Prefix and the ${label(def.fields[1]!.name).toLowerCase()} have ${def.keyDigits} digits together; here they have ${total}.`,
      position: start,
      length,
    };
  }
  if (def.maxKeyChars !== undefined && total > def.maxKeyChars) {
    return {
      code: 'RX_EPC_KEY_LENGTH',
      message: `In ${schemeName(def)} EPC the GS1 Company Prefix and the ${label(def.fields[1]!.name).toLowerCase()} have at most ${def.maxKeyChars} characters together; here they have ${total}.`,
      position: start,
      length,
    };
  }
  return undefined;
}

const PREFIX = /^urn:epc:([a-z]+):([a-z0-9-]+):/;

/** Splits `urn:epc:<type>:<scheme>:` off, with a precise problem when the URI is not one of ours. */
function splitPrefix(
  input: string,
  want: 'id' | 'idpat',
): { type: string; def: SchemeDef; bodyStart: number } | Gs1Problem {
  const m = PREFIX.exec(input);
  if (!m) {
    if (!input.startsWith('urn:epc:')) {
      return {
        code: 'RX_EPC_NOT_EPC_URI',
        message: `An EPC URI starts with 'urn:epc:'; '${input.slice(0, 20)}' does not.`,
        position: 0,
      };
    }
    return {
      code: 'RX_EPC_NOT_EPC_URI',
      message: `'${input}' is not of the form urn:epc:<type>:<scheme>:<fields>.`,
      position: 8,
    };
  }
  const type = m[1]!;
  const name = m[2]!;
  const typePos = 8;
  const schemePos = typePos + type.length + 1;
  if (want === 'id' && type === 'idpat')
    return {
      code: 'RX_EPC_WRONG_URI_TYPE',
      message: `'${input}' is an EPC pattern, not a pure identity; read it with parseEpcPattern.`,
      position: typePos,
      length: type.length,
    };
  if (type === 'tag')
    return {
      code: 'RX_EPC_WRONG_URI_TYPE',
      message: `'${input}' is an EPC tag URI; read it with parseTagUri.`,
      position: typePos,
      length: type.length,
    };
  const allowed = want === 'id' ? ['id', 'class'] : ['idpat'];
  if (!allowed.includes(type)) {
    return {
      code: 'RX_EPC_WRONG_URI_TYPE',
      message: `Expected urn:epc:${allowed.join(' or urn:epc:')}, not urn:epc:${type}.`,
      position: typePos,
      length: type.length,
    };
  }
  if (!isEpcScheme(name)) {
    return {
      code: 'RX_EPC_UNKNOWN_SCHEME',
      message: `'${name}' is not an EPC scheme of the Tag Data Standard.`,
      position: schemePos,
      length: name.length,
    };
  }
  const def = SCHEMES[name];
  if (want === 'id' && def.type !== type) {
    return {
      code: 'RX_EPC_WRONG_URI_TYPE',
      message: `${name.toUpperCase()} URIs start with urn:epc:${def.type}:${name}:, not urn:epc:${type}:${name}:.`,
      position: typePos,
      length: type.length,
    };
  }
  if (want === 'idpat' && !def.pattern) {
    return {
      code: 'RX_EPC_UNKNOWN_SCHEME',
      message: `The Tag Data Standard defines no pattern URI for ${name.toUpperCase()}.`,
      position: schemePos,
      length: name.length,
    };
  }
  return { type, def, bodyStart: m[0].length };
}

const failWith = <T>(p: Gs1Problem): Result<T> => ({ ok: false, errors: [p] });

/**
 * Parses and validates a pure-identity EPC URI (`urn:epc:id:sgtin:0614141.812345.6789`) or an LGTIN
 * class URI (`urn:epc:class:lgtin:0614141.812345.LOT42`).
 */
export function parseEpcUri(input: string): Result<EpcUri> {
  const pre = splitPrefix(input, 'id');
  if ('code' in pre) return failWith(pre);
  const { def, bodyStart } = pre;
  const split = splitBody(def, input.slice(bodyStart), bodyStart);
  if ('code' in split) return failWith(split);
  const fields: string[] = [];
  for (let i = 0; i < def.fields.length; i++) {
    const r = parseField(def.fields[i]!, split.raws[i]!, split.starts[i]!);
    if (!r.ok) return failWith(r.problem);
    fields.push(r.value);
  }
  const cross = crossCheck(def, fields, split.starts);
  if (cross) return failWith(cross);
  return { ok: true, value: makeEpc(def, fields) };
}

function makeEpc(def: SchemeDef, fields: string[]): EpcUri {
  const body = fields.map((f, i) => formatField(def.fields[i]!, f)).join('.');
  const epc: EpcUri = {
    uri: `urn:epc:${def.type}:${def.scheme}:${body}`,
    type: def.type,
    scheme: def.scheme,
    fields,
    fieldNames: def.fields.map((f) => f.name),
  };
  if (def.fields[0]!.kind === 'gcp') epc.companyPrefix = fields[0]!;
  return epc;
}

/**
 * Builds an EPC from decoded field values (no URI escapes: a serial `A/B` is given as `A/B`), with
 * the same validation as {@link parseEpcUri}.
 */
export function buildEpcUri(scheme: EpcScheme, fields: readonly string[]): Result<EpcUri> {
  const def = SCHEMES[scheme];
  if (!def)
    return failWith({
      code: 'RX_EPC_UNKNOWN_SCHEME',
      message: `'${scheme}' is not an EPC scheme of the Tag Data Standard.`,
    });
  if (fields.length !== def.fields.length) return failWith(fieldCountProblem(def, 0));
  const body = fields.map((f, i) => formatField(def.fields[i]!, f)).join('.');
  const uri = `urn:epc:${def.type}:${scheme}:${body}`;
  const r = parseEpcUri(uri);
  if (r.ok) return r;
  // Positions refer to a URI the caller never wrote: keep the message, say which field.
  return { ok: false, errors: r.errors.map(({ position: _p, length: _l, ...rest }) => rest) };
}

/** True when `input` is a valid pure-identity EPC URI or LGTIN class URI. */
export const isEpcUri = (input: string): boolean => parseEpcUri(input).ok;

/**
 * Parses an EPC pattern URI (`urn:epc:idpat:sgtin:0614141.812345.*`). A `*` stands for any value
 * of a field; once a field is `*`, every later field must be `*` too.
 */
export function parseEpcPattern(input: string): Result<EpcPattern> {
  const pre = splitPrefix(input, 'idpat');
  if ('code' in pre) return failWith(pre);
  const { def, bodyStart } = pre;
  const split = splitBody(def, input.slice(bodyStart), bodyStart);
  if ('code' in split) return failWith(split);
  const fields: (string | null)[] = [];
  let wild = false;
  for (let i = 0; i < def.fields.length; i++) {
    const raw = split.raws[i]!;
    const start = split.starts[i]!;
    if (raw === '*') {
      wild = true;
      fields.push(null);
      continue;
    }
    if (wild) {
      return failWith({
        code: 'RX_EPC_PATTERN',
        message: 'In an EPC pattern, every field after a * must be * too.',
        position: start,
        length: Math.max(1, raw.length),
      });
    }
    const r = parseField(def.fields[i]!, raw, start);
    if (!r.ok) return failWith(r.problem);
    fields.push(r.value);
  }
  const cross = crossCheck(def, fields, split.starts);
  if (cross) return failWith(cross);
  const body = fields.map((f, i) => (f === null ? '*' : formatField(def.fields[i]!, f))).join('.');
  return {
    ok: true,
    value: {
      uri: `urn:epc:idpat:${def.scheme}:${body}`,
      scheme: def.scheme,
      fields,
      fieldNames: def.fields.map((f) => f.name),
    },
  };
}
