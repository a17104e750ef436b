import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type EPCISEvent, normaliseEvent } from '@rxtrace/epcis';
import { compileQuery } from './compile.ts';
import { QueryError } from './errors.ts';
import { idMatcher, matchesId } from './match.ts';
import { classifyParam, parseExtensionsHeader, parseQueryBody, parseQueryString } from './params.ts';

const rest = (s: string) => parseQueryString(s).query;
const refused = (fn: () => unknown, re: RegExp) =>
  assert.throws(
    fn,
    (e: unknown) =>
      e instanceof QueryError && e.exception === 'QueryParameterException' && re.test(e.message),
  );

/** The residual predicate of a REST query, on an event written as a partner would (normalised first, as stored). */
function matcher(search: string, namespaces: Record<string, string> = {}) {
  const { plan } = compileQuery(parseQueryString(search, { namespaces }).query);
  return (e: Partial<EPCISEvent>, recordTime = '2026-03-01T10:00:00.000Z') =>
    plan.residual({
      event: normaliseEvent({
        type: 'ObjectEvent',
        eventTime: '2026-03-01T09:00:00.000Z',
        eventTimeZoneOffset: '+00:00',
        ...e,
      } as EPCISEvent),
      recordTime,
    });
}

test('REST query strings: pipe-delimited lists, typed values, pagination apart', () => {
  const r = parseQueryString(
    '?EQ_bizStep=shipping|receiving&GE_eventTime=2026-03-01T00:00:00.000%2B01:00&perPage=5&nextPageToken=abc&GT_quantity=2.5',
  );
  assert.equal(r.perPage, '5');
  assert.equal(r.nextPageToken, 'abc');
  const [a, b, c] = r.query.params;
  assert.deepEqual(a?.value, { kind: 'strings', values: ['shipping', 'receiving'] });
  assert.equal(b?.value.kind, 'time');
  assert.equal(
    b?.value.kind === 'time' && b.value.value,
    Date.parse('2026-02-29T23:00:00.000Z'.replace('02-29', '02-28')),
  );
  assert.deepEqual(c?.value, { kind: 'number', value: 2.5 });
  // An unencoded '+' of the offset arrives as a space: read as '+'.
  const t = rest('GE_eventTime=2026-03-01T00:00:00+01:00').params[0]!.value;
  assert.equal(t.kind === 'time' && t.value, Date.parse('2026-03-01T00:00:00+01:00'));
});

test('names: every standard parameter and the patterns', () => {
  for (const name of [
    'eventType',
    'GE_eventTime',
    'LT_eventTime',
    'GE_recordTime',
    'LT_recordTime',
    'EQ_action',
    'EQ_bizStep',
    'EQ_disposition',
    'EQ_persistentDisposition_set',
    'EQ_persistentDisposition_unset',
    'EQ_readPoint',
    'WD_readPoint',
    'EQ_bizLocation',
    'WD_bizLocation',
    'EQ_transformationID',
    'MATCH_epc',
    'MATCH_parentID',
    'MATCH_inputEPC',
    'MATCH_outputEPC',
    'MATCH_anyEPC',
    'MATCH_epcClass',
    'MATCH_inputEPCClass',
    'MATCH_outputEPCClass',
    'MATCH_anyEPCClass',
    'EQ_quantity',
    'GT_quantity',
    'GE_quantity',
    'LT_quantity',
    'LE_quantity',
    'EQ_eventID',
    'EXISTS_errorDeclaration',
    'GE_errorDeclarationTime',
    'LT_errorDeclarationTime',
    'GE_errorDeclaration_Time',
    'LT_errorDeclaration_Time',
    'EQ_errorReason',
    'EQ_correctiveEventID',
    'orderBy',
    'orderDirection',
    'eventCountLimit',
    'maxEventCount',
    'EXISTS_sensorElementList',
    'GE_time',
    'LT_time',
    'GE_startTime',
    'LT_startTime',
    'GE_endTime',
    'LT_endTime',
    'EQ_type',
    'EQ_deviceID',
    'EQ_dataProcessingMethod',
    'EQ_microorganism',
    'EQ_chemicalSubstance',
    'EQ_bizRules',
    'EQ_stringValue',
    'EQ_booleanValue',
    'EQ_hexBinaryValue',
    'EQ_uriValue',
    'GE_percRank',
    'LT_percRank',
    'GT_percRank',
    'LE_percRank',
    'EQ_bizTransaction_po',
    'EQ_source_owning_party',
    'EQ_destination_location',
    'EQ_value_CEL',
    'GT_minValue_CEL',
    'LE_maxValue_KGM',
    'GE_meanValue_CEL',
    'LT_sDev_CEL',
    'GT_percValue_CEL',
    'EQ_quantity_KGM',
    'GE_quantity_KGM',
    'EQ_ext1:int',
    'GT_ext1:int',
    'EXISTS_ext1:int',
    'EQ_INNER_ext2:string',
    'EQ_ILMD_cbvmda:lotNumber',
    'GE_ILMD_ext1:float',
    'EXISTS_INNER_ILMD_ext3:string',
    'EQ_ERROR_DECLARATION_ex:note',
    'EQ_SENSORREPORT_ext1:someFurtherReportData',
    'EXISTS_SENSORMETADATA_ext1:someFurtherMetadata',
    'EQ_readPoint_ex:zone',
    'EQ_INNER_bizLocation_ex:zone',
    'HASATTR_bizLocation',
    'EQ_ATTR_bizLocation_cbvmda:sst',
    'EXISTS_bizStep',
    'EXISTS_ilmd',
    'EQ_http://ns.example.com/epcis#temperature',
  ])
    assert.ok(classifyParam(name), name);
  for (const name of [
    'GE_eventDate',
    'EQ_bizstep',
    'foo',
    'EQ_value_celsius',
    'EXISTS_nothing',
    'EQ_minValue_CEL',
    'EQ_ext1',
  ])
    assert.equal(classifyParam(name), undefined, name);
});

