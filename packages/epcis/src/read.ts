/**
 * The one door through which EPCIS documents enter rxtrace: {@link readEpcisDocument} looks at the
 * first non-blank character (`{` JSON, `<` XML; a UTF-8 byte-order mark is skipped), checks it
 * against the declared media type if there is one, and hands the stream to the JSON reader
 * (`json/stream.ts`) or the XML reader (`xml/`). Both yield the same items (`read-items.ts`):
 * `header`, then one `event` per event, then `end` — or one `error`.
 */
import { readEpcisJsonEvents } from './json/stream.ts';
import type { EPCISAnyDocument, EPCISEvent } from './model.ts';
import {
  type EpcisChunk,
  type EpcisChunkSource,
  type EpcisDocumentHeader,
  type EpcisReadItem,
  type EpcisReadLimits,
  type EpcisReadProblem,
  type EpcisReadResult,
  type EpcisSourceFormat,
  READ_CODES,
} from './read-items.ts';
import { readEpcisXmlEvents } from './xml/index.ts';

export interface ReadEpcisDocumentOptions {
  /**
   * The request's Content-Type, if any. JSON: `application/json`, `application/ld+json`, any
   * `…+json`; XML: `application/xml`, `text/xml`, any `…+xml`. Parameters (charset…) are ignored.
   * Another type is refused (HTTP 415); a type that contradicts the content is refused too.
   */
  contentType?: string;
  /** Limits for either format (see {@link EpcisReadLimits}). */
  limits?: EpcisReadLimits;
  /** JSON: what to do with a member name repeated in one object. Default `reject`. */
  duplicateKeys?: 'reject' | 'allow';
  /** XML: options of the XML reader other than the limits (XSD-structure validation, inert DOCTYPE…). */
  xml?: { validate?: boolean; allowInertDoctype?: boolean; maxProblems?: number };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Leading whitespace (and nothing else) tolerated before deciding the format. */
const MAX_LEADING_BLANK = 1 << 20;

/** The format a media type names: 'json', 'xml', null (none given) or 'unsupported'. */
export function formatOfMediaType(contentType: string | undefined): EpcisSourceFormat | null | 'unsupported' {
  if (contentType === undefined || contentType.trim() === '') return null;
  const type = (contentType.split(';')[0] as string).trim().toLowerCase();
  if (
    type === 'application/json' ||
    type === 'application/ld+json' ||
    /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(type)
  )
    return 'json';
  if (type === 'application/xml' || type === 'text/xml' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+xml$/.test(type))
    return 'xml';
  return 'unsupported';
}

function problem(code: string, message: string, offset?: number): EpcisReadProblem {
  const p: EpcisReadProblem = { code, message };
  if (offset !== undefined) p.offset = offset;
  return p;
}

/**
 * Reads an EPCIS document — EPCISDocument or EPCISQueryDocument, JSON(-LD) or XML — from a stream
 * of chunks (strings or UTF-8 bytes), yielding `header`, `event`…, `end`, or an `error` at the first
 * problem. Never throws because of the content; errors thrown by the source itself propagate.
 */
export async function* readEpcisDocument(
  chunks: EpcisChunkSource,
  opts: ReadEpcisDocumentOptions = {},
): AsyncGenerator<EpcisReadItem, void, undefined> {
  const declared = formatOfMediaType(opts.contentType);
  if (declared === 'unsupported') {
    yield {
      kind: 'error',
      error: problem(
        READ_CODES.mediaType,
        `media type ${JSON.stringify(opts.contentType)} is not an EPCIS document format (JSON or XML)`,
      ),
    };
    return;
  }
  const it: AsyncIterator<EpcisChunk> | Iterator<EpcisChunk> =
    Symbol.asyncIterator in chunks
      ? (chunks as AsyncIterable<EpcisChunk>)[Symbol.asyncIterator]()
      : (chunks as Iterable<EpcisChunk>)[Symbol.iterator]();
  const held: EpcisChunk[] = [];
  let offset = 0; // bytes (characters for string chunks) looked at so far
  let format: EpcisSourceFormat | null = null;
  let sourceDone = false;
  let closeSource = true;
  let bom = 0;
  try {
    // --- sniff: the first character that is not a byte-order mark or blank
    sniff: while (true) {
      const r = await it.next();
      if (r.done) {
        sourceDone = true;
        break;
      }
      const chunk: unknown = r.value;
      held.push(r.value);
      if (typeof chunk === 'string') {
        for (let k = 0; k < chunk.length; k++, offset++) {
          const c = chunk.charCodeAt(k);
          if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || (c === 0xfeff && offset === 0))
            continue;
          format = c === 0x7b ? 'json' : c === 0x3c ? 'xml' : null;
          if (format === null) {
            yield {
              kind: 'error',
              error: problem(
                READ_CODES.format,
                `the document starts with ${describe(c)}: neither JSON ('{') nor XML ('<')`,
                offset,
              ),
            };
            return;
          }
          break sniff;
        }
      } else if (chunk instanceof Uint8Array) {
        for (let k = 0; k < chunk.length; k++, offset++) {
          const c = chunk[k] as number;
          if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
          if (offset === bom && bom < 3 && c === UTF8_BOM[bom]) {
            bom++; // a byte-order mark at the very start
            continue;
          }
          if (bom > 0 && bom < 3) break; // the start of a byte-order mark, not followed by the rest
          format = c === 0x7b ? 'json' : c === 0x3c ? 'xml' : null;
          if (format === null) {
            yield {
              kind: 'error',
              error: problem(
                READ_CODES.format,
                `the document starts with byte 0x${c.toString(16).padStart(2, '0')}: neither JSON ('{') nor XML ('<')`,
                offset,
              ),
            };
            return;
          }
          break sniff;
        }
      } else {
        yield {
          kind: 'error',
          error: problem(
            READ_CODES.chunkType,
            `a chunk of the document is ${chunk === null ? 'null' : typeof chunk}, not a string or a Uint8Array`,
            offset,
          ),
        };
        return;
      }
      if (bom > 0 && bom < 3 && offset > bom) {
        yield {
          kind: 'error',
          error: problem(
            READ_CODES.format,
            'the document starts with bytes that are neither a byte-order mark nor JSON or XML',
            0,
          ),
        };
        return;
      }
      if (offset > MAX_LEADING_BLANK) {
        yield {
          kind: 'error',
          error: problem(
            READ_CODES.format,
            `no document in the first ${MAX_LEADING_BLANK} bytes (only blanks)`,
            offset,
          ),
        };
        return;
      }
    }
    if (format === null && bom > 0 && bom < 3) {
      yield {
        kind: 'error',
        error: problem(
          READ_CODES.format,
          'the document starts with bytes that are neither a byte-order mark nor JSON or XML',
          0,
        ),
      };
      return;
    }
    if (format === null) {
      yield {
        kind: 'error',
        error: problem(
          READ_CODES.truncated,
          offset === 0 ? 'the input is empty: no document' : 'the input holds only blanks: no document',
          offset,
        ),
      };
      return;
    }
    if (declared !== null && declared !== format) {
      yield {
        kind: 'error',
        error: problem(
          READ_CODES.mediaType,
          `the media type ${JSON.stringify(opts.contentType)} says ${declared.toUpperCase()}, but the content is ${format.toUpperCase()}`,
        ),
      };
      return;
    }
    // --- replay what was looked at, then the rest of the source
    const source = replay(held, it, sourceDone);
    closeSource = false; // from here on `replay` closes the source
    if (format === 'json') {
      const jsonOpts: Record<string, unknown> = { ...opts.limits };
      if (opts.duplicateKeys !== undefined) jsonOpts.duplicateKeys = opts.duplicateKeys;
      yield* readEpcisJsonEvents(source, jsonOpts);
      return;
    }
    const readXml = readEpcisXmlEvents as unknown as (
      c: AsyncIterable<EpcisChunk>,
      o: Record<string, unknown>,
    ) => AsyncIterable<EpcisReadItem>;
    yield* readXml(source, { ...opts.xml, limits: { ...opts.limits } });
  } finally {
    if (closeSource && !sourceDone) await it.return?.();
  }
}

