/**
 * Reading EPCIS 2.0 JSON / JSON-LD documents (EPCISDocument and EPCISQueryDocument), streaming or
 * whole. See `scanner.ts` for how, and `../read-items.ts` for the items and the limits.
 *
 * ```ts
 * for await (const item of readEpcisJsonEvents(request)) {
 *   if (item.kind === 'header') …          // members before the events
 *   else if (item.kind === 'event') …      // item.event, item.index
 *   else if (item.kind === 'end') …        // item.header: the complete header (members after the events too)
 *   else reject(item.error);               // offset, line, column, code, message
 * }
 * ```
 */
import type { EPCISAnyDocument } from '../model.ts';
import {
  type EpcisChunkSource,
  type EpcisReadItem,
  type EpcisReadResult,
  READ_CODES,
} from '../read-items.ts';
import { type EpcisJsonReadOptions, EpcisJsonScanner } from './scanner.ts';

export type { EpcisJsonReadOptions } from './scanner.ts';

/**
 * Streams an EPCIS JSON document: yields a `header` item, then one `event` item per event as soon as
 * its text is complete, then an `end` item with the complete header — or, at the first problem, an
 * `error` item, after which it stops and closes the source. Memory: one event plus the header
 * (plus at most 1 MiB of the current chunk).
 */
export async function* readEpcisJsonEvents(
  chunks: EpcisChunkSource,
  opts: EpcisJsonReadOptions = {},
): AsyncGenerator<EpcisReadItem, void, undefined> {
  const scanner = new EpcisJsonScanner(opts);
  for await (const chunk of chunks) {
    scanner.feed(chunk);
    for (let item = scanner.next(); item !== null; item = scanner.next()) {
      yield item;
    }
    if (scanner.done) return; // leaving the loop closes the source
  }
  scanner.end();
  for (let item = scanner.next(); item !== null; item = scanner.next()) {
    yield item;
  }
}

/**
 * Reads a whole EPCIS JSON document (text or UTF-8 bytes) with the same checks and limits as the
 * streaming reader: the document, equal to `JSON.parse(text)`, or the first problem.
 */
export function parseEpcisJson(
  text: string | Uint8Array,
  opts: EpcisJsonReadOptions = {},
): EpcisReadResult<EPCISAnyDocument> {
  const scanner = new EpcisJsonScanner(opts, true);
  scanner.feed(text);
  scanner.end();
  for (let item = scanner.next(); item !== null; item = scanner.next()) {
    if (item.kind === 'error') return { ok: false, errors: [item.error] };
    if (item.kind === 'end') return { ok: true, value: item.header as unknown as EPCISAnyDocument };
  }
  return { ok: false, errors: [{ code: READ_CODES.truncated, message: 'the document could not be read' }] };
}

/** The synchronous scanner, for callers that push chunks themselves (e.g. from a callback API). */
export { EpcisJsonScanner };
