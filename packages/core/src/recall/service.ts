/**
 * Recall or withdrawal of a lot or of a whole product. Creating one stores it (in force from
 * `effectiveFrom`: EU verify answers the recalled / withdrawn alert, DSCSA verification
 * `additionalInfo` recalled) and, in the same transaction, one notification per holder of affected
 * packs still in the supply chain. The report answers, from pack state at the time asked: every
 * affected pack with its status and holder, counts per status and per holder, and the holders
 * notified.
 *
 * Notifications are recorded (channel `record`, status `pending`) for an operator to send: the
 * subscription webhooks deliver EPCIS query results to a subscriber's own URL, not messages to a
 * trading partner, so they are not used here. `markSent` records a delivery.
 */
import { randomUUID } from 'node:crypto';
import { hasValidCheckDigit } from '@rxtrace/gs1';
import {
  type PackState,
  RECALL_KINDS,
  type Recall,
  type RecallKind,
  type RecallNotification,
  type RxtraceStore,
} from '@rxtrace/store';

export interface RecallInput {
  kind?: RecallKind;
  gtin: string;
  lot?: string;
  reason: string;
  classification?: string;
  /** Default: now. */
  effectiveFrom?: string;
  issuedBy?: string;
}

/** Statuses of packs out of the supply chain: reported, but their holders are not notified. */
const OUT_OF_CHAIN = new Set([
  'dispensed',
  'partially_dispensed',
  'destroyed',
  'stolen',
  'inactive',
  'decommissioned',
  'sold',
  'transformed',
]);

export interface AffectedPack {
  id: string;
  lot?: string;
  expiry?: string;
  status?: string;
  location?: string;
  owner?: string;
  possessor?: string;
}

export interface RecallHolder {
  /** The possessor, else the owner, else the location, else `unknown`. */
  holder: string;
  name?: string;
  /** Affected packs held. */
  count: number;
  /** Of them, still in the supply chain (not dispensed, destroyed …). */
  inChain: number;
  byStatus: Record<string, number>;
  owners: string[];
  locations: string[];
  /** The packs (at most `packLimit` per holder; `count` is the full number). */
  packs: AffectedPack[];
  packsTruncated: boolean;
}

export interface RecallReport {
  recall: Recall;
  /** In force at `at`. */
  active: boolean;
  at: string;
  affected: { total: number; inChain: number; byStatus: Record<string, number> };
  holders: RecallHolder[];
  notifications: RecallNotification[];
}

export class RecallError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'RecallError';
  }
}

export interface RecallServiceOptions {
  now?: () => Date;
  /** Packs listed per holder in a report (counts are always complete). Default 1000. */
  packLimit?: number;
}

function holderOf(p: PackState): string {
  return p.possessor ?? p.owner ?? p.location ?? 'unknown';
}

function isoTime(v: unknown, field: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
    throw new RecallError(
      400,
      'Invalid recall',
      `${field} must be an ISO 8601 date-time, not ${JSON.stringify(v)}`,
    );
  return new Date(Date.parse(v)).toISOString();
}

export class RecallService {
  private readonly now: () => Date;
  private readonly packLimit: number;

  constructor(
    private readonly store: RxtraceStore,
    opts: RecallServiceOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.packLimit = opts.packLimit ?? 1000;
  }

