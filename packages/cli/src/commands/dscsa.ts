/**
 * DSCSA records on the command line, on the store `rxtrace serve` runs on (--data DIR | --db URL):
 *
 *   rxtrace ti <shipment> [--format json|xml|pdf] [--out FILE]   transaction information / statement
 *   rxtrace history <pack> [--json]                              transaction history of a pack
 *   rxtrace exceptions list|show|check|resolve|raise …            exceptions between partners
 *   rxtrace cases open|list|show|overdue|investigate|clear|illegitimate|notify-fda|notify-partners|close|fda-3911|notices …
 */
import { writeFileSync } from 'node:fs';
import {
  CaptureService,
  CaseError,
  type CaseView,
  checkReceipts,
  ExceptionError,
  findShipments,
  form3911Pdf,
  noticesPdf,
  raiseException,
  resolveException,
  SuspectProductService,
  TraceIdError,
  tiToEpcis12,
  tiToPdf,
  transactionHistory,
  transactionInformation,
} from '@rxtrace/core';
import { type CaseStatus, isRxtraceStore, type PartnerException, type RxtraceStore } from '@rxtrace/store';
import { dispatch, err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

const STORE = "\nStore options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…\n";

export const TI_HELP = `rxtrace ti — DSCSA transaction information and statement of a shipment

Usage:
  rxtrace ti <shipment> [--format json|xml|pdf] [--out FILE]
    shipment: the shipping event's eventID, or a business transaction id it carries (PO, despatch advice)
    json (default) | xml: EPCIS 1.2 per the GS1 US guideline | pdf: readable (needs --out)
${STORE}`;

export const HISTORY_HELP = `rxtrace history — the transaction history of a pack (every shipment that carried it)

Usage:
  rxtrace history <pack> [--json]     pack: EPC URN, Digital Link or element string
${STORE}`;

export const EXCEPTIONS_HELP = `rxtrace exceptions — exceptions between trading partners

Usage:
  rxtrace exceptions list [--status open|resolved] [--category C] [--partner GLN] [--limit N] [--json]
  rxtrace exceptions show <id>
  rxtrace exceptions check                       compare the receipts captured since the last check
  rxtrace exceptions resolve <id> --code CODE --by USER [--text TEXT]
        CODE: send_new_data, send_product, return_product, send_back_product, credit, debit, no_action
  rxtrace exceptions raise --category C --detail TEXT --by USER [--partner GLN] [--reference REF]
${STORE}`;

export const CASES_HELP = `rxtrace cases — suspect and illegitimate product

Usage:
  rxtrace cases open --pack ID [--pack ID …] --reason R --by USER [--description T] [--high-risk] [--source S] [--location ID]
  rxtrace cases list [--status S] [--json]
  rxtrace cases show <id> [--json]
  rxtrace cases overdue [--json]                  exit status 3 when a clock is past due (for cron)
  rxtrace cases investigate <id> --by USER [--note T]
  rxtrace cases clear <id> --by USER [--note T]
  rxtrace cases illegitimate <id> --by USER --reason R [--note T]
  rxtrace cases notify-fda <id> --by USER [--incident N]
  rxtrace cases notify-partners <id> --by USER --partner GLN [--partner GLN …]
  rxtrace cases close <id> --by USER [--disposition D] [--fda-consulted]
  rxtrace cases fda-3911 <id> [--out FILE.pdf] [--phone P] [--email E]
  rxtrace cases notices <id> [--out FILE.pdf]
  --gln GLN: our party GLN (3911 reporter; default env RXTRACE_GLN)
${STORE}`;

const S = {
  data: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function withStore<T>(
  v: { data?: string; db?: string },
  f: (s: RxtraceStore) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(v);
  try {
    await store.migrate();
    if (!isRxtraceStore(store)) throw new Error('this store keeps no DSCSA records');
    return await f(store);
  } finally {
    await store.close();
  }
}

function known(e: unknown, cmd: string): number {
  if (e instanceof CaseError || e instanceof ExceptionError || e instanceof TraceIdError) {
    err(`rxtrace ${cmd}: ${e.message}`);
    return e instanceof TraceIdError || (e as CaseError).status === 400 ? 2 : 1;
  }
  throw e;
}

export async function tiCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...S, format: { type: 'string' }, out: { type: 'string' } });
  if (values.help) {
    out(TI_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('give one shipment (eventID or business transaction id)');
  const format = values.format ?? 'json';
  if (!['json', 'xml', 'pdf'].includes(format)) throw new UsageError('--format must be json, xml or pdf');
  if (format === 'pdf' && !values.out) throw new UsageError('--format pdf needs --out FILE');
  return withStore(values, async (store) => {
    const found = await findShipments(store, positionals[0]!);
    if (found.length !== 1) {
      err(
        found.length
          ? `rxtrace ti: '${positionals[0]}' names ${found.length} shipping events: ${found.map((e) => e.eventId).join(', ')}`
          : `rxtrace ti: no shipping event has the eventID or business transaction '${positionals[0]}'`,
      );
      return 1;
    }
    const ti = await transactionInformation(store, found[0]!);
    const body: string | Uint8Array =
      format === 'json'
        ? JSON.stringify(ti, null, 2)
        : format === 'xml'
          ? (await tiToEpcis12(store, ti, found[0]!)).xml
          : tiToPdf(ti);
    if (values.out) writeFileSync(values.out, body);
    else out(body as string);
    return 0;
  });
}

export async function historyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, S);
  if (values.help) {
    out(HISTORY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give one pack id');
  return withStore(values, async (store) => {
    try {
      const h = await transactionHistory(store, positionals[0]!);
      if (!h) {
        err(`rxtrace history: no event names ${positionals[0]}`);
        return 1;
      }
      if (values.json) out(JSON.stringify(h, null, 2));
      else {
        out(
          `Pack ${h.id}\n  ${h.name ?? ''} NDC ${h.ndc ?? '-'} lot ${h.lot ?? '-'} expiry ${h.expiry ?? '-'}`,
        );
        for (const t of h.transactions)
          out(
            `  ${t.shipmentDate}  ${t.from?.name ?? t.from?.id ?? '?'} -> ${t.to?.name ?? t.to?.id ?? '?'}  ${t.bizTransactions.map((b) => b.id).join(' ')}${t.via ? `  [in ${t.via}]` : ''}`,
          );
        if (!h.transactions.length) out('  (never shipped)');
      }
      return 0;
    } catch (e) {
      return known(e, 'history');
    }
  });
}

function exceptionLine(e: PartnerException): string {
  return `${e.id}  ${e.status.padEnd(8)} ${e.category.padEnd(16)} ${e.raisedAt}  ${e.detail}${e.resolution ? `  [${e.resolution.code} by ${e.resolution.by}]` : ''}`;
}

export function exceptionsCommand(argv: string[]): Promise<number> {
  return dispatch(
    'exceptions',
    EXCEPTIONS_HELP,
    {
      async list(a) {
        const { values } = parse(a, {
          ...S,
          status: { type: 'string' },
          category: { type: 'string' },
          partner: { type: 'string' },
          limit: { type: 'string' },
        });
        return withStore(values, async (store) => {
          const limit = values.limit ? Number(values.limit) : 100;
          if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
            throw new UsageError('--limit: 1 to 1000');
          if (values.status && values.status !== 'open' && values.status !== 'resolved')
            throw new UsageError('--status: open or resolved');
          const r = await store.dscsa.listExceptions(
            {
              ...(values.status ? { status: values.status as 'open' | 'resolved' } : {}),
              ...(values.category ? { category: values.category as PartnerException['category'] } : {}),
              ...(values.partner ? { partnerGln: values.partner } : {}),
            },
            { limit },
          );
          out(values.json ? JSON.stringify(r, null, 2) : r.items.map(exceptionLine).join('\n') || '(none)');
          return 0;
        });
      },
      async show(a) {
        const { values, positionals } = parse(a, S);
        if (positionals.length !== 1) throw new UsageError('give one exception id');
        return withStore(values, async (store) => {
          const e = await store.dscsa.getException(positionals[0]!);
          if (!e) {
            err(`rxtrace exceptions: no exception '${positionals[0]}'`);
            return 1;
          }
          out(JSON.stringify(e, null, 2));
          return 0;
        });
      },
      async check(a) {
        const { values } = parse(a, S);
        return withStore(values, async (store) => {
          const r = await checkReceipts(store);
          out(
            values.json
              ? JSON.stringify(r, null, 2)
              : `${r.receipts} receipt(s) checked, ${r.raised.length} exception(s) raised\n${r.raised.map(exceptionLine).join('\n')}`,
          );
          return 0;
        });
      },
      async resolve(a) {
        const { values, positionals } = parse(a, {
          ...S,
          code: { type: 'string' },
          by: { type: 'string' },
          text: { type: 'string' },
        });
        if (positionals.length !== 1) throw new UsageError('give one exception id');
        return withStore(values, async (store) => {
          try {
            const e = await resolveException(store, positionals[0]!, {
              code: values.code ?? '',
              by: values.by ?? '',
              ...(values.text ? { text: values.text } : {}),
            });
            out(exceptionLine(e));
            return 0;
          } catch (e) {
            return known(e, 'exceptions');
          }
        });
      },
      async raise(a) {
        const { values } = parse(a, {
          ...S,
          category: { type: 'string' },
          detail: { type: 'string' },
          by: { type: 'string' },
          partner: { type: 'string' },
          reference: { type: 'string' },
        });
        return withStore(values, async (store) => {
          try {
            const e = await raiseException(store, {
              category: values.category ?? '',
              detail: values.detail ?? '',
              by: values.by ?? '',
              ...(values.partner ? { partnerGln: values.partner } : {}),
              ...(values.reference ? { reference: values.reference } : {}),
            });
            out(exceptionLine(e));
            return 0;
          } catch (e) {
            return known(e, 'exceptions');
          }
        });
      },
    },
    argv,
  );
}

function caseText(c: CaseView): string {
  const lines = [
    `Case ${c.id}  ${c.status}${c.overdue ? '  OVERDUE' : ''}`,
    `  reason ${c.body.reason as string}  packs ${(c.body.packs as string[]).length}`,
  ];
  for (const s of c.steps)
    lines.push(`  ${s.at}  ${s.step.padEnd(18)} by ${s.by}${s.note ? `  ${s.note}` : ''}`);
  for (const k of c.clocks)
    lines.push(
      `  clock ${k.name.padEnd(24)} ${k.basis.padEnd(7)} due ${k.dueAt}  ${k.state}${k.metAt ? ` at ${k.metAt}` : ''}`,
    );
  return lines.join('\n');
}

export function casesCommand(argv: string[]): Promise<number> {
  const CO = { ...S, gln: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' } } as const;
  const run = async (
    a: string[],
    extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>,
    f: (
      svc: SuspectProductService,
      v: Record<string, unknown>,
      pos: string[],
      store: RxtraceStore,
    ) => Promise<number>,
  ): Promise<number> => {
    const { values, positionals } = parse(a, { ...CO, ...extra });
    return withStore(values, async (store) => {
      const gln = (values.gln as string | undefined) ?? process.env.RXTRACE_GLN;
      const svc = new SuspectProductService(store, new CaptureService(store), gln ? { selfGln: gln } : {});
      try {
        return await f(svc, values as Record<string, unknown>, positionals, store);
      } catch (e) {
        return known(e, 'cases');
      }
    });
  };
  const one = (pos: string[]) => {
    if (pos.length !== 1) throw new UsageError('give one case id');
    return pos[0]!;
  };
  const show = (v: Record<string, unknown>, c: CaseView): number => {
    out(v.json ? JSON.stringify(c, null, 2) : caseText(c));
    return 0;
  };
  return dispatch(
    'cases',
    CASES_HELP,
    {
      open: (a) =>
        run(
          a,
          {
            pack: { type: 'string', multiple: true },
            reason: { type: 'string' },
            description: { type: 'string' },
            'high-risk': { type: 'boolean' },
            source: { type: 'string' },
            location: { type: 'string' },
          },
          async (svc, v) =>
            show(
              v,
              await svc.open({
                packs: (v.pack as string[] | undefined) ?? [],
                reason: v.reason as never,
                by: (v.by as string) ?? '',
                ...(v.description ? { description: v.description as string } : {}),
                ...(v['high-risk'] ? { highRisk: true } : {}),
                ...(v.source ? { source: v.source as never } : {}),
                ...(v.location ? { location: v.location as string } : {}),
              }),
            ),
        ),
      list: (a) =>
        run(a, { status: { type: 'string' } }, async (svc, v) => {
          const r = await svc.list(v.status ? { status: v.status as CaseStatus } : {}, { limit: 1000 });
          out(
            v.json
              ? JSON.stringify(r, null, 2)
              : r.items
                  .map((c) => `${c.id}  ${c.status.padEnd(13)} ${c.createdAt}${c.overdue ? '  OVERDUE' : ''}`)
                  .join('\n') || '(none)',
          );
          return 0;
        }),
      show: (a) => run(a, {}, async (svc, v, p) => show(v, await svc.get(one(p)))),
      overdue: (a) =>
        run(a, {}, async (svc, v) => {
          const list = await svc.overdue();
          out(
            v.json
              ? JSON.stringify(list, null, 2)
              : list.map(caseText).join('\n\n') || 'no clock is past due',
          );
          return list.length ? 3 : 0;
        }),
      investigate: (a) =>
        run(a, {}, async (svc, v, p) =>
          show(
            v,
            await svc.investigate(one(p), {
              by: (v.by as string) ?? '',
              ...(v.note ? { note: v.note as string } : {}),
            }),
          ),
        ),
      clear: (a) =>
        run(a, {}, async (svc, v, p) =>
          show(
            v,
            await svc.clear(one(p), {
              by: (v.by as string) ?? '',
              ...(v.note ? { note: v.note as string } : {}),
            }),
          ),
        ),
      illegitimate: (a) =>
        run(a, { reason: { type: 'string' } }, async (svc, v, p) =>
          show(
            v,
            await svc.illegitimate(one(p), {
              by: (v.by as string) ?? '',
              reason: v.reason as never,
              ...(v.note ? { note: v.note as string } : {}),
            }),
          ),
        ),
      'notify-fda': (a) =>
        run(a, { incident: { type: 'string' } }, async (svc, v, p) =>
          show(
            v,
            await svc.notifyFda(one(p), {
              by: (v.by as string) ?? '',
              ...(v.incident ? { incidentNumber: v.incident as string } : {}),
            }),
          ),
        ),
      'notify-partners': (a) =>
        run(a, { partner: { type: 'string', multiple: true } }, async (svc, v, p) =>
          show(
            v,
            await svc.notifyPartners(one(p), {
              by: (v.by as string) ?? '',
              partners: (v.partner as string[] | undefined) ?? [],
            }),
          ),
        ),
      close: (a) =>
        run(a, { disposition: { type: 'string' }, 'fda-consulted': { type: 'boolean' } }, async (svc, v, p) =>
          show(
            v,
            await svc.close(one(p), {
              by: (v.by as string) ?? '',
              ...(v.disposition ? { disposition: v.disposition as never } : {}),
              ...(v['fda-consulted'] ? { fdaConsulted: true } : {}),
            }),
          ),
        ),
      'fda-3911': (a) =>
        run(
          a,
          { out: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' } },
          async (svc, v, p) => {
            const f = await svc.form3911(one(p), {
              ...(v.phone ? { phone: v.phone as string } : {}),
              ...(v.email ? { email: v.email as string } : {}),
            });
            if (v.out) writeFileSync(v.out as string, form3911Pdf(f));
            else out(JSON.stringify(f, null, 2));
            return 0;
          },
        ),
      notices: (a) =>
        run(a, { out: { type: 'string' } }, async (svc, v, p) => {
          const n = await svc.notices(one(p));
          if (v.out) writeFileSync(v.out as string, noticesPdf(n));
          else out(JSON.stringify(n, null, 2));
          return 0;
        }),
    },
    argv,
  );
}
