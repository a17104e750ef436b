/**
 * Turning one read (and validated) event into a `NewEvent` for the store: Event Hash ID, the
 * normalised form, eventID, UTC times, identifier-index rows and references. Pure and synchronous;
 * it runs once per captured event, so it allocates little and calls nothing twice.
 */
import {
  type EPCISEvent,
  eventHashId,
  type HashContext,
  type Namespaces,
  normaliseEvent,
  parseEpcisDateTime,
} from '@rxtrace/epcis';
import type { EventIdentifier, EventReference, IdentifierRole, NewEvent } from '@rxtrace/store';

/** What an event needs from its document to be prepared. */
export interface EventContext {
  /** Context of the Event Hash ID (JSON: `hashContext(header)`; XML: `hashContextForXml(ns)`). */
  hash: HashContext;
  /** Prefixes for CURIE-written CBV values (`normaliseEvent`). */
  valuePrefixes: Namespaces | undefined;
  /**
   * The `@context` the stored event carries, so that its CURIE-named extensions stay resolvable
   * without the document (`undefined` when the document declares no prefixes of its own).
   */
  storedContext: unknown;
}

/**
 * An RFC 3339 / xs:dateTime instant as UTC with milliseconds (`2026-03-01T09:00:00.000Z`), the form
 * the store sorts and compares. A time without an offset (allowed by xs:dateTime) is taken as UTC;
 * a value that is no date-time at all is returned as it is (validation reports it).
 */
export function utcMillis(s: string): string {
  let ms = parseEpcisDateTime(s);
  if (Number.isNaN(ms)) {
    ms = Date.parse(/(?:Z|[+-]\d\d:\d\d)$/i.test(s) ? s : `${s}Z`);
    if (Number.isNaN(ms)) return s;
  }
  return new Date(ms).toISOString();
}

/**
 * Identifier-index rows of a *normalised* event, with the store's roles. Unlike `identifiersOf`
 * (which lists quantity classes under one role and normalises every value again), this reads the
 * values as `normaliseEvent` left them and keeps the four quantity lists apart
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

/**
 * Prepares one event. `recordTime` is left empty: the repository sets it when the unit of work is
 * written (see `stampRecordTime`). The input event is not changed.
 */
export function prepareEvent(raw: EPCISEvent, ctx: EventContext): NewEvent {
  const hashId = eventHashId(raw, ctx.hash);
  const e = normaliseEvent(raw, ctx.valuePrefixes);
  const eventId = typeof raw.eventID === 'string' && raw.eventID !== '' ? raw.eventID : hashId;
  e.eventID = eventId;
  if (ctx.storedContext !== undefined && e['@context'] === undefined) e['@context'] = ctx.storedContext;
  const ne: NewEvent = {
    event: e,
    eventId,
    hashId,
    eventTime: utcMillis(e.eventTime),
    recordTime: '',
    identifiers: indexRowsOf(e),
    references: referencesOf(e),
  };
  const ed = e.errorDeclaration;
  if (ed && typeof ed === 'object') {
    const decl: NonNullable<NewEvent['errorDeclaration']> = {
      declarationTime: utcMillis(ed.declarationTime),
      correctiveEventIds: Array.isArray(ed.correctiveEventIDs)
        ? ed.correctiveEventIDs.filter((x) => typeof x === 'string')
        : [],
    };
    if (typeof ed.reason === 'string') decl.reason = ed.reason;
    ne.errorDeclaration = decl;
  }
  return ne;
}

/** Sets the repository's recordTime on every event of a unit of work, just before it is written. */
export function stampRecordTime(events: NewEvent[], recordTime: string): void {
  for (let i = 0; i < events.length; i++) {
    const ne = events[i]!;
    ne.recordTime = recordTime;
    ne.event.recordTime = recordTime;
  }
}