  private check(input: unknown): Omit<Recall, 'id' | 'createdAt'> {
    if (!input || typeof input !== 'object')
      throw new RecallError(400, 'Invalid recall', 'the body must be an object');
    const o = input as Record<string, unknown>;
    const kind = o.kind ?? 'recall';
    if (!RECALL_KINDS.includes(kind as RecallKind))
      throw new RecallError(
        400,
        'Invalid recall',
        `kind must be recall or withdrawal, not ${JSON.stringify(kind)}`,
      );
    if (typeof o.gtin !== 'string' || !/^\d{8}$|^\d{12,14}$/.test(o.gtin))
      throw new RecallError(
        400,
        'Invalid recall',
        `gtin must be a GTIN of 8, 12, 13 or 14 digits, not ${JSON.stringify(o.gtin)}`,
      );
    const gtin = o.gtin.padStart(14, '0');
    if (!hasValidCheckDigit(gtin))
      throw new RecallError(400, 'Invalid recall', `gtin ${o.gtin}: wrong check digit`);
    if (o.lot !== undefined && (typeof o.lot !== 'string' || !/^[\x21-\x7e]{1,20}$/.test(o.lot)))
      throw new RecallError(
        400,
        'Invalid recall',
        `lot must be 1 to 20 printable characters, not ${JSON.stringify(o.lot)}`,
      );
    if (typeof o.reason !== 'string' || o.reason.trim() === '')
      throw new RecallError(400, 'Invalid recall', 'reason is required');
    for (const f of ['classification', 'issuedBy'] as const)
      if (o[f] !== undefined && typeof o[f] !== 'string')
        throw new RecallError(400, 'Invalid recall', `${f} must be a string`);
    const r: Omit<Recall, 'id' | 'createdAt'> = {
      kind: kind as RecallKind,
      gtin,
      reason: o.reason.trim(),
      effectiveFrom:
        o.effectiveFrom === undefined ? this.now().toISOString() : isoTime(o.effectiveFrom, 'effectiveFrom'),
    };
    if (o.lot !== undefined) r.lot = o.lot as string;
    if (o.classification !== undefined) r.classification = o.classification as string;
    if (o.issuedBy !== undefined) r.issuedBy = o.issuedBy as string;
    return r;
  }

  /** All affected packs, grouped per holder (pack state now). */
  private async holders(
    recall: Recall,
  ): Promise<{ holders: RecallHolder[]; total: number; inChain: number; byStatus: Record<string, number> }> {
    const groups = new Map<string, RecallHolder & { ownerSet: Set<string>; locSet: Set<string> }>();
    const byStatus: Record<string, number> = {};
    let total = 0;
    let inChain = 0;
    let after: string | undefined;
    const filter = { gtin: recall.gtin, ...(recall.lot !== undefined ? { lot: recall.lot } : {}) };
    do {
      const page = await this.store.packs.items(filter, { limit: 5000, ...(after ? { after } : {}) });
      for (const p of page.items) {
        const h = holderOf(p);
        let g = groups.get(h);
        if (!g) {
          g = {
            holder: h,
            count: 0,
            inChain: 0,
            byStatus: {},
            owners: [],
            locations: [],
            packs: [],
            packsTruncated: false,
            ownerSet: new Set(),
            locSet: new Set(),
          };
          groups.set(h, g);
        }
        const status = p.status ?? 'unknown';
        const live = !OUT_OF_CHAIN.has(status);
        g.count++;
        total++;
        if (live) {
          g.inChain++;
          inChain++;
        }
        g.byStatus[status] = (g.byStatus[status] ?? 0) + 1;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (p.owner) g.ownerSet.add(p.owner);
        if (p.location) g.locSet.add(p.location);
        if (g.packs.length < this.packLimit) {
          const a: AffectedPack = { id: p.id };
          for (const k of ['lot', 'expiry', 'status', 'location', 'owner', 'possessor'] as const)
            if (p[k] !== undefined) a[k] = p[k];
          g.packs.push(a);
        } else g.packsTruncated = true;
      }
      after = page.next;
    } while (after);
    const names = await this.store.registry.displayNames([...groups.keys()].filter((h) => h !== 'unknown'));
    const holders = [...groups.values()]
      .sort((a, b) => b.count - a.count || (a.holder < b.holder ? -1 : 1))
      .map(({ ownerSet, locSet, ...g }) => {
        const out: RecallHolder = { ...g, owners: [...ownerSet].sort(), locations: [...locSet].sort() };
        const n = names.get(g.holder);
        if (n) out.name = n;
        return out;
      });
    return { holders, total, inChain, byStatus };
  }

