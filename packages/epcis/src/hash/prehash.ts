/**
 * The canonical pre-hash string of an event (CBV 2.0 Event Hash ID, epcis.md §10), built in one
 * pass over the event in its JSON model form.
 *
 * Layout: `eventType=<type>`, then the standard fields in the fixed order of the reference
 * implementation (PROP_ORDER below; list members sorted, extensions nested in readPoint,
 * bizLocation, quantity and sensor elements appended to their parent, sorted), then everything
 * else rendered generically and sorted as strings: bizTransactionList, destinationList, ilmd,
 * sourceList, event-level extensions `{namespace}localName=value`, and whatever part of a standard
 * container the fixed order did not take. recordTime, eventID, errorDeclaration, type and comments
 * are left out.
 *
 * It reproduces what the reference does on its vectors, including two behaviours of its tree walk:
 * an extension is appended to its parent only if its namespace ends in `/` and the parent has
 * more than one field (otherwise it stays behind and comes out again among the leftovers under
 * its parent's name), and a standard container field the order does not know (a `bizRules` in a
 * sensorReport) does the same. Deliberate differences, none covered by the vectors: booleans are
 * `true`/`false` (the reference writes Python's `True` for JSON and `true` for XML), `null` is
 * an absent field (the reference writes `None`), a bizTransaction/source/destination always
 * renders its type first (the reference follows the JSON key order), bare words are expanded in
 * the vocabulary fields only (the reference matches any value against the document's expanded
 * words), and events the reference would drop (a time rounding to the next second, a number
 * overflowing a double) are hashed.
 */
import { type CbvKind, lookupCbv } from '../cbv.ts';
import { type HashContext, type HashContextInit, resolveHashContext } from './context.ts';
import { canonicalValue, numberText, sgtinRun, utcMillisTimestamp } from './values.ts';

// ---------------------------------------------------------------------------------------------
// The fixed order (PROP_ORDER)

interface Field {
  /** JSON key = pre-hash name. */
  name: string;
  /** scalar: `name=value` per value; object: a container; list: `name` + members named `item`. */
  shape: 'scalar' | 'object' | 'list';
  /** CBV vocabulary whose bare words expand (JSON-LD `@vocab` fields). */
  kind?: CbvKind;
  /** Timestamp field (the reference: name contains "time", not "offset"). */
  time?: boolean;
  /** Fields of an object, or of the members of a list. */
  sub?: Spec;
  /** Member name of a list. */
  item?: string;
  /** The name contains `eventTime` or `action` (see renderOrdered); set by {@link spec}. */
  blocksGather?: boolean;
  /** Position in its spec; set by {@link spec}. */
  index?: number;
}

interface Spec {
  fields: readonly Field[];
  byName: ReadonlyMap<string, Field>;
}

const spec = (fields: Field[]): Spec => {
  fields.forEach((f, i) => {
    f.blocksGather = f.name.includes('eventTime') || f.name.includes('action');
    f.index = i;
  });
  return { fields, byName: new Map(fields.map((f) => [f.name, f])) };
};
const sc = (name: string, extra: Partial<Field> = {}): Field => ({ name, shape: 'scalar', ...extra });

const QUANTITY = spec([sc('epcClass'), sc('quantity'), sc('uom')]);
const SENSOR_METADATA = spec([
  sc('time', { time: true }),
  sc('startTime', { time: true }),
  sc('endTime', { time: true }),
  sc('deviceID'),
  sc('deviceMetadata'),
  sc('rawData'),
  sc('dataProcessingMethod'),
  sc('bizRules'),
]);
const SENSOR_REPORT = spec([
  sc('type', { kind: 'measurementType' }),
  sc('exception', { kind: 'sensorAlertType' }),
  sc('deviceID'),
  sc('deviceMetadata'),
  sc('rawData'),
  sc('dataProcessingMethod'),
  sc('time', { time: true }),
  sc('microorganism'),
  sc('chemicalSubstance'),
  sc('value'),
  sc('component', { kind: 'sensorComponent' }),
  sc('stringValue'),
  sc('booleanValue'),
  sc('hexBinaryValue'),
  sc('uriValue'),
  sc('minValue'),
  sc('maxValue'),
  sc('meanValue'),
  sc('sDev'),
  sc('percRank'),
  sc('percValue'),
  sc('uom'),
  sc('coordinateReferenceSystem'),
]);
const SENSOR_ELEMENT = spec([
  { name: 'sensorMetadata', shape: 'object', sub: SENSOR_METADATA },
  { name: 'sensorReport', shape: 'object', sub: SENSOR_REPORT },
]);
const ID_OBJECT = spec([sc('id')]);
const PERSISTENT_DISPOSITION = spec([
  sc('set', { kind: 'disposition' }),
  sc('unset', { kind: 'disposition' }),
]);

