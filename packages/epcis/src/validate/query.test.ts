import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateQueryBody } from './query.ts';

const summary = (q: unknown) => validateQueryBody(q).problems.map((p) => `${p.pointer} ${p.code}`);

test('a typical query body is valid', () => {
  const r = validateQueryBody({
    '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/query-schema.json',
    eventType: ['ObjectEvent', 'https://ns.example.com/epcis/MyEvent'],
    GE_eventTime: '2026-01-01T00:00:00+01:00',
    LT_eventTime: '2026-12-31T23:59:59+01:00',
    EQ_action: ['ADD', 'OBSERVE'],
    EQ_bizStep: ['shipping', 'https://ref.gs1.org/cbv/BizStep-receiving'],
    EQ_disposition: ['in_transit'],
    MATCH_anyEPC: ['https://id.gs1.org/01/09521141012345/21/2017', 'urn:epc:idpat:sgtin:0614141.107346.*'],
    EQ_bizTransaction_po: ['urn:epcglobal:cbv:bt:0614141073467:1152'],
    EQ_source_owning_party: ['https://id.gs1.org/417/9521141000004'],
    GE_quantity: 1,
    EQ_value_CEL: [5, 6],
    LT_maxValue_CEL: 8,
    EQ_type: ['Temperature'],
    EXISTS_errorDeclaration: null,
    EQ_booleanValue: true,
    orderBy: 'eventTime',
    orderDirection: 'DESC',
    eventCountLimit: 100,
  });
  assert.deepEqual(r.problems, []);
  assert.equal(r.valid, true);
  assert.equal(r.kind, 'query');
});

test('unknown parameters and bad values are QueryParameterExceptions with pointers', () => {
  const r = validateQueryBody({
    GE_eventDate: '2026-01-01T00:00:00Z',
    EQ_action: ['SHIPPED'],
    orderDirection: 'SIDEWAYS',
    GE_eventTime: 'not-a-date',
  });
  assert.deepEqual(
    r.problems.map((p) => `${p.pointer} ${p.code}`),
    [' additionalProperties', '/EQ_action/0 enum', '/orderDirection enum', '/GE_eventTime format'],
  );
  assert.ok(r.problems.every((p) => p.exception === 'QueryParameterException' && p.severity === 'error'));
  assert.match(r.problems[0]!.message, /'GE_eventDate' is not an EPCIS query parameter/);
  assert.deepEqual(summary({ ge_eventtime: '2026-01-01T00:00:00Z' }), [' additionalProperties']);
  assert.match(validateQueryBody({ ge_eventtime: 1 }).problems[0]!.message, /did you mean 'GE_eventTime'/);
  assert.deepEqual(summary({ MATCH_epc: 'urn:x:1' }), ['/MATCH_epc type']);
  assert.deepEqual(summary({ EQ_bizStep: ['transforming'] }), ['/EQ_bizStep/0 anyOf']);
  assert.deepEqual(summary({ eventCountLimit: 1.5, orderBy: 'eventTime' }), ['/eventCountLimit type']);
  assert.deepEqual(summary({ GE_value_kg: 5 }), [' additionalProperties']);
  assert.deepEqual(summary({ EQ_value_KGM: 5 }), ['/EQ_value_KGM type']);
  assert.deepEqual(summary([]), [' type']);
});

test('extension-field parameters follow the patterns the schema means', () => {
  assert.deepEqual(
    summary({
      'EQ_example:lot': ['L1'],
      'GE_example:temp': 5,
      'LT_ILMD_cbvmda:itemExpirationDate': '2026-12-31T00:00:00Z',
      'EQ_INNER_example:inner': ['x'],
      'EXISTS_INNER_ILMD_example:f': null,
      'EQ_readPoint_example:zone': ['A'],
      'EQ_SENSORREPORT_example:calibrated': ['yes'],
      HASATTR_bizLocation: ['urn:epcglobal:cbv:mda#city'],
      EQ_ATTR_bizLocation_city: ['Basel'],
      GE_errorDeclarationTime: '2026-01-01T00:00:00Z',
      GE_errorDeclaration_Time: '2026-01-01T00:00:00Z',
    }),
    [],
  );
  assert.deepEqual(summary({ 'EQ_example:lot': 'L1' }), ['/EQ_example:lot oneOf']);
  assert.deepEqual(summary({ 'EQ_Example:lot': ['L1'] }), [' additionalProperties']);
});

test('query rules: eventCountLimit needs orderBy and excludes maxEventCount', () => {
  assert.deepEqual(summary({ eventCountLimit: 5 }), ['/eventCountLimit RX_EPCIS_QUERY_LIMIT_WITHOUT_ORDER']);
  assert.deepEqual(summary({ eventCountLimit: 5, maxEventCount: 5, orderBy: 'recordTime' }), [
    '/eventCountLimit RX_EPCIS_QUERY_LIMITS_EXCLUSIVE',
  ]);
  assert.deepEqual(summary({ maxEventCount: -1 }), ['/maxEventCount RX_EPCIS_QUERY_NEGATIVE_LIMIT']);
  assert.deepEqual(summary({ orderBy: 'lotNumber' }), ['/orderBy RX_EPCIS_QUERY_ORDER_BY']);
  assert.deepEqual(summary({ orderBy: 'example:temperature' }), []);
  const r = validateQueryBody({ GE_eventTime: '2026-02-01T00:00:00Z', LT_eventTime: '2026-01-01T00:00:00Z' });
  assert.equal(r.valid, true);
  assert.deepEqual(
    r.problems.map((p) => `${p.severity} ${p.code}`),
    ['warning RX_EPCIS_QUERY_EMPTY_TIME_RANGE'],
  );
  assert.equal(validateQueryBody({ eventCountLimit: 5 }, { rules: false }).valid, true);
});
