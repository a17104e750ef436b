/**
 * Validation of one EPCIS 2.0 event (JSON / JSON-LD), in a single pass over its fields.
 *
 * Schema part: exactly what the official JSON Schema (`EPCIS-JSON-Schema.json`, definitions
 * `Event`, `ObjectEvent` … `AssociationEvent`, `Extended-Event` and everything they reference)
 * accepts and rejects — field types, formats, patterns, CBV enumerations, which fields each event
 * type may carry (unknown fields must be URIs/CURIEs), the "what" each type needs, ILMD only on
 * ObjectEvent ADD and TransformationEvent. Rule part: see {@link VALIDATION_RULES} in rules.ts.
 */
import { type CbvKind, cbvWords, isStandardBareWord, toBareWord } from '../cbv.ts';
import {
  describe,
  isObject,
  ptr,
  report,
  reportRule,
  type ValidationContext,
  type ValidationProblem,
} from './context.ts';
import {
  firstDuplicate,
  isHexBinary,
  isReservedCbvUri,
  isReservedGs1VocUri,
  isTimeZoneOffset,
  isUom,
  isUri,
  parseDateTime,
  timeZoneOffsetMinutes,
} from './formats.ts';

// Event kinds
const UNTYPED = -1;
const EXTENSION = 0;
const OBJECT = 1;
const AGGREGATION = 2;
const TRANSACTION = 3;
const TRANSFORMATION = 4;
const ASSOCIATION = 5;
const TYPE_NAMES = [
  '',
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];

function kindOf(type: string): number {
  switch (type) {
    case 'ObjectEvent':
      return OBJECT;
    case 'AggregationEvent':
      return AGGREGATION;
    case 'TransactionEvent':
      return TRANSACTION;
    case 'TransformationEvent':
      return TRANSFORMATION;
    case 'AssociationEvent':
      return ASSOCIATION;
    default:
      return EXTENSION;
  }
}

// Type-specific fields, as bits.
const F_ACTION = 1 << 0;
const F_EPC_LIST = 1 << 1;
const F_QUANTITY_LIST = 1 << 2;
const F_PARENT_ID = 1 << 3;
const F_CHILD_EPCS = 1 << 4;
const F_CHILD_QUANTITY_LIST = 1 << 5;
const F_INPUT_EPC_LIST = 1 << 6;
const F_INPUT_QUANTITY_LIST = 1 << 7;
const F_OUTPUT_EPC_LIST = 1 << 8;
const F_OUTPUT_QUANTITY_LIST = 1 << 9;
const F_TRANSFORMATION_ID = 1 << 10;
const F_BIZ_STEP = 1 << 11;
const F_DISPOSITION = 1 << 12;
const F_PERSISTENT_DISPOSITION = 1 << 13;
const F_READ_POINT = 1 << 14;
const F_BIZ_LOCATION = 1 << 15;
const F_BIZ_TRANSACTION_LIST = 1 << 16;
const F_SOURCE_LIST = 1 << 17;
const F_DESTINATION_LIST = 1 << 18;
const F_SENSOR_ELEMENT_LIST = 1 << 19;
const F_ILMD = 1 << 20;
// Common fields (presence only).
const F_EVENT_TIME = 1 << 21;
const F_OFFSET = 1 << 22;
const F_CONTEXT = 1 << 23;
const F_ERROR_DECLARATION = 1 << 24;

const CONTEXT_FIELDS =
  F_BIZ_STEP |
  F_DISPOSITION |
  F_READ_POINT |
  F_BIZ_LOCATION |
  F_BIZ_TRANSACTION_LIST |
  F_SOURCE_LIST |
  F_DESTINATION_LIST |
  F_SENSOR_ELEMENT_LIST;
const ALLOWED = [
  0,
  CONTEXT_FIELDS | F_ACTION | F_EPC_LIST | F_QUANTITY_LIST | F_PERSISTENT_DISPOSITION | F_ILMD,
  CONTEXT_FIELDS | F_ACTION | F_PARENT_ID | F_CHILD_EPCS | F_CHILD_QUANTITY_LIST,
  CONTEXT_FIELDS | F_ACTION | F_PARENT_ID | F_EPC_LIST | F_QUANTITY_LIST,
  CONTEXT_FIELDS |
    F_INPUT_EPC_LIST |
    F_INPUT_QUANTITY_LIST |
    F_OUTPUT_EPC_LIST |
    F_OUTPUT_QUANTITY_LIST |
    F_TRANSFORMATION_ID |
    F_PERSISTENT_DISPOSITION |
    F_ILMD,
  CONTEXT_FIELDS | F_ACTION | F_PARENT_ID | F_CHILD_EPCS | F_CHILD_QUANTITY_LIST,
];

// List states: length ≥ 0, or absent / present but not an array (already reported).
const ABSENT = -1;
const NOT_ARRAY = -2;
/** A list that satisfies a "non-empty list" branch, or whose wrong type is reported already. */
function filled(len: number): boolean {
  return len > 0 || len === NOT_ARRAY;
}

/**
 * Validates one event of a document (`pointer` is its JSON pointer, e.g.
 * `/epcisBody/eventList/3`) in the context of that document (namespaces, eventIDs seen before).
 * Returns the problems of this event; an empty array when there are none. Use it when reading a
 * document as a stream, after {@link validateDocumentHeader}.
 */
export function validateEvent(
  event: unknown,
  pointer: string,
  ctx: ValidationContext,
): readonly ValidationProblem[] {
  const saved = ctx.sink;
  ctx.sink = null;
  checkEvent(event, pointer, ctx, false);
  const out = ctx.sink ?? NONE;
  ctx.sink = saved;
  return out;
}
const NONE: readonly ValidationProblem[] = Object.freeze([]);

/**
 * @internal Validates an event, recording into `c.sink`. `bare`: a top-level event (`POST /events`),
 * which must carry its own `@context`.
 */
export function checkEvent(ev: unknown, p: string, c: ValidationContext, bare: boolean): void {
  c.eventIndex = bare ? -1 : c.events;
  c.events++;
  try {
    checkEventBody(ev, p, c, bare);
  } finally {
    c.eventIndex = -1;
    c.eventContext = undefined;
  }
}

