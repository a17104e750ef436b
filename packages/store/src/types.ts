/**
 * The Store interface: everything rxtrace persists goes through it. One implementation per
 * database (./sqlite, ./postgres), each passing the same test suite (./testing). The EPCIS event
 * log is the truth; indexes and job records are written in the same transaction as the events.
 *
 * Conventions: times are ISO 8601 UTC strings with milliseconds (`2026-03-01T09:00:00.000Z`), which
 * sort as text; identifiers are stored normalised (canonical Digital Link, see @rxtrace/epcis
 * `normaliseIdentifier`); CBV values as normalised by `normaliseEvent` (bare words for standard
 * values); `seq` is the capture order, strictly increasing, never reused.
 */
import type { EPCISEvent, VocabularyElement } from '@rxtrace/epcis';
import type { DscsaStore } from './dscsa.ts';
import type { FmdStore } from './fmd.ts';
import type { PackChange, PackStore } from './packs.ts';
import type { RecallStore } from './recalls.ts';
import type { RegistryStore } from './registry.ts';
import type { SerialStore } from './serials.ts';
import type { VerificationStore } from './verification.ts';

/** How an identifier takes part in an event (for MATCH_epc, MATCH_parentID, MATCH_anyEPC…). */
export type IdentifierRole =
  | 'epc'
  | 'parent'
  | 'child'
  | 'input'
  | 'output'
  | 'class'
  | 'childClass'
  | 'inputClass'
  | 'outputClass';

export interface EventIdentifier {
  role: IdentifierRole;
  /** Normalised identifier (canonical Digital Link, or the value as given when not a GS1 key). */
  id: string;
}

/** A party or transaction reference of an event, for EQ_bizTransaction_*, EQ_source_*, EQ_destination_*. */
export interface EventReference {
  kind: 'bizTransaction' | 'source' | 'destination';
  /** Type as normalised (bare CBV word or URI); '' when the bizTransaction has no type. */
  type: string;
  value: string;
}

/** One event ready to be stored: the core has validated, normalised and hashed it. */
export interface NewEvent {
  /** The event in normalised form, with `eventID` and `recordTime` set. */
  event: EPCISEvent;
  /** `eventID` (as given, or the hash ID when the partner sent none). */
  eventId: string;
  /** CBV 2.0 Event Hash ID. */
  hashId: string;
  /** eventTime in UTC with milliseconds (for ordering and ranges). */
  eventTime: string;
  recordTime: string;
  identifiers: EventIdentifier[];
  references: EventReference[];
  /** Present when the event is an error declaration (a correction of the event with this eventId). */
  errorDeclaration?: { declarationTime: string; reason?: string; correctiveEventIds: string[] };
  /**
   * The event's JSON text, when it was serialised where it was prepared (the capture workers): then
   * `event` may hold only the fields the store indexes directly (type, action, bizStep, disposition,
   * readPoint, bizLocation), and the text has no recordTime — the store's record time is the one.
   */
  body?: string;
  /** What the event does to pack state (see packs.ts); absent when it changes none. */
  packChange?: PackChange;
}

export interface StoredEvent {
  seq: number;
  eventId: string;
  hashId: string;
  eventType: string;
  eventTime: string;
  recordTime: string;
  captureId: string;
  /** The event as stored (normalised, with eventID and recordTime). */
  event: EPCISEvent;
  /** True when an error declaration for this event has been stored. */
  corrected: boolean;
  /** True for an error-declaration record itself. */
  isErrorDeclaration: boolean;
}

export type CaptureErrorBehaviour = 'rollback' | 'proceed';

export interface CaptureProblem {
  /** RFC 7807 fields; `type` carries the EPCIS exception (e.g. `epcisException:ValidationException`). */
  type: string;
  title: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Index of the event in the submitted document, when the problem is one event's. */
  eventIndex?: number;
  /** JSON pointer / line of the problem. */
  pointer?: string;
}

export interface CaptureJob {
  captureId: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: CaptureErrorBehaviour;
  /**
   * Events stored by this job (duplicates of already stored events are not counted). Kept by the
   * store: the number of events `append` stored under this captureId; the value passed in
   * `UnitOfWork.job` or `putCaptureJob` is ignored (the caller cannot know it before the
   * transaction that decides the duplicates).
   */
  eventCount: number;
  errors: CaptureProblem[];
}

/**
 * One atomic write: everything in it is stored, or nothing is. `events` are appended in order;
 * an event whose (hashId, isErrorDeclaration) is already stored — or appears earlier in the same
 * unit — is skipped (idempotent capture) and reported in `duplicates`. An error declaration marks
 * the events with its eventId as corrected, and an event stored after an error declaration with
 * its eventId is stored as corrected. Identifier and reference rows that repeat within one event
 * are stored once. Any failure (a constraint violated by a bad row, the disk) rejects the promise
 * and leaves nothing of the unit.
 */
