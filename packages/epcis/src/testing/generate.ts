/**
 * Realistic, seeded EPCIS 2.0 documents for tests and benchmarks — the pharma supply chain in
 * miniature. For every pallet:
 *
 *  1. per case: an ObjectEvent ADD `commissioning` of the case's packs (SGTINs) with ILMD (lot,
 *     expiry), then an AggregationEvent ADD `packing` of the packs into the case (SSCC parent);
 *  2. an AggregationEvent ADD `packing` of the cases into the pallet (SSCC parent);
 *  3. an ObjectEvent OBSERVE `shipping` of the pallet with purchase order / despatch advice /
 *     invoice, owning party and location as source and destination;
 *  4. an ObjectEvent OBSERVE `receiving` of the pallet at the wholesaler.
 *
 * Identical options give identical documents. Events are generated lazily, and the JSON text comes
 * out in pieces ({@link generateEpcisJsonParts}) or chunks ({@link generateEpcisJsonChunks}), so a
 * document with a million EPCs is never one string in memory. Not exported from the package index:
 * import `@rxtrace/epcis/src/testing/generate.ts` (or the `./testing` export).
 */
import { Buffer } from 'node:buffer';
import type { EPCISAnyDocument, EPCISEvent, Vocabulary } from '../model.ts';
import type { EpcisDocumentHeader } from '../read-items.ts';
import { writeEpcisXml } from '../xml/index.ts';

export interface GenerateOptions {
  /** PRNG seed. Default 1. */
  seed?: number;
  documentType?: 'EPCISDocument' | 'EPCISQueryDocument';
  /** Default 1. */
  pallets?: number;
  /** Default 4. */
  casesPerPallet?: number;
  /** Packs per case. Default 10. */
  itemsPerCase?: number;
  /** Which steps to include; default all. `packing` off = no AggregationEvents. */
  steps?: { commissioning?: boolean; packing?: boolean; shipping?: boolean; receiving?: boolean };
  /** Identifiers as EPC URNs (default) or GS1 Digital Link URIs. */
  epcFormat?: 'urn' | 'dl';
  /** Master data (locations, parties) in `epcisHeader` (EPCISDocument only). Default true. */
  masterData?: boolean;
  /**
   * Where header members go: `before` the body (default), `after` it (every member but `@context`
   * and `type`, and `queryName` after `resultsBody`), or `split` (`schemaVersion` before, the rest after).
   */
  headerPosition?: 'before' | 'after' | 'split';
  /** Indented text (two spaces). Default false (compact). */
  pretty?: boolean;
  /** Non-ASCII text (a user extension on shipping events, names in master data). Default true. */
  unicode?: boolean;
  /** eventTime of the first event. Default 2024-03-04T06:00:00.000Z. */
  startTime?: string;
}

export interface GeneratedCounts {
  events: number;
  /** EPCs written in epcList / childEPCs (an EPC counts each time it is written). */
  epcs: number;
}