function an(name: string): string {
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

function checkEventBody(value: unknown, p: string, c: ValidationContext, bare: boolean): void {
  if (!isObject(value)) {
    report(c, p, 'type', `an event must be a JSON object, not ${describe(value)}`);
    return;
  }
  const ev = value;
  const type = ev.type;
  let kind = UNTYPED;
  if (type === undefined) {
    report(
      c,
      p,
      'required',
      `the event has no 'type' (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent, or an extension event type URI)`,
    );
  } else if (typeof type !== 'string') {
    report(c, ptr(p, 'type'), 'type', `event 'type' must be a string, not ${describe(type)}`);
  } else {
    kind = kindOf(type);
    if (kind === EXTENSION && !isUri(type)) {
      report(
        c,
        ptr(p, 'type'),
        'format',
        `event type ${describe(type)} is not a standard EPCIS event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent) and not a URI; extension event types must be URIs`,
      );
    }
  }
  c.eventContext = ev['@context'];
  const allowed = kind > 0 ? ALLOWED[kind]! : 0;
  const typeName = kind > 0 ? TYPE_NAMES[kind]! : '';

  let seen = 0;
  let eventMs = Number.NaN;
  let action: unknown;
  let actionOk = false;
  let eventID: string | undefined;
  let quantityLen = ABSENT;
  let childEpcsLen = ABSENT;
  let childQuantityLen = ABSENT;
  let inEpcLen = ABSENT;
  let inQuantityLen = ABSENT;
  let outEpcLen = ABSENT;
  let outQuantityLen = ABSENT;
  let sensorLen = ABSENT;

  for (const k in ev) {
    const v = ev[k];
    switch (k) {
      case 'type':
        continue;
      case '@context':
        seen |= F_CONTEXT;
        checkContext(v, p, c);
        continue;
      case 'eventTime':
        seen |= F_EVENT_TIME;
        eventMs = checkTime(v, p, k, c);
        continue;
      case 'recordTime':
        checkTime(v, p, k, c);
        continue;
      case 'eventTimeZoneOffset':
        seen |= F_OFFSET;
        checkOffset(v, p, c);
        continue;
      case 'eventID':
        if (checkUri(v, p, k, c)) eventID = v as string;
        continue;
      case 'certificationInfo':
        checkCertificationInfo(v, p, c);
        continue;
      case 'errorDeclaration':
        seen |= F_ERROR_DECLARATION;
        checkErrorDeclaration(v, ptr(p, k), c);
        continue;
    }
    if (kind <= EXTENSION) {
      // Extension event types (and events without a usable type) are checked on the common fields only.
      if (kind === EXTENSION) isExtensionKey(k, p, c);
      continue;
    }
    let bit = 0;
    switch (k) {
      case 'action':
        bit = F_ACTION;
        if (allowed & bit) {
          action = v;
          actionOk = checkAction(v, p, c);
        }
        break;
      case 'epcList':
        bit = F_EPC_LIST;
        if (allowed & bit) checkEpcList(v, p, k, c, kind === OBJECT ? UNIQUE_ERROR : UNIQUE_WARN);
        break;
      case 'quantityList':
        bit = F_QUANTITY_LIST;
        if (allowed & bit) quantityLen = checkQuantityList(v, p, k, c);
        break;
      case 'parentID':
        bit = F_PARENT_ID;
        if (allowed & bit) checkUri(v, p, k, c);
        break;
      case 'childEPCs':
        bit = F_CHILD_EPCS;
        if (allowed & bit) childEpcsLen = checkEpcList(v, p, k, c, UNIQUE_WARN);
        break;
      case 'childQuantityList':
        bit = F_CHILD_QUANTITY_LIST;
        if (allowed & bit) childQuantityLen = checkQuantityList(v, p, k, c);
        break;
      case 'inputEPCList':
        bit = F_INPUT_EPC_LIST;
        if (allowed & bit) inEpcLen = checkEpcList(v, p, k, c, UNIQUE_ERROR);
        break;
      case 'inputQuantityList':
        bit = F_INPUT_QUANTITY_LIST;
        if (allowed & bit) inQuantityLen = checkQuantityList(v, p, k, c);
        break;
      case 'outputEPCList':
        bit = F_OUTPUT_EPC_LIST;
        if (allowed & bit) outEpcLen = checkEpcList(v, p, k, c, UNIQUE_ERROR);
        break;
      case 'outputQuantityList':
        bit = F_OUTPUT_QUANTITY_LIST;
        if (allowed & bit) outQuantityLen = checkQuantityList(v, p, k, c);
        break;
      case 'transformationID':
        bit = F_TRANSFORMATION_ID;
        if (allowed & bit) checkUri(v, p, k, c);
        break;
      case 'bizStep':
        bit = F_BIZ_STEP;
        if (typeof v !== 'string' || !BIZ_STEPS.has(v)) checkVocabulary(v, p, k, c, 'bizStep');
        break;
      case 'disposition':
        bit = F_DISPOSITION;
        if (typeof v !== 'string' || !DISPOSITIONS.has(v)) checkVocabulary(v, p, k, c, 'disposition');
        break;
      case 'persistentDisposition':
        bit = F_PERSISTENT_DISPOSITION;
        if (allowed & bit) checkPersistentDisposition(v, ptr(p, k), c);
        break;
      case 'readPoint':
      case 'bizLocation':
        bit = k === 'readPoint' ? F_READ_POINT : F_BIZ_LOCATION;
        checkIdObject(v, p, k, c);
        break;
      case 'bizTransactionList':
        bit = F_BIZ_TRANSACTION_LIST;
        checkBizTransactionList(v, p, c, kind === TRANSACTION);
        break;
      case 'sourceList':
        bit = F_SOURCE_LIST;
        checkSourceDestList(v, p, k, 'source', c);
        break;
      case 'destinationList':
        bit = F_DESTINATION_LIST;
        checkSourceDestList(v, p, k, 'destination', c);
        break;
      case 'sensorElementList':
        bit = F_SENSOR_ELEMENT_LIST;
        sensorLen = checkSensorElementList(v, ptr(p, k), c);
        break;
      case 'ilmd':
        bit = F_ILMD;
        if (allowed & bit) checkIlmd(v, p, c);
        break;
      default:
        if (!isExtensionKey(k, p, c))
          report(
            c,
            p,
            'propertyNames',
            `'${k}' is not a field of ${typeName}; extension fields must be namespaced: a CURIE whose prefix is declared in @context (e.g. 'example:${k}') or a full URI`,
          );
        continue;
    }
    seen |= bit;
    if ((allowed & bit) === 0) notAllowed(k, kind, p, c);
  }

  // Required fields.
  if (!(seen & F_EVENT_TIME)) report(c, p, 'required', `the event has no 'eventTime'`);
  if (!(seen & F_OFFSET)) report(c, p, 'required', `the event has no 'eventTimeZoneOffset'`);
  if (bare && !(seen & F_CONTEXT))
    report(c, p, 'required', `a bare event (POST /events) must carry its own '@context'`);
  if (kind <= EXTENSION) {
    checkEventID(eventID, seen, p, c);
    return;
  }
  if (allowed & F_ACTION && !(seen & F_ACTION))
    report(c, p, 'required', `${an(typeName)} needs 'action' (ADD, OBSERVE or DELETE)`);
  if (kind === ASSOCIATION && !(seen & F_PARENT_ID))
    report(
      c,
      p,
      'required',
      `an AssociationEvent needs 'parentID' (the asset, location or device the children are associated with)`,
    );
  if (kind === TRANSACTION && !(seen & F_BIZ_TRANSACTION_LIST))
    report(
      c,
      p,
      'required',
      `a TransactionEvent needs 'bizTransactionList' (at least one business transaction)`,
    );

  // What the event is about (the schema's anyOf per type).
  const isDelete = actionOk && action === 'DELETE';
  switch (kind) {
    case OBJECT:
      if (!(seen & F_EPC_LIST) && !filled(quantityLen) && !(filled(sensorLen) && seen & F_READ_POINT)) {
        report(
          c,
          p,
          'anyOf',
          `an ObjectEvent needs 'epcList', a non-empty 'quantityList', or a non-empty 'sensorElementList' together with 'readPoint'`,
        );
      }
      if (seen & F_ILMD && actionOk && action !== 'ADD') {
        report(
          c,
          ptr(p, 'ilmd'),
          'anyOf',
          `ilmd (instance/lot master data) is only allowed when the ObjectEvent's action is ADD, not ${action as string}`,
        );
      }
      break;
    case AGGREGATION:
    case ASSOCIATION:
      if (actionOk && !isDelete && !filled(childEpcsLen) && !filled(childQuantityLen)) {
        report(
          c,
          p,
          'anyOf',
          `${an(typeName)} with action ${action as string} needs a non-empty 'childEPCs' or 'childQuantityList' (only a DELETE may omit them, meaning all children)`,
        );
      }
      if (kind === AGGREGATION && c.rules && actionOk && action !== 'OBSERVE' && !(seen & F_PARENT_ID)) {
        reportRule(
          c,
          p,
          'RX_EPCIS_PARENT_ID_REQUIRED',
          `an AggregationEvent with action ${action as string} needs 'parentID' (it is optional only for OBSERVE)`,
          'error',
        );
      }
      if (c.rules && seen & F_PARENT_ID && childEpcsLen > 0)
        checkParentNotChild(ev.parentID, ev.childEPCs as unknown[], p, c);
      break;
    case TRANSACTION:
      if (actionOk && !isDelete && !(seen & F_EPC_LIST) && !filled(quantityLen)) {
        report(
          c,
          p,
          'anyOf',
          `a TransactionEvent with action ${action as string} needs 'epcList' or a non-empty 'quantityList' (only a DELETE may omit them)`,
        );
      }
      break;
    case TRANSFORMATION: {
      const input = filled(inEpcLen) || filled(inQuantityLen);
      const output = filled(outEpcLen) || filled(outQuantityLen);
      if (!(input && output) && !((input || output) && seen & F_TRANSFORMATION_ID)) {
        report(
          c,
          p,
          'anyOf',
          input || output
            ? `a TransformationEvent with only ${input ? 'inputs' : 'outputs'} needs 'transformationID' (to tie it to the other events of the same transformation)`
            : `a TransformationEvent needs a non-empty input list (inputEPCList / inputQuantityList) or output list (outputEPCList / outputQuantityList)`,
        );
      }
      break;
    }
  }
  checkEventID(eventID, seen, p, c);
  if (c.rules && sensorLen > 0 && !Number.isNaN(eventMs))
    checkSensorTimes(ev.sensorElementList as unknown[], eventMs, ptr(p, 'sensorElementList'), c);
}

function notAllowed(k: string, kind: number, p: string, c: ValidationContext): void {
  const typeName = TYPE_NAMES[kind]!;
  let why = '';
  if (k === 'ilmd') why = ' (ilmd is only allowed on ObjectEvent with action ADD and on TransformationEvent)';
  else if (k === 'persistentDisposition')
    why =
      ' (in the EPCIS 2.0 JSON Schema only ObjectEvent and TransformationEvent carry persistentDisposition)';
  else if (k === 'action') why = ' (a TransformationEvent has no action)';
  else {
    const owners = TYPE_NAMES.filter((_, i) => i > 0 && ALLOWED[i]! & fieldBit(k));
    if (owners.length) why = ` (it belongs to ${owners.join(', ')})`;
  }
  report(c, p, 'propertyNames', `'${k}' is not a field of ${typeName}${why}`);
}

function fieldBit(k: string): number {
  const i = FIELD_NAMES.indexOf(k);
  return i < 0 ? 0 : 1 << i;
}
const FIELD_NAMES = [
  'action',
  'epcList',
  'quantityList',
  'parentID',
  'childEPCs',
  'childQuantityList',
  'inputEPCList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'transformationID',
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

// ---------------------------------------------------------------------------------------------
// Common fields

/** Checks a `time` field; returns its instant (ms) or NaN. */
function checkTime(v: unknown, p: string, k: string, c: ValidationContext): number {
  if (typeof v !== 'string') {
    report(c, ptr(p, k), 'type', `${k} must be a date-time string, not ${describe(v)}`);
    return Number.NaN;
  }
  const t = parseDateTime(v);
  if (Number.isNaN(t)) {
    report(
      c,
      ptr(p, k),
      'format',
      `${k} ${describe(v)} is not a date-time with a time-zone offset (RFC 3339, e.g. 2026-07-22T06:45:00.000+02:00)`,
    );
  }
  return t;
}

function checkOffset(v: unknown, p: string, c: ValidationContext): void {
  if (typeof v !== 'string') {
    report(
      c,
      ptr(p, 'eventTimeZoneOffset'),
      'type',
      `eventTimeZoneOffset must be a string such as '+02:00', not ${describe(v)}`,
    );
  } else if (!isTimeZoneOffset(v)) {
    report(
      c,
      ptr(p, 'eventTimeZoneOffset'),
      'pattern',
      `eventTimeZoneOffset ${describe(v)} is not an offset of the form ±hh:mm between -14:00 and +14:00`,
    );
  } else if (c.rules && timeZoneOffsetMinutes(v) < -720) {
    reportRule(
      c,
      ptr(p, 'eventTimeZoneOffset'),
      'RX_EPCIS_OFFSET_OUT_OF_RANGE',
      `eventTimeZoneOffset ${v} is west of -12:00, which no time zone uses`,
      'warning',
    );
  }
}

/** A string in `format: uri`; returns whether it is one. */
function checkUri(v: unknown, p: string, k: string | number, c: ValidationContext, what?: string): boolean {
  if (typeof v === 'string' && isUri(v)) return true;
  const label = what ?? String(k);
  if (typeof v !== 'string')
    report(c, ptr(p, k), 'type', `${label} must be a URI string, not ${describe(v)}`);
  else
    report(
      c,
      ptr(p, k),
      'format',
      `${label} ${describe(v)} is not a URI (an absolute URI with a scheme, e.g. urn:epc:id:sgtin:… or https://id.gs1.org/…)`,
    );
  return false;
}

function checkAction(v: unknown, p: string, c: ValidationContext): boolean {
  if (v === 'ADD' || v === 'OBSERVE' || v === 'DELETE') return true;
  if (typeof v !== 'string')
    report(c, ptr(p, 'action'), 'type', `action must be one of ADD, OBSERVE, DELETE, not ${describe(v)}`);
  else report(c, ptr(p, 'action'), 'enum', `action ${describe(v)} is not one of ADD, OBSERVE, DELETE`);
  return false;
}

function checkCertificationInfo(v: unknown, p: string, c: ValidationContext): void {
  const q = ptr(p, 'certificationInfo');
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkUri(v[i], q, i, c, 'a certificationInfo entry');
  } else if (typeof v === 'string') {
    if (!isUri(v)) report(c, q, 'format', `certificationInfo ${describe(v)} is not a URI`);
  } else {
    report(c, q, 'type', `certificationInfo must be a URI or an array of URIs, not ${describe(v)}`);
  }
}

/** `@context`: a URI, an object, or an array of distinct URIs and objects. */
export function checkContext(v: unknown, p: string, c: ValidationContext): void {
  const q = ptr(p, '@context');
  if (typeof v === 'string') {
    if (!isUri(v)) report(c, q, 'format', `@context ${describe(v)} is not a URI`);
    return;
  }
  if (isObject(v)) return;
  if (!Array.isArray(v)) {
    report(c, q, 'type', `@context must be a URI, an object or an array of them, not ${describe(v)}`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (typeof e === 'string') {
      if (!isUri(e)) report(c, ptr(q, i), 'format', `@context entry ${describe(e)} is not a URI`);
    } else if (!isObject(e)) {
      report(c, ptr(q, i), 'type', `an @context entry must be a URI or an object, not ${describe(e)}`);
    }
  }
  const d = firstDuplicate(v);
  if (d) report(c, q, 'uniqueItems', `@context lists the same entry twice (items ${d[0]} and ${d[1]})`);
}

function checkErrorDeclaration(v: unknown, q: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(c, q, 'type', `errorDeclaration must be an object, not ${describe(v)}`);
    return;
  }
  let hasTime = false;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'declarationTime':
        hasTime = true;
        checkTime(x, q, k, c);
        break;
      case 'reason':
        checkVocabulary(x, q, k, c, 'errorReason');
        break;
      case 'correctiveEventIDs':
        if (!Array.isArray(x))
          report(c, ptr(q, k), 'type', `correctiveEventIDs must be an array of eventIDs, not ${describe(x)}`);
        else for (let i = 0; i < x.length; i++) checkUri(x[i], ptr(q, k), i, c, 'a corrective eventID');
        break;
      default:
        extensionKey(k, q, 'errorDeclaration', c);
    }
  }
  if (!hasTime) report(c, q, 'required', `errorDeclaration needs 'declarationTime'`);
}

