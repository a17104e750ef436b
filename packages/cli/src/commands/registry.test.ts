/** `rxtrace products | locations | partners` as a user runs them: real processes, a temp SQLite data dir. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-registry-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'data');

function rx(...args: string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', DATA], { encoding: 'utf8', cwd: dir, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rxtrace products / locations / partners', () => {
  test('products add, show (by a case GTIN), list as a table and as JSON, errors, delete', () => {
    let r = rx(
      'products',
      'add',
      '--gtin',
      '305910933012',
      '--ndc',
      '0591-0933-01',
      '--name',
      'Metformin 500 mg tablets',
      '--markets',
      'US,CA',
      '--pack-size',
      '100',
      '--case-gtin',
      '10305910933019',
      '--case-qty',
      '24',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^product 00305910933012 added: Metformin 500 mg tablets/);
    r = rx(
      'products',
      'add',
      '--gtin',
      '305910933012',
      '--name',
      'again',
      '--markets',
      'DE',
      '--gcp-length',
      '7',
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /registered already/);
    r = rx('products', 'show', '10305910933019');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /looked up +10305910933019 = case of 24 units/);
    assert.match(r.stdout, /NDC +0591-0933-01 \(NDC-11 00591093301\)/);
    r = rx('products', 'list');
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s{2,}/)),
      [
        ['GTIN', 'NDC', 'NAME', 'MARKETS', 'PACKAGING'],
        ['00305910933012', '0591-0933-01', 'Metformin 500 mg tablets', 'CA,US', 'case 10305910933019 ×24'],
      ],
    );
    r = rx('products', 'list', '--market', 'us', '--json');
    const list = JSON.parse(r.stdout) as { gtin: string; ndc11: string }[];
    assert.deepEqual(
      list.map((p) => [p.gtin, p.ndc11]),
      [['00305910933012', '00591093301']],
    );
    r = rx('products', 'add', '--gtin', '00305910933013', '--name', '', '--markets', 'XX');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /check digit of GTIN 00305910933013 is wrong/);
    assert.match(r.stderr, /'XX' is not an ISO 3166-1 alpha-2 country code/);
    r = rx('products', 'add', '--gtin', '09506000134376', '--case-gtin', '19506000134373');
    assert.equal(r.code, 2, 'usage error');
    assert.match(r.stderr, /--case-gtin and --case-qty go together/);
    r = rx('products', 'delete', '00305910933012');
    assert.equal(r.code, 0);
    r = rx('products', 'show', '00305910933012');
    assert.equal(r.code, 1);
  });

  test('products import: all or nothing, --partial', () => {
    const file = join(dir, 'products.csv');
    writeFileSync(
      file,
      'gtin,name,markets,gcpLength\n09506000134376,"Aspirin, 100 mg",DE;AT,7\n09506000134352,,DE,7\n',
    );
    let r = rx('products', 'import', file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 3: name is required/);
    assert.equal(JSON.parse(rx('products', 'list', '--json').stdout).length, 0);
    r = rx('products', 'import', file, '--partial');
    assert.equal(r.code, 1, 'errors reported');
    assert.match(r.stdout, /2 rows, 1 stored \(1 created, 0 replaced\)/);
    assert.deepEqual(
      JSON.parse(rx('products', 'list', '--json').stdout).map((p: { name: string }) => p.name),
      ['Aspirin, 100 mg'],
    );
  });

  test('locations: GLN and SGLN, negative coordinates, show by EPC URN', () => {
    let r = rx(
      'locations',
      'add',
      '--gln',
      '9520123456788',
      '--name',
      'DC Reno',
      '--type',
      'warehouse',
      '--city',
      'Reno',
      '--country',
      'US',
      '--lat',
      '39.5',
      '--lon',
      '-119.8',
    );
    assert.equal(r.code, 0, r.stderr);
    r = rx(
      'locations',
      'add',
      '--gln',
      '9520123456788',
      '--ext',
      'DOCK/2',
      '--name',
      'Dock 2',
      '--type',
      'dock',
    );
    assert.equal(r.code, 0, r.stderr);
    r = rx('locations', 'show', 'urn:epc:id:sgln:952012.345678.0', '--json');
    assert.deepEqual(JSON.parse(r.stdout).geo, { lat: 39.5, lon: -119.8 });
    r = rx('locations', 'show', '9520123456788', '--ext', 'DOCK/2');
    assert.match(r.stdout, /id +https:\/\/id\.gs1\.org\/414\/9520123456788\/254\/DOCK%2F2/);
    r = rx('locations', 'list', '--gln', '9520123456788');
    assert.equal(r.stdout.trim().split('\n').length, 3);
    r = rx('locations', 'add', '--gln', '9520123456788', '--ext', 'A B', '--name', 'x', '--type', 'dock');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not a GLN extension/);
  });

  test('partners: add, import, list with the authorised column, show at a time', () => {
    let r = rx(
      'partners',
      'add',
      '--gln',
      '9520000000011',
      '--name',
      'Pharmacy One',
      '--roles',
      'dispenser',
      '--status',
      'authorised',
      '--licence',
      'PH-1',
      '--licence-authority',
      'NV Board of Pharmacy',
      '--licence-expiry',
      '2020-12-31',
    );
    assert.equal(r.code, 0, r.stderr);
    const file = join(dir, 'partners.csv');
    writeFileSync(
      file,
      'GLN,Name,Roles,Status,License Number,License Authority,License Expiry\r\n9520123456788,Wholesale Inc.,wholesaler|3pl,authorised,WD-9,TN Board,2099-01-31\r\n',
    );
    r = rx('partners', 'import', file);
    assert.equal(r.code, 0, r.stderr);
    r = rx('partners', 'list');
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    assert.deepEqual(
      rows.map((x) => [x[0], x.at(-1)]),
      [
        ['GLN', 'AUTHORISED'],
        ['9520000000011', 'no'],
        ['9520123456788', 'yes'],
      ],
    );
    r = rx('partners', 'show', '9520000000011', '--at', '2020-06-01', '--json');
    assert.equal(JSON.parse(r.stdout).authorised, true);
    r = rx('partners', 'list', '--expiring-by', '2030-01-01', '--json');
    assert.deepEqual(
      JSON.parse(r.stdout).map((p: { gln: string }) => p.gln),
      ['9520000000011'],
    );
    r = rx(
      'partners',
      'add',
      '--gln',
      '9520000000028',
      '--name',
      'x',
      '--roles',
      'broker',
      '--status',
      'authorised',
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /roles\[0\] must be one of manufacturer/);
    assert.match(r.stderr, /an authorised trading partner needs its licence/);
  });
});
