/**
 * @rxtrace/gs1 — GS1 identifiers for pharmaceutical track and trace. Pure functions, no I/O.
 * Errors are values: operations that can fail return `Result<T>` with `Gs1Problem`s.
 */

export {
  AI_DEFINITIONS,
  aiLengthFromPrefix,
  aiMatchesPattern,
  aiTitle,
  DICTIONARY_RELEASE,
  knownAiAt,
  lookupAi,
  maxValueLength,
  minValueLength,
} from './ai-table.ts';
export * from './charsets.ts';
export * from './check-digit.ts';
export * from './dates.ts';
export type { AiComponent, AiDefinition, ComponentType } from './dictionary.ts';
export { parseSyntaxDictionary } from './dictionary.ts';
export * from './digital-link/index.ts';
export * from './element-string.ts';
export type { AiElement } from './elements.ts';
export * from './epc/index.ts';
export * from './errors.ts';
export * from './fields.ts';
export * from './forms.ts';
export * from './gcp.ts';
export * from './gtin.ts';
export {
  createLinters,
  LINTER_MESSAGES,
  LINTERS,
  type Linter,
  type LintResult,
  markHighlight,
  runLinter,
  YEAR_LINTERS,
} from './linters/index.ts';
export * from './ndc.ts';
export * from './parse.ts';
export * from './scan-data.ts';
export * from './validate.ts';
