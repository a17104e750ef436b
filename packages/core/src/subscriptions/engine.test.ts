import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Store } from '@rxtrace/store';
import { parseQueryBody } from '../query/params.ts';
import { parseWebhookControls, SubscriptionError } from './controls.ts';
import { SubscriptionEngine, type SubscriptionEngineOptions } from './engine.ts';
import { verifySignature } from './signature.ts';
import { capture, objectEvent, Receiver, sleep, tempStore, waitFor } from './testing.ts';

const FAST: Partial<SubscriptionEngineOptions> = {
  pollMs: 0,
  stopGraceMs: 200,
  retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 5 },
};

let store: Store;
let dispose: () => Promise<void>;
let receiver: Receiver;
const engines: SubscriptionEngine[] = [];

async function engine(opts: Partial<SubscriptionEngineOptions> = {}): Promise<SubscriptionEngine> {
  const e = new SubscriptionEngine({ store, ...FAST, ...opts });
  engines.push(e);
  await e.start();
  return e;
}

let queries = 0;
/** A fresh named query: shipping events. */
async function shippingQuery(): Promise<string> {
  const name = `shipping-${++queries}`;
  await store.putNamedQuery({
    name,
    query: { EQ_bizStep: ['shipping'] },
    createdAt: new Date().toISOString(),
  });
  return name;
}

before(async () => {
  ({ store, dispose } = await tempStore());
  receiver = await Receiver.start();
});

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

after(async () => {
  await receiver.close();
  await dispose();
});

/** A receiver of its own (tests run one after the other, but keep their requests apart). */
async function ownReceiver(): Promise<Receiver> {
  const r = await Receiver.start();
  after(() => r.close());
  return r;
}

test('stream: newly captured matching events only, in record order, as an EPCISQueryDocument with the subscriptionID; acknowledged in the store', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const before = await capture(store, [objectEvent('shipping')]);
  const e = await engine();
  const sub = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  assert.equal(sub.lastAckedSeq, await store.lastSeq());
  const ids = await capture(store, [
    objectEvent('shipping'),
    objectEvent('receiving'),
    objectEvent('shipping'),
  ]);
  e.notifyCaptured(await store.lastSeq());
  await rx.until(() => rx.delivered.length === 1);
  await sleep(50);
  assert.equal(rx.received.length, 1);
  const got = rx.received[0]!;
  assert.equal(got.doc.type, 'EPCISQueryDocument');
  assert.equal(got.doc.epcisBody.queryResults.queryName, name);
  assert.equal(got.doc.epcisBody.queryResults.subscriptionID, sub.subscriptionId);
  assert.deepEqual(rx.deliveredEventIds(), [ids[0], ids[2]]);
  assert.ok(!rx.deliveredEventIds().includes(before[0]!));
  assert.match(String(got.headers['content-type']), /^application\/json/);
  assert.equal(got.headers['gs1-signature'], undefined, 'no token, no signature');
  const stored = (await store.listSubscriptions(name))[0]!;
  assert.equal(stored.lastAckedSeq, await store.lastSeq());
  assert.ok(stored.lastNotifiedAt);
  // Only non-matching events later: nothing is sent.
  await capture(store, [objectEvent('receiving')]);
  e.notifyCaptured();
  await sleep(100);
  assert.equal(rx.received.length, 1);
});

test('signature: GS1-Signature verifies against the raw body with the token', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine();
  const token = '13df38d8275b13f05704629e5f1cf3d45d6132d5';
  await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true, signatureToken: token }));
  await capture(store, [objectEvent('shipping')]);
  e.notifyCaptured();
  await rx.until(() => rx.delivered.length === 1);
  const r = rx.received[0]!;
  const sig = r.headers['gs1-signature'];
  assert.equal(typeof sig, 'string');
  assert.equal(verifySignature(token, r.body, sig as string), true);
  assert.equal(verifySignature('another token', r.body, sig as string), false);
  assert.equal(verifySignature(token, r.body.replace('shipping', 'receiving'), sig as string), false);
});

test('at least once: the receiver fails twice, the same events come again until it answers 2xx; nothing lost, acknowledged after', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine({ retry: { initialDelayMs: 150, maxDelayMs: 1000, maxAttempts: 5 } });
  const sub = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  const start = sub.lastAckedSeq;
  rx.script = [500, 503];
  const ids = await capture(store, [objectEvent('shipping'), objectEvent('shipping')]);
  e.notifyCaptured();
  await rx.until(() => rx.received.length >= 1);
  assert.equal((await store.listSubscriptions(name))[0]!.lastAckedSeq, start, 'not acknowledged by a 500');
  await rx.until(() => rx.delivered.length === 1);
  assert.deepEqual(
    rx.received.map((r) => r.status),
    [500, 503, 200],
  );
  for (const r of rx.received)
    assert.deepEqual(
      r.doc.epcisBody.queryResults.resultsBody.eventList.map((x) => x.eventID),
      ids,
    );
  await waitFor(
    async () => (await store.listSubscriptions(name))[0]!.lastAckedSeq === (await store.lastSeq()),
  );
  assert.equal(e.deliveryStatus(sub.subscriptionId)?.failures, 0);
});

