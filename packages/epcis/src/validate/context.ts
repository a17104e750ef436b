/**
 * Problems, reports and the validation context shared by the document, event and query validators.
 */
import type { EpcisProblem } from '../model.ts';

export type Severity = 'error' | 'warning';

/**
 * `schema`: the official EPCIS 2.0 JSON Schema rejects this too (rxtrace reports it with its own,
 * more precise message); `rule`: a rule of EPCIS / CBV that the schema cannot express (see
 * {@link VALIDATION_RULES}).
 */
export type ProblemSource = 'schema' | 'rule';

/** The EPCIS exception a problem maps to (RFC 7807 `type` = `epcisException:<name>`). */
export type EpcisExceptionName = 'ValidationException' | 'QueryParameterException';

export interface ValidationProblem extends EpcisProblem {
  /** JSON pointer into the validated value (`''` = the whole value). */
  pointer: string;
  severity: Severity;
  source: ProblemSource;
  exception: EpcisExceptionName;
}

export interface ValidationReport {
  /** No problem of severity `error` (schema or rule). */
  valid: boolean;
  /** No `schema` error: the verdict of the official JSON Schema (draft-07 with format checks). */
  schemaValid: boolean;
  /** What the value was taken for (top-level `type`). */
  kind: 'EPCISDocument' | 'EPCISQueryDocument' | 'event' | 'query' | 'unknown';
  errors: number;
  warnings: number;
  /** Problems in discovery order (document order within an event); at most `maxProblems`. */
  problems: ValidationProblem[];
}

export interface ValidationOptions {
  /** Apply the rules beyond the schema ({@link VALIDATION_RULES}); default true. */
  rules?: boolean;
  /** Report warnings; default true. */
  warnings?: boolean;
  /** Stop recording problems after this many (they are still counted); default 1000. */
  maxProblems?: number;
  /**
   * Rule RX_EPCIS_DUPLICATE_EVENT_ID: remember every eventID of the document to warn on repeats;
   * default false (it costs a hash-table insert per event, and the repository detects duplicates
   * against its store anyway).
   */
  trackEventIDs?: boolean;
}

/** Standard JSON-LD context URLs of EPCIS 2.0 (their prefixes are known to the validator). */
const STANDARD_CONTEXT_URL_PREFIXES = [
  'https://ref.gs1.org/standards/epcis/',
  'https://gs1.github.io/EPCIS/',
];
/** Prefixes the standard EPCIS 2.0 context (full and simple) declares. */
export const STANDARD_CONTEXT_PREFIXES: readonly string[] = [
  'epcis',
  'cbv',
  'cbvmda',
  'gs1',
  'rdfs',
  'owl',
  'xsd',
  'dcterms',
  'vtype',
  'rdf',
];

/**
 * State carried from the document header to its events, and from event to event while a document
 * is read as a stream: options, declared namespace prefixes, eventIDs seen so far, counters.
 * Create one per document with {@link createValidationContext}.
 */
export class ValidationContext {
  readonly rules: boolean;
  readonly warnings: boolean;
  readonly maxProblems: number;
  readonly trackEventIDs: boolean;
  /** Prefixes declared by the document's `@context`; `null` when unknown (a context URL rxtrace cannot see into). */
  prefixes: Set<string> | null = new Set(STANDARD_CONTEXT_PREFIXES);
  /** @internal extension keys already found declared (cache of the undeclared-prefix rule). */
  readonly declaredKeys = new Set<string>();
  /** eventID → whether a seen event with that ID was an error declaration. */
  readonly eventIDs = new Map<string, boolean>();
  /** Events validated so far. */
  events = 0;
  errors = 0;
  warningCount = 0;
  schemaErrors = 0;
  /** Problems recorded so far, over the whole document. */
  recorded = 0;
  /** Pointer of the event list, set by the document header (`/epcisBody/eventList`). */
  eventListPointer = '/epcisBody/eventList';
  /** @internal the problems of the value being validated (allocated on the first problem). */
  sink: ValidationProblem[] | null = null;
  /** @internal the `@context` of the event being validated. */
  eventContext: unknown = undefined;
  /** @internal index of the event being validated, or -1. */
  eventIndex = -1;
  /** @internal the exception problems map to. */
  exception: EpcisExceptionName = 'ValidationException';

  constructor(options: ValidationOptions = {}) {
    this.rules = options.rules ?? true;
    this.warnings = options.warnings ?? true;
    this.maxProblems = options.maxProblems ?? 1000;
    this.trackEventIDs = options.trackEventIDs ?? false;
  }

  /** Reads the prefixes a `@context` declares (objects) and whether its URLs are known ones. */
  declareContext(context: unknown): void {
    const set = new Set(STANDARD_CONTEXT_PREFIXES);
    let known = true;
    const visit = (entry: unknown): void => {
      if (typeof entry === 'string') {
        if (!STANDARD_CONTEXT_URL_PREFIXES.some((u) => entry.startsWith(u))) known = false;
      } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        for (const k in entry) set.add(k);
      }
    };
    if (Array.isArray(context)) context.forEach(visit);
    else visit(context);
    this.prefixes = known ? set : null;
    this.declaredKeys.clear();
  }
}

export function createValidationContext(options?: ValidationOptions): ValidationContext {
  return new ValidationContext(options);
}

/** Escapes one JSON pointer reference token. */
export function escapePointerToken(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key;
}

/** `base` + `/` + escaped key. */
export function ptr(base: string, key: string | number): string {
  return typeof key === 'number' ? `${base}/${key}` : `${base}/${escapePointerToken(key)}`;
}

/** Records a problem (respecting the options and the cap). */
export function report(
  c: ValidationContext,
  pointer: string,
  code: string,
  message: string,
  severity: Severity = 'error',
  source: ProblemSource = 'schema',
): void {
  if (severity === 'warning') {
    if (!c.warnings) return;
    c.warningCount++;
  } else {
    c.errors++;
    if (source === 'schema') c.schemaErrors++;
  }
  if (c.recorded >= c.maxProblems) return;
  c.recorded++;
  const p: ValidationProblem = { code, message, pointer, severity, source, exception: c.exception };
  if (c.eventIndex >= 0) p.eventIndex = c.eventIndex;
  (c.sink ??= []).push(p);
}

/** A rule finding: `source: 'rule'`; skipped when rules are off. */
export function reportRule(
  c: ValidationContext,
  pointer: string,
  code: string,
  message: string,
  severity: Severity,
): void {
  if (c.rules) report(c, pointer, code, message, severity, 'rule');
}

/** Short description of a JSON value for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': {
      const s = v.length > 60 ? `${v.slice(0, 57)}…` : v;
      return `'${s}'`;
    }
    case 'number':
    case 'boolean':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Orders JSON pointers by their reference tokens (array indices numerically), a parent before its
 * children — the order in which the validation table in ../shared lists "first errors".
 */
export function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  const ta = a === '' ? [] : a.slice(1).split('/');
  const tb = b === '' ? [] : b.slice(1).split('/');
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

export function finishReport(
  c: ValidationContext,
  kind: ValidationReport['kind'],
  problems: ValidationProblem[],
): ValidationReport {
  return {
    valid: c.errors === 0,
    schemaValid: c.schemaErrors === 0,
    kind,
    errors: c.errors,
    warnings: c.warningCount,
    problems,
  };
}
