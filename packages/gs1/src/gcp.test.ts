import assert from 'node:assert/strict';
import { test } from 'node:test';
import { companyPrefixOf, parseGcpLengthTable } from './gcp.ts';

const XML = `<?xml version="1.0"?><GCPPrefixFormatList date="2021-09-14">
<entry prefix="03" gcpLength="7"/><entry prefix="0332" gcpLength="6"/><entry prefix="20" gcpLength="0"/>
<entry prefix="950600" gcpLength="7"/></GCPPrefixFormatList>`;

test('longest matching prefix decides the GS1 Company Prefix length', () => {
  const t = parseGcpLengthTable(XML);
  assert.ok(t.ok);
  assert.equal(t.value.size, 4);
  assert.equal(t.value.date, '2021-09-14');
  assert.equal(t.value.lengthFor('0332100000001'), 6);
  assert.equal(t.value.lengthFor('0312345678901'), 7);
  assert.equal(t.value.lengthFor('2000000000001'), 0);
  assert.equal(t.value.lengthFor('4000000000001'), undefined);
  assert.equal(companyPrefixOf('00332100000001', t.value), '033210');
  assert.equal(companyPrefixOf('09506000134376', t.value), '9506000');
  assert.equal(companyPrefixOf('02000000000001', t.value), '');
  assert.equal(parseGcpLengthTable('<x/>').ok, false);
});
