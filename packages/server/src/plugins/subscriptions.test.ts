import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifySignature } from '@rxtrace/core';
import WebSocket from 'ws';
import {
  epcisDocument,
  objectEvent,
  Receiver,
  sleep,
  waitFor,
} from '../../../core/src/subscriptions/testing.ts';
import { ADMIN_KEY, startTestServer, type TestServer } from '../testing.ts';

type Doc = {
  type: string;
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID?: string;
      resultsBody: { eventList: { eventID: string }[] };
    };
  };
};

let s: TestServer;
let rx: Receiver;
let queries = 0;

/** A receiver of the test's own (subscriptions of other tests cannot reach it). */
async function ownReceiver(): Promise<Receiver> {
  const r = await Receiver.start();
  after(() => r.close());
  return r;
}

before(async () => {
  s = await startTestServer({
    subscriptions: {
      pollMs: 0,
      stopGraceMs: 200,
      retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 5 },
    },
  });
  rx = await Receiver.start();
});

after(async () => {
  await s.close();
  await rx.close();
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A fresh named query (shipping events). */
async function namedQuery(): Promise<string> {
  const name = `ship-${++queries}`;
  const r = await s.req('/queries', json({ name, query: { EQ_bizStep: ['shipping'] } }));
  assert.equal(r.status, 201, await r.text());
  return name;
}

async function captureDoc(events: Record<string, unknown>[]): Promise<void> {
  const r = await s.req('/capture', {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: epcisDocument(events),
  });
  assert.equal(r.status, 202, await r.text());
}

async function problem(r: Response, status: number, exception: string): Promise<Record<string, unknown>> {
  const text = await r.text();
  assert.equal(r.status, status, text);
  assert.match(String(r.headers.get('content-type')), /^application\/problem\+json/);
  const p = JSON.parse(text) as Record<string, unknown>;
  assert.equal(p.type, `epcisException:${exception}`);
  return p;
}

const wsUrl = (path: string): string => s.url.replace(/^http/, 'ws') + path;

interface Client {
  ws: WebSocket;
  docs: Doc[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A WebSocket subscriber; resolves once the handshake succeeded (101). */
async function connect(path: string, key: string | null = ADMIN_KEY): Promise<Client> {
  const ws = new WebSocket(wsUrl(path), key ? { headers: { authorization: `Bearer ${key}` } } : {});
  const docs: Doc[] = [];
  ws.on('message', (m) => docs.push(JSON.parse(String(m)) as Doc));
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { res })),
    );
    ws.once('error', reject);
  });
  return { ws, docs, closed };
}

/** The HTTP answer to a refused handshake: status and problem body. */
async function refusedHandshake(
  path: string,
  key: string | null = ADMIN_KEY,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ws = new WebSocket(wsUrl(path), key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the handshake succeeded')));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        ws.terminate();
      });
    });
    ws.once('error', () => {});
  });
}

const ids = (docs: Doc[]): string[] =>
  docs.flatMap((d) => d.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));

