import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EPCISDocument, EPCISEvent, EPCISQueryDocument } from '../model.ts';
import { parseEpcisXml, parseEpcisXmlEvent, validateEpcisXml } from './read.ts';
import { escapeAttr, escapeText, writeEpcisXml, writeEpcisXmlEvent, XML_WRITE_CODES } from './write.ts';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ns.example.com/epcis/' },
];

function document(events: EPCISEvent[], extra: Partial<EPCISDocument> = {}): EPCISDocument {
  return {
    '@context': CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-01T10:00:00Z',
    epcisBody: { eventList: events },
    ...extra,
  };
}

const commissioning: EPCISEvent = {
  type: 'ObjectEvent',
  eventTime: '2024-03-01T09:00:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001',
  certificationInfo: 'https://cert.example.com/1',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09506000134352/21/A&B<1>'],
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234', 'ex:dock': '7' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:PO"1' }],
  quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 1e21, uom: 'KGM' }],
  sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00225' }],
  sensorElementList: [
    {
      sensorMetadata: { time: '2024-03-01T08:59:00Z', 'ex:batch': 'b\n1' },
      sensorReport: [{ type: 'Temperature', value: -5.5, uom: 'CEL', booleanValue: false, component: 'x' }],
      'ex:note': 'cold',
    },
  ],
  persistentDisposition: { set: ['completeness_verified'], unset: ['completeness_inferred'] },
  ilmd: {
    'cbvmda:lotNumber': 'LOT1',
    'ex:grade': { 'ex:a': ['1', '2'], 'ex:b': { '#text': '10', 'xsi:type': 'xsd:integer' } },
  },
  'ex:flag': true,
};

test('EPCIS 2.0: XSD order, escaping, namespaces, bare CBV words as Web URIs, numbers without exponent; valid and read back', () => {
  const w = writeEpcisXml(document([commissioning]));
  assert.ok(w.ok, JSON.stringify(!w.ok && w.errors));
  assert.deepEqual(w.warnings, []);
  const xml = w.value;
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z" xmlns:ex="https:\/\/ns.example.com\/epcis\/"/,
  );
  assert.match(xml, /xmlns:cbvmda="urn:epcglobal:cbv:mda"/);
  assert.match(xml, /<epc>https:\/\/id.gs1.org\/01\/09506000134352\/21\/A&amp;B&lt;1&gt;<\/epc>/);
  assert.match(xml, /<bizStep>https:\/\/ref.gs1.org\/cbv\/BizStep-commissioning<\/bizStep>/);
  assert.match(
    xml,
    /<bizTransaction type="https:\/\/ref.gs1.org\/cbv\/BTT-po">urn:epcglobal:cbv:bt:0614141073467:PO"1<\/bizTransaction>/,
  );
  assert.match(xml, /<quantity>1000000000000000000000<\/quantity>/);
  assert.match(xml, /<sensorMetadata time="2024-03-01T08:59:00Z" ex:batch="b&#10;1"\/>/);
  assert.match(
    xml,
    /<sensorReport type="https:\/\/gs1.org\/voc\/Temperature" value="-5.5" component="https:\/\/ref.gs1.org\/cbv\/Comp-x" booleanValue="false" uom="CEL"\/>/,
  );
  assert.match(
    xml,
    /<persistentDisposition>\s*<unset>https:\/\/ref.gs1.org\/cbv\/Disp-completeness_inferred<\/unset>\s*<set>/,
  );
  assert.match(xml, /<ex:b xsi:type="xsd:integer">10<\/ex:b>/);
  assert.deepEqual(validateEpcisXml(xml).problems, []);
  const back = parseEpcisXml(xml);
  assert.ok(back.ok);
  const ev = (back.value as EPCISDocument).epcisBody.eventList[0]!;
  assert.deepEqual(ev.epcList, commissioning.epcList);
  assert.equal(ev.bizStep, 'https://ref.gs1.org/cbv/BizStep-commissioning');
  assert.deepEqual(ev.quantityList, commissioning.quantityList);
  assert.deepEqual(ev.ilmd, commissioning.ilmd);
  assert.equal((ev as Record<string, unknown>)['ex:flag'], 'true');
});

test("cbv: 'as-is' keeps every value; read → write → read gives the same model", () => {
  const w = writeEpcisXml(document([commissioning]), { cbv: 'as-is', indent: '' });
  assert.ok(w.ok);
  assert.ok(!w.value.includes('\n  '));
  const back = parseEpcisXml(w.value);
  assert.ok(back.ok);
  const again = writeEpcisXml(back.value, { cbv: 'as-is', indent: '' });
  assert.ok(again.ok);
  const back2 = parseEpcisXml(again.value);
  assert.ok(back2.ok);
  assert.deepEqual(back2.value, back.value);
  assert.equal((back.value as EPCISDocument).epcisBody.eventList[0]!.bizStep, 'commissioning');
});

