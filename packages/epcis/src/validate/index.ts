/**
 * EPCIS 2.0 JSON / JSON-LD validation: the verdict of the official JSON Schema (hand-written,
 * single pass per event) plus the rules the schema cannot express. Entry points:
 * - {@link validateEpcisJson}: any value (EPCISDocument, EPCISQueryDocument, bare event);
 * - {@link validateBareEvent}: the body of `POST /events`;
 * - streaming: {@link createValidationContext}, {@link validateDocumentHeader}, then
 *   {@link validateEvent} per event;
 * - {@link validateQueryBody}: query-language bodies (`POST /queries`).
 */
export {
  comparePointers,
  createValidationContext,
  type EpcisExceptionName,
  type ProblemSource,
  type Severity,
  ValidationContext,
  type ValidationOptions,
  type ValidationProblem,
  type ValidationReport,
} from './context.ts';
export { validateBareEvent, validateDocumentHeader, validateEpcisJson } from './document.ts';
export { validateEvent } from './event.ts';
export { isDateTime, isUri, parseDateTime as parseEpcisDateTime } from './formats.ts';
export { validateQueryBody } from './query.ts';
export { type RuleInfo, SCHEMA_ENFORCED_RULES, VALIDATION_RULES } from './rules.ts';
