/**
 * Recall / withdrawal on a real SQLite file and a real PostgreSQL schema: affected packs with their
 * state and holder, counts, holders notified (only those with packs in the chain), verification
 * failing while in force, close.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore, type RxtraceStore } from '@rxtrace/store';
import { openTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { fixture, GTIN, LOT, PHARMACY } from '../fmd/fmd-suite.ts';
import { sgtinDigitalLink } from '../serials/commission.ts';
import { type RecallError, RecallService } from './service.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-recall-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const WHOLESALER = 'https://id.gs1.org/417/9506000000021';
const PHARMACY_PARTY = 'https://id.gs1.org/417/9506000000114';

function run(name: string, make: () => Promise<RxtraceStore>): void {
  describe(`recall (${name})`, () => {
    async function setup() {
      const f = await fixture(make);
      await f.commission(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
      await f.commission(['B1'], 'L-OTHER');
      const receive = async (serials: string[], party: string, loc: string) => {
        const o = await f.capture.captureEvent({
          body: JSON.stringify({
            '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
            type: 'ObjectEvent',
            eventTime: '2026-03-05T08:00:00.000Z',
            eventTimeZoneOffset: '+00:00',
            epcList: serials.map((s) => sgtinDigitalLink(GTIN, s)),
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'sellable_not_accessible',
            bizLocation: { id: loc },
            destinationList: [
              { type: 'owning_party', destination: party },
              { type: 'possessing_party', destination: party },
            ],
          }),
          contentType: 'application/ld+json',
        });
        assert.ok(o.ok);
      };
      await receive(['A1', 'A2', 'A3'], WHOLESALER, 'https://id.gs1.org/414/9506000000021');
      await receive(['A4', 'A5', 'B1'], PHARMACY_PARTY, PHARMACY);
      await f.fmd.decommission(f.pack('A5'), 'supplied', { user: 'alice', premises: PHARMACY });
      const recalls = new RecallService(f.store, { now: () => new Date(f.clock.now) });
      return { f, recalls };
    }

    it('a lot recall: every affected pack with its state and holder, per-holder counts, holders with packs in the chain notified; verification fails', async () => {
      const { f, recalls } = await setup();
      try {
        const r = await recalls.create({
          gtin: GTIN,
          lot: LOT,
          reason: 'sterility not assured',
          classification: 'class I',
          issuedBy: 'qa@mah',
        });
        assert.equal(r.recall.kind, 'recall');
        assert.equal(r.recall.lot, LOT);
        assert.equal(r.active, true);
        assert.equal(r.affected.total, 6);
        assert.equal(r.affected.inChain, 5);
        assert.deepEqual(r.affected.byStatus, { active: 5, dispensed: 1 });
        const byHolder = Object.fromEntries(r.holders.map((h) => [h.holder, h]));
        assert.equal(byHolder[WHOLESALER]!.count, 3);
        assert.deepEqual(
          byHolder[WHOLESALER]!.packs.map((p) => p.id).sort(),
          ['A1', 'A2', 'A3'].map((s) => sgtinDigitalLink(GTIN, s)),
        );
        assert.equal(byHolder[PHARMACY_PARTY]!.count, 2);
        assert.equal(byHolder[PHARMACY_PARTY]!.inChain, 1);
        assert.deepEqual(byHolder[PHARMACY_PARTY]!.byStatus, { active: 1, dispensed: 1 });
        // never received: held at the manufacturing site (its location)
        const site = 'https://id.gs1.org/414/9506000000014';
        assert.equal(byHolder[site]!.count, 1);
        // B1 (other lot) is not affected
        assert.ok(!r.holders.some((h) => h.packs.some((p) => p.id.endsWith('/21/B1'))));
        assert.deepEqual(
          r.notifications.map((x) => [x.holder, x.packCount, x.channel, x.status]).sort(),
          [
            [PHARMACY_PARTY, 1, 'record', 'pending'],
            [WHOLESALER, 3, 'record', 'pending'],
            [site, 1, 'record', 'pending'],
          ].sort(),
        );
        const msg = r.notifications.find((x) => x.holder === PHARMACY_PARTY)!.message as Record<
          string,
          unknown
        >;
        assert.deepEqual(msg.packs, [sgtinDigitalLink(GTIN, 'A4')]);
        assert.match(String(msg.subject), /Recall of GTIN 09506000134352 batch L2026A/);
        // in force: EU verify fails with the recalled alert; the store answers part A's lookup
        const v = await f.fmd.verify(f.pack('A1'));
        assert.deepEqual(
          v.alerts.map((a) => a.code),
          ['FMD-S2'],
        );
        assert.equal((await f.store.recalls.active(GTIN, LOT, f.clock.now.toISOString()))?.id, r.recall.id);
        assert.equal((await f.fmd.verify(f.pack('B1', { lot: 'L-OTHER' }))).ok, true);
        // the report reads pack state as it is now
        await f.fmd.decommission(f.pack('A4'), 'destroyed', { user: 'alice', premises: PHARMACY });
        const rep = await recalls.report(r.recall.id);
        assert.deepEqual(rep.affected.byStatus, { active: 4, destroyed: 1, dispensed: 1 });
        assert.equal(rep.notifications.length, 3);
        // an operator records a notice as sent
        const sent = await recalls.markSent(r.recall.id, WHOLESALER);
        assert.equal(sent.status, 'sent');
        assert.equal(sent.sentAt, f.clock.now.toISOString());
        await assert.rejects(recalls.markSent(r.recall.id, 'nobody'), (e: RecallError) => e.status === 404);
        // closed: no longer in force
        f.setDay(11);
        const closed = await recalls.close(r.recall.id, 'lot cleared after investigation');
        assert.equal(closed.closedAt, '2026-03-11T09:00:00.000Z');
        assert.equal((await f.fmd.verify(f.pack('A1'))).ok, true);
        assert.equal((await recalls.report(r.recall.id)).active, false);
        await assert.rejects(recalls.close('nope'), (e: RecallError) => e.status === 404);
      } finally {
        await f.store.close();
      }
    });

    it('a product withdrawal covers every lot; future effective time; list and filters; bad input', async () => {
      const { f, recalls } = await setup();
      try {
        const w = await recalls.create({
          kind: 'withdrawal',
          gtin: GTIN,
          reason: 'MA suspended',
          effectiveFrom: '2026-03-12T00:00:00Z',
        });
        assert.equal(w.affected.total, 7);
        assert.equal(w.active, false);
        assert.equal(w.recall.effectiveFrom, '2026-03-12T00:00:00.000Z');
        assert.equal((await f.fmd.verify(f.pack('B1', { lot: 'L-OTHER' }))).ok, true);
        f.setDay(12);
        assert.deepEqual(
          (await f.fmd.verify(f.pack('B1', { lot: 'L-OTHER' }))).alerts.map((a) => a.code),
          ['FMD-S3'],
        );
        const l = await recalls.list({ gtin: GTIN, active: true }, { limit: 10 });
        assert.deepEqual(
          l.recalls.map((x) => x.id),
          [w.recall.id],
        );
        assert.deepEqual((await recalls.list({ kind: 'recall' }, { limit: 10 })).recalls, []);
        for (const bad of [
          { gtin: '123', reason: 'x' },
          { gtin: '09506000134353', reason: 'x' },
          { gtin: GTIN },
          { gtin: GTIN, reason: 'x', kind: 'ban' },
          { gtin: GTIN, reason: 'x', effectiveFrom: 'tomorrow' },
          null,
        ])
          await assert.rejects(recalls.create(bad), (e: RecallError) => e.status === 400);
        await assert.rejects(recalls.list({ kind: 'x' }, { limit: 1 }), (e: RecallError) => e.status === 400);
        await assert.rejects(
          recalls.list({}, { limit: 1, after: '!!' }),
          (e: RecallError) => e.status === 400,
        );
      } finally {
        await f.store.close();
      }
    });
  });
}

run('sqlite', () => openSqliteStore({ file: join(dir, `s${++n}`, 'rxtrace.db') }));
const url = testDatabaseUrl();
if (url) run('postgres', async () => openTestStore(url));
