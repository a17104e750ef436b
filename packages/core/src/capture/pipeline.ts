/**
 * The capture pipeline: one EPCIS document (JSON-LD or XML, 2.0 or 1.2, EPCISDocument or
 * EPCISQueryDocument) from a stream of chunks into the store.
 *
 *   read (streaming, one event at a time) → validate → Event Hash ID → normalise → index rows
 *   → unit of work → Store.append (one transaction) → job's final state in the same transaction
 *
 * Atomicity and memory. The Store writes one `UnitOfWork` per transaction and has no transaction
 * that spans calls, so:
 * - `rollback` (default, all-or-nothing): the prepared `NewEvent`s of the whole document are held
 *   in memory and written by ONE `append` at the end, together with the master data and the job's
 *   final state. The document text is never held: only the prepared rows, and the events-per-call
 *   limit (`GS1-EPCIS-Capture-Limit`) bounds them. After the first invalid event nothing more is
 *   prepared (the rest is only validated, to report its problems) and the buffer is dropped.
 * - `proceed` (greedy): valid events are written in units of `batchSize` events, each unit carrying
 *   the job's running state; the last unit carries the master data and the final state. Memory is
 *   bounded by one batch.
 * Either way there is no per-event await on the store.
 *
 * recordTime is the repository's: one timestamp per unit of work, set just before it is written.
 * Idempotence: an event whose Event Hash ID is stored already (or repeated within the unit) is not
 * stored twice — the store skips it and reports it; it is counted in `duplicates` and the job still
 * succeeds. The job's eventCount is kept by the store.
 */
import {
  createValidationContext,
  type EPCISEvent,
  type EpcisChunkSource,
  type EpcisDocumentHeader,
  type EpcisReadProblem,
  hashContext,
  hashContextForXml,
  type JsonLdContext,
  jsonLdPrefixes,
  type Namespaces,
  normaliseIdentifier,
  readEpcisDocument,
  type ValidationContext,
  validateDocumentHeader,
  validateEvent,
  XML_VALUE_PREFIXES,
} from '@rxtrace/epcis';
import type {
  AppendResult,
  CaptureErrorBehaviour,
  CaptureJob,
  CaptureProblem,
  MasterDataElement,
  NewEvent,
  Store,
} from '@rxtrace/store';
import { type EventContext, prepareEvent, stampRecordTime } from './prepare.ts';
import { captureProblem, exceptionOfReadProblem, readProblem, validationProblem } from './problems.ts';

export interface CaptureLimits {
  /** Events per call (`GS1-EPCIS-Capture-Limit`). Default 100,000. */
  maxEvents?: number;
  /** Document size in bytes (`GS1-EPCIS-Capture-File-Size-Limit`). Default 256 MiB. */
  maxBytes?: number;
  /** `proceed` mode: events per unit of work. Default 5,000. */
  batchSize?: number;
  /** Problems recorded in a job (further ones are counted in a last summary problem). Default 100. */
  maxErrors?: number;
}

export const DEFAULT_CAPTURE_LIMITS: Readonly<Required<CaptureLimits>> = Object.freeze({
  maxEvents: 100_000,
  maxBytes: 256 * 1024 * 1024,
  batchSize: 5_000,
  maxErrors: 100,
});

export interface CaptureDocumentInput {
  /** The document: text or UTF-8 byte chunks (an HTTP request is such a stream). */
  body: EpcisChunkSource;
  /** The request's Content-Type; absent = sniffed from the content. */
  contentType?: string;
  errorBehaviour?: CaptureErrorBehaviour;
  limits?: CaptureLimits;
  /** Called after each event read (counts), for progress display. */
  onEvent?: (eventsRead: number) => void;
}

export interface CaptureOutcome {
  /** The job's final state, as written to the store. */
  job: CaptureJob;
  /**
   * Set when nothing of the document was stored because of an error (rollback mode with any
   * error, or a document refused as a whole): the main problem — its `status` is the HTTP status
   * that fits (400, 413, 415, 500).
   */
  rejected?: CaptureProblem;
  /** Events read from the document. */
  eventsRead: number;
  /** Events stored by this capture. */
  stored: number;
  /** Events not stored because they are stored already (same Event Hash ID). */
  duplicates: number;
  /** The first duplicates (at most 100), for reporting. */
  duplicateIds: { eventId: string; hashId: string }[];
  /** Events refused as invalid. */
  invalid: number;
}

