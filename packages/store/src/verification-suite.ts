/** Behaviour tests of a VerificationStore, run on SQLite and PostgreSQL (verification.test.ts). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { SaleableReturn, VerificationLogEntry, VerificationStore } from './verification.ts';

const G = '00312345678906';

function entry(i: number, o: Partial<VerificationLogEntry> = {}): VerificationLogEntry {
  return {
    id: randomUUID(),
    direction: 'in',
    at: `2026-03-01T10:00:${String(i).padStart(2, '0')}.000Z`,
    gtin: G,
    serial: `S${i}`,
    lot: 'L1',
    exp: '271231',
    context: 'dscsaSaleableReturn',
    reqGLN: '0614141000005',
    responderGLN: '0312345000001',
    corrUUID: randomUUID(),
    kind: 'verify',
    status: 200,
    verified: true,
    durationMs: 0.4,
    ...o,
  };
}

export function verificationStoreSuite(name: string, open: () => Promise<VerificationStore>): void {
  test(`${name}: the exchange log keeps every field, filters, pages newest first and purges`, async () => {
    const s = await open();
    const es = Array.from({ length: 25 }, (_, i) => entry(i));
    es[3] = entry(3, {
      direction: 'out',
      reqGLN: '0999999000003',
      verified: false,
      verificationFailureReason: 'No_match_GTIN_Serial_Lot',
      attempts: 2,
    });
    await s.logExchanges(es);
    await s.logExchanges([]);
    const all: VerificationLogEntry[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await s.queryLog({}, { limit: 10, ...(after ? { after } : {}) });
      all.push(...p.items);
      if (!p.next) break;
      after = p.next;
    }
    assert.equal(all.length, 25);
    assert.deepEqual(all[0], es[24]);
    assert.deepEqual(all[24], es[0]);
    const out = await s.queryLog({ direction: 'out' }, { limit: 10 });
    assert.deepEqual(out.items, [es[3]]);
    assert.deepEqual((await s.queryLog({ corrUUID: es[7]!.corrUUID! }, { limit: 10 })).items, [es[7]]);
    assert.deepEqual((await s.queryLog({ gtin: G, serial: 'S9' }, { limit: 10 })).items, [es[9]]);
    assert.deepEqual((await s.queryLog({ reqGLN: '0999999000003' }, { limit: 10 })).items, [es[3]]);
    const window = await s.queryLog({ from: es[5]!.at, to: es[8]!.at }, { limit: 10 });
    assert.deepEqual(
      window.items.map((x) => x.serial),
      ['S7', 'S6', 'S5'],
    );
    await assert.rejects(s.queryLog({}, { limit: 10, after: 'x' }), /cursor/);
    assert.equal(await s.purgeLog(es[10]!.at), 10);
    assert.equal((await s.queryLog({}, { limit: 100 })).items.length, 15);
  });

  test(`${name}: the lookup directory answers the GTIN's own entry, else the longest company prefix`, async () => {
    const s = await open();
    const at = '2026-03-01T10:00:00.000Z';
    await s.putDirectoryEntry({ key: '0312345', responderUrl: 'https://a.example/vrs', updatedAt: at });
    await s.putDirectoryEntry({
      key: '031234567',
      responderUrl: 'https://b.example/vrs',
      token: 't',
      updatedAt: at,
    });
    assert.equal((await s.lookupResponder(G))?.responderUrl, 'https://b.example/vrs');
    await s.putDirectoryEntry({
      key: G,
      responderUrl: 'https://c.example',
      responderGLN: '0312345000001',
      updatedAt: at,
    });
    assert.equal((await s.lookupResponder(G))?.responderUrl, 'https://c.example');
    assert.equal((await s.lookupResponder('00312345000006'))?.responderUrl, 'https://a.example/vrs');
    assert.equal(await s.lookupResponder('00999999000007'), undefined);
    await s.putDirectoryEntry({ key: '0312345', responderUrl: 'https://a2.example', updatedAt: at });
    assert.deepEqual(
      (await s.listDirectory()).map((e) => [e.key, e.responderUrl]),
      [
        [G, 'https://c.example'],
        ['0312345', 'https://a2.example'],
        ['031234567', 'https://b.example/vrs'],
      ],
    );
    assert.equal((await s.getDirectoryEntry('031234567'))?.token, 't');
    assert.equal(await s.deleteDirectoryEntry(G), true);
    assert.equal(await s.deleteDirectoryEntry(G), false);
    assert.equal(await s.getDirectoryEntry(G), undefined);
  });

  test(`${name}: returns keep their items; exceptions are listed and resolved once`, async () => {
    const s = await open();
    const r: SaleableReturn = {
      returnId: randomUUID(),
      at: '2026-03-02T09:00:00.000Z',
      user: 'alice',
      fromGLN: '0614141000005',
      location: 'https://id.gs1.org/414/0312345000018',
      items: [
        {
          packId: `https://id.gs1.org/01/${G}/21/A`,
          gtin: G,
          serial: 'A',
          lot: 'L1',
          expiry: '2027-12-31',
          verifiedBy: 'local',
          verified: true,
          outcome: 'sellable',
          eventId: 'e1',
        },
        {
          packId: `https://id.gs1.org/01/${G}/21/B`,
          gtin: G,
          serial: 'B',
          verifiedBy: 'local',
          verified: false,
          verificationFailureReason: 'No_match_GTIN_Serial',
          outcome: 'quarantined',
          eventId: 'e2',
          exception: { reason: 'verification failed: No_match_GTIN_Serial', status: 'open' },
        },
      ],
    };
    await s.putReturn(r);
    await assert.rejects(s.putReturn(r)); // the id is unique
    assert.deepEqual(await s.getReturn(r.returnId), r);
    assert.equal(await s.getReturn('nope'), undefined);
    const open1 = await s.listReturnExceptions('open');
    assert.equal(open1.length, 1);
    assert.equal(open1[0]!.packId, r.items[1]!.packId);
    assert.equal(open1[0]!.user, 'alice');
    assert.equal(open1[0]!.verificationFailureReason, 'No_match_GTIN_Serial');
    const res = { at: '2026-03-03T09:00:00.000Z', by: 'bob', resolution: 'destroyed' };
    assert.equal(await s.resolveReturnException(r.returnId, r.items[0]!.packId, res), false);
    assert.equal(await s.resolveReturnException(r.returnId, r.items[1]!.packId, res), true);
    assert.equal(await s.resolveReturnException(r.returnId, r.items[1]!.packId, res), false);
    assert.deepEqual(await s.listReturnExceptions('open'), []);
    const done = await s.listReturnExceptions('resolved');
    assert.equal(done[0]!.resolvedBy, 'bob');
    assert.equal((await s.getReturn(r.returnId))!.items[1]!.exception!.status, 'resolved');
    const r2 = { ...r, returnId: randomUUID(), at: '2026-03-04T09:00:00.000Z', items: [] };
    await s.putReturn(r2);
    const p1 = await s.listReturns({ limit: 1 });
    assert.equal(p1.items[0]!.returnId, r2.returnId);
    const p2 = await s.listReturns({ limit: 1, after: p1.next! });
    assert.equal(p2.items[0]!.returnId, r.returnId);
    assert.equal(p2.next, undefined);
  });
}
