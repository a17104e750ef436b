/** DscsaStore behaviour, one suite run on SQLite and on PostgreSQL (dscsa.test.ts). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { DscsaStore, PartnerException, SuspectCase } from './dscsa.ts';

function exc(over: Partial<PartnerException> = {}): PartnerException {
  return {
    id: `urn:uuid:${randomUUID()}`,
    itemKey: 'https://id.gs1.org/01/00300001234568/21/S1',
    itemId: `urn:uuid:${randomUUID()}`,
    category: 'missing_data',
    status: 'open',
    receiptEventId: 'urn:uuid:r1',
    bizTransactions: [],
    items: ['https://id.gs1.org/01/00300001234568/21/S1'],
    detail: 'x',
    raisedAt: '2026-01-01T00:00:00.000Z',
    raisedBy: 'system',
    ...over,
  };
}

function kase(over: Partial<SuspectCase> = {}): SuspectCase {
  return {
    id: `urn:uuid:${randomUUID()}`,
    status: 'quarantined',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    body: { reason: 'suspect' },
    steps: [{ step: 'quarantine', at: '2026-01-01T00:00:00.000Z', by: 'ann' }],
    ...over,
  };
}

export function dscsaStoreSuite(name: string, open: () => Promise<DscsaStore>): void {
  describe(`DscsaStore (${name})`, () => {
    test('exceptions: stored once per (receipt, category, item); the cursor moves in the same transaction', async () => {
      const s = await open();
      const a = exc();
      const b = exc({ category: 'overages', itemKey: 'k2' });
      const first = await s.addExceptions([a, b], { name: 'receipts', seq: 10 });
      assert.deepEqual(
        first.map((e) => e.id),
        [a.id, b.id],
      );
      assert.equal(await s.getCursor('receipts'), 10);
      // the same items again (a replay of the check): nothing new; the cursor never goes back
      const again = await s.addExceptions([exc(), exc({ category: 'overages', itemKey: 'k2' })], {
        name: 'receipts',
        seq: 5,
      });
      assert.deepEqual(again, []);
      assert.equal(await s.getCursor('receipts'), 10);
      assert.equal(await s.getCursor('other'), 0);
      await s.setCursor('other', 3);
      assert.equal(await s.getCursor('other'), 3);
      assert.deepEqual(await s.getException(a.id), a);
      assert.equal(await s.getException('urn:uuid:none'), undefined);
    });

    test('exceptions: filters, newest first, pages', async () => {
      const s = await open();
      const r = `urn:uuid:${randomUUID()}`;
      const made = [];
      for (let i = 0; i < 5; i++)
        made.push(
          exc({
            receiptEventId: r,
            itemKey: `k${i}`,
            category: i % 2 ? 'underages' : 'missing_data',
            partnerGln: '0300000000001',
          }),
        );
      await s.addExceptions(made);
      const p1 = await s.listExceptions({ receiptEventId: r }, { limit: 3 });
      assert.deepEqual(
        p1.items.map((e) => e.itemKey),
        ['k4', 'k3', 'k2'],
      );
      assert.ok(p1.next);
      const p2 = await s.listExceptions({ receiptEventId: r }, { limit: 3, after: p1.next! });
      assert.deepEqual(
        p2.items.map((e) => e.itemKey),
        ['k1', 'k0'],
      );
      assert.equal(p2.next, undefined);
      const under = await s.listExceptions({ receiptEventId: r, category: 'underages' }, { limit: 10 });
      assert.deepEqual(
        under.items.map((e) => e.itemKey),
        ['k3', 'k1'],
      );
      await assert.rejects(s.listExceptions({}, { limit: 1, after: 'x' }), RangeError);
    });

    test('exceptions: resolve only from the expected status', async () => {
      const s = await open();
      const e = exc({ receiptEventId: `urn:uuid:${randomUUID()}` });
      await s.addExceptions([e]);
      const resolved: PartnerException = {
        ...e,
        status: 'resolved',
        resolution: { code: 'send_new_data', by: 'bob', at: '2026-01-02T00:00:00.000Z' },
      };
      assert.equal(await s.updateException(resolved, 'open'), true);
      assert.equal(await s.updateException(resolved, 'open'), false);
      assert.equal((await s.getException(e.id))?.status, 'resolved');
      const open_ = await s.listExceptions(
        { status: 'open', receiptEventId: e.receiptEventId },
        { limit: 5 },
      );
      assert.equal(open_.items.length, 0);
    });

    test('cases: create once, update by version (a stale version is refused), list by status', async () => {
      const s = await open();
      const c = kase();
      assert.equal(await s.createCase(c), true);
      assert.equal(await s.createCase(c), false);
      assert.deepEqual(await s.getCase(c.id), c);
      const next: SuspectCase = {
        ...c,
        version: 2,
        status: 'investigating',
        steps: [...c.steps, { step: 'investigation', at: '2026-01-01T01:00:00.000Z', by: 'ann' }],
      };
      assert.equal(await s.updateCase(next), true);
      assert.equal(await s.updateCase(next), false, 'version 2 again: stale');
      assert.equal((await s.getCase(c.id))?.status, 'investigating');
      const inv = await s.listCases({ status: 'investigating' }, { limit: 100 });
      assert.ok(inv.items.some((x) => x.id === c.id));
      const q = await s.listCases({ status: 'quarantined' }, { limit: 100 });
      assert.ok(!q.items.some((x) => x.id === c.id));
      assert.equal(await s.getCase('urn:uuid:none'), undefined);
    });
  });
}
