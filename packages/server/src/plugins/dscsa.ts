/**
 * DSCSA records (reading: role `query`; writing: role `capture`; running the check: `admin`):
 *
 * - `GET /shipments/{id}/ti` — the transaction information and statement of a shipment (`id`: the
 *   shipping event's eventID or a bizTransaction id, URL-encoded): JSON, EPCIS 1.2 XML (GS1 US
 *   guideline) or PDF, by `format=json|xml|pdf` or the Accept header;
 * - `GET /packs/{id}/transaction-history` — the shipments that carried a pack;
 * - `GET /exceptions[?status&category&shipment&receipt&partner&perPage&nextPageToken]`,
 *   `GET /exceptions/{id}`, `POST /exceptions` (raised by hand), `POST /exceptions/{id}/resolution`,
 *   `POST /exceptions/check` (run the receipt check now; it also runs after every capture);
 * - `POST /cases`, `GET /cases[?status]`, `GET /cases/overdue`, `GET /cases/{id}`, the steps
 *   `POST /cases/{id}/investigation|clearance|illegitimate|fda-notification|partner-notification|closure`,
 *   `GET /cases/{id}/fda-3911` and `GET /cases/{id}/notices` (JSON or PDF).
 *
 * Alerts: every `alertIntervalMs` the open cases are read; each clock that has just gone overdue
 * is logged (warn) once and, with `alertWebhook`, POSTed there as JSON (one try per clock and
 * process); `GET /cases/overdue` lists them at any time.
 */
import {
  CaseError,
  type CaseView,
  checkReceipts,
  ExceptionError,
  findShipments,
  form3911Pdf,
  noticesPdf,
  parseTraceId,
  ReceiptChecker,
  raiseException,
  resolveException,
  SuspectProductService,
  TraceIdError,
  tiToEpcis12,
  tiToPdf,
  transactionHistory,
  transactionInformation,
} from '@rxtrace/core';
import {
  CASE_STATUSES,
  type CaseStatus,
  EXCEPTION_CATEGORIES,
  type ExceptionCategory,
  type ExceptionFilter,
  type RxtraceStore,
} from '@rxtrace/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ServerContext, sendProblem } from '../http.ts';
import { problemForStatus } from '../problem.ts';

export interface DscsaSettings {
  /** Our party GLN (3911 reporter; excluded from partner notices). Default env RXTRACE_GLN. */
  selfGln?: string;
  /** Hours of the investigation-start policy clock (default 24; env RXTRACE_CASE_INVESTIGATION_HOURS). */
  investigationHours?: number;
  /** Overdue alerts: check period (default 60 000 ms; 0 = no timer) and webhook URL (env RXTRACE_CASE_ALERT_WEBHOOK). */
  alertIntervalMs?: number;
  alertWebhook?: string;
  /** Run the receipt check after captures (default true). */
  receiptCheck?: boolean;
  now?: () => Date;
}

type Query = Record<string, string | undefined>;
type Body = Record<string, unknown>;

const read = { role: 'query' as const };
const write = { role: 'capture' as const };
const admin = { role: 'admin' as const };

function wants(request: FastifyRequest, allowed: string[]): string | undefined {
  const f = (request.query as Query).format;
  if (f !== undefined) return allowed.includes(f) ? f : undefined;
  const accept = String(request.headers.accept ?? '');
  if (/application\/pdf/.test(accept) && allowed.includes('pdf')) return 'pdf';
  if (/(application|text)\/xml/.test(accept) && allowed.includes('xml')) return 'xml';
  return 'json';
}

function pageArgs(q: Query): { limit: number; after?: string } | string {
  const limit = q.perPage === undefined ? 100 : Number(q.perPage);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return `perPage '${q.perPage}' is not an integer from 1 to 1000`;
  if (q.nextPageToken !== undefined && !/^\d{1,18}$/.test(q.nextPageToken))
    return 'nextPageToken is not one this server gave';
  return { limit, ...(q.nextPageToken ? { after: q.nextPageToken } : {}) };
}

function linkNext(reply: FastifyReply, path: string, q: Query, next: string | undefined): void {
  if (!next) return;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== 'nextPageToken') p.set(k, v);
  p.set('nextPageToken', next);
  reply.header('link', `<${path}?${p}>; rel="next"`);
}

