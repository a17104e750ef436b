/**
 * Reading EPCIS XML (2.0 and 1.2; capture and query documents; bare events) into the EPCIS 2.0
 * model, in one streaming pass: the tokenizer feeds the validator (optional) and a reader that keeps
 * a tree of one unit at a time — the header, or one event — and maps it to the model as soon as it
 * closes. {@link parseEpcisXml} collects the whole document; `stream.ts` yields it piece by piece.
 */
import type {
  EPCISAnyDocument,
  EPCISEvent,
  EPCISHeader,
  EpcisProblem,
  JsonLdContext,
  Namespaces,
} from '../model.ts';
import {
  addMember,
  extensionValue,
  isEpcisNs,
  MapContext,
  mapEventListChild,
  mapHeader,
  NamespaceMap,
  STANDARD_EVENTS,
  XML_WARNING_CODES,
} from './map.ts';
import { nodeOf, SubtreeBuilder, type XNode } from './nodes.ts';
import { NS, type SchemaSet, schemaFor } from './schema.ts';
import { type XmlElement, XmlError, type XmlHandler, type XmlLimits, XmlTokenizer } from './tokenizer.ts';
import { XmlValidator, type XsdProblem } from './validator.ts';

/** The JSON-LD context documents read from XML get (the offline-resolvable 2.0.0 context). */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** Limits of the XML reader. Names and defaults follow the shared reader limits (`../read-items.ts`). */
export interface XmlReadLimits {
  /** Whole document, in characters of text input (bytes for byte input). Default 1 GiB. */
  maxDocumentBytes?: number;
  /** Text of one event, from its start tag to its end tag. Default 16 Mi characters. */
  maxEventLength?: number;
  /** Text of the EPCISHeader. Default 16 Mi characters. */
  maxHeaderLength?: number;
  /** One text node or attribute value. Default 1 Mi characters. */
  maxStringLength?: number;
  /** Element nesting, the root counting 1. Default 64. */
  maxDepth?: number;
  /** Events in the document. Default 10,000,000. */
  maxEvents?: number;
  /** Elements in the document. Default 50,000,000. */
  maxElements?: number;
  /** Attributes on one element (namespace declarations included). Default 256. */
  maxAttributes?: number;
}

export const DEFAULT_XML_READ_LIMITS: Readonly<Required<XmlReadLimits>> = Object.freeze({
  maxDocumentBytes: 1024 * 1024 * 1024,
  maxEventLength: 16 * 1024 * 1024,
  maxHeaderLength: 16 * 1024 * 1024,
  maxStringLength: 1024 * 1024,
  maxDepth: 64,
  maxEvents: 10_000_000,
  maxElements: 50_000_000,
  maxAttributes: 256,
});

export interface XmlReadOptions {
  /** Check the document against the EPCIS XSD structure (element order, required elements, values…). Default true. */
  validate?: boolean;
  limits?: XmlReadLimits;
  /**
   * Tolerate the inert `<!DOCTYPE name>` (no identifiers, no internal subset — it declares nothing).
   * Default true, because published GS1 examples carry `<!DOCTYPE project>`; any DOCTYPE with an
   * internal subset or an external identifier is always refused. `false` refuses every DOCTYPE.
   */
  allowInertDoctype?: boolean;
  /** Stop after this many validation problems. Default 100. */
  maxProblems?: number;
}

/** The result of reading: the model, or the problems (each with line and column). */
export type XmlReadResult<T> =
  | {
      ok: true;
      value: T;
      /** Prefix → namespace URI of the CURIE names in `value` (the `@context` object). */
      namespaces: Namespaces;
      /** EPCIS version of the XML: from the root namespace (`urn:epcglobal:epcis:xsd:1` → 1.2). */
      xmlVersion: '2.0' | '1.2';
      /** What the model could not hold as written (unknown elements kept by bare name, values that are not numbers…). */
      warnings: EpcisProblem[];
    }
  | { ok: false; errors: EpcisProblem[] };

export const XML_READ_CODES = Object.freeze({
  /** The root element is not an EPCIS event / query document (or, for bare events, not an event). */
  notDocument: 'RX_EPCIS_NOT_A_DOCUMENT',
  limitEvent: 'RX_EPCIS_LIMIT_EVENT_SIZE',
  limitHeader: 'RX_EPCIS_LIMIT_HEADER_SIZE',
  limitEvents: 'RX_EPCIS_LIMIT_EVENT_COUNT',
});

