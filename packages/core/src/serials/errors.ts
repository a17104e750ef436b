/** Errors of the serial service: an HTTP status, a title and a precise detail (for RFC 7807). */
export class SerialError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly extra: Record<string, unknown>;
  constructor(status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'SerialError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.extra = extra;
  }
}
