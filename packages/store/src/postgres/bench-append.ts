/**
 * Append throughput of the PostgreSQL store on realistic events: the seeded pharma generator's
 * documents (commissioning, packing, shipping, receiving; canonical Digital Links), normalised,
 * hashed and indexed as the capture pipeline does, appended in units of `--unit` events (one
 * transaction and one WAL flush each). Prints events/s, identifier rows/s and the unit latency.
 *
 *   RXTRACE_TEST_DATABASE_URL=… node --import tsx packages/store/src/postgres/bench-append.ts \
 *     [--events 50000] [--unit 500] [--writers 1] [--keep]
 *
 * Runs in a schema of its own, dropped at the end unless --keep.
 */
import { parseArgs } from 'node:util';
import { eventHashId, normaliseEvent } from '@rxtrace/epcis';
import { generateEpcisEvents } from '@rxtrace/epcis/testing';
import { indexRowsOf, referencesOf } from '../index-rows.ts';
import type { NewEvent } from '../types.ts';
import { openPostgresStore } from './store.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '50000' },
    unit: { type: 'string', default: '500' },
    writers: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const url = process.env.RXTRACE_TEST_DATABASE_URL;
if (!url) {
  console.error(
    'set RXTRACE_TEST_DATABASE_URL (e.g. export RXTRACE_TEST_DATABASE_URL="$(bash .ci/postgres)")',
  );
  process.exit(2);
}
const total = Number(args.events);
const unitSize = Number(args.unit);
const writers = Number(args.writers);

/** Events as the capture pipeline hands them to the store (seeds vary so that hashes differ). */
function* pipelineEvents(): Generator<NewEvent> {
  const recordTime = new Date().toISOString();
  for (let seed = 1; ; seed++) {
    for (const raw of generateEpcisEvents({
      seed,
      pallets: 5,
      casesPerPallet: 4,
      itemsPerCase: 10,
      epcFormat: 'dl',
      masterData: false,
    })) {
      const event = normaliseEvent(raw);
      const hashId = eventHashId(event);
      const eventId = event.eventID ?? hashId;
      yield {
        event: { ...event, eventID: eventId, recordTime },
        eventId,
        hashId,
        eventTime: new Date(event.eventTime).toISOString(),
        recordTime,
        identifiers: indexRowsOf(event),
        references: referencesOf(event),
      };
    }
  }
}

const units: NewEvent[][] = [];
let identifierRows = 0;
let bodyBytes = 0;
{
  const gen = pipelineEvents();
  let unit: NewEvent[] = [];
  for (let i = 0; i < total; i++) {
    const ne = gen.next().value as NewEvent;
    identifierRows += ne.identifiers.length;
    bodyBytes += JSON.stringify(ne.event).length;
    unit.push(ne);
    if (unit.length === unitSize) {
      units.push(unit);
      unit = [];
    }
  }
  if (unit.length) units.push(unit);
}

const schema = `rxtrace_bench_${process.pid}`;
const store = openPostgresStore({ connectionString: url, schema, maxConnections: writers + 2 });
await store.migrate();
const latencies: number[] = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: writers }, async (_, w) => {
    for (;;) {
      const i = next++;
      const unit = units[i];
      if (!unit) return;
      const t = performance.now();
      await store.append({ captureId: `bench-${w}-${i}`, events: unit });
      latencies.push(performance.now() - t);
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
const [size] = await store.sql<{ events: string; identifiers: string; total: string }>(
  `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'events%')) AS events,
          pg_size_pretty(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'event_identifiers%')) AS identifiers,
          pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS total
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
  [schema],
);
console.log(
  JSON.stringify(
    {
      events: total,
      unit: unitSize,
      writers,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(total / seconds),
      identifierRowsPerSecond: Math.round(identifierRows / seconds),
      identifiersPerEvent: Number((identifierRows / total).toFixed(2)),
      meanBodyBytes: Math.round(bodyBytes / total),
      unitMs: { p50: pct(0.5), p95: pct(0.95), max: pct(1) },
      size,
    },
    null,
    1,
  ),
);
if (!args.keep) await store.sql(`DROP SCHEMA ${schema} CASCADE`);
await store.close();
