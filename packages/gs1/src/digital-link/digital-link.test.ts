import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withCheckDigit } from '../check-digit.ts';
import type { AiElement } from '../elements.ts';
import type { Result } from '../errors.ts';
import {
  arrangeForDigitalLink,
  formatDigitalLink,
  isDigitalLinkUri,
  otherQueryParams,
  parseDigitalLink,
  percentDecode,
  percentEncode,
} from './index.ts';

const GTIN = '09506000134376';
const SSCC = withCheckDigit('09506000134352123');
const GLN = '9520123456788';

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(`unexpected error: ${r.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  return r.value;
}
function errorOf<T>(r: Result<T>) {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.errors[0]!;
}

test('pharma pack: GTIN + lot + serial in the path, expiry in the query', () => {
  const elements: AiElement[] = [
    { ai: '01', value: GTIN },
    { ai: '17', value: '261231' },
    { ai: '10', value: 'LOT42' },
    { ai: '21', value: 'SER123' },
  ];
  const uri = value(formatDigitalLink(elements));
  assert.equal(uri, `https://id.gs1.org/01/${GTIN}/10/LOT42/21/SER123?17=261231`);
  const dl = value(parseDigitalLink(uri));
  assert.equal(dl.stem, 'https://id.gs1.org');
  assert.equal(dl.pathCount, 3);
  assert.deepEqual(dl.elements, [
    { ai: '01', value: GTIN },
    { ai: '10', value: 'LOT42' },
    { ai: '21', value: 'SER123' },
    { ai: '17', value: '261231' },
  ]);
  assert.deepEqual(dl.ignoredQueryParams, []);
});

test('SSCC on any domain, with a free stem and a port', () => {
  const uri = value(
    formatDigitalLink([{ ai: '00', value: SSCC }], { stem: 'https://resolver.example.com:8443/dl/' }),
  );
  assert.equal(uri, `https://resolver.example.com:8443/dl/00/${SSCC}`);
  const dl = value(parseDigitalLink(uri));
  assert.equal(dl.stem, 'https://resolver.example.com:8443/dl');
  assert.deepEqual(dl.elements, [{ ai: '00', value: SSCC }]);
});

test('GLN with its extension (254) as key qualifier; escaping in path and query', () => {
  const uri = value(
    formatDigitalLink(
      [
        { ai: '414', value: GLN },
        { ai: '254', value: 'Dock 3/B' },
      ],
      { validate: false },
    ),
  );
  assert.equal(uri, `https://id.gs1.org/414/${GLN}/254/Dock%203%2FB`);
  const ok = value(
    formatDigitalLink([
      { ai: '414', value: GLN },
      { ai: '254', value: 'B+1/2' },
      { ai: '99', value: 'a&b=c' },
    ]),
  );
  assert.equal(ok, `https://id.gs1.org/414/${GLN}/254/B%2B1%2F2?99=a%26b%3Dc`);
  assert.deepEqual(value(parseDigitalLink(ok)).elements, [
    { ai: '414', value: GLN },
    { ai: '254', value: 'B+1/2' },
    { ai: '99', value: 'a&b=c' },
  ]);
  // A space is not AI data: refused when parsing, wherever it is written.
  assert.equal(
    errorOf(parseDigitalLink(`https://id.gs1.org/414/${GLN}/254/Dock%203`)).code,
    'RX_DL_INVALID_CHARACTER',
  );
});

test('the path keeps "+" literal; the query reads it as a space', () => {
  const dl = value(parseDigitalLink(`https://a/01/${GTIN}/10/A+B`));
  assert.equal(dl.elements[1]!.value, 'A+B');
  const e = errorOf(parseDigitalLink(`https://a/01/${GTIN}?99=A+B`));
  assert.equal(e.code, 'RX_DL_INVALID_CHARACTER');
  assert.equal(e.position, `https://a/01/${GTIN}?99=A`.length);
  assert.match(e.message, /%2B/);
});

