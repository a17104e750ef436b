/** The `rxtrace labels` commands, run as a user runs them: a real process, real files, barcodes decoded back. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeGreyPng } from '@rxtrace/core';
import { decodeBarcodes } from '@rxtrace/gs1/barcode';
import { rasterisePage, readPdf } from '../../../core/src/labels/pdf-reader.ts';
import { labelsFromCsv } from './labels.ts';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rxtrace-cli-labels-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rx(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function scans(png: Uint8Array): Promise<string[]> {
  const r = await decodeBarcodes(png, { formats: ['DataMatrix', 'Code128'] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value.map((s) => s.scanData).sort();
}

test('labels pack -o x.png writes a label whose DataMatrix decodes to the input', async () => {
  const file = join(dir, 'pack.png');
  const r = rx([
    'labels',
    'pack',
    '--gtin',
    '09506000134376',
    '--serial',
    'A(1)/2',
    '--lot',
    'L1',
    '--expiry',
    '2027-03',
    '--ai',
    '91=KEY1',
    '--name',
    'Paracetamol 500 mg',
    '--dpi',
    '400',
    '-o',
    file,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await scans(readFileSync(file)), [
    ']d201095060001343761727030010L1\u001d21A(1)/2\u001d91KEY1',
  ]);
});

test('labels pack without -o writes SVG to standard output', () => {
  const r = rx([
    'labels',
    'pack',
    '--gtin',
    '09506000134376',
    '--serial',
    'S1',
    '--lot',
    'L1',
    '--expiry',
    '261231',
    '--style',
    'us',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^<svg /);
  assert.ok(r.stdout.includes('>SN S1</text>'));
});

test('labels sscc writes a logistic label with both symbols', async () => {
  const file = join(dir, 'sscc.png');
  const r = rx([
    'labels',
    'sscc',
    '--sscc',
    '106141411234567897',
    '--gtin',
    '09506000134376',
    '--count',
    '24',
    '--lot',
    'LOT42',
    '--expiry',
    '261231',
    '--from',
    'Acme',
    '--to',
    'DC 3',
    '-o',
    file,
    '--dpi',
    '203',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await scans(readFileSync(file)), [
    ']C100106141411234567897',
    ']C10209506000134376172612313724\u001d10LOT42',
  ]);
});

test('bad input: exit 1 and the faulty fields on stderr; usage errors exit 2', () => {
  const r = rx([
    'labels',
    'pack',
    '--gtin',
    '09506000134377',
    '--serial',
    'A B',
    '--lot',
    'L1',
    '--expiry',
    '2027-13',
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^gtin: .*check digit/m);
  assert.match(r.stderr, /^serial: /m);
  assert.match(r.stderr, /^expiry: /m);
  assert.equal(rx(['labels', 'pack', '--colour', 'red']).code, 2);
  assert.equal(
    rx([
      'labels',
      'pack',
      '--gtin',
      '09506000134376',
      '--serial',
      'S',
      '--lot',
      'L',
      '--expiry',
      '261231',
      '--format',
      'gif',
    ]).code,
    2,
  );
  assert.equal(rx(['labels', 'frame']).code, 2);
});

test('labels sheet from CSV (quoted fields, copies, aiNN) and JSON: PDF parses, barcodes decode; faults give the CSV line', async () => {
  const csv = join(dir, 'labels.csv');
  writeFileSync(
    csv,
    'type,gtin,serial,lot,expiry,ai91,copies,productName,sscc,count\r\n' +
      'pack,09506000134376,S1,L1,261231,K1,2,"Name, with comma",,\r\n' +
      ',09506000134376,"S""2",L1,261231,,,,,\r\n' +
      ',09506000134376,,,,,,,106141411234567897,5\r\n',
  );
  const pdfFile = join(dir, 'sheet.pdf');
  const r = rx(['labels', 'sheet', '--input', csv, '-o', pdfFile, '--page', 'A4', '--outline']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /4 labels on 1 A4 page/);
  const pdf = readPdf(readFileSync(pdfFile));
  const found = await scans(encodeGreyPng(rasterisePage(pdf.pages[0]!, 8 / (72 / 25.4))));
  assert.deepEqual(found, [
    ']C100106141411234567897',
    ']C10209506000134376375',
    ']d201095060001343761726123110L1\u001d21S"2',
    ']d201095060001343761726123110L1\u001d21S1\u001d91K1',
    ']d201095060001343761726123110L1\u001d21S1\u001d91K1',
  ]);
  assert.ok(pdf.pages[0]!.texts.some((t) => t.text === 'Name, with comma'));

  const json = join(dir, 'labels.json');
  writeFileSync(
    json,
    JSON.stringify({
      labels: [{ type: 'pack', gtin: '09506000134376', serial: 'J1', lot: 'L1', expiry: '261231' }],
      page: 'A4',
    }),
  );
  const j = rx(['labels', 'sheet', '--input', json, '-o', pdfFile]);
  assert.equal(j.code, 0, j.stderr);
  assert.equal(readPdf(readFileSync(pdfFile)).pages.length, 1);

  writeFileSync(csv, 'gtin,serial,lot,expiry\n09506000134376,S1,L1,261231\n09506000134376,S 2,L1,261231\n');
  const bad = rx(['labels', 'sheet', '--input', csv, '-o', pdfFile]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^line 3, serial: /m);
});

test('CSV reader: header, quotes, line numbers', () => {
  const { labels, lineOf } = labelsFromCsv(
    'gtin,serial,lot,expiry,productName\n1,2,3,4,"multi\nline"\n5,6,7,8,x\n',
  );
  assert.deepEqual(lineOf, [2, 4]);
  assert.equal((labels[0] as { productName: string }).productName, 'multi\nline');
  assert.equal(labels[1]!.type, 'pack');
});
