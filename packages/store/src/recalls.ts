/**
 * Recalls and withdrawals of a lot or of a whole product (all lots of a GTIN), and the record of
 * the holders notified. A recall is in force from `effectiveFrom` until it is closed; while it is,
 * every pack of that GTIN (and lot, when the recall names one) fails verification: EU FMD verify
 * answers the recalled / withdrawn alert, DSCSA verification `additionalInfo` recalled.
 *
 * Times are ISO 8601 UTC with milliseconds (`Date.prototype.toISOString()`), stored and compared as
 * text on both databases (same behaviour; the form sorts chronologically).
 */

export type RecallKind = 'recall' | 'withdrawal';
export const RECALL_KINDS: readonly RecallKind[] = ['recall', 'withdrawal'];

export interface Recall {
  /** Assigned at creation (UUID). */
  id: string;
  kind: RecallKind;
  /** GTIN-14 of the product. */
  gtin: string;
  /** The lot recalled; absent: the whole product (every lot). */
  lot?: string;
  reason: string;
  /** Free text, e.g. `class I` (FDA) or the competent authority's classification. */
  classification?: string;
  /** In force from (ISO UTC). */
  effectiveFrom: string;
  /** Set when closed: no longer in force from then on. */
  closedAt?: string;
  closedReason?: string;
  /** Who issued it (user, organisation GLN …), free text. */
  issuedBy?: string;
  createdAt: string;
}

/** One notice sent (or to be sent) to a holder of affected packs. */
export interface RecallNotification {
  recallId: string;
  /** The holder notified: a party id (GLN / SGLN / pgln Digital Link), or `unknown` when no pack state names one. */
  holder: string;
  /**
   * `webhook`: delivered to the holder's subscription callback (status `sent` / `failed`);
   * `record`: recorded for an operator to send (status `pending`).
   */
  channel: 'webhook' | 'record';
  status: 'pending' | 'sent' | 'failed';
  /** Affected packs this holder holds when the notice was made. */
  packCount: number;
  /** What was (or is to be) sent: plain JSON. */
  message: unknown;
  createdAt: string;
  /** When delivered (webhook), or the operator marked it sent. */
  sentAt?: string;
  /** Delivery error (webhook status `failed`). */
  error?: string;
}

export interface RecallFilter {
  gtin?: string;
  lot?: string;
  kind?: RecallKind;
  /** Only recalls in force at this instant. */
  activeAt?: string;
}

export interface RecallStore {
  /** Stores a new recall with its notifications (one transaction). Rejects when the id exists. */
  create(r: Recall, notifications: RecallNotification[]): Promise<void>;
  get(id: string): Promise<Recall | undefined>;
  /** Newest first (createdAt, id), keyset-paginated: `after` is the `next` of the previous page. */
  list(
    filter: RecallFilter,
    opts: { limit: number; after?: string },
  ): Promise<{ recalls: Recall[]; next?: string }>;
  /**
   * Closes it at `at` (no longer in force from then); undefined when unknown. Closing a closed
   * recall changes nothing and answers it as it is.
   */
  close(id: string, at: string, reason?: string): Promise<Recall | undefined>;
  /**
   * A recall or withdrawal in force at `at` of this lot, or of the whole product (when `lot` is
   * undefined: only whole-product recalls match). Recalls before withdrawals, then lot-specific
   * before whole-product, then the earliest.
   */
  active(gtin: string, lot: string | undefined, at: string): Promise<Recall | undefined>;
  /** Its notifications, by holder. */
  notifications(recallId: string): Promise<RecallNotification[]>;
  /** Replaces the notification of (recallId, holder) (after a delivery attempt). */
  updateNotification(n: RecallNotification): Promise<void>;
}

/** Recall id of a `next` cursor: `<createdAt>|<id>`. */
export function recallCursor(r: Recall): string {
  return Buffer.from(`${r.createdAt}|${r.id}`, 'utf8').toString('base64url');
}

export function parseRecallCursor(s: string): { createdAt: string; id: string } | undefined {
  const t = Buffer.from(s, 'base64url').toString('utf8');
  const i = t.indexOf('|');
  if (i <= 0) return undefined;
  return { createdAt: t.slice(0, i), id: t.slice(i + 1) };
}

/** Thrown by `create` when the id exists. */
export class RecallExistsError extends Error {
  constructor(id: string) {
    super(`recall ${id} exists`);
    this.name = 'RecallExistsError';
  }
}
