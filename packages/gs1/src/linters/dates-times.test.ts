import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_REFERENCE_YEAR,
  daysInMonth,
  expandTwoDigitYear,
  hh,
  hhmi,
  mi,
  ss,
  yymmd0,
  yymmdd,
  yyyymmd0,
  yyyymmdd,
} from './dates-times.ts';
import { LINT_OK, markHighlight } from './types.ts';

test('the sliding window puts two-digit years within 49 years back and 50 ahead', () => {
  assert.equal(DEFAULT_REFERENCE_YEAR, 2021);
  assert.equal(expandTwoDigitYear(76, 2026), 2076);
  assert.equal(expandTwoDigitYear(77, 2026), 1977);
  assert.equal(expandTwoDigitYear(26, 2026), 2026);
  assert.equal(expandTwoDigitYear(0, 2026), 2000);
  assert.equal(expandTwoDigitYear(10, 2085), 2110);
  assert.equal(expandTwoDigitYear(71, 2021), 2071);
  assert.equal(expandTwoDigitYear(72, 2021), 1972);
  assert.equal(daysInMonth(2028, 2), 29);
  assert.equal(daysInMonth(2100, 2), 28);
  assert.equal(daysInMonth(2000, 2), 29);
});

test('yymmd0 (expiry): real days, and day 00 for "end of month"', () => {
  assert.deepEqual(yymmd0('261231'), LINT_OK);
  assert.deepEqual(yymmd0('270200'), LINT_OK);
  assert.deepEqual(yymmd0('280229'), LINT_OK);
  assert.equal(markHighlight('270229', yymmd0('270229')), '2702*29*');
  assert.equal(markHighlight('271301', yymmd0('271301')), '27*13*01');
  assert.equal(markHighlight('27O101', yymmd0('27O101')), '27*O*101');
  assert.equal(yymmd0('2612').code, 'GS1_LINTER_DATE_TOO_SHORT');
  assert.equal(yymmd0('20261231').code, 'GS1_LINTER_DATE_TOO_LONG');
});

test('the reference year can be injected: 000229 is a leap day in 2000, not in 2100', () => {
  assert.deepEqual(yymmd0('000229'), LINT_OK);
  assert.deepEqual(yymmd0('000229', 2060), { code: 'GS1_LINTER_ILLEGAL_DAY', position: 4, length: 2 });
  assert.deepEqual(yymmdd('000229', 2060).code, 'GS1_LINTER_ILLEGAL_DAY');
});

test('yymmdd needs a real day; yyyymmd0 / yyyymmdd read four-digit years', () => {
  assert.deepEqual(yymmdd('260704'), LINT_OK);
  assert.equal(markHighlight('260700', yymmdd('260700')), '2607*00*');
  assert.equal(markHighlight('260431', yymmdd('260431')), '2604*31*');
  assert.deepEqual(yyyymmdd('20280229'), LINT_OK);
  assert.equal(markHighlight('21000229', yyyymmdd('21000229')), '210002*29*');
  assert.deepEqual(yyyymmd0('20260900'), LINT_OK);
  assert.equal(yyyymmdd('20260900').code, 'GS1_LINTER_ILLEGAL_DAY');
  assert.equal(yyyymmdd('260101').code, 'GS1_LINTER_DATE_TOO_SHORT');
});

test('hh, mi, ss and hhmi', () => {
  assert.deepEqual(hh('23'), LINT_OK);
  assert.equal(hh('24').code, 'GS1_LINTER_ILLEGAL_HOUR');
  assert.equal(hh('7').code, 'GS1_LINTER_HOUR_TOO_SHORT');
  assert.deepEqual(mi('59'), LINT_OK);
  assert.equal(mi('60').code, 'GS1_LINTER_ILLEGAL_MINUTE');
  assert.equal(mi('0000').code, 'GS1_LINTER_MINUTE_TOO_LONG');
  assert.deepEqual(ss('00'), LINT_OK);
  assert.equal(ss('61').code, 'GS1_LINTER_ILLEGAL_SECOND');
  assert.deepEqual(hhmi('0830'), LINT_OK);
  assert.equal(markHighlight('0875', hhmi('0875')), '08*75*');
  assert.equal(markHighlight('2530', hhmi('2530')), '*25*30');
  assert.equal(hhmi('830').code, 'GS1_LINTER_HOUR_WITH_MINUTE_TOO_SHORT');
  assert.equal(hhmi('08300').code, 'GS1_LINTER_HOUR_WITH_MINUTE_TOO_LONG');
});
