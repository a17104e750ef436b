/**
 * The EPCIS 2.0 model → EPCIS XML, 2.0 (`urn:epcglobal:epcis:xsd:2`) or 1.2 (`urn:epcglobal:epcis:xsd:1`).
 *
 * Elements are written in the order of the XSD sequences, values escaped, every namespace the
 * document uses declared on the root element. Extension members (CURIE or full-URI names) become
 * elements in their namespace — prefixes from the document's `@context` (the standard context's own
 * prefixes included; `cbvmda` is written with CBV's XML namespace `urn:epcglobal:cbv:mda`) — placed
 * in the `##other` wildcard position of their parent; members of extension objects become child
 * elements (`#text` the element's text, `xsi:type` an attribute; a JSON-LD value object
 * `{"@value", "@type"}` becomes text with `xsi:type`), arrays repeated elements.
 *
 * What XML has no place for is reported, never silently dropped: the result's `warnings` list
 * each one (with a JSON pointer), and `strict: true` turns them into errors instead.
 * - Always: the JSON-only document members `id`, `sender`, `receiver`, `instanceIdentifier` (the XML
 *   binding carries them only inside an SBDH, which is written when the model has one); header
 *   extension members in 2.0 (EPCISHeader has no wildcard there); unprefixed members where no
 *   `##local` extension point exists; a second `certificationInfo` (the XSD allows one); object or
 *   array values of sensor metadata / report members (XML attributes hold text only).
 * - EPCIS 1.2 has no AssociationEvent, sensor data, persistent disposition or certification info.
 *   They are written where GS1's 1.2 converter puts them — `EventList/extension/extension/AssociationEvent`,
 *   the innermost `##local` `extension` of the event, `baseExtension/extension/certificationInfo` —
 *   which the 1.2 XSD accepts (lax wildcards) and this package reads back, but a 1.2-only reader
 *   will ignore; each such placement is reported as a warning (code {@link XML_WRITE_CODES.extension12}).
 *   Extension event types, master data without an SBDH (1.2 requires the SBDH in the header) and a
 *   query result that is not an event list cannot be written in 1.2 at all ({@link XML_WRITE_CODES.loss}).
 *
 * CBV values: by default a standard bare word (the JSON-LD form, `shipping`) is written in the form
 * XML uses — the CBV Web URI in 2.0, the 1.x URN in 1.2 (GS1 Web Vocabulary URIs for measurement
 * and alert types) — and any other value as it is; `cbv: 'as-is'` writes every value unchanged.
 */
import { type CbvKind, isStandardBareWord, toUrn, toWebUri } from '../cbv.ts';
import type { EPCISAnyDocument, EPCISEvent, EpcisProblem, JsonLdContext } from '../model.ts';
import { NS } from './schema.ts';
import { indexOfNonXmlChar } from './tokenizer.ts';

export interface XmlWriteOptions {
  /** EPCIS version of the XML. Default '2.0'. */
  version?: '2.0' | '1.2';
  /** Standard bare CBV words → URI (default 'uri') or unchanged ('as-is'). */
  cbv?: 'uri' | 'as-is';
  /** Fail instead of warning when something has no exact place in the chosen XML version. Default false. */
  strict?: boolean;
  /** Indentation per level; '' writes everything on one line. Default two spaces. */
  indent?: string;
  /** Write `<?xml version="1.0" encoding="UTF-8"?>`. Default true. */
  xmlDeclaration?: boolean;
}

export type XmlWriteResult =
  | { ok: true; value: string; warnings: EpcisProblem[] }
  | { ok: false; errors: EpcisProblem[] };

export const XML_WRITE_CODES = Object.freeze({
  /** Content with no place in the XML of the chosen version: not written. */
  loss: 'RX_EPCIS_XML_NOT_EXPRESSIBLE',
  /** 2.0 content written in a 1.2 extension position (read back by this package; ignored by 1.2-only readers). */
  extension12: 'RX_EPCIS_XML_12_EXTENSION',
  /** A CURIE whose prefix no `@context` declares. */
  prefix: 'RX_EPCIS_XML_UNDECLARED_PREFIX',
  /** A character XML 1.0 cannot carry (control characters). */
  character: 'RX_EPCIS_XML_CHARACTER',
  /** Something the XML requires is missing from the model (written without it). */
  required: 'RX_EPCIS_XML_REQUIRED_MISSING',
});

/** Prefixes of the standard EPCIS 2.0 JSON-LD context, as XML namespaces. */
const STANDARD_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcterms: 'http://purl.org/dc/terms/',
  xsi: NS.xsi,
});

/**
 * Members that go back into attributes: in the model, attributes of extension elements and child
 * elements look alike, so the writer makes child elements of them — except here, where the schema
 * demands attributes (the SBDH), and for `xsi:` members.
 */
const ATTRIBUTE_MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [`{${NS.sbdh}}Identifier`, new Set(['Authority'])],
  [
    `{${NS.sbdh}}ServiceTransaction`,
    new Set([
      'TypeOfServiceTransaction',
      'IsNonRepudiationRequired',
      'IsAuthenticationRequired',
      'IsNonRepudiationOfReceiptRequired',
      'IsIntegrityCheckRequired',
      'IsApplicationErrorResponseRequested',
      'TimeToAcknowledgeReceipt',
      'TimeToAcknowledgeAcceptance',
      'TimeToPerform',
      'Recurrence',
    ]),
  ],
]);

// ---- event layouts (XSD sequences) ----

