import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AiElement } from '../elements.ts';
import { type BarcodeContent, expectedScanData, hriLines, renderPng, renderSvg } from './index.ts';
import { checkXml, readPngRgba } from './test-support.ts';

const GS = '\u001d';
const PACK: AiElement[] = [
  { ai: '01', value: '09506000134376' },
  { ai: '17', value: '261231' },
  { ai: '10', value: 'A(B)C' },
  { ai: '21', value: 'S<&>"1' },
];
const DL = "https://id.gs1.org/01/09506000134376/10/A%28B%29C/21/12345?17=261231&x='<&>'";

const CONTENTS: BarcodeContent[] = [
  { symbology: 'gs1-datamatrix', elements: PACK },
  { symbology: 'gs1-128', elements: [{ ai: '00', value: '106141411234567897' }] },
  { symbology: 'dl-qr', uri: DL },
  { symbology: 'dl-datamatrix', uri: DL },
];

function codes<T>(r: { ok: true; value: T } | { ok: false; errors: { code: string }[] }): string[] {
  return r.ok ? [] : r.errors.map((e) => e.code);
}

describe('renderSvg', () => {
  for (const content of CONTENTS) {
    for (const hri of [false, true]) {
      it(`${content.symbology}${hri ? ' with HRI' : ''}: well-formed SVG on a white background`, () => {
        const r = renderSvg(content, { hri });
        assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
        const svg = r.value;
        const { root, attrs, elements } = checkXml(svg);
        assert.equal(root, 'svg');
        assert.equal(attrs.xmlns, 'http://www.w3.org/2000/svg');
        const [, , w, h] = attrs.viewBox!.split(' ').map(Number);
        assert.equal(Number(attrs.width), w);
        assert.equal(Number(attrs.height), h);
        // The first thing drawn is an opaque white rectangle covering everything.
        assert.deepEqual(elements.slice(0, 3), ['svg', 'title', 'rect']);
        assert.match(svg, /<rect width="100%" height="100%" fill="#FFFFFF" \/>/);
        assert.ok(elements.includes('path'));
        // The title carries the HRI text (XML-escaped).
        const title = /<title>([^<]*)<\/title>/.exec(svg)![1]!;
        const unescaped = title.replace(
          /&(lt|gt|quot|apos|amp);/g,
          (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!,
        );
        assert.equal(unescaped, hriLines(content).join(' '));
      });
    }
  }

  it('HRI adds the text glyphs (filled paths), and a larger module size scales the image', () => {
    const plain = renderSvg(CONTENTS[0]!);
    const text = renderSvg(CONTENTS[0]!, { hri: true });
    const big = renderSvg(CONTENTS[0]!, { moduleSize: 8 });
    assert.ok(plain.ok && text.ok && big.ok);
    assert.ok(text.value.length > plain.value.length * 2);
    const width = (svg: string) => Number(/width="([\d.]+)"/.exec(svg)![1]);
    assert.equal(width(big.value), width(plain.value) * 2);
  });

  it('HRI lines: (AI) value per element; a Digital Link shows its URI unless lines are given', () => {
    assert.deepEqual(hriLines(CONTENTS[0]!), [
      '(01) 09506000134376',
      '(17) 261231',
      '(10) A(B)C',
      '(21) S<&>"1',
    ]);
    assert.deepEqual(hriLines(CONTENTS[2]!), [DL]);
    const custom = renderSvg(CONTENTS[2]!, { hri: ['(01) 09506000134376'] });
    assert.ok(custom.ok);
  });
});

describe('renderPng', () => {
  for (const content of CONTENTS) {
    it(`${content.symbology}: PNG with an opaque white background and quiet zone`, async () => {
      const r = await renderPng(content, { hri: true });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      assert.ok(r.value instanceof Uint8Array);
      const img = readPngRgba(r.value);
      let transparent = 0;
      for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) transparent++;
      assert.equal(transparent, 0, 'every pixel is opaque');
      // The corners lie in the quiet zone: white.
      for (const [x, y] of [
        [0, 0],
        [img.width - 1, 0],
        [0, img.height - 1],
        [img.width - 1, img.height - 1],
      ]) {
        const o = (y! * img.width + x!) * 4;
        assert.deepEqual([...img.data.subarray(o, o + 3)], [255, 255, 255]);
      }
    });
  }

  it('module size and quiet zone set the pixel geometry', async () => {
    // gs1-128 with one SSCC: 156 modules (start C, FNC1, 9 pairs, check, stop).
    const r = await renderPng(CONTENTS[1]!, { moduleSize: 2, quietZone: 10 });
    assert.ok(r.ok);
    assert.equal(readPngRgba(r.value).width, (156 + 20) * 2);
    const dm = await renderPng(
      { symbology: 'gs1-datamatrix', elements: [PACK[0]!] },
      { moduleSize: 6, quietZone: 1 },
    );
    assert.ok(dm.ok);
    // (01) + 14 digits with FNC1 fits a 16×16 DataMatrix.
    assert.equal(readPngRgba(dm.value).width, (16 + 2) * 6);
  });
});

