import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseEvent } from '@rxtrace/epcis';
import { indexRowsOf, referencesOf } from './index-rows.ts';

test('index rows: every identifier of a normalised event with its role, quantity lists apart', () => {
  const e = normaliseEvent({
    type: 'AggregationEvent',
    eventTime: '2026-03-01T10:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'ADD',
    parentID: 'urn:epc:id:sscc:0614141.1234567890',
    childEPCs: ['urn:epc:id:sgtin:0614141.107346.1', 'urn:epc:id:sgtin:0614141.107346.2'],
    childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.107346.LOT9', quantity: 10 }],
    bizTransactionList: [
      { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
    ],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00001' }],
  });
  assert.deepEqual(
    indexRowsOf(e).map((i) => `${i.role} ${i.id}`),
    [
      'parent https://id.gs1.org/00/106141412345678908',
      'child https://id.gs1.org/01/10614141073464/21/1',
      'child https://id.gs1.org/01/10614141073464/21/2',
      'childClass https://id.gs1.org/01/10614141073464/10/LOT9',
    ],
  );
  assert.deepEqual(referencesOf(e), [
    { kind: 'bizTransaction', type: 'po', value: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
    { kind: 'destination', type: 'owning_party', value: 'https://id.gs1.org/417/0614141000012' },
  ]);
});
