import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AiElement } from '../elements.ts';
import type { Result } from '../errors.ts';
import { elementsToEpc, epcPatternToKey, epcToElements, epcToGs1Key } from './gs1.ts';

const el = (ai: string, value: string): AiElement => ({ ai, value });

function value<T>(r: Result<T>): T {
  if (!r.ok) assert.fail(r.errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  return r.value;
}

function code(r: Result<unknown>): string {
  assert.equal(r.ok, false, 'expected an error');
  return r.ok ? '' : r.errors[0]!.code;
}

// A US pharma GTIN with an embedded NDC (labeler 61414 → GCP 0361414): 00361414123459.
const GTIN = '00361414123458';

test('SGTIN ⇄ (01)+(21): the indicator digit leads the item reference; the check digit is recomputed', () => {
  const epc = value(
    elementsToEpc([el('01', GTIN), el('17', '261231'), el('10', 'LOT42'), el('21', 'x7Y/9-2')], {
      companyPrefixLength: 7,
    }),
  );
  assert.equal(epc.uri, 'urn:epc:id:sgtin:0361414.012345.x7Y%2F9-2');
  assert.deepEqual(value(epcToElements(epc.uri)), [el('01', GTIN), el('21', 'x7Y/9-2')]);
  // Case 1 (indicator 1) of the same product.
  const caseGtin = '10361414123455';
  const c = value(elementsToEpc([el('01', caseGtin), el('21', '100234')], { companyPrefixLength: 7 }));
  assert.equal(c.uri, 'urn:epc:id:sgtin:0361414.112345.100234');
  assert.equal(value(epcToGs1Key(c.uri)), caseGtin);
});

test('(01)+(10) without a serial gives the LGTIN class URI', () => {
  const epc = value(
    elementsToEpc([el('01', GTIN), el('17', '261231'), el('10', 'B2026/07')], { companyPrefixLength: 7 }),
  );
  assert.equal(epc.uri, 'urn:epc:class:lgtin:0361414.012345.B2026%2F07');
  assert.deepEqual(value(epcToElements(epc)), [el('01', GTIN), el('10', 'B2026/07')]);
});

test('GTIN-8/12/13 in (01) are right-aligned to 14 digits; the key can be given back in those forms', () => {
  const epc = value(elementsToEpc([el('01', '361414123458'), el('21', '1')], { companyPrefixLength: 7 }));
  assert.equal(epc.uri, 'urn:epc:id:sgtin:0361414.012345.1');
  assert.equal(value(epcToGs1Key(epc, { gtinFormat: 12 })), '361414123458');
  assert.equal(value(epcToGs1Key(epc, { gtinFormat: 13 })), '0361414123458');
  assert.equal(code(epcToGs1Key(epc, { gtinFormat: 8 })), 'RX_EPC_GTIN_FORMAT');
  assert.equal(value(epcToGs1Key('urn:epc:id:sgtin:00000950.01093.Serial', { gtinFormat: 8 })), '95010939');
});

test('SSCC: the extension digit leads the serial reference', () => {
  const sscc = '003614140000000018';
  const epc = value(
    elementsToEpc([el('00', sscc), el('02', GTIN), el('37', '12')], { companyPrefixLength: 7 }),
  );
  assert.equal(epc.uri, 'urn:epc:id:sscc:0361414.0000000001');
  assert.deepEqual(value(epcToElements(epc)), [el('00', sscc)]);
  assert.equal(value(epcToGs1Key(epc)), sscc);
});

test('SGLN: a bare GLN is written with extension 0, which reads back as (254)0 (as the vectors expect); a real extension maps to (254)', () => {
  const gln = '0361414000018';
  const plain = value(elementsToEpc([el('414', gln)], { companyPrefixLength: 7 }));
  assert.equal(plain.uri, 'urn:epc:id:sgln:0361414.00001.0');
  assert.deepEqual(value(epcToElements(plain)), [el('414', gln), el('254', '0')]);
  const dock = value(elementsToEpc([el('414', gln), el('254', 'DOCK/3')], { companyPrefixLength: 7 }));
  assert.equal(dock.uri, 'urn:epc:id:sgln:0361414.00001.DOCK%2F3');
  assert.deepEqual(value(epcToElements(dock)), [el('414', gln), el('254', 'DOCK/3')]);
  // (254)0 on the way in gives the same URI as no extension.
  assert.equal(
    value(elementsToEpc([el('414', gln), el('254', '0')], { companyPrefixLength: 7 })).uri,
    plain.uri,
  );
  assert.equal(value(epcToGs1Key(dock)), gln);
  // A 12-digit company prefix leaves an empty location reference.
  assert.equal(
    value(elementsToEpc([el('414', gln)], { companyPrefixLength: 12 })).uri,
    'urn:epc:id:sgln:036141400001..0',
  );
});

test('PGLN, GRAI, GDTI, SGCN, GIAI, GSRN, GSIN, GINC, CPI, ITIP, UPUI', () => {
  const cases: [AiElement[], number, string][] = [
    [[el('417', '0361414000018')], 7, 'urn:epc:id:pgln:0361414.00001'],
    [[el('8003', '00614141123452400')], 7, 'urn:epc:id:grai:0614141.12345.400'],
    [[el('253', '0614141123452ABCD1234/')], 7, 'urn:epc:id:gdti:0614141.12345.ABCD1234%2F'],
    [[el('255', '401234567890104711')], 7, 'urn:epc:id:sgcn:4012345.67890.04711'],
    [[el('8004', '06141411ABc/D')], 7, 'urn:epc:id:giai:0614141.1ABc%2FD'],
    [[el('8018', '061414112345678902')], 7, 'urn:epc:id:gsrn:0614141.1234567890'],
    [[el('8017', '061414112345678902')], 7, 'urn:epc:id:gsrnp:0614141.1234567890'],
    [[el('402', '06141411234567890')], 7, 'urn:epc:id:gsin:0614141.123456789'],
    [[el('401', '0614141xyz3311cba')], 7, 'urn:epc:id:ginc:0614141.xyz3311cba'],
    [[el('8010', '061414112-456'), el('8011', '123456789')], 7, 'urn:epc:id:cpi:0614141.12-456.123456789'],
    [[el('8006', '040123451234560102'), el('21', '987')], 7, 'urn:epc:id:itip:4012345.012345.01.02.987'],
    [
      [el('01', '01234567894560'), el('235', "51qIgY)<&Jp3*j7'SDB")],
      7,
      "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB",
    ],
  ];
  for (const [els, L, uri] of cases) {
    assert.equal(value(elementsToEpc(els, { companyPrefixLength: L })).uri, uri, uri);
    assert.deepEqual(value(epcToElements(uri)), els, uri);
  }
});

test('GS1 → EPC errors are values, with the AI concerned', () => {
  const badCd = elementsToEpc([el('01', '00361414123459'), el('21', '1')], { companyPrefixLength: 7 });
  assert.equal(code(badCd), 'RX_EPC_CHECK_DIGIT');
  if (!badCd.ok) assert.equal(badCd.errors[0]!.ai, '01');
  assert.equal(code(elementsToEpc([el('01', GTIN)], { companyPrefixLength: 7 })), 'RX_EPC_MISSING_AI');
  assert.equal(
    code(elementsToEpc([el('01', GTIN), el('21', '1')], { companyPrefixLength: 5 })),
    'RX_EPC_GCP_LENGTH',
  );
  assert.equal(
    code(elementsToEpc([el('01', GTIN), el('21', 'A#1')], { companyPrefixLength: 7 })),
    'RX_EPC_BAD_VALUE',
  );
  assert.equal(code(elementsToEpc([el('17', '261231')], { companyPrefixLength: 7 })), 'RX_EPC_NO_KEY');
  assert.equal(
    code(
      elementsToEpc([el('00', '003614140000000018'), el('414', '0361414000018')], { companyPrefixLength: 7 }),
    ),
    'RX_EPC_SEVERAL_KEYS',
  );
  assert.equal(
    value(
      elementsToEpc([el('00', '003614140000000018'), el('414', '0361414000018')], {
        companyPrefixLength: 7,
        scheme: 'sgln',
      }),
    ).uri,
    'urn:epc:id:sgln:0361414.00001.0',
  );
  assert.equal(
    code(elementsToEpc([el('8003', '00614141123452')], { companyPrefixLength: 7 })),
    'RX_EPC_MISSING_SERIAL',
  );
  assert.equal(code(elementsToEpc([el('8004', '0614141')], { companyPrefixLength: 7 })), 'RX_EPC_GCP_LENGTH');
});

test('EPC → GS1 key: per scheme; none for non-GS1 schemes nor for the multi-AI ones', () => {
  assert.equal(value(epcToGs1Key('urn:epc:id:grai:0614141.12345.400')), '0614141123452400');
  assert.equal(value(epcToGs1Key('urn:epc:id:sgcn:4012345.67890.04711')), '401234567890104711');
  assert.equal(value(epcToGs1Key('urn:epc:id:giai:061411.01ABc%2FD')), '06141101ABc/D');
  assert.equal(code(epcToGs1Key('urn:epc:id:itip:4012345.012345.01.02.987')), 'RX_EPC_NO_GS1_KEY');
  assert.equal(code(epcToGs1Key('urn:epc:id:gid:95100000.12345.400')), 'RX_EPC_NO_GS1_KEY');
  assert.equal(code(epcToElements('urn:epc:id:usdod:2S194.0')), 'RX_EPC_NOT_GS1');
});

test('patterns → GS1 key', () => {
  assert.equal(value(epcPatternToKey('urn:epc:idpat:sgtin:0361414.012345.*')), GTIN);
  assert.equal(value(epcPatternToKey('urn:epc:idpat:sgln:0361414.00001.*')), '0361414000018');
  assert.equal(value(epcPatternToKey('urn:epc:idpat:gdti:0614141.12345.*')), '0614141123452*');
  assert.equal(code(epcPatternToKey('urn:epc:idpat:sgcn:4012345.67890.*')), 'RX_EPC_PATTERN_NO_KEY');
  assert.equal(code(epcPatternToKey('urn:epc:idpat:sgtin:0361414.*.*')), 'RX_EPC_PATTERN_NO_KEY');
  assert.equal(code(epcPatternToKey('urn:epc:idpat:sscc:0361414.*')), 'RX_EPC_PATTERN_NO_KEY');
});
