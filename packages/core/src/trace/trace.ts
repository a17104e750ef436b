/**
 * The trace of a serialized object: its whole journey — every event that named it, plus the
 * events recorded on each container while it was inside (from its aggregation events, recursively
 * up: the pallet's shipping is the pack's shipping) — in (eventTime, seq) order, with the names of
 * locations and parties from master data (and the registry when the store has one), its current
 * state and its containment tree.
 */
import { normaliseIdentifier } from '@rxtrace/epcis';
import { parseGs1 } from '@rxtrace/gs1';
import type { IdentifierRole, PackState, RxtraceStore, StoredEvent } from '@rxtrace/store';

/** The id as read: its canonical Digital Link and what it is. */
export interface ParsedTraceId {
  input: string;
  id: string;
  kind: 'sgtin' | 'sscc';
  gtin?: string;
  serial?: string;
  sscc?: string;
}

export class TraceIdError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'TraceIdError';
  }
}

const SGTIN_DL = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]+)$/;
const SSCC_DL = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

/**
 * Reads an EPC URN, a GS1 Digital Link or a GS1 element string ((01)+(21), or (00)) of a pack or
 * logistic unit. Throws `TraceIdError` with a precise message otherwise.
 */
export function parseTraceId(input: string): ParsedTraceId {
  const s = input.trim();
  if (s === '')
    throw new TraceIdError(
      'the id is empty: give an EPC URN, a GS1 Digital Link or a GS1 element string',
      input,
    );
  let id: string | undefined;
  if (/^(urn:epc:|https?:\/\/)/i.test(s)) {
    const n = normaliseIdentifier(s);
    if (SGTIN_DL.test(n) || SSCC_DL.test(n)) id = n;
  }
  if (id === undefined) {
    const r = parseGs1(s);
    if (!r.ok)
      throw new TraceIdError(
        `'${s}' is not a GS1 identifier: ${r.errors.map((e) => e.message).join('; ')}`,
        input,
      );
    const f = r.value.fields;
    if (f.sscc) id = `https://id.gs1.org/00/${f.sscc}`;
    else if (f.gtin && f.serial !== undefined)
      id = normaliseIdentifier(`https://id.gs1.org/01/${f.gtin}/21/${encodeURIComponent(f.serial)}`);
    else
      throw new TraceIdError(
        `'${s}' identifies no single object: a pack needs a GTIN (01) and a serial number (21), a logistic unit an SSCC (00)`,
        input,
      );
  }
  const m = SGTIN_DL.exec(id);
  if (m) return { input, id, kind: 'sgtin', gtin: m[1]!, serial: decodeURIComponent(m[2]!) };
  const x = SSCC_DL.exec(id);
  if (x) return { input, id, kind: 'sscc', sscc: x[1]! };
  throw new TraceIdError(`'${s}' is not the identifier of a pack (SGTIN) or a logistic unit (SSCC)`, input);
}

export interface TraceParty {
  type: string;
  id: string;
  name?: string;
}

export interface TraceStep {
  seq: number;
  eventId: string;
  eventType: string;
  action?: string;
  eventTime: string;
  recordTime: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: { id: string; name?: string };
  bizLocation?: { id: string; name?: string };
  sources: TraceParty[];
  destinations: TraceParty[];
  bizTransactions: { type: string; id: string }[];
  /** The container the event was recorded on, when it did not name the object itself (outermost last). */
  via?: { id: string; name?: string; path: string[] };
  /** How the event names the object (or its container): epc, parent, child, input, output. */
  role?: string;
  parentID?: string;
  /** Number of children of an aggregation event. */
  childCount?: number;
  /** The event was declared erroneous (an error declaration exists): it does not count in the state. */
  corrected: boolean;
}

export interface TreeNode {
  id: string;
  status?: string;
  gtin?: string;
  lot?: string;
  children: TreeNode[];
}

export interface Trace {
  id: string;
  parsed: ParsedTraceId;
  /** Current state; undefined when the object never appeared in an event. */
  state?: PackState;
  /** Containers now, nearest first. */
  ancestors: PackState[];
  /** Contents now, nested. */
  tree: TreeNode;
  /** Number of objects inside, at any depth. */
  contentCount: number;
  journey: TraceStep[];
}

