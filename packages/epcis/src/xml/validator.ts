/**
 * Streaming structural validation of EPCIS XML against the schemas encoded in `schema.ts` — the
 * checks an XSD validator makes: element order and occurrence (each content model compiled once
 * into a deterministic automaton, Glushkov construction), unknown elements, required and unknown
 * attributes, simple-type values (enumerations, xs:dateTime / DateTimeStamp, numbers, booleans…),
 * `xsi:type` and `xsi:nil`, and lax wildcards (`##other` extensions: a known global element is
 * validated as declared, an element with `xsi:type` against that type, anything else is accepted
 * and its content checked the same lax way).
 *
 * It runs as an {@link XmlHandler} beside the model builder, in the same single pass, and keeps one
 * small frame per open element. Messages follow libxml2's wording (the tool that produced
 * `xsd-validation.tsv`): `Element 'action': [facet 'enumeration'] The value 'CREATE' is not an
 * element of the set {'ADD', 'OBSERVE', 'DELETE'}.`
 *
 * One libxml2 behaviour is reproduced on purpose: a built-in `xs:dateTime` value may end with white
 * space but not start with it (libxml2's date parser skips trailing blanks only); types derived from
 * it (EPCIS `DateTimeStamp`) are whitespace-collapsed first as the XSD says.
 */
import {
  ANY_TYPE,
  type AnyParticle,
  type ComplexType,
  type ElementParticle,
  NS,
  type Particle,
  type SchemaSet,
  type SimpleType,
  schemaFor,
  type TypeDef,
  XS,
} from './schema.ts';
import type { XmlElement, XmlHandler } from './tokenizer.ts';

export const XSD_CODES = Object.freeze({
  /** The root element is not a document element of the EPCIS schemas. */
  noRoot: 'RX_EPCIS_XSD_ROOT',
  /** An element where the content model does not allow it (unknown, misplaced, or in the wrong namespace). */
  unexpected: 'RX_EPCIS_XSD_UNEXPECTED_ELEMENT',
  /** A required child element is missing. */
  missing: 'RX_EPCIS_XSD_MISSING_ELEMENT',
  /** A required attribute is missing. */
  attributeRequired: 'RX_EPCIS_XSD_ATTRIBUTE_REQUIRED',
  /** An attribute the type does not declare (and no wildcard allows). */
  attributeNotAllowed: 'RX_EPCIS_XSD_ATTRIBUTE_NOT_ALLOWED',
  /** A value that is not in the lexical space of its type or breaks a facet (enumeration, pattern). */
  value: 'RX_EPCIS_XSD_VALUE',
  /** Text where only elements are allowed. */
  text: 'RX_EPCIS_XSD_CHARACTER_CONTENT',
  /** An `xsi:type` that cannot be resolved. */
  xsiType: 'RX_EPCIS_XSD_XSI_TYPE',
});

export interface XsdProblem {
  code: string;
  /** Index of the event the problem is in, when the reader knows it. */
  eventIndex?: number;
  message: string;
  /** Display name of the element, libxml2 style: `local` or `{namespace}local`. */
  element: string;
  line: number;
  column: number;
  /** Line of the end of the element's start tag (libxml2 reports this one). */
  endLine: number;
}

// ---- content-model automata ----

type Leaf = ElementParticle | AnyParticle;

interface StateTransitions {
  /** namespace → local name → target state */
  byName: Map<string, Map<string, number>>;
  wild: { p: AnyParticle; state: number }[];
  /** For messages. */
  expected: string[];
}

interface Automaton {
  leaves: Leaf[];
  /** State 0 = before any child; state i+1 = after matching leaf i. */
  states: StateTransitions[];
  accepting: boolean[];
}

interface Info {
  nullable: boolean;
  first: number[];
  last: number[];
}

function addAll(into: number[], from: readonly number[]): void {
  for (const x of from) if (!into.includes(x)) into.push(x);
}

