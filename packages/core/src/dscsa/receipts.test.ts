/** Exceptions raised when a receipt does not match the shipment (every rule), resolutions; SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PartnerException } from '@rxtrace/store';
import {
  checkReceipts,
  type ExceptionError,
  RECEIPT_CURSOR,
  ReceiptChecker,
  raiseException,
  resolveException,
} from './receipts.ts';
import {
  at,
  commission,
  GTIN,
  GTIN_UNKNOWN,
  gln,
  LOT,
  LOT2,
  MFR,
  onBothStores,
  PHARMACY,
  PO,
  pack,
  receive,
  ship,
  sscc,
  standardShipment,
  WHS,
} from './test-support.ts';

const summary = (l: PartnerException[]) =>
  l
    .map((e) => `${e.category}:${e.itemKey.replace(/^https:\/\/id\.gs1\.org\//, '')}:${e.items.length}`)
    .sort();

onBothStores((name, open) => {
  describe(`receipt check (${name})`, () => {
    test('a receipt matching its shipment raises nothing; the cursor moves past it; a second run checks nothing', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([receive([sscc(1), sscc(2)], at(60), MFR, WHS)]);
      const r = await checkReceipts(ctx.store);
      assert.equal(r.receipts, 1);
      assert.deepEqual(r.raised, []);
      assert.equal(await ctx.store.dscsa.getCursor(RECEIPT_CURSOR), await ctx.store.lastSeq());
      const again = await checkReceipts(ctx.store);
      assert.equal(again.receipts, 0);
    });

    test('missing_product: a container of the shipment that did not arrive', async () => {
      const ctx = await open();
      const shipId = await standardShipment(ctx);
      await ctx.send([
        receive([sscc(1)], at(60), MFR, WHS, PO, 'urn:uuid:00000000-0000-4000-8000-0000000000a1'),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [`missing_product:00/${sscc(2).slice(-18)}:4`]);
      const e = raised[0]!;
      assert.equal(e.shipmentEventId, shipId);
      assert.equal(e.receiptEventId, 'urn:uuid:00000000-0000-4000-8000-0000000000a1');
      assert.equal(e.partnerGln, gln(MFR));
      assert.equal(e.receiverGln, gln(WHS));
      assert.equal(e.expectedQuantity, 3);
      assert.equal(e.receivedQuantity, 0);
      assert.deepEqual(e.bizTransactions, [PO]);
      assert.equal(e.status, 'open');
    });

    test('underages and overages per GTIN/lot (serials listed), missing_data for a lot not in the shipment', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([commission([pack(9)], at(3)), commission([pack(20)], at(3), LOT2)]);
      // packs scanned one by one: S0001, S0002 of case 1, S0004-S0006 of case 2, plus S0009 (same lot, not shipped) and S0020 (other lot)
      await ctx.send([
        receive(
          [1, 2, 4, 5, 6, 9, 20].map((n) => pack(n)),
          at(60),
          MFR,
          WHS,
        ),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [
        `missing_data:${GTIN}/${LOT2}:1`,
        `overages:${GTIN}/${LOT}:1`,
        `underages:${GTIN}/${LOT}:1`,
      ]);
      const under = raised.find((e) => e.category === 'underages')!;
      assert.deepEqual(under.items, [pack(3)]);
      assert.equal(under.expectedQuantity, 6);
      assert.equal(under.receivedQuantity, 6);
      assert.deepEqual(raised.find((e) => e.category === 'overages')!.items, [pack(9)]);
      assert.deepEqual(raised.find((e) => e.category === 'missing_data')!.items, [pack(20)]);
    });

    test('missing_data: product received with no shipment data at all (no PO or container in common)', async () => {
      const ctx = await open();
      await ctx.send([commission([pack(30), pack(31)], at(0))]);
      await ctx.send([
        receive([pack(30), pack(31)], at(60), MFR, WHS, 'urn:epcglobal:cbv:bt:0303450000001:PO-unknown'),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [`missing_data:${GTIN}/${LOT}:2`]);
      assert.equal(raised[0]!.shipmentEventId, undefined);
      assert.equal(raised[0]!.receivedQuantity, 2);
    });

    test('the shipment is found by its containers when the receipt carries no business transaction', async () => {
      const ctx = await open();
      const shipId = await standardShipment(ctx);
      await ctx.send([receive([sscc(1)], at(60), MFR, WHS, undefined)]);
      const { raised } = await checkReceipts(ctx.store);
      // only the shipping event of sscc(1) is matched: its whole content is expected, sscc(2) is missing
      assert.deepEqual(summary(raised), [`missing_product:00/${sscc(2).slice(-18)}:4`]);
      assert.equal(raised[0]!.shipmentEventId, shipId);
    });

    test("matching by containers never picks the receiver's own outbound shipment", async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([
        receive([sscc(1), sscc(2)], at(60), MFR, WHS),
        ship([sscc(1)], at(120), WHS, PHARMACY, 'urn:x:po:out'),
        // sscc(1) comes back to WHS without any business transaction: the shipment found is MFR → WHS
        receive([sscc(1)], at(180), PHARMACY, WHS, undefined),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.ok(raised.every((e) => e.shipmentEventId !== undefined));
      assert.ok(raised.some((e) => e.category === 'wrong_party' && e.itemKey === gln(PHARMACY)));
    });

    test('invalid_gtin: a received GTIN unknown to the master data', async () => {
      const ctx = await open();
      await ctx.send([
        commission([pack(1, GTIN_UNKNOWN)], at(0)),
        ship([pack(1, GTIN_UNKNOWN)], at(10), MFR, WHS),
        receive([pack(1, GTIN_UNKNOWN)], at(60), MFR, WHS),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [`invalid_gtin:${GTIN_UNKNOWN}:1`]);
    });

    test('invalid_gln: the seller is not a registered, authorised trading partner on the shipment date', async () => {
      const ctx = await open();
      await ctx.send([
        commission([pack(1)], at(0)),
        ship([pack(1)], at(10), 7, WHS),
        receive([pack(1)], at(60), 7, WHS),
      ]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [`invalid_gln:${gln(7)}:0`]);
      assert.match(raised[0]!.detail, /seller GLN \d{13} of the shipment is not in the master data/);
      // a registered partner whose licence has expired
      const ctx2 = await open();
      await ctx2.store.registry.putPartners([
        {
          gln: gln(8),
          name: 'Lapsed Co',
          roles: ['wholesaler'],
          status: 'authorised',
          licence: { number: 'X', authority: 'NJ', expiry: '2025-01-01' },
        },
      ]);
      await ctx2.send([
        commission([pack(1)], at(0)),
        ship([pack(1)], at(10), 8, WHS),
        receive([pack(1)], at(60), 8, WHS),
      ]);
      const r2 = await checkReceipts(ctx2.store);
      assert.deepEqual(summary(r2.raised), [`invalid_gln:${gln(8)}:0`]);
      assert.match(r2.raised[0]!.detail, /not an authorised trading partner/);
    });

    test('wrong_party: the receipt names another source owner than the shipment seller', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([receive([sscc(1), sscc(2)], at(60), PHARMACY, WHS)]);
      const { raised } = await checkReceipts(ctx.store);
      assert.deepEqual(summary(raised), [`wrong_party:${gln(PHARMACY)}:0`]);
    });

    test('receipts of returns (rx:returnId, rma) are not compared with a shipment', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([
        { ...receive([pack(1)], at(60), PHARMACY, WHS, undefined), 'rx:returnId': 'RET-1' },
        {
          ...receive([pack(2)], at(61), PHARMACY, WHS, undefined),
          bizTransactionList: [{ type: 'rma', bizTransaction: 'urn:x:rma:7' }],
        },
      ]);
      const r = await checkReceipts(ctx.store);
      assert.equal(r.receipts, 0);
      assert.deepEqual(r.raised, []);
      assert.equal(r.cursor, await ctx.store.lastSeq());
    });

    test('a replayed check (cursor reset) stores no duplicates', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([receive([sscc(1)], at(60), MFR, WHS)]);
      assert.equal((await checkReceipts(ctx.store)).raised.length, 1);
      await ctx.store.dscsa.setCursor(RECEIPT_CURSOR, 0);
      assert.equal((await checkReceipts(ctx.store)).raised.length, 0);
      assert.equal((await ctx.store.dscsa.listExceptions({}, { limit: 10 })).items.length, 1);
    });

    test('batches: many receipts checked in pages, cursor at the end', async () => {
      const ctx = await open();
      const evs = [];
      for (let i = 0; i < 7; i++)
        evs.push(
          commission([pack(100 + i)], at(0)),
          receive([pack(100 + i)], at(60), MFR, WHS, `urn:x:po:${i}`),
        );
      await ctx.send(evs);
      const r = await checkReceipts(ctx.store, { batch: 3 });
      assert.equal(r.receipts, 7);
      assert.equal(r.raised.length, 7);
      assert.ok(r.raised.every((e) => e.category === 'missing_data'));
      assert.equal(r.cursor, await ctx.store.lastSeq());
    });

    test('ReceiptChecker: requests during a run make one more run; stats', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      const checker = new ReceiptChecker(ctx.store);
      await ctx.send([receive([sscc(1)], at(60), MFR, WHS)]);
      const a = checker.request();
      await ctx.send([receive([pack(3)], at(61), MFR, WHS, 'urn:x:po:other')]);
      checker.request();
      await a;
      await checker.idle();
      assert.equal(checker.stats.raised, 2);
      await checker.stop();
    });

    test('resolution: schema codes only, who and when, once; manual exceptions', async () => {
      const ctx = await open();
      await standardShipment(ctx);
      await ctx.send([receive([sscc(1)], at(60), MFR, WHS)]);
      const [e] = (await checkReceipts(ctx.store)).raised;
      await assert.rejects(
        resolveException(ctx.store, e!.id, { code: 'refund', by: 'ann' }),
        (x: ExceptionError) => x.status === 400,
      );
      await assert.rejects(
        resolveException(ctx.store, e!.id, { code: 'no_action', by: 'ann' }),
        /needs a text/,
      );
      await assert.rejects(
        resolveException(ctx.store, e!.id, { code: 'credit', by: ' ' }),
        /by \(who resolves\)/,
      );
      await assert.rejects(
        resolveException(ctx.store, 'urn:uuid:none', { code: 'credit', by: 'ann' }),
        (x: ExceptionError) => x.status === 404,
      );
      const r = await resolveException(
        ctx.store,
        e!.id,
        { code: 'send_product', text: 'second pallet follows', by: 'ann' },
        '2026-05-05T10:00:00.000Z',
      );
      assert.deepEqual(r.resolution, {
        code: 'send_product',
        text: 'second pallet follows',
        by: 'ann',
        at: '2026-05-05T10:00:00.000Z',
      });
      assert.equal((await ctx.store.dscsa.getException(e!.id))?.status, 'resolved');
      await assert.rejects(
        resolveException(ctx.store, e!.id, { code: 'credit', by: 'bob' }),
        (x: ExceptionError) => x.status === 409,
      );
      const m = await raiseException(ctx.store, {
        category: 'data_mismatch',
        detail: 'label lot L9 differs from data L100',
        by: 'ann',
        partnerGln: gln(MFR),
      });
      assert.equal(m.status, 'open');
      await assert.rejects(
        raiseException(ctx.store, { category: 'damaged', detail: 'x', by: 'a' }),
        /category must be one of/,
      );
      await assert.rejects(
        raiseException(ctx.store, { category: 'overages', detail: 'x', by: 'a', partnerGln: '12' }),
        /13-digit/,
      );
    });
  });
});

test('upgrade: migration 8 on an existing log starts the receipt check after the events already stored (SQLite)', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { default: Database } = await import('better-sqlite3');
  const { openSqliteStore } = await import('@rxtrace/store');
  const { CaptureService } = await import('../capture/service.ts');
  const { doc } = await import('./test-support.ts');
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-dscsa-upgrade-'));
  try {
    const file = join(dir, 'x.db');
    let store = await openSqliteStore({ file });
    await store.migrate();
    const text = doc([commission([pack(1)], at(0)), receive([pack(1)], at(60), MFR, WHS, 'urn:x:po:old')]);
    await new CaptureService(store).capture({
      body: (async function* () {
        yield Buffer.from(text);
      })(),
      contentType: 'application/ld+json',
    });
    const last = await store.lastSeq();
    await store.close();
    // back to a schema without migration 8, as a store from before this version
    const db = new Database(file);
    db.exec(
      'DROP TABLE dscsa_exceptions; DROP TABLE dscsa_cursors; DROP TABLE dscsa_cases; DELETE FROM schema_version WHERE version = 8;',
    );
    db.close();
    store = await openSqliteStore({ file });
    await store.migrate();
    assert.equal(await store.dscsa.getCursor(RECEIPT_CURSOR), last);
    const r = await checkReceipts(store);
    assert.equal(r.receipts, 0, 'the old receipt is not checked');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
