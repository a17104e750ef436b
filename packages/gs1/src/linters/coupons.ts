/**
 * Coupon linters: the North American coupon code (AI 8110, `couponcode`) and the positive offer
 * file coupon code (AI 8112, `couponposoffer`). Both are digit strings made of fixed fields and
 * "variable length indicator" (VLI) digits that announce the length of the field after them.
 *
 * Error locations follow one rule: a field that is absent altogether marks the whole value; a
 * field that is only partly there marks what is left of it; a bad indicator or code marks that
 * single digit.
 */
import { DEFAULT_REFERENCE_YEAR, expandTwoDigitYear, isValidYymmdd } from './dates-times.ts';
import { digitsValue, LINT_OK, type LintResult, lintError, nonDigitAt, wholeValue } from './types.ts';

/** Thrown inside a parse to stop at the first fault; never escapes this module. */
class Stop {
  constructor(readonly result: LintResult) {}
}

/** A left-to-right reader over a digit string that reports faults the way the reference does. */
class Reader {
  p = 0;
  constructor(readonly s: string) {}

  get left(): number {
    return this.s.length - this.p;
  }

  fail(code: string, position: number, length: number): never {
    throw new Stop(lintError(code, position, length));
  }

  /** Nothing (whole value) or a partial field (what remains) where `n` more digits were due. */
  truncated(code: string): never {
    if (this.left === 0) throw new Stop(wholeValue(code, this.s));
    return this.fail(code, this.p, this.left);
  }

  /** Reads one digit that must be there and, when `ok` is given, be accepted by it. */
  digit(missing: string, invalid?: string, ok?: (d: number) => boolean): number {
    if (this.left === 0) throw new Stop(wholeValue(missing, this.s));
    const d = this.s.charCodeAt(this.p) - 48;
    if (invalid !== undefined && ok !== undefined && !ok(d)) this.fail(invalid, this.p, 1);
    this.p++;
    return d;
  }

  /** Skips `n` digits that must all be present. */
  field(n: number, truncated: string): void {
    if (this.left < n) this.truncated(truncated);
    this.p += n;
  }
}

const zeroToSix = (d: number) => d <= 6;
const oneToFive = (d: number) => d >= 1 && d <= 5;
const requirementCode = (d: number) => d <= 4 || d === 9;
const gcpVliOrNone = (d: number) => d <= 6 || d === 9;
const zeroToThree = (d: number) => d <= 3;
const zeroToTwo = (d: number) => d <= 2;
const zeroOrOne = (d: number) => d <= 1;
const oneToSeven = (d: number) => d >= 1 && d <= 7;
const saveValueCode = (d: number) => d <= 2 || d === 5 || d === 6;

function run(value: string, parse: (r: Reader) => void): LintResult {
  const bad = nonDigitAt(value);
  if (bad) return bad;
  try {
    parse(new Reader(value));
  } catch (e) {
    if (e instanceof Stop) return e.result;
    throw e;
  }
  return LINT_OK;
}

type Which = '1ST' | '2ND' | '3RD';

/** The error codes of each qualifying purchase, built once. */
function purchaseCodes(which: Which) {
  const pre = `GS1_LINTER_COUPON_`;
  return {
    vliMissing: `${pre}MISSING_${which}_PURCHASE_REQUIREMENT_VLI`,
    vliInvalid: `${pre}INVALID_${which}_PURCHASE_REQUIREMENT_LENGTH`,
    truncated: `${pre}TRUNCATED_${which}_PURCHASE_REQUIREMENT`,
    codeMissing: `${pre}MISSING_${which}_PURCHASE_REQUIREMENT_CODE`,
    codeInvalid: `${pre}INVALID_${which}_PURCHASE_REQUIREMENT_CODE`,
    family: `${pre}TRUNCATED_${which}_PURCHASE_FAMILY_CODE`,
    gcpMissing: `${pre}MISSING_${which}_PURCHASE_GCP_VLI`,
    gcpInvalid: `${pre}INVALID_${which}_PURCHASE_GCP_LENGTH`,
    gcpTruncated: `${pre}TRUNCATED_${which}_PURCHASE_GCP`,
  };
}
const PURCHASE = {
  '1ST': purchaseCodes('1ST'),
  '2ND': purchaseCodes('2ND'),
  '3RD': purchaseCodes('3RD'),
} as const;

/** A purchase requirement: VLI (1–5) + value, requirement code, three-digit family code. */
function purchaseRequirement(r: Reader, which: Which): void {
  const c = PURCHASE[which];
  const n = r.digit(c.vliMissing, c.vliInvalid, oneToFive);
  r.field(n, c.truncated);
  r.digit(c.codeMissing, c.codeInvalid, requirementCode);
  r.field(3, c.family);
}

/** The GS1 Company Prefix of a 2nd/3rd qualifying purchase: VLI 0–6 (6–12 digits) or 9 (none). */
function purchaseGcp(r: Reader, which: '2ND' | '3RD'): void {
  const c = PURCHASE[which];
  const vli = r.digit(c.gcpMissing, c.gcpInvalid, gcpVliOrNone);
  if (vli !== 9) r.field(6 + vli, c.gcpTruncated);
}

/**
 * AI 8110 coupon code: primary GCP, offer code, save value, primary purchase requirement, then
 * optional fields each introduced by its identifier digit, in increasing order: 1 second purchase,
 * 2 third purchase, 3 expiration date, 4 start date, 5 serial number, 6 retailer, 9 miscellaneous.
 */
