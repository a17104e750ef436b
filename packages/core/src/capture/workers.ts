/**
 * Capture workers: the capture pipeline of a document on a thread of its own while the thread that
 * holds the store writes the events it has prepared so far — parsing, validation, hashing and
 * normalisation overlap with the inserts instead of preceding them.
 *
 * Only for stores with a synchronous writer (SQLite): the store's thread receives the prepared
 * events synchronously (`receiveMessageOnPort`, waiting on a shared counter with `Atomics.wait`)
 * and writes them inside ONE transaction that never stays open across a turn of the event loop:
 * nothing else runs on that thread while it is open, so no other write can slip into it and no
 * reader on the connection can see it. That run starts only once the document has arrived whole
 * (or the pipeline asks for a write — proceed mode's intermediate units), so a slow client never
 * holds the write lock; the time it then takes is bounded by the pipeline's CPU time, like the one
 * `append` of the document it replaces.
 *
 * The rest is the pipeline's: rollback mode writes the document in that one transaction or nothing
 * (an invalid event rolls it back); proceed mode commits each unit; the job's final state is written
 * in the transaction of the last unit; durable before the outcome is returned.
 *
 * Back-pressure: at most `maxBufferedBytes` of the document wait in the worker; the rest stays in
 * the socket. A worker serves one document at a time; `tryAcquire` answers undefined when all are
 * busy (the caller then captures in process). A worker that stops answering for `timeoutMs` is
 * terminated and its document fails with nothing stored.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { AppendResult, CaptureJob, SyncUnitWriter } from '@rxtrace/store';
import type { CaptureDocumentInput, CaptureLimits, CaptureOutcome } from './pipeline.ts';
import {
  decodeEvents,
  type FromWorkerControl,
  type ToWorker,
  type UnitMessage,
  type WorkerInit,
} from './worker-protocol.ts';

export interface CaptureWorkerOptions {
  /** Worker threads. Default: the machine's parallelism less one (at least 1). */
  size?: number;
  /** A worker silent this long (ms) while the store's thread waits for it is terminated. Default 30,000. */
  timeoutMs?: number;
  /** Bytes of a document forwarded to a worker and not yet read by it. Default 8 MiB. */
  maxBufferedBytes?: number;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

export class CaptureWorkers {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxBuffered: number;
  private readonly idle: CaptureWorker[] = [];
  private readonly all = new Set<CaptureWorker>();
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(opts: CaptureWorkerOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? Math.max(1, availableParallelism() - 1)));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  /**
   * An idle worker that is ready, or undefined (all busy, still starting, or the pool closed): the
   * caller then captures in process. Workers start on first demand and serve once they have
   * loaded (~0.5 s), so the first documents after a start never wait for one.
   */
  tryAcquire(): CaptureWorker | undefined {
    if (this.closed) return undefined;
    for (let w = this.idle.pop(); w; w = this.idle.pop()) {
      if (!w.dead) return w;
      this.all.delete(w); // exited while idle
    }
    if (this.all.size < this.size) {
      const n = new CaptureWorker(this.timeoutMs, this.maxBuffered, (x) => this.release(x));
      this.all.add(n);
    }
    return undefined;
  }

  private release(w: CaptureWorker): void {
    if (w.dead || this.closed) {
      this.all.delete(w);
      if (!w.dead) void w.terminate();
      return;
    }
    this.idle.push(w);
    if (this.idle.length >= this.size) for (const r of this.waiting.splice(0)) r();
  }

  /** Starts every worker and resolves when all are ready and idle (tests, warm starts). */
  async started(): Promise<void> {
    while (this.all.size < this.size && !this.closed)
      this.all.add(new CaptureWorker(this.timeoutMs, this.maxBuffered, (x) => this.release(x)));
    if (this.idle.length >= this.size || this.closed) return;
    await new Promise<void>((r) => this.waiting.push(r));
  }

  /** Stops the workers (running captures are expected to have finished). */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
  }
}

