/**
 * Exceptions between trading partners, raised when a receipt does not match the shipment's data.
 *
 * The check runs after captures, outside their transactions: it reads the receiving events
 * (bizStep `receiving`) stored after its cursor (the last seq it has checked, kept in
 * `dscsa_cursors`), and for each one finds the shipment it answers — the shipping events that
 * share a bizTransaction with it (despatch advice, PO…), else the latest shipping event of the
 * same containers or packs — and compares the packs received with the packs shipped. The
 * exceptions of one batch of receipts and the new cursor are written in one transaction, each
 * exception once per (receipt, category, item): a crash between captures and the check loses
 * nothing (the next run starts from the cursor), a replay adds nothing.
 *
 * Rules (one exception per difference):
 * - missing_data  (product without data): packs received for which no shipment was found, or
 *                 received packs of a GTIN/lot the shipment does not list — one per GTIN/lot;
 * - missing_product (data without product): a container of the shipment of which nothing arrived;
 * - underages / overages: per GTIN/lot of the shipment, fewer / more packs received than shipped
 *                 (the serials missing / in excess listed);
 * - invalid_gtin: a received GTIN the receiver's registry does not know;
 * - invalid_gln:  a party of the shipment (seller, buyer) that is not a registered, authorised
 *                 trading partner on the shipment date;
 * - wrong_party:  the receipt names a source owner other than the shipment's seller.
 *
 * Receipts of returns (`rx:returnId` of the saleable-returns flow, or a bizTransaction of type
 * `rma`) are skipped: returns are verified pack by pack, not against a forward shipment.
 */
import { randomUUID } from 'node:crypto';
import {
  EXCEPTION_CATEGORIES,
  EXCEPTION_RESOLUTIONS,
  type ExceptionCategory,
  type ExceptionResolution,
  type PartnerException,
  type RxtraceStore,
  type StoredEvent,
} from '@rxtrace/store';
import { allEvents, bare, contentsAt, glnOf, justAfter, leavesOf, SGTIN_RE, topObjects } from './common.ts';
import { bizTransactionsOf, productCache, shipmentContents } from './ti.ts';

export const RECEIPT_CURSOR = 'receipt-check';

export interface ReceiptCheckResult {
  /** Receiving events checked. */
  receipts: number;
  /** Exceptions stored (new ones). */
  raised: PartnerException[];
  cursor: number;
  /** The cursor as last written to the store by this run (absent: not written). */
  written?: number;
}

function owner(e: StoredEvent, kind: 'sourceList' | 'destinationList'): string | undefined {
  const list =
    (e.event[kind] as { type?: string; source?: string; destination?: string }[] | undefined) ?? [];
  const o =
    list.find((x) => bare(x.type) === 'owning_party') ??
    list.find((x) => bare(x.type) === 'possessing_party');
  return glnOf(o?.source ?? o?.destination);
}

/**
 * Receipts of returns are not compared with a shipment: saleable returns (events of the returns
 * flow, `rx:returnId`) are verified pack by pack instead, and a receipt under a return
 * authorisation (bizTransaction type `rma`) answers no forward shipment.
 */
export function isReturn(r: StoredEvent): boolean {
  if (r.event['rx:returnId'] !== undefined) return true;
  return bizTransactionsOf(r).some((b) => b.type === 'rma');
}

/** The shipping events a receipt answers (see the file comment). */
export async function shipmentsForReceipt(store: RxtraceStore, r: StoredEvent): Promise<StoredEvent[]> {
  const found = new Map<string, StoredEvent>();
  for (const b of bizTransactionsOf(r)) {
    const rawType = ((r.event.bizTransactionList as { type?: string; bizTransaction: string }[]).find(
      (x) => x.bizTransaction === b.id,
    )?.type ?? '') as string;
    for (const type of new Set([rawType, b.type]))
      for (const e of await allEvents(store, {
        bizSteps: ['shipping'],
        references: [{ kind: 'bizTransaction', type, values: [b.id] }],
      }))
        if (!e.corrected && e.eventTime <= r.eventTime) found.set(e.eventId, e);
  }
  if (found.size) return [...found.values()];
  const tops = topObjects(r);
  if (!tops.length) return [];
  const ships = await allEvents(store, {
    bizSteps: ['shipping'],
    identifiers: [{ roles: ['epc', 'parent'], values: tops }],
    eventTime: { lt: justAfter(r.eventTime) },
  });
  // never one of the receiver's own outbound shipments of the same packs
  const receiver = owner(r, 'destinationList');
  const before = ships.filter(
    (e) => !e.corrected && e.eventTime <= r.eventTime && (!receiver || owner(e, 'sourceList') !== receiver),
  );
  return before.length ? [before[before.length - 1]!] : [];
}

