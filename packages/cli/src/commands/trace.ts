/**
 * `rxtrace trace <id>`: the journey of a pack or logistic unit as a readable timeline (time, step,
 * disposition, where, who, via which container), its current state and containment tree.
 * `rxtrace inventory`: counts of trade items by location / GTIN / lot / status, or the list.
 * Both read the store `rxtrace serve` runs on (--data DIR | --db URL).
 */
import { type Trace, TraceIdError, type TreeNode, traceObject } from '@rxtrace/core';
import { INVENTORY_FIELDS, type InventoryField, type InventoryFilter, isRxtraceStore } from '@rxtrace/store';
import { err, out, parse, UsageError } from '../args.ts';
import { openStore } from './store.ts';

export const TRACE_HELP = `rxtrace trace — the journey of a pack or logistic unit

Usage:
  rxtrace trace <id> [--json]     id: EPC URN, GS1 Digital Link or element string ((01)…(21)… or (00)…)

Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

export const INVENTORY_HELP = `rxtrace inventory — counts of packs by location, GTIN, lot and status

Usage:
  rxtrace inventory [--by location,gtin,lot,status] [--location ID] [--gtin GTIN] [--lot LOT] [--status S]
  rxtrace inventory --items [filters] [--limit N]      the packs behind a count
  add --json for JSON output

Store options (as for 'rxtrace serve'): --data DIR (default ./data) | --db postgres://…
`;

const STORE_OPTS = {
  data: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function withStore<T>(
  values: { data?: string; db?: string },
  f: (s: import('@rxtrace/store').RxtraceStore) => Promise<T>,
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

function short(id: string | undefined, names: Map<string, string>): string {
  if (!id) return '';
  return names.get(id) ?? id.replace(/^https:\/\/id\.gs1\.org\//, '');
}

/** The timeline as text. */
export function formatTrace(t: Trace): string {
  const lines: string[] = [];
  const names = new Map<string, string>();
  for (const s of t.journey) {
    for (const x of [s.bizLocation, s.readPoint, s.via, ...s.sources, ...s.destinations])
      if (x?.name) names.set(x.id, x.name);
  }
  lines.push(`${t.parsed.kind === 'sscc' ? 'SSCC' : 'Pack'} ${t.id}`);
  if (t.parsed.gtin) lines.push(`  GTIN ${t.parsed.gtin}  serial ${t.parsed.serial}`);
  lines.push('', 'Journey:');
  for (const s of t.journey) {
    const who = [
      ...s.sources.filter((x) => /owning/.test(x.type)).map((x) => `from ${short(x.id, names)}`),
      ...s.destinations.filter((x) => /owning/.test(x.type)).map((x) => `to ${short(x.id, names)}`),
    ].join(' ');
    const step = `${s.bizStep ?? s.eventType}${s.action && s.action !== 'OBSERVE' ? ` (${s.action})` : ''}`;
    const parts = [
      s.eventTime.replace('T', ' ').replace(/\.000Z$/, 'Z'),
      step.padEnd(22),
      (s.disposition ?? '').padEnd(18),
      short(s.bizLocation?.id ?? s.readPoint?.id, names),
    ];
    let line = `  ${parts.join('  ')}`;
    if (who) line += `  ${who}`;
    if (s.via) line += `  [via ${s.via.path.map((p) => short(p, names)).join(' in ')}]`;
    if (s.childCount !== undefined && !s.via)
      line += `  [${s.childCount} item${s.childCount === 1 ? '' : 's'}]`;
    if (s.corrected) line += '  CORRECTED (error declaration)';
    lines.push(line);
  }
  lines.push('', 'Now:');
  const st = t.state;
  if (st) {
    lines.push(
      `  status ${st.status ?? '?'}  disposition ${st.disposition ?? '-'}  at ${short(st.location, names) || '-'}`,
    );
    if (st.owner || st.possessor)
      lines.push(`  owner ${short(st.owner, names) || '-'}  possessor ${short(st.possessor, names) || '-'}`);
    if (st.lot || st.expiry) lines.push(`  lot ${st.lot ?? '-'}  expiry ${st.expiry ?? '-'}`);
  }
  if (t.ancestors.length) lines.push(`  inside ${t.ancestors.map((a) => short(a.id, names)).join(' in ')}`);
  if (t.contentCount > 0) {
    lines.push(`  contains ${t.contentCount} object${t.contentCount === 1 ? '' : 's'}:`);
    const walk = (n: TreeNode, depth: number) => {
      const shown = n.children.slice(0, 20);
      for (const c of shown) {
        lines.push(
          `  ${'  '.repeat(depth)}${short(c.id, names)}  ${c.status ?? ''}${c.children.length ? `  (${c.children.length})` : ''}`,
        );
        if (depth < 2) walk(c, depth + 1);
      }
      if (n.children.length > shown.length)
        lines.push(`  ${'  '.repeat(depth)}… ${n.children.length - shown.length} more`);
    };
    walk(t.tree, 1);
  }
  return lines.join('\n');
}

export async function traceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, STORE_OPTS);
  if (values.help) {
    out(TRACE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give one id (rxtrace trace <id>)');
  try {
    return await withStore(values, async (store) => {
      const t = await traceObject(store, positionals[0]!);
      if (!t) {
        err(`rxtrace trace: no event names ${positionals[0]}`);
        return 1;
      }
      out(values.json ? JSON.stringify(t, null, 2) : formatTrace(t));
      return 0;
    });
  } catch (e) {
    if (e instanceof TraceIdError) {
      err(`rxtrace trace: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

export async function inventoryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...STORE_OPTS,
    by: { type: 'string' },
    location: { type: 'string' },
    gtin: { type: 'string' },
    lot: { type: 'string' },
    status: { type: 'string' },
    items: { type: 'boolean' },
    limit: { type: 'string' },
  });
  if (values.help) {
    out(INVENTORY_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const by = (values.by ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const b of by)
    if (!INVENTORY_FIELDS.includes(b as InventoryField))
      throw new UsageError(`--by: '${b}' is not one of ${INVENTORY_FIELDS.join(', ')}`);
  const filter: InventoryFilter = {};
  for (const k of INVENTORY_FIELDS) if (values[k] !== undefined) filter[k] = values[k];
  const limit = values.limit === undefined ? 1000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
  return withStore(values, async (store) => {
    if (values.items) {
      let after: string | undefined;
      let left = limit;
      do {
        const page = await store.packs.items(filter, {
          limit: Math.min(left, 1000),
          ...(after ? { after } : {}),
        });
        for (const i of page.items)
          out(
            values.json
              ? JSON.stringify(i)
              : `${i.id}  ${i.status ?? ''}  ${i.lot ?? ''}  ${i.location ?? ''}`,
          );
        left -= page.items.length;
        after = page.next;
      } while (after && left > 0);
      return 0;
    }
    const counts = await store.packs.inventory(by as InventoryField[], filter);
    if (values.json) out(JSON.stringify(counts));
    else {
      for (const c of counts)
        out(
          `${String(c.count).padStart(10)}  ${by.map((b) => c.key[b as InventoryField] ?? '-').join('  ')}`,
        );
      if (by.length) out(`${String(counts.reduce((n, c) => n + c.count, 0)).padStart(10)}  total`);
    }
    return 0;
  });
}
