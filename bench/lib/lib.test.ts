// Smoke tests of the benchmark helpers (the benchmarks themselves are never part of the test suite).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSET82, dlEncode, elementString, generateInputs, gs1CheckDigit, lastDay } from './gs1-inputs.ts';
import { createRng } from './prng.ts';
import { mean, median, opsPerSecond, percentile, ratio } from './stats.ts';
import { formatCount, formatNs, formatRatio, formatTable } from './table.ts';
import {
  bestNsPerOp,
  combine,
  measure,
  measureInterleaved,
  measureInterleavedAsync,
  summarize,
} from './timing.ts';

test('percentiles interpolate between the closest ranks', () => {
  const xs = [15, 20, 35, 40, 50];
  assert.equal(percentile(xs, 0), 15);
  assert.equal(percentile(xs, 100), 50);
  assert.equal(percentile(xs, 50), 35);
  assert.equal(percentile(xs, 40), 29);
  assert.equal(percentile([3, 1, 2], 50), 2, 'unsorted input');
  assert.equal(median([1, 2, 3, 4]), 2.5);
  assert.equal(percentile([7], 90), 7);
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.throws(() => percentile([], 50), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
});

test('ops per second and ratios', () => {
  assert.equal(opsPerSecond(1000, 1_000_000_000n), 1000);
  assert.equal(opsPerSecond(3, 1500), 2e6);
  assert.equal(ratio(6, 2), 3);
  assert.equal(ratio(1, 0), Number.POSITIVE_INFINITY);
});

test('measure runs passes for the time asked and keeps one sample per pass', () => {
  let calls = 0;
  const m = measure(
    () => {
      calls++;
      return 10;
    },
    { warmupMs: 1, durationMs: 5, minPasses: 4 },
  );
  assert.ok(m.nsPerOp.length >= 4);
  assert.equal(m.ops, 10 * m.nsPerOp.length);
  assert.ok(calls > m.nsPerOp.length, 'warm-up passes are not measured');
  const s = summarize(m);
  assert.ok(s.opsPerSec > 0 && s.p10 <= s.p50 && s.p50 <= s.p90);
  const both = combine([m, m]);
  assert.equal(both.ops, 2 * m.ops);
  const r = measureInterleaved({ a: () => 1, b: () => 2 }, { warmupMs: 0, durationMs: 4, rounds: 2 });
  assert.deepEqual(Object.keys(r), ['a', 'b']);
  assert.ok(r.b.ops > 0);
});

test('asynchronous passes are measured like synchronous ones', async () => {
  let calls = 0;
  const r = await measureInterleavedAsync(
    {
      a: async () => {
        calls++;
        await Promise.resolve();
        return 5;
      },
      b: () => 2,
    },
    { warmupMs: 1, durationMs: 4, rounds: 2, minPasses: 2 },
  );
  assert.deepEqual(Object.keys(r), ['a', 'b']);
  assert.ok(r.a.nsPerOp.length >= 2 && r.a.ops === 5 * r.a.nsPerOp.length);
  assert.ok(calls > r.a.nsPerOp.length, 'warm-up passes are not measured');
  assert.ok(bestNsPerOp(r.a) > 0 && bestNsPerOp(r.a) <= summarize(r.a).p50);
  assert.equal(bestNsPerOp({ ops: 0, nanoseconds: 0n, nsPerOp: [0, 7, 3] }), 3);
});

test('table printer pads columns and formats figures', () => {
  const t = formatTable(['name', 'x'], [['a', '1'], null, ['bbb', '22']]);
  assert.equal(t, 'name   x\n----  --\na      1\n----  --\nbbb   22');
  assert.equal(formatCount(1234567.8), '1,234,568');
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(12.345), '12.3');
  assert.equal(formatRatio(3.456), '3.46x');
  assert.equal(formatRatio(1234.5), '1235x');
  assert.equal(formatNs(850), '850 ns');
  assert.equal(formatNs(12_345), '12.3 µs');
});

test('the seeded PRNG repeats itself', () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 5 }, () => a.int(0, 1000));
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.int(0, 1000)),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => createRng(43).int(0, 1000)),
  );
  for (let i = 0; i < 1000; i++) {
    const v = a.int(3, 5);
    assert.ok(v >= 3 && v <= 5);
  }
});

test('generated GS1 inputs: valid keys, separators, encodings, reproducible', () => {
  assert.equal(gs1CheckDigit('0950600013437'), '6');
  assert.equal(gs1CheckDigit('00614141123456789'), '0');
  assert.equal(lastDay(2028, 2), 29);
  assert.equal(lastDay(2100, 2), 28);
  assert.equal(dlEncode('A/b+c%d~_.-'), 'A%2Fb%2Bc%25d~_.-');
  assert.equal(
    elementString([
      ['01', '09506000134376'],
      ['17', '261200'],
      ['10', 'L1'],
      ['21', 'S'],
    ]),
    '0109506000134376172612001' + '0L1\u001d21S',
  );
  const inputs = generateInputs({ seed: 7, identities: 200 });
  assert.deepEqual(inputs, generateInputs({ seed: 7, identities: 200 }));
  assert.equal(inputs.length, 600);
  for (const i of inputs) {
    const t = i.truth;
    if (t.gtin) assert.equal(gs1CheckDigit(t.gtin.slice(0, 13)), t.gtin[13]);
    if (t.sscc) assert.equal(gs1CheckDigit(t.sscc.slice(0, 17)), t.sscc[17]);
    for (const v of [t.serial, t.lot]) {
      if (v === undefined) continue;
      assert.ok(v.length >= 1 && v.length <= 20);
      for (const c of v) assert.ok(CSET82.includes(c), `${c} is in set 82`);
    }
    if (t.expiry) assert.equal(t.expiryIso!.slice(2, 7).replace('-', ''), t.expiry.slice(0, 4));
    if (i.form === 'scan') assert.match(i.text, /^\](d2|C1)/);
    if (i.form === 'element') assert.equal(i.text[0], '\u001d');
    if (i.form === 'dl') {
      assert.ok(i.text.startsWith('https://id.gs1.org/'));
      if (t.serial) assert.equal(decodeURIComponent(i.text.split('/21/')[1]!.split('?')[0]!), t.serial);
    }
    // The only GS are separators after variable-length values, never after a last value.
    assert.ok(!i.text.endsWith('\u001d'));
  }
});
