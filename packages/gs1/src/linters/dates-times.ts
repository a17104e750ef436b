/**
 * Date and time linters: `yymmd0` (day 00 = last day of the month), `yymmdd`, `yyyymmd0`,
 * `yyyymmdd`, `hh`, `mi`, `ss` and `hhmi`.
 *
 * Two-digit years are expanded with the GS1 sliding window (GS1 General Specifications 7.12)
 * around a reference year. That only matters here for leap days (is `YY0229` real?) and for the
 * order of coupon dates. The reference linters fix the reference year at 2021, which is our default
 * so results stay reproducible; a caller that interprets dates passes its own clock's year.
 */
import { digitsValue, LINT_OK, type LintResult, lintError, nonDigitAt, wholeValue } from './types.ts';

/** The reference year of the GS1 reference linters (and of the conformance vectors). */
export const DEFAULT_REFERENCE_YEAR = 2021;

/**
 * Full year of a two-digit year by the GS1 sliding window: a year more than 50 years ahead of the
 * reference year is in the previous century, one 50 or more years behind it is in the next.
 */
export function expandTwoDigitYear(yy: number, referenceYear: number = DEFAULT_REFERENCE_YEAR): number {
  const century = Math.floor(referenceYear / 100) * 100;
  const diff = yy - (referenceYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days of `month` (1..12) in `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month]!;
}

/**
 * Checks the month and day digits at `value[at, at + 4)` for `year`; the digits are known to be
 * digits. Day `00` is accepted only when `dayZero` (it then means the month's last day).
 */
function monthDay(value: string, at: number, year: number, dayZero: boolean): LintResult {
  const month = digitsValue(value, at, 2);
  if (month < 1 || month > 12) return lintError('GS1_LINTER_ILLEGAL_MONTH', at, 2);
  const day = digitsValue(value, at + 2, 2);
  if ((day === 0 && !dayZero) || day > daysInMonth(year, month))
    return lintError('GS1_LINTER_ILLEGAL_DAY', at + 2, 2);
  return LINT_OK;
}

function sixDigitDate(value: string, dayZero: boolean, referenceYear: number): LintResult {
  if (value.length < 6) return wholeValue('GS1_LINTER_DATE_TOO_SHORT', value);
  if (value.length > 6) return wholeValue('GS1_LINTER_DATE_TOO_LONG', value);
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return monthDay(value, 2, expandTwoDigitYear(digitsValue(value, 0, 2), referenceYear), dayZero);
}

function eightDigitDate(value: string, dayZero: boolean): LintResult {
  if (value.length < 8) return wholeValue('GS1_LINTER_DATE_TOO_SHORT', value);
  if (value.length > 8) return wholeValue('GS1_LINTER_DATE_TOO_LONG', value);
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return monthDay(value, 4, digitsValue(value, 0, 4), dayZero);
}

/** `YYMMDD` where day `00` stands for the last day of the month (expiry, best before…). */
export function yymmd0(value: string, referenceYear: number = DEFAULT_REFERENCE_YEAR): LintResult {
  return sixDigitDate(value, true, referenceYear);
}

/** `YYMMDD`, a real calendar day. */
export function yymmdd(value: string, referenceYear: number = DEFAULT_REFERENCE_YEAR): LintResult {
  return sixDigitDate(value, false, referenceYear);
}

/** `YYYYMMDD` where day `00` stands for the last day of the month. */
export function yyyymmd0(value: string): LintResult {
  return eightDigitDate(value, true);
}

/** `YYYYMMDD`, a real calendar day. */
export function yyyymmdd(value: string): LintResult {
  return eightDigitDate(value, false);
}

/**
 * A date-validity check for code that holds a six-digit date inside a larger field (coupons): true
 * when `value[at, at + 6)` is a real `YYMMDD` day.
 */
export function isValidYymmdd(
  value: string,
  at: number,
  referenceYear: number = DEFAULT_REFERENCE_YEAR,
): boolean {
  if (value.length < at + 6 || nonDigitAt(value, at, at + 6)) return false;
  return (
    monthDay(value, at + 2, expandTwoDigitYear(digitsValue(value, at, 2), referenceYear), false) === LINT_OK
  );
}

/** A two-digit field with an upper bound, with its own too-short/too-long codes. */
function twoDigits(
  value: string,
  max: number,
  tooShort: string,
  tooLong: string,
  illegal: string,
): LintResult {
  if (value.length < 2) return wholeValue(tooShort, value);
  if (value.length > 2) return wholeValue(tooLong, value);
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return digitsValue(value, 0, 2) > max ? wholeValue(illegal, value) : LINT_OK;
}

/** `HH`: hour 00..23. */
export function hh(value: string): LintResult {
  return twoDigits(
    value,
    23,
    'GS1_LINTER_HOUR_TOO_SHORT',
    'GS1_LINTER_HOUR_TOO_LONG',
    'GS1_LINTER_ILLEGAL_HOUR',
  );
}

/** `MI`: minute 00..59. */
export function mi(value: string): LintResult {
  return twoDigits(
    value,
    59,
    'GS1_LINTER_MINUTE_TOO_SHORT',
    'GS1_LINTER_MINUTE_TOO_LONG',
    'GS1_LINTER_ILLEGAL_MINUTE',
  );
}

/** `SS`: second 00..59. */
export function ss(value: string): LintResult {
  return twoDigits(
    value,
    59,
    'GS1_LINTER_SECOND_TOO_SHORT',
    'GS1_LINTER_SECOND_TOO_LONG',
    'GS1_LINTER_ILLEGAL_SECOND',
  );
}

/** `HHMI`: hour 00..23 then minute 00..59. */
export function hhmi(value: string): LintResult {
  if (value.length < 4) return wholeValue('GS1_LINTER_HOUR_WITH_MINUTE_TOO_SHORT', value);
  if (value.length > 4) return wholeValue('GS1_LINTER_HOUR_WITH_MINUTE_TOO_LONG', value);
  const bad = nonDigitAt(value);
  if (bad) return bad;
  if (digitsValue(value, 0, 2) > 23) return lintError('GS1_LINTER_ILLEGAL_HOUR', 0, 2);
  if (digitsValue(value, 2, 2) > 59) return lintError('GS1_LINTER_ILLEGAL_MINUTE', 2, 2);
  return LINT_OK;
}
