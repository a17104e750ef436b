/**
 * Hostile input: the reader must answer every input with a value (an `error` item or a document),
 * in bounded time and memory, and never crash, throw or pollute prototypes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { EpcisReadItem, EpcisReadProblem } from '../read-items.ts';
import { generateEpcisJson, rechunk } from '../testing/generate.ts';
import { type EpcisJsonReadOptions, parseEpcisJson, readEpcisJsonEvents } from './stream.ts';

async function items(
  chunks: Iterable<unknown> | AsyncIterable<unknown>,
  opts: EpcisJsonReadOptions = {},
): Promise<EpcisReadItem[]> {
  const out: EpcisReadItem[] = [];
  for await (const item of readEpcisJsonEvents(chunks as AsyncIterable<string | Uint8Array>, opts))
    out.push(item);
  return out;
}

/** Reads `input` whole and streamed (in chunks of several sizes); both must give the same single error, which is returned. */
async function rejects(
  input: string | Uint8Array,
  opts: EpcisJsonReadOptions = {},
): Promise<EpcisReadProblem> {
  const whole = parseEpcisJson(input, opts);
  assert.ok(!whole.ok, `accepted: ${typeof input === 'string' ? input.slice(0, 200) : ''}`);
  const err = whole.errors[0] as EpcisReadProblem;
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (const size of [1, 3, 64, 65536]) {
    const chunks: Uint8Array[] = [];
    for (let k = 0; k < bytes.length; k += size) chunks.push(bytes.subarray(k, k + size));
    const streamed = await items(chunks, opts);
    const last = streamed[streamed.length - 1];
    assert.ok(last?.kind === 'error', `streamed in ${size}-byte chunks: ${JSON.stringify(last)}`);
    assert.equal(streamed.filter((i) => i.kind === 'error').length, 1);
    assert.equal(
      last.error.code,
      err.code,
      `code, ${size}-byte chunks: ${last.error.message} / ${err.message}`,
    );
    assert.equal(last.error.offset, err.offset, `offset, ${size}-byte chunks: ${last.error.message}`);
    assert.equal(last.error.line, err.line, `line, ${size}-byte chunks`);
    assert.equal(last.error.column, err.column, `column, ${size}-byte chunks`);
  }
  assert.ok(typeof err.message === 'string' && err.message.length > 0);
  return err;
}

const DOC_START = '{"type":"EPCISDocument","epcisBody":{"eventList":[';
const DOC_END = ']}}';
const doc = (...events: string[]): string => DOC_START + events.join(',') + DOC_END;

