/**
 * EPCIS XML element trees → the EPCIS 2.0 JSON model (`../model.ts`), for EPCIS 2.0 and 1.2.
 *
 * Mapping rules (EPCIS 2.0 §"XML ⇄ JSON", and what GS1's / OpenEPCIS' converters do):
 * - Standard fields are the unqualified child elements; their order does not matter here (order is
 *   the validator's business). Values are kept as written (CBV URNs, Web URIs, CURIEs), trimmed.
 * - EPCIS 1.2 wrappers disappear: children of `baseExtension` and of (nested) `extension` elements
 *   are read as if they were direct children of the event (`eventID`, `errorDeclaration`,
 *   `quantityList`, `sourceList`, `ilmd`, and the 2.0 fields converters put in the innermost
 *   `extension`: `sensorElementList`, `persistentDisposition`, `certificationInfo`…). The same goes
 *   for the `extension` elements of readPoint, bizLocation, errorDeclaration, ilmd, sensorElement.
 *   Event list wrappers too: `EventList/extension/TransformationEvent` (1.2) and
 *   `EventList/extension/extension/AssociationEvent` (GS1's 1.2 converter).
 * - Numbers (`quantity`, sensor `value`, `minValue`… ) become JSON numbers, `booleanValue` a boolean;
 *   a value that is not a number / boolean is kept as written and reported as a warning.
 * - Sensor metadata and reports are XML attributes: each becomes a JSON field.
 * - Extensions — elements and attributes in a namespace other than EPCIS' — become CURIE-named
 *   fields (`prefix:local`); the prefix is the one the document used (a new one is made up for a
 *   default namespace or a prefix bound twice) and is recorded in the namespace map that becomes the
 *   document's `@context` object. An extension element with only text becomes a string (trimmed);
 *   one with child elements or attributes becomes an object whose keys are its attributes (CURIEs,
 *   or the bare name when unqualified — `xsi:type` included, so that the Event Hash ID sees it as
 *   the reference implementation does), its child elements, and `#text` for its text. Repeated
 *   elements with the same name become an array.
 * - Unqualified elements the model does not know (possible only without validation, or inside
 *   `##local` extension points) are kept under their bare name, with a warning.
 */
import type {
  EPCISEvent,
  EPCISHeader,
  EpcisProblem,
  ErrorDeclaration,
  Extensions,
  QuantityElement,
  SensorElement,
  SensorReport,
  Vocabulary,
  VocabularyElement,
} from '../model.ts';
import type { XNode } from './nodes.ts';
import { NS } from './schema.ts';

export const XML_WARNING_CODES = Object.freeze({
  /** An unqualified element the model has no field for (kept under its bare name). */
  unknownElement: 'RX_EPCIS_XML_UNKNOWN_ELEMENT',
  /** A value that should be a number or boolean and is not (kept as written). */
  value: 'RX_EPCIS_XML_VALUE',
  /** Content with no place in the model (dropped). */
  dropped: 'RX_EPCIS_XML_DROPPED',
  /** A field that appears twice where the model holds one (the last one is kept). */
  duplicate: 'RX_EPCIS_XML_DUPLICATE_FIELD',
});

/** Namespaces that are EPCIS structure, never extension prefixes. */
const STRUCTURE_NS = new Set<string>([
  NS.epcis2,
  NS.epcis1,
  NS.query2,
  NS.query1,
  NS.md2,
  NS.md1,
  NS.xsd,
  'http://www.w3.org/XML/1998/namespace',
]);
/** Prefixes a made-up prefix should prefer for well-known namespaces. */
const PREFERRED_PREFIX: Record<string, string> = {
  [NS.sbdh]: 'sbdh',
  [NS.xsi]: 'xsi',
  'urn:epcglobal:cbv:mda': 'cbvmda',
  'urn:epcglobal:cbv:mda:': 'cbvmda',
};
/** Prefixes of the standard JSON-LD context that must keep their meaning. */
const RESERVED_PREFIXES = new Set(['xsd', 'id', 'type']);

export function isEpcisNs(ns: string): boolean {
  return ns === NS.epcis2 || ns === NS.epcis1;
}

/** Prefix ⇄ namespace bookkeeping for the CURIEs of one document (becomes its `@context`). */
export class NamespaceMap {
  readonly prefixes = new Map<string, string>();
  private readonly byUri = new Map<string, string>();