const INSTANCE: IdentifierRole[] = ['epc', 'parent', 'child', 'input', 'output'];
const GONE_STEPS = new Set(['dispensing', 'destroying', 'decommissioning', 'retail_selling']);
const GONE_DISPOSITIONS = new Set(['dispensed', 'destroyed', 'disposed', 'retail_sold']);
const MAX_DEPTH = 8;
const NAME = 'urn:epcglobal:cbv:mda#name';

async function eventsOf(store: RxtraceStore, id: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.queryEvents(
      { identifiers: [{ roles: INSTANCE, values: [id] }], includeErrorDeclarations: false },
      { orderBy: 'eventTime', limit: 5000, ...(after ? { after } : {}) },
    );
    out.push(...page.events);
    after = page.next;
  } while (after && out.length < 100_000);
  return out;
}

function roleOf(e: StoredEvent, id: string): string | undefined {
  const ev = e.event;
  if (ev.parentID === id) return 'parent';
  if (ev.epcList?.includes(id)) return 'epc';
  if (ev.childEPCs?.includes(id)) return 'child';
  if (ev.inputEPCList?.includes(id)) return 'input';
  if (ev.outputEPCList?.includes(id)) return 'output';
  return undefined;
}

interface Interval {
  container: string;
  from: string;
  to: string;
}

const END = '\uffff';

/** The intervals during which `id` was inside a container, from its (time-ordered) events. */
function intervalsOf(id: string, events: StoredEvent[]): Interval[] {
  const out: Interval[] = [];
  let open: Interval | undefined;
  const close = (t: string) => {
    if (open) {
      open.to = t;
      out.push(open);
      open = undefined;
    }
  };
  for (const e of events) {
    if (e.corrected) continue;
    const ev = e.event;
    if (ev.type === 'AggregationEvent' && typeof ev.parentID === 'string' && ev.parentID !== id) {
      const named = ev.childEPCs?.includes(id) ?? false;
      if (ev.action === 'ADD' && named) {
        close(e.eventTime);
        open = { container: ev.parentID, from: e.eventTime, to: END };
      } else if (
        ev.action === 'DELETE' &&
        open?.container === ev.parentID &&
        (named || !ev.childEPCs?.length)
      ) {
        close(e.eventTime);
      }
    } else if (
      roleOf(e, id) &&
      ((ev.bizStep && GONE_STEPS.has(ev.bizStep)) ||
        (ev.disposition && GONE_DISPOSITIONS.has(ev.disposition)))
    ) {
      close(e.eventTime);
    } else if (ev.type === 'ObjectEvent' && ev.action === 'DELETE' && roleOf(e, id)) close(e.eventTime);
  }
  if (open) out.push(open);
  return out;
}

