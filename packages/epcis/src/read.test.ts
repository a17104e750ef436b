import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EPCISAnyDocument } from './model.ts';
import {
  assembleEpcisDocument,
  collectEpcisDocument,
  formatOfMediaType,
  type ReadEpcisDocumentOptions,
  readEpcisDocument,
} from './read.ts';
import type { EpcisChunk, EpcisReadItem } from './read-items.ts';
import { generateEpcisJson, generateEpcisXml, rechunk } from './testing/generate.ts';

async function items(
  chunks: Iterable<EpcisChunk> | AsyncIterable<EpcisChunk>,
  opts?: ReadEpcisDocumentOptions,
): Promise<EpcisReadItem[]> {
  const out: EpcisReadItem[] = [];
  for await (const item of readEpcisDocument(chunks, opts)) out.push(item);
  return out;
}

const errorOf = (out: EpcisReadItem[]) => {
  const last = out.at(-1);
  assert.ok(last?.kind === 'error', JSON.stringify(last));
  return last.error;
};

describe('readEpcisDocument', () => {
  test('JSON: the same items as the JSON reader, from text or bytes, after blanks and a byte-order mark', async () => {
    const text = generateEpcisJson({ casesPerPallet: 2, itemsPerCase: 3 });
    const expected = JSON.parse(text);
    for (const input of [
      [text],
      rechunk([text], { chunkSize: 5 }),
      [`\ufeff  \n${text}`],
      [Uint8Array.of(0xef), Uint8Array.of(0xbb), Uint8Array.of(0xbf, 0x20), Buffer.from(`\t${text}`)],
      ['', ' ', '\n', text],
    ]) {
      const r = await collectEpcisDocument(readEpcisDocument(input));
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      assert.deepEqual(r.value, expected);
    }
    const out = await items([text], { contentType: 'application/ld+json; charset=utf-8' });
    assert.equal(out[0]?.kind, 'header');
    assert.equal(out[0]?.kind === 'header' && out[0].format, 'json');
  });

  test('neither JSON nor XML, nothing at all, a bad chunk', async () => {
    let e = errorOf(await items(['  \n', 'hello']));
    assert.equal(e.code, 'RX_EPCIS_READ_UNKNOWN_FORMAT');
    assert.equal(e.offset, 3);
    e = errorOf(await items([Buffer.from([0xef, 0xbb, 0xbf, 0x5b])]));
    assert.equal(e.code, 'RX_EPCIS_READ_UNKNOWN_FORMAT');
    assert.equal(e.offset, 3);
    e = errorOf(await items([Buffer.from([0xef, 0xbb, 0x20])]));
    assert.equal(e.code, 'RX_EPCIS_READ_UNKNOWN_FORMAT');
    e = errorOf(await items([Buffer.from([0xef]), Buffer.from([0xbb])]));
    assert.equal(e.code, 'RX_EPCIS_READ_UNKNOWN_FORMAT');
    assert.equal(errorOf(await items([])).code, 'RX_EPCIS_JSON_TRUNCATED');
    assert.equal(errorOf(await items([' ', '\r\n'])).code, 'RX_EPCIS_JSON_TRUNCATED');
    assert.equal(errorOf(await items([7 as unknown as string])).code, 'RX_EPCIS_READ_CHUNK_TYPE');
    assert.equal(errorOf(await items([' '.repeat(2 << 20)])).code, 'RX_EPCIS_READ_UNKNOWN_FORMAT');
  });

  test('media types: recognised, refused, contradicted', async () => {
    assert.equal(formatOfMediaType(undefined), null);
    assert.equal(formatOfMediaType('application/json'), 'json');
    assert.equal(formatOfMediaType('Application/LD+JSON; charset=UTF-8'), 'json');
    assert.equal(formatOfMediaType('application/vnd.example+json'), 'json');
    assert.equal(formatOfMediaType('application/xml'), 'xml');
    assert.equal(formatOfMediaType('text/xml; charset=utf-8'), 'xml');
    assert.equal(formatOfMediaType('text/plain'), 'unsupported');
    assert.equal(
      errorOf(await items(['{}'], { contentType: 'text/plain' })).code,
      'RX_EPCIS_READ_MEDIA_TYPE',
    );
    assert.equal(
      errorOf(await items(['<a/>'], { contentType: 'application/json' })).code,
      'RX_EPCIS_READ_MEDIA_TYPE',
    );
    assert.equal(
      errorOf(await items(['{}'], { contentType: 'application/xml' })).code,
      'RX_EPCIS_READ_MEDIA_TYPE',
    );
  });

  test('limits and options reach the JSON reader', async () => {
    const text = generateEpcisJson({ casesPerPallet: 2, itemsPerCase: 3 });
    assert.equal(
      errorOf(await items([text], { limits: { maxEvents: 2 } })).code,
      'RX_EPCIS_LIMIT_EVENT_COUNT',
    );
    const dup = '{"type":"EPCISDocument","type":"EPCISDocument","epcisBody":{}}';
    assert.equal(errorOf(await items([dup])).code, 'RX_EPCIS_JSON_DUPLICATE_KEY');
    assert.equal((await items([dup], { duplicateKeys: 'allow' })).at(-1)?.kind, 'end');
  });

  test('the source is closed when reading stops early, and its own errors propagate', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield '{"type":"EPCISDocument","epcisBody":{"eventList":[1';
        yield ']}}';
      } finally {
        closed = true;
      }
    }
    assert.equal(errorOf(await items(source())).code, 'RX_EPCIS_DOCUMENT_STRUCTURE');
    assert.ok(closed);
    closed = false;
    for await (const item of readEpcisDocument(source())) {
      void item;
      break;
    }
    assert.ok(closed);
    async function* failing(): AsyncGenerator<string> {
      yield '{"type":';
      throw new Error('connection reset');
    }
    await assert.rejects(items(failing()), /connection reset/);
  });

  test('assembleEpcisDocument puts events where the document type wants them', () => {
    const ev = { type: 'ObjectEvent', eventTime: 't', eventTimeZoneOffset: '+00:00' };
    const d1 = assembleEpcisDocument({ type: 'EPCISDocument', epcisBody: {} }, [ev]) as EPCISAnyDocument;
    assert.deepEqual(d1.epcisBody, { eventList: [ev] });
    const d2 = assembleEpcisDocument(
      { type: 'EPCISQueryDocument', epcisBody: { queryResults: { queryName: 'q', resultsBody: {} } } },
      [ev],
    );
    assert.deepEqual(d2.epcisBody, { queryResults: { queryName: 'q', resultsBody: { eventList: [ev] } } });
  });

  test('XML: the same item shapes as JSON', async () => {
    const o = { pallets: 1, casesPerPallet: 2, itemsPerCase: 3 };
    const fromJson = await items([generateEpcisJson(o)]);
    const xml = generateEpcisXml(o);
    const fromXml = await items(rechunk([`\ufeff${xml}`], { chunkSize: 7 }));
    assert.deepEqual(
      fromXml.map((i) => i.kind),
      fromJson.map((i) => i.kind),
    );
    assert.equal(fromXml[0]?.kind === 'header' && fromXml[0].format, 'xml');
    const end = fromXml.at(-1);
    assert.ok(end?.kind === 'end');
    assert.equal(end.header.type, 'EPCISDocument');
    assert.equal(end.eventCount, fromJson.length - 2);
    assert.equal(
      errorOf(await items([xml], { contentType: 'application/json' })).code,
      'RX_EPCIS_READ_MEDIA_TYPE',
    );
    assert.equal((await items([xml], { contentType: 'text/xml' })).at(-1)?.kind, 'end');
  });
});
