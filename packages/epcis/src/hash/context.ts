/**
 * What the Event Hash ID needs to know about the document an event came from, resolved once per
 * document: the namespace prefixes (to write extension fields as `{namespace}localName` and to
 * expand CURIE values), whether bare CBV words are to be expanded, and the fields the document
 * asks to leave out (`ignoreFields`).
 *
 * The two bindings differ in the reference implementation, and the vectors encode the difference:
 * - JSON-LD: prefixes are those declared in the `@context` objects (the standard context's own
 *   prefixes — `gs1`, `cbv`, `cbvmda` — only count when the document repeats them); every string
 *   value that is a CURIE of such a prefix is expanded; bare CBV words of the vocabulary fields
 *   (`shipping`, `Temperature`, `x`…) become their Web URIs; a field whose name ends in `List`
 *   holds its members under the name without `List` (the XML element structure).
 * - XML: field names carry their element namespace; only the value prefixes `gs1:` and `cbv:` are
 *   expanded (`gs1:MT-Temperature`, `cbv:BizStep-receiving`), whatever the document declares.
 */
import type { EPCISAnyDocument, JsonLdContext, Namespaces } from '../model.ts';

/** The namespace of the document-level `ignoreFields` extension (not part of CBV 2.0). */
export const IGNORE_FIELDS_NAMESPACE = 'https://repository-x.example.com/';

/** Value prefixes the reference expands in XML documents. */
export const XML_VALUE_PREFIXES: Readonly<Namespaces> = Object.freeze({
  gs1: 'https://gs1.org/voc/',
  cbv: 'https://ref.gs1.org/cbv/',
});

export interface HashContextInit {
  /** Prefix → namespace URI, for CURIE field names (`example:temp` → `{https://…/}temp`). */
  namespaces?: Namespaces;
  /** Prefix → namespace URI for CURIE values. Default: `namespaces` (the JSON-LD rule). */
  valuePrefixes?: Namespaces;
  /** Expand bare CBV words in the vocabulary fields. Default true (JSON-LD). */
  bareWords?: boolean;
  /** Fields named `…List` hold their members under the name without `List`. Default true (JSON). */
  listMembers?: boolean;
  /** Event fields to leave out, as CURIEs of `namespaces`, `{ns}local` names or full IRIs. */
  ignoreFields?: readonly string[];
}

/** A resolved context (make one per document with {@link hashContext} or its siblings). */
export interface HashContext {
  readonly resolved: true;
  readonly keyNs: ReadonlyMap<string, string>;
  readonly valueNs: ReadonlyMap<string, string> | null;
  /** First character codes (< 128) of the value prefixes, to skip most values at once. */
  readonly valueFirst: Uint8Array | null;
  readonly bareWords: boolean;
  readonly listMembers: boolean;
  /** Expanded (`{ns}local`) names of ignored event fields. */
  readonly ignore: ReadonlySet<string> | null;
}

function toMap(ns: Namespaces | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (ns) for (const k of Object.keys(ns)) if (typeof ns[k] === 'string') m.set(k, ns[k]);
  return m;
}

/** `prefix:local` → `{namespace}local` when the prefix is known; anything else unchanged. */
export function expandName(name: string, ns: ReadonlyMap<string, string>): string {
  const i = name.indexOf(':');
  if (i <= 0) return name;
  const uri = ns.get(name.slice(0, i));
  return uri === undefined ? name : `{${uri}}${name.slice(i + 1)}`;
}

/** Resolves a context description (or passes a resolved one through). */
export function resolveHashContext(init: HashContextInit | HashContext = {}): HashContext {
  if ((init as HashContext).resolved === true) return init as HashContext;
  const i = init as HashContextInit;
  const keyNs = toMap(i.namespaces);
  const valueNs = i.valuePrefixes ? toMap(i.valuePrefixes) : keyNs;
  let valueFirst: Uint8Array | null = null;
  if (valueNs.size) {
    valueFirst = new Uint8Array(128);
    for (const p of valueNs.keys()) {
      const c = p.charCodeAt(0);
      if (c < 128) valueFirst[c] = 1;
    }
  }
  let ignore: Set<string> | null = null;
  if (i.ignoreFields?.length) {
    ignore = new Set();
    for (const f of i.ignoreFields) {
      ignore.add(f);
      ignore.add(expandName(f, keyNs));
      // A full IRI `https://ns/local` also names `{https://ns/}local`.
      const cut = Math.max(f.lastIndexOf('/'), f.lastIndexOf('#'));
      if (cut > 0 && f.includes('://')) ignore.add(`{${f.slice(0, cut + 1)}}${f.slice(cut + 1)}`);
    }
  }
  return Object.freeze({
    resolved: true as const,
    keyNs,
    valueNs: valueNs.size ? valueNs : null,
    valueFirst,
    bareWords: i.bareWords ?? true,
    listMembers: i.listMembers ?? true,
    ignore,
  });
}

/** Prefix → namespace of a JSON-LD `@context`: the string-valued terms of its inline objects. */
export function jsonLdPrefixes(context: JsonLdContext | undefined): Namespaces {
  const out: Namespaces = {};
  const add = (c: unknown) => {
    if (!c || typeof c !== 'object' || Array.isArray(c)) return;
    for (const [k, v] of Object.entries(c as Record<string, unknown>)) {
      if (typeof v === 'string' && k.charCodeAt(0) !== 64 /* @ */) out[k] = v;
    }
  };
  if (Array.isArray(context)) for (const c of context) add(c);
  else add(context);
  return out;
}

/** The `ignoreFields` list of a document (document level or, in a query document, the query results). */
export function documentIgnoreFields(doc: Record<string, unknown>, namespaces: Namespaces): string[] {
  const ns = toMap(namespaces);
  const wanted = `{${IGNORE_FIELDS_NAMESPACE}}ignoreFields`;
  const out: string[] = [];
  const scan = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (expandName(k, ns) !== wanted && k !== `${IGNORE_FIELDS_NAMESPACE}ignoreFields`) continue;
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) for (const x of v) typeof x === 'string' && out.push(x);
      else if (v && typeof v === 'object') out.push(...Object.keys(v));
    }
  };
  scan(doc);
  const body = doc.epcisBody as Record<string, unknown> | undefined;
  scan(body);
  scan(body?.queryResults);
  return out;
}

/** The context of a JSON / JSON-LD document (EPCISDocument or EPCISQueryDocument, or a bare event). */
export function hashContext(doc: EPCISAnyDocument | Record<string, unknown>): HashContext {
  const namespaces = jsonLdPrefixes((doc as { '@context'?: JsonLdContext })['@context']);
  return resolveHashContext({ namespaces, ignoreFields: documentIgnoreFields(doc, namespaces) });
}

/**
 * The context of a document read from XML: `namespaces` is the prefix map the XML reader derived
 * (the prefixes of the CURIE field names in the model it produced). The XML reader keeps values as
 * written (CBV URNs, Web URIs, CURIEs), so bare words are not expanded unless `bareWords` says so
 * (for a model whose CBV values were turned into JSON bare words).
 */
export function hashContextForXml(
  namespaces: Namespaces,
  doc?: EPCISAnyDocument | Record<string, unknown>,
  opts: { bareWords?: boolean } = {},
): HashContext {
  return resolveHashContext({
    namespaces,
    valuePrefixes: XML_VALUE_PREFIXES,
    bareWords: opts.bareWords ?? false,
    listMembers: false,
    ignoreFields: doc ? documentIgnoreFields(doc, namespaces) : [],
  });
}