// ---------------------------------------------------------------------------------------------
// seeded randomness (sfc32)

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let k = 0; k < 15; k++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  /** A random (version 4 form) UUID URN. */
  uuidUrn(): string {
    const h = (x: number, len: number): string => x.toString(16).padStart(len, '0').slice(-len);
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    return `urn:uuid:${h(a, 8)}-${h(b >>> 16, 4)}-4${h(b & 0xfff, 3)}-${h(0x8000 | (c >>> 18), 4)}-${h(c & 0xffff, 4)}${h(d, 8)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// identifiers

function checkDigit(digits: string): string {
  let sum = 0;
  let w = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * w;
    w = 4 - w;
  }
  return String((10 - (sum % 10)) % 10);
}

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O: as printed on packs

interface Party {
  name: string;
  /** 7-digit GS1 company prefix */
  prefix: string;
  /** 5-digit location reference of the site */
  site: string;
  /** 5-digit location reference of the dock / line read point */
  readPoint: string;
  city: string;
}

const MANUFACTURERS: readonly Party[] = [
  { name: 'Nordpharma Werk Hameln', prefix: '4012345', site: '00001', readPoint: '00011', city: 'Hameln' },
  {
    name: 'Laboratoires Sainte-Hélène',
    prefix: '3012345',
    site: '00007',
    readPoint: '00071',
    city: 'Saint-Étienne',
  },
  {
    name: 'Acme Pharmaceuticals Plant 2',
    prefix: '0614141',
    site: '00777',
    readPoint: '00778',
    city: 'Raleigh',
  },
];
const WHOLESALERS: readonly Party[] = [
  { name: 'Großhandel Süd', prefix: '4098765', site: '00100', readPoint: '00101', city: 'München' },
  { name: '東京薬品卸 Tokyo DC', prefix: '4512345', site: '00020', readPoint: '00021', city: '東京' },
  {
    name: 'Midwest Drug Distribution',
    prefix: '0312345',
    site: '00300',
    readPoint: '00301',
    city: 'Columbus',
  },
];
const PRODUCTS = ['10734', '20311', '31007', '44520', '50068', '61234'];
const OFFSETS = ['+01:00', '+02:00', '-05:00', '+09:00', '+00:00'];

// ---------------------------------------------------------------------------------------------
// the plan

interface Plan {
  opts: Required<Omit<GenerateOptions, 'steps' | 'startTime'>> & { startMs: number };
  steps: Required<NonNullable<GenerateOptions['steps']>>;
  maker: Party;
  buyer: Party;
}

function plan(o: GenerateOptions): Plan {
  const seed = o.seed ?? 1;
  const rnd = new SeededRandom(seed ^ 0x5bd1e995);
  const startMs = Date.parse(o.startTime ?? '2024-03-04T06:00:00.000Z');
  return {
    opts: {
      seed,
      documentType: o.documentType ?? 'EPCISDocument',
      pallets: o.pallets ?? 1,
      casesPerPallet: o.casesPerPallet ?? 4,
      itemsPerCase: o.itemsPerCase ?? 10,
      epcFormat: o.epcFormat ?? 'urn',
      masterData: o.masterData ?? true,
      headerPosition: o.headerPosition ?? 'before',
      pretty: o.pretty ?? false,
      unicode: o.unicode ?? true,
      startMs: Number.isFinite(startMs) ? startMs : Date.UTC(2024, 2, 4, 6),
    },
    steps: {
      commissioning: o.steps?.commissioning ?? true,
      packing: o.steps?.packing ?? true,
      shipping: o.steps?.shipping ?? true,
      receiving: o.steps?.receiving ?? true,
    },
    maker: rnd.pick(MANUFACTURERS),
    buyer: rnd.pick(WHOLESALERS),
  };
}

/** How many events and EPCs a document with these options has. */
export function countGenerated(o: GenerateOptions = {}): GeneratedCounts {
  const { opts, steps } = plan(o);
  const cases = opts.pallets * opts.casesPerPallet;
  const items = cases * opts.itemsPerCase;
  let events = 0;
  let epcs = 0;
  if (steps.commissioning) {
    events += cases;
    epcs += items;
  }
  if (steps.packing) {
    events += cases + opts.pallets;
    epcs += items + cases;
  }
  if (steps.shipping) {
    events += opts.pallets;
    epcs += opts.pallets;
  }
  if (steps.receiving) {
    events += opts.pallets;
    epcs += opts.pallets;
  }
  return { events, epcs };
}

function isoTime(ms: number, offset: string): string {
  // eventTime written in the local offset, as a line system would
  const sign = offset[0] === '-' ? -1 : 1;
  const mins = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(ms + mins * 60000).toISOString();
  return `${local.slice(0, 23)}${offset === '+00:00' ? 'Z' : offset}`;
}

/** The events of the document, one at a time. */
export function* generateEpcisEvents(o: GenerateOptions = {}): Generator<EPCISEvent> {
  const { opts, steps, maker, buyer } = plan(o);
  const rnd = new SeededRandom(opts.seed);
  const dl = opts.epcFormat === 'dl';
  const serialMask = rnd.u32();
  let serialCounter = 0;
  let ssccCounter = rnd.int(1_000_000);
  let t = opts.startMs;
  const offset = rnd.pick(OFFSETS);
  const buyerOffset = rnd.pick(OFFSETS);
  const sgln = (p: Party, loc: string): string =>
    dl
      ? `https://id.gs1.org/414/${p.prefix}${loc}${checkDigit(p.prefix + loc)}`
      : `urn:epc:id:sgln:${p.prefix}.${loc}.0`;
  const pgln = (p: Party): string =>
    dl
      ? `https://id.gs1.org/417/${p.prefix}00000${checkDigit(`${p.prefix}00000`)}`
      : `urn:epc:id:pgln:${p.prefix}.00000`;
  const sscc = (): string => {
    const ref = `0${String(ssccCounter++ % 1_000_000_000).padStart(9, '0')}`; // extension digit 0 + 9 digits
    if (!dl) return `urn:epc:id:sscc:${maker.prefix}.${ref}`;
    const body = `${ref[0]}${maker.prefix}${ref.slice(1)}`;
    return `https://id.gs1.org/00/${body}${checkDigit(body)}`;
  };
  const serial = (): string => {
    // a bijection of the counter, so serials look random but never repeat
    // (three free characters, then seven that are unique)
    let x = (Math.imul(serialCounter++ ^ serialMask, 0x2c1b3c6d) ^ serialMask) >>> 0;
    let out = '';
    for (let k = 0; k < 7; k++) {
      out = SERIAL_ALPHABET[x % 34] + out;
      x = Math.floor(x / 34);
    }
    const r = rnd.u32();
    return `${SERIAL_ALPHABET[r % 34]}${SERIAL_ALPHABET[(r >>> 8) % 34]}${SERIAL_ALPHABET[(r >>> 16) % 34]}${out}`;
  };
  const sgtin = (itemRef: string, s: string): string => {
    if (!dl) return `urn:epc:id:sgtin:${maker.prefix}.0${itemRef}.${s}`;
    const body = `0${maker.prefix}${itemRef}`;
    return `https://id.gs1.org/01/${body}${checkDigit(body)}/21/${s}`;
  };
  const tick = (minSec: number, maxSec: number): number => {
    t += (minSec + rnd.int(maxSec - minSec + 1)) * 1000 + rnd.int(1000);
    return t;
  };
  const base = (type: string, ms: number, off: string): EPCISEvent => ({
    type,
    eventTime: isoTime(ms, off),
    eventTimeZoneOffset: off,
    eventID: rnd.uuidUrn(),
  });
  const lineRead = { id: sgln(maker, maker.readPoint) };
  const plant = { id: sgln(maker, maker.site) };

  for (let p = 0; p < opts.pallets; p++) {
    const product = rnd.pick(PRODUCTS);
    const lot = `L${String(24 + rnd.int(2))}${SERIAL_ALPHABET[10 + rnd.int(12)]}${String(rnd.int(1000)).padStart(3, '0')}`;
    const expiryYear = 2026 + rnd.int(3);
    const expiryMonth = 1 + rnd.int(12);
    const expiry = new Date(Date.UTC(expiryYear, expiryMonth, 0)).toISOString().slice(0, 10); // last day of the month
    const cases: string[] = [];
    for (let c = 0; c < opts.casesPerPallet; c++) {
      const items: string[] = new Array(opts.itemsPerCase);
      for (let k = 0; k < opts.itemsPerCase; k++) items[k] = sgtin(product, serial());
      if (steps.commissioning) {
        yield {
          ...base('ObjectEvent', tick(20, 90), offset),
          epcList: items,
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          readPoint: lineRead,
          bizLocation: plant,
          ilmd: { 'cbvmda:lotNumber': lot, 'cbvmda:itemExpirationDate': expiry },
        };
      }
      const caseId = sscc();
      cases.push(caseId);
      if (steps.packing) {
        yield {
          ...base('AggregationEvent', tick(5, 30), offset),
          parentID: caseId,
          childEPCs: items,
          action: 'ADD',
          bizStep: 'packing',
          disposition: 'in_progress',
          readPoint: lineRead,
          bizLocation: plant,
        };
      }
    }
    const palletId = sscc();
    if (steps.packing) {
      yield {
        ...base('AggregationEvent', tick(60, 300), offset),
        parentID: palletId,
        childEPCs: cases,
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: sgln(maker, '00090') },
        bizLocation: plant,
      };
    }
    const po = `urn:epcglobal:cbv:bt:${buyer.prefix}00000${checkDigit(`${buyer.prefix}00000`)}:PO-${String(100000 + rnd.int(900000))}`;
    const desadv = `urn:epcglobal:cbv:bt:${maker.prefix}00000${checkDigit(`${maker.prefix}00000`)}:ASN-${String(100000 + rnd.int(900000))}`;
    const inv = `urn:epcglobal:cbv:bt:${maker.prefix}00000${checkDigit(`${maker.prefix}00000`)}:INV-${String(100000 + rnd.int(900000))}`;
    const bizTransactionList = [
      { type: 'po', bizTransaction: po },
      { type: 'desadv', bizTransaction: desadv },
      { type: 'inv', bizTransaction: inv },
    ];
    const sourceList = [
      { type: 'owning_party', source: pgln(maker) },
      { type: 'location', source: plant.id },
    ];
    const destinationList = [
      { type: 'owning_party', destination: pgln(buyer) },
      { type: 'location', destination: sgln(buyer, buyer.site) },
    ];
    if (steps.shipping) {
      const ev: EPCISEvent = {
        ...base('ObjectEvent', tick(600, 3600), offset),
        epcList: [palletId],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: sgln(maker, '00095') },
        bizTransactionList,
        sourceList,
        destinationList,
      };
      if (opts.unicode) ev['rx:note'] = `Kühlkette 2–8 °C ✓ → ${buyer.city} 𝄞`;
      yield ev;
    }
    if (steps.receiving) {
      yield {
        ...base('ObjectEvent', tick(3600 * 6, 3600 * 30), buyerOffset),
        epcList: [palletId],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: sgln(buyer, buyer.readPoint) },
        bizLocation: { id: sgln(buyer, buyer.site) },
        bizTransactionList,
        sourceList,
        destinationList,
      };
    }
  }
}

