/**
 * Labels: every barcode we print must scan back to exactly the data meant — PNG labels decoded
 * with zxing-wasm, SVG labels rebuilt from their path data and decoded, PDF sheets parsed (xref
 * offsets, stream lengths, page tree) and their pages rasterised from the content streams and
 * decoded; bad input names its field.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type AiElement, computeCheckDigit, parseGs1 } from '@rxtrace/gs1';
import { type DecodedSymbol, decodeBarcodes } from '@rxtrace/gs1/barcode';
import { checkXml } from '../../../gs1/src/barcode/test-support.ts';
import {
  buildSheet,
  type Drawing,
  drawingToPng,
  drawingToSvg,
  encodeGreyPng,
  type GreyImage,
  type LabelProblem,
  type PackLabelInput,
  packContent,
  packLabel,
  type SheetLabel,
  ssccLabel,
} from './index.ts';
import { rasterisePage, readPdf } from './pdf-reader.ts';

const YEAR = 2026;
let seed = 20260611;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
};
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
const SET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const text82 = (min: number, max: number) =>
  Array.from(
    { length: min + Math.floor(rand() * (max - min + 1)) },
    () => SET82[Math.floor(rand() * SET82.length)],
  ).join('');
const withCheck = (body: string) => body + computeCheckDigit(body);
const gtin = () => withCheck(`0${digits(12)}`);
const sscc = () => withCheck(digits(17));
const expiry = () =>
  `${26 + Math.floor(rand() * 10)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(Math.floor(rand() * 29)).padStart(2, '0')}`;

function pack(): PackLabelInput {
  return { gtin: gtin(), serial: text82(1, 20), lot: text82(1, 20), expiry: expiry() };
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; errors: LabelProblem[] }): T => {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
};

const symbols = (d: Drawing) => d.items.filter((i) => i.kind === 'symbol');

async function decode(png: Uint8Array): Promise<DecodedSymbol[]> {
  const r = await decodeBarcodes(png, { formats: ['DataMatrix', 'Code128'] });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

/** Every symbol of the drawing is found exactly once, with the scan data the layout meant. */
function sameScans(found: DecodedSymbol[], expected: string[], what: string): void {
  assert.deepEqual(found.map((s) => s.scanData).sort(), [...expected].sort(), what);
}

/** Rebuilds a greyscale image from the SVG's barcode path data (M x y h w v h h -w z), at `pxPerMm`. */
function rasteriseSvgPaths(svg: string, pxPerMm: number): GreyImage {
  const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!;
  const width = Math.round(Number(vb[1]) * pxPerMm);
  const height = Math.round(Number(vb[2]) * pxPerMm);
  const data = new Uint8Array(width * height).fill(255);
  for (const p of svg.matchAll(/<path [^>]*d="([^"]+)"/g)) {
    for (const m of p[1]!.matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z/g)) {
      const [x, y, w, h] = m.slice(1).map(Number) as [number, number, number, number];
      const x0 = Math.round(x * pxPerMm);
      const x1 = Math.round((x + w) * pxPerMm);
      for (let yy = Math.round(y * pxPerMm); yy < Math.round((y + h) * pxPerMm); yy++)
        data.fill(0, yy * width + x0, yy * width + x1);
    }
  }
  return { width, height, data };
}

before(async () => {
  // Load the decoder once.
  await decode(drawingToPng(ok(packLabel(pack(), { currentYear: YEAR })), 300));
});

