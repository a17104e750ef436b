/**
 * The items a streaming EPCIS document reader yields — one shape for JSON and XML input — and the
 * limits every reader enforces. The readers are in `json/stream.ts` and `xml/`; `read.ts` is the one
 * door through which documents enter rxtrace and picks between them.
 *
 * A reader yields, in this order:
 *  1. one `header` item: the document members met before the first event (for JSON: every top-level
 *     member except the event list, with `epcisBody` / `queryResults` / `resultsBody` present as
 *     objects holding their other members);
 *  2. one `event` item per event, as soon as its text is complete;
 *  3. one `end` item with the complete header — members that came after the event list included —
 *     and the event count;
 * or, at the first problem, one `error` item, after which nothing more is yielded. Errors are values:
 * a reader never throws because of what a document contains (it rethrows what the chunk source
 * itself throws, e.g. an aborted request).
 */
import type { EPCISEvent, EPCISHeader, EpcisProblem, JsonLdContext } from './model.ts';

/** The document without its events (see the module comment). */
export interface EpcisDocumentHeader {
  '@context'?: JsonLdContext;
  type?: string;
  schemaVersion?: string;
  creationDate?: string;
  id?: string;
  instanceIdentifier?: string;
  sender?: string;
  receiver?: string;
  epcisHeader?: EPCISHeader;
  /** The body without `eventList`: `{}` for an EPCISDocument, `{ queryResults: { queryName, resultsBody: {} } }` for a query document. */
  epcisBody?: { [member: string]: unknown };
  [member: string]: unknown;
}

export type EpcisSourceFormat = 'json' | 'xml';

export interface EpcisHeaderItem {
  kind: 'header';
  format: EpcisSourceFormat;
  /** Members met so far. A snapshot: members that follow the event list arrive in the `end` item. */
  header: EpcisDocumentHeader;
}

export interface EpcisEventItem {
  kind: 'event';
  /** 0-based position of the event in the document. */
  index: number;
  event: EPCISEvent;
}

export interface EpcisEndItem {
  kind: 'end';
  format: EpcisSourceFormat;
  /** The complete header. */
  header: EpcisDocumentHeader;
  eventCount: number;
  /** Bytes read, byte-order mark included. */
  bytes: number;
}

export interface EpcisErrorItem {
  kind: 'error';
  error: EpcisReadProblem;
}

export type EpcisReadItem = EpcisHeaderItem | EpcisEventItem | EpcisEndItem | EpcisErrorItem;

/** A reason why a document could not be read, with where it was found. */
export interface EpcisReadProblem extends EpcisProblem {
  /** 0-based byte offset in the input (byte-order mark included) where the problem was found. */
  offset?: number;
  /** 1-based line (lines end at LF). */
  line?: number;
  /** 1-based column, in characters (UTF-16 code units) from the start of the line. */
  column?: number;
}

/** The outcome of a whole-document read: the value, or the (first) problem. */
export type EpcisReadResult<T> = { ok: true; value: T } | { ok: false; errors: EpcisReadProblem[] };

/**
 * Limits, each checked while scanning — before anything is buffered beyond it — so that hostile
 * input is rejected in bounded time and memory. Lengths of JSON text are in characters (UTF-16 code
 * units, the same as bytes for ASCII text); the document size is in bytes.
 */
export interface EpcisReadLimits {
  /** Whole document, in bytes. Default 1 GiB. */
  maxDocumentBytes?: number;
  /** Text of one event. Default 16 Mi characters. */
  maxEventLength?: number;
  /** Text of all header members together (master data included). Default 16 Mi characters. */
  maxHeaderLength?: number;
  /** One string (member name or value), escapes counted as written. Default 1 Mi characters. */
  maxStringLength?: number;
  /** Nesting of objects and arrays, the document object counting 1. Default 64. */
  maxDepth?: number;
  /** Events in the document. Default 10,000,000. */
  maxEvents?: number;
}

export const DEFAULT_READ_LIMITS: Readonly<Required<EpcisReadLimits>> = Object.freeze({
  maxDocumentBytes: 1024 * 1024 * 1024,
  maxEventLength: 16 * 1024 * 1024,
  maxHeaderLength: 16 * 1024 * 1024,
  maxStringLength: 1024 * 1024,
  maxDepth: 64,
  maxEvents: 10_000_000,
});

/** What a document reader accepts as input: text or bytes (UTF-8), in chunks. */
export type EpcisChunk = string | Uint8Array;
export type EpcisChunkSource = AsyncIterable<EpcisChunk> | Iterable<EpcisChunk>;

/** Stable problem codes of the readers. */
export const READ_CODES = Object.freeze({
  /** Not JSON text: bad token, truncated value, bad escape, control character in a string… */
  syntax: 'RX_EPCIS_JSON_SYNTAX',
  /** The input ended before the document did. */
  truncated: 'RX_EPCIS_JSON_TRUNCATED',
  /** Something other than whitespace after the document. */
  trailing: 'RX_EPCIS_JSON_TRAILING_CONTENT',
  /** Bytes that are not UTF-8. */
  utf8: 'RX_EPCIS_READ_INVALID_UTF8',
  /** The same member name twice in one object. */
  duplicateKey: 'RX_EPCIS_JSON_DUPLICATE_KEY',
  /** A number JSON can write but a double cannot hold (1e999). */
  numberRange: 'RX_EPCIS_JSON_NUMBER_RANGE',
  /** The top-level value is not an object, or not an EPCIS document (`type`). */
  notDocument: 'RX_EPCIS_NOT_A_DOCUMENT',
  /** `epcisBody`, `queryResults`, `resultsBody` not objects, `eventList` not an array, an event not an object, two event lists. */
  structure: 'RX_EPCIS_DOCUMENT_STRUCTURE',
  limitDocument: 'RX_EPCIS_LIMIT_DOCUMENT_SIZE',
  limitEvent: 'RX_EPCIS_LIMIT_EVENT_SIZE',
  limitHeader: 'RX_EPCIS_LIMIT_HEADER_SIZE',
  limitString: 'RX_EPCIS_LIMIT_STRING_LENGTH',
  limitDepth: 'RX_EPCIS_LIMIT_DEPTH',
  limitEvents: 'RX_EPCIS_LIMIT_EVENT_COUNT',
  /** A chunk that is neither a string nor a Uint8Array. */
  chunkType: 'RX_EPCIS_READ_CHUNK_TYPE',
  /** Neither JSON nor XML (first non-blank character is not `{` or `<`), or nothing at all. */
  format: 'RX_EPCIS_READ_UNKNOWN_FORMAT',
  /** The declared media type is not one the readers take, or contradicts the content. */
  mediaType: 'RX_EPCIS_READ_MEDIA_TYPE',
});
