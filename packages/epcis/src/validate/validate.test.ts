import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  comparePointers,
  createValidationContext,
  VALIDATION_RULES,
  type ValidationProblem,
  validateBareEvent,
  validateDocumentHeader,
  validateEpcisJson,
  validateEvent,
} from './index.ts';

const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const T = '2024-03-01T10:15:30.123+01:00';

type Obj = Record<string, unknown>;

function objectEvent(extra: Obj = {}): Obj {
  return {
    type: 'ObjectEvent',
    eventTime: T,
    eventTimeZoneOffset: '+01:00',
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    ...extra,
  };
}

function doc(events: unknown[], extra: Obj = {}): Obj {
  return {
    '@context': [CONTEXT, { example: 'https://ns.example.com/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-01T10:00:00Z',
    epcisBody: { eventList: events },
    ...extra,
  };
}

/** Problems as `pointer code` strings (errors first, in pointer order). */
function summary(problems: readonly ValidationProblem[], severity?: 'error' | 'warning'): string[] {
  return problems
    .filter((p) => !severity || p.severity === severity)
    .sort((a, b) => comparePointers(a.pointer, b.pointer))
    .map((p) => `${p.pointer} ${p.code}`);
}

function errorsOf(value: unknown): string[] {
  return summary(validateEpcisJson(value).problems, 'error');
}

test('a clean document is valid, with no problems', () => {
  const r = validateEpcisJson(doc([objectEvent()]));
  assert.deepEqual(r.problems, []);
  assert.equal(r.valid, true);
  assert.equal(r.schemaValid, true);
  assert.equal(r.kind, 'EPCISDocument');
});

test('minimal valid events of every type', () => {
  const base = { eventTime: T, eventTimeZoneOffset: '+01:00' };
  const events = [
    {
      type: 'ObjectEvent',
      ...base,
      action: 'ADD',
      quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' }],
      ilmd: { 'cbvmda:lotNumber': 'L1' },
    },
    {
      type: 'ObjectEvent',
      ...base,
      action: 'OBSERVE',
      sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 5, uom: 'CEL' }] }],
      readPoint: { id: 'geo:47.5,8.5' },
    },
    {
      type: 'AggregationEvent',
      ...base,
      action: 'ADD',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      childEPCs: ['urn:epc:id:sgtin:0614141.107346.2017'],
    },
    { type: 'AggregationEvent', ...base, action: 'DELETE', parentID: 'urn:epc:id:sscc:0614141.1234567890' },
    {
      type: 'TransactionEvent',
      ...base,
      action: 'ADD',
      epcList: [],
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
    },
    {
      type: 'TransformationEvent',
      ...base,
      inputEPCList: ['urn:epc:id:sgtin:0614141.107346.1'],
      outputEPCList: ['urn:epc:id:sgtin:0614141.107346.2'],
      ilmd: { 'example:grade': 'A' },
    },
    {
      type: 'TransformationEvent',
      ...base,
      inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.1', quantity: 1 }],
      transformationID: 'urn:epc:id:gdti:0614141.12345.400',
    },
    {
      type: 'AssociationEvent',
      ...base,
      action: 'ADD',
      parentID: 'urn:epc:id:grai:4012345.55555.987',
      childEPCs: ['urn:epc:id:giai:4000001.12345'],
    },
    { type: 'AssociationEvent', ...base, action: 'DELETE', parentID: 'urn:epc:id:grai:4012345.55555.987' },
    { type: 'https://ns.example.com/epcis/MyEvent', ...base, anything: 5 },
  ];
  const r = validateEpcisJson(doc(events));
  assert.deepEqual(summary(r.problems), []);
});

test('schema problems carry pointer, code, message, severity, source and exception', () => {
  const r = validateEpcisJson(doc([objectEvent(), objectEvent({ eventTime: '22-07-2026' })]));
  assert.equal(r.valid, false);
  assert.equal(r.schemaValid, false);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0]!;
  assert.equal(p.pointer, '/epcisBody/eventList/1/eventTime');
  assert.equal(p.code, 'format');
  assert.equal(p.severity, 'error');
  assert.equal(p.source, 'schema');
  assert.equal(p.exception, 'ValidationException');
  assert.equal(p.eventIndex, 1);
  assert.match(p.message, /'22-07-2026' is not a date-time/);
});

