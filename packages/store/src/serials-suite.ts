/** Behaviour tests of a SerialStore, run on SQLite (serials.test.ts) and PostgreSQL. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SerialPoolExhaustedError, SerialRequestIdTakenError, type SerialStore } from './serials.ts';

const G = '09506000134376';
const at = '2026-03-01T10:00:00.000Z';

function gen(n: number): string[] {
  return Array.from({ length: n }, () => randomBytes(6).toString('hex').toUpperCase());
}

export function serialStoreSuite(name: string, open: () => Promise<SerialStore>): void {
  test(`${name}: random reservation is unique per key across pools and replaces collisions`, async () => {
    const s = await open();
    assert.equal(
      await s.createPool({ poolId: 'r1', key: G, kind: 'random', createdAt: at, config: {} }),
      true,
    );
    assert.equal(
      await s.createPool({ poolId: 'r1', key: G, kind: 'random', createdAt: at, config: {} }),
      false,
    );
    await s.createPool({ poolId: 'r2', key: G, kind: 'random', createdAt: at, config: {} });
    const a = await s.reserveRandom({ poolId: 'r1', key: G, count: 1000, at, lot: 'L1', generate: gen });
    assert.equal(new Set(a.serials).size, 1000);
    // A generator that first offers only serials already issued (and repeats) must be replaced.
    let calls = 0;
    const b = await s.reserveRandom({
      poolId: 'r2',
      key: G,
      count: 300,
      at,
      generate: (n) => (calls++ === 0 ? [...a.serials.slice(0, n), a.serials[0]!] : gen(n)),
    });
    assert.ok(calls >= 2);
    assert.equal(b.serials.length, 300);
    const all = new Set([...a.serials, ...b.serials]);
    assert.equal(all.size, 1300);
    const rec = await s.getSerial(G, a.serials[5]!);
    assert.equal(rec?.state, 'reserved');
    assert.equal(rec?.lot, 'L1');
    assert.equal(rec?.poolId, 'r1');
    // A generator that only ever collides: exhausted, nothing reserved.
    await assert.rejects(
      s.reserveRandom({ poolId: 'r1', key: G, count: 5, at, generate: (n) => a.serials.slice(0, n) }),
      SerialPoolExhaustedError,
    );
    assert.equal((await s.poolCounts('r1')).reserved, 1000);
  });

  test(`${name}: counter pools skip taken values and stop at the limit`, async () => {
    const s = await open();
    await s.createPool({ poolId: 'q', key: '00012345678905', kind: 'sequential', createdAt: at, config: {} });
    const fmt = (i: number) => `S${String(i + 1).padStart(4, '0')}`;
    const a = await s.reserveCounter({
      poolId: 'q',
      key: '00012345678905',
      count: 3,
      at,
      limit: 10,
      format: fmt,
    });
    assert.deepEqual(a.serials, ['S0001', 'S0002', 'S0003']);
    // S0004 taken by another pool of the key (legacy stock): skipped
    await s.transition({
      key: '00012345678905',
      serials: ['S0004'],
      from: [],
      to: 'commissioned',
      at,
      addUnknown: true,
    });
    const b = await s.reserveCounter({
      poolId: 'q',
      key: '00012345678905',
      count: 2,
      at,
      limit: 10,
      format: fmt,
    });
    assert.deepEqual(b.serials, ['S0005', 'S0006']);
    await assert.rejects(
      s.reserveCounter({ poolId: 'q', key: '00012345678905', count: 5, at, limit: 10, format: fmt }),
      SerialPoolExhaustedError,
    );
    const c = await s.reserveCounter({
      poolId: 'q',
      key: '00012345678905',
      count: 4,
      at,
      limit: 10,
      format: fmt,
    });
    assert.deepEqual(c.serials, ['S0007', 'S0008', 'S0009', 'S0010']);
  });

  test(`${name}: list pools: import with data, take unassigned, duplicates reported`, async () => {
    const s = await open();
    const K = '04006381333931';
    await s.createPool({ poolId: 'l', key: K, kind: 'list', createdAt: at, config: {} });
    const r = await s.importSerials(
      'l',
      [
        { serial: 'B2', data: { '91': 'KEY1', '92': 'CRYPTO2' } },
        { serial: 'A1', data: { '91': 'KEY1', '92': 'CRYPTO1' } },
        { serial: 'C3' },
      ],
      at,
    );
    assert.deepEqual(r, { added: 3, duplicates: [] });
    assert.deepEqual((await s.importSerials('l', [{ serial: 'A1' }, { serial: 'D4' }], at)).duplicates, [
      'A1',
    ]);
    const b = await s.reserveListed({ poolId: 'l', key: K, count: 2, at, reservedFor: 'CMO-1' });
    assert.deepEqual(b.serials, ['A1', 'B2']);
    assert.deepEqual(b.data, [
      { '91': 'KEY1', '92': 'CRYPTO1' },
      { '91': 'KEY1', '92': 'CRYPTO2' },
    ]);
    await assert.rejects(s.reserveListed({ poolId: 'l', key: K, count: 3, at }), SerialPoolExhaustedError);
    assert.equal((await s.getSerial(K, 'A1'))?.reservedFor, 'CMO-1');
    assert.equal((await s.getSerial(K, 'C3'))?.state, 'unassigned');
  });

  test(`${name}: transitions are all-or-nothing; reconciliation per lot`, async () => {
    const s = await open();
    const K = '05012345678900';
    await s.createPool({ poolId: 't', key: K, kind: 'random', createdAt: at, config: {} });
    const a = await s.reserveRandom({ poolId: 't', key: K, count: 10, at, lot: 'LA', generate: gen });
    const b = await s.reserveRandom({ poolId: 't', key: K, count: 5, at, lot: 'LB', generate: gen });
    const x = a.serials;
    let r = await s.transition({
      key: K,
      serials: x.slice(0, 4),
      from: ['reserved'],
      to: 'commissioned',
      at,
      lot: 'LA',
    });
    assert.deepEqual(r, { ok: true, changed: 4, added: 0, refused: [] });
    // x[0] is commissioned, 'NOPE' was never issued: refused, and x[4] is left reserved
    r = await s.transition({
      key: K,
      serials: [x[4]!, x[0]!, 'NOPE'],
      from: ['reserved'],
      to: 'returned',
      at,
    });
    assert.equal(r.ok, false);
    assert.deepEqual(r.refused, [
      { serial: x[0], state: 'commissioned' },
      { serial: 'NOPE', state: null },
    ]);
    assert.equal((await s.getSerial(K, x[4]!))?.state, 'reserved');
    assert.deepEqual(await s.statesOf(K, [x[0]!, x[4]!, 'NOPE']), ['commissioned', 'reserved', null]);
    await s.transition({ key: K, serials: [x[4]!, x[5]!], from: ['reserved'], to: 'returned', at });
    await s.transition({
      key: K,
      serials: [x[6]!, x[0]!],
      from: ['reserved', 'commissioned'],
      to: 'destroyed',
      at,
    });
    await s.transition({ key: K, serials: [b.serials[0]!], from: ['reserved'], to: 'commissioned', at });
    const rows = await s.reconcile(K);
    assert.deepEqual(
      rows.map((x) => [
        x.lot,
        x.counts.reserved,
        x.counts.commissioned,
        x.counts.returned,
        x.counts.destroyed,
      ]),
      [
        ['LA', 3, 3, 2, 2],
        ['LB', 4, 1, 0, 0],
      ],
    );
    assert.equal((await s.reconcile(K, 'LB')).length, 1);
  });

  test(`${name}: a request id is stored with its reservation; the same id again reserves nothing`, async () => {
    const s = await open();
    const K = '09506000134352';
    await s.createPool({ poolId: 'i', key: K, kind: 'random', createdAt: at, config: {} });
    const ask = { gtin: K, poolId: null, count: 200, lot: 'L9', expiry: null, reservedFor: null };
    assert.equal(await s.findRequest('line-1/job-7'), undefined);
    const a = await s.reserveRandom({
      poolId: 'i',
      key: K,
      count: 200,
      at,
      lot: 'L9',
      generate: gen,
      tag: { id: 'line-1/job-7', ask },
    });
    const t = await s.findRequest('line-1/job-7');
    assert.ok(t);
    assert.deepEqual(t.serials, a.serials); // same serials, same order
    assert.deepEqual(t.ask, ask);
    assert.equal(t.poolId, 'i');
    assert.equal(t.reservation, a.requestId);
    assert.equal(t.data, null);
    // The id taken: refused inside the transaction, nothing reserved.
    await assert.rejects(
      s.reserveRandom({ poolId: 'i', key: K, count: 5, at, generate: gen, tag: { id: 'line-1/job-7', ask } }),
      SerialRequestIdTakenError,
    );
    assert.equal((await s.poolCounts('i')).reserved, 200);
    // Concurrent requests with one id: one reservation stands.
    const both = await Promise.allSettled(
      [1, 2].map(() =>
        s.reserveRandom({ poolId: 'i', key: K, count: 50, at, generate: gen, tag: { id: 'job-8', ask } }),
      ),
    );
    assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof SerialRequestIdTakenError, String(lost.reason));
    assert.equal((await s.poolCounts('i')).reserved, 250);
    // An exhausted pool rolls the id back with the reservation: the id stays free.
    await assert.rejects(
      s.reserveRandom({
        poolId: 'i',
        key: K,
        count: 1,
        at,
        generate: () => [a.serials[0]!],
        tag: { id: 'job-9', ask },
      }),
      SerialPoolExhaustedError,
    );
    assert.equal(await s.findRequest('job-9'), undefined);
    // Counter and list pools record theirs too (list: with the per-unit data).
    await s.createPool({
      poolId: 'iq',
      key: '00012345678912',
      kind: 'sequential',
      createdAt: at,
      config: {},
    });
    const q = await s.reserveCounter({
      poolId: 'iq',
      key: '00012345678912',
      count: 3,
      at,
      limit: 100,
      format: (i) => `Q${i}`,
      tag: { id: 'q-1', ask },
    });
    assert.deepEqual((await s.findRequest('q-1'))?.serials, q.serials);
    await s.createPool({ poolId: 'il', key: '04006381333948', kind: 'list', createdAt: at, config: {} });
    await s.importSerials('il', [{ serial: 'X2', data: { '91': 'K', '92': 'C2' } }, { serial: 'X1' }], at);
    await s.reserveListed({ poolId: 'il', key: '04006381333948', count: 2, at, tag: { id: 'l-1', ask } });
    const l = await s.findRequest('l-1');
    assert.deepEqual(l?.serials, ['X1', 'X2']);
    assert.deepEqual(l?.data, [null, { '91': 'K', '92': 'C2' }]);
  });
}
