/**
 * Timing of the DSCSA reads on SQLite: TI (JSON, EPCIS 1.2 XML, PDF) and the receipt check of a
 * shipment of N pallets × 50 cases × 100 packs. Run: node --import tsx packages/core/src/dscsa/bench-dscsa.ts [pallets]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@rxtrace/store';
import { CaptureService } from '../capture/service.ts';
import { compareReceipt } from './receipts.ts';
import {
  aggregate,
  at,
  commission,
  doc,
  type Ev,
  MFR,
  pack,
  receive,
  seedRegistry,
  ship,
  sscc,
  WHS,
} from './test-support.ts';
import { findShipments, transactionInformation } from './ti.ts';
import { tiToEpcis12, tiToPdf } from './ti-export.ts';

const pallets = Number(process.argv[2] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-dscsa-bench-'));
const store = await openSqliteStore({ file: join(dir, 'b.db') });
await store.migrate();
await seedRegistry(store);
const capture = new CaptureService(store);
const send = async (events: Ev[]) => {
  const text = doc(events);
  const o = await capture.capture({
    body: (async function* () {
      yield Buffer.from(text);
    })(),
    contentType: 'application/ld+json',
  });
  if (!o.job.success) throw new Error(JSON.stringify(o.job.errors));
};
const tops: string[] = [];
let n = 0;
for (let p = 0; p < pallets; p++) {
  const evs: Ev[] = [];
  const cases: string[] = [];
  for (let c = 0; c < 50; c++) {
    const packs = Array.from({ length: 100 }, () => pack(++n));
    evs.push(commission(packs, at(0)));
    const cs = sscc(1000 + p * 100 + c);
    cases.push(cs);
    evs.push(aggregate(cs, packs, at(1)));
  }
  const pal = sscc(90000 + p);
  evs.push(aggregate(pal, cases, at(2)));
  tops.push(pal);
  await send(evs);
}
await send([ship(tops, at(10), MFR, WHS, 'urn:x:po:bench', 'urn:uuid:00000000-0000-4000-8000-00000000b001')]);
await send([
  receive(tops, at(60), MFR, WHS, 'urn:x:po:bench', 'urn:uuid:00000000-0000-4000-8000-00000000b002'),
]);
const time = async <T>(label: string, f: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const r = await f();
  console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms`);
  return r;
};
const [e] = await findShipments(store, 'urn:uuid:00000000-0000-4000-8000-00000000b001');
const ti = await time(`TI JSON (${n} packs)`, () => transactionInformation(store, e!));
const x = await time('TI EPCIS 1.2 XML', () => tiToEpcis12(store, ti, e!));
const p = await time('TI PDF', () => tiToPdf(ti));
console.log(`XML ${(x.xml.length / 1e6).toFixed(1)} MB, PDF ${(p.length / 1e3).toFixed(0)} kB`);
const r = (
  await store.queryEvents({ eventIds: ['urn:uuid:00000000-0000-4000-8000-00000000b002'] }, { limit: 1 })
).events[0]!;
const ex = await time('receipt check of the shipment', () => compareReceipt(store, r));
console.log(`exceptions: ${ex.length}`);
await store.close();
rmSync(dir, { recursive: true, force: true });