/** The document without its events, as the readers hand it out before the first event. */
export interface XmlDocumentHeader {
  '@context': JsonLdContext;
  type: 'EPCISDocument' | 'EPCISQueryDocument';
  schemaVersion?: string;
  creationDate?: string;
  epcisHeader?: EPCISHeader;
  epcisBody: { [member: string]: unknown };
  [member: string]: unknown;
}

export interface ReaderSink {
  header(h: XmlDocumentHeader): void;
  event(ev: EPCISEvent, index: number): void;
}

/** Thrown inside the pipeline to stop it (limit reached, first problem in streaming mode). */
export class StopReading extends Error {}

type Mode = 'document' | 'event';

/** The structural walk over the document skeleton, capturing units as trees. */
class DocumentReader implements XmlHandler {
  readonly ns = new NamespaceMap();
  readonly ctx: MapContext;
  kind: 'EPCISDocument' | 'EPCISQueryDocument' | null = null;
  xmlVersion: '2.0' | '1.2' = '2.0';
  readonly header: XmlDocumentHeader = { '@context': [], type: 'EPCISDocument', epcisBody: {} };
  private readonly path: string[] = [];
  private builder: SubtreeBuilder | null = null;
  private onUnit: ((n: XNode) => void) | null = null;
  private unitStart = 0;
  private unitLimit = 0;
  private unitIsEvent = false;
  headerSent = false;
  eventCount = 0;
  bareEvent: EPCISEvent | null = null;

  constructor(
    private readonly tok: XmlTokenizer,
    private readonly mode: Mode,
    private readonly limits: Required<XmlReadLimits>,
    private readonly sink: ReaderSink,
  ) {
    this.ctx = new MapContext(this.ns);
  }

  /** Index of the event being read, if the reader is inside one. */
  get currentEvent(): number | undefined {
    return this.builder !== null && this.unitIsEvent ? this.eventCount : undefined;
  }

  private fail(code: string, message: string, el: { line: number; column: number }): never {
    throw new XmlError(code, message, el.line, el.column);
  }

  private capture(el: XmlElement, limit: number, isEvent: boolean, done: (n: XNode) => void): void {
    const resolve = (p: string) => this.tok.resolve(p);
    this.builder = new SubtreeBuilder(nodeOf(el, resolve), resolve, this.limits.maxStringLength);
    this.onUnit = done;
    this.unitStart = this.tok.tagOffset;
    this.unitLimit = limit;
    this.unitIsEvent = isEvent;
    if (isEvent) this.ctx.eventIndex = this.eventCount;
  }

  private checkUnitSize(el: { line: number; column: number }): void {
    if (this.tok.tagOffset - this.unitStart > this.unitLimit) {
      if (this.unitIsEvent)
        this.fail(
          XML_READ_CODES.limitEvent,
          `an event is longer than the limit of ${this.unitLimit} characters`,
          el,
        );
      this.fail(
        XML_READ_CODES.limitHeader,
        `the header is longer than the limit of ${this.unitLimit} characters`,
        el,
      );
    }
  }

  private declareAll(el: XmlElement): void {
    for (const [p, u] of el.nsDecls) this.ns.declare(p, u);
  }

  open(el: XmlElement): void {
    if (this.builder !== null) {
      this.checkUnitSize(el);
      this.builder.open(el);
    } else if (this.path.length === 0) {
      if (this.mode === 'event') this.openBareEvent(el);
      else this.openRoot(el);
    } else {
      this.declareAll(el);
      this.openInSkeleton(el, this.path[this.path.length - 1]!);
    }
  }

