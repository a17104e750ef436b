import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  firstDuplicate,
  isDateTime,
  isHexBinary,
  isReservedCbvUri,
  isReservedGs1VocUri,
  isTimeZoneOffset,
  isUom,
  isUri,
  isVersion,
  jsonEqual,
  parseDateTime,
  timeZoneOffsetMinutes,
} from './formats.ts';

test('isUri: EPCIS identifiers and URIs of every shape', () => {
  for (const s of [
    'urn:epc:id:sgtin:0614141.107346.2017',
    'urn:epc:class:lgtin:4012345.012345.998877',
    'urn:epc:idpat:sgtin:4012345.098765.*',
    'https://id.gs1.org/01/09521141012345/21/2017',
    'https://example.com/01/09521141012345/10/ABC%2F1?17=261231#x',
    'urn:uuid:8b7f2a1c-0000-4000-8000-000000000000',
    'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0',
    'geo:47.506,8.535',
    'example:myField',
    'cbvmda:lotNumber',
    'http://user:pw@[::1]:8080/p',
    'http://[2001:db8::7]/c=GB?objectClass?one',
    'http://[::ffff:192.168.0.1]',
    'http://[v1.fe]/',
    'a:/[::1]',
    'mailto:someone@example.com',
    'A+b-c.d:x',
    'x:?q',
  ]) {
    if (s === 'x:?q') assert.equal(isUri(s), false, 'an empty hierarchical part is not allowed');
    else assert.equal(isUri(s), true, s);
  }
  for (const s of [
    '',
    'shipping',
    'materialType',
    '1abc:x',
    'a b:c',
    'urn:',
    'http://exa mple.com/',
    'https://id.gs1.org/01/0952114101234 5',
    'http://example.com/%zz',
    'http://example.com/%4',
    'http://[::1',
    'http://[1::2::3]/',
    'http://[12345::]/',
    'x:/a[b]',
    'x:a#b#c',
    'https://id.gs1.org/01/é',
    'http://example.com/<tag>',
  ]) {
    assert.equal(isUri(s), false, s);
  }
});

test('isDateTime / parseDateTime: RFC 3339 with a required offset', () => {
  assert.equal(parseDateTime('2005-04-03T20:33:31.116-06:00'), Date.UTC(2005, 3, 4, 2, 33, 31, 116));
  assert.equal(parseDateTime('2019-10-07T12:00:00Z'), Date.UTC(2019, 9, 7, 12));
  assert.equal(parseDateTime('2019-10-07t12:00:00z'), Date.UTC(2019, 9, 7, 12));
  assert.equal(parseDateTime('2019-10-07 12:00:00+0530'), Date.UTC(2019, 9, 7, 6, 30));
  assert.equal(parseDateTime('2019-10-07T12:00:00+05'), Date.UTC(2019, 9, 7, 7));
  assert.equal(parseDateTime('2019-10-07T12:00:00.123456789Z'), Date.UTC(2019, 9, 7, 12, 0, 0, 123));
  assert.ok(isDateTime('2020-02-29T00:00:00Z'), 'leap day');
  assert.ok(isDateTime('2016-12-31T23:59:60Z'), 'leap second at 23:59 UTC');
  assert.ok(isDateTime('2016-12-31T15:59:60-08:00'), 'leap second at 23:59 UTC, local time');
  for (const s of [
    '2005-04-03T20:33:31',
    '2005-04-03',
    '22-07-2026',
    '2021-02-29T00:00:00Z',
    '2021-04-31T00:00:00Z',
    '2021-13-01T00:00:00Z',
    '2021-01-01T24:00:00Z',
    '2021-01-01T12:60:00Z',
    '2021-01-01T12:00:60Z',
    '2021-01-01T12:00:00+24:00',
    '2021-01-01T12:00:00+05:',
    '2021-01-01T12:00:00.Z',
    '2021-01-01TT12:00:00Z',
    '2021-01-01T12:00:00 Z',
  ]) {
    assert.equal(isDateTime(s), false, s);
    assert.ok(Number.isNaN(parseDateTime(s)), s);
  }
});