test('refusals: unknown parameter, EQ_action values, limits, repeats, bad values', () => {
  refused(() => rest('GE_eventDate=2026-01-01T00:00:00Z'), /not an EPCIS query parameter/);
  refused(() => rest('EQ_bizstep=shipping'), /did you mean 'EQ_bizStep'/);
  refused(() => rest('EQ_action=ADD|SHIPPED'), /SHIPPED.*ADD, OBSERVE, DELETE/);
  refused(() => rest('eventCountLimit=5'), /needs orderBy/);
  refused(() => rest('eventCountLimit=5&maxEventCount=3&orderBy=eventTime'), /mutually exclusive/);
  refused(() => rest('EQ_bizStep=a&EQ_bizStep=b'), /given twice/);
  refused(
    () => rest('GE_errorDeclarationTime=2026-01-01T00:00:00Z&GE_errorDeclaration_Time=2026-01-01T00:00:00Z'),
    /given twice/,
  );
  refused(() => rest('GE_eventTime=yesterday'), /not a date-time/);
  refused(() => rest('GE_eventTime=2026-01-01T00:00:00'), /time-zone offset/);
  refused(() => rest('GT_quantity=lots'), /not a number/);
  refused(() => rest('eventCountLimit=-1&orderBy=eventTime'), /non-negative integer/);
  refused(() => rest('orderDirection=UP'), /ASC or DESC/);
  refused(() => rest('orderBy=eventDate'), /orderBy/);
  refused(() => rest('EQ_booleanValue=yes'), /true or false/);
  refused(() => rest('EQ_bizStep='), /empty value/);
  refused(() => compileQuery(rest('MATCH_epc=urn:epc:idpat:sgtin:0614141.*.123')), /not a valid EPC pattern/);
});

test('query-language bodies: types as query-schema.json, both error-declaration spellings, @context prefixes', () => {
  const q = parseQueryBody({
    '@context': [{ ex: 'https://ns.example.com/epcis/' }],
    eventType: ['ObjectEvent'],
    EQ_action: ['ADD'],
    GE_errorDeclaration_Time: '2026-01-01T00:00:00Z',
    LT_errorDeclarationTime: '2026-02-01T00:00:00Z',
    EXISTS_errorDeclaration: null,
    'EQ_ex:temperature': 20,
    orderBy: 'eventTime',
    eventCountLimit: 10,
  });
  assert.equal(q.namespaces.ex, 'https://ns.example.com/epcis/');
  assert.equal(q.params.length, 8);
  refused(() => parseQueryBody({ EQ_action: ['SHIPPED'] }), /SHIPPED/);
  refused(() => parseQueryBody({ EQ_bizStep: 'shipping' }), /must be a list/);
  refused(() => parseQueryBody({ GE_eventDate: '2026-01-01T00:00:00Z' }), /not an EPCIS query parameter/);
  refused(() => parseQueryBody({ eventCountLimit: 3 }), /needs orderBy/);
  refused(
    () => parseQueryBody({ eventCountLimit: 3, maxEventCount: 3, orderBy: 'eventTime' }),
    /mutually exclusive/,
  );
  refused(() => parseQueryBody({ GT_quantity: '3' }), /must be a number/);
  refused(() => parseQueryBody([]), /JSON object/);
  assert.deepEqual(parseExtensionsHeader('ex=https://ns.example.com/epcis/, other="urn:x:"'), {
    ex: 'https://ns.example.com/epcis/',
    other: 'urn:x:',
  });
});

