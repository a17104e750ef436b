/** `rxtrace serials pool create | pools | request | import | reconcile`, directly on the store. */
import { readFileSync } from 'node:fs';
import { SerialError, type SerialPoolInput, SerialService } from '@rxtrace/core';
import { isRxtraceStore } from '@rxtrace/store';
import { dispatch, err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const SERIALS_HELP = `rxtrace serials — serial number pools and issuance

Usage:
  rxtrace serials pool create --kind random --gtin G --markets DE,FR --planned-volume N
                              [--charset alphanumeric|numeric|unambiguous|cset82 --length L --prefix P] [--id ID]
  rxtrace serials pool create --kind sequential --gtin G --markets US [--length W --start S --end E]
  rxtrace serials pool create --kind list --gtin G [--id ID]
  rxtrace serials pool create --kind sscc --company-prefix GCP [--extension-digit D --range-start A --range-end B]
  rxtrace serials pools [--gtin G]                   the pools (JSON)
  rxtrace serials request --gtin G --count N [--lot L --expiry YYYY-MM-DD --pool ID] [--request-id ID] [--json]
                                                     one serial per line (--json: the whole answer);
                                                     --request-id: run again with the same ID, the same
                                                     serials (never new ones)
  rxtrace serials import FILE --pool ID              serials into a list pool: one per line, or
                                                     serial<TAB>AI91<TAB>AI92, or a JSON array
  rxtrace serials reconcile --gtin G [--lot L]       issued, commissioned, destroyed, returned, unaccounted

Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

const STORE_OPTS = { data: { type: 'string' }, db: { type: 'string' } } as const;

async function withService<T>(
  values: { data?: string; db?: string },
  fn: (s: SerialService) => Promise<T>,
): Promise<number> {
  const { store } = await openStore(values);
  try {
    await store.migrate();
    if (!isRxtraceStore(store)) throw new Error('this store has no serial numbers');
    await fn(new SerialService(store.serials, { maxCount: 10_000_000 }));
    return 0;
  } catch (e) {
    if (e instanceof SerialError) {
      err(`rxtrace serials: ${e.title}: ${e.detail}`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer`);
  return n;
};

export async function serialsCommand(argv: string[]): Promise<number> {
  return dispatch(
    'serials',
    SERIALS_HELP,
    {
      pool: async (rest) => {
        if (rest[0] !== 'create') throw new UsageError("expected 'serials pool create'");
        const { values } = parse(rest.slice(1), {
          ...STORE_OPTS,
          kind: { type: 'string' },
          gtin: { type: 'string' },
          markets: { type: 'string' },
          'planned-volume': { type: 'string' },
          charset: { type: 'string' },
          length: { type: 'string' },
          prefix: { type: 'string' },
          start: { type: 'string' },
          end: { type: 'string' },
          id: { type: 'string' },
          label: { type: 'string' },
          'company-prefix': { type: 'string' },
          'extension-digit': { type: 'string' },
          'range-start': { type: 'string' },
          'range-end': { type: 'string' },
        });
        if (!values.kind) throw new UsageError('--kind is required (random, sequential, list, sscc)');
        const input: Record<string, unknown> = {
          kind: values.kind,
          gtin: values.gtin,
          markets: values.markets?.split(',').map((m) => m.trim()),
          plannedVolume: num(values['planned-volume'], 'planned-volume'),
          charset: values.charset,
          length: num(values.length, 'length'),
          prefix: values.prefix,
          start: num(values.start, 'start'),
          end: num(values.end, 'end'),
          poolId: values.id,
          label: values.label,
          companyPrefix: values['company-prefix'],
          extensionDigit: num(values['extension-digit'], 'extension-digit'),
          rangeStart: num(values['range-start'], 'range-start'),
          rangeEnd: num(values['range-end'], 'range-end'),
        };
        for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
        return withService(values, async (s) =>
          out(JSON.stringify(await s.createPool(input as unknown as SerialPoolInput), null, 2)),
        );
      },
      pools: async (rest) => {
        const { values } = parse(rest, { ...STORE_OPTS, gtin: { type: 'string' } });
        return withService(values, async (s) =>
          out(JSON.stringify(await s.listPools(values.gtin, true), null, 2)),
        );
      },
      request: async (rest) => {
        const { values } = parse(rest, {
          ...STORE_OPTS,
          gtin: { type: 'string' },
          pool: { type: 'string' },
          count: { type: 'string' },
          lot: { type: 'string' },
          expiry: { type: 'string' },
          'reserved-for': { type: 'string' },
          'request-id': { type: 'string' },
          json: { type: 'boolean' },
        });
        const count = num(values.count, 'count');
        if (count === undefined) throw new UsageError('--count is required');
        if (!values.gtin && !values.pool) throw new UsageError('--gtin (or --pool) is required');
        return withService(values, async (s) => {
          const r = await s.request({
            count,
            ...(values.gtin ? { gtin: values.gtin } : {}),
            ...(values.pool ? { poolId: values.pool } : {}),
            ...(values.lot ? { lot: values.lot } : {}),
            ...(values.expiry ? { expiry: values.expiry } : {}),
            ...(values['reserved-for'] ? { reservedFor: values['reserved-for'] } : {}),
            ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
          });
          if (r.replayed)
            err(`rxtrace serials: request ${r.requestId} was answered before: the same serials again`);
          if (values.json) out(JSON.stringify(r, null, 2));
          else if (r.serials.length) process.stdout.write(`${r.serials.join('\n')}\n`);
        });
      },
      import: async (rest) => {
        const { values, positionals } = parse(rest, { ...STORE_OPTS, pool: { type: 'string' } });
        if (positionals.length !== 1) throw new UsageError('give one FILE');
        if (!values.pool) throw new UsageError('--pool is required (a pool of kind list)');
        const text = readFileSync(positionals[0]!, 'utf8');
        const items = text.trimStart().startsWith('[')
          ? (JSON.parse(text) as (string | { serial: string; data?: Record<string, string> })[]).map((x) =>
              typeof x === 'string' ? { serial: x } : x,
            )
          : text
              .split(/\r?\n/)
              .filter((l) => l.trim() !== '')
              .map((l) => {
                const [serial, a91, a92] = l.split('\t');
                const data: Record<string, string> = {};
                if (a91) data['91'] = a91;
                if (a92) data['92'] = a92;
                return Object.keys(data).length ? { serial: serial!, data } : { serial: serial! };
              });
        return withService(values, async (s) => {
          const r = await s.importSerials(values.pool!, items);
          out(`${r.added} serials imported into ${r.poolId}; ${r.duplicates.length} already known`);
        });
      },
      reconcile: async (rest) => {
        const { values } = parse(rest, { ...STORE_OPTS, gtin: { type: 'string' }, lot: { type: 'string' } });
        if (!values.gtin) throw new UsageError('--gtin is required');
        return withService(values, async (s) =>
          out(JSON.stringify(await s.reconcile(values.gtin!, values.lot), null, 2)),
        );
      },
    },
    argv,
  );
}
