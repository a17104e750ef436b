/**
 * DSCSA product identifier verification (GS1 Lightweight Messaging Standard for Verification of
 * Product Identifiers 1.0.2): the records kept beside the event log.
 *
 * - The exchange log: every verification request answered (direction `in`) or sent (`out`), with
 *   the request, the answer (or the failure) and the times — the records a trading partner must be
 *   able to produce. Written in batches (one transaction for many exchanges), queryable, purged by
 *   a retention setting.
 * - The lookup directory: GTIN or GS1 Company Prefix → the responder URL of the product's
 *   manufacturer (the requester's routing table).
 * - Saleable returns: each return received, and per pack the verification outcome, whether it
 *   went back to sellable stock or to quarantine, and the exception raised for a failure.
 */

export type VerificationDirection = 'in' | 'out';

/** One verification exchange, as logged. */
export interface VerificationLogEntry {
  /** Unique (UUID). */
  id: string;
  direction: VerificationDirection;
  /** ISO time the request arrived / was sent. */
  at: string;
  gtin?: string | undefined;
  serial?: string | undefined;
  lot?: string | undefined;
  /** As requested, YYMMDD. */
  exp?: string | undefined;
  context?: string | undefined;
  reqGLN?: string | undefined;
  responderGLN?: string | undefined;
  corrUUID?: string | undefined;
  /** `verify` or `checkConnectivity`. */
  kind: 'verify' | 'checkConnectivity';
  /** HTTP status answered / received (0: no answer, e.g. a timeout). */
  status: number;
  verified?: boolean | undefined;
  verificationFailureReason?: string | undefined;
  additionalInfo?: string | undefined;
  /** For `out`: the URL called; for `in`: the path and query received. */
  url?: string | undefined;
  /** The answer's body (JSON) or an error message. */
  response?: string | undefined;
  /** Milliseconds between request and answer. */
  durationMs: number;
  /** For `out`: how many attempts were made. */
  attempts?: number | undefined;
  /** The API key (id) the request came with, for `in`. */
  keyId?: string | undefined;
}

export interface VerificationLogFilter {
  direction?: VerificationDirection;
  gtin?: string;
  serial?: string;
  reqGLN?: string;
  corrUUID?: string;
  /** at >= from (ISO). */
  from?: string;
  /** at < to (ISO). */
  to?: string;
}

/** A lookup directory entry: which responder answers for a GTIN or a whole company prefix. */
export interface DirectoryEntry {
  /** A 14-digit GTIN, or a GS1 Company Prefix (4 to 12 digits). */
  key: string;
  /** The responder's base URL (the Digital Link path is appended to it). */
  responderUrl: string;
  /** The responder's GLN (for the records), when known. */
  responderGLN?: string | undefined;
  /** A bearer token to send to this responder; never returned by the API. */
  token?: string | undefined;
  updatedAt: string;
}

export type ReturnOutcome = 'sellable' | 'quarantined';

/** One pack of a saleable return and what became of it. */
export interface ReturnItem {
  /** Canonical Digital Link of the pack. */
  packId: string;
  gtin: string;
  serial: string;
  lot?: string | undefined;
  /** YYYY-MM-DD as printed on the pack. */
  expiry?: string | undefined;
  /** `local` (we are the manufacturer) or the responder URL asked. */
  verifiedBy: string;
  verified: boolean;
  verificationFailureReason?: string | undefined;
  additionalInfo?: string | undefined;
  outcome: ReturnOutcome;
  /** The EPCIS event captured (receiving / quarantine). */
  eventId?: string | undefined;
  /** Present when the pack failed: the exception raised. */
  exception?: ReturnException | undefined;
}

export interface ReturnException {
  /** Why the pack may not go back to sellable stock (sentence). */
  reason: string;
  status: 'open' | 'resolved';
  resolvedAt?: string | undefined;
  resolvedBy?: string | undefined;
  resolution?: string | undefined;
}

export interface SaleableReturn {
  returnId: string;
  /** ISO time received. */
  at: string;
  /** Who received it (user). */
  user: string;
  /** The party returning the packs (GLN). */
  fromGLN?: string | undefined;
  /** Where the packs were received (canonical location id). */
  location?: string | undefined;
  items: ReturnItem[];
}

/** A raised exception with its pack, for the exception list. */
export interface ReturnExceptionRow extends ReturnException {
  returnId: string;
  packId: string;
  at: string;
  user: string;
  fromGLN?: string | undefined;
  verificationFailureReason?: string | undefined;
  additionalInfo?: string | undefined;
}

export interface VerificationStore {
  /** Appends exchanges in ONE transaction (durable when the promise resolves). */
  logExchanges(entries: VerificationLogEntry[]): Promise<void>;
  /** Newest first; `after` is the `next` of the previous page. */
  queryLog(
    filter: VerificationLogFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: VerificationLogEntry[]; next?: string }>;
  /** Deletes exchanges logged before `before` (ISO); the number deleted. */
  purgeLog(before: string): Promise<number>;

  /** Creates or replaces the entry of its key. */
  putDirectoryEntry(e: DirectoryEntry): Promise<void>;
  getDirectoryEntry(key: string): Promise<DirectoryEntry | undefined>;
  /** By key. */
  listDirectory(): Promise<DirectoryEntry[]>;
  deleteDirectoryEntry(key: string): Promise<boolean>;
  /** The entry for this GTIN-14: its own entry, else the longest company prefix matching it. */
  lookupResponder(gtin: string): Promise<DirectoryEntry | undefined>;

  /** Stores a return and its items (one transaction). */
  putReturn(r: SaleableReturn): Promise<void>;
  getReturn(returnId: string): Promise<SaleableReturn | undefined>;
  /** Newest first. */
  listReturns(page: { limit: number; after?: string }): Promise<{ items: SaleableReturn[]; next?: string }>;
  /** Exceptions raised by returns, newest first. */
  listReturnExceptions(status?: 'open' | 'resolved'): Promise<ReturnExceptionRow[]>;
  /** Resolves an open exception; false when there is none for that return and pack. */
  resolveReturnException(
    returnId: string,
    packId: string,
    r: { at: string; by: string; resolution: string },
  ): Promise<boolean>;
}

/** The company prefixes a GTIN-14 may belong to (4 to 12 digits after the indicator digit). */
export function prefixCandidates(gtin14: string): string[] {
  const out: string[] = [];
  for (let n = 12; n >= 4; n--) out.push(gtin14.slice(1, 1 + n));
  return out;
}

/** Orders directory matches: the GTIN itself first, then the longest prefix. */
export function bestDirectoryMatch(gtin14: string, entries: DirectoryEntry[]): DirectoryEntry | undefined {
  let best: DirectoryEntry | undefined;
  for (const e of entries) {
    if (e.key === gtin14) return e;
    if (e.key.length < 14 && gtin14.slice(1).startsWith(e.key) && (!best || e.key.length > best.key.length))
      best = e;
  }
  return best;
}

/** The exception part of an exception row. */
export function exceptionOf(e: ReturnExceptionRow): ReturnException {
  return {
    reason: e.reason,
    status: e.status,
    ...(e.resolvedAt ? { resolvedAt: e.resolvedAt } : {}),
    ...(e.resolvedBy ? { resolvedBy: e.resolvedBy } : {}),
    ...(e.resolution ? { resolution: e.resolution } : {}),
  };
}
