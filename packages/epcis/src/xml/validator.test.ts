import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateEpcisXml } from './read.ts';
import { XS } from './schema.ts';
import { checkSimpleValue, isXsdDateTime, XSD_CODES } from './validator.ts';

const E2 = 'urn:epcglobal:epcis:xsd:2';

function doc(
  events: string,
  { v = '2', attrs = 'schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z"', header = '', ns = '' } = {},
) {
  return `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:${v}" ${ns} ${attrs}>${header}
<EPCISBody><EventList>
${events}
</EventList></EPCISBody></epcis:EPCISDocument>`;
}

const OBJ = (
  body: string,
  base = '<eventTime>2024-03-01T09:00:00Z</eventTime>\n<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>',
) => `<ObjectEvent>\n${base}\n${body}\n</ObjectEvent>`;

function first(xml: string) {
  const r = validateEpcisXml(xml);
  assert.equal(r.valid, false, 'expected a problem');
  const p = r.problems[0]!;
  return { code: p.code, line: p.line, message: p.message };
}

test('valid minimal documents of both versions', () => {
  assert.deepEqual(validateEpcisXml(doc(OBJ('<epcList/>\n<action>ADD</action>'))).problems, []);
  assert.deepEqual(
    validateEpcisXml(doc(OBJ('<action>OBSERVE</action>'))).problems,
    [],
    '2.0: epcList optional',
  );
  assert.deepEqual(
    validateEpcisXml(
      doc(OBJ('<epcList/><action>OBSERVE</action>'), {
        v: '1',
        attrs: 'schemaVersion="1.2" creationDate="2024-03-01T10:00:00Z"',
      }),
    ).problems,
    [],
  );
});

test('element order, required and unknown elements follow the event type sequence', () => {
  assert.deepEqual(
    first(
      doc(
        OBJ(
          '<action>ADD</action>',
          '<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>\n<eventTime>2024-03-01T09:00:00Z</eventTime>',
        ),
      ),
    ),
    {
      code: XSD_CODES.unexpected,
      line: 4,
      message: "Element 'eventTimeZoneOffset': This element is not expected. Expected is ( eventTime ).",
    },
  );
  assert.deepEqual(first(doc(OBJ('<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>'))), {
    code: XSD_CODES.unexpected,
    line: 6,
    message:
      "Element 'bizStep': This element is not expected. Expected is one of ( eventID, errorDeclaration, certificationInfo, baseExtension, epcList, action ).",
  });
  assert.deepEqual(first(doc(OBJ(''))), {
    code: XSD_CODES.missing,
    line: 3,
    message:
      "Element 'ObjectEvent': Missing child element(s). Expected is one of ( eventID, errorDeclaration, certificationInfo, baseExtension, epcList, action ).",
  });
  assert.equal(first(doc(OBJ('<action>ADD</action><madeUp>x</madeUp>'))).code, XSD_CODES.unexpected);
  // The EPCIS namespace where unqualified elements are wanted.
  assert.match(
    first(doc(OBJ(`<action>ADD</action><epcis:disposition>x</epcis:disposition>`))).message,
    /Element '\{urn:epcglobal:epcis:xsd:2\}disposition': This element is not expected/,
  );
  // An extension element before the standard fields.
  assert.equal(
    first(doc(OBJ('<ex:f>1</ex:f><action>ADD</action>'), { ns: 'xmlns:ex="urn:ex"' })).code,
    XSD_CODES.unexpected,
  );
  // ... and after them it is fine, as is one in readPoint.
  assert.ok(
    validateEpcisXml(
      doc(OBJ('<action>ADD</action><readPoint><id>urn:x</id><ex:g>2</ex:g></readPoint><ex:f>1</ex:f>'), {
        ns: 'xmlns:ex="urn:ex"',
      }),
    ).valid,
  );
  // TransactionEvent requires its bizTransactionList; AssociationEvent its parentID.
  assert.match(
    first(
      doc(
        '<TransactionEvent><eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>ADD</action></TransactionEvent>',
      ),
    ).message,
    /Element 'action': This element is not expected\. Expected is one of \( eventID, errorDeclaration, certificationInfo, baseExtension, bizTransactionList \)/,
  );
  assert.match(
    first(
      doc(
        '<AssociationEvent><eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>ADD</action></AssociationEvent>',
      ),
    ).message,
    /Expected is one of \( eventID, errorDeclaration, certificationInfo, baseExtension, parentID \)/,
  );
});

