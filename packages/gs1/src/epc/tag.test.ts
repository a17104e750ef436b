import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '../errors.ts';
import {
  decodeEpcBinary,
  decodeEpcTag,
  type EpcTag,
  encodeEpcTag,
  parseTagUri,
  tagSchemesFor,
} from './tag.ts';

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(r.errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  return r.value;
}

function code(r: Result<unknown>): string {
  assert.equal(r.ok, false, 'expected an error');
  return r.ok ? '' : r.errors[0]!.code;
}

/** Every way back from a tag must give the same tag. */
function roundTrips(t: EpcTag): void {
  assert.equal(value(decodeEpcTag(t.hex)).tagUri, t.tagUri);
  assert.equal(value(decodeEpcBinary(t.binary)).tagUri, t.tagUri);
  assert.equal(value(parseTagUri(t.tagUri)).hex, t.hex);
}

test('SGTIN-96: the TDS worked example', () => {
  const t = value(encodeEpcTag('urn:epc:id:sgtin:0614141.812345.6789', { filter: 3 }));
  assert.equal(t.scheme, 'sgtin-96');
  assert.equal(t.tagUri, 'urn:epc:tag:sgtin-96:3.0614141.812345.6789');
  assert.equal(t.hex, '3074257BF7194E4000001A85');
  assert.equal(t.bitLength, 96);
  assert.equal(t.binary.length, 96);
  roundTrips(t);
  const back = value(decodeEpcTag('3074257bf7194e4000001a85'));
  assert.equal(back.epc.uri, 'urn:epc:id:sgtin:0614141.812345.6789');
  assert.equal(back.filter, 3);
});

test('pharma unit pack: an alphanumeric serial needs SGTIN-198, picked automatically', () => {
  const uri = 'urn:epc:id:sgtin:0361414.012345.x7Y%2F9-2';
  const t = value(encodeEpcTag(uri, { filter: 1 }));
  assert.equal(t.scheme, 'sgtin-198');
  assert.equal(t.tagUri, 'urn:epc:tag:sgtin-198:1.0361414.012345.x7Y%2F9-2');
  assert.equal(t.bitLength, 198);
  assert.equal(t.hex.length, 52, '198 bits padded to 13 words');
  roundTrips(t);
  assert.equal(code(encodeEpcTag(uri, { filter: 1, scheme: 'sgtin-96' })), 'RX_EPC_NOT_ENCODABLE');
  // A numeric serial with a leading zero is a string too: '0123' cannot be the integer 123.
  assert.equal(value(encodeEpcTag('urn:epc:id:sgtin:0361414.012345.0123')).scheme, 'sgtin-198');
});

test('SSCC-96 for a pallet, SGLN-96 and SGLN-195 for locations', () => {
  const sscc = value(encodeEpcTag('urn:epc:id:sscc:0361414.0000000001', { filter: 6 }));
  assert.equal(sscc.tagUri, 'urn:epc:tag:sscc-96:6.0361414.0000000001');
  assert.match(sscc.hex, /000000$/, '24 reserved bits');
  roundTrips(sscc);
  const gln = value(encodeEpcTag('urn:epc:id:sgln:0361414.00001.0'));
  assert.equal(gln.scheme, 'sgln-96');
  roundTrips(gln);
  const dock = value(encodeEpcTag('urn:epc:id:sgln:0361414.00001.DOCK%2F3'));
  assert.equal(dock.scheme, 'sgln-195');
  assert.equal(dock.tagUri, 'urn:epc:tag:sgln-195:0.0361414.00001.DOCK%2F3');
  roundTrips(dock);
});

test('every partition: GCP lengths 6 to 12 survive SGTIN-96', () => {
  for (let L = 6; L <= 12; L++) {
    const gcp = '0614141234567'.slice(0, L);
    const item = `1${'2345678'.slice(0, 12 - L)}`;
    const uri = `urn:epc:id:sgtin:${gcp}.${item}.274877906943`;
    const t = value(encodeEpcTag(uri, { scheme: 'sgtin-96' }));
    assert.equal(value(decodeEpcTag(t.hex)).epc.uri, uri, `GCP length ${L}`);
  }
});

test('GID-96 has no filter; USDOD and ADI have 4- and 6-bit filters', () => {
  const gid = value(encodeEpcTag('urn:epc:id:gid:95100000.12345.400'));
  assert.equal(gid.tagUri, 'urn:epc:tag:gid-96:95100000.12345.400');
  assert.equal(gid.filter, undefined);
  assert.equal(code(encodeEpcTag('urn:epc:id:gid:95100000.12345.400', { filter: 1 })), 'RX_EPC_FILTER');
  roundTrips(value(encodeEpcTag('urn:epc:id:usdod:2S194.12345', { filter: 15 })));
  // A 5-character CAGE code is padded with a space in ADI-var; the part number may be empty.
  roundTrips(value(encodeEpcTag('urn:epc:id:adi:2S194..%2312-AB%2F3', { filter: 63 })));
  assert.equal(code(encodeEpcTag('urn:epc:id:usdod:2S194.12345', { filter: 16 })), 'RX_EPC_FILTER');
});

test('tag encoding errors', () => {
  assert.equal(code(encodeEpcTag('urn:epc:id:sgtin:0614141.812345.6789', { filter: 8 })), 'RX_EPC_FILTER');
  assert.equal(
    code(encodeEpcTag('urn:epc:id:sgtin:0614141.812345.6789', { scheme: 'sscc-96' })),
    'RX_EPC_WRONG_TAG_SCHEME',
  );
  assert.equal(code(encodeEpcTag('urn:epc:class:lgtin:0614141.812345.LOT')), 'RX_EPC_NOT_TAG_ENCODABLE');
  assert.equal(code(encodeEpcTag('urn:epc:id:pgln:0614141.12345')), 'RX_EPC_NOT_TAG_ENCODABLE');
  assert.deepEqual(tagSchemesFor('sgtin'), ['sgtin-96', 'sgtin-198']);
  assert.equal(code(parseTagUri('urn:epc:tag:imovn-96:0.9176187')), 'RX_EPC_UNKNOWN_TAG_SCHEME');
  assert.equal(code(parseTagUri('urn:epc:tag:sgtin-96:8.0614141.812345.6789')), 'RX_EPC_FILTER');
  const shifted = parseTagUri('urn:epc:tag:sgtin-96:3.0614141.81234X.6789');
  assert.equal(code(shifted), 'RX_EPC_NOT_NUMERIC');
  if (!shifted.ok)
    assert.equal(
      shifted.errors[0]!.position,
      'urn:epc:tag:sgtin-96:3.0614141.81234'.length,
      'position in the tag URI as given',
    );
  assert.equal(code(decodeEpcTag('30G4')), 'RX_EPC_BAD_HEX');
  assert.equal(code(decodeEpcTag('3AFFFFFFFFFFFFFFFFFFFFFF')), 'RX_EPC_UNKNOWN_HEADER');
  assert.equal(code(decodeEpcTag('3074257BF719')), 'RX_EPC_TRUNCATED');
  assert.equal(code(decodeEpcTag('307E257BF7194E4000001A85')), 'RX_EPC_BAD_BINARY_FIELD', 'partition 7');
});

test('decoding ignores memory words after the encoding', () => {
  const t = value(decodeEpcTag('3074257BF7194E4000001A85FFFF0000'));
  assert.equal(t.tagUri, 'urn:epc:tag:sgtin-96:3.0614141.812345.6789');
  assert.equal(t.hex, '3074257BF7194E4000001A85');
});
