/**
 * Validation of whole EPCIS 2.0 JSON / JSON-LD values: EPCISDocument, EPCISQueryDocument and bare
 * events (dispatch on the top-level `type`, as the official JSON Schema does), and of a document's
 * header alone for streaming (the events then go one by one through {@link validateEvent}).
 */
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
  type ValidationProblem,
  type ValidationReport,
} from './context.ts';
import { checkContext, checkEvent, checkTime, checkUri, extensionKey } from './event.ts';
import { isVersion } from './formats.ts';

const EVENT_LIST = '/epcisBody/eventList';
const QUERY_EVENT_LIST = '/epcisBody/queryResults/resultsBody/eventList';

/**
 * Validates any EPCIS 2.0 JSON value the way the official JSON Schema does (an EPCISDocument, an
 * EPCISQueryDocument, or a bare event, by its `type`), plus rxtrace's rules beyond the schema.
 * `report.schemaValid` is the schema's verdict; `report.valid` also counts rule errors.
 */
export function validateEpcisJson(value: unknown, options?: ValidationOptions): ValidationReport {
  const c = createValidationContext(options);
  const kind = checkTop(value, c, 'any');
  return finishReport(c, kind, c.sink ?? []);
}

/**
 * Validates the body of `POST /events`: one event with its own `@context`. A document is
 * rejected (send it to `POST /capture`).
 */
export function validateBareEvent(value: unknown, options?: ValidationOptions): ValidationReport {
  const c = createValidationContext(options);
  const kind = checkTop(value, c, 'event');
  return finishReport(c, kind, c.sink ?? []);
}

/**
 * Validates a document without its events, for streaming: pass the document as read so far with
 * its event list replaced by an empty array (`epcisBody.eventList: []`, or
 * `epcisBody.queryResults.resultsBody.eventList: []`); leave the list out only if the document
 * really has none (that is reported). Events still present in the list are validated too.
 * Declares the document's namespaces in `ctx` and sets `ctx.eventListPointer`, so that each event
 * can then be checked with `validateEvent(event, `${ctx.eventListPointer}/${i}`, ctx)`.
 */
export function validateDocumentHeader(
  header: unknown,
  ctx: ValidationContext = createValidationContext(),
): readonly ValidationProblem[] {
  const saved = ctx.sink;
  ctx.sink = null;
  checkTop(header, ctx, 'document');
  const out = ctx.sink ?? [];
  ctx.sink = saved;
  return out;
}

type Expect = 'any' | 'event' | 'document';

function checkTop(value: unknown, c: ValidationContext, expect: Expect): ValidationReport['kind'] {
  if (!isObject(value)) {
    report(
      c,
      '',
      'type',
      `an EPCIS JSON value must be an object (EPCISDocument, EPCISQueryDocument or an event), not ${describe(value)}`,
    );
    return 'unknown';
  }
  const type = value.type;
  if (type === 'EPCISDocument' || type === 'EPCISQueryDocument') {
    if (expect === 'event') {
      report(
        c,
        '/type',
        'enum',
        `POST /events takes a single event, not an ${type} (capture documents through POST /capture)`,
      );
      return type;
    }
    c.declareContext(value['@context']);
    c.eventListPointer = type === 'EPCISDocument' ? EVENT_LIST : QUERY_EVENT_LIST;
    if (type === 'EPCISDocument') checkEpcisDocument(value, c);
    else checkQueryDocument(value, c);
    return type;
  }
  if (expect === 'document') {
    report(
      c,
      type === undefined ? '' : '/type',
      type === undefined ? 'required' : 'enum',
      `a document's type must be EPCISDocument or EPCISQueryDocument, not ${describe(type)}`,
    );
    return 'unknown';
  }
  c.declareContext(value['@context']);
  checkEvent(value, '', c, true);
  return 'event';
}

function checkEvents(list: unknown, base: string, c: ValidationContext): void {
  if (!Array.isArray(list)) {
    report(c, base, 'type', `eventList must be an array of events, not ${describe(list)}`);
    return;
  }
  for (let i = 0; i < list.length; i++) checkEvent(list[i], `${base}/${i}`, c, false);
}

function checkString(v: unknown, p: string, k: string, c: ValidationContext): void {
  if (typeof v !== 'string') report(c, ptr(p, k), 'type', `${k} must be a string, not ${describe(v)}`);
}