test('at least once: after maxAttempts failures the subscription rests, then delivers; a receiver that is down loses nothing', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine({ retry: { initialDelayMs: 10, maxDelayMs: 150, maxAttempts: 2 } });
  const sub = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  rx.script = [500, 500, 500];
  const ids = await capture(store, [objectEvent('shipping')]);
  e.notifyCaptured();
  await rx.until(() => rx.received.length === 2);
  await waitFor(
    () => e.deliveryStatus(sub.subscriptionId)?.retryAt !== undefined,
    1000,
    'the subscription to rest',
  );
  assert.equal(e.deliveryStatus(sub.subscriptionId)?.failures, 2);
  await rx.until(() => rx.delivered.length === 1, 3000);
  assert.deepEqual(
    rx.received.map((r) => r.status),
    [500, 500, 500, 200],
  );
  assert.deepEqual(rx.deliveredEventIds(), ids);
});

test('restart: a new engine resumes after lastAckedSeq — acknowledged events are not sent again, unacknowledged ones are', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const a = await engine();
  const sub = await a.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  const first = await capture(store, [objectEvent('shipping'), objectEvent('shipping')]);
  a.notifyCaptured();
  await rx.until(() => rx.delivered.length === 1);
  // The receiver goes down: the next events are not acknowledged before the engine stops.
  rx.respond = () => 503;
  const second = await capture(store, [objectEvent('shipping')]);
  a.notifyCaptured();
  await rx.until(() => rx.received.length >= 2);
  await a.stop();
  const acked = (await store.listSubscriptions(name))[0]!.lastAckedSeq;
  // Captured while no engine runs.
  const third = await capture(store, [objectEvent('receiving'), objectEvent('shipping')]);
  rx.respond = undefined;
  const b = await engine();
  await rx.until(() => rx.delivered.length === 2);
  await sleep(50);
  assert.deepEqual(rx.deliveredEventIds(), [...first, ...second, third[1]]);
  assert.equal(rx.delivered[1]!.doc.epcisBody.queryResults.subscriptionID, sub.subscriptionId);
  const now = (await store.listSubscriptions(name))[0]!.lastAckedSeq;
  assert.ok(now > acked);
  assert.equal(now, await store.lastSeq());
  // And again: a third engine has nothing to send.
  await b.stop();
  const c = await engine();
  c.notifyCaptured();
  await sleep(100);
  assert.equal(rx.delivered.length, 2);
});

test('schedule with reportIfEmpty: a document at each run, empty when nothing matched; captures wait for the schedule', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine();
  await e.subscribe(
    name,
    parseWebhookControls({ dest: rx.url, schedule: { second: '*' }, reportIfEmpty: true }),
  );
  await rx.until(() => rx.delivered.length >= 1, 2500);
  assert.equal(rx.delivered[0]!.doc.epcisBody.queryResults.resultsBody.eventList.length, 0);
  const n = rx.received.length;
  const ids = await capture(store, [objectEvent('shipping'), objectEvent('receiving')]);
  e.notifyCaptured();
  await rx.until(() => rx.deliveredEventIds().length === 1, 2500);
  assert.ok(rx.received.length > n);
  assert.deepEqual(rx.deliveredEventIds(), [ids[0]]);
});

test('schedule without reportIfEmpty: nothing is sent while nothing matches', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine();
  await e.subscribe(name, parseWebhookControls({ dest: rx.url, schedule: { second: '*' } }));
  await sleep(1300);
  assert.equal(rx.received.length, 0);
  const ids = await capture(store, [objectEvent('shipping')]);
  await rx.until(() => rx.delivered.length === 1, 2500);
  assert.deepEqual(rx.deliveredEventIds(), ids);
});

test('initialRecordTime: the first delivery reaches back to events recorded from then on', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  await capture(store, [objectEvent('shipping')]);
  await sleep(5);
  const from = new Date().toISOString();
  await sleep(5);
  const ids = await capture(store, [
    objectEvent('shipping'),
    objectEvent('receiving'),
    objectEvent('shipping'),
  ]);
  const e = await engine();
  const sub = await e.subscribe(
    name,
    parseWebhookControls({ dest: rx.url, stream: true, initialRecordTime: from }),
  );
  assert.equal(sub.initialRecordTime, from);
  await rx.until(() => rx.delivered.length === 1);
  assert.deepEqual(rx.deliveredEventIds(), [ids[0], ids[2]]);
});