function compile(root: Particle): Automaton {
  const leaves: Leaf[] = [];
  const follow: number[][] = [];
  const visit = (p: Particle): Info => {
    let info: Info;
    if (p.t === 'el' || p.t === 'any') {
      const i = leaves.push(p) - 1;
      follow[i] = [];
      info = { nullable: false, first: [i], last: [i] };
    } else {
      const infos = p.items.map(visit);
      if (p.t === 'seq') {
        const first: number[] = [];
        let nullable = true;
        for (const x of infos) {
          addAll(first, x.first);
          if (!x.nullable) {
            nullable = false;
            break;
          }
        }
        const last: number[] = [];
        for (let k = infos.length - 1; k >= 0; k--) {
          addAll(last, infos[k]!.last);
          if (!infos[k]!.nullable) break;
        }
        for (let k = 0; k < infos.length; k++)
          for (const l of infos[k]!.last)
            for (let j = k + 1; j < infos.length; j++) {
              addAll(follow[l]!, infos[j]!.first);
              if (!infos[j]!.nullable) break;
            }
        info = { nullable: nullable && infos.every((x) => x.nullable), first, last };
      } else {
        const first: number[] = [];
        const last: number[] = [];
        for (const x of infos) {
          addAll(first, x.first);
          addAll(last, x.last);
        }
        info = { nullable: infos.some((x) => x.nullable) || infos.length === 0, first, last };
      }
    }
    if (p.max !== 1 && p.max !== Number.POSITIVE_INFINITY) throw new Error(`unsupported maxOccurs ${p.max}`);
    if (p.min > 1) throw new Error(`unsupported minOccurs ${p.min}`);
    if (p.max === Number.POSITIVE_INFINITY) for (const l of info.last) addAll(follow[l]!, info.first);
    if (p.min === 0) info.nullable = true;
    return info;
  };
  const top = visit(root);
  const mk = (targets: number[]): StateTransitions => {
    const st: StateTransitions = { byName: new Map(), wild: [], expected: [] };
    for (const i of targets) {
      const leaf = leaves[i]!;
      if (leaf.t === 'el') {
        let m = st.byName.get(leaf.ns);
        if (m === undefined) st.byName.set(leaf.ns, (m = new Map()));
        if (!m.has(leaf.name)) m.set(leaf.name, i + 1);
        st.expected.push(leaf.ns ? `{${leaf.ns}}${leaf.name}` : leaf.name);
      } else {
        st.wild.push({ p: leaf, state: i + 1 });
        st.expected.push(
          leaf.mode === 'other' ? `##other{${leaf.target}}*` : leaf.mode === 'local' ? '##local*' : '*',
        );
      }
    }
    return st;
  };
  const states = [mk(top.first), ...follow.map(mk)];
  const accepting = [top.nullable, ...leaves.map((_, i) => top.last.includes(i))];
  return { leaves, states, accepting };
}

const automata = new WeakMap<ComplexType, Automaton>();
function automatonOf(t: ComplexType): Automaton {
  let a = automata.get(t);
  if (a === undefined) automata.set(t, (a = compile(t.particle!)));
  return a;
}

function step(a: Automaton, state: number, ns: string, local: string): number {
  const st = a.states[state]!;
  const byNs = st.byName.get(ns);
  if (byNs !== undefined) {
    const s = byNs.get(local);
    if (s !== undefined) return s;
  }
  for (const w of st.wild) {
    const m = w.p.mode;
    if (m === 'any' || (m === 'local' ? ns === '' : ns !== '' && ns !== w.p.target)) return w.state;
  }
  return -1;
}

function expectedText(st: StateTransitions): string {
  if (st.expected.length === 0) return '';
  return st.expected.length === 1
    ? ` Expected is ( ${st.expected[0]} ).`
    : ` Expected is one of ( ${st.expected.join(', ')} ).`;
}

// ---- simple types ----

const DATE_TIME =
  /^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))?$/;
const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const DOUBLE = /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$/;
const INTEGER = /^[+-]?[0-9]+$/;
const HEX = /^([0-9a-fA-F]{2})*$/;
const NCNAME = /^[A-Za-z_\u00C0-\uFFFF][-A-Za-z0-9._\u00B7\u00C0-\uFFFF]*$/;

export function collapse(s: string): string {
  return /^[^\t\n\r ]*$/.test(s) ? s : s.replace(/[\t\n\r ]+/g, ' ').trim();
}

/** True for an xs:dateTime lexical value whose fields are in range (days per month, leap years). */
export function isXsdDateTime(v: string): boolean {
  const m = DATE_TIME.exec(v);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (m[1]!.length > 4 && m[1]![0] === '0') return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > dim) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[9] !== undefined) {
    const th = Number(m[9]);
    const tm = Number(m[10]);
    if (th > 14 || tm > 59 || (th === 14 && tm !== 0)) return false;
  }
  return true;
}

