/**
 * Messages between the capture workers (worker-thread.ts) and the thread that holds the store
 * (workers.ts). Two channels:
 * - control (the worker's own port, asynchronous on both sides): start / chunk / end / abort and
 *   the answers to writes, towards the worker; `ready` (loaded), `consumed` (back-pressure) and
 *   `wake` (a write or the end is waiting) towards the store's thread.
 * - units (a MessageChannel read synchronously with `receiveMessageOnPort`, with a shared counter to
 *   wait on): the prepared events and the write requests, in order, towards the store's thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AppendResult, CaptureJob, MasterDataElement, NewEvent } from '@rxtrace/store';
import type { CaptureLimits, CaptureOutcome } from './pipeline.ts';

/** To the worker, on its control port. */
export type ToWorker =
  | { t: 'start'; job: CaptureJob; contentType?: string; limits: CaptureLimits }
  | { t: 'chunk'; bytes: Uint8Array }
  | { t: 'end' }
  | { t: 'abort'; message: string }
  | { t: 'written'; result?: AppendResult; recordTime?: string; error?: string }
  | { t: 'jobPut'; error?: string };

/** From the worker, on its control port. */
export type FromWorkerControl = { t: 'consumed'; n: number } | { t: 'wake' } | { t: 'ready' };

/** From the worker, on the units channel (read synchronously). */
export type UnitMessage =
  | { t: 'events'; flat: FlatEvents }
  | { t: 'clear' }
  | { t: 'write'; job: CaptureJob; masterData?: MasterDataElement[] }
  | { t: 'putJob'; job: CaptureJob }
  | { t: 'done'; outcome: CaptureOutcome };

/** What the worker receives as `workerData`. */
export interface WorkerInit {
  units: MessagePort;
  /** Int32Array over it: [0] counts messages posted on `units`. */
  signal: SharedArrayBuffer;
}

/**
 * Prepared events travel as one flat array of primitives per batch: a structured clone of nested
 * objects costs ~5 µs per event to rebuild on the receiving thread (more than inserting it), a flat
 * array of strings under 1 µs. Layout per event, in order:
 *   eventId, hashId, eventTime, body, type, action, bizStep, disposition, readPoint, bizLocation
 *   (absent fields null), n identifiers then (role, id)×n, n references then (kind, type, value)×n,
 *   declarationTime (null when not an error declaration) then reason, n ids, ids…, packChange as
 *   JSON text or null.
 */
export type FlatEvents = (string | number | null)[];

export function encodeEvent(ne: NewEvent, out: FlatEvents): void {
  const e = ne.event;
  out.push(
    ne.eventId,
    ne.hashId,
    ne.eventTime,
    ne.body ?? JSON.stringify(e),
    e.type,
    e.action ?? null,
    e.bizStep ?? null,
    e.disposition ?? null,
    e.readPoint?.id ?? null,
    e.bizLocation?.id ?? null,
  );
  const ids = ne.identifiers;
  out.push(ids.length);
  for (let i = 0; i < ids.length; i++) out.push(ids[i]!.role, ids[i]!.id);
  const refs = ne.references;
  out.push(refs.length);
  for (let i = 0; i < refs.length; i++) out.push(refs[i]!.kind, refs[i]!.type, refs[i]!.value);
  const d = ne.errorDeclaration;
  if (d) {
    out.push(d.declarationTime, d.reason ?? null, d.correctiveEventIds.length);
    for (const c of d.correctiveEventIds) out.push(c);
  } else out.push(null);
  out.push(ne.packChange === undefined ? null : JSON.stringify(ne.packChange));
}

/** The events of a flat batch, with `recordTime` set. */
export function decodeEvents(a: FlatEvents, recordTime: string): NewEvent[] {
  const out: NewEvent[] = [];
  let i = 0;
  const str = () => a[i++] as string;
  const opt = () => (a[i++] as string | null) ?? undefined;
  while (i < a.length) {
    const eventId = str();
    const hashId = str();
    const eventTime = str();
    const body = str();
    const event: Record<string, unknown> = { type: str() };
    const action = opt();
    if (action !== undefined) event.action = action;
    const bizStep = opt();
    if (bizStep !== undefined) event.bizStep = bizStep;
    const disposition = opt();
    if (disposition !== undefined) event.disposition = disposition;
    const readPoint = opt();
    if (readPoint !== undefined) event.readPoint = { id: readPoint };
    const bizLocation = opt();
    if (bizLocation !== undefined) event.bizLocation = { id: bizLocation };
    const nIds = a[i++] as number;
    const identifiers: NewEvent['identifiers'] = new Array(nIds);
    for (let k = 0; k < nIds; k++)
      identifiers[k] = { role: str() as NewEvent['identifiers'][number]['role'], id: str() };
    const nRefs = a[i++] as number;
    const references: NewEvent['references'] = new Array(nRefs);
    for (let k = 0; k < nRefs; k++)
      references[k] = { kind: str() as NewEvent['references'][number]['kind'], type: str(), value: str() };
    const ne: NewEvent = {
      event: event as unknown as NewEvent['event'],
      eventId,
      hashId,
      eventTime,
      recordTime,
      identifiers,
      references,
      body,
    };
    const declTime = opt();
    if (declTime !== undefined) {
      const reason = opt();
      const n = a[i++] as number;
      const correctiveEventIds: string[] = new Array(n);
      for (let k = 0; k < n; k++) correctiveEventIds[k] = str();
      ne.errorDeclaration = { declarationTime: declTime, correctiveEventIds };
      if (reason !== undefined) ne.errorDeclaration.reason = reason;
    }
    const pc = opt();
    if (pc !== undefined) ne.packChange = JSON.parse(pc);
    out.push(ne);
  }
  return out;
}
