/**
 * The XML groups of the EPCIS conformance suite.
 *
 * Group `xsd`: one case per row of `epcis-examples/xml/xsd-validation.tsv` (libxml2's verdict on
 * every XML example against the XSD of its root namespace):
 * - `valid`: `validateEpcisXml` accepts the file, and `parseEpcisXml` (validating) reads it when it
 *   is an event or query-results document (master data documents, capture jobs and `Poll` queries
 *   are validated only: they hold no events).
 * - `invalid`: `validateEpcisXml` rejects it, and its first problem names the same fault as the
 *   table's first error: the same element, the same kind (unexpected element, missing child,
 *   missing attribute, bad value, no global declaration, unresolvable xsi:type), on the line the
 *   table gives (libxml2 reports the line where the start tag ends; rxtrace the line and column
 *   where it starts, so the table's line must fall within the start tag). `parseEpcisXml` rejects it
 *   too when it is an event document.
 * - `not-checked` (bare events without namespace): `parseEpcisXmlEvent` reads exactly one event
 *   without validation; validating, it accepts the file — or, under an `Invalid/` folder, rejects it.
 * Twelve GS1 files start with the inert `<!DOCTYPE project>`; rxtrace refuses every DOCTYPE by
 * default, so this group reads all files with `allowInertDoctype: true` (which still refuses any
 * DOCTYPE with an identifier or an internal subset).
 *
 * Group `twins`: every XML/JSON pair with the same base name (GS1 `WithFullCombinationOfFields`,
 * OpenEPCIS `Capture/Documents`, `Capture/Events`, `Query`), three cases each:
 * - `<xml path>`: the XML (read without validation: several OpenEPCIS twins do not pass the
 *   development XSDs) gives the same events as the JSON, after the light canonicalisation below;
 * - `<xml path>#2.0` and `#1.2`: model → EPCIS 2.0 (resp. 1.2) XML → model gives the same events,
 *   for the model read from the XML (exactly the same, CBV values written as they are) and for the
 *   JSON model (canonically the same); the written XML is valid against the XSD of its version when
 *   the source XML is valid; nothing is lost (1.2 places 2.0-only content in its extension
 *   positions, reported as warnings — that is allowed, a loss is not).
 *
 * Canonicalisation used to compare events (applied to both sides):
 * 1. Member names that are CURIEs become `{namespace}local` (JSON: the `@context` prefixes —
 *    nested `@context` objects and the standard context's own prefixes included; XML: the reader's
 *    namespace map). CBV's master-data namespace is the same written `urn:epcglobal:cbv:mda` (XML)
 *    or `urn:epcglobal:cbv:mda:` (JSON-LD context).
 * 2. CBV values — bizStep, disposition, persistentDisposition set/unset, error reason, business
 *    transaction / source / destination types, sensor report type / component / exception — in
 *    any spelling (bare word, Web URI, 1.x URN, `cbv:` / `gs1:` CURIE) become their Web URI; a bare
 *    measurement type becomes a GS1 Web Vocabulary URI (the JSON-LD context's vocabulary).
 * 3. Any string that is a GS1 identifier (EPC URN, class or pattern, or a Digital Link on any
 *    domain) becomes its canonical Digital Link (`identifiers.ts`, as the Event Hash ID does).
 * 4. Timestamps (eventTime, recordTime, declarationTime, sensor time, startTime, endTime) are
 *    compared as instants.
 * 5. Extension values are compared as text (XML text has no types: JSON `true` ≡ XML `true`);
 *    an extension element holding only `#text` and `xsi:type` is its text (`xsi:type` is an
 *    XML-only annotation); an empty extension element is the same as none.
 * 6. `rdfs:comment` / `comment` members are dropped (the XML twins carry them as XML comments,
 *    which are not data), as is `@context`.
 * 7. An empty EPC list is the same as none (EPCIS 1.2 requires `epcList` / `childEPCs`, so the 1.2
 *    round trip writes them empty); a single `certificationInfo` is the same as a list of one.
 * Member order is ignored; list order is not.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type CbvKind, toWebUri } from '../../../packages/epcis/src/cbv.ts';
import { toCanonicalDigitalLink } from '../../../packages/epcis/src/identifiers.ts';
import {
  type EPCISAnyDocument,
  type EPCISEvent,
  eventsOf,
  type Namespaces,
} from '../../../packages/epcis/src/model.ts';
import {
  parseEpcisXml,
  parseEpcisXmlEvent,
  validateEpcisXml,
  writeEpcisXml,
  writeEpcisXmlEvent,
  XML_WRITE_CODES,
  type XmlReadResult,
  XSD_CODES,
} from '../../../packages/epcis/src/xml/index.ts';
import type { EpcisCase, EpcisGroup, Outcome } from '../types.ts';

const XML_DIR = 'epcis-examples/xml';
const JSON_DIR = 'epcis-examples/json';
const TABLE = `${XML_DIR}/xsd-validation.tsv`;
const pass: Outcome = { pass: true };
const fail = (detail: string): Outcome => ({ pass: false, detail });

// ---------------------------------------------------------------------------------------------
// xsd

interface Row {
  path: string;
  verdict: 'valid' | 'invalid' | 'not-checked';
  firstError: string;
}

function readTable(root: string): Row[] {
  const file = join(root, TABLE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [path, , verdict, firstError] = l.split('\t');
      return { path: path!, verdict: verdict as Row['verdict'], firstError: firstError ?? '' };
    });
}

/** The kinds of fault libxml2 reports, by message, and rxtrace's code for each. */
const FAULTS: [RegExp, string][] = [
  [/This element is not expected/, XSD_CODES.unexpected],
  [/Missing child element/, XSD_CODES.missing],
  [/is required but missing/, XSD_CODES.attributeRequired],
  [/is not a valid value of the atomic type|\[facet '/, XSD_CODES.value],
  [/No matching global declaration available/, XSD_CODES.noRoot],
  [/has no corresponding namespace declaration in scope/, XSD_CODES.xsiType],
];

/** Lines spanned by the start tag that begins at (line, column). */
function tagSpan(text: string, line: number, column: number): [number, number] {
  let pos = 0;
  for (let l = 1; l < line; l++) pos = text.indexOf('\n', pos) + 1;
  pos += column - 1;
  const gt = text.indexOf('>', pos);
  let end = line;
  for (let i = pos; i < gt; i++) if (text.charCodeAt(i) === 10) end++;
  return [line, end];
}

const EVENT_ROOTS = new Set([
  '{urn:epcglobal:epcis:xsd:2}EPCISDocument',
  '{urn:epcglobal:epcis:xsd:1}EPCISDocument',
  '{urn:epcglobal:epcis-query:xsd:2}EPCISQueryDocument',
  '{urn:epcglobal:epcis-query:xsd:1}EPCISQueryDocument',
]);
const isEventDocument = (root: string | undefined, text: string) =>
  EVENT_ROOTS.has(root ?? '') && !/<(\w+:)?Poll[\s>]/.test(text);

function xsdCase(root: string, row: Row): EpcisCase {
  return {
    id: `${XML_DIR}/${row.path}`,
    run(): Outcome {
      const text = readFileSync(join(root, XML_DIR, row.path), 'utf8');
      const opts = { allowInertDoctype: true };
      if (row.verdict === 'not-checked') {
        const lenient = parseEpcisXmlEvent(text, { ...opts, validate: false });
        if (!lenient.ok) return fail(`not read as a bare event: ${lenient.errors[0]!.message}`);
        const strict = parseEpcisXmlEvent(text, opts);
        const mustReject = row.path.includes('/Invalid/');
        if (strict.ok === mustReject)
          return fail(
            mustReject
              ? 'an invalid bare event was accepted by validation'
              : `bare event rejected: ${strict.ok ? '' : strict.errors[0]!.message}`,
          );
        return pass;
      }
      const v = validateEpcisXml(text, opts);
      const parse = isEventDocument(v.root, text) ? parseEpcisXml(text, opts) : null;
      if (row.verdict === 'valid') {
        if (!v.valid) return fail(`rejected: line ${v.problems[0]!.line}: ${v.problems[0]!.message}`);
        if (parse && !parse.ok) return fail(`validated but not read: ${parse.errors[0]!.message}`);
        return pass;
      }
      if (v.valid) return fail(`accepted; libxml2: ${row.firstError}`);
      if (parse?.ok) return fail('validateEpcisXml rejects it but parseEpcisXml reads it');
      const p = v.problems[0]!;
      const m = /^line (\d+): Element '([^']+)'/.exec(row.firstError);
      const code = FAULTS.find(([re]) => re.test(row.firstError))?.[1];
      if (!m || !code) return fail(`unrecognised table entry: ${row.firstError}`);
      const [from, to] = tagSpan(text, p.line!, p.column!);
      const line = Number(m[1]);
      const got = `line ${p.line}: ${p.message}`;
      if (p.code !== code) return fail(`fault kind ${p.code}, table: ${row.firstError}; rxtrace: ${got}`);
      if (!p.message.startsWith(`Element '${m[2]}'`))
        return fail(`other element; table: ${row.firstError}; rxtrace: ${got}`);
      if (line < from || line > to) return fail(`other line; table: ${row.firstError}; rxtrace: ${got}`);
      return pass;
    },
  };
}

