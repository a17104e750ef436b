import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGs1 } from './parse.ts';

const GS = '\u001d';

test('a pharma pack from scan data: typed fields with DD=00 expiry as the last day of the month', () => {
  const r = parseGs1(`]d2010950600013437617280200${'10'}LOT42${GS}21SER123`, { currentYear: 2026 });
  assert.ok(r.ok, JSON.stringify(r));
  const d = r.value;
  assert.equal(d.form, 'scan');
  assert.equal(d.symbologyIdentifier, ']d2');
  assert.equal(d.fields.gtin, '09506000134376');
  assert.equal(d.fields.lot, 'LOT42');
  assert.equal(d.fields.serial, 'SER123');
  assert.deepEqual(d.fields.expiry, { raw: '280200', date: '2028-02-29', dayUnspecified: true });
  assert.deepEqual(d.warnings, []);
});

test('the same identity in every input form gives the same AIs', () => {
  const forms = [
    `]d201095060001343761726123110LOT42${GS}21SER123`,
    '(01)09506000134376(17)261231(10)LOT42(21)SER123',
    '^01095060001343761726123110LOT42^21SER123',
    `${GS}01095060001343761726123110LOT42${GS}21SER123`,
  ];
  const lists = forms.map((f) => {
    const r = parseGs1(f);
    assert.ok(r.ok, f);
    return r.value.elements;
  });
  for (const l of lists) assert.deepEqual(l, lists[0]);
});

test('bare GTIN-8/12/13/14 become a 14-digit (01)', () => {
  for (const [input, gtin] of [
    ['416000336108', '00416000336108'],
    ['5901234123457', '05901234123457'],
    ['02345680', '00000002345680'],
    ['09506000134376', '09506000134376'],
  ]) {
    const r = parseGs1(input!);
    assert.ok(r.ok, input);
    assert.equal(r.value.fields.gtin, gtin);
    assert.equal(r.value.form, 'gtin');
  }
  const bad = parseGs1('5901234123458');
  assert.ok(!bad.ok);
  assert.equal(bad.errors[0]!.code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
});

test('associations: a serial without a GTIN is refused; the check can be switched off', () => {
  const r = parseGs1('(21)ABC');
  assert.ok(!r.ok);
  assert.equal(r.errors[0]!.code, 'RX_REQUISITE_AI_MISSING');
  assert.ok(parseGs1('(21)ABC', { associations: false }).ok);
});

test('scanner faults get specific help', () => {
  // GS written as text by scanner software.
  const placeholder = parseGs1('010950600013437621ABC<GS>10LOT');
  assert.ok(placeholder.ok);
  assert.equal(placeholder.value.fields.lot, 'LOT');
  assert.ok(placeholder.value.warnings.some((w) => w.code === 'RX_GS_PLACEHOLDER'));
  assert.ok(placeholder.value.warnings.some((w) => w.code === 'RX_NO_SYMBOLOGY_ID'));

  // Dropped GS after a short serial: it parses, but the missing lot and expiry inside the serial are flagged.
  const glued = parseGs1(']d2010950600013437621ABC10L11726123');
  assert.ok(glued.ok);
  assert.ok(
    glued.value.warnings.some((w) => w.code === 'RX_SUSPECT_MISSING_GS' && /\(10\)/.test(w.message)),
    JSON.stringify(glued.value.warnings),
  );

  // AZERTY keyboard: digits arrive as symbols.
  const azerty = parseGs1('à&àçé"àà&"'.repeat(2));
  assert.ok(!azerty.ok);
  assert.equal(azerty.errors[0]!.code, 'RX_KEYBOARD_LAYOUT');
});

test('nothing crashes on hostile input', () => {
  for (const input of [
    '',
    ']',
    ']d2',
    '(',
    '((((',
    '\u0000',
    'x'.repeat(100000),
    '(01)'.repeat(5000),
    '^'.repeat(1000),
    '🙂',
  ]) {
    const r = parseGs1(input);
    assert.equal(r.ok, false, JSON.stringify(input.slice(0, 20)));
    assert.ok(r.errors.length > 0);
  }
});
