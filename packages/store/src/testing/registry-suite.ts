/**
 * The registry's behaviour, the same on every store: `runRegistrySuite('sqlite', makeStore)`.
 * `makeStore` gives an empty, unmigrated RxtraceStore each call; the suite migrates and closes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Location, locationId, type Partner, type Product, RegistryConflictError } from '../registry.ts';
import type { RxtraceStore } from '../types.ts';

export type MakeRxtraceStore = () => Promise<RxtraceStore>;

/** A GTIN-14 (or GLN when 12 digits are given) with its check digit. */
export function withCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const G = (n: number, indicator = 0) => withCheck(`${indicator}0350${String(n).padStart(8, '0')}`);
const GLN = (n: number) => withCheck(`95200000${String(n).padStart(4, '0')}`);

export function testProduct(n: number, o: Partial<Product> = {}): Product {
  return {
    gtin: G(n),
    name: `Product ${n} 10 mg tablets`,
    strength: '10 mg',
    dosageForm: 'tablet',
    packSize: 30,
    markets: ['DE', 'US'],
    gcpLength: 7,
    packaging: [
      { level: 'bundle', gtin: G(n, 1), quantity: 10 },
      { level: 'case', gtin: G(n, 2), quantity: 12 },
      { level: 'pallet', gtin: G(n, 3), quantity: 40 },
    ],
    ...o,
  };
}

function testPartner(n: number, o: Partial<Partner> = {}): Partner {
  return {
    gln: GLN(n),
    name: `Partner ${n}`,
    roles: ['wholesaler'],
    status: 'authorised',
    licence: {
      number: `L-${n}`,
      authority: 'CA Board of Pharmacy',
      validFrom: '2025-01-01',
      expiry: '2026-12-31',
    },
    country: 'US',
    ...o,
  };
}

async function withStore(make: MakeRxtraceStore, fn: (s: RxtraceStore) => Promise<void>): Promise<void> {
  const s = await make();
  try {
    await s.migrate();
    await fn(s);
  } finally {
    await s.close();
  }
}

