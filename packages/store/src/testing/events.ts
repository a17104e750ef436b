/**
 * Builders of `NewEvent`s for store tests: what the core's capture pipeline would hand the store,
 * without running it (fixed, readable values; hash IDs derived from a key).
 */
import { createHash } from 'node:crypto';
import type { EPCISEvent } from '@rxtrace/epcis';
import type { EventIdentifier, EventReference, NewEvent } from '../types.ts';

/** A CBV 2.0-shaped Event Hash ID derived from any key (stable, unique per key). */
export function testHashId(key: string): string {
  return `ni:///sha-256;${createHash('sha256').update(key).digest('hex')}?ver=CBV2.0`;
}

/** The canonical Digital Link of an SGTIN of test GTIN `09506000134352` (or another GTIN-14). */
export function sgtin(serial: string | number, gtin = '09506000134352'): string {
  return `https://id.gs1.org/01/${gtin}/21/${serial}`;
}

/** An SSCC as a canonical Digital Link: `https://id.gs1.org/00/<18 digits>`. */
export function sscc(n: number): string {
  return `https://id.gs1.org/00/${String(106141410000000000 + n).padStart(18, '0')}`;
}

/** A GLN (+ extension) as a canonical Digital Link. */
export function sgln(gln: string, ext?: string): string {
  return ext === undefined ? `https://id.gs1.org/414/${gln}` : `https://id.gs1.org/414/${gln}/254/${ext}`;
}

/** `2026-03-01T00:00:00.000Z` plus `minutes`. */
export function minutesAfterStart(minutes: number): string {
  return new Date(Date.UTC(2026, 2, 1) + minutes * 60_000).toISOString();
}

export interface TestEventSpec {
  /** Makes hashId (and eventId unless given) unique: events with the same key are the same event. */
  key: string;
  type?: string;
  eventId?: string;
  hashId?: string;
  eventTime?: string;
  recordTime?: string;
  action?: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  epcList?: string[];
  parentID?: string;
  childEPCs?: string[];
  inputEPCList?: string[];
  outputEPCList?: string[];
  /** epcClass values of quantityList (role `class`). */
  classes?: string[];
  childClasses?: string[];
  inputClasses?: string[];
  outputClasses?: string[];
  bizTransactions?: { type?: string; value: string }[];
  sources?: { type: string; value: string }[];
  destinations?: { type: string; value: string }[];
  errorDeclaration?: { declarationTime: string; reason?: string; correctiveEventIds?: string[] };
}

