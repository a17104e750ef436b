/**
 * EU FMD behaviour on a real store (SQLite file or PostgreSQL schema): every verification alert,
 * every decommission reason and refusal, every undo rule, the pharmacy flow. The clock is set,
 * never slept on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withCheckDigit } from '@rxtrace/gs1';
import type { RxtraceStore } from '@rxtrace/store';
import { CaptureService } from '../capture/service.ts';
import { commissioningDocument, sgtinDigitalLink } from '../serials/commission.ts';
import { type DecommissionReason, FmdError, FmdService } from './service.ts';

export const GTIN = '09506000134352';
export const OTHER_GTIN = '09506000134369';
export const LOT = 'L2026A';
export const EXPIRY = '2028-12-31';
export const PHARMACY = 'https://id.gs1.org/414/9506000000114';
export const PHARMACY2 = 'https://id.gs1.org/414/9506000000120';
const GS = '\x1d';

export type MakeStore = () => Promise<RxtraceStore>;

export interface Fixture {
  store: RxtraceStore;
  capture: CaptureService;
  fmd: FmdService;
  clock: { now: Date };
  commission(serials: string[], lot?: string, expiry?: string): Promise<void>;
  pack(serial: string, o?: { lot?: string; expiry?: string; gtin?: string }): Record<string, string>;
  refusal(p: Promise<unknown>, status?: number): Promise<FmdError>;
  setDay(day: number, time?: string): void;
}

export async function fixture(make: MakeStore): Promise<Fixture> {
  const store = await make();
  await store.migrate();
  const capture = new CaptureService(store);
  const clock = { now: new Date('2026-03-10T09:00:00.000Z') };
  const fmd = new FmdService(store, { capture, now: () => new Date(clock.now) });
  return {
    store,
    capture,
    fmd,
    clock,
    async commission(serials, lot = LOT, expiry = EXPIRY) {
      const body = commissioningDocument({
        gtin: GTIN,
        serials,
        lot,
        expiry,
        eventTime: '2026-03-01T08:00:00.000Z',
        bizLocation: 'https://id.gs1.org/414/9506000000014',
      });
      const chunks = (async function* () {
        yield Buffer.from(body, 'utf8');
      })();
      const o = await capture.capture({ body: chunks, contentType: 'application/ld+json' });
      assert.equal(o.rejected, undefined, JSON.stringify(o.rejected));
    },
    pack: (serial, o = {}) => ({
      gtin: o.gtin ?? GTIN,
      serial,
      lot: o.lot ?? LOT,
      expiry: o.expiry ?? EXPIRY,
    }),
    async refusal(p, status = 409) {
      const e = await p.then(
        () => assert.fail('expected a refusal'),
        (x: unknown) => x,
      );
      assert.ok(e instanceof FmdError, String(e));
      assert.equal(e.status, status, `${e.status} ${e.detail}`);
      return e;
    },
    /** Day n of March 2026 (the decommissions in the tests are on day 10 at 09:00). */
    setDay(day, time = '09:00:00.000') {
      clock.now = new Date(`2026-03-${String(day).padStart(2, '0')}T${time}Z`);
    },
  };
}

const alice = { user: 'alice', premises: PHARMACY };
const codes = (e: { alerts: { code: string }[] }) => e.alerts.map((a) => a.code).sort();