export function runRegistrySuite(name: string, make: MakeRxtraceStore): void {
  describe(`registry on ${name}`, () => {
    it('creates, reads, replaces and deletes a product; timestamps kept across a replace', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        const p = testProduct(1, { ndc: '0350-0000-01', ndc11: '00350000001' });
        assert.equal(await r.createProduct(p), true);
        assert.equal(await r.createProduct({ ...p, name: 'other' }), false, 'a second create is refused');
        const got = await r.getProduct(p.gtin);
        assert.ok(got);
        assert.equal(got.id, `https://id.gs1.org/01/${p.gtin}`);
        assert.equal(got.name, p.name);
        assert.deepEqual(got.packaging, p.packaging);
        assert.deepEqual(got.markets, ['DE', 'US']);
        assert.match(got.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        await new Promise((res) => setTimeout(res, 5));
        const res = await r.putProducts([{ ...p, name: 'Renamed' }]);
        assert.deepEqual(res, { created: 0, replaced: 1 });
        const again = await r.getProduct(p.gtin);
        assert.equal(again?.name, 'Renamed');
        assert.equal(again?.createdAt, got.createdAt);
        assert.ok(again!.updatedAt > got.updatedAt);
        assert.equal(await r.deleteProduct(p.gtin), true);
        assert.equal(await r.deleteProduct(p.gtin), false);
        assert.equal(await r.getProduct(p.gtin), undefined);
        assert.equal(await r.productOf(G(1, 2)), undefined, 'the hierarchy goes with the product');
      });
    });

    it('productOf finds the product and level of every GTIN of a hierarchy, with units per item', async () => {
      await withStore(make, async (s) => {
        const p = testProduct(2);
        await s.registry.createProduct(p);
        const expect = [
          [G(2), 'unit', 1],
          [G(2, 1), 'bundle', 10],
          [G(2, 2), 'case', 120],
          [G(2, 3), 'pallet', 4800],
        ] as const;
        for (const [gtin, level, units] of expect) {
          const f = await s.registry.productOf(gtin);
          assert.equal(f?.product.gtin, p.gtin, gtin);
          assert.equal(f?.level, level);
          assert.equal(f?.units, units);
        }
        assert.equal(await s.registry.productOf(G(99)), undefined);
      });
    });

    it('a GTIN belongs to one product: conflicts are refused, whole batches roll back', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        await r.createProduct(testProduct(3));
        // Product 4 claims product 3's case GTIN.
        const clash = testProduct(4, {
          packaging: [{ level: 'case', gtin: G(3, 2), quantity: 6 }],
        });
        await assert.rejects(r.createProduct(clash), (e: unknown) => {
          assert.ok(e instanceof RegistryConflictError);
          assert.match(e.message, new RegExp(`${G(3, 2)}.*case GTIN of product ${G(3)}`));
          assert.equal(e.field, 'packaging.case.gtin');
          return true;
        });
        assert.equal(await r.getProduct(G(4)), undefined, 'the refused create left nothing');
        // A batch with one bad record writes nothing.
        await assert.rejects(r.putProducts([testProduct(5), testProduct(6), clash]), RegistryConflictError);
        assert.equal(await r.getProduct(G(5)), undefined);
        assert.equal(await r.getProduct(G(6)), undefined);
        // Two products of one batch with the same pallet GTIN.
        await assert.rejects(
          r.putProducts([
            testProduct(7),
            testProduct(8, { packaging: [{ level: 'pallet', gtin: G(7, 3), quantity: 100 }] }),
          ]),
          RegistryConflictError,
        );
        assert.equal(await r.getProduct(G(7)), undefined);
        // Replacing product 3 without its case frees that GTIN for product 4.
        await r.putProducts([testProduct(3, { packaging: [] })]);
        assert.equal(await r.createProduct(clash), true);
        assert.equal((await r.productOf(G(3, 2)))?.product.gtin, G(4));
        assert.equal(await r.productOf(G(3, 1)), undefined);
      });
    });

    it('bulk upsert counts created and replaced, last record of a key wins', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        assert.deepEqual(await r.putProducts([]), { created: 0, replaced: 0 });
        assert.deepEqual(await r.putProducts([testProduct(10), testProduct(11)]), {
          created: 2,
          replaced: 0,
        });
        const res = await r.putProducts([
          testProduct(11, { name: 'first' }),
          testProduct(12),
          testProduct(11, { name: 'second' }),
        ]);
        assert.deepEqual(res, { created: 1, replaced: 1 });
        assert.equal((await r.getProduct(G(11)))?.name, 'second');
      });
    });

    it('lists products in GTIN order, page by page, filtered by market, NDC and name', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        await r.putProducts([
          testProduct(20, { markets: ['US'], ndc: '0350-0000-20', ndc11: '00350000020' }),
          testProduct(21, { markets: ['DE', 'FR'], name: 'Amoxicillin 500 mg capsules' }),
          testProduct(22, { markets: ['US', 'CA'] }),
          testProduct(23, { markets: ['FR'], name: 'AMOXICILLIN oral suspension' }),
          testProduct(24, { markets: ['US'] }),
        ]);
        const all: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await r.listProducts({}, { limit: 2, ...(after ? { after } : {}) });
          all.push(...page.items.map((p) => p.gtin));
          after = page.next;
          pages++;
          assert.ok(page.items.length <= 2);
        } while (after);
        assert.deepEqual(all, [G(20), G(21), G(22), G(23), G(24)]);
        assert.equal(pages, 3);
        const us = await r.listProducts({ market: 'US' }, { limit: 10 });
        assert.deepEqual(
          us.items.map((p) => p.gtin),
          [G(20), G(22), G(24)],
        );
        assert.equal(us.next, undefined);
        const us1 = await r.listProducts({ market: 'US' }, { limit: 1, after: G(20) });
        assert.deepEqual(
          us1.items.map((p) => p.gtin),
          [G(22)],
        );
        assert.equal(us1.next, G(22));
        assert.deepEqual(
          (await r.listProducts({ ndc11: '00350000020' }, { limit: 10 })).items.map((p) => p.gtin),
          [G(20)],
        );
        assert.deepEqual(
          (await r.listProducts({ name: 'amoxicillin' }, { limit: 10 })).items.map((p) => p.gtin),
          [G(21), G(23)],
        );
        assert.deepEqual((await r.listProducts({ market: 'JP' }, { limit: 10 })).items, []);
      });
    });

    it('locations: GLN and SGLN records, extension 0 is the GLN, lookups by any identifier form', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        const site: Location = {
          gln: GLN(1),
          name: 'Plant Marburg',
          type: 'site',
          address: {
            street: 'Emil-von-Behring-Str. 76',
            city: 'Marburg',
            postalCode: '35041',
            country: 'DE',
          },
          geo: { lat: 50.8167, lon: 8.7667 },
          ownerGln: GLN(100),
        };
        const line: Location = {
          gln: GLN(1),
          extension: 'LINE/3',
          name: 'Packaging line 3',
          type: 'line',
          ownerGln: GLN(100),
        };
        const dock: Location = { gln: GLN(1), extension: '0', name: 'The GLN itself', type: 'site' };
        assert.equal(await r.createLocation(site), true);
        assert.equal(await r.createLocation(line), true);
        assert.equal(await r.createLocation(dock), false, 'extension 0 is the GLN, already there');
        const lineId = locationId(GLN(1), 'LINE/3');
        assert.equal(lineId, `https://id.gs1.org/414/${GLN(1)}/254/LINE%2F3`);
        assert.deepEqual((await r.getLocation(lineId))?.geo, undefined);
        const got = await r.getLocation(`https://id.gs1.org/414/${GLN(1)}`);
        assert.equal(got?.name, 'Plant Marburg');
        assert.deepEqual(got?.geo, { lat: 50.8167, lon: 8.7667 });
        assert.equal(got?.id, `https://id.gs1.org/414/${GLN(1)}`);
        // The same place written as a DL with /254/0 and as an EPC URN.
        assert.equal((await r.getLocation(`https://id.gs1.org/414/${GLN(1)}/254/0`))?.name, 'Plant Marburg');
        assert.equal((await r.getLocation('urn:epc:id:sgln:9520000.00001.0'))?.name, 'Plant Marburg');
        await r.putLocations([
          {
            gln: GLN(2),
            name: 'Warehouse Reno',
            type: 'warehouse',
            address: { city: 'Reno', country: 'US' },
          },
          {
            gln: GLN(3),
            name: 'Pharmacy Main St',
            type: 'pharmacy',
            address: { country: 'US' },
            ownerGln: GLN(100),
          },
        ]);
        const list = await r.listLocations({}, { limit: 10 });
        assert.equal(list.items.length, 4);
        assert.deepEqual(
          (await r.listLocations({ gln: GLN(1) }, { limit: 10 })).items.map((l) => l.name).sort(),
          ['Packaging line 3', 'Plant Marburg'],
        );
        assert.deepEqual(
          (await r.listLocations({ country: 'US' }, { limit: 10 })).items.map((l) => l.gln),
          [GLN(2), GLN(3)],
        );
        assert.deepEqual(
          (await r.listLocations({ type: 'pharmacy' }, { limit: 10 })).items.map((l) => l.gln),
          [GLN(3)],
        );
        assert.equal((await r.listLocations({ ownerGln: GLN(100) }, { limit: 10 })).items.length, 3);
        assert.deepEqual(await r.putLocations([{ ...line, name: 'Line 3 (serialisation)' }]), {
          created: 0,
          replaced: 1,
        });
        assert.equal((await r.getLocation(lineId))?.name, 'Line 3 (serialisation)');
        assert.equal(await r.deleteLocation(lineId), true);
        assert.equal(await r.getLocation(lineId), undefined);
      });
    });

    it('partners: CRUD, filters, and the authorised-trading-partner check over time', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        await r.putPartners([
          testPartner(1),
          testPartner(2, { status: 'suspended' }),
          testPartner(3, {
            roles: ['dispenser'],
            licence: { number: 'P-3', authority: 'NY Board', expiry: '2026-03-31' },
          }),
          testPartner(4, { roles: ['manufacturer', 'repackager'], licence: undefined, status: 'revoked' }),
        ]);
        assert.equal(await r.createPartner(testPartner(1)), false);
        const p1 = await r.getPartner(GLN(1));
        assert.equal(p1?.id, `https://id.gs1.org/417/${GLN(1)}`);
        assert.deepEqual(p1?.licence, testPartner(1).licence);
        const at = (d: string) => new Date(d);
        assert.equal(await r.isAuthorised(GLN(1), at('2026-06-01T12:00:00Z')), true);
        assert.equal(await r.isAuthorised(GLN(1), at('2024-12-31T23:59:59Z')), false, 'before validFrom');
        assert.equal(
          await r.isAuthorised(GLN(1), at('2026-12-31T23:59:59.999Z')),
          true,
          'through the expiry day',
        );
        assert.equal(await r.isAuthorised(GLN(1), at('2027-01-01T00:00:00Z')), false, 'expired');
        assert.equal(await r.isAuthorised(GLN(2), at('2026-06-01T12:00:00Z')), false, 'suspended');
        assert.equal(await r.isAuthorised(GLN(4), at('2026-06-01T12:00:00Z')), false, 'revoked');
        assert.equal(await r.isAuthorised(GLN(3), at('2026-03-31T10:00:00Z')), true);
        assert.equal(await r.isAuthorised(GLN(3), at('2026-04-01T00:00:00Z')), false);
        assert.equal(await r.isAuthorised(GLN(99), at('2026-06-01T12:00:00Z')), false, 'unknown party');
        assert.deepEqual(
          (await r.listPartners({ status: 'authorised' }, { limit: 10 })).items.map((p) => p.gln),
          [GLN(1), GLN(3)],
        );
        assert.deepEqual(
          (await r.listPartners({ role: 'repackager' }, { limit: 10 })).items.map((p) => p.gln),
          [GLN(4)],
        );
        assert.deepEqual(
          (await r.listPartners({ licenceExpiringBy: '2026-06-30' }, { limit: 10 })).items.map((p) => p.gln),
          [GLN(3)],
        );
        assert.deepEqual(
          (await r.listPartners({ name: 'PARTNER 2' }, { limit: 10 })).items.map((p) => p.gln),
          [GLN(2)],
        );
        const page = await r.listPartners({}, { limit: 3 });
        assert.equal(page.items.length, 3);
        assert.equal(page.next, GLN(3));
        await r.putPartners([testPartner(2, { status: 'authorised' })]);
        assert.equal(await r.isAuthorised(GLN(2), at('2026-06-01T12:00:00Z')), true);
        assert.equal(await r.deletePartner(GLN(2)), true);
        assert.equal(await r.isAuthorised(GLN(2), at('2026-06-01T12:00:00Z')), false);
      });
    });

    it('displayNames: locations, SGLNs (/254/0 = the GLN), parties, product GTINs at every level', async () => {
      await withStore(make, async (s) => {
        const r = s.registry;
        await r.createProduct(testProduct(30, { name: 'Rx 30' }));
        await r.putLocations([
          { gln: GLN(10), name: 'DC Memphis', type: 'distribution-centre' },
          { gln: GLN(11), extension: 'DOCK 2', name: 'Dock 2', type: 'dock' },
        ]);
        await r.createPartner(testPartner(12, { name: 'McKesson-like Wholesale' }));
        const ids = [
          `https://id.gs1.org/414/${GLN(10)}`,
          `https://id.gs1.org/414/${GLN(10)}/254/0`,
          `https://id.gs1.org/414/${GLN(11)}/254/DOCK%202`,
          `https://id.gs1.org/414/${GLN(11)}`, // only an SGLN of it is registered: exact only
          `https://id.gs1.org/417/${GLN(12)}`,
          `https://id.gs1.org/417/${GLN(10)}`, // a location GLN is not a party
          `https://id.gs1.org/01/${G(30)}`,
          `https://id.gs1.org/01/${G(30, 2)}`,
          `https://id.gs1.org/01/${G(31)}`,
          'urn:epc:id:sgln:9520000.00010.0',
          'not an identifier',
          `https://id.gs1.org/414/${GLN(10)}`,
        ];
        const names = await r.displayNames(ids);
        assert.deepEqual(Object.fromEntries(names), {
          [`https://id.gs1.org/414/${GLN(10)}`]: 'DC Memphis',
          [`https://id.gs1.org/414/${GLN(10)}/254/0`]: 'DC Memphis',
          [`https://id.gs1.org/414/${GLN(11)}/254/DOCK%202`]: 'Dock 2',
          [`https://id.gs1.org/417/${GLN(12)}`]: 'McKesson-like Wholesale',
          [`https://id.gs1.org/01/${G(30)}`]: 'Rx 30',
          [`https://id.gs1.org/01/${G(30, 2)}`]: 'Rx 30 (case)',
          'urn:epc:id:sgln:9520000.00010.0': 'DC Memphis',
        });
        assert.equal((await r.displayNames([])).size, 0);
      });
    });

    it('writes 5,000 products with their hierarchies in one call', async () => {
      await withStore(make, async (s) => {
        const products = Array.from({ length: 5000 }, (_, i) => testProduct(1000 + i));
        const t0 = performance.now();
        const res = await s.registry.putProducts(products);
        const ms = performance.now() - t0;
        assert.deepEqual(res, { created: 5000, replaced: 0 });
        assert.equal((await s.registry.productOf(G(5999, 3)))?.product.gtin, G(5999));
        const names = await s.registry.displayNames(
          products.slice(0, 1000).map((p) => `https://id.gs1.org/01/${p.gtin}`),
        );
        assert.equal(names.size, 1000);
        // A figure for docs/master-data.md, not a pass/fail threshold.
        process.stdout.write(
          `# registry on ${name}: 5,000 products (20,000 GTINs) upserted in ${ms.toFixed(0)} ms\n`,
        );
      });
    });
  });
}
