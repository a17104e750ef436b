/**
 * The verification requester: asks the responder of a pack's manufacturer, found through the
 * lookup directory (GTIN or GS1 Company Prefix → responder URL), whether a product identifier is
 * genuine. Each attempt has a timeout; network errors, timeouts and 408/429/5xx answers are
 * retried with a growing pause; every exchange is logged (direction `out`).
 */
import { randomUUID } from 'node:crypto';
import type { DirectoryEntry, VerificationStore } from '@rxtrace/store';
import { ExchangeLog, newLogEntry } from './responder.ts';
import {
  ADDITIONAL_INFO,
  VERIFICATION_FAILURE_REASONS,
  type VerificationRequest,
  type VerificationResponse,
} from './standard.ts';

export interface RequesterOptions {
  store: VerificationStore;
  /** Our own GLN, sent as reqGLN. */
  requesterGLN: string;
  /** Per attempt (ms). Default 5000. */
  timeoutMs?: number;
  /** Attempts after the first. Default 2. */
  retries?: number;
  /** Pause before the first retry (ms), doubled each time. Default 200. */
  backoffMs?: number;
  /** The log writer (shared with the responder when given). */
  log?: ExchangeLog;
  fetch?: typeof fetch;
}

export type RequesterResult =
  | { ok: true; response: VerificationResponse; responderUrl: string; attempts: number; status: number }
  | { ok: false; error: string; responderUrl?: string; attempts: number; status: number };

/** The request URL: the responder's base + the Digital Link path + the standard's query. */
export function verificationUrl(base: string, q: VerificationRequest): string {
  const path = `/01/${q.gtin}/10/${encodeURIComponent(q.lot)}/21/${encodeURIComponent(q.serial)}`;
  const qs = new URLSearchParams();
  if (q.exp) qs.set('exp', q.exp);
  qs.set('linkType', 'verificationService');
  if (q.context) qs.set('context', q.context);
  if (q.reqGLN) qs.set('reqGLN', q.reqGLN);
  if (q.corrUUID) qs.set('corrUUID', q.corrUUID);
  return `${base.replace(/\/+$/, '')}${path}?${qs}`;
}

/** Problems of a response body against the standard's field list (empty: conforming). */
export function responseProblems(body: unknown, corrUUID?: string): string[] {
  const p: string[] = [];
  if (typeof body !== 'object' || body === null) return ['the body is not a JSON object'];
  const b = body as Record<string, unknown>;
  if (typeof b.verificationTimestamp !== 'string' || Number.isNaN(Date.parse(b.verificationTimestamp)))
    p.push('verificationTimestamp is missing or not a date-time');
  if (typeof b.responderGLN !== 'string' || !/^\d{13}$/.test(b.responderGLN))
    p.push('responderGLN is missing or not a GLN');
  if (corrUUID !== undefined && b.corrUUID !== corrUUID) p.push('corrUUID does not echo the request');
  const d = b.data as Record<string, unknown> | undefined;
  if (typeof d !== 'object' || d === null) return [...p, 'data is missing'];
  if (typeof d.verified !== 'boolean') p.push('data.verified is missing or not a boolean');
  if (d.verificationFailureReason !== undefined) {
    if (!(VERIFICATION_FAILURE_REASONS as readonly unknown[]).includes(d.verificationFailureReason))
      p.push(
        `data.verificationFailureReason ${JSON.stringify(d.verificationFailureReason)} is not in the code list`,
      );
    if (d.verified === true) p.push('data.verificationFailureReason on a verified answer');
  }
  if (d.verified === false && d.verificationFailureReason === undefined)
    p.push('data.verificationFailureReason is missing on an answer that is not verified');
  if (d.additionalInfo !== undefined && !(ADDITIONAL_INFO as readonly unknown[]).includes(d.additionalInfo))
    p.push(`data.additionalInfo ${JSON.stringify(d.additionalInfo)} is not in the code list`);
  return p;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export class VerificationRequester {
  private readonly log: ExchangeLog;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: RequesterOptions) {
    this.log = o.log ?? new ExchangeLog(o.store);
    this.fetch = o.fetch ?? fetch;
  }

  /** Finds the responder in the directory and asks it. */
  async verify(q: Omit<VerificationRequest, 'reqGLN' | 'corrUUID'>): Promise<RequesterResult> {
    const entry = await this.o.store.lookupResponder(q.gtin);
    if (!entry) {
      const error = `no responder for GTIN ${q.gtin} in the lookup directory`;
      await this.log.add(
        newLogEntry({
          direction: 'out',
          at: new Date().toISOString(),
          kind: 'verify',
          gtin: q.gtin,
          serial: q.serial,
          lot: q.lot,
          exp: q.exp,
          context: q.context,
          reqGLN: this.o.requesterGLN,
          status: 0,
          response: error,
          durationMs: 0,
          attempts: 0,
        }),
      );
      return { ok: false, error, attempts: 0, status: 0 };
    }
    return this.ask(entry, q);
  }

  /** Asks one responder (directory entry) about one pack. */
  async ask(
    entry: DirectoryEntry,
    q: Omit<VerificationRequest, 'reqGLN' | 'corrUUID'>,
  ): Promise<RequesterResult> {
    const corrUUID = randomUUID();
    const url = verificationUrl(entry.responderUrl, { ...q, reqGLN: this.o.requesterGLN, corrUUID });
    const retries = this.o.retries ?? 2;
    const timeoutMs = this.o.timeoutMs ?? 5000;
    let pause = this.o.backoffMs ?? 200;
    const started = Date.now();
    const at = new Date(started).toISOString();
    let attempts = 0;
    let result: RequesterResult;
    let text = '';
    for (;;) {
      attempts++;
      let status = 0;
      let error: string;
      try {
        const res = await this.fetch(url, {
          headers: {
            accept: 'application/json',
            ...(entry.token ? { authorization: `Bearer ${entry.token}` } : {}),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        text = await res.text();
        if (res.status === 200) {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const problems = responseProblems(body, corrUUID);
          if (problems.length === 0) {
            result = {
              ok: true,
              response: body as VerificationResponse,
              responderUrl: entry.responderUrl,
              attempts,
              status,
            };
            break;
          }
          error = `the responder's answer does not conform: ${problems.join('; ')}`;
          result = { ok: false, error, responderUrl: entry.responderUrl, attempts, status };
          break;
        }
        error = `the responder answered HTTP ${res.status}`;
      } catch (e) {
        error =
          e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
            ? `no answer within ${timeoutMs} ms`
            : `the responder could not be reached: ${e instanceof Error ? e.message : String(e)}`;
      }
      result = { ok: false, error, responderUrl: entry.responderUrl, attempts, status };
      if (attempts > retries || (status !== 0 && !RETRY_STATUS.has(status))) break;
      await new Promise((r) => setTimeout(r, pause));
      pause *= 2;
    }
    const resp = result.ok ? result.response : undefined;
    await this.log.add(
      newLogEntry({
        direction: 'out',
        at,
        kind: 'verify',
        gtin: q.gtin,
        serial: q.serial,
        lot: q.lot,
        exp: q.exp,
        context: q.context,
        reqGLN: this.o.requesterGLN,
        responderGLN: resp?.responderGLN ?? entry.responderGLN,
        corrUUID,
        status: result.status,
        verified: resp?.data.verified,
        verificationFailureReason: resp?.data.verificationFailureReason,
        additionalInfo: resp?.data.additionalInfo,
        url,
        response: result.ok ? text : result.error,
        durationMs: Date.now() - started,
        attempts,
      }),
    );
    return result;
  }
}
