/** rxtrace serials request --request-id on a SQLite data directory: the same id, the same serials. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-serials-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const errs: string[] = [];
  const write = process.stdout.write;
  const ewrite = process.stderr.write;
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => errs.push(String(s)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: errs.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
}

test('rxtrace serials request --request-id: a rerun prints the same serials; other parameters refused', async () => {
  const G = '09506000134376';
  const pool = await run([
    'serials',
    'pool',
    'create',
    '--kind',
    'random',
    '--gtin',
    G,
    '--markets',
    'DE',
    '--planned-volume',
    '1000000',
    '--length',
    '12',
    '--data',
    dir,
  ]);
  assert.equal(pool.code, 0, pool.stderr);
  const ask = ['serials', 'request', '--gtin', G, '--count', '5', '--lot', 'L1', '--request-id', 'job-1'];
  const a = await run([...ask, '--data', dir]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout.trim().split('\n').length, 5);
  const b = await run([...ask, '--data', dir]);
  assert.equal(b.code, 0);
  assert.equal(b.stdout, a.stdout);
  assert.match(b.stderr, /job-1 was answered before/);
  const c = await run([...ask.map((x) => (x === '5' ? '6' : x)), '--data', dir]);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /count 5 then, 6 now/);
  const json = await run([...ask, '--json', '--data', dir]);
  assert.deepEqual(JSON.parse(json.stdout).serials, a.stdout.trim().split('\n'));
});