export interface UnitOfWork {
  captureId: string;
  events: NewEvent[];
  masterData?: MasterDataElement[];
  /** The job's final state, written in the same transaction (durable before acknowledged). */
  job?: CaptureJob;
}

export interface AppendResult {
  /** seq of each stored event, in order, with its position in the unit's `events`. */
  stored: { eventId: string; seq: number; index: number }[];
  /** Events skipped because an identical event (same hash ID) is already stored. */
  duplicates: { eventId: string; hashId: string }[];
}

export interface MasterDataElement extends VocabularyElement {
  /** Vocabulary type URI, e.g. `urn:epcglobal:epcis:vtype:BusinessLocation`. */
  type: string;
}

/** Filters the store evaluates with its indexes. All present filters combine with AND. */
export interface EventFilter {
  eventTypes?: string[];
  eventTime?: { ge?: string; lt?: string };
  recordTime?: { ge?: string; lt?: string };
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  /** Already expanded with master-data descendants for WD_ queries. */
  readPoints?: string[];
  bizLocations?: string[];
  eventIds?: string[];
  /**
   * Identifier matches: every entry must match (AND); within an entry, any role × any value
   * (OR). `prefixes` match identifiers starting with them (EPC patterns become prefixes).
   */
  identifiers?: { roles: IdentifierRole[]; values?: string[]; prefixes?: string[] }[];
  /** Every entry must match; within an entry, any value. */
  references?: { kind: EventReference['kind']; type: string; values: string[] }[];
  errorDeclaration?: {
    exists?: boolean;
    declarationTime?: { ge?: string; lt?: string };
    reasons?: string[];
    correctiveEventIds?: string[];
  };
  /** Include error-declaration records (default true: EPCIS queries return them). */
  includeErrorDeclarations?: boolean;
  /**
   * Capture-order window: `seq > gt` and `seq <= le`. For subscriptions (events after
   * `lastAckedSeq`) and for a snapshot (`le: lastSeq()` taken before the first page).
   */
  seq?: { gt?: number; le?: number };
}

export type EventOrder = 'seq' | 'eventTime' | 'recordTime';

export interface EventPage {
  events: StoredEvent[];
  /** Opaque cursor for the next page; absent on the last page. Stable while new events arrive. */
  next?: string;
}

/**
 * Pages are keyset-paginated on (order key, seq): every event that exists when the first page is
 * read is returned exactly once across the pages, also while new events are appended between pages
 * (a new event shows up at most once: in a later page if it sorts after the cursor, else never).
 */
export interface QueryOptions {
  /** Default `seq` (capture order). */
  orderBy?: EventOrder;
  /** Default `ASC` (the store's default; the EPCIS default DESC is the query layer's business). */
  direction?: 'ASC' | 'DESC';
  /** Page size, ≥ 1 (the store may return fewer). */
  limit: number;
  /**
   * Cursor from a previous page of the same filter, orderBy and direction. A cursor that this
   * store did not issue for that orderBy and direction rejects with `InvalidCursorError`.
   */
  after?: string;
}

export interface NamedQuery {
  name: string;
  /** The query as submitted (query language JSON). */
  query: unknown;
  createdAt: string;
}

export interface Subscription {
  subscriptionId: string;
  queryName: string;
  /** Webhook URL. */
  dest: string;
  signatureToken?: string;
  stream: boolean;
  schedule?: Record<string, string>;
  reportIfEmpty: boolean;
  createdAt: string;
  initialRecordTime?: string;
  /** The seq up to which events have been delivered and acknowledged. */
  lastAckedSeq: number;
  lastNotifiedAt?: string;
}

export interface ApiKeyRecord {
  keyId: string;
  /** SHA-256 hex of the secret; the secret itself is never stored. */
  secretHash: string;
  roles: string[];
  label: string;
  createdAt: string;
  revokedAt?: string;
}

export interface Store {
  /** Which database this is (`sqlite`, `postgres`). */
  readonly dialect: string;
  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Capture
  /**
   * Writes a unit of work in one transaction, durable when the promise resolves. seq order is
   * commit order: once a reader has seen seq N, no event with a seq below N appears later.
   */
  append(uow: UnitOfWork): Promise<AppendResult>;
  /** Creates or replaces a job record (its eventCount is the store's, see `CaptureJob`). */
  putCaptureJob(job: CaptureJob): Promise<void>;
  /** undefined until a job record was put (through `putCaptureJob` or `UnitOfWork.job`). */
  getCaptureJob(captureId: string): Promise<CaptureJob | undefined>;
  /** Oldest first (createdAt, captureId). */
  listCaptureJobs(opts: { limit: number; after?: string }): Promise<{ jobs: CaptureJob[]; next?: string }>;