  /** Records a declaration seen in the document (root and structural elements), if it is an extension namespace (`xsi` only once used). */
  declare(prefix: string, uri: string): void {
    if (
      prefix === '' ||
      uri === '' ||
      STRUCTURE_NS.has(uri) ||
      uri === NS.xsi ||
      RESERVED_PREFIXES.has(prefix) ||
      this.prefixes.has(prefix)
    )
      return;
    this.prefixes.set(prefix, uri);
    if (!this.byUri.has(uri)) this.byUri.set(uri, prefix);
  }

  /** The CURIE for `{ns}local`, preferring the prefix the document used. */
  curie(ns: string, prefix: string, local: string): string {
    if (prefix !== '' && !RESERVED_PREFIXES.has(prefix)) {
      const bound = this.prefixes.get(prefix);
      if (bound === ns) return `${prefix}:${local}`;
      if (bound === undefined) {
        this.prefixes.set(prefix, ns);
        if (!this.byUri.has(ns)) this.byUri.set(ns, prefix);
        return `${prefix}:${local}`;
      }
    }
    let p = this.byUri.get(ns);
    if (p === undefined) {
      const pref = PREFERRED_PREFIX[ns];
      p = pref !== undefined && !this.prefixes.has(pref) ? pref : undefined;
      for (let i = 1; p === undefined; i++) if (!this.prefixes.has(`ns${i}`)) p = `ns${i}`;
      this.prefixes.set(p, ns);
      this.byUri.set(ns, p);
    }
    return `${p}:${local}`;
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.prefixes);
  }
}

export class MapContext {
  readonly warnings: EpcisProblem[] = [];
  eventIndex: number | undefined;
  constructor(
    readonly ns: NamespaceMap,
    private readonly maxWarnings = 1000,
  ) {}

  warn(code: string, message: string, at: XNode): void {
    if (this.warnings.length >= this.maxWarnings) return;
    const p: EpcisProblem = { code, message, line: at.line, column: at.column };
    if (this.eventIndex !== undefined) p.eventIndex = this.eventIndex;
    this.warnings.push(p);
  }

  key(n: { ns: string; prefix: string; local: string }): string {
    return n.ns === '' ? n.local : this.ns.curie(n.ns, n.prefix, n.local);
  }
}

// ---- helpers ----

const text = (n: XNode): string => n.text.trim();
const kids = (n: XNode): readonly XNode[] => n.children ?? NONE;
const NONE: readonly XNode[] = [];
const DOUBLE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Adds an extension member; a repeated name turns the member into an array. */
export function addMember(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(obj, key)) obj[key] = value;
  else {
    const cur = obj[key];
    if (Array.isArray(cur)) cur.push(value);
    else obj[key] = [cur, value];
  }
}

function num(raw: string, at: XNode, what: string, ctx: MapContext): number | string {
  const s = raw.trim();
  if (DOUBLE.test(s)) {
    const v = Number(s);
    if (Number.isFinite(v)) return v;
  }
  ctx.warn(XML_WARNING_CODES.value, `${what} '${raw}' is not a number; kept as written`, at);
  return raw;
}

function bool(raw: string, at: XNode, what: string, ctx: MapContext): boolean | string {
  const s = raw.trim();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  ctx.warn(XML_WARNING_CODES.value, `${what} '${raw}' is not a boolean; kept as written`, at);
  return raw;
}

/** The JSON value of an extension element (see the module comment). */
export function extensionValue(n: XNode, ctx: MapContext): unknown {
  const c = n.children;
  if ((c === null || c.length === 0) && n.attrs.length === 0) return text(n);
  const obj: Record<string, unknown> = {};
  for (const a of n.attrs) addMember(obj, ctx.key(a), a.value);
  if (c !== null) for (const k of c) addMember(obj, ctx.key(k), extensionValue(k, ctx));
  const t = text(n);
  if (t !== '') obj['#text'] = t;
  return obj;
}

/** Foreign-namespace attributes of a standard element → members of its JSON object. */
function foreignAttributes(n: XNode, into: Record<string, unknown>, ctx: MapContext): void {
  for (const a of n.attrs) if (a.ns !== '' && a.ns !== NS.xsi) addMember(into, ctx.key(a), a.value);
}

function unknownChild(n: XNode, into: Record<string, unknown>, where: string, ctx: MapContext): void {
  ctx.warn(
    XML_WARNING_CODES.unknownElement,
    `<${n.local}> is not an EPCIS field of ${where}; kept as '${n.local}'`,
    n,
  );
  addMember(into, n.local, extensionValue(n, ctx));
}

function setOnce(
  obj: Record<string, unknown>,
  key: string,
  value: unknown,
  at: XNode,
  ctx: MapContext,
): void {
  if (Object.hasOwn(obj, key))
    ctx.warn(XML_WARNING_CODES.duplicate, `${key} appears more than once; the last one is kept`, at);
  obj[key] = value;
}

