import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markup } from '../errors.ts';
import { escapeGs3a3, unescapeComponent } from './escape.ts';
import { buildEpcUri, imoCheckDigit, iso6346CheckDigit, parseEpcPattern, parseEpcUri } from './uri.ts';

/** The first problem of a failed parse, with the offending part marked `|…|`. */
function failure(uri: string): { code: string; marked: string } {
  const r = parseEpcUri(uri);
  assert.equal(r.ok, false, `${uri} should be rejected`);
  if (r.ok) throw new Error('unreachable');
  const p = r.errors[0]!;
  return { code: p.code, marked: markup(uri, p) };
}

test('SGTIN with an alphanumeric pharma serial: fields are decoded, the URI stays canonical', () => {
  const r = parseEpcUri('urn:epc:id:sgtin:0361414.012345.4B7%2F21-xZ');
  assert.ok(r.ok);
  assert.deepEqual(r.value.fields, ['0361414', '012345', '4B7/21-xZ']);
  assert.deepEqual(r.value.fieldNames, ['companyPrefix', 'itemReference', 'serial']);
  assert.equal(r.value.companyPrefix, '0361414');
  assert.equal(r.value.uri, 'urn:epc:id:sgtin:0361414.012345.4B7%2F21-xZ');
  // Lower-case hex in an escape is read, and written back in upper case.
  const lower = parseEpcUri('urn:epc:id:sgtin:0361414.012345.4B7%2f21');
  assert.ok(lower.ok);
  assert.equal(lower.value.uri, 'urn:epc:id:sgtin:0361414.012345.4B7%2F21');
});

test('dots inside a serial belong to the serial', () => {
  const r = parseEpcUri('urn:epc:id:sgtin:5019265.123588..%25:.13%26');
  assert.ok(r.ok);
  assert.equal(r.value.fields[2], '.%:.13&');
});

test('LGTIN class URIs and SSCC, SGLN (with and without extension), PGLN', () => {
  const lgtin = parseEpcUri('urn:epc:class:lgtin:0361414.012345.LOT-2026A');
  assert.ok(lgtin.ok);
  assert.equal(lgtin.value.type, 'class');
  assert.equal(lgtin.value.scheme, 'lgtin');
  for (const uri of [
    'urn:epc:id:sscc:0361414.1000000017',
    'urn:epc:id:sgln:0361414.00001.0',
    'urn:epc:id:sgln:0361414.00001.DOCK-3',
    'urn:epc:id:sgln:036141400001..0',
    'urn:epc:id:pgln:0361414.00001',
  ]) {
    const r = parseEpcUri(uri);
    assert.ok(r.ok, uri);
    assert.equal(r.value.uri, uri);
  }
});

test('escaping: the seven reserved characters of set 82 and nothing else', () => {
  assert.equal(escapeGs3a3(`"%&/<>?`), '%22%25%26%2F%3C%3E%3F');
  assert.equal(escapeGs3a3(`A!'()*+,-.:;=_z9`), `A!'()*+,-.:;=_z9`);
  assert.deepEqual(unescapeComponent('%22%25%26%2F%3C%3E%3F', 'gs3a3'), { ok: true, value: `"%&/<>?` });
  // # is not in set 82, so %23 is no GS3A3 escape (it is one in CPI and ADI parts).
  assert.equal(unescapeComponent('A%23', 'gs3a3').ok, false);
  assert.deepEqual(unescapeComponent('A%23', 'cpref'), { ok: true, value: 'A#' });
});

