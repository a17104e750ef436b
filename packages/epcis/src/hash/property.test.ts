import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { eventHashId, hashContext } from './index.ts';

const ctx = hashContext({
  '@context': [
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
    { ex: 'https://ns.example.com/epcis/' },
  ],
});

const serial = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
const offsetMinutes = fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15);

/** `ms` written in local time at `offset` minutes, with `digits` fraction digits (0, 3 or 6). */
function writeTime(ms: number, offset: number, digits: number): string {
  const local = new Date(ms + offset * 60000).toISOString();
  const frac = digits === 0 ? '' : `.${local.slice(20, 23)}${'0'.repeat(digits - 3)}`;
  const a = Math.abs(offset);
  const tz =
    offset === 0 && digits === 3
      ? 'Z'
      : `${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)}${frac}${tz}`;
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function event(
  serials: string[],
  ms: number,
  offset: number,
  digits: number,
  seed: number,
  dl: boolean,
): Record<string, unknown> {
  const epcs = serials.map((s) =>
    dl ? `https://example.com/01/10614141073464/21/${s}?x=1` : `urn:epc:id:sgtin:0614141.107346.${s}`,
  );
  const fields: [string, unknown][] = [
    ['type', 'ObjectEvent'],
    ['eventTime', writeTime(ms - (digits === 0 ? ms % 1000 : 0), offset, digits === 0 ? 0 : digits)],
    ['eventTimeZoneOffset', '+01:00'],
    ['epcList', shuffled(epcs, seed)],
    ['action', 'OBSERVE'],
    ['bizStep', dl ? 'urn:epcglobal:cbv:bizstep:shipping' : 'shipping'],
    [
      'readPoint',
      seed % 2
        ? { 'ex:door': 'B', id: 'urn:epc:id:sgln:0614141.07346.0' }
        : { id: 'https://id.gs1.org/414/0614141073467', 'ex:door': 'B' },
    ],
    ['ex:temp', seed % 3 ? 4 : '4.00'],
  ];
  return Object.fromEntries(shuffled(fields, seed * 7 + 1));
}

test('property: order, time zone, fraction digits, URN vs Digital Link and number spelling never change the hash', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(serial, { minLength: 1, maxLength: 8 }),
      instant,
      offsetMinutes,
      offsetMinutes,
      fc.constantFrom(3, 6),
      fc.nat(),
      fc.nat(),
      (serials, ms, off1, off2, digits, seed1, seed2) => {
        const a = eventHashId(event(serials, ms, off1, 3, seed1, false), ctx);
        const b = eventHashId(event(serials, ms, off2, digits, seed2, true), ctx);
        assert.equal(a, b);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: a different serial or instant gives a different hash', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(serial, { minLength: 2, maxLength: 6 }),
      instant,
      fc.nat(),
      (serials, ms, seed) => {
        const base = eventHashId(event(serials.slice(1), ms, 60, 3, seed, false), ctx);
        assert.notEqual(eventHashId(event(serials.slice(0, -1), ms, 60, 3, seed, false), ctx), base);
        assert.notEqual(eventHashId(event(serials.slice(1), ms + 1, 60, 3, seed, false), ctx), base);
      },
    ),
    { numRuns: 200 },
  );
});
