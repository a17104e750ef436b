/**
 * Which event changes what in pack state: a pure function from a normalised event (CBV values as
 * bare words, identifiers as canonical Digital Links) to a `PackChange`. The store applies it.
 *
 * - Status: from the disposition when it says something about the object's life (active,
 *   in_transit, dispensed, destroyed, recalled…), else from the bizStep (commissioning → active,
 *   shipping → in_transit, receiving → active, dispensing → dispensed…), else from the action
 *   (ObjectEvent DELETE → decommissioned). A disposition that says nothing of the sort (e.g.
 *   container_closed) keeps the status.
 * - Where: bizLocation (kept when the event has none) and readPoint.
 * - Who: source / destination lists of type owning_party / possessing_party. A shipping event
 *   confirms the source parties (the shipper owns and holds the goods in transit); any other
 *   event (receiving…) sets the destination parties, else the source parties.
 * - Lot and expiry: the ILMD `lotNumber` / `itemExpirationDate` (ObjectEvent ADD, transformation
 *   outputs).
 * - Containment: AggregationEvent ADD puts the children into the parent, DELETE takes the listed
 *   children (all when none) out; an object that leaves the chain (decommissioned, dispensed,
 *   destroyed, sold) leaves its container; transformation inputs are consumed.
 * - Inference: an event on a container applies to its contents (ObjectEvent OBSERVE / DELETE,
 *   AggregationEvent, TransactionEvent): what is done to a pallet is done to every case and pack
 *   on it.
 */
import type { EPCISEvent } from '@rxtrace/epcis';
import type { PackChange, PackFields } from '@rxtrace/store';

/** Disposition (bare CBV word) → status. */
const STATUS_OF_DISPOSITION: Record<string, string> = {
  active: 'active',
  sellable_accessible: 'active',
  sellable_not_accessible: 'active',
  in_transit: 'in_transit',
  in_progress: 'in_progress',
  encoded: 'encoded',
  dispensed: 'dispensed',
  partially_dispensed: 'partially_dispensed',
  destroyed: 'destroyed',
  disposed: 'destroyed',
  inactive: 'inactive',
  recalled: 'recalled',
  stolen: 'stolen',
  expired: 'expired',
  damaged: 'damaged',
  returned: 'returned',
  retail_sold: 'sold',
  non_sellable_other: 'non_sellable',
  no_pedigree_match: 'quarantined',
  mismatch_instance: 'quarantined',
  mismatch_class: 'quarantined',
  mismatch_quantity: 'quarantined',
  needs_replacement: 'non_sellable',
  reserved: 'reserved',
  unavailable: 'unavailable',
  available: 'active',
  conformant: 'active',
  nonconformant: 'quarantined',
  unknown: 'unknown',
};

/** bizStep (bare CBV word) → status, when the disposition gives none. */
const STATUS_OF_BIZSTEP: Record<string, string> = {
  commissioning: 'active',
  encoding: 'encoded',
  shipping: 'in_transit',
  departing: 'in_transit',
  receiving: 'active',
  accepting: 'active',
  arriving: 'active',
  dispensing: 'dispensed',
  destroying: 'destroyed',
  decommissioning: 'decommissioned',
  retail_selling: 'sold',
  stealing: 'stolen',
  void_shipping: 'active',
};

/** Statuses of objects that left the supply chain: they leave their container. */
const GONE = new Set(['dispensed', 'destroyed', 'decommissioned', 'sold']);

function local(key: string): string {
  const i = Math.max(key.lastIndexOf(':'), key.lastIndexOf('#'), key.lastIndexOf('/'));
  return i >= 0 ? key.slice(i + 1) : key;
}

function ilmdValue(ilmd: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!ilmd) return undefined;
  for (const k of Object.keys(ilmd)) {
    if (local(k) !== name) continue;
    const v = ilmd[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function party(
  list: { type?: string; source?: string; destination?: string }[] | undefined,
  type: string,
): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const x of list) {
    if (!x || (x.type !== type && local(String(x.type)) !== type)) continue;
    const v = x.source ?? x.destination;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/** The pack change of a normalised event; undefined when it names no serialized object. */
export function packChangeOf(e: EPCISEvent, eventTime: string): PackChange | undefined {
  if (e.errorDeclaration) return undefined;
  const type = e.type;
  const action = e.action;
  const epcs = strings(e.epcList);
  const parent = typeof e.parentID === 'string' ? e.parentID : undefined;
  const children = strings(e.childEPCs);
  const inputs = strings(e.inputEPCList);
  const outputs = strings(e.outputEPCList);
  if (epcs.length + children.length + inputs.length + outputs.length === 0 && parent === undefined)
    return undefined;

  const set: PackFields = {};
  const disposition = e.disposition;
  const bizStep = e.bizStep;
  let status =
    (disposition && STATUS_OF_DISPOSITION[disposition]) ||
    (bizStep && STATUS_OF_BIZSTEP[bizStep]) ||
    undefined;
  if (!status && type === 'ObjectEvent' && action === 'DELETE') status = 'decommissioned';
  if (status) set.status = status;
  if (disposition) set.disposition = disposition;
  if (bizStep) set.bizStep = bizStep;
  if (e.bizLocation?.id) set.location = e.bizLocation.id;
  if (e.readPoint?.id) set.readPoint = e.readPoint.id;
  const srcOwner = party(e.sourceList, 'owning_party');
  const srcHolder = party(e.sourceList, 'possessing_party');
  const dstOwner = party(e.destinationList, 'owning_party');
  const dstHolder = party(e.destinationList, 'possessing_party');
  const owner = bizStep === 'shipping' ? srcOwner : (dstOwner ?? srcOwner);
  const holder = bizStep === 'shipping' ? srcHolder : (dstHolder ?? srcHolder);
  if (owner) set.owner = owner;
  if (holder) set.possessor = holder;

  const ch: PackChange = { time: eventTime, subjects: [], set, inherit: false };
  if (type === 'AggregationEvent') {
    if (parent !== undefined) {
      ch.subjects = [parent, ...children];
      if (action === 'ADD') ch.containment = { op: 'add', parent, children };
      else if (action === 'DELETE') ch.containment = { op: 'delete', parent, children };
    } else ch.subjects = children;
    ch.inherit = true;
  } else if (type === 'TransformationEvent') {
    ch.subjects = outputs;
    if (inputs.length > 0) ch.consumed = inputs;
  } else {
    ch.subjects = parent !== undefined ? [parent, ...epcs] : epcs;
    // Commissioning (ADD) names new objects: no contents yet. Any other event applies to contents.
    ch.inherit = !(type === 'ObjectEvent' && action === 'ADD');
  }
  if ((type === 'ObjectEvent' && action === 'ADD') || type === 'TransformationEvent') {
    const lot = ilmdValue(e.ilmd, 'lotNumber');
    const expiry = ilmdValue(e.ilmd, 'itemExpirationDate');
    if (lot !== undefined) ch.lot = lot;
    if (expiry !== undefined) ch.expiry = expiry;
  }
  if (status && GONE.has(status) && type !== 'AggregationEvent') ch.detach = ch.subjects.slice();
  if (ch.subjects.length === 0 && !ch.containment && !ch.consumed) return undefined;
  return ch;
}
