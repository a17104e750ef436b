/**
 * SimpleEventQuery parameters: the grammar of their names and the typing of their values, for the
 * two ways a query arrives — a REST query string (`GET /events?EQ_bizStep=shipping|receiving`,
 * lists pipe-delimited) and a query-language JSON body (`POST /queries`, `openapi/query-schema.json`).
 * Both end in the same {@link ParsedQuery}; unknown names, values of the wrong type and the rules
 * between parameters (`eventCountLimit` needs `orderBy`, `eventCountLimit` and `maxEventCount`
 * exclude each other, `EQ_action` values) are refused with `QueryParameterException`.
 *
 * Accepted beyond query-schema.json:
 * - both spellings `GE_errorDeclarationTime` (OpenAPI) and `GE_errorDeclaration_Time` (schema);
 * - `EXISTS_<field>` for standard event fields (`EXISTS_bizStep`, `EXISTS_ilmd`, …), as the
 *   standard's `EXISTS_fieldname` allows, next to extension fields;
 * - extension fields named by a full URI (`EQ_http://ns.example.com/epcis#temperature`, the EPCIS
 *   1.x spelling) as well as by a CURIE (`EQ_example:temperature`).
 */
import { parameterError } from './errors.ts';

export type CompareOp = 'GT' | 'GE' | 'LT' | 'LE';
export type Op = 'EQ' | CompareOp | 'EXISTS';

export type MatchField =
  | 'epc'
  | 'parentID'
  | 'inputEPC'
  | 'outputEPC'
  | 'anyEPC'
  | 'epcClass'
  | 'inputEPCClass'
  | 'outputEPCClass'
  | 'anyEPCClass';

export type EqField =
  | 'action'
  | 'bizStep'
  | 'disposition'
  | 'persistentDisposition_set'
  | 'persistentDisposition_unset'
  | 'readPoint'
  | 'bizLocation'
  | 'transformationID'
  | 'eventID'
  | 'errorReason'
  | 'correctiveEventID';

/** Where an extension field is looked for. */
export type ExtScope =
  | 'event'
  | 'ilmd'
  | 'errorDeclaration'
  | 'sensorElement'
  | 'sensorMetadata'
  | 'sensorReport'
  | 'readPoint'
  | 'bizLocation';

/** Sensor fields the standard names as query parameters (`EQ_type`, `GE_time`, `GT_minValue_CEL` …). */
export type SensorField =
  | 'time'
  | 'startTime'
  | 'endTime'
  | 'type'
  | 'deviceID'
  | 'dataProcessingMethod'
  | 'microorganism'
  | 'chemicalSubstance'
  | 'bizRules'
  | 'stringValue'
  | 'booleanValue'
  | 'hexBinaryValue'
  | 'uriValue'
  | 'percRank'
  | 'value'
  | 'minValue'
  | 'maxValue'
  | 'meanValue'
  | 'sDev'
  | 'percValue';

/** What a parameter name means. */
export type ParamDef =
  | { group: 'eventType' }
  | { group: 'time'; field: 'eventTime' | 'recordTime' | 'errorDeclarationTime'; op: 'GE' | 'LT' }
  | { group: 'eq'; field: EqField }
  | { group: 'wd'; field: 'readPoint' | 'bizLocation' }
  | { group: 'match'; field: MatchField }
  | { group: 'quantity'; op: 'EQ' | CompareOp; uom?: string }
  | { group: 'reference'; kind: 'bizTransaction' | 'source' | 'destination'; type: string }
  | { group: 'exists'; field: string }
  | { group: 'sensor'; field: SensorField; op: 'EQ' | CompareOp; uom?: string }
  | { group: 'ext'; op: Op; scope: ExtScope; inner: boolean; field: string }
  | { group: 'hasAttr'; field: string }
  | { group: 'eqAttr'; field: string; attr: string }
  | { group: 'orderBy' }
  | { group: 'orderDirection' }
  | { group: 'eventCountLimit' }
  | { group: 'maxEventCount' };