// ---- fields ----

function epcs(n: XNode): string[] {
  const out: string[] = [];
  for (const k of kids(n)) out.push(text(k));
  return out;
}

function quantities(n: XNode, ctx: MapContext): QuantityElement[] {
  const out: QuantityElement[] = [];
  for (const qe of kids(n)) {
    const q = {} as QuantityElement;
    for (const k of kids(qe)) {
      if (k.ns !== '') continue;
      if (k.local === 'epcClass') q.epcClass = text(k);
      else if (k.local === 'quantity') {
        const nil = k.attrs.some(
          (a) => a.ns === NS.xsi && a.local === 'nil' && /^\s*(true|1)\s*$/.test(a.value),
        );
        if (!nil) (q as { quantity?: number | string }).quantity = num(k.text, k, 'quantity', ctx);
      } else if (k.local === 'uom') q.uom = text(k);
      else unknownChild(k, q as unknown as Record<string, unknown>, 'quantityElement', ctx);
    }
    out.push(q);
  }
  return out;
}

/** readPoint / bizLocation: `id`, extensions, and the children of `extension`. */
function location(n: XNode, ctx: MapContext, into: Extensions = { id: '' }): Extensions {
  for (const k of kids(n)) {
    if (k.ns !== '') addMember(into, ctx.key(k), extensionValue(k, ctx));
    else if (k.local === 'id') into.id = text(k);
    else if (k.local === 'extension') location(k, ctx, into);
    else unknownChild(k, into, n.local, ctx);
  }
  return into;
}

function errorDeclaration(n: XNode, ctx: MapContext, into: Record<string, unknown> = {}): ErrorDeclaration {
  foreignAttributes(n, into, ctx);
  for (const k of kids(n)) {
    if (k.ns !== '') addMember(into, ctx.key(k), extensionValue(k, ctx));
    else if (k.local === 'declarationTime' || k.local === 'reason') into[k.local] = text(k);
    else if (k.local === 'correctiveEventIDs') into.correctiveEventIDs = epcs(k);
    else if (k.local === 'extension') errorDeclaration(k, ctx, into);
    else unknownChild(k, into, 'errorDeclaration', ctx);
  }
  return into as unknown as ErrorDeclaration;
}

const METADATA_FIELDS = new Set([
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
]);
const REPORT_STRING_FIELDS = new Set([
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'component',
  'stringValue',
  'hexBinaryValue',
  'uriValue',
  'uom',
  'coordinateReferenceSystem',
]);
const REPORT_NUMBER_FIELDS = new Set([
  'value',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
]);

function sensorAttributes(
  n: XNode,
  kind: 'sensorMetadata' | 'sensorReport',
  ctx: MapContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of n.attrs) {
    if (a.ns !== '') {
      if (a.ns !== NS.xsi) addMember(out, ctx.key(a), a.value);
      continue;
    }
    const name = a.local;
    if (kind === 'sensorMetadata' ? METADATA_FIELDS.has(name) : REPORT_STRING_FIELDS.has(name))
      out[name] = a.value.trim();
    else if (kind === 'sensorReport' && REPORT_NUMBER_FIELDS.has(name))
      out[name] = num(a.value, n, name, ctx);
    else if (kind === 'sensorReport' && name === 'booleanValue') out[name] = bool(a.value, n, name, ctx);
    else {
      ctx.warn(
        XML_WARNING_CODES.unknownElement,
        `attribute ${name} is not an EPCIS field of ${kind}; kept as '${name}'`,
        n,
      );
      out[name] = a.value;
    }
  }
  for (const k of kids(n)) addMember(out, ctx.key(k), extensionValue(k, ctx));
  const t = text(n);
  if (t !== '')
    ctx.warn(XML_WARNING_CODES.dropped, `text inside <${kind}> has no place in the model; dropped`, n);
  return out;
}

function sensorElement(n: XNode, ctx: MapContext, into: Record<string, unknown> = {}): SensorElement {
  for (const k of kids(n)) {
    if (k.ns !== '') addMember(into, ctx.key(k), extensionValue(k, ctx));
    else if (k.local === 'sensorMetadata') into.sensorMetadata = sensorAttributes(k, 'sensorMetadata', ctx);
    else if (k.local === 'sensorReport') {
      const reports = (into.sensorReport ??= []) as SensorReport[];
      reports.push(sensorAttributes(k, 'sensorReport', ctx) as SensorReport);
    } else if (k.local === 'extension') sensorElement(k, ctx, into);
    else unknownChild(k, into, 'sensorElement', ctx);
  }
  return into as unknown as SensorElement;
}