const association: EPCISEvent = {
  type: 'AssociationEvent',
  eventTime: '2024-03-01T09:00:00Z',
  eventTimeZoneOffset: '+00:00',
  parentID: 'urn:epc:id:grai:4012345.55555.987',
  childEPCs: ['urn:epc:id:giai:4000001.12345'],
  action: 'ADD',
  bizStep: 'assembling',
};

test('EPCIS 1.2: URNs, 1.2 layout, 2.0-only content in extension positions (warned), valid against the 1.2 XSD, read back', () => {
  const transformation: EPCISEvent = {
    type: 'TransformationEvent',
    eventTime: '2024-03-01T09:00:00Z',
    eventTimeZoneOffset: '+00:00',
    inputEPCList: ['urn:epc:id:sgtin:0614141.107346.1'],
    outputEPCList: ['urn:epc:id:sgtin:0614141.107346.2'],
    sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: 4 }] }],
  };
  const noEpcs: EPCISEvent = {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T09:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    errorDeclaration: { declarationTime: '2024-03-02T00:00:00Z', reason: 'incorrect_data' },
  };
  const doc = document([commissioning, transformation, association, noEpcs], { id: 'urn:doc:1' });
  const w = writeEpcisXml(doc, { version: '1.2' });
  assert.ok(w.ok);
  assert.deepEqual(
    w.warnings.map((x) => [x.code, x.pointer]),
    [
      [XML_WRITE_CODES.loss, '/id'],
      [XML_WRITE_CODES.extension12, '/epcisBody/eventList/0/certificationInfo'],
      [XML_WRITE_CODES.extension12, '/epcisBody/eventList/0/sensorElementList'],
      [XML_WRITE_CODES.extension12, '/epcisBody/eventList/0/persistentDisposition'],
      [XML_WRITE_CODES.extension12, '/epcisBody/eventList/1/sensorElementList'],
      [XML_WRITE_CODES.extension12, '/epcisBody/eventList/2'],
    ],
  );
  const xml = w.value;
  assert.match(xml, /xmlns:epcis="urn:epcglobal:epcis:xsd:1" schemaVersion="1.2"/);
  assert.match(xml, /<bizStep>urn:epcglobal:cbv:bizstep:commissioning<\/bizStep>/);
  assert.match(xml, /<baseExtension>\s*<eventID>[^<]+<\/eventID>\s*<extension>\s*<certificationInfo>/);
  assert.match(xml, /<EventList>[\s\S]*<extension>\s*<TransformationEvent>/);
  assert.match(xml, /<extension>\s*<extension>\s*<AssociationEvent>/);
  assert.match(xml, /<epcList\/>/);
  assert.match(xml, /<reason>urn:epcglobal:cbv:er:incorrect_data<\/reason>/);
  assert.deepEqual(validateEpcisXml(xml).problems, []);
  const back = parseEpcisXml(xml);
  assert.ok(back.ok);
  assert.equal(back.xmlVersion, '1.2');
  const evs = (back.value as EPCISDocument).epcisBody.eventList;
  assert.deepEqual(
    evs.map((e) => e.type),
    ['ObjectEvent', 'TransformationEvent', 'AssociationEvent', 'ObjectEvent'],
  );
  assert.equal(evs[0]!.certificationInfo, 'https://cert.example.com/1');
  assert.deepEqual(evs[0]!.persistentDisposition, {
    unset: ['urn:epcglobal:cbv:disp:completeness_inferred'],
    set: ['urn:epcglobal:cbv:disp:completeness_verified'],
  });
  assert.deepEqual(evs[1]!.sensorElementList, transformation.sensorElementList);
  assert.deepEqual(evs[3]!.epcList, []);
  // strict: what has no exact place in 1.2 is an error.
  const strict = writeEpcisXml(document([association]), { version: '1.2', strict: true });
  assert.ok(!strict.ok);
  assert.equal(strict.errors[0]!.code, XML_WRITE_CODES.extension12);
});