function checkSchemaVersion(v: unknown, c: ValidationContext): void {
  if (typeof v !== 'string')
    report(c, '/schemaVersion', 'type', `schemaVersion must be a string such as "2.0", not ${describe(v)}`);
  else if (!isVersion(v))
    report(
      c,
      '/schemaVersion',
      'pattern',
      `schemaVersion ${describe(v)} is not a version number such as "2.0"`,
    );
  else if (c.rules && !v.startsWith('2.') && v !== '2') {
    reportRule(
      c,
      '/schemaVersion',
      'RX_EPCIS_SCHEMA_VERSION',
      `schemaVersion ${v}: the JSON / JSON-LD binding is EPCIS 2.x`,
      'warning',
    );
  }
}

/** Members both document kinds share; false when `k` is not one of them. */
function checkCommonMember(k: string, v: unknown, c: ValidationContext): boolean {
  switch (k) {
    case '@context':
      checkContext(v, '', c);
      return true;
    case 'type':
      return true;
    case 'id':
      checkUri(v, '', k, c, 'document id');
      return true;
    case 'schemaVersion':
      checkSchemaVersion(v, c);
      return true;
    case 'creationDate':
      checkTime(v, '', k, c);
      return true;
    default:
      return false;
  }
}

function checkEpcisDocument(doc: Record<string, unknown>, c: ValidationContext): void {
  const seen = new Set<string>();
  for (const k in doc) {
    const v = doc[k];
    if (checkCommonMember(k, v, c)) {
      seen.add(k);
      continue;
    }
    switch (k) {
      case 'instanceIdentifier':
      case 'sender':
      case 'receiver':
        checkString(v, '', k, c);
        break;
      case 'epcisHeader':
        checkHeader(v, c);
        break;
      case 'epcisBody':
        if (!isObject(v))
          report(c, '/epcisBody', 'type', `epcisBody must be an object {eventList}, not ${describe(v)}`);
        else if (!('eventList' in v)) report(c, '/epcisBody', 'required', `epcisBody needs 'eventList'`);
        else checkEvents(v.eventList, EVENT_LIST, c);
        break;
      default:
        extensionKey(k, '', 'an EPCISDocument', c);
        continue;
    }
    seen.add(k);
  }
  for (const k of ['@context', 'schemaVersion', 'creationDate', 'epcisBody']) {
    if (!seen.has(k)) report(c, '', 'required', `an EPCISDocument needs '${k}'`);
  }
}

function checkQueryDocument(doc: Record<string, unknown>, c: ValidationContext): void {
  const seen = new Set<string>();
  for (const k in doc) {
    const v = doc[k];
    if (checkCommonMember(k, v, c)) seen.add(k);
    else if (k === 'epcisBody') {
      checkQueryBody(v, c);
      seen.add(k);
    } else extensionKey(k, '', 'an EPCISQueryDocument', c);
  }
  for (const k of ['@context', 'epcisBody'])
    if (!seen.has(k)) report(c, '', 'required', `an EPCISQueryDocument needs '${k}'`);
}

function checkQueryBody(v: unknown, c: ValidationContext): void {
  const q = '/epcisBody';
  if (!isObject(v)) {
    report(c, q, 'type', `epcisBody must be an object {queryResults}, not ${describe(v)}`);
    return;
  }
  let has = false;
  for (const k in v) {
    if (k === 'queryResults') {
      has = true;
      checkQueryResults(v[k], c);
    } else extensionKey(k, q, 'the epcisBody of an EPCISQueryDocument', c);
  }
  if (!has) report(c, q, 'required', `the epcisBody of an EPCISQueryDocument needs 'queryResults'`);
}

function checkQueryResults(v: unknown, c: ValidationContext): void {
  const q = '/epcisBody/queryResults';
  if (!isObject(v)) {
    report(
      c,
      q,
      'type',
      `queryResults must be an object {queryName, subscriptionID?, resultsBody}, not ${describe(v)}`,
    );
    return;
  }
  let name = false;
  let body = false;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'queryName':
        name = true;
        checkString(x, q, k, c);
        break;
      case 'subscriptionID':
        checkString(x, q, k, c);
        break;
      case 'resultsBody':
        body = true;
        checkResultsBody(x, c);
        break;
      default:
        extensionKey(k, q, 'queryResults', c);
    }
  }
  if (!name) report(c, q, 'required', `queryResults needs 'queryName'`);
  if (!body) report(c, q, 'required', `queryResults needs 'resultsBody'`);
}