  /** Issues a recall or withdrawal and records the notification of every holder of packs in the chain. */
  async create(input: unknown): Promise<RecallReport> {
    const base = this.check(input);
    const now = this.now().toISOString();
    const recall: Recall = { id: randomUUID(), ...base, createdAt: now };
    const h = await this.holders(recall);
    const notifications: RecallNotification[] = h.holders
      .filter((g) => g.inChain > 0)
      .map((g) => ({
        recallId: recall.id,
        holder: g.holder,
        channel: 'record',
        status: 'pending',
        packCount: g.inChain,
        createdAt: now,
        message: {
          subject: `${recall.kind === 'recall' ? 'Recall' : 'Withdrawal'} of GTIN ${recall.gtin}${recall.lot ? ` batch ${recall.lot}` : ' (all batches)'}`,
          recallId: recall.id,
          kind: recall.kind,
          gtin: recall.gtin,
          ...(recall.lot ? { lot: recall.lot } : {}),
          reason: recall.reason,
          ...(recall.classification ? { classification: recall.classification } : {}),
          effectiveFrom: recall.effectiveFrom,
          ...(g.name ? { holderName: g.name } : {}),
          instructions:
            'Stop supplying these packs, quarantine them and return or destroy them as the recall instructs. Verification answers recalled from the effective time.',
          packCount: g.inChain,
          packs: g.packs.filter((p) => !OUT_OF_CHAIN.has(p.status ?? 'unknown')).map((p) => p.id),
          packsTruncated: g.packsTruncated,
        },
      }));
    await this.store.recalls.create(recall, notifications);
    return {
      recall,
      active: recall.effectiveFrom <= now,
      at: now,
      affected: { total: h.total, inChain: h.inChain, byStatus: h.byStatus },
      holders: h.holders,
      notifications,
    };
  }

  /** The report of a recall: affected packs as they are now, the holders notified. */
  async report(id: string): Promise<RecallReport> {
    const recall = await this.store.recalls.get(id);
    if (!recall) throw new RecallError(404, 'Recall not found', `no recall ${id}`);
    const at = this.now().toISOString();
    const h = await this.holders(recall);
    return {
      recall,
      active: recall.effectiveFrom <= at && (recall.closedAt === undefined || recall.closedAt > at),
      at,
      affected: { total: h.total, inChain: h.inChain, byStatus: h.byStatus },
      holders: h.holders,
      notifications: await this.store.recalls.notifications(id),
    };
  }

  async list(
    filter: { gtin?: string; lot?: string; kind?: string; active?: boolean },
    opts: { limit: number; after?: string },
  ) {
    if (filter.kind !== undefined && !RECALL_KINDS.includes(filter.kind as RecallKind))
      throw new RecallError(
        400,
        'Invalid filter',
        `kind must be recall or withdrawal, not ${JSON.stringify(filter.kind)}`,
      );
    try {
      return await this.store.recalls.list(
        {
          ...(filter.gtin ? { gtin: filter.gtin.padStart(14, '0') } : {}),
          ...(filter.lot ? { lot: filter.lot } : {}),
          ...(filter.kind ? { kind: filter.kind as RecallKind } : {}),
          ...(filter.active ? { activeAt: this.now().toISOString() } : {}),
        },
        opts,
      );
    } catch (e) {
      if (e instanceof RangeError)
        throw new RecallError(400, 'Invalid cursor', 'nextPageToken is not one this server issued');
      throw e;
    }
  }

  /** Closes a recall (no longer in force from now). */
  async close(id: string, reason?: unknown): Promise<Recall> {
    if (reason !== undefined && typeof reason !== 'string')
      throw new RecallError(400, 'Invalid close', 'reason must be a string');
    const r = await this.store.recalls.close(id, this.now().toISOString(), reason as string | undefined);
    if (!r) throw new RecallError(404, 'Recall not found', `no recall ${id}`);
    return r;
  }

  /** Records that the notice to a holder was sent (by the operator). */
  async markSent(id: string, holder: string): Promise<RecallNotification> {
    const n = (await this.store.recalls.notifications(id)).find((x) => x.holder === holder);
    if (!n)
      throw new RecallError(404, 'Notification not found', `no notification of recall ${id} for ${holder}`);
    if (n.status === 'sent') return n;
    const u: RecallNotification = { ...n, status: 'sent', sentAt: this.now().toISOString() };
    await this.store.recalls.updateNotification(u);
    return u;
  }
}