/** A key outside the standard ones where only extensions (URIs / CURIEs) are allowed. */
function extensionKey(k: string, q: string, where: string, c: ValidationContext): void {
  if (!isExtensionKey(k, q, c))
    report(
      c,
      q,
      'propertyNames',
      `'${k}' is not a field of ${where}; extension fields must be namespaced (a CURIE with a declared prefix, or a URI)`,
    );
}

/**
 * Whether `k` is a URI / CURIE usable as an extension field name; checks rule
 * RX_EPCIS_UNDECLARED_PREFIX on it. Keys are cached per document (they repeat from event to event).
 */
function isExtensionKey(k: string, q: string, c: ValidationContext, sub?: string): boolean {
  if (c.declaredKeys.has(k)) return true;
  if (!isUri(k)) return false;
  checkPrefix(k, q, c, sub);
  return true;
}

/**
 * Rule RX_EPCIS_UNDECLARED_PREFIX: an extension CURIE whose prefix no @context in scope declares.
 * `q` (+ `sub`) is the pointer of the object holding the key. Keys found fine are cached in the
 * context while no event-level @context is in play.
 */
function checkPrefix(k: string, q: string, c: ValidationContext, sub?: string): void {
  const ec = c.eventContext;
  if (!c.rules || !c.warnings || c.prefixes === null) {
    if (ec === undefined) c.declaredKeys.add(k);
    return;
  }
  if (ec === undefined && c.declaredKeys.has(k)) return;
  const colon = k.indexOf(':');
  const prefix = k.slice(0, colon);
  if (c.prefixes.has(prefix) || URI_SCHEMES.has(prefix.toLowerCase()) || k.startsWith('//', colon + 1)) {
    if (ec === undefined) c.declaredKeys.add(k);
    return;
  }
  if (ec !== undefined && contextDeclares(ec, prefix)) return;
  const at = sub === undefined ? ptr(q, k) : ptr(ptr(q, sub), k);
  reportRule(
    c,
    at,
    'RX_EPCIS_UNDECLARED_PREFIX',
    `extension field '${k}': prefix '${prefix}' is not declared in @context, so the field has no namespace`,
    'warning',
  );
}
const URI_SCHEMES = new Set([
  'urn',
  'http',
  'https',
  'tag',
  'mailto',
  'geo',
  'did',
  'uuid',
  'ni',
  'dns',
  'file',
  'ftp',
  'data',
  'oid',
]);

