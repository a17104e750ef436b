/**
 * What the store indexes of an event: one row per identifier it touches (with its role) and one per
 * bizTransaction / source / destination. Defined here, beside the roles the queries match on.
 */
import type { EPCISEvent } from '@rxtrace/epcis';
import type { EventIdentifier, EventReference, IdentifierRole } from './types.ts';

/**
 * Identifier-index rows of a *normalised* event (see `normaliseEvent` of @rxtrace/epcis), with the
 * store's roles. It reads the values as they are and keeps the four quantity lists apart
 * (`class`, `childClass`, `inputClass`, `outputClass`), as MATCH_epcClass / MATCH_inputEPCClass… need.
 */
export function indexRowsOf(e: EPCISEvent): EventIdentifier[] {
  const out: EventIdentifier[] = [];
  push(out, 'epc', e.epcList);
  if (typeof e.parentID === 'string') out.push({ role: 'parent', id: e.parentID });
  push(out, 'child', e.childEPCs);
  push(out, 'input', e.inputEPCList);
  push(out, 'output', e.outputEPCList);
  pushClasses(out, 'class', e.quantityList);
  pushClasses(out, 'childClass', e.childQuantityList);
  pushClasses(out, 'inputClass', e.inputQuantityList);
  pushClasses(out, 'outputClass', e.outputQuantityList);
  return out;
}

function push(out: EventIdentifier[], role: IdentifierRole, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (typeof id === 'string') out.push({ role, id });
  }
}

function pushClasses(out: EventIdentifier[], role: IdentifierRole, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const q = list[i] as { epcClass?: unknown } | null;
    if (q && typeof q.epcClass === 'string') out.push({ role, id: q.epcClass });
  }
}

/** bizTransaction / source / destination references of a normalised event. */
export function referencesOf(e: EPCISEvent): EventReference[] {
  const out: EventReference[] = [];
  const bt = e.bizTransactionList;
  if (Array.isArray(bt))
    for (const b of bt)
      if (b && typeof b.bizTransaction === 'string')
        out.push({ kind: 'bizTransaction', type: b.type ?? '', value: b.bizTransaction });
  const src = e.sourceList;
  if (Array.isArray(src))
    for (const s of src)
      if (s && typeof s.source === 'string')
        out.push({ kind: 'source', type: s.type ?? '', value: s.source });
  const dst = e.destinationList;
  if (Array.isArray(dst))
    for (const d of dst)
      if (d && typeof d.destination === 'string')
        out.push({ kind: 'destination', type: d.type ?? '', value: d.destination });
  return out;
}
