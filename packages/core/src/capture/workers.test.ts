/**
 * Capture workers against in-process capture, on real SQLite files: the same documents must leave
 * the same events, jobs, pack state and answers — valid documents in rollback and proceed mode
 * (several units), an invalid event (nothing stored), duplicates, XML, and a source that fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateEpcisJsonChunks } from '@rxtrace/epcis/testing';
import type { SqliteStore } from '@rxtrace/store';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { CaptureService } from './service.ts';
import { CaptureWorkers } from './workers.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-workers-'));
const workers = new CaptureWorkers({ size: 1, timeoutMs: 20_000 });
before(() => workers.started());
after(async () => {
  await workers.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
async function freshStore(): Promise<SqliteStore> {
  const store = await openSqliteStore({ file: join(dir, `s${n++}.db`) });
  await store.migrate();
  return store;
}

async function* stream(text: string, size = 4096): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function* failing(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text.slice(0, Math.floor(text.length / 2)), 'utf8');
  throw new Error('connection reset by peer');
}

async function textOf(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) {
  let s = '';
  for await (const c of chunks) s += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
  return s;
}

function ev(serial: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T09:00:00.5+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [`urn:epc:id:sgtin:9506000.013437.${serial}`],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ilmd: { 'cbvmda:lotNumber': 'L1' },
    ...extra,
  };
}
const doc = (events: unknown[]) =>
  JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    epcisBody: { eventList: events },
  });

/** What a store holds after a capture, without the parts that differ by run (times, job ids). */
async function contents(store: SqliteStore) {
  const page = await store.queryEvents({}, { limit: 10_000 });
  const events = page.events.map((e) => {
    const { recordTime: _r, ...rest } = e.event as unknown as Record<string, unknown>;
    return { hashId: e.hashId, eventId: e.eventId, event: rest };
  });
  const ids = page.events.flatMap((e) => (e.event.epcList as string[] | undefined) ?? []);
  const packs = (await store.packs.get(ids)).map(({ lastSeq: _s, ...p }) => p);
  return { events, packs, count: await store.countEvents() };
}

interface Case {
  name: string;
  text: string;
  behaviour?: 'rollback' | 'proceed';
  batch?: number;
  failSource?: boolean;
}

async function both(c: Case) {
  const results = [];
  for (const useWorkers of [false, true]) {
    const store = await freshStore();
    const svc = new CaptureService(store, {
      ...(useWorkers ? { workers } : {}),
      limits: { batchSize: c.batch ?? 5000 },
    });
    // A document already stored once in each store, for the duplicate cases.
    const body = c.failSource ? failing(c.text) : stream(c.text);
    const out = await svc.capture({
      body,
      contentType: 'application/ld+json',
      ...(c.behaviour ? { errorBehaviour: c.behaviour } : {}),
    });
    const job = await store.getCaptureJob(out.job.captureId);
    results.push({
      out: {
        success: out.job.success,
        eventsRead: out.eventsRead,
        stored: out.stored,
        duplicates: out.duplicates,
        invalid: out.invalid,
        rejected: out.rejected?.status,
        errors: out.job.errors.map((e) => [e.type, e.eventIndex ?? null]),
        eventCount: out.job.eventCount,
      },
      job: job && { running: job.running, success: job.success, eventCount: job.eventCount },
      contents: await contents(store),
    });
    await store.close();
  }
  return results as [(typeof results)[0], (typeof results)[0]];
}

describe('capture workers give the answers and the store contents of in-process capture', () => {
  const cases: Case[] = [
    { name: 'a valid document (rollback)', text: doc(Array.from({ length: 300 }, (_, i) => ev(`S${i}`))) },
    {
      name: 'a valid document in proceed mode, units of 40',
      text: doc(Array.from({ length: 230 }, (_, i) => ev(`P${i}`))),
      behaviour: 'proceed',
      batch: 40,
    },
    {
      name: 'an invalid event in rollback mode: nothing stored',
      text: doc([ev('A1'), ev('A2', { action: 'SIDEWAYS' }), ev('A3')]),
    },
    {
      name: 'an invalid event in proceed mode: the others stored',
      text: doc([ev('B1'), ev('B2', { action: 'SIDEWAYS' }), ev('B3')]),
      behaviour: 'proceed',
    },
    { name: 'the same event twice in one document', text: doc([ev('D1'), ev('D1'), ev('D2')]) },
    {
      name: 'a source that fails half way',
      text: doc(Array.from({ length: 50 }, (_, i) => ev(`F${i}`))),
      failSource: true,
    },
    { name: 'not JSON at all', text: '{"type": "EPCISDocument", "epcisBody": {"eventList": [ {' },
  ];
  for (const c of cases)
    test(c.name, async () => {
      const [inProcess, viaWorker] = await both(c);
      assert.deepEqual(viaWorker, inProcess);
    });

  test('a generated pharma document (aggregations, shipping, receiving) streamed in odd chunks', async () => {
    const text = await textOf(
      generateEpcisJsonChunks({ pallets: 2, casesPerPallet: 3, itemsPerCase: 8 }, { chunkSize: 997 }),
    );
    const [inProcess, viaWorker] = await both({ name: 'generated', text });
    assert.equal(inProcess.out.stored, 18);
    assert.deepEqual(viaWorker, inProcess);
  });

  test('the worker was used (its document is written by the store thread in one transaction)', async () => {
    const store = await freshStore();
    const svc = new CaptureService(store, { workers });
    const w = workers.tryAcquire();
    assert.ok(w, 'a started pool has an idle worker');
    const out = await w.capture(
      store.syncWriter(),
      {
        captureId: 'direct',
        createdAt: new Date().toISOString(),
        running: true,
        success: true,
        captureErrorBehaviour: 'rollback',
        eventCount: 0,
        errors: [],
      },
      { body: stream(doc([ev('W1'), ev('W2')])), contentType: 'application/ld+json' },
      {},
    );
    assert.equal(out.stored, 2);
    assert.equal(svc.runningCount, 0);
    const page = await store.queryEvents({}, { limit: 10 });
    assert.equal(new Set(page.events.map((e) => e.recordTime)).size, 1, 'one recordTime: one unit');
    await store.close();
  });
});
