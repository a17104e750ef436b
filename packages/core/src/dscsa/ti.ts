/**
 * DSCSA transaction information (TI) and transaction statement (TS) of a shipment, and the
 * transaction history of a pack.
 *
 * A shipment is a shipping event (bizStep `shipping`) of the log: found by its eventID, or by a
 * bizTransaction id it carries (despatch advice, PO, invoice). Its packs are the SGTINs it names
 * and those inside the containers it names, as they were at the shipment's eventTime (from the
 * aggregation events, not the current state). Lot and expiry come from the pack state (the
 * commissioning ILMD), NDC and names from the registry, parties from the event's source and
 * destination lists (owning_party = seller/buyer, location = ship from/to) completed by the registry.
 */
import { locationId, type Product, type RxtraceStore, type Stored, type StoredEvent } from '@rxtrace/store';
import { traceObject } from '../trace/trace.ts';
import {
  allEvents,
  bare,
  contentsAt,
  decodeSerial,
  glnOf,
  leavesOf,
  SGTIN_RE,
  topObjects,
} from './common.ts';

export interface TiParty {
  /** The id as the event gives it. */
  id: string;
  gln?: string;
  name?: string;
  address?: { street?: string; city?: string; postalCode?: string; country: string };
  /** Licence or registration from the registry. */
  licence?: { number: string; authority: string; expiry?: string };
  /** Authorised trading partner on the transaction date (parties only; undefined: not a registered party). */
  authorised?: boolean;
}

export interface TiProductLine {
  gtin: string;
  ndc?: string;
  name?: string;
  strength?: string;
  dosageForm?: string;
  /** Units in one pack. */
  packSize?: number;
  lot?: string;
  /** YYYY-MM-DD. */
  expiry?: string;
  /** Number of packs of this GTIN and lot. */
  quantity: number;
  /** The product identifiers: serial numbers of the packs. */
  serials: string[];
  /** Canonical Digital Links of the packs. */
  ids: string[];
}

export interface TransactionInformation {
  shipmentEventId: string;
  /** eventTime of the shipping event. */
  shipmentDate: string;
  /** `rx:transactionDate` of the event when given, else the shipment date. */
  transactionDate: string;
  bizTransactions: { type: string; id: string }[];
  seller?: TiParty;
  buyer?: TiParty;
  shipFrom?: TiParty;
  shipTo?: TiParty;
  /** By GTIN then lot. */
  products: TiProductLine[];
  /** Containers the shipping event names (SSCCs, cases) with the packs inside each. */
  containers: { id: string; packs: number }[];
  packCount: number;
  statement: TransactionStatement;
  generatedAt: string;
}

export interface TransactionStatement {
  /** Who makes the statement (the seller). */
  by?: string;
  /** The statement's points, in plain words. */
  points: string[];
  text: string;
}

/** The points of the DSCSA transaction statement (section 581(27)), in our own words. */
export const TRANSACTION_STATEMENT_POINTS: readonly string[] = Object.freeze([
  'is authorized as the Drug Supply Chain Security Act requires;',
  'received the product from a person authorized as that Act requires;',
  'received transaction information and a transaction statement for the product from its prior owner, as section 582 requires;',
  'did not knowingly ship a suspect or illegitimate product;',
  'has systems and processes in place to meet the verification requirements of section 582;',
  'did not knowingly provide false transaction information; and',
  'did not knowingly alter the transaction history.',
]);

export function transactionStatement(seller: string | undefined): TransactionStatement {
  const who = seller ?? 'The seller';
  const points = [...TRANSACTION_STATEMENT_POINTS];
  return {
    ...(seller ? { by: seller } : {}),
    points,
    text: `${who}, transferring ownership of the product listed in this transaction information, states that it ${points.join(' ')}`,
  };
}

/** The shipping events of a reference: an eventID, or a bizTransaction id (any type). */
export async function findShipments(store: RxtraceStore, ref: string): Promise<StoredEvent[]> {
  const byId = await allEvents(store, { eventIds: [ref], bizSteps: ['shipping'] });
  if (byId.length) return byId.filter((e) => !e.corrected);
  const found: StoredEvent[] = [];
  for (const type of ['desadv', 'po', 'inv', 'bol', 'poc', 'prodorder', 'rma', 'cert', 'pedigree', '']) {
    const r = await allEvents(store, {
      bizSteps: ['shipping'],
      references: [{ kind: 'bizTransaction', type, values: [ref] }],
    });
    found.push(...r.filter((e) => !e.corrected));
  }
  return found;
}

