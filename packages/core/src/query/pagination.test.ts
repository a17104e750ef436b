import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store, StoredEvent } from '@rxtrace/store';
import { planQuery } from './compile.ts';
import { runQuery } from './engine.ts';
import { QueryError } from './errors.ts';
import { parseQueryString } from './params.ts';
import { capture, runAll, storeFactories } from './test-support.ts';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ns.example.com/epcis/' },
];

/** A document of `n` ObjectEvents; event i has serial `${tag}${i}`, eventTimes with ties and out of order. */
function documentOf(n: number, tag: string, minuteBase = 0): string {
  const events = [];
  for (let i = 0; i < n; i++) {
    const minute = minuteBase + ((i * 7919) % n) / 2; // many ties, not in capture order
    events.push({
      type: 'ObjectEvent',
      eventTime: new Date(Date.UTC(2026, 2, 1) + Math.floor(minute) * 60_000).toISOString(),
      eventTimeZoneOffset: '+01:00',
      eventID: `urn:uuid:00000000-0000-4000-8000-${tag.padStart(4, '0')}${String(i).padStart(8, '0')}`,
      epcList: [`https://id.gs1.org/01/09506000134352/21/${tag}${i}`],
      action: 'OBSERVE',
      bizStep: i % 2 ? 'receiving' : 'shipping',
      readPoint: { id: `https://id.gs1.org/414/9506000134352/254/${i % 5}` },
      ...(i % 3 === 0 ? { persistentDisposition: { set: ['recalled'] } } : {}),
      'ex:rank': (i * 37) % 101,
    });
  }
  return JSON.stringify({
    '@context': CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T00:00:00Z',
    epcisBody: { eventList: events },
  });
}

const serialOf = (e: StoredEvent) => (e.event.epcList?.[0] ?? '').split('/21/')[1]!;

function assertOnce(events: StoredEvent[], expected: Set<string>, what: string) {
  const seen = new Map<string, number>();
  for (const e of events) seen.set(serialOf(e), (seen.get(serialOf(e)) ?? 0) + 1);
  for (const [s, n] of seen) assert.equal(n, 1, `${what}: ${s} returned ${n} times`);
  for (const s of expected) assert.ok(seen.has(s), `${what}: ${s} missing`);
}

async function pageThrough(
  store: Store,
  search: string,
  perPage: number,
  between?: (page: number) => Promise<void>,
) {
  const plan = await planQuery(parseQueryString(search).query, store);
  const out: StoredEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await runQuery(store, plan, { perPage, ...(token ? { nextPageToken: token } : {}) });
    assert.ok(page.events.length <= perPage);
    if (page.nextPageToken) assert.equal(page.events.length, perPage, 'only the last page is short');
    out.push(...page.events);
    token = page.nextPageToken;
    pages++;
    if (between && token) await between(pages);
  } while (token);
  return { events: out, pages };
}