/** Checks a value against a simple type; returns the libxml2-style message (without the element prefix) or null. */
export function checkSimpleValue(t: SimpleType, raw: string): string | null {
  // Any string is a lexically valid xs:string, and libxml2 accepts anything as an xs:anyURI.
  if ((t.base === 'string' || t.base === 'anyURI') && t.enumeration === undefined && t.pattern === undefined)
    return null;
  let v: string;
  let ok = true;
  switch (t.base) {
    case 'string':
    case 'anySimpleType':
      v = raw;
      break;
    case 'anyURI':
      v = collapse(raw);
      break;
    case 'dateTime':
      // libxml2: built-in xs:dateTime skips trailing blanks only; derived types are collapsed first.
      v = t === XS.dateTime ? raw.replace(/[\t\n\r ]+$/, '') : collapse(raw);
      ok = isXsdDateTime(v);
      break;
    case 'decimal':
      v = collapse(raw);
      ok = DECIMAL.test(v);
      break;
    case 'double':
      v = collapse(raw);
      ok = DOUBLE.test(v);
      break;
    case 'integer':
      v = collapse(raw);
      ok = INTEGER.test(v);
      break;
    case 'int':
      v = collapse(raw);
      ok = INTEGER.test(v) && Number(v) >= -2147483648 && Number(v) <= 2147483647;
      break;
    case 'boolean':
      v = collapse(raw);
      ok = v === 'true' || v === 'false' || v === '1' || v === '0';
      break;
    case 'hexBinary':
      v = collapse(raw);
      ok = HEX.test(v);
      break;
    case 'NCName':
      v = collapse(raw);
      ok = NCNAME.test(v);
      break;
  }
  if (!ok) return `'${raw}' is not a valid value of the atomic type '${t.name}'.`;
  if (t.enumeration !== undefined && !t.enumeration.includes(v))
    return `[facet 'enumeration'] The value '${v}' is not an element of the set {${t.enumeration.map((x) => `'${x}'`).join(', ')}}.`;
  if (t.pattern !== undefined && !t.pattern.re.test(v))
    return `[facet 'pattern'] The value '${v}' is not accepted by the pattern '${t.pattern.source}'.`;
  return null;
}

// ---- the validator ----

interface Frame {
  el: XmlElement;
  /** null: not validated (inside an element that was already reported). */
  type: TypeDef | null;
  auto: Automaton | null;
  state: number;
  /** Accumulated character data of simple content; null when the content is not simple. */
  text: string | null;
  textReported: boolean;
  nil: boolean;
}

const XSI_ATTRS = new Set(['type', 'nil', 'schemaLocation', 'noNamespaceSchemaLocation']);

export function displayName(ns: string, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}

export interface XmlValidatorOptions {
  /** Resolves a namespace prefix in the scope of the element being opened (for xsi:type). */
  resolve: (prefix: string) => string | undefined;
  /** Validate the root element as this type instead of looking up a global declaration (bare events). */
  rootType?: (root: XmlElement) => TypeDef | undefined;
  /** Schema set used with `rootType` (for lax look-ups). Default: EPCIS 2.0. */
  schema?: SchemaSet;
  /** Stop recording after this many problems. Default 100. */
  maxProblems?: number;
}

export class XmlValidator implements XmlHandler {
  readonly problems: XsdProblem[] = [];
  schema: SchemaSet | undefined;
  /** Frames of the open elements: `frames[0 … depth-1]`; objects are reused (no allocation per element). */
  private readonly frames: Frame[] = [];
  private depth = 0;
  private readonly maxProblems: number;

  constructor(private readonly opts: XmlValidatorOptions) {
    this.maxProblems = opts.maxProblems ?? 100;
    this.schema = opts.schema ?? (opts.rootType ? schemaFor(NS.epcis2) : undefined);
  }

  private report(code: string, el: XmlElement, message: string, attrName?: string): void {
    if (this.problems.length >= this.maxProblems) return;
    const name = displayName(el.ns, el.local);
    const where = attrName === undefined ? `Element '${name}'` : `Element '${name}', attribute '${attrName}'`;
    this.problems.push({
      code,
      message: `${where}: ${message}`,
      element: name,
      line: el.line,
      column: el.column,
      endLine: el.endLine,
    });
  }

