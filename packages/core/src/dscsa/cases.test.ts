/** Suspect / illegitimate product cases: steps, refusals, quarantine events, 24-hour clocks, FDA 3911 data, notices. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPdf } from '../labels/pdf-reader.ts';
import { CaseError, clocksOf, form3911Pdf, noticesPdf, SuspectProductService } from './cases.ts';
import {
  at,
  type Ctx,
  gln,
  MFR,
  NDC,
  onBothStores,
  PHARMACY,
  pack,
  receive,
  ship,
  sscc,
  standardShipment,
  WHS,
} from './test-support.ts';

const H = 3_600_000;

async function setup(ctx: Ctx) {
  await standardShipment(ctx);
  await ctx.send([
    receive([sscc(1), sscc(2)], at(60), MFR, WHS),
    ship([pack(1)], at(120), WHS, PHARMACY, 'urn:x:po:p1'),
  ]);
  let now = new Date(at(600));
  const svc = new SuspectProductService(ctx.store, ctx.capture, { now: () => now, selfGln: gln(WHS) });
  return {
    svc,
    tick(hours: number) {
      now = new Date(now.getTime() + hours * H);
    },
  };
}

const refused = (status: number, re: RegExp) => (e: unknown) =>
  e instanceof CaseError && e.status === status && re.test(e.message);

onBothStores((name, open) => {
  describe(`suspect product cases (${name})`, () => {
    test('open: refusals (no packs, unknown pack, bad id, bad reason, no user, bad GLN)', async () => {
      const ctx = await open();
      const { svc } = await setup(ctx);
      await assert.rejects(
        svc.open({ packs: [], reason: 'counterfeit', by: 'ann' }),
        refused(400, /at least one pack/),
      );
      await assert.rejects(
        svc.open({ packs: [pack(77)], reason: 'counterfeit', by: 'ann' }),
        refused(400, /unknown to the pack state/),
      );
      await assert.rejects(
        svc.open({ packs: ['hello'], reason: 'counterfeit', by: 'ann' }),
        refused(400, /packs:/),
      );
      await assert.rejects(
        svc.open({ packs: [pack(2)], reason: 'ugly' as never, by: 'ann' }),
        refused(400, /reason must be one of/),
      );
      await assert.rejects(svc.open({ packs: [pack(2)], reason: 'counterfeit', by: '' }), refused(400, /by/));
      await assert.rejects(
        svc.open({ packs: [pack(2)], reason: 'counterfeit', by: 'a', reportedBy: '1' }),
        refused(400, /13-digit/),
      );
      await assert.rejects(svc.get('urn:uuid:none'), refused(404, /no case/));
    });

    test('quarantine → investigation → cleared → closed: who and when, quarantine and release events, pack state follows', async () => {
      const ctx = await open();
      const { svc, tick } = await setup(ctx);
      const c = await svc.open({
        packs: [pack(2), pack(3)],
        reason: 'diverted',
        description: 'price far below market',
        by: 'ann',
        location: `https://id.gs1.org/414/${gln(WHS)}`,
      });
      assert.equal(c.status, 'quarantined');
      assert.deepEqual(
        c.steps.map((s) => [s.step, s.by, s.at]),
        [['quarantine', 'ann', at(600)]],
      );
      const states = await ctx.store.packs.get([pack(2), pack(3)]);
      assert.deepEqual(
        states.map((s) => s.disposition),
        ['non_sellable_other', 'non_sellable_other'],
      );
      const qEvent = (
        await ctx.store.queryEvents({ eventIds: [c.steps[0]!.data!.eventId as string] }, { limit: 1 })
      ).events[0]!;
      assert.equal(qEvent.event.bizStep, 'holding');
      assert.equal(qEvent.event['rx:reason'], 'suspect product: diverted');
      assert.deepEqual(c.body.products, [
        {
          gtin: (c.body.products as { gtin: string }[])[0]!.gtin,
          ndc: NDC,
          name: 'Metoprolol Tartrate Tablets',
          strength: '50 mg',
          dosageForm: 'tablet',
          lot: 'L100',
          expiry: '2028-12-31',
          serials: [pack(2), pack(3)],
        },
      ]);
      await assert.rejects(
        svc.clear(c.id, { by: 'bob' }),
        refused(409, /cannot clear a case that is quarantined/),
      );
      await assert.rejects(svc.close(c.id, { by: 'bob' }), refused(409, /cannot close/));
      tick(2);
      const inv = await svc.investigate(c.id, {
        by: 'bob',
        note: 'verification requested from manufacturer',
      });
      assert.equal(inv.status, 'investigating');
      await assert.rejects(svc.investigate(c.id, { by: 'bob' }), refused(409, /investigating/));
      tick(1);
      const cl = await svc.clear(c.id, { by: 'carl', verification: { verified: true } });
      assert.equal(cl.status, 'cleared');
      assert.deepEqual(
        cl.steps.map((s) => [s.step, s.by]),
        [
          ['quarantine', 'ann'],
          ['investigation', 'bob'],
          ['cleared', 'carl'],
        ],
      );
      assert.deepEqual(
        (await ctx.store.packs.get([pack(2)])).map((s) => s.disposition),
        ['active'],
      );
      const notices = await svc.notices(c.id);
      assert.ok(notices.every((n) => n.kind === 'cleared'));
      await assert.rejects(
        svc.form3911(c.id),
        refused(409, /illegitimate product or product with a high risk/),
      );
      const closed = await svc.close(c.id, { by: 'carl' });
      assert.equal(closed.status, 'closed');
      assert.equal(closed.version, 4);
    });

    test('clocks: investigation start (policy 24 h) shown, overdue after 24 h, met late', async () => {
      const ctx = await open();
      const { svc, tick } = await setup(ctx);
      const c = await svc.open({ packs: [pack(2)], reason: 'other', by: 'ann' });
      const k = c.clocks.find((x) => x.name === 'investigation_start')!;
      assert.equal(k.basis, 'policy');
      assert.equal(k.dueAt, new Date(Date.parse(at(600)) + 24 * H).toISOString());
      assert.equal(k.state, 'running');
      assert.equal(k.remainingMs, 24 * H);
      tick(25);
      const late = await svc.get(c.id);
      assert.equal(late.overdue, true);
      assert.equal(late.clocks[0]!.state, 'overdue');
      assert.deepEqual(
        (await svc.overdue()).map((x) => x.id),
        [c.id],
      );
      const inv = await svc.investigate(c.id, { by: 'bob' });
      assert.equal(inv.clocks[0]!.state, 'met_late');
      assert.equal(inv.overdue, false);
      assert.deepEqual(await svc.overdue(), []);
    });

    test('illegitimate: 24-hour FDA and partner clocks, notifications, refusals, FDA 3911 data, notices, termination after FDA consultation', async () => {
      const ctx = await open();
      const { svc, tick } = await setup(ctx);
      const c = await svc.open({
        packs: [pack(1), pack(2)],
        reason: 'counterfeit',
        description: 'hologram missing',
        by: 'ann',
      });
      await assert.rejects(
        svc.illegitimate(c.id, { by: 'bob', reason: 'counterfeit' }),
        refused(409, /quarantined/),
      );
      await svc.investigate(c.id, { by: 'bob' });
      await assert.rejects(
        svc.illegitimate(c.id, { by: 'bob', reason: 'fake' as never }),
        refused(400, /reason must be one of/),
      );
      await assert.rejects(
        svc.notifyFda(c.id, { by: 'bob' }),
        refused(409, /cannot record the FDA notification/),
      );
      tick(1);
      const ill = await svc.illegitimate(c.id, { by: 'bob', reason: 'counterfeit', note: 'lab confirmed' });
      assert.equal(ill.status, 'illegitimate');
      const fda = ill.clocks.find((x) => x.name === 'fda_notification')!;
      const prt = ill.clocks.find((x) => x.name === 'partner_notification')!;
      assert.equal(fda.basis, 'statute');
      assert.equal(fda.dueAt, new Date(Date.parse(ill.steps[2]!.at) + 24 * H).toISOString());
      assert.equal(prt.state, 'running');
      assert.equal(
        (await ctx.store.packs.get([pack(1)]))[0]!.disposition,
        'non_sellable_other',
        'stays quarantined',
      );
      await assert.rejects(svc.clear(c.id, { by: 'bob' }), refused(409, /illegitimate/));
      await assert.rejects(
        svc.close(c.id, { by: 'bob', fdaConsulted: true, disposition: 'destroyed' }),
        refused(409, /before fda_notified and partners_notified/),
      );
      // the 3911 data
      const f = await svc.form3911(c.id, { phone: '+1 555 0100', email: 'qa@bigwholesale.example' });
      assert.equal(f.notificationType, 'initial');
      assert.equal(f.notificationFor, 'illegitimate_product');
      assert.equal(f.classification, 'counterfeit');
      assert.equal(f.product[0]!.ndc, NDC);
      assert.equal(f.product[0]!.quantity, 2);
      assert.deepEqual(f.product[0]!.serials, ['S0001', 'S0002']);
      assert.equal(f.reporter.companyName, 'Big Wholesale LLC');
      assert.equal(f.reporter.category, 'wholesaler');
      assert.equal(f.reporter.contactName, 'bob');
      assert.match(f.description, /hologram missing — lab confirmed/);
      assert.deepEqual(f.tradingPartners.map((t) => t.gln).sort(), [gln(MFR), gln(PHARMACY)].sort());
      const pdfText = readPdf(form3911Pdf(f))
        .pages.flatMap((p) => p.texts.map((t) => t.text))
        .join('\n');
      assert.match(pdfText, /FDA Form 3911/);
      assert.match(pdfText, /Classification: counterfeit/);
      // the notices: the manufacturer we bought from and the pharmacy we sold pack 1 to
      const notices = await svc.notices(c.id);
      assert.deepEqual(notices.map((n) => n.to.gln).sort(), [gln(MFR), gln(PHARMACY)].sort());
      assert.ok(notices.every((n) => n.kind === 'illegitimate_product' && /quarantine/.test(n.text)));
      assert.match(
        readPdf(noticesPdf(notices))
          .pages[0]!.texts.map((t) => t.text)
          .join('\n'),
        /Illegitimate product notification/,
      );
      // 25 hours later nothing was notified: both statutory clocks overdue
      tick(25);
      const late = await svc.get(c.id);
      assert.deepEqual(
        late.clocks
          .filter((k) => k.state === 'overdue')
          .map((k) => k.name)
          .sort(),
        ['fda_notification', 'investigation_start', 'partner_notification']
          .filter((n) => n !== 'investigation_start')
          .sort(),
      );
      assert.deepEqual(
        (await svc.overdue()).map((x) => x.id),
        [c.id],
      );
      await assert.rejects(
        svc.notifyPartners(c.id, { by: 'bob', partners: ['123'] }),
        refused(400, /13-digit/),
      );
      const n1 = await svc.notifyFda(c.id, { by: 'bob', incidentNumber: 'IN-2026-0042' });
      assert.equal(n1.clocks.find((k) => k.name === 'fda_notification')!.state, 'met_late');
      await assert.rejects(svc.notifyFda(c.id, { by: 'bob' }), refused(409, /already recorded/));
      await svc.notifyPartners(c.id, { by: 'bob', partners: [gln(MFR), gln(PHARMACY)] });
      assert.equal((await svc.form3911(c.id)).notificationType, 'follow_up');
      assert.equal((await svc.form3911(c.id)).fdaIncidentNumber, 'IN-2026-0042');
      await assert.rejects(
        svc.close(c.id, { by: 'bob', disposition: 'destroyed' }),
        refused(409, /consultation with FDA/),
      );
      await assert.rejects(svc.close(c.id, { by: 'bob', fdaConsulted: true }), refused(400, /disposition/));
      const closed = await svc.close(c.id, { by: 'bob', fdaConsulted: true, disposition: 'destroyed' });
      assert.equal(closed.status, 'closed');
      assert.equal((await svc.form3911(c.id)).notificationType, 'request_for_termination');
      assert.deepEqual(await svc.overdue(), []);
    });

    test('high risk of illegitimacy: FDA within 24 h of the case, even before a determination', async () => {
      const ctx = await open();
      const { svc, tick } = await setup(ctx);
      const c = await svc.open({
        packs: [pack(4)],
        reason: 'stolen',
        by: 'ann',
        highRisk: true,
        source: 'trading_partner',
        reportedBy: gln(PHARMACY),
      });
      assert.ok(c.clocks.some((k) => k.name === 'high_risk_notification' && k.state === 'running'));
      const f = await svc.form3911(c.id);
      assert.equal(f.notificationFor, 'high_risk_of_illegitimacy');
      tick(1);
      const n = await svc.notifyFda(c.id, { by: 'ann' });
      assert.equal(n.clocks.find((k) => k.name === 'high_risk_notification')!.state, 'met');
    });

    test('clocksOf is pure: the same case at two instants', () => {
      const c = {
        id: 'x',
        status: 'illegitimate' as const,
        version: 3,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        body: {},
        steps: [
          { step: 'quarantine', at: '2026-01-01T00:00:00.000Z', by: 'a' },
          { step: 'investigation', at: '2026-01-01T01:00:00.000Z', by: 'a' },
          { step: 'illegitimate', at: '2026-01-01T02:00:00.000Z', by: 'a' },
        ],
      };
      assert.equal(
        clocksOf(c, new Date('2026-01-02T01:59:59.999Z')).find((k) => k.name === 'fda_notification')!.state,
        'running',
      );
      assert.equal(
        clocksOf(c, new Date('2026-01-02T02:00:00.001Z')).find((k) => k.name === 'fda_notification')!.state,
        'overdue',
      );
      assert.equal(
        clocksOf(c, new Date(), 48).find((k) => k.name === 'investigation_start')!.dueAt,
        '2026-01-03T00:00:00.000Z',
      );
    });
  });
});
