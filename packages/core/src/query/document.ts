/**
 * Query results as documents: the EPCISQueryDocument (JSON-LD) or its XML, with the identifier
 * form the client asked for (`GS1-EPC-Format`), CBV values in the XML form asked for
 * (`GS1-CBV-XML-Format`) and the master data of the result's read points and business locations
 * in the header.
 */
import {
  type CbvKind,
  type EPCISEvent,
  type EPCISQueryDocument,
  type GcpLengthSource,
  isStandardBareWord,
  type JsonLdContext,
  toEpcUrn,
  toUrn,
  type Vocabulary,
  writeEpcisXml,
} from '@rxtrace/epcis';
import type { MasterDataElement, Store, StoredEvent } from '@rxtrace/store';
import { QueryError } from './errors.ts';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export type EpcFormat = 'No_Preference' | 'Always_GS1_Digital_Link' | 'Always_EPC_URN' | 'Never_Translates';
export type CbvXmlFormat = 'No_Preference' | 'Always_Web_URI' | 'Always_URN' | 'Never_Translates';

const EPC_FORMATS: readonly EpcFormat[] = [
  'No_Preference',
  'Always_GS1_Digital_Link',
  'Always_EPC_URN',
  'Never_Translates',
];
const CBV_XML_FORMATS: readonly CbvXmlFormat[] = [
  'No_Preference',
  'Always_Web_URI',
  'Always_URN',
  'Never_Translates',
];

/** The `GS1-EPC-Format` request header (default Always_GS1_Digital_Link); an unknown value → 400. */
export function parseEpcFormat(header: string | undefined): EpcFormat {
  if (header === undefined || header === '') return 'Always_GS1_Digital_Link';
  const v = header.trim() as EpcFormat;
  if (!EPC_FORMATS.includes(v))
    throw new QueryError(
      'QueryParameterException',
      `GS1-EPC-Format: '${header}' is not one of ${EPC_FORMATS.join(', ')}`,
    );
  return v;
}

/** The `GS1-CBV-XML-Format` request header (default No_Preference = Web URIs). */
export function parseCbvXmlFormat(header: string | undefined): CbvXmlFormat {
  if (header === undefined || header === '') return 'No_Preference';
  const v = header.trim() as CbvXmlFormat;
  if (!CBV_XML_FORMATS.includes(v))
    throw new QueryError(
      'QueryParameterException',
      `GS1-CBV-XML-Format: '${header}' is not one of ${CBV_XML_FORMATS.join(', ')}`,
    );
  return v;
}

export interface EpcTranslation {
  /** The format the identifiers are in. */
  applied: 'Always_GS1_Digital_Link' | 'Always_EPC_URN';
  /** GS1 identifiers kept as Digital Links because their GS1 Company Prefix length is unknown. */
  untranslated: string[];
}

const ID_LISTS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
const Q_LISTS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const;

/** Converts the identifiers of an event (in place, on a copy made by the caller) to EPC URNs. */
function eventToUrns(e: EPCISEvent, conv: (id: string) => string): void {
  for (const k of ID_LISTS) {
    const l = e[k];
    if (l) e[k] = l.map(conv);
  }
  for (const k of Q_LISTS) {
    const l = e[k];
    if (l) e[k] = l.map((q) => ({ ...q, epcClass: conv(q.epcClass) }));
  }
  if (e.parentID !== undefined) e.parentID = conv(e.parentID);
  if (e.readPoint) e.readPoint = { ...e.readPoint, id: conv(e.readPoint.id) };
  if (e.bizLocation) e.bizLocation = { ...e.bizLocation, id: conv(e.bizLocation.id) };
  if (e.sourceList) e.sourceList = e.sourceList.map((s) => ({ ...s, source: conv(s.source) }));
  if (e.destinationList)
    e.destinationList = e.destinationList.map((d) => ({ ...d, destination: conv(d.destination) }));
}

/** An identifier converter to EPC URNs that records what it could not convert. */
export function urnConverter(gcp: GcpLengthSource | undefined): {
  conv: (id: string) => string;
  untranslated: Set<string>;
} {
  const untranslated = new Set<string>();
  const conv = (id: string): string => {
    if (!id.startsWith('https://id.gs1.org/')) return id;
    const r = toEpcUrn(id, gcp);
    if (r.ok) return r.value;
    untranslated.add(id);
    return id;
  };
  return { conv, untranslated };
}

const isStored = (x: StoredEvent | EPCISEvent): x is StoredEvent =>
  typeof (x as StoredEvent).seq === 'number' && typeof (x as StoredEvent).event === 'object';

/**
 * The events as the client gets them: `@context` moved to the document, identifiers in the
 * requested form. Stored events are canonical Digital Links: Always_GS1_Digital_Link,
 * No_Preference and Never_Translates (the original spelling is not kept) return them as they
 * are; Always_EPC_URN converts with the GCP length source, keeping (and listing) what it cannot.
 */