/** The type of a parameter's value. */
export type ValueKind =
  | 'strings'
  | 'actions'
  | 'numbers'
  | 'number'
  | 'count'
  | 'time'
  | 'exists'
  | 'boolean'
  | 'string'
  | 'direction'
  | 'compare'
  | 'loose';

/** A typed parameter value. Times are kept as epoch milliseconds with their text. */
export type ParamValue =
  | { kind: 'strings'; values: string[] }
  | { kind: 'numbers'; values: number[] }
  | { kind: 'number'; value: number }
  | { kind: 'time'; value: number; text: string }
  | { kind: 'exists' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'string'; value: string }
  /** A number or a date-time (GT_/GE_/LT_/LE_ on extension fields). */
  | { kind: 'compare'; number?: number; time?: number; text: string }
  /** EQ_ on extension fields: strings; a value that reads as a number or a date-time also matches as one. */
  | { kind: 'loose'; values: string[] };

export interface ParsedParam {
  /** The name as given. */
  name: string;
  def: ParamDef;
  value: ParamValue;
}

export interface ParsedQuery {
  params: ParsedParam[];
  /** Prefix → namespace URI, for CURIE-named extension fields (GS1-Extensions header, body `@context`). */
  namespaces: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Names

const FIXED: Record<string, [ParamDef, ValueKind]> = {
  eventType: [{ group: 'eventType' }, 'strings'],
  GE_eventTime: [{ group: 'time', field: 'eventTime', op: 'GE' }, 'time'],
  LT_eventTime: [{ group: 'time', field: 'eventTime', op: 'LT' }, 'time'],
  GE_recordTime: [{ group: 'time', field: 'recordTime', op: 'GE' }, 'time'],
  LT_recordTime: [{ group: 'time', field: 'recordTime', op: 'LT' }, 'time'],
  GE_errorDeclarationTime: [{ group: 'time', field: 'errorDeclarationTime', op: 'GE' }, 'time'],
  LT_errorDeclarationTime: [{ group: 'time', field: 'errorDeclarationTime', op: 'LT' }, 'time'],
  GE_errorDeclaration_Time: [{ group: 'time', field: 'errorDeclarationTime', op: 'GE' }, 'time'],
  LT_errorDeclaration_Time: [{ group: 'time', field: 'errorDeclarationTime', op: 'LT' }, 'time'],
  EQ_action: [{ group: 'eq', field: 'action' }, 'actions'],
  EQ_bizStep: [{ group: 'eq', field: 'bizStep' }, 'strings'],
  EQ_disposition: [{ group: 'eq', field: 'disposition' }, 'strings'],
  EQ_persistentDisposition_set: [{ group: 'eq', field: 'persistentDisposition_set' }, 'strings'],
  EQ_persistentDisposition_unset: [{ group: 'eq', field: 'persistentDisposition_unset' }, 'strings'],
  EQ_readPoint: [{ group: 'eq', field: 'readPoint' }, 'strings'],
  EQ_bizLocation: [{ group: 'eq', field: 'bizLocation' }, 'strings'],
  WD_readPoint: [{ group: 'wd', field: 'readPoint' }, 'strings'],
  WD_bizLocation: [{ group: 'wd', field: 'bizLocation' }, 'strings'],
  EQ_transformationID: [{ group: 'eq', field: 'transformationID' }, 'strings'],
  EQ_eventID: [{ group: 'eq', field: 'eventID' }, 'strings'],
  EQ_errorReason: [{ group: 'eq', field: 'errorReason' }, 'strings'],
  EQ_correctiveEventID: [{ group: 'eq', field: 'correctiveEventID' }, 'strings'],
  MATCH_epc: [{ group: 'match', field: 'epc' }, 'strings'],
  MATCH_parentID: [{ group: 'match', field: 'parentID' }, 'strings'],
  MATCH_inputEPC: [{ group: 'match', field: 'inputEPC' }, 'strings'],
  MATCH_outputEPC: [{ group: 'match', field: 'outputEPC' }, 'strings'],
  MATCH_anyEPC: [{ group: 'match', field: 'anyEPC' }, 'strings'],
  MATCH_epcClass: [{ group: 'match', field: 'epcClass' }, 'strings'],
  MATCH_inputEPCClass: [{ group: 'match', field: 'inputEPCClass' }, 'strings'],
  MATCH_outputEPCClass: [{ group: 'match', field: 'outputEPCClass' }, 'strings'],
  MATCH_anyEPCClass: [{ group: 'match', field: 'anyEPCClass' }, 'strings'],
  EQ_quantity: [{ group: 'quantity', op: 'EQ' }, 'numbers'],
  GT_quantity: [{ group: 'quantity', op: 'GT' }, 'number'],
  GE_quantity: [{ group: 'quantity', op: 'GE' }, 'number'],
  LT_quantity: [{ group: 'quantity', op: 'LT' }, 'number'],
  LE_quantity: [{ group: 'quantity', op: 'LE' }, 'number'],
  orderBy: [{ group: 'orderBy' }, 'string'],
  orderDirection: [{ group: 'orderDirection' }, 'direction'],
  eventCountLimit: [{ group: 'eventCountLimit' }, 'count'],
  maxEventCount: [{ group: 'maxEventCount' }, 'count'],
  // Sensor data
  GE_time: [{ group: 'sensor', field: 'time', op: 'GE' }, 'time'],
  LT_time: [{ group: 'sensor', field: 'time', op: 'LT' }, 'time'],
  GE_startTime: [{ group: 'sensor', field: 'startTime', op: 'GE' }, 'time'],
  LT_startTime: [{ group: 'sensor', field: 'startTime', op: 'LT' }, 'time'],
  GE_endTime: [{ group: 'sensor', field: 'endTime', op: 'GE' }, 'time'],
  LT_endTime: [{ group: 'sensor', field: 'endTime', op: 'LT' }, 'time'],
  EQ_type: [{ group: 'sensor', field: 'type', op: 'EQ' }, 'strings'],
  EQ_deviceID: [{ group: 'sensor', field: 'deviceID', op: 'EQ' }, 'strings'],
  EQ_dataProcessingMethod: [{ group: 'sensor', field: 'dataProcessingMethod', op: 'EQ' }, 'strings'],
  EQ_microorganism: [{ group: 'sensor', field: 'microorganism', op: 'EQ' }, 'strings'],
  EQ_chemicalSubstance: [{ group: 'sensor', field: 'chemicalSubstance', op: 'EQ' }, 'strings'],
  EQ_bizRules: [{ group: 'sensor', field: 'bizRules', op: 'EQ' }, 'strings'],
  EQ_stringValue: [{ group: 'sensor', field: 'stringValue', op: 'EQ' }, 'strings'],
  EQ_booleanValue: [{ group: 'sensor', field: 'booleanValue', op: 'EQ' }, 'boolean'],
  EQ_hexBinaryValue: [{ group: 'sensor', field: 'hexBinaryValue', op: 'EQ' }, 'strings'],
  EQ_uriValue: [{ group: 'sensor', field: 'uriValue', op: 'EQ' }, 'strings'],
  GT_percRank: [{ group: 'sensor', field: 'percRank', op: 'GT' }, 'number'],
  GE_percRank: [{ group: 'sensor', field: 'percRank', op: 'GE' }, 'number'],
  LT_percRank: [{ group: 'sensor', field: 'percRank', op: 'LT' }, 'number'],
  LE_percRank: [{ group: 'sensor', field: 'percRank', op: 'LE' }, 'number'],
  EXISTS_errorDeclaration: [{ group: 'exists', field: 'errorDeclaration' }, 'exists'],
  EXISTS_sensorElementList: [{ group: 'exists', field: 'sensorElementList' }, 'exists'],
};

/** Standard event fields `EXISTS_<field>` accepts. */
export const STANDARD_EVENT_FIELDS: readonly string[] = [
  'eventID',
  'certificationInfo',
  'errorDeclaration',
  'epcList',
  'parentID',
  'childEPCs',
  'inputEPCList',
  'outputEPCList',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
  'transformationID',
  'action',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'ilmd',
];
const STANDARD_FIELD_SET = new Set(STANDARD_EVENT_FIELDS);

/** An extension field name: a CURIE (`ext1:int`) or a full URI (`http://ns.example.com/epcis#f`). */
const FIELD = '(?:[a-z][a-zA-Z0-9]*:[^\\s:/][^\\s]*|[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s]+|urn:[^\\s]+)';
const SCOPES: Record<string, ExtScope> = {
  ILMD_: 'ilmd',
  ERROR_DECLARATION_: 'errorDeclaration',
  SENSORELEMENT_: 'sensorElement',
  SENSORMETADATA_: 'sensorMetadata',
  SENSORREPORT_: 'sensorReport',
  readPoint_: 'readPoint',
  bizLocation_: 'bizLocation',
};
const EXT_RE = new RegExp(
  `^(EQ|GT|GE|LT|LE|EXISTS)_(INNER_)?(ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_|readPoint_|bizLocation_)?(${FIELD})$`,
);
const REFERENCE_RE = /^EQ_(bizTransaction|source|destination)_([a-zA-Z][a-zA-Z0-9_]*)$/;
const MEASURE_RE =
  /^(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue|quantity)_([A-Z0-9]{2,4})$/;
const HASATTR_RE = /^HASATTR_([A-Za-z][A-Za-z0-9]*)$/;
const EQATTR_RE = /^EQ_ATTR_([A-Za-z][A-Za-z0-9]*)_(\S+)$/;

/** The meaning and value type of a parameter name; `undefined` for a name that is no query parameter. */
export function classifyParam(name: string): [ParamDef, ValueKind] | undefined {
  const fixed = Object.hasOwn(FIXED, name) ? FIXED[name] : undefined;
  if (fixed) return fixed;
  let m = REFERENCE_RE.exec(name);
  if (m)
    return [
      { group: 'reference', kind: m[1] as 'bizTransaction' | 'source' | 'destination', type: m[2]! },
      'strings',
    ];
  m = MEASURE_RE.exec(name);
  if (m) {
    const op = m[1] as 'EQ' | CompareOp;
    const field = m[2]!;
    const uom = m[3]!;
    if (field === 'quantity') return [{ group: 'quantity', op, uom }, op === 'EQ' ? 'numbers' : 'number'];
    // The schema has EQ_ only for value (EQ_value_<UOM>).
    if (op === 'EQ' && field !== 'value') return undefined;
    return [{ group: 'sensor', field: field as SensorField, op, uom }, op === 'EQ' ? 'numbers' : 'number'];
  }
  m = HASATTR_RE.exec(name);
  if (m) return [{ group: 'hasAttr', field: m[1]! }, 'strings'];
  m = EQATTR_RE.exec(name);
  if (m) return [{ group: 'eqAttr', field: m[1]!, attr: m[2]! }, 'loose'];
  m = EXT_RE.exec(name);
  if (m) {
    const op = m[1] as Op;
    const def: ParamDef = {
      group: 'ext',
      op,
      scope: m[3] ? SCOPES[m[3]]! : 'event',
      inner: m[2] !== undefined,
      field: m[4]!,
    };
    return [def, op === 'EXISTS' ? 'exists' : op === 'EQ' ? 'loose' : 'compare'];
  }
  if (name.startsWith('EXISTS_')) {
    const field = name.slice(7);
    if (STANDARD_FIELD_SET.has(field)) return [{ group: 'exists', field }, 'exists'];
  }
  return undefined;
}

/** True when `name` is a SimpleEventQuery parameter rxtrace understands. */
export function isQueryParameterName(name: string): boolean {
  return classifyParam(name) !== undefined;
}

function unknownParameter(name: string): Error {
  const lower = name.toLowerCase();
  const near = Object.keys(FIXED).find((k) => k.toLowerCase() === lower);
  return parameterError(
    `'${name}' is not an EPCIS query parameter${near ? ` (did you mean '${near}'?)` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Values

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Epoch milliseconds of an RFC 3339 date-time with offset; NaN when it is not one. A `+` of the
 * offset that arrived as a space (an unencoded `+` in a query string) is read as `+`.
 */
export function parseTime(text: string): number {
  let t = text;
  if (t.length > 6 && t.charCodeAt(t.length - 6) === 32) t = `${t.slice(0, -6)}+${t.slice(-5)}`;
  if (!DATE_TIME.test(t)) return Number.NaN;
  return Date.parse(t);
}

/** A number written as text (`"10"`, `"-2.5e3"`); NaN otherwise. */
export function parseNumber(text: string): number {
  return NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
}

function timeValue(name: string, text: string): ParamValue {
  const ms = parseTime(text);
  if (Number.isNaN(ms))
    throw parameterError(
      `${name}: '${text}' is not a date-time with a time-zone offset (e.g. 2026-03-01T09:00:00.000+01:00)`,
    );
  return { kind: 'time', value: ms, text };
}

function checkActions(name: string, values: string[]): void {
  for (const v of values)
    if (v !== 'ADD' && v !== 'OBSERVE' && v !== 'DELETE')
      throw parameterError(`${name}: '${v}' is not one of ADD, OBSERVE, DELETE`);
}

function checkList(name: string, values: string[]): void {
  if (values.length === 0) throw parameterError(`${name} needs at least one value`);
  for (const v of values) if (v === '') throw parameterError(`${name}: an empty value in the list`);
}

/** A REST query-string value (lists pipe-delimited) → typed value. */
function fromText(name: string, kind: ValueKind, text: string): ParamValue {
  switch (kind) {
    case 'strings':
    case 'actions': {
      const values = text.split('|');
      checkList(name, values);
      if (kind === 'actions') checkActions(name, values);
      return { kind: 'strings', values };
    }
    case 'loose': {
      const values = text.split('|');
      checkList(name, values);
      return { kind: 'loose', values };
    }
    case 'numbers': {
      const parts = text.split('|');
      const values = parts.map((p) => parseNumber(p));
      if (values.some(Number.isNaN))
        throw parameterError(`${name}: '${text}' is not a number (or a |-separated list of numbers)`);
      return { kind: 'numbers', values };
    }
    case 'number': {
      const n = parseNumber(text);
      if (Number.isNaN(n)) throw parameterError(`${name}: '${text}' is not a number`);
      return { kind: 'number', value: n };
    }
    case 'count': {
      if (!/^\d+$/.test(text)) throw parameterError(`${name}: '${text}' is not a non-negative integer`);
      return { kind: 'number', value: Number(text) };
    }
    case 'time':
      return timeValue(name, text);
    case 'exists':
      return { kind: 'exists' };
    case 'boolean':
      if (text !== 'true' && text !== 'false')
        throw parameterError(`${name}: '${text}' is not true or false`);
      return { kind: 'boolean', value: text === 'true' };
    case 'string':
      if (text === '') throw parameterError(`${name} needs a value`);
      return { kind: 'string', value: text };
    case 'direction':
      if (text !== 'ASC' && text !== 'DESC') throw parameterError(`${name}: '${text}' is not ASC or DESC`);
      return { kind: 'string', value: text };
    case 'compare': {
      const n = parseNumber(text);
      if (!Number.isNaN(n)) return { kind: 'compare', number: n, text };
      const t = parseTime(text);
      if (!Number.isNaN(t)) return { kind: 'compare', time: t, text };
      throw parameterError(`${name}: '${text}' is neither a number nor a date-time`);
    }
  }
}

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'string'
        ? `'${v}'`
        : typeof v === 'object'
          ? 'an object'
          : String(v);

function stringArray(name: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw parameterError(`${name} must be a list of strings, not ${describe(v)}`);
  for (const x of v)
    if (typeof x !== 'string')
      throw parameterError(`${name}: every value must be a string, not ${describe(x)}`);
  checkList(name, v as string[]);
  return v as string[];
}

/** A query-language JSON value → typed value (types as query-schema.json). */
function fromJson(name: string, kind: ValueKind, v: unknown): ParamValue {
  switch (kind) {
    case 'strings':
    case 'actions': {
      const values = stringArray(name, v);
      if (kind === 'actions') checkActions(name, values);
      return { kind: 'strings', values };
    }
    case 'loose': {
      if (Array.isArray(v)) return { kind: 'loose', values: stringArray(name, v) };
      if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'loose', values: [String(v)] };
      if (typeof v === 'string' && !Number.isNaN(parseTime(v))) return { kind: 'loose', values: [v] };
      throw parameterError(`${name} must be a list of strings, a number or a date-time, not ${describe(v)}`);
    }
    case 'numbers': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        throw parameterError(`${name} must be a list of numbers, not ${describe(v)}`);
      return { kind: 'numbers', values: v as number[] };
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw parameterError(`${name} must be a number, not ${describe(v)}`);
      return { kind: 'number', value: v };
    case 'count':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw parameterError(`${name} must be a non-negative integer, not ${describe(v)}`);
      return { kind: 'number', value: v };
    case 'time':
      if (typeof v !== 'string')
        throw parameterError(`${name} must be a date-time string, not ${describe(v)}`);
      return timeValue(name, v);
    case 'exists':
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isInteger(v)) && v !== '')
        throw parameterError(`${name} takes no value (null), not ${describe(v)}`);
      return { kind: 'exists' };
    case 'boolean':
      if (typeof v !== 'boolean') throw parameterError(`${name} must be true or false, not ${describe(v)}`);
      return { kind: 'boolean', value: v };
    case 'string':
      if (typeof v !== 'string' || v === '')
        throw parameterError(`${name} must be a non-empty string, not ${describe(v)}`);
      return { kind: 'string', value: v };
    case 'direction':
      if (v !== 'ASC' && v !== 'DESC')
        throw parameterError(`${name} must be ASC or DESC, not ${describe(v)}`);
      return { kind: 'string', value: v };
    case 'compare': {
      if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'compare', number: v, text: String(v) };
      if (typeof v === 'string') return fromText(name, 'compare', v);
      throw parameterError(`${name} must be a number or a date-time, not ${describe(v)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Whole queries

/** Names that are not query parameters but travel with them in a query string. */
export const PAGINATION_PARAMETERS: readonly string[] = ['perPage', 'nextPageToken'];

/** Prefix → namespace pairs of a `GS1-Extensions` header (`ex=https://ns.example.com/epcis/, …`). */
export function parseExtensionsHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const prefix = part.slice(0, eq).trim();
    let ns = part.slice(eq + 1).trim();
    if (ns.startsWith('"') && ns.endsWith('"')) ns = ns.slice(1, -1);
    if (ns.startsWith('<') && ns.endsWith('>')) ns = ns.slice(1, -1);
    if (/^[A-Za-z][\w.-]*$/.test(prefix) && ns) out[prefix] = ns;
  }
  return out;
}

/** Prefix → namespace objects of a JSON-LD `@context` value. */
export function namespacesOfContext(ctx: unknown, into: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(ctx)) for (const c of ctx) namespacesOfContext(c, into);
  else if (ctx && typeof ctx === 'object')
    for (const [k, v] of Object.entries(ctx as Record<string, unknown>)) {
      if (typeof v === 'string') into[k] = v;
      else if (v && typeof v === 'object' && typeof (v as { '@id'?: unknown })['@id'] === 'string')
        into[k] = (v as { '@id': string })['@id'];
    }
  return into;
}

/** The canonical name of a parameter (the two spellings of the error-declaration times are one). */
function canonicalName(name: string): string {
  return name.replace(/^(GE|LT)_errorDeclaration_Time$/, '$1_errorDeclarationTime');
}

function checkRules(params: ParsedParam[]): void {
  const has = (g: ParamDef['group']) => params.some((p) => p.def.group === g);
  if (has('eventCountLimit') && has('maxEventCount'))
    throw parameterError('eventCountLimit and maxEventCount are mutually exclusive');
  if (has('eventCountLimit') && !has('orderBy'))
    throw parameterError('eventCountLimit needs orderBy (it keeps the first N events in that order)');
  const order = params.find((p) => p.def.group === 'orderBy');
  if (order && order.value.kind === 'string') {
    const v = order.value.value;
    if (v !== 'eventTime' && v !== 'recordTime' && !new RegExp(`^${FIELD}$`).test(v))
      throw parameterError(
        `orderBy: '${v}' is not eventTime, recordTime or an extension field (CURIE or URI)`,
      );
  }
}

/**
 * Parses a REST query string (`?EQ_bizStep=shipping|receiving&GE_eventTime=…`). `perPage` and
 * `nextPageToken` are returned apart; `ignore` lists further names to leave out (e.g. subscription
 * controls). A parameter given twice is refused.
 */
export function parseQueryString(
  search: string | URLSearchParams,
  opts: { namespaces?: Record<string, string>; ignore?: readonly string[] } = {},
): { query: ParsedQuery; perPage?: string; nextPageToken?: string } {
  const sp =
    typeof search === 'string'
      ? new URLSearchParams(search.startsWith('?') ? search.slice(1) : search)
      : search;
  const params: ParsedParam[] = [];
  const seen = new Set<string>();
  let perPage: string | undefined;
  let nextPageToken: string | undefined;
  for (const [name, text] of sp) {
    if (name === 'perPage' || name === 'nextPageToken') {
      if ((name === 'perPage' ? perPage : nextPageToken) !== undefined)
        throw parameterError(`${name} is given twice`);
      if (name === 'perPage') perPage = text;
      else nextPageToken = text;
      continue;
    }
    if (opts.ignore?.includes(name)) continue;
    const c = classifyParam(name);
    if (!c) throw unknownParameter(name);
    const canon = canonicalName(name);
    if (seen.has(canon))
      throw parameterError(`${name} is given twice (give a list as values separated by |)`);
    seen.add(canon);
    params.push({ name, def: c[0], value: fromText(name, c[1], text) });
  }
  checkRules(params);
  return {
    query: { params, namespaces: { ...(opts.namespaces ?? {}) } },
    ...(perPage !== undefined ? { perPage } : {}),
    ...(nextPageToken !== undefined ? { nextPageToken } : {}),
  };
}

/** Parses a query-language JSON body (the `query` of a named query). */
export function parseQueryBody(
  body: unknown,
  opts: { namespaces?: Record<string, string> } = {},
): ParsedQuery {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw parameterError(`a query must be a JSON object of query parameters, not ${describe(body)}`);
  const params: ParsedParam[] = [];
  const seen = new Set<string>();
  const namespaces = { ...(opts.namespaces ?? {}) };
  for (const [name, v] of Object.entries(body as Record<string, unknown>)) {
    if (name === '@context') {
      namespacesOfContext(v, namespaces);
      continue;
    }
    const c = classifyParam(name);
    if (!c) throw unknownParameter(name);
    const canon = canonicalName(name);
    if (seen.has(canon)) throw parameterError(`${name} is given twice`);
    seen.add(canon);
    params.push({ name, def: c[0], value: fromJson(name, c[1], v) });
  }
  checkRules(params);
  return { params, namespaces };
}