type Layout = readonly string[];
const BODY_20: Readonly<Record<string, Layout>> = {
  ObjectEvent: [
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AggregationEvent: [
    'parentID',
    'childEPCs',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'childQuantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransactionEvent: [
    'bizTransactionList',
    'parentID',
    'epcList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AssociationEvent: [
    'parentID',
    'childEPCs',
    'childQuantityList',
    'action',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
};
/** Field order for extension event types (any standard field they carry). */
const GENERIC_BODY: Layout = [
  'parentID',
  'epcList',
  'childEPCs',
  'inputEPCList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'transformationID',
  'action',
  'bizStep',
  'disposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'quantityList',
  'childQuantityList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'persistentDisposition',
  'ilmd',
];
/** EPCIS 1.2: fields in the event body, in its `extension`, and in the innermost `##local` extension (2.0 additions). */
interface Layout12 {
  main: Layout;
  /** Fields that must be present (written empty when the model has none). */
  required?: readonly string[];
  ext: Layout;
  /** true: `ext` holds `##local` content directly (TransformationEvent), no second extension level. */
  flat?: boolean;
}
const BODY_12: Readonly<Record<string, Layout12>> = {
  ObjectEvent: {
    main: ['epcList', 'action', 'bizStep', 'disposition', 'readPoint', 'bizLocation', 'bizTransactionList'],
    required: ['epcList'],
    ext: ['quantityList', 'sourceList', 'destinationList', 'ilmd'],
  },
  AggregationEvent: {
    main: [
      'parentID',
      'childEPCs',
      'action',
      'bizStep',
      'disposition',
      'readPoint',
      'bizLocation',
      'bizTransactionList',
    ],
    required: ['childEPCs'],
    ext: ['childQuantityList', 'sourceList', 'destinationList'],
  },
  TransactionEvent: {
    main: [
      'bizTransactionList',
      'parentID',
      'epcList',
      'action',
      'bizStep',
      'disposition',
      'readPoint',
      'bizLocation',
    ],
    required: ['epcList'],
    ext: ['quantityList', 'sourceList', 'destinationList'],
  },
  TransformationEvent: {
    main: [
      'inputEPCList',
      'inputQuantityList',
      'outputEPCList',
      'outputQuantityList',
      'transformationID',
      'bizStep',
      'disposition',
      'readPoint',
      'bizLocation',
      'bizTransactionList',
      'sourceList',
      'destinationList',
      'ilmd',
    ],
    ext: [],
    flat: true,
  },
};
const ONLY_20 = ['sensorElementList', 'persistentDisposition'] as const;
const BASE_FIELDS = new Set([
  'type',
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'errorDeclaration',
  'certificationInfo',
  '@context',
]);
const EVENT_FIELDS = new Set([...BASE_FIELDS, ...GENERIC_BODY]);

const EPC_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const QTY_LISTS = new Set(['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']);
const TEXT_FIELDS = new Set([
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'parentID',
  'action',
  'transformationID',
]);

const METADATA_ATTRS = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
];
const REPORT_ATTRS = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
];
const REPORT_VOCAB: Record<string, CbvKind> = {
  type: 'measurementType',
  component: 'sensorComponent',
  exception: 'sensorAlertType',
};

// ---- escaping ----

export function escapeText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}
export function escapeAttr(s: string): string {
  return /[&<>"\t\n\r]/.test(s)
    ? s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\t/g, '&#9;')
        .replace(/\n/g, '&#10;')
        .replace(/\r/g, '&#13;')
    : s;
}

/** A decimal number without exponent (xs:decimal has none). */
function decimalString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [m, e] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(e);
  const neg = m.startsWith('-');
  const digits = (neg ? m.slice(1) : m).replace('.', '');
  const point = (neg ? m.slice(1) : m).indexOf('.');
  const intLen = (point === -1 ? digits.length : point) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'INF' : v < 0 ? '-INF' : 'NaN';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '';
  return undefined;
}

// ---- the writer ----

class Writer {
  readonly warnings: EpcisProblem[] = [];
  readonly errors: EpcisProblem[] = [];
  private readonly out: string[] = [];
  private readonly nl: string;
  /** prefix → namespace from the document's @context (and the standard prefixes). */
  private readonly known = new Map<string, string>();
  /** prefix → namespace actually used (declared on the root). */
  readonly used = new Map<string, string>();
  private readonly byUri = new Map<string, string>();
  readonly v12: boolean;

  constructor(
    readonly opts: XmlWriteOptions,
    context: JsonLdContext | undefined,
  ) {
    this.v12 = opts.version === '1.2';
    this.nl = opts.indent === '' ? '' : '\n';
    for (const [p, u] of Object.entries(STANDARD_PREFIXES)) this.known.set(p, u);
    this.addContext(context);
  }

  /** Takes the prefixes of a `@context`; each is declared on the root (the document's own namespaces survive a round trip). */
  addContext(context: unknown): void {
    for (const c of Array.isArray(context) ? context : [context])
      if (c !== null && typeof c === 'object')
        for (const [p, u] of Object.entries(c as Record<string, unknown>)) {
          if (
            typeof u !== 'string' ||
            p.startsWith('@') ||
            !/^[A-Za-z_][\w.-]*$/.test(p) ||
            u.startsWith(NS.xsd)
          )
            continue;
          const ns = p === 'cbvmda' && u === 'urn:epcglobal:cbv:mda:' ? 'urn:epcglobal:cbv:mda' : u;
          this.known.set(p, ns);
          if (ns !== NS.xsd && ns !== STANDARD_PREFIXES.epcis && !this.used.has(p)) this.use(p, ns);
        }
  }

  note(code: string, message: string, pointer: string): void {
    (this.opts.strict ? this.errors : this.warnings).push({ code, message, pointer });
  }

  private pad(depth: number): string {
    return this.nl === '' ? '' : this.nl + (this.opts.indent ?? '  ').repeat(depth);
  }

  /** `s` as element text; a character XML 1.0 cannot carry is an error. */
  text(s: string, pointer: string): string {
    this.checkChars(s, pointer);
    return escapeText(s);
  }

  attr(s: string, pointer: string): string {
    this.checkChars(s, pointer);
    return escapeAttr(s);
  }