const epcs = (name: string): Field => ({ name, shape: 'list', item: 'epc' });
const quantities = (name: string): Field => ({ name, shape: 'list', item: 'quantityElement', sub: QUANTITY });

const EVENT = spec([
  sc('eventTime', { time: true }),
  sc('eventTimeZoneOffset'),
  sc('certificationInfo'),
  sc('parentID'),
  epcs('epcList'),
  epcs('inputEPCList'),
  epcs('childEPCs'),
  quantities('quantityList'),
  quantities('childQuantityList'),
  quantities('inputQuantityList'),
  epcs('outputEPCList'),
  quantities('outputQuantityList'),
  sc('action'),
  sc('transformationID'),
  sc('bizStep', { kind: 'bizStep' }),
  sc('disposition', { kind: 'disposition' }),
  { name: 'persistentDisposition', shape: 'object', sub: PERSISTENT_DISPOSITION },
  { name: 'readPoint', shape: 'object', sub: ID_OBJECT },
  { name: 'bizLocation', shape: 'object', sub: ID_OBJECT },
  { name: 'sensorElementList', shape: 'list', item: 'sensorElement', sub: SENSOR_ELEMENT },
]);

/** Event fields never hashed (besides comments everywhere). */
const EVENT_EXCLUDED = new Set(['type', 'recordTime', 'eventID', 'errorDeclaration', '@context']);
/** Keys dropped at every level (JSON comments; `#text` is an element's text). */
const isSkippedKey = (k: string): boolean => k === 'comment' || k === 'rdfs:comment' || k === '#text';

/** The three lists whose members are (type, identifier) pairs, type first. */
const PAIR_LISTS: ReadonlyMap<string, [member: string, kind: CbvKind]> = new Map([
  ['bizTransactionList', ['bizTransaction', 'bizTransactionType']],
  ['sourceList', ['source', 'sourceDestType']],
  ['destinationList', ['destination', 'sourceDestType']],
] as const);

/** XML element names the reference gives the members of the standard JSON lists. */
const MEMBER_RENAMES: ReadonlyMap<string, string> = new Map([
  ['inputEPC', 'epc'],
  ['outputEPC', 'epc'],
  ['inputQuantity', 'quantityElement'],
  ['outputQuantity', 'quantityElement'],
  ['childQuantity', 'quantityElement'],
  ['quantity', 'quantityElement'],
]);

// ---------------------------------------------------------------------------------------------
// Values

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** An object whose one field is a string `id` (no extension, no comment). */
function isIdOnly(v: unknown): v is { id: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (typeof (v as { id?: unknown }).id !== 'string') return false;
  let n = 0;
  for (const _ in v) if (++n > 1) return false;
  return true;
}

/** Whether an object has fields besides its text. */
function hasChildren(o: Record<string, unknown>): boolean {
  for (const k in o) if (k !== '#text') return true;
  return false;
}

/** A scalar as text (before trimming), or undefined for objects, arrays and null. */
function scalarText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return numberText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    default:
      return undefined;
  }
}