/** The full trace of an object (see the file comment). */
export async function traceObject(store: RxtraceStore, input: string): Promise<Trace | undefined> {
  const parsed = parseTraceId(input);
  const id = parsed.id;
  const cache = new Map<string, StoredEvent[]>();
  const load = async (x: string) => {
    let ev = cache.get(x);
    if (!ev) {
      ev = await eventsOf(store, x);
      cache.set(x, ev);
    }
    return ev;
  };
  const [own, stateRows, ancestors, contents] = await Promise.all([
    load(id),
    store.packs.get([id]),
    store.packs.ancestors(id),
    store.packs.descendants(id),
  ]);
  const state = stateRows[0];
  if (own.length === 0 && !state) return undefined;

  const steps = new Map<number, { e: StoredEvent; role?: string; via?: string[] }>();
  for (const e of own) steps.set(e.seq, { e, role: roleOf(e, id) });
  // Containers, recursively up, each clipped to the time the object was inside.
  const walk = async (x: string, events: StoredEvent[], from: string, to: string, path: string[]) => {
    if (path.length >= MAX_DEPTH) return;
    for (const iv of intervalsOf(x, events)) {
      const lo = iv.from > from ? iv.from : from;
      const hi = iv.to < to ? iv.to : to;
      if (lo > hi || path.includes(iv.container)) continue;
      const cevents = await load(iv.container);
      const via = [...path, iv.container];
      let end = hi;
      for (const e of cevents) {
        if (e.eventTime < lo || e.eventTime > end) continue;
        const ev = e.event;
        // emptied without naming the children: the interval ends there
        if (
          !e.corrected &&
          ev.type === 'AggregationEvent' &&
          ev.action === 'DELETE' &&
          ev.parentID === iv.container &&
          !ev.childEPCs?.length &&
          e.eventTime < end
        )
          end = e.eventTime;
        if (e.eventTime === hi && hi !== END && !steps.has(e.seq)) continue;
        if (!steps.has(e.seq)) steps.set(e.seq, { e, role: roleOf(e, iv.container), via });
      }
      await walk(iv.container, cevents, lo, end, via);
    }
  };
  await walk(id, own, '', END, []);

  const ordered = [...steps.values()].sort((a, b) =>
    a.e.eventTime < b.e.eventTime ? -1 : a.e.eventTime > b.e.eventTime ? 1 : a.e.seq - b.e.seq,
  );
  // Names of everything shown.
  const nameIds = new Set<string>();
  for (const { e, via } of ordered) {
    const ev = e.event;
    if (ev.readPoint?.id) nameIds.add(ev.readPoint.id);
    if (ev.bizLocation?.id) nameIds.add(ev.bizLocation.id);
    for (const s of ev.sourceList ?? []) nameIds.add(s.source);
    for (const d of ev.destinationList ?? []) nameIds.add(d.destination);
    for (const v of via ?? []) nameIds.add(v);
  }
  if (state?.location) nameIds.add(state.location);
  if (state?.owner) nameIds.add(state.owner);
  if (state?.possessor) nameIds.add(state.possessor);
  const names = await namesOf(store, [...nameIds]);
  const named = (x: string) => {
    const n = names.get(x);
    return n === undefined ? { id: x } : { id: x, name: n };
  };

  const journey: TraceStep[] = ordered.map(({ e, role, via }) => {
    const ev = e.event;
    const step: TraceStep = {
      seq: e.seq,
      eventId: e.eventId,
      eventType: e.eventType,
      eventTime: e.eventTime,
      recordTime: e.recordTime,
      sources: (ev.sourceList ?? []).map((s) => ({ type: s.type, ...named(s.source) })),
      destinations: (ev.destinationList ?? []).map((d) => ({ type: d.type, ...named(d.destination) })),
      bizTransactions: (ev.bizTransactionList ?? []).map((b) => ({
        type: b.type ?? '',
        id: b.bizTransaction,
      })),
      corrected: e.corrected,
    };
    if (ev.action) step.action = ev.action;
    if (ev.bizStep) step.bizStep = ev.bizStep;
    if (ev.disposition) step.disposition = ev.disposition;
    if (ev.readPoint?.id) step.readPoint = named(ev.readPoint.id);
    if (ev.bizLocation?.id) step.bizLocation = named(ev.bizLocation.id);
    if (role) step.role = role;
    if (typeof ev.parentID === 'string') step.parentID = ev.parentID;
    if (Array.isArray(ev.childEPCs)) step.childCount = ev.childEPCs.length;
    if (via) step.via = { ...named(via[0]!), path: via };
    return step;
  });

  const tree: TreeNode = { id, children: [] };
  if (state?.status) tree.status = state.status;
  const nodes = new Map<string, TreeNode>([[id, tree]]);
  for (const r of contents) {
    const n: TreeNode = { id: r.id, children: [] };
    if (r.status) n.status = r.status;
    if (r.gtin) n.gtin = r.gtin;
    if (r.lot) n.lot = r.lot;
    nodes.set(r.id, n);
    nodes.get(r.parent!)?.children.push(n);
  }
  const out: Trace = { id, parsed, ancestors, tree, contentCount: contents.length, journey };
  if (state) out.state = state;
  return out;
}

/**
 * Display names: EPCIS master data (attribute `urn:epcglobal:cbv:mda#name`), then the registry's
 * `displayNames` when the store has a registry (its names win: they are the curated ones).
 */
export async function namesOf(store: RxtraceStore, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  for (const el of await store.getMasterData(undefined, ids)) {
    const a = el.attributes?.find((x) => x.id === NAME || x.id === 'cbvmda:name');
    if (a && typeof a.attribute === 'string' && !names.has(el.id)) names.set(el.id, a.attribute);
  }
  // Registry integration point: names of products, locations and partners.
  const registry = (
    store as { registry?: { displayNames?: (ids: string[]) => Promise<Map<string, string>> } }
  ).registry;
  if (registry && typeof registry.displayNames === 'function') {
    try {
      for (const [k, v] of await registry.displayNames(ids)) names.set(k, v);
    } catch {
      // the registry's tables may be missing on an older schema: master data names stay
    }
  }
  return names;
}
