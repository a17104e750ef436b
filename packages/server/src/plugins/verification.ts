/**
 * DSCSA verification (GS1 Lightweight Messaging Standard for Verification of Product Identifiers
 * 1.0.2), saleable returns and the lookup directory.
 *
 *   GET  /01/{gtin}/10/{lot}/21/{serial}?exp&linkType=verificationService&context&reqGLN&corrUUID
 *        the responder, at the root as a Digital Link resolver serves it (role verify); with
 *        `checkConnectivity` (or linkType=checkConnectivity): the connectivity check.
 *        401 without a key; 403 when reqGLN is not an authorised trading partner.
 *   POST /verification/requests      verify a pack with its manufacturer's responder (role query)
 *   GET  /verification/log           the exchange log (admin); DELETE ?before= purges
 *   GET|PUT|DELETE /verification/directory[/{key}]   the lookup directory (admin)
 *   POST /returns                    receive a saleable return (role capture)
 *   GET  /returns, /returns/{id}, /returns/exceptions; POST /returns/{id}/exceptions/resolve
 *
 * Settings: `responderGLN` (our GLN: the responder's and the requester's), `companyPrefixes`
 * (products we make, verified locally), `retentionDays` of the exchange log (default 2192, six
 * years; purged at start and daily). Defaults from RXTRACE_GLN, RXTRACE_COMPANY_PREFIXES,
 * RXTRACE_VERIFICATION_RETENTION_DAYS.
 */
import {
  CONNECTIVITY_LINK_TYPES,
  ExchangeLog,
  expToIso,
  isAi82,
  isGln,
  isGtin14,
  isUuid,
  newLogEntry,
  ReturnError,
  SaleableReturnsService,
  VERIFICATION_CONTEXTS,
  VERIFICATION_LINK_TYPES,
  VerificationRequester,
  verificationResponse,
  verifyLocally,
} from '@rxtrace/core';
import type { RxtraceStore, VerificationLogFilter } from '@rxtrace/store';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http.ts';
import { type EpcisException, epcisProblem } from '../problem.ts';

export interface VerificationSettings {
  /** Our GLN (13 digits): responderGLN of our answers, reqGLN of our requests. */
  responderGLN?: string;
  /** GS1 Company Prefixes of the products we make (verified locally in returns). */
  companyPrefixes?: string[];
  /** Exchange log retention (days). Default 2192 (six years). 0: keep forever. */
  retentionDays?: number;
  /** Requester: per-attempt timeout (ms), retries, first backoff (ms). */
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  /** How long an authorised-partner answer is reused (ms). Default 10 s. */
  partnerCacheMs?: number;
  /**
   * true (default): an answer leaves only once its log entry is durable. false: the answer leaves
   * at once and the entry follows in the next group commit (a crash may lose the last
   * milliseconds of entries; throughput no longer waits for the disk).
   */
  logBeforeAnswer?: boolean;
}

export interface VerificationPluginOptions {
  ctx: ServerContext;
  store: RxtraceStore;
  settings?: VerificationSettings;
}

const bad = (detail: string) => epcisProblem('ValidationException', 400, detail);

function settingsFromEnv(s: VerificationSettings = {}): VerificationSettings {
  const env = process.env;
  return {
    ...s,
    responderGLN: s.responderGLN ?? env.RXTRACE_GLN,
    companyPrefixes:
      s.companyPrefixes ??
      (env.RXTRACE_COMPANY_PREFIXES
        ? env.RXTRACE_COMPANY_PREFIXES.split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : []),
    retentionDays:
      s.retentionDays ??
      (env.RXTRACE_VERIFICATION_RETENTION_DAYS ? Number(env.RXTRACE_VERIFICATION_RETENTION_DAYS) : 2192),
  };
}

interface VerifyQs {
  exp?: string;
  linkType?: string;
  context?: string;
  reqGLN?: string;
  corrUUID?: string;
  checkConnectivity?: string;
}

/**
 * The responder's query parameters as single strings: a repeated parameter arrives as an array,
 * which the checks below would not expect and the exchange log could not store (its first value
 * is taken, and the checks judge it).
 */
function verifyQuery(q: unknown): VerifyQs {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>)) {
    const x = Array.isArray(v) ? v[0] : v;
    if (typeof x === 'string') out[k] = x;
  }
  return out as VerifyQs;
}