test('schema patterns', () => {
  assert.ok(
    isTimeZoneOffset('+02:00') &&
      isTimeZoneOffset('-14:00') &&
      isTimeZoneOffset('+14:00') &&
      isTimeZoneOffset('-00:00'),
  );
  assert.ok(
    !isTimeZoneOffset('+14:01') &&
      !isTimeZoneOffset('02:00') &&
      !isTimeZoneOffset('+2:00') &&
      !isTimeZoneOffset('+02:60'),
  );
  assert.equal(timeZoneOffsetMinutes('-05:30'), -330);
  assert.ok(isVersion('2.0') && isVersion('2') && isVersion('2.0.1'));
  assert.ok(!isVersion('2.') && !isVersion('.2') && !isVersion('v2') && !isVersion(''));
  assert.ok(isUom('KGM') && isUom('C62') && !isUom('kg') && !isUom('K') && !isUom('KGMS'));
  assert.ok(isHexBinary('00fF') && !isHexBinary('') && !isHexBinary('0x1'));
  assert.ok(
    isReservedCbvUri('urn:epcglobal:cbv:bizstep:shipping') && isReservedCbvUri('https://ns.gs1.org/cbv/x'),
  );
  assert.ok(
    !isReservedCbvUri('https://ref.gs1.org/cbv/BizStep-shipping') && !isReservedCbvUri('URN:epcglobal:cbv:x'),
  );
  assert.ok(
    isReservedGs1VocUri('https://gs1.org/voc/Temperature') && isReservedGs1VocUri('http://www.gs1.org/voc/x'),
  );
  assert.ok(
    !isReservedGs1VocUri('https://ref.gs1.org/voc/Temperature') &&
      !isReservedGs1VocUri('https://example.com/voc/'),
  );
});

test('uniqueItems equality', () => {
  assert.ok(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }));
  assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!jsonEqual([1], { 0: 1 }));
  assert.ok(!jsonEqual('1', 1));
  assert.deepEqual(firstDuplicate(['a', 'b', 'a']), [0, 2]);
  assert.equal(firstDuplicate(['a', 'b']), undefined);
  const many = Array.from({ length: 50 }, (_, i) => `urn:x:${i}`);
  assert.equal(firstDuplicate(many), undefined);
  assert.deepEqual(firstDuplicate([...many, { k: 1 }, { k: 1 }]), [50, 51]);
  assert.deepEqual(firstDuplicate([...many, 'urn:x:7']), [7, 50]);
  // Against the plain definition: strings of one length and one ending (every slot collides),
  // mixed types, repeats at every distance, lists of every size around the table's growth.
  const reference = (arr: readonly unknown[]): [number, number] | undefined => {
    for (let j = 1; j < arr.length; j++)
      for (let i = 0; i < j; i++) if (jsonEqual(arr[i], arr[j])) return [i, j];
    return undefined;
  };
  let seed = 99;
  const rnd = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  for (let round = 0; round < 400; round++) {
    const n = 9 + rnd(round % 10 === 0 ? 300 : 40);
    const kind = rnd(4);
    const arr: unknown[] = Array.from({ length: n }, (_, i) =>
      kind === 0
        ? `urn:epc:id:sgtin:4012345.0${String(i).padStart(5, '0')}.SAME1234` // same ending
        : kind === 1
          ? `${'x'.repeat(rnd(3))}${rnd(2 * n)}` // short, many repeats
          : kind === 2
            ? `urn:epc:id:sscc:4012345.${String(rnd(n * 4)).padStart(10, '0')}`
            : rnd(5) === 0
              ? rnd(3)
              : `s${rnd(n)}`,
    );
    if (rnd(3) === 0) arr.push(arr[rnd(n)]);
    assert.deepEqual(firstDuplicate(arr), reference(arr), JSON.stringify(arr).slice(0, 200));
  }
  const nest = (n: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v };
    return v;
  };
  assert.ok(jsonEqual(nest(200_000), nest(200_000)), 'deep nesting does not overflow the stack');
  assert.ok(!jsonEqual(nest(200_000), nest(200_001)));
});
