import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importeridx, mediatype, packagetype, winding, yesno } from './code-lists.ts';
import { iso3166, iso3166alpha2, iso4217, iso5218, iso3166999 } from './iso-codes.ts';
import { LINT_OK, markHighlight } from './types.ts';

test('country codes: ISO 3166-1 numeric and alpha-2', () => {
  for (const c of ['276', '250', '840', '124', '380', '724', '620', '076'])
    assert.deepEqual(iso3166(c), LINT_OK, c);
  for (const c of ['000', '999', '27', '2760', 'DEU', '900'])
    assert.equal(iso3166(c).code, 'GS1_LINTER_NOT_ISO3166', c);
  assert.equal(markHighlight('2760', iso3166('2760')), '*2760*');
  assert.deepEqual(iso3166999('999'), LINT_OK);
  assert.deepEqual(iso3166999('276'), LINT_OK);
  assert.equal(iso3166999('998').code, 'GS1_LINTER_NOT_ISO3166_OR_999');
  for (const c of ['DE', 'FR', 'US', 'CH', 'GB']) assert.deepEqual(iso3166alpha2(c), LINT_OK, c);
  for (const c of ['de', 'UK', 'EU', 'D', 'DEU'])
    assert.equal(iso3166alpha2(c).code, 'GS1_LINTER_NOT_ISO3166_ALPHA2', c);
});

test('currency codes: ISO 4217 numeric', () => {
  for (const c of ['978', '840', '826', '756', '392', '124', '975']) assert.deepEqual(iso4217(c), LINT_OK, c);
  for (const c of ['000', '276', '97', 'EUR', '9780'])
    assert.equal(iso4217(c).code, 'GS1_LINTER_NOT_ISO4217', c);
});

test('small code lists', () => {
  for (const c of ['0', '1', '2', '9']) assert.deepEqual(iso5218(c), LINT_OK);
  assert.equal(iso5218('3').code, 'GS1_LINTER_INVALID_BIOLOGICAL_SEX_CODE');
  for (const c of ['BX', 'CT', 'PX', 'BGE', '1A', '8']) assert.deepEqual(packagetype(c), LINT_OK, c);
  for (const c of ['', 'bx', 'ZZZ', 'BOX'])
    assert.equal(packagetype(c).code, 'GS1_LINTER_INVALID_PACKAGE_TYPE', c);
  for (const c of ['01', '10', '80', '99']) assert.deepEqual(mediatype(c), LINT_OK, c);
  for (const c of ['00', '11', '79', '1'])
    assert.equal(mediatype(c).code, 'GS1_LINTER_INVALID_MEDIA_TYPE', c);
  for (const c of ['0', 'a', 'Z', '-', '_']) assert.deepEqual(importeridx(c), LINT_OK, c);
  assert.equal(importeridx('.').code, 'GS1_LINTER_INVALID_IMPORT_IDX_CHARACTER');
  assert.equal(importeridx('AB').code, 'GS1_LINTER_IMPORTER_IDX_MUST_BE_ONE_CHARACTER');
  assert.deepEqual(winding('9'), LINT_OK);
  assert.equal(winding('2').code, 'GS1_LINTER_INVALID_WINDING_DIRECTION');
  assert.deepEqual(yesno('1'), LINT_OK);
  assert.equal(yesno('Y').code, 'GS1_LINTER_NOT_ZERO_OR_ONE');
});