function masterData(pl: Plan): Vocabulary[] {
  const dl = pl.opts.epcFormat === 'dl';
  const loc = (p: Party): string =>
    dl
      ? `https://id.gs1.org/414/${p.prefix}${p.site}${checkDigit(p.prefix + p.site)}`
      : `urn:epc:id:sgln:${p.prefix}.${p.site}.0`;
  const name = (p: Party): string =>
    pl.opts.unicode ? p.name : p.name.normalize('NFD').replace(/[^\x20-\x7e]/g, '');
  return [
    {
      type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
      vocabularyElementList: [pl.maker, pl.buyer].map((p) => ({
        id: loc(p),
        attributes: [
          { id: 'urn:epcglobal:cbv:mda#name', attribute: name(p) },
          {
            id: 'urn:epcglobal:cbv:mda#city',
            attribute: pl.opts.unicode ? p.city : name({ ...p, name: p.city }),
          },
        ],
      })),
    },
  ];
}

const EVENTS_MARK = '\u0000rxtrace-events\u0000';

/** The document without its events, members in the order they will be written. */
export function generateEpcisHeader(o: GenerateOptions = {}): EpcisDocumentHeader {
  return headerWithMark(plan(o), false);
}

function headerWithMark(pl: Plan, mark: boolean): EpcisDocumentHeader {
  const { opts } = pl;
  const rnd = new SeededRandom(opts.seed ^ 0x1b873593);
  const context: Array<string | Record<string, unknown>> = [
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  ];
  if (opts.unicode) context.push({ rx: 'https://rxtrace.org/epcis/ext/' });
  const creationDate = new Date(opts.startMs - 60000).toISOString();
  const list: Record<string, unknown> = mark ? { eventList: EVENTS_MARK } : {};
  const body: Record<string, unknown> =
    opts.documentType === 'EPCISQueryDocument'
      ? opts.headerPosition === 'before'
        ? {
            queryResults: {
              subscriptionID: rnd.uuidUrn().slice(9),
              queryName: 'SimpleEventQuery',
              resultsBody: list,
            },
          }
        : {
            queryResults: {
              resultsBody: list,
              queryName: 'SimpleEventQuery',
              subscriptionID: rnd.uuidUrn().slice(9),
            },
          }
      : list;
  const rest: Record<string, unknown> = { schemaVersion: '2.0', creationDate };
  // (the JSON Schema allows neither member in a query document)
  if (opts.documentType === 'EPCISDocument') {
    rest.instanceIdentifier = rnd.uuidUrn().slice(9);
    if (opts.masterData) rest.epcisHeader = { epcisMasterData: { vocabularyList: masterData(pl) } };
  }
  const head = { '@context': context, type: opts.documentType };
  if (opts.headerPosition === 'before') return { ...head, ...rest, epcisBody: body };
  if (opts.headerPosition === 'after') return { ...head, epcisBody: body, ...rest };
  const { schemaVersion, ...later } = rest;
  return { ...head, schemaVersion, epcisBody: body, ...later } as EpcisDocumentHeader;
}