for (const factory of storeFactories()) {
  test(`pagination over 10,000 events (${factory.name} store): each event exactly once, in order, also while events arrive`, async () => {
    const { store, dispose } = await factory.open();
    try {
      const outcome = await capture(store, documentOf(10_000, 'A'));
      assert.equal(outcome.stored, 10_000);
      const all = new Set(Array.from({ length: 10_000 }, (_, i) => `A${i}`));

      const plain = await pageThrough(store, '', 30);
      assert.equal(plain.events.length, 10_000);
      assert.equal(plain.pages, 334);
      assertOnce(plain.events, all, 'capture order');

      for (const dir of ['ASC', 'DESC'] as const) {
        const r = await pageThrough(store, `orderBy=eventTime&orderDirection=${dir}`, 97);
        assertOnce(r.events, all, `eventTime ${dir}`);
        for (let i = 1; i < r.events.length; i++) {
          const a = r.events[i - 1]!.eventTime;
          const b = r.events[i]!.eventTime;
          assert.ok(dir === 'ASC' ? a <= b : a >= b, `eventTime ${dir} order at ${i}`);
        }
      }

      // A residual-only parameter (persistent disposition) with an indexed one: pages still full.
      const recalledShipping = new Set([...all].filter((s) => Number(s.slice(1)) % 6 === 0));
      const r = await pageThrough(store, 'EQ_bizStep=shipping&EQ_persistentDisposition_set=recalled', 30);
      assert.equal(r.events.length, recalledShipping.size);
      assertOnce(r.events, recalledShipping, 'residual');

      // Events captured between pages: every earlier event still exactly once.
      let batch = 0;
      const arriving = await pageThrough(store, '', 30, async (page) => {
        if (page % 40 === 0) await capture(store, documentOf(10, `B${++batch}`));
      });
      assertOnce(arriving.events, all, 'capture order with arrivals');
      const timeOrdered = await pageThrough(
        store,
        'orderBy=eventTime&orderDirection=ASC',
        50,
        async (page) => {
          if (page % 30 === 0) await capture(store, documentOf(10, `C${++batch}`, 2000));
        },
      );
      assertOnce(timeOrdered.events, all, 'eventTime order with arrivals');
      const residualArriving = await pageThrough(
        store,
        'EQ_bizStep=shipping&EQ_persistentDisposition_set=recalled&orderBy=eventTime',
        30,
        async () => {
          await capture(store, documentOf(6, `D${++batch}`, 100));
        },
      );
      assertOnce(residualArriving.events, recalledShipping, 'residual with arrivals');
    } finally {
      await dispose();
    }
  });

  test(`eventCountLimit, maxEventCount, orderBy an extension field, tokens (${factory.name} store)`, async () => {
    const { store, dispose } = await factory.open();
    try {
      await capture(store, documentOf(200, 'A'));
      const byTime = (await runAll(store, 'orderBy=eventTime&orderDirection=ASC', 1000)).events;
      const limited = await pageThrough(store, 'orderBy=eventTime&orderDirection=ASC&eventCountLimit=45', 30);
      assert.equal(limited.events.length, 45);
      assert.equal(limited.pages, 2);
      assert.deepEqual(
        limited.events.map((e) => e.seq),
        byTime.slice(0, 45).map((e) => e.seq),
      );
      const limitedDesc = await runAll(store, 'orderBy=eventTime&eventCountLimit=7', 5);
      assert.deepEqual(
        limitedDesc.events.map((e) => e.eventTime),
        byTime
          .slice(-7)
          .reverse()
          .map((e) => e.eventTime),
      );

      const plan = await planQuery(parseQueryString('maxEventCount=199').query, store);
      await assert.rejects(
        runQuery(store, plan, { perPage: 10 }),
        (e: unknown) =>
          e instanceof QueryError && e.exception === 'QueryTooLargeException' && e.status === 413,
      );
      assert.equal((await runAll(store, 'maxEventCount=200', 50)).events.length, 200);
      assert.equal((await runAll(store, 'maxEventCount=100&EQ_bizStep=shipping', 50)).events.length, 100);

      // orderBy an extension field: sorted in memory over a snapshot, arrivals do not shift pages.
      for (const dir of ['ASC', 'DESC'] as const) {
        const p = await planQuery(parseQueryString(`orderBy=ex:rank&orderDirection=${dir}`).query, store);
        const before = await store.countEvents();
        const out: StoredEvent[] = [];
        let token: string | undefined;
        let n = 0;
        do {
          const page = await runQuery(store, p, { perPage: 17, ...(token ? { nextPageToken: token } : {}) });
          out.push(...page.events);
          token = page.nextPageToken;
          if (++n === 3) await capture(store, documentOf(5, `X${dir}`));
        } while (token);
        assert.equal(out.length, before, 'the events of the snapshot, none captured later');
        const ranks = out.map((e) => Number(e.event['ex:rank']));
        for (let i = 1; i < ranks.length; i++)
          assert.ok(dir === 'ASC' ? ranks[i - 1]! <= ranks[i]! : ranks[i - 1]! >= ranks[i]!);
      }
      const top = await runAll(store, 'orderBy=ex:rank&orderDirection=DESC&eventCountLimit=3', 2);
      assert.equal(top.events.length, 3);
      assert.equal(Number(top.events[0]!.event['ex:rank']), 100);

      const p1 = await planQuery(parseQueryString('EQ_bizStep=shipping').query, store);
      const first = await runQuery(store, p1, { perPage: 5 });
      assert.ok(first.nextPageToken);
      const p2 = await planQuery(parseQueryString('EQ_bizStep=receiving').query, store);
      await assert.rejects(
        runQuery(store, p2, { perPage: 5, nextPageToken: first.nextPageToken }),
        /another query/,
      );
      await assert.rejects(
        runQuery(store, p1, { perPage: 5, nextPageToken: 'garbage' }),
        (e: unknown) => e instanceof QueryError && e.exception === 'QueryParameterException',
      );
    } finally {
      await dispose();
    }
  });

  test(`WD_readPoint / WD_bizLocation, HASATTR_ / EQ_ATTR_ through master data (${factory.name} store)`, async () => {
    const { store, dispose } = await factory.open();
    try {
      await capture(store, documentOf(20, 'A'));
      const site = 'https://id.gs1.org/414/9506000134352';
      await store.putMasterData([
        {
          type: 'urn:epcglobal:epcis:vtype:ReadPoint',
          id: site,
          children: [
            'https://id.gs1.org/414/9506000134352/254/1',
            'https://id.gs1.org/414/9506000134352/254/9',
          ],
        },
        {
          type: 'urn:epcglobal:epcis:vtype:ReadPoint',
          id: 'https://id.gs1.org/414/9506000134352/254/9',
          children: ['https://id.gs1.org/414/9506000134352/254/2'],
        },
        {
          type: 'urn:epcglobal:epcis:vtype:ReadPoint',
          id: 'https://id.gs1.org/414/9506000134352/254/3',
          attributes: [{ id: 'urn:epcglobal:cbv:mda#sst', attribute: '201' }],
        },
      ]);
      const rp = (e: StoredEvent) => e.event.readPoint?.id.split('/254/')[1];
      const wd = (
        await runAll(store, `WD_readPoint=${encodeURIComponent('urn:epc:id:sgln:9506000.13435.0')}`)
      ).events;
      assert.deepEqual([...new Set(wd.map(rp))].sort(), ['1', '2']);
      assert.equal(wd.length, 8);
      assert.equal((await runAll(store, `WD_bizLocation=${site}`)).events.length, 0);
      assert.deepEqual(
        [...new Set((await runAll(store, 'HASATTR_readPoint=urn:epcglobal:cbv:mda%23sst')).events.map(rp))],
        ['3'],
      );
      assert.deepEqual(
        [...new Set((await runAll(store, 'HASATTR_readPoint=cbvmda:sst')).events.map(rp))],
        ['3'],
      );
      assert.equal((await runAll(store, 'EQ_ATTR_readPoint_cbvmda:sst=201')).events.length, 4);
      assert.equal((await runAll(store, 'EQ_ATTR_readPoint_cbvmda:sst=202')).events.length, 0);
    } finally {
      await dispose();
    }
  });
}