function contextDeclares(ctx: unknown, prefix: string): boolean {
  if (Array.isArray(ctx)) return ctx.some((e) => isObject(e) && Object.hasOwn(e, prefix));
  if (typeof ctx === 'string') return true; // an event-level context URL: cannot see into it
  return isObject(ctx) && Object.hasOwn(ctx, prefix);
}

function checkEventID(eventID: string | undefined, seen: number, p: string, c: ValidationContext): void {
  if (eventID === undefined || c.eventIndex < 0 || !c.trackEventIDs) return;
  const declaration = (seen & F_ERROR_DECLARATION) !== 0;
  const before = c.eventIDs.get(eventID);
  if (before === undefined) {
    c.eventIDs.set(eventID, declaration);
    return;
  }
  if (!before && !declaration && c.rules) {
    reportRule(
      c,
      ptr(p, 'eventID'),
      'RX_EPCIS_DUPLICATE_EVENT_ID',
      `eventID '${eventID}' was already used by an earlier event of this document (only an error declaration may repeat the eventID of the event it corrects)`,
      'warning',
    );
  }
  if (declaration && !before) c.eventIDs.set(eventID, true);
}

// ---------------------------------------------------------------------------------------------
// What

const UNIQUE_ERROR = 1;
const UNIQUE_WARN = 2;