test('EPCIS 1.2 differences: epcList required, no certificationInfo, 2.0 fields only in extension positions', () => {
  const v1 = { v: '1', attrs: 'schemaVersion="1.2" creationDate="2024-03-01T10:00:00Z"' };
  assert.match(
    first(doc(OBJ('<action>ADD</action>'), v1)).message,
    /Element 'action': This element is not expected\. Expected is one of \( baseExtension, epcList \)/,
  );
  assert.equal(
    first(doc(OBJ('<epcList/><action>ADD</action><certificationInfo>x</certificationInfo>'), v1)).code,
    XSD_CODES.unexpected,
  );
  assert.ok(
    validateEpcisXml(
      doc(
        OBJ(
          '<epcList/><action>ADD</action><extension><extension><certificationInfo>x</certificationInfo></extension></extension>',
        ),
        v1,
      ),
    ).valid,
  );
  assert.equal(first(doc('<AssociationEvent/>', v1)).code, XSD_CODES.unexpected);
});

test('values: enumerations, DateTimeStamp, numbers, booleans', () => {
  assert.equal(
    first(doc(OBJ('<action>add</action>'))).message,
    "Element 'action': [facet 'enumeration'] The value 'add' is not an element of the set {'ADD', 'OBSERVE', 'DELETE'}.",
  );
  assert.match(
    first(
      doc(
        OBJ(
          '<action>ADD</action>',
          '<eventTime>2024-03-01T09:00:00</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>',
        ),
      ),
    ).message,
    /^Element 'eventTime': \[facet 'pattern'\] The value '2024-03-01T09:00:00' is not accepted by the pattern '\(\[0-9\]\{4\}\)/,
  );
  assert.match(
    first(
      doc(
        OBJ(
          '<action>ADD</action>',
          '<eventTime>2023-02-29T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>',
        ),
      ),
    ).message,
    /not a valid value of the atomic type '\{urn:epcglobal:epcis:xsd:2\}DateTimeStamp'/,
  );
  assert.match(
    first(
      doc(
        OBJ(
          '<action>ADD</action><quantityList><quantityElement><epcClass>urn:x</epcClass><quantity>1,5</quantity></quantityElement></quantityList>',
        ),
      ),
    ).message,
    /Element 'quantity': '1,5' is not a valid value of the atomic type 'xs:decimal'/,
  );
  assert.ok(
    validateEpcisXml(
      doc(
        OBJ(
          '<action>ADD</action><quantityList><quantityElement><epcClass>urn:x</epcClass><quantity xsi:nil="true"/></quantityElement></quantityList>',
        ),
        { ns: 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' },
      ),
    ).valid,
  );
  assert.match(
    first(
      doc(
        OBJ(
          '<action>OBSERVE</action><sensorElementList><sensorElement><sensorReport value="warm" booleanValue="yes"/></sensorElement></sensorElementList>',
        ),
      ),
    ).message,
    /Element 'sensorReport', attribute 'value': 'warm' is not a valid value of the atomic type 'xs:double'/,
  );
});

test('attributes: required ones, undeclared ones, xsi:type resolution on extensions', () => {
  assert.deepEqual(first(doc(OBJ('<action>ADD</action>'), { attrs: 'schemaVersion="2.0"' })), {
    code: XSD_CODES.attributeRequired,
    line: 1,
    message: `Element '{${E2}}EPCISDocument': The attribute 'creationDate' is required but missing.`,
  });
  assert.equal(
    first(doc(OBJ('<action>ADD</action><sourceList><source>urn:x</source></sourceList>'))).code,
    XSD_CODES.attributeRequired,
  );
  assert.equal(
    first(
      doc(
        OBJ(
          '<action>ADD</action><bizTransactionList><bizTransaction kind="po">urn:x</bizTransaction></bizTransactionList>',
        ),
      ),
    ).code,
    XSD_CODES.attributeNotAllowed,
  );
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ex="urn:ex"';
  assert.equal(
    first(doc(OBJ('<action>ADD</action><ex:n xsi:type="xsd:integer">1</ex:n>'), { ns: xsi })).code,
    XSD_CODES.xsiType,
  );
  assert.match(
    first(
      doc(OBJ('<action>ADD</action><ex:n xsi:type="xsd:integer">one</ex:n>'), {
        ns: `${xsi} xmlns:xsd="http://www.w3.org/2001/XMLSchema"`,
      }),
    ).message,
    /Element '\{urn:ex\}n': 'one' is not a valid value of the atomic type 'xs:integer'/,
  );
  assert.ok(
    validateEpcisXml(
      doc(OBJ('<action>ADD</action><ex:n xsi:type="xsd:integer"> 1 </ex:n><ex:o><ex:p>free</ex:p></ex:o>'), {
        ns: `${xsi} xmlns:xsd="http://www.w3.org/2001/XMLSchema"`,
      }),
    ).valid,
  );
});

test('text where only elements belong; the root must be a document element', () => {
  assert.equal(first(doc(OBJ('<action>ADD</action>stray text'))).code, XSD_CODES.text);
  const bare = validateEpcisXml('<ObjectEvent/>');
  assert.equal(bare.problems[0]!.code, XSD_CODES.noRoot);
  assert.equal(
    validateEpcisXml(`<epcis:ObjectEvent xmlns:epcis="${E2}"/>`).problems[0]!.code,
    XSD_CODES.noRoot,
  );
});

test('headers and query documents', () => {
  const sbdh = (inner: string) =>
    `<EPCISHeader><sbdh:StandardBusinessDocumentHeader xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">${inner}</sbdh:StandardBusinessDocumentHeader></EPCISHeader>`;
  const ok = sbdh(
    '<sbdh:HeaderVersion>1.0</sbdh:HeaderVersion><sbdh:Sender><sbdh:Identifier Authority="GS1">a</sbdh:Identifier></sbdh:Sender><sbdh:Receiver><sbdh:Identifier>b</sbdh:Identifier></sbdh:Receiver>' +
      '<sbdh:DocumentIdentification><sbdh:Standard>EPCglobal</sbdh:Standard><sbdh:TypeVersion>1.0</sbdh:TypeVersion><sbdh:InstanceIdentifier>1</sbdh:InstanceIdentifier><sbdh:Type>Events</sbdh:Type><sbdh:CreationDateAndTime>2024-03-01T10:00:00Z</sbdh:CreationDateAndTime></sbdh:DocumentIdentification>',
  );
  assert.ok(validateEpcisXml(doc('', { header: ok })).valid);
  assert.match(
    first(doc('', { header: ok.replace(/<sbdh:Receiver>.*?<\/sbdh:Receiver>/, '') })).message,
    /Expected is one of \( \{http:\/\/www\.unece\.org\/cefact\/namespaces\/StandardBusinessDocumentHeader\}Sender, \{[^}]+\}Receiver \)/,
  );
  // 1.2 requires the SBDH in a header; 2.0 does not.
  assert.ok(validateEpcisXml(doc('', { header: '<EPCISHeader/>' })).valid);
  assert.equal(
    first(
      doc('', {
        v: '1',
        attrs: 'schemaVersion="1.2" creationDate="2024-03-01T10:00:00Z"',
        header: '<EPCISHeader/>',
      }),
    ).code,
    XSD_CODES.missing,
  );
  const q = (body: string) =>
    `<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z"><EPCISBody>${body}</EPCISBody></q:EPCISQueryDocument>`;
  assert.ok(
    validateEpcisXml(
      q(
        '<q:QueryResults><queryName>SimpleEventQuery</queryName><resultsBody><EventList/></resultsBody></q:QueryResults>',
      ),
    ).valid,
  );
  assert.equal(
    first(
      q(
        '<QueryResults><queryName>SimpleEventQuery</queryName><resultsBody><EventList/></resultsBody></QueryResults>',
      ),
    ).code,
    XSD_CODES.unexpected,
  );
  assert.equal(
    first(q('<q:Poll><params/></q:Poll>')).message,
    "Element 'params': This element is not expected. Expected is ( queryName ).",
  );
  assert.equal(
    first(
      q(
        '<q:Poll><queryName>SimpleEventQuery</queryName><params><param><name>x</name></param></params></q:Poll>',
      ),
    ).message,
    "Element 'param': Missing child element(s). Expected is ( value ).",
  );
});

