/**
 * `rxtrace fmd verify|decommission|undo|dispense|alerts` (EU FMD) and `rxtrace recall
 * create|list|show|close` on the store `rxtrace serve` runs on (--data DIR | --db URL).
 * Exit status: 0 done (verify: active and may be supplied), 1 refused or alerts, 2 bad input.
 */

import { readFile } from 'node:fs/promises';
import {
  CaptureService,
  DECOMMISSION_REASONS,
  FMD_ALERT_LIST,
  type FmdAlert,
  FmdError,
  FmdService,
  type FmdVerification,
  parsePackCode,
  RecallError,
  type RecallReport,
  RecallService,
} from '@rxtrace/core';
import { isRxtraceStore, type RxtraceStore } from '@rxtrace/store';
import { dispatch, err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const FMD_HELP = `rxtrace fmd — EU FMD: verify, decommission, undo, dispense

Usage:
  rxtrace fmd verify <code> | --gtin G --serial S [--lot L] [--expiry YYMMDD|YYYY-MM-DD]
  rxtrace fmd dispense <code> --premises GLN [--user U]
                              scan → verify → supply in one step (code: scan data, element string, Digital Link)
  rxtrace fmd decommission <code> | --gtin … --reason R --premises GLN [--user U]
                              R: ${DECOMMISSION_REASONS.join(', ')}
  rxtrace fmd undo <code> | --gtin … --premises GLN [--user U]
                              same user, same premises, within 10 days
  rxtrace fmd bulk verify|decommission|undo|dispense --file F [--reason R] --premises GLN [--user U]
                              one code per line of F ('-': stdin), one answer per line
  rxtrace fmd alerts          the alert codes
  --json for JSON output. --user defaults to $RXTRACE_USER or $USER; --premises to $RXTRACE_PREMISES.
  Exit status: 0 done / may be supplied, 1 refused or alerts, 2 bad input.

Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

export const RECALL_HELP = `rxtrace recall — recall or withdraw a lot or a product

Usage:
  rxtrace recall create --gtin G [--lot L] --reason TEXT [--withdrawal] [--classification C]
                        [--effective-from ISO] [--issued-by WHO]
  rxtrace recall list [--gtin G] [--active]
  rxtrace recall show <id>       affected packs per holder, notifications
  rxtrace recall close <id> [--reason TEXT]
  rxtrace recall sent <id> --holder H   record that the notice to a holder was sent
  --json for JSON output.

Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

const COMMON = {
  data: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
const PACK = {
  ...COMMON,
  gtin: { type: 'string' },
  serial: { type: 'string' },
  lot: { type: 'string' },
  expiry: { type: 'string' },
  user: { type: 'string' },
  premises: { type: 'string' },
  reason: { type: 'string' },
  file: { type: 'string' },
} as const;

async function withStore<T>(
  values: { data?: string; db?: string },
  f: (s: RxtraceStore) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(values);
  try {
    await store.migrate();
    if (!isRxtraceStore(store)) throw new Error('this store keeps no pack state');
    return await f(store);
  } finally {
    await store.close();
  }
}

function formatAlerts(alerts: FmdAlert[]): string[] {
  return alerts.map(
    (a) =>
      `  ${a.code} ${a.name}${a.alert ? ' [ALERT]' : ''}: ${a.message}${a.detail ? ` (${a.detail})` : ''}`,
  );
}

function formatVerification(v: FmdVerification): string {
  const lines = [
    `${v.ok ? 'OK' : 'NOT OK'}  ${v.id}`,
    `  state ${v.state}${v.status ? ` (${v.status})` : ''}${v.lot ? `  batch ${v.lot}` : ''}${v.expiry ? `  expiry ${v.expiry}` : ''}`,
  ];
  if (v.decommission)
    lines.push(
      `  decommissioned as ${v.decommission.reason} by ${v.decommission.user ?? '?'} at ${v.decommission.premises ?? '?'} on ${v.decommission.at}`,
    );
  lines.push(...formatAlerts(v.alerts));
  return lines.join('\n');
}

type Values = { [K in keyof typeof PACK]?: (typeof PACK)[K]['type'] extends 'boolean' ? boolean : string };

function packArg(values: Values, positionals: string[]): Record<string, unknown> {
  if (positionals[0] !== undefined) {
    const { form: _f, ...p } = parsePackCode(positionals[0], new Date());
    return p;
  }
  if (!values.gtin || !values.serial) throw new UsageError('give the scanned code, or --gtin and --serial');
  return { gtin: values.gtin, serial: values.serial, lot: values.lot, expiry: values.expiry };
}

function actorArg(values: Values): { user: string | undefined; premises: string | undefined } {
  return {
    user: values.user ?? process.env.RXTRACE_USER ?? process.env.USER,
    premises: values.premises ?? process.env.RXTRACE_PREMISES,
  };
}

/** Runs an FMD operation: prints the result, or the refusal with its alerts. */
async function fmdRun(
  argv: string[],
  help: string,
  op: (fmd: FmdService, v: Values, pos: string[]) => Promise<unknown>,
): Promise<number> {
  const { values, positionals } = parse(argv, PACK);
  if (values.help) {
    out(help);
    return 0;
  }
  try {
    return await withStore(values, async (store) => {
      const fmd = new FmdService(store, { capture: new CaptureService(store) });
      const r = await op(fmd, values as Values, positionals);
      if (values.json) out(JSON.stringify(r, null, 2));
      else if (r && typeof r === 'object' && 'alerts' in r) out(formatVerification(r as FmdVerification));
      else {
        const x = r as Record<string, unknown>;
        if (x.decommissioned)
          out(
            `${x.reason === 'supplied' ? 'SUPPLIED' : `DECOMMISSIONED (${x.reason})`}  ${x.id}\n  status ${x.status}  event ${x.eventId}`,
          );
        else if (x.reactivated)
          out(`REACTIVATED  ${x.id}\n  status ${x.status}  corrected event ${x.correctedEventId}`);
        else out(JSON.stringify(r, null, 2));
      }
      if (r && typeof r === 'object' && 'ok' in r && (r as FmdVerification).ok === false) return 1;
      return 0;
    });
  } catch (e) {
    if (e instanceof FmdError) {
      if (values.json)
        out(
          JSON.stringify({ status: e.status, title: e.title, detail: e.detail, alerts: e.alerts }, null, 2),
        );
      else err([`${e.title}: ${e.detail}`, ...formatAlerts(e.alerts)].join('\n'));
      return e.status === 400 ? 2 : 1;
    }
    throw e;
  }
}

export async function fmdCommand(argv: string[]): Promise<number> {
  return dispatch(
    'fmd',
    FMD_HELP,
    {
      verify: (a) =>
        fmdRun(a, FMD_HELP, (fmd, v, pos) =>
          fmd.verify(packArg(v, pos), v.premises ? actorArg(v) : undefined),
        ),
      dispense: (a) =>
        fmdRun(a, FMD_HELP, (fmd, v, pos) => {
          if (pos[0] === undefined) throw new UsageError('give the scanned code');
          return fmd.dispense(pos[0], actorArg(v));
        }),
      decommission: (a) =>
        fmdRun(a, FMD_HELP, (fmd, v, pos) => {
          if (!v.reason) throw new UsageError(`--reason is required (${DECOMMISSION_REASONS.join(', ')})`);
          return fmd.decommission(packArg(v, pos), v.reason, actorArg(v));
        }),
      undo: (a) => fmdRun(a, FMD_HELP, (fmd, v, pos) => fmd.undo(packArg(v, pos), actorArg(v))),
      bulk: async (a) => {
        const { values, positionals } = parse(a, PACK);
        if (values.help) {
          out(FMD_HELP);
          return 0;
        }
        if (!values.file) throw new UsageError('--file is required (one code per line, - for stdin)');
        const text = values.file === '-' ? await readStdin() : await readFile(values.file, 'utf8');
        const items = text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '')
          .map((code) => ({ code }));
        try {
          return await withStore(values, async (store) => {
            const fmd = new FmdService(store, { capture: new CaptureService(store) });
            const op = positionals[0];
            const r = await fmd.bulk(
              op,
              items,
              op === 'verify' && !values.premises ? undefined : actorArg(values as Values),
              values.reason,
            );
            if (values.json) out(JSON.stringify(r, null, 2));
            else
              for (const x of r.results) {
                const codes =
                  x.error?.alerts ?? (x.result as { alerts?: FmdAlert[] } | undefined)?.alerts ?? [];
                out(
                  `${items[x.index]!.code}\t${x.ok ? 'OK' : 'NOT OK'}\t${codes.map((c) => c.code).join(',')}${x.error && !codes.length ? x.error.detail : ''}`,
                );
              }
            return r.ok === r.count ? 0 : 1;
          });
        } catch (e) {
          if (e instanceof FmdError) {
            err(`${e.title}: ${e.detail}`);
            return 2;
          }
          throw e;
        }
      },
      alerts: async (a) => {
        const { values } = parse(a, COMMON);
        if (values.json) out(JSON.stringify(FMD_ALERT_LIST, null, 2));
        else
          out(
            FMD_ALERT_LIST.map(
              (x) => `${x.code}  ${x.name.padEnd(28)} ${x.alert ? 'ALERT ' : '      '}${x.message}`,
            ).join('\n'),
          );
        return 0;
      },
    },
    argv,
  );
}

function formatReport(r: RecallReport): string {
  const c = r.recall;
  const lines = [
    `${c.kind.toUpperCase()} ${c.id}  GTIN ${c.gtin} ${c.lot ? `batch ${c.lot}` : '(all batches)'}  ${r.active ? 'IN FORCE' : c.closedAt ? `closed ${c.closedAt}` : `from ${c.effectiveFrom}`}`,
    `  reason: ${c.reason}${c.classification ? `  (${c.classification})` : ''}`,
    `  affected packs: ${r.affected.total}, in the supply chain: ${r.affected.inChain}  ${Object.entries(
      r.affected.byStatus,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    '  holders:',
    ...r.holders.map(
      (h) =>
        `    ${h.name ?? h.holder}: ${h.count} (${Object.entries(h.byStatus)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')})`,
    ),
    '  notifications:',
    ...r.notifications.map(
      (n) =>
        `    ${n.holder}: ${n.packCount} packs, ${n.channel} ${n.status}${n.sentAt ? ` ${n.sentAt}` : ''}`,
    ),
  ];
  return lines.join('\n');
}

const RECALL = {
  ...COMMON,
  gtin: { type: 'string' },
  lot: { type: 'string' },
  reason: { type: 'string' },
  withdrawal: { type: 'boolean' },
  classification: { type: 'string' },
  'effective-from': { type: 'string' },
  'issued-by': { type: 'string' },
  active: { type: 'boolean' },
  holder: { type: 'string' },
} as const;

async function recallRun(
  argv: string[],
  op: (rs: RecallService, v: Record<string, string | boolean | undefined>, pos: string[]) => Promise<unknown>,
): Promise<number> {
  const { values, positionals } = parse(argv, RECALL);
  if (values.help) {
    out(RECALL_HELP);
    return 0;
  }
  try {
    return await withStore(values, async (store) => {
      const r = await op(new RecallService(store), values, positionals);
      if (values.json) out(JSON.stringify(r, null, 2));
      else if (r && typeof r === 'object' && 'affected' in r) out(formatReport(r as RecallReport));
      else out(JSON.stringify(r, null, 2));
      return 0;
    });
  } catch (e) {
    if (e instanceof RecallError) {
      err(`${e.title}: ${e.detail}`);
      return e.status === 404 ? 1 : 2;
    }
    throw e;
  }
}

export async function recallCommand(argv: string[]): Promise<number> {
  const id = (pos: string[]) => {
    if (!pos[0]) throw new UsageError('give the recall id');
    return pos[0];
  };
  return dispatch(
    'recall',
    RECALL_HELP,
    {
      create: (a) =>
        recallRun(a, (rs, v) =>
          rs.create({
            kind: v.withdrawal ? 'withdrawal' : 'recall',
            gtin: v.gtin,
            lot: v.lot,
            reason: v.reason,
            classification: v.classification,
            effectiveFrom: v['effective-from'],
            issuedBy: v['issued-by'],
          }),
        ),
      list: (a) =>
        recallRun(a, (rs, v) =>
          rs.list(
            { ...(v.gtin ? { gtin: v.gtin as string } : {}), ...(v.active ? { active: true } : {}) },
            { limit: 1000 },
          ),
        ),
      show: (a) => recallRun(a, (rs, _v, pos) => rs.report(id(pos))),
      close: (a) => recallRun(a, (rs, v, pos) => rs.close(id(pos), v.reason)),
      sent: (a) =>
        recallRun(a, (rs, v, pos) => {
          if (!v.holder) throw new UsageError('--holder is required');
          return rs.markSent(id(pos), v.holder as string);
        }),
    },
    argv,
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
