/**
 * Test support for pack state: a small supply chain (manufacturer, wholesaler, pharmacies) and
 * EPCIS 2.0 JSON documents for it, captured through the real pipeline (CaptureService).
 */
import assert from 'node:assert/strict';
import { withCheckDigit } from '@rxtrace/gs1';
import type { Store } from '@rxtrace/store';
import { CaptureService } from '../capture/service.ts';

export const GTIN = '09506000134352';
export const LOT = 'L2026A';
export const EXPIRY = '2028-12-31';

export function pack(n: number): string {
  return `https://id.gs1.org/01/${GTIN}/21/P${String(n).padStart(5, '0')}`;
}
/** The same pack as an EPC URN (what a line system sends). */
export function packUrn(n: number): string {
  return `urn:epc:id:sgtin:9506000.013435.P${String(n).padStart(5, '0')}`;
}
export function sscc(n: number): string {
  return `https://id.gs1.org/00/${withCheckDigit(`09506000${String(n).padStart(9, '0')}`)}`;
}
export function gln(n: number): string {
  return withCheckDigit(`950600000${String(n).padStart(3, '0')}`);
}
export const loc = (n: number) => `https://id.gs1.org/414/${gln(n)}`;
export const party = (n: number) => `https://id.gs1.org/417/${gln(n)}`;

export const SITES = {
  manufacturer: { loc: loc(1), party: party(1), name: 'Pharma Plant Basel' },
  wholesaler: { loc: loc(2), party: party(2), name: 'Wholesaler Lyon DC' },
  pharmacy1: { loc: loc(11), party: party(11), name: 'Pharmacie du Centre' },
  pharmacy2: { loc: loc(12), party: party(12), name: 'Pharmacie de la Gare' },
  pharmacy3: { loc: loc(13), party: party(13), name: 'Pharmacie des Arts' },
};

export function at(minutes: number): string {
  return new Date(Date.UTC(2026, 2, 2, 8) + minutes * 60_000).toISOString();
}

export type Ev = Record<string, unknown>;

export function masterData(): Ev {
  const names = Object.values(SITES);
  return {
    epcisMasterData: {
      vocabularyList: [
        {
          type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
          vocabularyElementList: names.map((s) => ({
            id: s.loc,
            attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: s.name }],
          })),
        },
        {
          type: 'urn:epcglobal:epcis:vtype:Party',
          vocabularyElementList: names.map((s) => ({
            id: s.party,
            attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: `${s.name} (party)` }],
          })),
        },
      ],
    },
  };
}

export function doc(events: Ev[], header?: Ev): string {
  return JSON.stringify({
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { cbvmda: 'urn:epcglobal:cbv:mda:' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-02T08:00:00Z',
    ...(header ? { epcisHeader: header } : {}),
    epcisBody: { eventList: events },
  });
}

const base = (minutes: number): Ev => ({ eventTime: at(minutes), eventTimeZoneOffset: '+00:00' });

export function commission(minutes: number, epcs: string[], site = SITES.manufacturer, lot = LOT): Ev {
  return {
    type: 'ObjectEvent',
    ...base(minutes),
    epcList: epcs,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: site.loc },
    bizLocation: { id: site.loc },
    ilmd: { 'cbvmda:lotNumber': lot, 'cbvmda:itemExpirationDate': EXPIRY },
  };
}

export function aggregate(
  minutes: number,
  parent: string,
  children: string[],
  action: 'ADD' | 'DELETE',
  site = SITES.manufacturer,
): Ev {
  return {
    type: 'AggregationEvent',
    ...base(minutes),
    parentID: parent,
    childEPCs: children,
    action,
    bizStep: action === 'ADD' ? 'packing' : 'unpacking',
    disposition: action === 'ADD' ? 'in_progress' : 'active',
    readPoint: { id: site.loc },
    bizLocation: { id: site.loc },
  };
}

export function ship(
  minutes: number,
  epcs: string[],
  from: { loc: string; party: string },
  to: { party: string },
  extra: Ev = {},
): Ev {
  return {
    type: 'ObjectEvent',
    ...base(minutes),
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: from.loc },
    bizLocation: { id: from.loc },
    sourceList: [
      { type: 'owning_party', source: from.party },
      { type: 'possessing_party', source: from.party },
    ],
    destinationList: [
      { type: 'owning_party', destination: to.party },
      { type: 'possessing_party', destination: to.party },
    ],
    ...extra,
  };
}

export function receive(
  minutes: number,
  epcs: string[],
  from: { party: string },
  to: { loc: string; party: string },
): Ev {
  return {
    type: 'ObjectEvent',
    ...base(minutes),
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'active',
    readPoint: { id: to.loc },
    bizLocation: { id: to.loc },
    sourceList: [
      { type: 'owning_party', source: from.party },
      { type: 'possessing_party', source: from.party },
    ],
    destinationList: [
      { type: 'owning_party', destination: to.party },
      { type: 'possessing_party', destination: to.party },
    ],
  };
}

export function dispense(minutes: number, epcs: string[], site: { loc: string }): Ev {
  return {
    type: 'ObjectEvent',
    ...base(minutes),
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'dispensing',
    disposition: 'dispensed',
    readPoint: { id: site.loc },
    bizLocation: { id: site.loc },
  };
}

/** Captures a document through the real pipeline; fails the test unless every event is stored. */
export async function capture(store: Store, events: Ev[], header?: Ev, duplicates = 0): Promise<void> {
  const out = await new CaptureService(store).capture({
    body: [doc(events, header)],
    contentType: 'application/json',
  });
  assert.equal(out.job.success, true, JSON.stringify(out.job.errors));
  assert.equal(out.stored, events.length - duplicates, `stored ${out.stored} of ${events.length}`);
  assert.equal(out.duplicates, duplicates);
}