/** An array of URIs; returns its length, or NOT_ARRAY. */
function checkEpcList(v: unknown, p: string, k: string, c: ValidationContext, unique: number): number {
  if (!Array.isArray(v)) {
    report(c, ptr(p, k), 'type', `${k} must be an array of EPC URIs / Digital Link URIs, not ${describe(v)}`);
    return NOT_ARRAY;
  }
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const e = v[i];
    if (typeof e !== 'string' || !isUri(e)) checkUri(e, ptr(p, k), i, c, `${k} entry`);
  }
  if (n > 1) {
    const d = firstDuplicate(v);
    if (d) {
      const msg = `${k} lists ${describe(v[d[1]])} twice (items ${d[0]} and ${d[1]})`;
      if (unique === UNIQUE_ERROR)
        report(c, ptr(p, k), 'uniqueItems', `${msg}; the identifiers of a list must be distinct`);
      else
        reportRule(
          c,
          ptr(ptr(p, k), d[1]),
          'RX_EPCIS_DUPLICATE_EPC',
          `${msg}; an object is either in the list or not`,
          'warning',
        );
    }
  }
  return n;
}

function checkQuantityList(v: unknown, p: string, k: string, c: ValidationContext): number {
  if (!Array.isArray(v)) {
    report(c, ptr(p, k), 'type', `${k} must be an array of quantity elements, not ${describe(v)}`);
    return NOT_ARRAY;
  }
  const n = v.length;
  for (let i = 0; i < n; i++) checkQuantityElement(v[i], p, k, i, c);
  if (c.rules && n > 1) {
    const classes: unknown[] = new Array(n);
    for (let i = 0; i < n; i++)
      classes[i] = isObject(v[i]) ? (v[i] as Record<string, unknown>).epcClass : undefined;
    const d = firstDuplicate(classes);
    if (d && typeof classes[d[1]] === 'string') {
      reportRule(
        c,
        ptr(ptr(p, k), d[1]),
        'RX_EPCIS_DUPLICATE_EPC_CLASS',
        `${k} has two elements for epcClass ${describe(classes[d[1]])} (items ${d[0]} and ${d[1]}); give one quantity per class`,
        'warning',
      );
    }
  }
  return n;
}

