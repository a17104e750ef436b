/**
 * Property test: random valid identities survive parse → format → parse unchanged in every
 * written form (element string, bracketed, scan data, Digital Link plain and compressed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CSET82 } from './charsets.ts';
import { withCheckDigit } from './check-digit.ts';
import { compressDigitalLink } from './digital-link/index.ts';
import type { AiElement } from './elements.ts';
import { formatAll } from './forms.ts';
import { parseGs1 } from './parse.ts';

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const cset82 = (max: number) => fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: max });
const yymmdd = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));

/** A saleable pack in the usual DataMatrix order (01)(17)(10)(21), sometimes with a CPV or NHRN. */
const pack: fc.Arbitrary<AiElement[]> = fc
  .record({
    gtin: digits(13).map(withCheckDigit),
    expiry: yymmdd,
    lot: cset82(20),
    serial: cset82(20),
    pzn: fc.option(digits(8), { nil: undefined }),
  })
  .map(({ gtin, expiry, lot, serial, pzn }) => {
    const els = [
      { ai: '01', value: gtin },
      { ai: '17', value: expiry },
      { ai: '10', value: lot },
      { ai: '21', value: serial },
    ];
    if (pzn) els.push({ ai: '710', value: pzn });
    return els;
  });
const sscc = digits(17).map((d) => [{ ai: '00', value: withCheckDigit(d) }]);
const gln = fc.tuple(digits(12), fc.option(cset82(20), { nil: undefined })).map(([d, ext]) => {
  const els = [{ ai: '414', value: withCheckDigit(d) }];
  if (ext) els.push({ ai: '254', value: ext });
  return els;
});
const identity = fc.oneof(
  { arbitrary: pack, weight: 8 },
  { arbitrary: sscc, weight: 1 },
  { arbitrary: gln, weight: 1 },
);

const byAi = (els: readonly AiElement[]) => [...els].sort((a, b) => (a.ai < b.ai ? -1 : a.ai > b.ai ? 1 : 0));

test('10,000 random identities round-trip in every form', () => {
  let dlChecked = 0;
  fc.assert(
    fc.property(identity, (elements) => {
      const forms = formatAll(elements);
      for (const text of [forms.elementString, forms.bracketed, forms.scanData]) {
        const r = parseGs1(text);
        assert.ok(r.ok, `${text}: ${!r.ok && JSON.stringify(r.errors)}`);
        assert.deepEqual(r.value.elements, elements, text);
        assert.deepEqual(formatAll(r.value.elements), forms);
      }
      if (forms.digitalLink) {
        // A Digital Link puts the key and its qualifiers in the path and the rest in the query.
        const r = parseGs1(forms.digitalLink);
        assert.ok(r.ok, `${forms.digitalLink}: ${!r.ok && JSON.stringify(r.errors)}`);
        assert.deepEqual(byAi(r.value.elements), byAi(elements), forms.digitalLink);
        const compressed = compressDigitalLink(forms.digitalLink);
        assert.ok(
          compressed.ok,
          `${forms.digitalLink}: ${!compressed.ok && JSON.stringify(compressed.errors)}`,
        );
        const c = parseGs1(compressed.value);
        assert.ok(c.ok, `${compressed.value}: ${!c.ok && JSON.stringify(c.errors)}`);
        assert.equal(c.value.form, 'digital-link-compressed');
        assert.deepEqual(byAi(c.value.elements), byAi(elements), compressed.value);
        dlChecked++;
      }
    }),
    { numRuns: 10_000, seed: 20261124 },
  );
  assert.ok(dlChecked > 9000, `Digital Link forms checked for ${dlChecked} identities`);
});