test('what XML cannot hold is reported: JSON-only members, extension event types in 1.2, header extensions in 2.0, control characters', () => {
  const custom: EPCISEvent = { ...association, type: 'ex:SpecialEvent' };
  const d = document([custom], { sender: 'urn:x', epcisHeader: { 'ex:note': 'n' } });
  const w2 = writeEpcisXml(d);
  assert.ok(w2.ok);
  assert.deepEqual(
    w2.warnings.map((x) => x.pointer),
    ['/sender', '/epcisHeader/ex:note'],
  );
  assert.match(w2.value, /<extension>\s*<ex:SpecialEvent>/);
  assert.deepEqual(validateEpcisXml(w2.value).problems, []);
  const back = parseEpcisXml(w2.value);
  assert.ok(back.ok && (back.value as EPCISDocument).epcisBody.eventList[0]!.type === 'ex:SpecialEvent');
  const w12 = writeEpcisXml(d, { version: '1.2' });
  assert.ok(
    w12.ok &&
      w12.warnings.some((x) => x.pointer === '/epcisBody/eventList/0' && x.code === XML_WRITE_CODES.loss),
  );
  const bad = writeEpcisXml(document([{ ...association, bizStep: 'a\u0001b' }]));
  assert.ok(!bad.ok && bad.errors[0]!.code === XML_WRITE_CODES.character);
});

test('query documents and bare events', () => {
  const q: EPCISQueryDocument = {
    '@context': CONTEXT,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-01T10:00:00Z',
    epcisBody: {
      queryResults: {
        queryName: 'SimpleEventQuery',
        subscriptionID: 's1',
        resultsBody: { eventList: [association] },
      },
    },
  };
  for (const version of ['2.0', '1.2'] as const) {
    const w = writeEpcisXml(q, { version });
    assert.ok(w.ok);
    assert.match(w.value, /<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:/);
    assert.deepEqual(validateEpcisXml(w.value).problems, []);
    const back = parseEpcisXml(w.value);
    assert.ok(back.ok);
    assert.equal((back.value as EPCISQueryDocument).epcisBody.queryResults.subscriptionID, 's1');
  }
  const e = writeEpcisXmlEvent({ ...commissioning, '@context': CONTEXT } as EPCISEvent, { cbv: 'as-is' });
  assert.ok(e.ok);
  assert.match(e.value, /^<\?xml[^>]*>\n<ObjectEvent xmlns:ex="https:\/\/ns.example.com\/epcis\/"/);
  const back = parseEpcisXmlEvent(e.value);
  assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
  assert.deepEqual(back.value, { ...commissioning, '@context': back.value['@context'], 'ex:flag': 'true' });
});

test('header: SBDH (attributes where the SBDH schema has them) and master data survive write → read, in both versions', () => {
  const header = {
    'sbdh:StandardBusinessDocumentHeader': {
      'sbdh:HeaderVersion': '1.0',
      'sbdh:Sender': { 'sbdh:Identifier': { Authority: 'GS1', '#text': 'urn:epc:id:sgln:030001.111111.0' } },
      'sbdh:Receiver': {
        'sbdh:Identifier': { Authority: 'GS1', '#text': 'urn:epc:id:sgln:039999.999999.0' },
      },
      'sbdh:DocumentIdentification': {
        'sbdh:Standard': 'EPCglobal',
        'sbdh:TypeVersion': '1.0',
        'sbdh:InstanceIdentifier': '1',
        'sbdh:Type': 'Events',
        'sbdh:CreationDateAndTime': '2024-03-01T10:00:00Z',
      },
    },
    epcisMasterData: {
      vocabularyList: [
        {
          type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
          vocabularyElementList: [
            {
              id: 'urn:epc:id:sgln:0614141.00777.0',
              attributes: [
                { id: 'urn:epcglobal:cbv:mda#name', attribute: 'DC <7>' },
                {
                  id: 'https://ns.example.com/epcis/address',
                  attribute: { 'ex:street': 'Main St', 'ex:city': 'Springfield' },
                },
              ],
              children: ['urn:epc:id:sgln:0614141.00777.1'],
            },
            { id: 'urn:epc:id:sgln:0614141.00888.0' },
          ],
        },
        { type: 'urn:epcglobal:epcis:vtype:ReadPoint', vocabularyElementList: [] },
      ],
    },
  };
  const context = [
    ...CONTEXT,
    { sbdh: 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader' },
  ];
  for (const version of ['2.0', '1.2'] as const) {
    const w = writeEpcisXml(document([association], { '@context': context, epcisHeader: header }), {
      version,
    });
    assert.ok(w.ok);
    assert.match(
      w.value,
      /<sbdh:Identifier Authority="GS1">urn:epc:id:sgln:030001.111111.0<\/sbdh:Identifier>/,
    );
    assert.deepEqual(validateEpcisXml(w.value).problems, [], version);
    const back = parseEpcisXml(w.value);
    assert.ok(back.ok);
    assert.deepEqual((back.value as EPCISDocument).epcisHeader, header, version);
  }
});

test('escaping helpers', () => {
  assert.equal(escapeText('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.equal(escapeAttr('"x"\t\n\r<&'), '&quot;x&quot;&#9;&#10;&#13;&lt;&amp;');
  assert.equal(escapeText('plain'), 'plain');
});
