/**
 * Numeric-value linters: zero / non-zero values, no leading zero, "piece of total" and
 * "position/end" counters, and geographic coordinates (AI 4309).
 */
import { digitsValue, LINT_OK, type LintResult, lintError, nonDigitAt, wholeValue } from './types.ts';

/** Compares two digit strings that carry no leading zeros (or have equal length) numerically. */
function compareDigits(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): number {
  const la = aTo - aFrom;
  const lb = bTo - bFrom;
  if (la !== lb) return la - lb;
  for (let i = 0; i < la; i++) {
    const d = a.charCodeAt(aFrom + i) - b.charCodeAt(bFrom + i);
    if (d !== 0) return d;
  }
  return 0;
}

function allZeros(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (value.charCodeAt(i) !== 48) return false;
  return true;
}

/** The value must be zero: one or more `0` digits (AI 8003 GRAI leading digit). */
export function zero(value: string): LintResult {
  return value.length > 0 && allZeros(value, 0, value.length)
    ? LINT_OK
    : wholeValue('GS1_LINTER_NOT_ZERO', value);
}

/** Digits whose value is not zero (AI 8001 dimensions). */
export function nonzero(value: string): LintResult {
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return allZeros(value, 0, value.length) ? wholeValue('GS1_LINTER_ILLEGAL_ZERO_VALUE', value) : LINT_OK;
}

/** Digits without a leading zero (AI 8011 CPID serial); the empty value passes. */
export function nozeroprefix(value: string): LintResult {
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return value.charCodeAt(0) === 48 ? lintError('GS1_LINTER_ILLEGAL_ZERO_PREFIX', 0, 1) : LINT_OK;
}

/**
 * "Piece of total" (AI 8006/8026 ITIP): two equal-length numbers, piece then total, neither zero
 * and the piece not above the total.
 */
export function pieceoftotal(value: string): LintResult {
  const bad = nonDigitAt(value);
  if (bad) return bad;
  const n = value.length;
  if (n === 0 || n % 2 !== 0) return wholeValue('GS1_LINTER_INVALID_LENGTH_FOR_PIECE_OF_TOTAL', value);
  const half = n / 2;
  if (allZeros(value, 0, half)) return lintError('GS1_LINTER_ZERO_PIECE_NUMBER', 0, half);
  if (allZeros(value, half, n)) return lintError('GS1_LINTER_ZERO_TOTAL_PIECES', half, half);
  if (compareDigits(value, 0, half, value, half, n) > 0)
    return wholeValue('GS1_LINTER_PIECE_NUMBER_EXCEEDS_TOTAL', value);
  return LINT_OK;
}

/**
 * Position in a sequence written `<pos>/<end>` (AI 7258 birth sequence): two numbers without
 * leading zeros, position not above end.
 */
export function posinseqslash(value: string): LintResult {
  const n = value.length;
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === n - 1 || nonDigitAt(value, 0, slash) || nonDigitAt(value, slash + 1, n)) {
    return wholeValue('GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED', value);
  }
  if (value.charCodeAt(0) === 48) return lintError('GS1_LINTER_ILLEGAL_ZERO_PREFIX', 0, slash);
  if (value.charCodeAt(slash + 1) === 48)
    return lintError('GS1_LINTER_ILLEGAL_ZERO_PREFIX', slash + 1, n - slash - 1);
  if (compareDigits(value, 0, slash, value, slash + 1, n) > 0)
    return wholeValue('GS1_LINTER_POSITION_EXCEEDS_END', value);
  return LINT_OK;
}

/** Ten digits, not above `max` (coordinates are stored offset so that they are never negative). */
function coordinate(value: string, max: number, badLength: string, outOfRange: string): LintResult {
  if (value.length !== 10) return wholeValue(badLength, value);
  const bad = nonDigitAt(value);
  if (bad) return bad;
  return digitsValue(value, 0, 10) > max ? wholeValue(outOfRange, value) : LINT_OK;
}

/** Latitude as ten digits: (degrees + 90) × 10^7, so 0000000000..1800000000. */
export function latitude(value: string): LintResult {
  return coordinate(
    value,
    1_800_000_000,
    'GS1_LINTER_LATITUDE_INVALID_LENGTH',
    'GS1_LINTER_INVALID_LATITUDE',
  );
}

/** Longitude as ten digits: (degrees + 180) × 10^7, so 0000000000..3600000000. */
export function longitude(value: string): LintResult {
  return coordinate(
    value,
    3_600_000_000,
    'GS1_LINTER_LONGITUDE_INVALID_LENGTH',
    'GS1_LINTER_INVALID_LONGITUDE',
  );
}