function checkResultsBody(v: unknown, c: ValidationContext): void {
  const q = '/epcisBody/queryResults/resultsBody';
  if (!isObject(v)) {
    report(c, q, 'type', `resultsBody must be an object {eventList}, not ${describe(v)}`);
    return;
  }
  let has = false;
  for (const k in v) {
    const x = v[k];
    if (k === 'eventList') {
      has = true;
      checkEvents(x, QUERY_EVENT_LIST, c);
    } else if (k === 'vocabularyList') checkVocabularyList(x, ptr(q, k), c);
    else extensionKey(k, q, 'resultsBody', c);
  }
  if (!has) report(c, q, 'required', `resultsBody needs 'eventList'`);
}

// ---------------------------------------------------------------------------------------------
// Header and master data

function checkHeader(v: unknown, c: ValidationContext): void {
  const q = '/epcisHeader';
  if (!isObject(v)) {
    report(c, q, 'type', `epcisHeader must be an object, not ${describe(v)}`);
    return;
  }
  for (const k in v) {
    const x = v[k];
    if (k !== 'epcisMasterData') {
      extensionKey(k, q, 'epcisHeader', c);
      continue;
    }
    const qm = ptr(q, k);
    if (!isObject(x))
      report(c, qm, 'type', `epcisMasterData must be an object {vocabularyList}, not ${describe(x)}`);
    else if ('vocabularyList' in x) checkVocabularyList(x.vocabularyList, ptr(qm, 'vocabularyList'), c);
  }
}

function checkVocabularyList(v: unknown, q: string, c: ValidationContext): void {
  if (!Array.isArray(v)) {
    report(c, q, 'type', `vocabularyList must be an array of vocabularies, not ${describe(v)}`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const voc = v[i];
    const qv = ptr(q, i);
    if (!isObject(voc)) {
      report(
        c,
        qv,
        'type',
        `a vocabulary must be an object {type, vocabularyElementList}, not ${describe(voc)}`,
      );
      continue;
    }
    if (!('type' in voc))
      report(
        c,
        qv,
        'required',
        `a vocabulary needs 'type' (e.g. urn:epcglobal:epcis:vtype:BusinessLocation)`,
      );
    else checkUri(voc.type, qv, 'type', c, 'vocabulary type');
    if ('vocabularyElementList' in voc)
      checkVocabularyElements(voc.vocabularyElementList, ptr(qv, 'vocabularyElementList'), c);
  }
}

function checkVocabularyElements(v: unknown, q: string, c: ValidationContext): void {
  if (!Array.isArray(v)) {
    report(c, q, 'type', `vocabularyElementList must be an array, not ${describe(v)}`);
    return;
  }
  for (let i = 0; i < v.length; i++) {
    const el = v[i];
    const qe = ptr(q, i);
    if (!isObject(el)) {
      report(
        c,
        qe,
        'type',
        `a vocabulary element must be an object {id, attributes?, children?}, not ${describe(el)}`,
      );
      continue;
    }
    if (!('id' in el)) report(c, qe, 'required', `a vocabulary element needs 'id'`);
    else checkUri(el.id, qe, 'id', c, 'vocabulary element id');
    if ('attributes' in el) {
      const attrs = el.attributes;
      if (!Array.isArray(attrs))
        report(
          c,
          ptr(qe, 'attributes'),
          'type',
          `attributes must be an array of {id, attribute}, not ${describe(attrs)}`,
        );
      else {
        for (let j = 0; j < attrs.length; j++) {
          const a = attrs[j];
          const qa = ptr(ptr(qe, 'attributes'), j);
          if (!isObject(a)) {
            report(c, qa, 'type', `an attribute must be an object {id, attribute}, not ${describe(a)}`);
            continue;
          }
          if (!('id' in a)) report(c, qa, 'required', `an attribute needs 'id'`);
          else checkUri(a.id, qa, 'id', c, 'attribute id');
          if ('attribute' in a) {
            const x = a.attribute;
            if (typeof x !== 'number' && typeof x !== 'string' && !isObject(x)) {
              report(
                c,
                ptr(qa, 'attribute'),
                'anyOf',
                `an attribute value must be a number, a string or an object, not ${describe(x)}`,
              );
            }
          }
        }
      }
    }
    if ('children' in el) {
      const ch = el.children;
      if (!Array.isArray(ch))
        report(c, ptr(qe, 'children'), 'type', `children must be an array of URIs, not ${describe(ch)}`);
      else for (let j = 0; j < ch.length; j++) checkUri(ch[j], ptr(qe, 'children'), j, c, 'a child id');
    }
  }
}
