/**
 * Saleable returns (DSCSA: a wholesaler verifies each returned package before it may be
 * distributed again). Each pack is verified — locally when its GTIN belongs to one of our own
 * company prefixes (we are the manufacturer), else through the requester and the lookup
 * directory. Packs that pass go back to sellable stock through one receiving event (ObjectEvent
 * OBSERVE, bizStep receiving, disposition sellable_accessible); each pack that fails is
 * quarantined (ObjectEvent OBSERVE, bizStep holding, disposition non_sellable_other, `rx:reason`)
 * and an exception is raised (reason, pack, who, when). Events go through the CaptureService.
 */
import { randomUUID } from 'node:crypto';
import { parseGs1 } from '@rxtrace/gs1';
import type { ReturnItem, RxtraceStore, SaleableReturn } from '@rxtrace/store';
import type { CaptureService } from '../capture/service.ts';
import type { VerificationRequester } from './requester.ts';
import { packIdOf, verifyLocally } from './responder.ts';
import { expToIso, isAi82, isGln, isGtin14, isoToExp, type VerificationData } from './standard.ts';

export const RX_NS = 'https://rxtrace.org/epcis/ext/';

export class ReturnError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReturnError';
  }
}

export interface ReturnPackInput {
  gtin: string;
  serial: string;
  lot: string;
  /** YYMMDD as printed, or YYYY-MM-DD. */
  exp: string;
}

/** A pack as scanned: any GS1 form `@rxtrace/gs1` reads (scan data, element string, Digital Link). */
export interface ReturnPackCode {
  code: string;
}

/** The four data elements of a scanned pack; a ReturnError(400) naming what is missing. */
export function packFromCode(code: string, i: number, now = new Date()): ReturnPackInput {
  const r = parseGs1(code.trim(), { currentYear: now.getUTCFullYear() });
  if (!r.ok) throw new ReturnError(400, `packs[${i}].code: ${r.errors.map((e) => e.message).join('; ')}`);
  const f = r.value.fields;
  if (!f.gtin || f.serial === undefined || f.lot === undefined || !f.expiry)
    throw new ReturnError(
      400,
      `packs[${i}].code: a pack needs GTIN (01), serial (21), lot (10) and expiry (17)`,
    );
  return { gtin: f.gtin, serial: f.serial, lot: f.lot, exp: f.expiry.raw.slice(-6) };
}

export interface ReturnInput {
  packs: (ReturnPackInput | ReturnPackCode)[];
  /** Who received the return. */
  user: string;
  /** GLN of the party returning the packs. */
  fromGLN?: string;
  /** Where the packs were received: canonical location id (https://id.gs1.org/414/…). */
  location?: string;
  /** Default now. */
  at?: string;
}

export interface ReturnsOptions {
  store: RxtraceStore;
  capture: CaptureService;
  /** Asks the manufacturers (absent: packs of other makers cannot be verified: quarantined). */
  requester?: VerificationRequester;
  /** GS1 Company Prefixes of products we make: verified locally. */
  ownCompanyPrefixes?: string[];
  /** At most this many packs per return. Default 5000. */
  maxPacks?: number;
}

const FAIL_INFO = new Set(['Recalled', 'Expired', 'Suspect', 'Illegitimate']);

export class SaleableReturnsService {
  constructor(private readonly o: ReturnsOptions) {}

  private isOwn(gtin: string): boolean {
    return (this.o.ownCompanyPrefixes ?? []).some((p) => gtin.slice(1).startsWith(p));
  }

  /** Checks the input; throws a ReturnError(400) naming the first bad field. */
  check(input: ReturnInput): ReturnPackInput[] {
    if (!Array.isArray(input.packs) || input.packs.length === 0)
      throw new ReturnError(400, 'packs: at least one pack is needed');
    const max = this.o.maxPacks ?? 5000;
    if (input.packs.length > max) throw new ReturnError(413, `packs: at most ${max} per return`);
    if (typeof input.user !== 'string' || !input.user.trim())
      throw new ReturnError(400, 'user: who received the return is needed');
    if (input.fromGLN !== undefined && !isGln(input.fromGLN))
      throw new ReturnError(
        400,
        `fromGLN: ${JSON.stringify(input.fromGLN)} is not a GLN (13 digits, check digit)`,
      );
    if (
      input.location !== undefined &&
      !/^https:\/\/id\.gs1\.org\/414\/\d{13}(\/254\/[^/]+)?$/.test(input.location)
    )
      throw new ReturnError(
        400,
        'location: a canonical location id (https://id.gs1.org/414/<GLN>) is needed',
      );
    const seen = new Set<string>();
    return input.packs.map((raw, i) => {
      if (!raw || typeof raw !== 'object') throw new ReturnError(400, `packs[${i}]: an object is needed`);
      const p: ReturnPackInput =
        'code' in raw && typeof raw.code === 'string' ? packFromCode(raw.code, i) : (raw as ReturnPackInput);
      if (typeof p.gtin !== 'string' || !isGtin14(p.gtin))
        throw new ReturnError(400, `packs[${i}].gtin: a GTIN-14 with a valid check digit is needed`);
      if (typeof p.serial !== 'string' || !isAi82(p.serial))
        throw new ReturnError(400, `packs[${i}].serial: 1 to 20 GS1 characters`);
      if (typeof p.lot !== 'string' || !isAi82(p.lot))
        throw new ReturnError(400, `packs[${i}].lot: 1 to 20 GS1 characters`);
      const exp = typeof p.exp === 'string' ? isoToExp(p.exp) : '';
      if (!expToIso(exp))
        throw new ReturnError(400, `packs[${i}].exp: an expiry date YYMMDD (or YYYY-MM-DD) is needed`);
      const k = `${p.gtin}\n${p.serial}`;
      if (seen.has(k))
        throw new ReturnError(400, `packs[${i}]: the pack ${p.gtin}/${p.serial} is listed twice`);
      seen.add(k);
      return { gtin: p.gtin, serial: p.serial, lot: p.lot, exp: isoToExp(p.exp) };
    });
  }

