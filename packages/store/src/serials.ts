/**
 * Serial number storage: pools, the serials issued from them and their lifecycle states.
 *
 * The uniqueness rule — a serial is never issued twice for the same key (a GTIN, or `sscc` for
 * logistic units) — is the database's: the serials table's primary key is (key, serial), across
 * all pools of the key, and a reservation is written in ONE transaction that is durable before the
 * promise resolves. A restart therefore never re-issues a serial and never loses an answered one.
 *
 * The store knows nothing of charsets or markets: the domain (`@rxtrace/core` serials) validates a
 * pool's configuration and hands the store a generator (random pools) or a formatter (counter
 * pools); the store detects collisions and asks the generator for replacements.
 */

/** Lifecycle states, in code order (the number stored is the index). */
export const SERIAL_STATES = [
  'unassigned',
  'reserved',
  'commissioned',
  'returned',
  'destroyed',
  'decommissioned',
] as const;
export type SerialState = (typeof SERIAL_STATES)[number];

export type SerialPoolKind = 'random' | 'sequential' | 'list' | 'sscc';

export interface SerialPoolRecord {
  poolId: string;
  /** The uniqueness scope: a 14-digit GTIN, or `sscc` for SSCC pools. */
  key: string;
  kind: SerialPoolKind;
  createdAt: string;
  /** The validated configuration (owned by the domain layer), stored as JSON. */
  config: Record<string, unknown>;
}

export interface ReserveMeta {
  poolId: string;
  key: string;
  count: number;
  lot?: string | undefined;
  expiry?: string | undefined;
  /** The line or contract manufacturer the serials are reserved for. */
  reservedFor?: string | undefined;
  /** ISO time of the reservation. */
  at: string;
  /**
   * The client's id for the request (idempotency): stored with the serials reserved, in the
   * reservation's transaction. An id that exists already: SerialRequestIdTakenError, nothing
   * reserved.
   */
  tag?: RequestTag | undefined;
}

/** A client-supplied request id and what the request asked (compared when the id comes again). */
export interface RequestTag {
  id: string;
  /** The request's parameters as the domain normalised them (JSON). */
  ask: Record<string, unknown>;
}

/** A reservation made under a client's request id, as stored: enough to answer it again. */
export interface TaggedRequest {
  id: string;
  ask: Record<string, unknown>;
  poolId: string;
  /** The reservation's number (ReservedBatch.requestId). */
  reservation: number;
  /** The serials answered, in the order answered. */
  serials: string[];
  data: (Record<string, string> | null)[] | null;
}

export interface ReservedBatch {
  /** The reservation's id (one per request). */
  requestId: number;
  serials: string[];
  /** Per-unit data of imported serials (same order), when the pool is a list. */
  data?: (Record<string, string> | null)[];
}

export interface SerialRecord {
  key: string;
  serial: string;
  state: SerialState;
  poolId: string | null;
  lot: string | null;
  expiry: string | null;
  reservedFor: string | null;
  reservedAt: string | null;
  changedAt: string | null;
  data: Record<string, string> | null;
}

export interface TransitionInput {
  key: string;
  serials: string[];
  /** States a serial may be in to make the change. */
  from: readonly SerialState[];
  to: SerialState;
  at: string;
  /** Set on the serials (commissioning: the lot and expiry printed). */
  lot?: string | undefined;
  expiry?: string | undefined;
  /** Serials the store does not know are inserted in state `to` (legacy stock), pool null. */
  addUnknown?: boolean;
}

export interface TransitionResult {
  /** True when every serial changed (or was added); else nothing was changed. */
  ok: boolean;
  changed: number;
  added: number;
  /** Serials in a state not in `from` (state null: never issued). Empty when ok. */
  refused: { serial: string; state: SerialState | null }[];
}

export interface ReconciliationRow {
  key: string;
  /** null: serials without a lot (reserved without one, never commissioned). */
  lot: string | null;
  counts: Record<SerialState, number>;
}

export class SerialPoolExhaustedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerialPoolExhaustedError';
  }
}

export class UnknownSerialPoolError extends Error {
  constructor(poolId: string) {
    super(`there is no serial pool ${JSON.stringify(poolId)}`);
    this.name = 'UnknownSerialPoolError';
  }
}

export class SerialRequestIdTakenError extends Error {
  readonly id: string;
  constructor(id: string) {
    super(`there is a serial request with id ${JSON.stringify(id)} already`);
    this.name = 'SerialRequestIdTakenError';
    this.id = id;
  }
}

export interface SerialStore {
  /** Creates a pool; false (nothing changed) when the poolId exists. */
  createPool(p: SerialPoolRecord): Promise<boolean>;
  getPool(poolId: string): Promise<SerialPoolRecord | undefined>;
  /** Pools of a key (all when absent), by poolId. */
  listPools(key?: string): Promise<SerialPoolRecord[]>;
  /**
   * Reserves `count` new serials drawn from `generate(n)` (n candidates per call): candidates that
   * exist for the key (any pool) or repeat within the request are replaced by new ones. Throws
   * SerialPoolExhaustedError when replacements keep colliding (the space is used up).
   */
  reserveRandom(m: ReserveMeta & { generate: (n: number) => string[] }): Promise<ReservedBatch>;
  /**
   * Reserves the next `count` values of the pool's counter (`format(i)` for i from the stored
   * counter on; values already taken for the key are skipped). The counter never passes `limit`
   * (exclusive): SerialPoolExhaustedError, nothing reserved.
   */
  reserveCounter(m: ReserveMeta & { limit: number; format: (i: number) => string }): Promise<ReservedBatch>;
  /** Reserves `count` unassigned serials of a list pool (imported), in serial order. */
  reserveListed(m: ReserveMeta): Promise<ReservedBatch>;
  /** The reservation made under a client's request id (ReserveMeta.tag), if any. */
  findRequest(id: string): Promise<TaggedRequest | undefined>;
  /** Adds serials to a list pool as unassigned; serials existing for the key are left as they are. */
  importSerials(
    poolId: string,
    items: { serial: string; data?: Record<string, string> | undefined }[],
    at: string,
  ): Promise<{ added: number; duplicates: string[] }>;
  /** All-or-nothing state change of serials of one key. */
  transition(t: TransitionInput): Promise<TransitionResult>;
  getSerial(key: string, serial: string): Promise<SerialRecord | undefined>;
  /** The state of each serial (null: unknown for the key), same order. */
  statesOf(key: string, serials: string[]): Promise<(SerialState | null)[]>;
  /** Counts per lot and state for a key (one lot when given). */
  reconcile(key: string, lot?: string): Promise<ReconciliationRow[]>;
  /** Counts per state of one pool. */
  poolCounts(poolId: string): Promise<Record<SerialState, number>>;
}

export function emptyCounts(): Record<SerialState, number> {
  return {
    unassigned: 0,
    reserved: 0,
    commissioned: 0,
    returned: 0,
    destroyed: 0,
    decommissioned: 0,
  };
}

/** Serials that appear more than once in a list (first repeats, in order). */
export function repeatedSerials(serials: readonly string[]): string[] {
  const seen = new Set<string>();
  const rep: string[] = [];
  for (const s of serials) {
    if (seen.has(s)) rep.push(s);
    else seen.add(s);
  }
  return rep;
}
