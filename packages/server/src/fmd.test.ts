/**
 * EU FMD and recalls over real HTTP on loopback, on a SQLite file and on PostgreSQL: the pharmacy
 * flow (scan → verify → dispense), dispense twice, undo rules (other user, day 11), decommission
 * refusals, roles, recall report and its effect on verification. The server's clock is set.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: JSON answers read loosely in assertions
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CaptureService, commissioningDocument } from '@rxtrace/core';
import type { RxtraceStore, Store } from '@rxtrace/store';
import Fastify from 'fastify';
import { openTestStore, testDatabaseUrl } from '../../store/src/postgres/test-database.ts';
import fmdPlugin from './plugins/fmd.ts';
import { startTestServer, type TestServer } from './testing.ts';

const GTIN = '09506000134352';
const LOT = 'L2026A';
const PHARMACY = '9506000000114';
const GS = '\x1d';
const scan = (serial: string, lot = LOT) => `]d201${GTIN}21${serial}${GS}10${lot}${GS}17281231`;
const QUERY_KEY = 'fmd-query-key';
const CAPTURE_KEY = 'fmd-capture-key';

async function commission(store: Store, serials: string[]): Promise<void> {
  const body = commissioningDocument({
    gtin: GTIN,
    serials,
    lot: LOT,
    expiry: '2028-12-31',
    eventTime: '2026-03-01T08:00:00.000Z',
  });
  const o = await new CaptureService(store).capture({
    body: (async function* () {
      yield Buffer.from(body);
    })(),
    contentType: 'application/ld+json',
  });
  assert.equal(o.rejected, undefined);
}

function suite(name: string, makeStore: (() => Promise<Store>) | undefined): void {
  describe(`EU FMD and recalls over HTTP (${name})`, { skip: !makeStore }, () => {
    let s: TestServer;
    const clock = { now: new Date('2026-03-10T09:00:00.000Z') };
    const post = (path: string, body: unknown, key?: string) =>
      s.req(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(key ? { key } : {}),
      });
    before(async () => {
      const store = makeStore ? await makeStore() : undefined;
      s = await startTestServer({
        ...(store ? { store } : {}),
        subscriptions: false,
        clock: () => new Date(clock.now),
        apiKeys: [
          { key: 'test-admin-key', roles: ['admin'] },
          { key: QUERY_KEY, roles: ['query'] },
          { key: CAPTURE_KEY, roles: ['capture'] },
        ],
      });
      await commission(s.store, ['H1', 'H2', 'H3', 'H4']);
    });
    after(() => s?.close());

    test('POST /fmd/verify by fields and by scan', async () => {
      let r = await post('/fmd/verify', { gtin: GTIN, serial: 'H1', lot: LOT, expiry: '281231' }, QUERY_KEY);
      assert.equal(r.status, 200);
      let v = (await r.json()) as any;
      assert.equal(v.ok, true);
      assert.equal(v.state, 'active');
      r = await post('/fmd/verify', { code: scan('H1', 'WRONG') }, QUERY_KEY);
      v = (await r.json()) as any;
      assert.equal(r.status, 200);
      assert.equal(v.ok, false);
      assert.deepEqual(
        v.alerts.map((a: any) => a.code),
        ['FMD-A3'],
      );
      assert.equal(v.inputForm, 'scan');
      r = await post('/fmd/verify', { gtin: GTIN, serial: 'NOPE' }, QUERY_KEY);
      assert.deepEqual(
        ((await r.json()) as any).alerts.map((a: any) => a.code),
        ['FMD-A2'],
      );
      r = await post('/fmd/verify', { gtin: 'x', serial: 'H1' }, QUERY_KEY);
      assert.equal(r.status, 400);
      assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
      assert.equal(((await r.json()) as any).alerts[0].code, 'FMD-E1');
    });

    test('POST /fmd/dispense: scan → verify → supplied; twice refused (409, FMD-A5); a query key may not dispense', async () => {
      let r = await post('/fmd/dispense', { code: scan('H2'), user: 'alice', premises: PHARMACY }, QUERY_KEY);
      assert.equal(r.status, 403);
      r = await post('/fmd/dispense', { code: scan('H2'), user: 'alice', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 200);
      const d = (await r.json()) as any;
      assert.equal(d.decommissioned, true);
      assert.equal(d.reason, 'supplied');
      assert.equal(d.status, 'dispensed');
      assert.equal(d.id, `https://id.gs1.org/01/${GTIN}/21/H2`);
      assert.ok(d.eventId);
      r = await post('/fmd/dispense', { code: scan('H2'), user: 'alice', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 409);
      assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
      const p = (await r.json()) as any;
      assert.equal(p.type, 'https://rxtrace.org/problems/fmd/refused');
      assert.deepEqual(
        p.alerts.map((a: any) => a.code),
        ['FMD-A5'],
      );
      assert.match(p.detail, /already_inactive/);
      r = await post('/fmd/dispense', { code: 'not a code', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 400);
      r = await post('/fmd/dispense', { code: scan('H3') }, CAPTURE_KEY);
      assert.equal(r.status, 400);
      assert.match(((await r.json()) as any).detail, /premises is required/);
    });

    test('POST /fmd/undo: another user refused (FMD-U3); day 11 refused (FMD-U2); same user within 10 days reactivates', async () => {
      let r = await post(
        '/fmd/decommission',
        {
          gtin: GTIN,
          serial: 'H3',
          lot: LOT,
          expiry: '2028-12-31',
          reason: 'checked_out',
          user: 'alice',
          premises: PHARMACY,
        },
        CAPTURE_KEY,
      );
      assert.equal(r.status, 200);
      r = await post(
        '/fmd/decommission',
        {
          gtin: GTIN,
          serial: 'H4',
          lot: LOT,
          expiry: '2028-12-31',
          reason: 'given_away',
          user: 'alice',
          premises: PHARMACY,
        },
        CAPTURE_KEY,
      );
      assert.equal(r.status, 400);
      r = await post('/fmd/undo', { code: scan('H3'), user: 'bob', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 409);
      assert.deepEqual(
        ((await r.json()) as any).alerts.map((a: any) => a.code),
        ['FMD-U3'],
      );
      clock.now = new Date('2026-03-21T09:00:00.000Z'); // day 11
      r = await post('/fmd/undo', { code: scan('H3'), user: 'alice', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 409);
      assert.deepEqual(
        ((await r.json()) as any).alerts.map((a: any) => a.code),
        ['FMD-U2'],
      );
      clock.now = new Date('2026-03-19T09:00:00.000Z');
      r = await post('/fmd/undo', { code: scan('H3'), user: 'alice', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as any).status, 'active');
      clock.now = new Date('2026-03-10T09:00:00.000Z');
    });

    test('/openapi.json describes every route of the plugin by hand', async () => {
      const doc = (await (await s.req('/openapi.json', { key: null })).json()) as any;
      const routes: { method: string; url: string }[] = [];
      const app = Fastify();
      app.addHook('onRoute', (r) => {
        for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url });
      });
      await app.register(fmdPlugin, { ctx: s.app.rxtrace, store: s.store as RxtraceStore });
      await app.ready();
      await app.close();
      assert.ok(routes.length >= 9);
      for (const r of routes) {
        const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        const op = doc.paths[path]?.[r.method.toLowerCase()];
        assert.ok(op, `${r.method} ${path} is described`);
        assert.notEqual(op.summary, `${r.method} ${path}`);
        assert.ok(op.responses['401'], `${r.method} ${path}: 401`);
        for (const [, p] of path.matchAll(/\{([^}]+)\}/g))
          assert.ok(
            op.parameters?.some((x: any) => x.in === 'path' && x.name === p),
            `${path}: ${p}`,
          );
      }
    });

    test('POST /fmd/bulk: one answer per item', async () => {
      const r = await post(
        '/fmd/bulk',
        { operation: 'verify', items: [{ code: scan('H1') }, { gtin: GTIN, serial: 'NOPE' }] },
        CAPTURE_KEY,
      );
      assert.equal(r.status, 200);
      const b = (await r.json()) as any;
      assert.equal(b.count, 2);
      assert.deepEqual(
        b.results.map((x: any) => x.ok),
        [true, false],
      );
      assert.equal(b.results[1].result.alerts[0].code, 'FMD-A2');
      const bad = await post('/fmd/bulk', { operation: 'verify', items: [] }, CAPTURE_KEY);
      assert.equal(bad.status, 400);
    });

    test('GET /fmd/alerts: the code table', async () => {
      const r = await s.req('/fmd/alerts', { key: QUERY_KEY });
      const t = (await r.json()) as any;
      assert.ok(t.alerts.some((a: any) => a.code === 'FMD-U2' && a.name === 'undo_too_late'));
    });

    test('recalls: POST (admin only) → report; GET list and one; verify answers recalled; close', async () => {
      let r = await post('/recalls', { gtin: GTIN, lot: LOT, reason: 'sterility' }, CAPTURE_KEY);
      assert.equal(r.status, 403);
      r = await post('/recalls', { gtin: GTIN, lot: LOT, reason: 'sterility', classification: 'class I' });
      assert.equal(r.status, 201);
      const rep = (await r.json()) as any;
      assert.equal(r.headers.get('location'), `/recalls/${rep.recall.id}`);
      assert.equal(rep.affected.total, 4);
      assert.equal(rep.affected.byStatus.dispensed, 1);
      assert.equal(rep.notifications.length, 1);
      r = await s.req('/recalls?active=true', { key: QUERY_KEY });
      assert.deepEqual(
        ((await r.json()) as any).recalls.map((x: any) => x.id),
        [rep.recall.id],
      );
      r = await s.req(`/recalls/${rep.recall.id}`, { key: QUERY_KEY });
      assert.equal(r.status, 200);
      const one = (await r.json()) as any;
      assert.equal(
        one.holders.reduce((n: number, h: any) => n + h.count, 0),
        4,
      );
      assert.deepEqual(
        one.holders.find((h: any) => h.holder === `https://id.gs1.org/414/${PHARMACY}`).byStatus,
        { dispensed: 1 },
      );
      r = await post('/fmd/verify', { code: scan('H1') }, QUERY_KEY);
      assert.deepEqual(
        ((await r.json()) as any).alerts.map((a: any) => a.code),
        ['FMD-S2'],
      );
      r = await post('/fmd/dispense', { code: scan('H1'), user: 'alice', premises: PHARMACY }, CAPTURE_KEY);
      assert.equal(r.status, 409);
      r = await post(`/recalls/${rep.recall.id}/notifications/sent`, { holder: rep.notifications[0].holder });
      assert.equal(((await r.json()) as any).status, 'sent');
      r = await post(`/recalls/${rep.recall.id}/close`, { reason: 'cleared' });
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as any).closedReason, 'cleared');
      r = await post('/fmd/verify', { code: scan('H1') }, QUERY_KEY);
      assert.equal(((await r.json()) as any).ok, true);
      r = await s.req('/recalls/nope', { key: QUERY_KEY });
      assert.equal(r.status, 404);
      r = await post('/recalls', { gtin: '123', reason: 'x' });
      assert.equal(r.status, 400);
    });
  });
}

// SQLite: the test server's own store file (no store given).
suite('sqlite', () => Promise.resolve(undefined as unknown as Store));
const url = testDatabaseUrl();
suite('postgres', url ? async () => openTestStore(url) : undefined);