test('errors name the problem and point at it', () => {
  assert.deepEqual(failure('urn:epc:id:sgtin:0361414.012345.AB/12'), {
    code: 'RX_EPC_BAD_CHARACTER',
    marked: 'urn:epc:id:sgtin:0361414.012345.AB|/|12',
  });
  assert.deepEqual(failure('urn:epc:id:sgtin:0361414.012345.%23'), {
    code: 'RX_EPC_BAD_ESCAPE',
    marked: 'urn:epc:id:sgtin:0361414.012345.|%23|',
  });
  assert.deepEqual(failure('urn:epc:id:sgtin:0361414.01234.1'), {
    code: 'RX_EPC_KEY_LENGTH',
    marked: 'urn:epc:id:sgtin:|0361414.01234|.1',
  });
  assert.deepEqual(failure('urn:epc:id:sgtin:03614.0123456.1'), {
    code: 'RX_EPC_GCP_LENGTH',
    marked: 'urn:epc:id:sgtin:|03614|.0123456.1',
  });
  assert.deepEqual(failure('urn:epc:id:sgtin:0361414.012345.123456789012345678901'), {
    code: 'RX_EPC_FIELD_LENGTH',
    marked: 'urn:epc:id:sgtin:0361414.012345.|123456789012345678901|',
  });
  assert.equal(failure('urn:epc:id:sgtin:0361414.012345').code, 'RX_EPC_FIELD_COUNT');
  assert.equal(failure('urn:epc:id:sscc:0361414.1000000017.1').code, 'RX_EPC_FIELD_COUNT');
  assert.equal(failure('urn:epc:id:sgtn:0361414.012345.1').code, 'RX_EPC_UNKNOWN_SCHEME');
  assert.equal(failure('urn:epc:class:sgtin:0361414.012345.1').code, 'RX_EPC_WRONG_URI_TYPE');
  assert.equal(failure('urn:epc:id:lgtin:0361414.012345.1').code, 'RX_EPC_WRONG_URI_TYPE');
  assert.equal(failure('urn:epc:idpat:sgtin:0361414.012345.*').code, 'RX_EPC_WRONG_URI_TYPE');
  assert.equal(failure('https://id.gs1.org/01/00361414123459/21/1').code, 'RX_EPC_NOT_EPC_URI');
  assert.equal(failure('urn:epc:id:gid:95100000.012345.400').code, 'RX_EPC_LEADING_ZERO');
  assert.equal(failure('urn:epc:id:cpi:0614141.123456.01').code, 'RX_EPC_LEADING_ZERO');
  assert.equal(failure('urn:epc:id:usdod:2SI94.1').code, 'RX_EPC_BAD_CAGE');
});

test('ITIP, UPUI, CPI, ADI and GIAI field rules', () => {
  assert.ok(parseEpcUri('urn:epc:id:itip:4012345.012345.01.02.987').ok);
  assert.equal(failure('urn:epc:id:itip:4012345.012345.1.02.987').code, 'RX_EPC_FIELD_LENGTH');
  assert.ok(parseEpcUri("urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB").ok);
  const cpi = parseEpcUri('urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345');
  assert.ok(cpi.ok);
  assert.equal(cpi.value.fields[1], '5PQ7/Z43');
  const adi = parseEpcUri('urn:epc:id:adi:W81X9C.3KL984PX1.%232WM%2FA52');
  assert.ok(adi.ok);
  assert.deepEqual(adi.value.fields, ['W81X9C', '3KL984PX1', '#2WM/A52']);
  assert.equal(failure('urn:epc:id:adi:W81X9C.3KL984PX1.2WM%23A52').code, 'RX_EPC_BAD_ESCAPE');
  assert.equal(failure('urn:epc:id:giai:012345.0123456789012345678901234').code, 'RX_EPC_KEY_LENGTH');
});

test('BIC and IMO numbers are checked for syntax; their check digits are computed but not enforced (as the vectors expect)', () => {
  assert.equal(iso6346CheckDigit('CSQU305438'), '3');
  assert.ok(parseEpcUri('urn:epc:id:bic:CSQU3054383').ok);
  assert.ok(parseEpcUri('urn:epc:id:bic:CSQU3054384').ok);
  assert.equal(failure('urn:epc:id:bic:CSQA3054383').code, 'RX_EPC_BAD_BIC');
  assert.ok(parseEpcUri('urn:epc:id:imovn:9176187').ok);
  assert.equal(imoCheckDigit('917618'), '7');
  assert.equal(failure('urn:epc:id:imovn:917618').code, 'RX_EPC_BAD_IMO');
});

test('buildEpcUri escapes decoded values and validates like the parser', () => {
  const r = buildEpcUri('sgtin', ['0361414', '012345', 'A/B&C']);
  assert.ok(r.ok);
  assert.equal(r.value.uri, 'urn:epc:id:sgtin:0361414.012345.A%2FB%26C');
  const bad = buildEpcUri('sgtin', ['0361414', '012345', 'A#B']);
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.errors[0]!.code, 'RX_EPC_BAD_CHARACTER');
    assert.equal(bad.errors[0]!.position, undefined, 'no position in a URI the caller did not write');
  }
});

test('patterns: wildcards are trailing, concrete fields are checked', () => {
  const p = parseEpcPattern('urn:epc:idpat:sgtin:0361414.012345.*');
  assert.ok(p.ok);
  assert.deepEqual(p.value.fields, ['0361414', '012345', null]);
  assert.ok(parseEpcPattern('urn:epc:idpat:sgtin:*.*.*').ok);
  const bad = parseEpcPattern('urn:epc:idpat:sgtin:0361414.*.5');
  assert.equal(bad.ok, false);
  if (!bad.ok)
    assert.equal(
      markup('urn:epc:idpat:sgtin:0361414.*.5', bad.errors[0]!),
      'urn:epc:idpat:sgtin:0361414.*.|5|',
    );
  assert.equal(parseEpcPattern('urn:epc:idpat:sgtin:0361414.01234.*').ok, false);
  assert.equal(parseEpcPattern('urn:epc:idpat:bic:*').ok, false);
});
