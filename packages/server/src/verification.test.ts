/**
 * DSCSA verification over real HTTP on loopback, on SQLite and on PostgreSQL (the same suite):
 * the responder (every failure reason and additionalInfo, 401/403/400), the connectivity check,
 * the test requester checking every response field against the standard's field list, the
 * requester's directory, retries and timeouts, saleable returns and the exchange log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  commissioningDocument,
  RESPONSE_DATA_FIELDS,
  RESPONSE_FIELDS,
  responseProblems,
  VERIFICATION_FAILURE_REASONS,
  VerificationRequester,
  verificationUrl,
} from '@rxtrace/core';
import { isRxtraceStore, type RxtraceStore, type VerificationLogEntry } from '@rxtrace/store';
import { openTestStore, testDatabaseUrl } from '../../store/src/postgres/test-database.ts';
import { startTestServer, type TestServer } from './testing.ts';

function withCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const OUR_GLN = withCheck('031234500000'); // our own GLN (responder and requester)
const PARTNER = withCheck('061414100001'); // authorised wholesaler
const SUSPENDED = withCheck('061414100002');
const UNKNOWN = withCheck('061414100003');
const G = withCheck('0031234567890'); // our product (prefix 0312345)
const G2 = withCheck('0061414199999'); // another maker's product (prefix 0614141), asked over HTTP
const G3 = withCheck('0077777700001'); // a product with no responder in the directory
const LOC = `https://id.gs1.org/414/${withCheck('031234500001')}`;

const json = (method: string, body: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function suite(name: string, open: () => Promise<TestServer>): void {
  describe(`verification (${name})`, () => {
    let s: TestServer;
    let store: RxtraceStore;
    let verifyKey = '';
    let queryKey = '';

    const capture = async (doc: string) => {
      const r = await s.req('/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: doc,
      });
      assert.equal(r.status, 202, await r.clone().text());
      const loc = r.headers.get('location')!;
      for (let i = 0; i < 200; i++) {
        const j = (await (await s.req(loc)).json()) as { running: boolean; success: boolean };
        if (!j.running) {
          assert.equal(j.success, true);
          return;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error('capture did not finish');
    };
    const observe = (id: string, disposition: string, bizStep: string) =>
      JSON.stringify({
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: {
          eventList: [
            {
              type: 'ObjectEvent',
              eventTime: new Date().toISOString(),
              eventTimeZoneOffset: '+00:00',
              epcList: [id],
              action: 'OBSERVE',
              bizStep,
              disposition,
            },
          ],
        },
      });
    const pack = (gtin: string, serial: string) => `https://id.gs1.org/01/${gtin}/21/${serial}`;
    const verify = (
      gtin: string,
      lot: string,
      serial: string,
      q: Record<string, string>,
      key: string | null = verifyKey,
    ) => s.req(`/01/${gtin}/10/${lot}/21/${serial}?${new URLSearchParams(q)}`, { key });
    const std = (exp: string, extra: Record<string, string> = {}) => ({
      exp,
      linkType: 'verificationService',
      context: 'dscsaSaleableReturn',
      reqGLN: PARTNER,
      corrUUID: randomUUID(),
      ...extra,
    });

    before(async () => {
      s = await open();
      assert.ok(isRxtraceStore(s.store));
      store = s.store;
      const key = async (role: string) => {
        const r = await s.req('/keys', json('POST', { roles: [role] }));
        assert.equal(r.status, 201, await r.clone().text());
        return ((await r.json()) as { key: string }).key;
      };
      verifyKey = await key('verify');
      queryKey = await key('query');
      const licence = { number: 'L-1', authority: 'FDA', validFrom: '2020-01-01', expiry: '2099-12-31' };
      await store.registry.putPartners([
        {
          gln: PARTNER,
          name: 'Wholesaler',
          roles: ['wholesaler'],
          status: 'authorised',
          licence,
          country: 'US',
        },
        {
          gln: SUSPENDED,
          name: 'Suspended',
          roles: ['wholesaler'],
          status: 'suspended',
          licence,
          country: 'US',
        },
        { gln: OUR_GLN, name: 'Us', roles: ['manufacturer'], status: 'authorised', licence, country: 'US' },
      ]);
      await capture(
        commissioningDocument({
          gtin: G,
          serials: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'R1', 'R2', 'R3'],
          lot: 'L1',
          expiry: '2027-12-31',
        }),
      );
      await capture(commissioningDocument({ gtin: G, serials: ['E1'], lot: 'L0', expiry: '2024-01-31' }));
      await capture(
        commissioningDocument({ gtin: G, serials: ['C1', 'C2'], lot: 'LR', expiry: '2027-06-30' }),
      );
      await capture(
        commissioningDocument({ gtin: G2, serials: ['X1', 'X2'], lot: 'B7', expiry: '2028-01-15' }),
      );
      await capture(commissioningDocument({ gtin: G3, serials: ['Z1'], lot: 'Q1', expiry: '2028-01-15' }));
      await capture(observe(pack(G, 'S4'), 'dispensed', 'dispensing'));
      await capture(observe(pack(G, 'S5'), 'stolen', 'holding'));
      await capture(observe(pack(G, 'S6'), 'non_sellable_other', 'holding'));
      await store.recalls.create(
        {
          id: randomUUID(),
          kind: 'recall',
          gtin: G,
          lot: 'LR',
          reason: 'contamination',
          effectiveFrom: '2026-01-01T00:00:00.000Z',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
        [],
      );
      // The directory: the other maker's prefix points at this server (its responder), with the key.
      const d = await s.req(
        '/verification/directory/0614141',
        json('PUT', { responderUrl: s.url, responderGLN: OUR_GLN, token: verifyKey }),
      );
      assert.equal(d.status, 201, await d.clone().text());
    });
    after(() => s.close());

    test('a genuine pack: verified, with exactly the standard fields; corrUUID echoed', async () => {
      const q = std('271231');
      const r = await verify(G, 'L1', 'S1', q);
      assert.equal(r.status, 200, await r.clone().text());
      assert.match(r.headers.get('content-type')!, /application\/json/);
      const b = (await r.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(b).sort(), [...RESPONSE_FIELDS].sort());
      assert.equal(b.responderGLN, OUR_GLN);
      assert.equal(b.corrUUID, q.corrUUID);
      assert.ok(Math.abs(Date.parse(b.verificationTimestamp as string) - Date.now()) < 60_000);
      assert.deepEqual(b.data, { verified: true });
      // DD = 00 stands for the month's last day
      assert.deepEqual(
        ((await (await verify(G, 'L1', 'S1', std('271200'))).json()) as { data: unknown }).data,
        { verified: true },
      );
    });

    test('each verificationFailureReason of the standard', async () => {
      const cases: [string, string, string, string, string][] = [
        [G, 'L1', 'NOPE', '271231', 'No_match_GTIN_Serial'],
        [withCheck('0031234500000'), 'L1', 'S1', '271231', 'No_match_GTIN_Serial'], // GTIN not ours
        [G, 'L9', 'S1', '271231', 'No_match_GTIN_Serial_Lot'],
        [G, 'L1', 'S1', '271130', 'No_match_GTIN_Serial_Expiry'],
        [G, 'L9', 'S1', '261130', 'No_match_GTIN_Serial_Lot_Expiry'],
        [G, 'L1', 'S4', '271231', 'No_reason_provided'], // dispensed
      ];
      const seen = new Set<string>();
      for (const [gtin, lot, serial, exp, reason] of cases) {
        const b = (await (await verify(gtin, lot, serial, std(exp))).json()) as {
          data: Record<string, unknown>;
        };
        assert.deepEqual(
          b.data,
          { verified: false, verificationFailureReason: reason },
          `${gtin}/${lot}/${serial}/${exp}`,
        );
        seen.add(reason);
      }
      assert.deepEqual([...seen].sort(), [...VERIFICATION_FAILURE_REASONS].sort());
    });

    test('additionalInfo: Recalled, Expired, Illegitimate (stolen), Suspect (quarantined)', async () => {
      const info = async (lot: string, serial: string, exp: string) =>
        ((await (await verify(G, lot, serial, std(exp))).json()) as { data: unknown }).data;
      assert.deepEqual(await info('LR', 'C1', '270630'), { verified: true, additionalInfo: 'Recalled' });
      assert.deepEqual(await info('L0', 'E1', '240131'), { verified: true, additionalInfo: 'Expired' });
      assert.deepEqual(await info('L1', 'S5', '271231'), {
        verified: false,
        verificationFailureReason: 'No_reason_provided',
        additionalInfo: 'Illegitimate',
      });
      assert.deepEqual(await info('L1', 'S6', '271231'), {
        verified: false,
        verificationFailureReason: 'No_reason_provided',
        additionalInfo: 'Suspect',
      });
    });

    test('401 without a key or with an unknown one; 403 for a key without the verify role and for requesters not authorised', async () => {
      let r = await verify(G, 'L1', 'S1', std('271231'), null);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('content-type')!, /problem\+json/);
      r = await verify(G, 'L1', 'S1', std('271231'), 'rxt_0000000000000000_nope');
      assert.equal(r.status, 401);
      r = await verify(G, 'L1', 'S1', std('271231'), queryKey);
      assert.equal(r.status, 403);
      for (const gln of [UNKNOWN, SUSPENDED]) {
        r = await verify(G, 'L1', 'S1', std('271231', { reqGLN: gln }));
        assert.equal(r.status, 403, gln);
        assert.match(((await r.json()) as { detail: string }).detail, /not an authorised trading partner/);
      }
      // the connectivity check refuses the same way
      r = await verify(G, 'L1', 'S1', { checkConnectivity: 'true', reqGLN: UNKNOWN });
      assert.equal(r.status, 403);
      r = await verify(G, 'L1', 'S1', { checkConnectivity: 'true', reqGLN: PARTNER }, null);
      assert.equal(r.status, 401);
    });

    test('400 with a precise detail for bad requests', async () => {
      const bad: [string, string, string, Record<string, string>, RegExp][] = [
        ['00312345678900', 'L1', 'S1', std('271231'), /GTIN/],
        [G, 'L1', 'S1', std('271231', { reqGLN: '123' }), /reqGLN/],
        [G, 'L1', 'S1', (({ reqGLN: _, ...q }) => q)(std('271231')), /reqGLN .*required/],
        [G, 'L1', 'S1', std('271331'), /exp/],
        [G, 'L1', 'S1', (({ exp: _, ...q }) => q)(std('271231')), /exp .*required/],
        [G, 'L1', 'S1', std('271231', { context: 'whatever' }), /context/],
        [G, 'L1', 'S1', std('271231', { linkType: 'pip' }), /linkType/],
        [G, 'L1', 'S1', std('271231', { corrUUID: 'x' }), /corrUUID/],
        [G, 'L1', 'S1'.repeat(11), std('271231'), /serial/],
      ];
      for (const [gtin, lot, serial, q, re] of bad) {
        const r = await verify(gtin, lot, serial, q);
        assert.equal(r.status, 400, JSON.stringify(q));
        assert.match(r.headers.get('content-type')!, /problem\+json/);
        assert.match(((await r.json()) as { detail: string }).detail, re);
      }
    });

    test('checkConnectivity answers 200 with the responder fields', async () => {
      const corrUUID = randomUUID();
      const qs: Record<string, string>[] = [
        { checkConnectivity: 'true', reqGLN: PARTNER, corrUUID },
        { linkType: 'checkConnectivity', reqGLN: PARTNER, corrUUID },
      ];
      for (const q of qs) {
        const r = await verify(G, 'L1', 'S1', q);
        assert.equal(r.status, 200);
        const b = (await r.json()) as Record<string, unknown>;
        assert.equal(b.responderGLN, OUR_GLN);
        assert.equal(b.corrUUID, corrUUID);
        assert.equal(typeof b.verificationTimestamp, 'string');
      }
    });

    test('the test requester: over HTTP, through the directory, every response field checked against the standard', async () => {
      const requester = new VerificationRequester({
        store: store.verification,
        requesterGLN: PARTNER,
        retries: 0,
      });
      const cases: [string, string, string, string, Record<string, unknown>][] = [
        [G2, 'B7', 'X1', '280115', { verified: true }],
        [
          G2,
          'B8',
          'X1',
          '280115',
          { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' },
        ],
        [G2, 'B7', 'X9', '280115', { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' }],
      ];
      for (const [gtin, lot, serial, exp, data] of cases) {
        const r = await requester.verify({ gtin, lot, serial, exp, context: 'dscsaSaleableReturn' });
        assert.equal(r.ok, true, JSON.stringify(r));
        if (!r.ok) continue;
        const body = r.response as unknown as Record<string, unknown>;
        for (const k of Object.keys(body))
          assert.ok((RESPONSE_FIELDS as readonly string[]).includes(k), `unknown field ${k}`);
        for (const k of Object.keys(body.data as object))
          assert.ok((RESPONSE_DATA_FIELDS as readonly string[]).includes(k), `unknown data field ${k}`);
        for (const k of ['verificationTimestamp', 'responderGLN', 'corrUUID', 'data'])
          assert.ok(k in body, `missing ${k}`);
        assert.deepEqual(responseProblems(body), []);
        assert.deepEqual(body.data, data);
      }
      // the request URL carries the standard's parameters
      const u = new URL(
        verificationUrl('https://vrs.example/', {
          gtin: G2,
          lot: 'B 7',
          serial: 'X/1',
          exp: '280115',
          context: 'dscsaSaleableReturn',
          reqGLN: PARTNER,
          corrUUID: 'c',
        }),
      );
      assert.equal(u.pathname, `/01/${G2}/10/B%207/21/X%2F1`);
      assert.deepEqual(Object.fromEntries(u.searchParams), {
        exp: '280115',
        linkType: 'verificationService',
        context: 'dscsaSaleableReturn',
        reqGLN: PARTNER,
        corrUUID: 'c',
      });
      // a GTIN missing from the directory gets no answer
      const none = await requester.verify({ gtin: G3, lot: 'Q1', serial: 'Z1', exp: '280115' });
      assert.equal(none.ok, false);
      assert.match(none.ok ? '' : none.error, /no responder/);
    });

    test('the requester retries 503s and times out; every exchange is logged with its attempts', async () => {
      let calls = 0;
      const flaky: Server = createServer((req, res) => {
        calls++;
        if (calls === 1) {
          res.writeHead(503).end();
          return;
        }
        const u = new URL(req.url!, 'http://x');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            verificationTimestamp: new Date().toISOString(),
            responderGLN: OUR_GLN,
            corrUUID: u.searchParams.get('corrUUID'),
            data: { verified: true },
          }),
        );
      });
      const silent: Server = createServer(() => {});
      await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      try {
        const port = (x: Server) => (x.address() as AddressInfo).port;
        const requester = new VerificationRequester({
          store: store.verification,
          requesterGLN: OUR_GLN,
          retries: 2,
          backoffMs: 5,
          timeoutMs: 150,
        });
        const ok = await requester.ask(
          { key: G3, responderUrl: `http://127.0.0.1:${port(flaky)}`, updatedAt: '' },
          { gtin: G3, lot: 'Q1', serial: 'Z1', exp: '280115', context: 'dscsaSaleableReturn' },
        );
        assert.equal(ok.ok, true);
        assert.equal(ok.attempts, 2);
        const t0 = Date.now();
        const late = await requester.ask(
          { key: G3, responderUrl: `http://127.0.0.1:${port(silent)}`, updatedAt: '' },
          { gtin: G3, lot: 'Q1', serial: 'Z2', exp: '280115', context: 'dscsaSaleableReturn' },
        );
        assert.equal(late.ok, false);
        assert.equal(late.attempts, 3);
        assert.match(late.ok ? '' : late.error, /no answer within 150 ms/);
        assert.ok(Date.now() - t0 < 3000);
        const logged = await store.verification.queryLog({ direction: 'out', gtin: G3 }, { limit: 10 });
        const bySerial = new Map<string | undefined, VerificationLogEntry>();
        for (const e of logged.items) if (!bySerial.has(e.serial)) bySerial.set(e.serial, e); // newest first
        assert.equal(bySerial.get('Z1')!.attempts, 2);
        assert.equal(bySerial.get('Z1')!.verified, true);
        assert.equal(bySerial.get('Z2')!.attempts, 3);
        assert.equal(bySerial.get('Z2')!.status, 0);
      } finally {
        flaky.close();
        silent.close();
        flaky.closeAllConnections();
        silent.closeAllConnections();
      }
    });

    test('saleable returns: verified packs go back to sellable stock, failures are quarantined with an exception', async () => {
      const r = await s.req(
        '/returns',
        json('POST', {
          user: 'receiver-1',
          fromGLN: PARTNER,
          location: LOC,
          packs: [
            { gtin: G, serial: 'R1', lot: 'L1', exp: '271231' }, // ours, genuine → sellable
            { gtin: G2, serial: 'X2', lot: 'B7', exp: '2028-01-15' }, // theirs, asked over HTTP → sellable
            { gtin: G, serial: 'R2', lot: 'LX', exp: '271231' }, // lot mismatch → quarantine
            { gtin: G, serial: 'C2', lot: 'LR', exp: '270630' }, // recalled → quarantine
            { gtin: G3, serial: 'Z1', lot: 'Q1', exp: '280115' }, // no responder → quarantine
          ],
        }),
      );
      assert.equal(r.status, 201, await r.clone().text());
      const ret = (await r.json()) as { returnId: string; items: Record<string, unknown>[] };
      const by = new Map(ret.items.map((i) => [i.serial as string, i]));
      assert.equal(by.get('R1')!.outcome, 'sellable');
      assert.equal(by.get('R1')!.verifiedBy, 'local');
      assert.equal(by.get('X2')!.outcome, 'sellable');
      assert.equal(String(by.get('X2')!.verifiedBy).startsWith('http://127.0.0.1'), true);
      assert.equal(by.get('R2')!.outcome, 'quarantined');
      assert.equal(by.get('R2')!.verificationFailureReason, 'No_match_GTIN_Serial_Lot');
      assert.equal(by.get('C2')!.outcome, 'quarantined');
      assert.equal(by.get('C2')!.additionalInfo, 'Recalled');
      assert.equal(by.get('Z1')!.outcome, 'quarantined');
      assert.match((by.get('Z1')!.exception as { reason: string }).reason, /no responder/);
      // pack state follows the events
      const states = new Map(
        (await store.packs.get([pack(G, 'R1'), pack(G2, 'X2'), pack(G, 'R2'), pack(G, 'C2')])).map((p) => [
          p.id,
          p,
        ]),
      );
      assert.equal(states.get(pack(G, 'R1'))!.disposition, 'sellable_accessible');
      assert.equal(states.get(pack(G, 'R1'))!.location, LOC);
      assert.equal(states.get(pack(G2, 'X2'))!.disposition, 'sellable_accessible');
      assert.equal(states.get(pack(G, 'R2'))!.disposition, 'non_sellable_other');
      assert.equal(states.get(pack(G, 'C2'))!.status, 'non_sellable');
      // the quarantine event carries rx:reason
      const ev = await store.getEventsById(by.get('R2')!.eventId as string);
      assert.match(JSON.stringify(ev[0]!.event), /No_match_GTIN_Serial_Lot/);
      // the exceptions, then a resolution
      const ex = (await (await s.req('/returns/exceptions?status=open')).json()) as {
        exceptions: Record<string, unknown>[];
      };
      const mine = ex.exceptions.filter((e) => e.returnId === ret.returnId);
      assert.equal(mine.length, 3);
      for (const e of mine) {
        assert.equal(e.user, 'receiver-1');
        assert.equal(e.fromGLN, PARTNER);
        assert.equal(typeof e.reason, 'string');
      }
      const res = await s.req(
        `/returns/${ret.returnId}/exceptions/resolve`,
        json('POST', { packId: pack(G, 'R2'), resolution: 'returned to sender' }),
      );
      assert.equal(res.status, 200);
      assert.equal(
        (
          await s.req(
            `/returns/${ret.returnId}/exceptions/resolve`,
            json('POST', { packId: pack(G, 'R2'), resolution: 'x' }),
          )
        ).status,
        404,
      );
      const again = (await (await s.req(`/returns/${ret.returnId}`)).json()) as {
        items: { serial: string; exception?: { status: string } }[];
      };
      assert.equal(again.items.find((i) => i.serial === 'R2')!.exception!.status, 'resolved');
      // a now quarantined pack fails verification as Suspect
      const v = (await (await verify(G, 'LR', 'C2', std('270630'))).json()) as {
        data: Record<string, unknown>;
      };
      assert.equal(v.data.additionalInfo, 'Suspect');
    });

    test('returns refuse bad input with a precise detail', async () => {
      const cases: [unknown, RegExp][] = [
        [{ user: 'u', packs: [] }, /at least one pack/],
        [{ user: 'u', packs: [{ gtin: '123', serial: 'A', lot: 'L', exp: '271231' }] }, /gtin/],
        [{ user: 'u', packs: [{ gtin: G, serial: 'A', lot: 'L', exp: '271331' }] }, /exp/],
        [{ user: 'u', fromGLN: '1', packs: [{ gtin: G, serial: 'A', lot: 'L', exp: '271231' }] }, /fromGLN/],
        [
          {
            user: 'u',
            packs: [
              { gtin: G, serial: 'A', lot: 'L', exp: '271231' },
              { gtin: G, serial: 'A', lot: 'L', exp: '271231' },
            ],
          },
          /twice/,
        ],
      ];
      for (const [body, re] of cases) {
        const r = await s.req('/returns', json('POST', body));
        assert.equal(r.status, 400);
        assert.match(((await r.json()) as { detail: string }).detail, re);
      }
      assert.equal((await s.req('/returns', { ...json('POST', { packs: [] }), key: verifyKey })).status, 403);
      // packs as scanned: any GS1 form
      const bad = await s.req('/returns', json('POST', { user: 'u', packs: [{ code: `(01)${G}(21)S3` }] }));
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { detail: string }).detail, /packs\[0\]\.code: .*lot \(10\)/);
      const scanned = await s.req(
        '/returns',
        json('POST', {
          user: 'u',
          packs: [
            { code: `(01)${G}(17)271231(10)L1(21)S3` },
            { code: `https://id.gs1.org/01/${G}/10/L1/21/S7?17=271231` },
          ],
        }),
      );
      assert.equal(scanned.status, 201, await scanned.clone().text());
      const sc = (await scanned.json()) as { items: { serial: string; outcome: string }[] };
      assert.deepEqual(
        sc.items.map((i) => [i.serial, i.outcome]),
        [
          ['S3', 'sellable'],
          ['S7', 'sellable'],
        ],
      );
    });

    test('/openapi.json describes every route of the verification plugin', async () => {
      const doc = (await (await s.req('/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const routes: [string, string][] = [
        ['/01/{gtin}/10/{lot}/21/{serial}', 'get'],
        ['/verification/requests', 'post'],
        ['/verification/log', 'get'],
        ['/verification/log', 'delete'],
        ['/verification/directory', 'get'],
        ['/verification/directory/{key}', 'get'],
        ['/verification/directory/{key}', 'put'],
        ['/verification/directory/{key}', 'delete'],
        ['/returns', 'post'],
        ['/returns', 'get'],
        ['/returns/exceptions', 'get'],
        ['/returns/{returnId}', 'get'],
        ['/returns/{returnId}/exceptions/resolve', 'post'],
      ];
      for (const [path, method] of routes) assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    });

    test('every exchange is in the log, queryable and purgeable; the directory hides tokens', async () => {
      const corrUUID = randomUUID();
      await verify(G, 'L1', 'S2', std('271231', { corrUUID }));
      await verify(G, 'L1', 'S2', std('271231', { reqGLN: UNKNOWN, corrUUID: randomUUID() }));
      const r = await s.req(`/verification/log?corrUUID=${corrUUID}`);
      assert.equal(r.status, 200);
      const [e] = ((await r.json()) as { exchanges: VerificationLogEntry[] }).exchanges;
      assert.equal(e!.direction, 'in');
      assert.equal(e!.reqGLN, PARTNER);
      assert.equal(e!.verified, true);
      assert.equal(e!.status, 200);
      assert.equal(JSON.parse(e!.response!).corrUUID, corrUUID);
      // refused by the authentication hook (no key, a key without the role): logged too
      const c401 = randomUUID();
      const c403 = randomUUID();
      assert.equal((await verify(G, 'L1', 'S2', std('271231', { corrUUID: c401 }), null)).status, 401);
      assert.equal((await verify(G, 'L1', 'S2', std('271231', { corrUUID: c403 }), queryKey)).status, 403);
      for (const [c, status] of [
        [c401, 401],
        [c403, 403],
      ] as const) {
        let found: VerificationLogEntry[] = [];
        for (let i = 0; i < 50 && found.length === 0; i++) {
          found = (
            (await (await s.req(`/verification/log?corrUUID=${c}`)).json()) as {
              exchanges: VerificationLogEntry[];
            }
          ).exchanges;
          if (found.length === 0) await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(found[0]?.status, status);
        assert.equal(found[0]?.reqGLN, PARTNER);
      }
      const refused = (await (await s.req(`/verification/log?reqGLN=${UNKNOWN}`)).json()) as {
        exchanges: VerificationLogEntry[];
      };
      assert.ok(refused.exchanges.some((x) => x.status === 403));
      // both sides of a requester exchange to ourselves share the corrUUID
      const outs = (await (await s.req(`/verification/log?direction=out&gtin=${G2}`)).json()) as {
        exchanges: VerificationLogEntry[];
      };
      assert.ok(outs.exchanges.length > 0);
      const ins = (await (
        await s.req(`/verification/log?corrUUID=${outs.exchanges[0]!.corrUUID}`)
      ).json()) as { exchanges: VerificationLogEntry[] };
      assert.deepEqual(ins.exchanges.map((x) => x.direction).sort(), ['in', 'out']);
      assert.equal((await s.req('/verification/log', { key: queryKey })).status, 403);
      assert.equal((await s.req('/verification/log?perPage=0')).status, 400);
      // directory: the token is never shown
      const dir = (await (await s.req('/verification/directory')).json()) as {
        entries: Record<string, unknown>[];
      };
      assert.equal(dir.entries[0]!.hasToken, true);
      assert.equal('token' in dir.entries[0]!, false);
      assert.equal(
        (await s.req('/verification/directory/12', json('PUT', { responderUrl: 'https://x' }))).status,
        400,
      );
      assert.equal(
        (await s.req('/verification/directory/0777777', json('PUT', { responderUrl: 'ftp://x' }))).status,
        400,
      );
      // purge: everything before a time in the future
      const p = await s.req(
        `/verification/log?before=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`,
        { method: 'DELETE' },
      );
      assert.equal(p.status, 200);
      assert.ok(((await p.json()) as { deleted: number }).deleted > 0);
      assert.deepEqual(
        ((await (await s.req('/verification/log')).json()) as { exchanges: unknown[] }).exchanges,
        [],
      );
    });
  });
}

const settings = { responderGLN: OUR_GLN, companyPrefixes: ['0312345'], retries: 0, timeoutMs: 2000 };
suite('sqlite', () => startTestServer({ verification: settings }));
const url = testDatabaseUrl();
if (url) suite('postgres', () => startTestServer({ store: openTestStore(url), verification: settings }));