function refsOf(e: StoredEvent, kind: 'sourceList' | 'destinationList'): { type: string; id: string }[] {
  const list =
    (e.event[kind] as { type?: string; source?: string; destination?: string }[] | undefined) ?? [];
  return list.map((x) => ({ type: bare(x.type) ?? '', id: (x.source ?? x.destination ?? '') as string }));
}

export function bizTransactionsOf(e: StoredEvent): { type: string; id: string }[] {
  const list = (e.event.bizTransactionList as { type?: string; bizTransaction: string }[] | undefined) ?? [];
  return list.map((b) => ({ type: bare(b.type) ?? '', id: b.bizTransaction }));
}

async function party(
  store: RxtraceStore,
  ref: { type: string; id: string } | undefined,
  at: Date,
): Promise<TiParty | undefined> {
  if (!ref) return undefined;
  const gln = glnOf(ref.id);
  const out: TiParty = { id: ref.id, ...(gln ? { gln } : {}) };
  if (!gln) return out;
  if (ref.type === 'location') {
    const ext = /\/254\/([^/]+)$/.exec(ref.id)?.[1];
    const loc =
      (await store.registry.getLocation(locationId(gln, ext ? decodeSerial(ext) : undefined))) ??
      (await store.registry.getLocation(locationId(gln)));
    if (loc) {
      out.name = loc.name;
      if (loc.address) out.address = loc.address;
    }
    return out;
  }
  const p = await store.registry.getPartner(gln);
  if (p) {
    out.name = p.name;
    if (p.licence)
      out.licence = {
        number: p.licence.number,
        authority: p.licence.authority,
        ...(p.licence.expiry ? { expiry: p.licence.expiry } : {}),
      };
    out.authorised = await store.registry.isAuthorised(gln, at);
    const loc = await store.registry.getLocation(locationId(gln));
    if (loc?.address) out.address = loc.address;
  } else out.authorised = false;
  return out;
}

/** Products of the registry by GTIN (cached per call). */
export function productCache(store: RxtraceStore): (gtin: string) => Promise<Stored<Product> | undefined> {
  const cache = new Map<string, Promise<Stored<Product> | undefined>>();
  return (gtin) => {
    let p = cache.get(gtin);
    if (!p) {
      p = store.registry.productOf(gtin).then((l) => l?.product);
      cache.set(gtin, p);
    }
    return p;
  };
}

/** The packs a shipping event carried, with the containers (as they were at its eventTime). */
export async function shipmentContents(
  store: RxtraceStore,
  e: StoredEvent,
): Promise<{ packs: string[]; containers: { id: string; packs: string[] }[]; tree: Map<string, string[]> }> {
  const tops = topObjects(e);
  const tree = await contentsAt(store, tops, e.eventTime);
  const packs = new Set<string>();
  const containers: { id: string; packs: string[] }[] = [];
  for (const t of tops) {
    const leaves = leavesOf(t, tree).filter((x) => SGTIN_RE.test(x));
    for (const l of leaves) packs.add(l);
    if (tree.has(t)) containers.push({ id: t, packs: leaves });
  }
  return { packs: [...packs], containers, tree };
}

