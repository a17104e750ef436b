/**
 * EU FMD at the point of supply and along the chain: verify a pack, decommission it with a reason,
 * undo a decommission, and the pharmacy flow (scan → verify → supply) in one call.
 *
 * - Verify: authentic = an active pack with the same product code (GTIN) and serial number in pack
 *   state; the batch and expiry scanned must be those uploaded (commissioned). The answer carries
 *   the pack's status and, when it is not "active, may be supplied", alert codes (./alerts.ts).
 * - Decommission: an EPCIS ObjectEvent OBSERVE on the pack at the user's premises (bizLocation and
 *   readPoint), bizStep/disposition from the CBV per reason, with `rx:decommissionReason` and
 *   `rx:user` (rx = https://rxtrace.org/epcis/ext/). Pack state follows from the event.
 * - Undo: only by the same user at the same premises within 10 days of the decommission, never for
 *   a pack that is expired, recalled, withdrawn, stolen or destroyed: an EPCIS error declaration of
 *   the decommission event (pack state drops corrected events, so the pack is active again).
 *
 * Operations on one pack are serialised in this process (a second dispense waits for the first and
 * is then refused as already inactive). Time comes from the injected clock (`now`).
 */
import { randomUUID } from 'node:crypto';
import { normaliseIdentifier } from '@rxtrace/epcis';
import { hasValidCheckDigit, parseGs1 } from '@rxtrace/gs1';
import type { PackState, Recall, RxtraceStore, StoredEvent } from '@rxtrace/store';
import type { CaptureService } from '../capture/service.ts';
import { sgtinDigitalLink } from '../serials/commission.ts';
import { type FmdAlert, type FmdAlertCode, fmdAlert } from './alerts.ts';

const RX_NS = 'https://rxtrace.org/epcis/ext/';
const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export type DecommissionReason =
  | 'supplied'
  | 'destroyed'
  | 'stolen'
  | 'sample'
  | 'free_sample'
  | 'exported'
  | 'locked'
  | 'checked_out';

/** bizStep and disposition (CBV bare words) of the decommissioning event per reason. */
export const DECOMMISSION_EVENT: Readonly<
  Record<DecommissionReason, { bizStep: string; disposition: string }>
> = {
  supplied: { bizStep: 'dispensing', disposition: 'dispensed' },
  destroyed: { bizStep: 'destroying', disposition: 'destroyed' },
  stolen: { bizStep: 'decommissioning', disposition: 'stolen' },
  sample: { bizStep: 'dispensing', disposition: 'dispensed' },
  free_sample: { bizStep: 'dispensing', disposition: 'dispensed' },
  exported: { bizStep: 'decommissioning', disposition: 'inactive' },
  locked: { bizStep: 'decommissioning', disposition: 'inactive' },
  checked_out: { bizStep: 'decommissioning', disposition: 'inactive' },
};
export const DECOMMISSION_REASONS = Object.keys(DECOMMISSION_EVENT) as DecommissionReason[];

/** Reasons that may be recorded on a pack that is expired, recalled, withdrawn or blocked. */
const ALLOWED_ON_UNSALEABLE: ReadonlySet<DecommissionReason> = new Set(['destroyed', 'stolen', 'locked']);
/** Reasons after which a pack can never be reactivated. */
const FINAL_REASONS: ReadonlySet<DecommissionReason> = new Set(['destroyed', 'stolen']);
/** Pack statuses of a pack out of the supply chain (decommissioned in one way or another). */
const INACTIVE = new Set([
  'dispensed',
  'partially_dispensed',
  'destroyed',
  'stolen',
  'inactive',
  'decommissioned',
  'sold',
]);
/** Statuses of a pack that is genuine and in the chain but blocked. */
const BLOCKED = new Set(['non_sellable', 'quarantined', 'damaged', 'returned', 'unavailable']);
/** Dispositions of a later event that put a decommissioned pack back in the chain. */
const REACTIVATING = new Set(['active', 'sellable_accessible', 'sellable_not_accessible', 'in_transit']);
/** Statuses in which a pack may be supplied (EU: "active"). */
const ACTIVE = new Set(['active', 'in_transit', 'reserved']);

export const UNDO_WINDOW_MS = 10 * 24 * 3600 * 1000;
/** The lease of a pack claim: an operation never takes this long; a dead holder's claim lapses. */
const CLAIM_LEASE_MS = 30_000;

