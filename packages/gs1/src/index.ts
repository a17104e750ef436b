/**
 * @rxtrace/gs1 — GS1 identifiers for pharmaceutical track and trace. Pure functions, no I/O.
 * Errors are values: operations that can fail return `Result<T>` with `Gs1Problem`s.
 */
export * from './errors.ts';
export type { AiElement } from './elements.ts';
export * from './charsets.ts';
export * from './check-digit.ts';
export * from './gtin.ts';
export type { AiComponent, AiDefinition, ComponentType } from './dictionary.ts';
export { parseSyntaxDictionary } from './dictionary.ts';
export {
  AI_DEFINITIONS,
  DICTIONARY_RELEASE,
  aiLengthFromPrefix,
  aiMatchesPattern,
  aiTitle,
  knownAiAt,
  lookupAi,
  maxValueLength,
  minValueLength,
} from './ai-table.ts';
export { createLinters, LINTERS, LINTER_MESSAGES, markHighlight, runLinter, YEAR_LINTERS, type LintResult, type Linter } from './linters/index.ts';
export * from './validate.ts';
export * from './element-string.ts';
export * from './scan-data.ts';
export * from './dates.ts';
export * from './fields.ts';
export * from './parse.ts';
export * from './ndc.ts';
export * from './gcp.ts';
export * from './forms.ts';
export * from './epc/index.ts';
export * from './digital-link/index.ts';
