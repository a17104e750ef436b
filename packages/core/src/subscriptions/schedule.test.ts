import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebhookControls, parseWebSocketControls, SubscriptionError } from './controls.ts';
import { parseSchedule, parseScheduleField, QuerySchedule, ScheduleError } from './schedule.ts';
import { signBody, verifySignature } from './signature.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

test('schedule fields: numbers, [ranges], lists, * and steps; out of range and junk refused', () => {
  assert.deepEqual([...parseScheduleField('minute', '5')], [5]);
  assert.deepEqual([...parseScheduleField('hour', '1,3,[5-7]')], [1, 3, 5, 6, 7]);
  assert.deepEqual([...parseScheduleField('hour', '5-7')], [5, 6, 7]);
  assert.deepEqual([...parseScheduleField('second', '0/30')], [0, 30]);
  assert.deepEqual([...parseScheduleField('minute', '[10-20]/5')], [10, 15, 20]);
  assert.equal(parseScheduleField('second', '*').size, 60);
  assert.equal(parseScheduleField('dayOfWeek', '*').size, 7);
  for (const [f, t] of [
    ['second', '60'],
    ['hour', '24'],
    ['dayOfMonth', '0'],
    ['month', '13'],
    ['dayOfWeek', '0'],
    ['minute', ''],
    ['minute', '1,,2'],
    ['minute', '[5-1]'],
    ['minute', '[5-7'],
    ['minute', 'five'],
    ['minute', '0/0'],
    ['minute', '-1'],
  ] as const)
    assert.throws(() => parseScheduleField(f, t), ScheduleError, `${f}=${t}`);
});

test('schedule: the binding example runs daily at 01:05:00 UTC; omitted finer fields are 0, coarser any', () => {
  const s = new QuerySchedule({ hour: '1', minute: '5' });
  assert.equal(iso(s.next(at('2026-03-01T00:00:00Z'))), '2026-03-01T01:05:00.000Z');
  assert.equal(iso(s.next(at('2026-03-01T01:05:00Z'))), '2026-03-02T01:05:00.000Z');
  const hourly = new QuerySchedule({ minute: '5' });
  assert.equal(iso(hourly.next(at('2026-03-01T10:07:12Z'))), '2026-03-01T11:05:00.000Z');
  const half = new QuerySchedule({ second: '0/30' });
  assert.equal(iso(half.next(at('2026-03-01T10:07:12.500Z'))), '2026-03-01T10:07:30.000Z');
  assert.equal(iso(half.next(at('2026-03-01T10:07:30Z'))), '2026-03-01T10:08:00.000Z');
  const monday = new QuerySchedule({ dayOfWeek: '1' });
  // 2026-03-01 is a Sunday.
  assert.equal(iso(monday.next(at('2026-03-01T12:00:00Z'))), '2026-03-02T00:00:00.000Z');
  const january = new QuerySchedule({ month: '1' });
  assert.equal(iso(january.next(at('2026-03-01T12:00:00Z'))), '2027-01-01T00:00:00.000Z');
  // Both day fields must match: Friday the 13th.
  const f13 = new QuerySchedule({ dayOfMonth: '13', dayOfWeek: '5', hour: '9' });
  assert.equal(iso(f13.next(at('2026-01-01T00:00:00Z'))), '2026-02-13T09:00:00.000Z');
  assert.equal(iso(f13.next(at('2026-02-13T09:00:00Z'))), '2026-03-13T09:00:00.000Z');
  // Leap day.
  const leap = new QuerySchedule({ month: '2', dayOfMonth: '29' });
  assert.equal(iso(leap.next(at('2026-03-01T00:00:00Z'))), '2028-02-29T00:00:00.000Z');
});

test('schedule: empty, unknown fields, wrong types and schedules that never run are refused', () => {
  assert.throws(() => parseSchedule({}), /at least one/);
  assert.throws(() => parseSchedule({ minutes: '5' }), /not a schedule field/);
  assert.throws(() => parseSchedule({ minute: true }), /must be a string/);
  assert.throws(() => parseSchedule('hourly'), /must be an object/);
  assert.throws(() => parseSchedule({ month: '2', dayOfMonth: '30' }), /never runs/);
  assert.equal(parseSchedule({ hour: 1, minute: 5 }).spec.hour, '1');
});

