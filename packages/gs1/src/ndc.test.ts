import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gtinToNdc10, identifyNdcFormat, ndcTo11, ndcToGtin12, ndcToGtin14, parseNdc } from './ndc.ts';

test('NDC-10 layouts pad to the HIPAA 11-digit form', () => {
  assert.equal(identifyNdcFormat('0591-0933-01'), '4-4-2');
  assert.deepEqual(ndcTo11('0591-0933-01'), { ok: true, value: '00591093301' });
  assert.deepEqual(ndcTo11('60951-700-85'), { ok: true, value: '60951070085' });
  assert.deepEqual(ndcTo11('12345-6789-0'), { ok: true, value: '12345678900' });
  assert.equal(ndcTo11('0591093301').ok, false, 'no hyphens: layout unknown');
});

test('GTINs are built from the NDC-10, never from the 11-digit form', () => {
  const g14 = ndcToGtin14('0591-0933-01');
  assert.ok(g14.ok);
  assert.equal(g14.value, '00305910933011'.slice(0, 13) + g14.value[13]);
  assert.equal(g14.value.slice(0, 13), '0030591093301');
  const g12 = ndcToGtin12('0591-0933-01');
  assert.ok(g12.ok);
  assert.equal(g12.value.slice(0, 11), '30591093301');
  assert.deepEqual(gtinToNdc10(g14.value), { ok: true, value: '0591093301' });
  assert.equal(gtinToNdc10('09506000134376').ok, false);
  assert.equal(ndcToGtin14('00591-0933-01').ok, false, 'an NDC-11 cannot make a GTIN');
});

test('the 12-digit 6-4-2 NDC of the 2026 FDA rule is read', () => {
  const r = parseNdc('123456-7890-12');
  assert.deepEqual(r, {
    ok: true,
    value: { labeler: '123456', product: '7890', package: '12', layout: '6-4-2' },
  });
  assert.equal(ndcTo11('123456-7890-12').ok, false);
});