describe('nesting', () => {
  test('100,000-deep arrays inside an event are refused at the depth limit, before JSON.parse', async () => {
    const deep = `{"type":"ObjectEvent","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const err = await rejects(doc(deep));
    assert.equal(err.code, 'RX_EPCIS_LIMIT_DEPTH');
    // document 1, epcisBody 2, eventList 3, event 4, then 60 arrays: the 61st '[' is too deep
    assert.equal(err.offset, DOC_START.length + '{"type":"ObjectEvent","x":'.length + 60);
    assert.equal(err.eventIndex, 0);
    assert.equal(err.pointer, '/epcisBody/eventList/0');
  });

  test('100,000-deep objects in a header member, 1,000,000-deep unclosed arrays, deep skeleton', async () => {
    const deepObj = `{"type":"EPCISDocument","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    assert.equal((await rejects(deepObj)).code, 'RX_EPCIS_LIMIT_DEPTH');
    const t0 = performance.now();
    const r = parseEpcisJson(`{"x":${'['.repeat(1_000_000)}`);
    assert.ok(!r.ok && r.errors[0]?.code === 'RX_EPCIS_LIMIT_DEPTH');
    assert.ok(performance.now() - t0 < 2000);
    // the skeleton counts too
    const r2 = parseEpcisJson(
      '{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":{"eventList":[{"a":[[[1]]]}]}}}}',
      { maxDepth: 7 },
    );
    assert.ok(!r2.ok && r2.errors[0]?.code === 'RX_EPCIS_LIMIT_DEPTH');
    const r3 = parseEpcisJson(
      '{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":{"eventList":[{"a":[[[1]]]}]}}}}',
      { maxDepth: 9 },
    );
    assert.ok(r3.ok);
  });

  test('a configurable depth: exactly at the limit passes, one more fails', async () => {
    // document 1 + body 2 + list 3 + event 4 + k arrays
    const at = (k: number): string => doc(`{"type":"ObjectEvent","x":${'['.repeat(k)}${']'.repeat(k)}}`);
    assert.ok(parseEpcisJson(at(6), { maxDepth: 10 }).ok);
    assert.equal((await rejects(at(7), { maxDepth: 10 })).code, 'RX_EPCIS_LIMIT_DEPTH');
    assert.ok(parseEpcisJson(at(60)).ok);
    assert.equal((await rejects(at(61))).code, 'RX_EPCIS_LIMIT_DEPTH');
  });
});

describe('huge values', () => {
  /** `prefix`, then `total` bytes of 'a' in 64 KiB chunks, made on demand; counts the chunks pulled. */
  function endless(
    prefix: string,
    total: number,
  ): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
    let pulled = 0;
    const block = Buffer.alloc(65536, 'a');
    async function* gen(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield Buffer.from(prefix);
      for (let sent = 0; sent < total; sent += block.length) {
        pulled++;
        yield block;
      }
    }
    return { source: gen(), pulled: () => pulled };
  }

  test('a 300 MB string is refused at the string limit without reading (or holding) it all', async () => {
    const rss0 = process.memoryUsage().rss;
    const { source, pulled } = endless('{"@context":"', 300 * 1024 * 1024);
    const out = await items(source);
    const last = out[out.length - 1];
    assert.ok(last?.kind === 'error');
    assert.equal(last.error.code, 'RX_EPCIS_LIMIT_STRING_LENGTH');
    assert.equal(last.error.offset, 12); // where the string starts
    assert.ok(pulled() <= 20, `${pulled()} chunks read`); // 1 MiB limit = 16 chunks of 64 KiB
    assert.ok(process.memoryUsage().rss - rss0 < 64 * 1024 * 1024);
  });

  test('300 MB strings as an event value and as a member name; the event, header and document limits', async () => {
    const ev = endless(`${DOC_START}{"type":"ObjectEvent","ex:big":"`, 300 * 1024 * 1024);
    let out = await items(ev.source);
    assert.equal((out.at(-1) as { error: EpcisReadProblem }).error.code, 'RX_EPCIS_LIMIT_STRING_LENGTH');
    assert.ok(ev.pulled() <= 20);

    const key = endless('{"', 300 * 1024 * 1024);
    out = await items(key.source);
    assert.equal((out.at(-1) as { error: EpcisReadProblem }).error.code, 'RX_EPCIS_LIMIT_STRING_LENGTH');
    assert.ok(key.pulled() <= 20);

    // with the string limit out of the way, the event limit stops it
    const ev2 = endless(`${DOC_START}{"type":"ObjectEvent","ex:big":"`, 300 * 1024 * 1024);
    out = await items(ev2.source, { maxStringLength: 2 ** 31, maxEventLength: 4 * 1024 * 1024 });
    const e2 = (out.at(-1) as { error: EpcisReadProblem }).error;
    assert.equal(e2.code, 'RX_EPCIS_LIMIT_EVENT_SIZE');
    assert.equal(e2.offset, DOC_START.length);
    assert.ok(ev2.pulled() <= 70);

    const hd = endless('{"x:big":"', 300 * 1024 * 1024);
    out = await items(hd.source, { maxStringLength: 2 ** 31, maxHeaderLength: 2 * 1024 * 1024 });
    assert.equal((out.at(-1) as { error: EpcisReadProblem }).error.code, 'RX_EPCIS_LIMIT_HEADER_SIZE');
    assert.ok(hd.pulled() <= 40);

    const dc = endless('{"x:big":"', 300 * 1024 * 1024);
    out = await items(dc.source, {
      maxStringLength: 2 ** 31,
      maxHeaderLength: 2 ** 31,
      maxDocumentBytes: 5_000_000,
    });
    const e3 = (out.at(-1) as { error: EpcisReadProblem }).error;
    assert.equal(e3.code, 'RX_EPCIS_LIMIT_DOCUMENT_SIZE');
    assert.equal(e3.offset, 5_000_000);
    assert.ok(dc.pulled() <= 80);
  });

  test('a long number or literal token is a string for the limit', async () => {
    assert.equal(
      (await rejects(`{"x":${'1'.repeat(200)}}`, { maxStringLength: 100 })).code,
      'RX_EPCIS_LIMIT_STRING_LENGTH',
    );
    assert.equal(
      (await rejects(`{"x":${'t'.repeat(200)}}`, { maxStringLength: 100 })).code,
      'RX_EPCIS_LIMIT_STRING_LENGTH',
    );
  });

  test('the event count limit', async () => {
    const e = '{"type":"ObjectEvent"}';
    assert.ok(parseEpcisJson(doc(e, e, e), { maxEvents: 3 }).ok);
    const err = await rejects(doc(e, e, e, e), { maxEvents: 3 });
    assert.equal(err.code, 'RX_EPCIS_LIMIT_EVENT_COUNT');
    assert.equal(err.offset, DOC_START.length + 3 * (e.length + 1));
  });
});