test('webhook controls: exactly one of stream and schedule, dest an http(s) URL, no unknown members', () => {
  const ok = parseWebhookControls({
    dest: 'https://client.example.com/cb',
    signatureToken: 's3cret',
    schedule: { hour: '1', minute: '5' },
    reportIfEmpty: true,
    initialRecordTime: '2026-03-01T10:00:00.000+01:00',
  });
  assert.deepEqual(ok, {
    stream: false,
    reportIfEmpty: true,
    schedule: { hour: '1', minute: '5' },
    initialRecordTime: '2026-03-01T09:00:00.000Z',
    dest: 'https://client.example.com/cb',
    signatureToken: 's3cret',
  });
  assert.equal(parseWebhookControls({ dest: 'http://127.0.0.1:9/x', stream: true }).stream, true);
  const refused: unknown[] = [
    { dest: 'https://c.example/cb' },
    { dest: 'https://c.example/cb', stream: false },
    { dest: 'https://c.example/cb', stream: true, schedule: { minute: '5' } },
    { dest: 'https://c.example/cb', schedule: {} },
    { dest: 'https://c.example/cb', schedule: { minute: '61' } },
    { dest: 'ftp://c.example/cb', stream: true },
    { dest: 'not a url', stream: true },
    { stream: true },
    { dest: 'https://c.example/cb', stream: 'yes' },
    { dest: 'https://c.example/cb', stream: true, signatureToken: '' },
    { dest: 'https://c.example/cb', stream: true, initialRecordTime: '2026-03-01T10:00:00' },
    { dest: 'https://c.example/cb', stream: true, sheduel: {} },
    [],
    null,
  ];
  for (const body of refused)
    assert.throws(
      () => parseWebhookControls(body),
      (e: unknown) =>
        e instanceof SubscriptionError && e.exception === 'SubscriptionControlsException' && e.status === 400,
      JSON.stringify(body),
    );
});

test('WebSocket controls from the query string', () => {
  assert.deepEqual(parseWebSocketControls('?stream=true'), { stream: true, reportIfEmpty: false });
  assert.deepEqual(parseWebSocketControls('minute=5&hour=1&reportIfEmpty=true'), {
    stream: false,
    reportIfEmpty: true,
    schedule: { minute: '5', hour: '1' },
  });
  // An unencoded + in the offset arrives as a space.
  assert.equal(
    parseWebSocketControls('stream=true&initialRecordTime=2026-03-01T10:00:00.000 01:00').initialRecordTime,
    '2026-03-01T09:00:00.000Z',
  );
  for (const q of [
    '',
    'stream=false',
    'stream=true&minute=5',
    'stream=1',
    'minute=99',
    'stream=true&stream=true',
  ])
    assert.throws(() => parseWebSocketControls(q), SubscriptionError, q);
});

test('GS1-Signature: sha256=<hex HMAC-SHA256 of the body keyed with the token>, verified in constant time', () => {
  const body = '{"type":"EPCISQueryDocument"}';
  const sig = signBody('13df38d8275b13f05704629e5f1cf3d45d6132d5', body);
  // Independent value: printf '%s' "$body" | openssl dgst -sha256 -hmac "$token".
  assert.equal(sig, 'sha256=09ca68301cecd06e5ee6bdbc8d2f1ffc563608ef652fea647a9763ac96e06d5a');
  assert.equal(verifySignature('13df38d8275b13f05704629e5f1cf3d45d6132d5', body, sig), true);
  assert.equal(verifySignature('13df38d8275b13f05704629e5f1cf3d45d6132d5', Buffer.from(body), sig), true);
  assert.equal(verifySignature('other', body, sig), false);
  assert.equal(verifySignature('13df38d8275b13f05704629e5f1cf3d45d6132d5', `${body} `, sig), false);
  assert.equal(
    verifySignature('13df38d8275b13f05704629e5f1cf3d45d6132d5', body, sig.replace('sha256=', '')),
    false,
  );
  assert.equal(verifySignature('13df38d8275b13f05704629e5f1cf3d45d6132d5', body, undefined), false);
});
