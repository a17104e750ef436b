/** Client input that must be refused as such (400), never taken for data nor crash the request. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePoolConfig } from '../serials/config.ts';
import { SerialError } from '../serials/errors.ts';
import { FmdError, normaliseExpiry } from './service.ts';

test('expiry: impossible dates are bad input; day 00 (the whole month) and real dates pass', () => {
  for (const bad of ['2028-13-45', '999999', '2027-02-29', '280230', '20281301'])
    assert.throws(
      () => normaliseExpiry(bad),
      (e: unknown) => e instanceof FmdError && e.status === 400,
      bad,
    );
  assert.equal(normaliseExpiry('280600'), '2028-06-00');
  assert.equal(normaliseExpiry('2028-02-29'), '2028-02-29');
  assert.equal(normaliseExpiry('20280630'), '2028-06-30');
});

test('serial pools: a charset named like an Object property is no named set', () => {
  for (const charset of ['__proto__', 'toString', 'constructor'])
    assert.throws(
      () =>
        validatePoolConfig({
          kind: 'random',
          gtin: '09506000134352',
          markets: ['DE'],
          charset,
          length: 12,
          plannedVolume: 1000,
        } as never),
      (e: unknown) => e instanceof SerialError && e.status === 400,
      charset,
    );
});