describe('bytes and characters', () => {
  test('NUL: raw in a string or between tokens is refused at its byte; escaped it is data', async () => {
    let err = await rejects(doc('{"type":"ObjectEvent","x":"a\u0000b"}'));
    assert.equal(err.code, 'RX_EPCIS_JSON_SYNTAX');
    assert.equal(err.offset, DOC_START.length + '{"type":"ObjectEvent","x":"a'.length);
    assert.match(err.message, /U\+0000/);
    err = await rejects(doc('{"type":"ObjectEvent",\u0000"x":1}'));
    assert.equal(err.offset, DOC_START.length + '{"type":"ObjectEvent",'.length);
    err = await rejects(`{"type":"EPCISDocument",\u0000"epcisBody":{}}`);
    assert.equal(err.offset, '{"type":"EPCISDocument",'.length);
    err = await rejects('\u0000');
    assert.equal(err.code, 'RX_EPCIS_NOT_A_DOCUMENT');
    const ok = parseEpcisJson(doc('{"type":"ObjectEvent","x":"a\\u0000b"}'));
    assert.ok(ok.ok);
    assert.equal(
      (ok.value.epcisBody as unknown as { eventList: Array<{ x: string }> }).eventList[0]?.x,
      'a\u0000b',
    );
  });

  test('invalid UTF-8 is refused at the first bad byte, wherever the chunks are cut', async () => {
    const prefix = Buffer.from(`${DOC_START}{"type":"ObjectEvent","x":"é`);
    const cases: Array<[string, number[]]> = [
      ['0xFF', [0xff]],
      ['a lone continuation byte', [0x80]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ['a 3-byte sequence cut short by ASCII', [0xe2, 0x82, 0x41]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ];
    for (const [name, bad] of cases) {
      const input = Buffer.concat([prefix, Buffer.from(bad), Buffer.from('"}]}}')]);
      const err = await rejects(input);
      assert.equal(err.code, 'RX_EPCIS_READ_INVALID_UTF8', name);
      assert.equal(err.offset, prefix.length, name);
    }
    // a sequence cut short by the end of the input
    const cut = await rejects(Buffer.concat([prefix, Buffer.from([0xe2, 0x82])]));
    assert.equal(cut.code, 'RX_EPCIS_READ_INVALID_UTF8');
    assert.equal(cut.offset, prefix.length);
  });

  test('valid multi-byte characters cut by chunk boundaries are joined', async () => {
    const text = doc('{"type":"ObjectEvent","x":"é東𝄞","é東𝄞":["𝄞é"]}');
    const bytes = Buffer.from(text);
    for (let size = 1; size <= 5; size++) {
      const chunks: Uint8Array[] = [];
      for (let k = 0; k < bytes.length; k += size) chunks.push(bytes.subarray(k, k + size));
      const out = await items(chunks);
      assert.equal(out.at(-1)?.kind, 'end');
      assert.deepEqual((out[1] as { event: unknown }).event, JSON.parse(text).epcisBody.eventList[0]);
    }
  });

  test('a byte-order mark is accepted at the start only', async () => {
    const text = doc('{"type":"ObjectEvent"}');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const input of [withBom, `\ufeff${text}`]) {
      const r = parseEpcisJson(input);
      assert.ok(r.ok);
      assert.deepEqual(r.value, JSON.parse(text));
    }
    const out = await items([...withBom].map((b) => Uint8Array.of(b)));
    assert.equal(out.at(-1)?.kind, 'end');
    assert.equal((out.at(-1) as { bytes: number }).bytes, withBom.length);
    const twice = await rejects(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), withBom]));
    assert.equal(twice.offset, 3);
    const inside = await rejects(`{"type":"EPCISDocument",\ufeff"epcisBody":{}}`);
    assert.equal(inside.code, 'RX_EPCIS_JSON_SYNTAX');
    const inEvent = await rejects(doc('{"type":"ObjectEvent",\ufeff"x":1}'));
    assert.equal(inEvent.code, 'RX_EPCIS_JSON_SYNTAX');
    assert.equal(inEvent.offset, DOC_START.length + '{"type":"ObjectEvent",'.length);
  });

  test('a chunk that is neither text nor bytes', async () => {
    const out = await items(['{"type":', 42]);
    assert.equal((out.at(-1) as { error: EpcisReadProblem }).error.code, 'RX_EPCIS_READ_CHUNK_TYPE');
    assert.equal((out.at(-1) as { error: EpcisReadProblem }).error.offset, 8);
  });
});