interface Group {
  gtin: string;
  lot?: string;
  ids: string[];
}

function groupPacks(ids: string[], lotOf: Map<string, string | undefined>): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const id of ids) {
    const gtin = SGTIN_RE.exec(id)![1]!;
    const lot = lotOf.get(id);
    const k = `${gtin}\u0000${lot ?? ''}`;
    let g = out.get(k);
    if (!g) out.set(k, (g = { gtin, ...(lot !== undefined ? { lot } : {}), ids: [] }));
    g.ids.push(id);
  }
  return out;
}

/** The exceptions of one receiving event (not stored). */
export async function compareReceipt(
  store: RxtraceStore,
  r: StoredEvent,
  now = new Date().toISOString(),
): Promise<PartnerException[]> {
  const out: PartnerException[] = [];
  const ships = await shipmentsForReceipt(store, r);
  const tops = topObjects(r);
  const rTree = await contentsAt(store, tops, r.eventTime);
  const received = [...new Set(tops.flatMap((t) => leavesOf(t, rTree)))].filter((x) => SGTIN_RE.test(x));
  const receiverGln =
    owner(r, 'destinationList') ?? glnOf((r.event.bizLocation as { id?: string } | undefined)?.id);
  const base = (
    category: ExceptionCategory,
    itemKey: string,
    detail: string,
    extra: Partial<PartnerException>,
  ): PartnerException => ({
    id: `urn:uuid:${randomUUID()}`,
    itemKey,
    itemId: `urn:uuid:${randomUUID()}`,
    category,
    status: 'open',
    receiptEventId: r.eventId,
    bizTransactions: bizTransactionsOf(r).map((b) => b.id),
    ...(receiverGln ? { receiverGln } : {}),
    items: [],
    detail,
    raisedAt: now,
    raisedBy: 'receipt-check',
    ...extra,
  });
  const states = new Map((await store.packs.get(received)).map((s) => [s.id, s.lot]));
  const product = productCache(store);
  // GTINs the receiver's master data does not know.
  const gtins = [...new Set(received.map((id) => SGTIN_RE.exec(id)![1]!))];
  for (const g of gtins)
    if (!(await product(g))) {
      const items = received.filter((id) => id.includes(`/01/${g}/`));
      out.push(
        base('invalid_gtin', g, `GTIN ${g} of ${items.length} received pack(s) is not in the master data`, {
          gtin: g,
          items,
        }),
      );
    }
  if (ships.length === 0) {
    for (const g of groupPacks(received, states).values())
      out.push(
        base(
          'missing_data',
          `${g.gtin}/${g.lot ?? ''}`,
          `${g.ids.length} pack(s) of GTIN ${g.gtin}${g.lot ? ` lot ${g.lot}` : ''} received without shipment data (no shipping event shares a business transaction or a container with the receipt)`,
          {
            gtin: g.gtin,
            ...(g.lot !== undefined ? { lot: g.lot } : {}),
            items: g.ids,
            receivedQuantity: g.ids.length,
            expectedQuantity: 0,
          },
        ),
      );
    return out;
  }
  const shipment = ships[0]!;
  const partnerGln = owner(shipment, 'sourceList');
  const shipExtra = {
    shipmentEventId: shipment.eventId,
    ...(partnerGln ? { partnerGln } : {}),
  };
  for (const x of out) Object.assign(x, shipExtra);
  // Shipped packs (all matching shipping events together) and their containers.
  const shipped = new Set<string>();
  const containers: { id: string; packs: string[] }[] = [];
  for (const s of ships) {
    const c = await shipmentContents(store, s);
    for (const p of c.packs) shipped.add(p);
    containers.push(...c.containers);
  }
  for (const p of await store.packs.get([...shipped])) if (!states.has(p.id)) states.set(p.id, p.lot);
  const receivedSet = new Set(received);
  const missingContainers = new Set<string>();
  for (const c of containers)
    if (c.packs.length && c.packs.every((p) => !receivedSet.has(p)) && !tops.includes(c.id)) {
      missingContainers.add(c.id);
      out.push(
        base(
          'missing_product',
          c.id,
          `container ${c.id} (${c.packs.length} packs) is in the shipment data but was not received`,
          {
            ...shipExtra,
            items: [c.id, ...c.packs],
            expectedQuantity: c.packs.length,
            receivedQuantity: 0,
          },
        ),
      );
    }
  const inMissing = new Set(containers.filter((c) => missingContainers.has(c.id)).flatMap((c) => c.packs));
  const expected = groupPacks(
    [...shipped].filter((p) => !inMissing.has(p)),
    states,
  );
  const got = groupPacks(received, states);
  for (const [k, e] of expected) {
    const g = got.get(k);
    const have = new Set(g?.ids ?? []);
    const missing = e.ids.filter((id) => !have.has(id));
    const extra = (g?.ids ?? []).filter((id) => !shipped.has(id));
    const lotText = `GTIN ${e.gtin}${e.lot ? ` lot ${e.lot}` : ''}`;
    const q = {
      gtin: e.gtin,
      ...(e.lot !== undefined ? { lot: e.lot } : {}),
      expectedQuantity: e.ids.length,
      receivedQuantity: g?.ids.length ?? 0,
    };
    if (missing.length)
      out.push(
        base(
          'underages',
          `${e.gtin}/${e.lot ?? ''}`,
          `${missing.length} pack(s) of ${lotText} shipped but not received`,
          { ...shipExtra, ...q, items: missing },
        ),
      );
    if (extra.length)
      out.push(
        base(
          'overages',
          `${e.gtin}/${e.lot ?? ''}`,
          `${extra.length} pack(s) of ${lotText} received beyond the shipment data`,
          { ...shipExtra, ...q, items: extra },
        ),
      );
  }
  for (const [k, g] of got)
    if (!expected.has(k) && !g.ids.every((id) => shipped.has(id)))
      out.push(
        base(
          'missing_data',
          `${g.gtin}/${g.lot ?? ''}`,
          `${g.ids.length} pack(s) of GTIN ${g.gtin}${g.lot ? ` lot ${g.lot}` : ''} received but not in the shipment data`,
          {
            ...shipExtra,
            gtin: g.gtin,
            ...(g.lot !== undefined ? { lot: g.lot } : {}),
            items: g.ids.filter((id) => !shipped.has(id)),
            expectedQuantity: 0,
            receivedQuantity: g.ids.length,
          },
        ),
      );
  // Parties of the shipment: registered and authorised on the shipment date.
  const at = new Date(shipment.eventTime);
  for (const [role, gln] of [
    ['seller', partnerGln],
    ['buyer', owner(shipment, 'destinationList')],
  ] as const) {
    if (!gln) continue;
    const p = await store.registry.getPartner(gln);
    if (!p || !(await store.registry.isAuthorised(gln, at)))
      out.push(
        base(
          'invalid_gln',
          gln,
          `the ${role} GLN ${gln} of the shipment is ${p ? 'not an authorised trading partner' : 'not in the master data'} on ${shipment.eventTime.slice(0, 10)}`,
          shipExtra,
        ),
      );
  }
  const rSource = owner(r, 'sourceList');
  if (rSource && partnerGln && rSource !== partnerGln)
    out.push(
      base(
        'wrong_party',
        rSource,
        `the receipt names ${rSource} as the source owner; the shipment's seller is ${partnerGln}`,
        shipExtra,
      ),
    );
  return out;
}

