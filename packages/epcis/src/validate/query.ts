/**
 * Validation of EPCIS 2.0 query-language bodies (the `query` of `POST /queries`, the REST
 * `SimpleEventQuery` parameters as JSON), after `openapi/query-schema.json`: every parameter name
 * must be a standard one or follow one of the parameter-name patterns (`EQ_bizTransaction_<type>`,
 * `GE_value_<UOM>`, `EQ_<prefix>:<field>`, …) — unknown parameters are rejected — and each value
 * must have the parameter's type. Problems map to `QueryParameterException`.
 *
 * Two deliberate differences from the schema file (both make rxtrace accept what the standard
 * means; both documented in VALIDATION_RULES / the conformance deviations):
 * - The schema's patterns for extension-field parameters are double-escaped (`…\\:\\w+` in the
 *   regex, i.e. a literal backslash), so as written they match no real name and reject every
 *   `EQ_<prefix>:<field>`, `EXISTS_INNER_<prefix>:<field>`, `EQ_ATTR_<field>_<attr>`, … parameter.
 *   rxtrace applies the intended patterns (`<prefix>` = `[a-z][a-zA-Z0-9]*`, `<field>` = `\w+`).
 * - `GE_errorDeclarationTime` / `LT_errorDeclarationTime` (the OpenAPI spelling) are accepted next
 *   to the schema's `GE_errorDeclaration_Time` / `LT_errorDeclaration_Time`.
 */
import { type CbvKind, isStandardBareWord } from '../cbv.ts';
import {
  createValidationContext,
  describe,
  finishReport,
  isObject,
  ptr,
  report,
  reportRule,
  type ValidationContext,
  type ValidationOptions,
  type ValidationReport,
} from './context.ts';
import { checkContext } from './event.ts';
import { isDateTime, isReservedCbvUri, isReservedGs1VocUri, isUri, parseDateTime } from './formats.ts';

type Check = (v: unknown, q: string, name: string, c: ValidationContext) => void;

/** JSON Schema `integer` as the reference validator applies it (a number with no fractional part). */
function isInteger(v: unknown): boolean {
  return typeof v === 'number' && !(v % 1) && !Number.isNaN(v);
}

const time: Check = (v, q, name, c) => {
  if (typeof v !== 'string') report(c, q, 'type', `${name} must be a date-time string, not ${describe(v)}`);
  else if (!isDateTime(v))
    report(c, q, 'format', `${name} ${describe(v)} is not a date-time with a time-zone offset (RFC 3339)`);
};
const num: Check = (v, q, name, c) => {
  if (typeof v !== 'number') report(c, q, 'type', `${name} must be a number, not ${describe(v)}`);
};
const int: Check = (v, q, name, c) => {
  if (!isInteger(v)) report(c, q, 'type', `${name} must be an integer, not ${describe(v)}`);
};
const intOrNull: Check = (v, q, name, c) => {
  if (v !== null && !isInteger(v))
    report(c, q, 'type', `${name} takes no value (null) or an integer, not ${describe(v)}`);
};
const str: Check = (v, q, name, c) => {
  if (typeof v !== 'string') report(c, q, 'type', `${name} must be a string, not ${describe(v)}`);
};
const bool: Check = (v, q, name, c) => {
  if (typeof v !== 'boolean') report(c, q, 'type', `${name} must be true or false, not ${describe(v)}`);
};
const orderDirection: Check = (v, q, name, c) => {
  if (v !== 'ASC' && v !== 'DESC')
    report(c, q, typeof v === 'string' ? 'enum' : 'type', `${name} must be ASC or DESC, not ${describe(v)}`);
};

function arrayOf(item: (v: unknown, q: string, name: string, c: ValidationContext) => void): Check {
  return (v, q, name, c) => {
    if (!Array.isArray(v)) {
      report(c, q, 'type', `${name} must be an array (a list of values), not ${describe(v)}`);
      return;
    }
    for (let i = 0; i < v.length; i++) item(v[i], ptr(q, i), name, c);
  };
}

