/**
 * Shared shapes and small helpers of the component linters. A linter looks at one component's
 * slice of an AI value (never the whole element string) and answers `GS1_LINTER_OK` or one error
 * code together with the offending characters, located inside that slice.
 */

export interface LintResult {
  /** `GS1_LINTER_OK` or a code from the reference linters' error list. */
  code: string;
  /** Offset of the offending characters within the component value. */
  position?: number;
  /** Number of offending characters from `position` (0 when the fault is an absence at `position`). */
  length?: number;
}

/** A component linter: pure, allocation-light, safe to call for every scanned pack. */
export type Linter = (value: string) => LintResult;

/**
 * A linter whose verdict depends on the reference ("current") year used to expand two-digit years
 * (GS1 sliding window): leap days and coupon date order. Callers inject their clock through it.
 */
export type YearLinter = (value: string, referenceYear?: number) => LintResult;

export const LINT_OK: LintResult = Object.freeze({ code: 'GS1_LINTER_OK' });

/** An error located at `position`, `length` characters long. */
export function lintError(code: string, position: number, length: number): LintResult {
  return { code, position, length };
}

/** An error that marks the whole value. */
export function wholeValue(code: string, value: string): LintResult {
  return { code, position: 0, length: value.length };
}

/** `GS1_LINTER_NON_DIGIT_CHARACTER` at the first non-digit of `value[from, to)`, or undefined. */
export function nonDigitAt(value: string, from = 0, to = value.length): LintResult | undefined {
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return { code: 'GS1_LINTER_NON_DIGIT_CHARACTER', position: i, length: 1 };
  }
  return undefined;
}

/** Numeric value of the digits `value[from, from + n)`; the caller has checked they are digits. */
export function digitsValue(value: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + (value.charCodeAt(i) - 48);
  return v;
}

/** A lookup table over the 128 ASCII code points holding 1 for each character of `chars`. */
export function asciiTable(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** True when the code unit is in the ASCII table (anything beyond ASCII is outside every table). */
export function inTable(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

/**
 * Renders `value` with the offending characters of `r` between `*…*`, the notation of the
 * reference test suites (`12345678*9*`); an error without a location marks the whole value.
 */
export function markHighlight(value: string, r: LintResult): string {
  const pos = r.position ?? 0;
  const end = r.position === undefined ? value.length : pos + (r.length ?? 0);
  return `${value.slice(0, pos)}*${value.slice(pos, end)}*${value.slice(end)}`;
}