export const xsdGroup: EpcisGroup = {
  name: 'xsd',
  cases: (root) => readTable(root).map((r) => xsdCase(root, r)),
};

// ---------------------------------------------------------------------------------------------
// twins

const TWIN_DIRS = [
  'gs1/WithFullCombinationOfFields',
  'openepcis-2.0/Capture/Documents',
  'openepcis-2.0/Capture/Events',
  'openepcis-2.0/Query',
];

/** Prefixes of the standard EPCIS 2.0 JSON-LD context. */
const STANDARD_PREFIXES: Namespaces = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};
const GS1_VOC = 'https://gs1.org/voc/';

function contextPrefixes(ctx: unknown, into: Namespaces = {}): Namespaces {
  for (const c of Array.isArray(ctx) ? ctx : [ctx])
    if (c !== null && typeof c === 'object')
      for (const [k, v] of Object.entries(c)) if (typeof v === 'string' && !k.startsWith('@')) into[k] = v;
  return into;
}

const TIME_FIELDS = new Set(['eventTime', 'recordTime', 'declarationTime', 'time', 'startTime', 'endTime']);
const VOCAB_FIELDS: Record<string, CbvKind> = {
  bizStep: 'bizStep',
  disposition: 'disposition',
  reason: 'errorReason',
  set: 'disposition',
  unset: 'disposition',
};
const MEMBER_VOCAB: Record<string, Record<string, CbvKind>> = {
  bizTransactionList: { type: 'bizTransactionType' },
  sourceList: { type: 'sourceDestType' },
  destinationList: { type: 'sourceDestType' },
  sensorReport: { type: 'measurementType', component: 'sensorComponent', exception: 'sensorAlertType' },
};
const EPC_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);

