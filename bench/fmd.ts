/**
 * `npm run bench -- fmd`: EU FMD over HTTP on loopback, on the embedded (SQLite) store.
 *
 * Commissions N packs (default 1,000,000; `--packs=N`) through the capture pipeline (documents of
 * 10,000 packs), then measures with `--clients=50` concurrent keep-alive clients (in a worker
 * thread) for `--seconds=5` each:
 * - `POST /fmd/verify` of random packs (pack state, recall check, alert table) next to a bare
 *   Fastify route taking the same JSON body and answering a fixed JSON, in the same run;
 * - `POST /fmd/dispense` of distinct packs from scan data (parse, verify, capture of the
 *   decommission event — a durable commit each — and the pack state read back).
 * Prints p50, p99 and requests/s, and the verify/bare ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { CaptureService, commissioningDocument } from '../packages/core/src/index.ts';
import { buildServer } from '../packages/server/src/app.ts';
import { openSqliteStore } from '../packages/store/src/sqlite/index.ts';

export const description =
  'EU FMD verify and dispense over HTTP (p50, p99, req/s, 50 clients) vs a bare Fastify route';

const GTIN = '09506000134352';
const LOT = 'LBENCH';
const KEY = 'bench-fmd-key';

function opt(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (!a) return def;
  const v = Number(a.slice(name.length + 3).replace(/_/g, ''));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: a positive number`);
  return v;
}

const serial = (i: number) => `B${String(i).padStart(9, '0')}`;

/** The load client, run in a worker: `clients` loops posting bodies for `seconds`. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, path, bodies, clients, seconds, key } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const lat = [];
let next = 0, errors = 0, statuses = {};
const deadline = Date.now() + seconds * 1000;
function one() {
  return new Promise((resolve) => {
    const body = bodies[next++ % bodies.length];
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer ' + key } },
      (res) => { res.resume(); res.on('end', () => { statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1; lat.push(Number(process.hrtime.bigint() - t0) / 1e6); resolve(); }); });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
}
async function loop() { while (Date.now() < deadline && next < bodies.length * 1000) await one(); }
const t0 = Date.now();
Promise.all(Array.from({ length: clients }, loop)).then(() => {
  parentPort.postMessage({ lat, errors, statuses, ms: Date.now() - t0 });
  agent.destroy();
});
`;

interface Round {
  p50: number;
  p99: number;
  rps: number;
  n: number;
  statuses: Record<string, number>;
}

function load(
  port: number,
  path: string,
  bodies: string[],
  clients: number,
  seconds: number,
): Promise<Round> {
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT, {
      eval: true,
      workerData: { port, path, bodies, clients, seconds, key: KEY },
    });
    w.once('message', (m: { lat: number[]; statuses: Record<string, number>; ms: number }) => {
      const s = m.lat.sort((a, b) => a - b);
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
      resolve({ p50: q(50), p99: q(99), rps: (s.length / m.ms) * 1000, n: s.length, statuses: m.statuses });
      void w.terminate();
    });
    w.once('error', reject);
  });
}

const fmt = (r: Round) =>
  `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ${Math.round(r.rps).toLocaleString('en')} req/s  (${r.n.toLocaleString('en')} requests, status ${JSON.stringify(r.statuses)})`;

export async function run(args: string[]): Promise<number> {
  const packs = opt(args, 'packs', 1_000_000);
  const clients = opt(args, 'clients', 50);
  const seconds = opt(args, 'seconds', 5);
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-bench-fmd-'));
  try {
    const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
    await store.migrate();
    const capture = new CaptureService(store);
    const t0 = Date.now();
    for (let first = 0; first < packs; first += 10_000) {
      const serials = Array.from({ length: Math.min(10_000, packs - first) }, (_, i) => serial(first + i));
      const doc = commissioningDocument({
        gtin: GTIN,
        serials,
        lot: LOT,
        expiry: '2029-06-30',
        eventTime: '2026-01-01T00:00:00.000Z',
      });
      const o = await capture.capture({
        body: (async function* () {
          yield Buffer.from(doc);
        })(),
        contentType: 'application/ld+json',
      });
      if (o.rejected) throw new Error(JSON.stringify(o.rejected));
    }
    console.log(
      `commissioned ${packs.toLocaleString('en')} packs in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    const app = await buildServer({
      store,
      apiKeys: [{ key: KEY, roles: ['admin'] }],
      subscriptions: false,
      captureWorkers: 0,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const bare = Fastify();
    bare.post('/fmd/verify', async () => ({ ok: true, state: 'active', alerts: [] }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;

    // Verify bodies: random packs (half of them by scan data, half by fields).
    const rnd = (i: number) => (i * 2_654_435_761) % packs;
    const verifyBodies = Array.from({ length: 20_000 }, (_, i) =>
      i % 2
        ? JSON.stringify({ code: `]d201${GTIN}21${serial(rnd(i))}\x1d10${LOT}\x1d17290630` })
        : JSON.stringify({ gtin: GTIN, serial: serial(rnd(i)), lot: LOT, expiry: '290630' }),
    );
    let bestBare: Round | undefined;
    let bestVerify: Round | undefined;
    for (let round = 0; round < 2; round++) {
      const b = await load(barePort, '/fmd/verify', verifyBodies, clients, seconds);
      const v = await load(port, '/fmd/verify', verifyBodies, clients, seconds);
      if (!bestBare || b.rps > bestBare.rps) bestBare = b;
      if (!bestVerify || v.rps > bestVerify.rps) bestVerify = v;
    }
    console.log(`bare Fastify route   ${fmt(bestBare!)}`);
    console.log(`POST /fmd/verify     ${fmt(bestVerify!)}`);
    console.log(
      `verify / bare        ${((bestVerify!.rps / bestBare!.rps) * 100).toFixed(0)}% of the requests/s`,
    );

    // Dispense: each body a distinct pack (from the end of the range), so every request supplies one.
    const dispenseBodies = Array.from({ length: Math.min(packs, 200_000) }, (_, i) =>
      JSON.stringify({
        code: `]d201${GTIN}21${serial(packs - 1 - i)}\x1d10${LOT}\x1d17290630`,
        premises: '9506000000113',
        user: 'bench',
      }),
    );
    const d = await load(port, '/fmd/dispense', dispenseBodies, clients, seconds);
    console.log(`POST /fmd/dispense   ${fmt(d)}`);
    await bare.close();
    await app.close();
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
