import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { EpcisReadItem } from '../read-items.ts';
import { type GenerateOptions, generateEpcisJson, rechunk } from '../testing/generate.ts';
import { EpcisJsonScanner, parseEpcisJson, readEpcisJsonEvents } from './stream.ts';

async function collect(
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  opts = {},
): Promise<EpcisReadItem[]> {
  const out: EpcisReadItem[] = [];
  for await (const item of readEpcisJsonEvents(chunks, opts)) out.push(item);
  return out;
}

function eventsOfParsed(doc: Record<string, unknown>): unknown[] {
  const body = doc.epcisBody as Record<string, unknown>;
  if (body.eventList) return body.eventList as unknown[];
  return ((body.queryResults as Record<string, unknown>).resultsBody as Record<string, unknown>)
    .eventList as unknown[];
}

/** The document minus its event list(s), as the reader's end item holds it. */
function headerOfParsed(doc: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc);
  const body = copy.epcisBody as Record<string, unknown>;
  if (body.eventList) delete body.eventList;
  else
    delete ((body.queryResults as Record<string, unknown>).resultsBody as Record<string, unknown>).eventList;
  return copy;
}

/** Streams `text` in chunks and checks the items against JSON.parse. */
async function assertStreamsLikeParse(
  text: string,
  chunks: Iterable<string | Uint8Array>,
  label: string,
): Promise<void> {
  const expected = JSON.parse(text) as Record<string, unknown>;
  const items = await collect(chunks);
  const last = items[items.length - 1];
  assert.ok(
    last && last.kind === 'end',
    `${label}: ends with an end item, got ${JSON.stringify(last).slice(0, 300)}`,
  );
  assert.equal(items[0]?.kind, 'header', `${label}: starts with the header`);
  const events = items.filter((i) => i.kind === 'event');
  assert.deepEqual(
    events.map((e) => e.event),
    eventsOfParsed(expected),
    `${label}: events`,
  );
  assert.deepEqual(
    events.map((e) => e.index),
    events.map((_, k) => k),
  );
  assert.deepEqual(last.header, headerOfParsed(expected), `${label}: header`);
  assert.equal(last.eventCount, events.length);
  assert.equal(last.bytes, Buffer.byteLength(text));
}

const SHAPES: Array<[string, GenerateOptions]> = [
  ['pharma flow', { pallets: 2, casesPerPallet: 3, itemsPerCase: 5 }],
  ['query document', { documentType: 'EPCISQueryDocument', pallets: 1, casesPerPallet: 2, itemsPerCase: 4 }],
  [
    'pretty, header after the events',
    { pretty: true, headerPosition: 'after', casesPerPallet: 2, itemsPerCase: 3 },
  ],
  [
    'query document, header split around the events',
    { documentType: 'EPCISQueryDocument', headerPosition: 'split', casesPerPallet: 2, itemsPerCase: 3 },
  ],
  ['Digital Link identifiers', { epcFormat: 'dl', casesPerPallet: 2, itemsPerCase: 3 }],
  ['no master data, ASCII only', { masterData: false, unicode: false, casesPerPallet: 2, itemsPerCase: 3 }],
];