function sensorElementList(n: XNode, ctx: MapContext): SensorElement[] {
  const out: SensorElement[] = [];
  for (const k of kids(n)) {
    if (k.ns === '' && k.local === 'sensorElement') out.push(sensorElement(k, ctx));
    else
      ctx.warn(
        XML_WARNING_CODES.dropped,
        `<${k.local}> in sensorElementList has no place in the model; dropped`,
        k,
      );
  }
  return out;
}

function ilmd(n: XNode, ctx: MapContext, into: Extensions = {}): Extensions {
  for (const k of kids(n)) {
    if (k.ns !== '') addMember(into, ctx.key(k), extensionValue(k, ctx));
    else if (k.local === 'extension') ilmd(k, ctx, into);
    else unknownChild(k, into, 'ilmd', ctx);
  }
  return into;
}

type FieldReader = (n: XNode, ev: Record<string, unknown>, ctx: MapContext) => void;

const textField: FieldReader = (n, ev, ctx) => setOnce(ev, n.local, text(n), n, ctx);
const epcField: FieldReader = (n, ev) => {
  const cur = ev[n.local] as string[] | undefined;
  if (cur) cur.push(...epcs(n));
  else ev[n.local] = epcs(n);
};
const qtyField: FieldReader = (n, ev, ctx) => {
  const cur = ev[n.local] as QuantityElement[] | undefined;
  if (cur) cur.push(...quantities(n, ctx));
  else ev[n.local] = quantities(n, ctx);
};

const EVENT_FIELDS: Record<string, FieldReader> = {
  eventTime: textField,
  recordTime: textField,
  eventTimeZoneOffset: textField,
  eventID: textField,
  parentID: textField,
  action: textField,
  bizStep: textField,
  disposition: textField,
  transformationID: textField,
  certificationInfo: (n, ev) => {
    const v = text(n);
    const cur = ev.certificationInfo;
    ev.certificationInfo = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur as string, v];
  },
  epcList: epcField,
  childEPCs: epcField,
  inputEPCList: epcField,
  outputEPCList: epcField,
  quantityList: qtyField,
  childQuantityList: qtyField,
  inputQuantityList: qtyField,
  outputQuantityList: qtyField,
  errorDeclaration: (n, ev, ctx) => setOnce(ev, 'errorDeclaration', errorDeclaration(n, ctx), n, ctx),
  readPoint: (n, ev, ctx) => setOnce(ev, 'readPoint', location(n, ctx), n, ctx),
  bizLocation: (n, ev, ctx) => setOnce(ev, 'bizLocation', location(n, ctx), n, ctx),
  bizTransactionList: (n, ev) => {
    const list = (ev.bizTransactionList ??= []) as unknown[];
    for (const k of kids(n)) {
      const type = k.attrs.find((a) => a.ns === '' && a.local === 'type')?.value.trim();
      list.push(type === undefined ? { bizTransaction: text(k) } : { type, bizTransaction: text(k) });
    }
  },
  sourceList: (n, ev) => {
    const list = (ev.sourceList ??= []) as unknown[];
    for (const k of kids(n))
      list.push({
        type: k.attrs.find((a) => a.ns === '' && a.local === 'type')?.value.trim() ?? '',
        source: text(k),
      });
  },
  destinationList: (n, ev) => {
    const list = (ev.destinationList ??= []) as unknown[];
    for (const k of kids(n))
      list.push({
        type: k.attrs.find((a) => a.ns === '' && a.local === 'type')?.value.trim() ?? '',
        destination: text(k),
      });
  },
  persistentDisposition: (n, ev) => {
    const pd: { set?: string[]; unset?: string[] } = (ev.persistentDisposition ??= {}) as never;
    for (const k of kids(n))
      if (k.ns === '' && (k.local === 'set' || k.local === 'unset')) (pd[k.local] ??= []).push(text(k));
  },
  sensorElementList: (n, ev, ctx) => {
    const cur = ev.sensorElementList as SensorElement[] | undefined;
    if (cur) cur.push(...sensorElementList(n, ctx));
    else ev.sensorElementList = sensorElementList(n, ctx);
  },
  ilmd: (n, ev, ctx) => {
    ev.ilmd = ilmd(n, ctx, (ev.ilmd as Extensions | undefined) ?? {});
  },
};

function eventFields(n: XNode, ev: Record<string, unknown>, ctx: MapContext): void {
  for (const k of kids(n)) {
    if (k.ns !== '') {
      addMember(ev, ctx.key(k), extensionValue(k, ctx));
      continue;
    }
    const r = EVENT_FIELDS[k.local];
    if (r !== undefined) r(k, ev, ctx);
    else if (k.local === 'extension' || k.local === 'baseExtension') {
      foreignAttributes(k, ev, ctx);
      eventFields(k, ev, ctx);
    } else unknownChild(k, ev, ev.type as string, ctx);
  }
}