test('field types, formats and additional properties', () => {
  assert.deepEqual(
    errorsOf(doc([objectEvent({ quantityList: [{ epcClass: 'urn:x:1', quantity: 'twenty' }] })])),
    ['/epcisBody/eventList/0/quantityList/0/quantity type'],
  );
  assert.deepEqual(
    errorsOf(doc([objectEvent({ quantityList: [{ epcClass: 'urn:x:1', weight: 2, uom: 'kg' }] })])),
    [
      '/epcisBody/eventList/0/quantityList/0 additionalProperties',
      '/epcisBody/eventList/0/quantityList/0/uom pattern',
    ],
  );
  assert.deepEqual(errorsOf(doc([objectEvent({ epcList: ['urn:epc:id:sgtin:1', 'not a uri', 7] })])), [
    '/epcisBody/eventList/0/epcList/1 format',
    '/epcisBody/eventList/0/epcList/2 type',
  ]);
  assert.deepEqual(errorsOf(doc([objectEvent({ certificationInfo: [{ 'gs1:agency': 'x' }] })])), [
    '/epcisBody/eventList/0/certificationInfo/0 type',
  ]);
  assert.deepEqual(errorsOf(doc([objectEvent({ certificationInfo: 'https://cert.example.com/1' })])), []);
  assert.deepEqual(errorsOf(doc([objectEvent({ eventTimeZoneOffset: '+15:00' })])), [
    '/epcisBody/eventList/0/eventTimeZoneOffset pattern',
  ]);
  assert.deepEqual(errorsOf(doc([objectEvent({ readPoint: { 'example:x': 1 } })])), [
    '/epcisBody/eventList/0/readPoint required',
  ]);
  assert.deepEqual(errorsOf(doc([objectEvent({ sourceList: [{ type: 'place', source: 'urn:x:1' }] })])), [
    '/epcisBody/eventList/0/sourceList/0/type anyOf',
  ]);
  assert.deepEqual(
    errorsOf(doc([objectEvent({ bizTransactionList: [{ bizTransaction: 'urn:x:1', id: 2 }] })])),
    ['/epcisBody/eventList/0/bizTransactionList/0 additionalProperties'],
  );
  assert.deepEqual(errorsOf(doc([objectEvent({ persistentDisposition: {} })])), [
    '/epcisBody/eventList/0/persistentDisposition anyOf',
  ]);
  assert.deepEqual(
    errorsOf(doc([objectEvent({ persistentDisposition: { set: ['recalled', 'recalled'], unset: [] } })])),
    [
      '/epcisBody/eventList/0/persistentDisposition/set uniqueItems',
      '/epcisBody/eventList/0/persistentDisposition/unset minItems',
    ],
  );
  assert.deepEqual(errorsOf(doc([objectEvent({ '@context': ['urn:a:b', 'urn:a:b'] })])), [
    '/epcisBody/eventList/0/@context uniqueItems',
  ]);
});