function checkQuantityElement(q: unknown, p: string, k: string, i: number, c: ValidationContext): void {
  if (!isObject(q)) {
    report(
      c,
      ptr(ptr(p, k), i),
      'type',
      `a ${k} element must be an object {epcClass, quantity?, uom?}, not ${describe(q)}`,
    );
    return;
  }
  let hasClass = false;
  let quantity: unknown;
  let uom: unknown;
  for (const f in q) {
    const x = q[f];
    switch (f) {
      case 'epcClass':
        hasClass = true;
        if (typeof x !== 'string' || !isUri(x)) checkUri(x, ptr(ptr(p, k), i), f, c);
        break;
      case 'quantity':
        quantity = x;
        if (typeof x !== 'number')
          report(c, ptr(ptr(ptr(p, k), i), f), 'type', `quantity must be a number, not ${describe(x)}`);
        break;
      case 'uom':
        uom = x;
        if (typeof x !== 'string')
          report(
            c,
            ptr(ptr(ptr(p, k), i), f),
            'type',
            `uom must be a string (a UN/CEFACT Rec. 20 code), not ${describe(x)}`,
          );
        else if (!isUom(x))
          report(
            c,
            ptr(ptr(ptr(p, k), i), f),
            'pattern',
            `uom ${describe(x)} is not a UN/CEFACT Rec. 20 unit code (2–3 upper-case letters or digits, e.g. KGM)`,
          );
        break;
      default:
        report(
          c,
          ptr(ptr(p, k), i),
          'additionalProperties',
          `a quantity element has only epcClass, quantity and uom; '${f}' is not allowed`,
        );
    }
  }
  if (!hasClass) report(c, ptr(ptr(p, k), i), 'required', `a quantity element needs 'epcClass'`);
  if (!c.rules) return;
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity))
      reportRule(
        c,
        ptr(ptr(ptr(p, k), i), 'quantity'),
        'RX_EPCIS_NUMBER_NOT_FINITE',
        `quantity is out of range (the number does not fit a double)`,
        'error',
      );
    else if (quantity < 0)
      reportRule(
        c,
        ptr(ptr(ptr(p, k), i), 'quantity'),
        'RX_EPCIS_NEGATIVE_QUANTITY',
        `quantity ${quantity} is negative`,
        'warning',
      );
  }
  if (uom !== undefined && quantity === undefined) {
    reportRule(
      c,
      ptr(ptr(p, k), i),
      'RX_EPCIS_UOM_WITHOUT_QUANTITY',
      `a quantity element has a uom but no quantity; uom qualifies the quantity and must be left out with it`,
      'warning',
    );
  }
}

function checkParentNotChild(parent: unknown, children: unknown[], p: string, c: ValidationContext): void {
  if (typeof parent !== 'string') return;
  const i = children.indexOf(parent);
  if (i >= 0)
    reportRule(
      c,
      ptr(ptr(p, 'childEPCs'), i),
      'RX_EPCIS_PARENT_IS_CHILD',
      `parentID ${describe(parent)} is also listed as a child`,
      'warning',
    );
}

// ---------------------------------------------------------------------------------------------
// Why / where

const VOCABULARY_LABEL: Record<CbvKind, string> = {
  bizStep: 'CBV business step',
  disposition: 'CBV disposition',
  bizTransactionType: 'CBV business transaction type',
  sourceDestType: 'CBV source/destination type',
  errorReason: 'CBV error reason',
  sensorComponent: 'CBV sensor component',
  measurementType: 'GS1 measurement type',
  sensorAlertType: 'GS1 sensor alert type',
};

/**
 * A CBV-controlled value: a standard bare word, or a custom URI outside the reserved CBV / GS1
 * Web Vocabulary namespaces (the schema's anyOf of an enum and `vocab-other-uri` /
 * `vocab-nonGS1WebVoc-uri`).
 */
const BTT = new Set(cbvWords('bizTransactionType'));
const SDT = new Set(cbvWords('sourceDestType'));
const BIZ_STEPS = new Set(cbvWords('bizStep'));
const DISPOSITIONS = new Set(cbvWords('disposition'));

function checkVocabulary(
  v: unknown,
  p: string,
  k: string,
  c: ValidationContext,
  kind: CbvKind,
  name = k,
): void {
  if (typeof v === 'string') {
    if (isStandardBareWord(kind, v)) return;
    const gs1Voc = kind === 'measurementType' || kind === 'sensorAlertType';
    const reserved = gs1Voc ? isReservedGs1VocUri(v) : isReservedCbvUri(v);
    if (!reserved && isUri(v)) return;
    const label = VOCABULARY_LABEL[kind];
    let msg: string;
    const word = toBareWord(kind, v);
    if (reserved && word)
      msg = `${name} ${describe(v)}: in JSON a standard value is written as its bare word — use '${word}'`;
    else if (reserved)
      msg = `${name} ${describe(v)} is in the namespace reserved for standard values but is not a standard ${label}`;
    else {
      const near = nearWord(kind, v);
      msg = `${name} ${describe(v)} is not a standard ${label} and not a URI (custom values must be URIs)${near ? `; did you mean '${near}'?` : ''}`;
    }
    report(c, ptr(p, k), 'anyOf', msg);
    return;
  }
  report(
    c,
    ptr(p, k),
    'type',
    `${name} must be a string (a ${VOCABULARY_LABEL[kind]} or a URI), not ${describe(v)}`,
  );
}

function nearWord(kind: CbvKind, v: string): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const n = norm(v);
  return cbvWords(kind).find((w) => norm(w) === n);
}

function checkPersistentDisposition(v: unknown, q: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(c, q, 'type', `persistentDisposition must be an object {set?, unset?}, not ${describe(v)}`);
    return;
  }
  let any = false;
  for (const k in v) {
    const x = v[k];
    if (k !== 'set' && k !== 'unset') {
      report(
        c,
        q,
        'additionalProperties',
        `persistentDisposition has only 'set' and 'unset'; '${k}' is not allowed`,
      );
      continue;
    }
    any = true;
    if (!Array.isArray(x)) {
      report(
        c,
        ptr(q, k),
        'type',
        `persistentDisposition.${k} must be an array of dispositions, not ${describe(x)}`,
      );
      continue;
    }
    if (x.length === 0) report(c, ptr(q, k), 'minItems', `persistentDisposition.${k} must not be empty`);
    for (let i = 0; i < x.length; i++)
      checkVocabulary(x[i], ptr(q, k), String(i), c, 'disposition', `persistentDisposition.${k} entry`);
    const d = firstDuplicate(x);
    if (d) report(c, ptr(q, k), 'uniqueItems', `persistentDisposition.${k} lists ${describe(x[d[1]])} twice`);
  }
  if (!any) report(c, q, 'anyOf', `persistentDisposition needs 'set' or 'unset'`);
  else if (c.rules && Array.isArray(v.set) && Array.isArray(v.unset)) {
    const both = (v.set as unknown[]).find(
      (s) => typeof s === 'string' && (v.unset as unknown[]).includes(s),
    );
    if (both !== undefined)
      reportRule(
        c,
        q,
        'RX_EPCIS_DISPOSITION_SET_AND_UNSET',
        `persistentDisposition both sets and unsets ${describe(both)}`,
        'warning',
      );
  }
}