  private checkChars(s: string, pointer: string): void {
    const i = indexOfNonXmlChar(s);
    if (i !== -1) {
      const cp = s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
      this.errors.push({
        code: XML_WRITE_CODES.character,
        message: `character U+${cp} cannot be written in XML 1.0`,
        pointer,
      });
    }
  }

  /** `prefix:local` for an extension member name, or null when it has no namespace. */
  qname(key: string, pointer: string): string | null {
    const colon = key.indexOf(':');
    if (colon <= 0) return null;
    const prefix = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    const ns = this.known.get(prefix);
    if (ns !== undefined && !rest.startsWith('//') && /^[A-Za-z_][\w.-]*$/.test(rest)) {
      this.use(prefix, ns);
      return key;
    }
    // A full IRI as the name: split at the last '#' or '/'.
    const cut = Math.max(key.lastIndexOf('#'), key.lastIndexOf('/'));
    if (/^[a-z][a-z0-9+.-]*:/i.test(key) && cut > 0 && /^[A-Za-z_][\w.-]*$/.test(key.slice(cut + 1))) {
      const uri = key.slice(0, cut + 1);
      return `${this.prefixFor(uri)}:${key.slice(cut + 1)}`;
    }
    this.note(XML_WRITE_CODES.prefix, `the prefix of '${key}' is not declared in @context`, pointer);
    return null;
  }

  private use(prefix: string, ns: string): void {
    if (!this.used.has(prefix)) {
      this.used.set(prefix, ns);
      if (!this.byUri.has(ns)) this.byUri.set(ns, prefix);
    }
  }

  prefixFor(uri: string): string {
    const p = this.byUri.get(uri);
    if (p !== undefined) return p;
    for (const [k, u] of this.known)
      if (u === uri && (!this.used.has(k) || this.used.get(k) === uri)) {
        this.use(k, uri);
        return k;
      }
    let i = 1;
    while (this.known.has(`ns${i}`) || this.used.has(`ns${i}`)) i++;
    this.use(`ns${i}`, uri);
    return `ns${i}`;
  }

  // -- output --
  open(name: string, depth: number, attrs = ''): void {
    this.out.push(`${this.pad(depth)}<${name}${attrs}>`);
  }
  close(name: string, depth: number): void {
    this.out.push(`${this.pad(depth)}</${name}>`);
  }
  leaf(name: string, value: string, depth: number, attrs = ''): void {
    this.out.push(
      value === ''
        ? `${this.pad(depth)}<${name}${attrs}/>`
        : `${this.pad(depth)}<${name}${attrs}>${value}</${name}>`,
    );
  }
  raw(s: string): void {
    this.out.push(s);
  }
  mark(): number {
    return this.out.length;
  }
  /** Removes and returns what was written since `mark`. */
  take(mark: number): string[] {
    return this.out.splice(mark);
  }
  put(parts: readonly string[]): void {
    for (const x of parts) this.out.push(x);
  }
  /** Wraps everything written since `mark` in an element (when anything was written). */
  wrapSince(mark: number, name: string, depth: number): void {
    if (this.out.length === mark) return;
    this.out.splice(mark, 0, `${this.pad(depth)}<${name}>`);
    this.out.push(`${this.pad(depth)}</${name}>`);
  }
  result(): string {
    return this.out.join('');
  }

  vocab(kind: CbvKind, v: unknown): unknown {
    if (this.opts.cbv === 'as-is' || typeof v !== 'string' || !isStandardBareWord(kind, v)) return v;
    return (this.v12 ? toUrn(kind, v) : undefined) ?? toWebUri(kind, v) ?? v;
  }

  // -- extension values --
  /** Writes one extension member (name + value; arrays repeat the element). */
  extension(key: string, value: unknown, depth: number, pointer: string, qn?: string): void {
    const name = qn ?? this.qname(key, pointer) ?? key;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.extension(key, value[i], depth, `${pointer}/${i}`, name);
      return;
    }
    const s = scalar(value);
    if (s !== undefined) {
      this.leaf(name, this.text(s, pointer), depth);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    let attrs = '';
    let textValue = '';
    const members: [string, unknown][] = [];
    const colon = name.indexOf(':');
    const asAttrs = ATTRIBUTE_MEMBERS.get(
      `{${colon > 0 ? this.used.get(name.slice(0, colon)) : ''}}${name.slice(colon + 1)}`,
    );
    for (const [k, v] of Object.entries(o)) {
      if (k === '#text' || k === '@value') textValue = scalar(v) ?? '';
      else if (asAttrs?.has(k) && scalar(v) !== undefined)
        attrs += ` ${k}="${this.attr(scalar(v)!, `${pointer}/${k}`)}"`;
      else if (k === 'xsi:type' || k === '@type') {
        if (typeof v === 'string') {
          this.use('xsi', NS.xsi);
          const t = this.xsiTypeValue(v, `${pointer}/${k}`);
          attrs += ` xsi:type="${this.attr(t, pointer)}"`;
        }
      } else if (k === '@language') {
        if (typeof v === 'string') attrs += ` xml:lang="${this.attr(v, pointer)}"`;
      } else if (!k.startsWith('@')) members.push([k, v]);
    }
    if (members.length === 0) {
      this.leaf(name, this.text(textValue, pointer), depth, attrs);
      return;
    }
    this.open(name, depth, attrs);
    if (textValue !== '') this.raw(this.text(textValue, pointer));
    for (const [k, v] of members) this.extension(k, v, depth + 1, `${pointer}/${escapePointer(k)}`);
    this.close(name, depth);
  }

