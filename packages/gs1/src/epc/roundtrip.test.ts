/** Property tests: GS1 data → EPC → GS1 data (and → tag → EPC) gives back what went in. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CSET82 } from '../charsets.ts';
import { computeCheckDigit } from '../check-digit.ts';
import type { AiElement } from '../elements.ts';
import type { Result } from '../errors.ts';
import { escapeGs3a3, unescapeComponent } from './escape.ts';
import { elementsToEpc, epcToElements, epcToGs1Key } from './gs1.ts';
import { decodeEpcTag, encodeEpcTag } from './tag.ts';
import { parseEpcUri } from './uri.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  return r.value;
}

const digits = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const set82 = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...CSET82), minLength: min, maxLength: max });
const gcpLength = fc.integer({ min: 6, max: 12 });
const withCd = (body: string) => body + computeCheckDigit(body);
const el = (ai: string, v: string): AiElement => ({ ai, value: v });

/** GS1 → EPC → (re-parse the URI) → GS1, and EPC → tag hex → EPC. */
function roundTrip(els: AiElement[], L: number, keep: AiElement[] = els): void {
  const epc = value(elementsToEpc(els, { companyPrefixLength: L }));
  assert.equal(epc.companyPrefix?.length, L);
  const reparsed = value(parseEpcUri(epc.uri));
  assert.equal(reparsed.uri, epc.uri);
  assert.deepEqual(value(epcToElements(reparsed)), keep);
  if (epc.type === 'id' && !['pgln', 'gsin', 'ginc', 'upui'].includes(epc.scheme)) {
    const tag = value(encodeEpcTag(epc));
    assert.equal(value(decodeEpcTag(tag.hex)).epc.uri, epc.uri);
  }
}

test('set-82 values survive URI escaping', () => {
  fc.assert(
    fc.property(set82(1, 40), (s) => {
      const e = escapeGs3a3(s);
      assert.match(e, /^[A-Za-z0-9!'()*+,\-.:;=_%]+$/);
      assert.deepEqual(unescapeComponent(e, 'gs3a3'), { ok: true, value: s });
    }),
  );
});

test('SGTIN: any GTIN, any set-82 serial, any GCP length', () => {
  fc.assert(
    fc.property(digits(13), set82(1, 20), gcpLength, (body, serial, L) => {
      const gtin = withCd(body);
      roundTrip([el('01', gtin), el('21', serial)], L);
      assert.equal(
        value(
          epcToGs1Key(value(elementsToEpc([el('01', gtin), el('21', serial)], { companyPrefixLength: L }))),
        ),
        gtin,
      );
    }),
    { numRuns: 500 },
  );
});

test('SGTIN-96: numeric serials without leading zeros up to 2^38 − 1', () => {
  fc.assert(
    fc.property(
      digits(13),
      fc.bigInt({ min: 0n, max: (1n << 38n) - 1n }),
      gcpLength,
      fc.integer({ min: 0, max: 7 }),
      (body, n, L, filter) => {
        const epc = value(
          elementsToEpc([el('01', withCd(body)), el('21', n.toString())], { companyPrefixLength: L }),
        );
        const tag = value(encodeEpcTag(epc, { filter }));
        assert.equal(tag.scheme, 'sgtin-96');
        const back = value(decodeEpcTag(tag.hex));
        assert.equal(back.tagUri, tag.tagUri);
        assert.equal(back.filter, filter);
      },
    ),
  );
});

test('LGTIN, SSCC, SGLN (with and without extension), GRAI, GDTI, SGCN, GIAI', () => {
  fc.assert(
    fc.property(digits(13), set82(1, 20), gcpLength, (body, lot, L) =>
      roundTrip([el('01', withCd(body)), el('10', lot)], L),
    ),
  );
  fc.assert(fc.property(digits(17), gcpLength, (body, L) => roundTrip([el('00', withCd(body))], L)));
  fc.assert(
    fc.property(digits(12), fc.option(set82(1, 20), { nil: undefined }), gcpLength, (body, ext, L) => {
      const gln = el('414', withCd(body));
      if (ext === undefined || ext === '0')
        roundTrip(ext === undefined ? [gln] : [gln, el('254', ext)], L, [gln, el('254', '0')]);
      else roundTrip([gln, el('254', ext)], L);
    }),
  );
  fc.assert(
    fc.property(digits(12), set82(1, 16), gcpLength, (body, s, L) =>
      roundTrip([el('8003', `0${withCd(body)}${s}`)], L),
    ),
  );
  fc.assert(
    fc.property(digits(12), set82(1, 17), gcpLength, (body, s, L) =>
      roundTrip([el('253', withCd(body) + s)], L),
    ),
  );
  fc.assert(
    fc.property(digits(12), digits(1, 12), gcpLength, (body, s, L) =>
      roundTrip([el('255', withCd(body) + s)], L),
    ),
  );
  fc.assert(
    fc.property(digits(12), set82(1, 24), gcpLength, (g, ref, L) => {
      fc.pre(L + ref.length <= 30);
      roundTrip([el('8004', g.slice(0, L) + ref)], L);
    }),
  );
});