test('eventType, GE_/LT_eventTime, GE_/LT_recordTime', () => {
  assert.ok(matcher('eventType=ObjectEvent|AggregationEvent')({}));
  assert.ok(!matcher('eventType=AggregationEvent')({}));
  assert.ok(matcher('GE_eventTime=2026-03-01T10:00:00%2B01:00')({}));
  assert.ok(!matcher('GE_eventTime=2026-03-01T09:00:00.001Z')({}));
  assert.ok(matcher('LT_eventTime=2026-03-01T09:00:00.001Z')({}));
  assert.ok(!matcher('LT_eventTime=2026-03-01T09:00:00Z')({}));
  assert.ok(matcher('GE_recordTime=2026-03-01T10:00:00Z&LT_recordTime=2026-03-01T10:00:01Z')({}));
  assert.ok(!matcher('LT_recordTime=2026-03-01T10:00:00Z')({}));
});

test('EQ_action, EQ_bizStep / EQ_disposition in every CBV spelling, persistent disposition', () => {
  assert.ok(matcher('EQ_action=ADD|DELETE')({ action: 'ADD' }));
  assert.ok(!matcher('EQ_action=OBSERVE')({ action: 'ADD' }));
  assert.ok(!matcher('EQ_action=OBSERVE')({}));
  for (const spelled of [
    'shipping',
    'https://ref.gs1.org/cbv/BizStep-shipping',
    'urn:epcglobal:cbv:bizstep:shipping',
    'cbv:BizStep-shipping',
  ])
    for (const stored of [
      'shipping',
      'https://ref.gs1.org/cbv/BizStep-shipping',
      'urn:epcglobal:cbv:bizstep:shipping',
    ])
      assert.ok(
        matcher(`EQ_bizStep=${encodeURIComponent(spelled)}`)({ bizStep: stored }),
        `${spelled} ~ ${stored}`,
      );
  assert.ok(!matcher('EQ_bizStep=receiving')({ bizStep: 'shipping' }));
  assert.ok(
    matcher('EQ_bizStep=https://example.com/steps/relabel')({ bizStep: 'https://example.com/steps/relabel' }),
  );
  assert.ok(matcher('EQ_disposition=urn:epcglobal:cbv:disp:in_transit')({ disposition: 'in_transit' }));
  assert.ok(!matcher('EQ_disposition=in_transit')({}));
  const pd = {
    persistentDisposition: {
      set: ['completeness_verified'],
      unset: ['https://ref.gs1.org/cbv/Disp-completeness_inferred'],
    },
  };
  assert.ok(matcher('EQ_persistentDisposition_set=completeness_verified')(pd));
  assert.ok(matcher('EQ_persistentDisposition_unset=completeness_inferred|recalled')(pd));
  assert.ok(!matcher('EQ_persistentDisposition_set=completeness_inferred')(pd));
});

test('EQ_readPoint / EQ_bizLocation match URN and Digital Link spellings; EQ_transformationID, EQ_eventID', () => {
  const e = {
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    bizLocation: { id: 'https://example.com/414/0614141073467' },
  };
  assert.ok(matcher('EQ_readPoint=https://id.gs1.org/414/0614141073467/254/1234')(e));
  assert.ok(matcher('EQ_bizLocation=urn:epc:id:sgln:0614141.07346.0')(e));
  assert.ok(!matcher('EQ_bizLocation=urn:epc:id:sgln:0614141.07346.1234')(e));
  assert.ok(
    matcher('EQ_transformationID=urn:epc:id:gdti:0614141.12345.400')({
      type: 'TransformationEvent',
      transformationID: 'urn:epc:id:gdti:0614141.12345.400',
    }),
  );
  assert.ok(matcher('EQ_eventID=urn:uuid:1|urn:uuid:2')({ eventID: 'urn:uuid:2' }));
  assert.ok(!matcher('EQ_eventID=urn:uuid:1')({ eventID: 'urn:uuid:2' }));
});

