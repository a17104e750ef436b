/**
 * The labels endpoints over real HTTP on loopback: SVG and PNG labels whose barcodes decode to the
 * data asked for, a PDF sheet that parses and whose pages decode, problems naming the field, and
 * the `query` role. The routes need no store; the suite runs on a SQLite-backed server and, when
 * RXTRACE_TEST_DATABASE_URL is set, on a PostgreSQL-backed one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeGreyPng } from '@rxtrace/core';
import { decodeBarcodes } from '@rxtrace/gs1/barcode';
import type { Store } from '@rxtrace/store';
import { rasterisePage, readPdf } from '../../../core/src/labels/pdf-reader.ts';
import { openTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { startTestServer, type TestServer } from '../testing.ts';

const url = testDatabaseUrl();
const pgStore = url ? openTestStore(url) : undefined;

async function scans(png: Uint8Array): Promise<string[]> {
  const r = await decodeBarcodes(png, { formats: ['DataMatrix', 'Code128'] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value.map((s) => s.scanData).sort();
}

function suite(name: string, store: () => Store | undefined, skip: boolean) {
  describe(`labels over HTTP (${name})`, { skip }, () => {
    let s: TestServer;
    let queryKey: string;
    let captureKey: string;
    before(async () => {
      const st = store();
      s = await startTestServer(st ? { store: st, closeStore: false } : {});
      const mk = async (roles: string[]) => {
        const r = await s.req('/keys', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ roles }),
        });
        assert.equal(r.status, 201);
        return ((await r.json()) as { key: string }).key;
      };
      queryKey = await mk(['query']);
      captureKey = await mk(['capture']);
    });
    after(() => s?.close());

    it('GET /labels/pack.png decodes to ]d2 + the element string; extra AIs via aiNN', async () => {
      const r = await s.req(
        '/labels/pack.png?gtin=09506000134376&serial=SN%2812%29%2B&lot=LOT42&expiry=2026-12-31&nhrn=4150123456782&nhrnAi=712&ai91=KEY1&dpi=300',
        { key: queryKey },
      );
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'image/png');
      const png = new Uint8Array(await r.arrayBuffer());
      assert.deepEqual(await scans(png), [
        ']d201095060001343761726123110LOT42\u001d21SN(12)+\u001d7124150123456782\u001d91KEY1',
      ]);
    });

    it('GET /labels/pack.svg is an SVG with the text lines as text', async () => {
      const r = await s.req(
        '/labels/pack.svg?gtin=9506000134376&serial=ABC&lot=L1&expiry=270500&style=us&productName=Aspirin%20100%20mg&widthMm=70&heightMm=35',
        { key: queryKey },
      );
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^image\/svg\+xml/);
      const svg = await r.text();
      assert.match(svg, /^<svg [^>]*width="70mm" height="35mm"/);
      for (const t of ['Aspirin 100 mg', 'GTIN 09506000134376', 'SN ABC', 'LOT L1', 'EXP 2027-05'])
        assert.ok(svg.includes(`>${t}</text>`), t);
    });

    it('GET /labels/sscc.png: SSCC and content symbols', async () => {
      const r = await s.req(
        '/labels/sscc.png?sscc=106141411234567897&gtin=09506000134376&count=24&lot=LOT42&expiry=261231&from=Acme&to=DC%203&dpi=203',
        { key: queryKey },
      );
      assert.equal(r.status, 200);
      assert.deepEqual(await scans(new Uint8Array(await r.arrayBuffer())), [
        ']C100106141411234567897',
        ']C10209506000134376172612313724\u001d10LOT42',
      ]);
      const svg = await s.req('/labels/sscc.svg?sscc=106141411234567897', { key: queryKey });
      assert.equal(svg.status, 200);
      assert.ok((await svg.text()).includes('>(00) 106141411234567897</text>'));
    });

    it('POST /labels/sheet.pdf: a parseable PDF whose barcodes decode', async () => {
      const labels = Array.from({ length: 5 }, (_, i) => ({
        type: 'pack',
        gtin: '09506000134376',
        serial: `S${i}`,
        lot: 'L1',
        expiry: '261231',
      }));
      const r = await s.req('/labels/sheet.pdf', {
        method: 'POST',
        key: queryKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ labels, page: 'letter', columns: 2, outline: true }),
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      assert.equal(r.headers.get('x-label-count'), '5');
      const pdf = readPdf(new Uint8Array(await r.arrayBuffer()));
      assert.equal(pdf.pages.length, 1);
      const found = await scans(encodeGreyPng(rasterisePage(pdf.pages[0]!, 8 / (72 / 25.4))));
      assert.deepEqual(found, labels.map((l) => `]d201095060001343761726123110L1\u001d21${l.serial}`).sort());
    });

    it('bad input: 400 problem+json naming the field', async () => {
      const problem = async (path: string, init: RequestInit = {}) => {
        const r = await s.req(path, { key: queryKey, ...init });
        assert.equal(r.status, 400, path);
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        return (await r.json()) as {
          field: string;
          detail: string;
          errors: { field: string; code: string }[];
        };
      };
      const base = 'gtin=09506000134376&serial=A1&lot=L1&expiry=261231';
      let p = await problem(`/labels/pack.png?${base.replace('134376', '134377')}`);
      assert.equal(p.field, 'gtin');
      assert.match(p.detail, /check digit/);
      p = await problem(`/labels/pack.svg?${base.replace('serial=A1', 'serial=A%20B')}`);
      assert.equal(p.field, 'serial');
      p = await problem(`/labels/pack.svg?${base}&colour=red`);
      assert.equal(p.field, 'colour');
      p = await problem(`/labels/pack.png?${base}&dpi=5000`);
      assert.equal(p.field, 'dpi');
      p = await problem(`/labels/pack.png?${base}&widthMm=abc`);
      assert.equal(p.field, 'widthMm');
      p = await problem(`/labels/pack.png?${base}&heightMm=10&marginMm=4`);
      assert.equal(p.field, 'heightMm');
      p = await problem('/labels/pack.png?gtin=09506000134376');
      assert.deepEqual(
        p.errors.map((e) => e.field),
        ['serial', 'lot', 'expiry'],
      );
      p = await problem('/labels/sscc.svg?sscc=106141411234567897&gtin=09506000134376');
      assert.equal(p.field, 'count');
      p = await problem('/labels/sheet.pdf', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          labels: [
            { type: 'pack', gtin: '09506000134376', serial: 'A1', lot: 'L1', expiry: '261231' },
            { type: 'sscc', sscc: '1' },
          ],
        }),
      });
      assert.equal(p.field, 'labels[1].sscc');
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await (await s.req('/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      for (const p of ['/labels/pack.svg', '/labels/pack.png', '/labels/sscc.svg', '/labels/sscc.png'])
        assert.ok(doc.paths[p]?.get, p);
      assert.ok(doc.paths['/labels/sheet.pdf']?.post);
    });

    it('needs the query role', async () => {
      const r = await s.req('/labels/pack.svg?gtin=09506000134376&serial=A1&lot=L1&expiry=261231', {
        key: captureKey,
      });
      assert.equal(r.status, 403);
      const r2 = await s.req('/labels/pack.svg?gtin=09506000134376&serial=A1&lot=L1&expiry=261231', {
        key: null,
      });
      assert.equal(r2.status, 401);
    });
  });
}

suite('SQLite', () => undefined, false);
suite('PostgreSQL', () => pgStore, !url);