describe('numbers', () => {
  test('1e999 and its kin are refused; tiny and huge-but-finite numbers are accepted', async () => {
    for (const bad of ['1e999', '-1e999', `1${'0'.repeat(400)}`, '123e456789']) {
      for (const text of [
        doc(`{"type":"ObjectEvent","x":${bad}}`),
        doc(`{"type":"ObjectEvent","quantityList":[{"epcClass":"x","quantity":${bad}}]}`),
        doc(`{"type":"ObjectEvent","epcList":["a",${bad}]}`),
        `{"type":"EPCISDocument","x":${bad}}`,
        `{"type":"EPCISDocument","x":[[${bad}]]}`,
      ]) {
        const err = await rejects(text);
        assert.equal(err.code, 'RX_EPCIS_JSON_NUMBER_RANGE', text.slice(0, 120));
        assert.equal(err.offset, text.indexOf(bad), text.slice(0, 120));
      }
    }
    const ok = parseEpcisJson(
      doc(
        '{"type":"ObjectEvent","a":1e-999,"b":123456789012345678901234567890,"c":-0,"d":1.7976931348623157e308}',
      ),
    );
    assert.ok(ok.ok);
    const ev = (ok.value.epcisBody as unknown as { eventList: Array<Record<string, number>> })
      .eventList[0] as Record<string, number>;
    assert.equal(ev.a, 0);
    assert.equal(ev.d, Number.MAX_VALUE);
  });
});