function nowIso(): string {
  return new Date().toISOString();
}

/** Standard prefixes every EPCIS 2.0 JSON-LD document has through the standard context. */
const STANDARD_VALUE_PREFIXES: Namespaces = XML_VALUE_PREFIXES as Namespaces;

/** The inline prefix objects of a JSON-LD `@context` (what the stored events carry), or undefined. */
function inlineContext(ctx: JsonLdContext | undefined): unknown {
  if (ctx === undefined || typeof ctx === 'string') return undefined;
  if (Array.isArray(ctx)) {
    const objs = ctx.filter((c) => c !== null && typeof c === 'object' && Object.keys(c).length > 0);
    return objs.length ? objs : undefined;
  }
  return typeof ctx === 'object' && Object.keys(ctx).length ? [ctx] : undefined;
}

/** The header with an empty event list, as `validateDocumentHeader` wants it. */
function headerForValidation(h: EpcisDocumentHeader): Record<string, unknown> {
  const doc = { ...h } as Record<string, unknown>;
  const body = { ...((h.epcisBody as Record<string, unknown> | undefined) ?? {}) };
  const qr = body.queryResults;
  if (h.type === 'EPCISQueryDocument' || (qr !== null && typeof qr === 'object')) {
    const q = { ...((qr as Record<string, unknown> | undefined) ?? {}) };
    q.resultsBody = { ...((q.resultsBody as Record<string, unknown> | undefined) ?? {}), eventList: [] };
    body.queryResults = q;
  } else body.eventList = [];
  doc.epcisBody = body;
  return doc;
}

function sameShape(a: EpcisDocumentHeader, b: EpcisDocumentHeader): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ba = a.epcisBody ?? {};
  const bb = b.epcisBody ?? {};
  return JSON.stringify(ba) === JSON.stringify(bb) && ka.every((k) => k in b);
}

/** Master data of the document header (`epcisHeader.epcisMasterData`), ids normalised like event ids. */
export function masterDataOf(h: EpcisDocumentHeader | undefined): MasterDataElement[] {
  const list = h?.epcisHeader?.epcisMasterData?.vocabularyList;
  if (!Array.isArray(list)) return [];
  const out: MasterDataElement[] = [];
  for (const v of list) {
    if (!v || typeof v.type !== 'string' || !Array.isArray(v.vocabularyElementList)) continue;
    for (const el of v.vocabularyElementList) {
      if (!el || typeof el.id !== 'string') continue;
      const m: MasterDataElement = { type: v.type, id: normaliseIdentifier(el.id) };
      if (Array.isArray(el.attributes)) m.attributes = el.attributes;
      if (Array.isArray(el.children))
        m.children = el.children.map((c) => (typeof c === 'string' ? normaliseIdentifier(c) : c));
      out.push(m);
    }
  }
  return out;
}

/**
 * True when some member name in the event (at any depth) is a CURIE whose prefix is not in
 * `known`. The streaming XML reader names extension elements `prefix:local` as it meets them; a
 * namespace declared on an event itself is in the document's prefix map only after that event.
 */
function hasUnknownPrefix(v: unknown, known: ReadonlySet<string>): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object' && hasUnknownPrefix(x, known)) return true;
    }
    return false;
  }
  for (const k in v as Record<string, unknown>) {
    const c = k.indexOf(':');
    if (c > 0 && k.charCodeAt(0) !== 64 /* @ */ && !known.has(k.slice(0, c))) return true;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object' && hasUnknownPrefix(x, known)) return true;
  }
  return false;
}

/**
 * Where the pipeline's units of work go. The pipeline adds prepared events one by one and asks for
 * a write at the end of a unit (rollback mode: once, at the end of the document; proceed mode:
 * every `batchSize` events and at the end). `StoreUnitWriter` holds the unit in memory and writes
 * it with one `Store.append`; the capture workers (workers.ts) stream it to the thread that holds
 * the store, which writes it as it comes inside one transaction.
 */
