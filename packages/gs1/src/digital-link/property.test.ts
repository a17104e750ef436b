import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CSET82 } from '../charsets.ts';
import { withCheckDigit } from '../check-digit.ts';
import type { AiElement } from '../elements.ts';
import type { Result } from '../errors.ts';
import {
  compressDigitalLink,
  decompressDigitalLink,
  formatDigitalLink,
  isCompressedDigitalLink,
  parseDigitalLink,
} from './index.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`unexpected error: ${r.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  return r.value;
}

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const set82 = fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 });
const gtin = digits(13).map(withCheckDigit);
const yymmdd = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((x) => String(x).padStart(2, '0')).join(''));

/** A drug pack (GTIN with optional lot, serial, expiry), a logistic unit (SSCC) or a location (GLN + extension). */
interface Identity {
  /** The elements in the order a canonical DL URI writes them. */
  canonical: AiElement[];
  /** The same elements in the order they were captured. */
  captured: AiElement[];
}
const pack = fc
  .record({ gtin, lot: fc.option(set82), serial: fc.option(set82), expiry: fc.option(yymmdd) })
  .map(({ gtin, lot, serial, expiry }) => {
    const canonical: AiElement[] = [{ ai: '01', value: gtin }];
    if (lot !== null) canonical.push({ ai: '10', value: lot });
    if (serial !== null) canonical.push({ ai: '21', value: serial });
    if (expiry !== null) canonical.push({ ai: '17', value: expiry });
    return canonical;
  });
const sscc = digits(17).map((d): AiElement[] => [{ ai: '00', value: withCheckDigit(d) }]);
const gln = fc.tuple(digits(12).map(withCheckDigit), fc.option(set82)).map(([g, ext]): AiElement[] =>
  ext === null
    ? [{ ai: '414', value: g }]
    : [
        { ai: '414', value: g },
        { ai: '254', value: ext },
      ],
);
const identity: fc.Arbitrary<Identity> = fc
  .oneof({ arbitrary: pack, weight: 4 }, sscc, gln)
  .chain((canonical) =>
    fc
      .shuffledSubarray(canonical, { minLength: canonical.length, maxLength: canonical.length })
      .map((captured) => ({ canonical, captured })),
  );
const stem = fc.constantFrom(
  undefined,
  'https://id.gs1.org',
  'https://brand.example.com/dl',
  'http://192.0.2.7:8080',
  'HTTPS://EXAMPLE.ORG/a/b/',
);

test('property: format → parse gives back the same elements (canonical order)', () => {
  fc.assert(
    fc.property(identity, stem, ({ canonical, captured }, s) => {
      const uri = value(formatDigitalLink(captured, { stem: s }));
      const dl = value(parseDigitalLink(uri));
      assert.deepEqual(dl.elements, canonical);
      assert.equal(value(formatDigitalLink(dl.elements, { stem: dl.stem })), uri);
    }),
    { numRuns: 1000 },
  );
});

test('property: compress → decompress gives back the same URI and elements', () => {
  fc.assert(
    fc.property(identity, stem, fc.boolean(), ({ canonical, captured }, s, optimisations) => {
      const uri = value(formatDigitalLink(captured, { stem: s }));
      const packed = value(compressDigitalLink(uri, { optimisations }));
      assert.ok(isCompressedDigitalLink(packed), packed);
      assert.equal(value(decompressDigitalLink(packed)), uri);
      assert.deepEqual(value(parseDigitalLink(packed, { permitCompressed: true })).elements, canonical);
    }),
    { numRuns: 1000 },
  );
});
