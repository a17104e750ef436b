/**
 * The rules alone: which normalised event changes what (the scenario tests check the whole path,
 * capture → store → state; these pin each rule down on its own).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EPCISEvent } from '@rxtrace/epcis';
import { packChangeOf } from './rules.ts';

const T = '2026-03-01T09:00:00.000Z';
const P1 = 'https://id.gs1.org/01/09506000134352/21/P1';
const P2 = 'https://id.gs1.org/01/09506000134352/21/P2';
const CASE = 'https://id.gs1.org/00/095060000000000017';
const SITE = 'https://id.gs1.org/414/9506000000015';
const DOCK = 'https://id.gs1.org/414/9506000000022';
const MAKER = 'https://id.gs1.org/417/9506000000015';
const WHOLESALER = 'https://id.gs1.org/417/9506000000022';

const ev = (e: Record<string, unknown>): EPCISEvent =>
  ({ eventTime: T, eventTimeZoneOffset: '+00:00', ...e }) as unknown as EPCISEvent;

describe('pack state rules', () => {
  test('commissioning: active, location, lot and expiry from the ILMD, no inference', () => {
    const ch = packChangeOf(
      ev({
        type: 'ObjectEvent',
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        epcList: [P1, P2],
        readPoint: { id: `${SITE}/254/1` },
        bizLocation: { id: SITE },
        ilmd: { 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': '2028-01-31' },
      }),
      T,
    );
    assert.deepEqual(ch, {
      time: T,
      subjects: [P1, P2],
      set: {
        status: 'active',
        disposition: 'active',
        bizStep: 'commissioning',
        location: SITE,
        readPoint: `${SITE}/254/1`,
      },
      inherit: false,
      lot: 'L1',
      expiry: '2028-01-31',
    });
  });

  test('the ILMD is read on ObjectEvent ADD only (an OBSERVE carrying one does not set the lot)', () => {
    const ch = packChangeOf(
      ev({ type: 'ObjectEvent', action: 'OBSERVE', epcList: [P1], ilmd: { 'cbvmda:lotNumber': 'X' } }),
      T,
    );
    assert.equal(ch?.lot, undefined);
    assert.equal(ch?.inherit, true);
  });

  test('status: disposition first, then bizStep, then a DELETE action', () => {
    const of = (e: Record<string, unknown>) =>
      packChangeOf(ev({ type: 'ObjectEvent', epcList: [P1], ...e }), T)?.set.status;
    assert.equal(of({ action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' }), 'in_transit');
    assert.equal(of({ action: 'OBSERVE', bizStep: 'shipping' }), 'in_transit');
    assert.equal(
      of({ action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible' }),
      'active',
    );
    assert.equal(of({ action: 'OBSERVE', disposition: 'recalled' }), 'recalled');
    assert.equal(of({ action: 'OBSERVE', disposition: 'non_sellable_other' }), 'non_sellable');
    assert.equal(of({ action: 'DELETE' }), 'decommissioned');
    assert.equal(of({ action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed' }), 'destroyed');
    // A disposition that says nothing of the object's life keeps the status.
    assert.equal(of({ action: 'OBSERVE', disposition: 'container_closed' }), undefined);
  });

  test('parties: a shipment keeps the shipper as owner and holder; a receipt makes the receiver both', () => {
    const parties = {
      sourceList: [
        { type: 'owning_party', source: MAKER },
        { type: 'possessing_party', source: MAKER },
      ],
      destinationList: [
        { type: 'owning_party', destination: WHOLESALER },
        { type: 'possessing_party', destination: WHOLESALER },
      ],
    };
    const ship = packChangeOf(
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: [CASE], ...parties }),
      T,
    );
    assert.equal(ship?.set.owner, MAKER);
    assert.equal(ship?.set.possessor, MAKER);
    const receive = packChangeOf(
      ev({
        type: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'receiving',
        epcList: [CASE],
        bizLocation: { id: DOCK },
        ...parties,
      }),
      T,
    );
    assert.equal(receive?.set.owner, WHOLESALER);
    assert.equal(receive?.set.possessor, WHOLESALER);
    assert.equal(receive?.set.location, DOCK);
    assert.equal(receive?.inherit, true, 'what is done to a case is done to its contents');
  });

  test('aggregation: ADD and DELETE of listed children, DELETE of all, inference to the contents', () => {
    const add = packChangeOf(
      ev({
        type: 'AggregationEvent',
        action: 'ADD',
        parentID: CASE,
        childEPCs: [P1, P2],
        bizStep: 'packing',
      }),
      T,
    );
    assert.deepEqual(add?.containment, { op: 'add', parent: CASE, children: [P1, P2] });
    assert.deepEqual(add?.subjects, [CASE, P1, P2]);
    assert.equal(add?.inherit, true);
    const del = packChangeOf(
      ev({
        type: 'AggregationEvent',
        action: 'DELETE',
        parentID: CASE,
        childEPCs: [P2],
        bizStep: 'unpacking',
      }),
      T,
    );
    assert.deepEqual(del?.containment, { op: 'delete', parent: CASE, children: [P2] });
    const all = packChangeOf(
      ev({ type: 'AggregationEvent', action: 'DELETE', parentID: CASE, bizStep: 'unpacking' }),
      T,
    );
    assert.deepEqual(all?.containment, { op: 'delete', parent: CASE, children: [] });
  });

  test('objects that leave the chain leave their container (dispensed, destroyed, decommissioned)', () => {
    for (const [e, status] of [
      [{ action: 'OBSERVE', bizStep: 'dispensing', disposition: 'dispensed' }, 'dispensed'],
      [{ action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed' }, 'destroyed'],
      [{ action: 'DELETE' }, 'decommissioned'],
    ] as const) {
      const ch = packChangeOf(ev({ type: 'ObjectEvent', epcList: [P1], ...e }), T);
      assert.equal(ch?.set.status, status);
      assert.deepEqual(ch?.detach, [P1]);
    }
    const shipped = packChangeOf(
      ev({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: [P1] }),
      T,
    );
    assert.equal(shipped?.detach, undefined);
  });

  test('transformation: outputs get the ILMD lot, inputs are consumed', () => {
    const ch = packChangeOf(
      ev({
        type: 'TransformationEvent',
        inputEPCList: [P1],
        outputEPCList: [P2],
        ilmd: { 'cbvmda:lotNumber': 'L9' },
      }),
      T,
    );
    assert.deepEqual(ch?.subjects, [P2]);
    assert.deepEqual(ch?.consumed, [P1]);
    assert.equal(ch?.lot, 'L9');
  });

  test('no change: error declarations (the store undoes the corrected event) and events naming no object', () => {
    assert.equal(
      packChangeOf(
        ev({
          type: 'ObjectEvent',
          action: 'OBSERVE',
          epcList: [P1],
          errorDeclaration: { declarationTime: T, reason: 'incorrect_data' },
        }),
        T,
      ),
      undefined,
    );
    assert.equal(
      packChangeOf(
        ev({ type: 'ObjectEvent', action: 'OBSERVE', quantityList: [{ epcClass: 'x', quantity: 1 }] }),
        T,
      ),
      undefined,
    );
  });
});