/** Bare CBV word (vocabulary fields) and CURIE expansion of a raw string value. */
function expandValue(text: string, kind: CbvKind | undefined, ctx: HashContext): string {
  if (kind !== undefined && ctx.bareWords) {
    const t = lookupCbv(kind, text);
    if (t !== undefined && t.bareWord === text) return t.webUri;
  }
  const first = ctx.valueFirst;
  if (first !== null) {
    const c = text.charCodeAt(0);
    if (c < 128 && first[c] === 1) {
      const i = text.indexOf(':');
      if (i > 0) {
        const ns = ctx.valueNs!.get(text.slice(0, i));
        if (ns !== undefined) return ns + text.slice(i + 1);
      }
    }
  }
  return text;
}

/** The text of a scalar value (expanded, trimmed, canonicalised), or '' when it is empty. */
function valueText(raw: string, kind: CbvKind | undefined, time: boolean, ctx: HashContext): string {
  if (kind !== undefined && ctx.bareWords) {
    // A standard CBV bare word: its Web URI, which is neither padded, nor a number, nor an
    // identifier, nor a CBV URN, so nothing more to do (hash.test.ts checks every one).
    const w = lookupCbv(kind, raw);
    if (w !== undefined && w.bareWord === raw) return w.webUri;
  }
  const t = expandValue(raw, kind, ctx).trim();
  if (t === '') return '';
  if (time) return utcMillisTimestamp(t) ?? t;
  return canonicalValue(t);
}

/**
 * Whether EPC URNs and Digital Links are hashed as written (before canonicalisation): true unless
 * the document declares a value prefix starting with `u` or `h` (a prefix `urn` or `https` would
 * turn them into something else).
 */
function asWritten(ctx: HashContext): boolean {
  const first = ctx.valueFirst;
  return first === null || (first[117] !== 1 && first[104] !== 1);
}

/** `=value` for a scalar (expanded, trimmed, canonicalised), or '' when it is empty. */
function valuePart(raw: string, kind: CbvKind | undefined, time: boolean, ctx: HashContext): string {
  const t = valueText(raw, kind, time, ctx);
  return t === '' ? '' : `=${t}`;
}

function expandKey(k: string, ctx: HashContext): string {
  const i = k.indexOf(':');
  if (i <= 0) return k;
  const uri = ctx.keyNs.get(k.slice(0, i));
  return uri === undefined ? k : `{${uri}}${k.slice(i + 1)}`;
}

/** Sorted concatenation (plain code-unit order, as the reference's string sort on these inputs). */
function joinSorted(parts: string[]): string {
  if (parts.length === 1) return parts[0]!;
  return parts.sort().join('');
}

// ---------------------------------------------------------------------------------------------
// Generic rendering (leftovers, extensions, ILMD)

/** Renders a field generically; each resulting child string goes to `out`. */
function generic(name: string, v: unknown, ctx: HashContext, out: string[]): void {
  if (v === undefined || v === null) return;
  const pair = PAIR_LISTS.get(name);
  if (pair) {
    const members: string[] = [];
    for (const m of Array.isArray(v) ? v : [v]) pairMember(m, pair[0], pair[1], ctx, members);
    if (members.length) out.push(name + joinSorted(members));
    return;
  }
  if (ctx.listMembers && name.endsWith('List')) {
    const stem = name.slice(0, -4);
    const members: string[] = [];
    for (const m of Array.isArray(v) ? v : [v])
      generic(isObject(m) ? (MEMBER_RENAMES.get(stem) ?? stem) : stem, m, ctx, members);
    if (members.length) out.push(name + joinSorted(members));
    return;
  }
  if (Array.isArray(v)) {
    for (const m of v) {
      if (Array.isArray(m)) {
        const inner: string[] = [];
        for (const x of m) generic('', x, ctx, inner);
        out.push(name + (inner.length ? joinSorted(inner) : ''));
      } else generic(name, m, ctx, out);
    }
    return;
  }
  if (isObject(v)) {
    let s = name;
    const text = v['#text'];
    if (text !== undefined) {
      const raw = scalarText(text);
      if (raw !== undefined) s += valuePart(raw, undefined, false, ctx);
    }
    const kids: string[] = [];
    for (const k of Object.keys(v)) {
      if (isSkippedKey(k)) continue;
      generic(expandKey(k, ctx), v[k], ctx, kids);
    }
    out.push(kids.length ? s + joinSorted(kids) : s);
    return;
  }
  const raw = scalarText(v);
  if (raw !== undefined) out.push(name + valuePart(raw, undefined, false, ctx));
}