  // Query
  queryEvents(filter: EventFilter, opts: QueryOptions): Promise<EventPage>;
  /** Events with this eventID: the event and its error declarations. */
  getEventsById(eventId: string): Promise<StoredEvent[]>;
  /**
   * Distinct values seen in stored events (for /bizSteps, /readPoints, /epcs …), in byte order of
   * their UTF-8 form, paginated (`after`: the cursor from the previous page). `epc`: identifiers in
   * the instance roles (epc, parent, child, input, output).
   */
  distinctValues(
    field: 'eventType' | 'bizStep' | 'disposition' | 'readPoint' | 'bizLocation' | 'epc',
    opts: { limit: number; after?: string },
  ): Promise<{ values: string[]; next?: string }>;
  /** Highest seq stored (0 when empty). */
  lastSeq(): Promise<number>;
  countEvents(): Promise<number>;

  // Master data
  /** Creates or replaces elements, keyed by (type, id): attributes and children are replaced. */
  putMasterData(elements: MasterDataElement[]): Promise<void>;
  /** Elements of that type (all types when absent) and those ids (all when absent), by (type, id). */
  getMasterData(type?: string, ids?: string[]): Promise<MasterDataElement[]>;
  /**
   * The ids and all their direct and indirect children (for WD_readPoint / WD_bizLocation), over
   * the children of elements of any type; each once, cycles allowed; in no particular order.
   */
  descendants(ids: string[]): Promise<string[]>;

  // Named queries and subscriptions
  /** Stores a new named query; false (and nothing changed) when the name exists. */
  putNamedQuery(q: NamedQuery): Promise<boolean>;
  getNamedQuery(name: string): Promise<NamedQuery | undefined>;
  /** By name. */
  listNamedQueries(): Promise<NamedQuery[]>;
  /** Deletes the query and all its subscriptions (EPCIS: DELETE /queries/{name}); false when unknown. */
  deleteNamedQuery(name: string): Promise<boolean>;
  /** Creates or replaces a subscription; the named query must exist (else the promise rejects). */
  putSubscription(s: Subscription): Promise<void>;
  /** Oldest first (createdAt, subscriptionId). */
  listSubscriptions(queryName?: string): Promise<Subscription[]>;
  deleteSubscription(subscriptionId: string): Promise<boolean>;
  /** Raises lastAckedSeq to `seq` (never lowers it) and sets lastNotifiedAt; unknown id: no-op. */
  ackSubscription(subscriptionId: string, seq: number, notifiedAt: string): Promise<void>;

  // Access
  /** Creates or replaces (e.g. to set revokedAt). */
  putApiKey(k: ApiKeyRecord): Promise<void>;
  findApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** By keyId. */
  listApiKeys(): Promise<ApiKeyRecord[]>;

  /**
   * Synchronous writes for a writer on the store's own thread that receives a unit of work piece by
   * piece (the capture workers); absent where the database driver is asynchronous.
   */
  syncWriter?(): SyncUnitWriter;
}

/**
 * Writes in one open transaction, driven synchronously: `begin`, `write`…, then `commit` or
 * `rollback`, all in one synchronous run of the caller (never across an await — nothing else may
 * write on the connection meanwhile). `write` is `append` without the transaction; events of
 * earlier writes in the same transaction count for idempotence.
 */
export interface SyncUnitWriter {
  begin(): void;
  write(uow: UnitOfWork): AppendResult;
  /** Durable when it returns. */
  commit(): void;
  rollback(): void;
}

/**
 * The store `rxtrace serve` runs on: the event repository plus the domain parts derived from or
 * kept beside the log (each in its own file and table set: master data registry, serial numbers,
 * pack state). The SQLite and PostgreSQL stores are RxtraceStores; a bare `Store` (a test double
 * of the event repository) serves the EPCIS API only.
 */
export interface RxtraceStore extends Store {
  /** Master data: products, locations, trading partners (registry.ts). */
  readonly registry: RegistryStore;
  readonly serials: SerialStore;
  readonly packs: PackStore;
  /** DSCSA verification: exchange log, lookup directory, saleable returns (verification.ts). */
  readonly verification: VerificationStore;
  /** Recalls and withdrawals of lots and products (recalls.ts). */
  readonly recalls: RecallStore;
  /** EU FMD pack claims (fmd.ts). */
  readonly fmd: FmdStore;
  /** DSCSA exceptions between partners, suspect product cases (dscsa.ts). */
  readonly dscsa: DscsaStore;
}

/** True when the store offers the domain parts (products, serials, pack state …). */
export function isRxtraceStore(s: Store): s is RxtraceStore {
  return s.dialect === 'sqlite' || s.dialect === 'postgres';
}