  /** An element below the root, outside any captured unit: `where` is the skeleton element it is in. */
  private openInSkeleton(el: XmlElement, where: string): void {
    const local = el.ns === '' ? el.local : null;
    const maxHeader = this.limits.maxHeaderLength;
    // Query results members met outside QueryResults (EPCISBody or even the root, as some
    // producers write them; the XSD does not allow it) are read as if they were inside.
    const resultsMember =
      this.kind === 'EPCISQueryDocument' &&
      (local === 'queryName' || local === 'subscriptionID' || local === 'resultsBody');
    if (resultsMember && (where === 'root' || where === 'body' || where === 'results')) {
      this.header.epcisBody.queryResults ??= {};
      this.openResultsMember(el, local);
    } else if (where === 'root') {
      if (local === 'EPCISHeader')
        this.capture(el, maxHeader, false, (n) => {
          this.header.epcisHeader = mapHeader(n, this.ctx);
        });
      else if (local === 'EPCISBody') this.path.push('body');
      else this.capture(el, maxHeader, false, (n) => this.documentExtra(n));
    } else if (where === 'body') {
      const queryNs = el.ns === '' || el.ns === NS.query2 || el.ns === NS.query1;
      if (this.kind === 'EPCISDocument' && local === 'EventList') this.openEventList();
      else if (this.kind === 'EPCISQueryDocument' && el.local === 'QueryResults' && queryNs) {
        this.header.epcisBody.queryResults = {};
        this.path.push('results');
      } else if (this.kind === 'EPCISQueryDocument' && queryNs)
        this.fail(
          XML_READ_CODES.notDocument,
          `this query document carries <${el.local}>, not query results: only QueryResults can be read as events`,
          el,
        );
      else this.capture(el, maxHeader, false, (n) => this.dropped(n, 'EPCISBody'));
    } else if (where === 'results') {
      this.capture(el, maxHeader, false, (n) => this.dropped(n, 'QueryResults'));
    } else if (where === 'resultsBody') {
      if (local === 'EventList') this.openEventList();
      else this.capture(el, maxHeader, false, (n) => this.dropped(n, 'resultsBody'));
    } else {
      // where === 'events': every child of EventList is a unit holding events.
      this.checkEventCount(el);
      this.capture(el, this.limits.maxEventLength, true, (n) => {
        const evs: EPCISEvent[] = [];
        mapEventListChild(n, this.ctx, evs);
        for (const ev of evs) {
          this.checkEventCount(n);
          this.sink.event(ev, this.eventCount++);
          this.ctx.eventIndex = this.eventCount;
        }
        this.ctx.eventIndex = undefined;
      });
    }
  }

  private checkEventCount(at: { line: number; column: number }): void {
    if (this.eventCount >= this.limits.maxEvents)
      this.fail(XML_READ_CODES.limitEvents, `the document has more than ${this.limits.maxEvents} events`, at);
  }

  private openResultsMember(el: XmlElement, local: string | null): void {
    const qr = this.header.epcisBody.queryResults as Record<string, unknown>;
    if (local === 'resultsBody') {
      qr.resultsBody = {};
      this.path.push('resultsBody');
    } else this.capture(el, this.limits.maxHeaderLength, false, (n) => (qr[n.local] = n.text.trim()));
  }

  private openRoot(el: XmlElement): void {
    if (el.local === 'EPCISDocument' && isEpcisNs(el.ns)) this.kind = 'EPCISDocument';
    else if (el.local === 'EPCISQueryDocument' && (el.ns === NS.query2 || el.ns === NS.query1))
      this.kind = 'EPCISQueryDocument';
    else {
      const name = el.ns ? `{${el.ns}}${el.local}` : el.local;
      const hint =
        el.local === 'EPCISMasterDataDocument'
          ? ' (a master data document: validateEpcisXml checks it; its vocabularies are not events)'
          : STANDARD_EVENTS.has(el.local)
            ? ' (a bare event: read it with parseEpcisXmlEvent)'
            : '';
      this.fail(
        XML_READ_CODES.notDocument,
        `the root element ${name} is not an EPCIS document: expected EPCISDocument (urn:epcglobal:epcis:xsd:2 or :1) or EPCISQueryDocument (urn:epcglobal:epcis-query:xsd:2 or :1)${hint}`,
        el,
      );
    }
    this.xmlVersion = el.ns === NS.epcis1 || el.ns === NS.query1 ? '1.2' : '2.0';
    this.header.type = this.kind;
    this.declareAll(el);
    for (const a of el.attrs) {
      if (a.ns === '') {
        if (a.local === 'schemaVersion' || a.local === 'creationDate') this.header[a.local] = a.value.trim();
        else
          this.ctx.warn(
            XML_WARNING_CODES.dropped,
            `attribute ${a.local} of the document element has no place in the model; dropped`,
            {
              line: el.line,
              column: el.column,
            } as XNode,
          );
      } else if (a.ns !== NS.xsi) addMember(this.header, this.ctx.key(a), a.value);
    }
    this.path.push('root');
  }

