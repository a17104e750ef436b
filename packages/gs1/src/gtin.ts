/** GTIN forms: GTIN-8, -12, -13 and -14 are one number space, stored right-aligned in 14 digits. */
import { computeCheckDigit, hasValidCheckDigit } from './check-digit.ts';
import type { Result } from './errors.ts';

const fail = (code: string, message: string): Result<never> => ({ ok: false, errors: [{ code, message }] });

/** Checks a GTIN-8/12/13/14 and returns its 14-digit form. */
export function normalizeGtin(gtin: string): Result<string> {
  const s = gtin.trim();
  if (!/^\d+$/.test(s))
    return fail('GS1_LINTER_NON_DIGIT_CHARACTER', `A GTIN has digits only; '${gtin}' does not.`);
  if (![8, 12, 13, 14].includes(s.length))
    return fail('RX_BAD_GTIN_LENGTH', `A GTIN has 8, 12, 13 or 14 digits; '${gtin}' has ${s.length}.`);
  if (!hasValidCheckDigit(s)) {
    return fail(
      'GS1_LINTER_INCORRECT_CHECK_DIGIT',
      `The check digit of GTIN ${s} is wrong: it should end in ${computeCheckDigit(s.slice(0, -1))}.`,
    );
  }
  return { ok: true, value: s.padStart(14, '0') };
}

/** Builds a GTIN of `length` digits from its body (digits without the check digit). */
export function gtinFromBody(body: string, length: 8 | 12 | 13 | 14 = 14): Result<string> {
  if (!/^\d+$/.test(body)) return fail('GS1_LINTER_NON_DIGIT_CHARACTER', 'A GTIN body has digits only.');
  if (body.length > length - 1)
    return fail('RX_BAD_GTIN_LENGTH', `The body ${body} is too long for a GTIN-${length}.`);
  const padded = body.padStart(length - 1, '0');
  return { ok: true, value: padded + computeCheckDigit(padded) };
}

/** The shortest GTIN form of a 14-digit GTIN (GTIN-8, -12 or -13 when the leading zeros allow). */
export function shortestGtin(gtin14: string): string {
  if (gtin14.startsWith('000000')) return gtin14.slice(6);
  if (gtin14.startsWith('00')) return gtin14.slice(2);
  if (gtin14.startsWith('0')) return gtin14.slice(1);
  return gtin14;
}