/** The TI and TS of one shipping event. */
export async function transactionInformation(
  store: RxtraceStore,
  e: StoredEvent,
): Promise<TransactionInformation> {
  const { packs, containers } = await shipmentContents(store, e);
  const states = new Map((await store.packs.get(packs)).map((s) => [s.id, s]));
  const product = productCache(store);
  const groups = new Map<string, TiProductLine>();
  for (const id of packs) {
    const m = SGTIN_RE.exec(id)!;
    const gtin = m[1]!;
    const st = states.get(id);
    const key = `${gtin}\u0000${st?.lot ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      const p = await product(gtin);
      g = {
        gtin,
        ...(p?.ndc ? { ndc: p.ndc } : {}),
        ...(p?.name ? { name: p.name } : {}),
        ...(p?.strength ? { strength: p.strength } : {}),
        ...(p?.dosageForm ? { dosageForm: p.dosageForm } : {}),
        ...(p?.packSize ? { packSize: p.packSize } : {}),
        ...(st?.lot ? { lot: st.lot } : {}),
        ...(st?.expiry ? { expiry: st.expiry } : {}),
        quantity: 0,
        serials: [],
        ids: [],
      };
      groups.set(key, g);
    }
    g.quantity++;
    g.serials.push(decodeSerial(m[2]!));
    g.ids.push(id);
  }
  const products = [...groups.values()].sort((a, b) =>
    a.gtin === b.gtin ? (a.lot ?? '').localeCompare(b.lot ?? '') : a.gtin < b.gtin ? -1 : 1,
  );
  for (const p of products) {
    const order = p.ids.map((_, i) => i).sort((a, b) => (p.ids[a]! < p.ids[b]! ? -1 : 1));
    p.ids = order.map((i) => p.ids[i]!);
    p.serials = order.map((i) => p.serials[i]!);
  }
  const at = new Date(e.eventTime);
  const src = refsOf(e, 'sourceList');
  const dst = refsOf(e, 'destinationList');
  const pick = (l: { type: string; id: string }[], t: string) => l.find((x) => x.type === t);
  const seller = await party(store, pick(src, 'owning_party') ?? pick(src, 'possessing_party'), at);
  const buyer = await party(store, pick(dst, 'owning_party') ?? pick(dst, 'possessing_party'), at);
  const txDate = e.event['rx:transactionDate'];
  return {
    shipmentEventId: e.eventId,
    shipmentDate: e.eventTime,
    transactionDate: typeof txDate === 'string' ? txDate : e.eventTime,
    bizTransactions: bizTransactionsOf(e),
    ...(seller ? { seller } : {}),
    ...(buyer ? { buyer } : {}),
    ...(pick(src, 'location') ? { shipFrom: (await party(store, pick(src, 'location'), at))! } : {}),
    ...(pick(dst, 'location') ? { shipTo: (await party(store, pick(dst, 'location'), at))! } : {}),
    products,
    containers: containers.map((c) => ({ id: c.id, packs: c.packs.length })),
    packCount: packs.length,
    statement: transactionStatement(seller?.name),
    generatedAt: new Date().toISOString(),
  };
}

export interface TransactionHistoryEntry {
  shipmentEventId: string;
  shipmentDate: string;
  bizTransactions: { type: string; id: string }[];
  from?: { id: string; name?: string };
  to?: { id: string; name?: string };
  /** The container the pack travelled in, when the shipment named a container. */
  via?: string;
}

export interface TransactionHistory {
  id: string;
  gtin?: string;
  ndc?: string;
  name?: string;
  lot?: string;
  expiry?: string;
  /** The chain of changes of ownership (shipments), oldest first. */
  transactions: TransactionHistoryEntry[];
}

/** The transaction history of a pack: every shipment that carried it (directly or in a container). */
export async function transactionHistory(
  store: RxtraceStore,
  input: string,
): Promise<TransactionHistory | undefined> {
  const t = await traceObject(store, input);
  if (!t) return undefined;
  const gtin = t.state?.gtin;
  const p = gtin ? await productCache(store)(gtin) : undefined;
  const transactions: TransactionHistoryEntry[] = [];
  for (const s of t.journey) {
    if (s.corrected || bare(s.bizStep) !== 'shipping') continue;
    const owner = (l: typeof s.sources) =>
      l.find((x) => bare(x.type) === 'owning_party') ??
      l.find((x) => bare(x.type) === 'possessing_party') ??
      l[0];
    const from = owner(s.sources);
    const to = owner(s.destinations);
    transactions.push({
      shipmentEventId: s.eventId,
      shipmentDate: s.eventTime,
      bizTransactions: s.bizTransactions,
      ...(from ? { from: { id: from.id, ...(from.name ? { name: from.name } : {}) } } : {}),
      ...(to ? { to: { id: to.id, ...(to.name ? { name: to.name } : {}) } } : {}),
      ...(s.via ? { via: s.via.id } : {}),
    });
  }
  return {
    id: t.id,
    ...(gtin ? { gtin } : {}),
    ...(p?.ndc ? { ndc: p.ndc } : {}),
    ...(p?.name ? { name: p.name } : {}),
    ...(t.state?.lot ? { lot: t.state.lot } : {}),
    ...(t.state?.expiry ? { expiry: t.state.expiry } : {}),
    transactions,
  };
}
