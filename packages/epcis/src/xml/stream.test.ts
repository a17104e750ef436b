import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EPCISEvent } from '../model.ts';
import type { EpcisReadItem } from '../read-items.ts';
import { parseEpcisXml } from './read.ts';
import { readEpcisXmlEvents } from './stream.ts';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="http://ns.example.com/x/" schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z">
  <EPCISHeader><extension><EPCISMasterData><VocabularyList>
    <Vocabulary type="urn:epcglobal:epcis:vtype:ReadPoint"><VocabularyElementList><VocabularyElement id="urn:epc:id:sgln:0614141.07346.1234"/></VocabularyElementList></Vocabulary>
  </VocabularyList></EPCISMasterData></extension></EPCISHeader>
  <EPCISBody><EventList>`;
const TAIL = `
  </EventList></EPCISBody>
</epcis:EPCISDocument>`;

function aggregation(i: number, children: number): string {
  let s = `
    <AggregationEvent>
      <eventTime>2024-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <parentID>urn:epc:id:sscc:0614141.${String(i).padStart(10, '0')}</parentID>
      <childEPCs>`;
  for (let c = 0; c < children; c++) s += `<epc>urn:epc:id:sgtin:0614141.107346.${i * children + c}</epc>`;
  return `${s}</childEPCs>
      <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:packing</bizStep><ex:line>${i % 7}</ex:line>
    </AggregationEvent>`;
}

async function collect(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<EpcisReadItem[]> {
  const out: EpcisReadItem[] = [];
  for await (const it of readEpcisXmlEvents(chunks)) out.push(it);
  return out;
}

function split(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

test('header first, then each event, then end — the same model as parseEpcisXml, whatever the chunking', async () => {
  const xml = HEAD + aggregation(1, 3) + aggregation(2, 2) + TAIL;
  const whole = parseEpcisXml(xml);
  assert.ok(whole.ok);
  for (const size of [1, 7, 64, 100_000]) {
    const items = await collect(split(xml, size));
    assert.deepEqual(
      items.map((i) => i.kind),
      ['header', 'event', 'event', 'end'],
    );
    const h = items[0]! as Extract<EpcisReadItem, { kind: 'header' }>;
    assert.equal(h.format, 'xml');
    assert.deepEqual(h.header.epcisBody, {});
    assert.equal(
      (h.header.epcisHeader as { epcisMasterData: { vocabularyList: unknown[] } }).epcisMasterData
        .vocabularyList.length,
      1,
    );
    const events = items.filter((i): i is Extract<EpcisReadItem, { kind: 'event' }> => i.kind === 'event');
    assert.deepEqual(
      events.map((e) => e.index),
      [0, 1],
    );
    assert.deepEqual(
      events.map((e) => e.event),
      (whole.value as { epcisBody: { eventList: EPCISEvent[] } }).epcisBody.eventList,
    );
    const end = items[3]! as Extract<EpcisReadItem, { kind: 'end' }>;
    assert.equal(end.eventCount, 2);
    assert.equal(end.bytes, Buffer.byteLength(xml));
    assert.deepEqual(end.header['@context'], (whole.value as { '@context': unknown })['@context']);
  }
});

test('bytes (UTF-8, split inside characters) give the same events as text', async () => {
  const xml = HEAD.replace('<EPCISHeader>', '<!-- é € 𝄞 --><EPCISHeader>') + aggregation(1, 2) + TAIL;
  const bytes = new TextEncoder().encode(xml);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
  const a = await collect(chunks);
  const b = await collect([xml]);
  assert.deepEqual(a, b);
});

test('the first problem ends the stream with one error item, after the events before it', async () => {
  const bad = aggregation(3, 1).replace('<action>ADD</action>', '<action>ADDED</action>');
  const items = await collect(
    split(HEAD + aggregation(1, 1) + aggregation(2, 1) + bad + aggregation(4, 1) + TAIL, 50),
  );
  assert.deepEqual(
    items.map((i) => i.kind),
    ['header', 'event', 'event', 'error'],
  );
  const err = (items[3] as Extract<EpcisReadItem, { kind: 'error' }>).error;
  assert.equal(err.code, 'RX_EPCIS_XSD_VALUE');
  assert.equal(err.eventIndex, 2);
  assert.ok(err.line! > 10);
  const broken = await collect([HEAD, aggregation(1, 1), '<AggregationEvent>']);
  assert.deepEqual(
    broken.map((i) => i.kind),
    ['header', 'event', 'error'],
  );
  assert.equal((broken[2] as Extract<EpcisReadItem, { kind: 'error' }>).error.code, 'RX_EPCIS_XML_TRUNCATED');
  const doctype = await collect(['<!DOCTYPE x [<!ENTITY a "b">]><x/>']);
  assert.equal((doctype[0] as Extract<EpcisReadItem, { kind: 'error' }>).error.code, 'RX_EPCIS_XML_DOCTYPE');
});

test('1,000 AggregationEvents × 1,000 childEPCs (1,000,000 EPCs) stream in 64 KiB chunks with bounded memory', async (t) => {
  const EVENTS = 1000;
  const CHILDREN = 1000;
  const CHUNK = 64 * 1024;
  let produced = 0;
  // The document is generated while it is read: it never exists as a whole.
  async function* source(): AsyncGenerator<Uint8Array> {
    const enc = new TextEncoder();
    let pending = HEAD;
    for (let i = 0; i <= EVENTS; i++) {
      pending += i < EVENTS ? aggregation(i, CHILDREN) : TAIL;
      while (pending.length >= CHUNK || (i === EVENTS && pending.length > 0)) {
        const piece = pending.slice(0, CHUNK);
        pending = pending.slice(piece.length);
        const b = enc.encode(piece);
        produced += b.length;
        yield b;
      }
    }
  }
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  let events = 0;
  let epcs = 0;
  const t0 = performance.now();
  for await (const item of readEpcisXmlEvents(source())) {
    if (item.kind === 'error') assert.fail(item.error.message);
    if (item.kind !== 'event') continue;
    events++;
    epcs += item.event.childEPCs!.length;
    if (events % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - t0;
  assert.equal(events, EVENTS);
  assert.equal(epcs, EVENTS * CHILDREN);
  assert.ok(produced > 45_000_000, `document of ${produced} bytes`);
  const mb = (n: number) => Math.round(n / 2 ** 20);
  assert.ok(
    peak < 256 * 2 ** 20,
    `peak RSS ${mb(peak)} MB (start ${mb(base)} MB) must stay well under 256 MB`,
  );
  assert.ok(
    peak - base < 160 * 2 ** 20,
    `RSS grew by ${mb(peak - base)} MB while streaming ${mb(produced)} MB`,
  );
  t.diagnostic(
    `streamed ${mb(produced)} MB, ${EVENTS} events, ${epcs} EPCs in ${Math.round(ms)} ms; RSS ${mb(base)} → peak ${mb(peak)} MB`,
  );
});