test('every set-82 character survives percent-encoding in both components', () => {
  const set82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
  for (const component of ['path', 'query'] as const) {
    const enc = percentEncode(set82, component);
    assert.doesNotMatch(enc, /[^A-Za-z0-9\-._~%]/);
    assert.equal(value(percentDecode(enc, component)), set82);
  }
  assert.equal(percentEncode('A B+', 'query'), 'A+B%2B');
  assert.equal(errorOf(percentDecode('AB%00', 'path')).position, 2);
});

test('key qualifiers: dictionary order, one alternative only, never in the query', () => {
  const wrongOrder = `https://a/01/${GTIN}/21/S1/10/L1`;
  const e = errorOf(parseDigitalLink(wrongOrder));
  assert.equal(e.code, 'RX_DL_BAD_KEY_QUALIFIERS');
  assert.equal(e.ai, '10');
  assert.equal(e.position, wrongOrder.lastIndexOf('/10/') + 1);

  assert.equal(
    errorOf(parseDigitalLink(`https://a/01/${GTIN}/235/TPX1/21/S1`)).code,
    'RX_DL_BAD_KEY_QUALIFIERS',
  );
  const inQuery = `https://a/01/${GTIN}?10=L1`;
  const q = errorOf(parseDigitalLink(inQuery));
  assert.equal(q.code, 'RX_DL_BELONGS_IN_PATH');
  assert.equal(q.position, inQuery.indexOf('10='));
  // With the (235) alternative in the path, (10) is an ordinary attribute.
  assert.equal(value(parseDigitalLink(`https://a/01/${GTIN}/235/TPX1?10=L1`)).elements.length, 3);
  // (21) is never a query attribute.
  assert.equal(errorOf(parseDigitalLink(`https://a/01/${GTIN}/235/TPX1?21=S1`)).code, 'RX_DL_NOT_ATTRIBUTE');
});

test('the rightmost primary key decides; what precedes it is a free stem', () => {
  const dl = value(parseDigitalLink(`https://a/00/faux/01/${GTIN}/21/X`));
  assert.equal(dl.stem, 'https://a/00/faux');
  assert.deepEqual(
    dl.elements.map((e) => e.ai),
    ['01', '21'],
  );
});

test('query parameters: non-AI kept and ignored, numeric non-AI refused, duplicates refused', () => {
  const dl = value(parseDigitalLink(`https://a/01/${GTIN}?&&linkType=gs1:pip&17=261231&&x#frag`));
  assert.deepEqual(dl.ignoredQueryParams, ['linkType=gs1:pip', 'x']);
  assert.deepEqual(otherQueryParams(dl), [{ key: 'linkType', value: 'gs1:pip' }, { key: 'x' }]);
  assert.equal(errorOf(parseDigitalLink(`https://a/01/${GTIN}?999=1`)).code, 'RX_DL_UNKNOWN_AI_PARAM');
  assert.equal(
    errorOf(parseDigitalLink(`https://a/01/${GTIN}?17=261231&17=261231`)).code,
    'RX_DL_DUPLICATE_AI',
  );
  assert.equal(errorOf(parseDigitalLink(`https://a/01/${GTIN}?17=`)).code, 'RX_DL_EMPTY_VALUE');
  assert.equal(errorOf(parseDigitalLink(`https://a/01/${GTIN}/10/`)).code, 'RX_DL_EMPTY_VALUE');
});

test('value validation: problems point into the URI', () => {
  const bad = 'https://id.gs1.org/01/09506000134377/10/L1';
  const e = errorOf(parseDigitalLink(bad));
  assert.equal(e.code, 'GS1_LINTER_INCORRECT_CHECK_DIGIT');
  assert.equal(e.ai, '01');
  assert.equal(e.position, bad.indexOf('77/') + 1);
  // Structure only.
  assert.ok(value(parseDigitalLink(bad, { validate: false })));
  // Associations: a lot without a GTIN-like key is refused unless associations are off.
  const sscc = `https://a/00/${SSCC}?10=L1`;
  assert.equal(errorOf(parseDigitalLink(sscc)).code, 'RX_REQUISITE_AI_MISSING');
  assert.ok(value(parseDigitalLink(sscc, { associations: false })));
});