/** One event element (of any type) → the model. */
export function mapEvent(n: XNode, type: string, ctx: MapContext): EPCISEvent {
  const ev: Record<string, unknown> = { type };
  foreignAttributes(n, ev, ctx);
  eventFields(n, ev, ctx);
  return ev as unknown as EPCISEvent;
}

export const STANDARD_EVENTS = new Set([
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
]);

/** A child of `EventList` → its events: an event, or an `extension` wrapper holding events (1.2). */
export function mapEventListChild(n: XNode, ctx: MapContext, out: EPCISEvent[]): void {
  const local = n.ns === '' || isEpcisNs(n.ns);
  if (local && STANDARD_EVENTS.has(n.local)) out.push(mapEvent(n, n.local, ctx));
  else if (local && n.local === 'extension') for (const k of kids(n)) mapEventListChild(k, ctx, out);
  else if (local && n.local === 'QuantityEvent')
    ctx.warn(
      XML_WARNING_CODES.dropped,
      'QuantityEvent (EPCIS 1.x) has no EPCIS 2.0 equivalent; dropped (express it as an ObjectEvent with a quantityList)',
      n,
    );
  else if (!local) out.push(mapEvent(n, ctx.key(n), ctx));
  else ctx.warn(XML_WARNING_CODES.dropped, `<${n.local}> in EventList is not an event; dropped`, n);
}

// ---- header and master data ----

function attributeValue(n: XNode, ctx: MapContext): unknown {
  if (n.children === null || n.children.length === 0) return text(n);
  const obj: Record<string, unknown> = {};
  for (const k of n.children) addMember(obj, ctx.key(k), extensionValue(k, ctx));
  const t = text(n);
  if (t !== '') obj['#text'] = t;
  return obj;
}

export function mapVocabularyList(n: XNode, ctx: MapContext): Vocabulary[] {
  const out: Vocabulary[] = [];
  for (const v of kids(n)) {
    if (v.ns !== '' || v.local !== 'Vocabulary') continue;
    const voc: Vocabulary = {
      type: v.attrs.find((a) => a.ns === '' && a.local === 'type')?.value.trim() ?? '',
      vocabularyElementList: [],
    };
    for (const list of kids(v)) {
      if (list.ns !== '' || list.local !== 'VocabularyElementList') {
        ctx.warn(
          XML_WARNING_CODES.dropped,
          `<${list.local}> in Vocabulary has no place in the model; dropped`,
          list,
        );
        continue;
      }
      for (const e of kids(list)) {
        const ve: VocabularyElement = {
          id: e.attrs.find((a) => a.ns === '' && a.local === 'id')?.value.trim() ?? '',
        };
        for (const k of kids(e)) {
          if (k.ns === '' && k.local === 'attribute')
            (ve.attributes ??= []).push({
              id: k.attrs.find((a) => a.ns === '' && a.local === 'id')?.value.trim() ?? '',
              attribute: attributeValue(k, ctx),
            });
          else if (k.ns === '' && k.local === 'children') ve.children = epcs(k);
          else
            ctx.warn(
              XML_WARNING_CODES.dropped,
              `<${k.local}> in VocabularyElement has no place in the model; dropped`,
              k,
            );
        }
        voc.vocabularyElementList.push(ve);
      }
    }
    out.push(voc);
  }
  return out;
}

/** `EPCISHeader` → `epcisHeader`: the SBDH as a `sbdh:`-named object, master data, extensions. */
export function mapHeader(n: XNode, ctx: MapContext): EPCISHeader {
  const h: EPCISHeader = {};
  foreignAttributes(n, h, ctx);
  for (const k of kids(n)) {
    if (k.ns !== '') addMember(h, ctx.key(k), extensionValue(k, ctx));
    else if (k.local === 'extension') {
      for (const x of kids(k)) {
        if (x.ns === '' && x.local === 'EPCISMasterData') {
          const list = kids(x).find((c) => c.ns === '' && c.local === 'VocabularyList');
          h.epcisMasterData = { vocabularyList: list ? mapVocabularyList(list, ctx) : [] };
        } else
          ctx.warn(
            XML_WARNING_CODES.dropped,
            `<${x.local}> in EPCISHeader/extension has no place in the model; dropped`,
            x,
          );
      }
    } else unknownChild(k, h, 'EPCISHeader', ctx);
  }
  return h;
}
