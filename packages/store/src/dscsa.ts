/**
 * DSCSA records kept beside the event log (migration 8): exceptions between trading partners
 * (the PDG exception categories, raised when a receipt does not match the shipment's data, and
 * their resolutions), suspect / illegitimate product cases (steps with who and when), and the
 * cursor of the receipt check (the last event seq it has compared). Bodies are plain JSON; the
 * columns they are looked up by sit beside them.
 */

/** Categories of the exception report schema between partners (plus two justified additions). */
export const EXCEPTION_CATEGORIES = [
  /** Product received without EPCIS data for it (PDG: missing_data). */
  'missing_data',
  /** EPCIS data shipped for product that did not arrive (PDG: missing_product). */
  'missing_product',
  /** More of a GTIN/lot received than the data says. */
  'overages',
  /** Less of a GTIN/lot received than the data says. */
  'underages',
  /** A GTIN the receiver's master data does not know (invalid or proposed GTIN). */
  'invalid_gtin',
  /** A party or location GLN the receiver's master data does not know or does not authorise. */
  'invalid_gln',
  /** Received lot / expiry differ from the shipped data for the same serial. */
  'data_mismatch',
  /** Received from a party other than the one the shipment names as its source. */
  'wrong_party',
] as const;
export type ExceptionCategory = (typeof EXCEPTION_CATEGORIES)[number];

/** Resolutions of the exception schema's fixed list. */
export const EXCEPTION_RESOLUTIONS = [
  'send_new_data',
  'send_product',
  'return_product',
  'send_back_product',
  'credit',
  'debit',
  /** Closed without action (e.g. raised in error), with a text. */
  'no_action',
] as const;
export type ExceptionResolution = (typeof EXCEPTION_RESOLUTIONS)[number];

export interface PartnerException {
  /** urn:uuid: case id. */
  id: string;
  /** One item of the exception (serial id, or GTIN/lot key); with receiptEventId and category unique. */
  itemKey: string;
  /** urn:uuid: item id of the exception report. */
  itemId: string;
  category: ExceptionCategory;
  status: 'open' | 'resolved';
  /** Receiving event (eventId) that raised it; manual exceptions: a free reference. */
  receiptEventId: string;
  /** Shipping event it was compared with, when one was found. */
  shipmentEventId?: string;
  /** bizTransaction ids shared by both. */
  bizTransactions: string[];
  /** Party GLN the exception is raised against (the shipment's source) and by (the receiver). */
  partnerGln?: string;
  receiverGln?: string;
  gtin?: string;
  lot?: string;
  /** Serial-level ids concerned (canonical Digital Link). */
  items: string[];
  expectedQuantity?: number;
  receivedQuantity?: number;
  detail: string;
  raisedAt: string;
  raisedBy: string;
  resolution?: { code: ExceptionResolution; text?: string; by: string; at: string };
}

export interface ExceptionFilter {
  status?: PartnerException['status'];
  category?: ExceptionCategory;
  receiptEventId?: string;
  shipmentEventId?: string;
  partnerGln?: string;
}

export const CASE_STATUSES = ['quarantined', 'investigating', 'cleared', 'illegitimate', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseStep {
  /** quarantine, investigation, cleared, illegitimate, fda_notified, partners_notified, closed, note. */
  step: string;
  at: string;
  by: string;
  note?: string;
  /** Step data (e.g. FDA incident number, partner GLNs notified, EPCIS event ids captured). */
  data?: Record<string, unknown>;
}

export interface SuspectCase {
  /** urn:uuid: */
  id: string;
  status: CaseStatus;
  /** Optimistic concurrency: 1 on creation, +1 per update. */
  version: number;
  createdAt: string;
  updatedAt: string;
  body: Record<string, unknown>;
  steps: CaseStep[];
}

export interface CaseFilter {
  status?: CaseStatus;
}

export interface DscsaStore {
  /**
   * Stores exceptions (those whose (receiptEventId, category, itemKey) exist are skipped) and, in
   * the same transaction, moves the named cursor to `cursor.seq` when given. Resolves to the ones stored.
   */
  addExceptions(
    items: PartnerException[],
    cursor?: { name: string; seq: number },
  ): Promise<PartnerException[]>;
  getException(id: string): Promise<PartnerException | undefined>;
  /** Newest first (raisedAt, id); `after` the last id of the previous page. */
  listExceptions(
    filter: ExceptionFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: PartnerException[]; next?: string }>;
  /** Replaces an exception whose stored status is `expectedStatus`; false otherwise (or unknown). */
  updateException(e: PartnerException, expectedStatus: PartnerException['status']): Promise<boolean>;
  /** Cursor value (0 when never set). */
  getCursor(name: string): Promise<number>;
  setCursor(name: string, seq: number): Promise<void>;

  /** false when the id exists. */
  createCase(c: SuspectCase): Promise<boolean>;
  getCase(id: string): Promise<SuspectCase | undefined>;
  /** Replaces the case when its stored version is `c.version - 1`; false otherwise. */
  updateCase(c: SuspectCase): Promise<boolean>;
  /** Newest first (createdAt, id). */
  listCases(
    filter: CaseFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ items: SuspectCase[]; next?: string }>;
}