test('scheme, host and URI characters', () => {
  for (const uri of [
    `HTTPS://a/01/${GTIN}`,
    `http://192.0.2.1:8080/01/${GTIN}`,
    `https://[2001:db8::1]/01/${GTIN}`,
    `https://xn--fsq.xn--0zwm56d/01/${GTIN}`,
  ]) {
    assert.ok(isDigitalLinkUri(uri), uri);
  }
  assert.equal(errorOf(parseDigitalLink(`Https://a/01/${GTIN}`)).code, 'RX_DL_BAD_SCHEME');
  assert.equal(errorOf(parseDigitalLink(`https://a b/01/${GTIN}`)).code, 'RX_DL_ILLEGAL_CHARACTER');
  assert.equal(errorOf(parseDigitalLink(`https://a_b/01/${GTIN}`)).code, 'RX_DL_BAD_DOMAIN');
  assert.equal(errorOf(parseDigitalLink('https://a')).code, 'RX_DL_NO_PATH');
  assert.equal(errorOf(parseDigitalLink(`https:///01/${GTIN}`)).code, 'RX_DL_NO_DOMAIN');
  assert.equal(errorOf(parseDigitalLink(`https://a/01/${GTIN}/`)).code, 'RX_DL_NO_PRIMARY_KEY');
  assert.equal(errorOf(parseDigitalLink(`https://a/01/1231231231233%003`)).code, 'RX_DL_NULL_CHARACTER');
});

test('lenient reading: zero-suppressed GTINs, convenience alphas, unknown AIs', () => {
  const short = 'https://a/gtin/9506000134376/lot/L1?17=261231';
  assert.equal(errorOf(parseDigitalLink(short)).code, 'RX_DL_NO_PRIMARY_KEY');
  const dl = value(
    parseDigitalLink(short, { permitConvenienceAlphas: true, permitZeroSuppressedGTINinDLuris: true }),
  );
  assert.deepEqual(dl.elements[0], { ai: '01', value: GTIN });
  assert.deepEqual(dl.expandedGtins, [{ index: 0, written: '9506000134376' }]);
  const unknown = `https://a/01/${GTIN}?89=X`;
  assert.equal(errorOf(parseDigitalLink(unknown, { permitUnknownAIs: true })).code, 'RX_DL_NOT_ATTRIBUTE');
  assert.deepEqual(
    value(parseDigitalLink(unknown, { permitUnknownAIs: true, permitUnknownAiAttributes: true })).elements[1],
    { ai: '89', value: 'X' },
  );
});

test('formatting: first key wins, other keys and AIs go to the query, fixed-length first', () => {
  const layout = value(
    arrangeForDigitalLink([
      { ai: '99', value: 'X' },
      { ai: '414', value: GLN },
      { ai: '01', value: GTIN },
      { ai: '17', value: '261231' },
    ]),
  );
  assert.deepEqual(
    layout.path.map((e) => e.ai),
    ['414'],
  );
  assert.deepEqual(
    layout.query.map((e) => e.ai),
    ['01', '17', '99'],
  );
  assert.equal(
    errorOf(formatDigitalLink([{ ai: '10', value: 'L' }], { validate: false })).code,
    'RX_DL_NO_PRIMARY_KEY',
  );
  assert.equal(
    errorOf(
      formatDigitalLink([
        { ai: '01', value: GTIN },
        { ai: '8200', value: 'http://x.example' },
      ]),
    ).code,
    'RX_DL_NOT_ATTRIBUTE',
  );
  const dup = formatDigitalLink(
    [
      { ai: '01', value: GTIN },
      { ai: '10', value: 'A' },
      { ai: '10', value: 'B' },
    ],
    { validate: false },
  );
  assert.equal(errorOf(dup).code, 'RX_DL_CONFLICTING_VALUES');
  assert.equal(
    value(formatDigitalLink([{ ai: '01', value: GTIN }], { stem: 'http://example.com/' })),
    `http://example.com/01/${GTIN}`,
  );
});

test('a CPID (8010) may hold "#", which set 39 has and set 82 lacks', () => {
  const r = parseDigitalLink('https://id.gs1.org/8010/0614141%2312-3/8011/12');
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.value.elements[0]!.value, '0614141#12-3');
  assert.equal(parseDigitalLink('https://id.gs1.org/01/09506000134376/21/A%23B').ok, false);
});
