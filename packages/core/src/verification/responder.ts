/**
 * The verification responder: answers whether a product identifier (GTIN, serial, lot, expiry) is
 * one rxtrace commissioned, from the pack state, and whether its state allows further distribution.
 *
 * Decision, in this order:
 * 1. no pack with that GTIN and serial (never commissioned here) → No_match_GTIN_Serial;
 * 2. lot and/or expiry differ from those of the commissioning → No_match_GTIN_Serial_Lot /
 *    _Expiry / _Lot_Expiry;
 * 3. the pack left the supply chain (dispensed, destroyed, decommissioned, sold, inactive) →
 *    not verified, No_reason_provided; stolen → not verified, additionalInfo Illegitimate;
 *    quarantined / non-sellable → not verified, additionalInfo Suspect;
 * 4. otherwise verified, with additionalInfo Recalled (a recall or withdrawal of the lot or the
 *    product in force now, or the pack's status `recalled`) or Expired (expiry in the past).
 */
import { randomUUID } from 'node:crypto';
import type { PackState, RxtraceStore, VerificationLogEntry, VerificationStore } from '@rxtrace/store';
import { sgtinDigitalLink } from '../serials/commission.ts';
import {
  type AdditionalInfo,
  expToIso,
  type VerificationData,
  type VerificationRequest,
  type VerificationResponse,
} from './standard.ts';

const GONE = new Set(['dispensed', 'destroyed', 'decommissioned', 'sold', 'inactive', 'transformed']);
const SUSPECT = new Set(['quarantined', 'non_sellable', 'damaged']);

/** The canonical Digital Link of a pack (as the store names it). */
export const packIdOf = sgtinDigitalLink;

/** The verification data for a pack state (undefined: no such pack). */
export function decide(
  pack: PackState | undefined,
  q: { lot: string; exp?: string | undefined },
  recalled: boolean,
  now: Date,
): VerificationData {
  if (!pack) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' };
  const lotOk = pack.lot === q.lot;
  let expOk = true;
  if (q.exp !== undefined) {
    const want = expToIso(q.exp, now);
    const have = pack.expiry && /^\d{6}$/.test(pack.expiry) ? expToIso(pack.expiry, now) : pack.expiry;
    expOk = want !== undefined && want === have;
  }
  if (!lotOk && !expOk)
    return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' };
  if (!lotOk) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' };
  if (!expOk) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Expiry' };
  const status = pack.status ?? 'active';
  if (status === 'stolen')
    return {
      verified: false,
      verificationFailureReason: 'No_reason_provided',
      additionalInfo: 'Illegitimate',
    };
  if (GONE.has(status)) return { verified: false, verificationFailureReason: 'No_reason_provided' };
  if (SUSPECT.has(status))
    return { verified: false, verificationFailureReason: 'No_reason_provided', additionalInfo: 'Suspect' };
  let info: AdditionalInfo | undefined;
  if (recalled || status === 'recalled') info = 'Recalled';
  else if (status === 'expired' || (pack.expiry && expiryPassed(pack.expiry, now))) info = 'Expired';
  return info ? { verified: true, additionalInfo: info } : { verified: true };
}

function expiryPassed(expiry: string, now: Date): boolean {
  const iso = /^\d{6}$/.test(expiry) ? expToIso(expiry, now) : expiry;
  return iso !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(iso) && iso < now.toISOString().slice(0, 10);
}

/** Verifies one request against the store. */
export async function verifyLocally(
  store: RxtraceStore,
  q: VerificationRequest,
  now = new Date(),
): Promise<VerificationData> {
  const [pack] = await store.packs.get([packIdOf(q.gtin, q.serial)]);
  if (!pack || pack.gtin !== q.gtin) return decide(undefined, q, false, now);
  const recall = await store.recalls.active(q.gtin, pack.lot, now.toISOString());
  return decide(pack, q, recall !== undefined, now);
}

/** The response body of a verification. */
export function verificationResponse(
  responderGLN: string,
  corrUUID: string | undefined,
  data: VerificationData,
  now = new Date(),
): VerificationResponse {
  return {
    verificationTimestamp: now.toISOString(),
    responderGLN,
    ...(corrUUID !== undefined ? { corrUUID } : {}),
    data,
  };
}

/**
 * Group commit of the exchange log: entries added while a batch is being written go into the
 * next batch; `add` resolves once the entry's batch is durable. Many concurrent exchanges thus
 * share one transaction (one fsync) instead of one each.
 */
export class ExchangeLog {
  private queue: { e: VerificationLogEntry; done: () => void; fail: (err: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;
  /** Entries written so far. */
  written = 0;

  constructor(
    private readonly store: VerificationStore,
    private readonly maxBatch = 2000,
  ) {}

  add(e: VerificationLogEntry): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.queue.push({ e, done, fail });
      if (!this.writing) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.store.logExchanges(batch.map((b) => b.e));
        this.written += batch.length;
        for (const b of batch) b.done();
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.fail(err);
          continue;
        }
        // One entry the store refuses must not sink the others: each on its own.
        for (const b of batch)
          try {
            await this.store.logExchanges([b.e]);
            this.written++;
            b.done();
          } catch (e) {
            b.fail(e);
          }
      }
    }
    this.writing = undefined;
  }

  /** Resolves when everything added so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

export function newLogEntry(o: Omit<VerificationLogEntry, 'id'>): VerificationLogEntry {
  return { id: randomUUID(), ...o };
}
