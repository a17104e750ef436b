/**
 * The one normalised form of an event, for storage and comparison: every GS1 identifier as its
 * constrained canonical Digital Link on id.gs1.org (GTIN-14, check digits computed, finest key
 * level), every standard CBV value as its bare word (the JSON binding's spelling), custom values
 * and non-GS1 identifiers unchanged. Partners who want EPC URNs get them at the edge (`toEpcUrn`).
 */
import { type CbvKind, cbvUrnToWebUri, toBareWord } from './cbv.ts';
import { normaliseIdentifier } from './identifiers.ts';
import type { EPCISEvent, Namespaces, QuantityElement } from './model.ts';

const EPC_LISTS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
const QUANTITY_LISTS = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
] as const;

/** Expands a CURIE (`cbv:BizStep-shipping`) with the document's prefixes; other values unchanged. */
function expandCurie(value: string, ns: Namespaces | undefined): string {
  if (!ns) return value;
  const colon = value.indexOf(':');
  if (colon <= 0) return value;
  const base = ns[value.slice(0, colon)];
  return base === undefined ? value : base + value.slice(colon + 1);
}

/** Standard CBV value → bare word; a CBV 1.x URN of a custom word → its Web URI; else unchanged. */
export function normaliseCbv(kind: CbvKind, value: string, ns?: Namespaces): string {
  const v = expandCurie(value, ns);
  return toBareWord(kind, v) ?? cbvUrnToWebUri(v);
}

function quantities(list: QuantityElement[]): QuantityElement[] {
  return list.map((q) => ({ ...q, epcClass: normaliseIdentifier(q.epcClass) }));
}

/**
 * Returns the event in normalised form (a new object; the input is not changed). `ns` maps the
 * document's prefixes to namespace URIs, for CURIE-written vocabulary values.
 */
export function normaliseEvent(event: EPCISEvent, ns?: Namespaces): EPCISEvent {
  // Object.assign, not a spread: V8 gives spread copies of JSON.parse'd objects maps outside the
  // transition tree, so each copy that later gains a property (eventID, recordTime, @context at
  // capture) gets a map of its own, and every property read on the events after that (the capture
  // pipeline, the store) goes megamorphic: ~1.5 µs more per event in each function that reads them.
  // (A member named __proto__ would set the prototype through Object.assign: such an event is
  // copied with the spread.)
  const e: EPCISEvent = Object.hasOwn(event, '__proto__') ? { ...event } : Object.assign({}, event);
  for (const k of EPC_LISTS) {
    const list = e[k];
    if (list) e[k] = list.map(normaliseIdentifier);
  }
  for (const k of QUANTITY_LISTS) {
    const list = e[k];
    if (list) e[k] = quantities(list);
  }
  if (e.parentID !== undefined) e.parentID = normaliseIdentifier(e.parentID);
  if (e.readPoint) e.readPoint = { ...e.readPoint, id: normaliseIdentifier(e.readPoint.id) };
  if (e.bizLocation) e.bizLocation = { ...e.bizLocation, id: normaliseIdentifier(e.bizLocation.id) };
  if (e.bizStep !== undefined) e.bizStep = normaliseCbv('bizStep', e.bizStep, ns);
  if (e.disposition !== undefined) e.disposition = normaliseCbv('disposition', e.disposition, ns);
  if (e.persistentDisposition) {
    const pd = e.persistentDisposition;
    e.persistentDisposition = {
      ...(pd.set ? { set: pd.set.map((d) => normaliseCbv('disposition', d, ns)) } : {}),
      ...(pd.unset ? { unset: pd.unset.map((d) => normaliseCbv('disposition', d, ns)) } : {}),
    };
  }
  if (e.bizTransactionList) {
    e.bizTransactionList = e.bizTransactionList.map((b) =>
      b.type === undefined ? { ...b } : { ...b, type: normaliseCbv('bizTransactionType', b.type, ns) },
    );
  }
  if (e.sourceList)
    e.sourceList = e.sourceList.map((s) => ({
      ...s,
      type: normaliseCbv('sourceDestType', s.type, ns),
      source: normaliseIdentifier(s.source),
    }));
  if (e.destinationList) {
    e.destinationList = e.destinationList.map((d) => ({
      ...d,
      type: normaliseCbv('sourceDestType', d.type, ns),
      destination: normaliseIdentifier(d.destination),
    }));
  }
  if (e.errorDeclaration?.reason !== undefined)
    e.errorDeclaration = {
      ...e.errorDeclaration,
      reason: normaliseCbv('errorReason', e.errorDeclaration.reason, ns),
    };
  if (e.sensorElementList) {
    e.sensorElementList = e.sensorElementList.map((se) => ({
      ...se,
      sensorReport: se.sensorReport.map((r) =>
        r.type === undefined ? { ...r } : { ...r, type: normaliseCbv('measurementType', r.type, ns) },
      ),
    }));
  }
  return e;
}