function vocabulary(kind: CbvKind, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(gs1|cbv):(.+)$/.exec(v);
  let x = m ? `${STANDARD_PREFIXES[m[1]!]}${m[2]}` : v.replace('https://ref.gs1.org/voc/', GS1_VOC);
  if (kind === 'measurementType' && !x.includes(':')) x = GS1_VOC + x;
  return toWebUri(kind, x, true) ?? x;
}

function canon(v: unknown, ns: Namespaces, key: string, parent: string, inExtension: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => canon(x, ns, key, parent, inExtension));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if ('#text' in o && keys.every((k) => k === '#text' || k === 'xsi:type'))
      return canon(o['#text'], ns, key, parent, inExtension);
    if ('@context' in o) ns = contextPrefixes(o['@context'], { ...ns });
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) {
      const val = o[k];
      if (k === '@context' || k === 'rdfs:comment' || k === 'comment' || val === undefined) continue;
      if (EPC_LISTS.has(k) && Array.isArray(val) && val.length === 0) continue;
      const colon = k.indexOf(':');
      const prefix = colon > 0 ? k.slice(0, colon) : '';
      const ext = colon > 0 && ns[prefix] !== undefined;
      if (ext && val === '') continue;
      const name = ext
        ? `{${ns[prefix]!.replace(/^urn:epcglobal:cbv:mda$/, 'urn:epcglobal:cbv:mda:')}}${k.slice(colon + 1)}`
        : k;
      let c = canon(val, ns, k, key, inExtension || ext);
      const mv = MEMBER_VOCAB[key]?.[k] ?? MEMBER_VOCAB[parent]?.[k];
      if (mv && !inExtension) c = vocabulary(mv, c);
      out[name] = c;
    }
    if (typeof out.certificationInfo === 'string') out.certificationInfo = [out.certificationInfo];
    return out;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return inExtension ? String(v) : v;
  if (typeof v !== 'string') return v;
  const id = toCanonicalDigitalLink(v);
  if (id !== undefined) return id;
  if (inExtension) return v;
  if (TIME_FIELDS.has(key)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : new Date(t).toISOString();
  }
  const vk = VOCAB_FIELDS[key] ?? VOCAB_FIELDS[parent];
  return vk ? vocabulary(vk, v) : v;
}

