/** The responder's decision rules, the standard's helpers and the exchange log's group commit. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PackState } from '@rxtrace/store';
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { responseProblems, verificationUrl } from './requester.ts';
import { decide, ExchangeLog, newLogEntry } from './responder.ts';
import { expToIso, isGln, isGtin14, isoToExp } from './standard.ts';

const now = new Date('2026-06-15T12:00:00Z');
const pack = (o: Partial<PackState> = {}): PackState => ({
  id: 'https://id.gs1.org/01/00312345678906/21/S1',
  gtin: '00312345678906',
  lot: 'L1',
  expiry: '2027-12-31',
  status: 'active',
  lastEventTime: '2026-01-01T00:00:00.000Z',
  lastSeq: 1,
  ...o,
});

test('decide: match, each mismatch, states that refuse, additional information', () => {
  const q = { lot: 'L1', exp: '271231' };
  assert.deepEqual(decide(pack(), q, false, now), { verified: true });
  assert.deepEqual(decide(pack(), { lot: 'L1', exp: '271200' }, false, now), { verified: true });
  assert.deepEqual(decide(undefined, q, false, now), {
    verified: false,
    verificationFailureReason: 'No_match_GTIN_Serial',
  });
  assert.equal(
    decide(pack(), { lot: 'L2', exp: '271231' }, false, now).verificationFailureReason,
    'No_match_GTIN_Serial_Lot',
  );
  assert.equal(
    decide(pack(), { lot: 'L1', exp: '271230' }, false, now).verificationFailureReason,
    'No_match_GTIN_Serial_Expiry',
  );
  assert.equal(
    decide(pack(), { lot: 'L2', exp: '271230' }, false, now).verificationFailureReason,
    'No_match_GTIN_Serial_Lot_Expiry',
  );
  // expiry stored as YYMMDD (as some ILMDs carry it) compares the same
  assert.deepEqual(decide(pack({ expiry: '271231' }), q, false, now), { verified: true });
  for (const status of ['dispensed', 'destroyed', 'decommissioned', 'sold', 'inactive'])
    assert.deepEqual(
      decide(pack({ status }), q, false, now),
      { verified: false, verificationFailureReason: 'No_reason_provided' },
      status,
    );
  assert.equal(decide(pack({ status: 'stolen' }), q, false, now).additionalInfo, 'Illegitimate');
  for (const status of ['quarantined', 'non_sellable', 'damaged'])
    assert.equal(decide(pack({ status }), q, false, now).additionalInfo, 'Suspect', status);
  assert.deepEqual(decide(pack(), q, true, now), { verified: true, additionalInfo: 'Recalled' });
  assert.deepEqual(decide(pack({ status: 'recalled' }), q, false, now), {
    verified: true,
    additionalInfo: 'Recalled',
  });
  assert.deepEqual(decide(pack({ expiry: '2026-06-14' }), { lot: 'L1', exp: '260614' }, false, now), {
    verified: true,
    additionalInfo: 'Expired',
  });
  assert.deepEqual(decide(pack({ expiry: '2026-06-15' }), { lot: 'L1', exp: '260615' }, false, now), {
    verified: true,
  });
  // a recall outranks expiry
  assert.equal(
    decide(pack({ expiry: '2026-06-14' }), { lot: 'L1', exp: '260614' }, true, now).additionalInfo,
    'Recalled',
  );
});

test('standard helpers: dates, check digits, URLs, the response field check', () => {
  assert.equal(expToIso('280200'), '2028-02-29');
  assert.equal(expToIso('281301'), undefined);
  assert.equal(isoToExp('2028-02-29'), '280229');
  assert.equal(isGtin14('00312345678906'), true);
  assert.equal(isGtin14('00312345678900'), false);
  assert.equal(isGln('0614141000005'), true);
  assert.equal(isGln('0614141000006'), false);
  assert.equal(
    verificationUrl('https://r.example/base/', {
      gtin: '00312345678906',
      lot: 'L1',
      serial: 'S 1',
      exp: '271231',
    }),
    'https://r.example/base/01/00312345678906/10/L1/21/S%201?exp=271231&linkType=verificationService',
  );
  const ok = {
    verificationTimestamp: '2026-01-01T00:00:00Z',
    responderGLN: '0614141000005',
    corrUUID: 'c',
    data: { verified: true },
  };
  assert.deepEqual(responseProblems(ok, 'c'), []);
  assert.match(responseProblems({ ...ok, corrUUID: 'd' }, 'c').join(), /corrUUID/);
  assert.match(responseProblems({ ...ok, data: { verified: false } }).join(), /missing on an answer/);
  assert.match(
    responseProblems({ ...ok, data: { verified: false, verificationFailureReason: 'Nope' } }).join(),
    /code list/,
  );
  assert.match(
    responseProblems({ ...ok, data: { verified: true, additionalInfo: 'Cheap' } }).join(),
    /code list/,
  );
  assert.match(responseProblems({ ...ok, responderGLN: 'x' }).join(), /responderGLN/);
  assert.match(responseProblems('x').join(), /not a JSON object/);
});

test('the exchange log commits concurrent entries together, durably, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-xlog-'));
  const store = await openSqliteStore({ file: join(dir, 'x.db') });
  try {
    await store.migrate();
    let calls = 0;
    const inner = store.verification;
    const counted = Object.create(inner) as typeof inner;
    counted.logExchanges = (e) => {
      calls++;
      return inner.logExchanges(e);
    };
    const log = new ExchangeLog(counted);
    const at = '2026-01-01T00:00:00.000Z';
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        log.add(
          newLogEntry({ direction: 'in', at, kind: 'verify', status: 200, durationMs: 0, serial: `S${i}` }),
        ),
      ),
    );
    assert.ok(calls <= 2, `${calls} commits for 500 concurrent entries`);
    assert.equal(log.written, 500);
    const page = await inner.queryLog({}, { limit: 1000 });
    assert.equal(page.items.length, 500);
    assert.equal(page.items[0]!.serial, 'S499');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