test('MATCH_*: EPC URIs, Digital Links, patterns, roles', () => {
  const e = {
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
    parentID: 'urn:epc:id:sscc:0614141.1234567890',
    childEPCs: ['https://example.com/01/00614141107340/21/ABC'],
    quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' }],
  };
  assert.ok(matcher('MATCH_epc=https://id.gs1.org/01/10614141073464/21/2017')(e));
  assert.ok(matcher('MATCH_epc=urn:epc:id:sgtin:0614141.107346.2017')(e));
  assert.ok(matcher('MATCH_epc=urn:epc:idpat:sgtin:0614141.107346.*')(e));
  assert.ok(matcher('MATCH_epc=urn:epc:idpat:sgtin:0614141.*.*')(e));
  assert.ok(
    matcher('MATCH_epc=https://id.gs1.org/01/10614141073464')(e),
    'a GTIN-level Digital Link covers its serials',
  );
  assert.ok(
    matcher('MATCH_epc=https://id.gs1.org/01/00614141107340/21/ABC')(e),
    'childEPCs count for MATCH_epc',
  );
  assert.ok(!matcher('MATCH_epc=urn:epc:idpat:sgtin:0614142.*.*')(e));
  assert.ok(!matcher('MATCH_epc=urn:epc:id:sscc:0614141.1234567890')(e), 'parentID is not MATCH_epc');
  assert.ok(matcher('MATCH_parentID=urn:epc:id:sscc:0614141.1234567890')(e));
  assert.ok(matcher('MATCH_parentID=urn:epc:idpat:sscc:0614141.*')(e));
  assert.ok(matcher('MATCH_anyEPC=urn:epc:id:sscc:0614141.1234567890')(e));
  assert.ok(!matcher('MATCH_inputEPC=urn:epc:id:sgtin:0614141.107346.2017')(e));
  const t = {
    type: 'TransformationEvent',
    inputEPCList: ['urn:epc:id:sgtin:4012345.011122.25'],
    outputEPCList: ['urn:epc:id:sgtin:4012345.077889.25'],
    inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.011111.4444', quantity: 10 }],
    outputQuantityList: [{ epcClass: 'urn:epc:idpat:sgtin:4012345.066666.*' }],
  };
  assert.ok(matcher('MATCH_inputEPC=urn:epc:id:sgtin:4012345.011122.25')(t));
  assert.ok(matcher('MATCH_outputEPC=urn:epc:id:sgtin:4012345.077889.25')(t));
  assert.ok(!matcher('MATCH_outputEPC=urn:epc:id:sgtin:4012345.011122.25')(t));
  assert.ok(matcher('MATCH_anyEPC=urn:epc:id:sgtin:4012345.077889.25')(t));
  assert.ok(matcher('MATCH_epcClass=urn:epc:class:lgtin:4012345.012345.998877')(e));
  assert.ok(matcher('MATCH_epcClass=https://id.gs1.org/01/04012345123456/10/998877')(e));
  assert.ok(matcher('MATCH_epcClass=urn:epc:idpat:sgtin:4012345.012345.*')(e), 'GTIN level covers its lots');
  assert.ok(
    !matcher('MATCH_epcClass=urn:epc:class:lgtin:4012345.011111.4444')(t),
    'input classes are not MATCH_epcClass',
  );
  assert.ok(matcher('MATCH_inputEPCClass=urn:epc:class:lgtin:4012345.011111.4444')(t));
  assert.ok(matcher('MATCH_outputEPCClass=urn:epc:idpat:sgtin:4012345.066666.*')(t));
  assert.ok(matcher('MATCH_anyEPCClass=https://id.gs1.org/01/04012345666663')(t));
  const gid = idMatcher('MATCH_epc', ['urn:epc:idpat:gid:95100000.12345.*'], false);
  assert.ok(matchesId(gid, 'urn:epc:id:gid:95100000.12345.400'));
  assert.ok(!matchesId(gid, 'urn:epc:id:gid:95100000.12346.400'));
});