/** A pack as scanned or typed: the four data elements of the EU unique identifier. */
export interface FmdPackInput {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  /** YYYY-MM-DD (or YYMMDD as encoded, DD 00 = any day of the month). */
  expiry?: string | undefined;
}

/** Who acts where. */
export interface FmdActor {
  /** The user (person or system account) acting. */
  user: string;
  /** The premises (a location: GLN, SGLN Digital Link or URN). */
  premises: string;
}

export interface FmdDecommissionInfo {
  reason: DecommissionReason;
  user?: string;
  premises?: string;
  at: string;
  eventId: string;
}

export interface FmdVerification {
  /** Active and may be supplied: no alert. */
  ok: boolean;
  /** The pack's canonical Digital Link. */
  id: string;
  gtin: string;
  serial: string;
  /** As uploaded (pack state), when the pack is known. */
  lot?: string;
  expiry?: string;
  /** EU status: active, inactive (decommissioned, with its reason), unknown. */
  state: 'active' | 'inactive' | 'blocked' | 'unknown';
  /** The pack state status (dispensed, destroyed …). */
  status?: string;
  decommission?: FmdDecommissionInfo;
  recall?: Recall;
  alerts: FmdAlert[];
  verifiedAt: string;
}

export interface FmdDecommissionResult {
  decommissioned: true;
  reason: DecommissionReason;
  id: string;
  eventId: string;
  at: string;
  /** Pack status after the event. */
  status?: string;
  verification: FmdVerification;
}

export interface FmdUndoResult {
  reactivated: true;
  id: string;
  /** The decommission event declared erroneous. */
  correctedEventId: string;
  reason: DecommissionReason;
  at: string;
  /** Pack status after the undo. */
  status?: string;
}

export interface FmdDispenseResult extends FmdDecommissionResult {
  /** How the input was read (scan, digital-link, bracketed …). */
  inputForm: string;
}

export type FmdBulkOperation = 'verify' | 'decommission' | 'undo' | 'dispense';
export const BULK_OPERATIONS: readonly FmdBulkOperation[] = ['verify', 'decommission', 'undo', 'dispense'];
export const BULK_MAX = 1000;

export interface FmdBulkItem {
  index: number;
  /** Done (verify: active and may be supplied). */
  ok: boolean;
  result?: unknown;
  error?: { status: number; title: string; detail: string; alerts: FmdAlert[] };
}

export interface FmdBulkResult {
  operation: FmdBulkOperation;
  count: number;
  ok: number;
  results: FmdBulkItem[];
}

/** A refused operation or bad input: HTTP status, RFC 7807 fields, the alerts. */
export class FmdError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly alerts: FmdAlert[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'FmdError';
  }
}

export interface FmdServiceOptions {
  capture: CaptureService;
  /** The clock (tests set it). Default: the system clock. */
  now?: () => Date;
  /** How long an operation waits for a pack another process is working on (default 5 s). */
  claimWaitMs?: number;
}

function isReason(r: unknown): r is DecommissionReason {
  return typeof r === 'string' && Object.hasOwn(DECOMMISSION_EVENT, r);
}

/** The premises as a canonical location id: a bare 13-digit GLN becomes its Digital Link. */
export function premisesId(p: string): string {
  const t = p.trim();
  if (/^\d{13}$/.test(t)) return `https://id.gs1.org/414/${t}`;
  return normaliseIdentifier(t);
}

function sameExpiry(uploaded: string, scanned: string): boolean {
  if (uploaded === scanned) return true;
  // YYMMDD with DD 00 (any day), or a scanned date whose day is unspecified: compare the month.
  return (
    uploaded.slice(0, 7) === scanned.slice(0, 7) && (uploaded.endsWith('-00') || scanned.endsWith('-00'))
  );
}

/** YYMMDD / YYYYMMDD / YYYY-MM-DD → YYYY-MM-DD (DD 00 kept: the whole month). */
export function normaliseExpiry(e: string, field = 'expiry'): string {
  const t = e.trim();
  const m =
    /^(\d{4})-(\d{2})-(\d{2})$/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t) ??
    /^(\d{2})(\d{2})(\d{2})$/.exec(t)?.map((x, i) => (i === 1 ? `20${x}` : x));
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // Day 00 stands for the whole month (GS1); otherwise the day must exist in that month.
    if (mo >= 1 && mo <= 12 && (d === 0 || d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()))
      return `${m[1]}-${m[2]}-${m[3]}`;
  }
  throw new FmdError(
    400,
    'Invalid input',
    `${field} must be YYYY-MM-DD or YYMMDD, not ${JSON.stringify(e)}`,
    [fmdAlert('FMD-E1', `${field} ${JSON.stringify(e)}`)],
  );
}