/** The JSON text in pieces: the text before the first event, one piece per event (with its separator), the text after. */
export function* generateEpcisJsonParts(o: GenerateOptions = {}): Generator<string> {
  const pl = plan(o);
  const pretty = pl.opts.pretty;
  const text = JSON.stringify(headerWithMark(pl, true), null, pretty ? 2 : undefined);
  const markText = JSON.stringify(EVENTS_MARK);
  const at = text.indexOf(markText);
  const before = text.slice(0, at);
  const after = text.slice(at + markText.length);
  const indent = pretty ? `${before.slice(before.lastIndexOf('\n') + 1).match(/^ */)?.[0] ?? ''}  ` : '';
  yield `${before}[`;
  let first = true;
  for (const ev of generateEpcisEvents(o)) {
    const t = pretty ? JSON.stringify(ev, null, 2).replace(/\n/g, `\n${indent}`) : JSON.stringify(ev);
    yield pretty ? `${first ? '' : ','}\n${indent}${t}` : `${first ? '' : ','}${t}`;
    first = false;
  }
  yield pretty ? `${first ? '' : `\n${indent.slice(2)}`}]${after}` : `]${after}`;
}

/** The whole document as one string (small documents only). */
export function generateEpcisJson(o: GenerateOptions = {}): string {
  let s = '';
  for (const part of generateEpcisJsonParts(o)) s += part;
  return s;
}