test('EQ_/GT_/GE_/LT_/LE_quantity (no uom) and _<UOM>: one quantity element satisfies all', () => {
  const e = {
    quantityList: [
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.1', quantity: 200, uom: 'KGM' },
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.2', quantity: 5 },
    ],
  };
  assert.ok(matcher('EQ_quantity=5|6')(e));
  assert.ok(!matcher('EQ_quantity=200')(e), 'a quantity with a uom is not a count');
  assert.ok(matcher('EQ_quantity_KGM=200')(e));
  assert.ok(matcher('GT_quantity=4&LT_quantity=6&GE_quantity=5&LE_quantity=5')(e));
  assert.ok(!matcher('GT_quantity=5')(e));
  assert.ok(matcher('GE_quantity_KGM=200&LE_quantity_KGM=200&GT_quantity_KGM=199&LT_quantity_KGM=201')(e));
  assert.ok(!matcher('GT_quantity_KGM=200')(e));
});

test('EQ_bizTransaction_<type>, EQ_source_<type>, EQ_destination_<type>', () => {
  const e = {
    bizTransactionList: [
      { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
      { bizTransaction: 'urn:x:untyped' },
    ],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00225' }],
    destinationList: [
      { type: 'https://ref.gs1.org/cbv/SDT-location', destination: 'urn:epc:id:sgln:0614141.00777.0' },
    ],
  };
  assert.ok(matcher('EQ_bizTransaction_po=http://transaction.acme.com/po/12345678')(e));
  assert.ok(!matcher('EQ_bizTransaction_desadv=http://transaction.acme.com/po/12345678')(e));
  assert.ok(matcher('EQ_source_owning_party=https://id.gs1.org/417/4012345002256')(e));
  assert.ok(!matcher('EQ_source_possessing_party=urn:epc:id:pgln:4012345.00225')(e));
  assert.ok(matcher('EQ_destination_location=urn:epc:id:sgln:0614141.00777.0')(e));
});

test('error declarations: EXISTS_errorDeclaration, times (both spellings), EQ_errorReason, EQ_correctiveEventID', () => {
  const e = {
    errorDeclaration: {
      declarationTime: '2026-03-02T00:00:00.000+01:00',
      reason: 'urn:epcglobal:cbv:er:incorrect_data',
      correctiveEventIDs: ['urn:uuid:c1'],
    },
  };
  assert.ok(matcher('EXISTS_errorDeclaration')(e));
  assert.ok(!matcher('EXISTS_errorDeclaration')({}));
  assert.ok(
    matcher('GE_errorDeclarationTime=2026-03-01T23:00:00Z&LT_errorDeclaration_Time=2026-03-01T23:00:01Z')(e),
  );
  assert.ok(!matcher('GE_errorDeclaration_Time=2026-03-01T23:00:01Z')(e));
  assert.ok(matcher('EQ_errorReason=incorrect_data')(e));
  assert.ok(matcher('EQ_errorReason=https://ref.gs1.org/cbv/ER-incorrect_data')(e));
  assert.ok(!matcher('EQ_errorReason=did_not_occur')(e));
  assert.ok(matcher('EQ_correctiveEventID=urn:uuid:c1')(e));
  assert.ok(!matcher('EQ_correctiveEventID=urn:uuid:c2')(e));
});

test('EXISTS_<field> on standard fields', () => {
  assert.ok(matcher('EXISTS_bizStep')({ bizStep: 'shipping' }));
  assert.ok(!matcher('EXISTS_bizStep')({}));
  assert.ok(!matcher('EXISTS_epcList')({ epcList: [] }));
  assert.ok(matcher('EXISTS_ilmd')({ ilmd: { 'cbvmda:lotNumber': 'L1' } }));
  assert.ok(
    matcher('EXISTS_sensorElementList')({ sensorElementList: [{ sensorReport: [{ type: 'Temperature' }] }] }),
  );
});

test('extension fields: EQ_/GT_/GE_/LT_/LE_/EXISTS_, INNER_, ILMD_, readPoint_, ERROR_DECLARATION_, SENSOR*_, namespaces', () => {
  const ns = { ext1: 'http://example.com/ext1/', ext2: 'http://example.com/ext2/' };
  const e = {
    '@context': [
      { ext1: 'http://example.com/ext1/' },
      { ext2: 'http://example.com/ext2/' },
      { e9: 'http://example.com/ext1/' },
    ],
    'ext1:int': '10',
    'ext1:time': '2013-06-08T14:58:56.591Z',
    'ext1:array': ['12', '22', { 'ext1:object': { 'ext2:int': '13' } }],
    'ext1:object': { 'ext2:string': 'stringInObject' },
    'e9:alias': 'x',
    ilmd: { 'cbvmda:lotNumber': 'ABC123', 'ext1:float': '20', 'ext1:object': { 'ext2:string': 'inIlmd' } },
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234', 'ext1:zone': 'A' },
    errorDeclaration: { declarationTime: '2026-03-02T00:00:00Z', 'ext1:note': 'typo' },
    sensorElementList: [
      {
        sensorMetadata: { 'ext1:meta': 'm' },
        sensorReport: [{ type: 'Temperature', 'ext1:rep': '7' }],
        'ext1:el': 'e',
      },
    ],
  } as unknown as Partial<EPCISEvent>;
  const m = (s: string) => matcher(s, ns)(e);
  assert.ok(m('EQ_ext1:int=10'));
  assert.ok(m('EQ_ext1:int=10.0'), 'numbers compare as numbers');
  assert.ok(!m('EQ_ext1:int=11'));
  assert.ok(
    m('GT_ext1:int=9.5') &&
      m('GE_ext1:int=10') &&
      m('LT_ext1:int=11') &&
      m('LE_ext1:int=10') &&
      !m('GT_ext1:int=10'),
  );
  assert.ok(m('GE_ext1:time=2013-06-08T14:58:56.591Z') && !m('LT_ext1:time=2013-06-08T14:58:56.591Z'));
  assert.ok(m('EQ_ext1:array=22'), 'array members');
  assert.ok(m('EXISTS_ext1:object') && !m('EXISTS_ext1:missing'));
  assert.ok(m('EQ_INNER_ext2:string=stringInObject') && !m('EQ_ext2:string=stringInObject'));
  assert.ok(m('EQ_INNER_ext2:int=13'));
  assert.ok(m('EQ_http://example.com/ext1/%23int=10') || m('EQ_http://example.com/ext1/int=10'));
  assert.ok(m('EQ_ext1:alias=x'), 'another prefix of the same namespace');
  assert.ok(m('EQ_ILMD_cbvmda:lotNumber=ABC123') && !m('EQ_ILMD_cbvmda:lotNumber=X'));
  assert.ok(
    m('GT_ILMD_ext1:float=19') &&
      m('EXISTS_ILMD_ext1:float') &&
      !m('EQ_ILMD_ext2:string=inIlmd') &&
      m('EQ_INNER_ILMD_ext2:string=inIlmd'),
  );
  assert.ok(m('EQ_readPoint_ext1:zone=A') && !m('EQ_bizLocation_ext1:zone=A'));
  assert.ok(m('EQ_ERROR_DECLARATION_ext1:note=typo') && m('EXISTS_ERROR_DECLARATION_ext1:note'));
  assert.ok(
    m('EQ_SENSORELEMENT_ext1:el=e') &&
      m('EQ_SENSORMETADATA_ext1:meta=m') &&
      m('GE_SENSORREPORT_ext1:rep=7') &&
      !m('GT_SENSORREPORT_ext1:rep=7'),
  );
});

test('sensor parameters: all hold for one report (with its metadata)', () => {
  const e = {
    sensorElementList: [
      {
        sensorMetadata: {
          time: '2019-04-02T13:05:00.000Z',
          startTime: '2019-04-02T12:55:01.000Z',
          endTime: '2019-04-02T13:55:00.000Z',
          deviceID: 'urn:epc:id:giai:4000001.111',
          bizRules: 'https://example.com/253/4012345000054987',
        },
        sensorReport: [
          {
            type: 'Temperature',
            value: 26,
            uom: 'CEL',
            minValue: 20,
            maxValue: 26.2,
            meanValue: 13.2,
            sDev: 0.1,
            percRank: 50,
            percValue: 12.7,
            stringValue: 'SomeString',
            booleanValue: true,
            hexBinaryValue: 'f0f0f0',
            uriValue: 'https://id.gs1.org/8004/4000001111',
            microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1126011',
            chemicalSubstance: 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N',
            dataProcessingMethod: 'https://example.com/253/1',
          },
          { type: 'RelativeHumidity', value: 60, uom: 'P1' },
        ],
      },
    ],
  };
  const m = (s: string) => matcher(s)(e as Partial<EPCISEvent>);
  assert.ok(
    m('EQ_type=Temperature') && m('EQ_type=https://gs1.org/voc/Temperature') && !m('EQ_type=Illuminance'),
  );
  assert.ok(m('EQ_type=Temperature&EQ_value_CEL=26') && !m('EQ_type=RelativeHumidity&EQ_value_CEL=26'));
  assert.ok(m('EQ_value_P1=60') && !m('EQ_value_CEL=60'));
  assert.ok(
    m('GT_minValue_CEL=19&LE_maxValue_CEL=26.2&GE_meanValue_CEL=13.2&LT_sDev_CEL=1&GT_percValue_CEL=12'),
  );
  assert.ok(!m('GT_minValue_CEL=20'));
  assert.ok(m('GE_percRank=50&LE_percRank=50&GT_percRank=49&LT_percRank=51'));
  assert.ok(m('GE_time=2019-04-02T13:05:00Z&LT_time=2019-04-02T13:05:01Z'));
  assert.ok(
    m('GE_startTime=2019-04-02T12:55:01Z&LT_endTime=2019-04-02T13:55:01Z') &&
      !m('GE_endTime=2019-04-02T14:00:00Z'),
  );
  assert.ok(m('EQ_deviceID=https://id.gs1.org/8004/4000001111'), 'device ids in any spelling');
  assert.ok(
    m('EQ_bizRules=https://example.com/253/4012345000054987') &&
      m('EQ_dataProcessingMethod=https://example.com/253/1'),
  );
  assert.ok(m('EQ_stringValue=SomeString') && !m('EQ_stringValue=somestring'));
  assert.ok(m('EQ_booleanValue=true') && !m('EQ_booleanValue=false'));
  assert.ok(m('EQ_hexBinaryValue=F0F0F0') && m('EQ_uriValue=https://id.gs1.org/8004/4000001111'));
  assert.ok(
    m('EQ_microorganism=https://www.ncbi.nlm.nih.gov/taxonomy/1126011') &&
      m('EQ_chemicalSubstance=https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N'),
  );
});

test('the plan: indexed part in the store filter, ordering and limits', () => {
  const { plan } = compileQuery(
    rest(
      'eventType=ObjectEvent&EQ_bizStep=urn:epcglobal:cbv:bizstep:shipping&EQ_readPoint=urn:epc:id:sgln:0614141.07346.1234&MATCH_anyEPC=urn:epc:idpat:sgtin:0614141.107346.*&GE_eventTime=2026-01-01T00:00:00Z&EQ_source_owning_party=urn:epc:id:pgln:4012345.00225&EXISTS_errorDeclaration&orderBy=eventTime&eventCountLimit=3',
    ),
  );
  assert.deepEqual(plan.filter.eventTypes, ['ObjectEvent']);
  assert.deepEqual(plan.filter.bizSteps, ['shipping']);
  assert.deepEqual(plan.filter.readPoints, ['https://id.gs1.org/414/0614141073467/254/1234']);
  assert.deepEqual(plan.filter.identifiers?.[0]?.prefixes, ['https://id.gs1.org/01/10614141073464/']);
  assert.equal(plan.filter.eventTime?.ge, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(plan.filter.references, [
    {
      kind: 'source',
      type: 'owning_party',
      values: ['https://id.gs1.org/417/4012345002256', 'urn:epc:id:pgln:4012345.00225'],
    },
  ]);
  assert.equal(plan.filter.errorDeclaration?.exists, true);
  assert.deepEqual(plan.order, { by: 'eventTime' });
  assert.equal(plan.direction, 'DESC');
  assert.equal(plan.eventCountLimit, 3);
  assert.equal(compileQuery(rest('EQ_bizStep=shipping')).plan.direction, 'ASC');
  assert.equal(
    compileQuery(rest('EQ_bizStep=a|b')).plan.fingerprint,
    compileQuery(rest('EQ_bizStep=a|b')).plan.fingerprint,
  );
  assert.notEqual(
    compileQuery(rest('EQ_bizStep=a|b')).plan.fingerprint,
    compileQuery(rest('EQ_bizStep=a')).plan.fingerprint,
  );
});
