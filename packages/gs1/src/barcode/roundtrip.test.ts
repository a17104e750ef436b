/**
 * Render → decode round trips: what a scanner reading our barcodes would transmit must be exactly
 * the symbology identifier followed by the element string (GS for FNC1) or the URI.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { isCset82 } from '../charsets.ts';
import type { AiElement } from '../elements.ts';
import { parseGs1 } from '../index.ts';
import {
  type BarcodeContent,
  type DecodedSymbol,
  decodeBarcodes,
  expectedScanData,
  renderPng,
} from './index.ts';
import {
  cset82Value,
  gtin14,
  packIdentity,
  type Rgba,
  readPngRgba,
  rng,
  sideBySide,
  sscc,
  yymmdd,
} from './test-support.ts';

const GS = '\u001d';
const SEED = Number(process.env.RX_BARCODE_SEED ?? 20240611);
/** AIs with a predefined length among those in the tests: no separator after them. */
const PREDEFINED = new Set(['00', '01', '02', '17']);

/** The element string as the GS1 rule writes it, independently of the code under test. */
function elementString(elements: AiElement[]): string {
  let s = '';
  elements.forEach((el, i) => {
    s += el.ai + el.value;
    if (i < elements.length - 1 && !PREDEFINED.has(el.ai)) s += GS;
  });
  return s;
}