describe('pack labels', () => {
  it('40 random pack labels: PNG (300 and 600 dpi) and SVG scan back to ]d2 + the element string, which parses back to the input', async () => {
    for (let n = 0; n < 40; n++) {
      const input = pack();
      const d = ok(packLabel(input, { currentYear: YEAR, hriStyle: n % 2 ? 'us' : 'eu' }));
      const [sym] = symbols(d);
      assert.ok(sym && sym.kind === 'symbol');
      const found = await decode(drawingToPng(d, n % 4 === 0 ? 600 : 300));
      sameScans(found, [sym.scanData], `label ${n}`);
      const parsed = parseGs1(found[0]!.scanData);
      assert.ok(parsed.ok);
      const want: AiElement[] = [
        { ai: '01', value: input.gtin },
        { ai: '17', value: input.expiry },
        { ai: '10', value: input.lot },
        { ai: '21', value: input.serial },
      ];
      assert.deepEqual(parsed.value.elements, want);
      // The SVG's vector geometry is the same symbol.
      const svg = drawingToSvg(d);
      checkXml(svg);
      sameScans(await decode(encodeGreyPng(rasteriseSvgPaths(svg, 8))), [sym.scanData], `svg ${n}`);
    }
  });

  it('human readable text: EU style PC/SN/NN/LOT/EXP with name and strength; SVG text is text', () => {
    const d = ok(
      packLabel(
        {
          gtin: '9506000134376',
          serial: 'A<B>&"C\'',
          lot: 'L(1)',
          expiry: '2027-05',
          nhrn: '4150123456782',
          nhrnAi: '712',
          productName: 'Amoxicilina 500 mg cápsulas duras',
          strength: '20 cápsulas',
        },
        { currentYear: YEAR, hriStyle: 'eu', widthMm: 70, heightMm: 35 },
      ),
    );
    const lines = d.items.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    assert.deepEqual(lines.slice(2), [
      'PC: 09506000134376',
      'SN: A<B>&"C\'',
      'NN: 4150123456782',
      'LOT: L(1)',
      'EXP: 2027-05',
    ]);
    assert.match(lines[0]!, /^Amoxicilina 500 mg/);
    const svg = drawingToSvg(d);
    const xml = checkXml(svg);
    assert.equal(xml.root, 'svg');
    assert.equal(xml.attrs.width, '70mm');
    assert.equal(xml.elements.filter((e) => e === 'text').length, 7);
    assert.ok(svg.includes('SN: A&lt;B&gt;&amp;&quot;C&apos;'));
    assert.ok(svg.includes('cápsulas'));
    const [sym] = symbols(d);
    assert.ok(sym?.kind === 'symbol');
    assert.equal(sym.scanData, ']d201095060001343761727050010L(1)\u001d21A<B>&"C\'\u001d7124150123456782');
  });

  it('US style, (91)/(92) extras in the DataMatrix, decodable', async () => {
    const d = ok(
      packLabel(
        {
          gtin: '00312345678906',
          serial: '1234567890ABCDEFGHIJ',
          lot: 'X1',
          expiry: '280229',
          extra: [
            { ai: '91', value: 'KEY1' },
            { ai: '92', value: 'c2lnbmF0dXJl' },
          ],
        },
        { currentYear: YEAR, hriStyle: 'us' },
      ),
    );
    const lines = d.items.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    assert.deepEqual(lines, ['GTIN 00312345678906', 'SN 1234567890ABCDEFGHIJ', 'LOT X1', 'EXP 2028-02-29']);
    const found = await decode(drawingToPng(d, 300));
    assert.equal(
      found[0]!.scanData,
      ']d201003123456789061728022910X1\u001d211234567890ABCDEFGHIJ\u001d91KEY1\u001d92c2lnbmF0dXJl',
    );
  });

  it('bad input names the field', () => {
    const fields = (input: Partial<PackLabelInput>) => {
      const r = packContent({ ...pack(), ...input } as PackLabelInput, { currentYear: YEAR });
      assert.ok(!r.ok);
      return r.errors.map((e) => `${e.field}:${e.code}`);
    };
    assert.deepEqual(fields({ gtin: '09506000134377' }), ['gtin:GS1_LINTER_INCORRECT_CHECK_DIGIT']);
    assert.deepEqual(fields({ gtin: '12345' }), ['gtin:RX_BAD_GTIN_LENGTH']);
    assert.deepEqual(fields({ serial: 'AB CD' }), ['serial:GS1_LINTER_INVALID_CSET82_CHARACTER']);
    assert.deepEqual(fields({ serial: 'é' }), ['serial:GS1_LINTER_INVALID_CSET82_CHARACTER']);
    assert.deepEqual(fields({ serial: '' }), ['serial:RX_LABEL_MISSING']);
    assert.deepEqual(fields({ expiry: '2026-13-01' }), fields({ expiry: '261301' }));
    assert.equal(fields({ expiry: '2026-13-01' })[0]!.split(':')[0], 'expiry');
    assert.deepEqual(fields({ expiry: 'soon' }), ['expiry:RX_LABEL_BAD_DATE']);
    assert.deepEqual(
      fields({ expiry: '260230' }).map((f) => f.split(':')[0]),
      ['expiry'],
    );
    assert.deepEqual(fields({ nhrn: '123', nhrnAi: '700' }), ['nhrnAi:RX_LABEL_BAD_NHRN_AI']);
    assert.deepEqual(fields({ extra: [{ ai: '21', value: 'X' }] }), ['extra[0]:RX_LABEL_DUPLICATE_AI']);
    assert.deepEqual(fields({ productName: 'tab\there' }), ['productName:RX_LABEL_BAD_TEXT']);
    // The serial's too-long fault is reported, naming the field.
    assert.equal(fields({ serial: 'x'.repeat(21) })[0]!.split(':')[0], 'serial');
  });

  it('a label too small for the symbol or the text is refused, naming the size', () => {
    const input = pack();
    const r = packLabel(input, { currentYear: YEAR, widthMm: 60, heightMm: 10 });
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.field, 'heightMm');
    const r2 = packLabel(
      { ...input, serial: 'S'.repeat(20) },
      { currentYear: YEAR, widthMm: 25, heightMm: 20 },
    );
    assert.ok(!r2.ok);
    assert.equal(r2.errors[0]!.field, 'widthMm');
  });
});

