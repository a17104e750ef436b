/** rxtrace fmd / rxtrace recall on a SQLite data directory. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CaptureService, commissioningDocument } from '@rxtrace/core';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-fmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const GTIN = '09506000134352';
const GS = '\x1d';
const scan = (serial: string) => `]d201${GTIN}21${serial}${GS}10L1${GS}17281231`;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const o: string[] = [];
  const e: string[] = [];
  const w1 = process.stdout.write;
  const w2 = process.stderr.write;
  process.stdout.write = ((s: string) => o.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => e.push(String(s)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: o.join(''), stderr: e.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

test('rxtrace fmd verify / dispense (twice refused) / undo; rxtrace recall create / show / list / close', async () => {
  const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
  await store.migrate();
  const body = commissioningDocument({ gtin: GTIN, serials: ['C1', 'C2'], lot: 'L1', expiry: '2028-12-31' });
  const c = await new CaptureService(store).capture({
    body: (async function* () {
      yield Buffer.from(body);
    })(),
    contentType: 'application/ld+json',
  });
  assert.equal(c.rejected, undefined);
  await store.close();
  const d = ['--data', dir];

  let r = await run(['fmd', 'verify', scan('C1'), ...d]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^OK /);
  r = await run(['fmd', 'verify', '--gtin', GTIN, '--serial', 'C1', '--lot', 'L2', ...d]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FMD-A3 batch_mismatch \[ALERT\]/);

  r = await run(['fmd', 'dispense', scan('C1'), '--premises', '9506000000114', '--user', 'alice', ...d]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^SUPPLIED /);
  r = await run(['fmd', 'dispense', scan('C1'), '--premises', '9506000000114', '--user', 'alice', ...d]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FMD-A5 already_inactive/);
  r = await run(['fmd', 'undo', scan('C1'), '--premises', '9506000000114', '--user', 'bob', ...d]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FMD-U3 undo_other_user/);
  r = await run([
    'fmd',
    'undo',
    scan('C1'),
    '--premises',
    '9506000000114',
    '--user',
    'alice',
    '--json',
    ...d,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'active');
  r = await run(['fmd', 'decommission', scan('C2'), '--reason', 'nope', '--premises', '9506000000114', ...d]);
  assert.equal(r.code, 2);
  writeFileSync(join(dir, 'codes.txt'), `${scan('C1')}\n\n(01)${GTIN}(21)NOPE(10)L1(17)281231\n`);
  r = await run(['fmd', 'bulk', 'verify', '--file', join(dir, 'codes.txt'), ...d]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\tOK\t\n/);
  assert.match(r.stdout, /NOPE.*\tNOT OK\tFMD-A2/);
  r = await run(['fmd', 'alerts']);
  assert.match(r.stdout, /FMD-U2 {2}undo_too_late/);

  r = await run(['recall', 'create', '--gtin', GTIN, '--lot', 'L1', '--reason', 'sterility', '--json', ...d]);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.affected.total, 2);
  r = await run(['recall', 'show', rep.recall.id, ...d]);
  assert.match(r.stdout, /RECALL .* IN FORCE/);
  assert.match(r.stdout, /affected packs: 2/);
  r = await run(['fmd', 'verify', scan('C2'), ...d]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FMD-S2 recalled/);
  r = await run(['recall', 'list', '--active', '--json', ...d]);
  assert.equal(JSON.parse(r.stdout).recalls.length, 1);
  r = await run(['recall', 'close', rep.recall.id, '--reason', 'cleared', ...d]);
  assert.equal(r.code, 0);
  r = await run(['fmd', 'verify', scan('C2'), ...d]);
  assert.equal(r.code, 0);
  r = await run(['recall', 'show', 'nope', ...d]);
  assert.equal(r.code, 1);
  r = await run(['recall', 'create', '--gtin', '123', '--reason', 'x', ...d]);
  assert.equal(r.code, 2);
});