  private push(
    el: XmlElement,
    type: TypeDef | null,
    auto: Automaton | null,
    text: string | null,
    nil: boolean,
  ): void {
    const f = this.frames[this.depth];
    if (f === undefined) this.frames.push({ el, type, auto, state: 0, text, textReported: false, nil });
    else {
      f.el = el;
      f.type = type;
      f.auto = auto;
      f.state = 0;
      f.text = text;
      f.textReported = false;
      f.nil = nil;
    }
    this.depth++;
  }

  private skip(el: XmlElement): void {
    this.push(el, null, null, null, false);
  }

  open(el: XmlElement): void {
    const parent = this.depth > 0 ? this.frames[this.depth - 1] : undefined;
    let type: TypeDef | null = null;
    let nillable = false;
    if (parent === undefined) {
      if (this.opts.rootType) {
        type = this.opts.rootType(el) ?? null;
        if (type === null) {
          this.report(
            XSD_CODES.noRoot,
            el,
            'No matching global declaration available for the validation root.',
          );
          this.skip(el);
          return;
        }
      } else {
        this.schema = schemaFor(el.ns);
        const decl = this.schema?.elements.get(`{${el.ns}}${el.local}`);
        if (decl === undefined) {
          this.report(
            XSD_CODES.noRoot,
            el,
            'No matching global declaration available for the validation root.',
          );
          this.skip(el);
          return;
        }
        type = decl.type;
      }
    } else {
      const pt = parent.type;
      if (pt === null) {
        this.skip(el);
        return;
      }
      if (pt.kind === 'complex' && pt.content === 'element-only') {
        const a = parent.auto!;
        const next = step(a, parent.state, el.ns, el.local);
        if (next < 0) {
          this.report(
            XSD_CODES.unexpected,
            el,
            `This element is not expected.${expectedText(a.states[parent.state]!)}`,
          );
          this.skip(el);
          return;
        }
        parent.state = next;
        const leaf = a.leaves[next - 1]!;
        if (leaf.t === 'el') {
          type = leaf.type;
          nillable = leaf.nillable === true;
        } else type = this.lookupGlobal(el);
      } else if (pt.kind === 'complex' && pt.content === 'any') {
        type = this.lookupGlobal(el);
      } else {
        const what = pt.kind === 'simple' || pt.content === 'simple' ? 'a simple type' : 'empty';
        this.report(
          XSD_CODES.unexpected,
          parent.el,
          `Element content is not allowed, because the content type is ${what}.`,
        );
        parent.textReported = true;
        this.skip(el);
        return;
      }
    }
    // xsi:type / xsi:nil
    let nil = false;
    for (const a of el.attrs) {
      if (a.ns !== NS.xsi) continue;
      if (a.local === 'type') {
        const t = this.resolveXsiType(el, a.value);
        if (t !== undefined) type = t;
        else if (type === null) type = ANY_TYPE;
      } else if (a.local === 'nil') {
        const v = collapse(a.value);
        if (v === 'true' || v === '1') {
          if (!nillable) this.report(XSD_CODES.value, el, 'The element is not nillable.', `{${NS.xsi}}nil`);
          else nil = true;
        }
      }
    }
    if (type === null) type = ANY_TYPE;
    this.checkAttributes(el, type);
    let auto: Automaton | null = null;
    let text: string | null = null;
    if (type.kind === 'simple' || type.content === 'simple') text = '';
    else if (type.content === 'element-only') auto = automatonOf(type);
    this.push(el, type, auto, text, nil);
  }

  /** Lax wildcard processing: a global declaration if there is one, else null (lax: anyType). */
  private lookupGlobal(el: XmlElement): TypeDef | null {
    return this.schema?.elements.get(`{${el.ns}}${el.local}`)?.type ?? null;
  }