describe('prototype pollution', () => {
  test('"__proto__" members stay plain data, in events and in the header', async () => {
    const text =
      '{"__proto__":{"polluted":1},"type":"EPCISDocument","constructor":{"prototype":{"polluted":2}},' +
      '"epcisBody":{"__proto__":{"polluted":3},"eventList":[{"type":"ObjectEvent","__proto__":{"polluted":4},"x":{"__proto__":{"polluted":5}}}]}}';
    for (const size of [1, 7, 1000]) {
      const out = await items(rechunk([text], { chunkSize: size }));
      const end = out.at(-1);
      assert.ok(end?.kind === 'end');
      assert.equal(Object.getPrototypeOf(end.header), Object.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(end.header, '__proto__')?.value, { polluted: 1 });
      const ev = (out[1] as { event: Record<string, unknown> }).event;
      assert.equal(Object.getPrototypeOf(ev), Object.prototype);
      assert.ok(Object.hasOwn(ev, '__proto__'));
      assert.equal(Object.getPrototypeOf(out[0]?.kind === 'header' ? out[0].header : {}), Object.prototype);
    }
    const r = parseEpcisJson(text);
    assert.ok(r.ok);
    assert.deepEqual(r.value, JSON.parse(text));
    assert.equal(Object.getPrototypeOf(r.value.epcisBody), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });
});

describe('malformed JSON', () => {
  test('every truncation of a document is an error, never a crash', async () => {
    const text = generateEpcisJson({
      casesPerPallet: 1,
      itemsPerCase: 2,
      pretty: true,
      headerPosition: 'split',
    });
    const bytes = Buffer.from(text);
    for (let k = 0; k < bytes.length; k++) {
      const prefix = bytes.subarray(0, k);
      const r = parseEpcisJson(prefix);
      assert.ok(!r.ok, `prefix of ${k} bytes accepted`);
      const code = r.errors[0]?.code;
      assert.ok(
        code === 'RX_EPCIS_JSON_TRUNCATED' || code === 'RX_EPCIS_READ_INVALID_UTF8',
        `${k}: ${code} ${r.errors[0]?.message}`,
      );
      if (code === 'RX_EPCIS_JSON_TRUNCATED') assert.equal(r.errors[0]?.offset, k);
    }
    // streamed in 1-byte chunks, a few
    for (const k of [0, 1, 100, bytes.length - 1]) {
      const out = await items([...bytes.subarray(0, k)].map((b) => Uint8Array.of(b)));
      assert.equal(out.at(-1)?.kind, 'error');
    }
  });

  test('trailing content', async () => {
    const text = doc('{"type":"ObjectEvent"}');
    for (const tail of ['x', '{}', '\u0000', ',', ' ]']) {
      const err = await rejects(text + tail);
      assert.equal(err.code, 'RX_EPCIS_JSON_TRAILING_CONTENT');
      assert.equal(err.offset, text.length + tail.length - tail.trimStart().length);
    }
    assert.ok(parseEpcisJson(`${text} \n\t\r `).ok);
  });

  test('the top level must be an EPCIS document object', async () => {
    for (const [text, code] of [
      ['[]', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['"EPCISDocument"', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['42', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['null', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['', 'RX_EPCIS_JSON_TRUNCATED'],
      ['  \n ', 'RX_EPCIS_JSON_TRUNCATED'],
      ['{}', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['{"type":"ObjectEvent","action":"ADD"}', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['{"type":5}', 'RX_EPCIS_NOT_A_DOCUMENT'],
      ['<EPCISDocument/>', 'RX_EPCIS_NOT_A_DOCUMENT'],
    ] as const) {
      const err = await rejects(text);
      assert.equal(err.code, code, text);
    }
    const bare = parseEpcisJson('{"type":"ObjectEvent","action":"ADD"}');
    assert.ok(!bare.ok && /POST \/events/.test(bare.errors[0]?.message ?? ''));
  });

  test('bad strings and tokens: the position of the fault, with line and column', async () => {
    const text =
      '{\n  "type": "EPCISDocument",\n  "epcisBody": {\n    "eventList": [\n      {"type": "ObjectEvent", "x": "a\\xb"}\n    ]\n  }\n}';
    const err = await rejects(text);
    assert.equal(err.code, 'RX_EPCIS_JSON_SYNTAX');
    assert.equal(err.line, 5);
    assert.equal(err.column, 38);
    assert.equal(err.offset, text.indexOf('\\x'));
    assert.match(err.message, /bad escape/);
    assert.equal(err.eventIndex, 0);
    const cases: Array<[string, string, RegExp]> = [
      [doc('{"type":"ObjectEvent","x":"\\u12G4"}'), '\\u12G4', /\\u escape/],
      [doc('{"type":"ObjectEvent","x":tru}'), 'tru}', /true/],
      [doc('{"type":"ObjectEvent","x":01}'), '1}', /leading zero/],
      [doc('{"type":"ObjectEvent","x":1,}'), '}]', /trailing comma/],
      [doc('{"type":"ObjectEvent" "x":1}'), '"x"', /','/],
      [doc('{"type":"ObjectEvent","x":[1 2]}'), '2]', /','/],
      [doc('{"type":"ObjectEvent",x:1}'), 'x:1', /member name/],
      [doc("{'type':'ObjectEvent'}"), "'type'", /member name/],
      [doc('{"type":"ObjectEvent","x":"a\tb"}'), '\tb', /control character/],
      ['{"type":"EPCISDocument","x":"\\q"}', '\\q', /bad escape/],
      ['{"type":"EPCISDocument","x" 1}', ' 1}', /':'/],
      ['{"type":"EPCISDocument",}', '}', /trailing comma/],
      ['{"type":"EPCISDocument","x":1 "y":2}', '"y"', /','/],
      ['{"type":"EPCISDocument","x":}', '}', /value/],
      ['{"\\x":1}', '\\x', /bad escape/],
      [`${DOC_START}{"type":"ObjectEvent"},]}}`, ']}}', /trailing comma/],
      [`${DOC_START}{"type":"ObjectEvent"} {"type":"ObjectEvent"}]}}`, '{"type":"ObjectEvent"}]', /','/],
      [`${DOC_START},{"type":"ObjectEvent"}]}}`, ',{', /','/],
    ];
    for (const [input, at, message] of cases) {
      const e = await rejects(input);
      assert.equal(e.code, 'RX_EPCIS_JSON_SYNTAX', `${input}: ${e.code} ${e.message}`);
      const expected = at === ' 1}' ? input.indexOf(at) + 1 : input.lastIndexOf(at);
      assert.equal(e.offset, expected, `${input}: ${e.message}`);
      assert.match(e.message, message, input);
    }
  });

  test('document structure: body, lists and events of the wrong kind', async () => {
    for (const [text, pointer] of [
      ['{"type":"EPCISDocument","epcisBody":[]}', '/epcisBody'],
      ['{"type":"EPCISDocument","epcisBody":{"eventList":{}}}', '/epcisBody/eventList'],
      ['{"type":"EPCISQueryDocument","epcisBody":{"queryResults":"x"}}', '/epcisBody/queryResults'],
      [
        '{"type":"EPCISQueryDocument","epcisBody":{"queryResults":{"resultsBody":null}}}',
        '/epcisBody/queryResults/resultsBody',
      ],
      [doc('1'), '/epcisBody/eventList/0'],
      [doc('{"type":"ObjectEvent"}', '"x"'), '/epcisBody/eventList/1'],
      [doc('[]'), '/epcisBody/eventList/0'],
      [
        '{"type":"EPCISDocument","epcisBody":{"eventList":[],"queryResults":{"resultsBody":{"eventList":[]}}}}',
        '/epcisBody/queryResults/resultsBody/eventList',
      ],
    ] as const) {
      const err = await rejects(text);
      assert.equal(err.code, 'RX_EPCIS_DOCUMENT_STRUCTURE', text);
      assert.equal(err.pointer, pointer, text);
    }
  });

  test('duplicate member names: refused by default, last one wins with duplicateKeys: allow', async () => {
    const cases = [
      doc('{"type":"ObjectEvent","eventID":"a","eventID":"b"}'),
      doc('{"type":"ObjectEvent","readPoint":{"id":"a","id":"b"}}'),
      doc('{"type":"ObjectEvent","epcList":["x"]}', '{"type":"ObjectEvent","x":[{"k":1,"k":2}]}'),
      '{"type":"EPCISDocument","type":"EPCISDocument","epcisBody":{}}',
      '{"type":"EPCISDocument","epcisHeader":{"a":1,"a":1},"epcisBody":{}}',
      '{"type":"EPCISDocument","epcisBody":{"x":1,"x":2}}',
    ];
    for (const text of cases) {
      const err = await rejects(text);
      assert.equal(err.code, 'RX_EPCIS_JSON_DUPLICATE_KEY', text);
      assert.ok(err.offset !== undefined && err.offset > 0, text);
      const allowed = parseEpcisJson(text, { duplicateKeys: 'allow' });
      assert.ok(allowed.ok, text);
      assert.deepEqual(allowed.value, JSON.parse(text));
    }
    // the exact offset: the second name
    const e = await rejects(doc('{"type":"ObjectEvent","eventID":"a","eventID":"b"}'));
    assert.equal(e.offset, DOC_START.length + '{"type":"ObjectEvent","eventID":"a",'.length);
    // an event list given twice is a structure error even when duplicates are allowed
    const twice = parseEpcisJson('{"type":"EPCISDocument","epcisBody":{"eventList":[],"eventList":[]}}', {
      duplicateKeys: 'allow',
    });
    assert.ok(!twice.ok && twice.errors[0]?.code === 'RX_EPCIS_DOCUMENT_STRUCTURE');
  });
});

describe('fuzzing', () => {
  const base = generateEpcisJson({ casesPerPallet: 2, itemsPerCase: 3, unicode: true });
  const baseBytes = Buffer.from(base);

  test('random edits of a valid document: an error, or exactly what JSON.parse reads; streamed = whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.nat(baseBytes.length - 1),
            fc.constantFrom('del', 'ins', 'set'),
            fc.constantFrom(...'{}[]",:\\0aé\u0000 \n'.split(''), '\\u', '1e999', '"]', '\u00ff'),
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.integer({ min: 1, max: 50 }),
        async (edits, chunkSize) => {
          let bytes = Buffer.from(baseBytes);
          for (const [pos, op, s] of edits) {
            const p = Math.min(pos, bytes.length);
            const ins = Buffer.from(s, s === '\u00ff' ? 'latin1' : 'utf8');
            bytes =
              op === 'del'
                ? Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1)])
                : op === 'ins'
                  ? Buffer.concat([bytes.subarray(0, p), ins, bytes.subarray(p)])
                  : Buffer.concat([bytes.subarray(0, p), ins, bytes.subarray(p + 1)]);
          }
          const whole = parseEpcisJson(bytes);
          let reference: unknown;
          let parses = true;
          try {
            reference = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
          } catch {
            parses = false;
          }
          if (whole.ok) {
            assert.ok(parses);
            assert.deepEqual(whole.value, reference);
          }
          if (!parses) assert.ok(!whole.ok);
          const chunks: Uint8Array[] = [];
          for (let k = 0; k < bytes.length; k += chunkSize) chunks.push(bytes.subarray(k, k + chunkSize));
          const out = await items(chunks);
          const last = out.at(-1);
          assert.ok(last && (last.kind === 'end' || last.kind === 'error'));
          assert.equal(last.kind === 'end', whole.ok);
          if (last.kind === 'error' && !whole.ok) {
            assert.equal(last.error.code, whole.errors[0]?.code);
            assert.equal(last.error.offset, whole.errors[0]?.offset);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test('random bytes and random strings never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ maxLength: 200 }),
          fc.json().map((j) => `{"type":"EPCISDocument","x":${j}`),
        ),
        async (input) => {
          const r = parseEpcisJson(input);
          assert.ok(typeof r.ok === 'boolean');
          const out = await items([input]);
          assert.ok(out.length > 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
