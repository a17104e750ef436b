/**
 * The PostgreSQL store: the shared Store suite (../testing/suite.ts, the same as SQLite's), then
 * what only PostgreSQL has: monthly partitions created on demand (also by concurrent appends from
 * two servers), rows moved out of the DEFAULT partition, the hash-partitioned identifier index,
 * query plans that use the indexes and prune partitions, concurrent migrations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EPCISEvent } from '@rxtrace/epcis';
import { runStoreSuite } from '../testing/suite.ts';
import type { EventIdentifier, EventReference, NewEvent, Store } from '../types.ts';
import { MIGRATIONS } from './migrations.ts';
import { monthStart, partitionName } from './partitions.ts';
import type { PostgresStore } from './store.ts';
import { isoFromPg, openPostgresStore } from './store.ts';
import { makeTestStore, openTestStore, testDatabaseUrl } from './test-database.ts';

const url = testDatabaseUrl();

const SGTIN = (serial: string) => `https://id.gs1.org/01/09506000134352/21/${serial}`;
const SSCC = (n: string) => `https://id.gs1.org/00/${n}`;
const LGTIN = 'https://id.gs1.org/01/09506000134352/10/LOT1';
const SGLN = (n: string) => `https://id.gs1.org/414/9520123456788/254/${n}`;

interface EventSpec {
  id: string;
  hash?: string;
  type?: string;
  time?: string;
  recordTime?: string;
  action?: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  epcs?: string[];
  parent?: string;
  children?: string[];
  classes?: string[];
  bizTransactions?: { type: string; value: string }[];
  sources?: { type: string; value: string }[];
  errorDeclaration?: NewEvent['errorDeclaration'];
}

let hashCounter = 0;
function ev(s: EventSpec): NewEvent {
  const eventTime = s.time ?? '2026-03-01T09:00:00.000Z';
  const recordTime = s.recordTime ?? '2026-03-02T10:00:00.000Z';
  const event: EPCISEvent = {
    type: s.type ?? 'ObjectEvent',
    eventTime,
    eventTimeZoneOffset: '+00:00',
    recordTime,
    eventID: s.id,
    ...(s.epcs ? { epcList: s.epcs } : {}),
    ...(s.parent ? { parentID: s.parent } : {}),
    ...(s.children ? { childEPCs: s.children } : {}),
    ...(s.classes ? { quantityList: s.classes.map((epcClass) => ({ epcClass, quantity: 1 })) } : {}),
    action: s.action ?? 'OBSERVE',
    ...(s.bizStep ? { bizStep: s.bizStep } : {}),
    ...(s.disposition ? { disposition: s.disposition } : {}),
    ...(s.readPoint ? { readPoint: { id: s.readPoint } } : {}),
    ...(s.bizLocation ? { bizLocation: { id: s.bizLocation } } : {}),
    ...(s.bizTransactions
      ? { bizTransactionList: s.bizTransactions.map((b) => ({ type: b.type, bizTransaction: b.value })) }
      : {}),
    ...(s.sources ? { sourceList: s.sources.map((b) => ({ type: b.type, source: b.value })) } : {}),
    ...(s.errorDeclaration
      ? {
          errorDeclaration: {
            declarationTime: s.errorDeclaration.declarationTime,
            ...(s.errorDeclaration.reason ? { reason: s.errorDeclaration.reason } : {}),
            correctiveEventIDs: s.errorDeclaration.correctiveEventIds,
          },
        }
      : {}),
  } as EPCISEvent;
  const identifiers: EventIdentifier[] = [
    ...(s.epcs ?? []).map((id) => ({ role: 'epc' as const, id })),
    ...(s.parent ? [{ role: 'parent' as const, id: s.parent }] : []),
    ...(s.children ?? []).map((id) => ({ role: 'child' as const, id })),
    ...(s.classes ?? []).map((id) => ({ role: 'class' as const, id })),
  ];
  const references: EventReference[] = [
    ...(s.bizTransactions ?? []).map((b) => ({
      kind: 'bizTransaction' as const,
      type: b.type,
      value: b.value,
    })),
    ...(s.sources ?? []).map((b) => ({ kind: 'source' as const, type: b.type, value: b.value })),
  ];
  return {
    event,
    eventId: s.id,
    hashId: s.hash ?? `ni:///sha-256;${(++hashCounter).toString(16).padStart(8, '0')}-${s.id}?ver=CBV2.0`,
    eventTime,
    recordTime,
    identifiers,
    references,
    ...(s.errorDeclaration ? { errorDeclaration: s.errorDeclaration } : {}),
  };
}

async function ids(
  store: Store,
  filter: Parameters<Store['queryEvents']>[0],
  opts: Partial<Parameters<Store['queryEvents']>[1]> = {},
): Promise<string[]> {
  const page = await store.queryEvents(filter, { limit: 1000, ...opts });
  return page.events.map((e) => e.eventId);
}

test('isoFromPg turns timestamptz text (UTC) into ISO 8601 with milliseconds', () => {
  assert.equal(isoFromPg('2026-03-01 09:00:00+00'), '2026-03-01T09:00:00.000Z');
  assert.equal(isoFromPg('2026-03-01 09:00:00.12+00'), '2026-03-01T09:00:00.120Z');
  assert.equal(isoFromPg('2026-03-01 09:00:00.123456+00'), '2026-03-01T09:00:00.123Z');
  assert.equal(isoFromPg('2026-03-01 11:00:00+02'), '2026-03-01T09:00:00.000Z');
});

test('monthStart and partition names', () => {
  assert.equal(monthStart('2026-03-31T23:59:59.999Z'), '2026-03-01');
  assert.equal(monthStart('2026-03-31T23:30:00-02:00'), '2026-04-01');
  assert.equal(partitionName('2026-04-01'), 'events_2026_04');
});

if (url) {
  runStoreSuite('postgres', async () => openTestStore(url));

  describe('PostgreSQL store', () => {
    test('migrations are recorded once; two servers migrating one schema at once are safe', async () => {
      const s = openTestStore(url);
      const other = openPostgresStore({ connectionString: url, schema: s.schema, hashPartitions: 4 });
      try {
        await Promise.all([s.migrate(), other.migrate(), s.migrate()]);
      } finally {
        await other.close();
      }
      const versions = await s.sql<{ version: number }>(
        'SELECT version FROM rxtrace_migrations ORDER BY version',
      );
      assert.deepEqual(
        versions.map((v) => v.version),
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal(s.dialect, 'postgres');
      const meta = await s.sql<{ value: string }>(
        "SELECT value FROM rxtrace_meta WHERE key = 'hash_partitions'",
      );
      assert.deepEqual(meta, [{ value: '4' }]);
    });

    describe('queries', () => {
      let s: PostgresStore;
      const setup = (async () => {
        s = await makeTestStore(url);
        await s.append({
          captureId: 'q1',
          events: [
            ev({
              id: 'commission',
              time: '2026-01-10T08:00:00.000Z',
              action: 'ADD',
              bizStep: 'commissioning',
              readPoint: SGLN('line1'),
              epcs: [SGTIN('1'), SGTIN('2'), SGTIN('3')],
            }),
            ev({
              id: 'pack',
              type: 'AggregationEvent',
              time: '2026-01-10T09:00:00.000Z',
              action: 'ADD',
              bizStep: 'packing',
              parent: SSCC('095201234567890123'),
              children: [SGTIN('1'), SGTIN('2')],
            }),
            ev({
              id: 'ship',
              time: '2026-02-01T12:00:00.000Z',
              bizStep: 'shipping',
              epcs: [SSCC('095201234567890123')],
              bizTransactions: [{ type: 'po', value: 'urn:epcglobal:cbv:bt:9520123456788:PO-1' }],
            }),
            ev({
              id: 'lot',
              type: 'TransformationEvent',
              time: '2026-02-15T12:00:00.000Z',
              classes: [LGTIN],
            }),
          ],
        });
        await s.sql('ANALYZE events, event_identifiers');
      })();

      const plan = async (text: string, values?: unknown[]) =>
        (await s.sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values))
          .map((r) => r['QUERY PLAN'])
          .join('\n');

      test('MATCH_anyEPC reads one hash partition of the identifier index', async () => {
        await setup;
        assert.deepEqual(
          await ids(s, {
            identifiers: [{ roles: ['epc', 'parent', 'child', 'input', 'output'], values: [SGTIN('1')] }],
          }),
          ['commission', 'pack'],
        );
        const p = await plan(
          `SELECT e.seq FROM events e WHERE (e.seq, e.event_time) IN (SELECT i.seq, i.event_time FROM event_identifiers i
           WHERE i.role = ANY('{1,2,3,4,5}') AND i.id = ANY('{${SGTIN('1')}}')) ORDER BY e.seq LIMIT 31`,
        );
        assert.equal((p.match(/on event_identifiers_h\d\d/g) ?? []).length, 1, p);
      });

      test('a time range reads only its months; the DEFAULT partition is pruned', async () => {
        await setup;
        const p = await plan(
          "SELECT seq FROM events WHERE event_time >= '2026-02-01' AND event_time < '2026-03-01'",
        );
        assert.match(p, /events_2026_02/);
        assert.doesNotMatch(p, /events_2026_01|events_default/);
        assert.deepEqual(
          await ids(s, { eventTime: { ge: '2026-02-01T00:00:00.000Z', lt: '2026-03-01T00:00:00.000Z' } }),
          ['ship', 'lot'],
        );
      });

      test('LIKE metacharacters in a prefix are literal', async () => {
        await setup;
        assert.deepEqual(
          await ids(s, {
            identifiers: [{ roles: ['epc'], prefixes: ['https://id.gs1.org/01/0950600013435_/'] }],
          }),
          [],
        );
        assert.deepEqual(
          await ids(s, { identifiers: [{ roles: ['epc'], prefixes: ['https://id.gs1.org/01/%'] }] }),
          [],
        );
        assert.deepEqual(
          await ids(s, {
            identifiers: [{ roles: ['epc'], prefixes: ['https://id.gs1.org/01/09506000134352/21/'] }],
          }),
          ['commission'],
        );
      });
    });

    describe('partitions', () => {
      test('events of different months land in their monthly partitions', async () => {
        const s = await makeTestStore(url);
        await s.append({
          captureId: 'p',
          events: [
            ev({ id: 'jan', time: '2025-01-31T23:59:59.999Z' }),
            ev({ id: 'feb', time: '2025-02-01T00:00:00.000Z' }),
            ev({ id: 'feb2', time: '2025-02-28T12:00:00.000Z' }),
            ev({ id: 'dec', time: '2024-12-15T00:00:00.000Z' }),
            ev({ id: 'old', time: '1999-12-31T23:59:59.999Z' }),
          ],
        });
        const rows = await s.sql<{ part: string; event_id: string }>(
          'SELECT tableoid::regclass::text AS part, event_id FROM events ORDER BY seq',
        );
        assert.deepEqual(
          rows.map((r) => [r.event_id, r.part]),
          [
            ['jan', 'events_2025_01'],
            ['feb', 'events_2025_02'],
            ['feb2', 'events_2025_02'],
            ['dec', 'events_2024_12'],
            ['old', 'events_1999_12'],
          ],
        );
        const months = (await s.eventPartitions()).map((p) => p.month);
        for (const m of [
          '1999-12-01',
          '2024-12-01',
          '2025-01-01',
          '2025-02-01',
          monthStart(new Date().toISOString()),
        ])
          assert.ok(months.includes(m), m);
        assert.equal((await s.sql<{ n: number }>('SELECT count(*) AS n FROM events_default'))[0]?.n, 0);
      });

      test("a new month's partition is created on demand, once, also by two servers appending at once", async () => {
        const s = await makeTestStore(url);
        const before = (await s.eventPartitions()).map((p) => p.name);
        assert.ok(!before.includes('events_2031_07'));
        // A second store on the same schema (another server process): neither knows the partition yet.
        const other = openPostgresStore({ connectionString: url, schema: s.schema });
        try {
          await Promise.all([
            s.append({ captureId: 'a', events: [ev({ id: 'a', time: '2031-07-04T00:00:00.000Z' })] }),
            other.append({ captureId: 'b', events: [ev({ id: 'b', time: '2031-07-05T00:00:00.000Z' })] }),
            s.append({ captureId: 'c', events: [ev({ id: 'c', time: '2031-07-06T00:00:00.000Z' })] }),
          ]);
        } finally {
          await other.close();
        }
        const after = (await s.eventPartitions()).map((p) => p.name);
        assert.equal(after.filter((n) => n === 'events_2031_07').length, 1);
        const rows = await s.sql<{ part: string; n: number }>(
          "SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM events WHERE event_time >= '2031-07-01' GROUP BY 1",
        );
        assert.deepEqual(rows, [{ part: 'events_2031_07', n: 3 }]);
      });

      test('rows that reached the DEFAULT partition move into their month when it is created', async () => {
        const s = await makeTestStore(url);
        // Written without a partition (e.g. restored from a dump by hand).
        await s.sql(`INSERT INTO events_default (seq, event_time, record_time, event_id, hash_id, event_type, capture_id, is_error_declaration, body)
          VALUES (100, '2033-05-05T00:00:00Z', now(), 'stray', 'h-stray', 'ObjectEvent', 'x', false, '{}')`);
        assert.deepEqual(await s.ensurePartitions(['2033-05-01']), ['2033-05-01']);
        assert.deepEqual(await s.ensurePartitions(['2033-05-01']), []);
        const rows = await s.sql<{ part: string }>(
          "SELECT tableoid::regclass::text AS part FROM events WHERE event_id = 'stray'",
        );
        assert.deepEqual(rows, [{ part: 'events_2033_05' }]);
        assert.equal((await s.sql<{ n: number }>('SELECT count(*) AS n FROM events_default'))[0]?.n, 0);
        // The DEFAULT partition is attached again.
        const parts = await s.sql<{ name: string }>(
          "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass AND c.relname = 'events_default'",
        );
        assert.equal(parts.length, 1);
      });

      test('the lookup tables are hash-partitioned: one identifier, one partition', async () => {
        const s = await makeTestStore(url);
        await s.append({
          captureId: 'h',
          events: [ev({ id: 'h', epcs: Array.from({ length: 40 }, (_, i) => SGTIN(`s${i}`)) })],
        });
        const rows = await s.sql<{ part: string; n: number }>(
          'SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM event_identifiers GROUP BY 1 ORDER BY 1',
        );
        assert.deepEqual(
          rows.map((r) => r.part),
          [
            'event_identifiers_h00',
            'event_identifiers_h01',
            'event_identifiers_h02',
            'event_identifiers_h03',
          ],
        );
        assert.equal(
          rows.reduce((a, r) => a + r.n, 0),
          40,
        );
        const one = await s.sql<{ n: number }>(
          'SELECT count(DISTINCT tableoid)::int AS n FROM event_identifiers WHERE id = ANY($1)',
          [[SGTIN('s7')]],
        );
        assert.equal(one[0]?.n, 1);
      });
    });

    test('an error declaration with another hash still marks the events with its eventID', async () => {
      const s = await makeTestStore(url);
      await s.append({ captureId: 'c1', events: [ev({ id: 'x', hash: 'h-x' })] });
      const declaration = { declarationTime: '2026-03-04T00:00:00.000Z', correctiveEventIds: [] };
      await s.append({
        captureId: 'c2',
        events: [ev({ id: 'x', hash: 'h-partner-copy', errorDeclaration: declaration })],
      });
      assert.deepEqual(
        (await s.getEventsById('x')).map((e) => [e.isErrorDeclaration, e.corrected]),
        [
          [false, true],
          [true, false],
        ],
      );
    });
  });
}