const uriItem: Check = (v, q, name, c) => {
  if (typeof v !== 'string') report(c, q, 'type', `a ${name} value must be a URI string, not ${describe(v)}`);
  else if (!isUri(v)) report(c, q, 'format', `${name} value ${describe(v)} is not a URI`);
};
const EVENT_TYPES = new Set([
  'ObjectEvent',
  'AggregationEvent',
  'AssociationEvent',
  'TransformationEvent',
  'TransactionEvent',
]);
const eventTypeItem: Check = (v, q, _name, c) => {
  if (typeof v !== 'string') report(c, q, 'type', `an eventType value must be a string, not ${describe(v)}`);
  else if (!EVENT_TYPES.has(v) && !isUri(v))
    report(c, q, 'anyOf', `eventType ${describe(v)} is not a standard event type and not a URI`);
};
const actionItem: Check = (v, q, name, c) => {
  if (v !== 'ADD' && v !== 'OBSERVE' && v !== 'DELETE')
    report(
      c,
      q,
      typeof v === 'string' ? 'enum' : 'type',
      `${name} value ${describe(v)} is not one of ADD, OBSERVE, DELETE`,
    );
};
function vocabItem(kind: CbvKind): Check {
  const gs1Voc = kind === 'measurementType';
  return (v, q, name, c) => {
    if (typeof v !== 'string') {
      report(c, q, 'type', `a ${name} value must be a string, not ${describe(v)}`);
      return;
    }
    if (isStandardBareWord(kind, v)) return;
    if (isUri(v) && !(gs1Voc ? isReservedGs1VocUri(v) : isReservedCbvUri(v))) return;
    report(
      c,
      q,
      'anyOf',
      `${name} value ${describe(v)} is not a standard ${kind} (bare word) and not a custom URI`,
    );
  };
}
const stringItem: Check = (v, q, name, c) => {
  if (typeof v !== 'string') report(c, q, 'type', `a ${name} value must be a string, not ${describe(v)}`);
};
const numberItem: Check = (v, q, name, c) => {
  if (typeof v !== 'number') report(c, q, 'type', `a ${name} value must be a number, not ${describe(v)}`);
};
/** `date-string-or-number`: a number or a date-time string. */
const dateOrNumber: Check = (v, q, name, c) => {
  if (typeof v === 'number') return;
  if (typeof v === 'string' && isDateTime(v)) return;
  report(c, q, 'oneOf', `${name} must be a number or a date-time, not ${describe(v)}`);
};
/** `string-array-or-date-string-or-number`. */
const listOrDateOrNumber: Check = (v, q, name, c) => {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) stringItem(v[i], ptr(q, i), name, c);
    return;
  }
  if (typeof v === 'number') return;
  if (typeof v === 'string' && isDateTime(v)) return;
  report(c, q, 'oneOf', `${name} must be a list of strings, a number or a date-time, not ${describe(v)}`);
};

const uris = arrayOf(uriItem);
const STANDARD: Record<string, Check> = {
  eventType: arrayOf(eventTypeItem),
  GE_eventTime: time,
  LT_eventTime: time,
  GE_recordTime: time,
  LT_recordTime: time,
  EQ_action: arrayOf(actionItem),
  EQ_bizStep: arrayOf(vocabItem('bizStep')),
  EQ_disposition: arrayOf(vocabItem('disposition')),
  EQ_persistentDisposition_set: arrayOf(vocabItem('disposition')),
  EQ_persistentDisposition_unset: arrayOf(vocabItem('disposition')),
  EQ_quantity: arrayOf(numberItem),
  GT_quantity: num,
  GE_quantity: num,
  LT_quantity: num,
  LE_quantity: num,
  EQ_readPoint: uris,
  WD_readPoint: uris,
  EQ_bizLocation: uris,
  WD_bizLocation: uris,
  EQ_transformationID: uris,
  MATCH_epc: uris,
  MATCH_parentID: uris,
  MATCH_inputEPC: uris,
  MATCH_outputEPC: uris,
  MATCH_anyEPC: uris,
  MATCH_epcClass: uris,
  MATCH_inputEPCClass: uris,
  MATCH_outputEPCClass: uris,
  MATCH_anyEPCClass: uris,
  EQ_eventID: uris,
  EXISTS_errorDeclaration: intOrNull,
  GE_errorDeclaration_Time: time,
  LT_errorDeclaration_Time: time,
  GE_errorDeclarationTime: time,
  LT_errorDeclarationTime: time,
  EQ_errorReason: arrayOf(vocabItem('errorReason')),
  EQ_correctiveEventID: uris,
  orderBy: str,
  orderDirection,
  eventCountLimit: int,
  maxEventCount: int,
  EXISTS_sensorElementList: intOrNull,
  GE_time: time,
  LT_time: time,
  GE_startTime: time,
  LT_startTime: time,
  GE_endTime: time,
  LT_endTime: time,
  EQ_type: arrayOf(vocabItem('measurementType')),
  EQ_deviceID: uris,
  EQ_dataProcessingMethod: uris,
  EQ_microorganism: uris,
  EQ_chemicalSubstance: uris,
  EQ_bizRules: uris,
  EQ_stringValue: arrayOf(stringItem),
  EQ_booleanValue: bool,
  EQ_hexBinaryValue: arrayOf(stringItem),
  EQ_uriValue: uris,
  GE_percRank: num,
  LT_percRank: num,
  GT_percRank: num,
  LE_percRank: num,
};