/** Events in comparable form (see the module comment). */
export function canonicalEvents(events: readonly EPCISEvent[], ns: Namespaces): unknown[] {
  return events.map((e) => canon(e, ns, '', '', false));
}

function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}/${k}`,
      );
      if (d) return d;
    }
  }
  const s = (x: unknown) => (x === undefined ? 'absent' : JSON.stringify(x).slice(0, 160));
  return `${path || '/'}: ${s(a)} ≠ ${s(b)}`;
}

interface Twin {
  dir: string;
  base: string;
  xml: string;
  json: string;
  bare: boolean;
}

function twins(root: string): Twin[] {
  const out: Twin[] = [];
  for (const dir of TWIN_DIRS) {
    const xd = join(root, XML_DIR, dir);
    if (!existsSync(xd)) continue;
    for (const f of readdirSync(xd).sort()) {
      if (!f.endsWith('.xml')) continue;
      const base = basename(f, '.xml');
      const json = ['.jsonld', '.json'].map((e) => join(root, JSON_DIR, dir, base + e)).find(existsSync);
      if (json) out.push({ dir, base, xml: join(xd, f), json, bare: dir.endsWith('/Events') });
    }
  }
  return out;
}

const XSD_VALID = new Map<string, boolean>();
function sourceIsValid(root: string, t: Twin): boolean {
  if (XSD_VALID.size === 0) for (const r of readTable(root)) XSD_VALID.set(r.path, r.verdict === 'valid');
  return XSD_VALID.get(`${t.dir}/${t.base}.xml`) === true;
}

interface Side {
  events: EPCISEvent[];
  ns: Namespaces;
  doc: EPCISAnyDocument | null;
}

function readXmlTwin(t: Twin): Side | string {
  const text = readFileSync(t.xml, 'utf8');
  const opts = { validate: false, allowInertDoctype: true };
  const r: XmlReadResult<EPCISAnyDocument | EPCISEvent> = t.bare
    ? parseEpcisXmlEvent(text, opts)
    : parseEpcisXml(text, opts);
  if (!r.ok) return `XML not read: ${r.errors[0]!.message}`;
  const doc = t.bare ? null : (r.value as EPCISAnyDocument);
  return { events: doc ? eventsOf(doc) : [r.value as EPCISEvent], ns: r.namespaces, doc };
}

function readJsonTwin(t: Twin): Side {
  const json = JSON.parse(readFileSync(t.json, 'utf8'));
  const ns = contextPrefixes(json['@context'], { ...STANDARD_PREFIXES });
  return t.bare ? { events: [json], ns, doc: null } : { events: eventsOf(json), ns, doc: json };
}

function compare(a: Side, b: Side, what: string): string | null {
  if (a.events.length !== b.events.length) return `${what}: ${a.events.length} events ≠ ${b.events.length}`;
  const d = firstDifference(canonicalEvents(a.events, a.ns), canonicalEvents(b.events, b.ns));
  return d && `${what}: event ${d}`;
}

function jsonCase(t: Twin, id: string): EpcisCase {
  return {
    id,
    run(): Outcome {
      const x = readXmlTwin(t);
      if (typeof x === 'string') return fail(x);
      const d = compare(x, readJsonTwin(t), 'XML ≠ JSON');
      return d ? fail(d) : pass;
    },
  };
}

/** Writes a side as XML of `version` and reads it back. */
function roundTrip(
  s: Side,
  version: '2.0' | '1.2',
  cbv: 'as-is' | 'uri',
): { side: Side; xml: string } | string {
  const w = s.doc
    ? writeEpcisXml(s.doc, { version, cbv })
    : writeEpcisXmlEvent(s.events[0]!, { version, cbv });
  if (!w.ok) return `not written: ${w.errors[0]!.message}`;
  // Allowed: 1.2 extension placements, the JSON-only document members, and a note that the source lacks creationDate.
  const losses = w.warnings.filter(
    (x) =>
      x.code === XML_WRITE_CODES.loss && !/^\/(id|sender|receiver|instanceIdentifier)$/.test(x.pointer ?? ''),
  );
  if (losses.length) return `lost in writing: ${losses[0]!.pointer}: ${losses[0]!.message}`;
  const r = s.doc
    ? parseEpcisXml(w.value, { validate: false })
    : parseEpcisXmlEvent(w.value, { validate: false });
  if (!r.ok) return `written XML not read back: ${r.errors[0]!.message}`;
  const doc = s.doc ? (r.value as EPCISAnyDocument) : null;
  return {
    side: { events: doc ? eventsOf(doc) : [r.value as EPCISEvent], ns: r.namespaces, doc },
    xml: w.value,
  };
}

function roundTripCase(root: string, t: Twin, id: string, version: '2.0' | '1.2'): EpcisCase {
  return {
    id,
    run(): Outcome {
      const x = readXmlTwin(t);
      if (typeof x === 'string') return fail(x);
      const fromXml = roundTrip(x, version, 'as-is');
      if (typeof fromXml === 'string') return fail(`XML model: ${fromXml}`);
      if (sourceIsValid(root, t)) {
        const v = t.bare ? parseEpcisXmlEvent(fromXml.xml) : validateEpcisXml(fromXml.xml);
        const problems = 'problems' in v ? v.problems : v.ok ? [] : v.errors;
        if (problems.length)
          return fail(
            `written ${version} XML is not valid: line ${problems[0]!.line}: ${problems[0]!.message}`,
          );
      }
      if (version === '2.0') {
        const d = firstDifference(fromXml.side.events, x.events);
        if (d) return fail(`XML model → 2.0 XML → model differs: event ${d}`);
      } else {
        const d = compare(fromXml.side, x, 'XML model → 1.2 XML → model');
        if (d) return fail(d);
      }
      const j = readJsonTwin(t);
      const fromJson = roundTrip(j, version, 'uri');
      if (typeof fromJson === 'string') return fail(`JSON model: ${fromJson}`);
      const d = compare(fromJson.side, j, `JSON model → ${version} XML → model`);
      return d ? fail(d) : pass;
    },
  };
}

export const twinsGroup: EpcisGroup = {
  name: 'twins',
  cases(root: string): EpcisCase[] {
    const out: EpcisCase[] = [];
    for (const t of twins(root)) {
      const id = `${XML_DIR}/${t.dir}/${t.base}.xml`;
      out.push(
        jsonCase(t, id),
        roundTripCase(root, t, `${id}#2.0`, '2.0'),
        roundTripCase(root, t, `${id}#1.2`, '1.2'),
      );
    }
    return out;
  },
};
