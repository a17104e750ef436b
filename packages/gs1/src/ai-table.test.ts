import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AI_DEFINITIONS,
  aiLengthFromPrefix,
  aiMatchesPattern,
  DICTIONARY_RELEASE,
  knownAiAt,
  lookupAi,
} from './ai-table.ts';
import { parseSyntaxDictionary } from './dictionary.ts';

const DICT = new URL('../../../../shared/conformance/gs1-syntax/gs1-syntax-dictionary.txt', import.meta.url)
  .pathname;
const haveDict = existsSync(DICT);

test('the AI table holds every AI of the GS1 Barcode Syntax Dictionary, with the same definition', {
  skip: !haveDict && 'conformance data ../shared/conformance not present: skipping dictionary comparison',
}, () => {
  const text = readFileSync(DICT, 'utf8');
  const { entries, errors } = parseSyntaxDictionary(text);
  assert.deepEqual(errors, []);
  assert.ok(entries.length > 500, 'dictionary parsed into hundreds of AIs');
  assert.equal(AI_DEFINITIONS.length, entries.length);
  for (const e of entries) assert.deepEqual(lookupAi(e.ai), e, `AI ${e.ai}`);
  assert.equal(DICTIONARY_RELEASE, /Release:\s*(\S+)/.exec(text)?.[1]);
});

test('pharma AIs have the expected shape', () => {
  const gtin = lookupAi('01')!;
  assert.equal(gtin.fixedLength, true);
  assert.deepEqual(gtin.components, [
    { type: 'N', min: 14, max: 14, optional: false, linters: ['csum', 'gcppos2'] },
  ]);
  assert.deepEqual(gtin.dlPrimaryKey, [['22', '10', '21'], ['235']]);
  const serial = lookupAi('21')!;
  assert.equal(serial.fixedLength, false);
  assert.deepEqual(serial.ex, ['235']);
  assert.equal(lookupAi('17')!.components[0]!.linters[0], 'yymmd0');
  assert.equal(lookupAi('99')!.title, 'INTERNAL');
  assert.equal(lookupAi('3103')!.title, 'NET WEIGHT (kg)');
  assert.equal(lookupAi('3106'), undefined);
});

test('AI lengths by prefix and lookup of the AI at a position', () => {
  assert.equal(aiLengthFromPrefix('01'), 2);
  assert.equal(aiLengthFromPrefix('235'), 3);
  assert.equal(aiLengthFromPrefix('3103'), 4);
  assert.equal(aiLengthFromPrefix('8003'), 4);
  assert.equal(aiLengthFromPrefix('26'), undefined);
  assert.equal(knownAiAt('xx8003012345', 2)?.ai, '8003');
  assert.equal(knownAiAt('2112', 0)?.ai, '21');
  assert.ok(aiMatchesPattern('3103', '310n'));
  assert.ok(!aiMatchesPattern('3113', '310n'));
  assert.ok(aiMatchesPattern('3523', '35nn'));
});
