/**
 * The full scenario, through real capture, on SQLite and PostgreSQL: commission 1,000 packs →
 * aggregate into 10 cases → 1 pallet → ship → receive at a wholesaler → disaggregate → ship 3
 * cases to pharmacies → receive one → dispense one pack. After every step: the state of packs,
 * cases and pallet, the containment tree, the inventory counts and lists, and the trace.
 * Plus: a wrong shipment corrected by an error declaration, an event arriving out of order, and
 * inference through three levels.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { InventoryCount, RxtraceStore } from '@rxtrace/store';
import { makeTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { traceObject } from '../trace/trace.ts';
import {
  aggregate,
  at,
  capture,
  commission,
  dispense,
  EXPIRY,
  GTIN,
  LOT,
  masterData,
  pack,
  packUrn,
  receive,
  SITES,
  ship,
  sscc,
} from './scenario-support.ts';

const url = testDatabaseUrl();
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-packs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const M = SITES.manufacturer;
const W = SITES.wholesaler;
const P = [SITES.pharmacy1, SITES.pharmacy2, SITES.pharmacy3];
const CASES = Array.from({ length: 10 }, (_, i) => sscc(100 + i));
const PALLET = sscc(1);
const packsOfCase = (c: number) => Array.from({ length: 100 }, (_, i) => pack(c * 100 + i));

function counts(rows: InventoryCount[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[Object.values(r.key).join('|')] = r.count;
  return out;
}

async function allItems(
  store: RxtraceStore,
  filter: Parameters<RxtraceStore['packs']['items']>[0],
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.packs.items(filter, { limit: 170, ...(after ? { after } : {}) });
    ids.push(...page.items.map((i) => i.id));
    after = page.next;
  } while (after);
  return ids;
}

function suite(name: string, open: () => Promise<RxtraceStore>): void {
  describe(`pack state on ${name}`, () => {
    test('full scenario: 1,000 packs → 10 cases → pallet → ship → receive → disaggregate → ship 3 cases → dispense', async () => {
      const store = await open();
      try {
        // 1. Commission 1,000 packs (EPC URNs, normalised on capture).
        await capture(
          store,
          [
            commission(
              0,
              Array.from({ length: 1000 }, (_, i) => packUrn(i)),
            ),
          ],
          masterData(),
        );
        const [p0] = await store.packs.get([pack(0)]);
        assert.deepEqual(
          { ...p0, lastSeq: 0 },
          {
            id: pack(0),
            gtin: GTIN,
            lot: LOT,
            expiry: EXPIRY,
            status: 'active',
            disposition: 'active',
            bizStep: 'commissioning',
            location: M.loc,
            readPoint: M.loc,
            lastEventTime: at(0),
            lastSeq: 0,
          },
        );
        assert.deepEqual(counts(await store.packs.inventory(['location', 'gtin', 'lot', 'status'], {})), {
          [`${M.loc}|${GTIN}|${LOT}|active`]: 1000,
        });
        assert.deepEqual(await store.packs.inventory([], {}), [{ key: {}, count: 1000 }]);
        let t = await traceObject(store, '(01)09506000134352(21)P00000');
        assert.equal(t?.journey.length, 1);
        assert.equal(t?.journey[0]?.bizLocation?.name, M.name);

        // 2. Ten cases of 100.
        await capture(
          store,
          CASES.map((c, i) => aggregate(10 + i, c, packsOfCase(i), 'ADD')),
        );
        assert.equal((await store.packs.children(CASES[0]!)).length, 100);
        assert.deepEqual(
          (await store.packs.children(CASES[3]!)).map((r) => r.id),
          packsOfCase(3).sort(),
        );
        const [p150] = await store.packs.get([pack(150)]);
        assert.equal(p150?.parent, CASES[1]);
        assert.equal(p150?.status, 'in_progress');
        const [c0] = await store.packs.get([CASES[0]!]);
        assert.equal(c0?.gtin, undefined);
        assert.equal(c0?.status, 'in_progress');
        assert.deepEqual(counts(await store.packs.inventory(['status'], {})), { in_progress: 1000 });

        // 3. One pallet of the ten cases.
        await capture(store, [aggregate(30, PALLET, CASES, 'ADD')]);
        assert.deepEqual(
          (await store.packs.ancestors(pack(150))).map((r) => r.id),
          [CASES[1], PALLET],
        );
        assert.equal((await store.packs.descendants(PALLET)).length, 1010);
        t = await traceObject(store, PALLET);
        assert.equal(t?.contentCount, 1010);
        assert.equal(t?.tree.children.length, 10);
        assert.equal(t?.tree.children[0]?.children.length, 100);

        // 4. Ship the pallet to the wholesaler: everything on it is in transit, still owned by the maker.
        await capture(store, [ship(60, [PALLET], M, W)]);
        for (const id of [PALLET, CASES[4]!, pack(999)]) {
          const [r] = await store.packs.get([id]);
          assert.equal(r?.status, 'in_transit', id);
          assert.equal(r?.owner, M.party);
          assert.equal(r?.bizStep, 'shipping');
        }
        assert.deepEqual(counts(await store.packs.inventory(['location', 'status'], {})), {
          [`${M.loc}|in_transit`]: 1000,
        });
        t = await traceObject(store, pack(999));
        assert.deepEqual(
          t?.journey.map((s) => s.bizStep),
          ['commissioning', 'packing', 'packing', 'shipping'],
        );
        assert.deepEqual(t?.journey[3]?.via?.path, [CASES[9], PALLET]);
        assert.equal(t?.journey[3]?.sources[0]?.name, `${M.name} (party)`);

        // 5. Received at the wholesaler.
        await capture(store, [receive(24 * 60, [PALLET], M, W)]);
        const [p999] = await store.packs.get([pack(999)]);
        assert.equal(p999?.status, 'active');
        assert.equal(p999?.location, W.loc);
        assert.equal(p999?.owner, W.party);
        assert.equal(p999?.possessor, W.party);
        assert.deepEqual(counts(await store.packs.inventory(['location'], {})), { [W.loc]: 1000 });

        // 6. Pallet broken down (DELETE without children: all of them).
        await capture(store, [{ ...aggregate(25 * 60, PALLET, [], 'DELETE', W) }]);
        assert.deepEqual(
          (await store.packs.children(PALLET)).map((r) => r.id),
          [],
        );
        assert.deepEqual(
          (await store.packs.ancestors(pack(150))).map((r) => r.id),
          [CASES[1]],
        );
        assert.equal((await store.packs.descendants(CASES[1]!)).length, 100);
        assert.equal((await store.packs.get([pack(150)]))[0]?.bizStep, 'unpacking');

        // 7. Three cases shipped to three pharmacies; pharmacy 1 receives its case.
        await capture(
          store,
          [0, 1, 2].map((i) => ship(26 * 60 + i, [CASES[i]!], W, P[i]!)),
        );
        assert.deepEqual(counts(await store.packs.inventory(['location', 'status'], {})), {
          [`${W.loc}|active`]: 700,
          [`${W.loc}|in_transit`]: 300,
        });
        assert.deepEqual(
          await allItems(store, { status: 'in_transit' }),
          [...packsOfCase(0), ...packsOfCase(1), ...packsOfCase(2)].sort(),
        );
        await capture(store, [receive(48 * 60, [CASES[0]!], W, P[0]!)]);
        assert.equal((await store.packs.get([pack(7)]))[0]?.owner, P[0]!.party);

        // 8. One pack dispensed at pharmacy 1: out of its case.
        await capture(store, [dispense(50 * 60, [pack(7)], P[0]!)]);
        const [p7] = await store.packs.get([pack(7)]);
        assert.equal(p7?.status, 'dispensed');
        assert.equal(p7?.location, P[0]!.loc);
        assert.equal(p7?.parent, undefined);
        assert.equal((await store.packs.children(CASES[0]!)).length, 99);
        assert.deepEqual(counts(await store.packs.inventory(['location', 'status'], {})), {
          [`${P[0]!.loc}|active`]: 99,
          [`${P[0]!.loc}|dispensed`]: 1,
          [`${W.loc}|active`]: 700,
          [`${W.loc}|in_transit`]: 200,
        });
        assert.deepEqual(await allItems(store, { location: P[0]!.loc, status: 'dispensed' }), [pack(7)]);
        assert.equal((await allItems(store, { location: W.loc, gtin: GTIN, lot: LOT })).length, 900);

        // The journey of the dispensed pack: its own events and those of its case and pallet while inside.
        t = await traceObject(store, 'urn:epc:id:sgtin:9506000.013435.P00007');
        assert.ok(t);
        assert.deepEqual(
          t.journey.map((s) => [
            s.eventTime,
            s.bizStep,
            s.via?.path.join(' > ') ?? '',
            s.bizLocation?.name ?? '',
          ]),
          [
            [at(0), 'commissioning', '', M.name],
            [at(10), 'packing', '', M.name],
            [at(30), 'packing', CASES[0], M.name],
            [at(60), 'shipping', `${CASES[0]} > ${PALLET}`, M.name],
            [at(24 * 60), 'receiving', `${CASES[0]} > ${PALLET}`, W.name],
            [at(25 * 60), 'unpacking', `${CASES[0]} > ${PALLET}`, W.name],
            [at(26 * 60), 'shipping', CASES[0], W.name],
            [at(48 * 60), 'receiving', CASES[0], P[0]!.name],
            [at(50 * 60), 'dispensing', '', P[0]!.name],
          ],
        );
        assert.equal(t.state?.status, 'dispensed');
        assert.deepEqual(t.ancestors, []);
        // A pack of a case that stayed at the wholesaler: no pharmacy shipment in its journey.
        t = await traceObject(store, pack(950));
        assert.deepEqual(
          t?.journey.map((s) => s.bizStep),
          ['commissioning', 'packing', 'packing', 'shipping', 'receiving', 'unpacking'],
        );
        assert.deepEqual(
          t?.ancestors.map((a) => a.id),
          [CASES[9]],
        );
        // Unknown but well-formed id: no trace.
        assert.equal(await traceObject(store, pack(5000)), undefined);
      } finally {
        await store.close();
      }
    });

    test('a wrong shipment corrected by an error declaration: the state goes back', async () => {
      const store = await open();
      try {
        const kids = [pack(1), pack(2)];
        await capture(store, [
          commission(0, kids),
          aggregate(1, sscc(500), kids, 'ADD'),
          receive(2, [sscc(500)], M, W),
        ]);
        const wrong = {
          ...ship(3, [sscc(500)], W, P[2]!),
          eventID: 'urn:uuid:7d1c3f4e-0000-4000-8000-000000000001',
        };
        await capture(store, [wrong]);
        assert.equal((await store.packs.get([pack(1)]))[0]?.status, 'in_transit');
        await capture(store, [
          { ...wrong, errorDeclaration: { declarationTime: at(4), reason: 'incorrect_data' } },
        ]);
        for (const id of [sscc(500), ...kids]) {
          const [r] = await store.packs.get([id]);
          assert.equal(r?.status, 'active', id);
          assert.equal(r?.bizStep, 'receiving', id);
          assert.equal(r?.location, W.loc);
          assert.equal(r?.owner, W.party);
        }
        assert.equal((await store.packs.get([pack(1)]))[0]?.parent, sscc(500));
        const t = await traceObject(store, pack(1));
        assert.deepEqual(
          t?.journey.map((s) => [s.bizStep, s.corrected]),
          [
            ['commissioning', false],
            ['packing', false],
            ['receiving', false],
            ['shipping', true],
          ],
        );
      } finally {
        await store.close();
      }
    });

    test('a correction sent together with the (already stored) event it corrects: the state goes back', async () => {
      const store = await open();
      try {
        const kids = [pack(1), pack(2)];
        await capture(store, [
          commission(0, kids),
          aggregate(1, sscc(501), kids, 'ADD'),
          receive(2, [sscc(501)], M, W),
        ]);
        const wrong = {
          ...ship(3, [sscc(501)], W, P[2]!),
          eventID: 'urn:uuid:7d1c3f4e-0000-4000-8000-000000000002',
        };
        await capture(store, [wrong]);
        // The declaration first, then the event again (a duplicate, not stored twice): the store
        // stores only the declaration, and the pack state must see it as one.
        await capture(
          store,
          [{ ...wrong, errorDeclaration: { declarationTime: at(4), reason: 'incorrect_data' } }, wrong],
          undefined,
          1,
        );
        for (const id of [sscc(501), ...kids]) {
          const [r] = await store.packs.get([id]);
          assert.equal(r?.status, 'active', id);
          assert.equal(r?.bizStep, 'receiving', id);
        }
      } finally {
        await store.close();
      }
    });

    test('an event older than the last one applied is put in its place (replay)', async () => {
      const store = await open();
      try {
        await capture(store, [
          commission(0, [pack(1), pack(2)]),
          aggregate(1, sscc(600), [pack(1), pack(2)], 'ADD'),
        ]);
        // The receipt arrives first, the shipment (earlier eventTime) after it.
        await capture(store, [receive(120, [sscc(600)], M, W)]);
        await capture(store, [ship(60, [sscc(600)], M, W)]);
        for (const id of [sscc(600), pack(1), pack(2)]) {
          const [r] = await store.packs.get([id]);
          assert.equal(r?.status, 'active', id);
          assert.equal(r?.location, W.loc, id);
          assert.equal(r?.lastEventTime, at(120), id);
        }
        // An aggregation recorded late: the pack left the case before the (earlier-captured) shipment.
        await capture(store, [{ ...aggregate(90, sscc(600), [pack(2)], 'DELETE') }]);
        const [p2] = await store.packs.get([pack(2)]);
        assert.equal(p2?.parent, undefined);
        assert.equal(p2?.location, M.loc);
        assert.equal(p2?.bizStep, 'unpacking');
        const [p1] = await store.packs.get([pack(1)]);
        assert.equal(p1?.location, W.loc);
        assert.deepEqual(
          (await store.packs.children(sscc(600))).map((r) => r.id),
          [pack(1)],
        );
      } finally {
        await store.close();
      }
    });

    test('inference through three levels: pallet → case → bundle → pack', async () => {
      const store = await open();
      try {
        const bundle = `https://id.gs1.org/01/09506000134369/21/B1`;
        await capture(store, [
          commission(0, [pack(1), pack(2), bundle]),
          aggregate(1, bundle, [pack(1), pack(2)], 'ADD'),
          aggregate(2, sscc(700), [bundle], 'ADD'),
          aggregate(3, sscc(701), [sscc(700)], 'ADD'),
        ]);
        await capture(store, [{ ...ship(10, [sscc(701)], M, W), disposition: 'recalled' }]);
        for (const id of [sscc(700), bundle, pack(1), pack(2)]) {
          const [r] = await store.packs.get([id]);
          assert.equal(r?.status, 'recalled', id);
          assert.equal(r?.lastEventTime, at(10));
        }
        assert.deepEqual(
          (await store.packs.ancestors(pack(2))).map((r) => r.id),
          [bundle, sscc(700), sscc(701)],
        );
        const t = await traceObject(store, pack(2));
        assert.deepEqual(t?.journey.at(-1)?.via?.path, [bundle, sscc(700), sscc(701)]);
        assert.deepEqual(counts(await store.packs.inventory(['gtin', 'status'], {})), {
          [`${GTIN}|recalled`]: 2,
          '09506000134369|recalled': 1,
        });
      } finally {
        await store.close();
      }
    });
  });
}

suite('SQLite', async () => {
  const store = await openSqliteStore({ file: join(dir, `s${n++}.db`) });
  await store.migrate();
  return store;
});

if (url) suite('PostgreSQL', () => makeTestStore(url));
