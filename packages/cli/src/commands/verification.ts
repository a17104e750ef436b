/**
 * `rxtrace verification …` and `rxtrace returns …`: DSCSA verification from the command line, on
 * the store `rxtrace serve` runs on (--data DIR | --db URL).
 *
 *   verification check --gtin G --lot L --serial S --exp YYMMDD [--context C]
 *       local answer (as our responder gives it) — or, with --remote, through the lookup directory
 *   verification directory list | set <key> --url URL [--gln GLN] [--token T] | delete <key>
 *   verification log [--gtin G] [--serial S] [--corr UUID] [--req-gln GLN] [--direction in|out] [--limit N]
 *   verification purge --before ISO
 *   returns receive --file FILE.json --user U [--from GLN] [--location GLN]
 *   returns list | returns exceptions [--status open|resolved] | returns resolve <returnId> <packId> --resolution TEXT --user U
 *
 * Our GLN and company prefixes come from --gln / --prefixes or RXTRACE_GLN / RXTRACE_COMPANY_PREFIXES.
 */
import { readFileSync } from 'node:fs';
import {
  CaptureService,
  expToIso,
  isGln,
  isGtin14,
  ReturnError,
  SaleableReturnsService,
  VERIFICATION_CONTEXTS,
  VerificationRequester,
  verificationResponse,
  verifyLocally,
} from '@rxtrace/core';
import { isRxtraceStore, type RxtraceStore, type VerificationLogFilter } from '@rxtrace/store';
import { dispatch, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const VERIFICATION_HELP = `rxtrace verification — DSCSA product identifier verification

Usage:
  rxtrace verification check --gtin G --lot L --serial S --exp YYMMDD [--context C] [--remote]
      the answer our responder gives (or, with --remote, the manufacturer's, through the directory)
  rxtrace verification directory list
  rxtrace verification directory set <GTIN|company prefix> --url URL [--gln GLN] [--token T]
  rxtrace verification directory delete <GTIN|company prefix>
  rxtrace verification log [--gtin G] [--serial S] [--corr UUID] [--req-gln GLN] [--direction in|out] [--limit N]
  rxtrace verification purge --before ISO-DATE-TIME

Options: --gln GLN (our GLN; default RXTRACE_GLN), --json
Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

export const RETURNS_HELP = `rxtrace returns — saleable returns (verify, back to stock or quarantine)

Usage:
  rxtrace returns receive --file FILE.json --user U [--from GLN] [--location GLN]
      FILE.json: [{"gtin": "…", "serial": "…", "lot": "…", "exp": "YYMMDD"} or {"code": "<scan>"}, …]
  rxtrace returns list [--limit N]
  rxtrace returns exceptions [--status open|resolved]
  rxtrace returns resolve <returnId> <packId> --resolution TEXT --user U

Options: --gln GLN (default RXTRACE_GLN), --prefixes P1,P2 (our GS1 Company Prefixes, verified
locally; default RXTRACE_COMPANY_PREFIXES), --json
Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

const COMMON = {
  data: { type: 'string' },
  db: { type: 'string' },
  gln: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function withStore<T>(
  values: { data?: string; db?: string },
  f: (s: RxtraceStore) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(values);
  try {
    await store.migrate();
    if (!isRxtraceStore(store)) throw new Error('this store has no verification records');
    return await f(store);
  } finally {
    await store.close();
  }
}

function ourGln(v: string | undefined): string {
  const g = v ?? process.env.RXTRACE_GLN;
  if (!g) throw new UsageError('our GLN is needed: --gln GLN or RXTRACE_GLN');
  if (!isGln(g)) throw new UsageError(`--gln ${JSON.stringify(g)} is not a GLN (13 digits, check digit)`);
  return g;
}

const print = (json: boolean | undefined, v: unknown, text: () => string) =>
  out(json ? JSON.stringify(v, null, 2) : text());

async function check(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    gtin: { type: 'string' },
    lot: { type: 'string' },
    serial: { type: 'string' },
    exp: { type: 'string' },
    context: { type: 'string' },
    remote: { type: 'boolean' },
  });
  const { gtin, lot, serial, exp } = values;
  if (!gtin || !isGtin14(gtin)) throw new UsageError('--gtin: a GTIN-14 with a valid check digit');
  if (!lot || !serial) throw new UsageError('--lot and --serial are required');
  if (!exp || !expToIso(exp)) throw new UsageError('--exp: the expiry YYMMDD');
  const context = values.context ?? 'dscsaSaleableReturn';
  if (!(VERIFICATION_CONTEXTS as readonly string[]).includes(context))
    throw new UsageError(`--context: one of ${VERIFICATION_CONTEXTS.join(', ')}`);
  const gln = ourGln(values.gln);
  return withStore(values, async (store) => {
    if (values.remote) {
      const r = await new VerificationRequester({ store: store.verification, requesterGLN: gln }).verify({
        gtin,
        lot,
        serial,
        exp,
        context,
      });
      print(values.json, r, () =>
        r.ok
          ? `${r.response.data.verified ? 'VERIFIED' : 'NOT VERIFIED'} by ${r.response.responderGLN} (${r.responderUrl})${r.response.data.verificationFailureReason ? `: ${r.response.data.verificationFailureReason}` : ''}${r.response.data.additionalInfo ? ` [${r.response.data.additionalInfo}]` : ''}`
          : `NO ANSWER: ${r.error}`,
      );
      return r.ok ? (r.response.data.verified ? 0 : 1) : 3;
    }
    const data = await verifyLocally(store, { gtin, lot, serial, exp });
    const body = verificationResponse(gln, undefined, data);
    print(
      values.json,
      body,
      () =>
        `${data.verified ? 'VERIFIED' : 'NOT VERIFIED'}${data.verificationFailureReason ? `: ${data.verificationFailureReason}` : ''}${data.additionalInfo ? ` [${data.additionalInfo}]` : ''}`,
    );
    return data.verified ? 0 : 1;
  });
}

