/**
 * Test support for the DSCSA parts: a US supply chain (manufacturer → wholesaler → pharmacy) in
 * the registry, and EPCIS documents captured through the real CaptureService.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { withCheckDigit } from '@rxtrace/gs1';
import { openSqliteStore, type RxtraceStore } from '@rxtrace/store';
import { openTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { CaptureService } from '../capture/service.ts';

export const NDC = '0345-0158-01';
export const GTIN = withCheckDigit(`003${NDC.replace(/-/g, '')}`);
export const GTIN_UNKNOWN = withCheckDigit('0030999999991');
export const LOT = 'L100';
export const LOT2 = 'L200';
export const EXPIRY = '2028-12-31';
export const gln = (n: number) => withCheckDigit(`030345${String(n).padStart(6, '0')}`);
export const party = (n: number) => `https://id.gs1.org/417/${gln(n)}`;
export const loc = (n: number) => `https://id.gs1.org/414/${gln(n)}`;
export const pack = (n: number, gtin = GTIN) =>
  `https://id.gs1.org/01/${gtin}/21/S${String(n).padStart(4, '0')}`;
export const sscc = (n: number) =>
  `https://id.gs1.org/00/${withCheckDigit(`0030345${String(n).padStart(10, '0')}`)}`;
export const MFR = 1;
export const WHS = 2;
export const PHARMACY = 3;
export const PO = 'urn:epcglobal:cbv:bt:0303450000001:PO-1';
export const at = (min: number) => new Date(Date.UTC(2026, 4, 4, 8) + min * 60_000).toISOString();

export type Ev = Record<string, unknown>;

export function doc(events: Ev[]): string {
  return JSON.stringify({
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { rx: 'https://rxtrace.org/epcis/ext/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-05-04T08:00:00Z',
    epcisBody: { eventList: events },
  });
}

export function commission(packs: string[], time: string, lot = LOT): Ev {
  return {
    type: 'ObjectEvent',
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    epcList: packs,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    bizLocation: { id: loc(MFR) },
    ilmd: { 'cbvmda:lotNumber': lot, 'cbvmda:itemExpirationDate': EXPIRY },
  };
}

export function aggregate(parent: string, children: string[], time: string): Ev {
  return {
    type: 'AggregationEvent',
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    parentID: parent,
    childEPCs: children,
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    bizLocation: { id: loc(MFR) },
  };
}

export function ship(objects: string[], time: string, from: number, to: number, po = PO, id?: string): Ev {
  return {
    type: 'ObjectEvent',
    ...(id ? { eventID: id } : {}),
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    epcList: objects,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: loc(from) },
    bizTransactionList: [{ type: 'po', bizTransaction: po }],
    sourceList: [
      { type: 'owning_party', source: party(from) },
      { type: 'location', source: loc(from) },
    ],
    destinationList: [
      { type: 'owning_party', destination: party(to) },
      { type: 'location', destination: loc(to) },
    ],
  };
}

export function receive(
  objects: string[],
  time: string,
  from: number,
  to: number,
  po: string | undefined = PO,
  id?: string,
): Ev {
  return {
    type: 'ObjectEvent',
    ...(id ? { eventID: id } : {}),
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    epcList: objects,
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    readPoint: { id: loc(to) },
    bizLocation: { id: loc(to) },
    ...(po ? { bizTransactionList: [{ type: 'po', bizTransaction: po }] } : {}),
    sourceList: [{ type: 'owning_party', source: party(from) }],
    destinationList: [{ type: 'owning_party', destination: party(to) }],
  };
}

/** Registry: the product, three authorised partners with locations. */
export async function seedRegistry(store: RxtraceStore): Promise<void> {
  await store.registry.putProducts([
    {
      gtin: GTIN,
      ndc: NDC,
      ndc11: '00345015801',
      name: 'Metoprolol Tartrate Tablets',
      strength: '50 mg',
      dosageForm: 'tablet',
      packSize: 100,
      markets: ['US'],
      gcpLength: 7,
      packaging: [],
    },
  ]);
  const names = {
    [MFR]: 'Acme Pharma Inc.',
    [WHS]: 'Big Wholesale LLC',
    [PHARMACY]: 'Main Street Pharmacy',
  } as Record<number, string>;
  const roles = { [MFR]: 'manufacturer', [WHS]: 'wholesaler', [PHARMACY]: 'dispenser' } as const;
  await store.registry.putPartners(
    [MFR, WHS, PHARMACY].map((n) => ({
      gln: gln(n),
      name: names[n]!,
      roles: [roles[n as 1 | 2 | 3]],
      status: 'authorised' as const,
      country: 'US',
      licence: {
        number: `LIC-${n}`,
        authority: n === MFR ? 'FDA' : 'NJ Board of Pharmacy',
        validFrom: '2020-01-01',
        expiry: '2030-12-31',
      },
    })),
  );
  await store.registry.putLocations(
    [MFR, WHS, PHARMACY].map((n) => ({
      gln: gln(n),
      name: `${names[n]} site`,
      type: 'warehouse' as const,
      address: { street: `${n} Main Street`, city: 'Newark', postalCode: '07102', country: 'US' },
      ownerGln: gln(n),
    })),
  );
}

export interface Ctx {
  store: RxtraceStore;
  capture: CaptureService;
  send(events: Ev[]): Promise<void>;
}

/** The standard shipment: 6 packs of LOT in two SSCCs (S1-S3, S4-S6), shipped MFR → WHS under PO. */
export async function standardShipment(
  ctx: Ctx,
  shipId = 'urn:uuid:6f7e6a3c-0000-4000-8000-000000000001',
): Promise<string> {
  await ctx.send([
    commission(
      [1, 2, 3, 4, 5, 6].map((n) => pack(n)),
      at(0),
    ),
    aggregate(
      sscc(1),
      [1, 2, 3].map((n) => pack(n)),
      at(1),
    ),
    aggregate(
      sscc(2),
      [4, 5, 6].map((n) => pack(n)),
      at(2),
    ),
    ship([sscc(1), sscc(2)], at(10), MFR, WHS, PO, shipId),
  ]);
  return shipId;
}

/** Runs `suite` with a store factory on SQLite and (when configured) PostgreSQL. */
export function onBothStores(suite: (name: string, open: () => Promise<Ctx>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-dscsa-core-'));
  const open: RxtraceStore[] = [];
  after(async () => {
    for (const s of open) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ctxOf = async (store: RxtraceStore): Promise<Ctx> => {
    await store.migrate();
    await seedRegistry(store);
    const capture = new CaptureService(store);
    return {
      store,
      capture,
      async send(events) {
        const text = doc(events);
        const body = (async function* () {
          yield Buffer.from(text, 'utf8');
        })();
        const o = await capture.capture({ body, contentType: 'application/ld+json' });
        if (!o.job.success) throw new Error(`capture failed: ${JSON.stringify(o.job.errors)}`);
      },
    };
  };
  let n = 0;
  suite('sqlite', async () => {
    const s = await openSqliteStore({ file: join(dir, `c${n++}.db`) });
    open.push(s);
    return ctxOf(s);
  });
  const url = testDatabaseUrl();
  if (url) suite('postgres', async () => ctxOf(openTestStore(url)));
}
