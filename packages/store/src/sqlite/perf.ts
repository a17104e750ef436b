/**
 * SQLite store measurements (run by hand, not a test):
 *
 *   node --import tsx packages/store/src/sqlite/perf.ts [--events 100000] [--lookup-events 1000000]
 *
 * 1. Append throughput of 500-event units of single-EPC ObjectEvents (commissioning, with ILMD),
 *    against the raw-SQLite ceiling of the capture benchmark: the same pragmas (WAL,
 *    synchronous=FULL), JSON text rows plus one index row per EPC, one transaction per unit.
 * 2. MATCH_anyEPC latency (queryEvents by identifier in the five instance roles, page of 30) with
 *    `--lookup-events` events stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { minutesAfterStart, sgln, sgtin, testEvent } from '../testing/events.ts';
import type { NewEvent } from '../types.ts';
import { openSqliteStore } from './store.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('events', 100_000);
const LOOKUP_N = arg('lookup-events', 1_000_000);
const UNIT = 500;

function commissioning(i: number): NewEvent {
  const ne = testEvent({
    key: `perf-${i}`,
    type: 'ObjectEvent',
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: sgln('9506000000019', 'line1'),
    bizLocation: sgln('9506000000019'),
    epcList: [sgtin(100_000_000 + i)],
    eventTime: minutesAfterStart(i / 1000),
    recordTime: new Date().toISOString(),
  });
  ne.event.ilmd = {
    'cbvmda:lotNumber': `LOT${Math.floor(i / 10_000)}`,
    'cbvmda:itemExpirationDate': '2028-12-31',
  };
  return ne;
}

function unitOf(start: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = start; i < start + UNIT; i++) out.push(commissioning(i));
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-sqlite-perf-'));
try {
  // Pre-built input, so that both sides time only the storing.
  const units: NewEvent[][] = [];
  for (let u = 0; u < N / UNIT; u++) units.push(unitOf(u * UNIT));

  // 1a. The raw ceiling.
  const raw = new Database(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(
    'CREATE TABLE ev (seq INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE TABLE idx (epc TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (epc, seq)) WITHOUT ROWID;',
  );
  const insEv = raw.prepare('INSERT INTO ev (body) VALUES (?)');
  const insIdx = raw.prepare('INSERT INTO idx (epc, seq) VALUES (?, ?)');
  const rawUnit = raw.transaction((events: NewEvent[]) => {
    for (const ne of events) {
      const seq = Number(insEv.run(JSON.stringify(ne.event)).lastInsertRowid);
      for (const x of ne.identifiers) insIdx.run(x.id, seq);
    }
  });
  let t = performance.now();
  for (const u of units) rawUnit.immediate(u);
  const rawMs = performance.now() - t;
  raw.close();

  // 1b. The store.
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  await store.migrate();
  t = performance.now();
  for (const [k, u] of units.entries()) await store.append({ captureId: `perf-${k}`, events: u });
  const storeMs = performance.now() - t;
  const rawRate = N / (rawMs / 1000);
  const storeRate = N / (storeMs / 1000);
  console.log(`append, ${N} events in units of ${UNIT}:`);
  console.log(`  raw SQLite ceiling  ${Math.round(rawRate).toLocaleString('en')} events/s`);
  console.log(
    `  SqliteStore.append  ${Math.round(storeRate).toLocaleString('en')} events/s (${((100 * storeRate) / rawRate).toFixed(0)}% of the ceiling)`,
  );
  units.length = 0;

  // 2. MATCH_anyEPC with LOOKUP_N events stored.
  t = performance.now();
  for (let start = N; start < LOOKUP_N; start += UNIT)
    await store.append({ captureId: `fill-${start}`, events: unitOf(start) });
  console.log(
    `filled to ${(await store.countEvents()).toLocaleString('en')} events in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const roles = ['epc', 'parent', 'child', 'input', 'output'] as const;
  const times: number[] = [];
  let found = 0;
  for (let q = 0; q < 3000; q++) {
    const i = Math.floor(Math.random() * LOOKUP_N);
    const t0 = performance.now();
    const page = await store.queryEvents(
      { identifiers: [{ roles: [...roles], values: [sgtin(100_000_000 + i)] }] },
      { limit: 30 },
    );
    times.push(performance.now() - t0);
    found += page.events.length;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(3);
  console.log(
    `MATCH_anyEPC, one EPC, ${times.length} random lookups (${found} events found): p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