  /** Verifies every pack, captures the receiving and quarantine events, records the return. */
  async receive(input: ReturnInput): Promise<SaleableReturn> {
    const packs = this.check(input);
    const at = input.at ?? new Date().toISOString();
    const returnId = randomUUID();
    const items: ReturnItem[] = [];
    // Verify with bounded concurrency (remote responders are slow).
    const results: { data?: VerificationData; by: string; error?: string }[] = new Array(packs.length);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= packs.length) return;
        const p = packs[i]!;
        const exp = isoToExp(p.exp);
        if (this.isOwn(p.gtin)) {
          results[i] = { data: await verifyLocally(this.o.store, { ...p, exp }), by: 'local' };
        } else if (!this.o.requester) {
          results[i] = {
            by: 'none',
            error: 'our GLN is not configured (RXTRACE_GLN): the manufacturer cannot be asked',
          };
        } else {
          const r = await this.o.requester.verify({
            gtin: p.gtin,
            serial: p.serial,
            lot: p.lot,
            exp,
            context: 'dscsaSaleableReturn',
          });
          results[i] = r.ok
            ? { data: r.response.data, by: r.responderUrl }
            : { by: r.responderUrl ?? 'none', error: r.error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(16, packs.length) }, worker));

    const sellable: string[] = [];
    const quarantine: { id: string; reason: string }[] = [];
    packs.forEach((p, i) => {
      const r = results[i]!;
      const packId = packIdOf(p.gtin, p.serial);
      const d = r.data;
      let reason: string | undefined;
      if (!d) reason = `not verified: ${r.error}`;
      else if (!d.verified)
        reason = `verification failed: ${d.verificationFailureReason ?? 'No_reason_provided'}${d.additionalInfo ? ` (${d.additionalInfo})` : ''}`;
      else if (d.additionalInfo && FAIL_INFO.has(d.additionalInfo))
        reason = `verified but ${d.additionalInfo.toLowerCase()}: not saleable`;
      const item: ReturnItem = {
        packId,
        gtin: p.gtin,
        serial: p.serial,
        lot: p.lot,
        expiry: expToIso(isoToExp(p.exp)),
        verifiedBy: r.by,
        verified: d?.verified ?? false,
        ...(d?.verificationFailureReason ? { verificationFailureReason: d.verificationFailureReason } : {}),
        ...(d?.additionalInfo ? { additionalInfo: d.additionalInfo } : {}),
        outcome: reason ? 'quarantined' : 'sellable',
        ...(reason ? { exception: { reason, status: 'open' as const } } : {}),
      };
      items.push(item);
      if (reason) quarantine.push({ id: packId, reason });
      else sellable.push(packId);
    });

    const events: Record<string, unknown>[] = [];
    const where = input.location
      ? { readPoint: { id: input.location }, bizLocation: { id: input.location } }
      : {};
    const source = input.fromGLN
      ? { sourceList: [{ type: 'owning_party', source: `https://id.gs1.org/417/${input.fromGLN}` }] }
      : {};
    const ids = new Map<string, string>();
    if (sellable.length) {
      const eventID = `urn:uuid:${randomUUID()}`;
      for (const id of sellable) ids.set(id, eventID);
      events.push({
        type: 'ObjectEvent',
        eventID,
        eventTime: at,
        eventTimeZoneOffset: '+00:00',
        epcList: sellable,
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'sellable_accessible',
        ...where,
        ...source,
        'rx:returnId': returnId,
        'rx:user': input.user,
      });
    }
    for (const q of quarantine) {
      const eventID = `urn:uuid:${randomUUID()}`;
      ids.set(q.id, eventID);
      events.push({
        type: 'ObjectEvent',
        eventID,
        eventTime: at,
        eventTimeZoneOffset: '+00:00',
        epcList: [q.id],
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition: 'non_sellable_other',
        ...where,
        'rx:reason': q.reason,
        'rx:returnId': returnId,
        'rx:user': input.user,
      });
    }
    const doc = JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { rx: RX_NS }],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: events },
    });
    const body = (async function* () {
      yield Buffer.from(doc, 'utf8');
    })();
    const outcome = await this.o.capture.capture({ body, contentType: 'application/ld+json' });
    if (outcome.rejected)
      throw new ReturnError(
        outcome.rejected.status ?? 500,
        `the return's events were refused: ${outcome.rejected.detail ?? outcome.rejected.title}`,
      );
    for (const it of items) it.eventId = ids.get(it.packId);
    const r: SaleableReturn = {
      returnId,
      at,
      user: input.user,
      ...(input.fromGLN ? { fromGLN: input.fromGLN } : {}),
      ...(input.location ? { location: input.location } : {}),
      items,
    };
    await this.o.store.verification.putReturn(r);
    return r;
  }
}
