import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openSqliteStore } from '@rxtrace/store';
import { parseCsv } from './csv.ts';
import { parseRegistryCsv } from './import.ts';
import { parseLocationKey, RegistryError, RegistryService } from './service.ts';
import { validateLocation, validatePartner, validateProduct } from './validate.ts';

// GTIN-14s of an NDC-based product (NDC 0591-0933-01 → 0 03 0591093301 check): unit, case (indicator 1), pallet (2).
const UNIT = '00305910933012';
const CASE = '10305910933019';
const PALLET = '20305910933016';
const GLN_A = '9520123456788';

const fields = (r: { ok: boolean; errors?: { field: string }[] }) =>
  r.ok ? [] : r.errors!.map((e) => e.field);

describe('product validation', () => {
  test('normalises a valid product: GTIN-12 → 14, NDC-11 derived, markets sorted, levels ordered, GCP length from the NDC', () => {
    const r = validateProduct({
      gtin: '305910933012',
      ndc: '0591-0933-01',
      name: ' Metformin 500 mg tablets ',
      strength: '500 mg',
      dosageForm: 'tablet',
      packSize: 100,
      markets: ['us', 'CA', 'US'],
      packaging: [
        { level: 'pallet', gtin: PALLET, quantity: 60 },
        { level: 'case', gtin: CASE, quantity: '24' },
      ],
      id: 'ignored',
      createdAt: 'ignored',
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, {
      gtin: UNIT,
      ndc: '0591-0933-01',
      ndc11: '00591093301',
      name: 'Metformin 500 mg tablets',
      strength: '500 mg',
      dosageForm: 'tablet',
      packSize: 100,
      markets: ['CA', 'US'],
      gcpLength: 6,
      packaging: [
        { level: 'case', gtin: CASE, quantity: 24 },
        { level: 'pallet', gtin: PALLET, quantity: 60 },
      ],
    });
  });

  test('an NDC-11 is matched to the labelled layout the GTIN carries', () => {
    const r = validateProduct({ gtin: UNIT, ndc: '00591093301', name: 'x', markets: ['US'] });
    assert.ok(r.ok);
    assert.equal(r.value.ndc, '0591-0933-01');
  });

  test('every fault is named with its field, in plain words', () => {
    const r = validateProduct({
      gtin: '00305910933013',
      name: '',
      markets: ['XX'],
      gcpLength: 3,
      packSize: 1.5,
      colour: 'red',
      packaging: [
        { level: 'case', gtin: CASE, quantity: 0 },
        { level: 'case', gtin: '90305910933012', quantity: 2 },
        { level: 'crate', gtin: PALLET, quantity: 2 },
      ],
    });
    assert.equal(r.ok, false);
    const f = fields(r);
    for (const want of [
      'colour',
      'gtin',
      'name',
      'markets[0]',
      'gcpLength',
      'packSize',
      'packaging.case.quantity',
      'packaging.case.level',
      'packaging[2].level',
    ])
      assert.ok(f.includes(want), `${want} in ${f.join(', ')}`);
    const msg = (field: string) => (r.ok ? '' : r.errors.find((e) => e.field === field)!.message);
    assert.match(msg('gtin'), /check digit .* should end in 2/);
    assert.match(msg('markets[0]'), /'XX' is not an ISO 3166-1 alpha-2 country code/);
    assert.match(msg('colour'), /'colour' is not a field/);
  });

  test('US products need their NDC, and it must match the GTIN', () => {
    assert.match(
      JSON.stringify(validateProduct({ gtin: UNIT, name: 'x', markets: ['US'], gcpLength: 7 })),
      /ndc is required for a product sold in the US \(GTIN 00305910933012 carries the NDC digits 0591093301/,
    );
    assert.match(
      JSON.stringify(validateProduct({ gtin: UNIT, ndc: '0591-0934-01', name: 'x', markets: ['US'] })),
      /does not match GTIN/,
    );
    assert.deepEqual(fields(validateProduct({ gtin: 1234, name: 'x', markets: ['DE'], gcpLength: 7 })), [
      'gtin',
    ]);
  });

  test('a GTIN used twice in a hierarchy, and variable-measure GTINs, are refused', () => {
    const r = validateProduct({
      gtin: UNIT,
      ndc: '0591-0933-01',
      name: 'x',
      markets: ['US'],
      packaging: [{ level: 'case', gtin: UNIT, quantity: 2 }],
    });
    assert.match(JSON.stringify(r), /also the GTIN of the unit level/);
    assert.match(
      JSON.stringify(validateProduct({ gtin: '95012345678903', name: 'x', markets: ['DE'], gcpLength: 7 })),
      /indicator digit 9/,
    );
  });
});

describe('location and partner validation', () => {
  test('locations: GLN check digit, SGLN extension (0 = none), coordinates, address country', () => {
    const ok = validateLocation({
      gln: GLN_A,
      extension: 'DOCK-1',
      name: 'Dock 1',
      type: 'Dock',
      geo: { lat: '48.1', lon: 11.5 },
      address: { city: 'München', country: 'de' },
    });
    assert.ok(ok.ok);
    assert.deepEqual(ok.value, {
      gln: GLN_A,
      extension: 'DOCK-1',
      name: 'Dock 1',
      type: 'dock',
      geo: { lat: 48.1, lon: 11.5 },
      address: { city: 'München', country: 'DE' },
    });
    const zero = validateLocation({ gln: GLN_A, extension: '0', name: 'x', type: 'site' });
    assert.ok(zero.ok && zero.value.extension === undefined);
    const bad = validateLocation({
      gln: '9520123456789',
      extension: 'a~b',
      name: 'x',
      type: 'castle',
      geo: { lat: 91, lon: 'east' },
      address: { city: 'x' },
      ownerGln: '123',
    });
    assert.deepEqual(fields(bad).sort(), [
      'address.country',
      'extension',
      'geo.lat',
      'geo.lon',
      'gln',
      'ownerGln',
      'type',
    ]);
  });

  test('partners: roles, status, licence dates; authorised partners need a licence', () => {
    const ok = validatePartner({
      gln: GLN_A,
      name: 'W',
      roles: '3PL; wholesaler',
      status: 'Authorised',
      licence: { number: 'N1', authority: 'FDA', validFrom: '2025-01-01', expiry: '2027-02-28' },
    });
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepEqual(ok.value.roles, ['wholesaler', '3pl']);
    assert.equal(ok.value.status, 'authorised');
    const bad = validatePartner({ gln: GLN_A, name: 'W', roles: ['broker'], status: 'authorised' });
    assert.deepEqual(fields(bad).sort(), ['licence', 'roles[0]']);
    const dates = validatePartner({
      gln: GLN_A,
      name: 'W',
      roles: ['dispenser'],
      status: 'suspended',
      licence: { number: 'n', authority: 'a', validFrom: '2026-05-01', expiry: '2026-02-30' },
    });
    assert.match(
      JSON.stringify(dates),
      /licence.expiry must be a calendar date written YYYY-MM-DD, not '2026-02-30'/,
    );
    const order = validatePartner({
      gln: GLN_A,
      name: 'W',
      roles: ['dispenser'],
      status: 'suspended',
      licence: { number: 'n', authority: 'a', validFrom: '2026-05-01', expiry: '2026-04-30' },
    });
    assert.match(JSON.stringify(order), /before licence.validFrom/);
  });

  test('location keys in every written form', () => {
    assert.deepEqual(parseLocationKey(GLN_A), { gln: GLN_A });
    assert.deepEqual(parseLocationKey(GLN_A, 'A/1'), { gln: GLN_A, extension: 'A/1' });
    assert.deepEqual(parseLocationKey(`https://example.com/414/${GLN_A}/254/A%2F1`), {
      gln: GLN_A,
      extension: 'A/1',
    });
    assert.deepEqual(parseLocationKey('urn:epc:id:sgln:952012.345678.0'), { gln: GLN_A });
    assert.deepEqual(parseLocationKey('urn:epc:id:sgln:952012.345678.L7'), { gln: GLN_A, extension: 'L7' });
    assert.throws(() => parseLocationKey('9520123456789'), /check digit/);
  });
});

describe('CSV', () => {
  test('RFC 4180: quoted commas, doubled quotes, line breaks in quotes, CRLF, BOM, blank lines', () => {
    const r = parseCsv('\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"two\nlines",\r\n');
    assert.ok(r.ok);
    assert.deepEqual(r.header.values, ['a', 'b', 'c']);
    assert.deepEqual(r.records, [
      { line: 2, values: ['1', 'x, y', 'say "hi"'] },
      { line: 4, values: ['2', 'two\nlines', ''] },
    ]);
  });

  test('semicolon files, and faults with their line', () => {
    const semi = parseCsv('gtin;name\n1;"a;b"\n');
    assert.ok(semi.ok && semi.records[0]!.values[1] === 'a;b');
    assert.match(JSON.stringify(parseCsv('a,b\n1,"open\n2,3\n')), /line 2: a quoted field is not closed/);
    assert.match(JSON.stringify(parseCsv('a,b\n1,x"y\n')), /line 2: a \\" inside a field/);
    assert.match(JSON.stringify(parseCsv('a,b\n1,2\n3\n')), /line 3 has 1 fields; the header has 2/);
    assert.match(JSON.stringify(parseCsv('')), /empty/);
  });

  test('product rows: header names in any style, levels from columns, errors by line, duplicates', () => {
    const csv = [
      'GTIN,Name,NDC,Dosage Form,pack_size,markets,case-gtin,case qty,pallet_gtin,pallet_qty',
      `${UNIT},Metformin,0591-0933-01,tablet,100,US;CA,${CASE},24,${PALLET},60`,
      '09506000134376,Aspirin,,tablet,20,DE,,,,',
      `${UNIT},Again,0591-0933-01,,,US,,,,`,
      '09506000134377,Bad check digit,,,,DE,,,,',
    ].join('\n');
    const r = parseRegistryCsv('products', csv);
    assert.equal(r.rows, 4);
    assert.equal(r.records.length, 1, JSON.stringify(r.errors));
    assert.deepEqual(r.records[0]!.record.packaging, [
      { level: 'case', gtin: CASE, quantity: 24 },
      { level: 'pallet', gtin: PALLET, quantity: 60 },
    ]);
    const msgs = r.errors.map((e) => e.message);
    assert.ok(
      msgs.some((m) => /^line 3: gcpLength is required/.test(m)),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => m === `line 4: GTIN ${UNIT} is also on line 2`),
      msgs.join('\n'),
    );
    assert.ok(
      msgs.some((m) => /^line 5: gtin: The check digit/.test(m)),
      msgs.join('\n'),
    );
  });

  test('unknown and missing columns are reported on line 1', () => {
    const r = parseRegistryCsv('partners', 'gln,name,colour\n');
    assert.deepEqual(
      r.errors.map((e) => e.message),
      [
        `line 1: unknown column 'colour' (columns: gln, name, roles, role, status, licencenumber, licence, licenceauthority, authority, licencevalidfrom, validfrom, licenceexpiry, expiry, country)`,
        "line 1: the header has no 'status' column",
      ],
    );
  });
});

describe('RegistryService on a SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-core-registry-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('imports all or nothing by default, partially on request; conflicts name the line', async () => {
    const store = await openSqliteStore({ file: join(dir, 'a.db') });
    await store.migrate();
    try {
      const svc = new RegistryService(store.registry);
      const good = `gtin,name,markets,gcp length\n09506000134376,Aspirin,DE,7\n09506000134352,Ibuprofen,DE FR,7\n`;
      const bad = `${good}09506000134369,,DE,7\n`;
      await assert.rejects(svc.importCsv('products', bad), (e: unknown) => {
        assert.ok(e instanceof RegistryError && e.kind === 'invalid');
        assert.deepEqual(
          e.errors.map((x) => [x.line, x.field]),
          [[4, 'name']],
        );
        assert.match(e.message, /nothing was stored/);
        return true;
      });
      assert.equal((await svc.listProducts({})).items.length, 0);
      const partial = await svc.importCsv('products', bad, { partial: true });
      assert.deepEqual(
        { ...partial, errors: partial.errors.length },
        { created: 2, replaced: 0, rows: 3, stored: 2, errors: 1 },
      );
      const again = await svc.importCsv('products', good);
      assert.deepEqual(again, { created: 0, replaced: 2, rows: 2, stored: 2, errors: [] });
      // Line 3 claims Aspirin's GTIN as its case.
      const clash = `gtin,name,markets,gcpLength,caseGtin,caseQty\n09506000134383,A,DE,7,,\n09506000134390,B,DE,7,09506000134376,10\n`;
      await assert.rejects(svc.importCsv('products', clash), (e: unknown) => {
        assert.ok(e instanceof RegistryError && e.kind === 'conflict');
        assert.match(
          e.message,
          /^line 3: GTIN 09506000134376 \(case of product 09506000134390\) is already the unit GTIN of product 09506000134376/,
        );
        return true;
      });
      await assert.rejects(
        svc.getProduct('09506000134383'),
        (e: unknown) => e instanceof RegistryError && e.kind === 'not-found',
      );
      // Lookups by GTIN-13 and by Digital Link.
      assert.equal((await svc.getProduct('9506000134376')).name, 'Aspirin');
      assert.equal((await svc.productOf('https://id.gs1.org/01/09506000134376/21/SER1'))?.level, 'unit');
      await assert.rejects(
        svc.createProduct({ gtin: '09506000134376', name: 'x', markets: ['DE'], gcpLength: 7 }),
        (e: unknown) => e instanceof RegistryError && e.kind === 'conflict',
      );
      const put = await svc.putProduct('09506000134376', {
        name: 'Aspirin 100 mg',
        markets: ['DE'],
        gcpLength: 7,
      });
      assert.equal(put.created, false);
      assert.equal(put.record.name, 'Aspirin 100 mg');
      await assert.rejects(
        svc.putProduct('09506000134376', {
          gtin: '09506000134352',
          name: 'x',
          markets: ['DE'],
          gcpLength: 7,
        }),
        /not the GTIN of the URL/,
      );
      const partners = await svc.importCsv(
        'partners',
        `gln,name,roles,status,license number,licence authority,licence expiry\n${GLN_A},"Wholesale, Inc.",wholesaler,authorised,WD-1,FDA,2026-12-31\n`,
      );
      assert.equal(partners.created, 1);
      assert.equal(
        await svc.isAuthorised(`urn:epc:id:pgln:952012.345678`, new Date('2026-06-01T00:00:00Z')),
        true,
      );
      assert.equal((await svc.getPartner(GLN_A)).name, 'Wholesale, Inc.');
    } finally {
      await store.close();
    }
  });
});
