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
export function epcisProblem(
  exception: EpcisException,
  status: number,
  detail?: string,
  extra: Record<string, unknown> = {},
): ProblemError {
  return new ProblemError({
    type: `epcisException:${exception}`,
    title: TITLES[exception],
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  });
}

/**
 * Renders a problem as `application/problem+xml` (RFC 7807 appendix A): the standard members, then
 * extension members — scalars as elements, lists of problems (`errors`) as `<errors><error>…`.
 */
export function problemToXml(p: Problem): string {
  return `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807">${problemMembersXml(p)}</problem>`;
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function escXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function problemMembersXml(p: Record<string, unknown>): string {
  const field = (name: string, v: unknown) =>
    v === undefined || v === null ? '' : `<${name}>${escXml(String(v))}</${name}>`;
  let out = `${field('type', p.type)}${field('title', p.title)}${field('status', p.status)}${field('detail', p.detail)}${field('instance', p.instance)}`;
  for (const [k, v] of Object.entries(p)) {
    if (
      k === 'type' ||
      k === 'title' ||
      k === 'status' ||
      k === 'detail' ||
      k === 'instance' ||
      !XML_NAME.test(k)
    )
      continue;
    if (Array.isArray(v)) {
      const items = v.map((x) =>
        x !== null && typeof x === 'object'
          ? `<error>${problemMembersXml(x as Record<string, unknown>)}</error>`
          : field('item', x),
      );
      out += `<${k}>${items.join('')}</${k}>`;
    } else if (v === null || typeof v !== 'object') out += field(k, v);
  }
  return out;
}

/** HTTP statuses → the EPCIS exception that fits (for errors that are not ProblemErrors). */
const EXCEPTION_OF_STATUS: Partial<Record<number, EpcisException>> = {
  400: 'ValidationException',
  401: 'SecurityException',
  403: 'SecurityException',
  404: 'NoSuchResourceException',
  406: 'NotAcceptableException',
  409: 'ResourceAlreadyExistsException',
  413: 'CaptureLimitExceededException',
  414: 'URITooLongException',
  415: 'UnsupportedMediaTypeException',
  500: 'ImplementationException',
  501: 'ImplementationException',
  503: 'ImplementationException',
};

const STATUS_TEXT: Record<number, string> = {
  405: 'Method not allowed',
  408: 'Request timeout',
  411: 'Length required',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** A problem for an HTTP status, with the EPCIS exception where one applies (`about:blank` otherwise). */
export function problemForStatus(
  status: number,
  detail?: string,
  extra: Record<string, unknown> = {},
): Problem {
  const exception = EXCEPTION_OF_STATUS[status];
  if (exception) {
    const p = epcisProblem(exception, status, detail, extra).problem;
    if (status === 503) p.title = STATUS_TEXT[503]!;
    return p;
  }
  return {
    type: 'about:blank',
    title: STATUS_TEXT[status] ?? 'Request failed',
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

/**
 * The representation a client asks for with its Accept header: `json` or `xml`, or null when it
 * accepts neither. No Accept header (or `*\/*` only): `fallback`.
 */
export function preferredFormat(
  accept: string | undefined,
  fallback: 'json' | 'xml' = 'json',
): 'json' | 'xml' | null {
  if (accept === undefined || accept.trim() === '') return fallback;
  let json = -1;
  let xml = -1;
  let any = -1;
  for (const range of accept.split(',')) {
    const [typePart, ...params] = range.split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') q = Number(v) || 0;
    }
    if (type === '*/*' || type === 'application/*') any = Math.max(any, q);
    else if (type === 'application/json' || type === 'application/ld+json' || type.endsWith('+json'))
      json = Math.max(json, q);
    else if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml'))
      xml = Math.max(xml, q);
  }
  if (json <= 0 && xml <= 0) return any > 0 ? fallback : null;
  if (xml > json) return 'xml';
  if (json > xml) return 'json';
  return fallback;
}

/** The problem as `[contentType, body]` in the representation the client prefers. */
export function renderProblem(
  p: Problem,
  accept: string | undefined,
  fallback: 'json' | 'xml' = 'json',
): [string, string] {
  return preferredFormat(accept, fallback) === 'xml'
    ? ['application/problem+xml; charset=utf-8', problemToXml(p)]
    : ['application/problem+json; charset=utf-8', JSON.stringify(p)];
}
