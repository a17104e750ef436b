/**
 * `npm run bench -- serials`: serial issuance on the embedded store. Section 1 reserves 1,000,000
 * unique random serials for one GTIN (one request) on a fresh SQLite store through SerialService,
 * against a baseline measured in the same run: raw better-sqlite3 inserts of as many pre-generated
 * random strings into a WITHOUT ROWID table, one transaction (WAL, synchronous=FULL).
 * Goal: under 2 s. Section 2: `GET /trace` latency p50/p99 for a pack inside a case inside a
 * pallet with 10,000,000 events stored (goal p99 < 10 ms; `--trace-events=N`, `--no-trace`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomSerialGenerator, SERIAL_CHARSETS, SerialService } from '@rxtrace/core';
import { openSqliteStore } from '@rxtrace/store';
import Database from 'better-sqlite3';
import { traceLatency } from './lib/trace-latency.ts';

export const description = 'serials issued per second (1,000,000 random, SQLite) vs raw SQLite inserts';

const GTIN = '09506000134376';

async function issuance(args: string[]): Promise<number> {
  const n = Number(args.find((a) => a.startsWith('--count='))?.slice(8) ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-bench-serials-'));
  try {
    // Baseline: raw inserts of pre-generated strings.
    const cand = randomSerialGenerator(SERIAL_CHARSETS.alphanumeric!, 12)(n).sort();
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE s (k INTEGER NOT NULL, serial TEXT NOT NULL, state INTEGER NOT NULL, PRIMARY KEY (k, serial)) WITHOUT ROWID',
    );
    const ins = db.prepare('INSERT INTO s VALUES (1, ?, 1)');
    let t = performance.now();
    db.transaction(() => {
      for (const c of cand) ins.run(c);
    })();
    const raw = performance.now() - t;
    db.close();

    const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
    await store.migrate();
    const svc = new SerialService(store.serials, { maxCount: n });
    await svc.createPool({
      poolId: 'bench',
      kind: 'random',
      gtin: GTIN,
      markets: ['DE'],
      plannedVolume: 100_000_000,
      charset: 'alphanumeric',
      length: 12,
    });
    t = performance.now();
    const r = await svc.request({ gtin: GTIN, count: n, lot: 'B1' });
    const ms = performance.now() - t;
    await store.close();
    if (new Set(r.serials).size !== n) throw new Error('duplicates in the answer');
    const rate = (n / ms) * 1000;
    console.log('serials: issuance (SQLite, one request, random alphanumeric length 12)');
    console.log(
      `  rxtrace SerialService.request  ${n} serials in ${(ms / 1000).toFixed(3)} s  ${Math.round(rate).toLocaleString('en')} serials/s`,
    );
    console.log(
      `  baseline raw inserts           ${n} strings in ${(raw / 1000).toFixed(3)} s  (pre-generated, no collision check)`,
    );
    console.log(`  ratio rxtrace / baseline time  ${(ms / raw).toFixed(2)}×`);
    const ok = n < 1_000_000 || ms < 2000;
    console.log(
      `VERDICT serials issuance: ${ok ? 'PASS' : 'FAIL'} — ${n} unique random serials reserved in ${(ms / 1000).toFixed(3)} s (goal: 1,000,000 in < 2 s)`,
    );
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `GET /trace` latency for a pack inside a case inside a pallet, with `--trace-events=N` events
 * stored (default 10,000,000; bench/lib/trace-latency.ts). `--no-trace` skips it.
 */
async function trace(args: string[]): Promise<number> {
  if (args.includes('--no-trace')) {
    console.log('VERDICT trace latency: not measured (--no-trace)');
    return 0;
  }
  const n = Number(args.find((a) => a.startsWith('--trace-events='))?.slice(15) ?? 10_000_000);
  if (!Number.isFinite(n) || n < 1) throw new Error(`--trace-events must be a positive number`);
  console.log(
    `\nserials: GET /trace latency with ${n.toLocaleString('en')} events stored (SQLite, pack state on)`,
  );
  const r = await traceLatency({ events: Math.floor(n) });
  return r.pass ? 0 : 1;
}

/** Sections run in order. */
export const SECTIONS: { name: string; run: (args: string[]) => Promise<number> }[] = [
  { name: 'issuance', run: issuance },
  { name: 'trace', run: trace },
];

export async function run(args: string[]): Promise<number> {
  let code = 0;
  for (const s of SECTIONS) code = Math.max(code, await s.run(args));
  return code;
}