  /** An xsi:type value: `xsd:` names the XML Schema namespace; other prefixes must be declared too. */
  private xsiTypeValue(v: string, pointer: string): string {
    const colon = v.indexOf(':');
    if (colon <= 0) return v;
    const p = v.slice(0, colon);
    if (p === 'xsd' || p === 'xs') {
      this.use(p, NS.xsd);
      return v;
    }
    const ns = this.known.get(p);
    if (ns !== undefined) this.use(p, ns);
    else
      this.note(XML_WRITE_CODES.prefix, `the prefix of xsi:type '${v}' is not declared in @context`, pointer);
    return v;
  }

  /**
   * Extension members of a standard element: namespaced ones as `##other` elements here; unprefixed
   * ones into `localExt` (a `##local` extension element name) when given, else reported.
   */
  members(
    obj: Record<string, unknown>,
    skip: ReadonlySet<string>,
    depth: number,
    pointer: string,
    where: string,
    localOut?: [string, unknown][],
  ): void {
    for (const [k, v] of Object.entries(obj)) {
      if (skip.has(k) || k.startsWith('@') || v === undefined) continue;
      const p = `${pointer}/${escapePointer(k)}`;
      const qn = k.indexOf(':') > 0 ? this.qname(k, p) : null;
      if (qn !== null) this.extension(k, v, depth, p, qn);
      else if (localOut !== undefined) localOut.push([k, v]);
      else if (k.indexOf(':') <= 0)
        this.note(
          XML_WRITE_CODES.loss,
          `'${k}' in ${where} is neither an EPCIS field nor a namespaced extension: not written`,
          p,
        );
    }
  }
}