describe('logistic (SSCC) labels', () => {
  it('SSCC + content symbols scan back at 203 and 300 dpi; SSCC lowest; text block lines', async () => {
    let split = 0;
    for (let n = 0; n < 12; n++) {
      const input = {
        sscc: sscc(),
        gtin: gtin(),
        count: 1 + Math.floor(rand() * 999),
        lot: text82(1, 12),
        expiry: expiry(),
        from: 'Acme Pharma GmbH',
        to: 'Central DC 3',
      };
      const d = ok(ssccLabel(input, { currentYear: YEAR }));
      const syms = symbols(d);
      assert.ok(syms.length >= 2);
      const ssccSym = syms.find((s) => s.kind === 'symbol' && s.scanData.startsWith(']C100'));
      assert.ok(ssccSym && ssccSym.kind === 'symbol');
      assert.equal(ssccSym.scanData, `]C100${input.sscc}`);
      assert.ok(
        syms.every((s) => s.kind === 'symbol' && s.y <= ssccSym.y),
        'the SSCC is the lowest symbol',
      );
      const found = await decode(drawingToPng(d, n % 2 ? 203 : 300));
      sameScans(
        found,
        syms.map((s) => (s.kind === 'symbol' ? s.scanData : '')),
        `label ${n}`,
      );
      // Content symbols, in label order (top first); (02) needs the (00) of the other symbol:
      // associations hold per label, not per symbol.
      const contentScans = syms
        .flatMap((s) => (s.kind === 'symbol' && !s.scanData.startsWith(']C100') ? [s] : []))
        .sort((a, b) => a.y - b.y);
      const elements = contentScans.flatMap((s) => {
        const parsed = parseGs1(s.scanData, { requisite: false });
        assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
        return parsed.value.elements;
      });
      if (contentScans.length > 1) split++;
      assert.deepEqual(elements, [
        { ai: '02', value: input.gtin },
        { ai: '17', value: input.expiry },
        { ai: '37', value: String(input.count) },
        { ai: '10', value: input.lot },
      ]);
      const texts = d.items.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
      for (const t of [
        'FROM',
        'TO',
        'SSCC',
        input.sscc,
        'CONTENT',
        input.gtin,
        'COUNT',
        String(input.count),
        'BATCH/LOT',
        input.lot,
        'USE BY',
      ])
        assert.ok(texts.includes(t), `text ${t}`);
      assert.ok(texts.includes(`(00) ${input.sscc}`));
      checkXml(drawingToSvg(d));
      sameScans(
        await decode(encodeGreyPng(rasteriseSvgPaths(drawingToSvg(d), 8))),
        found.map((f) => f.scanData),
        `svg ${n}`,
      );
    }
    assert.ok(split > 0 && split < 12, `long content data is split over symbols (${split} of 12 labels)`);
  });

  it('SSCC only; 4 × 6 in label', async () => {
    const s = sscc();
    const d = ok(ssccLabel({ sscc: s }, { widthMm: 101.6, heightMm: 152.4 }));
    assert.equal(symbols(d).length, 1);
    sameScans(await decode(drawingToPng(d, 203)), [`]C100${s}`], 'sscc only');
  });

  it('bad input names the field', () => {
    const f = (input: object) => {
      const r = ssccLabel({ sscc: '106141411234567897', ...input } as never, { currentYear: YEAR });
      assert.ok(!r.ok);
      return r.errors.map((e) => `${e.field}:${e.code}`);
    };
    assert.deepEqual(f({ sscc: '106141411234567890' }), ['sscc:GS1_LINTER_INCORRECT_CHECK_DIGIT']);
    assert.deepEqual(f({ gtin: '09506000134376' }), ['count:RX_LABEL_MISSING']);
    assert.deepEqual(f({ count: 5 }), ['gtin:RX_LABEL_MISSING']);
    assert.deepEqual(f({ gtin: '09506000134376', count: 'x' }), ['count:RX_LABEL_BAD_COUNT']);
    assert.deepEqual(f({ lot: 'L1' }), ['gtin:RX_LABEL_MISSING']);
    const tall = ssccLabel(
      { sscc: '106141411234567897', gtin: '09506000134376', count: 3 },
      { heightMm: 40 },
    );
    assert.ok(!tall.ok);
    assert.equal(tall.errors[0]!.field, 'heightMm');
  });
});

