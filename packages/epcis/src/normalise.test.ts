import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EPCISEvent } from './model.ts';
import { normaliseEvent } from './normalise.ts';

const urnEvent: EPCISEvent = {
  type: 'ObjectEvent',
  eventTime: '2026-03-01T10:00:00Z',
  eventTimeZoneOffset: '+01:00',
  action: 'OBSERVE',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
  bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
  disposition: 'cbv:Disp-in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
  bizTransactionList: [
    { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
  ],
  sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00001' }],
};

const dlEvent: EPCISEvent = {
  ...urnEvent,
  epcList: ['https://example.com/some/stem/01/10614141073464/10/LOT1/21/2017?17=271231'],
  bizStep: 'shipping',
  disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
  readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' }],
  sourceList: [
    { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'https://id.gs1.org/417/0614141000012' },
  ],
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
  const e = normaliseEvent({
    ...urnEvent,
    bizStep: 'https://example.com/steps/relabel',
    readPoint: { id: 'geo:47.5,8.5' },
  });
  assert.equal(e.bizStep, 'https://example.com/steps/relabel');
  assert.equal(e.readPoint?.id, 'geo:47.5,8.5');
});
