import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { epcToElements, parseGcpLengthTable, percentEncode } from '@rxtrace/gs1';
import { normaliseIdentifier, toCanonicalDigitalLink, toEpcUrn } from './identifiers.ts';

const CSV = new URL('../../../../shared/conformance/event-hash-vectors/dl-normalisation.csv', import.meta.url)
  .pathname;
const haveCsv = existsSync(CSV);

test('every row of dl-normalisation.csv (empty expected = unchanged)', {
  skip: !haveCsv && 'conformance data ../shared/conformance not present: skipping dl-normalisation.csv',
}, () => {
  const rows = readFileSync(CSV, 'utf8').split('\n').slice(1).filter(Boolean);
  assert.equal(rows.length, 47);
  for (const row of rows) {
    const [, input = '', expected = ''] = row.split(',');
    assert.equal(normaliseIdentifier(input), expected || input, input);
    assert.equal(toCanonicalDigitalLink(input), expected || undefined, input);
    // The normalised form is a fixed point.
    assert.equal(normaliseIdentifier(normaliseIdentifier(input)), normaliseIdentifier(input), input);
  }
});

test('EPC URIs, class and pattern URIs → constrained canonical Digital Link', () => {
  const cases: [string, string][] = [
    ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['urn:epc:id:sgln:0614141.07346.0', 'https://id.gs1.org/414/0614141073467'],
    ['urn:epc:id:sgln:0614141.07346.1234', 'https://id.gs1.org/414/0614141073467/254/1234'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:idpat:sgtin:4012345.012345.*', 'https://id.gs1.org/01/04012345123456'],
    ['urn:epc:idpat:sgcn:4012345.99999.*', 'https://id.gs1.org/255/4012345999990'],
    ['urn:epc:idpat:upui:4012345.012345.*', 'https://id.gs1.org/01/04012345123456'],
    // Escapes of any case are decoded and written as a canonical DL writes them.
    ['urn:epc:id:sgtin:0614141.107346.A%2fB', 'https://id.gs1.org/01/10614141073464/21/A%2FB'],
    ["urn:epc:id:sgtin:0614141.107346.a'b;c=d", 'https://id.gs1.org/01/10614141073464/21/a%27b%3Bc%3Dd'],
  ];
  for (const [urn, dl] of cases) assert.equal(normaliseIdentifier(urn), dl, urn);
});

/** EPC URI → constrained DL by the general EPC reading of @rxtrace/gs1 (the path every EPC took before the fast path). */
function viaEpcModel(uri: string): string | undefined {
  const r = epcToElements(uri);
  if (!r.ok) return undefined;
  const [key, second] = r.value;
  const stem = `https://id.gs1.org/${key!.ai}/${percentEncode(key!.value, 'path')}`;
  if (!second || (key!.ai === '414' && second.value === '0')) return stem;
  return `${stem}/${second.ai}/${percentEncode(second.value, 'path')}`;
}

test('plain SGTIN / SSCC / SGLN / PGLN URIs (fast path) give what the general EPC reading gives', () => {
  // A seeded walk over near-valid URIs: lengths around the rules, characters around the plain set.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(rnd(10))).join('');
  const TAIL = ['A', 'z', '0', '9', '-', '.', '_', '~', '%2F', '%2f', '%', "'", '!', '/', ' ', 'é', '*'];
  const tail = (): string =>
    Array.from({ length: rnd(24) }, () => TAIL[rnd(rnd(4) === 0 ? TAIL.length : 7)]!).join('');
  const schemes = ['sgtin', 'sscc', 'sgln', 'pgln', 'sgtin', 'lgtin', 'grai', 'Sgtin'];
  let fast = 0;
  let checked = 0;
  for (let i = 0; i < 40000; i++) {
    const scheme = schemes[rnd(schemes.length)]!;
    const gcp = digits(4 + rnd(10));
    const total = scheme === 'sscc' ? 17 : scheme === 'sgtin' || scheme === 'lgtin' ? 13 : 12;
    const refLen = rnd(8) === 0 ? rnd(14) : Math.max(0, total - gcp.length);
    let uri = `urn:epc:${scheme === 'lgtin' ? 'class' : 'id'}:${scheme}:${gcp}.${digits(refLen)}`;
    if (scheme !== 'sscc' && scheme !== 'pgln' ? rnd(10) !== 0 : rnd(10) === 0) uri += `.${tail()}`;
    if (rnd(20) === 0) uri = uri.replace('.', rnd(2) ? '..' : 'x');
    const want = viaEpcModel(uri);
    assert.equal(toCanonicalDigitalLink(uri), want, uri);
    checked++;
    if (want !== undefined) fast++;
  }
  assert.ok(fast > 10000 && checked - fast > 5000, `${fast} valid, ${checked - fast} invalid`);
  // Places and parties again and again (the memo of the last two), valid and not, in any order.
  const places = [
    'urn:epc:id:sgln:4012345.00001.0',
    'urn:epc:id:sgln:4012345.00001.12',
    'urn:epc:id:pgln:4012345.00000',
    'urn:epc:id:sgln:4012345.0001.0', // 11 digits
    'urn:epc:id:pgln:0614141.00000',
    'urn:epc:id:sgln:0614141.00001.%2F',
  ];
  for (let i = 0; i < 2000; i++) {
    const uri = places[rnd(places.length)]!;
    assert.equal(toCanonicalDigitalLink(uri), viaEpcModel(uri), uri);
  }
  // Runs of one product (the memo of the last GTIN), with serials good and bad, other EPCs between.
  const heads = [
    'urn:epc:id:sgtin:4012345.012345.',
    'urn:epc:id:sgtin:401234567890.1.',
    'urn:epc:id:sgtin:4012345.01234.',
  ];
  for (let i = 0; i < 5000; i++) {
    const uri =
      rnd(10) === 0 ? `urn:epc:id:sscc:4012345.${digits(10)}` : `${heads[rnd(i % 7 === 0 ? 3 : 1)]}${tail()}`;
    assert.equal(toCanonicalDigitalLink(uri), viaEpcModel(uri), uri);
  }
  for (const uri of [
    'urn:epc:id:sgln:401234567890..0',
    'urn:epc:id:sgln:401234567890..00',
    'urn:epc:id:sgln:4012345.00001.0',
    'urn:epc:id:pgln:401234567890.',
    'urn:epc:id:sgtin:4012345.012345.12345678901234567890',
    'urn:epc:id:sgtin:4012345.012345.123456789012345678901',
    'urn:epc:id:sgtin:4012345.012345.',
    'urn:epc:id:sgtin:4012345.012345.A.B',
    'urn:epc:id:sscc:4012345.0000000001',
    'urn:epc:id:sscc:4012345.0000000001.',
  ])
    assert.equal(toCanonicalDigitalLink(uri), viaEpcModel(uri), uri);
});

test('plain canonical Digital Links (fast path) are their own form, as the general reading says', () => {
  // The general path reads a DL on another domain; on id.gs1.org, a plain canonical DL is returned as is.
  let seed = 777;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(rnd(10))).join('');
  const TAIL = ['A', 'z', '0', '9', '-', '.', '_', '~', '%2F', '%41', '%', "'", '!', '/', ' ', 'é', '?', '#'];
  const tail = (): string =>
    Array.from({ length: rnd(24) }, () => TAIL[rnd(rnd(4) === 0 ? TAIL.length : 7)]!).join('');
  const SHAPES: [string, number, string][] = [
    ['01', 14, '21'],
    ['01', 14, '10'],
    ['00', 18, ''],
    ['414', 13, '254'],
    ['417', 13, ''],
    ['01', 14, '21'],
    ['8018', 18, ''],
  ];
  let same = 0;
  for (let i = 0; i < 40000; i++) {
    const [ai, len, q] = SHAPES[rnd(SHAPES.length)]!;
    let path = `${ai}/${digits(rnd(6) === 0 ? rnd(20) : len)}`;
    if (q && rnd(4) !== 0) path += `/${q}/${tail()}`;
    else if (rnd(10) === 0) path += `/${tail()}`;
    const want = toCanonicalDigitalLink(`https://example.org/${path}`);
    const got = toCanonicalDigitalLink(`https://id.gs1.org/${path}`);
    assert.equal(got, want, path);
    if (got === `https://id.gs1.org/${path}`) same++;
  }
  assert.ok(same > 10000, `${same} already canonical`);
});