test('batches: at most batchSize events per document; a 413 halves the batches', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine({ batchSize: 4 });
  await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  rx.respond = (r) => (r.doc.epcisBody.queryResults.resultsBody.eventList.length > 2 ? 413 : 200);
  const ids = await capture(
    store,
    Array.from({ length: 7 }, () => objectEvent('shipping')),
  );
  e.notifyCaptured();
  await rx.until(() => rx.deliveredEventIds().length === 7);
  assert.deepEqual(rx.deliveredEventIds(), ids);
  assert.ok(rx.delivered.every((r) => r.doc.epcisBody.queryResults.resultsBody.eventList.length <= 2));
});

test('unsubscribe, unknown query, and a deleted query end deliveries', async () => {
  const rx = await ownReceiver();
  const e = await engine();
  await assert.rejects(
    e.subscribe('no-such-query', parseWebhookControls({ dest: rx.url, stream: true })),
    (x: unknown) => x instanceof SubscriptionError && x.exception === 'NoSuchNameException',
  );
  const name = await shippingQuery();
  const s1 = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  const s2 = await e.subscribe(
    name,
    parseWebhookControls({ dest: rx.url, schedule: { second: '*' }, reportIfEmpty: true }),
  );
  assert.equal(await e.unsubscribe(name, s1.subscriptionId), true);
  assert.equal(await e.unsubscribe(name, s1.subscriptionId), false);
  assert.deepEqual(
    (await e.listSubscriptions(name)).map((s) => s.subscriptionId),
    [s2.subscriptionId],
  );
  await store.deleteNamedQuery(name);
  e.queryDeleted(name);
  assert.equal(e.deliveryStatus(s2.subscriptionId), undefined);
  await capture(store, [objectEvent('shipping')]);
  e.notifyCaptured();
  await sleep(1200);
  assert.equal(rx.received.length, 0);
});

test('the store poll picks up a query deleted behind the engine and captures made elsewhere', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  const e = await engine({ pollMs: 30 });
  const sub = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  const ids = await capture(store, [objectEvent('shipping')]); // no notifyCaptured
  await rx.until(() => rx.delivered.length === 1, 2000);
  assert.deepEqual(rx.deliveredEventIds(), ids);
  await store.deleteNamedQuery(name);
  await waitFor(() => e.deliveryStatus(sub.subscriptionId) === undefined, 2000, 'the subscription to end');
});

test('live subscribers (attach): documents through send; closed with 4404 when the query goes', async () => {
  const name = await shippingQuery();
  const e = await engine();
  const got: string[] = [];
  let closed: [number, string] | undefined;
  const live = await e.attach({
    queryName: name,
    query: parseQueryBody({ EQ_bizStep: ['shipping'] }),
    controls: { stream: true, reportIfEmpty: false },
    send: async (body) => {
      got.push(body);
    },
    close: (code, reason) => {
      closed = [code, reason];
    },
  });
  const ids = await capture(store, [objectEvent('receiving'), objectEvent('shipping')]);
  e.notifyCaptured();
  await waitFor(() => got.length === 1);
  const doc = JSON.parse(got[0]!);
  assert.equal(doc.epcisBody.queryResults.subscriptionID, live.subscriptionID);
  assert.deepEqual(
    doc.epcisBody.queryResults.resultsBody.eventList.map((x: { eventID: string }) => x.eventID),
    [ids[1]],
  );
  e.queryDeleted(name);
  assert.equal(closed?.[0], 4404);
});

test('stop: waits and timers end at once; a delivery in flight is not acknowledged when it does not finish', async () => {
  const rx = await ownReceiver();
  const name = await shippingQuery();
  let release!: () => void;
  const hang = new Promise<void>((r) => {
    release = r;
  });
  const slowFetch: typeof fetch = async (input, init) => {
    await Promise.race([
      hang,
      new Promise((_, rej) => init?.signal?.addEventListener('abort', () => rej(new Error('aborted')))),
    ]);
    return fetch(input, init);
  };
  const e = await engine({ fetch: slowFetch, stopGraceMs: 50 });
  const sub = await e.subscribe(name, parseWebhookControls({ dest: rx.url, stream: true }));
  await capture(store, [objectEvent('shipping')]);
  e.notifyCaptured();
  await sleep(50);
  const t0 = Date.now();
  await e.stop();
  assert.ok(Date.now() - t0 < 1000);
  release();
  assert.equal((await store.listSubscriptions(name))[0]!.lastAckedSeq, sub.lastAckedSeq);
  assert.equal(rx.received.length, 0);
});
