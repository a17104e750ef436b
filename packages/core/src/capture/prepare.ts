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
import { indexRowsOf, type NewEvent, referencesOf } from '@rxtrace/store';
import { packChangeOf } from '../state/rules.ts';

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
  const packChange = packChangeOf(e, ne.eventTime); // pack state (core/state)
  if (packChange) ne.packChange = packChange;
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