test('Digital Links on any domain → id.gs1.org, finest level, no query, no fragment', () => {
  const cases: [string, string][] = [
    [
      'https://example.com/dl/01/10614141073464/10/LOT1/21/2017?17=261231#x',
      'https://id.gs1.org/01/10614141073464/21/2017',
    ],
    ['https://example.com/01/10614141073464/10/LOT%2F1', 'https://id.gs1.org/01/10614141073464/10/LOT%2F1'],
    ['https://example.com/01/10614141073464/21/A%2a', 'https://id.gs1.org/01/10614141073464/21/A%2A'],
    ['https://id.gs1.org/414/0614141073467/254/0', 'https://id.gs1.org/414/0614141073467/254/0'],
    ['HTTPS://EXAMPLE.COM/00/106141410734640000', 'https://id.gs1.org/00/106141410734640000'],
    ['https://example.com/01/614141073467', 'https://id.gs1.org/01/00614141073467'],
    ['https://example.com/01/10614141073464/21/2017/', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['https://example.com/8018/385888700111111111/8019/123', 'https://id.gs1.org/8018/385888700111111111'],
  ];
  for (const [dl, want] of cases) assert.equal(normaliseIdentifier(dl), want, dl);
});

test('values that are not GS1 identifiers stay as they are', () => {
  for (const v of [
    'geo:47.506694,11.104301',
    'urn:epcglobal:cbv:bt:4012345000009:ASN1099',
    'urn:uuid:d0e5b1a0-7d0c-4d9c-9b1f-6f8b1d6c3a11',
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epc:id:sgtin:0614141.10734.2017', // 12 digits, not 13
    'https://example.com/products/123',
    'https://id.gs1.org/00/12345', // canonical shape, wrong length
    'https://id.gs1.org/01/1061414107346A',
    'https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K', // a key outside the constrained set
    'http://transaction.acme.com/po/12345678',
    '',
    '42',
  ]) {
    assert.equal(normaliseIdentifier(v), v, v);
    assert.equal(toCanonicalDigitalLink(v), undefined, v);
  }
});

test('toEpcUrn: Digital Link → EPC URN with the company prefix length, URNs canonical', () => {
  const L7 = { companyPrefixLength: 7 };
  assert.deepEqual(toEpcUrn('https://example.com/01/10614141073464/21/2017', L7), {
    ok: true,
    value: 'urn:epc:id:sgtin:0614141.107346.2017',
  });
  assert.deepEqual(toEpcUrn('https://id.gs1.org/01/10614141073464/10/L%2F1', L7), {
    ok: true,
    value: 'urn:epc:class:lgtin:0614141.107346.L%2F1',
  });
  assert.deepEqual(toEpcUrn('https://id.gs1.org/01/10614141073464', L7), {
    ok: true,
    value: 'urn:epc:idpat:sgtin:0614141.107346.*',
  });
  assert.deepEqual(toEpcUrn('https://id.gs1.org/414/0614141073467', L7), {
    ok: true,
    value: 'urn:epc:id:sgln:0614141.07346.0',
  });
  assert.deepEqual(toEpcUrn('https://id.gs1.org/00/106141410734640000', L7), {
    ok: true,
    value: 'urn:epc:id:sscc:0614141.1073464000',
  });
  assert.deepEqual(toEpcUrn('https://id.gs1.org/255/4012345999990', L7), {
    ok: true,
    value: 'urn:epc:idpat:sgcn:4012345.99999.*',
  });
  assert.deepEqual(toEpcUrn('urn:epc:id:sgtin:0614141.107346.a%2fb'), {
    ok: true,
    value: 'urn:epc:id:sgtin:0614141.107346.a%2Fb',
  });
  // Round trip URN → DL → URN.
  for (const urn of [
    'urn:epc:id:sgtin:4012345.011111.98%22',
    'urn:epc:id:sscc:4012345.3111111111',
    'urn:epc:id:sgln:4012345.00005.122',
    'urn:epc:id:grai:4012345.00022.334455',
    'urn:epc:id:giai:4012345.ABC345',
    'urn:epc:id:gdti:4012345.00009.PO-4711',
    'urn:epc:id:itip:4012345.011111.01.02.987',
    'urn:epc:id:pgln:4012345.00000',
    'urn:epc:idpat:grai:4012345.99999.*',
    'urn:epc:idpat:itip:4012345.012345.01.02.*',
  ]) {
    const back = toEpcUrn(normaliseIdentifier(urn), { companyPrefixLength: 7 });
    assert.deepEqual(back, { ok: true, value: urn }, urn);
  }
});

test('toEpcUrn: the GCP length is required for a Digital Link, and can be looked up', () => {
  const r = toEpcUrn('https://id.gs1.org/01/10614141073464/21/2017');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.errors[0]!.code, 'RX_EPCIS_GCP_LENGTH_REQUIRED');
  assert.match(!r.ok ? r.errors[0]!.message : '', /GS1 Company Prefix/);

  const fn = (digits: string) => (digits.startsWith('0614141') ? 7 : undefined);
  assert.deepEqual(toEpcUrn('https://id.gs1.org/01/10614141073464/21/2017', { gcpLookup: fn }), {
    ok: true,
    value: 'urn:epc:id:sgtin:0614141.107346.2017',
  });
  const unknown = toEpcUrn('https://id.gs1.org/01/19506000134352/21/1', { gcpLookup: fn });
  assert.equal(!unknown.ok && unknown.errors[0]!.code, 'RX_EPCIS_GCP_LENGTH_UNKNOWN');

  const table = parseGcpLengthTable(
    '<GCPPrefixFormatList date="2024-01-01"><entry prefix="0614141" gcpLength="7"/><entry prefix="40" gcpLength="9"/></GCPPrefixFormatList>',
  );
  assert.ok(table.ok);
  if (table.ok) {
    assert.deepEqual(toEpcUrn('https://id.gs1.org/414/0614141073467/254/12', { gcpLookup: table.value }), {
      ok: true,
      value: 'urn:epc:id:sgln:0614141.07346.12',
    });
    assert.deepEqual(toEpcUrn('https://id.gs1.org/00/040123450000000115', { gcpLookup: table.value }), {
      ok: true,
      value: 'urn:epc:id:sscc:401234500.00000011',
    });
  }

  const notGs1 = toEpcUrn('geo:47.5,11.1', { companyPrefixLength: 7 });
  assert.equal(!notGs1.ok && notGs1.errors[0]!.code, 'RX_EPCIS_NOT_GS1_IDENTIFIER');
});
