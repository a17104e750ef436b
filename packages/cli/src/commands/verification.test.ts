/** `rxtrace verification` and `rxtrace returns` as a user runs them: real processes, a temp SQLite data dir. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commissioningDocument } from '@rxtrace/core';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-verification-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'data');
const G = '00312345678906';
const GLN = '0614141000005';

function rx(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, RXTRACE_GLN: GLN, RXTRACE_COMPANY_PREFIXES: '0312345' };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', DATA], { encoding: 'utf8', cwd: dir, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('verification check, directory, returns receive / exceptions / resolve, log', () => {
  const doc = join(dir, 'commission.json');
  writeFileSync(
    doc,
    commissioningDocument({ gtin: G, serials: ['A1', 'A2'], lot: 'L1', expiry: '2027-12-31' }),
  );
  let r = rx('import', doc);
  assert.equal(r.code, 0, r.stderr);

  r = rx('verification', 'check', '--gtin', G, '--lot', 'L1', '--serial', 'A1', '--exp', '271231');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^VERIFIED/);
  r = rx('verification', 'check', '--gtin', G, '--lot', 'L2', '--serial', 'A1', '--exp', '271231', '--json');
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).data.verificationFailureReason, 'No_match_GTIN_Serial_Lot');
  r = rx(
    'verification',
    'check',
    '--gtin',
    '00312345678900',
    '--lot',
    'L1',
    '--serial',
    'A1',
    '--exp',
    '271231',
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--gtin/);

  r = rx(
    'verification',
    'directory',
    'set',
    '0614141',
    '--url',
    'http://127.0.0.1:9/vrs',
    '--token',
    'secret',
  );
  assert.equal(r.code, 0, r.stderr);
  r = rx('verification', 'directory', 'list', '--json');
  const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(entries[0]!.responderUrl, 'http://127.0.0.1:9/vrs');
  assert.equal(entries[0]!.hasToken, true);
  assert.equal('token' in entries[0]!, false);

  const file = join(dir, 'return.json');
  writeFileSync(
    file,
    JSON.stringify([
      { gtin: G, serial: 'A2', lot: 'L1', exp: '271231' },
      { gtin: G, serial: 'ZZ', lot: 'L1', exp: '271231' },
    ]),
  );
  r = rx('returns', 'receive', '--file', file, '--user', 'clerk', '--location', '0312345000018', '--json');
  assert.equal(r.code, 1, r.stderr); // one pack quarantined
  const ret = JSON.parse(r.stdout) as {
    returnId: string;
    items: { serial: string; outcome: string; packId: string }[];
  };
  assert.deepEqual(
    ret.items.map((i) => [i.serial, i.outcome]),
    [
      ['A2', 'sellable'],
      ['ZZ', 'quarantined'],
    ],
  );
  r = rx('returns', 'exceptions', '--status', 'open');
  assert.match(r.stdout, /No_match_GTIN_Serial/);
  r = rx(
    'returns',
    'resolve',
    ret.returnId,
    ret.items[1]!.packId,
    '--resolution',
    'destroyed',
    '--user',
    'qa',
  );
  assert.equal(r.code, 0, r.stderr);
  r = rx('returns', 'exceptions', '--status', 'open', '--json');
  assert.deepEqual(JSON.parse(r.stdout), []);
  r = rx('returns', 'list');
  assert.match(r.stdout, /1 sellable, 1 quarantined/);
  r = rx('verification', 'purge', '--before', '2999-01-01T00:00:00Z');
  assert.equal(r.code, 0, r.stderr);
});
