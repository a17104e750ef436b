import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandYear, interpretDate } from './dates.ts';

test('sliding century window around the current year', () => {
  assert.equal(expandYear(76, 2026), 2076);
  assert.equal(expandYear(77, 2026), 1977);
  assert.equal(expandYear(26, 2026), 2026);
  assert.equal(expandYear(0, 2060), 2100);
});

test('DD=00 is the last day of the month, leap years honoured', () => {
  assert.equal(interpretDate('130200', 2026)?.date, '2013-02-28');
  assert.equal(interpretDate('160200', 2026)?.date, '2016-02-29');
  assert.equal(interpretDate('261200', 2026)?.date, '2026-12-31');
  assert.equal(interpretDate('261131', 2026), undefined);
  assert.equal(interpretDate('261301', 2026), undefined);
  assert.equal(interpretDate('20261231', 2026)?.date, '2026-12-31');
});

test('month lengths follow the Gregorian leap year rule', async () => {
  const { daysInMonth } = await import('./dates.ts');
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(2100, 2), 28);
  assert.equal(daysInMonth(2000, 2), 29);
  assert.equal(daysInMonth(2026, 4), 30);
  assert.equal(daysInMonth(2026, 12), 31);
});
