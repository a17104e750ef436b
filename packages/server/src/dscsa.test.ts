/** DSCSA over real HTTP (SQLite and PostgreSQL): TI/TS exports, transaction history, automatic exceptions, cases, overdue webhook. */
// biome-ignore-all lint/suspicious/noExplicitAny: JSON answers read loosely in assertions
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { RxtraceStore } from '@rxtrace/store';
import {
  aggregate,
  at,
  commission,
  doc,
  type Ev,
  gln,
  MFR,
  PHARMACY,
  PO,
  pack,
  receive,
  seedRegistry,
  ship,
  sscc,
  WHS,
} from '../../core/src/dscsa/test-support.ts';
import { readPdf } from '../../core/src/labels/pdf-reader.ts';
import { openTestStore, testDatabaseUrl } from '../../store/src/postgres/test-database.ts';
import { startTestServer, type TestServer } from './testing.ts';

const SHIP = 'urn:uuid:6f7e6a3c-0000-4000-8000-0000000000f1';
const RECEIPT = 'urn:uuid:6f7e6a3c-0000-4000-8000-0000000000f2';
const H = 3_600_000;
const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function send(s: TestServer, events: Ev[]): Promise<void> {
  const r = await s.req('/capture', {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: doc(events),
  });
  assert.equal(r.status, 202, await r.text());
  const loc = r.headers.get('location')!;
  for (let i = 0; i < 200; i++) {
    const j = (await (await s.req(loc)).json()) as any;
    if (!j.running) {
      assert.equal(j.success, true, JSON.stringify(j));
      return;
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('capture did not finish');
}

async function until<T>(f: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function scenario(storeOf: () => RxtraceStore | undefined): Promise<void> {
  let now = new Date(at(600));
  const hooks: any[] = [];
  const hook = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => {
      b += c;
    });
    req.on('end', () => {
      hooks.push(JSON.parse(b));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const store = storeOf();
  const s = await startTestServer({
    subscriptions: false,
    ...(store ? { store, closeStore: false } : {}),
    dscsa: {
      selfGln: gln(WHS),
      now: () => now,
      alertIntervalMs: 30,
      alertWebhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`,
    },
  });
  try {
    await seedRegistry(s.store as RxtraceStore);
    await send(s, [
      commission(
        [1, 2, 3, 4, 5, 6].map((n) => pack(n)),
        at(0),
      ),
      aggregate(
        sscc(1),
        [1, 2, 3].map((n) => pack(n)),
        at(1),
      ),
      aggregate(
        sscc(2),
        [4, 5, 6].map((n) => pack(n)),
        at(2),
      ),
      ship([sscc(1), sscc(2)], at(10), MFR, WHS, PO, SHIP),
    ]);

    // ---- TI / TS
    const ti = (await (await s.req(`/shipments/${encodeURIComponent(SHIP)}/ti`)).json()) as any;
    assert.equal(ti.packCount, 6);
    assert.equal(ti.seller.name, 'Acme Pharma Inc.');
    assert.equal(ti.products[0].ndc, '0345-0158-01');
    const byPo = (await (await s.req(`/shipments/${encodeURIComponent(PO)}/ti`)).json()) as any;
    assert.equal(byPo.shipmentEventId, SHIP);
    const xml = await s.req(`/shipments/${encodeURIComponent(SHIP)}/ti`, {
      headers: { accept: 'application/xml' },
    });
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type')!, /application\/xml/);
    assert.match(await xml.text(), /urn:epcglobal:epcis:xsd:1/);
    const p = await s.req(`/shipments/${encodeURIComponent(SHIP)}/ti?format=pdf`);
    assert.equal(p.headers.get('content-type'), 'application/pdf');
    const text = readPdf(new Uint8Array(await p.arrayBuffer()))
      .pages.flatMap((x) => x.texts.map((t) => t.text))
      .join('\n');
    assert.match(text, /Transaction statement/);
    const bad = await s.req(`/shipments/${encodeURIComponent(SHIP)}/ti?format=csv`);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type')!, /problem\+json/);
    const none = await s.req('/shipments/urn%3Auuid%3Anope/ti');
    assert.equal(none.status, 404);
    assert.match(((await none.json()) as any).detail, /no shipping event/);

    // ---- automatic exceptions: receipt of sscc(1) only
    await send(s, [{ ...receive([sscc(1)], at(60), MFR, WHS), eventID: RECEIPT }]);
    const list = await until(async () => {
      const r = (await (await s.req(`/exceptions?receipt=${encodeURIComponent(RECEIPT)}`)).json()) as any;
      return r.items.length ? r : undefined;
    }, 'the automatic receipt check');
    assert.equal(list.items.length, 1);
    const ex = list.items[0];
    assert.equal(ex.category, 'missing_product');
    assert.equal(ex.shipmentEventId, SHIP);
    assert.equal((await s.req('/exceptions?category=weird')).status, 400);
    assert.equal((await s.req('/exceptions?perPage=0')).status, 400);
    assert.equal(((await (await s.req('/exceptions?status=resolved')).json()) as any).items.length, 0);
    const one = await s.req(`/exceptions/${encodeURIComponent(ex.id)}`);
    assert.equal(((await one.json()) as any).id, ex.id);
    assert.equal((await s.req('/exceptions/urn%3Auuid%3Anone')).status, 404);
    const badRes = await s.req(
      `/exceptions/${encodeURIComponent(ex.id)}/resolution`,
      json({ code: 'refund', by: 'ann' }),
    );
    assert.equal(badRes.status, 400);
    const res = await s.req(
      `/exceptions/${encodeURIComponent(ex.id)}/resolution`,
      json({ code: 'send_product', text: 'follows', by: 'ann' }),
    );
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as any).resolution.code, 'send_product');
    const again = await s.req(
      `/exceptions/${encodeURIComponent(ex.id)}/resolution`,
      json({ code: 'credit', by: 'bob' }),
    );
    assert.equal(again.status, 409);
    const manual = await s.req(
      '/exceptions',
      json({ category: 'data_mismatch', detail: 'label says L9', by: 'ann' }),
    );
    assert.equal(manual.status, 201);
    const chk = (await (await s.req('/exceptions/check', { method: 'POST' })).json()) as any;
    assert.equal(chk.raised, 0, 'the automatic check already ran');
    const q = await s.req('/exceptions/check', { method: 'POST', key: null });
    assert.equal(q.status, 401);

    // ---- transaction history
    await send(s, [ship([pack(1)], at(120), WHS, PHARMACY, 'urn:x:po:p1')]);
    const h = (await (
      await s.req(`/packs/${encodeURIComponent(pack(1))}/transaction-history`)
    ).json()) as any;
    assert.equal(h.transactions.length, 2);
    assert.equal((await s.req('/packs/hello/transaction-history')).status, 400);
    assert.equal((await s.req(`/packs/${encodeURIComponent(pack(88))}/transaction-history`)).status, 404);

    // ---- cases
    const badCase = await s.req('/cases', json({ packs: [pack(77)], reason: 'counterfeit', by: 'ann' }));
    assert.equal(badCase.status, 400);
    assert.match(((await badCase.json()) as any).detail, /unknown to the pack state/);
    const created = await s.req(
      '/cases',
      json({ packs: [pack(1), pack(2)], reason: 'counterfeit', by: 'ann' }),
    );
    assert.equal(created.status, 201);
    const c = (await created.json()) as any;
    assert.equal(created.headers.get('location'), `/cases/${encodeURIComponent(c.id)}`);
    assert.equal(c.status, 'quarantined');
    const path = `/cases/${encodeURIComponent(c.id)}`;
    assert.equal((await s.req(`${path}/clearance`, json({ by: 'bob' }))).status, 409);
    assert.equal((await s.req(`${path}/investigation`, json({ by: 'bob' }))).status, 200);
    assert.equal((await s.req(`${path}/fda-3911`)).status, 409);
    const ill = (await (
      await s.req(`${path}/illegitimate`, json({ by: 'bob', reason: 'counterfeit' }))
    ).json()) as any;
    assert.equal(ill.status, 'illegitimate');
    assert.ok(ill.clocks.some((k: any) => k.name === 'fda_notification' && k.state === 'running'));
    const f = (await (await s.req(`${path}/fda-3911?phone=555`)).json()) as any;
    assert.equal(f.classification, 'counterfeit');
    assert.equal(f.reporter.phone, '555');
    const fp = await s.req(`${path}/fda-3911`, { headers: { accept: 'application/pdf' } });
    assert.equal(fp.headers.get('content-type'), 'application/pdf');
    const notices = (await (await s.req(`${path}/notices`)).json()) as any;
    assert.deepEqual(notices.items.map((n: any) => n.to.gln).sort(), [gln(MFR), gln(PHARMACY)].sort());
    assert.equal((await s.req(`${path}/notices?format=pdf`)).headers.get('content-type'), 'application/pdf');
    assert.equal((await s.req('/cases?status=bogus')).status, 400);
    const listed = (await (await s.req('/cases?status=illegitimate')).json()) as any;
    assert.deepEqual(
      listed.items.map((x: any) => x.id),
      [c.id],
    );
    assert.equal((await s.req('/cases/urn%3Auuid%3Anone')).status, 404);
    // 25 hours pass: both statutory clocks overdue, listed, alerted once each by webhook
    now = new Date(now.getTime() + 25 * H);
    const od = (await (await s.req('/cases/overdue')).json()) as any;
    assert.deepEqual(
      od.items.map((x: any) => x.id),
      [c.id],
    );
    await until(async () => (hooks.length >= 2 ? true : undefined), 'two webhook alerts');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(hooks.map((x) => x.clock.name).sort(), ['fda_notification', 'partner_notification']);
    assert.ok(hooks.every((x) => x.type === 'dscsa.case.clock_overdue' && x.caseId === c.id));
    assert.equal(
      (await s.req(`${path}/fda-notification`, json({ by: 'bob', incidentNumber: 'IN-1' }))).status,
      200,
    );
    assert.equal(
      (await s.req(`${path}/partner-notification`, json({ by: 'bob', partners: ['1'] }))).status,
      400,
    );
    assert.equal(
      (await s.req(`${path}/partner-notification`, json({ by: 'bob', partners: [gln(MFR), gln(PHARMACY)] })))
        .status,
      200,
    );
    const noConsult = await s.req(`${path}/closure`, json({ by: 'bob', disposition: 'destroyed' }));
    assert.equal(noConsult.status, 409);
    assert.match(((await noConsult.json()) as any).detail, /consultation with FDA/);
    const closed = (await (
      await s.req(`${path}/closure`, json({ by: 'bob', disposition: 'destroyed', fdaConsulted: true }))
    ).json()) as any;
    assert.equal(closed.status, 'closed');
    assert.deepEqual(
      closed.steps.map((x: any) => x.step),
      ['quarantine', 'investigation', 'illegitimate', 'fda_notified', 'partners_notified', 'closed'],
    );
    assert.equal(((await (await s.req('/cases/overdue')).json()) as any).items.length, 0);
  } finally {
    await s.close();
    hook.close();
  }
}

test('DSCSA over HTTP on SQLite', () => scenario(() => undefined));

const url = testDatabaseUrl();
test('DSCSA over HTTP on PostgreSQL', { skip: !url }, () => scenario(() => openTestStore(url!)));

test('/openapi.json describes every DSCSA route', async () => {
  const s = await startTestServer({ subscriptions: false, dscsa: { alertIntervalMs: 0 } });
  try {
    const doc = (await (await s.req('/openapi.json')).json()) as any;
    const want: [string, string][] = [
      ['/shipments/{id}/ti', 'get'],
      ['/packs/{id}/transaction-history', 'get'],
      ['/exceptions', 'get'],
      ['/exceptions', 'post'],
      ['/exceptions/check', 'post'],
      ['/exceptions/{id}', 'get'],
      ['/exceptions/{id}/resolution', 'post'],
      ['/cases', 'get'],
      ['/cases', 'post'],
      ['/cases/overdue', 'get'],
      ['/cases/{id}', 'get'],
      ['/cases/{id}/fda-3911', 'get'],
      ['/cases/{id}/notices', 'get'],
      ...[
        'investigation',
        'clearance',
        'illegitimate',
        'fda-notification',
        'partner-notification',
        'closure',
      ].map((x) => [`/cases/{id}/${x}`, 'post'] as [string, string]),
    ];
    for (const [p, m] of want) assert.ok(doc.paths[p]?.[m], `${m} ${p}`);
  } finally {
    await s.close();
  }
});

test('roles: a query key reads DSCSA records but may not open cases, resolve exceptions or run the check', async () => {
  const s = await startTestServer({
    subscriptions: false,
    dscsa: { alertIntervalMs: 0 },
    apiKeys: [
      { key: 'admin-key', roles: ['admin'] },
      { key: 'query-key', roles: ['query'] },
    ],
  });
  try {
    const key = 'query-key';
    assert.equal((await s.req('/cases', { key })).status, 200);
    assert.equal((await s.req('/exceptions', { key })).status, 200);
    assert.equal(
      (await s.req('/cases', { ...json({ packs: ['x'], reason: 'other', by: 'a' }), key })).status,
      403,
    );
    assert.equal(
      (await s.req('/exceptions/urn%3Ax/resolution', { ...json({ code: 'credit', by: 'a' }), key })).status,
      403,
    );
    assert.equal((await s.req('/exceptions/check', { method: 'POST', key })).status, 403);
    assert.equal((await s.req('/cases', { key: null })).status, 401);
  } finally {
    await s.close();
  }
});
