/** Errors every Store implementation throws alike, so that callers can map them (e.g. to EPCIS exceptions). */

/** A page cursor this store did not issue for that orderBy and direction (→ QueryParameterException). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(message = 'invalid page cursor') {
    super(message);
  }
}