export function runFmdSuite(name: string, make: MakeStore): void {
  describe(`EU FMD (${name})`, () => {
    async function withFx(fn: (f: Fixture) => Promise<void>): Promise<void> {
      const f = await fixture(make);
      try {
        await fn(f);
      } finally {
        await f.store.close();
      }
    }

    describe('verify', () => {
      it('an active pack with matching batch and expiry is authentic and may be supplied', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          const v = await f.fmd.verify(f.pack('S1'));
          assert.equal(v.ok, true);
          assert.equal(v.state, 'active');
          assert.equal(v.status, 'active');
          assert.equal(v.lot, LOT);
          assert.equal(v.expiry, EXPIRY);
          assert.deepEqual(v.alerts, []);
          assert.equal(v.id, sgtinDigitalLink(GTIN, 'S1'));
          assert.equal(v.verifiedAt, '2026-03-10T09:00:00.000Z');
        }));

      it('FMD-A1 unknown product code, FMD-A2 unknown serial', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          const a1 = await f.fmd.verify(f.pack('S1', { gtin: OTHER_GTIN }));
          assert.deepEqual(codes(a1), ['FMD-A1']);
          assert.equal(a1.state, 'unknown');
          assert.equal(a1.alerts[0]!.alert, true);
          const a2 = await f.fmd.verify(f.pack('NOPE'));
          assert.deepEqual(codes(a2), ['FMD-A2']);
          assert.equal(a2.ok, false);
        }));

      it('FMD-A3 batch mismatch, FMD-A4 expiry mismatch (YYMMDD accepted, DD 00 matches the month)', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          const a3 = await f.fmd.verify(f.pack('S1', { lot: 'OTHER' }));
          assert.deepEqual(codes(a3), ['FMD-A3']);
          assert.match(a3.alerts[0]!.detail!, /uploaded batch L2026A, scanned OTHER/);
          const a4 = await f.fmd.verify(f.pack('S1', { expiry: '2028-11-30' }));
          assert.deepEqual(codes(a4), ['FMD-A4']);
          assert.deepEqual(codes(await f.fmd.verify(f.pack('S1', { lot: 'X', expiry: '291231' }))), [
            'FMD-A3',
            'FMD-A4',
          ]);
          assert.equal((await f.fmd.verify(f.pack('S1', { expiry: '281231' }))).ok, true);
          assert.equal((await f.fmd.verify(f.pack('S1', { expiry: '281200' }))).ok, true);
        }));

      it('FMD-S1 expired, by the clock', () =>
        withFx(async (f) => {
          await f.commission(['E1'], 'LE', '2026-03-15');
          assert.equal((await f.fmd.verify(f.pack('E1', { lot: 'LE', expiry: '2026-03-15' }))).ok, true);
          f.setDay(15, '23:59:59.999');
          assert.equal((await f.fmd.verify(f.pack('E1', { lot: 'LE', expiry: '2026-03-15' }))).ok, true);
          f.setDay(16, '00:00:00.000');
          const v = await f.fmd.verify(f.pack('E1', { lot: 'LE', expiry: '2026-03-15' }));
          assert.deepEqual(codes(v), ['FMD-S1']);
          assert.equal(v.alerts[0]!.alert, false);
        }));

      it('FMD-S2 recalled (lot), FMD-S3 withdrawn (product), only while in force', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          await f.commission(['T1'], 'L-OTHER');
          await f.store.recalls.create(
            {
              id: 'rc1',
              kind: 'recall',
              gtin: GTIN,
              lot: LOT,
              reason: 'particulate matter',
              effectiveFrom: '2026-03-12T00:00:00.000Z',
              createdAt: '2026-03-12T00:00:00.000Z',
            },
            [],
          );
          assert.equal((await f.fmd.verify(f.pack('S1'))).ok, true); // not yet in force
          f.setDay(12);
          const v = await f.fmd.verify(f.pack('S1'));
          assert.deepEqual(codes(v), ['FMD-S2']);
          assert.equal(v.recall?.id, 'rc1');
          assert.equal((await f.fmd.verify(f.pack('T1', { lot: 'L-OTHER' }))).ok, true); // other lot
          await f.store.recalls.create(
            {
              id: 'wd1',
              kind: 'withdrawal',
              gtin: GTIN,
              reason: 'marketing authorisation suspended',
              effectiveFrom: '2026-03-12T00:00:00.000Z',
              createdAt: '2026-03-12T00:00:01.000Z',
            },
            [],
          );
          assert.deepEqual(codes(await f.fmd.verify(f.pack('T1', { lot: 'L-OTHER' }))), ['FMD-S3']);
          await f.store.recalls.close('rc1', '2026-03-12T10:00:00.000Z');
          await f.store.recalls.close('wd1', '2026-03-12T10:00:00.000Z');
          f.setDay(13);
          assert.equal((await f.fmd.verify(f.pack('S1'))).ok, true);
        }));

      it('FMD-S5 blocked: a quarantined pack', () =>
        withFx(async (f) => {
          await f.commission(['Q1']);
          const o = await f.capture.captureEvent({
            body: JSON.stringify({
              '@context': [
                'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
                { rx: 'https://rxtrace.org/epcis/ext/' },
              ],
              type: 'ObjectEvent',
              eventTime: '2026-03-05T08:00:00.000Z',
              eventTimeZoneOffset: '+00:00',
              epcList: [sgtinDigitalLink(GTIN, 'Q1')],
              action: 'OBSERVE',
              bizStep: 'holding',
              disposition: 'non_sellable_other',
              'rx:reason': 'suspect',
            }),
            contentType: 'application/ld+json',
          });
          assert.ok(o.ok);
          const v = await f.fmd.verify(f.pack('Q1'));
          assert.deepEqual(codes(v), ['FMD-S5']);
          assert.equal(v.state, 'blocked');
          await f.refusal(f.fmd.decommission(f.pack('Q1'), 'supplied', alice));
          // a blocked pack may still be destroyed
          assert.equal((await f.fmd.decommission(f.pack('Q1'), 'destroyed', alice)).status, 'destroyed');
        }));

      it('FMD-A5 already inactive with its reason; FMD-S4 locked', () =>
        withFx(async (f) => {
          await f.commission(['S1', 'S2']);
          await f.fmd.decommission(f.pack('S1'), 'exported', alice);
          const v = await f.fmd.verify(f.pack('S1'), { user: 'bob', premises: PHARMACY2 });
          assert.deepEqual(codes(v), ['FMD-A5']);
          assert.equal(v.state, 'inactive');
          assert.equal(v.decommission?.reason, 'exported');
          assert.equal(v.decommission?.user, 'alice');
          assert.equal(v.decommission?.premises, PHARMACY);
          assert.equal(v.alerts[0]!.alert, true); // elsewhere: a potential falsification
          assert.equal((await f.fmd.verify(f.pack('S1'), alice)).alerts[0]!.alert, false); // our own
          await f.fmd.decommission(f.pack('S2'), 'locked', alice);
          assert.deepEqual(codes(await f.fmd.verify(f.pack('S2'))), ['FMD-S4']);
        }));

      it('bad input is a 400 with FMD-E1', () =>
        withFx(async (f) => {
          for (const bad of [
            { gtin: '123', serial: 'S1' },
            { gtin: '09506000134353', serial: 'S1' },
            { gtin: GTIN, serial: '' },
            { gtin: GTIN, serial: 'S1', expiry: '31/12/2028' },
            null,
          ]) {
            const e = await f.refusal(f.fmd.verify(bad), 400);
            assert.deepEqual(codes(e), ['FMD-E1']);
          }
        }));
    });

    describe('decommission', () => {
      const expected: Record<DecommissionReason, { bizStep: string; disposition: string; status: string }> = {
        supplied: { bizStep: 'dispensing', disposition: 'dispensed', status: 'dispensed' },
        destroyed: { bizStep: 'destroying', disposition: 'destroyed', status: 'destroyed' },
        stolen: { bizStep: 'decommissioning', disposition: 'stolen', status: 'stolen' },
        sample: { bizStep: 'dispensing', disposition: 'dispensed', status: 'dispensed' },
        free_sample: { bizStep: 'dispensing', disposition: 'dispensed', status: 'dispensed' },
        exported: { bizStep: 'decommissioning', disposition: 'inactive', status: 'inactive' },
        locked: { bizStep: 'decommissioning', disposition: 'inactive', status: 'inactive' },
        checked_out: { bizStep: 'decommissioning', disposition: 'inactive', status: 'inactive' },
      };
      it('every reason is an EPCIS event by the user at the premises, and the pack state follows', () =>
        withFx(async (f) => {
          const reasons = Object.keys(expected) as DecommissionReason[];
          await f.commission(reasons.map((r) => `D-${r}`));
          for (const r of reasons) {
            const out = await f.fmd.decommission(f.pack(`D-${r}`), r, alice);
            assert.equal(out.reason, r);
            assert.equal(out.status, expected[r].status, r);
            const [ev] = await f.store.getEventsById(out.eventId);
            const e = ev!.event as Record<string, unknown>;
            assert.equal(e.type, 'ObjectEvent');
            assert.equal(e.action, 'OBSERVE');
            assert.equal(e.bizStep, expected[r].bizStep, r);
            assert.equal(e.disposition, expected[r].disposition, r);
            assert.deepEqual(e.bizLocation, { id: PHARMACY });
            assert.equal(e['rx:decommissionReason'], r);
            assert.equal(e['rx:user'], 'alice');
            assert.equal(ev!.eventTime, '2026-03-10T09:00:00.000Z');
            const [st] = await f.store.packs.get([sgtinDigitalLink(GTIN, `D-${r}`)]);
            assert.equal(st?.status, expected[r].status);
          }
        }));

      it('refusals: unknown, batch/expiry mismatch, already inactive, bad reason; supplied refused when expired or recalled, destroyed allowed', () =>
        withFx(async (f) => {
          await f.commission(['S1', 'S2', 'R1']);
          await f.commission(['E1'], 'LE', '2026-03-01');
          assert.deepEqual(codes(await f.refusal(f.fmd.decommission(f.pack('NOPE'), 'supplied', alice))), [
            'FMD-A2',
          ]);
          assert.deepEqual(
            codes(await f.refusal(f.fmd.decommission(f.pack('S1', { lot: 'BAD' }), 'supplied', alice))),
            ['FMD-A3'],
          );
          assert.deepEqual(
            codes(
              await f.refusal(f.fmd.decommission(f.pack('S1', { expiry: '2030-01-01' }), 'destroyed', alice)),
            ),
            ['FMD-A4'],
          );
          await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          const twice = await f.refusal(f.fmd.decommission(f.pack('S1'), 'destroyed', alice));
          assert.deepEqual(codes(twice), ['FMD-A5']);
          assert.match(twice.detail, /decommissioned as supplied/);
          assert.deepEqual(
            codes(await f.refusal(f.fmd.decommission(f.pack('S2'), 'given-away', alice), 400)),
            ['FMD-E1'],
          );
          await f.refusal(
            f.fmd.decommission(f.pack('S2'), 'supplied', { user: '', premises: PHARMACY }),
            400,
          );
          await f.refusal(f.fmd.decommission(f.pack('S2'), 'supplied', { user: 'alice' }), 400);
          const exp = f.pack('E1', { lot: 'LE', expiry: '2026-03-01' });
          assert.deepEqual(codes(await f.refusal(f.fmd.decommission(exp, 'supplied', alice))), ['FMD-S1']);
          assert.equal((await f.fmd.decommission(exp, 'destroyed', alice)).status, 'destroyed');
          await f.store.recalls.create(
            {
              id: 'rc',
              kind: 'recall',
              gtin: GTIN,
              lot: LOT,
              reason: 'r',
              effectiveFrom: '2026-03-01T00:00:00.000Z',
              createdAt: '2026-03-01T00:00:00.000Z',
            },
            [],
          );
          assert.deepEqual(codes(await f.refusal(f.fmd.decommission(f.pack('R1'), 'sample', alice))), [
            'FMD-S2',
          ]);
          assert.equal((await f.fmd.decommission(f.pack('R1'), 'destroyed', alice)).status, 'destroyed');
        }));
    });

    describe('undo', () => {
      it('by the same user at the same premises on day 10: the pack is active again and can be supplied again', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          const d = await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          f.setDay(20); // exactly 10 days later
          const u = await f.fmd.undo(f.pack('S1'), alice);
          assert.equal(u.reactivated, true);
          assert.equal(u.correctedEventId, d.eventId);
          assert.equal(u.reason, 'supplied');
          assert.equal(u.status, 'active');
          const evs = await f.store.getEventsById(d.eventId);
          assert.equal(evs.length, 2);
          const decl = evs.find((e) => e.isErrorDeclaration)!;
          const ed = (decl.event as Record<string, unknown>).errorDeclaration as Record<string, unknown>;
          assert.equal(ed.declarationTime, '2026-03-20T09:00:00.000Z');
          assert.equal(ed['rx:user'], 'alice');
          assert.equal((await f.fmd.verify(f.pack('S1'))).ok, true);
          // nothing to undo now
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U1']);
          // supplied again, and that one can be undone too
          const d2 = await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          assert.notEqual(d2.eventId, d.eventId);
          assert.equal((await f.fmd.undo(f.pack('S1'), alice)).correctedEventId, d2.eventId);
        }));

      it('undo on day 11 is refused (FMD-U2)', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          await f.fmd.decommission(f.pack('S1'), 'checked_out', alice);
          f.setDay(20, '09:00:00.001');
          const e = await f.refusal(f.fmd.undo(f.pack('S1'), alice));
          assert.deepEqual(codes(e), ['FMD-U2']);
          f.setDay(21);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U2']);
          assert.equal((await f.fmd.verify(f.pack('S1'))).state, 'inactive');
        }));

      it('undo by another user (FMD-U3), at other premises (FMD-U4), both', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          f.setDay(11);
          assert.deepEqual(
            codes(await f.refusal(f.fmd.undo(f.pack('S1'), { user: 'bob', premises: PHARMACY }))),
            ['FMD-U3'],
          );
          assert.deepEqual(
            codes(await f.refusal(f.fmd.undo(f.pack('S1'), { user: 'alice', premises: PHARMACY2 }))),
            ['FMD-U4'],
          );
          assert.deepEqual(
            codes(await f.refusal(f.fmd.undo(f.pack('S1'), { user: 'bob', premises: PHARMACY2 }))),
            ['FMD-U3', 'FMD-U4'],
          );
          // the premises as a bare GLN is the same premises
          assert.equal(
            (await f.fmd.undo(f.pack('S1'), { user: 'alice', premises: '9506000000114' })).status,
            'active',
          );
        }));

      it('never for stolen or destroyed (FMD-U5)', () =>
        withFx(async (f) => {
          await f.commission(['S1', 'S2']);
          await f.fmd.decommission(f.pack('S1'), 'stolen', alice);
          await f.fmd.decommission(f.pack('S2'), 'destroyed', alice);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U5']);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S2'), alice))), ['FMD-U5']);
        }));

      it('never for an expired pack (FMD-U6)', () =>
        withFx(async (f) => {
          await f.commission(['E1'], 'LE', '2026-03-12');
          const p = f.pack('E1', { lot: 'LE', expiry: '2026-03-12' });
          await f.fmd.decommission(p, 'supplied', alice);
          f.setDay(13);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(p, alice))), ['FMD-U6']);
        }));

      it('never for a recalled or withdrawn pack (FMD-U7)', () =>
        withFx(async (f) => {
          await f.commission(['S1', 'S2']);
          await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          await f.fmd.decommission(f.pack('S2'), 'sample', alice);
          await f.store.recalls.create(
            {
              id: 'w',
              kind: 'withdrawal',
              gtin: GTIN,
              reason: 'r',
              effectiveFrom: '2026-03-11T00:00:00.000Z',
              createdAt: '2026-03-11T00:00:00.000Z',
            },
            [],
          );
          f.setDay(12);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U7']);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S2'), alice))), ['FMD-U7']);
        }));

      it('a decommission followed by another event that reactivated the pack is history: nothing to undo', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          await f.fmd.decommission(f.pack('S1'), 'exported', alice);
          const observe = async (disposition: string, time: string) => {
            const o = await f.capture.captureEvent({
              body: JSON.stringify({
                '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
                type: 'ObjectEvent',
                eventTime: time,
                eventTimeZoneOffset: '+00:00',
                epcList: [sgtinDigitalLink(GTIN, 'S1')],
                action: 'OBSERVE',
                disposition,
              }),
              contentType: 'application/ld+json',
            });
            assert.ok(o.ok);
          };
          await observe('sellable_accessible', '2026-03-10T10:00:00.000Z');
          assert.equal((await f.fmd.verify(f.pack('S1'))).ok, true);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U1']);
          await observe('inactive', '2026-03-10T11:00:00.000Z');
          const v = await f.fmd.verify(f.pack('S1'));
          assert.deepEqual(codes(v), ['FMD-A5']);
          assert.equal(v.decommission, undefined); // not through FMD: no stale reason
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1'), alice))), ['FMD-U1']);
        }));

      it('undo with a mismatching batch or an unknown pack is refused with the identity alert', () =>
        withFx(async (f) => {
          await f.commission(['S1']);
          await f.fmd.decommission(f.pack('S1'), 'supplied', alice);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('S1', { lot: 'X' }), alice))), ['FMD-A3']);
          assert.deepEqual(codes(await f.refusal(f.fmd.undo(f.pack('NOPE'), alice))), ['FMD-A2']);
        }));
    });

    describe('pharmacy flow: scan → verify → dispense', () => {
      it('reads scan data with a symbology identifier, a Digital Link, an element string; dispensing twice is refused', () =>
        withFx(async (f) => {
          await f.commission(['P1', 'P2', 'P3']);
          const scan = `]d201${GTIN}21P1${GS}10${LOT}${GS}17281231`;
          const r = await f.fmd.dispense(scan, alice);
          assert.equal(r.decommissioned, true);
          assert.equal(r.reason, 'supplied');
          assert.equal(r.status, 'dispensed');
          assert.equal(r.inputForm, 'scan');
          assert.equal(r.verification.ok, true);
          const twice = await f.refusal(f.fmd.dispense(scan, alice));
          assert.deepEqual(codes(twice), ['FMD-A5']);
          assert.equal(twice.alerts[0]!.alert, false); // same premises: no falsification alert
          const elsewhere = await f.refusal(f.fmd.dispense(scan, { user: 'bob', premises: PHARMACY2 }));
          assert.equal(elsewhere.alerts[0]!.alert, true);
          const dl = await f.fmd.dispense(`https://example.com/01/${GTIN}/10/${LOT}/21/P2?17=281231`, alice);
          assert.equal(dl.inputForm, 'digital-link');
          const el = await f.fmd.dispense(`(01)${GTIN}(17)281231(10)${LOT}(21)P3`, alice);
          assert.equal(el.inputForm, 'bracketed');
        }));

      it('a scan with a wrong batch raises FMD-A3 and dispenses nothing', () =>
        withFx(async (f) => {
          await f.commission(['P1']);
          const e = await f.refusal(f.fmd.dispense(`]d201${GTIN}21P1${GS}10WRONG${GS}17281231`, alice));
          assert.deepEqual(codes(e), ['FMD-A3']);
          assert.equal((await f.fmd.verify(f.pack('P1'))).status, 'active');
        }));

      it('refuses unreadable codes, codes without batch/expiry, SSCCs (400)', () =>
        withFx(async (f) => {
          assert.deepEqual(codes(await f.refusal(f.fmd.dispense('hello', alice), 400)), ['FMD-E1']);
          assert.deepEqual(codes(await f.refusal(f.fmd.dispense(`(01)${GTIN}(21)P1`, alice), 400)), [
            'FMD-E1',
          ]);
          assert.deepEqual(
            codes(await f.refusal(f.fmd.dispense(`(00)${withCheckDigit('09506000123456789')}`, alice), 400)),
            ['FMD-E2'],
          );
        }));

      it('bulk: each item answered on its own; one refusal does not stop the others; limits', () =>
        withFx(async (f) => {
          await f.commission(['K1', 'K2', 'K3']);
          const r = await f.fmd.bulk(
            'decommission',
            [
              { code: `]d201${GTIN}21K1${GS}10${LOT}${GS}17281231` },
              f.pack('NOPE'),
              f.pack('K2'),
              f.pack('K3', { lot: 'X' }),
            ],
            alice,
            'checked_out',
          );
          assert.equal(r.count, 4);
          assert.equal(r.ok, 2);
          assert.deepEqual(
            r.results.map((x) => (x.ok ? 'ok' : x.error!.alerts.map((a) => a.code).join())),
            ['ok', 'FMD-A2', 'ok', 'FMD-A3'],
          );
          const v = await f.fmd.bulk('verify', [f.pack('K1'), f.pack('K3')], undefined);
          assert.deepEqual(
            v.results.map((x) => x.ok),
            [false, true],
          );
          const u = await f.fmd.bulk('undo', [f.pack('K1'), f.pack('K2')], {
            user: 'bob',
            premises: PHARMACY,
          });
          assert.deepEqual(
            u.results.map((x) => x.error?.alerts.map((a) => a.code).join()),
            ['FMD-U3', 'FMD-U3'],
          );
          const d = await f.fmd.bulk(
            'dispense',
            [{ code: `]d201${GTIN}21K3${GS}10${LOT}${GS}17281231` }, { code: 'junk' }],
            alice,
          );
          assert.deepEqual(
            d.results.map((x) => x.ok),
            [true, false],
          );
          assert.equal(d.results[1]!.error!.status, 400);
          await f.refusal(f.fmd.bulk('explode', [f.pack('K1')], alice), 400);
          await f.refusal(f.fmd.bulk('verify', [], alice), 400);
          await f.refusal(
            f.fmd.bulk(
              'verify',
              Array.from({ length: 1001 }, () => f.pack('K1')),
              alice,
            ),
            400,
          );
          await f.refusal(f.fmd.bulk('decommission', [f.pack('K1')], alice, 'nope'), 400);
          await f.refusal(f.fmd.bulk('dispense', [f.pack('K1')], { user: 'alice' }), 400);
        }));

      it('two servers (two service instances on one database) dispensing one pack at once: supplied once', () =>
        withFx(async (f) => {
          await f.commission(['X1', 'X2', 'X3']);
          const other = new FmdService(f.store, {
            capture: new CaptureService(f.store),
            now: () => new Date(f.clock.now),
          });
          for (const s of ['X1', 'X2', 'X3']) {
            const rs = await Promise.allSettled([
              f.fmd.dispense(`]d201${GTIN}21${s}${GS}10${LOT}${GS}17281231`, alice),
              other.dispense(`]d201${GTIN}21${s}${GS}10${LOT}${GS}17281231`, alice),
            ]);
            assert.equal(rs.filter((r) => r.status === 'fulfilled').length, 1, s);
            const rej = rs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
            assert.deepEqual(codes(rej.reason as FmdError), ['FMD-A5']);
          }
          const d = await f.store.queryEvents(
            { bizSteps: ['dispensing'], includeErrorDeclarations: false },
            { limit: 10 },
          );
          assert.equal(d.events.length, 3);
        }));

      it('two dispenses of one pack at the same moment: one supplies it, the other is refused', () =>
        withFx(async (f) => {
          await f.commission(['C1']);
          const scan = `]d201${GTIN}21C1${GS}10${LOT}${GS}17281231`;
          const rs = await Promise.allSettled([f.fmd.dispense(scan, alice), f.fmd.dispense(scan, alice)]);
          assert.equal(rs.filter((r) => r.status === 'fulfilled').length, 1);
          const rej = rs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
          assert.deepEqual(codes(rej.reason as FmdError), ['FMD-A5']);
        }));
    });
  });
}
