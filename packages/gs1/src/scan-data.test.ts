import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateScanData, processScanData } from './scan-data.ts';

test('scan data of a GS1 DataMatrix round-trips to ^ notation', () => {
  const scan = ']d2010950600013437617261231\u001d10LOT'.replace('\u001d10', '10');
  const r = processScanData(scan);
  assert.ok(r.ok);
  assert.equal(r.value.symbology, 'DM');
  assert.equal(r.value.gs1, true);
  assert.equal(r.value.data, '^01095060001343761726123110LOT');
  const g = generateScanData('DM', r.value.data);
  assert.ok(g.ok);
  assert.equal(g.value, scan);
});

test('plain QR carrying a Digital Link stays plain', () => {
  const r = processScanData(']Q1https://id.gs1.org/01/09506000134376/21/ABC');
  assert.ok(r.ok);
  assert.equal(r.value.gs1, false);
  assert.equal(r.value.data, 'https://id.gs1.org/01/09506000134376/21/ABC');
});

test('EAN-13 and EAN-8 scans are checked', () => {
  assert.ok(processScanData(']E05901234123457').ok);
  const bad = processScanData(']E05901234123458');
  assert.ok(!bad.ok);
  assert.equal(bad.errors[0]!.code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
});

test('a symbology identifier with swapped letter case points at Caps Lock', () => {
  const r = processScanData(']D2010950600013437621X');
  assert.ok(!r.ok);
  assert.match(r.errors[0]!.message, /Caps Lock/);
});
