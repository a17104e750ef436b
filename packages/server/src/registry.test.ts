/** The master data registry over real HTTP on loopback, on a real SQLite file. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './testing.ts';

const UNIT = '00305910933012';
const CASE = '10305910933019';
const GLN_A = '9520123456788';
const GLN_B = '9520000000011';

let s: TestServer;
let queryKey = '';
before(async () => {
  s = await startTestServer();
  const r = await s.req('/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ roles: ['query'] }),
  });
  queryKey = ((await r.json()) as { key: string }).key;
});
after(() => s.close());

const send = (method: string, path: string, body?: unknown, key?: string) =>
  s.req(path, {
    method,
    ...(key !== undefined ? { key } : {}),
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

describe('registry HTTP API', () => {
  test('products: create, read by any GTIN form, replace, list with filters and pages, delete', async () => {
    const product = {
      gtin: '305910933012',
      ndc: '0591-0933-01',
      name: 'Metformin 500 mg tablets',
      markets: ['US'],
      packSize: 100,
      packaging: [{ level: 'case', gtin: CASE, quantity: 24 }],
    };
    let r = await send('POST', '/products', product);
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get('location'), `/products/${UNIT}`);
    const created = (await r.json()) as Record<string, unknown>;
    assert.equal(created.gtin, UNIT);
    assert.equal(created.ndc11, '00591093301');
    assert.equal(created.gcpLength, 6);
    assert.equal(created.id, `https://id.gs1.org/01/${UNIT}`);

    r = await send('POST', '/products', product);
    assert.equal(r.status, 409);
    assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');

    r = await s.req(`/products/${encodeURIComponent(`https://id.gs1.org/01/${UNIT}`)}`, { key: queryKey });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { name: string }).name, product.name);

    r = await send('PUT', `/products/${UNIT}`, { ...product, gtin: undefined, name: 'Metformin HCl 500 mg' });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { name: string }).name, 'Metformin HCl 500 mg');
    r = await send('PUT', '/products/09506000134376', { name: 'Aspirin', markets: ['DE'], gcpLength: 7 });
    assert.equal(r.status, 201);
    r = await send('PUT', '/products/09506000134352', {
      name: 'Ibuprofen',
      markets: ['DE', 'AT'],
      gcpLength: 7,
    });
    assert.equal(r.status, 201);

    r = await s.req('/products?market=de&perPage=1', { key: queryKey });
    const p1 = (await r.json()) as { products: { gtin: string }[]; nextPageToken: string };
    assert.deepEqual(
      p1.products.map((p) => p.gtin),
      ['09506000134352'],
    );
    assert.match(
      r.headers.get('link') ?? '',
      /^<\/products\?market=de&perPage=1&nextPageToken=[A-Za-z0-9_-]+>; rel="next"$/,
    );
    r = await s.req(`/products?market=de&perPage=1&nextPageToken=${p1.nextPageToken}`, { key: queryKey });
    const p2 = (await r.json()) as { products: { gtin: string }[]; nextPageToken?: string };
    assert.deepEqual(
      p2.products.map((p) => p.gtin),
      ['09506000134376'],
    );
    assert.equal(p2.nextPageToken, undefined);
    r = await s.req('/products?ndc=00591093301', { key: queryKey });
    assert.deepEqual(
      ((await r.json()) as { products: { gtin: string }[] }).products.map((p) => p.gtin),
      [UNIT],
    );

    r = await send('DELETE', '/products/09506000134352');
    assert.equal(r.status, 204);
    r = await s.req('/products/09506000134352', { key: queryKey });
    assert.equal(r.status, 404);
    assert.equal(((await r.json()) as { type: string }).type, 'epcisException:NoSuchResourceException');
  });

  test('bad input: a problem naming every field; bad GTIN in the URL; unknown JSON fields', async () => {
    let r = await send('POST', '/products', {
      gtin: '00305910933013',
      name: '',
      markets: ['USA'],
      gcpLength: 7,
      colour: 'red',
    });
    assert.equal(r.status, 400);
    const p = (await r.json()) as {
      type: string;
      detail: string;
      errors: { field: string; detail: string }[];
    };
    assert.equal(p.type, 'epcisException:ValidationException');
    assert.deepEqual(p.errors.map((e) => e.field).sort(), ['colour', 'gtin', 'markets[0]', 'name']);
    assert.match(p.detail, /^the product is not valid: .* \(and 3 more\)$/);
    r = await s.req('/products/12345', { key: queryKey });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { detail: string }).detail, /A GTIN has 8, 12, 13 or 14 digits/);
    r = await s.req('/products', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"gtin": ',
    });
    assert.equal(r.status, 400);
    r = await send('POST', '/products', [1, 2]);
    assert.equal(r.status, 400);
  });

  test('roles: reading needs query, writing admin', async () => {
    let r = await s.req('/products', { key: null });
    assert.equal(r.status, 401);
    r = await send(
      'POST',
      '/partners',
      { gln: GLN_A, name: 'x', roles: ['dispenser'], status: 'revoked' },
      queryKey,
    );
    assert.equal(r.status, 403);
    r = await s.req('/partners', { key: queryKey });
    assert.equal(r.status, 200);
  });

  test('locations: GLN and SGLN, addressed by GLN, /254/ path, Digital Link and EPC URN', async () => {
    let r = await send('POST', '/locations', {
      gln: GLN_A,
      name: 'DC Memphis',
      type: 'distribution-centre',
      address: { city: 'Memphis', country: 'US' },
      geo: { lat: 35.1, lon: -90.0 },
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `/locations/${GLN_A}`);
    r = await send('PUT', `/locations/${GLN_A}/254/DOCK%2F1`, {
      name: 'Dock 1',
      type: 'dock',
      ownerGln: GLN_B,
    });
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get('location'), `/locations/${GLN_A}/254/DOCK%2F1`);
    const dock = (await r.json()) as { id: string; extension: string };
    assert.equal(dock.id, `https://id.gs1.org/414/${GLN_A}/254/DOCK%2F1`);
    assert.equal(dock.extension, 'DOCK/1');
    r = await s.req(`/locations/${encodeURIComponent(dock.id)}`, { key: queryKey });
    assert.equal(((await r.json()) as { name: string }).name, 'Dock 1');
    r = await s.req(`/locations/${encodeURIComponent('urn:epc:id:sgln:952012.345678.0')}`, { key: queryKey });
    assert.equal(((await r.json()) as { name: string }).name, 'DC Memphis');
    r = await s.req(`/locations?gln=${GLN_A}`, { key: queryKey });
    assert.equal(((await r.json()) as { locations: unknown[] }).locations.length, 2);
    r = await send('PUT', `/locations/${GLN_A}/254/DOCK%2F1`, { gln: GLN_B, name: 'x', type: 'dock' });
    assert.equal(r.status, 400);
    r = await send('DELETE', `/locations/${GLN_A}/254/DOCK%2F1`);
    assert.equal(r.status, 204);
    r = await send('DELETE', `/locations/${GLN_A}/254/DOCK%2F1`);
    assert.equal(r.status, 404);
  });

  test('partners: authorised check at a given time', async () => {
    let r = await send('PUT', `/partners/${GLN_B}`, {
      name: 'Wholesale Inc.',
      roles: ['wholesaler'],
      status: 'authorised',
      licence: { number: 'WD-42', authority: 'TN Board of Pharmacy', expiry: '2026-06-30' },
    });
    assert.equal(r.status, 201);
    r = await s.req(`/partners/${GLN_B}/authorised?at=2026-06-30T23:00:00Z`, { key: queryKey });
    assert.deepEqual(await r.json(), {
      gln: GLN_B,
      at: '2026-06-30T23:00:00.000Z',
      authorised: true,
      registered: true,
      status: 'authorised',
      licence: { number: 'WD-42', authority: 'TN Board of Pharmacy', expiry: '2026-06-30' },
    });
    r = await s.req(`/partners/${GLN_B}/authorised?at=2026-07-01`, { key: queryKey });
    assert.equal(((await r.json()) as { authorised: boolean }).authorised, false);
    r = await s.req(`/partners/${GLN_A}/authorised`, { key: queryKey });
    assert.deepEqual(((await r.json()) as { registered: boolean }).registered, false);
    r = await s.req(`/partners/${GLN_B}/authorised?at=tomorrow`, { key: queryKey });
    assert.equal(r.status, 400);
    r = await s.req('/partners?status=authorised', { key: queryKey });
    assert.deepEqual(
      ((await r.json()) as { partners: { gln: string }[] }).partners.map((p) => p.gln),
      [GLN_B],
    );
  });

  test('CSV import: all or nothing with lines, partial on request, 415 without a CSV body', async () => {
    const csv =
      'gtin,name,markets,gcpLength\r\n09506000134383,"Paracetamol, 500 mg",DE,7\r\n09506000134390,Bad,XX,7\r\n';
    let r = await s.req('/products/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(r.status, 400);
    const p = (await r.json()) as { errors: { line: number; field: string; detail: string }[] };
    assert.deepEqual(p.errors, [
      {
        line: 3,
        field: 'markets[0]',
        detail: "line 3: markets[0]: 'XX' is not an ISO 3166-1 alpha-2 country code (such as US, DE, FR)",
      },
    ]);
    r = await s.req('/products/09506000134383', { key: queryKey });
    assert.equal(r.status, 404, 'nothing was stored');
    r = await s.req('/products/import?partial=true', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(r.status, 200);
    const res = (await r.json()) as { rows: number; stored: number; created: number; errors: unknown[] };
    assert.deepEqual([res.rows, res.stored, res.created, res.errors.length], [2, 1, 1, 1]);
    r = await s.req('/products/09506000134383', { key: queryKey });
    assert.equal(((await r.json()) as { name: string }).name, 'Paracetamol, 500 mg');
    r = await s.req('/locations/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(r.status, 415);
    r = await s.req('/partners/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `gln,name,roles,status\n${GLN_A},Pharmacy,dispenser,revoked\n`,
    });
    assert.deepEqual(await r.json(), { created: 1, replaced: 0, rows: 1, stored: 1, errors: [] });
  });

  test('the OpenAPI document describes the registry', async () => {
    const r = await s.req('/openapi.json', { key: null });
    const doc = (await r.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const p of [
      '/products',
      '/products/{gtin}',
      '/products/import',
      '/locations/{id}',
      '/partners/{gln}/authorised',
    ])
      assert.ok(doc.paths[p], p);
    assert.ok(doc.paths['/products/{gtin}']!.put);
  });
});