test('which fields an event type may carry; extension fields must be namespaced', () => {
  assert.deepEqual(errorsOf(doc([objectEvent({ parentID: 'urn:x:1', weight: 3, 'example:weight': 3 })])), [
    '/epcisBody/eventList/0 propertyNames',
    '/epcisBody/eventList/0 propertyNames',
  ]);
  const agg = {
    type: 'AggregationEvent',
    eventTime: T,
    eventTimeZoneOffset: '+01:00',
    action: 'ADD',
    parentID: 'urn:x:p',
    childEPCs: ['urn:x:c'],
  };
  const r = validateEpcisJson(
    doc([{ ...agg, persistentDisposition: { set: ['recalled'] }, ilmd: { 'example:a': 1 } }]),
  );
  assert.deepEqual(summary(r.problems), [
    '/epcisBody/eventList/0 propertyNames',
    '/epcisBody/eventList/0 propertyNames',
  ]);
  assert.match(
    r.problems.map((p) => p.message).join('\n'),
    /ilmd is only allowed on ObjectEvent with action ADD and on TransformationEvent/,
  );
  assert.deepEqual(errorsOf(doc([{ ...objectEvent(), action: 'OBSERVE', ilmd: { 'example:a': 1 } }])), [
    '/epcisBody/eventList/0/ilmd anyOf',
  ]);
  assert.deepEqual(errorsOf(doc([objectEvent({ action: 'ADD', ilmd: { materialType: 'soil' } })])), [
    '/epcisBody/eventList/0/ilmd propertyNames',
  ]);
  const tf = {
    type: 'TransformationEvent',
    eventTime: T,
    eventTimeZoneOffset: '+01:00',
    inputEPCList: ['urn:x:1'],
    outputEPCList: ['urn:x:2'],
  };
  assert.deepEqual(errorsOf(doc([{ ...tf, action: 'ADD' }])), ['/epcisBody/eventList/0 propertyNames']);
  assert.deepEqual(errorsOf(doc([{ type: 'MyEvent', eventTime: T, eventTimeZoneOffset: '+01:00' }])), [
    '/epcisBody/eventList/0/type format',
  ]);
  assert.deepEqual(errorsOf(doc([{ eventTime: T, eventTimeZoneOffset: '+01:00' }])), [
    '/epcisBody/eventList/0 required',
  ]);
});

