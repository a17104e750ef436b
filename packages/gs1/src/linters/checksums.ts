/**
 * Check-digit linters: the GS1 mod-10 check digit (`csum`), the GS1 alphanumeric check character
 * pair (`csumalpha`), the IBAN mod-97 check (`iban`) and the GS1 Company Prefix position checks
 * (`gcppos1`, `gcppos2`).
 */
import { CSET32, CSET82, firstNonCset82 } from '../charsets.ts';
import { computeCheckDigit } from '../check-digit.ts';
import { isIso3166Alpha2 } from './iso-codes.ts';
import { LINT_OK, type LintResult, lintError, nonDigitAt, wholeValue } from './types.ts';

/** The last digit is the GS1 mod-10 check digit of the digits before it. */
export function csum(value: string): LintResult {
  const bad = nonDigitAt(value);
  if (bad) return bad;
  const last = value.length - 1;
  if (last < 0) return lintError('GS1_LINTER_TOO_SHORT_FOR_CHECK_DIGIT', 0, 0);
  if (computeCheckDigit(value.slice(0, last)).charCodeAt(0) !== value.charCodeAt(last)) {
    return lintError('GS1_LINTER_INCORRECT_CHECK_DIGIT', last, 1);
  }
  return LINT_OK;
}

/** Value of each set-82 character in the check pair sum: its index in set 82, -1 elsewhere. */
const CSET82_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < CSET82.length; i++) t[CSET82.charCodeAt(i)] = i;
  return t;
})();

/** Longest value (data + pair) whose check pair we can weigh: one prime per data character. */
export const CSUMALPHA_MAX_LENGTH = 99;

/** The first 97 primes: weight of each data character, from the rightmost one leftwards. */
const PRIMES = (() => {
  const p = new Uint16Array(CSUMALPHA_MAX_LENGTH - 2);
  let n = 0;
  for (let k = 2; n < p.length; k++) {
    let prime = true;
    for (let j = 0; j < n && p[j]! * p[j]! <= k; j++) {
      if (k % p[j]! === 0) {
        prime = false;
        break;
      }
    }
    if (prime) p[n++] = k;
  }
  return p;
})();

/** The check character pair (GS1 General Specifications 7.9.5) for the data characters given. */
export function computeCheckPair(data: string): string {
  let sum = 0;
  for (let i = data.length - 1, w = 0; i >= 0; i--, w++) {
    const c = data.charCodeAt(i);
    const v = c < 128 ? CSET82_VALUE[c]! : -1;
    if (v < 0) throw new RangeError(`not a set-82 character: ${JSON.stringify(data[i])}`);
    const weight = PRIMES[w];
    if (weight === undefined)
      throw new RangeError(`too long for a check character pair: ${data.length} characters`);
    sum += v * weight;
  }
  const m = sum % 1021;
  return CSET32[m >> 5]! + CSET32[m & 31]!;
}

/** The last two characters are the GS1 check character pair of the set-82 characters before them. */
export function csumalpha(value: string): LintResult {
  const n = value.length;
  if (n < 2) return wholeValue('GS1_LINTER_TOO_SHORT_FOR_CHECK_PAIR', value);
  if (n > CSUMALPHA_MAX_LENGTH) return wholeValue('GS1_LINTER_TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION', value);
  const bad = firstNonCset82(value, 0, n - 2);
  if (bad >= 0) return lintError('GS1_LINTER_INVALID_CSET82_CHARACTER', bad, 1);
  const pair = computeCheckPair(value.slice(0, n - 2));
  if (pair.charCodeAt(0) !== value.charCodeAt(n - 2) || pair.charCodeAt(1) !== value.charCodeAt(n - 1)) {
    return lintError('GS1_LINTER_INCORRECT_CHECK_PAIR', n - 2, 2);
  }
  return LINT_OK;
}

/** The shortest GS1 Company Prefix. */
export const MIN_GCP_LENGTH = 4;

/**
 * A GS1 Company Prefix starts at `offset`: at least the minimum GCP length remains and those
 * characters are digits. (Whether the prefix is allocated needs GS1's GCP length table: see
 * `../shared/conformance/gs1-syntax/gcp-length/`; the linter does not guess.)
 */
function gcpAt(value: string, offset: number): LintResult {
  if (value.length - offset < MIN_GCP_LENGTH) {
    // Nothing after the offset: the whole (short) value is at fault.
    return value.length <= offset
      ? wholeValue('GS1_LINTER_TOO_SHORT_FOR_GCP', value)
      : lintError('GS1_LINTER_TOO_SHORT_FOR_GCP', offset, value.length - offset);
  }
  const bad = nonDigitAt(value, offset, offset + MIN_GCP_LENGTH);
  return bad ? lintError('GS1_LINTER_INVALID_GCP_PREFIX', bad.position!, 1) : LINT_OK;
}

/** The GS1 Company Prefix starts at the first character (GLN, GRAI, GMN…). */
export function gcppos1(value: string): LintResult {
  return gcpAt(value, 0);
}

/** The GS1 Company Prefix starts at the second character, after an indicator/extension digit (GTIN-14, SSCC). */
export function gcppos2(value: string): LintResult {
  return gcpAt(value, 1);
}

/**
 * Shortest and longest IBAN: the shortest national format (Norway) has 15 characters, and no IBAN
 * may exceed 34 (country code, two check digits, at most 30 BBAN characters).
 */
export const IBAN_MIN_LENGTH = 15;
export const IBAN_MAX_LENGTH = 34;

/**
 * International Bank Account Number (ISO 13616): a known ISO 3166 alpha-2 country, two check
 * digits, an upper-case alphanumeric BBAN, and the mod-97 check over the rearranged number.
 * Country-specific lengths are not enforced (the reference linter does not either), only the
 * overall 15–34 range. Checks run in this order: room for the country code and check digits,
 * country, overall length, characters, check digits.
 */
export function iban(value: string): LintResult {
  const n = value.length;
  if (n < 4) return wholeValue('GS1_LINTER_IBAN_TOO_SHORT', value);
  if (!isIso3166Alpha2(value, 0)) return lintError('GS1_LINTER_ILLEGAL_IBAN_COUNTRY_CODE', 0, 2);
  if (n < IBAN_MIN_LENGTH) return wholeValue('GS1_LINTER_IBAN_TOO_SHORT', value);
  if (n > IBAN_MAX_LENGTH) return wholeValue('GS1_LINTER_IBAN_TOO_LONG', value);
  for (let i = 2; i < n; i++) {
    const c = value.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (!digit && (i < 4 || c < 65 || c > 90)) return lintError('GS1_LINTER_INVALID_IBAN_CHARACTER', i, 1);
  }
  // Move the first four characters to the end, read letters as 10..35, and reduce mod 97.
  let r = 0;
  for (let k = 0; k < n; k++) {
    const c = value.charCodeAt((k + 4) % n);
    r = c <= 57 ? (r * 10 + (c - 48)) % 97 : (r * 100 + (c - 55)) % 97;
  }
  return r === 1 ? LINT_OK : lintError('GS1_LINTER_INCORRECT_IBAN_CHECKSUM', 2, 2);
}