  private resolveXsiType(el: XmlElement, value: string): TypeDef | undefined {
    const v = collapse(value);
    const colon = v.indexOf(':');
    const prefix = colon === -1 ? '' : v.slice(0, colon);
    const local = colon === -1 ? v : v.slice(colon + 1);
    const ns = this.opts.resolve(prefix);
    if (ns === undefined) {
      this.report(
        XSD_CODES.xsiType,
        el,
        `The QName value '${v}' has no corresponding namespace declaration in scope.`,
        `{${NS.xsi}}type`,
      );
      return undefined;
    }
    const t = this.schema?.types.get(`{${ns}}${local}`) ?? (ns === NS.xsd ? XS_MORE.get(local) : undefined);
    if (t === undefined) {
      this.report(
        XSD_CODES.xsiType,
        el,
        `The QName value '{${ns}}${local}' of the xsi type attribute does not resolve to a type definition.`,
        `{${NS.xsi}}type`,
      );
      return undefined;
    }
    return t;
  }

  private checkAttributes(el: XmlElement, type: TypeDef): void {
    if (el.attrs.length === 0 && (type.kind === 'simple' || !hasRequired(type))) return;
    const decls = type.kind === 'complex' ? type.attrs : NO_DECLS;
    const anyAttr = type.kind === 'complex' && type.anyAttribute;
    for (const a of el.attrs) {
      if (a.ns === NS.xsi && XSI_ATTRS.has(a.local)) continue;
      const d = a.ns === '' ? decls.find((x) => x.name === a.local) : undefined;
      const name = displayName(a.ns, a.local);
      if (d !== undefined) {
        const msg = checkSimpleValue(d.type, a.value);
        if (msg !== null) this.report(XSD_CODES.value, el, msg, name);
      } else if (!anyAttr)
        this.report(XSD_CODES.attributeNotAllowed, el, 'The attribute is not allowed.', name);
    }
    for (const d of decls)
      if (d.required && !el.attrs.some((a) => a.ns === '' && a.local === d.name))
        this.report(XSD_CODES.attributeRequired, el, `The attribute '${d.name}' is required but missing.`);
  }

  text(s: string, ws: boolean): void {
    if (this.depth === 0) return;
    const f = this.frames[this.depth - 1]!;
    if (f.type === null) return;
    if (f.text !== null) {
      f.text += s;
      return;
    }
    if (f.textReported || (f.type.kind === 'complex' && f.type.content === 'any')) return;
    if (!ws) {
      f.textReported = true;
      const ct = f.type.kind === 'complex' && f.type.content === 'empty' ? 'empty' : "'element-only'";
      this.report(
        XSD_CODES.text,
        f.el,
        ct === 'empty'
          ? 'Character content is not allowed, because the content type is empty.'
          : `Character content other than whitespace is not allowed because the content type is ${ct}.`,
      );
    }
  }

  close(_el: XmlElement): void {
    const f = this.frames[--this.depth]!;
    const t = f.type;
    if (t === null) return;
    if (f.auto !== null) {
      if (!f.auto.accepting[f.state]!)
        this.report(
          XSD_CODES.missing,
          f.el,
          `Missing child element(s).${expectedText(f.auto.states[f.state]!)}`,
        );
      return;
    }
    if (f.text !== null && !f.nil) {
      const st = t.kind === 'simple' ? t : t.simple!;
      const msg = checkSimpleValue(st, f.text);
      if (msg !== null) this.report(XSD_CODES.value, f.el, msg);
    }
  }
}

const NO_DECLS: ComplexType['attrs'] = [];
const requiredCache = new WeakMap<ComplexType, boolean>();
function hasRequired(t: ComplexType): boolean {
  let r = requiredCache.get(t);
  if (r === undefined) requiredCache.set(t, (r = t.attrs.some((a) => a.required)));
  return r;
}

// xsi:type may name built-in types the EPCIS schemas do not use themselves.
const XS_MORE = new Map<string, SimpleType>(
  (
    [
      ['float', 'double'],
      ['long', 'integer'],
      ['short', 'integer'],
      ['byte', 'integer'],
      ['nonNegativeInteger', 'integer'],
      ['positiveInteger', 'integer'],
      ['unsignedInt', 'integer'],
      ['unsignedLong', 'integer'],
      ['token', 'anyURI'],
      ['normalizedString', 'string'],
      ['QName', 'anyURI'],
      ['date', 'string'],
      ['time', 'string'],
      ['duration', 'string'],
      ['base64Binary', 'anyURI'],
      ['language', 'anyURI'],
      ['Name', 'anyURI'],
      ['ID', 'NCName'],
      ['IDREF', 'NCName'],
    ] as const
  ).map(([local, base]) => [local, { kind: 'simple', name: `xs:${local}`, base } as SimpleType]),
);