/** A bizTransaction / source / destination: `type=…` then `<member>=…`. */
function pairMember(m: unknown, member: string, kind: CbvKind, ctx: HashContext, out: string[]): void {
  if (!isObject(m)) {
    generic(member, m, ctx, out);
    return;
  }
  let s = '';
  const type = scalarText(m.type);
  if (type !== undefined) {
    const p = valuePart(type, kind, false, ctx);
    if (p) s += `type${p}`;
  }
  const id = scalarText(m[member]);
  if (id !== undefined) s += member + valuePart(id, undefined, false, ctx);
  out.push(s);
}

// ---------------------------------------------------------------------------------------------
// Ordered rendering

/** Result of rendering a container: its ordered text and the rendered children it did not take. */
interface Rendered {
  text: string;
  rest: string[] | null;
}

/** An extension the reference appends to its parent: `{ns}` with a namespace ending in `/`. */
const isNestedExtension = (name: string): boolean => name.charCodeAt(0) === 123 && name.includes('/}');

/**
 * Renders the fields of `obj` in the order of `sp`; the other fields are either appended as
 * nested extensions or returned in `rest` (rendered generically) for the leftovers.
 */
function renderOrdered(
  obj: Record<string, unknown>,
  sp: Spec,
  ctx: HashContext,
  ignore: ReadonlySet<string> | null,
): Rendered {
  const keys = Object.keys(obj);
  // The reference gathers nested extensions only when the element has more than one child and
  // none of the children's names contains "eventTime" or "action".
  let count = 0;
  let gather = true;
  let others: string[] | null = null; // expanded names of non-order keys, parallel to otherKeys
  let otherKeys: string[] | null = null;
  // The values of the fields of the order, by their position in it (read once, here).
  let slots: unknown[] | null = null;
  for (const k of keys) {
    if (isSkippedKey(k)) continue;
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (ignore !== null && (EVENT_EXCLUDED.has(k) || (ignore.size !== 0 && ignore.has(k)))) continue;
    const f = sp.byName.get(k);
    const name = f ? k : expandKey(k, ctx);
    if (f) {
      if (f.blocksGather) gather = false;
      (slots ??= new Array(sp.fields.length))[f.index!] = v;
    } else {
      if (ignore !== null && ignore.size !== 0 && ignore.has(name)) continue;
      if (name.indexOf('eventTime') >= 0 || name.indexOf('action') >= 0) gather = false;
    }
    if (Array.isArray(v))
      count +=
        f?.shape === 'list' || (ctx.listMembers && name.endsWith('List')) ? (v.length ? 1 : 0) : v.length;
    else count++;
    if (!f) {
      (others ??= []).push(name);
      (otherKeys ??= []).push(k);
    }
  }
  if (count <= 1) gather = false;

  let text = '';
  let rest: string[] | null = null;
  const fields = sp.fields;
  for (let i = 0; slots !== null && i < fields.length; i++) {
    // (present, not null, not ignored: see above)
    const v = slots[i];
    if (v === undefined) continue;
    const f = fields[i]!;
    let parts: string[] | null = null;
    if (f.shape === 'scalar') {
      if (typeof v === 'string') {
        // The common case: one string value.
        const p = valuePart(v, f.kind, f.time === true, ctx);
        if (p) text += f.name + p;
        continue;
      }
      for (const m of Array.isArray(v) ? v : [v]) {
        const raw = scalarText(m);
        if (raw !== undefined) {
          const p = valuePart(raw, f.kind, f.time === true, ctx);
          if (p) (parts ??= []).push(f.name + p);
        } else if (isObject(m) && !Array.isArray(m)) {
          // An element with children where a value was expected: its text here, all of it again later.
          const t = scalarText(m['#text']);
          if (t !== undefined) {
            const p = valuePart(t, f.kind, f.time === true, ctx);
            if (p) (parts ??= []).push(f.name + p);
          }
          if (hasChildren(m)) generic(f.name, m, ctx, (rest ??= []));
        } else if (Array.isArray(m)) generic(f.name, [m], ctx, (rest ??= []));
      }
    } else if (f.shape === 'object') {
      if (f.sub === ID_OBJECT && isIdOnly(v)) {
        // A read point or business location `{ id }`: what renderOrdered gives it, directly.
        const p = valuePart(v.id, undefined, false, ctx);
        if (p) text += `${f.name}id${p}`;
        continue;
      }
      for (const m of Array.isArray(v) ? v : [v]) {
        if (!isObject(m) || Array.isArray(m)) {
          generic(f.name, m, ctx, (rest ??= []));
          continue;
        }
        const r = renderOrdered(m, f.sub!, ctx, null);
        if (r.text) (parts ??= []).push(f.name + r.text);
        if (r.rest) (rest ??= []).push(f.name + joinSorted(r.rest));
      }
    } else {
      // A list: `name` + its members (`epc=…`, `quantityElement…`, `sensorElement…`), sorted.
      const item = f.item!;
      // One product's packs: `epc=<DL head><serial>` each, sorted by serial (the same order).
      const run = f.sub === undefined && Array.isArray(v) && asWritten(ctx) ? sgtinRun(v) : undefined;
      if (run) {
        const sep = `${item}=${run.head}`;
        text += f.name + sep + run.serials.sort().join(sep);
        continue;
      }
      // Scalar members (EPCs) are kept as their values: `item=` before each sorts them alike.
      let values: string[] | null = null;
      let members: string[] | null = null;
      let left: string[] | null = null;
      for (const m of Array.isArray(v) ? v : [v]) {
        const raw = scalarText(m);
        if (raw !== undefined) {
          const t = valueText(raw, undefined, false, ctx);
          if (t) (values ??= []).push(t);
        } else if (f.sub && isObject(m) && !Array.isArray(m)) {
          const r = renderOrdered(m, f.sub, ctx, null);
          if (r.text) (members ??= []).push(item + r.text);
          if (r.rest) (left ??= []).push(item + joinSorted(r.rest));
        } else if (m !== null && m !== undefined) generic(item, m, ctx, (left ??= []));
      }
      if (values && !members) {
        const sep = `${item}=`;
        parts = [values.length === 1 ? f.name + sep + values[0]! : f.name + sep + values.sort().join(sep)];
      } else if (members) {
        if (values) for (const t of values) members.push(`${item}=${t}`);
        parts = [f.name + joinSorted(members)];
      }
      if (left) (rest ??= []).push(f.name + joinSorted(left));
    }
    if (parts) text += joinSorted(parts);
  }

  if (others) {
    let nested: string[] | null = null;
    for (let i = 0; i < others.length; i++) {
      const name = others[i]!;
      const v = obj[otherKeys![i]!];
      if (gather && isNestedExtension(name)) generic(name, v, ctx, (nested ??= []));
      else generic(name, v, ctx, (rest ??= []));
    }
    if (nested) text += joinSorted(nested);
  }
  return { text, rest };
}

const NO_IGNORE: ReadonlySet<string> = new Set();

/**
 * The canonical pre-hash string of an event. `ctx` describes the document the event came from
 * (namespace prefixes, binding); make it once per document with `hashContext(doc)` (JSON-LD) or
 * `hashContextForXml(namespaces)`.
 */
export function eventPreHash(event: Record<string, unknown>, ctx?: HashContext | HashContextInit): string {
  const c = resolveHashContext(ctx);
  const type = scalarText(event.type) ?? '';
  const r = renderOrdered(event, EVENT, c, c.ignore ?? NO_IGNORE);
  return r.rest ? `eventType=${type}${r.text}${joinSorted(r.rest)}` : `eventType=${type}${r.text}`;
}
