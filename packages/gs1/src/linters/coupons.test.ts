import assert from 'node:assert/strict';
import { test } from 'node:test';
import { couponcode, couponposoffer } from './coupons.ts';
import { LINT_OK, markHighlight } from './types.ts';

// GCP VLI 0 + 614141, offer 123456, save value VLI 2 + 50, requirement VLI 1 + 1, code 0, family 000.
const BASE = '0614141123456250110000';

test('couponcode: mandatory fields', () => {
  assert.deepEqual(couponcode(BASE), LINT_OK);
  assert.equal(markHighlight('7614141', couponcode('7614141')), '*7*614141');
  assert.equal(markHighlight('061414', couponcode('061414')), '0*61414*');
  assert.equal(markHighlight('0614141', couponcode('0614141')), '*0614141*');
  assert.equal(couponcode('0614141123456').code, 'GS1_LINTER_COUPON_MISSING_SAVE_VALUE_VLI');
  assert.equal(markHighlight('06141411234567', couponcode('06141411234567')), '0614141123456*7*');
  assert.equal(
    couponcode('0614141123456250110').code,
    'GS1_LINTER_COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE',
  );
  assert.equal(
    markHighlight('06141411234562501170', couponcode('06141411234562501170')),
    '061414112345625011*7*0',
  );
  assert.equal(markHighlight('0614141X', couponcode('0614141X')), '0614141*X*');
});

test('couponcode: optional fields in order, dates and excess data', () => {
  const withDates = `${BASE}32612314260101`;
  assert.deepEqual(couponcode(withDates), LINT_OK);
  const reversed = `${BASE}32601014261231`;
  assert.equal(markHighlight(reversed, couponcode(reversed)), `${BASE}*32601014261231*`);
  assert.equal(markHighlight(`${BASE}3260230`, couponcode(`${BASE}3260230`)), `${BASE}3*260230*`);
  assert.deepEqual(couponcode(`${BASE}50123456`), LINT_OK);
  assert.deepEqual(couponcode(`${BASE}610614141`), LINT_OK);
  assert.deepEqual(couponcode(`${BASE}91101`), LINT_OK);
  assert.equal(markHighlight(`${BASE}9110`, couponcode(`${BASE}9110`)), `*${BASE}9110*`);
  assert.equal(markHighlight(`${BASE}93`, couponcode(`${BASE}93`)), `${BASE}9*3*`);
  assert.equal(markHighlight(`${BASE}50123456312`, couponcode(`${BASE}50123456312`)), `${BASE}50123456*312*`);
  assert.equal(markHighlight(`${BASE}7`, couponcode(`${BASE}7`)), `${BASE}*7*`);
  // Second qualifying purchase: rules 0, requirement VLI 1 + 2, code 1, family 123, no GCP (9).
  assert.deepEqual(couponcode(`${BASE}101211239`), LINT_OK);
  assert.equal(couponcode(`${BASE}10121123`).code, 'GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_GCP_VLI');
});

test('couponcode: the reference year decides which YYMMDD dates exist', () => {
  assert.deepEqual(couponcode(`${BASE}3000229`), LINT_OK);
  assert.equal(couponcode(`${BASE}3000229`, 2060).code, 'GS1_LINTER_COUPON_INVALID_EXIPIRATION_DATE');
});

test('couponposoffer', () => {
  const ok = '106141411234563123456789';
  assert.deepEqual(couponposoffer(ok), LINT_OK);
  assert.equal(markHighlight(`${ok}0`, couponposoffer(`${ok}0`)), `${ok}*0*`);
  assert.equal(couponposoffer('').code, 'GS1_LINTER_COUPON_MISSING_FORMAT_CODE');
  assert.equal(markHighlight('3', couponposoffer('3')), '*3*');
  assert.equal(markHighlight('17', couponposoffer('17')), '1*7*');
  assert.equal(
    markHighlight('10614141123456312', couponposoffer('10614141123456312')),
    '106141411234563*12*',
  );
});