export function couponcode(value: string, referenceYear: number = DEFAULT_REFERENCE_YEAR): LintResult {
  return run(value, (r) => {
    const gcp = r.digit(
      'GS1_LINTER_COUPON_MISSING_GCP_VLI',
      'GS1_LINTER_COUPON_INVALID_GCP_LENGTH',
      zeroToSix,
    );
    r.field(6 + gcp, 'GS1_LINTER_COUPON_TRUNCATED_GCP');
    r.field(6, 'GS1_LINTER_COUPON_TRUNCATED_OFFER_CODE');
    const save = r.digit(
      'GS1_LINTER_COUPON_MISSING_SAVE_VALUE_VLI',
      'GS1_LINTER_COUPON_INVALID_SAVE_VALUE_LENGTH',
      oneToFive,
    );
    r.field(save, 'GS1_LINTER_COUPON_TRUNCATED_SAVE_VALUE');
    purchaseRequirement(r, '1ST');

    let lastId = 0;
    let expiryAt = -1; // position of the expiration date's identifier digit
    let expiry = 0; // the expiration date as YYYYMMDD
    while (r.left > 0) {
      const idAt = r.p;
      const id = r.s.charCodeAt(idAt) - 48;
      if (id <= lastId || id === 7 || id === 8) r.fail('GS1_LINTER_COUPON_EXCESS_DATA', idAt, r.left);
      lastId = id;
      r.p++;
      switch (id) {
        case 1:
          r.digit(
            'GS1_LINTER_COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE',
            'GS1_LINTER_COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE',
            zeroToThree,
          );
          purchaseRequirement(r, '2ND');
          purchaseGcp(r, '2ND');
          break;
        case 2:
          purchaseRequirement(r, '3RD');
          purchaseGcp(r, '3RD');
          break;
        case 3:
        case 4: {
          const expiring = id === 3;
          r.field(
            6,
            expiring
              ? 'GS1_LINTER_COUPON_TOO_SHORT_FOR_EXPIRATION_DATE'
              : 'GS1_LINTER_COUPON_TOO_SHORT_FOR_START_DATE',
          );
          const at = r.p - 6;
          if (!isValidYymmdd(r.s, at, referenceYear)) {
            r.fail(
              expiring
                ? 'GS1_LINTER_COUPON_INVALID_EXIPIRATION_DATE'
                : 'GS1_LINTER_COUPON_INVALID_START_DATE',
              at,
              6,
            );
          }
          const date =
            expandTwoDigitYear(digitsValue(r.s, at, 2), referenceYear) * 10000 + digitsValue(r.s, at + 2, 4);
          if (expiring) {
            expiryAt = idAt;
            expiry = date;
          } else if (expiryAt >= 0 && expiry < date) {
            r.fail('GS1_LINTER_COUPON_EXPIRATION_BEFORE_START', expiryAt, r.p - expiryAt);
          }
          break;
        }
        case 5: {
          const vli = r.digit('GS1_LINTER_COUPON_MISSING_SERIAL_NUMBER_VLI');
          r.field(6 + vli, 'GS1_LINTER_COUPON_TRUNCATED_SERIAL_NUMBER');
          break;
        }
        case 6: {
          const vli = r.digit(
            'GS1_LINTER_COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI',
            'GS1_LINTER_COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH',
            oneToSeven,
          );
          r.field(6 + vli, 'GS1_LINTER_COUPON_TRUNCATED_RETAILER_GCP_OR_GLN');
          break;
        }
        case 9:
          r.digit(
            'GS1_LINTER_COUPON_MISSING_SAVE_VALUE_CODE',
            'GS1_LINTER_COUPON_INVALID_SAVE_VALUE_CODE',
            saveValueCode,
          );
          r.digit(
            'GS1_LINTER_COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM',
            'GS1_LINTER_COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM',
            zeroToTwo,
          );
          r.digit('GS1_LINTER_COUPON_MISSING_STORE_COUPON_FLAG');
          r.digit(
            'GS1_LINTER_COUPON_MISSING_DONT_MULTIPLY_FLAG',
            'GS1_LINTER_COUPON_INVALID_DONT_MULTIPLY_FLAG',
            zeroOrOne,
          );
          break;
      }
    }
  });
}

/**
 * AI 8112 positive offer file coupon: format code (0 or 1), funder ID (VLI 0–6 → 6–12 digits),
 * six-digit offer code, serial number (VLI 0–9 → 6–15 digits), and nothing after it.
 */
export function couponposoffer(value: string): LintResult {
  return run(value, (r) => {
    r.digit('GS1_LINTER_COUPON_MISSING_FORMAT_CODE', 'GS1_LINTER_COUPON_INVALID_FORMAT_CODE', zeroOrOne);
    const funder = r.digit(
      'GS1_LINTER_COUPON_MISSING_FUNDER_VLI',
      'GS1_LINTER_COUPON_INVALID_FUNDER_LENGTH',
      zeroToSix,
    );
    r.field(6 + funder, 'GS1_LINTER_COUPON_TRUNCATED_FUNDER');
    r.field(6, 'GS1_LINTER_COUPON_TRUNCATED_OFFER_CODE');
    const serial = r.digit('GS1_LINTER_COUPON_MISSING_SERIAL_NUMBER_VLI');
    r.field(6 + serial, 'GS1_LINTER_COUPON_TRUNCATED_SERIAL_NUMBER');
    if (r.left > 0) r.fail('GS1_LINTER_COUPON_EXCESS_DATA', r.p, r.left);
  });
}