/**
 * Checks the receiving events captured after the cursor, in batches; exceptions and cursor of
 * each batch in one transaction. Resolves when it has caught up with the log.
 */
export async function checkReceipts(
  store: RxtraceStore,
  opts: {
    batch?: number;
    onError?: (e: unknown, receipt: StoredEvent) => void;
    /**
     * Where the caller knows the check got to (a cursor not yet written: see `lazyCursor`);
     * absent: the stored cursor.
     */
    from?: number;
    /**
     * Failed comparisons so far, by receipt seq: a receipt whose comparison fails (a busy store,
     * a lost connection) stops the batch before it, so that the next run tries it again — up to
     * 3 times, then it is passed over (reported through onError each time).
     */
    failures?: Map<number, number>;
    /**
     * Write the cursor only with exceptions (a batch that raises none moves it in memory only,
     * the caller writes it later). A crash then re-checks those receipts: they raised nothing
     * and raise nothing again, so that costs time, never a duplicate. Saves the capture path a
     * durable commit per capture.
     */
    lazyCursor?: boolean;
  } = {},
): Promise<ReceiptCheckResult> {
  const batch = opts.batch ?? 200;
  let cursor = opts.from ?? (await store.dscsa.getCursor(RECEIPT_CURSOR));
  const last = await store.lastSeq();
  const raised: PartnerException[] = [];
  let receipts = 0;
  let written: number | undefined;
  let retryAt: number | undefined;
  while (cursor < last) {
    const page = await store.queryEvents(
      { bizSteps: ['receiving'], seq: { gt: cursor, le: last }, includeErrorDeclarations: false },
      { orderBy: 'seq', limit: batch },
    );
    const found: PartnerException[] = [];
    for (const r of page.events) {
      if (r.corrected || isReturn(r)) continue;
      receipts++;
      try {
        found.push(...(await compareReceipt(store, r)));
      } catch (e) {
        opts.onError?.(e, r);
        const n = (opts.failures?.get(r.seq) ?? 0) + 1;
        opts.failures?.set(r.seq, n);
        if (opts.failures && n < 3) {
          retryAt = r.seq;
          break;
        }
      }
    }
    const upTo =
      retryAt !== undefined
        ? retryAt - 1
        : page.next && page.events.length
          ? page.events[page.events.length - 1]!.seq
          : last;
    if (found.length > 0 || !opts.lazyCursor) {
      raised.push(...(await store.dscsa.addExceptions(found, { name: RECEIPT_CURSOR, seq: upTo })));
      written = upTo;
    }
    cursor = upTo;
    if (!page.next || retryAt !== undefined) break;
  }
  return { receipts, raised, cursor, ...(written !== undefined ? { written } : {}) };
}