  private openBareEvent(el: XmlElement): void {
    if (!STANDARD_EVENTS.has(el.local) || !(el.ns === '' || isEpcisNs(el.ns)))
      this.fail(
        XML_READ_CODES.notDocument,
        `the root element ${el.local} is not an EPCIS event (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)`,
        el,
      );
    this.xmlVersion = el.ns === NS.epcis1 ? '1.2' : '2.0';
    this.declareAll(el);
    this.capture(el, this.limits.maxEventLength, true, (n) => {
      const evs: EPCISEvent[] = [];
      mapEventListChild(n, this.ctx, evs);
      this.bareEvent = evs[0]!;
      this.eventCount = 1;
    });
    this.path.push('event');
  }

  private openEventList(): void {
    this.path.push('events');
    this.sendHeader();
  }

  sendHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.sink.header(this.snapshotHeader());
  }

  /** The header with its `@context` as known now (prefixes met later arrive in `completeHeader`). */
  snapshotHeader(): XmlDocumentHeader {
    const h = { ...this.header, '@context': this.context() };
    h.epcisBody = structuredClone(this.header.epcisBody);
    return orderHeader(h);
  }

  context(): JsonLdContext {
    const o = this.ns.toObject();
    return Object.keys(o).length ? [EPCIS_CONTEXT_URL, o] : [EPCIS_CONTEXT_URL];
  }

  private documentExtra(n: XNode): void {
    if (n.ns !== '' && !isEpcisNs(n.ns)) addMember(this.header, this.ctx.key(n), extensionValue(n, this.ctx));
    else this.dropped(n, this.kind ?? 'the document');
  }

  private dropped(n: XNode, where: string): void {
    this.ctx.warn(
      XML_WARNING_CODES.dropped,
      `<${n.local}> in ${where} has no place in the model; dropped`,
      n,
    );
  }

  text(s: string, ws: boolean): void {
    if (this.builder !== null && !this.builder.text(s, ws))
      throw new XmlError(
        'RX_EPCIS_LIMIT_STRING_LENGTH',
        `a text value is longer than the limit of ${this.limits.maxStringLength} characters`,
      );
  }

  close(el: XmlElement): void {
    if (this.builder !== null) {
      if (this.builder.close()) {
        this.checkUnitSize(el);
        const root = this.builder.root;
        const done = this.onUnit!;
        this.builder = null;
        this.onUnit = null;
        done(root);
        if (this.mode === 'event') this.path.pop();
      }
      return;
    }
    this.path.pop();
  }
}

function orderHeader(h: XmlDocumentHeader): XmlDocumentHeader {
  const { '@context': c, type, schemaVersion, creationDate, epcisHeader, epcisBody, ...rest } = h;
  const out: XmlDocumentHeader = { '@context': c, type } as XmlDocumentHeader;
  if (schemaVersion !== undefined) out.schemaVersion = schemaVersion;
  if (creationDate !== undefined) out.creationDate = creationDate;
  Object.assign(out, rest);
  if (epcisHeader !== undefined) out.epcisHeader = epcisHeader;
  out.epcisBody = epcisBody;
  return out;
}

/** Pipeline handler: validator (optional) then reader, for every tokenizer event. */
class Pipeline implements XmlHandler {
  constructor(
    private readonly v: XmlValidator | null,
    private readonly r: DocumentReader,
    private readonly stopAt: number,
  ) {}

  private check(before: number): void {
    const v = this.v!;
    if (v.problems.length === before) return;
    const idx = this.r.currentEvent;
    if (idx !== undefined) for (let i = before; i < v.problems.length; i++) v.problems[i]!.eventIndex = idx;
    if (v.problems.length >= this.stopAt) throw new StopReading();
  }

  open(el: XmlElement): void {
    if (this.v !== null) {
      const n = this.v.problems.length;
      this.v.open(el);
      this.check(n);
    }
    this.r.open(el);
  }