export interface ChunkOptions {
  /** Size of each chunk (the last may be shorter): bytes, or characters for `strings`. Default 65536. */
  chunkSize?: number;
  /** Yield strings instead of UTF-8 bytes. Default false. */
  strings?: boolean;
}

/**
 * The JSON text as chunks of exactly `chunkSize` bytes (UTF-8 sequences split wherever the cut
 * falls) or characters, produced on demand.
 */
export async function* generateEpcisJsonChunks(
  o: GenerateOptions = {},
  c: ChunkOptions = {},
): AsyncGenerator<Uint8Array | string> {
  yield* rechunk(generateEpcisJsonParts(o), c);
}

/** Cuts a sequence of text pieces into chunks of a fixed size (see {@link ChunkOptions}). */
export function* rechunk(parts: Iterable<string>, c: ChunkOptions = {}): Generator<Uint8Array | string> {
  const size = Math.max(1, c.chunkSize ?? 65536);
  if (c.strings) {
    let pending = '';
    for (const part of parts) {
      pending += part;
      let k = 0;
      while (pending.length - k >= size) {
        yield pending.slice(k, k + size);
        k += size;
      }
      pending = pending.slice(k);
    }
    if (pending.length) yield pending;
    return;
  }
  let buf = Buffer.allocUnsafe(size);
  let fill = 0;
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    let k = 0;
    while (k < bytes.length) {
      const n = Math.min(size - fill, bytes.length - k);
      bytes.copy(buf, fill, k, k + n);
      fill += n;
      k += n;
      if (fill === size) {
        yield buf;
        buf = Buffer.allocUnsafe(size);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

// ---------------------------------------------------------------------------------------------
// XML, through the package's XML writer

export interface XmlGenerateOptions {
  /** EPCIS version of the XML. Default '2.0'. */
  version?: '2.0' | '1.2';
  /** Indentation per level, '' for one line. Default two spaces. */
  indent?: string;
  /** Events written per call of the writer when streaming. Default 64. */
  batch?: number;
}

function writeXml(doc: EPCISAnyDocument, x: XmlGenerateOptions): string {
  const write = writeEpcisXml as unknown as (
    d: EPCISAnyDocument,
    o: Record<string, unknown>,
  ) => { ok: true; value: string } | { ok: false; errors: Array<{ message: string }> };
  const opts: Record<string, unknown> = { version: x.version ?? '2.0' };
  if (x.indent !== undefined) opts.indent = x.indent;
  const r = write(doc, opts);
  if (!r.ok)
    throw new Error(
      `the XML writer refused the generated document: ${r.errors.map((e) => e.message).join('; ')}`,
    );
  return r.value;
}

/** The document (the same as {@link generateEpcisJson}'s) as EPCIS XML, in one string. Throws when the XML writer is not available. */
export function generateEpcisXml(o: GenerateOptions = {}, x: XmlGenerateOptions = {}): string {
  return writeXml(assembleDocument(generateEpcisHeader(o), [...generateEpcisEvents(o)]), x);
}

/**
 * The XML text in pieces, a batch of events at a time, so that a large document is never one
 * string. The writer declares every namespace on the root element, so the frame (root, header, the
 * text around the event list) comes from a document holding one pallet's events — every kind of
 * event the options produce — and each batch's events are cut out of a document of their own.
 */
export function* generateEpcisXmlParts(
  o: GenerateOptions = {},
  x: XmlGenerateOptions = {},
): Generator<string> {
  const header = generateEpcisHeader(o);
  const sample = [...generateEpcisEvents({ ...o, pallets: Math.min(1, o.pallets ?? 1) })];
  const frame = writeXml(assembleDocument(header, sample), x);
  const open = frame.indexOf('<EventList>');
  const close = frame.lastIndexOf('</EventList>');
  if (open < 0 || close < 0) {
    yield frame; // no events
    return;
  }
  yield frame.slice(0, open + '<EventList>'.length);
  const batchSize = Math.max(1, x.batch ?? 64);
  const events = generateEpcisEvents(o);
  for (;;) {
    const batch: EPCISEvent[] = [];
    while (batch.length < batchSize) {
      const r = events.next();
      if (r.done) break;
      batch.push(r.value);
    }
    if (batch.length === 0) break;
    const t = writeXml(assembleDocument(header, batch), x);
    yield t.slice(t.indexOf('<EventList>') + '<EventList>'.length, t.lastIndexOf('</EventList>'));
  }
  yield frame.slice(close);
}

/** The XML text as chunks of exactly `chunkSize` bytes (or characters), produced on demand. */
export async function* generateEpcisXmlChunks(
  o: GenerateOptions = {},
  x: XmlGenerateOptions = {},
  c: ChunkOptions = {},
): AsyncGenerator<Uint8Array | string> {
  yield* rechunk(generateEpcisXmlParts(o, x), c);
}

/** A header and events as one document (events in `epcisBody.eventList` or the query results' list). */
function assembleDocument(header: EpcisDocumentHeader, events: EPCISEvent[]): EPCISAnyDocument {
  const body = { ...(header.epcisBody ?? {}) } as Record<string, unknown>;
  if (header.type === 'EPCISQueryDocument') {
    const qr = { ...(body.queryResults as Record<string, unknown>) };
    qr.resultsBody = { ...(qr.resultsBody as Record<string, unknown>), eventList: events };
    body.queryResults = qr;
  } else body.eventList = events;
  return { ...header, epcisBody: body } as unknown as EPCISAnyDocument;
}
