/**
 * Acceptance: 8 HTTP clients ask a real `rxtrace serve` process (SQLite) for serials of one GTIN
 * at once, 1,000,000 in all: no serial answered twice, every answered serial stored as reserved.
 * Then the same with the server SIGKILLed in the middle and restarted, the clients retrying.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqliteStore } from '@rxtrace/store';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const KEY = 'serials-concurrency-key';
const GTIN = '09506000134376';
const TOTAL = 1_000_000;
const CLIENTS = 8;
const PER_REQUEST = 5_000;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Server {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

async function startServer(data: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--log-level', 'error'],
    { env: { ...process.env, RXTRACE_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in time: ${out}`)), 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /rxtrace listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.resume();
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rxtrace serve exited (${code}): ${out}`));
    });
  });
  return { child, port, exited };
}

async function post(port: number, path: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function run(killAfter: number | undefined): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'rxtrace-serials-conc-'));
  dirs.push(data);
  let server = await startServer(data);
  const created = await post(server.port, '/serials/pools', {
    poolId: 'conc',
    kind: 'random',
    gtin: GTIN,
    markets: ['DE'],
    plannedVolume: 50_000_000,
    charset: 'alphanumeric',
    length: 12,
  });
  assert.equal(created.status, 201, await created.text());
  const answered: string[][] = [];
  let done = 0;
  let failures = 0;
  let restarting: Promise<void> | undefined;
  const client = async (quota: number) => {
    let got = 0;
    while (got < quota) {
      const count = Math.min(PER_REQUEST, quota - got);
      try {
        if (restarting) await restarting;
        const r = await post(server.port, '/serials/requests', { gtin: GTIN, count, lot: 'L1' });
        assert.equal(r.status, 201);
        const body = (await r.json()) as { serials: string[] };
        assert.equal(body.serials.length, count);
        answered.push(body.serials);
        got += count;
        done += count;
        if (killAfter !== undefined && done >= killAfter && !restarting && failures === 0) {
          failures = 1;
          server.child.kill('SIGKILL');
          restarting = server.exited.then(async () => {
            server = await startServer(data);
            restarting = undefined;
          });
        }
      } catch (e) {
        if (killAfter === undefined) throw e;
        failures++;
        assert.ok(failures < 1000, `too many failed requests: ${e}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, () => client(TOTAL / CLIENTS)));
  if (restarting) await restarting;
  server.child.kill('SIGTERM');
  await server.exited;

  const all = answered.flat();
  assert.equal(all.length, TOTAL);
  assert.equal(new Set(all).size, TOTAL, 'a serial was answered twice');
  const store = await openSqliteStore({ file: join(data, 'rxtrace.db') });
  try {
    await store.migrate();
    for (let i = 0; i < all.length; i += 20_000) {
      const states = await store.serials.statesOf(GTIN, all.slice(i, i + 20_000));
      const lost = states.findIndex((s) => s !== 'reserved');
      assert.equal(lost, -1, `answered serial ${all[i + lost]} is ${states[lost]} in the store`);
    }
    const [row] = await store.serials.reconcile(GTIN);
    // Stored: every answered serial, plus at most the requests the kill cut off before their answer.
    assert.ok(row!.counts.reserved >= TOTAL);
    assert.ok(row!.counts.reserved <= TOTAL + (killAfter === undefined ? 0 : CLIENTS * PER_REQUEST));
  } finally {
    await store.close();
  }
}

test('8 clients, 1,000,000 serials for one GTIN: no duplicates, none lost', {
  timeout: 180_000,
}, async () => {
  await run(undefined);
});

test('the same with the server SIGKILLed in the middle and restarted', { timeout: 180_000 }, async () => {
  await run(TOTAL * 0.4);
});
