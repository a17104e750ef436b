/**
 * Streaming EPCIS XML reading: chunks in, one `header` item, then each event as soon as its end tag
 * is read, then an `end` item (the item shapes shared with the JSON reader, `../read-items.ts`).
 * Memory is bounded by the largest event (plus one chunk): the tokenizer keeps only an incomplete
 * token between chunks, and the reader one event's element tree.
 */
import type { EPCISEvent } from '../model.ts';
import type {
  EpcisChunkSource,
  EpcisDocumentHeader,
  EpcisReadItem,
  EpcisReadProblem,
} from '../read-items.ts';
import { READ_CODES } from '../read-items.ts';
import {
  collectErrors,
  createXmlPipeline,
  problemOf,
  StopReading,
  type XmlPipeline,
  type XmlReadOptions,
} from './read.ts';
import { XmlByteDecoder, XmlError } from './tokenizer.ts';

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      i++; // a surrogate pair: 4 bytes for 2 code units
      n += 2;
    } else n += 2;
  }
  return n;
}

/**
 * Reads an EPCIS XML document (2.0 or 1.2, capture or query results) from chunks of text or UTF-8
 * bytes and yields `header`, then one `event` item per event as soon as it is complete, then `end`
 * — or, at the first problem (not well-formed, a limit, or with `validate` (default) the first XSD
 * problem), an `error` item, after which nothing more is yielded. Events before the problem have
 * been yielded already.
 */
export async function* readEpcisXmlEvents(
  chunks: EpcisChunkSource,
  opts: XmlReadOptions = {},
): AsyncGenerator<EpcisReadItem> {
  const queue: EpcisReadItem[] = [];
  let head = 0;
  let p: XmlPipeline | null = null;
  let decoder: XmlByteDecoder | null = null;
  let bytes = 0;
  const sink = {
    header: (h: EpcisDocumentHeader) => void queue.push({ kind: 'header', format: 'xml', header: h }),
    event: (event: EPCISEvent, index: number) => void queue.push({ kind: 'event', index, event }),
  };
  const error = (prob: EpcisReadProblem): EpcisReadItem => ({ kind: 'error', error: prob });
  const fail = (e: unknown): EpcisReadItem => {
    if (e instanceof StopReading || e instanceof XmlError) {
      const errors = collectErrors(p!, e instanceof XmlError ? problemOf(e) : null);
      return error(errors[0]!);
    }
    throw e;
  };
  try {
    for await (const chunk of chunks) {
      let text: string;
      if (typeof chunk === 'string') {
        text = chunk;
        bytes += utf8Length(chunk);
      } else if (chunk instanceof Uint8Array) {
        decoder ??= new XmlByteDecoder();
        text = decoder.decode(chunk);
        bytes += chunk.length;
      } else {
        yield error({ code: READ_CODES.chunkType, message: 'a chunk must be a string or a Uint8Array' });
        return;
      }
      p ??= createXmlPipeline('document', opts, sink, 1, decoder !== null);
      p.tokenizer.write(text);
      while (head < queue.length) yield queue[head++]!;
      queue.length = head = 0;
    }
    p ??= createXmlPipeline('document', opts, sink, 1, decoder !== null);
    if (decoder !== null) p.tokenizer.write(decoder.decode(new Uint8Array(0), true));
    p.tokenizer.end();
  } catch (e) {
    const item = p === null ? error(problemOf(e)) : fail(e);
    while (head < queue.length) yield queue[head++]!;
    yield item;
    return;
  }
  const r = p.reader;
  r.sendHeader();
  while (head < queue.length) yield queue[head++]!;
  yield { kind: 'end', format: 'xml', header: r.snapshotHeader(), eventCount: r.eventCount, bytes };
}
