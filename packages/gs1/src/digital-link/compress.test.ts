import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AI_DEFINITIONS } from '../ai-table.ts';
import { CSET39, CSET64, CSET82 } from '../charsets.ts';
import { withCheckDigit } from '../check-digit.ts';
import type { AiDefinition } from '../dictionary.ts';
import type { AiElement } from '../elements.ts';
import type { Result } from '../errors.ts';
import {
  compressDigitalLink,
  compressElements,
  compressionLayout,
  decompressDigitalLink,
  decompressElements,
  isCompressedDigitalLink,
  parseCompressedDigitalLink,
  parseDigitalLink,
} from './index.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`unexpected error: ${r.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  return r.value;
}
const byAi = (els: readonly AiElement[]) => [...els].sort((a, b) => (a.ai < b.ai ? -1 : a.ai > b.ai ? 1 : 0));

function roundTrip(elements: AiElement[], optimisations = true): AiElement[] {
  const data = value(compressElements(elements, { optimisations }));
  assert.match(data, /^[A-Za-z0-9_-]+$/);
  return value(decompressElements(data)).elements;
}

test('numeric values keep every digit and leading zero (no JavaScript number loss)', () => {
  const gtin = '09780345418913';
  for (const serial of ['12345678901234567890', '0012345', '00000000000000000000', '9']) {
    const els = [
      { ai: '01', value: gtin },
      { ai: '21', value: serial },
    ];
    assert.deepEqual(byAi(roundTrip(els)), byAi(els), serial);
    assert.deepEqual(byAi(roundTrip(els, false)), byAi(els), serial);
  }
  const sscc = withCheckDigit('39506000134352123');
  assert.deepEqual(roundTrip([{ ai: '00', value: sscc }]), [{ ai: '00', value: sscc }]);
  const uri = `https://id.gs1.org/00/${sscc}`;
  const packed = value(compressDigitalLink(uri));
  assert.equal(value(decompressDigitalLink(packed)), uri);
});

test('the digital-link.js example decompresses, and compresses back to the same bits', () => {
  const packed = 'https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI';
  const dl = value(parseCompressedDigitalLink(packed));
  assert.equal(dl.stem, 'https://dlnkd.tn.gg');
  assert.equal(dl.compressed, true);
  assert.deepEqual(dl.elements, [
    { ai: '01', value: '09780345418913' },
    { ai: '10', value: '231' },
    { ai: '21', value: '345345' },
    { ai: '15', value: '120820' },
  ]);
  const plain = value(decompressDigitalLink(packed));
  assert.equal(plain, 'https://dlnkd.tn.gg/01/09780345418913/10/231/21/345345?15=120820');
  assert.equal(value(compressDigitalLink(plain)), packed);
  assert.ok(isCompressedDigitalLink(packed));
  assert.ok(!isCompressedDigitalLink(plain));
  // parseDigitalLink reads compressed URIs only when asked to.
  assert.equal(parseDigitalLink(packed).ok, false);
  assert.deepEqual(value(parseDigitalLink(packed, { permitCompressed: true })).elements, dl.elements);
});

test('non-GS1 query parameters: packed when possible, otherwise kept in the query', () => {
  const uri = 'https://example.com/01/09780345418913/21/43786?linkType=gs1:pip&k=v';
  const packed = value(compressDigitalLink(uri));
  // "gs1:pip" packs as 7-bit ASCII; both parameters are inside the data.
  assert.ok(!packed.includes('?'));
  assert.equal(
    value(decompressDigitalLink(packed)),
    'https://example.com/01/09780345418913/21/43786?linkType=gs1%3Apip&k=v',
  );
  const kept = value(
    compressDigitalLink('https://example.com/01/09780345418913?x.y=1&single', { compressOtherParams: true }),
  );
  assert.match(kept, /\?x\.y=1&single$/);
  const dl = value(parseCompressedDigitalLink(kept));
  assert.deepEqual(dl.ignoredQueryParams, ['x.y=1', 'single']);
});

test('corrupt compressed data is refused, never half-read', () => {
  for (const bad of ['AAAA', 'A', 'B_', '____', 'HxHKVAdpQgZzjr-hCDKigJ']) {
    const r = decompressElements(bad);
    assert.equal(r.ok, false, bad);
  }
  assert.equal(isCompressedDigitalLink('https://a/b'), false);
  assert.equal(
    isCompressedDigitalLink('https://dlnkd.tn.gg/gtin/09780345418913/lot/231/ser/345345?15=120820'),
    false,
  );
  // Unknown AIs have no compressed form.
  assert.equal(compressElements([{ ai: '89', value: 'X' }]).ok, false);
});

test('every AI of the dictionary packs unambiguously (variable parts only at the end)', () => {
  for (const d of AI_DEFINITIONS) {
    const parts = compressionLayout(d);
    assert.ok(parts.length > 0, d.ai);
    for (let i = 0; i < parts.length - 1; i++) assert.ok(parts[i]!.fixed, `${d.ai} part ${i}`);
  }
  // Merged components, as the toolkit packs them.
  const layout = (ai: string) => compressionLayout(AI_DEFINITIONS.find((d) => d.ai === ai)!);
  assert.deepEqual(layout('8003'), [
    { numeric: true, fixed: true, len: 14 },
    { numeric: false, fixed: false, len: 16 },
  ]);
  assert.deepEqual(layout('8006'), [{ numeric: true, fixed: true, len: 18 }]);
  assert.deepEqual(layout('7230'), [{ numeric: false, fixed: false, len: 30 }]);
});

/** A random value that fits an AI's components (format only; linters are not the point here). */
function valueFor(d: AiDefinition): fc.Arbitrary<string> {
  const parts = d.components.map((c) => {
    const alphabet =
      c.type === 'N' ? '0123456789' : c.type === 'X' ? CSET82 : c.type === 'Y' ? CSET39 : CSET64;
    const s = fc.string({ unit: fc.constantFrom(...alphabet), minLength: c.min, maxLength: c.max });
    return c.optional ? fc.option(s, { nil: '' }) : s;
  });
  return fc.tuple(...parts).map((xs) => {
    // An optional component after an absent one cannot be present.
    let out = '';
    for (let i = 0; i < xs.length; i++) {
      if (d.components[i]!.optional && xs[i] === '') break;
      out += xs[i];
    }
    return out;
  });
}

test('property: any value of any AI survives compress → decompress', () => {
  const defs = AI_DEFINITIONS.filter((d) => d.components.length > 0);
  const element = fc
    .constantFrom(...defs)
    .chain((d) => valueFor(d).map((v): AiElement => ({ ai: d.ai, value: v })));
  fc.assert(
    fc.property(
      fc.uniqueArray(element, { minLength: 1, maxLength: 6, selector: (e) => e.ai }),
      fc.boolean(),
      (els, opt) => {
        assert.deepEqual(byAi(roundTrip(els, opt)), byAi(els));
      },
    ),
    { numRuns: 600 },
  );
});