/** A connectivity check (`checkConnectivity`, or its link type), not a verification. */
function isConnectivity(q: VerifyQs): boolean {
  return (
    q.checkConnectivity !== undefined ||
    (CONNECTIVITY_LINK_TYPES as readonly string[]).includes(q.linkType ?? '')
  );
}

export default async function verificationPlugin(
  app: FastifyInstance,
  opts: VerificationPluginOptions,
): Promise<void> {
  const { store, ctx } = opts;
  const s = settingsFromEnv(opts.settings);
  if (s.responderGLN !== undefined && !isGln(s.responderGLN))
    throw new Error(`verification: responderGLN ${JSON.stringify(s.responderGLN)} is not a GLN`);
  for (const p of s.companyPrefixes ?? [])
    if (!/^\d{4,12}$/.test(p))
      throw new Error(`verification: company prefix ${JSON.stringify(p)} is not 4 to 12 digits`);
  const log = new ExchangeLog(store.verification);
  const logBeforeAnswer = s.logBeforeAnswer ?? process.env.RXTRACE_VERIFICATION_LOG_ASYNC !== '1';
  const record = (e: Parameters<typeof newLogEntry>[0]): Promise<void> | undefined => {
    const p = log.add(newLogEntry(e));
    if (logBeforeAnswer) return p;
    p.catch((err: unknown) => app.log.error({ err }, 'verification: an exchange could not be logged'));
    return undefined;
  };
  const requester = new VerificationRequester({
    store: store.verification,
    requesterGLN: s.responderGLN ?? '',
    log,
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
    ...(s.retries !== undefined ? { retries: s.retries } : {}),
    ...(s.backoffMs !== undefined ? { backoffMs: s.backoffMs } : {}),
  });
  const returns = new SaleableReturnsService({
    store,
    capture: ctx.capture,
    ...(s.responderGLN ? { requester } : {}),
    ownCompanyPrefixes: s.companyPrefixes ?? [],
  });

  // Authorised trading partners, cached briefly (a busy requester asks many times a second).
  const partnerCacheMs = s.partnerCacheMs ?? 10_000;
  const partners = new Map<string, { ok: boolean; until: number }>();
  const authorised = async (gln: string): Promise<boolean> => {
    const now = Date.now();
    const hit = partners.get(gln);
    if (hit && hit.until > now) return hit.ok;
    const ok = await store.registry.isAuthorised(gln, new Date(now));
    if (partners.size > 10_000) partners.clear();
    partners.set(gln, { ok, until: now + partnerCacheMs });
    return ok;
  };

  // Retention: purge at start and once a day.
  const purge = async () => {
    const days = s.retentionDays ?? 2192;
    if (!(days > 0)) return;
    await store.verification
      .purgeLog(new Date(Date.now() - days * 86_400_000).toISOString())
      .catch((e: unknown) => app.log.error({ err: e }, 'verification: purging the exchange log failed'));
  };
  const timer = setInterval(() => void purge(), 86_400_000);
  timer.unref();
  app.rxtrace.migrated.then(purge, () => {});
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await log.flush();
  });

  const handled = new WeakSet<object>();
  app.get<{ Params: { gtin: string; lot: string; serial: string }; Querystring: VerifyQs }>(
    '/01/:gtin/10/:lot/21/:serial',
    {
      config: { role: 'verify' },
      // Requests the authentication hook refused (401, 403 for the role) never reach the handler:
      // logged here, so that every request to the responder is in the records.
      onResponse: async (request, reply) => {
        if (handled.has(request)) return;
        const q = verifyQuery(request.query);
        const { gtin, lot, serial } = request.params;
        void record({
          direction: 'in',
          at: new Date(Date.now() - reply.elapsedTime).toISOString(),
          kind: isConnectivity(q) ? 'checkConnectivity' : 'verify',
          gtin,
          serial,
          lot,
          exp: q.exp,
          context: q.context,
          reqGLN: q.reqGLN,
          corrUUID: q.corrUUID,
          responderGLN: s.responderGLN,
          url: request.url,
          status: reply.statusCode,
          response: 'refused by the authentication (API key)',
          durationMs: reply.elapsedTime,
        })?.catch((err: unknown) => app.log.error({ err }, 'verification: an exchange could not be logged'));
      },
    },
    async (request, reply) => {
      handled.add(request);
      const started = performance.now();
      const at = new Date();
      const { gtin, lot, serial } = request.params;
      const q = verifyQuery(request.query);
      const connectivity = isConnectivity(q);
      const entry = {
        direction: 'in' as const,
        at: at.toISOString(),
        kind: connectivity ? ('checkConnectivity' as const) : ('verify' as const),
        gtin,
        serial,
        lot,
        exp: q.exp,
        context: q.context,
        reqGLN: q.reqGLN,
        corrUUID: q.corrUUID,
        responderGLN: s.responderGLN,
        url: request.url,
        keyId: request.apiKey?.keyId,
      };
      const refuse = async (status: number, detail: string, type: EpcisException = 'ValidationException') => {
        await record({ ...entry, status, response: detail, durationMs: performance.now() - started });
        throw epcisProblem(type, status, detail);
      };
      if (!s.responderGLN)
        return await refuse(
          503,
          'this server has no GLN configured (RXTRACE_GLN): it cannot answer verification requests',
          'ImplementationException',
        );
      if (!isGtin14(gtin))
        return await refuse(
          400,
          `the GTIN ${JSON.stringify(gtin)} is not 14 digits with a valid check digit`,
        );
      if (!isAi82(lot)) return await refuse(400, 'the lot (AI 10) must be 1 to 20 GS1 characters');
      if (!isAi82(serial)) return await refuse(400, 'the serial (AI 21) must be 1 to 20 GS1 characters');
      if (q.reqGLN === undefined) return await refuse(400, 'reqGLN (the requester GLN) is required');
      if (!isGln(q.reqGLN))
        return await refuse(400, `reqGLN ${JSON.stringify(q.reqGLN)} is not a GLN (13 digits, check digit)`);
      if (q.corrUUID !== undefined && !isUuid(q.corrUUID))
        return await refuse(400, 'corrUUID must be a UUID');
      if (!(await authorised(q.reqGLN)))
        return await refuse(
          403,
          `the requester ${q.reqGLN} is not an authorised trading partner`,
          'SecurityException',
        );
      if (!connectivity) {
        if (!(VERIFICATION_LINK_TYPES as readonly string[]).includes(q.linkType ?? ''))
          return await refuse(400, 'linkType must be verificationService (or use checkConnectivity)');
        if (q.exp === undefined) return await refuse(400, 'exp (the expiry date, YYMMDD) is required');
        if (!expToIso(q.exp, at))
          return await refuse(400, `exp ${JSON.stringify(q.exp)} is not a date YYMMDD`);
        if (q.context === undefined)
          return await refuse(400, `context is required (${VERIFICATION_CONTEXTS.join(', ')})`);
        if (!(VERIFICATION_CONTEXTS as readonly string[]).includes(q.context))
          return await refuse(
            400,
            `context ${JSON.stringify(q.context)} is not one of ${VERIFICATION_CONTEXTS.join(', ')}`,
          );
      }
      if (connectivity) {
        const body = {
          verificationTimestamp: at.toISOString(),
          responderGLN: s.responderGLN,
          ...(q.corrUUID ? { corrUUID: q.corrUUID } : {}),
        };
        const text = JSON.stringify(body); // serialised once: the answer sent and the one logged
        await record({
          ...entry,
          status: 200,
          response: text,
          durationMs: performance.now() - started,
        });
        return reply.type('application/json').send(text);
      }
      let data: Awaited<ReturnType<typeof verifyLocally>>;
      try {
        data = await verifyLocally(store, { gtin, serial, lot, exp: q.exp }, at);
      } catch (e) {
        // A store failure: the request is in the records too, with the 500 it gets.
        await record({
          ...entry,
          status: 500,
          response: `internal error: ${String((e as Error)?.message ?? e)}`,
          durationMs: performance.now() - started,
        })?.catch(() => {});
        throw e;
      }
      const text = JSON.stringify(verificationResponse(s.responderGLN!, q.corrUUID, data, at));
      await record({
        ...entry,
        status: 200,
        verified: data.verified,
        verificationFailureReason: data.verificationFailureReason,
        additionalInfo: data.additionalInfo,
        response: text,
        durationMs: performance.now() - started,
      });
      return reply.type('application/json').send(text);
    },
  );

  // The requester, on demand.
  app.post<{ Body: { gtin?: unknown; serial?: unknown; lot?: unknown; exp?: unknown; context?: unknown } }>(
    '/verification/requests',
    { config: { role: 'query' } },
    async (request) => {
      const b = request.body ?? {};
      if (typeof b.gtin !== 'string' || !isGtin14(b.gtin))
        throw bad('gtin: a GTIN-14 with a valid check digit is needed');
      if (typeof b.serial !== 'string' || !isAi82(b.serial)) throw bad('serial: 1 to 20 GS1 characters');
      if (typeof b.lot !== 'string' || !isAi82(b.lot)) throw bad('lot: 1 to 20 GS1 characters');
      if (typeof b.exp !== 'string' || !expToIso(b.exp)) throw bad('exp: the expiry YYMMDD');
      const context = b.context === undefined ? 'dscsaSaleableReturn' : b.context;
      if (typeof context !== 'string' || !(VERIFICATION_CONTEXTS as readonly string[]).includes(context))
        throw bad(`context: one of ${VERIFICATION_CONTEXTS.join(', ')}`);
      if (!s.responderGLN)
        throw epcisProblem('ImplementationException', 503, 'this server has no GLN configured (RXTRACE_GLN)');
      return requester.verify({ gtin: b.gtin, serial: b.serial, lot: b.lot, exp: b.exp, context });
    },
  );

  app.get<{ Querystring: VerificationLogFilter & { perPage?: string; nextPageToken?: string } }>(
    '/verification/log',
    { config: { role: 'admin' } },
    async (request) => {
      const q = request.query;
      const limit = q.perPage === undefined ? 100 : Number(q.perPage);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('perPage: 1 to 1000');
      if (q.direction !== undefined && q.direction !== 'in' && q.direction !== 'out')
        throw bad('direction: in or out');
      for (const k of ['from', 'to'] as const)
        if (q[k] !== undefined && Number.isNaN(Date.parse(q[k]!))) throw bad(`${k}: an ISO 8601 date-time`);
      await log.flush();
      const filter: VerificationLogFilter = {};
      for (const k of ['direction', 'gtin', 'serial', 'reqGLN', 'corrUUID', 'from', 'to'] as const)
        if (q[k] !== undefined) (filter as Record<string, string>)[k] = q[k] as string;
      try {
        const page = await store.verification.queryLog(filter, {
          limit,
          ...(q.nextPageToken ? { after: q.nextPageToken } : {}),
        });
        return { exchanges: page.items, ...(page.next ? { nextPageToken: page.next } : {}) };
      } catch (e) {
        if (e instanceof Error && e.name === 'InvalidCursorError')
          throw bad('nextPageToken is not one this server gave');
        throw e;
      }
    },
  );

  app.delete<{ Querystring: { before?: string } }>(
    '/verification/log',
    { config: { role: 'admin' } },
    async (request) => {
      const before = request.query.before;
      if (!before || Number.isNaN(Date.parse(before))) throw bad('before: an ISO 8601 date-time is required');
      await log.flush();
      return { deleted: await store.verification.purgeLog(new Date(before).toISOString()) };
    },
  );

  const publicEntry = (e: {
    key: string;
    responderUrl: string;
    responderGLN?: string | undefined;
    token?: string | undefined;
    updatedAt: string;
  }) => ({
    key: e.key,
    responderUrl: e.responderUrl,
    ...(e.responderGLN ? { responderGLN: e.responderGLN } : {}),
    hasToken: e.token !== undefined,
    updatedAt: e.updatedAt,
  });
  const checkKey = (key: string) => {
    if (!(/^\d{4,12}$/.test(key) || isGtin14(key)))
      throw bad(
        `key ${JSON.stringify(key)}: a GTIN-14 (with check digit) or a GS1 Company Prefix (4 to 12 digits)`,
      );
  };
  app.get('/verification/directory', { config: { role: 'admin' } }, async () => ({
    entries: (await store.verification.listDirectory()).map(publicEntry),
  }));
  app.get<{ Params: { key: string } }>(
    '/verification/directory/:key',
    { config: { role: 'admin' } },
    async (request) => {
      checkKey(request.params.key);
      const e = await store.verification.getDirectoryEntry(request.params.key);
      if (!e)
        throw epcisProblem('NoSuchResourceException', 404, `no directory entry for ${request.params.key}`);
      return publicEntry(e);
    },
  );
  app.put<{
    Params: { key: string };
    Body: { responderUrl?: unknown; responderGLN?: unknown; token?: unknown };
  }>('/verification/directory/:key', { config: { role: 'admin' } }, async (request, reply) => {
    const { key } = request.params;
    checkKey(key);
    const b = request.body ?? {};
    let url: URL;
    try {
      url = new URL(String(b.responderUrl));
    } catch {
      throw bad('responderUrl: an absolute http(s) URL is required');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw bad('responderUrl: an http(s) URL is required');
    if (b.responderGLN !== undefined && (typeof b.responderGLN !== 'string' || !isGln(b.responderGLN)))
      throw bad('responderGLN: a GLN (13 digits, check digit)');
    if (b.token !== undefined && (typeof b.token !== 'string' || !b.token))
      throw bad('token: a non-empty string');
    const existed = (await store.verification.getDirectoryEntry(key)) !== undefined;
    const e = {
      key,
      responderUrl: url.toString().replace(/\/+$/, ''),
      ...(b.responderGLN ? { responderGLN: b.responderGLN as string } : {}),
      ...(b.token ? { token: b.token as string } : {}),
      updatedAt: new Date().toISOString(),
    };
    await store.verification.putDirectoryEntry(e);
    return reply.code(existed ? 200 : 201).send(publicEntry(e));
  });
  app.delete<{ Params: { key: string } }>(
    '/verification/directory/:key',
    { config: { role: 'admin' } },
    async (request, reply) => {
      checkKey(request.params.key);
      if (!(await store.verification.deleteDirectoryEntry(request.params.key)))
        throw epcisProblem('NoSuchResourceException', 404, `no directory entry for ${request.params.key}`);
      return reply.code(204).send();
    },
  );

  // Saleable returns.
  app.post<{ Body: Record<string, unknown> }>(
    '/returns',
    { config: { role: 'capture' } },
    async (request, reply) => {
      const b = (request.body ?? {}) as Record<string, unknown>;
      const user =
        typeof b.user === 'string' ? b.user : (request.apiKey?.label ?? request.apiKey?.keyId ?? '');
      try {
        const r = await returns.receive({
          packs: b.packs as never,
          user,
          ...(b.fromGLN !== undefined ? { fromGLN: b.fromGLN as string } : {}),
          ...(b.location !== undefined ? { location: b.location as string } : {}),
        });
        return reply.code(201).send(r);
      } catch (e) {
        if (e instanceof ReturnError)
          throw epcisProblem(
            e.status === 400 ? 'ValidationException' : 'CaptureLimitExceededException',
            e.status,
            e.message,
          );
        throw e;
      }
    },
  );
  app.get<{ Querystring: { perPage?: string; nextPageToken?: string } }>('/returns', async (request) => {
    const limit = request.query.perPage === undefined ? 100 : Number(request.query.perPage);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('perPage: 1 to 1000');
    try {
      const p = await store.verification.listReturns({
        limit,
        ...(request.query.nextPageToken ? { after: request.query.nextPageToken } : {}),
      });
      return { returns: p.items, ...(p.next ? { nextPageToken: p.next } : {}) };
    } catch (e) {
      if (e instanceof Error && e.name === 'InvalidCursorError')
        throw bad('nextPageToken is not one this server gave');
      throw e;
    }
  });
  app.get<{ Querystring: { status?: string } }>('/returns/exceptions', async (request) => {
    const st = request.query.status;
    if (st !== undefined && st !== 'open' && st !== 'resolved') throw bad('status: open or resolved');
    return { exceptions: await store.verification.listReturnExceptions(st) };
  });
  app.get<{ Params: { returnId: string } }>('/returns/:returnId', async (request) => {
    const r = await store.verification.getReturn(request.params.returnId);
    if (!r) throw epcisProblem('NoSuchResourceException', 404, `no return ${request.params.returnId}`);
    return r;
  });
  app.post<{ Params: { returnId: string }; Body: { packId?: unknown; resolution?: unknown } }>(
    '/returns/:returnId/exceptions/resolve',
    { config: { role: 'capture' } },
    async (request) => {
      const b = request.body ?? {};
      if (typeof b.packId !== 'string' || !b.packId)
        throw bad('packId: the pack (canonical Digital Link) is required');
      if (typeof b.resolution !== 'string' || !b.resolution.trim())
        throw bad('resolution: what was done is required');
      const by = request.apiKey?.label ?? request.apiKey?.keyId ?? 'anonymous';
      const ok = await store.verification.resolveReturnException(request.params.returnId, b.packId, {
        at: new Date().toISOString(),
        by,
        resolution: b.resolution,
      });
      if (!ok)
        throw epcisProblem('NoSuchResourceException', 404, 'no open exception for that return and pack');
      return { resolved: true };
    },
  );
}
