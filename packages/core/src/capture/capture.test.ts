/**
 * The capture pipeline on a real SQLite store (temporary file): streaming, batching, atomicity,
 * hashes equal to whole-document hashing, failures of the source and of the store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventHashId, eventsOf, hashContextForXml, parseEpcisXml } from '@rxtrace/epcis';
import { countGenerated, generateEpcisJsonChunks } from '@rxtrace/epcis/testing';
import type { Store } from '@rxtrace/store';
// The SQLite store is not (yet) exported by the @rxtrace/store index: taken from its folder.
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { CaptureService } from './service.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-capture-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function freshStore(): Promise<Store> {
  const store = await openSqliteStore({ file: join(dir, `s${n++}.db`) });
  await store.migrate();
  return store;
}

function ev(serial: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T09:00:00.5+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [`urn:epc:id:sgtin:9506000.013437.${serial}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    ...extra,
  };
}
function doc(events: unknown[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    epcisBody: { eventList: events },
  });
}

test('a generated pharma document streamed in small chunks, header members after the event list: one unit, every event stored', async () => {
  const store = await freshStore();
  const o = { pallets: 3, casesPerPallet: 4, itemsPerCase: 10, headerPosition: 'after' as const };
  const expected = countGenerated(o).events;
  const out = await new CaptureService(store).capture({
    body: generateEpcisJsonChunks(o, { chunkSize: 997 }),
  });
  assert.equal(out.job.success, true, JSON.stringify(out.job.errors));
  assert.deepEqual([out.eventsRead, out.stored, out.duplicates], [expected, expected, 0]);
  assert.equal(await store.countEvents(), expected);
  const job = await store.getCaptureJob(out.job.captureId);
  assert.deepEqual([job?.running, job?.success, job?.eventCount], [false, true, expected]);
  // One unit of work: one recordTime for all; times in UTC with milliseconds.
  const page = await store.queryEvents({}, { limit: 1000 });
  assert.equal(new Set(page.events.map((e) => e.recordTime)).size, 1);
  assert.ok(page.events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.eventTime)));
  // Master data from the header (it came after the event list).
  assert.ok((await store.getMasterData()).length > 0);
  await store.close();
});

test('proceed: batches of N are written as they come; an invalid event is reported, the rest stored', async () => {
  const store = await freshStore();
  const events = Array.from({ length: 10 }, (_, i) => ev(`P${i}`));
  delete events[7]!.action;
  const service = new CaptureService(store, { limits: { batchSize: 3 } });
  const out = await service.capture({ body: [doc(events)], errorBehaviour: 'proceed' });
  assert.deepEqual([out.job.success, out.stored, out.invalid], [false, 9, 1]);
  assert.equal(out.job.errors.length, 1);
  assert.equal(out.job.errors[0]!.eventIndex, 7);
  assert.equal(out.job.errors[0]!.pointer, '/epcisBody/eventList/7');
  assert.equal(out.rejected, undefined);
  assert.equal(await store.countEvents(), 9);
  const recordTimes = new Set((await store.queryEvents({}, { limit: 100 })).events.map((e) => e.recordTime));
  assert.ok(recordTimes.size >= 1);
  await store.close();
});

test('rollback: the source failing half-way (client gone) stores nothing; proceed keeps the batches written before', async () => {
  for (const behaviour of ['rollback', 'proceed'] as const) {
    const store = await freshStore();
    const text = doc(Array.from({ length: 8 }, (_, i) => ev(`F${i}`)));
    const cut = text.indexOf('F6');
    async function* broken() {
      yield text.slice(0, cut);
      throw new Error('aborted');
    }
    const out = await new CaptureService(store, { limits: { batchSize: 2 } }).capture({
      body: broken(),
      errorBehaviour: behaviour,
    });
    assert.equal(out.job.success, false);
    assert.match(out.job.errors[0]!.detail ?? '', /aborted/);
    const stored = await store.countEvents();
    if (behaviour === 'rollback') {
      assert.equal(stored, 0);
      assert.ok(out.rejected);
    } else {
      assert.ok(stored >= 4 && stored <= 6, `stored ${stored}`);
      assert.equal(out.stored, stored);
    }
    assert.equal((await store.getCaptureJob(out.job.captureId))?.running, false);
    await store.close();
  }
});

test('XML: a namespace declared on an event itself — the hash is the whole-document hash', async () => {
  const xml = `<?xml version="1.0"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-03-01T10:00:00Z"><EPCISBody><EventList>
<ObjectEvent xmlns:ex="https://example.com/ns/"><eventTime>2026-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:9506000.013437.N1</epc></epcList><action>OBSERVE</action><ex:temp>5</ex:temp></ObjectEvent>
<ObjectEvent><eventTime>2026-03-01T09:00:01Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:9506000.013437.N2</epc></epcList><action>OBSERVE</action></ObjectEvent>
</EventList></EPCISBody></epcis:EPCISDocument>`;
  const whole = parseEpcisXml(xml);
  assert.ok(whole.ok);
  const ctx = hashContextForXml(whole.namespaces, whole.value);
  const expected = eventsOf(whole.value).map((e) => eventHashId(e, ctx));
  const store = await freshStore();
  const out = await new CaptureService(store).capture({ body: [xml], contentType: 'application/xml' });
  assert.equal(out.job.success, true);
  const stored = (await store.queryEvents({}, { limit: 10 })).events;
  assert.deepEqual(stored.map((e) => e.hashId).sort(), [...expected].sort());
  const n1 = stored.find((e) => e.event['ex:temp'] !== undefined);
  assert.deepEqual(n1?.event['@context'], [{ ex: 'https://example.com/ns/' }]);
  await store.close();
});

test('a store that fails: the job fails with an ImplementationException and the document is refused', async () => {
  const store = await freshStore();
  const service = new CaptureService(store);
  await store.close();
  const out = await service.capture({ body: [doc([ev('X1')])] });
  assert.equal(out.job.success, false);
  assert.equal(out.rejected?.type, 'epcisException:ImplementationException');
  assert.equal(out.rejected?.status, 500);
});