/** The last valid day of an expiry (DD 00: the month's last day). */
function lastValidDay(expiry: string): string {
  if (!expiry.endsWith('-00')) return expiry;
  const y = Number(expiry.slice(0, 4));
  const mo = Number(expiry.slice(5, 7));
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
}

function badInput(detail: string): FmdError {
  return new FmdError(400, 'Invalid input', detail, [fmdAlert('FMD-E1', detail)]);
}

/** Checks and normalises a pack input (GTIN check digit, serial, lot, expiry). */
export function checkPackInput(p: unknown): FmdPackInput {
  if (!p || typeof p !== 'object') throw badInput('the pack must be given as {gtin, serial, lot, expiry}');
  const o = p as Record<string, unknown>;
  if (typeof o.gtin !== 'string' || !/^\d{8}$|^\d{12,14}$/.test(o.gtin))
    throw badInput(`gtin must be a GTIN of 8, 12, 13 or 14 digits, not ${JSON.stringify(o.gtin)}`);
  const gtin = o.gtin.padStart(14, '0');
  if (!hasValidCheckDigit(gtin)) throw badInput(`gtin ${o.gtin}: wrong check digit`);
  if (typeof o.serial !== 'string' || !/^[\x21-\x7e]{1,20}$/.test(o.serial))
    throw badInput(`serial must be 1 to 20 printable characters, not ${JSON.stringify(o.serial)}`);
  const out: FmdPackInput = { gtin, serial: o.serial };
  if (o.lot !== undefined) {
    if (typeof o.lot !== 'string' || !/^[\x21-\x7e]{1,20}$/.test(o.lot))
      throw badInput(`lot must be 1 to 20 printable characters, not ${JSON.stringify(o.lot)}`);
    out.lot = o.lot;
  }
  if (o.expiry !== undefined) {
    if (typeof o.expiry !== 'string') throw badInput('expiry must be a string (YYYY-MM-DD or YYMMDD)');
    out.expiry = normaliseExpiry(o.expiry);
  }
  return out;
}

function checkActor(a: unknown): FmdActor {
  const o = (a ?? {}) as Record<string, unknown>;
  if (typeof o.user !== 'string' || o.user.trim() === '') throw badInput('user is required (who acts)');
  if (typeof o.premises !== 'string' || o.premises.trim() === '')
    throw badInput('premises is required (the location where the user acts: a GLN or location id)');
  const p = o.premises.trim();
  if (/^\d{13}$/.test(p) ? !hasValidCheckDigit(p) : !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(p))
    throw badInput(
      `premises ${JSON.stringify(p)} is neither a GLN (13 digits, check digit) nor a location id (a URI)`,
    );
  return { user: o.user.trim(), premises: premisesId(p) };
}

/**
 * Reads any GS1 input form `@rxtrace/gs1` accepts (scan data with a symbology identifier, element
 * strings, Digital Link URIs, EPC URIs) into the four data elements.
 */
export function parsePackCode(code: string, now: Date): FmdPackInput & { form: string } {
  if (typeof code !== 'string' || code.trim() === '')
    throw badInput('code must be the scanned data or a GS1 string');
  const r = parseGs1(code.trim(), { currentYear: now.getUTCFullYear() });
  if (!r.ok) {
    const detail = r.errors.map((e) => e.message).join('; ');
    throw new FmdError(400, 'Unreadable code', detail, [fmdAlert('FMD-E1', detail)], { gs1Errors: r.errors });
  }
  const f = r.value.fields;
  if (f.sscc && !f.gtin)
    throw new FmdError(400, 'Not a pack', `SSCC ${f.sscc} is a logistic unit`, [fmdAlert('FMD-E2')]);
  if (!f.gtin || f.serial === undefined)
    throw new FmdError(
      400,
      'Not a pack',
      'the code carries no serial number (AI 21) with its GTIN (AI 01): not a serialised pack',
      [fmdAlert('FMD-E2')],
    );
  const out: FmdPackInput & { form: string } = { gtin: f.gtin, serial: f.serial, form: r.value.form };
  if (f.lot !== undefined) out.lot = f.lot;
  if (f.expiry) out.expiry = f.expiry.dayUnspecified ? `${f.expiry.date.slice(0, 7)}-00` : f.expiry.date;
  return out;
}

