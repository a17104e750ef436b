import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  CBV_KINDS,
  cbvTerms,
  cbvUrnToWebUri,
  cbvWords,
  classifyCbvUri,
  isStandard,
  isStandardBareWord,
  lookupCbv,
  toBareWord,
  toUrn,
  toWebUri,
} from './cbv.ts';

const CSV_DIR = new URL('../../../../shared/conformance/epcis-schema/cbv-vocabularies/', import.meta.url)
  .pathname;
const haveCsv = existsSync(CSV_DIR);

test('the CBV tables equal the code lists in ../shared (bare word, Web URI, URN, same order)', {
  skip: !haveCsv && 'conformance data ../shared/conformance not present: skipping CBV code-list comparison',
}, () => {
  for (const kind of CBV_KINDS) {
    const lines = readFileSync(`${CSV_DIR}${kind}.csv`, 'utf8').trim().split(/\r?\n/);
    const header = lines.shift()!.split(',');
    assert.deepEqual(header.slice(0, 2), ['bare_value', 'web_uri'], kind);
    const rows = lines.map((l) => l.split(','));
    const expected = rows.map((r) => ({
      bareWord: r[0],
      webUri: r[1],
      ...(header[2] === 'urn' ? { urn: r[2] } : {}),
    }));
    const actual = cbvTerms(kind).map((t) => ({
      bareWord: t.bareWord,
      webUri: t.webUri,
      ...(t.urn ? { urn: t.urn } : {}),
    }));
    assert.deepEqual(actual, expected, kind);
  }
});

test('counts of the vocabularies', () => {
  const counts = Object.fromEntries(CBV_KINDS.map((k) => [k, cbvWords(k).length]));
  assert.deepEqual(counts, {
    bizStep: 41,
    disposition: 33,
    bizTransactionType: 13,
    sourceDestType: 3,
    errorReason: 2,
    sensorComponent: 14,
    measurementType: 72,
    sensorAlertType: 2,
  });
});

test('conversions between the three spellings', () => {
  for (const v of [
    'shipping',
    'https://ref.gs1.org/cbv/BizStep-shipping',
    'urn:epcglobal:cbv:bizstep:shipping',
  ]) {
    assert.equal(toBareWord('bizStep', v), 'shipping');
    assert.equal(toWebUri('bizStep', v), 'https://ref.gs1.org/cbv/BizStep-shipping');
    assert.equal(toUrn('bizStep', v), 'urn:epcglobal:cbv:bizstep:shipping');
    assert.ok(isStandard('bizStep', v));
  }
  assert.equal(toWebUri('disposition', 'in_transit'), 'https://ref.gs1.org/cbv/Disp-in_transit');
  assert.equal(
    toUrn('bizTransactionType', 'https://ref.gs1.org/cbv/BTT-desadv'),
    'urn:epcglobal:cbv:btt:desadv',
  );
  assert.equal(toBareWord('sourceDestType', 'urn:epcglobal:cbv:sdt:owning_party'), 'owning_party');
  assert.equal(toWebUri('errorReason', 'did_not_occur'), 'https://ref.gs1.org/cbv/ER-did_not_occur');
  assert.equal(toWebUri('sensorComponent', 'latitude'), 'https://ref.gs1.org/cbv/Comp-latitude');
  assert.equal(toWebUri('measurementType', 'Temperature'), 'https://gs1.org/voc/Temperature');
  assert.equal(
    toBareWord('measurementType', 'https://ref.gs1.org/voc/Temperature'),
    'Temperature',
    '2.0.1 namespace read',
  );
  assert.equal(toWebUri('sensorAlertType', 'ALARM_CONDITION'), 'https://gs1.org/voc/ALARM_CONDITION');
  assert.equal(toUrn('measurementType', 'Temperature'), undefined, 'no URN form');
  assert.equal(toUrn('sensorComponent', 'x'), undefined);
});

test('non-standard values, wrong vocabulary, case and CURIEs are not standard', () => {
  assert.equal(toBareWord('bizStep', 'transforming'), undefined);
  assert.equal(toWebUri('bizStep', 'in_transit'), undefined, 'a disposition is not a bizStep');
  assert.equal(isStandard('bizStep', 'Shipping'), false);
  assert.equal(isStandard('bizStep', 'cbv:BizStep-shipping'), false);
  assert.equal(isStandard('measurementType', 'temperature'), false);
  assert.equal(isStandard('measurementType', 'Molar_concentration'), false);
  assert.ok(isStandardBareWord('bizStep', 'shipping'));
  assert.equal(isStandardBareWord('bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping'), false);
  assert.equal(
    lookupCbv('disposition', 'urn:epcglobal:cbv:disp:recalled')?.webUri,
    'https://ref.gs1.org/cbv/Disp-recalled',
  );
});

test('toWebUri keepCustom and cbvUrnToWebUri rewrite CBV URNs whatever the word', () => {
  assert.equal(
    toWebUri('bizStep', 'urn:epcglobal:cbv:bizstep:my_step', true),
    'https://ref.gs1.org/cbv/BizStep-my_step',
  );
  assert.equal(toWebUri('bizStep', 'https://example.com/steps/x', true), 'https://example.com/steps/x');
  assert.equal(toWebUri('bizStep', 'receiving', true), 'https://ref.gs1.org/cbv/BizStep-receiving');
  assert.equal(
    cbvUrnToWebUri('urn:epcglobal:cbv:disp:in_transit'),
    'https://ref.gs1.org/cbv/Disp-in_transit',
  );
  assert.equal(cbvUrnToWebUri('urn:epcglobal:cbv:btt:po'), 'https://ref.gs1.org/cbv/BTT-po');
  assert.equal(cbvUrnToWebUri('urn:epcglobal:cbv:sdt:location'), 'https://ref.gs1.org/cbv/SDT-location');
  assert.equal(cbvUrnToWebUri('urn:epcglobal:cbv:er:foo'), 'https://ref.gs1.org/cbv/ER-foo');
  assert.equal(
    cbvUrnToWebUri('urn:epcglobal:cbv:bt:0614141073467:1152'),
    'urn:epcglobal:cbv:bt:0614141073467:1152',
  );
  assert.equal(cbvUrnToWebUri('shipping'), 'shipping');
});

test('classifyCbvUri names vocabulary and word of a URI or URN, not of a bare word', () => {
  assert.deepEqual(classifyCbvUri('https://ref.gs1.org/cbv/SDT-location'), {
    kind: 'sourceDestType',
    bareWord: 'location',
    webUri: 'https://ref.gs1.org/cbv/SDT-location',
    urn: 'urn:epcglobal:cbv:sdt:location',
  });
  assert.equal(classifyCbvUri('https://gs1.org/voc/Temperature')?.kind, 'measurementType');
  assert.equal(classifyCbvUri('location'), undefined);
  assert.equal(classifyCbvUri('https://example.com/x'), undefined);
});

test('no bare word belongs to two vocabularies (bare-word expansion is unambiguous)', () => {
  const seen = new Map<string, string>();
  for (const kind of CBV_KINDS) {
    for (const w of cbvWords(kind)) {
      assert.equal(seen.get(w), undefined, `${w} in ${kind} and ${seen.get(w)}`);
      seen.set(w, kind);
    }
  }
});