describe('webhook subscriptions', () => {
  test('invalid subscription controls: 400 SubscriptionControlsException; unknown query: 404 NoSuchNameException', async () => {
    const name = await namedQuery();
    const path = `/queries/${name}/subscriptions`;
    for (const body of [
      { dest: rx.url },
      { dest: rx.url, stream: true, schedule: { minute: '5' } },
      { dest: rx.url, schedule: { minute: '75' } },
      { dest: rx.url, schedule: {} },
      { dest: 'ftp://example.com/x', stream: true },
      { dest: 'callback', stream: true },
      { stream: true },
      { dest: rx.url, stream: true, initialRecordTime: 'yesterday' },
      { dest: rx.url, stream: true, reportIfEmtpy: true },
    ]) {
      const p = await problem(await s.req(path, json(body)), 400, 'SubscriptionControlsException');
      assert.equal(p.title, 'The subscription controls are not valid');
    }
    await problem(
      await s.req(path, {
        ...json({ dest: rx.url, stream: true }),
        headers: { 'content-type': 'application/json', 'gs1-epc-format': 'Always_EPC_URN' },
      }),
      400,
      'SubscriptionControlsException',
    );
    await problem(
      await s.req('/queries/no-such-query/subscriptions', json({ dest: rx.url, stream: true })),
      404,
      'NoSuchNameException',
    );
    await problem(await s.req('/queries/no-such-query/subscriptions'), 404, 'NoSuchNameException');
    await problem(
      await s.req(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'stream' }),
      415,
      'UnsupportedMediaTypeException',
    );
    await problem(await s.req(`${path}/not-a-subscription`), 404, 'NoSuchResourceException');
    await problem(
      await s.req(`${path}/not-a-subscription`, { method: 'DELETE' }),
      404,
      'NoSuchResourceException',
    );
    await problem(
      await s.req(path, { ...json({ dest: rx.url, stream: true }), key: null }),
      401,
      'SecurityException',
    );
    assert.deepEqual(await (await s.req(path)).json(), []);
  });

  test('stream: 201 + Location; captures (documents and bare events) are POSTed signed; listed, inspected, deleted', async () => {
    const rx = await ownReceiver();
    const name = await namedQuery();
    const token = 'client-secret-1';
    const r = await s.req(
      `/queries/${name}/subscriptions`,
      json({ dest: rx.url, stream: true, signatureToken: token }),
    );
    assert.equal(r.status, 201);
    const view = (await r.json()) as Record<string, unknown>;
    const id = view.subscriptionID as string;
    assert.equal(r.headers.get('location'), `/queries/${name}/subscriptions/${id}`);
    assert.equal(view.stream, true);
    assert.equal(view.dest, rx.url);
    assert.equal(view.queryName, name);
    assert.ok(view.createdAt);
    assert.equal(view.signatureToken, undefined, 'the secret is not shown');

    const before = rx.received.length;
    const doc = [objectEvent('shipping'), objectEvent('receiving')];
    await captureDoc(doc);
    await rx.until(() => rx.received.length === before + 1);
    const got = rx.received[before]!;
    assert.equal(got.status, 200);
    assert.equal(got.doc.epcisBody.queryResults.subscriptionID, id);
    assert.deepEqual(ids([got.doc]), [doc[0]!.eventID]);
    assert.equal(verifySignature(token, got.body, got.headers['gs1-signature'] as string), true);

    // A bare event (POST /events) wakes the subscription too.
    const bare = objectEvent('shipping');
    const e = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify({
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        ...bare,
      }),
    });
    assert.equal(e.status, 201, await e.text());
    await rx.until(() => rx.received.length === before + 2);
    assert.deepEqual(ids([rx.received[before + 1]!.doc]), [bare.eventID]);

    const list = (await (await s.req(`/queries/${name}/subscriptions`)).json()) as Record<string, unknown>[];
    assert.deepEqual(
      list.map((x) => x.subscriptionID),
      [id],
    );
    const one = (await (await s.req(`/queries/${name}/subscriptions/${id}`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(one.subscriptionID, id);
    assert.ok(one.lastNotifiedAt);
    assert.equal(one.minRecordTime, one.lastNotifiedAt);

    assert.equal((await s.req(`/queries/${name}/subscriptions/${id}`, { method: 'DELETE' })).status, 204);
    await problem(await s.req(`/queries/${name}/subscriptions/${id}`), 404, 'NoSuchResourceException');
    await captureDoc([objectEvent('shipping')]);
    await sleep(150);
    assert.equal(rx.received.length, before + 2);
  });

  test('schedule: the view shows it; list pages with Link rel="next"', async () => {
    const name = await namedQuery();
    for (let i = 0; i < 3; i++) {
      const r = await s.req(
        `/queries/${name}/subscriptions`,
        json({
          dest: rx.url,
          schedule: { hour: '1', minute: '5' },
          reportIfEmpty: true,
          initialRecordTime: '2026-01-01T00:00:00Z',
        }),
      );
      assert.equal(r.status, 201);
      const v = (await r.json()) as Record<string, unknown>;
      assert.deepEqual(v.schedule, { hour: '1', minute: '5' });
      assert.equal(v.reportIfEmpty, true);
      assert.equal(v.initialRecordTime, '2026-01-01T00:00:00.000Z');
      assert.equal(v.stream, undefined);
    }
    const p1 = await s.req(`/queries/${name}/subscriptions?perPage=2`);
    assert.equal(((await p1.json()) as unknown[]).length, 2);
    const link = p1.headers.get('link');
    assert.match(String(link), /rel="next"/);
    const next = /<([^>]+)>/.exec(String(link))![1]!;
    const p2 = await s.req(next);
    assert.equal(((await p2.json()) as unknown[]).length, 1);
    assert.equal(p2.headers.get('link'), null);
  });

  test('deleting the named query ends its webhook subscriptions', async () => {
    const rx = await ownReceiver();
    const name = await namedQuery();
    const r = await s.req(`/queries/${name}/subscriptions`, json({ dest: rx.url, stream: true }));
    assert.equal(r.status, 201);
    assert.equal((await s.req(`/queries/${name}`, { method: 'DELETE' })).status, 204);
    await problem(await s.req(`/queries/${name}/subscriptions`), 404, 'NoSuchNameException');
    const before = rx.received.length;
    await captureDoc([objectEvent('shipping')]);
    await sleep(150);
    assert.equal(rx.received.length, before);
  });
});

