/** The `rxtrace gs1` commands, run as a user runs them: a real process, real files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rx(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('gs1 parse prints every form of a valid pack and exits 0', () => {
  const r = rx(['gs1', 'parse', ']d201095060001343761728020010LOT42\u001d21SER123']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.valid, true);
  assert.equal(doc.fields.expiry.date, '2028-02-29');
  assert.equal(doc.forms.bracketed, '(01)09506000134376(17)280200(10)LOT42(21)SER123');
  assert.equal(doc.forms.digitalLink, 'https://id.gs1.org/01/09506000134376/10/LOT42/21/SER123?17=280200');
});

test('gs1 parse reports invalid input with its position and exits 1', () => {
  const r = rx(['gs1', 'parse', '(01)09506000134377(21)ABC']);
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.valid, false);
  assert.equal(doc.errors[0].code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
  assert.equal(doc.errors[0].position, 17);
});

test('gs1 parse --jsonl checks a scanner log line by line', () => {
  const log = ['(01)09506000134376(21)A', 'https://id.gs1.org/01/09506000134376/21/B', 'garbage', ''].join(
    '\n',
  );
  const r = rx(['gs1', 'parse', '--jsonl'], log);
  assert.equal(r.code, 1, 'one invalid line makes the batch fail');
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.valid),
    [true, true, false],
  );
  assert.equal(lines[1].fields.serial, 'B');
});

test('gs1 epc converts both ways and encodes a tag', () => {
  const r = rx([
    'gs1',
    'epc',
    '(01)09506000134376(21)123456',
    '--gcp-length',
    '7',
    '--scheme',
    'sgtin-96',
    '--filter',
    '1',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.epc, 'urn:epc:id:sgtin:9506000.013437.123456');
  assert.equal(doc.tag.tagUri, 'urn:epc:tag:sgtin-96:1.9506000.013437.123456');
  const back = JSON.parse(rx(['gs1', 'epc', doc.tag.hex]).stdout);
  assert.equal(back.epc, doc.epc);
  assert.equal(rx(['gs1', 'epc', '(01)09506000134376(21)1']).code, 2, 'no GCP length: usage error');
});

test('gs1 label renders a PNG that gs1 decode reads back', () => {
  const png = join(dir, 'pack.png');
  const l = rx(['gs1', 'label', '(01)09506000134376(17)280200(10)LOT42(21)S\\(1)', '--hri', '-o', png]);
  assert.equal(l.code, 0, l.stderr);
  assert.ok(existsSync(png) && statSync(png).size > 100);
  const d = rx(['gs1', 'decode', png]);
  assert.equal(d.code, 0, d.stderr);
  const doc = JSON.parse(d.stdout);
  assert.equal(doc.symbologyIdentifier, ']d2');
  assert.equal(doc.fields.serial, 'S(1)');
  const svg = join(dir, 'pallet.svg');
  assert.equal(rx(['gs1', 'label', '(00)106141412345678908', '--symbology', 'gs1-128', '-o', svg]).code, 0);
  assert.ok(statSync(svg).size > 100);
});

test('unknown commands and bad options are usage errors (exit 2)', () => {
  assert.equal(rx(['nope']).code, 2);
  assert.equal(rx(['gs1', 'parse', '--bogus', 'x']).code, 2);
  assert.equal(rx(['gs1', 'decode', join(dir, 'missing.png')]).code, 1);
  assert.equal(rx([]).code, 0);
});