describe('input errors are values', () => {
  it('empty input is refused', async () => {
    assert.deepEqual(codes(renderSvg({ symbology: 'gs1-datamatrix', elements: [] })), ['RX_BARCODE_EMPTY']);
    assert.deepEqual(codes(await renderPng({ symbology: 'gs1-128', elements: [] })), ['RX_BARCODE_EMPTY']);
    assert.deepEqual(codes(await renderPng({ symbology: 'dl-qr', uri: '' })), ['RX_BARCODE_EMPTY']);
    assert.deepEqual(codes(expectedScanData({ symbology: 'dl-datamatrix', uri: '' })), ['RX_BARCODE_EMPTY']);
    const r = renderSvg({ symbology: 'gs1-datamatrix', elements: [] });
    assert.ok(!r.ok && /empty/.test(r.errors[0]!.message));
  });

  it('every bad element is reported, with its AI and position', () => {
    const r = renderSvg({
      symbology: 'gs1-datamatrix',
      elements: [
        { ai: '1', value: 'X' },
        { ai: '21', value: '' },
        { ai: '10', value: `AB${GS}C` },
        { ai: '91', value: 'café' },
      ],
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => [e.code, e.ai, e.position]),
      [
        ['RX_BARCODE_BAD_AI', '1', undefined],
        ['RX_BARCODE_EMPTY_VALUE', '21', undefined],
        ['RX_BARCODE_UNENCODABLE_CHARACTER', '10', 2],
        ['RX_BARCODE_UNENCODABLE_CHARACTER', '91', 3],
      ],
    );
  });

  it('unknown symbology, bad options, data too long', async () => {
    assert.deepEqual(codes(renderSvg({ symbology: 'ean13', uri: 'x' } as unknown as BarcodeContent)), [
      'RX_BARCODE_BAD_SYMBOLOGY',
    ]);
    assert.deepEqual(codes(renderSvg(null as unknown as BarcodeContent)), ['RX_BARCODE_BAD_SYMBOLOGY']);
    assert.deepEqual(codes(await renderPng(CONTENTS[0]!, { moduleSize: 3 })), ['RX_BARCODE_BAD_OPTION']);
    assert.deepEqual(codes(await renderPng(CONTENTS[0]!, { moduleSize: 0 })), ['RX_BARCODE_BAD_OPTION']);
    assert.deepEqual(codes(renderSvg(CONTENTS[0]!, { moduleSize: 1 })), ['RX_BARCODE_BAD_OPTION']);
    const odd = renderSvg(CONTENTS[0]!, { moduleSize: 3, quietZone: 0 });
    assert.ok(odd.ok, 'odd module sizes are fine in SVG');
    const even = renderSvg(CONTENTS[0]!, { moduleSize: 2, quietZone: 0 });
    assert.ok(even.ok);
    const size = (svg: string) => /viewBox="0 0 ([\d.]+) /.exec(svg)![1];
    assert.equal(Number(size(odd.value)), Number(size(even.value)) * 1.5);
    assert.ok((await renderPng(CONTENTS[1]!, { moduleSize: 3 })).ok, 'and for GS1-128 PNGs');
    assert.deepEqual(codes(renderSvg(CONTENTS[0]!, { quietZone: -1 })), ['RX_BARCODE_BAD_OPTION']);
    assert.deepEqual(codes(renderSvg(CONTENTS[0]!, { hri: ['ok', 'tab\there'] })), ['RX_BARCODE_BAD_OPTION']);
    assert.deepEqual(codes(renderSvg({ symbology: 'dl-qr', uri: 'https://example.org/é' })), [
      'RX_BARCODE_UNENCODABLE_CHARACTER',
    ]);
    assert.deepEqual(
      codes(
        await renderPng({ symbology: 'gs1-datamatrix', elements: [{ ai: '10', value: 'X'.repeat(4000) }] }),
      ),
      ['RX_BARCODE_DATA_TOO_LONG'],
    );
  });

  it('no linting: data our validator would refuse is still drawn', () => {
    // Bad check digit, month 13, unknown AI: bwip-js would throw bwipp.GS1… errors without dontlint.
    const r = renderSvg({
      symbology: 'gs1-datamatrix',
      elements: [
        { ai: '01', value: '09506000134377' },
        { ai: '17', value: '261331' },
        { ai: '99', value: 'ANY^THING' },
      ],
    });
    assert.ok(r.ok);
  });
});

describe('expectedScanData', () => {
  it('puts GS only after variable-length values that are not last', () => {
    const r = expectedScanData({ symbology: 'gs1-datamatrix', elements: PACK });
    assert.deepEqual(r, { ok: true, value: `]d2010950600013437617261231${'10A(B)C'}${GS}21S<&>"1` });
    const order = expectedScanData({
      symbology: 'gs1-128',
      elements: [PACK[2]!, PACK[1]!, { ai: '7299', value: 'unknown AI' }, PACK[0]!],
    });
    assert.deepEqual(order, {
      ok: true,
      value: `]C110A(B)C${GS}172612317299unknown AI${GS}0109506000134376`,
    });
    assert.deepEqual(expectedScanData({ symbology: 'dl-qr', uri: DL }), { ok: true, value: `]Q1${DL}` });
  });
});
