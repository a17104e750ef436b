/**
 * Capture problems as RFC 7807 objects (`CaptureProblem`), with the EPCIS exception names of the
 * REST binding as `type`, the event's index and a pointer to the fault.
 */
import { type EpcisProblem, type EpcisReadProblem, READ_CODES } from '@rxtrace/epcis';
import type { CaptureProblem } from '@rxtrace/store';

export type CaptureExceptionName =
  | 'ValidationException'
  | 'CaptureLimitExceededException'
  | 'UnsupportedMediaTypeException'
  | 'ResourceAlreadyExistsException'
  | 'ImplementationException';

const TITLES: Record<CaptureExceptionName, string> = {
  ValidationException: 'The document or event is not valid EPCIS',
  CaptureLimitExceededException: 'The capture is over the limit',
  UnsupportedMediaTypeException: 'Unsupported media type',
  ResourceAlreadyExistsException: 'The resource already exists',
  ImplementationException: 'Internal error',
};

const STATUS: Record<CaptureExceptionName, number> = {
  ValidationException: 400,
  CaptureLimitExceededException: 413,
  UnsupportedMediaTypeException: 415,
  ResourceAlreadyExistsException: 409,
  ImplementationException: 500,
};

export function captureProblem(
  exception: CaptureExceptionName,
  detail: string,
  extra: { eventIndex?: number; pointer?: string; instance?: string; code?: string } = {},
): CaptureProblem {
  const p: CaptureProblem = {
    type: `epcisException:${exception}`,
    title: TITLES[exception],
    status: STATUS[exception],
    detail: extra.code ? `${detail} [${extra.code}]` : detail,
  };
  if (extra.instance !== undefined) p.instance = extra.instance;
  if (extra.eventIndex !== undefined) p.eventIndex = extra.eventIndex;
  if (extra.pointer !== undefined) p.pointer = extra.pointer;
  return p;
}

/** Read codes that mean "over a limit" (HTTP 413). */
const LIMIT_CODES = new Set<string>([
  READ_CODES.limitDocument,
  READ_CODES.limitEvent,
  READ_CODES.limitHeader,
  READ_CODES.limitString,
  READ_CODES.limitDepth,
  READ_CODES.limitEvents,
  'RX_XML_LIMIT',
]);

/** The exception a reader problem maps to. */
export function exceptionOfReadProblem(p: EpcisReadProblem): CaptureExceptionName {
  if (p.code === READ_CODES.mediaType) return 'UnsupportedMediaTypeException';
  if (LIMIT_CODES.has(p.code) || p.code.includes('_LIMIT_')) return 'CaptureLimitExceededException';
  return 'ValidationException';
}

/** Where a problem is, in words: `line 12, column 5` for XML, the byte offset otherwise. */
function locationOf(p: EpcisReadProblem): string {
  if (p.line !== undefined)
    return p.column !== undefined ? `line ${p.line}, column ${p.column}: ` : `line ${p.line}: `;
  if (p.offset !== undefined) return `byte ${p.offset}: `;
  return '';
}

/** A reader problem (syntax, structure, limits, XML schema structure) as a capture problem. */
export function readProblem(p: EpcisReadProblem, eventListPointer?: string): CaptureProblem {
  const extra: { eventIndex?: number; pointer?: string; code?: string } = { code: p.code };
  if (p.eventIndex !== undefined) {
    extra.eventIndex = p.eventIndex;
    if (eventListPointer !== undefined) extra.pointer = `${eventListPointer}/${p.eventIndex}`;
  }
  if (p.pointer !== undefined) extra.pointer = p.pointer;
  return captureProblem(exceptionOfReadProblem(p), `${locationOf(p)}${p.message}`, extra);
}

/** A validation problem (JSON Schema verdict or rule) of one event or the header. */
export function validationProblem(
  p: EpcisProblem & { pointer?: string },
  eventIndex?: number,
): CaptureProblem {
  const extra: { eventIndex?: number; pointer?: string; code?: string } = { code: p.code };
  const idx = eventIndex ?? p.eventIndex;
  if (idx !== undefined) extra.eventIndex = idx;
  if (p.pointer !== undefined) extra.pointer = p.pointer;
  const where =
    p.pointer !== undefined && p.pointer !== ''
      ? `${p.pointer}: `
      : p.line !== undefined
        ? `line ${p.line}: `
        : '';
  return captureProblem('ValidationException', `${where}${p.message}`, extra);
}
