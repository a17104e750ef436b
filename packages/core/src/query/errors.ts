/**
 * Query errors carry the EPCIS exception they stand for; the server turns them into RFC 7807
 * problems (`epcisException:<name>`) with the status given here. The core does not depend on the
 * server, so this is the core's own error type.
 */

export type QueryExceptionName =
  | 'QueryParameterException'
  | 'QueryValidationException'
  | 'QueryTooLargeException'
  | 'QueryTooComplexException'
  | 'NoSuchNameException'
  | 'NoSuchResourceException'
  | 'ResourceAlreadyExistsException'
  | 'NotAcceptableException'
  | 'ValidationException'
  | 'ImplementationException';

export class QueryError extends Error {
  readonly exception: QueryExceptionName;
  readonly status: number;
  constructor(exception: QueryExceptionName, message: string, status = 400) {
    super(message);
    this.name = 'QueryError';
    this.exception = exception;
    this.status = status;
  }
}

/** `QueryParameterException` (400): the usual way a query is refused. */
export function parameterError(message: string): QueryError {
  return new QueryError('QueryParameterException', message, 400);
}
