/** Serial endpoints over real HTTP (SQLite): pool refusal, issuance, commissioning, lifecycle, reconciliation. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
// The PostgreSQL test database helper of the store (a fresh schema per store, dropped at the end).
import { openTestStore, testDatabaseUrl } from '../../store/src/postgres/test-database.ts';
import { startTestServer, type TestServer } from './testing.ts';

const G = '09506000134376';
let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('a pool with a guess probability at or above 1/10,000 is refused with the computed value', async () => {
  // 10^6 numeric serials, 1,000 valid at once: exactly 1/1,000 → refused
  const r = await s.req(
    '/serials/pools',
    json({ kind: 'random', gtin: G, markets: ['DE'], plannedVolume: 1000, charset: 'numeric', length: 6 }),
  );
  assert.equal(r.status, 422);
  assert.match(r.headers.get('content-type')!, /problem\+json/);
  const p = (await r.json()) as { guessProbability: number; detail: string };
  assert.equal(p.guessProbability, 1000 / 1e6);
  assert.match(p.detail, /1\.000e-3/);
  // exactly 1/10,000 is refused too; just below is accepted
  const eq = await s.req(
    '/serials/pools',
    json({ kind: 'random', gtin: G, markets: ['DE'], plannedVolume: 100, charset: 'numeric', length: 6 }),
  );
  assert.equal(eq.status, 422);
  assert.equal(((await eq.json()) as { guessProbability: number }).guessProbability, 1e-4);
  const ok = await s.req(
    '/serials/pools',
    json({
      poolId: 'p1',
      kind: 'random',
      gtin: G,
      markets: ['DE'],
      plannedVolume: 99,
      charset: 'numeric',
      length: 6,
    }),
  );
  assert.equal(ok.status, 201, await ok.text());
  // sequential for an EU market: refused; for the US: accepted
  const seq = await s.req(
    '/serials/pools',
    json({ kind: 'sequential', gtin: '00012345678905', markets: ['US', 'FR'] }),
  );
  assert.equal(seq.status, 422);
  assert.match(((await seq.json()) as { detail: string }).detail, /FR/);
  const us = await s.req(
    '/serials/pools',
    json({ kind: 'sequential', gtin: '00012345678905', markets: ['US'], length: 8 }),
  );
  assert.equal(us.status, 201);
});

test('request, commission (event in the log), return, destroy, reconciliation', async () => {
  const created = await s.req(
    '/serials/pools',
    json({
      poolId: 'main',
      kind: 'random',
      gtin: '04006381333931',
      markets: ['DE'],
      plannedVolume: 1_000_000,
      length: 12,
    }),
  );
  assert.equal(created.status, 201);
  const r = await s.req(
    '/serials/requests',
    json({ gtin: '4006381333931', count: 10, lot: 'LOT1', expiry: '2028-02-29' }),
  );
  assert.equal(r.status, 201);
  const { serials } = (await r.json()) as { serials: string[] };
  assert.equal(new Set(serials).size, 10);
  const c = await s.req(
    '/serials/commission',
    json({
      gtin: '04006381333931',
      serials: serials.slice(0, 6),
      lot: 'LOT1',
      expiry: '2028-02-29',
      eventTime: '2026-03-01T09:00:00Z',
    }),
  );
  assert.equal(c.status, 200, await c.text());
  const ev = await s.req(
    `/events?MATCH_anyEPC=${encodeURIComponent(`https://id.gs1.org/01/04006381333931/21/${serials[0]}`)}`,
  );
  const doc = (await ev.json()) as {
    epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
  };
  const [e] = doc.epcisBody.queryResults.resultsBody.eventList;
  assert.equal(e!.bizStep, 'commissioning');
  assert.equal((e!.ilmd as Record<string, string>)['cbvmda:lotNumber'], 'LOT1');
  assert.equal((e!.epcList as string[]).length, 6);
  // commissioning again, or a serial never issued: refused, nothing changed
  const again = await s.req(
    '/serials/commission',
    json({ gtin: '04006381333931', serials: [serials[0], serials[6]] }),
  );
  assert.equal(again.status, 409);
  assert.match(((await again.json()) as { detail: string }).detail, /commissioned/);
  assert.equal(
    (await s.req('/serials/return', json({ gtin: '04006381333931', serials: serials.slice(6, 8) }))).status,
    200,
  );
  assert.equal(
    (await s.req('/serials/destroy', json({ gtin: '04006381333931', serials: [serials[8]] }))).status,
    200,
  );
  const st = (await (await s.req(`/serials/04006381333931/${serials[0]}`)).json()) as {
    state: string;
    lot: string;
  };
  assert.deepEqual([st.state, st.lot], ['commissioned', 'LOT1']);
  const rec = (await (await s.req('/serials/reconciliation?gtin=04006381333931&lot=LOT1')).json()) as Record<
    string,
    unknown
  >[];
  assert.deepEqual(rec, [
    {
      gtin: '04006381333931',
      lot: 'LOT1',
      issued: 10,
      commissioned: 6,
      decommissioned: 0,
      destroyed: 1,
      returned: 2,
      unaccounted: 1,
      available: 0,
    },
  ]);
});

/** A line's request under an id, retried; the id with other parameters; on the server `srv`. */
async function requestIdScenario(srv: TestServer): Promise<void> {
  const gtin = '09506000134369';
  const pool = await srv.req(
    '/serials/pools',
    json({ poolId: 'idem', kind: 'random', gtin, markets: ['DE'], plannedVolume: 1_000_000, length: 12 }),
  );
  assert.equal(pool.status, 201, await pool.text());
  const ask = { gtin, count: 25, lot: 'LOT7', expiry: '2028-02-29', requestId: 'line-3/job-0042' };
  const first = await srv.req('/serials/requests', json(ask));
  assert.equal(first.status, 201, await first.clone().text());
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const a = (await first.json()) as { serials: string[]; requestId: string; replayed?: boolean };
  assert.equal(a.requestId, 'line-3/job-0042');
  assert.equal(a.serials.length, 25);
  assert.equal(a.replayed, undefined);
  // The line lost the answer and retries: the same serials in the same order, nothing new reserved.
  const again = await srv.req('/serials/requests', json(ask));
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  const b = (await again.json()) as typeof a;
  assert.deepEqual(b.serials, a.serials);
  assert.equal(b.replayed, true);
  // The same id as an Idempotency-Key header (GTIN written as GTIN-13: the same GTIN).
  const { requestId: _, ...noId } = ask;
  const hdr = await srv.req('/serials/requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'line-3/job-0042' },
    body: JSON.stringify({ ...noId, gtin: '9506000134369' }),
  });
  assert.equal(hdr.status, 201);
  assert.deepEqual(((await hdr.json()) as typeof a).serials, a.serials);
  const pc = (await (await srv.req('/serials/pools/idem')).json()) as { counts: { reserved: number } };
  assert.equal(pc.counts.reserved, 25);
  // The same id with another count and lot: refused, saying what differs; nothing reserved.
  const other = await srv.req('/serials/requests', json({ ...ask, count: 30, lot: 'LOT8' }));
  assert.equal(other.status, 409);
  assert.match(other.headers.get('content-type')!, /problem\+json/);
  const p = (await other.json()) as {
    detail: string;
    differences: { field: string; stored: unknown; asked: unknown }[];
  };
  assert.deepEqual(p.differences, [
    { field: 'count', stored: 25, asked: 30 },
    { field: 'lot', stored: 'LOT7', asked: 'LOT8' },
  ]);
  assert.match(p.detail, /count 25 then, 30 now; lot "LOT7" then, "LOT8" now/);
  // Header and body naming different ids; an id with a space: 400.
  const two = await srv.req('/serials/requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'other' },
    body: JSON.stringify(ask),
  });
  assert.equal(two.status, 400);
  assert.equal((await srv.req('/serials/requests', json({ ...ask, requestId: 'a b' }))).status, 400);
  // A new id: new serials.
  const next = (await (
    await srv.req('/serials/requests', json({ ...ask, requestId: 'line-3/job-0043' }))
  ).json()) as typeof a;
  assert.equal(next.serials.filter((x) => a.serials.includes(x)).length, 0);
  const pc2 = (await (await srv.req('/serials/pools/idem')).json()) as { counts: { reserved: number } };
  assert.equal(pc2.counts.reserved, 50);
}

test('a request id (body or Idempotency-Key): a retry gets the same serials; other parameters: 409', () =>
  requestIdScenario(s));

const url = testDatabaseUrl();
test('the same on PostgreSQL', { skip: !url }, async () => {
  const pg = await startTestServer({ store: openTestStore(url!), closeStore: false });
  try {
    await requestIdScenario(pg);
  } finally {
    await pg.close();
  }
});