  text(s: string, ws: boolean): void {
    if (this.v !== null) {
      const n = this.v.problems.length;
      this.v.text(s, ws);
      this.check(n);
    }
    this.r.text(s, ws);
  }

  close(el: XmlElement): void {
    if (this.v !== null) {
      const n = this.v.problems.length;
      this.v.close(el);
      this.check(n);
    }
    this.r.close(el);
  }
}

export interface XmlPipeline {
  tokenizer: XmlTokenizer;
  validator: XmlValidator | null;
  reader: DocumentReader;
}

function eventRootType(el: XmlElement) {
  if (!STANDARD_EVENTS.has(el.local)) return undefined;
  const set = schemaFor(el.ns === NS.epcis1 ? NS.epcis1 : NS.epcis2)!;
  return set.types.get(`{${set.epcisNs}}${el.local}Type`);
}

/** Wires tokenizer, validator and reader; `stopAt` = number of validation problems that stops reading. */
export function createXmlPipeline(
  mode: Mode,
  opts: XmlReadOptions,
  sink: ReaderSink,
  stopAt: number,
  fromBytes = false,
): XmlPipeline {
  const limits = { ...DEFAULT_XML_READ_LIMITS, ...opts.limits };
  const tlimits: XmlLimits = {
    maxDepth: limits.maxDepth,
    maxElements: limits.maxElements,
    maxAttributes: limits.maxAttributes,
    maxTextLength: limits.maxStringLength,
    maxTotalLength: limits.maxDocumentBytes,
  };
  let tok!: XmlTokenizer;
  const resolve = (p: string) => tok.resolve(p);
  const validator =
    opts.validate === false
      ? null
      : new XmlValidator({
          resolve,
          maxProblems: opts.maxProblems ?? 100,
          ...(mode === 'event' ? { rootType: eventRootType, schema: schemaFor(NS.epcis2) as SchemaSet } : {}),
        });
  let pipeline!: Pipeline;
  tok = new XmlTokenizer(
    {
      open: (el) => pipeline.open(el),
      text: (s, ws) => pipeline.text(s, ws),
      close: (el) => pipeline.close(el),
    },
    { limits: tlimits, allowInertDoctype: opts.allowInertDoctype ?? true, fromBytes },
  );
  const reader = new DocumentReader(tok, mode, limits, sink);
  pipeline = new Pipeline(validator, reader, stopAt);
  return { tokenizer: tok, validator, reader };
}

export function problemOf(e: unknown): EpcisProblem {
  if (e instanceof XmlError) {
    const p: EpcisProblem = { code: e.code, message: e.message };
    if (e.line !== undefined) p.line = e.line;
    if (e.column !== undefined) p.column = e.column;
    return p;
  }
  throw e;
}

export function xsdProblem(p: XsdProblem): EpcisProblem {
  const out: EpcisProblem = { code: p.code, message: p.message, line: p.line, column: p.column };
  if (p.eventIndex !== undefined) out.eventIndex = p.eventIndex;
  return out;
}

/**
 * Reads an EPCIS XML document — `EPCISDocument` or `EPCISQueryDocument` (query results), EPCIS 2.0
 * (`urn:epcglobal:epcis:xsd:2`) or 1.2 (`…:xsd:1`) — into the EPCIS 2.0 model. With `validate`
 * (default) the document must also pass the XSD structure checks; every problem carries line and
 * column.
 */
export function parseEpcisXml(text: string, opts: XmlReadOptions = {}): XmlReadResult<EPCISAnyDocument> {
  const events: EPCISEvent[] = [];
  const p = createXmlPipeline(
    'document',
    opts,
    { header() {}, event: (ev) => void events.push(ev) },
    opts.maxProblems ?? 100,
  );
  const errors = collectErrors(p, run(p, text));
  if (errors.length) return { ok: false, errors };
  const r = p.reader;
  const h = r.snapshotHeader();
  const doc = h as unknown as Record<string, unknown>;
  const body = doc.epcisBody as Record<string, unknown>;
  if (r.kind === 'EPCISQueryDocument') {
    const qr = (body.queryResults ??= {}) as Record<string, unknown>;
    qr.resultsBody = { ...(qr.resultsBody as object | undefined), eventList: events };
  } else body.eventList = events;
  return {
    ok: true,
    value: doc as unknown as EPCISAnyDocument,
    namespaces: r.ns.toObject(),
    xmlVersion: r.xmlVersion,
    warnings: r.ctx.warnings,
  };
}