export interface UnitWriter {
  /** Events added since the last write. */
  readonly size: number;
  add(ne: NewEvent): void;
  /** Drops the events added since the last write (rollback mode, after an invalid event). */
  clear(): void;
  /**
   * Writes the events added since the last write together with `job` (and master data), in one
   * transaction, durable when the promise resolves. `recordTime` is the proposed record time; the
   * answer says the one used (it is also the job's `finishedAt` when the job is finished).
   */
  write(
    job: CaptureJob,
    masterData: MasterDataElement[] | undefined,
    recordTime: string,
  ): Promise<{ result: AppendResult; recordTime: string }>;
  /** Creates or replaces the job record alone (the events added since the last write are not written). */
  putJob(job: CaptureJob): Promise<void>;
}

/** The in-process writer: the unit in memory, written by one `Store.append`. */
export class StoreUnitWriter implements UnitWriter {
  private events: NewEvent[] = [];
  constructor(
    private readonly store: Store,
    private readonly captureId: string,
  ) {}
  get size(): number {
    return this.events.length;
  }
  add(ne: NewEvent): void {
    this.events.push(ne);
  }
  clear(): void {
    this.events = [];
  }
  async write(
    job: CaptureJob,
    masterData: MasterDataElement[] | undefined,
    recordTime: string,
  ): Promise<{ result: AppendResult; recordTime: string }> {
    const events = this.events;
    this.events = [];
    stampRecordTime(events, recordTime);
    const result = await this.store.append({
      captureId: this.captureId,
      events,
      ...(masterData?.length ? { masterData } : {}),
      job,
    });
    return { result, recordTime };
  }
  putJob(job: CaptureJob): Promise<void> {
    return this.store.putCaptureJob(job);
  }
}

/**
 * Runs one capture. `job` is the job record (running); it is updated in place as the capture goes,
 * so that a status request sees its progress, and written to the store with the events.
 */
export function captureDocument(
  store: Store,
  job: CaptureJob,
  input: CaptureDocumentInput,
): Promise<CaptureOutcome> {
  return captureDocumentWith(new StoreUnitWriter(store, job.captureId), job, input);
}

