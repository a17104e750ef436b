/**
 * The EPCIS 2.0 model, in the shape of its JSON / JSON-LD binding (the standard's own JSON form),
 * which is rxtrace's internal representation. XML (2.0 and 1.2) is read into, and written from,
 * this shape. Extension fields are kept as CURIE-named properties (`example:temperature`) whose
 * prefixes are declared in the document's `@context`; {@link Namespaces} resolves them.
 */

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type StandardEventType = (typeof EVENT_TYPES)[number];
export type Action = 'ADD' | 'OBSERVE' | 'DELETE';

/** Extension properties: any CURIE or URI key, any JSON value. */
export type Extensions = { [curieOrUri: string]: unknown };

export interface QuantityElement {
  /** An EPC class: `urn:epc:class:lgtin:…`, `urn:epc:idpat:sgtin:…`, or a Digital Link with a GTIN (and lot). */
  epcClass: string;
  quantity?: number;
  /** UN/CEFACT Rec. 20 unit code; absent = a count of items. */
  uom?: string;
}

export interface IdObject extends Extensions {
  id: string;
}

export interface BizTransaction {
  type?: string;
  bizTransaction: string;
}

export interface Source {
  type: string;
  source: string;
}

export interface Destination {
  type: string;
  destination: string;
}

export interface PersistentDisposition {
  set?: string[];
  unset?: string[];
}

export interface ErrorDeclaration extends Extensions {
  declarationTime: string;
  reason?: string;
  correctiveEventIDs?: string[];
}

export interface SensorMetadata extends Extensions {
  time?: string;
  startTime?: string;
  endTime?: string;
  deviceID?: string;
  deviceMetadata?: string;
  rawData?: string;
  dataProcessingMethod?: string;
  bizRules?: string;
}

export interface SensorReport extends Extensions {
  type?: string;
  exception?: 'ALARM_CONDITION' | 'ERROR_CONDITION';
  deviceID?: string;
  deviceMetadata?: string;
  rawData?: string;
  dataProcessingMethod?: string;
  time?: string;
  microorganism?: string;
  chemicalSubstance?: string;
  value?: number;
  component?: string;
  stringValue?: string;
  booleanValue?: boolean;
  hexBinaryValue?: string;
  uriValue?: string;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  sDev?: number;
  percRank?: number;
  percValue?: number;
  uom?: string;
  coordinateReferenceSystem?: string;
}

export interface SensorElement extends Extensions {
  sensorMetadata?: SensorMetadata;
  sensorReport: SensorReport[];
}

/** One EPCIS event. Field presence per type is checked by the validator, not by the type system. */
export interface EPCISEvent extends Extensions {
  /** One of {@link EVENT_TYPES}, or an extension event type URI. */
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  /** Set by the repository when it stores the event. */
  recordTime?: string;
  eventID?: string;
  errorDeclaration?: ErrorDeclaration;
  certificationInfo?: string | string[];
  // What
  epcList?: string[];
  parentID?: string;
  childEPCs?: string[];
  inputEPCList?: string[];
  outputEPCList?: string[];
  quantityList?: QuantityElement[];
  childQuantityList?: QuantityElement[];
  inputQuantityList?: QuantityElement[];
  outputQuantityList?: QuantityElement[];
  transformationID?: string;
  action?: Action;
  // Why / where
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: PersistentDisposition;
  readPoint?: IdObject;
  bizLocation?: IdObject;
  bizTransactionList?: BizTransaction[];
  sourceList?: Source[];
  destinationList?: Destination[];
  // How
  sensorElementList?: SensorElement[];
  /** Instance / lot master data (only ObjectEvent ADD and TransformationEvent): CURIE keys. */
  ilmd?: Extensions;
}

export interface VocabularyAttribute {
  id: string;
  attribute: unknown;
}

export interface VocabularyElement {
  id: string;
  attributes?: VocabularyAttribute[];
  children?: string[];
}

export interface Vocabulary {
  /** Vocabulary type URI, e.g. `urn:epcglobal:epcis:vtype:BusinessLocation`. */
  type: string;
  vocabularyElementList: VocabularyElement[];
}

export interface EPCISHeader extends Extensions {
  epcisMasterData?: { vocabularyList: Vocabulary[] };
}

/** The JSON-LD `@context`: URL strings and prefix → namespace objects. */
export type JsonLdContext = string | Record<string, unknown> | Array<string | Record<string, unknown>>;

interface DocumentBase extends Extensions {
  '@context': JsonLdContext;
  schemaVersion: string;
  creationDate: string;
  id?: string;
  instanceIdentifier?: string;
  sender?: string;
  receiver?: string;
  epcisHeader?: EPCISHeader;
}

export interface EPCISDocument extends DocumentBase {
  type: 'EPCISDocument';
  epcisBody: { eventList: EPCISEvent[] };
}

export interface EPCISQueryDocument extends DocumentBase {
  type: 'EPCISQueryDocument';
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID?: string;
      resultsBody: { eventList: EPCISEvent[] };
    };
  };
}

export type EPCISAnyDocument = EPCISDocument | EPCISQueryDocument;

/** The events of either kind of document. */
export function eventsOf(doc: EPCISAnyDocument): EPCISEvent[] {
  return doc.type === 'EPCISQueryDocument'
    ? doc.epcisBody.queryResults.resultsBody.eventList
    : doc.epcisBody.eventList;
}

/** Prefix → namespace URI map of a document (from `@context` objects; from xmlns in XML). */
export type Namespaces = Record<string, string>;

/** A problem in a document: where (JSON pointer, or XML line/column), what, and the EPCIS exception. */
export interface EpcisProblem {
  /** Stable code, `RX_EPCIS_…`, or a schema keyword (`required`, `pattern`…) for schema faults. */
  code: string;
  message: string;
  /** JSON pointer into the JSON form (`/epcisBody/eventList/3/epcList/0`). */
  pointer?: string;
  /** For XML input: 1-based line and column. */
  line?: number;
  column?: number;
  /** Index of the event in document order, when the problem is inside one. */
  eventIndex?: number;
}

export type EpcisResult<T> = { ok: true; value: T } | { ok: false; errors: EpcisProblem[] };
