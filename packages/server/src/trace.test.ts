/** GET /trace, /packs, /inventory over real HTTP on a SQLite store. */
// biome-ignore-all lint/suspicious/noExplicitAny: JSON answers read loosely in assertions
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  aggregate,
  capture,
  commission,
  masterData,
  pack,
  receive,
  SITES,
  ship,
  sscc,
} from '../../core/src/state/scenario-support.ts';
import { startTestServer, type TestServer } from './testing.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer({ subscriptions: false });
  const packs = [0, 1, 2, 3].map(pack);
  await capture(
    s.store,
    [
      commission(0, packs),
      aggregate(1, sscc(10), packs.slice(0, 2), 'ADD'),
      aggregate(2, sscc(11), packs.slice(2), 'ADD'),
      aggregate(3, sscc(1), [sscc(10), sscc(11)], 'ADD'),
      ship(10, [sscc(1)], SITES.manufacturer, SITES.wholesaler),
      receive(20, [sscc(1)], SITES.manufacturer, SITES.wholesaler),
    ],
    masterData(),
  );
});
after(() => s.close());

test('GET /trace/{id}: journey through case and pallet, names, state, tree', async () => {
  for (const id of [pack(1), 'urn:epc:id:sgtin:9506000.013435.P00001', '(01)09506000134352(21)P00001']) {
    const r = await s.req(`/trace/${encodeURIComponent(id)}`);
    assert.equal(r.status, 200, id);
    const t = (await r.json()) as any;
    assert.equal(t.id, pack(1));
    assert.deepEqual(
      t.journey.map((x: { bizStep: string; via?: { path: string[] } }) => [x.bizStep, x.via?.path ?? []]),
      [
        ['commissioning', []],
        ['packing', []],
        ['packing', [sscc(10)]],
        ['shipping', [sscc(10), sscc(1)]],
        ['receiving', [sscc(10), sscc(1)]],
      ],
    );
    assert.equal(t.journey[4].bizLocation.name, SITES.wholesaler.name);
    assert.equal(t.state.status, 'active');
    assert.deepEqual(
      t.ancestors.map((a: { id: string }) => a.id),
      [sscc(10), sscc(1)],
    );
  }
  const q = await s.req(`/trace?id=${encodeURIComponent(sscc(1))}`);
  const t = (await q.json()) as any;
  assert.equal(t.contentCount, 6);
  assert.deepEqual(
    t.tree.children.map((c: { id: string }) => c.id),
    [sscc(10), sscc(11)],
  );
});

test('GET /trace: bad id 400, unknown id 404 with the parsed form, both problem+json', async () => {
  let r = await s.req(`/trace/${encodeURIComponent('(01)09506000134352')}`);
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
  assert.match(((await r.json()) as any).detail, /serial number \(21\)/);
  r = await s.req(`/trace/${encodeURIComponent('hello')}`);
  assert.equal(r.status, 400);
  r = await s.req(`/trace/${encodeURIComponent(pack(99))}`);
  assert.equal(r.status, 404);
  const p = (await r.json()) as any;
  assert.equal(p.id, pack(99));
  assert.equal(p.parsed.serial, 'P00099');
  r = await s.req('/trace/x', { key: null });
  assert.equal(r.status, 401);
});

test('GET /packs/{id} and /inventory', async () => {
  let r = await s.req(`/packs/${encodeURIComponent(sscc(10))}`);
  const st = (await r.json()) as any;
  assert.deepEqual(
    [st.status, st.location, st.ancestors, st.children],
    ['active', SITES.wholesaler.loc, [sscc(1)], [pack(0), pack(1)]],
  );
  r = await s.req('/inventory?groupBy=location,status');
  assert.deepEqual((await r.json()) as any, {
    groupBy: ['location', 'status'],
    filter: {},
    total: 4,
    counts: [{ key: { location: SITES.wholesaler.loc, status: 'active' }, count: 4 }],
  });
  r = await s.req(`/inventory/items?location=${encodeURIComponent(SITES.wholesaler.loc)}&limit=3`);
  const page = (await r.json()) as any;
  assert.deepEqual(
    page.items.map((i: { id: string }) => i.id),
    [pack(0), pack(1), pack(2)],
  );
  assert.match(r.headers.get('link') ?? '', /after=/);
  r = await s.req(
    `/inventory/items?location=${encodeURIComponent(SITES.wholesaler.loc)}&limit=3&after=${encodeURIComponent(page.next)}`,
  );
  assert.deepEqual(
    ((await r.json()) as any).items.map((i: { id: string }) => i.id),
    [pack(3)],
  );
  r = await s.req('/inventory?groupBy=colour');
  assert.equal(r.status, 400);
  r = await s.req('/inventory?gtin=123');
  assert.equal(r.status, 400);
});
