/**
 * `rxtrace serve`, `rxtrace keys` and `rxtrace import` as a user runs them: real processes, a real
 * SQLite data directory, HTTP on loopback.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rx(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function document(serials: string[], bad = false): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    epcisBody: {
      eventList: serials.map((s) => ({
        type: 'ObjectEvent',
        eventTime: '2026-03-01T09:00:00.000+01:00',
        eventTimeZoneOffset: '+01:00',
        epcList: [`urn:epc:id:sgtin:9506000.013437.${s}`],
        ...(bad ? {} : { action: 'ADD' }),
        bizStep: 'commissioning',
      })),
    },
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  out: string[];
  exited: Promise<number | null>;
}

/** Starts `rxtrace serve` and waits for its address line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...env },
    cwd: dir,
  });
  const out: string[] = [];
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no address in time: ${out.join('\n')}`)), 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      buf += c;
      let nl = buf.indexOf('\n');
      while (nl !== -1) {
        out.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
      const m = /rxtrace listening on (http:\/\/\S+)/.exec(out.join('\n'));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`exited: ${out.join('\n')}`)));
  });
  // Let the first-start key line arrive.
  await new Promise((r) => setTimeout(r, 300));
  return { child, url, out, exited };
}

describe('rxtrace serve', () => {
  const data = join(dir, 'data');

  test('first start: the data directory is created, an admin key printed once; SIGTERM stops it cleanly', async () => {
    const s = await serve(['--data', data]);
    assert.ok(existsSync(join(data, 'rxtrace.db')));
    const key = s.out.map((l) => l.trim()).find((l) => /^rxt_[0-9a-f]{16}_\S+$/.test(l));
    assert.ok(key, s.out.join('\n'));
    assert.equal((await fetch(`${s.url}/health`)).status, 200);
    const r = await fetch(`${s.url}/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: document(['C1', 'C2']),
    });
    assert.equal(r.status, 202);
    assert.equal(((await r.json()) as { eventCount: number }).eventCount, 2);
    // A key made with the CLI while the server runs works at once.
    const made = rx(['keys', 'create', '--role', 'capture,query', '--label', 'ci', '--data', data]);
    assert.equal(made.code, 0, made.stderr);
    const capKey = made.stdout.trim();
    assert.match(capKey, /^rxt_[0-9a-f]{16}_\S+$/);
    assert.equal(
      (await fetch(`${s.url}/capture`, { headers: { authorization: `Bearer ${capKey}` } })).status,
      200,
    );
    assert.equal(
      (await fetch(`${s.url}/keys`, { headers: { authorization: `Bearer ${capKey}` } })).status,
      403,
    );
    // Import over HTTP.
    const file = join(dir, 'http.json');
    writeFileSync(file, document(['H1', 'H2', 'H3']));
    const imp = rx(['import', file, '--url', s.url, '--key', capKey]);
    assert.equal(imp.code, 0, imp.stderr);
    const line = JSON.parse(imp.stdout.trim()) as { success: boolean; stored: number };
    assert.deepEqual([line.success, line.stored], [true, 3]);
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0);
    const logs = s.out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string });
    assert.ok(
      logs.some((l) => l.msg === 'stopped'),
      'structured logs on stdout, ending with "stopped"',
    );
  });

  test('second start: no new key; RXTRACE_API_KEY is an admin key', async () => {
    const s = await serve(['--data', data], { RXTRACE_API_KEY: 'script-admin-key' });
    assert.ok(!s.out.some((l) => /First start/.test(l)));
    const r = await fetch(`${s.url}/keys`, { headers: { authorization: 'Bearer script-admin-key' } });
    assert.equal(r.status, 200);
    assert.ok(((await r.json()) as unknown[]).length >= 2);
    const jobs = (await (
      await fetch(`${s.url}/capture`, { headers: { authorization: 'Bearer script-admin-key' } })
    ).json()) as unknown[];
    assert.equal(jobs.length, 2);
    s.child.kill('SIGINT');
    assert.equal(await s.exited, 0);
  });
});

describe('rxtrace import (direct) and keys', () => {
  test('captures files into the store; a file with an invalid event fails (exit 1) and is reported', () => {
    const data = join(dir, 'direct');
    const good = join(dir, 'good.jsonld');
    const bad = join(dir, 'bad.jsonld');
    writeFileSync(good, document(['D1', 'D2']));
    writeFileSync(bad, document(['D3'], true));
    let r = rx(['import', good, '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout) as unknown, {
      ...(JSON.parse(r.stdout) as object),
      file: good,
      success: true,
      stored: 2,
      duplicates: 0,
      errors: [],
    });
    assert.match(r.stderr, /2 events stored/);
    r = rx(['import', good, bad, '--data', data]);
    assert.equal(r.code, 1);
    const [again, failed] = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            success: boolean;
            duplicates: number;
            stored: number;
            errors: { detail: string }[];
          },
      );
    assert.deepEqual([again!.success, again!.stored, again!.duplicates], [true, 0, 2]);
    assert.equal(failed!.success, false);
    assert.match(failed!.errors[0]!.detail, /action/);
    assert.match(r.stderr, /FAILED/);
    r = rx(['keys', 'list', '--data', data]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    r = rx(['keys', 'create', '--role', 'owner', '--data', data]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown role 'owner'/);
  });
});
