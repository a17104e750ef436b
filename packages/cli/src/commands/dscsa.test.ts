/** rxtrace ti / history / exceptions / cases on a SQLite data directory. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CaptureService } from '../../../core/src/capture/service.ts';
import {
  at,
  doc,
  gln,
  MFR,
  PO,
  pack,
  receive,
  seedRegistry,
  sscc,
  standardShipment,
  WHS,
} from '../../../core/src/dscsa/test-support.ts';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-dscsa-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  const ewrite = process.stderr.write;
  process.stdout.write = ((s: string) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
}

test('rxtrace ti, history, exceptions, cases', async () => {
  const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
  await store.migrate();
  await seedRegistry(store);
  const capture = new CaptureService(store);
  const send = async (events: Record<string, unknown>[]) => {
    const text = doc(events);
    await capture.capture({
      body: (async function* () {
        yield Buffer.from(text);
      })(),
      contentType: 'application/ld+json',
    });
  };
  const shipId = await standardShipment({ store, capture, send });
  await send([receive([sscc(1)], at(60), MFR, WHS)]);
  await store.close();
  const d = ['--data', dir];

  let r = await run(['ti', PO, ...d]);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.stdout).shipmentEventId, shipId);
  r = await run(['ti', shipId, '--format', 'xml', ...d]);
  assert.match(r.stdout, /urn:epcglobal:epcis:xsd:1/);
  const pdf = join(dir, 'ti.pdf');
  r = await run(['ti', shipId, '--format', 'pdf', '--out', pdf, ...d]);
  assert.equal(r.code, 0);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  assert.equal((await run(['ti', shipId, '--format', 'pdf', ...d])).code, 2);
  assert.equal((await run(['ti', 'nope', ...d])).code, 1);

  r = await run(['history', pack(1), ...d]);
  assert.match(r.stdout, /Acme Pharma Inc\. -> Big Wholesale LLC/);

  r = await run(['exceptions', 'check', ...d]);
  assert.match(r.stdout, /1 receipt\(s\) checked, 1 exception\(s\) raised/);
  r = await run(['exceptions', 'list', '--status', 'open', '--json', ...d]);
  const ex = JSON.parse(r.stdout).items[0];
  assert.equal(ex.category, 'missing_product');
  r = await run(['exceptions', 'resolve', ex.id, '--code', 'bogus', '--by', 'ann', ...d]);
  assert.equal(r.code, 2);
  r = await run(['exceptions', 'resolve', ex.id, '--code', 'credit', '--by', 'ann', ...d]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /resolved .*\[credit by ann\]/);

  r = await run([
    'cases',
    'open',
    '--pack',
    pack(2),
    '--reason',
    'counterfeit',
    '--by',
    'ann',
    '--json',
    ...d,
  ]);
  assert.equal(r.code, 0);
  const c = JSON.parse(r.stdout);
  assert.equal(c.status, 'quarantined');
  r = await run(['cases', 'clear', c.id, '--by', 'bob', ...d]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /cannot clear a case that is quarantined/);
  assert.equal((await run(['cases', 'investigate', c.id, '--by', 'bob', ...d])).code, 0);
  r = await run(['cases', 'illegitimate', c.id, '--by', 'bob', '--reason', 'counterfeit', ...d]);
  assert.match(r.stdout, /clock fda_notification\s+statute due \S+\s+running/);
  r = await run(['cases', 'fda-3911', c.id, '--gln', gln(WHS), ...d]);
  assert.equal(JSON.parse(r.stdout).reporter.companyName, 'Big Wholesale LLC');
  assert.equal((await run(['cases', 'overdue', ...d])).code, 0);
  r = await run(['cases', 'list', '--status', 'illegitimate', ...d]);
  assert.match(r.stdout, new RegExp(c.id));
});