/** A NewEvent as the capture pipeline prepares it (event body, identifier rows, references). */
export function testEvent(spec: TestEventSpec): NewEvent {
  const hashId = spec.hashId ?? testHashId(spec.key);
  const eventId = spec.eventId ?? `urn:uuid:${uuidOf(spec.key)}`;
  const eventTime = spec.eventTime ?? minutesAfterStart(0);
  const recordTime = spec.recordTime ?? eventTime;
  const type =
    spec.type ??
    (spec.parentID !== undefined || spec.childEPCs
      ? 'AggregationEvent'
      : spec.inputEPCList || spec.outputEPCList
        ? 'TransformationEvent'
        : 'ObjectEvent');
  const e: EPCISEvent = { type, eventTime, eventTimeZoneOffset: '+00:00', recordTime, eventID: eventId };
  const identifiers: EventIdentifier[] = [];
  const references: EventReference[] = [];
  if (spec.epcList) {
    e.epcList = spec.epcList;
    for (const id of spec.epcList) identifiers.push({ role: 'epc', id });
  }
  if (spec.parentID !== undefined) {
    e.parentID = spec.parentID;
    identifiers.push({ role: 'parent', id: spec.parentID });
  }
  if (spec.childEPCs) {
    e.childEPCs = spec.childEPCs;
    for (const id of spec.childEPCs) identifiers.push({ role: 'child', id });
  }
  if (spec.inputEPCList) {
    e.inputEPCList = spec.inputEPCList;
    for (const id of spec.inputEPCList) identifiers.push({ role: 'input', id });
  }
  if (spec.outputEPCList) {
    e.outputEPCList = spec.outputEPCList;
    for (const id of spec.outputEPCList) identifiers.push({ role: 'output', id });
  }
  const quantities = [
    ['quantityList', 'class', spec.classes],
    ['childQuantityList', 'childClass', spec.childClasses],
    ['inputQuantityList', 'inputClass', spec.inputClasses],
    ['outputQuantityList', 'outputClass', spec.outputClasses],
  ] as const;
  for (const [list, role, classes] of quantities) {
    if (!classes) continue;
    e[list] = classes.map((epcClass) => ({ epcClass, quantity: 10 }));
    for (const id of classes) identifiers.push({ role, id });
  }
  if (spec.action) e.action = spec.action;
  if (spec.bizStep) e.bizStep = spec.bizStep;
  if (spec.disposition) e.disposition = spec.disposition;
  if (spec.readPoint) e.readPoint = { id: spec.readPoint };
  if (spec.bizLocation) e.bizLocation = { id: spec.bizLocation };
  if (spec.bizTransactions) {
    e.bizTransactionList = spec.bizTransactions.map((b) =>
      b.type === undefined ? { bizTransaction: b.value } : { type: b.type, bizTransaction: b.value },
    );
    for (const b of spec.bizTransactions)
      references.push({ kind: 'bizTransaction', type: b.type ?? '', value: b.value });
  }
  if (spec.sources) {
    e.sourceList = spec.sources.map((s) => ({ type: s.type, source: s.value }));
    for (const s of spec.sources) references.push({ kind: 'source', type: s.type, value: s.value });
  }
  if (spec.destinations) {
    e.destinationList = spec.destinations.map((d) => ({ type: d.type, destination: d.value }));
    for (const d of spec.destinations) references.push({ kind: 'destination', type: d.type, value: d.value });
  }
  const ne: NewEvent = { event: e, eventId, hashId, eventTime, recordTime, identifiers, references };
  if (spec.errorDeclaration) {
    const d = spec.errorDeclaration;
    e.errorDeclaration = { declarationTime: d.declarationTime };
    if (d.reason !== undefined) e.errorDeclaration.reason = d.reason;
    if (d.correctiveEventIds) e.errorDeclaration.correctiveEventIDs = d.correctiveEventIds;
    ne.errorDeclaration = {
      declarationTime: d.declarationTime,
      correctiveEventIds: d.correctiveEventIds ?? [],
    };
    if (d.reason !== undefined) ne.errorDeclaration.reason = d.reason;
  }
  return ne;
}

/**
 * The error declaration of a stored event, as EPCIS 2.0 captures it: the same event (same eventID,
 * same hash ID) with an `errorDeclaration` added.
 */
export function testErrorDeclaration(
  original: NewEvent,
  decl: { declarationTime: string; reason?: string; correctiveEventIds?: string[] },
  recordTime = decl.declarationTime,
): NewEvent {
  const e: EPCISEvent = {
    ...original.event,
    recordTime,
    errorDeclaration: { declarationTime: decl.declarationTime },
  };
  if (decl.reason !== undefined) e.errorDeclaration!.reason = decl.reason;
  if (decl.correctiveEventIds) e.errorDeclaration!.correctiveEventIDs = decl.correctiveEventIds;
  const ne: NewEvent = {
    ...original,
    event: e,
    recordTime,
    errorDeclaration: {
      declarationTime: decl.declarationTime,
      correctiveEventIds: decl.correctiveEventIds ?? [],
    },
  };
  if (decl.reason !== undefined) ne.errorDeclaration!.reason = decl.reason;
  return ne;
}

/** A stable UUID-shaped string from a key. */
function uuidOf(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
