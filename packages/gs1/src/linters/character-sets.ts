/**
 * Character-set linters: the checks behind the dictionary's component types (`N` digits, `X` set
 * 82, `Y` set 39, `Z` base64url with padding), plus the small content checks that only look at
 * which characters are present (`hasnondigit`, `hyphen`, `pcenc`).
 */
import { CSET64, firstNonCset39, firstNonCset82 } from '../charsets.ts';
import { asciiTable, inTable, LINT_OK, type LintResult, lintError, nonDigitAt, wholeValue } from './types.ts';

/** `N` components: digits only. */
export function csetnumeric(value: string): LintResult {
  return nonDigitAt(value) ?? LINT_OK;
}

/** `X` components: GS1 AI encodable character set 82. */
export function cset82(value: string): LintResult {
  const bad = firstNonCset82(value);
  return bad < 0 ? LINT_OK : lintError('GS1_LINTER_INVALID_CSET82_CHARACTER', bad, 1);
}

/** `Y` components: character set 39 (upper case, digits, `#`, `-`, `/`). */
export function cset39(value: string): LintResult {
  const bad = firstNonCset39(value);
  return bad < 0 ? LINT_OK : lintError('GS1_LINTER_INVALID_CSET39_CHARACTER', bad, 1);
}

/** The base64url alphabet without the `=` pad character. */
const B64_DATA = asciiTable(CSET64.replace('=', ''));
const PAD = 61; // '='

/**
 * `Z` components: file-safe base64 (RFC 4648 §5). `=` may only close the value, as one or two pad
 * characters, and a padded value is a whole number of three-character groups (GS1's reading of
 * set 64 padding); unpadded values of any length are accepted. Bad padding is reported first.
 */
export function cset64(value: string): LintResult {
  let dataEnd = value.length;
  while (dataEnd > 0 && value.charCodeAt(dataEnd - 1) === PAD) dataEnd--;
  const pads = value.length - dataEnd;
  if (pads > 2 || (pads > 0 && value.length % 3 !== 0))
    return lintError('GS1_LINTER_INVALID_CSET64_PADDING', dataEnd, pads);
  for (let i = 0; i < dataEnd; i++) {
    if (!inTable(B64_DATA, value.charCodeAt(i)))
      return lintError('GS1_LINTER_INVALID_CSET64_CHARACTER', i, 1);
  }
  return LINT_OK;
}

/** At least one character must be something other than a digit (AI 8014 MUDI). */
export function hasnondigit(value: string): LintResult {
  return nonDigitAt(value) ? LINT_OK : wholeValue('GS1_LINTER_REQUIRES_NON_DIGIT_CHARACTER', value);
}

/** Only hyphens, at least one. */
export function hyphen(value: string): LintResult {
  if (value.length === 0) return lintError('GS1_LINTER_NOT_HYPHEN', 0, 0);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== 45) return lintError('GS1_LINTER_NOT_HYPHEN', i, 1);
  }
  return LINT_OK;
}

const HEX = asciiTable('0123456789ABCDEFabcdef');

/** Every `%` starts a `%hh` escape with two hexadecimal digits (either case). */
export function pcenc(value: string): LintResult {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    if (value.charCodeAt(i) !== 37) continue;
    if (i + 2 >= n || !inTable(HEX, value.charCodeAt(i + 1)) || !inTable(HEX, value.charCodeAt(i + 2))) {
      return lintError('GS1_LINTER_INVALID_PERCENT_SEQUENCE', i, Math.min(3, n - i));
    }
    i += 2;
  }
  return LINT_OK;
}