async function directory(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    url: { type: 'string' },
    token: { type: 'string' },
  });
  const [op, key] = positionals;
  return withStore(values, async (store) => {
    if (op === 'list' || op === undefined) {
      const es = (await store.verification.listDirectory()).map(({ token, ...e }) => ({
        ...e,
        hasToken: token !== undefined,
      }));
      print(
        values.json,
        es,
        () =>
          es
            .map(
              (e) => `${e.key.padEnd(14)}  ${e.responderUrl}${e.responderGLN ? `  (${e.responderGLN})` : ''}`,
            )
            .join('\n') || '(empty)',
      );
      return 0;
    }
    if (!key || !(/^\d{4,12}$/.test(key) || isGtin14(key)))
      throw new UsageError('a GTIN-14 or a GS1 Company Prefix (4 to 12 digits) is needed');
    if (op === 'set') {
      let url: URL;
      try {
        url = new URL(values.url ?? '');
      } catch {
        throw new UsageError('--url: the responder URL (http or https)');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new UsageError('--url: an http(s) URL');
      if (values.gln !== undefined && !isGln(values.gln)) throw new UsageError('--gln: a GLN');
      await store.verification.putDirectoryEntry({
        key,
        responderUrl: url.toString().replace(/\/+$/, ''),
        ...(values.gln ? { responderGLN: values.gln } : {}),
        ...(values.token ? { token: values.token } : {}),
        updatedAt: new Date().toISOString(),
      });
      out(`${key} → ${url.toString().replace(/\/+$/, '')}`);
      return 0;
    }
    if (op === 'delete') {
      if (!(await store.verification.deleteDirectoryEntry(key))) {
        out(`no directory entry for ${key}`);
        return 1;
      }
      out(`deleted ${key}`);
      return 0;
    }
    throw new UsageError(`unknown directory command '${op}'`);
  });
}

async function logCmd(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    gtin: { type: 'string' },
    serial: { type: 'string' },
    corr: { type: 'string' },
    'req-gln': { type: 'string' },
    direction: { type: 'string' },
    limit: { type: 'string' },
  });
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit: 1 to 1000');
  if (values.direction !== undefined && values.direction !== 'in' && values.direction !== 'out')
    throw new UsageError('--direction: in or out');
  const f: VerificationLogFilter = {
    ...(values.gtin ? { gtin: values.gtin } : {}),
    ...(values.serial ? { serial: values.serial } : {}),
    ...(values.corr ? { corrUUID: values.corr } : {}),
    ...(values['req-gln'] ? { reqGLN: values['req-gln'] } : {}),
    ...(values.direction ? { direction: values.direction as 'in' | 'out' } : {}),
  };
  return withStore(values, async (store) => {
    const page = await store.verification.queryLog(f, { limit });
    print(
      values.json,
      page.items,
      () =>
        page.items
          .map(
            (e) =>
              `${e.at}  ${e.direction.padEnd(3)} ${String(e.status).padEnd(3)} ${e.gtin ?? ''}/${e.lot ?? ''}/${e.serial ?? ''} exp ${e.exp ?? ''}  req ${e.reqGLN ?? ''}  ${e.verified === undefined ? (e.response ?? '') : e.verified ? 'verified' : `not verified ${e.verificationFailureReason ?? ''}`}${e.additionalInfo ? ` [${e.additionalInfo}]` : ''}`,
          )
          .join('\n') || '(no exchanges)',
    );
    return 0;
  });
}

