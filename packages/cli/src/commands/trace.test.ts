/** rxtrace trace / inventory on a SQLite data directory. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  aggregate,
  capture,
  commission,
  masterData,
  pack,
  SITES,
  ship,
  sscc,
} from '../../../core/src/state/scenario-support.ts';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-trace-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return { code, stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

test('rxtrace trace prints the timeline; inventory counts', async () => {
  const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
  await store.migrate();
  await capture(
    store,
    [
      commission(0, [pack(1), pack(2)]),
      aggregate(1, sscc(5), [pack(1), pack(2)], 'ADD'),
      ship(5, [sscc(5)], SITES.manufacturer, SITES.wholesaler),
    ],
    masterData(),
  );
  await store.close();
  let r = await run(['trace', '(01)09506000134352(21)P00001', '--data', dir]);
  assert.equal(r.code, 0);
  assert.match(
    r.stdout,
    /shipping\s+in_transit\s+Pharma Plant Basel\s+from Pharma Plant Basel \(party\) to Wholesaler Lyon DC \(party\)\s+\[via 00\/\d+\]/,
  );
  assert.match(r.stdout, /status in_transit/);
  r = await run(['trace', pack(1), '--json', '--data', dir]);
  assert.equal(JSON.parse(r.stdout).journey.length, 3);
  r = await run(['inventory', '--by', 'status', '--data', dir]);
  assert.match(r.stdout, /^\s+2 {2}in_transit\n\s+2 {2}total/);
  r = await run(['inventory', '--items', '--status', 'in_transit', '--data', dir]);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.equal((await run(['trace', 'nonsense', '--data', dir])).code, 2);
  assert.equal((await run(['inventory', '--by', 'colour', '--data', dir])).code, 2);
});
