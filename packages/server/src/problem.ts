/**
 * RFC 7807 problem details, with the EPCIS exception names of the REST binding as `type`. Every
 * error the server sends is one of these (application/problem+json, or problem+xml on request).
 */

export type EpcisException =
  | 'ValidationException'
  | 'QueryParameterException'
  | 'QueryValidationException'
  | 'QueryTooLargeException'
  | 'QueryTooComplexException'
  | 'SubscriptionControlsException'
  | 'NoSuchNameException'
  | 'NoSuchResourceException'
  | 'SecurityException'
  | 'CaptureLimitExceededException'
  | 'ResourceAlreadyExistsException'
  | 'URITooLongException'
  | 'NotAcceptableException'
  | 'UnsupportedMediaTypeException'
  | 'ImplementationException';

export interface Problem {
  /** `epcisException:<Name>` for EPCIS exceptions, otherwise `about:blank` or an rxtrace problem URI. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extra members (e.g. the list of per-event errors). */
  [member: string]: unknown;
}

export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

const TITLES: Record<EpcisException, string> = {
  ValidationException: 'The document or event is not valid EPCIS',
  QueryParameterException: 'A query parameter is not valid',
  QueryValidationException: 'The query is not valid',
  QueryTooLargeException: 'The query would return too many events',
  QueryTooComplexException: 'The query is too complex',
  SubscriptionControlsException: 'The subscription controls are not valid',
  NoSuchNameException: 'No such named query',
  NoSuchResourceException: 'No such resource',
  SecurityException: 'Not authorised',
  CaptureLimitExceededException: 'The capture is over the limit',
  ResourceAlreadyExistsException: 'The resource already exists',
  URITooLongException: 'The URI is too long',
  NotAcceptableException: 'No acceptable representation',
  UnsupportedMediaTypeException: 'Unsupported media type',
  ImplementationException: 'Internal error',
};

/** An EPCIS exception as a problem: `epcisProblem('QueryParameterException', 400, 'EQ_action: …')`. */
export function epcisProblem(exception: EpcisException, status: number, detail?: string, extra: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type: `epcisException:${exception}`, title: TITLES[exception], status, ...(detail ? { detail } : {}), ...extra });
}

/** Renders a problem as `application/problem+xml` (EPCIS 2.0 `epcis:EPCISException` shape). */
export function problemToXml(p: Problem): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const field = (name: string, v: unknown) => (v === undefined ? '' : `<${name}>${esc(String(v))}</${name}>`);
  return `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807">${field('type', p.type)}${field('title', p.title)}${field('status', p.status)}${field('detail', p.detail)}${field('instance', p.instance)}</problem>`;
}