/** Runs checkReceipts after captures: one run at a time, a request during a run makes one more. */
export class ReceiptChecker {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** How far the checks got; written to the store with exceptions, or every `persistMs`. */
  private cursor: number | undefined;
  private readonly failures = new Map<number, number>();
  private persisted = 0;
  private lastPersist = Date.now();
  private readonly persistMs = 5000;
  readonly stats = { runs: 0, receipts: 0, raised: 0, errors: 0 };

  constructor(
    private readonly store: RxtraceStore,
    private readonly log: {
      warn: (o: object, msg: string) => void;
      error: (o: object, msg: string) => void;
    } = {
      warn: () => {},
      error: () => {},
    },
  ) {}

  /** Asks for a check (after a capture); returns the run's promise. */
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const r = await checkReceipts(this.store, {
            onError: (e, ev) => {
              this.stats.errors++;
              this.log.error({ err: e, eventId: ev.eventId }, 'receipt check: comparison failed');
            },
            ...(this.cursor !== undefined ? { from: this.cursor } : {}),
            lazyCursor: true,
            failures: this.failures,
          });
          this.cursor = r.cursor;
          if (r.written !== undefined) {
            this.persisted = r.written;
            this.lastPersist = Date.now();
          }
          if (this.cursor > this.persisted && Date.now() - this.lastPersist >= this.persistMs)
            await this.persist();
          this.stats.runs++;
          this.stats.receipts += r.receipts;
          this.stats.raised += r.raised.length;
          if (r.raised.length) this.log.warn({ count: r.raised.length }, 'receipt check: exceptions raised');
        } catch (e) {
          this.stats.errors++;
          this.log.error({ err: e }, 'receipt check failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async persist(): Promise<void> {
    const c = this.cursor;
    if (c === undefined) return;
    await this.store.dscsa.addExceptions([], { name: RECEIPT_CURSOR, seq: c });
    this.persisted = c;
    this.lastPersist = Date.now();
  }

  /** Waits for a running check and writes where it got to; no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    if (this.cursor !== undefined && this.cursor > this.persisted)
      await this.persist().catch((e: unknown) =>
        this.log.error({ err: e }, 'receipt check: the cursor could not be written'),
      );
  }

  /** Resolves when no check runs (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

export class ExceptionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves an open exception with a resolution code of the schema's list. */
export async function resolveException(
  store: RxtraceStore,
  id: string,
  r: { code: string; text?: string; by: string },
  now = new Date().toISOString(),
): Promise<PartnerException> {
  if (!EXCEPTION_RESOLUTIONS.includes(r.code as ExceptionResolution))
    throw new ExceptionError(
      400,
      'Invalid resolution',
      `code must be one of ${EXCEPTION_RESOLUTIONS.join(', ')}`,
    );
  if (typeof r.by !== 'string' || !r.by.trim())
    throw new ExceptionError(400, 'Invalid resolution', 'by (who resolves) is required');
  if (r.code === 'no_action' && !r.text?.trim())
    throw new ExceptionError(400, 'Invalid resolution', "a 'no_action' resolution needs a text saying why");
  const e = await store.dscsa.getException(id);
  if (!e) throw new ExceptionError(404, 'Exception not found', `no exception '${id}'`);
  if (e.status !== 'open')
    throw new ExceptionError(
      409,
      'Exception already resolved',
      `exception '${id}' was resolved (${e.resolution?.code}) by ${e.resolution?.by} at ${e.resolution?.at}`,
    );
  const next: PartnerException = {
    ...e,
    status: 'resolved',
    resolution: {
      code: r.code as ExceptionResolution,
      ...(r.text ? { text: r.text } : {}),
      by: r.by.trim(),
      at: now,
    },
  };
  if (!(await store.dscsa.updateException(next, 'open')))
    throw new ExceptionError(409, 'Exception already resolved', `exception '${id}' was resolved meanwhile`);
  return next;
}

/** Raises an exception by hand (e.g. damaged or wrong-label product found at a count). */
export async function raiseException(
  store: RxtraceStore,
  i: {
    category: string;
    detail: string;
    by: string;
    reference?: string;
    partnerGln?: string;
    gtin?: string;
    lot?: string;
    items?: string[];
  },
  now = new Date().toISOString(),
): Promise<PartnerException> {
  if (!EXCEPTION_CATEGORIES.includes(i.category as ExceptionCategory))
    throw new ExceptionError(
      400,
      'Invalid exception',
      `category must be one of ${EXCEPTION_CATEGORIES.join(', ')}`,
    );
  if (typeof i.detail !== 'string' || !i.detail.trim())
    throw new ExceptionError(400, 'Invalid exception', 'detail is required');
  if (typeof i.by !== 'string' || !i.by.trim())
    throw new ExceptionError(400, 'Invalid exception', 'by is required');
  if (i.partnerGln !== undefined && !/^\d{13}$/.test(i.partnerGln))
    throw new ExceptionError(400, 'Invalid exception', 'partnerGln must be a 13-digit GLN');
  const id = `urn:uuid:${randomUUID()}`;
  const e: PartnerException = {
    id,
    itemKey: id,
    itemId: `urn:uuid:${randomUUID()}`,
    category: i.category as ExceptionCategory,
    status: 'open',
    receiptEventId: i.reference ?? id,
    bizTransactions: [],
    ...(i.partnerGln ? { partnerGln: i.partnerGln } : {}),
    ...(i.gtin ? { gtin: i.gtin } : {}),
    ...(i.lot ? { lot: i.lot } : {}),
    items: i.items ?? [],
    detail: i.detail,
    raisedAt: now,
    raisedBy: i.by.trim(),
  };
  await store.dscsa.addExceptions([e]);
  return e;
}
