/**
 * The EPCIS XML schemas as data: the content models, attributes and simple types of the XSDs of
 * EPCIS 2.0 (`EPCglobal-epcis-2_0.xsd`, `…-query-2_0.xsd`, `…-masterdata-2_0.xsd`) and EPCIS 1.2
 * (`…-1_2.xsd`), with the SBDH and EPCglobal include files they import. Written from the XSD text
 * (GS1 development repository, see `../../../../shared/conformance/epcis-schema/README.md`); each
 * type below carries the name it has there, and `schema.test.ts` compares this encoding with the
 * XSD files themselves when they are present.
 *
 * Local elements are unqualified (`elementFormDefault="unqualified"`) except in the SBDH schema;
 * `ref=` elements are qualified with their schema's namespace.
 */

export const NS = Object.freeze({
  epcis2: 'urn:epcglobal:epcis:xsd:2',
  query2: 'urn:epcglobal:epcis-query:xsd:2',
  md2: 'urn:epcglobal:epcis-masterdata:xsd:2',
  epcis1: 'urn:epcglobal:epcis:xsd:1',
  query1: 'urn:epcglobal:epcis-query:xsd:1',
  md1: 'urn:epcglobal:epcis-masterdata:xsd:1',
  sbdh: 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader',
  epcglobal: 'urn:epcglobal:xsd:1',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
});

export type Builtin =
  | 'string'
  | 'anyURI'
  | 'dateTime'
  | 'decimal'
  | 'double'
  | 'boolean'
  | 'int'
  | 'integer'
  | 'hexBinary'
  | 'NCName'
  | 'anySimpleType';

export interface SimpleType {
  kind: 'simple';
  /** Name for messages: `xs:dateTime` for built-ins, `{ns}Name` for schema types. */
  name: string;
  base: Builtin;
  enumeration?: readonly string[];
  pattern?: { source: string; re: RegExp };
}

export interface ElementParticle {
  t: 'el';
  ns: string;
  name: string;
  type: TypeDef;
  min: number;
  max: number;
  nillable?: boolean;
}
export interface AnyParticle {
  t: 'any';
  /** `other` = any namespace but the schema's target namespace and no namespace; `local` = no namespace. */
  mode: 'other' | 'local' | 'any';
  target: string;
  min: number;
  max: number;
}
export interface GroupParticle {
  t: 'seq' | 'choice';
  items: Particle[];
  min: number;
  max: number;
}
export type Particle = ElementParticle | AnyParticle | GroupParticle;

export interface AttrDecl {
  name: string;
  type: SimpleType;
  required: boolean;
}

export interface ComplexType {
  kind: 'complex';
  name: string;
  /** element-only: `content`; simple: text of `simple` type; empty: nothing; any: xs:anyType (mixed, lax). */
  content: 'element-only' | 'simple' | 'empty' | 'any';
  particle?: Particle;
  simple?: SimpleType;
  attrs: readonly AttrDecl[];
  anyAttribute: boolean;
}

export type TypeDef = SimpleType | ComplexType;

export interface GlobalElement {
  ns: string;
  name: string;
  type: TypeDef;
}

export interface SchemaSet {
  version: '2.0' | '1.2';
  epcisNs: string;
  queryNs: string;
  mdNs: string;
  /** Global element declarations by `{ns}name`. */
  elements: Map<string, GlobalElement>;
  /** Named types by `{ns}name` (for xsi:type). */
  types: Map<string, TypeDef>;
}

// ---- building blocks ----

const INF = Number.POSITIVE_INFINITY;

function builtin(base: Builtin): SimpleType {
  return { kind: 'simple', name: `xs:${base}`, base };
}
export const XS: Readonly<Record<Builtin, SimpleType>> = Object.freeze({
  string: builtin('string'),
  anyURI: builtin('anyURI'),
  dateTime: builtin('dateTime'),
  decimal: builtin('decimal'),
  double: builtin('double'),
  boolean: builtin('boolean'),
  int: builtin('int'),
  integer: builtin('integer'),
  hexBinary: builtin('hexBinary'),
  NCName: builtin('NCName'),
  anySimpleType: builtin('anySimpleType'),
});

export const ANY_TYPE: ComplexType = Object.freeze({
  kind: 'complex',
  name: 'xs:anyType',
  content: 'any',
  attrs: [],
  anyAttribute: true,
}) as ComplexType;

const DATE_TIME_STAMP_PATTERN =
  '([0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\\.[0-9]+)?(Z|(([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)))';

function el(name: string, type: TypeDef, min = 1, max = 1, ns = ''): ElementParticle {
  return { t: 'el', ns, name, type, min, max };
}
const opt = (name: string, type: TypeDef, ns = '') => el(name, type, 0, 1, ns);
const many = (name: string, type: TypeDef, min = 0, ns = '') => el(name, type, min, INF, ns);
const seq = (...items: Particle[]): GroupParticle => ({ t: 'seq', items, min: 1, max: 1 });
const choice = (min: number, max: number, ...items: Particle[]): GroupParticle => ({
  t: 'choice',
  items,
  min,
  max,
});

