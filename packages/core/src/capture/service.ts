/**
 * Capture jobs: created when a capture starts (running, visible at once), finished by the pipeline,
 * whose final state is written to the store in the same transaction as the events. Running jobs
 * live in memory (a job that is still reading its document has nothing durable yet); finished ones
 * are read from the store.
 */
import { randomUUID } from 'node:crypto';
import type { CaptureErrorBehaviour, CaptureJob, CaptureProblem, Store } from '@rxtrace/store';
import {
  type CaptureDocumentInput,
  type CaptureLimits,
  type CaptureOutcome,
  captureDocument,
  DEFAULT_CAPTURE_LIMITS,
} from './pipeline.ts';
import { captureSingleEvent, type SingleEventInput, type SingleEventOutcome } from './single.ts';
import type { CaptureWorkers } from './workers.ts';

export interface CaptureStats {
  /** Events stored since start. */
  eventsStored: number;
  duplicates: number;
  invalid: number;
  jobs: { success: number; failure: number };
}

export interface CaptureServiceOptions {
  limits?: CaptureLimits;
  /** Called when a job finishes (for metrics and logs). */
  onFinished?: (outcome: CaptureOutcome) => void;
  /**
   * Capture workers (workers.ts): documents streamed in (not text in memory, no progress callback)
   * are prepared on a worker thread while this thread writes them, when the store has a synchronous
   * writer (SQLite) and a worker is free; otherwise they are captured in process.
   */
  workers?: CaptureWorkers;
}

export interface StartedCapture {
  captureId: string;
  /** The job as it is now (running). */
  job: CaptureJob;
  /** Resolves when the job has finished and its final state is durable. Never rejects. */
  done: Promise<CaptureOutcome>;
}

/** Marks the problem {@link CaptureService.recoverInterrupted} adds to a job it finishes. */
export const INTERRUPTED_TITLE = 'Capture interrupted';

/** The problem of a job that the process running it left unfinished (killed, crashed, powered off). */
export function interruptedProblem(job: CaptureJob): CaptureProblem {
  return {
    type: 'epcisException:ImplementationException',
    title: INTERRUPTED_TITLE,
    status: 500,
    detail:
      `the capture was interrupted: the process running it stopped before the job finished. ` +
      (job.captureErrorBehaviour === 'proceed'
        ? 'The events of its units of work written before the stop stay stored (counted in eventCount); the rest of the document was not stored. Send the document again: events already stored are recognised by their Event Hash ID and not stored twice.'
        : 'Nothing of the document was stored. Send it again.'),
    instance: `/capture/${job.captureId}`,
  };
}

export class CaptureService {
  readonly store: Store;
  readonly limits: CaptureLimits;
  private readonly running = new Map<string, { job: CaptureJob; done: Promise<CaptureOutcome> }>();
  private readonly onFinished: ((o: CaptureOutcome) => void) | undefined;
  private readonly workers: CaptureWorkers | undefined;
  private readonly listeners = new Set<(stored: number) => void>();
  readonly stats: CaptureStats = {
    eventsStored: 0,
    duplicates: 0,
    invalid: 0,
    jobs: { success: 0, failure: 0 },
  };

  constructor(store: Store, opts: CaptureServiceOptions = {}) {
    this.store = store;
    this.limits = opts.limits ?? {};
    this.onFinished = opts.onFinished;
    this.workers = opts.workers;
  }

  /** Starts capturing a document; the job is running from now on. */
  start(
    input: Omit<CaptureDocumentInput, 'errorBehaviour'> & {
      errorBehaviour?: CaptureErrorBehaviour;
      captureId?: string;
    },
  ): StartedCapture {
    const captureId = input.captureId ?? randomUUID();
    const job: CaptureJob = {
      captureId,
      createdAt: new Date().toISOString(),
      running: true,
      success: true,
      captureErrorBehaviour: input.errorBehaviour ?? 'rollback',
      eventCount: 0,
      errors: [],
    };
    const limits = { ...this.limits, ...input.limits };
    const body = input.body;
    const streamed =
      typeof body !== 'string' &&
      typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
    const worker =
      this.workers && streamed && input.onEvent === undefined && typeof this.store.syncWriter === 'function'
        ? this.workers.tryAcquire()
        : undefined;
    const run = worker
      ? worker.capture(this.store.syncWriter!(), job, input, { ...DEFAULT_CAPTURE_LIMITS, ...limits })
      : captureDocument(this.store, job, { ...input, limits });
    const done = run
      .catch((e: unknown): CaptureOutcome => {
        // The pipeline handles store and content failures itself; this is a bug guard.
        job.running = false;
        job.success = false;
        job.finishedAt = new Date().toISOString();
        job.errors.push({
          type: 'epcisException:ImplementationException',
          title: 'Internal error',
          status: 500,
          detail: String((e as Error)?.message ?? e),
        });
        return {
          job: { ...job },
          eventsRead: 0,
          stored: 0,
          duplicates: 0,
          duplicateIds: [],
          invalid: 0,
          rejected: job.errors[job.errors.length - 1]!,
        };
      })
      .then((o) => {
        this.running.delete(captureId);
        this.record(o);
        return o;
      });
    this.running.set(captureId, { job, done });
    return { captureId, job: { ...job }, done };
  }