test('what each event type needs (AssociationEvent parentID and children per action, …)', () => {
  const base = { eventTime: T, eventTimeZoneOffset: '+01:00' };
  assert.deepEqual(errorsOf(doc([{ type: 'ObjectEvent', ...base, action: 'ADD' }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(errorsOf(doc([{ type: 'ObjectEvent', ...base, action: 'ADD', quantityList: [] }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(
    errorsOf(
      doc([
        {
          type: 'ObjectEvent',
          ...base,
          action: 'ADD',
          sensorElementList: [{ sensorReport: [{ type: 'Mass' }] }],
        },
      ]),
    ),
    ['/epcisBody/eventList/0 anyOf'],
  );
  const assoc = { type: 'AssociationEvent', ...base, parentID: 'urn:epc:id:grai:4012345.55555.987' };
  assert.deepEqual(errorsOf(doc([{ ...assoc, action: 'ADD' }])), ['/epcisBody/eventList/0 anyOf']);
  assert.deepEqual(errorsOf(doc([{ ...assoc, action: 'OBSERVE', childEPCs: [] }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(errorsOf(doc([{ ...assoc, action: 'DELETE' }])), []);
  assert.deepEqual(errorsOf(doc([{ type: 'AssociationEvent', ...base, action: 'DELETE' }])), [
    '/epcisBody/eventList/0 required',
  ]);
  assert.deepEqual(errorsOf(doc([{ type: 'AggregationEvent', ...base, action: 'OBSERVE' }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(
    errorsOf(doc([{ type: 'TransactionEvent', ...base, action: 'ADD', epcList: ['urn:x:1'] }])),
    ['/epcisBody/eventList/0 required'],
  );
  assert.deepEqual(
    errorsOf(
      doc([
        { type: 'TransactionEvent', ...base, action: 'ADD', epcList: ['urn:x:1'], bizTransactionList: [] },
      ]),
    ),
    ['/epcisBody/eventList/0/bizTransactionList minItems'],
  );
  assert.deepEqual(errorsOf(doc([{ type: 'TransformationEvent', ...base, inputEPCList: ['urn:x:1'] }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(
    errorsOf(
      doc([{ type: 'TransformationEvent', ...base, inputEPCList: ['urn:x:1'], transformationID: 'urn:x:t' }]),
    ),
    [],
  );
  assert.deepEqual(errorsOf(doc([{ type: 'TransformationEvent', ...base }])), [
    '/epcisBody/eventList/0 anyOf',
  ]);
  assert.deepEqual(errorsOf(doc([{ type: 'ObjectEvent', eventTime: T, epcList: [] }])), [
    '/epcisBody/eventList/0 required',
    '/epcisBody/eventList/0 required',
  ]);
});

test('CBV values: bare words or custom URIs; URNs get the bare word suggested', () => {
  const r = validateEpcisJson(doc([objectEvent({ bizStep: 'urn:epcglobal:cbv:bizstep:receiving' })]));
  assert.deepEqual(summary(r.problems), ['/epcisBody/eventList/0/bizStep anyOf']);
  assert.match(r.problems[0]!.message, /use 'receiving'/);
  assert.deepEqual(
    errorsOf(
      doc([
        objectEvent({
          bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving',
          disposition: 'https://example.com/d/x',
        }),
      ]),
    ),
    [],
  );
  const m = validateEpcisJson(
    doc([
      objectEvent({
        sensorElementList: [
          { sensorReport: [{ type: 'temperature' }, { type: 'https://gs1.org/voc/Mass' }] },
        ],
      }),
    ]),
  );
  assert.deepEqual(summary(m.problems), [
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/type anyOf',
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/1/type anyOf',
  ]);
  assert.match(m.problems[0]!.message, /did you mean 'Temperature'/);
  assert.match(m.problems[1]!.message, /use 'Mass'/);
  assert.deepEqual(
    errorsOf(
      doc([
        objectEvent({
          errorDeclaration: {
            declarationTime: T,
            reason: 'did_not_occur',
            correctiveEventIDs: ['urn:uuid:1'],
          },
        }),
      ]),
    ),
    [],
  );
  assert.deepEqual(errorsOf(doc([objectEvent({ errorDeclaration: { reason: 'oops' } })])), [
    '/epcisBody/eventList/0/errorDeclaration required',
    '/epcisBody/eventList/0/errorDeclaration/reason anyOf',
  ]);
});

test('document and query-document structure', () => {
  const { '@context': _, ...noContext } = doc([]);
  assert.deepEqual(errorsOf({ ...noContext, sender: 5, foo: 1 }), [
    ' propertyNames',
    ' required',
    '/sender type',
  ]);
  assert.deepEqual(errorsOf({ ...doc([]), epcisBody: {} }), ['/epcisBody required']);
  assert.deepEqual(errorsOf({ ...doc([]), schemaVersion: '2.' }), ['/schemaVersion pattern']);
  const qd = {
    '@context': CONTEXT,
    type: 'EPCISQueryDocument',
    epcisBody: {
      queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [objectEvent()] } },
    },
  };
  assert.equal(validateEpcisJson(qd).kind, 'EPCISQueryDocument');
  assert.deepEqual(errorsOf(qd), []);
  assert.deepEqual(errorsOf({ ...qd, sender: 'x' }), [' propertyNames']);
  const bad = structuredClone(qd);
  (bad.epcisBody.queryResults.resultsBody.eventList[0] as Obj).action = 'SHIP';
  assert.deepEqual(errorsOf(bad), ['/epcisBody/queryResults/resultsBody/eventList/0/action enum']);
  const md = doc([], {
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
            vocabularyElementList: [{ attributes: [{ id: 'urn:x:a', attribute: true }] }],
          },
        ],
      },
    },
  });
  assert.deepEqual(errorsOf(md), [
    '/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0 required',
    '/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0/attributes/0/attribute anyOf',
  ]);
  assert.deepEqual(errorsOf([1, 2]), [' type']);
});

test('bare events (POST /events) need their own @context; documents are refused there', () => {
  const ev = objectEvent();
  assert.deepEqual(summary(validateEpcisJson(ev).problems), [' required']);
  assert.deepEqual(summary(validateEpcisJson({ ...ev, '@context': CONTEXT }).problems), []);
  const r = validateBareEvent({ ...ev, '@context': CONTEXT });
  assert.equal(r.valid, true);
  assert.equal(r.kind, 'event');
  assert.deepEqual(summary(validateBareEvent(doc([])).problems), ['/type enum']);
});

test('rules beyond the schema: errors make the value invalid while the schema verdict stays valid', () => {
  const agg = {
    type: 'AggregationEvent',
    eventTime: T,
    eventTimeZoneOffset: '+01:00',
    action: 'ADD',
    childEPCs: ['urn:x:c'],
  };
  const r = validateEpcisJson(doc([agg]));
  assert.equal(r.schemaValid, true);
  assert.equal(r.valid, false);
  assert.deepEqual(summary(r.problems), ['/epcisBody/eventList/0 RX_EPCIS_PARENT_ID_REQUIRED']);
  assert.equal(r.problems[0]!.source, 'rule');
  assert.equal(validateEpcisJson(doc([{ ...agg, action: 'OBSERVE' }])).valid, true);

  const sensor = objectEvent({
    sensorElementList: [
      {
        sensorMetadata: {
          time: '2024-03-01T10:20:00+01:00',
          startTime: '2024-03-01T08:00:00Z',
          endTime: '2024-03-01T07:00:00Z',
        },
        sensorReport: [
          {
            type: 'Temperature',
            minValue: 8,
            maxValue: 2,
            hexBinaryValue: 'ABC',
            percRank: 120,
            value: Number.POSITIVE_INFINITY,
          },
        ],
      },
    ],
  });
  const s = validateEpcisJson(doc([sensor]));
  assert.equal(s.schemaValid, true);
  assert.deepEqual(summary(s.problems, 'error'), [
    '/epcisBody/eventList/0/sensorElementList/0/sensorMetadata/startTime RX_EPCIS_SENSOR_PERIOD_REVERSED',
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/hexBinaryValue RX_EPCIS_HEX_BINARY_ODD',
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/value RX_EPCIS_NUMBER_NOT_FINITE',
  ]);
  assert.deepEqual(summary(s.problems, 'warning'), [
    '/epcisBody/eventList/0/sensorElementList/0/sensorMetadata/time RX_EPCIS_SENSOR_TIME_AFTER_EVENT',
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/minValue RX_EPCIS_SENSOR_RANGE_REVERSED',
    '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/percRank RX_EPCIS_PERC_RANK_RANGE',
  ]);

  const w = validateEpcisJson(
    doc([
      objectEvent({
        eventTimeZoneOffset: '-13:00',
        quantityList: [
          { epcClass: 'urn:x:c', uom: 'KGM' },
          { epcClass: 'urn:x:c', quantity: -1 },
        ],
        persistentDisposition: { set: ['recalled'], unset: ['recalled'] },
        'undeclared:field': 1,
        'example:a/b': 2,
      }),
      {
        type: 'AggregationEvent',
        eventTime: T,
        eventTimeZoneOffset: '+01:00',
        action: 'ADD',
        parentID: 'urn:x:p',
        childEPCs: ['urn:x:c', 'urn:x:p', 'urn:x:c'],
      },
    ]),
  );
  assert.equal(w.valid, true, 'warnings only');
  assert.deepEqual(summary(w.problems, 'warning'), [
    '/epcisBody/eventList/0/eventTimeZoneOffset RX_EPCIS_OFFSET_OUT_OF_RANGE',
    '/epcisBody/eventList/0/persistentDisposition RX_EPCIS_DISPOSITION_SET_AND_UNSET',
    '/epcisBody/eventList/0/quantityList/0 RX_EPCIS_UOM_WITHOUT_QUANTITY',
    '/epcisBody/eventList/0/quantityList/1 RX_EPCIS_DUPLICATE_EPC_CLASS',
    '/epcisBody/eventList/0/quantityList/1/quantity RX_EPCIS_NEGATIVE_QUANTITY',
    '/epcisBody/eventList/0/undeclared:field RX_EPCIS_UNDECLARED_PREFIX',
    '/epcisBody/eventList/1/childEPCs/1 RX_EPCIS_PARENT_IS_CHILD',
    '/epcisBody/eventList/1/childEPCs/2 RX_EPCIS_DUPLICATE_EPC',
  ]);
  assert.deepEqual(
    summary(
      validateEpcisJson(doc([objectEvent({ 'other:f': 1, '@context': { other: 'urn:o:' } })])).problems,
    ),
    [],
  );
  assert.deepEqual(summary(validateEpcisJson(doc([objectEvent({ 'other:a/b': 1 })])).problems), [
    '/epcisBody/eventList/0/other:a~1b RX_EPCIS_UNDECLARED_PREFIX',
  ]);
  assert.deepEqual(
    summary(
      validateEpcisJson(
        doc([objectEvent({ 'other:f': 1 })], { '@context': 'https://example.com/ctx.jsonld' }),
      ).problems,
    ),
    [],
    'unknown context URL: no prefix warnings',
  );
  assert.deepEqual(
    summary(validateEpcisJson(doc([objectEvent({ epcList: ['urn:x:1', 'urn:x:1'] })])).problems),
    ['/epcisBody/eventList/0/epcList uniqueItems'],
  );

  const off = validateEpcisJson(doc([agg, sensor]), { rules: false });
  assert.equal(off.valid, true);
  assert.deepEqual(off.problems, []);
  assert.equal(
    validateEpcisJson(doc([sensor]), { warnings: false }).problems.filter((p) => p.severity === 'warning')
      .length,
    0,
  );
  for (const p of [...r.problems, ...s.problems, ...w.problems]) {
    assert.ok(
      VALIDATION_RULES.some((rule) => rule.code === p.code && rule.severity === p.severity),
      `${p.code} is documented`,
    );
  }
});

test('duplicate eventIDs (opt-in): only an error declaration may repeat one', () => {
  const a = objectEvent({ eventID: 'urn:uuid:a' });
  const decl = objectEvent({ eventID: 'urn:uuid:a', errorDeclaration: { declarationTime: T } });
  assert.deepEqual(summary(validateEpcisJson(doc([a, a]), { trackEventIDs: true }).problems), [
    '/epcisBody/eventList/1/eventID RX_EPCIS_DUPLICATE_EVENT_ID',
  ]);
  assert.deepEqual(summary(validateEpcisJson(doc([a, decl]), { trackEventIDs: true }).problems), []);
  assert.deepEqual(summary(validateEpcisJson(doc([a, a])).problems), []);
});

test('streaming: header first, then event by event with the same context', () => {
  const events = [objectEvent(), objectEvent({ action: 'CREATE' }), objectEvent({ 'undeclared:x': 1 })];
  const ctx = createValidationContext();
  assert.deepEqual(validateDocumentHeader(doc([]), ctx), []);
  assert.equal(ctx.eventListPointer, '/epcisBody/eventList');
  const out = events.map((e, i) => validateEvent(e, `${ctx.eventListPointer}/${i}`, ctx));
  assert.equal(out[0]!.length, 0);
  assert.deepEqual(summary(out[1]!), ['/epcisBody/eventList/1/action enum']);
  assert.equal(out[1]![0]!.eventIndex, 1);
  assert.deepEqual(summary(out[2]!), ['/epcisBody/eventList/2/undeclared:x RX_EPCIS_UNDECLARED_PREFIX']);
  assert.equal(ctx.events, 3);
  assert.equal(ctx.errors, 1);
  // The same verdicts as validating the whole document at once.
  assert.deepEqual(summary(validateEpcisJson(doc(events)).problems), summary(out.flat()));

  const qctx = createValidationContext();
  const header = {
    '@context': CONTEXT,
    type: 'EPCISQueryDocument',
    epcisBody: { queryResults: { queryName: 'q', resultsBody: { eventList: [] } } },
  };
  assert.deepEqual(validateDocumentHeader(header, qctx), []);
  assert.equal(qctx.eventListPointer, '/epcisBody/queryResults/resultsBody/eventList');
  assert.deepEqual(summary(validateDocumentHeader({ ...doc([]), epcisBody: {} })), ['/epcisBody required']);
  assert.deepEqual(summary(validateDocumentHeader(objectEvent())), ['/type enum']);
});

test('maxProblems caps what is recorded, not what is counted', () => {
  const events = Array.from({ length: 50 }, () => objectEvent({ action: 'X' }));
  const r = validateEpcisJson(doc(events), { maxProblems: 10 });
  assert.equal(r.problems.length, 10);
  assert.equal(r.errors, 50);
  assert.equal(r.valid, false);
});
