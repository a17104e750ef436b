import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CBV_KINDS, cbvTerms } from '../cbv.ts';
import { toCanonicalDigitalLink } from '../identifiers.ts';
import {
  documentEventHashIds,
  eventHashId,
  eventPreHash,
  hashContext,
  hashContextForXml,
  hashIdOfPreHash,
  resolveHashContext,
} from './index.ts';
import { canonicalNumberText, canonicalValue, numberText, sgtinRun, utcMillisTimestamp } from './values.ts';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];
const ctx = hashContext({ '@context': CONTEXT });

/** A shipping ObjectEvent as a pharma wholesaler would send it. */
function shipping(): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T10:15:30.125+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234', 'example:dock': '4' },
    bizTransactionList: [
      { type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
      { type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
    ],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00001' }],
    destinationList: [{ type: 'owning_party', destination: 'https://id.gs1.org/417/4012345000009' }],
    'example:temperature': 4.0,
  };
}

const hash = (e: Record<string, unknown>, c = ctx) => eventHashId(e, c);

test('the pre-hash string of a typical shipping event', () => {
  assert.equal(
    eventPreHash(shipping(), ctx),
    'eventType=ObjectEventeventTime=2024-03-01T09:15:30.125ZeventTimeZoneOffset=+01:00' +
      'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018' +
      'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
      'readPointid=https://id.gs1.org/414/0614141073467/254/1234{https://ns.example.com/epcis/}dock=4' +
      'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=urn:epcglobal:cbv:bt:0614141073467:1152' +
      'type=https://ref.gs1.org/cbv/BTT-pobizTransaction=http://transaction.acme.com/po/12345678' +
      'destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/4012345000009' +
      'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/0614141000012' +
      '{https://ns.example.com/epcis/}temperature=4',
  );
  assert.match(hash(shipping()), /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
});

test('field order, list order and key order do not change the hash', () => {
  const a = shipping();
  const b: Record<string, unknown> = {};
  for (const k of Object.keys(a).reverse()) b[k] = a[k];
  b.epcList = [...(a.epcList as string[])].reverse();
  b.bizTransactionList = [...(a.bizTransactionList as object[])]
    .reverse()
    .map((m) => Object.fromEntries(Object.entries(m).reverse()));
  b.readPoint = { 'example:dock': '4', id: 'urn:epc:id:sgln:0614141.07346.1234' };
  assert.equal(hash(b), hash(a));
});

test('the same instant in another time zone, and other fraction digits, hash alike', () => {
  const base = hash(shipping());
  for (const t of [
    '2024-03-01T09:15:30.125Z',
    '2024-03-01T04:15:30.1250-05:00',
    '2024-03-01T18:15:30.125000+09:00',
    '2024-03-01T09:15:30.1249999Z',
  ]) {
    assert.equal(hash({ ...shipping(), eventTime: t }), base, t);
  }
  // eventTimeZoneOffset is data: another offset is another event.
  assert.notEqual(hash({ ...shipping(), eventTimeZoneOffset: '+02:00' }), base);
});

test('URN, Digital Link on another domain, and bare word / Web URI / CBV URN spellings hash alike', () => {
  const base = hash(shipping());
  const other = shipping();
  other.epcList = [
    'https://example.com/products/01/10614141073464/21/2018?linkType=all',
    'https://id.gs1.org/01/10614141073464/21/2017',
  ];
  other.readPoint = { id: 'https://id.gs1.org/414/0614141073467/254/1234', 'example:dock': 4 };
  other.bizStep = 'https://ref.gs1.org/cbv/BizStep-shipping';
  other.disposition = 'urn:epcglobal:cbv:disp:in_transit';
  other.bizTransactionList = [
    { type: 'https://ref.gs1.org/cbv/BTT-po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
    { type: 'urn:epcglobal:cbv:btt:desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
  ];
  other['example:temperature'] = '4.000';
  assert.equal(hash(other), base);
  // Another prefix for the same namespace is the same extension.
  const renamed = hashContext({ '@context': [CONTEXT[0]!, { ex: 'https://ns.example.com/epcis/' }] });
  const ex = shipping();
  delete ex['example:temperature'];
  ex['ex:temperature'] = 4;
  ex.readPoint = { id: 'urn:epc:id:sgln:0614141.07346.1234', 'ex:dock': '4' };
  assert.equal(hash(ex, renamed), base);
});

test('recordTime, eventID, errorDeclaration and comments are not hashed', () => {
  const base = hash(shipping());
  const e = {
    ...shipping(),
    recordTime: '2024-03-01T09:20:00Z',
    eventID: 'urn:uuid:6e4b1f7c-4c53-4b3b-8f0a-2b0c2b1d7f11',
    errorDeclaration: { declarationTime: '2024-03-02T09:00:00Z', reason: 'incorrect_data' },
    'rdfs:comment': 'a note',
    comment: 'another note',
  };
  assert.equal(hash(e), base);
});

test('a real change gives another hash', () => {
  const base = hash(shipping());
  const changes: [string, (e: Record<string, unknown>) => void][] = [
    ['serial', (e) => ((e.epcList as string[])[0] = 'urn:epc:id:sgtin:0614141.107346.2019')],
    ['one EPC fewer', (e) => (e.epcList as string[]).pop()],
    ['bizStep', (e) => (e.bizStep = 'receiving')],
    ['disposition', (e) => (e.disposition = 'in_progress')],
    ['action', (e) => (e.action = 'ADD')],
    ['read point', (e) => (e.readPoint = { id: 'urn:epc:id:sgln:0614141.07346.1235', 'example:dock': '4' })],
    ['time', (e) => (e.eventTime = '2024-03-01T10:15:30.126+01:00')],
    ['extension value', (e) => (e['example:temperature'] = 5)],
    ['transaction type', (e) => ((e.bizTransactionList as { type: string }[])[0]!.type = 'inv')],
    ['ILMD', (e) => (e.ilmd = { 'example:lot': 'L1' })],
    ['event type', (e) => (e.type = 'TransactionEvent')],
  ];
  const seen = new Set([base]);
  for (const [what, change] of changes) {
    const e = shipping();
    change(e);
    const h = hash(e);
    assert.ok(!seen.has(h), what);
    seen.add(h);
  }
});

test('quantities, ILMD and sensor data', () => {
  const e = {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T08:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'ADD',
    bizStep: 'commissioning',
    quantityList: [
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' },
      { epcClass: 'urn:epc:idpat:sgtin:4012345.012345.*', quantity: 12.5 },
    ],
    ilmd: { 'example:bestBefore': '2026-01-31', 'example:grade': { 'example:b': 2, 'example:a': '1' } },
    sensorElementList: [
      {
        sensorMetadata: { time: '2024-03-01T07:59:00.0005+00:00', deviceID: 'urn:epc:id:giai:4000001.111' },
        sensorReport: [
          { type: 'Temperature', value: 4.5, uom: 'CEL', component: 'x' },
          { type: 'RelativeHumidity', value: 40, uom: 'A93', exception: 'ALARM_CONDITION' },
        ],
      },
    ],
  };
  assert.equal(
    eventPreHash(e, ctx),
    'eventType=ObjectEventeventTime=2024-03-01T08:00:00.000ZeventTimeZoneOffset=+00:00' +
      'quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=200uom=KGM' +
      'quantityElementepcClass=https://id.gs1.org/01/04012345123456quantity=12.5' +
      'action=ADDbizStep=https://ref.gs1.org/cbv/BizStep-commissioning' +
      'sensorElementListsensorElementsensorMetadatatime=2024-03-01T07:59:00.000ZdeviceID=https://id.gs1.org/8004/4000001111' +
      'sensorReporttype=https://gs1.org/voc/RelativeHumidityexception=https://gs1.org/voc/ALARM_CONDITIONvalue=40uom=A93' +
      'sensorReporttype=https://gs1.org/voc/Temperaturevalue=4.5component=https://ref.gs1.org/cbv/Comp-xuom=CEL' +
      'ilmd{https://ns.example.com/epcis/}bestBefore=2026-01-31{https://ns.example.com/epcis/}grade{https://ns.example.com/epcis/}a=1{https://ns.example.com/epcis/}b=2',
  );
});

test('the reference tree walk: nested extensions need a namespace ending in /, unknown sensor fields come back later', () => {
  const c = hashContext({ '@context': [CONTEXT[0]!, { a: 'https://a.example/', b: 'http://b.example/ns' }] });
  const e = {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T08:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    readPoint: { id: 'geo:47.5,11.1', 'a:x': '1', 'b:y': '2' },
    sensorElementList: [{ sensorReport: [{ type: 'Speed', value: 1, bizRules: 'https://example.org/r' }] }],
  };
  assert.equal(
    eventPreHash(e, c),
    'eventType=ObjectEventeventTime=2024-03-01T08:00:00.000ZeventTimeZoneOffset=+00:00action=OBSERVE' +
      'readPointid=geo:47.5,11.1{https://a.example/}x=1' +
      'sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Speedvalue=1' +
      'readPoint{http://b.example/ns}y=2' +
      'sensorElementListsensorElementsensorReportbizRules=https://example.org/r',
  );
});

test('document-level ignoreFields (namespace https://repository-x.example.com/)', () => {
  const doc = {
    '@context': [
      CONTEXT[0]!,
      { example: 'https://ns.example.com/epcis/', rx: 'https://repository-x.example.com/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-01T09:00:00Z',
    'rx:ignoreFields': ['rx:hash', 'example:captureID'],
    epcisBody: {
      eventList: [
        { ...shipping(), 'rx:hash': 'ni:///sha-256;00?ver=CBV2.0', 'example:captureID': 'c-1' },
        shipping(),
      ],
    },
  };
  const [a, b] = documentEventHashIds(doc as never);
  assert.equal(a, b);
  assert.equal(a, hash(shipping()));
});

test('XML documents: only gs1: and cbv: values expand, extension lists keep their elements', () => {
  const ns = { example: 'https://ns.example.com/epcis/' };
  const x = hashContextForXml(ns);
  const e = {
    type: 'ObjectEvent',
    eventTime: '2024-03-01T08:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    bizStep: 'cbv:BizStep-inspecting',
    sensorElementList: [
      { sensorReport: [{ type: 'gs1:MT-Temperature', component: 'example:x', booleanValue: true }] },
    ],
    'example:partList': { 'example:part': ['b', 'a'] },
  };
  assert.equal(
    eventPreHash(e, x),
    'eventType=ObjectEventeventTime=2024-03-01T08:00:00.000ZeventTimeZoneOffset=+00:00action=OBSERVE' +
      'bizStep=https://ref.gs1.org/cbv/BizStep-inspecting' +
      'sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/MT-Temperaturecomponent=example:xbooleanValue=true' +
      '{https://ns.example.com/epcis/}partList{https://ns.example.com/epcis/}part=a{https://ns.example.com/epcis/}part=b',
  );
  // In JSON-LD a declared prefix expands in values too.
  assert.match(
    eventPreHash(e, resolveHashContext({ namespaces: ns })),
    /component=https:\/\/ns\.example\.com\/epcis\/x/,
  );
});

test('timestamps: UTC, milliseconds rounded half to even, extra digits cut', () => {
  assert.equal(utcMillisTimestamp('2020-03-04T11:00:30+01:00'), '2020-03-04T10:00:30.000Z');
  assert.equal(utcMillisTimestamp('2005-04-03T20:33:31.116000-06:00'), '2005-04-04T02:33:31.116Z');
  assert.equal(utcMillisTimestamp('2019-01-01T00:00:00.1425Z'), '2019-01-01T00:00:00.142Z');
  assert.equal(utcMillisTimestamp('2019-01-01T00:00:00.1415Z'), '2019-01-01T00:00:00.142Z');
  assert.equal(utcMillisTimestamp('2019-01-01T00:00:00.1435Z'), '2019-01-01T00:00:00.144Z');
  assert.equal(utcMillisTimestamp('2019-01-01T00:00:00.14250009Z'), '2019-01-01T00:00:00.142Z');
  assert.equal(utcMillisTimestamp('2019-12-31T23:59:59.9996Z'), '2020-01-01T00:00:00.000Z');
  assert.equal(utcMillisTimestamp('2019-02-29T00:00:00Z'), undefined);
  assert.equal(utcMillisTimestamp('2019-10-21T14:45:00+0100'), '2019-10-21T13:45:00.000Z');
  assert.equal(utcMillisTimestamp('yesterday'), undefined);
});

test('numbers: as Python prints the double', () => {
  const cases: [string, string][] = [
    ['1.0', '1'],
    ['0.34340', '0.3434'],
    ['1e3', '1000'],
    ['+5', '5'],
    ['007', '7'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1_000', '1000'],
    ['0.00001', '1e-05'],
    ['1.5e-7', '1.5e-07'],
    ['0.0001', '0.0001'],
    ['-0', '0'],
    ['12345678901234567890', '12345678901234567168'],
    ['1e22', '10000000000000000000000'],
    ['1e400', '1e400'],
    ['nan', 'nan'],
    ['1.2.3', '1.2.3'],
    ['4012345', '4012345'],
  ];
  for (const [text, want] of cases) assert.equal(canonicalNumberText(text), want, text);
  assert.equal(numberText(26.0), '26');
  assert.equal(numberText(0.1), '0.1');
  assert.equal(numberText(1e-7), '1e-07');
});

test('the hash ID format and the other RFC 6920 algorithms', () => {
  assert.equal(
    hashIdOfPreHash(''),
    'ni:///sha-256;e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855?ver=CBV2.0',
  );
  assert.match(hashIdOfPreHash('x', 'sha3-256'), /^ni:\/\/\/sha3-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  assert.match(hashIdOfPreHash('x', 'sha-384'), /^ni:\/\/\/sha-384;[0-9a-f]{96}\?ver=CBV2\.0$/);
  assert.match(hashIdOfPreHash('x', 'sha-512'), /^ni:\/\/\/sha-512;[0-9a-f]{128}\?ver=CBV2\.0$/);
});

test('every standard CBV Web URI is its own canonical value (bare words skip canonicalisation)', () => {
  let n = 0;
  for (const kind of CBV_KINDS) {
    for (const t of cbvTerms(kind)) {
      assert.equal(t.webUri.trim(), t.webUri, t.webUri);
      assert.equal(canonicalValue(t.webUri), t.webUri, t.webUri);
      n++;
    }
  }
  assert.ok(n > 100, `${n} terms`);
});

test("lists of one product's packs (sgtinRun) hash as their items one by one", () => {
  let seed = 4242;
  const rnd = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const CH = ['A', 'z', '7', '-', '.', '_', '~', '%2F', "'", ' ', 'é'];
  let odd = false; // whether this list's serials may hold characters that are not plain
  const serialOf = (): string =>
    Array.from(
      { length: 1 + rnd(odd && rnd(8) === 0 ? 24 : 12) },
      () => CH[rnd(odd && rnd(20) === 0 ? CH.length : 6)]!,
    ).join('');
  const heads = [
    ['urn:epc:id:sgtin:4012345.012345.', 'https://id.gs1.org/01/04012345123453/21/'],
    ['urn:epc:id:sgtin:401234567890.1.', 'https://id.gs1.org/01/14012345678903/21/'],
  ] as const;
  let runs = 0;
  for (let round = 0; round < 3000; round++) {
    const [urn, dl] = heads[rnd(2)]!;
    const form = rnd(4); // 0: URNs, 1: canonical DLs, 2: another domain (never a run), 3: mixed heads
    odd = rnd(4) === 0;
    const list: unknown[] = Array.from({ length: 2 + rnd(30) }, () => {
      const s = serialOf();
      if (form === 2) return `https://example.com/01/${dl.slice(22, 36)}/21/${s}`;
      if (form === 3 && rnd(5) === 0) return `${heads[rnd(2)]![rnd(2)]}${s}`;
      return `${form === 1 ? dl : urn}${s}`;
    });
    if (rnd(50) === 0) list[rnd(list.length)] = 42;
    const run = sgtinRun(list);
    if (run) {
      runs++;
      for (let i = 0; i < list.length; i++)
        assert.equal(run.head + run.serials[i], toCanonicalDigitalLink(list[i] as string), String(list[i]));
    }
    // The pre-hash string with the list as it is, and with the same EPCs written on another
    // domain (which no run takes): the same.
    const other = list.map((x) =>
      typeof x === 'string'
        ? (toCanonicalDigitalLink(x)?.replace('https://id.gs1.org/', 'https://example.com/') ?? x)
        : x,
    );
    const ev = (epcs: unknown[]) => ({
      type: 'ObjectEvent',
      eventTime: '2024-01-01T00:00:00Z',
      epcList: epcs,
      action: 'ADD',
    });
    assert.equal(
      eventPreHash(ev(list), ctx),
      eventPreHash(ev(other), ctx),
      JSON.stringify(list).slice(0, 300),
    );
  }
  assert.ok(runs > 500, `${runs} runs`);
  // A document prefix that could rewrite URNs: no run, values as the general path gives them.
  const urnPrefix = hashContext({ '@context': [{ urn: 'https://example.com/urn/' }] });
  const list = ['urn:epc:id:sgtin:4012345.012345.1', 'urn:epc:id:sgtin:4012345.012345.2'];
  assert.match(eventPreHash({ type: 'ObjectEvent', epcList: list }, urnPrefix), /example\.com\/urn\//);
});

test('a read point or location { id } hashes as any other object holding the same id', () => {
  for (const id of [
    'urn:epc:id:sgln:4012345.00001.0',
    'urn:epc:id:sgln:4012345.00001.12',
    'https://example.com/414/4012345000016',
    ' urn:epc:id:sgln:4012345.00001.0 ',
    '',
    'geo:47.5,11.1',
  ]) {
    const plain = { type: 'ObjectEvent', action: 'OBSERVE', readPoint: { id }, bizLocation: { id } };
    // A comment is left out, but sends the object through the general tree walk.
    const commented = {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      readPoint: { id, comment: 'dock 4' },
      bizLocation: { 'rdfs:comment': 'x', id },
    };
    assert.equal(eventPreHash(plain, ctx), eventPreHash(commented, ctx), id);
  }
});
