/**
 * Memory: a document with a million EPCs (1,000 AggregationEvents packing 1,000 packs each, plus
 * the pallet), produced chunk by chunk while it is read, must stream in memory bounded by one event
 * plus the header — RSS growth well under 256 MB.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countGenerated, type GenerateOptions, generateEpcisJsonChunks } from '../testing/generate.ts';
import { readEpcisJsonEvents } from './stream.ts';

test('a 1,000,000-EPC document streams with RSS growth well under 256 MB', async (t) => {
  const opts: GenerateOptions = {
    seed: 7,
    pallets: 1,
    casesPerPallet: 1000,
    itemsPerCase: 1000,
    steps: { commissioning: false, packing: true, shipping: false, receiving: false },
  };
  const expected = countGenerated(opts);
  assert.equal(expected.events, 1001);
  assert.ok(expected.epcs >= 1_000_000);

  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let events = 0;
  let epcs = 0;
  let bytes = 0;
  const t0 = performance.now();
  for await (const item of readEpcisJsonEvents(generateEpcisJsonChunks(opts, { chunkSize: 65536 }))) {
    if (item.kind === 'event') {
      events++;
      epcs += item.event.childEPCs?.length ?? 0;
      assert.equal(item.event.type, 'AggregationEvent');
      if (events % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    } else if (item.kind === 'end') {
      bytes = item.bytes;
      assert.equal(item.eventCount, expected.events);
    } else if (item.kind === 'error') {
      assert.fail(JSON.stringify(item.error));
    }
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(events, expected.events);
  assert.equal(epcs, expected.epcs);
  const growthMB = (peak - rss0) / 2 ** 20;
  t.diagnostic(
    `${(bytes / 1e6).toFixed(1)} MB, ${events} events, ${epcs} EPCs generated and read in ${seconds.toFixed(2)} s; RSS growth ${growthMB.toFixed(1)} MB`,
  );
  assert.ok(bytes > 40_000_000, `${bytes} bytes`);
  assert.ok(growthMB < 128, `RSS grew by ${growthMB.toFixed(1)} MB`);
});