  /** Captures a whole document and waits for the outcome. */
  async capture(input: Parameters<CaptureService['start']>[0]): Promise<CaptureOutcome> {
    return this.start(input).done;
  }

  /** `POST /events`: one bare event, synchronously. */
  async captureEvent(
    input: Omit<SingleEventInput, 'captureId'> & { captureId?: string },
  ): Promise<SingleEventOutcome> {
    const out = await captureSingleEvent(this.store, {
      ...input,
      captureId: input.captureId ?? randomUUID(),
    });
    if (out.ok) {
      this.stats.eventsStored++;
      this.stats.jobs.success++;
      this.captured(1);
    } else this.stats.invalid += out.problem.status === 400 ? 1 : 0;
    return out;
  }

  /**
   * Adds a listener called after each capture that stored events (documents and single events),
   * once the events are durable, outside the capture's transaction; it must return at once (start
   * its own asynchronous work). Returns a function that removes it.
   */
  addCaptureListener(f: (stored: number) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private captured(stored: number): void {
    if (stored > 0)
      for (const f of this.listeners)
        try {
          f(stored);
        } catch {
          /* a listener's failure is its own */
        }
  }

  private record(o: CaptureOutcome): void {
    this.captured(o.stored);
    this.stats.eventsStored += o.stored;
    this.stats.duplicates += o.duplicates;
    this.stats.invalid += o.invalid;
    if (o.job.success) this.stats.jobs.success++;
    else this.stats.jobs.failure++;
    this.onFinished?.(o);
  }

  /** A job: running ones from memory (a snapshot), finished ones from the store. */
  async getJob(captureId: string): Promise<CaptureJob | undefined> {
    const r = this.running.get(captureId);
    if (r) return { ...r.job, errors: [...r.job.errors] };
    return this.store.getCaptureJob(captureId);
  }

  /** Jobs, paginated by the store; running jobs not yet in the store lead the first page. */
  async listJobs(opts: { limit: number; after?: string }): Promise<{ jobs: CaptureJob[]; next?: string }> {
    const page = await this.store.listCaptureJobs(opts);
    if (opts.after !== undefined || this.running.size === 0) return page;
    const listed = new Set(page.jobs.map((j) => j.captureId));
    const live = [...this.running.values()]
      .filter((r) => !listed.has(r.job.captureId))
      .map((r) => ({ ...r.job, errors: [...r.job.errors] }));
    const jobs = page.jobs.map((j) => {
      const r = this.running.get(j.captureId);
      return r ? { ...r.job, errors: [...r.job.errors] } : j;
    });
    return { ...page, jobs: [...live, ...jobs] };
  }

  /**
   * Start-up recovery: a job the store holds as `running` that this service is not running was
   * left by a process that stopped without finishing it (SIGKILL, crash, power loss). Each one is
   * marked finished and failed, with an {@link interruptedProblem}; its eventCount stays the
   * store's (the events of units already written, proceed mode). Call once the store is migrated,
   * before or while captures start (jobs of this service are never touched). Assumes that no other
   * process is capturing into the same store at the time: its running jobs would be marked too.
   * Resolves to the ids of the jobs it finished.
   */
  async recoverInterrupted(): Promise<string[]> {
    const candidates: string[] = [];
    let after: string | undefined;
    do {
      const page = await this.store.listCaptureJobs(
        after === undefined ? { limit: 1000 } : { limit: 1000, after },
      );
      for (const j of page.jobs)
        if (j.running && !this.running.has(j.captureId)) candidates.push(j.captureId);
      after = page.next;
    } while (after !== undefined);
    const finished: string[] = [];
    for (const id of candidates) {
      // Read again just before writing: a job of this service that finished meanwhile says so.
      const job = await this.store.getCaptureJob(id);
      if (!job?.running || this.running.has(id)) continue;
      await this.store.putCaptureJob({
        ...job,
        running: false,
        success: false,
        finishedAt: new Date().toISOString(),
        errors: [...job.errors, interruptedProblem(job)],
      });
      finished.push(id);
    }
    return finished;
  }

  /** Jobs running now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** Waits until every running job has finished (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