export class FmdService {
  private readonly capture: CaptureService;
  private readonly now: () => Date;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly instance = randomUUID();
  private ops = 0;
  private readonly claimWaitMs: number;

  constructor(
    private readonly store: RxtraceStore,
    opts: FmdServiceOptions,
  ) {
    this.capture = opts.capture;
    this.now = opts.now ?? (() => new Date());
    this.claimWaitMs = opts.claimWaitMs ?? 5000;
  }

  /**
   * Runs `fn` after the previous operation on the same pack finished: in this process (a queue per
   * pack), and across processes on the same database (a claim on the pack in the store, a lease
   * that lapses if its holder dies; waited for up to `claimWaitMs`).
   */
  private async serial<R>(id: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const claimed = async () => {
      const owner = `${this.instance}:${++this.ops}`;
      const deadline = Date.now() + this.claimWaitMs;
      for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
        const t = Date.now();
        if (await this.store.fmd.claim(id, owner, t, t + CLAIM_LEASE_MS)) break;
        if (t >= deadline)
          throw new FmdError(503, 'Pack busy', `another operation on ${id} is in progress; try again`);
        await new Promise((r) => setTimeout(r, wait));
      }
      try {
        return await fn();
      } finally {
        await this.store.fmd.release(id, owner);
      }
    };
    const run = prev.then(claimed, claimed);
    const tail = run.catch(() => {});
    this.locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    }
  }

  /** The last decommission of the pack through FMD that is not declared erroneous. */
  async lastDecommission(id: string): Promise<(FmdDecommissionInfo & { event: StoredEvent }) | undefined> {
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await this.store.queryEvents(
        { identifiers: [{ roles: ['epc'], values: [id] }], includeErrorDeclarations: false },
        { orderBy: 'seq', direction: 'DESC', limit: 50, ...(after ? { after } : {}) },
      );
      for (const e of r.events) {
        if (e.corrected) continue;
        const ev = e.event as Record<string, unknown>;
        const reason = ev['rx:decommissionReason'];
        if (!isReason(reason)) {
          // A later event that made the pack active again: the decommissions before it are history.
          if (typeof ev.disposition === 'string' && REACTIVATING.has(ev.disposition)) return undefined;
          continue;
        }
        const loc = (ev.bizLocation as { id?: string } | undefined)?.id;
        return {
          reason,
          ...(typeof ev['rx:user'] === 'string' ? { user: ev['rx:user'] } : {}),
          ...(loc ? { premises: loc } : {}),
          at: e.eventTime,
          eventId: e.eventId,
          event: e,
        };
      }
      if (!r.next) return undefined;
      after = r.next;
    }
    return undefined;
  }

  private async productKnown(gtin: string): Promise<boolean> {
    if (await this.store.registry.productOf(gtin)) return true;
    const r = await this.store.packs.items({ gtin }, { limit: 1 });
    return r.items.length > 0;
  }

  private async verifyAt(
    p: FmdPackInput,
    at: Date,
    actor?: FmdActor,
  ): Promise<FmdVerification & { pack?: PackState }> {
    const id = sgtinDigitalLink(p.gtin, p.serial);
    const verifiedAt = at.toISOString();
    const base = { id, gtin: p.gtin, serial: p.serial, verifiedAt };
    const [st] = await this.store.packs.get([id]);
    if (!st) {
      const known = await this.productKnown(p.gtin);
      const alert = known
        ? fmdAlert('FMD-A2', `no pack ${p.serial} of GTIN ${p.gtin}`)
        : fmdAlert('FMD-A1', `GTIN ${p.gtin}`);
      return { ...base, ok: false, state: 'unknown', alerts: [alert] };
    }
    const alerts: FmdAlert[] = [];
    if (p.lot !== undefined && st.lot !== undefined && p.lot !== st.lot)
      alerts.push(fmdAlert('FMD-A3', `uploaded batch ${st.lot}, scanned ${p.lot}`));
    if (p.expiry !== undefined && st.expiry !== undefined && !sameExpiry(st.expiry, p.expiry))
      alerts.push(fmdAlert('FMD-A4', `uploaded expiry ${st.expiry}, scanned ${p.expiry}`));
    const v: FmdVerification & { pack?: PackState } = {
      ...base,
      ok: false,
      state: 'active',
      alerts,
      pack: st,
    };
    if (st.lot !== undefined) v.lot = st.lot;
    if (st.expiry !== undefined) v.expiry = st.expiry;
    if (st.status !== undefined) v.status = st.status;
    const status = st.status ?? 'unknown';
    if (INACTIVE.has(status)) {
      v.state = 'inactive';
      const dec = await this.lastDecommission(id);
      if (dec) {
        const { event: _e, ...info } = dec;
        v.decommission = info;
      }
      if (dec?.reason === 'locked')
        alerts.push(fmdAlert('FMD-S4', `locked by ${dec.user ?? '?'} at ${dec.at}`));
      else {
        const a = fmdAlert(
          'FMD-A5',
          dec
            ? `decommissioned as ${dec.reason} at ${dec.at}${dec.premises ? ` (${dec.premises})` : ''}`
            : `status ${status}`,
        );
        // Supplied again at the premises that supplied it: a user error, not a falsification.
        if (actor && dec?.premises === actor.premises) a.alert = false;
        alerts.push(a);
      }
    } else if (BLOCKED.has(status)) {
      v.state = 'blocked';
      alerts.push(fmdAlert('FMD-S5', `status ${status}`));
    } else if (status === 'recalled') {
      // reported through the recall below, or as a status when no recall record is in force
    } else if (status === 'expired') {
      // reported below
    } else if (!ACTIVE.has(status)) {
      v.state = 'blocked';
      alerts.push(fmdAlert('FMD-S6', `status ${status}`));
    }
    const expiry = st.expiry ?? p.expiry;
    if (status === 'expired' || (expiry !== undefined && lastValidDay(expiry) < verifiedAt.slice(0, 10)))
      alerts.push(fmdAlert('FMD-S1', expiry ? `expiry ${expiry}` : 'status expired'));
    const recall = await this.store.recalls.active(p.gtin, st.lot ?? p.lot, verifiedAt);
    if (recall) {
      v.recall = recall;
      alerts.push(
        fmdAlert(
          recall.kind === 'withdrawal' ? 'FMD-S3' : 'FMD-S2',
          `${recall.kind} ${recall.id}${recall.lot ? ` of batch ${recall.lot}` : ' of the product'}: ${recall.reason}`,
        ),
      );
    } else if (status === 'recalled') alerts.push(fmdAlert('FMD-S2', 'status recalled'));
    v.ok = alerts.length === 0;
    return v;
  }

  /** Verifies a pack (no change). `actor` is optional (it tells whether an inactive pack is ours). */
  async verify(input: unknown, actor?: unknown): Promise<FmdVerification> {
    const p = checkPackInput(input);
    const a = actor === undefined ? undefined : checkActor(actor);
    const { pack: _p, ...v } = await this.verifyAt(p, this.now(), a);
    return v;
  }

  /** Decommissions a pack with a reason; refused (FmdError 409 with alerts) when it may not be. */
  async decommission(input: unknown, reason: unknown, actor: unknown): Promise<FmdDecommissionResult> {
    const p = checkPackInput(input);
    if (!isReason(reason))
      throw badInput(
        `reason must be one of ${DECOMMISSION_REASONS.join(', ')}, not ${JSON.stringify(reason)}`,
      );
    const a = checkActor(actor);
    return this.serial(sgtinDigitalLink(p.gtin, p.serial), () => this.decommissionNow(p, reason, a));
  }

  private async decommissionNow(
    p: FmdPackInput,
    reason: DecommissionReason,
    actor: FmdActor,
  ): Promise<FmdDecommissionResult> {
    const at = this.now();
    const { pack: _pk, ...v } = await this.verifyAt(p, at, actor);
    const blocking = v.alerts.filter((x) => {
      if (x.code.startsWith('FMD-A') || x.code === 'FMD-S4') return true; // identity, already inactive, locked
      return !ALLOWED_ON_UNSALEABLE.has(reason); // expired, recalled, withdrawn, blocked
    });
    if (blocking.length > 0)
      throw new FmdError(
        409,
        'Decommission refused',
        `${reason} refused for ${v.id}: ${blocking.map((x) => `${x.code} ${x.name}${x.detail ? ` (${x.detail})` : ''}`).join('; ')}`,
        blocking,
        { verification: v },
      );
    const ev = DECOMMISSION_EVENT[reason];
    const event = {
      '@context': [EPCIS_CONTEXT, { rx: RX_NS }],
      type: 'ObjectEvent',
      eventTime: at.toISOString(),
      eventTimeZoneOffset: '+00:00',
      epcList: [v.id],
      action: 'OBSERVE',
      bizStep: ev.bizStep,
      disposition: ev.disposition,
      readPoint: { id: actor.premises },
      bizLocation: { id: actor.premises },
      'rx:decommissionReason': reason,
      'rx:user': actor.user,
      // Two operations at the same instant stay two events (the Event Hash ID covers this field).
      'rx:operationId': randomUUID(),
    };
    const out = await this.capture.captureEvent({
      body: JSON.stringify(event),
      contentType: 'application/ld+json',
    });
    if (!out.ok)
      throw new FmdError(500, 'Decommission event refused', out.problem.detail ?? out.problem.title, [], {
        errors: out.errors,
      });
    const [after] = await this.store.packs.get([v.id]);
    return {
      decommissioned: true,
      reason,
      id: v.id,
      eventId: out.eventId,
      at: at.toISOString(),
      ...(after?.status !== undefined ? { status: after.status } : {}),
      verification: v,
    };
  }

  /** Undoes the last decommission of a pack (reactivates it), or refuses with the alerts why not. */
  async undo(input: unknown, actor: unknown): Promise<FmdUndoResult> {
    const p = checkPackInput(input);
    const a = checkActor(actor);
    return this.serial(sgtinDigitalLink(p.gtin, p.serial), () => this.undoNow(p, a));
  }

  private async undoNow(p: FmdPackInput, actor: FmdActor): Promise<FmdUndoResult> {
    const at = this.now();
    const iso = at.toISOString();
    const v = await this.verifyAt(p, at, actor);
    const refuse = (alerts: FmdAlert[]) =>
      new FmdError(
        409,
        'Undo refused',
        `undo refused for ${v.id}: ${alerts.map((x) => `${x.code} ${x.name}${x.detail ? ` (${x.detail})` : ''}`).join('; ')}`,
        alerts,
        { verification: stripPack(v) },
      );
    const identity = v.alerts.filter((x) => ['FMD-A1', 'FMD-A2', 'FMD-A3', 'FMD-A4'].includes(x.code));
    if (identity.length) throw refuse(identity);
    const dec = v.state === 'inactive' ? await this.lastDecommission(v.id) : undefined;
    if (!dec) throw refuse([fmdAlert('FMD-U1', `status ${v.status ?? 'unknown'}`)]);
    const alerts: FmdAlert[] = [];
    const has = (c: FmdAlertCode) => v.alerts.some((x) => x.code === c);
    if (FINAL_REASONS.has(dec.reason)) alerts.push(fmdAlert('FMD-U5', `decommissioned as ${dec.reason}`));
    if (dec.user !== actor.user)
      alerts.push(
        fmdAlert('FMD-U3', `decommissioned by ${dec.user ?? 'an unknown user'}, undo asked by ${actor.user}`),
      );
    if (dec.premises !== actor.premises)
      alerts.push(
        fmdAlert(
          'FMD-U4',
          `decommissioned at ${dec.premises ?? 'unknown premises'}, undo asked at ${actor.premises}`,
        ),
      );
    const elapsed = at.getTime() - Date.parse(dec.at);
    if (elapsed > UNDO_WINDOW_MS)
      alerts.push(
        fmdAlert(
          'FMD-U2',
          `decommissioned ${dec.at}, ${(elapsed / 86_400_000).toFixed(1)} days ago (limit 10 days)`,
        ),
      );
    if (has('FMD-S1')) alerts.push(fmdAlert('FMD-U6', `expiry ${v.expiry ?? '?'}`));
    if (has('FMD-S2') || has('FMD-S3'))
      alerts.push(fmdAlert('FMD-U7', v.recall ? `${v.recall.kind} ${v.recall.id}` : 'status recalled'));
    if (alerts.length) throw refuse(alerts);

    const original = { ...(dec.event.event as Record<string, unknown>) };
    delete original.recordTime;
    const ctx = original['@context'];
    const declaration = {
      ...original,
      '@context': Array.isArray(ctx) ? ctx : [EPCIS_CONTEXT, { rx: RX_NS }],
      errorDeclaration: {
        declarationTime: iso,
        reason: 'incorrect_data',
        'rx:undo': true,
        'rx:user': actor.user,
        'rx:premises': actor.premises,
      },
    };
    const out = await this.capture.captureEvent({
      body: JSON.stringify(declaration),
      contentType: 'application/ld+json',
    });
    if (!out.ok)
      throw new FmdError(500, 'Undo event refused', out.problem.detail ?? out.problem.title, [], {
        errors: out.errors,
      });
    const [after] = await this.store.packs.get([v.id]);
    return {
      reactivated: true,
      id: v.id,
      correctedEventId: dec.eventId,
      reason: dec.reason,
      at: iso,
      ...(after?.status !== undefined ? { status: after.status } : {}),
    };
  }

  /**
   * The pharmacy flow in one call: read the code (any GS1 input form), verify, and decommission as
   * supplied. Refused (FmdError 409) with the alerts when the pack may not be supplied.
   */
  async dispense(code: unknown, actor: unknown): Promise<FmdDispenseResult> {
    const a = checkActor(actor);
    const parsed = parsePackCode(code as string, this.now());
    const { form, ...p } = parsed;
    if (p.lot === undefined || p.expiry === undefined)
      throw badInput(
        `the code must carry the batch (AI 10) and expiry (AI 17) of the EU unique identifier; missing: ${[
          p.lot === undefined ? 'batch' : '',
          p.expiry === undefined ? 'expiry' : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
      );
    const pack = checkPackInput(p);
    const r = await this.serial(sgtinDigitalLink(pack.gtin, pack.serial), () =>
      this.decommissionNow(pack, 'supplied', a),
    );
    return { ...r, inputForm: form };
  }

  /**
   * Many packs in one call (a tote at goods-in, a hospital ward's check-out): the operation on each
   * item in turn, each with its own answer — one refusal does not stop the others. Items are
   * `{code}` (any GS1 form) or `{gtin, serial, lot, expiry}`; at most `BULK_MAX`.
   */
  async bulk(operation: unknown, items: unknown, actor: unknown, reason?: unknown): Promise<FmdBulkResult> {
    if (!BULK_OPERATIONS.includes(operation as FmdBulkOperation))
      throw badInput(
        `operation must be one of ${BULK_OPERATIONS.join(', ')}, not ${JSON.stringify(operation)}`,
      );
    if (!Array.isArray(items) || items.length === 0) throw badInput('items must be a non-empty list');
    if (items.length > BULK_MAX) throw badInput(`at most ${BULK_MAX} items per call, not ${items.length}`);
    const op = operation as FmdBulkOperation;
    if (op === 'decommission' && !isReason(reason))
      throw badInput(
        `reason must be one of ${DECOMMISSION_REASONS.join(', ')}, not ${JSON.stringify(reason)}`,
      );
    if (op !== 'verify') checkActor(actor);
    const results: FmdBulkItem[] = [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as Record<string, unknown> | null;
      try {
        const code = item && typeof item === 'object' ? item.code : undefined;
        let result: unknown;
        if (op === 'dispense') result = await this.dispense(code ?? '', actor);
        else {
          let pack: unknown = item;
          if (code !== undefined) {
            const { form: _f, ...p } = parsePackCode(code as string, this.now());
            pack = p;
          }
          if (op === 'verify') result = await this.verify(pack, actor);
          else if (op === 'decommission') result = await this.decommission(pack, reason, actor);
          else result = await this.undo(pack, actor);
        }
        const ok = op === 'verify' ? (result as FmdVerification).ok : true;
        results.push({ index, ok, result });
      } catch (e) {
        if (!(e instanceof FmdError)) throw e;
        results.push({
          index,
          ok: false,
          error: { status: e.status, title: e.title, detail: e.detail, alerts: e.alerts },
        });
      }
    }
    return { operation: op, count: results.length, ok: results.filter((r) => r.ok).length, results };
  }

  /** Verification of a scanned code (any GS1 input form). */
  async verifyCode(code: unknown, actor?: unknown): Promise<FmdVerification & { inputForm: string }> {
    const { form, ...p } = parsePackCode(code as string, this.now());
    return { ...(await this.verify(p, actor)), inputForm: form };
  }
}

function stripPack(v: FmdVerification & { pack?: PackState }): FmdVerification {
  const { pack: _p, ...rest } = v;
  return rest;
}