describe('readEpcisJsonEvents equals JSON.parse', () => {
  for (const [name, opts] of SHAPES) {
    test(`${name}: chunks of 1, 7 and 65536 bytes, 5 and 4096 characters`, async () => {
      const text = generateEpcisJson(opts);
      for (const chunkSize of [1, 7, 65536]) {
        await assertStreamsLikeParse(text, rechunk([text], { chunkSize }), `${name} / ${chunkSize} bytes`);
      }
      for (const chunkSize of [5, 4096]) {
        await assertStreamsLikeParse(
          text,
          rechunk([text], { chunkSize, strings: true }),
          `${name} / ${chunkSize} chars`,
        );
      }
    });
  }

  test('a larger document in 64 KiB chunks (events spanning chunks)', async () => {
    const opts: GenerateOptions = { pallets: 3, casesPerPallet: 20, itemsPerCase: 400 };
    const text = generateEpcisJson(opts);
    assert.ok(text.length > 1_000_000);
    await assertStreamsLikeParse(text, rechunk([text], { chunkSize: 65536 }), '64 KiB');
    await assertStreamsLikeParse(text, rechunk([text], { chunkSize: 1000 }), '1000 bytes');
  });

  test('the header item comes before the first event and holds the members seen so far', async () => {
    const text = generateEpcisJson({
      headerPosition: 'split',
      documentType: 'EPCISQueryDocument',
      casesPerPallet: 1,
      itemsPerCase: 2,
    });
    const items = await collect([text]);
    const header = items[0];
    assert.ok(header?.kind === 'header');
    assert.deepEqual(Object.keys(header.header), ['@context', 'type', 'schemaVersion', 'epcisBody']);
    assert.deepEqual(header.header.epcisBody, { queryResults: { resultsBody: {} } });
    const end = items[items.length - 1];
    assert.ok(end?.kind === 'end');
    assert.deepEqual(Object.keys(end.header), [
      '@context',
      'type',
      'schemaVersion',
      'epcisBody',
      'creationDate',
    ]);
    assert.deepEqual(Object.keys((end.header.epcisBody as { queryResults: object }).queryResults), [
      'resultsBody',
      'queryName',
      'subscriptionID',
    ]);
    // the snapshot is not changed afterwards
    assert.deepEqual(header.header.epcisBody, { queryResults: { resultsBody: {} } });
  });

  test('members of every kind after the event list, written by hand', async () => {
    const text =
      '{"epcisBody":{"eventList":[{"type":"ObjectEvent","x":[1,2.5e3,-0.5,true,false,null]}],"ext:after":{"a":[{}]}},' +
      '"type":"EPCISDocument","@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ext":"urn:x:"}],' +
      '"schemaVersion":2.0,"creationDate":"2024-01-01T00:00:00Z","ext:n":-12,"ext:t":true,"ext:z":null,"epcisHeader":{}}';
    for (const chunkSize of [1, 3, 1000])
      await assertStreamsLikeParse(text, rechunk([text], { chunkSize }), `hand-written / ${chunkSize}`);
    const items = await collect([text]);
    assert.deepEqual(items[0], { kind: 'header', format: 'json', header: { epcisBody: {} } });
  });

  test('a document with no event list, and one with an empty list', async () => {
    for (const text of [
      '{"type":"EPCISDocument","epcisBody":{}}',
      '{"type":"EPCISDocument","epcisBody":{"eventList":[]}}',
      '{"type":"EPCISDocument"}',
    ]) {
      const items = await collect([text]);
      assert.deepEqual(
        items.map((i) => i.kind),
        ['header', 'end'],
        text,
      );
      const r = parseEpcisJson(text);
      assert.ok(r.ok);
      assert.deepEqual(r.value, JSON.parse(text));
    }
  });

  test('strings with escapes, quotes and backslash runs cut at every position', async () => {
    const ev = {
      type: 'ObjectEvent',
      'ex:s': 'a"b\\"c\\\\"d\\\\\\',
      'ex:u': '\u0000\u001f\u2028 é 東京 𝄞 \ud800',
      'ex:arr': ['"]', '\\', ']', '[', '}{', 'x'],
      'ex:nested': [['a', ['b']], { c: ['d"]'] }],
    };
    const text = JSON.stringify({ type: 'EPCISDocument', epcisBody: { eventList: [ev, ev] } });
    for (let size = 1; size <= 12; size++) {
      await assertStreamsLikeParse(text, rechunk([text], { chunkSize: size }), `bytes/${size}`);
      await assertStreamsLikeParse(
        text,
        rechunk([text], { chunkSize: size, strings: true }),
        `chars/${size}`,
      );
    }
  });

  test('arrays whose strings hold "]" (the guessing fast path must fall back)', async () => {
    const evs = [
      { type: 'ObjectEvent', epcList: ['a]', 'b'] },
      { type: 'ObjectEvent', epcList: ['"]', ']"'] },
      { type: 'ObjectEvent', epcList: [']'], 'x:y': [']', { a: ']' }, [']']] },
      { type: 'ObjectEvent', epcList: ['a', 1e300, 'b'] },
      { type: 'ObjectEvent', epcList: ['a', { k: 'v' }], 'x:k': 1 },
    ];
    const text = JSON.stringify({ type: 'EPCISDocument', 'x:h': [']', 'b'], epcisBody: { eventList: evs } });
    for (const size of [1, 2, 7, 64, 65536])
      await assertStreamsLikeParse(text, rechunk([text], { chunkSize: size }), `size ${size}`);
    const r = parseEpcisJson(text);
    assert.ok(r.ok);
    assert.deepEqual(r.value, JSON.parse(text));
  });

  test('property: any JSON values as events and header members, any whitespace, any chunking', async () => {
    const key = fc.oneof(
      fc.constantFrom('type', 'epcList', 'a', '__proto__', 'x:y', 'eventList'),
      fc.string({ maxLength: 6 }),
    );
    const value = fc.jsonValue({ maxDepth: 6 });
    const event = fc.dictionary(key, value, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 5 }),
        fc.dictionary(
          fc.string({ maxLength: 5 }).filter((k) => !['type', 'epcisBody'].includes(k)),
          value,
          { maxKeys: 3 },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.constantFrom(0, 2, '\t'),
        async (events, extra, after, chunkSize, strings, indent) => {
          const doc: Record<string, unknown> = after
            ? { epcisBody: { eventList: events }, type: 'EPCISDocument', ...extra }
            : { type: 'EPCISDocument', ...extra, epcisBody: { eventList: events } };
          const text = JSON.stringify(doc, null, indent);
          await assertStreamsLikeParse(text, rechunk([text], { chunkSize, strings }), 'property');
          const r = parseEpcisJson(text);
          assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
          assert.deepEqual(r.value, JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseEpcisJson', () => {
  test('equals JSON.parse, key order included, from text and from bytes', () => {
    for (const [name, opts] of SHAPES) {
      const text = generateEpcisJson(opts);
      for (const input of [text, Buffer.from(text), new TextEncoder().encode(text)]) {
        const r = parseEpcisJson(input);
        assert.ok(r.ok, `${name}: ${JSON.stringify(!r.ok && r.errors)}`);
        assert.deepEqual(r.value, JSON.parse(text), name);
        assert.equal(JSON.stringify(r.value), JSON.stringify(JSON.parse(text)), `${name}: key order`);
      }
    }
  });

  test('the synchronous scanner can be driven by hand', () => {
    const text = generateEpcisJson({ casesPerPallet: 1, itemsPerCase: 2 });
    const sc = new EpcisJsonScanner();
    const kinds: string[] = [];
    for (const chunk of rechunk([text], { chunkSize: 100 })) {
      sc.feed(chunk);
      for (let it = sc.next(); it; it = sc.next()) kinds.push(it.kind);
    }
    sc.end();
    for (let it = sc.next(); it; it = sc.next()) kinds.push(it.kind);
    assert.deepEqual(kinds, ['header', 'event', 'event', 'event', 'event', 'event', 'end']);
    assert.ok(sc.done);
  });
});

const EXAMPLES = join(import.meta.dirname, '../../../../../shared/conformance/epcis-examples/json');

describe('the JSON examples of the conformance material', {
  skip: !existsSync(EXAMPLES) && 'conformance material not present',
}, () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.json(ld)?$/.test(f)) files.push(p);
    }
  };
  if (existsSync(EXAMPLES)) walk(EXAMPLES);

  test('every document reads as JSON.parse reads it (streamed in 7-byte chunks); bare events and queries are refused', async () => {
    let documents = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      const r = parseEpcisJson(bytes, { duplicateKeys: 'allow' });
      if (parsed.type === 'EPCISDocument' || parsed.type === 'EPCISQueryDocument') {
        assert.ok(r.ok, `${file}: ${JSON.stringify(!r.ok && r.errors)}`);
        assert.deepEqual(r.value, parsed, file);
        const items = await collect(rechunk([bytes.toString('utf8')], { chunkSize: 7 }), {
          duplicateKeys: 'allow',
        });
        assert.deepEqual(
          items.filter((i) => i.kind === 'event').map((i) => i.event),
          eventsOfParsed(parsed),
          file,
        );
        documents++;
      } else {
        assert.ok(!r.ok && r.errors[0]?.code === 'RX_EPCIS_NOT_A_DOCUMENT', file);
      }
    }
    assert.ok(documents > 100, `${documents} documents`);
  });

  test('a repeated member name is refused by default (GS1 AssociationEvent-h has two eventIDs in one event)', () => {
    const file = files.find((f) => f.endsWith('AssociationEvent-h.jsonld'));
    if (!file) return;
    const r = parseEpcisJson(readFileSync(file));
    assert.ok(!r.ok);
    assert.equal(r.errors[0]?.code, 'RX_EPCIS_JSON_DUPLICATE_KEY');
    assert.equal(r.errors[0]?.eventIndex, 0);
    assert.equal(r.errors[0]?.line, 15);
  });
});
