/**
 * US National Drug Codes. NDC-10 comes in three layouts (4-4-2, 5-3-2, 5-4-1); the HIPAA NDC-11 is
 * 5-4-2 (the short segment zero-padded); the FDA's 2026 rule introduces a 12-digit 6-4-2 NDC from
 * 2033. A GTIN carries an NDC-10 after the `03` prefix: GTIN-12 `3` + NDC-10 + check, GTIN-14
 * indicator + `03` + NDC-10 + check. The hyphen layout cannot be recovered from a GTIN.
 */
import { computeCheckDigit, hasValidCheckDigit } from './check-digit.ts';
import type { Result } from './errors.ts';

export interface Ndc {
  labeler: string;
  product: string;
  package: string;
  /** Segment lengths as written, e.g. `5-3-2`. */
  layout: string;
}

const fail = (code: string, message: string): Result<never> => ({ ok: false, errors: [{ code, message }] });

/** Segment lengths of a hyphenated NDC as written (`4-4-2`, `6-3-2`…), or '' when there are no hyphens. */
export function identifyNdcFormat(ndc: string): string {
  const parts = ndc.trim().split('-');
  if (parts.length !== 3 || parts.some((p) => !/^[\d*]+$/.test(p))) return '';
  return parts.map((p) => p.length).join('-');
}

/**
 * Reads a hyphenated NDC (10, 11 or 12 digits; a zero-padded 6-digit labeler of legacy
 * databases is accepted). Unhyphenated 11- and 12-digit forms are read as 5-4-2 and 6-4-2.
 */
export function parseNdc(input: string): Result<Ndc> {
  const s = input.trim();
  if (/^\d{11}$/.test(s))
    return {
      ok: true,
      value: { labeler: s.slice(0, 5), product: s.slice(5, 9), package: s.slice(9), layout: '5-4-2' },
    };
  if (/^\d{12}$/.test(s))
    return {
      ok: true,
      value: { labeler: s.slice(0, 6), product: s.slice(6, 10), package: s.slice(10), layout: '6-4-2' },
    };
  if (/^\d{10}$/.test(s))
    return fail(
      'RX_NDC_AMBIGUOUS',
      `The 10-digit NDC ${s} has no hyphens, so its layout (4-4-2, 5-3-2 or 5-4-1) is unknown. Write it with hyphens as labelled.`,
    );
  const parts = s.split('-');
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p)))
    return fail(
      'RX_NDC_SYNTAX',
      `'${input}' is not an NDC: expected three groups of digits separated by hyphens, like 0591-0933-01.`,
    );
  const [labeler, product, pkg] = parts as [string, string, string];
  const layout = `${labeler.length}-${product.length}-${pkg.length}`;
  const ok = ['4-4-2', '5-3-2', '5-4-1', '5-4-2', '6-4-2', '6-4-1', '6-3-2', '6-3-1'].includes(layout);
  if (!ok)
    return fail(
      'RX_NDC_LAYOUT',
      `The NDC layout ${layout} is not one the FDA uses (4-4-2, 5-3-2, 5-4-1; 5-4-2 for NDC-11; 6-4-2 from 2033).`,
    );
  return { ok: true, value: { labeler, product, package: pkg, layout } };
}

/** The 11-digit HIPAA (5-4-2) form. A 6-digit labeler is accepted only as a zero-padded 5-digit one. */
export function ndcTo11(input: string): Result<string> {
  const r = parseNdc(input);
  if (!r.ok) return r;
  let { labeler, product, package: pkg } = r.value;
  if (labeler.length === 6) {
    if (!labeler.startsWith('0'))
      return fail(
        'RX_NDC_12_DIGIT',
        `${input} has a 6-digit labeler code: it is a 12-digit NDC with no 11-digit form.`,
      );
    labeler = labeler.slice(1);
  }
  return { ok: true, value: labeler.padStart(5, '0') + product.padStart(4, '0') + pkg.padStart(2, '0') };
}

/** The 10 digits of an NDC-10 as labelled (the form that goes inside a GTIN). */
export function ndc10Digits(input: string): Result<string> {
  const r = parseNdc(input);
  if (!r.ok) return r;
  const { labeler, product, package: pkg, layout } = r.value;
  if (!['4-4-2', '5-3-2', '5-4-1'].includes(layout))
    return fail(
      'RX_NDC_NOT_10',
      `${input} is not an NDC-10 (layout ${layout}); a GTIN is built from the NDC-10 as labelled, never from the 11-digit form.`,
    );
  return { ok: true, value: labeler + product + pkg };
}

/** GTIN-14 of an NDC-10: indicator digit + `03` + NDC + check digit. */
export function ndcToGtin14(ndc: string, indicator = '0'): Result<string> {
  if (!/^\d$/.test(indicator)) return fail('RX_BAD_INDICATOR', 'The indicator digit must be one digit 0-9.');
  const d = /^\d{10}$/.test(ndc) ? ({ ok: true, value: ndc } as const) : ndc10Digits(ndc);
  if (!d.ok) return d;
  const body = `${indicator}03${d.value}`;
  return { ok: true, value: body + computeCheckDigit(body) };
}

/** GTIN-12 (UPC-A) of an NDC-10: `3` + NDC + check digit. */
export function ndcToGtin12(ndc: string): Result<string> {
  const d = /^\d{10}$/.test(ndc) ? ({ ok: true, value: ndc } as const) : ndc10Digits(ndc);
  if (!d.ok) return d;
  const body = `3${d.value}`;
  return { ok: true, value: body + computeCheckDigit(body) };
}

/** The 10 NDC digits inside a GTIN (12 or 14 digits) whose 13-digit form starts with `03`. */
export function gtinToNdc10(gtin: string): Result<string> {
  if (!/^(\d{12}|\d{13}|\d{14})$/.test(gtin) || !hasValidCheckDigit(gtin))
    return fail('RX_BAD_GTIN', `${gtin} is not a GTIN with a valid check digit.`);
  const g14 = gtin.padStart(14, '0');
  if (!g14.startsWith('03', 1))
    return fail(
      'RX_GTIN_NOT_NDC',
      `GTIN ${g14} does not carry an NDC (its company prefix does not start with 03); the NDC, if any, travels in AI (715).`,
    );
  return { ok: true, value: g14.slice(3, 13) };
}