async function png(content: BarcodeContent): Promise<Uint8Array> {
  const r = await renderPng(content);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

async function decodeOne(image: Uint8Array): Promise<DecodedSymbol> {
  const r = await decodeBarcodes(image);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.equal(r.value.length, 1);
  return r.value[0]!;
}

const toJpeg = (img: Rgba, quality: number) =>
  new Uint8Array(jpeg.encode({ ...img, data: Buffer.from(img.data) }, quality).data);

/** The package's own parser must read our scan data back to the same AI list. */
function parsesBackTo(scanData: string, elements: AiElement[], what: string): void {
  const r = parseGs1(scanData);
  assert.ok(r.ok, `${what}: ${JSON.stringify(!r.ok && r.errors)}`);
  assert.deepEqual(r.value.elements, elements, what);
}

before(async () => {
  // Load the decoder once before the timed tests.
  await decodeBarcodes(await png({ symbology: 'dl-qr', uri: 'https://id.gs1.org/01/09506000134376' }));
});

describe('GS1 DataMatrix round trip (PNG)', () => {
  it('100 random pack identities: scan data is ]d2 + element string', async () => {
    const r = rng(SEED);
    let withBrackets = 0;
    const t0 = performance.now();
    for (let n = 0; n < 100; n++) {
      const elements = packIdentity(r, n % 2 === 0);
      if (elements.some((e) => /[()]/.test(e.value))) withBrackets++;
      const expected = `]d2${elementString(elements)}`;
      assert.deepEqual(expectedScanData({ symbology: 'gs1-datamatrix', elements }), {
        ok: true,
        value: expected,
      });
      const got = await decodeOne(await png({ symbology: 'gs1-datamatrix', elements }));
      assert.equal(got.scanData, expected, `seed ${SEED}, pack ${n}: ${JSON.stringify(elements)}`);
      assert.equal(got.symbologyIdentifier, ']d2');
      assert.equal(got.format, 'DataMatrix');
      assert.equal(got.gs1, true);
      parsesBackTo(got.scanData, elements, `seed ${SEED}, pack ${n}`);
    }
    assert.ok(withBrackets >= 50, 'parentheses are exercised');
    const ms = performance.now() - t0;
    assert.ok(ms < 30_000, `100 round trips took ${ms.toFixed(0)} ms`);
  });

  it('values full of punctuation, FNC1 escapes and HRI text survive', async () => {
    const tricky = [
      '(',
      ')',
      '((x))',
      '^FNC1',
      '^^',
      '^040',
      '!"%&\'*+,-./:;<=>?_',
      'A(B)C',
      '%',
      '\\',
      '(21)1',
    ];
    for (const v of tricky) {
      const elements = [
        { ai: '01', value: '09506000134376' },
        { ai: '10', value: v },
        { ai: '21', value: `${v}9` },
      ];
      const r = await renderPng({ symbology: 'gs1-datamatrix', elements }, { hri: true });
      assert.ok(r.ok);
      const got = await decodeOne(r.value);
      assert.equal(got.scanData, `]d20109506000134376${'10'}${v}${GS}21${v}9`, JSON.stringify(v));
      // `^` and `\\` are outside set 82: drawn as given, but rightly refused by the validating parser.
      if (isCset82(v)) parsesBackTo(got.scanData, elements, JSON.stringify(v));
    }
  });
});

describe('GS1-128 round trip (PNG)', () => {
  it('SSCCs: scan data is ]C1 + 00 + SSCC', async () => {
    const r = rng(SEED + 1);
    for (let n = 0; n < 20; n++) {
      const code = sscc(r);
      const got = await decodeOne(await png({ symbology: 'gs1-128', elements: [{ ai: '00', value: code }] }));
      assert.equal(got.scanData, `]C100${code}`);
      parsesBackTo(got.scanData, [{ ai: '00', value: code }], code);
      assert.equal(got.format, 'Code128');
      assert.equal(got.gs1, true);
    }
  });

  it('a multi-element GS1-128 keeps its separators', async () => {
    // A logistic label: SSCC, content GTIN, batch, count, expiry.
    const elements = [
      { ai: '00', value: '106141411234567897' },
      { ai: '02', value: '09506000134376' },
      { ai: '10', value: 'L(1)' },
      { ai: '37', value: '24' },
      { ai: '17', value: '261200' },
    ];
    const got = await decodeOne(await png({ symbology: 'gs1-128', elements }));
    assert.equal(got.scanData, `]C1${elementString(elements)}`);
    parsesBackTo(got.scanData, elements, 'GS1-128');
  });
});

describe('Digital Link round trip (PNG)', () => {
  // Percent-encode everything but the unreserved characters, as the DL standard writes values.
  const pct = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const r = rng(SEED + 2);
  const links = Array.from({ length: 5 }, () => {
    const elements = [
      { ai: '01', value: gtin14(r) },
      { ai: '10', value: cset82Value(r, true) },
      { ai: '21', value: cset82Value(r, false) },
      { ai: '17', value: yymmdd(r) },
    ];
    const [gtin, lot, serial, expiry] = elements.map((e) => e.value);
    return { elements, uri: `https://id.gs1.org/01/${gtin}/10/${pct(lot!)}/21/${pct(serial!)}?17=${expiry}` };
  });

  for (const [symbology, id] of [
    ['dl-qr', ']Q1'],
    ['dl-datamatrix', ']d1'],
  ] as const) {
    it(`${symbology}: scan data is ${id} + URI, and it parses back to the AI data`, async (t) => {
      // The Digital Link reader of parseGs1 is built separately: check the AI data once it reads DL.
      const readsDl = parseGs1(`${id}https://id.gs1.org/01/09506000134376`).ok;
      if (!readsDl)
        t.diagnostic('parseGs1 does not read Digital Link URIs yet: only the scan strings are compared');
      for (const { uri, elements } of links) {
        const got = await decodeOne(await png({ symbology, uri }));
        assert.equal(got.scanData, `${id}${uri}`);
        assert.equal(got.gs1, false);
        if (readsDl) parsesBackTo(got.scanData, elements, uri);
      }
    });
  }
});

describe('JPEG round trip', () => {
  it('a few codes re-encoded as JPEG still decode', async () => {
    const r = rng(SEED + 3);
    const contents: BarcodeContent[] = [
      ...Array.from(
        { length: 4 },
        (): BarcodeContent => ({ symbology: 'gs1-datamatrix', elements: packIdentity(r, true) }),
      ),
      { symbology: 'gs1-128', elements: [{ ai: '00', value: sscc(r) }] },
      { symbology: 'dl-qr', uri: `https://id.gs1.org/01/${gtin14(r)}/21/ABC%28D` },
    ];
    for (const [i, content] of contents.entries()) {
      const image = toJpeg(readPngRgba(await png(content)), i % 2 ? 50 : 85);
      assert.deepEqual([...image.subarray(0, 3)], [0xff, 0xd8, 0xff]);
      const got = await decodeOne(image);
      const expected = expectedScanData(content);
      assert.ok(expected.ok);
      assert.equal(got.scanData, expected.value);
    }
  });

  it('every symbol in an image is returned', async () => {
    const a: BarcodeContent = {
      symbology: 'gs1-datamatrix',
      elements: [
        { ai: '01', value: '09506000134376' },
        { ai: '21', value: 'A(1)' },
      ],
    };
    const b: BarcodeContent = { symbology: 'dl-qr', uri: 'https://id.gs1.org/01/09506000134376/21/B2' };
    const c: BarcodeContent = { symbology: 'gs1-128', elements: [{ ai: '00', value: '106141411234567897' }] };
    const image = toJpeg(
      sideBySide([readPngRgba(await png(a)), readPngRgba(await png(b)), readPngRgba(await png(c))], 40),
      90,
    );
    const r = await decodeBarcodes(image);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    const got = r.value.map((s) => s.scanData).sort();
    const want = [a, b, c].map((x) => (expectedScanData(x) as { value: string }).value).sort();
    assert.deepEqual(got, want);
  });
});

describe('bad images are error values', () => {
  const cases: [string, () => Promise<Uint8Array>, string][] = [
    ['no bytes', async () => new Uint8Array(0), 'RX_BARCODE_EMPTY_IMAGE'],
    [
      'random bytes',
      async () => new Uint8Array(400).map((_, i) => (i * 37 + 11) & 0xff),
      'RX_BARCODE_UNSUPPORTED_IMAGE',
    ],
    [
      'a GIF header',
      async () => new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000'),
      'RX_BARCODE_UNSUPPORTED_IMAGE',
    ],
    [
      'a PNG signature alone',
      async () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'RX_BARCODE_UNREADABLE_IMAGE',
    ],
    [
      'a PNG header followed by garbage',
      async () => {
        const p = await png({ symbology: 'dl-qr', uri: 'https://x.example/01/09506000134376' });
        return new Uint8Array([...p.subarray(0, 33), ...new Uint8Array(200).fill(0x5a)]);
      },
      'RX_BARCODE_UNREADABLE_IMAGE',
    ],
    [
      'a truncated PNG',
      async () => {
        const p = await png({ symbology: 'dl-qr', uri: 'https://x.example/01/09506000134376' });
        return p.subarray(0, p.length >> 1);
      },
      'RX_BARCODE_UNREADABLE_IMAGE',
    ],
    [
      'a PNG claiming 100000 × 100000 pixels',
      async () => {
        const p = new Uint8Array(await png({ symbology: 'dl-qr', uri: 'https://x.example/' }));
        new DataView(p.buffer).setUint32(16, 100_000);
        new DataView(p.buffer).setUint32(20, 100_000);
        return p;
      },
      'RX_BARCODE_IMAGE_TOO_LARGE',
    ],
    [
      'a JPEG header and nothing else',
      async () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]),
      'RX_BARCODE_UNREADABLE_IMAGE',
    ],
    [
      'a JPEG cut short',
      async () => {
        const j = toJpeg(
          readPngRgba(await png({ symbology: 'dl-qr', uri: 'https://x.example/01/09506000134376' })),
          80,
        );
        return j.subarray(0, 300);
      },
      'RX_BARCODE_',
    ],
    [
      'a blank white image',
      async () => toJpeg({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(255) }, 90),
      'RX_BARCODE_NOT_FOUND',
    ],
    ['not bytes at all', async () => 'hello' as unknown as Uint8Array, 'RX_BARCODE_UNSUPPORTED_IMAGE'],
  ];
  for (const [name, make, code] of cases) {
    it(name, async () => {
      const r = await decodeBarcodes(await make());
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.equal(r.errors.length, 1);
      assert.ok(r.errors[0]!.code.startsWith(code), `${r.errors[0]!.code}: ${r.errors[0]!.message}`);
      assert.ok(r.errors[0]!.message.length > 10);
    });
  }

  it('the decoder still works after bad input', async () => {
    const got = await decodeOne(
      await png({ symbology: 'gs1-128', elements: [{ ai: '00', value: '106141411234567897' }] }),
    );
    assert.equal(got.scanData, ']C100106141411234567897');
  });
});
