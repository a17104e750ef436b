/**
 * A capture worker: runs the capture pipeline (read, validate, hash, normalise, index rows, JSON
 * text) of one document at a time on its own thread, and streams the prepared events to the thread
 * that holds the store (workers.ts), which writes them as they come. Loaded by worker-bootstrap.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendResult, CaptureJob, MasterDataElement, NewEvent } from '@rxtrace/store';
import { captureDocumentWith, type UnitWriter } from './pipeline.ts';
import {
  encodeEvent,
  type FlatEvents,
  type ToWorker,
  type UnitMessage,
  type WorkerInit,
} from './worker-protocol.ts';

const control = parentPort!;
const init = workerData as WorkerInit;
const units = init.units;
const signal = new Int32Array(init.signal);

/** Events per message on the units channel (the first message of a unit: FIRST_BATCH). */
const BATCH = 128;
const FIRST_BATCH = 16;

function post(m: UnitMessage, wake: boolean): void {
  units.postMessage(m);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
  if (wake) control.postMessage({ t: 'wake' });
}

/** The document's bytes as they arrive; each chunk taken is reported for back-pressure. */
class Chunks implements AsyncIterable<Uint8Array> {
  private readonly list: Uint8Array[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | undefined;
  private wakeUp: (() => void) | undefined;

  push(c: Uint8Array): void {
    this.list.push(c);
    this.notify();
  }
  end(): void {
    this.ended = true;
    this.notify();
  }
  fail(message: string): void {
    this.failure = new Error(message);
    this.notify();
  }
  private notify(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.head < this.list.length) {
        const c = this.list[this.head]!;
        this.list[this.head++] = undefined as unknown as Uint8Array;
        control.postMessage({ t: 'consumed', n: c.length });
        yield c;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((r) => {
        this.wakeUp = r;
      });
    }
  }
}

/**
 * The units of work go to the store's thread as they are prepared: each event serialised here (its
 * JSON text, without recordTime), with only the fields the store indexes kept as an object.
 */
class ChannelWriter implements UnitWriter {
  size = 0;
  private flat: FlatEvents = [];
  private inBatch = 0;
  private answer: { resolve: (m: ToWorker) => void } | undefined;

  add(ne: NewEvent): void {
    encodeEvent(ne, this.flat); // serialises the event (its JSON text travels, not the object)
    this.size++;
    // A small first batch, so that the store's thread starts writing early.
    if (++this.inBatch >= (this.size <= FIRST_BATCH ? FIRST_BATCH : BATCH)) this.postBatch();
  }

  private postBatch(): void {
    if (this.inBatch === 0) return;
    post({ t: 'events', flat: this.flat }, false);
    this.flat = [];
    this.inBatch = 0;
  }

  clear(): void {
    this.flat = [];
    this.inBatch = 0;
    this.size = 0;
    post({ t: 'clear' }, false);
  }

  async write(
    job: CaptureJob,
    masterData: MasterDataElement[] | undefined,
    _recordTime: string,
  ): Promise<{ result: AppendResult; recordTime: string }> {
    this.postBatch();
    this.size = 0;
    const m = await this.request({ t: 'write', job, ...(masterData?.length ? { masterData } : {}) });
    if (m.t !== 'written' || m.error !== undefined || !m.result || m.recordTime === undefined)
      throw new Error(m.t === 'written' && m.error !== undefined ? m.error : 'no answer to a write');
    return { result: m.result, recordTime: m.recordTime };
  }

  async putJob(job: CaptureJob): Promise<void> {
    this.flat = [];
    this.inBatch = 0;
    this.size = 0;
    const m = await this.request({ t: 'putJob', job });
    if (m.t === 'jobPut' && m.error !== undefined) throw new Error(m.error);
  }

  private request(m: UnitMessage): Promise<ToWorker> {
    return new Promise<ToWorker>((resolve) => {
      this.answer = { resolve };
      post(m, true);
    });
  }

  /** An answer from the store's thread. */
  answered(m: ToWorker): void {
    const a = this.answer;
    this.answer = undefined;
    a?.resolve(m);
  }
}

let chunks: Chunks | undefined;
let writer: ChannelWriter | undefined;

control.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'start': {
      const c = new Chunks();
      const w = new ChannelWriter();
      chunks = c;
      writer = w;
      const input = {
        body: c,
        ...(m.contentType !== undefined ? { contentType: m.contentType } : {}),
        limits: m.limits,
      };
      captureDocumentWith(w, m.job, input)
        .catch((e: unknown) => {
          // The pipeline handles store and content failures itself; this is a bug guard.
          const job = m.job;
          job.running = false;
          job.success = false;
          job.finishedAt = new Date().toISOString();
          const problem = {
            type: 'epcisException:ImplementationException',
            title: 'Internal error',
            status: 500,
            detail: String((e as Error)?.message ?? e),
          };
          job.errors.push(problem);
          return {
            job,
            eventsRead: 0,
            stored: 0,
            duplicates: 0,
            duplicateIds: [],
            invalid: 0,
            rejected: problem,
          };
        })
        .then((outcome) => {
          if (chunks === c) chunks = undefined;
          if (writer === w) writer = undefined;
          post({ t: 'done', outcome }, true);
        });
      break;
    }
    case 'chunk':
      chunks?.push(m.bytes);
      break;
    case 'end':
      chunks?.end();
      break;
    case 'abort':
      chunks?.fail(m.message);
      break;
    case 'written':
    case 'jobPut':
      writer?.answered(m);
      break;
  }
});

control.postMessage({ t: 'ready' });
