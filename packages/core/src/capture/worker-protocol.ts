/**
 * Messages between the capture workers (worker-thread.ts) and the thread that holds the store
 * (workers.ts). Two channels:
 * - control (the worker's own port, asynchronous on both sides): start / chunk / end / abort and
 *   the answers to writes, towards the worker; `consumed` (back-pressure) and `wake` (a write or the
 *   end is waiting) towards the store's thread.
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
export type FromWorkerControl = { t: 'consumed'; n: number } | { t: 'wake' };

/** From the worker, on the units channel (read synchronously). */
export type UnitMessage =
  | { t: 'events'; list: NewEvent[] }
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