function escapePointer(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

// ---- standard structures ----

function writeEpcs(w: Writer, name: string, list: unknown, depth: number, pointer: string): void {
  const a = Array.isArray(list) ? list : [];
  if (a.length === 0) {
    w.leaf(name, '', depth);
    return;
  }
  w.open(name, depth);
  for (let i = 0; i < a.length; i++) w.leaf('epc', w.text(scalar(a[i]) ?? '', `${pointer}/${i}`), depth + 1);
  w.close(name, depth);
}

function writeQuantities(w: Writer, name: string, list: unknown, depth: number, pointer: string): void {
  const a = Array.isArray(list) ? list : [];
  if (a.length === 0) {
    w.leaf(name, '', depth);
    return;
  }
  w.open(name, depth);
  a.forEach((q: Record<string, unknown>, i) => {
    const p = `${pointer}/${i}`;
    w.open('quantityElement', depth + 1);
    w.leaf('epcClass', w.text(scalar(q.epcClass) ?? '', `${p}/epcClass`), depth + 2);
    if (q.quantity !== undefined)
      w.leaf(
        'quantity',
        typeof q.quantity === 'number'
          ? decimalString(q.quantity)
          : w.text(scalar(q.quantity) ?? '', `${p}/quantity`),
        depth + 2,
      );
    if (q.uom !== undefined) {
      if (q.quantity === undefined)
        w.note(
          XML_WRITE_CODES.loss,
          'uom without quantity cannot be written (the XSD ties uom to quantity)',
          `${p}/uom`,
        );
      else w.leaf('uom', w.text(scalar(q.uom) ?? '', `${p}/uom`), depth + 2);
    }
    w.close('quantityElement', depth + 1);
  });
  w.close(name, depth);
}

const LOCATION_FIELDS = new Set(['id']);
function writeLocation(w: Writer, name: string, loc: unknown, depth: number, pointer: string): void {
  const o = (loc ?? {}) as Record<string, unknown>;
  w.open(name, depth);
  w.leaf('id', w.text(scalar(o.id) ?? '', `${pointer}/id`), depth + 1);
  const local: [string, unknown][] = [];
  const m = w.mark();
  w.members(o, LOCATION_FIELDS, depth + 1, pointer, name, local);
  writeLocalExtension(w, local, depth + 1, pointer, m);
  w.close(name, depth);
}

/** Unprefixed members → an `extension` element (##local) placed before the `##other` elements written since `mark`. */
function writeLocalExtension(
  w: Writer,
  local: [string, unknown][],
  depth: number,
  pointer: string,
  mark: number,
): void {
  if (local.length === 0) return;
  // XSD order: the extension element first, then the ##other elements written since `mark`.
  const others = w.take(mark);
  w.open('extension', depth);
  for (const [k, v] of local) w.extension(k, v, depth + 1, `${pointer}/${escapePointer(k)}`, k);
  w.close('extension', depth);
  w.put(others);
}

function writeBizTransactions(w: Writer, list: unknown, depth: number, pointer: string): void {
  const a = Array.isArray(list) ? list : [];
  w.open('bizTransactionList', depth);
  a.forEach((b: Record<string, unknown>, i) => {
    const t = w.vocab('bizTransactionType', b.type);
    const attrs = t !== undefined ? ` type="${w.attr(scalar(t) ?? '', `${pointer}/${i}/type`)}"` : '';
    w.leaf('bizTransaction', w.text(scalar(b.bizTransaction) ?? '', `${pointer}/${i}`), depth + 1, attrs);
  });
  w.close('bizTransactionList', depth);
}

function writeSourceDest(
  w: Writer,
  listName: string,
  item: 'source' | 'destination',
  list: unknown,
  depth: number,
  pointer: string,
): void {
  const a = Array.isArray(list) ? list : [];
  w.open(listName, depth);
  a.forEach((s: Record<string, unknown>, i) => {
    const t = w.vocab('sourceDestType', s.type);
    w.leaf(
      item,
      w.text(scalar(s[item]) ?? '', `${pointer}/${i}`),
      depth + 1,
      ` type="${w.attr(scalar(t) ?? '', `${pointer}/${i}/type`)}"`,
    );
  });
  w.close(listName, depth);
}

function writePersistentDisposition(w: Writer, pd: unknown, depth: number, pointer: string): void {
  const o = (pd ?? {}) as { set?: unknown[]; unset?: unknown[] };
  w.open('persistentDisposition', depth);
  for (const k of ['unset', 'set'] as const) {
    const list = o[k] ?? [];
    for (let i = 0; i < list.length; i++)
      w.leaf(k, w.text(scalar(w.vocab('disposition', list[i])) ?? '', `${pointer}/${k}/${i}`), depth + 1);
  }
  w.close('persistentDisposition', depth);
}

const ERROR_FIELDS = new Set(['declarationTime', 'reason', 'correctiveEventIDs']);
function writeErrorDeclaration(w: Writer, ed: unknown, depth: number, pointer: string): void {
  const o = (ed ?? {}) as Record<string, unknown>;
  w.open('errorDeclaration', depth);
  if (o.declarationTime !== undefined)
    w.leaf(
      'declarationTime',
      w.text(scalar(o.declarationTime) ?? '', `${pointer}/declarationTime`),
      depth + 1,
    );
  if (o.reason !== undefined)
    w.leaf('reason', w.text(scalar(w.vocab('errorReason', o.reason)) ?? '', `${pointer}/reason`), depth + 1);
  if (Array.isArray(o.correctiveEventIDs)) {
    w.open('correctiveEventIDs', depth + 1);
    const ids = o.correctiveEventIDs;
    for (let i = 0; i < ids.length; i++)
      w.leaf(
        'correctiveEventID',
        w.text(scalar(ids[i]) ?? '', `${pointer}/correctiveEventIDs/${i}`),
        depth + 2,
      );
    w.close('correctiveEventIDs', depth + 1);
  }
  const local: [string, unknown][] = [];
  const m = w.mark();
  w.members(o, ERROR_FIELDS, depth + 1, pointer, 'errorDeclaration', local);
  writeLocalExtension(w, local, depth + 1, pointer, m);
  w.close('errorDeclaration', depth);
}

function sensorAttrs(
  w: Writer,
  o: Record<string, unknown>,
  names: readonly string[],
  vocab: Record<string, CbvKind>,
  pointer: string,
): string {
  let attrs = '';
  const known = new Set(names);
  for (const n of names) {
    const v = o[n];
    if (v === undefined) continue;
    const s = scalar(vocab[n] ? w.vocab(vocab[n]!, v) : v);
    if (s === undefined)
      w.note(XML_WRITE_CODES.loss, `${n} must be text to be an XML attribute`, `${pointer}/${n}`);
    else attrs += ` ${n}="${w.attr(s, `${pointer}/${n}`)}"`;
  }
  for (const [k, v] of Object.entries(o)) {
    if (known.has(k) || v === undefined || k.startsWith('@')) continue;
    const p = `${pointer}/${escapePointer(k)}`;
    const s = scalar(v);
    if (s === undefined) {
      w.note(
        XML_WRITE_CODES.loss,
        `'${k}' has an object or array value, which an XML attribute cannot hold: not written`,
        p,
      );
      continue;
    }
    const name = k.indexOf(':') > 0 ? w.qname(k, p) : /^[A-Za-z_][\w.-]*$/.test(k) ? k : null;
    if (name === null) continue;
    attrs += ` ${name}="${w.attr(s, p)}"`;
  }
  return attrs;
}

const SENSOR_ELEMENT_FIELDS = new Set(['sensorMetadata', 'sensorReport']);
function writeSensorElementList(w: Writer, list: unknown, depth: number, pointer: string): void {
  const a = Array.isArray(list) ? list : [];
  w.open('sensorElementList', depth);
  a.forEach((se: Record<string, unknown>, i) => {
    const p = `${pointer}/${i}`;
    w.open('sensorElement', depth + 1);
    if (se.sensorMetadata !== undefined)
      w.leaf(
        'sensorMetadata',
        '',
        depth + 2,
        sensorAttrs(
          w,
          se.sensorMetadata as Record<string, unknown>,
          METADATA_ATTRS,
          {},
          `${p}/sensorMetadata`,
        ),
      );
    const reports = Array.isArray(se.sensorReport)
      ? se.sensorReport
      : se.sensorReport !== undefined
        ? [se.sensorReport]
        : [];
    for (let j = 0; j < reports.length; j++) {
      const attrs = sensorAttrs(
        w,
        reports[j] as Record<string, unknown>,
        REPORT_ATTRS,
        REPORT_VOCAB,
        `${p}/sensorReport/${j}`,
      );
      w.leaf('sensorReport', '', depth + 2, attrs);
    }
    const local: [string, unknown][] = [];
    const m = w.mark();
    w.members(se, SENSOR_ELEMENT_FIELDS, depth + 2, p, 'sensorElement', local);
    writeLocalExtension(w, local, depth + 2, p, m);
    w.close('sensorElement', depth + 1);
  });
  w.close('sensorElementList', depth);
}

function writeIlmd(w: Writer, ilmd: unknown, depth: number, pointer: string): void {
  const o = (ilmd ?? {}) as Record<string, unknown>;
  w.open('ilmd', depth);
  const local: [string, unknown][] = [];
  const m = w.mark();
  w.members(o, NO_KEYS, depth + 1, pointer, 'ilmd', local);
  writeLocalExtension(w, local, depth + 1, pointer, m);
  w.close('ilmd', depth);
}
const NO_KEYS: ReadonlySet<string> = new Set();

/** One standard field of the event body. */
function writeField(w: Writer, ev: Record<string, unknown>, f: string, depth: number, pointer: string): void {
  const v = ev[f];
  if (v === undefined) return;
  const p = `${pointer}/${f}`;
  if (EPC_LISTS.has(f)) writeEpcs(w, f, v, depth, p);
  else if (QTY_LISTS.has(f)) writeQuantities(w, f, v, depth, p);
  else if (TEXT_FIELDS.has(f)) w.leaf(f, w.text(scalar(v) ?? '', p), depth);
  else if (f === 'bizStep') w.leaf(f, w.text(scalar(w.vocab('bizStep', v)) ?? '', p), depth);
  else if (f === 'disposition') w.leaf(f, w.text(scalar(w.vocab('disposition', v)) ?? '', p), depth);
  else if (f === 'readPoint' || f === 'bizLocation') writeLocation(w, f, v, depth, p);
  else if (f === 'bizTransactionList') writeBizTransactions(w, v, depth, p);
  else if (f === 'sourceList') writeSourceDest(w, f, 'source', v, depth, p);
  else if (f === 'destinationList') writeSourceDest(w, f, 'destination', v, depth, p);
  else if (f === 'persistentDisposition') writePersistentDisposition(w, v, depth, p);
  else if (f === 'sensorElementList') writeSensorElementList(w, v, depth, p);
  else if (f === 'ilmd') writeIlmd(w, v, depth, p);
}

function certificationList(w: Writer, ev: Record<string, unknown>, pointer: string): string[] {
  const c = ev.certificationInfo;
  if (c === undefined) return [];
  const list = (Array.isArray(c) ? c : [c]).map((x) => scalar(x) ?? '');
  if (list.length > 1)
    w.note(
      XML_WRITE_CODES.loss,
      `only one certificationInfo fits in XML; ${list.length - 1} more not written`,
      `${pointer}/certificationInfo`,
    );
  return list.slice(0, 1);
}

/** `bare`: write the content only (the caller writes the element, e.g. as a document root). */
function writeEvent20(
  w: Writer,
  ev: Record<string, unknown>,
  name: string,
  depth: number,
  pointer: string,
  bare = false,
): void {
  if (!bare) w.open(name, depth);
  const d = depth + 1;
  for (const f of ['eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID'])
    writeField(w, ev, f, d, pointer);
  if (ev.errorDeclaration !== undefined)
    writeErrorDeclaration(w, ev.errorDeclaration, d, `${pointer}/errorDeclaration`);
  for (const c of certificationList(w, ev, pointer))
    w.leaf('certificationInfo', w.text(c, `${pointer}/certificationInfo`), d);
  const layout = BODY_20[ev.type as string] ?? GENERIC_BODY;
  for (const f of layout) writeField(w, ev, f, d, pointer);
  w.members(ev, EVENT_FIELDS, d, pointer, 'the event');
  if (!bare) w.close(name, depth);
}

function writeEvent12(
  w: Writer,
  ev: Record<string, unknown>,
  name: string,
  depth: number,
  pointer: string,
  bare = false,
): void {
  const type = ev.type as string;
  const d = depth + 1;
  if (!bare) w.open(name, depth);
  for (const f of ['eventTime', 'recordTime', 'eventTimeZoneOffset']) writeField(w, ev, f, d, pointer);
  // baseExtension: eventID, errorDeclaration, extension(certificationInfo)
  const mb = w.mark();
  writeField(w, ev, 'eventID', d + 1, pointer);
  if (ev.errorDeclaration !== undefined)
    writeErrorDeclaration(w, ev.errorDeclaration, d + 1, `${pointer}/errorDeclaration`);
  const mc = w.mark();
  for (const c of certificationList(w, ev, pointer)) {
    w.leaf('certificationInfo', w.text(c, `${pointer}/certificationInfo`), d + 2);
    w.note(
      XML_WRITE_CODES.extension12,
      'certificationInfo (EPCIS 2.0) written in baseExtension/extension',
      `${pointer}/certificationInfo`,
    );
  }
  w.wrapSince(mc, 'extension', d + 1);
  w.wrapSince(mb, 'baseExtension', d);
  const L = BODY_12[type];
  if (L === undefined) {
    // AssociationEvent (inside EventList/extension/extension): the 2.0 body, read by lax processing.
    for (const f of BODY_20[type] ?? GENERIC_BODY) writeField(w, ev, f, d, pointer);
    for (const f of ONLY_20)
      if (ev[f] !== undefined)
        w.note(
          XML_WRITE_CODES.extension12,
          `${f} (EPCIS 2.0) written inside the AssociationEvent extension element`,
          `${pointer}/${f}`,
        );
    w.members(ev, EVENT_FIELDS, d, pointer, 'the event');
    if (!bare) w.close(name, depth);
    return;
  }
  for (const f of L.main) {
    if (ev[f] === undefined && L.required?.includes(f)) w.leaf(f, '', d);
    else writeField(w, ev, f, d, pointer);
  }
  const local: [string, unknown][] = [];
  const me = w.mark();
  const inner = L.flat ? d + 1 : d + 2;
  if (!L.flat) for (const f of L.ext) writeField(w, ev, f, d + 1, pointer);
  const m2 = w.mark();
  for (const f of ONLY_20) {
    if (ev[f] === undefined) continue;
    writeField(w, ev, f, inner, pointer);
    w.note(
      XML_WRITE_CODES.extension12,
      `${f} (EPCIS 2.0) written in the event's ##local extension element`,
      `${pointer}/${f}`,
    );
  }
  // Unprefixed members go into the ##local extension too; namespaced ones after it (##other).
  const mo = w.mark();
  w.members(ev, EVENT_FIELDS, d, pointer, 'the event', local);
  const others = w.take(mo);
  for (const [k, v] of local) w.extension(k, v, inner, `${pointer}/${escapePointer(k)}`, k);
  if (!L.flat) w.wrapSince(m2, 'extension', d + 1);
  w.wrapSince(me, 'extension', d);
  w.put(others);
  if (!bare) w.close(name, depth);
}

function rootDeclarations(w: Writer, base: string): string {
  let s = base;
  for (const [p, u] of w.used) s += ` xmlns:${p}="${escapeAttr(u)}"`;
  return s;
}

const DOC_MEMBERS = new Set([
  '@context',
  'type',
  'schemaVersion',
  'creationDate',
  'epcisHeader',
  'epcisBody',
]);
const JSON_ONLY_MEMBERS = new Set(['id', 'sender', 'receiver', 'instanceIdentifier']);

function sbdhKey(w: Writer, h: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(h)) {
    const colon = k.indexOf(':');
    if (colon > 0 && k.slice(colon + 1) === 'StandardBusinessDocumentHeader') {
      const q = w.qname(k, `/epcisHeader/${k}`);
      if (q !== null && w.used.get(q.slice(0, q.indexOf(':'))) === NS.sbdh) return k;
    }
  }
  return undefined;
}

