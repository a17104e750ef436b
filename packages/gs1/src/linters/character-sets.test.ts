import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cset39, cset64, cset82, csetnumeric, hasnondigit, hyphen, pcenc } from './character-sets.ts';
import { LINT_OK, markHighlight } from './types.ts';

test('csetnumeric accepts digits and points at the first other character', () => {
  assert.deepEqual(csetnumeric('0123456789'), LINT_OK);
  assert.deepEqual(csetnumeric(''), LINT_OK);
  const r = csetnumeric('12O45');
  assert.equal(r.code, 'GS1_LINTER_NON_DIGIT_CHARACTER');
  assert.equal(markHighlight('12O45', r), '12*O*45');
});

test('cset82 accepts serials and batches made of set 82 and rejects the rest', () => {
  assert.deepEqual(cset82('LOT-2026/A.1_b'), LINT_OK);
  assert.deepEqual(cset82(`!"%&'()*+,-./:;<=>?`), LINT_OK);
  for (const [v, mark] of [
    ['SN 001', 'SN* *001'],
    ['SN#1', 'SN*#*1'],
    ['A@B', 'A*@*B'],
    ['Größe', 'Gr*ö*ße'],
    ['AB\u001dC', 'AB*\u001d*C'],
  ] as const) {
    const r = cset82(v);
    assert.equal(r.code, 'GS1_LINTER_INVALID_CSET82_CHARACTER', v);
    assert.equal(markHighlight(v, r), mark);
  }
});

test('cset39 allows only upper case, digits and # - /', () => {
  assert.deepEqual(cset39('CPID-12/A#7'), LINT_OK);
  assert.equal(markHighlight('ABc', cset39('ABc')), 'AB*c*');
  assert.equal(cset39('A.B').code, 'GS1_LINTER_INVALID_CSET39_CHARACTER');
});

test('cset64 checks the base64url alphabet and its padding', () => {
  assert.deepEqual(cset64('SGVsbG8-_w'), LINT_OK);
  assert.deepEqual(cset64('QUJD'), LINT_OK);
  assert.deepEqual(cset64('QUI'), LINT_OK);
  assert.deepEqual(cset64('QU='), LINT_OK);
  assert.deepEqual(cset64('Q=='), LINT_OK);
  assert.equal(markHighlight('QU+I', cset64('QU+I')), 'QU*+*I');
  assert.equal(markHighlight('Q=UI', cset64('Q=UI')), 'Q*=*UI');
  const bad = cset64('QUJD=');
  assert.equal(bad.code, 'GS1_LINTER_INVALID_CSET64_PADDING');
  assert.equal(markHighlight('QUJD=', bad), 'QUJD*=*');
  assert.equal(cset64('QUI=').code, 'GS1_LINTER_INVALID_CSET64_PADDING');
  assert.equal(cset64('QQ===').code, 'GS1_LINTER_INVALID_CSET64_PADDING');
  assert.equal(cset64(' UJD=').code, 'GS1_LINTER_INVALID_CSET64_PADDING');
});

test('hasnondigit, hyphen and pcenc', () => {
  assert.deepEqual(hasnondigit('4012345A'), LINT_OK);
  assert.equal(markHighlight('40123', hasnondigit('40123')), '*40123*');
  assert.deepEqual(hyphen('-'), LINT_OK);
  assert.equal(hyphen('').code, 'GS1_LINTER_NOT_HYPHEN');
  assert.equal(markHighlight('-+', hyphen('-+')), '-*+*');
  assert.deepEqual(pcenc('a%2Fb%c3%A9'), LINT_OK);
  assert.equal(markHighlight('x%2', pcenc('x%2')), 'x*%2*');
  assert.equal(markHighlight('%zz9', pcenc('%zz9')), '*%zz*9');
});