const pdf = (reply: FastifyReply, bytes: Uint8Array, name: string) =>
  reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${name}"`)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export default async function dscsaPlugin(
  app: FastifyInstance,
  opts: { ctx: ServerContext; store: RxtraceStore; settings?: DscsaSettings },
): Promise<void> {
  const { store, ctx } = opts;
  const env = process.env;
  const s: DscsaSettings = {
    ...(env.RXTRACE_CASE_ALERT_WEBHOOK ? { alertWebhook: env.RXTRACE_CASE_ALERT_WEBHOOK } : {}),
    ...(env.RXTRACE_CASE_INVESTIGATION_HOURS
      ? { investigationHours: Number(env.RXTRACE_CASE_INVESTIGATION_HOURS) }
      : {}),
    ...opts.settings,
  };
  const selfGln = s.selfGln ?? process.env.RXTRACE_GLN;
  const cases = new SuspectProductService(store, ctx.capture, {
    ...(s.now ? { now: s.now } : {}),
    ...(selfGln ? { selfGln } : {}),
    ...(s.investigationHours ? { investigationHours: s.investigationHours } : {}),
  });

  // The receipt check: after each capture that stored events, and once the migrations ran.
  const checker = new ReceiptChecker(store, app.log);
  if (s.receiptCheck !== false) {
    const remove = ctx.capture.addCaptureListener(() => {
      void checker.request();
    });
    app.rxtrace.migrated.then(() => checker.request()).catch(() => {});
    app.addHook('onClose', async () => {
      remove();
      await checker.stop();
    });
  }

  // Overdue alerts.
  const alerted = new Set<string>();
  const alertStats = { sent: 0, failed: 0 };
  const alertOnce = async () => {
    for (const c of await cases.overdue())
      for (const k of c.clocks)
        if (k.state === 'overdue' && !alerted.has(`${c.id} ${k.name}`)) {
          alerted.add(`${c.id} ${k.name}`);
          app.log.warn({ caseId: c.id, clock: k.name, dueAt: k.dueAt }, 'DSCSA case clock overdue');
          if (s.alertWebhook)
            try {
              const r = await fetch(s.alertWebhook, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  type: 'dscsa.case.clock_overdue',
                  caseId: c.id,
                  status: c.status,
                  clock: k,
                }),
                signal: AbortSignal.timeout(5000),
              });
              if (r.ok) alertStats.sent++;
              else alertStats.failed++;
            } catch {
              alertStats.failed++;
            }
        }
  };
  const interval = s.alertIntervalMs ?? 60_000;
  if (interval > 0) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      alertOnce()
        .catch((e: unknown) => app.log.error({ err: e }, 'DSCSA overdue alert check failed'))
        .finally(() => {
          running = false;
        });
    }, interval);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  const fail = (request: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (e instanceof CaseError || e instanceof ExceptionError)
      return sendProblem(request, reply, { ...problemForStatus(e.status, e.message), title: e.title });
    if (e instanceof TraceIdError)
      return sendProblem(request, reply, problemForStatus(400, e.message, { id: e.input }));
    if (e instanceof RangeError) return sendProblem(request, reply, problemForStatus(400, e.message));
    throw e;
  };

  // ---- transaction information
  app.get<{ Params: { id: string } }>('/shipments/:id/ti', { config: read }, async (request, reply) => {
    const format = wants(request, ['json', 'xml', 'pdf']);
    if (!format)
      return sendProblem(request, reply, problemForStatus(400, "format must be 'json', 'xml' or 'pdf'"));
    const found = await findShipments(store, request.params.id);
    if (found.length === 0)
      return sendProblem(
        request,
        reply,
        problemForStatus(
          404,
          `no shipping event has the eventID or business transaction '${request.params.id}'`,
        ),
      );
    if (found.length > 1)
      return sendProblem(
        request,
        reply,
        problemForStatus(
          409,
          `'${request.params.id}' names ${found.length} shipping events: ask by eventID`,
          {
            shipments: found.map((e) => e.eventId),
          },
        ),
      );
    const e = found[0]!;
    const ti = await transactionInformation(store, e);
    if (format === 'json') return ti;
    if (format === 'pdf') return pdf(reply, tiToPdf(ti), 'transaction-information.pdf');
    const { xml } = await tiToEpcis12(store, ti, e);
    return reply.type('application/xml; charset=utf-8').send(xml);
  });

  app.get<{ Params: { id: string } }>(
    '/packs/:id/transaction-history',
    { config: read },
    async (request, reply) => {
      try {
        const id = parseTraceId(request.params.id).id;
        const h = await transactionHistory(store, id);
        if (!h) return sendProblem(request, reply, problemForStatus(404, `no event names ${id}`, { id }));
        return h;
      } catch (e) {
        return fail(request, reply, e);
      }
    },
  );

  // ---- exceptions
  app.get<{ Querystring: Query }>('/exceptions', { config: read }, async (request, reply) => {
    const q = request.query;
    const page = pageArgs(q);
    if (typeof page === 'string') return sendProblem(request, reply, problemForStatus(400, page));
    if (q.status !== undefined && q.status !== 'open' && q.status !== 'resolved')
      return sendProblem(request, reply, problemForStatus(400, "status must be 'open' or 'resolved'"));
    if (q.category !== undefined && !EXCEPTION_CATEGORIES.includes(q.category as ExceptionCategory))
      return sendProblem(
        request,
        reply,
        problemForStatus(400, `category must be one of ${EXCEPTION_CATEGORIES.join(', ')}`),
      );
    const f: ExceptionFilter = {
      ...(q.status ? { status: q.status as 'open' | 'resolved' } : {}),
      ...(q.category ? { category: q.category as ExceptionCategory } : {}),
      ...(q.shipment ? { shipmentEventId: q.shipment } : {}),
      ...(q.receipt ? { receiptEventId: q.receipt } : {}),
      ...(q.partner ? { partnerGln: q.partner } : {}),
    };
    const r = await store.dscsa.listExceptions(f, page);
    linkNext(reply, '/exceptions', q, r.next);
    return r;
  });
  app.post('/exceptions/check', { config: admin }, async () => {
    await checker.idle();
    const r = await checkReceipts(store);
    return { receipts: r.receipts, raised: r.raised.length, cursor: r.cursor, exceptions: r.raised };
  });
  app.get<{ Params: { id: string } }>('/exceptions/:id', { config: read }, async (request, reply) => {
    const e = await store.dscsa.getException(request.params.id);
    return e ?? sendProblem(request, reply, problemForStatus(404, `no exception '${request.params.id}'`));
  });
  app.post<{ Body: Body }>('/exceptions', { config: write }, async (request, reply) => {
    const b = (request.body ?? {}) as Body;
    try {
      const e = await raiseException(store, b as never);
      return reply
        .code(201)
        .header('location', `/exceptions/${encodeURIComponent(e.id)}`)
        .send(e);
    } catch (e) {
      return fail(request, reply, e);
    }
  });
  app.post<{ Params: { id: string }; Body: Body }>(
    '/exceptions/:id/resolution',
    { config: write },
    async (request, reply) => {
      try {
        return await resolveException(store, request.params.id, (request.body ?? {}) as never);
      } catch (e) {
        return fail(request, reply, e);
      }
    },
  );

  // ---- suspect product cases
  app.post<{ Body: Body }>('/cases', { config: write }, async (request, reply) => {
    try {
      const c = await cases.open((request.body ?? {}) as never);
      return reply
        .code(201)
        .header('location', `/cases/${encodeURIComponent(c.id)}`)
        .send(c);
    } catch (e) {
      return fail(request, reply, e);
    }
  });
  app.get<{ Querystring: Query }>('/cases', { config: read }, async (request, reply) => {
    const q = request.query;
    const page = pageArgs(q);
    if (typeof page === 'string') return sendProblem(request, reply, problemForStatus(400, page));
    if (q.status !== undefined && !CASE_STATUSES.includes(q.status as CaseStatus))
      return sendProblem(
        request,
        reply,
        problemForStatus(400, `status must be one of ${CASE_STATUSES.join(', ')}`),
      );
    const r = await cases.list(q.status ? { status: q.status as CaseStatus } : {}, page);
    linkNext(reply, '/cases', q, r.next);
    return r;
  });
  app.get('/cases/overdue', { config: read }, async () => {
    const items: CaseView[] = await cases.overdue();
    return { items, alerts: { ...alertStats, webhook: s.alertWebhook !== undefined } };
  });
  app.get<{ Params: { id: string } }>('/cases/:id', { config: read }, async (request, reply) => {
    try {
      return await cases.get(request.params.id);
    } catch (e) {
      return fail(request, reply, e);
    }
  });
  const step = (path: string, f: (id: string, b: Body) => Promise<CaseView>) =>
    app.post<{ Params: { id: string }; Body: Body }>(
      `/cases/:id/${path}`,
      { config: write },
      async (request, reply) => {
        try {
          return await f(request.params.id, (request.body ?? {}) as Body);
        } catch (e) {
          return fail(request, reply, e);
        }
      },
    );
  step('investigation', (id, b) => cases.investigate(id, b as never));
  step('clearance', (id, b) => cases.clear(id, b as never));
  step('illegitimate', (id, b) => cases.illegitimate(id, b as never));
  step('fda-notification', (id, b) => cases.notifyFda(id, b as never));
  step('partner-notification', (id, b) => cases.notifyPartners(id, b as never));
  step('closure', (id, b) => cases.close(id, b as never));
  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/cases/:id/fda-3911',
    { config: read },
    async (request, reply) => {
      const format = wants(request, ['json', 'pdf']);
      if (!format)
        return sendProblem(request, reply, problemForStatus(400, "format must be 'json' or 'pdf'"));
      try {
        const q = request.query;
        const f = await cases.form3911(request.params.id, {
          ...(q.contactName ? { name: q.contactName } : {}),
          ...(q.phone ? { phone: q.phone } : {}),
          ...(q.email ? { email: q.email } : {}),
        });
        return format === 'pdf' ? pdf(reply, form3911Pdf(f), 'fda-3911.pdf') : f;
      } catch (e) {
        return fail(request, reply, e);
      }
    },
  );
  app.get<{ Params: { id: string } }>('/cases/:id/notices', { config: read }, async (request, reply) => {
    const format = wants(request, ['json', 'pdf']);
    if (!format) return sendProblem(request, reply, problemForStatus(400, "format must be 'json' or 'pdf'"));
    try {
      const n = await cases.notices(request.params.id);
      return format === 'pdf' ? pdf(reply, noticesPdf(n), 'partner-notices.pdf') : { items: n };
    } catch (e) {
      return fail(request, reply, e);
    }
  });
}
