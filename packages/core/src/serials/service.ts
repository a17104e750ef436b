/**
 * SerialService: pools, issuance, lifecycle and reconciliation over a SerialStore, and the
 * commissioning event through the CaptureService (the event enters the log like any other).
 */
import { randomUUID } from 'node:crypto';
import { isCset82 } from '@rxtrace/gs1';
import {
  SERIAL_STATES,
  SerialPoolExhaustedError,
  type SerialPoolRecord,
  type SerialRecord,
  SerialRequestIdTakenError,
  type SerialState,
  type SerialStore,
  type TaggedRequest,
  UnknownSerialPoolError,
} from '@rxtrace/store';
import type { CaptureService } from '../capture/service.ts';
import { commissioningDocument } from './commission.ts';
import {
  MAX_SERIAL_LENGTH,
  normaliseGtin14,
  type SerialPoolConfig,
  type SerialPoolInput,
  validatePoolConfig,
} from './config.ts';
import { SerialError } from './errors.ts';
import { type Generator, randomSerialGenerator, sequentialFormatter, ssccFormatter } from './generate.ts';

export interface SerialServiceOptions {
  /** Needed for commissioning. */
  capture?: CaptureService;
  /** Most serials per request (default 100,000). */
  maxCount?: number;
  /** Most serials per commissioning, return or destroy call (default 100,000). */
  maxBatch?: number;
}

export interface SerialRequestInput {
  gtin?: string;
  /** Default: the GTIN's pools, oldest first, the first that can serve the request. */
  poolId?: string;
  count: number;
  lot?: string;
  expiry?: string;
  reservedFor?: string;
  /**
   * The client's id for the request (idempotency): the same id again answers the same serials,
   * never new ones; with other parameters it is refused (409).
   */
  requestId?: string;
}

export interface SerialRequestResult {
  poolId: string;
  gtin?: string;
  /** The client's request id, when it gave one. */
  requestId?: string;
  /** The reservation's number in the store. */
  reservation: number;
  count: number;
  lot?: string;
  expiry?: string;
  serials: string[];
  /** Per-unit data of imported serials (e.g. AI 91/92 crypto codes), same order. */
  data?: (Record<string, string> | null)[];
  /** True when this is the stored answer to an earlier request with the same requestId. */
  replayed?: true;
}

/** The parameters a request id is bound to, compared when the id comes again. */
const ASKED = ['gtin', 'poolId', 'count', 'lot', 'expiry', 'reservedFor'] as const;
const REQUEST_ID_RE = /^[!-~]{1,200}$/;

export interface CommissionInput {
  gtin: string;
  serials: string[];
  lot?: string;
  expiry?: string;
  eventTime?: string;
  eventTimeZoneOffset?: string;
  readPoint?: string;
  bizLocation?: string;
  /** Commission serials rxtrace never issued (legacy stock, serials from elsewhere). Default false. */
  allowUnissued?: boolean;
}

export interface ReconciliationReport {
  gtin: string;
  lot: string | null;
  issued: number;
  commissioned: number;
  decommissioned: number;
  destroyed: number;
  returned: number;
  /** Reserved and neither commissioned, returned nor destroyed. */
  unaccounted: number;
  /** Imported serials not yet requested. */
  available: number;
}

export interface PoolView extends SerialPoolRecord {
  config: SerialPoolConfig & Record<string, unknown>;
  counts?: Record<SerialState, number>;
}

const LOT_RE = /^.{1,20}$/s;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkLot(lot: unknown): string | undefined {
  if (lot === undefined || lot === null) return undefined;
  if (typeof lot !== 'string' || !LOT_RE.test(lot) || !isCset82(lot))
    throw new SerialError(
      400,
      'Invalid lot',
      `lot must be 1 to 20 characters of GS1 set 82 (AI 10), not ${JSON.stringify(lot)}`,
    );
  return lot;
}

