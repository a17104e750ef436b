/** Helpers shared by the DSCSA parts: event reads, CBV words, parties, contents at a time. */
import { normaliseIdentifier } from '@rxtrace/epcis';
import type { RxtraceStore, StoredEvent } from '@rxtrace/store';

/** A CBV value's bare word (`shipping` for `urn:epcglobal:cbv:bizstep:shipping` or the web URI). */
export function bare(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /[:/#]([A-Za-z_]+)$/.exec(v);
  return m ? m[1] : v;
}

/** The 13-digit GLN of a party / location id (Digital Link 414 / 417, SGLN or PGLN URN), if any. */
export function glnOf(id: string | undefined): string | undefined {
  if (!id) return undefined;
  let c = id;
  try {
    c = normaliseIdentifier(id);
  } catch {
    /* keep as given */
  }
  const m = /\/(?:414|417)\/(\d{13})/.exec(c);
  return m ? m[1] : undefined;
}

/** `t` plus one millisecond (an exclusive bound that includes `t`). */
export function justAfter(t: string): string {
  return new Date(Date.parse(t) + 1).toISOString();
}

/** All events matching the filter, in eventTime order (error declarations excluded). */
export async function allEvents(
  store: RxtraceStore,
  filter: Parameters<RxtraceStore['queryEvents']>[0],
  max = 200_000,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.queryEvents(
      { includeErrorDeclarations: false, ...filter },
      { orderBy: 'eventTime', limit: 2000, ...(after ? { after } : {}) },
    );
    out.push(...page.events);
    after = page.next;
  } while (after && out.length < max);
  return out;
}

/**
 * What each container held at `at` (aggregation events up to and including `at`, corrected ones
 * ignored), level by level below `roots`. Map container → children (only containers that held
 * something); objects without an entry are leaves.
 */
export async function contentsAt(
  store: RxtraceStore,
  roots: string[],
  at: string,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const seen = new Set(roots);
  let level = [...roots];
  for (let depth = 0; level.length && depth < 10; depth++) {
    const events = await allEvents(store, {
      eventTypes: ['AggregationEvent'],
      identifiers: [{ roles: ['parent'], values: level }],
      eventTime: { lt: justAfter(at) },
    });
    const sets = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.corrected) continue;
      const ev = e.event;
      const parent = ev.parentID as string | undefined;
      if (!parent) continue;
      let s = sets.get(parent);
      if (!s) sets.set(parent, (s = new Set()));
      const kids = (ev.childEPCs as string[] | undefined) ?? [];
      if (ev.action === 'ADD' || ev.action === 'OBSERVE') for (const k of kids) s.add(k);
      else if (ev.action === 'DELETE') {
        if (kids.length === 0) s.clear();
        else for (const k of kids) s.delete(k);
      }
    }
    const next: string[] = [];
    for (const [p, s] of sets) {
      if (s.size === 0) continue;
      out.set(p, [...s]);
      for (const k of s)
        if (!seen.has(k)) {
          seen.add(k);
          next.push(k);
        }
    }
    level = next;
  }
  return out;
}

/** The leaves below each root (a root without contents is its own leaf). */
export function leavesOf(root: string, tree: Map<string, string[]>): string[] {
  const out: string[] = [];
  const stack = [root];
  const seen = new Set<string>();
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    const kids = tree.get(x);
    if (kids?.length) stack.push(...kids);
    else out.push(x);
  }
  return out;
}

/** The objects an event names at the top (epcList, parentID of an aggregation, outputs). */
export function topObjects(e: StoredEvent): string[] {
  const ev = e.event;
  if (ev.type === 'AggregationEvent') {
    const p = ev.parentID as string | undefined;
    return p ? [p] : ((ev.childEPCs as string[] | undefined) ?? []);
  }
  if (ev.type === 'TransformationEvent') return (ev.outputEPCList as string[] | undefined) ?? [];
  return (ev.epcList as string[] | undefined) ?? [];
}

export const SGTIN_RE = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/(.+)$/;

/** A percent-encoded path segment, decoded (as given when it is not valid encoding). */
export function decodeSerial(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