function writeHeader(w: Writer, header: unknown, depth: number): void {
  if (header === undefined) return;
  const h = header as Record<string, unknown>;
  const m = w.mark();
  const sk = sbdhKey(w, h);
  if (sk !== undefined) w.extension(sk, h[sk], depth + 1, `/epcisHeader/${escapePointer(sk)}`);
  const md = h.epcisMasterData as { vocabularyList?: unknown[] } | undefined;
  if (md !== undefined) {
    if (w.v12 && sk === undefined)
      w.note(
        XML_WRITE_CODES.loss,
        'EPCIS 1.2 requires an SBDH in the header to carry master data; the master data is not written',
        '/epcisHeader/epcisMasterData',
      );
    else {
      w.open('extension', depth + 1);
      w.open('EPCISMasterData', depth + 2);
      writeVocabularyList(
        w,
        md.vocabularyList ?? [],
        depth + 3,
        '/epcisHeader/epcisMasterData/vocabularyList',
      );
      w.close('EPCISMasterData', depth + 2);
      w.close('extension', depth + 1);
    }
  }
  const rest = Object.keys(h).filter((k) => k !== sk && k !== 'epcisMasterData');
  if (rest.length) {
    if (w.v12 && sk !== undefined)
      w.members(h, new Set([sk, 'epcisMasterData']), depth + 1, '/epcisHeader', 'epcisHeader');
    else
      for (const k of rest)
        w.note(
          XML_WRITE_CODES.loss,
          `epcisHeader member '${k}' has no place in the EPCIS ${w.v12 ? '1.2 header without SBDH' : '2.0 XML header'}`,
          `/epcisHeader/${escapePointer(k)}`,
        );
  }
  if (w.v12 && sk === undefined) {
    // The 1.2 header must start with an SBDH: without one, no header at all.
    w.take(m);
    return;
  }
  w.wrapSince(m, 'EPCISHeader', depth);
}