/** Validation problems and the fatal error, in document order; at the same place the fatal error comes first. */
export function collectErrors(p: XmlPipeline, fatal: EpcisProblem | null): EpcisProblem[] {
  const errors = p.validator?.problems.map(xsdProblem) ?? [];
  if (fatal === null) return errors;
  const at = (e: EpcisProblem) => (e.line ?? Number.MAX_SAFE_INTEGER) * 1e7 + (e.column ?? 0);
  const i = errors.findIndex((e) => at(e) >= at(fatal));
  if (i === -1) errors.push(fatal);
  else errors.splice(i, 0, fatal);
  return errors;
}

function run(p: XmlPipeline, text: string): EpcisProblem | null {
  try {
    p.tokenizer.write(text);
    p.tokenizer.end();
    return null;
  } catch (e) {
    if (e instanceof StopReading) return null;
    return problemOf(e);
  }
}

/**
 * Reads one bare event (an `ObjectEvent`… element as the root, as the REST `POST /events` binding
 * and some test suites send them). With `validate` (default) the event is checked against its
 * EPCIS 2.0 type. The event gets the `@context` a bare JSON-LD event carries.
 */
export function parseEpcisXmlEvent(text: string, opts: XmlReadOptions = {}): XmlReadResult<EPCISEvent> {
  const p = createXmlPipeline('event', opts, { header() {}, event() {} }, opts.maxProblems ?? 100);
  const errors = collectErrors(p, run(p, text));
  const r = p.reader;
  if (!errors.length && r.bareEvent === null)
    errors.push({ code: XML_READ_CODES.notDocument, message: 'no event was read' });
  if (errors.length) return { ok: false, errors };
  const ev = { '@context': r.context(), ...r.bareEvent! } as EPCISEvent;
  return {
    ok: true,
    value: ev,
    namespaces: r.ns.toObject(),
    xmlVersion: r.xmlVersion,
    warnings: r.ctx.warnings,
  };
}

export interface XmlValidationResult {
  valid: boolean;
  /** Well-formedness / safety errors and XSD problems, in document order. */
  problems: EpcisProblem[];
  /** `{namespace}local` of the root element, when one was read. */
  root?: string;
  /** The schema version the root selected, if any. */
  version?: '2.0' | '1.2';
}

/**
 * Checks any EPCIS XML document against the XSD structure — event and query documents, master
 * data documents (`EPCISMasterDataDocument`), capture jobs (`EPCISCaptureJob`), query messages —
 * without building the model.
 */
export function validateEpcisXml(
  text: string,
  opts: Omit<XmlReadOptions, 'validate'> = {},
): XmlValidationResult {
  const limits = { ...DEFAULT_XML_READ_LIMITS, ...opts.limits };
  let tok!: XmlTokenizer;
  let root: string | undefined;
  const v = new XmlValidator({ resolve: (p) => tok.resolve(p), maxProblems: opts.maxProblems ?? 100 });
  tok = new XmlTokenizer(
    {
      open(el) {
        if (root === undefined) root = `{${el.ns}}${el.local}`;
        v.open(el);
      },
      text: (s, ws) => v.text(s, ws),
      close: (el) => v.close(el),
    },
    {
      limits: {
        maxDepth: limits.maxDepth,
        maxElements: limits.maxElements,
        maxAttributes: limits.maxAttributes,
        maxTextLength: limits.maxStringLength,
        maxTotalLength: limits.maxDocumentBytes,
      },
      allowInertDoctype: opts.allowInertDoctype ?? true,
    },
  );
  const problems: EpcisProblem[] = [];
  let fatal: EpcisProblem | null = null;
  try {
    tok.write(text);
    tok.end();
  } catch (e) {
    fatal = problemOf(e);
  }
  problems.push(...v.problems.map(xsdProblem));
  if (fatal) problems.push(fatal);
  const out: XmlValidationResult = { valid: problems.length === 0, problems };
  if (root !== undefined) out.root = root;
  if (v.schema) out.version = v.schema.version;
  return out;
}