function describe(c: number): string {
  return c < 0x20 || c === 0x7f
    ? `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${String.fromCharCode(c)}'`;
}

async function* replay(
  held: EpcisChunk[],
  it: AsyncIterator<EpcisChunk> | Iterator<EpcisChunk>,
  sourceDone: boolean,
): AsyncGenerator<EpcisChunk, void, undefined> {
  let done = sourceDone;
  try {
    while (held.length > 0) yield held.shift() as EpcisChunk;
    while (!done) {
      const r = await it.next();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}

/**
 * Collects what a reader yields into a whole document (events in their list) — for small
 * documents, tests and tools; the capture path works item by item.
 */
export async function collectEpcisDocument(
  items: AsyncIterable<EpcisReadItem>,
): Promise<EpcisReadResult<EPCISAnyDocument>> {
  const events: EPCISEvent[] = [];
  for await (const item of items) {
    if (item.kind === 'error') return { ok: false, errors: [item.error] };
    if (item.kind === 'event') events.push(item.event);
    else if (item.kind === 'end') return { ok: true, value: assembleEpcisDocument(item.header, events) };
  }
  return {
    ok: false,
    errors: [problem(READ_CODES.truncated, 'the reader stopped before the end of the document')],
  };
}

/** Puts the events into a header's event list (`epcisBody.eventList` or `…queryResults.resultsBody.eventList`). */
export function assembleEpcisDocument(header: EpcisDocumentHeader, events: EPCISEvent[]): EPCISAnyDocument {
  const doc = { ...header } as Record<string, unknown>;
  const body = { ...(header.epcisBody ?? {}) } as Record<string, unknown>;
  doc.epcisBody = body;
  const qr = body.queryResults;
  if (header.type === 'EPCISQueryDocument' || (typeof qr === 'object' && qr !== null)) {
    const q = { ...((qr as Record<string, unknown> | undefined) ?? {}) };
    q.resultsBody = { ...((q.resultsBody as Record<string, unknown> | undefined) ?? {}), eventList: events };
    body.queryResults = q;
  } else {
    body.eventList = events;
  }
  return doc as unknown as EPCISAnyDocument;
}