function complex(
  name: string,
  particle: Particle | null,
  attrs: AttrDecl[] = [],
  anyAttribute = false,
): ComplexType {
  return particle === null
    ? { kind: 'complex', name, content: 'empty', attrs, anyAttribute }
    : { kind: 'complex', name, content: 'element-only', particle, attrs, anyAttribute };
}
function simpleContent(
  name: string,
  base: SimpleType,
  attrs: AttrDecl[] = [],
  anyAttribute = false,
): ComplexType {
  return { kind: 'complex', name, content: 'simple', simple: base, attrs, anyAttribute };
}
const attr = (name: string, type: SimpleType, required = false): AttrDecl => ({ name, type, required });

/** Builds the types of one EPCIS version (2.0 or 1.2). */
function buildSet(version: '2.0' | '1.2'): SchemaSet {
  const v2 = version === '2.0';
  const E = v2 ? NS.epcis2 : NS.epcis1;
  const Q = v2 ? NS.query2 : NS.query1;
  const M = v2 ? NS.md2 : NS.md1;
  const S = NS.sbdh;
  const types = new Map<string, TypeDef>();
  const elements = new Map<string, GlobalElement>();
  const named = <T extends TypeDef>(ns: string, t: T): T => {
    const local = t.name.slice(t.name.indexOf('}') + 1);
    types.set(`{${ns}}${local}`, t);
    return t;
  };
  const n = (ns: string, local: string) => `{${ns}}${local}`;
  const global = (ns: string, name: string, type: TypeDef) => {
    elements.set(`{${ns}}${name}`, { ns, name, type });
  };
  const anyE = (
    mode: 'other' | 'local',
    min = mode === 'local' ? 1 : 0,
    target: string = E,
  ): AnyParticle => ({ t: 'any', mode, target, min, max: INF });
  const restrictURI = (ns: string, local: string): SimpleType =>
    named(ns, { kind: 'simple', name: n(ns, local), base: 'anyURI' });
  // "extension" holder types: any ##local (1..n) plus anyAttribute, repeated for many names in the XSDs.
  const localExt = (ns: string, local: string, anyAttribute = true, target: string = E) =>
    named(
      ns,
      complex(n(ns, local), seq({ t: 'any', mode: 'local', target, min: 1, max: INF }), [], anyAttribute),
    );
  const otherExt = (local: string) => named(E, complex(n(E, local), seq(anyE('other', 1)), [], true));

  // ---- SBDH (identical in both versions; elementFormDefault="qualified") ----
  const sbdhString = (local: string) =>
    named(S, { kind: 'simple', name: n(S, local), base: 'string' } as SimpleType);
  const mimeType = sbdhString('MimeTypeQualifier');
  const language = sbdhString('Language');
  const partnerId = named(
    S,
    simpleContent(n(S, 'PartnerIdentification'), XS.string, [attr('Authority', XS.string)]),
  );
  const contact = named(
    S,
    complex(
      n(S, 'ContactInformation'),
      seq(
        el('Contact', XS.string, 1, 1, S),
        opt('EmailAddress', XS.string, S),
        opt('FaxNumber', XS.string, S),
        opt('TelephoneNumber', XS.string, S),
        opt('ContactTypeIdentifier', XS.string, S),
      ),
    ),
  );
  const partner = named(
    S,
    complex(
      n(S, 'Partner'),
      seq(el('Identifier', partnerId, 1, 1, S), many('ContactInformation', contact, 0, S)),
    ),
  );
  const docId = named(
    S,
    complex(
      n(S, 'DocumentIdentification'),
      seq(
        el('Standard', XS.string, 1, 1, S),
        el('TypeVersion', XS.string, 1, 1, S),
        el('InstanceIdentifier', XS.string, 1, 1, S),
        el('Type', XS.string, 1, 1, S),
        opt('MultipleType', XS.boolean, S),
        el('CreationDateAndTime', XS.dateTime, 1, 1, S),
      ),
    ),
  );
  const manifestItem = named(
    S,
    complex(
      n(S, 'ManifestItem'),
      seq(
        el('MimeTypeQualifierCode', mimeType, 1, 1, S),
        el('UniformResourceIdentifier', XS.anyURI, 1, 1, S),
        opt('Description', XS.string, S),
        opt('LanguageCode', language, S),
      ),
    ),
  );
  const manifest = named(
    S,
    complex(
      n(S, 'Manifest'),
      seq(el('NumberOfItems', XS.integer, 1, 1, S), many('ManifestItem', manifestItem, 1, S)),
    ),
  );
  const correlation = named(
    S,
    complex(
      n(S, 'CorrelationInformation'),
      seq(
        opt('RequestingDocumentCreationDateTime', XS.dateTime, S),
        opt('RequestingDocumentInstanceIdentifier', XS.string, S),
        opt('ExpectedResponseDateTime', XS.dateTime, S),
      ),
    ),
  );
  const typeOfServiceTransaction = named(S, {
    kind: 'simple',
    name: n(S, 'TypeOfServiceTransaction'),
    base: 'string',
    enumeration: ['RequestingServiceTransaction', 'RespondingServiceTransaction'],
  } as SimpleType);
  const serviceTransaction = named(
    S,
    complex(n(S, 'ServiceTransaction'), null, [
      attr('TypeOfServiceTransaction', typeOfServiceTransaction),
      ...[
        'IsNonRepudiationRequired',
        'IsAuthenticationRequired',
        'IsNonRepudiationOfReceiptRequired',
        'IsIntegrityCheckRequired',
        'IsApplicationErrorResponseRequested',
        'TimeToAcknowledgeReceipt',
        'TimeToAcknowledgeAcceptance',
        'TimeToPerform',
        'Recurrence',
      ].map((a) => attr(a, XS.string)),
    ]),
  );
  const businessService = named(
    S,
    complex(
      n(S, 'BusinessService'),
      seq(opt('BusinessServiceName', XS.string, S), opt('ServiceTransaction', serviceTransaction, S)),
    ),
  );
  // ScopeInformation is abstract: its substitution group members stand in its place.
  const scope = named(
    S,
    complex(
      n(S, 'Scope'),
      seq(
        seq(
          el('Type', XS.string, 1, 1, S),
          el('InstanceIdentifier', XS.string, 1, 1, S),
          opt('Identifier', XS.string, S),
        ),
        choice(
          0,
          INF,
          el('CorrelationInformation', correlation, 1, 1, S),
          el('BusinessService', businessService, 1, 1, S),
        ),
      ),
    ),
  );
  const businessScope = named(S, complex(n(S, 'BusinessScope'), seq(many('Scope', scope, 0, S))));
  const sbdhType = named(
    S,
    complex(
      n(S, 'StandardBusinessDocumentHeader'),
      seq(
        el('HeaderVersion', XS.string, 1, 1, S),
        many('Sender', partner, 1, S),
        many('Receiver', partner, 1, S),
        el('DocumentIdentification', docId, 1, 1, S),
        opt('Manifest', manifest, S),
        opt('BusinessScope', businessScope, S),
      ),
    ),
  );
  global(S, 'StandardBusinessDocumentHeader', sbdhType);
  global(S, 'CorrelationInformation', correlation);
  global(S, 'BusinessService', businessService);
  global(
    S,
    'StandardBusinessDocument',
    named(
      S,
      complex(
        n(S, 'StandardBusinessDocument'),
        seq(opt('StandardBusinessDocumentHeader', sbdhType, S), {
          t: 'any',
          mode: 'other',
          target: S,
          min: 1,
          max: 1,
        }),
      ),
    ),
  );

  // ---- EPCglobal.xsd ----
  const documentAttrs = [attr('schemaVersion', XS.decimal, true), attr('creationDate', XS.dateTime, true)];
  const epc = named(NS.epcglobal, simpleContent(n(NS.epcglobal, 'EPC'), XS.string));
  named(NS.epcglobal, complex(n(NS.epcglobal, 'Document'), null, documentAttrs)); // abstract base of the documents

  // ---- EPCIS core ----
  const dateTimeStamp: SimpleType = v2
    ? named(E, {
        kind: 'simple',
        name: n(E, 'DateTimeStamp'),
        base: 'dateTime',
        pattern: { source: DATE_TIME_STAMP_PATTERN, re: new RegExp(`^(?:${DATE_TIME_STAMP_PATTERN})$`) },
      })
    : XS.dateTime;
  const sbdhRef = (min: number) => el('StandardBusinessDocumentHeader', sbdhType, min, 1, S);

  const masterDataExt = named(
    E,
    complex(n(E, 'EPCISMasterDataExtensionType'), seq(anyE('local')), [], false),
  );
  const idList = named(E, complex(n(E, 'IDListType'), seq(many('id', XS.anyURI)), [], true));
  const attributeType = named(E, {
    kind: 'complex',
    name: n(E, 'AttributeType'),
    content: 'any',
    attrs: [attr('id', XS.anyURI, true)],
    anyAttribute: true,
  } as ComplexType);
  const vocElement = named(
    E,
    complex(
      n(E, 'VocabularyElementType'),
      seq(
        many('attribute', attributeType),
        opt('children', idList),
        opt('extension', localExt(E, 'VocabularyElementExtensionType')),
        anyE('other'),
      ),
      [attr('id', XS.anyURI, true)],
      true,
    ),
  );
  const vocElementList = named(
    E,
    complex(n(E, 'VocabularyElementListType'), seq(many('VocabularyElement', vocElement, 1))),
  );
  const vocabulary = named(
    E,
    complex(
      n(E, 'VocabularyType'),
      seq(
        opt('VocabularyElementList', vocElementList),
        opt('extension', localExt(E, 'VocabularyExtensionType')),
        anyE('other'),
      ),
      [attr('type', XS.anyURI, true)],
      true,
    ),
  );
  const vocabularyList = named(E, complex(n(E, 'VocabularyListType'), seq(many('Vocabulary', vocabulary))));
  const masterData = named(
    E,
    complex(
      n(E, 'EPCISMasterDataType'),
      seq(el('VocabularyList', vocabularyList), opt('extension', masterDataExt)),
    ),
  );
  const headerExt = named(
    E,
    complex(
      n(E, 'EPCISHeaderExtensionType'),
      seq(opt('EPCISMasterData', masterData), opt('extension', localExt(E, 'EPCISHeaderExtension2Type'))),
      [],
      true,
    ),
  );
  const header = named(
    E,
    v2
      ? complex(n(E, 'EPCISHeaderType'), seq(sbdhRef(0), opt('extension', headerExt)), [], true)
      : complex(
          n(E, 'EPCISHeaderType'),
          seq(sbdhRef(1), opt('extension', headerExt), anyE('other')),
          [],
          true,
        ),
  );

  const epcList = named(E, complex(n(E, 'EPCListType'), seq(many('epc', epc))));
  const action = named(E, {
    kind: 'simple',
    name: n(E, 'ActionType'),
    base: 'string',
    enumeration: ['ADD', 'OBSERVE', 'DELETE'],
  } as SimpleType);
  const parentID = restrictURI(E, 'ParentIDType');
  const bizStep = restrictURI(E, 'BusinessStepIDType');
  const disposition = restrictURI(E, 'DispositionIDType');
  const epcClass = restrictURI(E, 'EPCClassType');
  const uom = named(E, { kind: 'simple', name: n(E, 'UOMType'), base: 'string' } as SimpleType);
  const quantityElement = named(
    E,
    complex(
      n(E, 'QuantityElementType'),
      seq(el('epcClass', epcClass), {
        t: 'seq',
        min: 0,
        max: 1,
        items: [{ ...el('quantity', XS.decimal), nillable: true }, opt('uom', uom)],
      }),
    ),
  );
  const quantityList = named(
    E,
    complex(n(E, 'QuantityListType'), seq(many('quantityElement', quantityElement))),
  );
  const readPoint = named(
    E,
    complex(
      n(E, 'ReadPointType'),
      seq(
        el('id', restrictURI(E, 'ReadPointIDType')),
        opt('extension', localExt(E, 'ReadPointExtensionType')),
        anyE('other'),
      ),
    ),
  );
  const bizLocation = named(
    E,
    complex(
      n(E, 'BusinessLocationType'),
      seq(
        el('id', restrictURI(E, 'BusinessLocationIDType')),
        opt('extension', localExt(E, 'BusinessLocationExtensionType')),
        anyE('other'),
      ),
    ),
  );
  const bizTransaction = named(
    E,
    simpleContent(n(E, 'BusinessTransactionType'), restrictURI(E, 'BusinessTransactionIDType'), [
      attr('type', restrictURI(E, 'BusinessTransactionTypeIDType')),
    ]),
  );
  const bizTransactionList = named(
    E,
    complex(n(E, 'BusinessTransactionListType'), seq(many('bizTransaction', bizTransaction, 1))),
  );
  const sourceDest = named(
    E,
    simpleContent(n(E, 'SourceDestType'), restrictURI(E, 'SourceDestIDType'), [
      attr('type', restrictURI(E, 'SourceDestTypeIDType'), true),
    ]),
  );
  const sourceList = named(E, complex(n(E, 'SourceListType'), seq(many('source', sourceDest, 1))));
  const destinationList = named(
    E,
    complex(n(E, 'DestinationListType'), seq(many('destination', sourceDest, 1))),
  );
  const transformationID = restrictURI(E, 'TransformationIDType');
  const ilmd = named(
    E,
    complex(
      n(E, 'ILMDType'),
      seq(opt('extension', localExt(E, 'ILMDExtensionType')), anyE('other')),
      [],
      true,
    ),
  );
  const eventID = restrictURI(E, 'EventIDType');
  const errorReason = restrictURI(E, 'ErrorReasonIDType');
  const correctiveIDs = named(
    E,
    complex(n(E, 'CorrectiveEventIDsType'), seq(many('correctiveEventID', eventID))),
  );
  const errorDeclExt = localExt(E, 'ErrorDeclarationExtensionType');
  const errorDeclaration = named(
    E,
    v2
      ? complex(
          n(E, 'ErrorDeclarationType'),
          seq(
            choice(
              0,
              INF,
              el('declarationTime', dateTimeStamp),
              opt('reason', errorReason),
              opt('correctiveEventIDs', correctiveIDs),
              opt('extension', errorDeclExt),
              anyE('other'),
            ),
          ),
          [],
          true,
        )
      : complex(
          n(E, 'ErrorDeclarationType'),
          seq(
            el('declarationTime', XS.dateTime),
            opt('reason', errorReason),
            opt('correctiveEventIDs', correctiveIDs),
            opt('extension', errorDeclExt),
            anyE('other'),
          ),
          [],
          true,
        ),
  );

  // Sensor data (2.0 only)
  let sensorElementList: ComplexType | null = null;
  let persistentDisposition: ComplexType | null = null;
  if (v2) {
    const sensorMetadata = named(
      E,
      simpleContent(
        n(E, 'SensorMetadataType'),
        XS.string,
        [
          attr('time', dateTimeStamp),
          attr('deviceID', XS.anyURI),
          attr('deviceMetadata', XS.anyURI),
          attr('rawData', XS.anyURI),
          attr('startTime', dateTimeStamp),
          attr('endTime', dateTimeStamp),
          attr('bizRules', XS.anyURI),
          attr('dataProcessingMethod', XS.anyURI),
        ],
        true,
      ),
    );
    const sensorReport = named(
      E,
      simpleContent(
        n(E, 'SensorReportType'),
        XS.string,
        [
          attr('type', XS.anyURI),
          attr('value', XS.double),
          attr('component', XS.anyURI),
          attr('stringValue', XS.string),
          attr('booleanValue', XS.boolean),
          attr('hexBinaryValue', XS.hexBinary),
          attr('uriValue', XS.anyURI),
          attr('uom', XS.string),
          attr('minValue', XS.double),
          attr('maxValue', XS.double),
          attr('sDev', XS.double),
          attr('chemicalSubstance', XS.anyURI),
          attr('microorganism', XS.anyURI),
          attr('deviceID', XS.anyURI),
          attr('deviceMetadata', XS.anyURI),
          attr('rawData', XS.anyURI),
          attr('time', dateTimeStamp),
          attr('meanValue', XS.double),
          attr('percRank', XS.double),
          attr('percValue', XS.double),
          attr('dataProcessingMethod', XS.anyURI),
          attr('coordinateReferenceSystem', XS.anyURI),
          attr('exception', XS.anyURI),
        ],
        true,
      ),
    );
    const sensorElement = named(
      E,
      complex(
        n(E, 'SensorElementType'),
        seq(
          opt('sensorMetadata', sensorMetadata),
          many('sensorReport', sensorReport, 1),
          opt('extension', localExt(E, 'SensorElementExtensionType')),
          anyE('other'),
        ),
      ),
    );
    sensorElementList = named(
      E,
      complex(
        n(E, 'SensorElementListType'),
        seq(
          many('sensorElement', sensorElement, 1),
          opt('extension', localExt(E, 'SensorElementListExtensionType')),
        ),
      ),
    );
    persistentDisposition = named(
      E,
      complex(n(E, 'PersistentDispositionType'), seq(many('unset', disposition), many('set', disposition))),
    );
  }

  // Event base type
  const baseSeq = v2
    ? seq(
        el('eventTime', dateTimeStamp),
        opt('recordTime', dateTimeStamp),
        el('eventTimeZoneOffset', XS.string),
        opt('eventID', eventID),
        opt('errorDeclaration', errorDeclaration),
        opt('certificationInfo', XS.anyURI),
        opt('baseExtension', otherExt('EPCISEventExtensionType')),
      )
    : seq(
        el('eventTime', XS.dateTime),
        opt('recordTime', XS.dateTime),
        el('eventTimeZoneOffset', XS.string),
        opt(
          'baseExtension',
          named(
            E,
            complex(
              n(E, 'EPCISEventExtensionType'),
              seq(
                opt('eventID', eventID),
                opt('errorDeclaration', errorDeclaration),
                opt('extension', localExt(E, 'EPCISEventExtension2Type')),
              ),
              [],
              true,
            ),
          ),
        ),
      );
  named(E, complex(n(E, 'EPCISEventType'), baseSeq, [], true)); // abstract base of the events
  const event = (local: string, ...items: Particle[]) =>
    named(E, complex(n(E, local), seq(baseSeq, seq(...items)), [], true));
  const sensorAndPd = (): Particle[] =>
    v2
      ? [opt('sensorElementList', sensorElementList!), opt('persistentDisposition', persistentDisposition!)]
      : [];
  // 1.2 "extension" types of events: the 1.1 additions, then a ##local extension.
  const ext12 = (local: string, ...items: Particle[]) =>
    named(
      E,
      complex(
        n(E, local),
        seq(...items, opt('extension', localExt(E, local.replace('ExtensionType', 'Extension2Type')))),
        [],
        true,
      ),
    );

  let objectEvent: ComplexType;
  let aggregationEvent: ComplexType;
  let transactionEvent: ComplexType;
  let transformationEvent: ComplexType;
  let associationEvent: ComplexType | null = null;
  let quantityEvent: ComplexType | null = null;
  if (v2) {
    objectEvent = event(
      'ObjectEventType',
      opt('epcList', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('quantityList', quantityList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      ...sensorAndPd(),
      opt('ilmd', ilmd),
      opt('extension', otherExt('ObjectEventExtensionType')),
      anyE('other'),
    );
    aggregationEvent = event(
      'AggregationEventType',
      opt('parentID', parentID),
      opt('childEPCs', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('childQuantityList', quantityList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      ...sensorAndPd(),
      opt('extension', otherExt('AggregationEventExtensionType')),
      anyE('other'),
    );
    transactionEvent = event(
      'TransactionEventType',
      el('bizTransactionList', bizTransactionList),
      opt('parentID', parentID),
      opt('epcList', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('quantityList', quantityList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      ...sensorAndPd(),
      opt('extension', otherExt('TransactionEventExtensionType')),
      anyE('other'),
    );
    transformationEvent = event(
      'TransformationEventType',
      opt('inputEPCList', epcList),
      opt('inputQuantityList', quantityList),
      opt('outputEPCList', epcList),
      opt('outputQuantityList', quantityList),
      opt('transformationID', transformationID),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      ...sensorAndPd(),
      opt('ilmd', ilmd),
      opt('extension', otherExt('TransformationEventExtensionType')),
      anyE('other'),
    );
    associationEvent = event(
      'AssociationEventType',
      el('parentID', parentID),
      opt('childEPCs', epcList),
      opt('childQuantityList', quantityList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      ...sensorAndPd(),
      opt('extension', otherExt('AssociationEventExtensionType')),
      anyE('other'),
    );
  } else {
    objectEvent = event(
      'ObjectEventType',
      el('epcList', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt(
        'extension',
        ext12(
          'ObjectEventExtensionType',
          opt('quantityList', quantityList),
          opt('sourceList', sourceList),
          opt('destinationList', destinationList),
          opt('ilmd', ilmd),
        ),
      ),
      anyE('other'),
    );
    aggregationEvent = event(
      'AggregationEventType',
      opt('parentID', parentID),
      el('childEPCs', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt(
        'extension',
        ext12(
          'AggregationEventExtensionType',
          opt('childQuantityList', quantityList),
          opt('sourceList', sourceList),
          opt('destinationList', destinationList),
        ),
      ),
      anyE('other'),
    );
    quantityEvent = event(
      'QuantityEventType',
      el('epcClass', epcClass),
      el('quantity', XS.int),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('extension', localExt(E, 'QuantityEventExtensionType')),
      anyE('other'),
    );
    transactionEvent = event(
      'TransactionEventType',
      el('bizTransactionList', bizTransactionList),
      opt('parentID', parentID),
      el('epcList', epcList),
      el('action', action),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt(
        'extension',
        ext12(
          'TransactionEventExtensionType',
          opt('quantityList', quantityList),
          opt('sourceList', sourceList),
          opt('destinationList', destinationList),
        ),
      ),
      anyE('other'),
    );
    transformationEvent = event(
      'TransformationEventType',
      opt('inputEPCList', epcList),
      opt('inputQuantityList', quantityList),
      opt('outputEPCList', epcList),
      opt('outputQuantityList', quantityList),
      opt('transformationID', transformationID),
      opt('bizStep', bizStep),
      opt('disposition', disposition),
      opt('readPoint', readPoint),
      opt('bizLocation', bizLocation),
      opt('bizTransactionList', bizTransactionList),
      opt('sourceList', sourceList),
      opt('destinationList', destinationList),
      opt('ilmd', ilmd),
      opt('extension', localExt(E, 'TransformationEventExtensionType')),
      anyE('other'),
    );
  }

  const eventListExt = v2
    ? otherExt('EPCISEventListExtensionType')
    : named(
        E,
        complex(
          n(E, 'EPCISEventListExtensionType'),
          choice(
            1,
            1,
            el('TransformationEvent', transformationEvent),
            el('extension', localExt(E, 'EPCISEventListExtension2Type')),
          ),
        ),
      );
  const eventList = named(
    E,
    complex(
      n(E, 'EventListType'),
      seq(
        choice(
          0,
          INF,
          ...(v2
            ? [
                many('ObjectEvent', objectEvent),
                many('AggregationEvent', aggregationEvent),
                many('TransformationEvent', transformationEvent),
                many('TransactionEvent', transactionEvent),
                many('AssociationEvent', associationEvent!),
              ]
            : [
                many('ObjectEvent', objectEvent),
                many('AggregationEvent', aggregationEvent),
                many('QuantityEvent', quantityEvent!),
                many('TransactionEvent', transactionEvent),
              ]),
          el('extension', eventListExt),
        ),
      ),
      [],
      true,
    ),
  );
  const body = named(
    E,
    complex(
      n(E, 'EPCISBodyType'),
      seq(
        opt('EventList', eventList),
        opt('extension', localExt(E, 'EPCISBodyExtensionType')),
        anyE('other'),
      ),
      [],
      true,
    ),
  );
  const epcisDocument = named(
    E,
    complex(
      n(E, 'EPCISDocumentType'),
      seq(
        opt('EPCISHeader', header),
        el('EPCISBody', body),
        opt('extension', localExt(E, 'EPCISDocumentExtensionType')),
        anyE('other'),
      ),
      documentAttrs,
      true,
    ),
  );
  global(E, 'EPCISDocument', epcisDocument);

  if (v2) {
    // Capture job and problem document (REST binding, 2.0).
    const problem = named(
      E,
      complex(
        n(E, 'RFC7807ProblemResponseBodyType'),
        seq(
          el('type', XS.anyURI),
          el('title', XS.string),
          opt('status', XS.int),
          opt('detail', XS.string),
          opt('instance', XS.anyURI),
          anyE('other'),
        ),
      ),
    );
    const errorBehaviour = named(E, {
      kind: 'simple',
      name: n(E, 'EPCISCaptureErrorBehaviourType'),
      base: 'string',
      enumeration: ['rollback', 'proceed'],
    } as SimpleType);
    const errorList = named(
      E,
      complex(n(E, 'EPCISCaptureDocumentErrorListType'), seq(many('error', problem, 1))),
    );
    const captureJob = named(
      E,
      complex(
        n(E, 'EPCISCaptureJobType'),
        seq(
          el('captureErrorBehaviour', errorBehaviour),
          opt('createdAt', dateTimeStamp),
          opt('finishedAt', dateTimeStamp),
          choice(0, 1, el('errors', errorList), el('errorFile', XS.anyURI)),
          anyE('other'),
        ),
        [
          attr('running', XS.boolean, true),
          attr('success', XS.boolean, true),
          attr('captureID', XS.string, true),
        ],
        true,
      ),
    );
    global(E, 'EPCISCaptureJob', captureJob);
    global(E, 'EPCISException', problem);
  }

  // ---- Master data document ----
  const mdBody = named(
    M,
    complex(
      n(M, 'EPCISMasterDataBodyType'),
      seq(
        opt('VocabularyList', vocabularyList),
        opt('extension', localExt(M, 'EPCISMasterDataBodyExtensionType', true, M)),
        anyE('other', 0, M),
      ),
      [],
      true,
    ),
  );
  localExt(M, 'EPCISMasterDataHeaderExtensionType', true, M);
  global(
    M,
    'EPCISMasterDataDocument',
    named(
      M,
      complex(
        n(M, 'EPCISMasterDataDocumentType'),
        seq(
          opt('EPCISHeader', header),
          el('EPCISBody', mdBody),
          opt('extension', localExt(M, 'EPCISMasterDataDocumentExtensionType', true, M)),
          anyE('other', 0, M),
        ),
        documentAttrs,
        true,
      ),
    ),
  );

  // ---- Query schema ----
  const qAny = (): AnyParticle => ({ t: 'any', mode: 'other', target: Q, min: 0, max: INF });
  const emptyParms = named(Q, complex(n(Q, 'EmptyParms'), null));
  const voidHolder = named(Q, complex(n(Q, 'VoidHolder'), null));
  const arrayOfString = named(Q, complex(n(Q, 'ArrayOfString'), seq(many('string', XS.string))));
  const queryParam = named(Q, complex(n(Q, 'QueryParam'), seq(el('name', XS.string), el('value', ANY_TYPE))));
  const queryParams = named(Q, complex(n(Q, 'QueryParams'), seq(many('param', queryParam))));
  const schedule = named(
    Q,
    complex(
      n(Q, 'QuerySchedule'),
      seq(
        ...['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'].map((x) => opt(x, XS.string)),
        opt('extension', localExt(Q, 'QueryScheduleExtensionType', true, Q)),
        qAny(),
      ),
    ),
  );
  const controls = named(
    Q,
    complex(
      n(Q, 'SubscriptionControls'),
      seq(
        opt('schedule', schedule),
        opt('trigger', XS.anyURI),
        opt('initialRecordTime', dateTimeStamp),
        el('reportIfEmpty', XS.boolean),
        opt('extension', localExt(Q, 'SubscriptionControlsExtensionType', true, Q)),
        qAny(),
      ),
    ),
  );
  const subscribe = named(
    Q,
    complex(
      n(Q, 'Subscribe'),
      seq(
        el('queryName', XS.string),
        el('params', queryParams),
        el('dest', XS.anyURI),
        el('controls', controls),
        el('subscriptionID', XS.string),
      ),
    ),
  );
  const unsubscribe = named(Q, complex(n(Q, 'Unsubscribe'), seq(el('subscriptionID', XS.string))));
  const getSubscriptionIDs = named(Q, complex(n(Q, 'GetSubscriptionIDs'), seq(el('queryName', XS.string))));
  const poll = named(Q, complex(n(Q, 'Poll'), seq(el('queryName', XS.string), el('params', queryParams))));
  const resultsBody = named(
    Q,
    complex(
      n(Q, 'QueryResultsBody'),
      choice(1, 1, el('EventList', eventList), el('VocabularyList', vocabularyList)),
    ),
  );
  const queryResults = named(
    Q,
    complex(
      n(Q, 'QueryResults'),
      seq(
        el('queryName', XS.string),
        opt('subscriptionID', XS.string),
        el('resultsBody', resultsBody),
        opt('extension', localExt(Q, 'QueryResultsExtensionType', true, Q)),
        qAny(),
      ),
    ),
  );
  const reason = el('reason', XS.string);
  const exc = (local: string, ...extra: Particle[]) =>
    named(Q, complex(n(Q, local), seq(seq(reason), seq(...extra))));
  const severity = named(Q, {
    kind: 'simple',
    name: n(Q, 'ImplementationExceptionSeverity'),
    base: 'NCName',
    enumeration: ['ERROR', 'SEVERE'],
  } as SimpleType);
  const queryGlobals: [string, TypeDef][] = [
    ['GetQueryNames', emptyParms],
    ['GetQueryNamesResult', arrayOfString],
    ['Subscribe', subscribe],
    ['SubscribeResult', voidHolder],
    ['Unsubscribe', unsubscribe],
    ['UnsubscribeResult', voidHolder],
    ['GetSubscriptionIDs', getSubscriptionIDs],
    ['GetSubscriptionIDsResult', arrayOfString],
    ['Poll', poll],
    ['GetStandardVersion', emptyParms],
    ['GetStandardVersionResult', XS.string],
    ['GetVendorVersion', emptyParms],
    ['GetVendorVersionResult', XS.string],
    ['DuplicateNameException', exc('DuplicateNameException')],
    ['InvalidURIException', exc('InvalidURIException')],
    ['NoSuchNameException', exc('NoSuchNameException')],
    ['NoSuchSubscriptionException', exc('NoSuchSubscriptionException')],
    ['DuplicateSubscriptionException', exc('DuplicateSubscriptionException')],
    ['QueryParameterException', exc('QueryParameterException')],
    [
      'QueryTooLargeException',
      exc('QueryTooLargeException', opt('queryName', XS.string), opt('subscriptionID', XS.string)),
    ],
    ['QueryTooComplexException', exc('QueryTooComplexException')],
    ['SubscriptionControlsException', exc('SubscriptionControlsException')],
    ['SubscribeNotPermittedException', exc('SubscribeNotPermittedException')],
    ['SecurityException', exc('SecurityException')],
    ['ValidationException', exc('ValidationException')],
    [
      'ImplementationException',
      exc(
        'ImplementationException',
        el('severity', severity),
        opt('queryName', XS.string),
        opt('subscriptionID', XS.string),
      ),
    ],
    ['QueryResults', queryResults],
  ];
  const queryBody = named(
    Q,
    complex(
      n(Q, 'EPCISQueryBodyType'),
      choice(1, 1, ...queryGlobals.map(([name, t]) => el(name, t, 1, 1, Q))),
    ),
  );
  for (const [name, t] of queryGlobals) global(Q, name, t);
  global(Q, 'VoidHolder', voidHolder);
  global(Q, 'EPCISException', named(Q, complex(n(Q, 'EPCISException'), seq(el('reason', XS.string)))));
  global(
    Q,
    'EPCISQueryDocument',
    named(
      Q,
      complex(
        n(Q, 'EPCISQueryDocumentType'),
        seq(
          opt('EPCISHeader', header),
          el('EPCISBody', queryBody),
          opt('extension', localExt(Q, 'EPCISQueryDocumentExtensionType', true, Q)),
          qAny(),
        ),
        documentAttrs,
        true,
      ),
    ),
  );

  for (const b of Object.values(XS)) types.set(`{${NS.xsd}}${b.base}`, b);
  types.set(`{${NS.xsd}}anyType`, ANY_TYPE);
  return { version, epcisNs: E, queryNs: Q, mdNs: M, elements, types };
}

let sets: { v2: SchemaSet; v1: SchemaSet } | null = null;

/** The schema set for a root element namespace, or undefined when the namespace is not an EPCIS one. */
export function schemaFor(rootNs: string): SchemaSet | undefined {
  sets ??= { v2: buildSet('2.0'), v1: buildSet('1.2') };
  if (rootNs === NS.epcis2 || rootNs === NS.query2 || rootNs === NS.md2 || rootNs === NS.sbdh) return sets.v2;
  if (rootNs === NS.epcis1 || rootNs === NS.query1 || rootNs === NS.md1) return sets.v1;
  return undefined;
}

/** Both schema sets (2.0 first). */
export function allSchemas(): [SchemaSet, SchemaSet] {
  schemaFor(NS.epcis2);
  return [sets!.v2, sets!.v1];
}