export class CaptureWorker {
  dead = false;
  private busy = false;
  /** Called when the thread exits (a capture waiting on back-pressure must not wait forever). */
  private onExit: (() => void) | undefined;
  private readonly worker: Worker;
  private readonly units: MessagePort;
  private readonly signal: Int32Array;
  private onControl: ((m: FromWorkerControl) => void) | undefined;
  private exited: Promise<void>;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBuffered: number,
    private readonly release: (w: CaptureWorker) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.signal = new Int32Array(shared);
    this.units = port1;
    const init: WorkerInit = { units: port2, signal: shared };
    this.worker = new Worker(BOOTSTRAP, { workerData: init, transferList: [port2] });
    this.worker.unref();
    this.worker.on('message', (m: FromWorkerControl) => {
      if (m.t === 'ready') this.release(this);
      else this.onControl?.(m);
    });
    this.exited = new Promise<void>((resolve) => {
      this.worker.on('exit', () => {
        this.dead = true;
        this.onExit?.();
        if (!this.busy) this.release(this); // an idle or starting worker leaves the pool
        resolve();
      });
    });
    this.worker.on('error', () => {
      this.dead = true;
    });
  }

  async terminate(): Promise<void> {
    this.units.close();
    await this.worker.terminate();
    await this.exited;
  }

  /** Captures one document; the worker is released when the outcome is known. */
  async capture(
    writer: SyncUnitWriter,
    job: CaptureJob,
    input: CaptureDocumentInput,
    limits: CaptureLimits,
  ): Promise<CaptureOutcome> {
    this.busy = true;
    try {
      return await this.run(writer, job, input, limits);
    } finally {
      this.busy = false;
      this.onControl = undefined;
      this.onExit = undefined;
      this.release(this);
    }
  }

  private async run(
    writer: SyncUnitWriter,
    job: CaptureJob,
    input: CaptureDocumentInput,
    limits: CaptureLimits,
  ): Promise<CaptureOutcome> {
    const captureId = job.captureId;
    let outcome: CaptureOutcome | undefined;
    let inLoop = false;
    let buffered = 0;
    let resume: (() => void) | undefined;
    const wakeReader = () => {
      const r = resume;
      resume = undefined;
      r?.();
    };

    // The write transaction of the current unit (only ever open inside one synchronous `drain`).
    let inTx = false;
    let recordTime = '';
    let failure: string | undefined;
    let acc: AppendResult = { stored: [], duplicates: [] };
    const begin = () => {
      writer.begin();
      inTx = true;
      recordTime = new Date().toISOString();
    };
    const rollback = () => {
      if (inTx) writer.rollback();
      inTx = false;
      acc = { stored: [], duplicates: [] };
    };
    const answer = (m: ToWorker) => this.worker.postMessage(m);

    const handle = (m: UnitMessage): 'continue' | 'written' | 'done' => {
      switch (m.t) {
        case 'events': {
          if (failure !== undefined) return 'continue';
          try {
            if (!inTx) begin();
            const r = writer.write({ captureId, events: decodeEvents(m.flat, recordTime) });
            for (const x of r.stored) acc.stored.push(x);
            for (const x of r.duplicates) acc.duplicates.push(x);
          } catch (e) {
            failure = String((e as Error)?.message ?? e);
            rollback();
          }
          return 'continue';
        }
        case 'clear':
          rollback();
          failure = undefined;
          return 'continue';
        case 'write': {
          if (failure !== undefined) {
            answer({ t: 'written', error: failure });
            failure = undefined;
            rollback();
            return 'written';
          }
          try {
            if (!inTx) begin();
            const j = m.job;
            if (!j.running) j.finishedAt = recordTime;
            const r = writer.write({
              captureId,
              events: [],
              job: j,
              ...(m.masterData?.length ? { masterData: m.masterData } : {}),
            });
            writer.commit();
            inTx = false;
            const result: AppendResult = {
              stored: acc.stored,
              duplicates: r.duplicates.length ? acc.duplicates.concat(r.duplicates) : acc.duplicates,
            };
            acc = { stored: [], duplicates: [] };
            // Progress for status requests while the job runs (the job object is the service's).
            job.eventCount += result.stored.length;
            answer({ t: 'written', result, recordTime });
          } catch (e) {
            rollback();
            answer({ t: 'written', error: String((e as Error)?.message ?? e) });
          }
          return 'written';
        }
        case 'putJob': {
          rollback();
          failure = undefined;
          try {
            begin();
            writer.write({ captureId, events: [], job: m.job });
            writer.commit();
            inTx = false;
            answer({ t: 'jobPut' });
          } catch (e) {
            rollback();
            answer({ t: 'jobPut', error: String((e as Error)?.message ?? e) });
          }
          return 'written';
        }
        case 'done':
          rollback();
          outcome = m.outcome;
          return 'done';
      }
    };

    /**
     * Takes the worker's messages synchronously until the outcome (untilDone) or the next write.
     * Never returns with a transaction open.
     */
    const drain = (untilDone: boolean): void => {
      if (inLoop || outcome) return;
      inLoop = true;
      try {
        for (;;) {
          const seen = Atomics.load(this.signal, 0);
          const r = receiveMessageOnPort(this.units);
          if (r === undefined) {
            if (this.dead || Atomics.wait(this.signal, 0, seen, this.timeoutMs) === 'timed-out') {
              rollback();
              if (!this.dead) {
                this.dead = true;
                void this.worker.terminate();
              }
              outcome = failedOutcome(job, writer);
              return;
            }
            continue;
          }
          const step = handle(r.message as UnitMessage);
          if (step === 'done' || (step === 'written' && !untilDone)) return;
        }
      } finally {
        if (inTx) rollback();
        inLoop = false;
      }
    };

    this.onExit = wakeReader;
    this.onControl = (m) => {
      if (m.t === 'consumed') {
        buffered -= m.n;
        if (buffered < this.maxBuffered) wakeReader();
      } else if (m.t === 'wake') {
        drain(false);
        if (outcome) wakeReader();
      }
    };

    this.worker.postMessage({
      t: 'start',
      job,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      limits,
    } satisfies ToWorker);
    try {
      for await (const chunk of input.body) {
        if (outcome || this.dead) break;
        // A copy of its own (socket chunks share pooled memory), moved to the worker, not copied again.
        const bytes =
          typeof chunk === 'string'
            ? new TextEncoder().encode(chunk)
            : Uint8Array.prototype.slice.call(chunk);
        buffered += bytes.length;
        this.worker.postMessage({ t: 'chunk', bytes } satisfies ToWorker, [bytes.buffer as ArrayBuffer]);
        if (buffered >= this.maxBuffered && !outcome && !this.dead) {
          await new Promise<void>((r) => {
            resume = r;
          });
          if (outcome || this.dead) break;
        }
      }
      if (!outcome) this.worker.postMessage({ t: 'end' } satisfies ToWorker);
    } catch (e) {
      if (!outcome)
        this.worker.postMessage({
          t: 'abort',
          message: String((e as Error)?.message ?? e),
        } satisfies ToWorker);
    }
    drain(true);
    // drain(true) always ends with an outcome (the worker's, or a failure when it stopped).
    return outcome ?? failedOutcome(job, writer);
  }
}

/**
 * The outcome of a capture whose worker stopped answering or exited: units it had written
 * (proceed mode) stay stored and counted; the job's final state is written.
 */
function failedOutcome(job: CaptureJob, writer: SyncUnitWriter): CaptureOutcome {
  const stored = job.eventCount;
  const problem = {
    type: 'epcisException:ImplementationException',
    title: 'Capture failed',
    status: 500,
    detail:
      stored > 0
        ? `the capture worker stopped answering; the ${stored} events of the units written before stay stored, the rest of the document was not stored`
        : 'the capture worker stopped answering; nothing of the document was stored',
  };
  const j: CaptureJob = {
    ...job,
    running: false,
    success: false,
    finishedAt: new Date().toISOString(),
    errors: [...job.errors, problem],
  };
  try {
    writer.begin();
    writer.write({ captureId: job.captureId, events: [], job: j });
    writer.commit();
  } catch {
    writer.rollback(); // the store refused: the job stays as it is in memory
  }
  return {
    job: j,
    eventsRead: 0,
    stored,
    duplicates: 0,
    duplicateIds: [],
    invalid: 0,
    ...(stored === 0 ? { rejected: problem } : {}),
  };
}
