import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EPCISEvent } from './model.ts';
import { identifiersOf, normaliseEvent } from './normalise.ts';

const urnEvent: EPCISEvent = {
  type: 'ObjectEvent',
  eventTime: '2026-03-01T10:00:00Z',
  eventTimeZoneOffset: '+01:00',
  action: 'OBSERVE',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
  bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
  disposition: 'cbv:Disp-in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
  bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
  sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00001' }],
};

const dlEvent: EPCISEvent = {
  ...urnEvent,
  epcList: ['https://example.com/some/stem/01/10614141073464/10/LOT1/21/2017?17=271231'],
  bizStep: 'shipping',
  disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
  readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
  sourceList: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'https://id.gs1.org/417/0614141000012' }],
};

test('URN and Digital Link spellings of one event normalise to the same event', () => {
  const ns = { cbv: 'https://ref.gs1.org/cbv/' };
  const a = normaliseEvent(urnEvent, ns);
  const b = normaliseEvent(dlEvent, ns);
  assert.deepEqual(a, b);
  assert.deepEqual(a.epcList, ['https://id.gs1.org/01/10614141073464/21/2017']);
  assert.equal(a.bizStep, 'shipping');
  assert.equal(a.disposition, 'in_transit');
  assert.equal(a.readPoint?.id, 'https://id.gs1.org/414/0614141073467/254/1234');
  assert.equal(a.sourceList?.[0]?.type, 'owning_party');
  assert.equal(urnEvent.bizStep, 'urn:epcglobal:cbv:bizstep:shipping', 'input not changed');
});

test('custom vocabulary values and non-GS1 identifiers are kept', () => {
  const e = normaliseEvent({ ...urnEvent, bizStep: 'https://example.com/steps/relabel', readPoint: { id: 'geo:47.5,8.5' } });
  assert.equal(e.bizStep, 'https://example.com/steps/relabel');
  assert.equal(e.readPoint?.id, 'geo:47.5,8.5');
});

test('identifiersOf lists every identifier with its role', () => {
  const ids = identifiersOf({
    type: 'AggregationEvent',
    eventTime: '2026-03-01T10:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'ADD',
    parentID: 'urn:epc:id:sscc:0614141.1234567890',
    childEPCs: ['urn:epc:id:sgtin:0614141.107346.1', 'urn:epc:id:sgtin:0614141.107346.2'],
    childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.107346.LOT9', quantity: 10 }],
  });
  assert.deepEqual(
    ids.map((i) => `${i.role} ${i.id}`),
    [
      'parent https://id.gs1.org/00/106141412345678908',
      'child https://id.gs1.org/01/10614141073464/21/1',
      'child https://id.gs1.org/01/10614141073464/21/2',
      'class https://id.gs1.org/01/10614141073464/10/LOT9',
    ],
  );
});

test('normaliseEvent: a new object with the same members; a member named __proto__ stays a member', () => {
  const raw = JSON.parse(
    '{"type":"ObjectEvent","eventTime":"2026-03-01T10:00:00Z","eventTimeZoneOffset":"+01:00","action":"ADD","epcList":[],"__proto__":{"polluted":true}}',
  ) as EPCISEvent;
  const e = normaliseEvent(raw);
  assert.notEqual(e, raw);
  assert.equal(Object.getPrototypeOf(e), Object.prototype);
  assert.equal((e as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(e), Object.keys(raw));
  assert.equal(JSON.stringify(e), JSON.stringify(raw));
  const plain = normaliseEvent(urnEvent);
  assert.deepEqual(Object.keys(plain), Object.keys(urnEvent));
  assert.notEqual(plain, urnEvent);
});