test("xs:dateTime lexical space, and libxml2's white-space handling of it", () => {
  for (const ok of [
    '2024-02-29T23:59:59Z',
    '2024-03-01T09:00:00.123456+14:00',
    '-0044-03-15T12:00:00',
    '12024-01-01T00:00:00-13:59',
  ])
    assert.ok(isXsdDateTime(ok), ok);
  for (const bad of [
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00Z',
    '2024-01-01T00:00:00+14:30',
    '24-01-01T00:00:00Z',
    '2024-01-01 00:00:00Z',
  ])
    assert.ok(!isXsdDateTime(bad), bad);
  assert.equal(checkSimpleValue(XS.dateTime, '2024-01-01T00:00:00Z\n  '), null);
  assert.match(
    checkSimpleValue(XS.dateTime, '\n  2024-01-01T00:00:00Z') ?? '',
    /not a valid value of the atomic type 'xs:dateTime'/,
  );
  assert.equal(checkSimpleValue(XS.boolean, ' true '), null);
  assert.equal(
    checkSimpleValue(XS.hexBinary, 'f0F'),
    "'f0F' is not a valid value of the atomic type 'xs:hexBinary'.",
  );
  assert.equal(checkSimpleValue(XS.double, '-INF'), null);
  assert.notEqual(checkSimpleValue(XS.int, '2147483648'), null);
});
