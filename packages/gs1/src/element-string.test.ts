import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatBracketed,
  formatElementString,
  formatHri,
  formatUnbracketed,
  missingSeparatorHint,
  parseBracketed,
  parseUnbracketed,
} from './element-string.ts';

const PACK = [
  { ai: '01', value: '09506000134376' },
  { ai: '17', value: '261231' },
  { ai: '10', value: 'LOT42' },
  { ai: '21', value: 'SER123' },
];

test('unbracketed: FNC1 after variable-length values only, never after the last', () => {
  assert.equal(formatUnbracketed(PACK), '^010950600013437617261231^10LOT42^21SER123'.replace('^10', '10'));
  assert.equal(formatElementString(PACK), '01095060001343761726123110LOT42\u001d21SER123');
  const r = parseUnbracketed('^01095060001343761726123110LOT42\u001d21SER123');
  assert.ok(r.ok);
  assert.deepEqual(r.value.elements, PACK);
});

test('bracketed: round trip with escaped brackets inside values', () => {
  const els = [
    { ai: '01', value: '09506000134376' },
    { ai: '21', value: 'A(B)C' },
  ];
  const text = formatBracketed(els);
  assert.equal(text, '(01)09506000134376(21)A\\(B)C');
  const r = parseBracketed(text);
  assert.ok(r.ok);
  assert.deepEqual(r.value.elements, els);
  assert.deepEqual(formatHri(els), ['(01) 09506000134376', '(21) A(B)C']);
  assert.deepEqual(formatHri(els, { titles: true }), ['GTIN (01) 09506000134376', 'SERIAL (21) A(B)C']);
});

test('errors carry a code, a readable message and the position of the fault', () => {
  const r = parseBracketed('(01)09506000134377(21)X');
  assert.ok(!r.ok);
  assert.equal(r.errors[0]!.code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
  assert.equal(r.errors[0]!.ai, '01');
  assert.equal(r.errors[0]!.position, 4 + 13);
  assert.match(r.errors[0]!.message, /check digit/i);

  const u = parseUnbracketed('^0109506000134376^21SE R');
  assert.ok(!u.ok);
  assert.equal(u.errors[0]!.code, 'GS1_LINTER_INVALID_CSET82_CHARACTER');
  assert.equal(u.errors[0]!.position, 22);
  assert.match(u.errors[0]!.message, /space/);
});

test('unknown AIs are refused unless permitted, and then sized by their prefix', () => {
  assert.ok(!parseUnbracketed('^8299ABC').ok);
  const r = parseUnbracketed('^8299ABC', { permitUnknownAIs: true });
  assert.ok(r.ok);
  assert.deepEqual(r.value.elements, [{ ai: '8299', value: 'ABC' }]);
});

test('a serial that swallowed the next AI because a scanner dropped the GS gets a specific hint', () => {
  // (21) holds at most 20 characters; without the GS the lot runs into it.
  const glued = '^010950600013437621ABCDEFGHIJKLMNOP10LOT42';
  const r = parseUnbracketed(glued);
  assert.ok(!r.ok);
  assert.match(r.errors[0]!.message, /GS separator after \(21\) seems to be missing/);
  assert.match(r.errors[0]!.message, /\(21\)ABCDEFGHIJKLMNOP\(10\)LOT42/);
  assert.equal(missingSeparatorHint('21', 'SHORT'), undefined);
});

test('composite data keeps the split between linear and 2D components', () => {
  const r = parseUnbracketed('^0109506000134376|^10LOT');
  assert.ok(r.ok);
  assert.equal(r.value.linearCount, 1);
  assert.equal(formatBracketed(r.value.elements, r.value), '(01)09506000134376|(10)LOT');
});