function writeVocabularyList(w: Writer, list: unknown[], depth: number, pointer: string): void {
  if (list.length === 0) {
    w.leaf('VocabularyList', '', depth);
    return;
  }
  w.open('VocabularyList', depth);
  (list as Record<string, unknown>[]).forEach((voc, i) => {
    const p = `${pointer}/${i}`;
    const elements = (voc.vocabularyElementList ?? []) as Record<string, unknown>[];
    const tattr = ` type="${w.attr(scalar(voc.type) ?? '', `${p}/type`)}"`;
    if (elements.length === 0) {
      w.leaf('Vocabulary', '', depth + 1, tattr);
      return;
    }
    w.open('Vocabulary', depth + 1, tattr);
    w.open('VocabularyElementList', depth + 2);
    elements.forEach((ve, j) => {
      const q = `${p}/vocabularyElementList/${j}`;
      const idAttr = ` id="${w.attr(scalar(ve.id) ?? '', `${q}/id`)}"`;
      const attrs = (ve.attributes ?? []) as Record<string, unknown>[];
      const children = (ve.children ?? []) as unknown[];
      if (attrs.length === 0 && children.length === 0) {
        w.leaf('VocabularyElement', '', depth + 3, idAttr);
        return;
      }
      w.open('VocabularyElement', depth + 3, idAttr);
      attrs.forEach((a, k) => {
        const ap = `${q}/attributes/${k}`;
        const aid = ` id="${w.attr(scalar(a.id) ?? '', `${ap}/id`)}"`;
        const v = a.attribute;
        const s = scalar(v);
        if (s !== undefined) w.leaf('attribute', w.text(s, `${ap}/attribute`), depth + 4, aid);
        else if (v !== undefined) {
          w.open('attribute', depth + 4, aid);
          const o = v as Record<string, unknown>;
          if (typeof o['#text'] === 'string') w.raw(w.text(o['#text'], ap));
          for (const [mk, mv] of Object.entries(o))
            if (mk !== '#text')
              w.extension(mk, mv, depth + 5, `${ap}/attribute/${escapePointer(mk)}`, w.qname(mk, ap) ?? mk);
          w.close('attribute', depth + 4);
        } else w.leaf('attribute', '', depth + 4, aid);
      });
      if (children.length) {
        w.open('children', depth + 4);
        for (let k = 0; k < children.length; k++)
          w.leaf('id', w.text(scalar(children[k]) ?? '', `${q}/children/${k}`), depth + 5);
        w.close('children', depth + 4);
      }
      w.close('VocabularyElement', depth + 3);
    });
    w.close('VocabularyElementList', depth + 2);
    w.close('Vocabulary', depth + 1);
  });
  w.close('VocabularyList', depth);
}

