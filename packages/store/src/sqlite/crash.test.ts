/**
 * Crash durability: a child process appends units of work in a loop and prints each acknowledged
 * unit; the parent SIGKILLs it at seeded random moments (several times, on the same file), then
 * reopens the file and checks that every acknowledged unit is complete — events, identifier and
 * reference rows, master data, job — and that no unit is partial.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sgtin } from '../testing/events.ts';
import type { StoredEvent } from '../types.ts';
import { unitSize } from './crash-child.ts';
import { openSqliteStore } from './store.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child until it has been writing for `ms`, SIGKILLs it, returns the units it acknowledged. */
function runAndKill(file: string, firstUnit: number, ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(firstUnit)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let buf = '';
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready') {
          setTimeout(() => {
            killed = true;
            child.kill('SIGKILL');
          }, ms);
        } else if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
        nl = buf.indexOf('\n');
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!killed) reject(new Error(`child ended by itself: ${err}`));
      else resolve(acked);
    });
  });
}

test('SQLite: SIGKILL at random moments loses no acknowledged unit and leaves no partial one', {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-crash-'));
  const file = join(dir, 'crash.db');
  const rnd = prng(20260301);
  const acked: number[] = [];
  try {
    for (let round = 0; round < 6; round++) {
      const ms = 100 + Math.floor(rnd() * 500);
      acked.push(...(await runAndKill(file, round * 100_000, ms)));
    }
    assert.ok(acked.length > 20, `the children acknowledged only ${acked.length} units`);

    const store = await openSqliteStore({ file });
    await store.migrate();
    try {
      // Every stored event, grouped by unit.
      const byUnit = new Map<number, StoredEvent[]>();
      let after: string | undefined;
      let prevSeq = 0;
      for (;;) {
        const page = await store.queryEvents(
          {},
          after === undefined ? { limit: 5000 } : { limit: 5000, after },
        );
        for (const e of page.events) {
          assert.ok(e.seq > prevSeq);
          prevSeq = e.seq;
          const u = Number(e.captureId.slice('unit-'.length));
          let list = byUnit.get(u);
          if (!list) byUnit.set(u, (list = []));
          list.push(e);
        }
        if (!page.next) break;
        after = page.next;
      }
      for (const u of acked) assert.ok(byUnit.has(u), `acknowledged unit ${u} is missing`);
      // No unit partial: acknowledged or not (killed between commit and print), each is whole.
      for (const [u, events] of byUnit) {
        assert.equal(
          events.length,
          unitSize(u),
          `unit ${u} is partial: ${events.length} of ${unitSize(u)} events`,
        );
        const job = await store.getCaptureJob(`unit-${u}`);
        assert.equal(job?.eventCount, unitSize(u), `unit ${u}: job record`);
        assert.equal(
          (await store.getMasterData(undefined, [`urn:x:loc:${u}`])).length,
          1,
          `unit ${u}: master data`,
        );
        const epcs = Array.from({ length: unitSize(u) }, (_, i) => sgtin(u * 1000 + i));
        const byEpc = await store.queryEvents(
          { identifiers: [{ roles: ['epc'], values: epcs }] },
          { limit: 1000 },
        );
        assert.equal(byEpc.events.length, unitSize(u), `unit ${u}: identifier rows`);
        const byRef = await store.queryEvents(
          { references: [{ kind: 'bizTransaction', type: 'po', values: [`urn:x:po:${u}`] }] },
          { limit: 1000 },
        );
        assert.equal(byRef.events.length, unitSize(u), `unit ${u}: reference rows`);
      }
      // Nothing else was left behind by a killed transaction.
      assert.equal((await store.listCaptureJobs({ limit: 100_000 })).jobs.length, byUnit.size);
      assert.equal((await store.getMasterData()).length, byUnit.size);
      assert.equal(
        await store.countEvents(),
        [...byUnit.values()].reduce((n, l) => n + l.length, 0),
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