function checkExpiry(expiry: unknown): string | undefined {
  if (expiry === undefined || expiry === null) return undefined;
  const m = typeof expiry === 'string' ? DATE_RE.exec(expiry) : null;
  const ok =
    m !== null &&
    (() => {
      const d = new Date(`${expiry}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === expiry;
    })();
  if (!ok)
    throw new SerialError(
      400,
      'Invalid expiry',
      `expiry must be a date YYYY-MM-DD, not ${JSON.stringify(expiry)}`,
    );
  return expiry as string;
}

function checkSerials(serials: unknown, max: number): string[] {
  if (!Array.isArray(serials) || serials.length === 0)
    throw new SerialError(400, 'Invalid serials', 'serials must be a non-empty list of serial numbers');
  if (serials.length > max)
    throw new SerialError(
      413,
      'Too many serials',
      `at most ${max} serials per call; ${serials.length} were sent`,
    );
  for (const s of serials)
    if (typeof s !== 'string' || s.length === 0 || s.length > MAX_SERIAL_LENGTH || !isCset82(s))
      throw new SerialError(
        400,
        'Invalid serial',
        `serial ${JSON.stringify(s)} is not a GS1 AI (21) value (1 to 20 characters of set 82)`,
      );
  return serials as string[];
}

function refusedDetail(
  action: string,
  refused: { serial: string; state: SerialState | null }[],
): SerialError {
  const shown = refused
    .slice(0, 10)
    .map((r) => `${r.serial} (${r.state ?? 'never issued'})`)
    .join(', ');
  return new SerialError(
    409,
    'Wrong serial state',
    `cannot ${action} ${refused.length} serial${refused.length > 1 ? 's' : ''}: ${shown}${refused.length > 10 ? ', …' : ''}; nothing was changed`,
    { refused: refused.slice(0, 1000) },
  );
}

export class SerialService {
  readonly store: SerialStore;
  private readonly capture: CaptureService | undefined;
  readonly maxCount: number;
  readonly maxBatch: number;
  private readonly generators = new Map<string, Generator>();

  constructor(store: SerialStore, opts: SerialServiceOptions = {}) {
    this.store = store;
    this.capture = opts.capture;
    this.maxCount = opts.maxCount ?? 100_000;
    this.maxBatch = opts.maxBatch ?? 100_000;
  }

  async createPool(input: SerialPoolInput): Promise<PoolView> {
    const config = validatePoolConfig(input);
    const poolId = input.poolId ?? randomUUID();
    if (typeof poolId !== 'string' || !/^[A-Za-z0-9._~-]{1,100}$/.test(poolId))
      throw new SerialError(
        400,
        'Invalid serial pool configuration',
        `poolId must be 1 to 100 characters A-Z a-z 0-9 . _ ~ -, not ${JSON.stringify(poolId)}`,
      );
    const rec: SerialPoolRecord = {
      poolId,
      key: config.key,
      kind: config.kind,
      createdAt: new Date().toISOString(),
      config: config as unknown as Record<string, unknown>,
    };
    if (!(await this.store.createPool(rec)))
      throw new SerialError(409, 'Serial pool exists', `there is a serial pool ${poolId} already`);
    return rec as PoolView;
  }

  async listPools(gtin?: string, withCounts = false): Promise<PoolView[]> {
    const pools = (await this.store.listPools(
      gtin === undefined ? undefined : normaliseGtin14(gtin),
    )) as PoolView[];
    if (withCounts) for (const p of pools) p.counts = await this.store.poolCounts(p.poolId);
    return pools;
  }

  async getPool(poolId: string): Promise<PoolView> {
    const p = await this.store.getPool(poolId);
    if (!p)
      throw new SerialError(404, 'No such serial pool', `there is no serial pool ${JSON.stringify(poolId)}`);
    return p as PoolView;
  }

  private generator(p: SerialPoolRecord): Generator {
    let g = this.generators.get(p.poolId);
    if (!g) {
      const c = p.config as unknown as SerialPoolConfig;
      g = randomSerialGenerator(c.charset!, c.length!, c.prefix);
      this.generators.set(p.poolId, g);
    }
    return g;
  }

  /** The answer to a request from its pool and reservation (the same for a replay). */
  private answer(
    p: SerialPoolRecord,
    b: { reservation: number; serials: string[]; data?: (Record<string, string> | null)[] | null },
    lot: string | undefined,
    expiry: string | undefined,
    requestId: string | undefined,
  ): SerialRequestResult {
    const c = p.config as unknown as SerialPoolConfig;
    return {
      poolId: p.poolId,
      ...(c.gtin ? { gtin: c.gtin } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      reservation: b.reservation,
      count: b.serials.length,
      ...(lot !== undefined ? { lot } : {}),
      ...(expiry !== undefined ? { expiry } : {}),
      serials: b.serials,
      ...(b.data?.some((d) => d !== null) ? { data: b.data } : {}),
    };
  }

  /** The stored answer to a request id, or 409 when this request asks something else. */
  private async replay(t: TaggedRequest, ask: Record<string, unknown>): Promise<SerialRequestResult> {
    const diff = ASKED.filter((f) => (t.ask[f] ?? null) !== (ask[f] ?? null)).map((field) => ({
      field,
      stored: t.ask[field] ?? null,
      asked: ask[field] ?? null,
    }));
    if (diff.length)
      throw new SerialError(
        409,
        'Request id used with other parameters',
        `request id ${JSON.stringify(t.id)} was used for another request: ${diff
          .map((d) => `${d.field} ${JSON.stringify(d.stored)} then, ${JSON.stringify(d.asked)} now`)
          .join('; ')}; nothing was reserved (a new request needs a new id)`,
        { requestId: t.id, differences: diff },
      );
    const p = await this.getPool(t.poolId);
    const lot = typeof t.ask.lot === 'string' ? t.ask.lot : undefined;
    const expiry = typeof t.ask.expiry === 'string' ? t.ask.expiry : undefined;
    return { ...this.answer(p, t, lot, expiry, t.id), replayed: true };
  }

  /**
   * Issues `count` serials (reserved), durable before the promise resolves. With a requestId, the
   * id is recorded in the reservation's transaction; a request with an id already recorded gets
   * the recorded answer (`replayed: true`) and reserves nothing.
   */
  async request(input: SerialRequestInput): Promise<SerialRequestResult> {
    const count = input.count;
    if (!Number.isSafeInteger(count) || count < 1 || count > this.maxCount)
      throw new SerialError(
        400,
        'Invalid count',
        `count must be an integer from 1 to ${this.maxCount}, not ${JSON.stringify(count)}`,
      );
    const lot = checkLot(input.lot);
    const expiry = checkExpiry(input.expiry);
    if (
      input.reservedFor !== undefined &&
      (typeof input.reservedFor !== 'string' || input.reservedFor.length > 200)
    )
      throw new SerialError(
        400,
        'Invalid reservedFor',
        'reservedFor must be a string of at most 200 characters',
      );
    const gtin = input.gtin === undefined ? undefined : normaliseGtin14(input.gtin);
    const requestId = input.requestId;
    if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID_RE.test(requestId)))
      throw new SerialError(
        400,
        'Invalid requestId',
        `requestId must be 1 to 200 printable ASCII characters without spaces, not ${JSON.stringify(requestId)}`,
      );
    const ask: Record<string, unknown> = {
      gtin: gtin ?? null,
      poolId: input.poolId ?? null,
      count,
      lot: lot ?? null,
      expiry: expiry ?? null,
      reservedFor: input.reservedFor ?? null,
    };
    if (requestId !== undefined) {
      const prior = await this.store.findRequest(requestId);
      if (prior) return this.replay(prior, ask);
    }
    let pools: SerialPoolRecord[];
    if (input.poolId !== undefined) {
      const p = await this.getPool(input.poolId);
      if (gtin !== undefined && p.key !== gtin)
        throw new SerialError(
          400,
          'Pool of another GTIN',
          `pool ${p.poolId} issues serials for ${p.key}, not ${gtin}`,
        );
      pools = [p];
    } else {
      if (gtin === undefined) throw new SerialError(400, 'Invalid request', 'give gtin (or poolId)');
      pools = (await this.store.listPools(gtin)).sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      );
      if (!pools.length)
        throw new SerialError(
          404,
          'No serial pool',
          `there is no serial pool for GTIN ${gtin}: create one (POST /serials/pools)`,
        );
    }
    const at = new Date().toISOString();
    let last: SerialPoolExhaustedError | undefined;
    for (const p of pools) {
      const c = p.config as unknown as SerialPoolConfig;
      const meta = {
        poolId: p.poolId,
        key: p.key,
        count,
        lot,
        expiry,
        reservedFor: input.reservedFor,
        at,
        ...(requestId !== undefined ? { tag: { id: requestId, ask } } : {}),
      };
      try {
        const b =
          c.kind === 'random'
            ? await this.store.reserveRandom({ ...meta, generate: this.generator(p) })
            : c.kind === 'list'
              ? await this.store.reserveListed(meta)
              : await this.store.reserveCounter({
                  ...meta,
                  limit: c.end! - c.start! + 1,
                  format:
                    c.kind === 'sscc'
                      ? ssccFormatter(c.extensionDigit!, c.companyPrefix!, c.width!, c.start!)
                      : sequentialFormatter(c.prefix, c.width!, c.start!),
                });
        return this.answer(p, { ...b, reservation: b.requestId }, lot, expiry, requestId);
      } catch (e) {
        if (e instanceof SerialRequestIdTakenError) {
          // The same id, concurrently: that request's reservation stands, this one was rolled back.
          const prior = await this.store.findRequest(e.id);
          if (prior) return this.replay(prior, ask);
          throw e;
        }
        if (e instanceof SerialPoolExhaustedError) {
          last = e;
          continue;
        }
        if (e instanceof UnknownSerialPoolError) throw new SerialError(404, 'No such serial pool', e.message);
        throw e;
      }
    }
    throw new SerialError(409, 'Serial pool exhausted', last?.message ?? 'no pool could serve the request');
  }

  /** Adds serials to a list pool (unassigned); existing ones are reported, not changed. */
  async importSerials(
    poolId: string,
    items: { serial: string; data?: Record<string, string> }[],
  ): Promise<{ poolId: string; added: number; duplicates: string[] }> {
    const p = await this.getPool(poolId);
    if (p.kind !== 'list')
      throw new SerialError(
        400,
        'Not a list pool',
        `pool ${poolId} is a ${p.kind} pool; serials are imported into pools of kind list`,
      );
    if (!Array.isArray(items) || items.length === 0)
      throw new SerialError(400, 'Invalid import', 'serials must be a non-empty list');
    if (items.length > 1_000_000)
      throw new SerialError(413, 'Too many serials', 'at most 1,000,000 serials per import');
    checkSerials(
      items.map((i) => i?.serial),
      Number.MAX_SAFE_INTEGER,
    );
    for (const i of items)
      if (i.data !== undefined) {
        if (typeof i.data !== 'object' || i.data === null || Array.isArray(i.data))
          throw new SerialError(
            400,
            'Invalid import',
            `data of serial ${i.serial} must be an object of strings`,
          );
        for (const [k, v] of Object.entries(i.data))
          if (typeof v !== 'string' || v.length > 90 || !isCset82(v))
            throw new SerialError(
              400,
              'Invalid import',
              `data ${k} of serial ${i.serial} must be at most 90 characters of GS1 set 82 (as AI 91/92 values)`,
            );
      }
    const r = await this.store.importSerials(poolId, items, new Date().toISOString());
    return { poolId, ...r };
  }

  /**
   * The line printed these serials: builds the commissioning ObjectEvent (ILMD lot and expiry),
   * captures it, then marks the serials commissioned. Order: event first, state second — a crash
   * in between leaves the serials reserved, and the line's retry commissions them (with the same
   * eventTime the event is recognised as a duplicate, not stored twice).
   */
  async commission(input: CommissionInput): Promise<{
    gtin: string;
    commissioned: number;
    added: number;
    eventId?: string;
    captureId: string;
    duplicateEvent: boolean;
  }> {
    if (!this.capture) throw new Error('SerialService: commissioning needs a CaptureService');
    const gtin = normaliseGtin14(input.gtin);
    const serials = checkSerials(input.serials, this.maxBatch);
    const lot = checkLot(input.lot);
    const expiry = checkExpiry(input.expiry);
    const allowed: (SerialState | null)[] = input.allowUnissued ? ['reserved', null] : ['reserved'];
    const states = await this.store.statesOf(gtin, serials);
    const refused = serials
      .map((serial, i) => ({ serial, state: states[i]! }))
      .filter((r) => !allowed.includes(r.state));
    if (refused.length) throw refusedDetail('commission', refused);
    const doc = commissioningDocument({
      gtin,
      serials,
      lot,
      expiry,
      eventTime: input.eventTime,
      eventTimeZoneOffset: input.eventTimeZoneOffset,
      readPoint: input.readPoint,
      bizLocation: input.bizLocation,
    });
    // As byte chunks, the form an HTTP request body has (every capture path reads it).
    const body = (async function* () {
      yield Buffer.from(doc, 'utf8');
    })();
    const outcome = await this.capture.capture({ body, contentType: 'application/ld+json' });
    if (outcome.rejected) {
      const r = outcome.rejected;
      throw new SerialError(r.status ?? 400, 'Commissioning event refused', r.detail ?? r.title, {
        errors: outcome.job.errors,
      });
    }
    const t = await this.store.transition({
      key: gtin,
      serials,
      from: ['reserved'],
      to: 'commissioned',
      at: new Date().toISOString(),
      lot,
      expiry,
      addUnknown: input.allowUnissued === true,
    });
    if (!t.ok) throw refusedDetail('commission', t.refused);
    return {
      gtin,
      commissioned: t.changed,
      added: t.added,
      captureId: outcome.job.captureId,
      duplicateEvent: outcome.duplicates > 0,
    };
  }

  private async change(
    action: string,
    gtin: string,
    serials: unknown,
    from: SerialState[],
    to: SerialState,
  ): Promise<{ gtin: string; changed: number; state: SerialState }> {
    const key = gtin === 'sscc' ? 'sscc' : normaliseGtin14(gtin);
    const list = checkSerials(serials, this.maxBatch);
    const t = await this.store.transition({ key, serials: list, from, to, at: new Date().toISOString() });
    if (!t.ok) throw refusedDetail(action, t.refused);
    return { gtin: key, changed: t.changed, state: to };
  }

  /** Unused reserved serials back: returned (never issued again). */
  returnSerials(gtin: string, serials: string[]) {
    return this.change('return', gtin, serials, ['reserved'], 'returned');
  }

  /** Serials destroyed: unused (unassigned, reserved) or printed packs destroyed on the line. */
  destroy(gtin: string, serials: string[]) {
    return this.change('destroy', gtin, serials, ['unassigned', 'reserved', 'commissioned'], 'destroyed');
  }

  /** Commissioned packs taken out of the supply chain. */
  decommission(gtin: string, serials: string[]) {
    return this.change('decommission', gtin, serials, ['commissioned'], 'decommissioned');
  }

  async get(gtin: string, serial: string): Promise<SerialRecord> {
    const key = gtin === 'sscc' ? 'sscc' : normaliseGtin14(gtin);
    const r = await this.store.getSerial(key, serial);
    if (!r)
      throw new SerialError(
        404,
        'Unknown serial',
        `serial ${JSON.stringify(serial)} was never issued for ${key}`,
      );
    return r;
  }

  async reconcile(gtin: string, lot?: string): Promise<ReconciliationReport[]> {
    const key = normaliseGtin14(gtin);
    const rows = await this.store.reconcile(key, lot === undefined ? undefined : checkLot(lot));
    return rows.map((r) => {
      const c = r.counts;
      return {
        gtin: key,
        lot: r.lot,
        issued: SERIAL_STATES.filter((s) => s !== 'unassigned').reduce((n, s) => n + c[s], 0),
        commissioned: c.commissioned,
        decommissioned: c.decommissioned,
        destroyed: c.destroyed,
        returned: c.returned,
        unaccounted: c.reserved,
        available: c.unassigned,
      };
    });
  }
}