/** readPoint / bizLocation: `{id: URI}` plus any extension. */
function checkIdObject(v: unknown, p: string, k: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(c, ptr(p, k), 'type', `${k} must be an object {id: URI}, not ${describe(v)}`);
    return;
  }
  let hasId = false;
  for (const f in v) {
    if (f === 'id') {
      hasId = true;
      const id = v.id;
      if (typeof id !== 'string' || !isUri(id)) checkUri(id, ptr(p, k), 'id', c, `${k}.id`);
    } else if (c.rules) isExtensionKey(f, p, c, k);
  }
  if (!hasId)
    report(
      c,
      ptr(p, k),
      'required',
      `${k} needs 'id' (e.g. an SGLN: urn:epc:id:sgln:… or https://id.gs1.org/414/…)`,
    );
}

function checkBizTransactionList(v: unknown, p: string, c: ValidationContext, required: boolean): void {
  if (!Array.isArray(v)) {
    const q = ptr(p, 'bizTransactionList');
    report(
      c,
      q,
      'type',
      `bizTransactionList must be an array of {type?, bizTransaction}, not ${describe(v)}`,
    );
    return;
  }
  if (required && v.length === 0)
    report(
      c,
      ptr(p, 'bizTransactionList'),
      'minItems',
      `a TransactionEvent's bizTransactionList must not be empty`,
    );
  for (let i = 0; i < v.length; i++) {
    const b = v[i];
    if (!isObject(b)) {
      report(
        c,
        btAt(p, i),
        'type',
        `a bizTransactionList element must be an object {type?, bizTransaction}, not ${describe(b)}`,
      );
      continue;
    }
    let has = false;
    for (const f in b) {
      const x = b[f];
      if (f === 'bizTransaction') {
        has = true;
        if (typeof x !== 'string' || !isUri(x)) checkUri(x, btAt(p, i), f, c);
      } else if (f === 'type') {
        if (typeof x !== 'string' || !BTT.has(x)) checkVocabulary(x, btAt(p, i), f, c, 'bizTransactionType');
      } else
        report(
          c,
          btAt(p, i),
          'additionalProperties',
          `a bizTransactionList element has only 'type' and 'bizTransaction'; '${f}' is not allowed`,
        );
    }
    if (!has)
      report(
        c,
        btAt(p, i),
        'required',
        `a bizTransactionList element needs 'bizTransaction' (the business transaction identifier URI)`,
      );
  }
}

function btAt(p: string, i: number): string {
  return `${p}/bizTransactionList/${i}`;
}

function checkSourceDestList(v: unknown, p: string, k: string, field: string, c: ValidationContext): void {
  if (!Array.isArray(v)) {
    report(c, ptr(p, k), 'type', `${k} must be an array of {type, ${field}}, not ${describe(v)}`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const s = v[i];
    if (!isObject(s)) {
      report(
        c,
        ptr(ptr(p, k), i),
        'type',
        `a ${k} element must be an object {type, ${field}}, not ${describe(s)}`,
      );
      continue;
    }
    let hasType = false;
    let hasId = false;
    for (const f in s) {
      const x = s[f];
      if (f === field) {
        hasId = true;
        if (typeof x !== 'string' || !isUri(x)) checkUri(x, ptr(ptr(p, k), i), f, c);
      } else if (f === 'type') {
        hasType = true;
        if (typeof x !== 'string' || !SDT.has(x))
          checkVocabulary(x, ptr(ptr(p, k), i), f, c, 'sourceDestType');
      } else
        report(
          c,
          ptr(ptr(p, k), i),
          'additionalProperties',
          `a ${k} element has only 'type' and '${field}'; '${f}' is not allowed`,
        );
    }
    if (!hasType)
      report(
        c,
        ptr(ptr(p, k), i),
        'required',
        `a ${k} element needs 'type' (owning_party, possessing_party, location or a URI)`,
      );
    if (!hasId) report(c, ptr(ptr(p, k), i), 'required', `a ${k} element needs '${field}'`);
  }
}

function checkIlmd(v: unknown, p: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(
      c,
      ptr(p, 'ilmd'),
      'type',
      `ilmd must be an object of namespaced master-data fields, not ${describe(v)}`,
    );
    return;
  }
  for (const k in v) {
    if (!isExtensionKey(k, p, c, 'ilmd'))
      report(
        c,
        ptr(p, 'ilmd'),
        'propertyNames',
        `ilmd field '${k}' is not namespaced: ILMD keys must be CURIEs with a declared prefix (e.g. 'cbvmda:lotNumber', 'example:${k}') or URIs`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// How: sensor data

function checkSensorElementList(v: unknown, q: string, c: ValidationContext): number {
  if (!Array.isArray(v)) {
    report(c, q, 'type', `sensorElementList must be an array of sensor elements, not ${describe(v)}`);
    return NOT_ARRAY;
  }
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    const qe = ptr(q, i);
    if (!isObject(e)) {
      report(
        c,
        qe,
        'type',
        `a sensor element must be an object {sensorMetadata?, sensorReport}, not ${describe(e)}`,
      );
      continue;
    }
    let hasReport = false;
    for (const k in e) {
      const x = e[k];
      if (k === 'sensorReport') {
        hasReport = true;
        if (!Array.isArray(x))
          report(
            c,
            ptr(qe, k),
            'type',
            `sensorReport must be an array of sensor reports, not ${describe(x)}`,
          );
        else {
          if (x.length === 0) report(c, ptr(qe, k), 'minItems', `sensorReport must hold at least one report`);
          for (let j = 0; j < x.length; j++) checkSensorReport(x[j], ptr(ptr(qe, k), j), c);
        }
      } else if (k === 'sensorMetadata') checkSensorMetadata(x, ptr(qe, k), c);
      else extensionKey(k, qe, 'a sensor element', c);
    }
    if (!hasReport) report(c, qe, 'required', `a sensor element needs 'sensorReport' (at least one report)`);
  }
  return v.length;
}

function checkSensorMetadata(v: unknown, q: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(c, q, 'type', `sensorMetadata must be an object, not ${describe(v)}`);
    return;
  }
  let start = Number.NaN;
  let end = Number.NaN;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'time':
        checkTime(x, q, k, c);
        break;
      case 'startTime':
        start = checkTime(x, q, k, c);
        break;
      case 'endTime':
        end = checkTime(x, q, k, c);
        break;
      case 'deviceID':
      case 'deviceMetadata':
      case 'rawData':
      case 'dataProcessingMethod':
      case 'bizRules':
        checkUri(x, q, k, c);
        break;
      default:
        extensionKey(k, q, 'sensorMetadata', c);
    }
  }
  if (c.rules && start > end)
    reportRule(
      c,
      ptr(q, 'startTime'),
      'RX_EPCIS_SENSOR_PERIOD_REVERSED',
      `sensorMetadata startTime is later than endTime`,
      'error',
    );
}