function writeEvents(w: Writer, events: readonly EPCISEvent[], depth: number, pointer: string): void {
  if (events.length === 0) {
    w.leaf('EventList', '', depth);
    return;
  }
  w.open('EventList', depth);
  events.forEach((e, i) => {
    const ev = e as unknown as Record<string, unknown>;
    const p = `${pointer}/${i}`;
    if (ev['@context'] !== undefined) w.addContext(ev['@context']);
    const type = String(ev.type);
    if (w.v12) {
      if (type === 'TransformationEvent') {
        w.open('extension', depth + 1);
        writeEvent12(w, ev, type, depth + 2, p);
        w.close('extension', depth + 1);
      } else if (type === 'AssociationEvent') {
        w.note(
          XML_WRITE_CODES.extension12,
          'AssociationEvent (EPCIS 2.0) written in EventList/extension/extension',
          p,
        );
        w.open('extension', depth + 1);
        w.open('extension', depth + 2);
        writeEvent12(w, ev, type, depth + 3, p);
        w.close('extension', depth + 2);
        w.close('extension', depth + 1);
      } else if (BODY_12[type] !== undefined) writeEvent12(w, ev, type, depth + 1, p);
      else
        w.note(
          XML_WRITE_CODES.loss,
          `event type '${type}' cannot be written in EPCIS 1.2 (no place for extension event types)`,
          p,
        );
    } else if (BODY_20[type] !== undefined) writeEvent20(w, ev, type, depth + 1, p);
    else {
      const qn = w.qname(type, `${p}/type`);
      if (qn === null)
        w.note(
          XML_WRITE_CODES.loss,
          `event type '${type}' is neither standard nor a namespaced name: not written`,
          p,
        );
      else {
        w.open('extension', depth + 1);
        writeEvent20(w, ev, qn, depth + 2, p);
        w.close('extension', depth + 1);
      }
    }
  });
  w.close('EventList', depth);
}

function finish(
  w: Writer,
  body: string,
  rootName: string,
  rootAttrs: string,
  opts: XmlWriteOptions,
): XmlWriteResult {
  if (w.errors.length) return { ok: false, errors: w.errors };
  const decl =
    opts.xmlDeclaration === false
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>${w.opts.indent === '' ? '' : '\n'}`;
  const nl = w.opts.indent === '' ? '' : '\n';
  return {
    ok: true,
    value: `${decl}<${rootName}${rootDeclarations(w, rootAttrs)}>${body}${nl}</${rootName}>${nl}`,
    warnings: w.warnings,
  };
}

/**
 * Writes an EPCISDocument or EPCISQueryDocument as EPCIS 2.0 or 1.2 XML. See the module comment
 * for what each version cannot hold; those cases come back as `warnings` (or errors with `strict`).
 */
export function writeEpcisXml(doc: EPCISAnyDocument, opts: XmlWriteOptions = {}): XmlWriteResult {
  const w = new Writer(opts, doc['@context']);
  const d = doc as unknown as Record<string, unknown>;
  const query = doc.type === 'EPCISQueryDocument';
  const ens = w.v12 ? NS.epcis1 : NS.epcis2;
  const qns = w.v12 ? NS.query1 : NS.query2;
  for (const k of Object.keys(d))
    if (JSON_ONLY_MEMBERS.has(k))
      w.note(XML_WRITE_CODES.loss, `'${k}' has no place in EPCIS XML outside an SBDH: not written`, `/${k}`);
  writeHeader(w, doc.epcisHeader, 1);
  w.open('EPCISBody', 1);
  if (query) {
    const qr = (doc.epcisBody as { queryResults?: Record<string, unknown> }).queryResults ?? {};
    w.open('epcisq:QueryResults', 2);
    w.leaf('queryName', w.text(scalar(qr.queryName) ?? '', '/epcisBody/queryResults/queryName'), 3);
    if (qr.subscriptionID !== undefined)
      w.leaf(
        'subscriptionID',
        w.text(scalar(qr.subscriptionID) ?? '', '/epcisBody/queryResults/subscriptionID'),
        3,
      );
    w.open('resultsBody', 3);
    const rb = (qr.resultsBody ?? {}) as { eventList?: EPCISEvent[] };
    writeEvents(w, rb.eventList ?? [], 4, '/epcisBody/queryResults/resultsBody/eventList');
    w.close('resultsBody', 3);
    w.close('epcisq:QueryResults', 2);
  } else
    writeEvents(
      w,
      (doc.epcisBody as { eventList?: EPCISEvent[] }).eventList ?? [],
      2,
      '/epcisBody/eventList',
    );
  w.close('EPCISBody', 1);
  // Document-level extension members: ##other elements after the body.
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (!DOC_MEMBERS.has(k) && !JSON_ONLY_MEMBERS.has(k)) extra[k] = v;
  w.members(extra, NO_KEYS, 1, '', 'the document');
  const root = query ? 'epcisq:EPCISQueryDocument' : 'epcis:EPCISDocument';
  const nsDecl = query ? ` xmlns:epcisq="${qns}"` : ` xmlns:epcis="${ens}"`;
  const creation = scalar(doc.creationDate);
  if (creation === undefined)
    w.note(
      XML_WRITE_CODES.required,
      'the document has no creationDate, which EPCIS XML requires: written without it',
      '/creationDate',
    );
  const attrs = `${nsDecl} schemaVersion="${w.v12 ? '1.2' : '2.0'}"${creation === undefined ? '' : ` creationDate="${w.attr(creation, '/creationDate')}"`}`;
  return finish(w, w.result(), root, attrs, opts);
}

/** Writes one bare event (root element = the event, no EPCIS namespace), EPCIS 2.0 layout or 1.2. */
export function writeEpcisXmlEvent(event: EPCISEvent, opts: XmlWriteOptions = {}): XmlWriteResult {
  const ev = event as unknown as Record<string, unknown>;
  const w = new Writer(opts, ev['@context'] as JsonLdContext | undefined);
  const type = String(ev.type);
  if (!(type in BODY_20))
    return {
      ok: false,
      errors: [
        {
          code: XML_WRITE_CODES.loss,
          message: `a bare event must be one of the standard event types, not '${type}'`,
          pointer: '/type',
        },
      ],
    };
  if (w.v12 && type === 'AssociationEvent')
    w.note(
      XML_WRITE_CODES.extension12,
      'AssociationEvent (EPCIS 2.0) written as a bare event in the 2.0 layout',
      '',
    );
  if (w.v12) writeEvent12(w, ev, type, 0, '', true);
  else writeEvent20(w, ev, type, 0, '', true);
  return finish(w, w.result(), type, '', opts);
}