describe('PDF sheets', () => {
  it('pack labels on A4 and Letter: valid structure, vector barcodes decode from the content streams, text present', async () => {
    for (const page of ['A4', 'letter'] as const) {
      const inputs = Array.from({ length: 30 }, () => pack());
      const labels: SheetLabel[] = inputs.map((p) => ({ type: 'pack', ...p }));
      const sheet = ok(
        buildSheet(labels, {
          page,
          currentYear: YEAR,
          outline: true,
          creationDate: new Date('2026-01-02T03:04:05Z'),
        }),
      );
      assert.equal(sheet.columns, 3);
      assert.equal(sheet.rows, page === 'A4' ? 8 : 7);
      assert.equal(sheet.pages, Math.ceil(30 / (sheet.columns * sheet.rows)));
      const pdf = readPdf(sheet.pdf);
      assert.equal(pdf.version, '1.4');
      assert.deepEqual(pdf.fonts.sort(), ['Courier', 'Courier-Bold']);
      assert.equal(pdf.pages.length, sheet.pages);
      assert.ok(Math.abs(pdf.pages[0]!.width - (page === 'A4' ? 595.276 : 612)) < 0.01);
      const expected = sheet.drawings.map((d) =>
        symbols(d).map((s) => (s.kind === 'symbol' ? s.scanData : '')),
      );
      let k = 0;
      for (const pg of pdf.pages) {
        const onPage: string[] = expected.slice(k, k + sheet.columns * sheet.rows).flat();
        k += sheet.columns * sheet.rows;
        const found = await decode(encodeGreyPng(rasterisePage(pg, 8 / (72 / 25.4))));
        sameScans(found, onPage, `${page} page`);
        const texts = pg.texts.map((t) => t.text);
        assert.equal(texts.filter((t) => t.startsWith('PC: ')).length, onPage.length);
        assert.ok(pg.texts.every((t) => t.font === 'F1' || t.font === 'F2'));
        for (const s of onPage) assert.ok(s.startsWith(']d2'));
      }
      const allTexts = pdf.pages.flatMap((p) => p.texts.map((t) => t.text));
      for (const p of inputs) assert.ok(allTexts.includes(`SN: ${p.serial}`), `SN: ${p.serial}`);
    }
  });

  it('mixed sheet with copies and a logistic label; Latin-1 text survives; corrupted offsets are caught', async () => {
    const labels: SheetLabel[] = [
      {
        type: 'sscc',
        sscc: '106141411234567897',
        gtin: '09506000134376',
        count: 24,
        lot: 'LOT42',
        expiry: '2026-12-31',
        productName: 'Ibuprofène 400 mg',
      },
      {
        type: 'pack',
        gtin: '09506000134376',
        serial: 'SN(1)',
        lot: 'LOT42',
        expiry: '261231',
        productName: 'Back\\slash (x)',
        copies: 3,
      },
    ];
    const sheet = ok(buildSheet(labels, { page: 'A4', currentYear: YEAR }));
    assert.equal(sheet.labels, 4);
    assert.equal(sheet.columns * sheet.rows, 4);
    const pdf = readPdf(sheet.pdf);
    const pg = pdf.pages[0]!;
    const texts = pg.texts.map((t) => t.text);
    assert.ok(texts.includes('Ibuprofène 400 mg'));
    assert.ok(texts.includes('SN: SN(1)'));
    assert.ok(texts.includes('Back\\slash (x)'));
    const found = await decode(encodeGreyPng(rasterisePage(pg, 8 / (72 / 25.4))));
    sameScans(
      found,
      sheet.drawings.flatMap((d) => symbols(d).map((s) => (s.kind === 'symbol' ? s.scanData : ''))),
      'mixed',
    );
    // The reader is strict: shift one byte and the xref no longer matches.
    const broken = new Uint8Array(sheet.pdf.length + 1);
    broken.set(sheet.pdf.subarray(0, 20));
    broken[20] = 0x20;
    broken.set(sheet.pdf.subarray(20), 21);
    assert.throws(() => readPdf(broken), /xref|startxref/);
  });

  it('sheet faults name labels[i].field or the page setting', () => {
    const errs = (labels: unknown[], o = {}) => {
      const r = buildSheet(labels as SheetLabel[], { currentYear: YEAR, ...o });
      assert.ok(!r.ok);
      return r.errors.map((e) => e.field);
    };
    assert.deepEqual(
      errs([
        { type: 'pack', ...pack() },
        { type: 'pack', ...pack(), serial: 'a b' },
      ]),
      ['labels[1].serial'],
    );
    assert.deepEqual(errs([{ type: 'box' }]), ['labels[0].type']);
    assert.deepEqual(errs([{ type: 'pack', ...pack() }], { columns: 4 }), ['columns']);
    assert.deepEqual(errs([{ type: 'pack', ...pack() }], { page: 'A3' }), ['page']);
    assert.deepEqual(errs([{ type: 'pack', ...pack() }], { labelWidthMm: 300 }), ['labelWidthMm']);
    assert.deepEqual(
      errs([{ type: 'pack', ...pack(), serial: 'S'.repeat(20) }], { labelWidthMm: 25, labelHeightMm: 20 }),
      ['labelWidthMm'],
    );
    assert.deepEqual(
      errs([{ type: 'pack', ...pack(), productName: 'Name', strength: '10 mg' }], { labelHeightMm: 10 }),
      ['labelHeightMm'],
    );
    assert.deepEqual(errs([]), ['labels']);
    assert.deepEqual(errs([{ type: 'pack', ...pack(), copies: 0 }]), ['labels[0].copies']);
  });
});