async function purge(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...COMMON, before: { type: 'string' } });
  if (!values.before || Number.isNaN(Date.parse(values.before)))
    throw new UsageError('--before: an ISO 8601 date-time');
  return withStore(values, async (store) => {
    const n = await store.verification.purgeLog(new Date(values.before!).toISOString());
    out(`deleted ${n} exchanges logged before ${new Date(values.before!).toISOString()}`);
    return 0;
  });
}

async function receive(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...COMMON,
    file: { type: 'string' },
    user: { type: 'string' },
    from: { type: 'string' },
    location: { type: 'string' },
    prefixes: { type: 'string' },
  });
  if (!values.file) throw new UsageError('--file: the packs returned (JSON array)');
  if (!values.user) throw new UsageError('--user: who received the return');
  let packs: unknown;
  try {
    packs = JSON.parse(readFileSync(values.file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--file: ${(e as Error).message}`);
  }
  if (!Array.isArray(packs))
    throw new UsageError('--file: a JSON array of {gtin, serial, lot, exp} or {code}');
  const prefixes = (values.prefixes ?? process.env.RXTRACE_COMPANY_PREFIXES ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const location = values.location
    ? /^\d{13}$/.test(values.location)
      ? `https://id.gs1.org/414/${values.location}`
      : values.location
    : undefined;
  return withStore(values, async (store) => {
    const gln = values.gln ?? process.env.RXTRACE_GLN;
    const capture = new CaptureService(store);
    const svc = new SaleableReturnsService({
      store,
      capture,
      ...(gln && isGln(gln)
        ? { requester: new VerificationRequester({ store: store.verification, requesterGLN: gln }) }
        : {}),
      ownCompanyPrefixes: prefixes,
    });
    try {
      const r = await svc.receive({
        packs,
        user: values.user!,
        ...(values.from ? { fromGLN: values.from } : {}),
        ...(location ? { location } : {}),
      });
      print(values.json, r, () =>
        [
          `return ${r.returnId} received ${r.at} by ${r.user}`,
          ...r.items.map(
            (i) =>
              `  ${i.outcome === 'sellable' ? 'SELLABLE   ' : 'QUARANTINED'} ${i.gtin}/${i.serial} lot ${i.lot}  (${i.verifiedBy})${i.exception ? `  ${i.exception.reason}` : ''}`,
          ),
        ].join('\n'),
      );
      return r.items.some((i) => i.outcome === 'quarantined') ? 1 : 0;
    } catch (e) {
      if (e instanceof ReturnError) throw new UsageError(e.message);
      throw e;
    }
  });
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...COMMON, limit: { type: 'string' } });
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit: 1 to 1000');
  return withStore(values, async (store) => {
    const p = await store.verification.listReturns({ limit });
    print(
      values.json,
      p.items,
      () =>
        p.items
          .map(
            (r) =>
              `${r.at}  ${r.returnId}  ${r.user}  ${r.items.filter((i) => i.outcome === 'sellable').length} sellable, ${r.items.filter((i) => i.outcome === 'quarantined').length} quarantined`,
          )
          .join('\n') || '(no returns)',
    );
    return 0;
  });
}

async function exceptions(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...COMMON, status: { type: 'string' } });
  const st = values.status;
  if (st !== undefined && st !== 'open' && st !== 'resolved')
    throw new UsageError('--status: open or resolved');
  return withStore(values, async (store) => {
    const xs = await store.verification.listReturnExceptions(st as 'open' | 'resolved' | undefined);
    print(
      values.json,
      xs,
      () =>
        xs
          .map((x) => `${x.at}  ${x.status.padEnd(8)} ${x.returnId}  ${x.packId}  ${x.reason}  (${x.user})`)
          .join('\n') || '(no exceptions)',
    );
    return 0;
  });
}

async function resolve(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    resolution: { type: 'string' },
    user: { type: 'string' },
  });
  const [returnId, packId] = positionals;
  if (!returnId || !packId) throw new UsageError('the return id and the pack id are needed');
  if (!values.resolution) throw new UsageError('--resolution: what was done');
  if (!values.user) throw new UsageError('--user: who resolved it');
  return withStore(values, async (store) => {
    const ok = await store.verification.resolveReturnException(returnId, packId, {
      at: new Date().toISOString(),
      by: values.user!,
      resolution: values.resolution!,
    });
    out(ok ? 'resolved' : 'no open exception for that return and pack');
    return ok ? 0 : 1;
  });
}

export function verificationCommand(argv: string[]): Promise<number> {
  return dispatch('verification', VERIFICATION_HELP, { check, directory, log: logCmd, purge }, argv);
}

export function returnsCommand(argv: string[]): Promise<number> {
  return dispatch('returns', RETURNS_HELP, { receive, list, exceptions, resolve }, argv);
}