export function presentEvents(
  events: readonly (StoredEvent | EPCISEvent)[],
  epcFormat: EpcFormat,
  gcp?: GcpLengthSource,
): { events: EPCISEvent[]; context: JsonLdContext; translation: EpcTranslation } {
  const prefixes: Record<string, unknown> = {};
  const out: EPCISEvent[] = [];
  const urn = epcFormat === 'Always_EPC_URN' ? urnConverter(gcp) : undefined;
  for (const x of events) {
    const src: EPCISEvent = isStored(x) ? x.event : x;
    const e: EPCISEvent = { ...src };
    const ctx = e['@context'];
    if (ctx !== undefined) {
      delete e['@context'];
      for (const c of Array.isArray(ctx) ? ctx : [ctx])
        if (c && typeof c === 'object') Object.assign(prefixes, c);
    }
    if (urn) eventToUrns(e, urn.conv);
    out.push(e);
  }
  const context: JsonLdContext = Object.keys(prefixes).length ? [EPCIS_CONTEXT, prefixes] : EPCIS_CONTEXT;
  const untranslated = urn ? [...urn.untranslated] : [];
  return {
    events: out,
    context,
    translation: {
      applied:
        urn && untranslated.length === 0
          ? 'Always_EPC_URN'
          : urn
            ? 'Always_EPC_URN'
            : 'Always_GS1_Digital_Link',
      untranslated,
    },
  };
}

/** Master data of the read points and business locations of the events, as a vocabulary list. */
export async function masterDataOfEvents(store: Store, events: readonly EPCISEvent[]): Promise<Vocabulary[]> {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.readPoint?.id) ids.add(e.readPoint.id);
    if (e.bizLocation?.id) ids.add(e.bizLocation.id);
  }
  if (ids.size === 0) return [];
  const elements = await store.getMasterData(undefined, [...ids]);
  return vocabularyList(elements);
}

/** Groups master-data elements by vocabulary type. */
export function vocabularyList(elements: readonly MasterDataElement[]): Vocabulary[] {
  const byType = new Map<string, Vocabulary>();
  for (const el of elements) {
    let v = byType.get(el.type);
    if (!v) {
      v = { type: el.type, vocabularyElementList: [] };
      byType.set(el.type, v);
    }
    const { type: _t, ...rest } = el;
    v.vocabularyElementList.push(rest);
  }
  return [...byType.values()];
}

export interface QueryDocumentOptions {
  queryName: string;
  subscriptionID?: string;
  context?: JsonLdContext;
  vocabularyList?: Vocabulary[];
  creationDate?: string;
}

/** An EPCISQueryDocument around presented events. */
export function queryDocument(events: EPCISEvent[], o: QueryDocumentOptions): EPCISQueryDocument {
  const doc: EPCISQueryDocument = {
    '@context': o.context ?? EPCIS_CONTEXT,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: o.creationDate ?? new Date().toISOString(),
    ...(o.vocabularyList?.length
      ? { epcisHeader: { epcisMasterData: { vocabularyList: o.vocabularyList } } }
      : {}),
    epcisBody: {
      queryResults: {
        queryName: o.queryName,
        ...(o.subscriptionID !== undefined ? { subscriptionID: o.subscriptionID } : {}),
        resultsBody: { eventList: events },
      },
    },
  };
  return doc;
}

const CBV_FIELDS: [string, CbvKind][] = [
  ['bizStep', 'bizStep'],
  ['disposition', 'disposition'],
];

/** Standard bare CBV words → 1.x URNs (for `GS1-CBV-XML-Format: Always_URN`). */
function eventCbvToUrn(e: EPCISEvent): EPCISEvent {
  const u = (kind: CbvKind, v: string): string => (isStandardBareWord(kind, v) ? (toUrn(kind, v) ?? v) : v);
  const x: EPCISEvent = { ...e };
  for (const [k, kind] of CBV_FIELDS) {
    const v = x[k];
    if (typeof v === 'string') x[k] = u(kind, v);
  }
  if (x.persistentDisposition) {
    const pd = x.persistentDisposition;
    x.persistentDisposition = {
      ...(pd.set ? { set: pd.set.map((d) => u('disposition', d)) } : {}),
      ...(pd.unset ? { unset: pd.unset.map((d) => u('disposition', d)) } : {}),
    };
  }
  if (x.bizTransactionList)
    x.bizTransactionList = x.bizTransactionList.map((b) =>
      b.type ? { ...b, type: u('bizTransactionType', b.type) } : b,
    );
  if (x.sourceList) x.sourceList = x.sourceList.map((s) => ({ ...s, type: u('sourceDestType', s.type) }));
  if (x.destinationList)
    x.destinationList = x.destinationList.map((s) => ({ ...s, type: u('sourceDestType', s.type) }));
  if (x.errorDeclaration?.reason)
    x.errorDeclaration = { ...x.errorDeclaration, reason: u('errorReason', x.errorDeclaration.reason) };
  return x;
}

/**
 * EPCIS 2.0 XML of a query document. CBV values: Web URIs (No_Preference, Always_Web_URI,
 * Never_Translates — the stored form is the bare word, which XML cannot carry), or the 1.x URNs
 * (Always_URN; values without a URN form, such as measurement types, stay Web URIs).
 */
export function queryDocumentXml(
  doc: EPCISQueryDocument,
  cbvFormat: CbvXmlFormat = 'No_Preference',
): { xml: string; warnings: string[] } {
  let d = doc;
  if (cbvFormat === 'Always_URN') {
    const qr = doc.epcisBody.queryResults;
    const events = qr.resultsBody.eventList.map(eventCbvToUrn);
    d = { ...doc, epcisBody: { queryResults: { ...qr, resultsBody: { eventList: events } } } };
  }
  const r = writeEpcisXml(d, { version: '2.0' });
  if (!r.ok)
    throw new QueryError(
      'ImplementationException',
      `the result cannot be written as XML: ${r.errors.map((e) => e.message).join('; ')}`,
      500,
    );
  return { xml: r.value, warnings: r.warnings.map((w) => w.message) };
}
