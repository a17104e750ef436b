import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasValidCheckDigit } from '@rxtrace/gs1';
import type { EPCISAnyDocument, EPCISEvent } from '../model.ts';
import { collectEpcisDocument, readEpcisDocument } from '../read.ts';
import { validateEpcisJson } from '../validate/index.ts';
import {
  countGenerated,
  type GenerateOptions,
  generateEpcisEvents,
  generateEpcisHeader,
  generateEpcisJson,
  generateEpcisJsonChunks,
  generateEpcisJsonParts,
  generateEpcisXml,
  generateEpcisXmlChunks,
  SeededRandom,
} from './generate.ts';

const eventsOf = (doc: EPCISAnyDocument): EPCISEvent[] =>
  doc.type === 'EPCISQueryDocument'
    ? doc.epcisBody.queryResults.resultsBody.eventList
    : doc.epcisBody.eventList;

describe('generated EPCIS documents', () => {
  test('the same options give the same document; another seed another one', () => {
    const a = generateEpcisJson({ seed: 42, casesPerPallet: 2 });
    assert.equal(generateEpcisJson({ seed: 42, casesPerPallet: 2 }), a);
    assert.notEqual(generateEpcisJson({ seed: 43, casesPerPallet: 2 }), a);
    const r = new SeededRandom(5);
    const xs = Array.from({ length: 1000 }, () => r.int(10));
    assert.ok(xs.every((x) => x >= 0 && x < 10));
    assert.ok(new Set(xs).size === 10);
    assert.match(
      r.uuidUrn(),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('valid against the EPCIS JSON Schema and rules, in every shape', () => {
    const shapes: GenerateOptions[] = [
      {},
      { epcFormat: 'dl', pallets: 2 },
      { documentType: 'EPCISQueryDocument' },
      { headerPosition: 'after', pretty: true },
      { headerPosition: 'split', unicode: false, masterData: false },
    ];
    for (const o of shapes) {
      const report = validateEpcisJson(JSON.parse(generateEpcisJson(o)));
      assert.ok(report.valid, `${JSON.stringify(o)}: ${JSON.stringify(report.problems.slice(0, 3))}`);
    }
  });

  test('a pharma flow: commissioning with ILMD, packing into SSCC cases and pallets, shipping and receiving', () => {
    const o: GenerateOptions = { seed: 3, pallets: 2, casesPerPallet: 3, itemsPerCase: 4 };
    const doc = JSON.parse(generateEpcisJson(o)) as EPCISAnyDocument;
    const events = eventsOf(doc);
    const counts = countGenerated(o);
    assert.equal(events.length, counts.events);
    assert.equal(
      events.reduce((n, e) => n + (e.epcList?.length ?? 0) + (e.childEPCs?.length ?? 0), 0),
      counts.epcs,
    );
    const commissioned = new Set<string>();
    const cases = new Set<string>();
    let last = '';
    for (const e of events) {
      assert.ok(
        e.eventTime > last || e.eventTimeZoneOffset !== events[0]?.eventTimeZoneOffset,
        'time moves on',
      );
      if (e.eventTimeZoneOffset === events[0]?.eventTimeZoneOffset) last = e.eventTime;
      assert.match(e.eventID ?? '', /^urn:uuid:/);
      if (e.bizStep === 'commissioning') {
        assert.equal(e.type, 'ObjectEvent');
        assert.equal(e.action, 'ADD');
        assert.match(String(e.ilmd?.['cbvmda:lotNumber']), /^L\d\d[A-Z]\d{3}$/);
        assert.match(String(e.ilmd?.['cbvmda:itemExpirationDate']), /^\d{4}-\d\d-\d\d$/);
        for (const epc of e.epcList ?? []) {
          assert.match(epc, /^urn:epc:id:sgtin:\d{7}\.\d{6}\.[0-9A-Z]{10}$/);
          assert.ok(!commissioned.has(epc), `serial ${epc} repeats`);
          commissioned.add(epc);
        }
      } else if (e.type === 'AggregationEvent') {
        assert.equal(e.bizStep, 'packing');
        assert.match(e.parentID ?? '', /^urn:epc:id:sscc:\d{7}\.\d{10}$/);
        const children = e.childEPCs ?? [];
        if (children[0]?.includes('sgtin')) {
          for (const c of children) assert.ok(commissioned.has(c), 'packs are commissioned before packing');
          cases.add(e.parentID as string);
        } else for (const c of children) assert.ok(cases.has(c), 'cases are packed before the pallet');
      } else if (e.bizStep === 'shipping' || e.bizStep === 'receiving') {
        assert.deepEqual(
          e.bizTransactionList?.map((b) => b.type),
          ['po', 'desadv', 'inv'],
        );
        assert.deepEqual(
          e.sourceList?.map((x) => x.type),
          ['owning_party', 'location'],
        );
        assert.deepEqual(
          e.destinationList?.map((x) => x.type),
          ['owning_party', 'location'],
        );
        assert.equal(e.disposition, e.bizStep === 'shipping' ? 'in_transit' : 'in_progress');
      } else assert.fail(`unexpected event ${JSON.stringify(e)}`);
    }
    assert.equal(commissioned.size, 2 * 3 * 4);
  });

  test('Digital Link identifiers carry correct check digits', () => {
    const doc = JSON.parse(
      generateEpcisJson({ epcFormat: 'dl', casesPerPallet: 2, itemsPerCase: 3 }),
    ) as EPCISAnyDocument;
    let n = 0;
    for (const e of eventsOf(doc)) {
      for (const id of [
        ...(e.epcList ?? []),
        ...(e.childEPCs ?? []),
        ...(e.parentID ? [e.parentID] : []),
        e.readPoint?.id ?? '',
      ]) {
        const m = /^https:\/\/id\.gs1\.org\/(01|00|414)\/(\d+)/.exec(id);
        if (!m) continue;
        assert.ok(hasValidCheckDigit(m[2] as string), id);
        n++;
      }
    }
    assert.ok(n > 10);
  });

  test('header positions, pretty text and the parts', () => {
    const o: GenerateOptions = { casesPerPallet: 1, itemsPerCase: 2 };
    const compact = JSON.parse(generateEpcisJson(o));
    assert.deepEqual(JSON.parse(generateEpcisJson({ ...o, pretty: true })), compact);
    assert.deepEqual(JSON.parse(generateEpcisJson({ ...o, headerPosition: 'after' })), compact);
    assert.deepEqual(Object.keys(JSON.parse(generateEpcisJson({ ...o, headerPosition: 'after' }))), [
      '@context',
      'type',
      'epcisBody',
      'schemaVersion',
      'creationDate',
      'instanceIdentifier',
      'epcisHeader',
    ]);
    assert.deepEqual(Object.keys(generateEpcisHeader(o)), [
      '@context',
      'type',
      'schemaVersion',
      'creationDate',
      'instanceIdentifier',
      'epcisHeader',
      'epcisBody',
    ]);
    const parts = [...generateEpcisJsonParts(o)];
    assert.equal(parts.length, countGenerated(o).events + 2);
    assert.deepEqual([...generateEpcisEvents(o)], eventsOf(compact));
    const empty = JSON.parse(
      generateEpcisJson({
        ...o,
        steps: { commissioning: false, packing: false, shipping: false, receiving: false },
        pretty: true,
      }),
    );
    assert.deepEqual(empty.epcisBody.eventList, []);
  });

  test('chunks have the requested size and join to the text', async () => {
    const o: GenerateOptions = { casesPerPallet: 2, itemsPerCase: 5 };
    const text = generateEpcisJson(o);
    for (const chunkSize of [1, 7, 1000]) {
      const bytes: Uint8Array[] = [];
      for await (const c of generateEpcisJsonChunks(o, { chunkSize })) bytes.push(c as Uint8Array);
      assert.ok(bytes.slice(0, -1).every((b) => b.length === chunkSize));
      assert.equal(Buffer.concat(bytes).toString('utf8'), text);
      const strings: string[] = [];
      for await (const c of generateEpcisJsonChunks(o, { chunkSize, strings: true }))
        strings.push(c as string);
      assert.ok(strings.slice(0, -1).every((s) => s.length === chunkSize));
      assert.equal(strings.join(''), text);
    }
  });
});

describe('generated EPCIS XML', () => {
  test('the XML has the same events as the JSON, whole and in batches', async () => {
    const o: GenerateOptions = { pallets: 2, casesPerPallet: 3, itemsPerCase: 4 };
    const json = JSON.parse(generateEpcisJson(o)) as EPCISAnyDocument;
    const whole = await collectEpcisDocument(readEpcisDocument([generateEpcisXml(o)]));
    assert.ok(whole.ok, JSON.stringify(!whole.ok && whole.errors));
    assert.equal(eventsOf(whole.value).length, eventsOf(json).length);
    assert.deepEqual(
      eventsOf(whole.value).map((e) => e.epcList ?? e.childEPCs),
      eventsOf(json).map((e) => e.epcList ?? e.childEPCs),
    );
    const streamed = await collectEpcisDocument(
      readEpcisDocument(generateEpcisXmlChunks(o, { batch: 3 }, { chunkSize: 999 })),
    );
    assert.ok(streamed.ok, JSON.stringify(!streamed.ok && streamed.errors));
    assert.deepEqual(eventsOf(streamed.value), eventsOf(whole.value));
  });
});
