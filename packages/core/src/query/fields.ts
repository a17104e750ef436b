/**
 * Reading event fields for the residual predicates: extension fields by CURIE or URI (with the
 * namespaces of the query and of the event), loose value comparison (strings, numbers written as
 * text, date-times), and "present and non-empty".
 */
import type { EPCISEvent } from '@rxtrace/epcis';
import { namespacesOfContext, parseNumber, parseTime } from './params.ts';

/** Prefixes rxtrace knows without being told (the standard EPCIS 2.0 context's). */
export const DEFAULT_NAMESPACES: Readonly<Record<string, string>> = {
  cbv: 'https://ref.gs1.org/cbv/',
  gs1: 'https://gs1.org/voc/',
  cbvmda: 'urn:epcglobal:cbv:mda#',
  epcis: 'https://ref.gs1.org/epcis/',
};

/** An extension field name resolved to (namespace, local name) where the namespace is known. */
export interface FieldName {
  /** As written in the query. */
  text: string;
  /** Namespace URI without a trailing `#`, when known. */
  ns?: string;
  local: string;
  /** The CURIE prefix, when written as a CURIE. */
  prefix?: string;
}

const trimHash = (ns: string): string => (ns.endsWith('#') ? ns.slice(0, -1) : ns);

/** Splits an extension field name of a query (`ext1:int`, `http://ns.example.com/epcis#f`). */
export function resolveFieldName(text: string, namespaces: Record<string, string>): FieldName {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) || text.startsWith('urn:')) {
    const hash = text.lastIndexOf('#');
    const cut = hash >= 0 ? hash : Math.max(text.lastIndexOf('/'), text.lastIndexOf(':'));
    return { text, ns: trimHash(text.slice(0, cut + 1)), local: text.slice(cut + 1) };
  }
  const colon = text.indexOf(':');
  const prefix = text.slice(0, colon);
  const local = text.slice(colon + 1);
  const ns = namespaces[prefix];
  return { text, prefix, local, ...(ns !== undefined ? { ns: trimHash(ns) } : {}) };
}

const eventNamespaces = new WeakMap<object, Record<string, string>>();

/** Prefixes an event declares itself (an `@context` kept on a stored event). */
export function namespacesOfEvent(e: EPCISEvent): Record<string, string> {
  let ns = eventNamespaces.get(e);
  if (!ns) {
    ns = namespacesOfContext((e as Record<string, unknown>)['@context']);
    eventNamespaces.set(e, ns);
  }
  return ns;
}

/** Whether a member name of an event names the query's field. */
export function keyMatches(
  key: string,
  f: FieldName,
  eventNs: Record<string, string>,
  queryNs: Record<string, string>,
): boolean {
  if (key === f.text) return true;
  const colon = key.indexOf(':');
  if (colon <= 0) return false;
  if (f.ns === undefined) return false;
  if (key.startsWith('http') || key.startsWith('urn:')) {
    const k = resolveFieldName(key, {});
    return k.ns === f.ns && k.local === f.local;
  }
  const local = key.slice(colon + 1);
  if (local !== f.local) return false;
  const p = key.slice(0, colon);
  const ns = eventNs[p] ?? queryNs[p] ?? DEFAULT_NAMESPACES[p];
  return ns !== undefined && trimHash(ns) === f.ns;
}

/** Values of the members of `obj` named `f` (array values flattened). */
export function valuesOf(
  obj: unknown,
  f: FieldName,
  eventNs: Record<string, string>,
  queryNs: Record<string, string>,
  out: unknown[] = [],
): unknown[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (!keyMatches(k, f, eventNs, queryNs)) continue;
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

/** Values of members named `f` nested at any depth inside the values of `obj`'s members (not `obj`'s own). */
export function innerValuesOf(
  obj: unknown,
  f: FieldName,
  eventNs: Record<string, string>,
  queryNs: Record<string, string>,
  onlyExtensions: boolean,
  out: unknown[] = [],
): unknown[] {
  if (!obj || typeof obj !== 'object') return out;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    valuesOf(v, f, eventNs, queryNs, out);
    for (const x of Object.values(v as Record<string, unknown>)) walk(x);
  };
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    // Only inside extension members: a member name with a colon (CURIE or URI).
    if (onlyExtensions && !k.includes(':')) continue;
    walk(v);
  }
  return out;
}

/** Present and not empty (`''`, `[]`, `{}`, null count as absent). */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** The text of a scalar member value (JSON-LD value objects `{"@value": …}` and `#text` read too). */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('@value' in o) return scalarText(o['@value']);
    if ('#text' in o) return scalarText(o['#text']);
  }
  return undefined;
}

/** EQ_ on an extension field: same text, or the same number, or the same instant. */
export function looseEquals(v: unknown, want: string): boolean {
  const s = scalarText(v);
  if (s === undefined) return false;
  if (s === want) return true;
  const a = parseNumber(s);
  if (!Number.isNaN(a)) {
    const b = parseNumber(want);
    return !Number.isNaN(b) && a === b;
  }
  const t = parseTime(s);
  if (!Number.isNaN(t)) {
    const u = parseTime(want);
    return !Number.isNaN(u) && t === u;
  }
  return false;
}

export function compare(op: 'GT' | 'GE' | 'LT' | 'LE', a: number, b: number): boolean {
  switch (op) {
    case 'GT':
      return a > b;
    case 'GE':
      return a >= b;
    case 'LT':
      return a < b;
    case 'LE':
      return a <= b;
  }
}

/** GT_/GE_/LT_/LE_ on an extension field: numeric when the parameter is a number, by instant when it is a date-time. */
export function looseCompare(
  op: 'GT' | 'GE' | 'LT' | 'LE',
  v: unknown,
  param: { number?: number; time?: number },
): boolean {
  const s = scalarText(v);
  if (s === undefined) return false;
  if (param.number !== undefined) {
    const n = typeof v === 'number' ? v : parseNumber(s);
    return !Number.isNaN(n) && compare(op, n, param.number);
  }
  if (param.time !== undefined) {
    const t = parseTime(s);
    return !Number.isNaN(t) && compare(op, t, param.time);
  }
  return false;
}
