/**
 * The GS1 Barcode Syntax Dictionary's component linters. Each takes one component's slice of an AI
 * value and answers `GS1_LINTER_OK` or the reference error code, with the offending characters.
 * (PLACEHOLDER registry: being replaced by the full set.)
 */
import { hasValidCheckDigit } from '../check-digit.ts';

export interface LintResult {
  /** `GS1_LINTER_OK` or a code from the reference linters' error list. */
  code: string;
  /** Offset of the offending characters within the component value. */
  position?: number;
  length?: number;
}

export type Linter = (value: string) => LintResult;

export const LINT_OK: LintResult = { code: 'GS1_LINTER_OK' };

export const LINTERS: Record<string, Linter> = {
  csum: (v) => (hasValidCheckDigit(v) ? LINT_OK : { code: 'GS1_LINTER_INCORRECT_CHECK_DIGIT', position: v.length - 1, length: 1 }),
};

/** Runs a named linter; an unknown name is reported, never ignored. */
export function runLinter(name: string, value: string): LintResult {
  const l = LINTERS[name];
  if (!l) return { code: 'RX_UNKNOWN_LINTER' };
  return l(value);
}

/** Plain-language messages for linter codes, keyed by code. */
export const LINTER_MESSAGES: Record<string, string> = {
  GS1_LINTER_INCORRECT_CHECK_DIGIT: 'The check digit is wrong.',
};
