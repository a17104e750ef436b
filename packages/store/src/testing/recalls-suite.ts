/**
 * The recall store's behaviour, the same on every store: `runRecallsSuite('sqlite', makeStore)`.
 * `makeStore` gives an empty, unmigrated RxtraceStore each call; the suite migrates and closes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Recall, RecallExistsError, type RecallNotification } from '../recalls.ts';
import type { RxtraceStore } from '../types.ts';

export type MakeRecallStore = () => Promise<RxtraceStore>;

const GTIN = '00350000000018';
const OTHER = '00350000000025';

function recall(id: string, o: Partial<Recall> = {}): Recall {
  return {
    id,
    kind: 'recall',
    gtin: GTIN,
    lot: 'L1',
    reason: 'contamination',
    effectiveFrom: '2026-03-01T00:00:00.000Z',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...o,
  };
}

export function runRecallsSuite(name: string, make: MakeRecallStore): void {
  describe(`recalls (${name})`, () => {
    async function withStore(fn: (s: RxtraceStore) => Promise<void>): Promise<void> {
      const s = await make();
      await s.migrate();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    }

    it('stores a recall with its notifications and reads them back', () =>
      withStore(async (s) => {
        const n: RecallNotification = {
          recallId: 'r1',
          holder: 'urn:epc:id:pgln:0614141.00002',
          channel: 'record',
          status: 'pending',
          packCount: 3,
          message: { subject: 'recall', packs: ['a', 'b', 'c'] },
          createdAt: '2026-03-01T00:00:00.000Z',
        };
        await s.recalls.create(recall('r1', { classification: 'class I', issuedBy: 'qa' }), [n]);
        assert.deepEqual(
          await s.recalls.get('r1'),
          recall('r1', { classification: 'class I', issuedBy: 'qa' }),
        );
        assert.equal(await s.recalls.get('nope'), undefined);
        assert.deepEqual(await s.recalls.notifications('r1'), [n]);
        await s.recalls.updateNotification({ ...n, status: 'sent', sentAt: '2026-03-01T00:01:00.000Z' });
        const after = await s.recalls.notifications('r1');
        assert.equal(after.length, 1);
        assert.equal(after[0]!.status, 'sent');
        await assert.rejects(s.recalls.create(recall('r1'), []), RecallExistsError);
      }));

    it('active: a lot recall applies to that lot only, from effectiveFrom until closed', () =>
      withStore(async (s) => {
        await s.recalls.create(recall('r1'), []);
        assert.equal((await s.recalls.active(GTIN, 'L1', '2026-03-02T00:00:00.000Z'))?.id, 'r1');
        assert.equal(await s.recalls.active(GTIN, 'L2', '2026-03-02T00:00:00.000Z'), undefined);
        assert.equal(await s.recalls.active(GTIN, undefined, '2026-03-02T00:00:00.000Z'), undefined);
        assert.equal(await s.recalls.active(OTHER, 'L1', '2026-03-02T00:00:00.000Z'), undefined);
        // not yet in force
        assert.equal(await s.recalls.active(GTIN, 'L1', '2026-02-28T23:59:59.999Z'), undefined);
        assert.equal((await s.recalls.active(GTIN, 'L1', '2026-03-01T00:00:00.000Z'))?.id, 'r1');
        const closed = await s.recalls.close('r1', '2026-04-01T00:00:00.000Z', 'lot cleared');
        assert.equal(closed?.closedAt, '2026-04-01T00:00:00.000Z');
        assert.equal(closed?.closedReason, 'lot cleared');
        // closing again changes nothing
        assert.equal(
          (await s.recalls.close('r1', '2026-05-01T00:00:00.000Z'))?.closedAt,
          '2026-04-01T00:00:00.000Z',
        );
        assert.equal(await s.recalls.close('nope', '2026-05-01T00:00:00.000Z'), undefined);
        assert.equal((await s.recalls.active(GTIN, 'L1', '2026-03-31T23:59:59.999Z'))?.id, 'r1');
        assert.equal(await s.recalls.active(GTIN, 'L1', '2026-04-01T00:00:00.000Z'), undefined);
      }));

    it('active: a whole-product recall applies to every lot; recalls win over withdrawals, lot over product', () =>
      withStore(async (s) => {
        await s.recalls.create(recall('w-product', { kind: 'withdrawal', lot: undefined }), []);
        assert.equal((await s.recalls.active(GTIN, 'ANY', '2026-03-02T00:00:00.000Z'))?.id, 'w-product');
        assert.equal((await s.recalls.active(GTIN, undefined, '2026-03-02T00:00:00.000Z'))?.id, 'w-product');
        await s.recalls.create(
          recall('r-product', { lot: undefined, createdAt: '2026-03-01T00:00:01.000Z' }),
          [],
        );
        await s.recalls.create(recall('r-lot', { createdAt: '2026-03-01T00:00:02.000Z' }), []);
        assert.equal((await s.recalls.active(GTIN, 'L1', '2026-03-02T00:00:00.000Z'))?.id, 'r-lot');
        assert.equal((await s.recalls.active(GTIN, 'L9', '2026-03-02T00:00:00.000Z'))?.id, 'r-product');
      }));

    it('FMD pack claims: one owner at a time, released, lapsed leases taken over', () =>
      withStore(async (s) => {
        const pack = 'https://id.gs1.org/01/09506000134352/21/P1';
        assert.equal(await s.fmd.claim(pack, 'a', 1000, 2000), true);
        assert.equal(await s.fmd.claim(pack, 'b', 1500, 2500), false);
        assert.equal(await s.fmd.claim('https://id.gs1.org/01/09506000134352/21/P2', 'b', 1500, 2500), true);
        await s.fmd.release(pack, 'b'); // not b's: no effect
        assert.equal(await s.fmd.claim(pack, 'b', 1600, 2600), false);
        await s.fmd.release(pack, 'a');
        assert.equal(await s.fmd.claim(pack, 'b', 1700, 2700), true);
        // b dies holding it: the lease lapses at 2700
        assert.equal(await s.fmd.claim(pack, 'c', 2699, 3699), false);
        assert.equal(await s.fmd.claim(pack, 'c', 2700, 3700), true);
        await s.fmd.release(pack, 'b'); // b's late release does not free c's claim
        assert.equal(await s.fmd.claim(pack, 'd', 2800, 3800), false);
      }));

    it('list: newest first, filters, keyset pages', () =>
      withStore(async (s) => {
        for (let i = 0; i < 5; i++) {
          await s.recalls.create(
            recall(`r${i}`, {
              createdAt: `2026-03-0${i + 1}T00:00:00.000Z`,
              gtin: i % 2 ? OTHER : GTIN,
              kind: i === 4 ? 'withdrawal' : 'recall',
              ...(i === 0 ? { closedAt: '2026-03-10T00:00:00.000Z' } : {}),
            }),
            [],
          );
        }
        const p1 = await s.recalls.list({}, { limit: 2 });
        assert.deepEqual(
          p1.recalls.map((r) => r.id),
          ['r4', 'r3'],
        );
        assert.ok(p1.next);
        const p2 = await s.recalls.list({}, { limit: 2, after: p1.next! });
        assert.deepEqual(
          p2.recalls.map((r) => r.id),
          ['r2', 'r1'],
        );
        const p3 = await s.recalls.list({}, { limit: 2, after: p2.next! });
        assert.deepEqual(
          p3.recalls.map((r) => r.id),
          ['r0'],
        );
        assert.equal(p3.next, undefined);
        assert.deepEqual(
          (await s.recalls.list({ gtin: GTIN }, { limit: 10 })).recalls.map((r) => r.id),
          ['r4', 'r2', 'r0'],
        );
        assert.deepEqual(
          (await s.recalls.list({ kind: 'withdrawal' }, { limit: 10 })).recalls.map((r) => r.id),
          ['r4'],
        );
        assert.deepEqual(
          (
            await s.recalls.list({ gtin: GTIN, activeAt: '2026-03-20T00:00:00.000Z' }, { limit: 10 })
          ).recalls.map((r) => r.id),
          ['r4', 'r2'],
        );
        assert.deepEqual(
          (await s.recalls.list({ lot: 'L2' }, { limit: 10 })).recalls.map((r) => r.id),
          [],
        );
      }));
  });
}