/** Parameter-name patterns, in the schema's order (first match decides the value type). */
const EXT = '[a-z][a-zA-Z0-9]*:\\w+';
const PATTERNS: [RegExp, Check][] = [
  [/^EQ_(?:bizTransaction|source|destination)_[a-z][a-zA-Z0-9_]+$/, uris],
  [
    new RegExp(
      `^EQ_(?:(?:INNER_)?(?:ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_|readPoint_|bizLocation_))?${EXT}$`,
    ),
    listOrDateOrNumber,
  ],
  [new RegExp(`^EQ_INNER_${EXT}$`), listOrDateOrNumber],
  [
    new RegExp(
      `^(?:GT|GE|LT|LE)_(?:INNER_)?(?:ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_)?${EXT}$`,
    ),
    dateOrNumber,
  ],
  [
    new RegExp(
      `^EXISTS_(?:INNER_)?(?:ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_)?${EXT}$`,
    ),
    intOrNull,
  ],
  [/^HASATTR_(?:[a-z][a-zA-Z0-9]*:)?\w+$/, arrayOf(stringItem)],
  [/^EQ_ATTR_[A-Za-z]\w*_\S+$/, listOrDateOrNumber],
  [/^EQ_(?:value|quantity)_[A-Z0-9]{2,4}$/, arrayOf(numberItem)],
  [/^(?:GE|LT|GT|LE)_(?:value|minValue|maxValue|meanValue|sDev|percValue|quantity)_[A-Z0-9]{2,4}$/, num],
];

/**
 * Validates a query body (`openapi/query-schema.json`) and the rules the schema cannot express:
 * `eventCountLimit` needs `orderBy` and excludes `maxEventCount`; `orderBy` names `eventTime`,
 * `recordTime` or an extension field; limits are not negative. Problems carry
 * `exception: 'QueryParameterException'`.
 */
export function validateQueryBody(query: unknown, options?: ValidationOptions): ValidationReport {
  const c = createValidationContext(options);
  c.exception = 'QueryParameterException';
  if (!isObject(query)) {
    report(c, '', 'type', `a query must be a JSON object of query parameters, not ${describe(query)}`);
    return finishReport(c, 'query', c.sink ?? []);
  }
  for (const name in query) {
    const v = query[name];
    const q = ptr('', name);
    if (name === '@context') {
      checkContext(v, '', c);
      continue;
    }
    const check = Object.hasOwn(STANDARD, name)
      ? STANDARD[name]
      : PATTERNS.find(([re]) => re.test(name))?.[1];
    if (!check) {
      report(c, '', 'additionalProperties', `'${name}' is not an EPCIS query parameter${suggest(name)}`);
      continue;
    }
    check(v, q, name, c);
  }
  if (c.rules) queryRules(query, c);
  return finishReport(c, 'query', c.sink ?? []);
}

function suggest(name: string): string {
  const lower = name.toLowerCase();
  const near = Object.keys(STANDARD).find((k) => k.toLowerCase() === lower);
  if (near) return ` (did you mean '${near}'?)`;
  if (/^(GE|LT)_/.test(name))
    return ` (time filters: GE_/LT_eventTime, GE_/LT_recordTime, GE_/LT_errorDeclarationTime, GE_/LT_time, GE_/LT_startTime, GE_/LT_endTime)`;
  return '';
}

function queryRules(q: Record<string, unknown>, c: ValidationContext): void {
  const limit = q.eventCountLimit;
  const max = q.maxEventCount;
  if (limit !== undefined && max !== undefined) {
    reportRule(
      c,
      '/eventCountLimit',
      'RX_EPCIS_QUERY_LIMITS_EXCLUSIVE',
      `eventCountLimit and maxEventCount are mutually exclusive`,
      'error',
    );
  }
  if (limit !== undefined && q.orderBy === undefined) {
    reportRule(
      c,
      '/eventCountLimit',
      'RX_EPCIS_QUERY_LIMIT_WITHOUT_ORDER',
      `eventCountLimit needs orderBy (it keeps the first N events in that order)`,
      'error',
    );
  }
  for (const k of ['eventCountLimit', 'maxEventCount']) {
    const v = q[k];
    if (typeof v === 'number' && v < 0)
      reportRule(c, `/${k}`, 'RX_EPCIS_QUERY_NEGATIVE_LIMIT', `${k} must not be negative`, 'error');
  }
  const order = q.orderBy;
  if (typeof order === 'string' && order !== 'eventTime' && order !== 'recordTime' && !isUri(order)) {
    reportRule(
      c,
      '/orderBy',
      'RX_EPCIS_QUERY_ORDER_BY',
      `orderBy ${describe(order)} is not eventTime, recordTime or an extension field (CURIE or URI)`,
      'error',
    );
  }
  for (const [ge, lt] of [
    ['GE_eventTime', 'LT_eventTime'],
    ['GE_recordTime', 'LT_recordTime'],
  ] as const) {
    const a = q[ge];
    const b = q[lt];
    if (typeof a === 'string' && typeof b === 'string' && parseDateTime(a) >= parseDateTime(b)) {
      reportRule(
        c,
        `/${lt}`,
        'RX_EPCIS_QUERY_EMPTY_TIME_RANGE',
        `${lt} is not after ${ge}: the query can match no event`,
        'warning',
      );
    }
  }
}