/** `captureDocument` with the units of work going to `writer`. */
export async function captureDocumentWith(
  writer: UnitWriter,
  job: CaptureJob,
  input: CaptureDocumentInput,
): Promise<CaptureOutcome> {
  const limits = { ...DEFAULT_CAPTURE_LIMITS, ...input.limits };
  const rollback = job.captureErrorBehaviour !== 'proceed';

  let problems = 0; // all problems found (job.errors holds the first maxErrors)
  let rejectedBy: CaptureProblem | undefined; // the main problem when the document is refused as a whole
  let documentError = false;
  const addProblem = (p: CaptureProblem): void => {
    problems++;
    job.success = false;
    if (job.errors.length < limits.maxErrors) job.errors.push(p);
    if (!rejectedBy || (p.status === 413 && rejectedBy.status !== 413)) rejectedBy = p;
  };

  // Document state
  let format = 'json' as 'json' | 'xml';
  let firstHeader: EpcisDocumentHeader | undefined;
  let headerProblems: readonly CaptureProblem[] = [];
  let vctx: ValidationContext | undefined;
  let ectx: EventContext | undefined;
  let xmlKnown: Set<string> | undefined;
  const deferred: { raw: EPCISEvent; index: number }[] = [];

  // Units of work
  let eventsRead = 0;
  let stored = 0;
  let duplicates = 0;
  const duplicateIds: { eventId: string; hashId: string }[] = [];
  let invalid = 0;

  const account = (r: AppendResult): void => {
    stored += r.stored.length;
    duplicates += r.duplicates.length;
    for (const d of r.duplicates) if (duplicateIds.length < 100) duplicateIds.push(d);
  };

  /** Writes the current unit (proceed mode batches, and the last unit of either mode). */
  const flush = async (final: boolean, masterData?: MasterDataElement[]): Promise<void> => {
    const proposed = nowIso();
    const snapshot: CaptureJob = { ...job, errors: [...job.errors], eventCount: stored + writer.size };
    if (final) {
      snapshot.running = false;
      snapshot.finishedAt = proposed;
    }
    try {
      const { result, recordTime } = await writer.write(snapshot, masterData, proposed);
      account(result);
      job.eventCount = stored;
      if (final) {
        job.running = false;
        job.finishedAt = recordTime;
      }
    } catch (e) {
      addProblem(
        captureProblem(
          'ImplementationException',
          `the store refused the write: ${(e as Error).message ?? e}`,
        ),
      );
      if (rollback) rejectedBy = job.errors[job.errors.length - 1] ?? rejectedBy;
      throw new StoreFailure(e);
    }
  };

  const prepareInto = (raw: EPCISEvent, index: number): void => {
    try {
      writer.add(prepareEvent(raw, ectx!));
    } catch (e) {
      invalid++;
      addProblem(
        captureProblem('ValidationException', `the event could not be prepared: ${(e as Error).message}`, {
          eventIndex: index,
        }),
      );
    }
  };

  const onHeader = (h: EpcisDocumentHeader, f: 'json' | 'xml'): void => {
    format = f;
    firstHeader = h;
    const ctx = h['@context'];
    if (f === 'json') {
      vctx = createValidationContext({ warnings: false, maxProblems: limits.maxErrors });
      const found = validateDocumentHeader(headerForValidation(h), vctx).filter(
        (p) => p.severity === 'error',
      );
      headerProblems = found.map((p) => validationProblem(p));
      const prefixes = jsonLdPrefixes(ctx);
      ectx = {
        hash: hashContext(h),
        valuePrefixes: { ...STANDARD_VALUE_PREFIXES, ...prefixes },
        storedContext: inlineContext(ctx),
      };
      // A header fault other than a member that may still come after the event list refuses the
      // document at once.
      const definite = found.filter((p) => p.code !== 'required');
      if (definite.length) {
        documentError = true;
        for (const p of definite) addProblem(validationProblem(p));
        headerProblems = [];
      }
    } else {
      const ns = jsonLdPrefixes(ctx);
      xmlKnown = new Set(Object.keys(ns));
      vctx = createValidationContext({ warnings: false, maxProblems: limits.maxErrors });
      vctx.declareContext(ctx);
      vctx.eventListPointer =
        h.type === 'EPCISQueryDocument'
          ? '/epcisBody/queryResults/resultsBody/eventList'
          : '/epcisBody/eventList';
      ectx = {
        hash: hashContextForXml(ns, h),
        valuePrefixes: STANDARD_VALUE_PREFIXES,
        storedContext: Object.keys(ns).length ? [ns] : undefined,
      };
    }
  };

  const onEvent = (raw: EPCISEvent, index: number): void => {
    eventsRead++;
    if (documentError) return;
    // Validation: JSON — the JSON Schema verdict and the rules; XML — the reader checked the XSD
    // structure, the rules beyond the schema are checked here.
    const found = validateEvent(raw, `${vctx!.eventListPointer}/${index}`, vctx!);
    let bad = false;
    for (let i = 0; i < found.length; i++) {
      const p = found[i]!;
      if (p.severity !== 'error' || (format === 'xml' && p.source !== 'rule')) continue;
      if (!bad) invalid++;
      bad = true;
      addProblem(validationProblem(p, index));
    }
    if (bad) {
      if (rollback) writer.clear(); // nothing of this document will be stored
      return;
    }
    if (rollback && problems > 0) return; // rest is validated only
    if (format === 'xml' && hasUnknownPrefix(raw, xmlKnown!)) {
      deferred.push({ raw, index });
      return;
    }
    prepareInto(raw, index);
  };

  let endHeader: EpcisDocumentHeader | undefined;
  try {
    const reader = readEpcisDocument(input.body, {
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      limits: { maxEvents: limits.maxEvents, maxDocumentBytes: limits.maxBytes },
      // The JSON Schema judges the parsed value, where a repeated member keeps its last value (as
      // JSON.parse does); published valid examples repeat one.
      duplicateKeys: 'allow',
    });
    for await (const item of reader) {
      switch (item.kind) {
        case 'header':
          onHeader(item.header, item.format);
          break;
        case 'event':
          onEvent(item.event, item.index);
          input.onEvent?.(eventsRead);
          if (!rollback && writer.size >= limits.batchSize && !documentError) await flush(false);
          break;
        case 'end':
          endHeader = item.header;
          break;
        case 'error':
          documentError = true;
          addProblem(readProblem(item.error, vctx?.eventListPointer));
          break;
      }
    }
  } catch (e) {
    if (e instanceof StoreFailure) return finish(true);
    // The source failed (e.g. the client aborted the request).
    documentError = true;
    addProblem(
      captureProblem(
        'ValidationException',
        `the document could not be read to its end: ${(e as Error).message ?? e}`,
      ),
    );
  }

  if (endHeader && !documentError) {
    // Members after the event list (JSON): validate the complete header once more.
    if (format === 'json' && firstHeader && !sameShape(firstHeader, endHeader)) {
      headerProblems = validateDocumentHeader(
        headerForValidation(endHeader),
        createValidationContext({ warnings: false }),
      )
        .filter((p) => p.severity === 'error')
        .map((p) => validationProblem(p));
    }
    if (headerProblems.length) {
      documentError = true;
      for (const p of headerProblems) addProblem(p);
    }
    if (format === 'xml' && deferred.length && !(rollback && problems > 0)) {
      const ns = jsonLdPrefixes(endHeader['@context']);
      ectx = {
        hash: hashContextForXml(ns, endHeader),
        valuePrefixes: STANDARD_VALUE_PREFIXES,
        storedContext: Object.keys(ns).length ? [ns] : undefined,
      };
      for (const d of deferred) prepareInto(d.raw, d.index);
    }
  }
  return finish(false);

  async function finish(storeFailed: boolean): Promise<CaptureOutcome> {
    if (problems > job.errors.length) {
      job.errors.push(
        captureProblem(
          'ValidationException',
          `${problems - job.errors.length} more problems were found and not listed`,
        ),
      );
    }
    // What has not been written yet is refused: in rollback mode on any problem, in proceed mode
    // on a fault of the document as a whole (syntax, limit, header). Units written earlier in
    // proceed mode stay.
    const refuseRest = rollback ? problems > 0 : documentError;
    if (!storeFailed) {
      try {
        if (refuseRest) {
          writer.clear();
          const finishedAt = nowIso();
          await writer.putJob({
            ...job,
            running: false,
            finishedAt,
            errors: [...job.errors],
            eventCount: stored,
          });
          job.running = false;
          job.finishedAt = finishedAt;
        } else {
          await flush(true, masterDataOf(endHeader));
        }
      } catch (e) {
        if (!(e instanceof StoreFailure))
          addProblem(
            captureProblem(
              'ImplementationException',
              `the job could not be recorded: ${(e as Error).message}`,
            ),
          );
        storeFailed = true;
      }
    }
    if (storeFailed) {
      job.running = false;
      job.finishedAt ??= nowIso();
      try {
        await writer.putJob({ ...job, errors: [...job.errors] });
      } catch {
        // The store is not writable: the job stays as it is in memory; nothing was acknowledged.
      }
    }
    job.eventCount = stored;
    const out: CaptureOutcome = {
      job: { ...job, errors: [...job.errors] },
      eventsRead,
      stored,
      duplicates,
      duplicateIds,
      invalid,
    };
    if ((refuseRest || storeFailed) && stored === 0 && rejectedBy) out.rejected = rejectedBy;
    return out;
  }
}

class StoreFailure extends Error {
  constructor(readonly original: unknown) {
    super('store failure');
  }
}

/** Whether a reader problem refuses the document as a whole with a limit (413). */
export function isLimitProblem(p: EpcisReadProblem): boolean {
  return exceptionOfReadProblem(p) === 'CaptureLimitExceededException';
}