function checkSensorReport(v: unknown, q: string, c: ValidationContext): void {
  if (!isObject(v)) {
    report(c, q, 'type', `a sensor report must be an object, not ${describe(v)}`);
    return;
  }
  let hasType = false;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'type':
        hasType = true;
        checkVocabulary(x, q, k, c, 'measurementType');
        break;
      case 'exception':
        checkVocabulary(x, q, k, c, 'sensorAlertType');
        break;
      case 'component':
        checkVocabulary(x, q, k, c, 'sensorComponent');
        break;
      case 'deviceID':
      case 'deviceMetadata':
      case 'rawData':
      case 'dataProcessingMethod':
      case 'bizRules':
      case 'microorganism':
      case 'chemicalSubstance':
      case 'coordinateReferenceSystem':
      case 'uriValue':
        checkUri(x, q, k, c);
        break;
      case 'time':
        checkTime(x, q, k, c);
        break;
      case 'value':
      case 'minValue':
      case 'maxValue':
      case 'meanValue':
      case 'sDev':
      case 'percRank':
      case 'percValue':
        if (typeof x !== 'number') report(c, ptr(q, k), 'type', `${k} must be a number, not ${describe(x)}`);
        else if (c.rules && !Number.isFinite(x))
          reportRule(
            c,
            ptr(q, k),
            'RX_EPCIS_NUMBER_NOT_FINITE',
            `${k} is out of range (the number does not fit a double)`,
            'error',
          );
        break;
      case 'stringValue':
      case 'uom':
        if (typeof x !== 'string') report(c, ptr(q, k), 'type', `${k} must be a string, not ${describe(x)}`);
        break;
      case 'booleanValue':
        if (typeof x !== 'boolean')
          report(c, ptr(q, k), 'type', `booleanValue must be true or false, not ${describe(x)}`);
        break;
      case 'hexBinaryValue':
        if (typeof x !== 'string')
          report(
            c,
            ptr(q, k),
            'type',
            `hexBinaryValue must be a string of hexadecimal digits, not ${describe(x)}`,
          );
        else if (!isHexBinary(x))
          report(
            c,
            ptr(q, k),
            'pattern',
            `hexBinaryValue ${describe(x)} is not hexadecimal (digits 0-9, A-F)`,
          );
        else if (c.rules && x.length % 2 === 1)
          reportRule(
            c,
            ptr(q, k),
            'RX_EPCIS_HEX_BINARY_ODD',
            `hexBinaryValue has an odd number of digits; hexBinary encodes whole octets (the XML binding's schema rejects it)`,
            'error',
          );
        break;
      default:
        extensionKey(k, q, 'a sensor report', c);
    }
  }
  if (!hasType)
    report(
      c,
      q,
      'required',
      `a sensor report needs 'type' (a measurement type such as Temperature, or a URI)`,
    );
  if (!c.rules) return;
  const min = v.minValue;
  const max = v.maxValue;
  const mean = v.meanValue;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    reportRule(
      c,
      ptr(q, 'minValue'),
      'RX_EPCIS_SENSOR_RANGE_REVERSED',
      `minValue ${min} is greater than maxValue ${max}`,
      'warning',
    );
  } else if (
    typeof mean === 'number' &&
    ((typeof min === 'number' && mean < min) || (typeof max === 'number' && mean > max))
  ) {
    reportRule(
      c,
      ptr(q, 'meanValue'),
      'RX_EPCIS_SENSOR_RANGE_REVERSED',
      `meanValue ${mean} lies outside [minValue, maxValue]`,
      'warning',
    );
  }
  const rank = v.percRank;
  if (typeof rank === 'number' && (rank < 0 || rank > 100)) {
    reportRule(
      c,
      ptr(q, 'percRank'),
      'RX_EPCIS_PERC_RANK_RANGE',
      `percRank ${rank} is not a percentile rank between 0 and 100`,
      'warning',
    );
  }
}

/** Rule RX_EPCIS_SENSOR_TIME_AFTER_EVENT: sensor times should not be later than eventTime. */
function checkSensorTimes(list: unknown[], eventMs: number, q: string, c: ValidationContext): void {
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!isObject(e)) continue;
    const md = e.sensorMetadata;
    if (isObject(md)) {
      for (const k of ['time', 'startTime', 'endTime']) {
        const t = md[k];
        if (typeof t === 'string' && parseDateTime(t) > eventMs) {
          reportRule(
            c,
            ptr(ptr(ptr(q, i), 'sensorMetadata'), k),
            'RX_EPCIS_SENSOR_TIME_AFTER_EVENT',
            `sensorMetadata.${k} ${t} is later than the event's eventTime; sensor data should be reported at or after the time it was recorded`,
            'warning',
          );
        }
      }
    }
    const reports = e.sensorReport;
    if (!Array.isArray(reports)) continue;
    for (let j = 0; j < reports.length; j++) {
      const r = reports[j];
      const t = isObject(r) ? r.time : undefined;
      if (typeof t === 'string' && parseDateTime(t) > eventMs) {
        reportRule(
          c,
          ptr(ptr(ptr(ptr(q, i), 'sensorReport'), j), 'time'),
          'RX_EPCIS_SENSOR_TIME_AFTER_EVENT',
          `sensorReport.time ${t} is later than the event's eventTime`,
          'warning',
        );
      }
    }
  }
}

/** @internal helpers shared with the document validator. */
export { checkTime, checkUri, extensionKey };