describe('WebSocket subscriptions', () => {
  test('stream=true: 101, then each matching capture as an EPCISQueryDocument message; plain GET still runs the query', async () => {
    const name = await namedQuery();
    const c = await connect(`/queries/${name}/events?stream=true`);
    const doc = [objectEvent('receiving'), objectEvent('shipping')];
    await captureDoc(doc);
    await waitFor(() => c.docs.length === 1, 5000, 'a message');
    const d = c.docs[0]!;
    assert.equal(d.type, 'EPCISQueryDocument');
    assert.equal(d.epcisBody.queryResults.queryName, name);
    assert.ok(d.epcisBody.queryResults.subscriptionID);
    assert.deepEqual(ids(c.docs), [doc[1]!.eventID]);
    // The query plugin still answers ordinary GETs on the same path.
    const plain = await s.req(`/queries/${name}/events`);
    assert.equal(plain.status, 200);
    assert.ok(ids([(await plain.json()) as Doc]).includes(doc[1]!.eventID));
    c.ws.close();
    await c.closed;
  });

  test('query parameters narrow the named query; initialRecordTime reaches back', async () => {
    const name = await namedQuery();
    const from = new Date().toISOString();
    const early = objectEvent('shipping');
    await captureDoc([early]);
    const other = { ...objectEvent('shipping'), readPoint: { id: 'urn:epc:id:sgln:9506000.13435.7' } };
    const c = await connect(
      `/queries/${name}/events?stream=true&initialRecordTime=${encodeURIComponent(from)}&EQ_readPoint=${encodeURIComponent('urn:epc:id:sgln:9506000.13435.7')}`,
    );
    await captureDoc([other, objectEvent('shipping')]);
    await waitFor(() => ids(c.docs).length === 1, 5000, 'a message');
    await sleep(100);
    assert.deepEqual(ids(c.docs), [other.eventID]);
    c.ws.close();
  });

  test('schedule with reportIfEmpty: empty documents at the scheduled times', async () => {
    const name = await namedQuery();
    const c = await connect(`/queries/${name}/events?second=*&reportIfEmpty=true`);
    await waitFor(() => c.docs.length >= 1, 2500, 'a scheduled message');
    assert.deepEqual(c.docs[0]!.epcisBody.queryResults.resultsBody.eventList, []);
    c.ws.close();
  });

  test('refused before the upgrade: unknown query 404, bad controls 400, no key 401', async () => {
    const name = await namedQuery();
    let r = await refusedHandshake('/queries/no-such-query/events?stream=true');
    assert.equal(r.status, 404);
    assert.equal(r.body.type, 'epcisException:NoSuchNameException');
    for (const q of ['', '?stream=true&minute=5', '?stream=false', '?minute=99', '?stream=true&perPage=3']) {
      r = await refusedHandshake(`/queries/${name}/events${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.type, 'epcisException:SubscriptionControlsException', q);
    }
    r = await refusedHandshake(`/queries/${name}/events?stream=true&EQ_nothing=1`);
    assert.equal(r.status, 400);
    assert.equal(r.body.type, 'epcisException:QueryParameterException');
    r = await refusedHandshake(`/queries/${name}/events?stream=true`, null);
    assert.equal(r.status, 401);
    assert.equal(r.body.type, 'epcisException:SecurityException');
  });

  test('deleting the named query closes its WebSocket subscriptions (4404)', async () => {
    const name = await namedQuery();
    const a = await connect(`/queries/${name}/events?stream=true`);
    const b = await connect(`/queries/${name}/events?minute=5`);
    assert.equal((await s.req(`/queries/${name}`, { method: 'DELETE' })).status, 204);
    for (const c of [a, b]) {
      const { code, reason } = await c.closed;
      assert.equal(code, 4404);
      assert.match(reason, /deleted/);
    }
  });
});

test('shutdown closes WebSocket subscriptions with 1001', async () => {
  const t = await startTestServer({ subscriptions: { pollMs: 0, stopGraceMs: 100 } });
  try {
    const r = await t.req('/queries', json({ name: 'q', query: {} }));
    assert.equal(r.status, 201);
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/queries/q/events?stream=true`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await t.close();
    assert.equal(await closed, 1001);
  } finally {
    await t.close();
  }
});
