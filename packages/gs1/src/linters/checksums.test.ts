import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasValidCheckDigit } from '../check-digit.ts';
import { computeCheckPair, csum, csumalpha, gcppos1, gcppos2, iban } from './checksums.ts';
import { LINT_OK, markHighlight } from './types.ts';

test('csum verifies the GS1 mod-10 check digit of GTINs, GLNs and SSCCs', () => {
  assert.deepEqual(csum('4006381333931'), LINT_OK);
  assert.deepEqual(csum('09506000134352'), LINT_OK);
  assert.deepEqual(csum('00061414112345' + '2'), csum('000614141123452'));
  const r = csum('09506000134353');
  assert.equal(r.code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
  assert.equal(markHighlight('09506000134353', r), '0950600013435*3*');
  assert.equal(markHighlight('0950600O134352', csum('0950600O134352')), '0950600*O*134352');
  assert.equal(csum('').code, 'GS1_LINTER_TOO_SHORT_FOR_CHECK_DIGIT');
});

test('csum agrees with the check-digit helper on keys of every GS1 length', () => {
  let seed = 12345;
  const digit = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return String(seed % 10);
  };
  for (const len of [8, 12, 13, 14, 17, 18]) {
    for (let k = 0; k < 200; k++) {
      let v = '';
      for (let i = 0; i < len; i++) v += digit();
      assert.equal(csum(v).code === 'GS1_LINTER_OK', hasValidCheckDigit(v), v);
    }
  }
});

test('csumalpha verifies the check character pair (GMN, MUDI)', () => {
  assert.equal(computeCheckPair('4012345RXLOT42'), 'UV');
  assert.deepEqual(csumalpha('4012345RXLOT42UV'), LINT_OK);
  assert.deepEqual(csumalpha('95060001RX-7/bBE'), LINT_OK);
  const r = csumalpha('4012345RXLOT42VU');
  assert.equal(r.code, 'GS1_LINTER_INCORRECT_CHECK_PAIR');
  assert.equal(markHighlight('4012345RXLOT42VU', r), '4012345RXLOT42*VU*');
  assert.equal(markHighlight('4012345RX LOT42UV', csumalpha('4012345RX LOT42UV')), '4012345RX* *LOT42UV');
  assert.equal(csumalpha('U').code, 'GS1_LINTER_TOO_SHORT_FOR_CHECK_PAIR');
  assert.equal(csumalpha('1'.repeat(120)).code, 'GS1_LINTER_TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION');
});

test('gcppos1 / gcppos2 want four digits where the company prefix starts', () => {
  assert.deepEqual(gcppos1('4012345RXLOT42UV'), LINT_OK);
  assert.deepEqual(gcppos2('09506000134352'), LINT_OK);
  assert.equal(markHighlight('40A2345', gcppos1('40A2345')), '40*A*2345');
  assert.equal(markHighlight('0950A000134352', gcppos2('0950A000134352')), '0950*A*000134352');
  assert.equal(markHighlight('950', gcppos1('950')), '*950*');
  assert.equal(markHighlight('0950', gcppos2('0950')), '0*950*');
  assert.equal(gcppos2('0').code, 'GS1_LINTER_TOO_SHORT_FOR_GCP');
});

test('iban checks country, characters, length and the mod-97 check digits', () => {
  assert.deepEqual(iban('DE89370400440532013000'), LINT_OK);
  assert.deepEqual(iban('GB82WEST12345698765432'), LINT_OK);
  assert.deepEqual(iban('NO9386011117947'), LINT_OK);
  const r = iban('DE89370400440532013001');
  assert.equal(r.code, 'GS1_LINTER_INCORRECT_IBAN_CHECKSUM');
  assert.equal(markHighlight('DE89370400440532013001', r), 'DE*89*370400440532013001');
  assert.equal(
    markHighlight('ZZ89370400440532013000', iban('ZZ89370400440532013000')),
    '*ZZ*89370400440532013000',
  );
  assert.equal(
    markHighlight('GB82west12345698765432', iban('GB82west12345698765432')),
    'GB82*w*est12345698765432',
  );
  assert.equal(iban('DE89').code, 'GS1_LINTER_IBAN_TOO_SHORT');
  assert.equal(iban('DE8937040044').code, 'GS1_LINTER_IBAN_TOO_SHORT');
  assert.equal(iban('D').code, 'GS1_LINTER_IBAN_TOO_SHORT');
  assert.equal(iban(`DE89${'1'.repeat(31)}`).code, 'GS1_LINTER_IBAN_TOO_LONG');
});
