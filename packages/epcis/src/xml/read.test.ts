import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EPCISDocument, EPCISQueryDocument } from '../model.ts';
import { EPCIS_CONTEXT_URL, parseEpcisXml, parseEpcisXmlEvent, validateEpcisXml } from './read.ts';

const doc2 = (events: string, extraNs = '', header = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ${extraNs} schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z">${header}
  <EPCISBody>
    <EventList>${events}
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>`;

function read(xml: string) {
  const r = parseEpcisXml(xml);
  if (!r.ok) assert.fail(JSON.stringify(r.errors, null, 1));
  return r;
}

test('EPCIS 2.0 ObjectEvent: every standard field, values as written, numbers typed', () => {
  const r = read(
    doc2(
      `
      <ObjectEvent>
        <eventTime>2024-03-01T09:00:00.000+01:00</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <eventID>urn:uuid:00000000-0000-4000-8000-000000000001</eventID>
        <errorDeclaration>
          <declarationTime>2024-03-02T00:00:00Z</declarationTime>
          <reason>urn:epcglobal:cbv:er:incorrect_data</reason>
          <correctiveEventIDs><correctiveEventID>urn:uuid:c1</correctiveEventID></correctiveEventIDs>
        </errorDeclaration>
        <certificationInfo>https://cert.example.com/1</certificationInfo>
        <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc><epc> https://id.gs1.org/01/09506000134352/21/1 </epc></epcList>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        <disposition>https://ref.gs1.org/cbv/Disp-active</disposition>
        <readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id></readPoint>
        <bizLocation><id>urn:epc:id:sgln:0614141.07346.0</id></bizLocation>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:0614141073467:PO-1</bizTransaction>
          <bizTransaction>http://example.com/tx/2</bizTransaction>
        </bizTransactionList>
        <quantityList>
          <quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>200.50</quantity><uom>KGM</uom></quantityElement>
          <quantityElement><epcClass>urn:epc:idpat:sgtin:4012345.098765.*</epcClass></quantityElement>
        </quantityList>
        <sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00225</source></sourceList>
        <destinationList><destination type="urn:epcglobal:cbv:sdt:location">urn:epc:id:sgln:0614141.00777.0</destination></destinationList>
        <persistentDisposition><unset>urn:epcglobal:cbv:disp:completeness_inferred</unset><set>urn:epcglobal:cbv:disp:completeness_verified</set></persistentDisposition>
        <ilmd><cbvmda:lotNumber>LOT1</cbvmda:lotNumber><cbvmda:itemExpirationDate>2026-01-31</cbvmda:itemExpirationDate></ilmd>
      </ObjectEvent>`,
      'xmlns:cbvmda="urn:epcglobal:cbv:mda"',
    ),
  );
  const doc = r.value as EPCISDocument;
  assert.deepEqual(doc['@context'], [EPCIS_CONTEXT_URL, { cbvmda: 'urn:epcglobal:cbv:mda' }]);
  assert.equal(doc.type, 'EPCISDocument');
  assert.equal(doc.schemaVersion, '2.0');
  assert.equal(doc.creationDate, '2024-03-01T10:00:00Z');
  assert.equal(r.xmlVersion, '2.0');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(doc.epcisBody.eventList[0], {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T09:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    errorDeclaration: {
      declarationTime: '2024-03-02T00:00:00Z',
      reason: 'urn:epcglobal:cbv:er:incorrect_data',
      correctiveEventIDs: ['urn:uuid:c1'],
    },
    certificationInfo: 'https://cert.example.com/1',
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09506000134352/21/1'],
    action: 'ADD',
    bizStep: 'urn:epcglobal:cbv:bizstep:commissioning',
    disposition: 'https://ref.gs1.org/cbv/Disp-active',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
    bizTransactionList: [
      { type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:PO-1' },
      { bizTransaction: 'http://example.com/tx/2' },
    ],
    quantityList: [
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200.5, uom: 'KGM' },
      { epcClass: 'urn:epc:idpat:sgtin:4012345.098765.*' },
    ],
    sourceList: [{ type: 'urn:epcglobal:cbv:sdt:owning_party', source: 'urn:epc:id:pgln:4012345.00225' }],
    destinationList: [
      { type: 'urn:epcglobal:cbv:sdt:location', destination: 'urn:epc:id:sgln:0614141.00777.0' },
    ],
    persistentDisposition: {
      unset: ['urn:epcglobal:cbv:disp:completeness_inferred'],
      set: ['urn:epcglobal:cbv:disp:completeness_verified'],
    },
    ilmd: { 'cbvmda:lotNumber': 'LOT1', 'cbvmda:itemExpirationDate': '2026-01-31' },
  });
});

test('sensor data: attributes become typed fields, extensions keep their prefix', () => {
  const r = read(
    doc2(
      `
      <ObjectEvent>
        <eventTime>2024-03-01T09:00:00Z</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <action>OBSERVE</action>
        <readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id></readPoint>
        <sensorElementList>
          <sensorElement>
            <sensorMetadata time="2024-03-01T08:59:00Z" deviceID="urn:epc:id:giai:4000001.111" ex:batch="b1"/>
            <sensorReport type="gs1:Temperature" value="-5.50" uom="CEL" booleanValue="false" percRank="50" exception="ALARM_CONDITION"/>
            <sensorReport type="gs1:RelativeHumidity" minValue="1e1" maxValue="12.0" booleanValue="1"/>
            <ex:note>cold</ex:note>
          </sensorElement>
        </sensorElementList>
      </ObjectEvent>`,
      'xmlns:ex="http://ns.example.com/x/"',
    ),
  );
  const ev = (r.value as EPCISDocument).epcisBody.eventList[0]!;
  assert.deepEqual(ev.sensorElementList, [
    {
      sensorMetadata: {
        time: '2024-03-01T08:59:00Z',
        deviceID: 'urn:epc:id:giai:4000001.111',
        'ex:batch': 'b1',
      },
      sensorReport: [
        {
          type: 'gs1:Temperature',
          value: -5.5,
          uom: 'CEL',
          booleanValue: false,
          percRank: 50,
          exception: 'ALARM_CONDITION',
        },
        { type: 'gs1:RelativeHumidity', minValue: 10, maxValue: 12, booleanValue: true },
      ],
      'ex:note': 'cold',
    },
  ]);
  assert.deepEqual(r.namespaces, { ex: 'http://ns.example.com/x/' });
});

test('extensions: nested objects, repeated elements as arrays, attributes and xsi:type as members, #text', () => {
  const r = read(
    doc2(
      `
      <ObjectEvent xmlns:ev="http://ns.example.com/ev">
        <eventTime>2024-03-01T09:00:00Z</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <action>OBSERVE</action>
        <readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id><ex:dock>7</ex:dock></readPoint>
        <ex:obj><ex:a>1</ex:a><ex:a>2</ex:a><ex:inner><ev:deep> x </ev:deep></ex:inner><plain>p</plain></ex:obj>
        <ex:typed xsi:type="xsd:integer">10</ex:typed>
        <ex:weight unit="KGM">3.5</ex:weight>
        <x:other xmlns:x="http://ns.example.com/x/">same namespace, other prefix</x:other>
        <ex:empty/>
        <def xmlns="http://default.example.com/">d</def>
      </ObjectEvent>`,
      'xmlns:ex="http://ns.example.com/x/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
    ),
  );
  const ev = (r.value as EPCISDocument).epcisBody.eventList[0]! as Record<string, unknown>;
  assert.deepEqual(ev.readPoint, { id: 'urn:epc:id:sgln:0614141.07346.1234', 'ex:dock': '7' });
  assert.deepEqual(ev['ex:obj'], { 'ex:a': ['1', '2'], 'ex:inner': { 'ev:deep': 'x' }, plain: 'p' });
  assert.deepEqual(ev['ex:typed'], { 'xsi:type': 'xsd:integer', '#text': '10' });
  assert.deepEqual(ev['ex:weight'], { unit: 'KGM', '#text': '3.5' });
  assert.equal(ev['x:other'], 'same namespace, other prefix');
  assert.equal(ev['ex:empty'], '');
  assert.equal(ev['ns1:def'], 'd');
  assert.deepEqual(r.namespaces, {
    ex: 'http://ns.example.com/x/',
    ev: 'http://ns.example.com/ev',
    xsi: 'http://www.w3.org/2001/XMLSchema-instance',
    x: 'http://ns.example.com/x/',
    ns1: 'http://default.example.com/',
  });
});

test('a prefix bound to two namespaces gets a second prefix', () => {
  const r = read(
    doc2(`
      <ObjectEvent>
        <eventTime>2024-03-01T09:00:00Z</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <action>OBSERVE</action>
        <p:a xmlns:p="urn:one">1</p:a>
        <p:b xmlns:p="urn:two">2</p:b>
      </ObjectEvent>`),
  );
  const ev = (r.value as EPCISDocument).epcisBody.eventList[0]! as Record<string, unknown>;
  assert.equal(ev['p:a'], '1');
  assert.equal(ev['ns1:b'], '2');
  assert.deepEqual(r.namespaces, { p: 'urn:one', ns1: 'urn:two' });
});

test('header: SBDH kept as an sbdh: object, master data in epcisHeader.epcisMasterData', () => {
  const r = read(
    doc2(
      '',
      'xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"',
      `
  <EPCISHeader>
    <sbdh:StandardBusinessDocumentHeader>
      <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>
      <sbdh:Sender><sbdh:Identifier Authority="GS1">urn:epc:id:sgln:030001.111111.0</sbdh:Identifier></sbdh:Sender>
      <sbdh:Receiver><sbdh:Identifier Authority="GS1">urn:epc:id:sgln:039999.999999.0</sbdh:Identifier></sbdh:Receiver>
      <sbdh:DocumentIdentification>
        <sbdh:Standard>EPCglobal</sbdh:Standard><sbdh:TypeVersion>1.0</sbdh:TypeVersion>
        <sbdh:InstanceIdentifier>1</sbdh:InstanceIdentifier><sbdh:Type>Events</sbdh:Type>
        <sbdh:CreationDateAndTime>2024-03-01T10:00:00Z</sbdh:CreationDateAndTime>
      </sbdh:DocumentIdentification>
    </sbdh:StandardBusinessDocumentHeader>
    <extension>
      <EPCISMasterData>
        <VocabularyList>
          <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation">
            <VocabularyElementList>
              <VocabularyElement id="urn:epc:id:sgln:0614141.00777.0">
                <attribute id="urn:epcglobal:cbv:mda#name">DC 7</attribute>
                <attribute id="http://ns.example.com/x#address"><ex:street xmlns:ex="http://ns.example.com/x/">Main St</ex:street></attribute>
                <children><id>urn:epc:id:sgln:0614141.00777.1</id></children>
              </VocabularyElement>
            </VocabularyElementList>
          </Vocabulary>
          <Vocabulary type="urn:epcglobal:epcis:vtype:ReadPoint"/>
        </VocabularyList>
      </EPCISMasterData>
    </extension>
  </EPCISHeader>`,
    ),
  );
  const h = (r.value as EPCISDocument).epcisHeader!;
  assert.deepEqual(h['sbdh:StandardBusinessDocumentHeader'], {
    'sbdh:HeaderVersion': '1.0',
    'sbdh:Sender': { 'sbdh:Identifier': { Authority: 'GS1', '#text': 'urn:epc:id:sgln:030001.111111.0' } },
    'sbdh:Receiver': { 'sbdh:Identifier': { Authority: 'GS1', '#text': 'urn:epc:id:sgln:039999.999999.0' } },
    'sbdh:DocumentIdentification': {
      'sbdh:Standard': 'EPCglobal',
      'sbdh:TypeVersion': '1.0',
      'sbdh:InstanceIdentifier': '1',
      'sbdh:Type': 'Events',
      'sbdh:CreationDateAndTime': '2024-03-01T10:00:00Z',
    },
  });
  assert.deepEqual(h.epcisMasterData, {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
        vocabularyElementList: [
          {
            id: 'urn:epc:id:sgln:0614141.00777.0',
            attributes: [
              { id: 'urn:epcglobal:cbv:mda#name', attribute: 'DC 7' },
              { id: 'http://ns.example.com/x#address', attribute: { 'ex:street': 'Main St' } },
            ],
            children: ['urn:epc:id:sgln:0614141.00777.1'],
          },
        ],
      },
      { type: 'urn:epcglobal:epcis:vtype:ReadPoint', vocabularyElementList: [] },
    ],
  });
  assert.equal(r.namespaces.sbdh, 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader');
});

test('EPCIS 1.2: extension / baseExtension wrappers, TransformationEvent in EventList/extension, AssociationEvent in extension/extension', () => {
  const r =
    read(`<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:ex="http://ns.example.com/x/" schemaVersion="1.2" creationDate="2024-03-01T10:00:00Z">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2024-03-01T09:00:00Z</eventTime>
      <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <baseExtension>
        <eventID>urn:uuid:e1</eventID>
        <errorDeclaration><declarationTime>2024-03-02T00:00:00Z</declarationTime><ex:who>me</ex:who></errorDeclaration>
      </baseExtension>
      <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList>
      <action>ADD</action>
      <extension>
        <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.1</epcClass><quantity>5</quantity></quantityElement></quantityList>
        <ilmd><ex:lot>L1</ex:lot></ilmd>
        <extension>
          <sensorElementList><sensorElement><sensorReport type="gs1:Temperature" value="4"/></sensorElement></sensorElementList>
          <persistentDisposition><set>urn:epcglobal:cbv:disp:recalled</set></persistentDisposition>
        </extension>
      </extension>
      <ex:field>v</ex:field>
    </ObjectEvent>
    <extension>
      <TransformationEvent>
        <eventTime>2024-03-01T09:00:00Z</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <inputEPCList><epc>urn:epc:id:sgtin:0614141.107346.1</epc></inputEPCList>
        <outputEPCList><epc>urn:epc:id:sgtin:0614141.107346.2</epc></outputEPCList>
      </TransformationEvent>
    </extension>
    <extension><extension>
      <AssociationEvent>
        <eventTime>2024-03-01T09:00:00Z</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <parentID>urn:epc:id:grai:4012345.55555.987</parentID>
        <action>DELETE</action>
      </AssociationEvent>
    </extension></extension>
  </EventList></EPCISBody>
</epcis:EPCISDocument>`);
  assert.equal(r.xmlVersion, '1.2');
  const [o, t, a] = (r.value as EPCISDocument).epcisBody.eventList;
  assert.deepEqual(o, {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T09:00:00Z',
    eventTimeZoneOffset: '+00:00',
    eventID: 'urn:uuid:e1',
    errorDeclaration: { declarationTime: '2024-03-02T00:00:00Z', 'ex:who': 'me' },
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
    action: 'ADD',
    quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.1', quantity: 5 }],
    ilmd: { 'ex:lot': 'L1' },
    sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: 4 }] }],
    persistentDisposition: { set: ['urn:epcglobal:cbv:disp:recalled'] },
    'ex:field': 'v',
  });
  assert.equal(t!.type, 'TransformationEvent');
  assert.deepEqual(t!.outputEPCList, ['urn:epc:id:sgtin:0614141.107346.2']);
  assert.deepEqual(a, {
    type: 'AssociationEvent',
    eventTime: '2024-03-01T09:00:00Z',
    eventTimeZoneOffset: '+00:00',
    parentID: 'urn:epc:id:grai:4012345.55555.987',
    action: 'DELETE',
  });
});

test('query documents (2.0 and 1.2): queryName, subscriptionID, events in resultsBody', () => {
  for (const v of ['2', '1']) {
    const r =
      read(`<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:${v}" schemaVersion="${v === '2' ? '2.0' : '1.2'}" creationDate="2024-03-01T10:00:00Z">
  <EPCISBody>
    <q:QueryResults>
      <queryName>SimpleEventQuery</queryName>
      <subscriptionID>sub-1</subscriptionID>
      <resultsBody><EventList>
        <AggregationEvent>
          <eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <parentID>urn:epc:id:sscc:0614141.1234567890</parentID>
          <childEPCs><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></childEPCs>
          <action>ADD</action>
        </AggregationEvent>
      </EventList></resultsBody>
    </q:QueryResults>
  </EPCISBody>
</q:EPCISQueryDocument>`);
    const q = r.value as EPCISQueryDocument;
    assert.equal(q.type, 'EPCISQueryDocument');
    assert.equal(q.epcisBody.queryResults.queryName, 'SimpleEventQuery');
    assert.equal(q.epcisBody.queryResults.subscriptionID, 'sub-1');
    assert.equal(
      q.epcisBody.queryResults.resultsBody.eventList[0]!.parentID,
      'urn:epc:id:sscc:0614141.1234567890',
    );
  }
});

test('bare events: parseEpcisXmlEvent reads and validates one event element', () => {
  const ok = parseEpcisXmlEvent(`<ObjectEvent xmlns:ex="urn:x">
  <eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
  <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action><ex:f>1</ex:f>
</ObjectEvent>`);
  assert.ok(ok.ok);
  assert.deepEqual(ok.value, {
    '@context': [EPCIS_CONTEXT_URL, { ex: 'urn:x' }],
    type: 'ObjectEvent',
    eventTime: '2024-03-01T09:00:00Z',
    eventTimeZoneOffset: '+00:00',
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
    action: 'OBSERVE',
    'ex:f': '1',
  });
  const noAction = `<ObjectEvent><eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>\n<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep></ObjectEvent>`;
  const bad = parseEpcisXmlEvent(noAction);
  assert.ok(!bad.ok);
  assert.equal(bad.errors[0]!.code, 'RX_EPCIS_XSD_UNEXPECTED_ELEMENT');
  assert.equal(bad.errors[0]!.line, 2);
  assert.ok(parseEpcisXmlEvent(noAction, { validate: false }).ok);
  const notEvent = parseEpcisXmlEvent('<Foo/>');
  assert.ok(!notEvent.ok && notEvent.errors[0]!.code === 'RX_EPCIS_NOT_A_DOCUMENT');
});

test('validation problems carry line, column and the event index; lenient reading still maps', () => {
  const xml = doc2(`
      <ObjectEvent>
        <eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>OBSERVE</action>
      </ObjectEvent>
      <ObjectEvent>
        <eventTime>2024-03-01</eventTime>
        <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <action>CREATE</action>
      </ObjectEvent>`);
  const r = parseEpcisXml(xml);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.line, e.column, e.eventIndex]),
    [
      ['RX_EPCIS_XSD_VALUE', 9, 9, 1],
      ['RX_EPCIS_XSD_VALUE', 11, 9, 1],
    ],
  );
  assert.equal(
    r.errors[0]!.message,
    "Element 'eventTime': '2024-03-01' is not a valid value of the atomic type '{urn:epcglobal:epcis:xsd:2}DateTimeStamp'.",
  );
  assert.match(
    r.errors[1]!.message,
    /\[facet 'enumeration'\] The value 'CREATE' is not an element of the set \{'ADD', 'OBSERVE', 'DELETE'\}/,
  );
  const lenient = parseEpcisXml(xml, { validate: false });
  assert.ok(lenient.ok);
  assert.equal((lenient.value as EPCISDocument).epcisBody.eventList[1]!.action, 'CREATE' as never);
});

test('not an event document: master data and capture jobs are validated but not read as events', () => {
  const md = `<epcismd:EPCISMasterDataDocument xmlns:epcismd="urn:epcglobal:epcis-masterdata:xsd:2" schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z">
  <EPCISBody><VocabularyList><Vocabulary type="urn:epcglobal:epcis:vtype:ReadPoint"/></VocabularyList></EPCISBody>
</epcismd:EPCISMasterDataDocument>`;
  const r = parseEpcisXml(md);
  assert.ok(!r.ok && r.errors[0]!.code === 'RX_EPCIS_NOT_A_DOCUMENT');
  assert.deepEqual(validateEpcisXml(md), {
    valid: true,
    problems: [],
    root: '{urn:epcglobal:epcis-masterdata:xsd:2}EPCISMasterDataDocument',
    version: '2.0',
  });
  const job = `<epcis:EPCISCaptureJob xmlns:epcis="urn:epcglobal:epcis:xsd:2" running="false" success="yes" captureID="c1"><captureErrorBehaviour>rollback</captureErrorBehaviour></epcis:EPCISCaptureJob>`;
  const v = validateEpcisXml(job);
  assert.equal(v.valid, false);
  assert.equal(
    v.problems[0]!.message,
    "Element '{urn:epcglobal:epcis:xsd:2}EPCISCaptureJob', attribute 'success': 'yes' is not a valid value of the atomic type 'xs:boolean'.",
  );
});

test('the inert <!DOCTYPE name> is tolerated by default; any DOCTYPE that declares something is refused', () => {
  const body = doc2('').replace(/^<\?xml[^>]*>\n/, '');
  const inert = `<?xml version="1.0"?>\n<!DOCTYPE project>\n${body}`;
  assert.ok(parseEpcisXml(inert).ok);
  const strict = parseEpcisXml(inert, { allowInertDoctype: false });
  assert.ok(!strict.ok && strict.errors[0]!.code === 'RX_EPCIS_XML_DOCTYPE' && strict.errors[0]!.line === 2);
  for (const dt of [
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    '<!DOCTYPE x PUBLIC "-//x" "http://x/x.dtd">',
  ]) {
    const r = parseEpcisXml(`<?xml version="1.0"?>\n${dt}\n${body}`);
    assert.ok(!r.ok && r.errors[0]!.code === 'RX_EPCIS_XML_DOCTYPE', dt);
  }
});

test('limits: events per document, event size', () => {
  const ev = `<ObjectEvent><eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>OBSERVE</action></ObjectEvent>`;
  const r = parseEpcisXml(doc2(ev.repeat(3)), { limits: { maxEvents: 2 } });
  assert.ok(!r.ok && r.errors[0]!.code === 'RX_EPCIS_LIMIT_EVENT_COUNT');
  const big = ev.replace(
    '<action>',
    `<epcList>${'<epc>urn:epc:id:sgtin:0614141.107346.2017</epc>'.repeat(100)}</epcList><action>`,
  );
  const r2 = parseEpcisXml(doc2(big), { limits: { maxEventLength: 1000 } });
  assert.ok(!r2.ok && r2.errors[0]!.code === 'RX_EPCIS_LIMIT_EVENT_SIZE');
});
