/**
 * The capture interface over real HTTP on loopback, with a real SQLite file: documents (JSON, XML
 * 2.0 and 1.2), jobs, rollback vs proceed, limits, idempotence, error declarations, POST /events,
 * and graceful shutdown with a job running.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { openSqliteStore, startTestServer, type TestServer } from './testing.ts';

const CTX = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://example.com/ns/' },
];

function objectEvent(serial: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T09:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [`urn:epc:id:sgtin:9506000.013437.${serial}`],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: 'urn:epc:id:sgln:9506000.00001.0' },
    ...extra,
  };
}

function doc(events: unknown[], header: Record<string, unknown> = {}): string {
  return JSON.stringify({
    '@context': CTX,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    ...header,
    epcisBody: { eventList: events },
  });
}

const XML_20 = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://example.com/ns/" schemaVersion="2.0" creationDate="2026-03-01T10:00:00Z">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2026-03-01T09:00:00.000+01:00</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
      <epcList><epc>urn:epc:id:sgtin:9506000.013437.X1</epc></epcList>
      <action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
      <ex:temperature>4</ex:temperature>
    </ObjectEvent>
  </EventList></EPCISBody>
</epcis:EPCISDocument>`;

const XML_12 = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" schemaVersion="1.2" creationDate="2026-03-01T10:00:00Z">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2026-03-01T09:00:00.000+01:00</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
      <epcList><epc>urn:epc:id:sgtin:9506000.013437.V12</epc></epcList>
      <action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:receiving</bizStep>
    </ObjectEvent>
  </EventList></EPCISBody>
</epcis:EPCISDocument>`;

async function json(r: Response): Promise<Record<string, unknown>> {
  return (await r.json()) as Record<string, unknown>;
}

describe('POST /capture', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  test('a JSON-LD document: 202 + Location, the job succeeded, the events are in the store', async () => {
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: doc([
        objectEvent('A1'),
        objectEvent('A2', { eventID: 'urn:uuid:6b6a8c1c-0001-4000-8000-000000000001' }),
      ]),
    });
    assert.equal(r.status, 202);
    const loc = r.headers.get('location');
    assert.match(loc ?? '', /^\/capture\/[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('gs1-epcis-version'), '2.0.0');
    const body = await json(r);
    assert.equal(body.success, true);
    assert.equal(body.running, false);
    const job = await json(await s.req(loc!));
    assert.deepEqual(
      [job.running, job.success, job.captureErrorBehaviour, job.eventCount, job.errors],
      [false, true, 'rollback', 2, []],
    );
    assert.ok(job.finishedAt);
    // The event with an eventID kept it; the other got its Event Hash ID; recordTime is ours.
    const [stored] = await s.store.getEventsById('urn:uuid:6b6a8c1c-0001-4000-8000-000000000001');
    assert.ok(stored);
    assert.equal(stored.captureId, job.captureID);
    assert.deepEqual(stored.event.epcList, ['https://id.gs1.org/01/09506000134376/21/A2']);
    assert.ok(Date.parse(stored.recordTime) >= Date.parse(job.createdAt as string));
    const page = await s.store.queryEvents(
      { identifiers: [{ roles: ['epc'], values: ['https://id.gs1.org/01/09506000134376/21/A1'] }] },
      { limit: 10 },
    );
    assert.equal(page.events.length, 1);
    assert.match(page.events[0]!.eventId, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    assert.equal(page.events[0]!.eventId, page.events[0]!.hashId);
  });

  test('EPCIS 2.0 XML and EPCIS 1.2 XML documents', async () => {
    for (const [xml, serial] of [
      [XML_20, 'X1'],
      [XML_12, 'V12'],
    ] as const) {
      const r = await s.req('/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: xml,
      });
      assert.equal(r.status, 202, await r.clone().text());
      const job = await json(r);
      assert.equal(job.success, true);
      assert.equal(job.eventCount, 1);
      const page = await s.store.queryEvents(
        { identifiers: [{ roles: ['epc'], values: [`https://id.gs1.org/01/09506000134376/21/${serial}`] }] },
        { limit: 10 },
      );
      assert.equal(page.events.length, 1);
    }
    const [x] = (
      await s.store.queryEvents(
        { identifiers: [{ roles: ['epc'], values: ['https://id.gs1.org/01/09506000134376/21/X1'] }] },
        { limit: 1 },
      )
    ).events;
    // Normalised CBV value; the extension keeps its namespace through the event's own @context.
    assert.equal(x!.event.bizStep, 'shipping');
    assert.equal(x!.event['ex:temperature'], '4');
    assert.deepEqual(x!.event['@context'], [{ ex: 'https://example.com/ns/' }]);
  });

  test('master data in the header is captured', async () => {
    const header = {
      epcisHeader: {
        epcisMasterData: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
              vocabularyElementList: [
                {
                  id: 'urn:epc:id:sgln:9506000.00009.0',
                  attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'DC North' }],
                  children: ['urn:epc:id:sgln:9506000.00009.1'],
                },
              ],
            },
          ],
        },
      },
    };
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([objectEvent('M1')], header),
    });
    assert.equal(r.status, 202);
    const md = await s.store.getMasterData('urn:epcglobal:epcis:vtype:BusinessLocation');
    const el = md.find((m) => m.id === 'https://id.gs1.org/414/9506000000091');
    assert.ok(el, JSON.stringify(md));
    assert.deepEqual(el.attributes, [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'DC North' }]);
    assert.deepEqual(el.children, ['https://id.gs1.org/414/9506000000091/254/1']);
  });

  test('rollback (default): one invalid event refuses the document — 400, nothing stored, the job failed', async () => {
    const before = await s.store.countEvents();
    const bad = objectEvent('R2');
    delete bad.action;
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([objectEvent('R1'), bad, objectEvent('R3')]),
    });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const p = await json(r);
    assert.equal(p.type, 'epcisException:ValidationException');
    const errors = p.errors as { eventIndex?: number; pointer?: string; detail?: string }[];
    assert.equal(errors[0]?.eventIndex, 1);
    assert.match(errors[0]?.pointer ?? '', /^\/epcisBody\/eventList\/1/);
    assert.match(errors[0]?.detail ?? '', /action/);
    assert.equal(await s.store.countEvents(), before);
    const job = await json(await s.req(p.instance as string));
    assert.deepEqual([job.running, job.success, job.eventCount], [false, false, 0]);
  });

  test('proceed: the valid events are stored, the job reports the invalid one', async () => {
    const before = await s.store.countEvents();
    const bad = objectEvent('P2');
    delete bad.action;
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'GS1-Capture-Error-Behaviour': 'proceed' },
      body: doc([objectEvent('P1'), bad, objectEvent('P3')]),
    });
    assert.equal(r.status, 202);
    const job = await json(r);
    assert.deepEqual(
      [job.running, job.success, job.captureErrorBehaviour, job.eventCount],
      [false, false, 'proceed', 2],
    );
    assert.equal((job.errors as { eventIndex: number }[])[0]?.eventIndex, 1);
    assert.equal(await s.store.countEvents(), before + 2);
  });

  test('a bad GS1-Capture-Error-Behaviour is refused', async () => {
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'GS1-Capture-Error-Behaviour': 'all' },
      body: doc([objectEvent('B1')]),
    });
    assert.equal(r.status, 400);
    assert.equal((await json(r)).type, 'epcisException:ValidationException');
  });

  test('idempotent: the same document twice stores its events once; the second job succeeds and reports duplicates', async () => {
    const body = doc([objectEvent('I1'), objectEvent('I2')]);
    const first = await json(
      await s.req('/capture', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    );
    const count = await s.store.countEvents();
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(r.status, 202);
    const second = await json(r);
    assert.deepEqual(
      [first.eventCount, second.success, second.eventCount, second.duplicates],
      [2, true, 0, 2],
    );
    assert.equal(await s.store.countEvents(), count);
  });

  test('an error declaration is stored and marks the original as corrected', async () => {
    const id = 'urn:uuid:6b6a8c1c-0002-4000-8000-000000000002';
    await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([objectEvent('E1', { eventID: id })]),
    });
    const decl = objectEvent('E1', {
      eventID: id,
      errorDeclaration: {
        declarationTime: '2026-03-02T10:00:00Z',
        reason: 'incorrect_data',
        correctiveEventIDs: ['urn:uuid:6b6a8c1c-0003-4000-8000-000000000003'],
      },
    });
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([decl]),
    });
    assert.equal(r.status, 202);
    assert.equal((await json(r)).eventCount, 1);
    const all = await s.store.getEventsById(id);
    assert.equal(all.length, 2);
    const original = all.find((e) => !e.isErrorDeclaration);
    const declaration = all.find((e) => e.isErrorDeclaration);
    assert.equal(original?.corrected, true);
    assert.equal(declaration?.event.errorDeclaration?.reason, 'incorrect_data');
    assert.equal(declaration?.hashId, original?.hashId);
  });

  test('415 for a media type that is not JSON or XML; 400 for a document that is not EPCIS', async () => {
    let r = await s.req('/capture', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    assert.equal(r.status, 415);
    assert.equal((await json(r)).type, 'epcisException:UnsupportedMediaTypeException');
    r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"EPCISDocument", "epcisBody": ',
    });
    assert.equal(r.status, 400);
    const p = await json(r);
    assert.equal(p.type, 'epcisException:ValidationException');
    assert.match(p.detail as string, /RX_EPCIS_JSON_TRUNCATED/);
  });

  test('GET /capture lists the jobs, paginated with Link rel="next"', async () => {
    const r = await s.req('/capture?perPage=2');
    assert.equal(r.status, 200);
    const jobs = (await r.json()) as { captureID: string }[];
    assert.equal(jobs.length, 2);
    const link = r.headers.get('link') ?? '';
    const m = /^<([^>]+)>; rel="next"$/.exec(link);
    assert.ok(m, link);
    const next = (await (await s.req(m[1]!)).json()) as { captureID: string }[];
    assert.ok(next.length >= 1);
    assert.ok(!next.some((j) => jobs.some((k) => k.captureID === j.captureID)));
  });

  test('GET /capture/{id}: XML on request; 404 problem for an unknown job', async () => {
    const ok = await json(
      await s.req('/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: doc([objectEvent('J1')]),
      }),
    );
    const r = await s.req(`/capture/${ok.captureID}`, { headers: { accept: 'application/xml' } });
    assert.equal(r.status, 200);
    const xml = await r.text();
    assert.match(
      xml,
      /<epcis:EPCISCaptureJob xmlns:epcis="urn:epcglobal:epcis:xsd:2" running="false" success="true" captureID="[^"]+">/,
    );
    assert.match(xml, /<captureErrorBehaviour>rollback<\/captureErrorBehaviour>/);
    const nf = await s.req('/capture/no-such-job');
    assert.equal(nf.status, 404);
    assert.equal((await json(nf)).type, 'epcisException:NoSuchResourceException');
  });
});

describe('POST /events', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  const bare = (serial: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ '@context': CTX, ...objectEvent(serial, extra) });

  test('201 + Location; 409 for the same eventID; an error declaration for it is accepted', async () => {
    const id = 'urn:uuid:6b6a8c1c-0004-4000-8000-000000000004';
    const r = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: bare('S1', { eventID: id }),
    });
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get('location'), `/events/${encodeURIComponent(id)}`);
    const ev = await json(r);
    assert.equal(ev.eventID, id);
    assert.ok(ev.recordTime);
    const again = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bare('S1-other', { eventID: id }),
    });
    assert.equal(again.status, 409);
    assert.equal((await json(again)).type, 'epcisException:ResourceAlreadyExistsException');
    const decl = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bare('S1', {
        eventID: id,
        errorDeclaration: { declarationTime: '2026-03-02T10:00:00Z', reason: 'did_not_occur' },
      }),
    });
    assert.equal(decl.status, 201);
    const all = await s.store.getEventsById(id);
    assert.deepEqual(all.map((e) => [e.isErrorDeclaration, e.corrected]).sort(), [
      [false, true],
      [true, false],
    ]);
    const declAgain = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bare('S1', {
        eventID: id,
        errorDeclaration: { declarationTime: '2026-03-02T10:00:00Z', reason: 'did_not_occur' },
      }),
    });
    assert.equal(declAgain.status, 409);
  });

  test('an event without eventID gets its hash ID; sending it again is a 409', async () => {
    const r = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bare('S2'),
    });
    assert.equal(r.status, 201);
    const ev = await json(r);
    assert.match(ev.eventID as string, /^ni:\/\/\/sha-256;/);
    assert.equal(
      (
        await s.req('/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bare('S2'),
        })
      ).status,
      409,
    );
  });

  test('an XML event element', async () => {
    const xml = `<ObjectEvent><eventTime>2026-03-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:9506000.013437.SX</epc></epcList><action>OBSERVE</action></ObjectEvent>`;
    const r = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: xml,
    });
    assert.equal(r.status, 201, await r.clone().text());
    assert.deepEqual((await json(r)).epcList, ['https://id.gs1.org/01/09506000134376/21/SX']);
  });

  test('400 for an invalid event, 400 for a document, 415 for another media type', async () => {
    const bad = JSON.parse(bare('S3')) as Record<string, unknown>;
    delete bad.eventTime;
    let r = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    assert.equal(r.status, 400);
    assert.match((await json(r)).detail as string, /eventTime/);
    r = await s.req('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([objectEvent('S4')]),
    });
    assert.equal(r.status, 400);
    r = await s.req('/events', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(r.status, 415);
  });
});

describe('capture limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ limits: { captureEvents: 2, captureBytes: 4000 } });
  });
  after(() => s.close());

  test('more events than GS1-EPCIS-Capture-Limit: 413 CaptureLimitExceededException, nothing stored', async () => {
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: doc([objectEvent('L1'), objectEvent('L2'), objectEvent('L3')]),
    });
    assert.equal(r.status, 413);
    assert.equal(r.headers.get('gs1-epcis-capture-limit'), '2');
    const p = await json(r);
    assert.equal(p.type, 'epcisException:CaptureLimitExceededException');
    assert.equal(await s.store.countEvents(), 0);
  });

  test('a body over GS1-EPCIS-Capture-File-Size-Limit: 413, with or without Content-Length', async () => {
    const big = doc([objectEvent('L4', { 'ex:note': 'x'.repeat(5000) })]);
    const r = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    assert.equal(r.status, 413);
    assert.equal((await json(r)).type, 'epcisException:CaptureLimitExceededException');
    // Chunked (no Content-Length): the streaming reader counts the bytes.
    const chunked = await s.req('/capture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: (async function* () {
        const b = Buffer.from(big);
        for (let i = 0; i < b.length; i += 1000) yield b.subarray(i, i + 1000);
      })() as never,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal((await json(chunked)).type, 'epcisException:CaptureLimitExceededException');
  });

  test('OPTIONS /capture announces the limits', async () => {
    const r = await s.req('/capture', { method: 'OPTIONS', key: null });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('gs1-epcis-capture-limit'), '2');
    assert.equal(r.headers.get('gs1-epcis-capture-file-size-limit'), '4000');
  });
});

describe('graceful shutdown', () => {
  test('a capture that is running when the server is asked to stop finishes and reaches the store', async () => {
    const s = await startTestServer({ dir: undefined });
    const events = Array.from({ length: 50 }, (_, i) => objectEvent(`G${i}`));
    const body = Buffer.from(doc(events));
    const half = Math.floor(body.length / 2);
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${s.url}/capture`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer test-admin-key' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, half));
      // The job is running: ask the server to stop, then send the rest.
      setTimeout(async () => {
        try {
          const list = (await (await s.req('/capture')).json()) as { running: boolean }[];
          assert.ok(
            list.some((j) => j.running),
            'a running job is listed',
          );
          closing = s.app.close();
          setTimeout(() => req.end(body.subarray(half)), 100);
        } catch (e) {
          reject(e);
        }
      }, 100);
    });
    let closing: Promise<void> | undefined;
    const res = await response;
    assert.equal(res.status, 202, res.body);
    const job = JSON.parse(res.body) as { success: boolean; eventCount: number };
    assert.deepEqual([job.success, job.eventCount], [true, 50]);
    await closing;
    // The store was closed by the server; open the file again and look.
    const store = await openSqliteStore({ file: s.file });
    await store.migrate();
    assert.equal(await store.countEvents(), 50);
    await store.close();
    await s.close();
  });
});
