import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '@rxtrace/core';
import { buildServer } from '../app.ts';
import queryPlugin, { negotiate } from './query.ts';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ns.example.com/epcis/' },
];
const SGTIN = (s: number) => `urn:epc:id:sgtin:9506000.013435.${s}`;

function document(): string {
  const events = [];
  for (let i = 0; i < 12; i++)
    events.push({
      type: i % 4 === 3 ? 'AggregationEvent' : 'ObjectEvent',
      eventTime: `2026-03-01T0${i % 10}:00:00.000+01:00`,
      eventTimeZoneOffset: '+01:00',
      eventID: `urn:uuid:00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
      ...(i % 4 === 3
        ? { parentID: 'urn:epc:id:sscc:9506000.1234567890', childEPCs: [SGTIN(i)] }
        : { epcList: [SGTIN(i)] }),
      action: 'ADD',
      bizStep: i % 2 ? 'https://ref.gs1.org/cbv/BizStep-receiving' : 'shipping',
      disposition: 'in_transit',
      readPoint: { id: 'urn:epc:id:sgln:9506000.13435.1' },
      bizLocation: { id: 'urn:epc:id:sgln:9506000.13435.0' },
      bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:9506000134352:PO${i % 3}` }],
      'ex:batch': `B${i % 2}`,
    });
  events.push({
    type: 'ObjectEvent',
    eventTime: '2026-03-01T00:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    epcList: [SGTIN(0)],
    action: 'ADD',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:9506000.13435.1' },
    bizLocation: { id: 'urn:epc:id:sgln:9506000.13435.0' },
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:9506000134352:PO0' }],
    'ex:batch': 'B0',
    errorDeclaration: { declarationTime: '2026-03-02T00:00:00.000Z', reason: 'incorrect_data' },
  });
  return JSON.stringify({
    '@context': CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T00:00:00Z',
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
            vocabularyElementList: [
              {
                id: 'urn:epc:id:sgln:9506000.13435.0',
                attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Warehouse 1' }],
                children: ['urn:epc:id:sgln:9506000.13435.1'],
              },
            ],
          },
        ],
      },
    },
    epcisBody: { eventList: events },
  });
}

async function server() {
  const store = new MemoryStore();
  const app = await buildServer({ store, auth: false, query: queryPlugin });
  const cap = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/ld+json' },
    payload: document(),
  });
  assert.equal(cap.statusCode, 202, cap.body);
  // Capture runs asynchronously: wait for its job.
  const loc = cap.headers.location as string;
  for (let i = 0; i < 100; i++) {
    const job = JSON.parse((await app.inject({ method: 'GET', url: loc })).body) as { running: boolean };
    if (!job.running) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { app, store };
}

const eventsOf = (body: string) =>
  (
    JSON.parse(body) as {
      epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
    }
  ).epcisBody.queryResults.resultsBody.eventList;

test('GET /events: filters, pages with Link rel="next", problems', async () => {
  const { app } = await server();
  try {
    let r = await app.inject({ method: 'GET', url: '/events?EQ_bizStep=shipping|receiving&perPage=5' });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(String(r.headers['content-type']), /application\/json/);
    const ids = eventsOf(r.body).map((e) => e.eventID);
    assert.equal(ids.length, 5);
    let link = String(r.headers.link);
    assert.match(
      link,
      /^<\/events\?EQ_bizStep=shipping%7Creceiving&perPage=5&nextPageToken=[^>]+>; rel="next"$/,
    );
    let pages = 1;
    while (link && link !== 'undefined') {
      const url = /^<([^>]+)>/.exec(link)![1]!;
      r = await app.inject({ method: 'GET', url });
      ids.push(...eventsOf(r.body).map((e) => e.eventID));
      link = String(r.headers.link);
      pages++;
    }
    assert.equal(ids.length, 13);
    assert.equal(pages, 3);
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: '/events?EQ_bizStep=https://ref.gs1.org/cbv/BizStep-receiving',
          })
        ).body,
      ).length,
      6,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: `/events?MATCH_epc=${encodeURIComponent('https://id.gs1.org/01/09506000134352/21/3')}`,
          })
        ).body,
      ).length,
      1,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: '/events?EQ_bizTransaction_po=urn:epcglobal:cbv:bt:9506000134352:PO1',
          })
        ).body,
      ).length,
      4,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: '/events?EQ_ex:batch=B1',
            headers: { 'gs1-extensions': 'ex=https://ns.example.com/epcis/' },
          })
        ).body,
      ).length,
      6,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: `/events?WD_bizLocation=${encodeURIComponent('urn:epc:id:sgln:9506000.13435.0')}`,
          })
        ).body,
      ).length,
      13,
    );
    assert.equal(
      eventsOf((await app.inject({ method: 'GET', url: '/events?EXISTS_errorDeclaration' })).body).length,
      1,
    );

    const bad = await app.inject({ method: 'GET', url: '/events?GE_eventDate=2026-01-01T00:00:00Z' });
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /problem\+json/);
    assert.equal(JSON.parse(bad.body).type, 'epcisException:QueryParameterException');
    assert.equal(
      JSON.parse((await app.inject({ method: 'GET', url: '/events?EQ_action=SHIPPED' })).body).type,
      'epcisException:QueryParameterException',
    );
    assert.equal((await app.inject({ method: 'GET', url: '/events?eventCountLimit=3' })).statusCode, 400);
    const tooLarge = await app.inject({ method: 'GET', url: '/events?maxEventCount=3' });
    assert.equal(tooLarge.statusCode, 413);
    assert.equal(JSON.parse(tooLarge.body).type, 'epcisException:QueryTooLargeException');
    const na = await app.inject({ method: 'GET', url: '/events', headers: { accept: 'text/csv' } });
    assert.equal(na.statusCode, 406);
    assert.equal(JSON.parse(na.body).type, 'epcisException:NotAcceptableException');
  } finally {
    await app.close();
  }
});

test('GET /events: XML, GS1-EPC-Format, GS1-CBV-XML-Format, master data in the header', async () => {
  const { app } = await server();
  try {
    const x = await app.inject({
      method: 'GET',
      url: '/events?EQ_bizStep=receiving&perPage=1',
      headers: { accept: 'application/xml', 'gs1-cbv-xml-format': 'Always_URN' },
    });
    assert.equal(x.statusCode, 200, x.body);
    assert.match(String(x.headers['content-type']), /application\/xml/);
    assert.match(x.body, /<epcisq:EPCISQueryDocument/);
    assert.match(x.body, /<bizStep>urn:epcglobal:cbv:bizstep:receiving<\/bizStep>/);
    const w = await app.inject({
      method: 'GET',
      url: '/events?EQ_bizStep=receiving&perPage=1',
      headers: { accept: 'application/xml' },
    });
    assert.match(w.body, /<bizStep>https:\/\/ref.gs1.org\/cbv\/BizStep-receiving<\/bizStep>/);

    const j = await app.inject({
      method: 'GET',
      url: '/events?perPage=1',
      headers: { accept: 'application/ld+json' },
    });
    const doc = JSON.parse(j.body);
    assert.match(String(j.headers['content-type']), /application\/ld\+json/);
    assert.equal(doc.type, 'EPCISQueryDocument');
    assert.equal(
      eventsOf(j.body)[0]!.epcList !== undefined || eventsOf(j.body)[0]!.childEPCs !== undefined,
      true,
    );
    assert.match(JSON.stringify(eventsOf(j.body)[0]), /https:\/\/id\.gs1\.org\/01\/09506000134352\/21\//);
    assert.equal(j.headers['gs1-epc-format'], 'Always_GS1_Digital_Link');
    assert.equal(
      doc.epcisHeader.epcisMasterData.vocabularyList[0].vocabularyElementList[0].attributes[0].attribute,
      'Warehouse 1',
    );
    assert.deepEqual(doc['@context'][1], { ex: 'https://ns.example.com/epcis/' });

    const noGcp = await app.inject({
      method: 'GET',
      url: '/events?perPage=1',
      headers: { 'gs1-epc-format': 'Always_EPC_URN' },
    });
    assert.match(String(noGcp.headers.warning), /kept as GS1 Digital Link/);
    assert.equal(noGcp.headers['gs1-epc-format'], 'No_Preference');
    assert.equal(
      (await app.inject({ method: 'GET', url: '/events', headers: { 'gs1-epc-format': 'Sometimes' } }))
        .statusCode,
      400,
    );
  } finally {
    await app.close();
  }
  const store = new MemoryStore();
  const app2 = await buildServer({
    store,
    auth: false,
    query: (a, o) => queryPlugin(a, { ...o, gcp: { companyPrefixLength: 7 } }),
  });
  try {
    await app2.inject({
      method: 'POST',
      url: '/capture',
      headers: { 'content-type': 'application/ld+json' },
      payload: document(),
    });
    await new Promise((r) => setTimeout(r, 200));
    const urn = await app2.inject({
      method: 'GET',
      url: '/events?perPage=1',
      headers: { 'gs1-epc-format': 'Always_EPC_URN' },
    });
    assert.equal(urn.headers['gs1-epc-format'], 'Always_EPC_URN');
    assert.match(urn.body, /urn:epc:id:sgtin:9506000\.013435\.0/);
    assert.match(urn.body, /urn:epc:id:sgln:9506000\.13435\.1/);
  } finally {
    await app2.close();
  }
});

test('resources: /events/{eventID}, eventTypes, epcs, bizSteps, bizLocations, readPoints, dispositions, /', async () => {
  const { app } = await server();
  try {
    const one = await app.inject({
      method: 'GET',
      url: `/events/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
    });
    assert.equal(one.statusCode, 200);
    assert.equal(eventsOf(one.body).length, 2, 'the event and its error declaration');
    assert.equal((await app.inject({ method: 'GET', url: '/events/urn:uuid:nope' })).statusCode, 404);

    const top = JSON.parse((await app.inject({ method: 'GET', url: '/' })).body);
    assert.deepEqual(top.member.sort(), [
      'bizLocations',
      'bizSteps',
      'capture',
      'dispositions',
      'epcs',
      'eventTypes',
      'events',
      'queries',
      'readPoints',
    ]);
    const types = JSON.parse((await app.inject({ method: 'GET', url: '/eventTypes' })).body);
    assert.ok(types.member.includes('AssociationEvent') && types.member.includes('AggregationEvent'));
    assert.deepEqual(
      JSON.parse((await app.inject({ method: 'GET', url: '/eventTypes/ObjectEvent' })).body).member,
      ['events'],
    );
    assert.equal(
      eventsOf((await app.inject({ method: 'GET', url: '/eventTypes/AggregationEvent/events' })).body).length,
      3,
    );
    assert.equal(
      eventsOf(
        (await app.inject({ method: 'GET', url: '/eventTypes/ObjectEvent/events?EQ_bizStep=shipping' })).body,
      ).length,
      7,
    );

    const epcs = await app.inject({ method: 'GET', url: '/epcs?perPage=5' });
    assert.equal(JSON.parse(epcs.body).member.length, 5);
    assert.match(String(epcs.headers.link), /rel="next"/);
    const epc = encodeURIComponent('https://id.gs1.org/01/09506000134352/21/7');
    assert.equal((await app.inject({ method: 'GET', url: `/epcs/${epc}` })).statusCode, 200);
    assert.equal(eventsOf((await app.inject({ method: 'GET', url: `/epcs/${epc}/events` })).body).length, 1);
    assert.equal(
      eventsOf(
        (await app.inject({ method: 'GET', url: `/epcs/${encodeURIComponent(SGTIN(7))}/events` })).body,
      ).length,
      1,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: `/epcs/${encodeURIComponent('urn:epc:id:sscc:9506000.1234567890')}/events`,
          })
        ).body,
      ).length,
      3,
    );
    assert.equal(
      (await app.inject({ method: 'GET', url: `/epcs/${encodeURIComponent(SGTIN(99))}` })).statusCode,
      404,
    );

    assert.deepEqual(JSON.parse((await app.inject({ method: 'GET', url: '/bizSteps' })).body).member.sort(), [
      'receiving',
      'shipping',
    ]);
    assert.equal(
      eventsOf((await app.inject({ method: 'GET', url: '/bizSteps/receiving/events' })).body).length,
      6,
    );
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: `/bizSteps/${encodeURIComponent('urn:epcglobal:cbv:bizstep:receiving')}/events`,
          })
        ).body,
      ).length,
      6,
    );
    assert.deepEqual(JSON.parse((await app.inject({ method: 'GET', url: '/dispositions' })).body).member, [
      'in_transit',
    ]);
    assert.equal(
      eventsOf((await app.inject({ method: 'GET', url: '/dispositions/in_transit/events?perPage=100' })).body)
        .length,
      13,
    );
    const loc = JSON.parse((await app.inject({ method: 'GET', url: '/bizLocations' })).body).member[0];
    assert.equal(loc, 'https://id.gs1.org/414/9506000134352');
    assert.equal(
      eventsOf(
        (
          await app.inject({
            method: 'GET',
            url: `/bizLocations/${encodeURIComponent(loc)}/events?perPage=100`,
          })
        ).body,
      ).length,
      13,
    );
    const rp = JSON.parse((await app.inject({ method: 'GET', url: '/readPoints' })).body).member[0];
    assert.equal(
      eventsOf(
        (await app.inject({ method: 'GET', url: `/readPoints/${encodeURIComponent(rp)}/events?perPage=100` }))
          .body,
      ).length,
      13,
    );
    assert.equal((await app.inject({ method: 'GET', url: '/bizSteps/destroying' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/bizSteps?EQ_bizStep=x' })).statusCode, 400);

    const opt = await app.inject({ method: 'OPTIONS', url: `/epcs/${epc}/events` });
    assert.equal(opt.statusCode, 204);
    assert.match(String(opt.headers.allow), /GET/);
  } finally {
    await app.close();
  }
});

test('named queries: POST (201, 409, validation), GET, list, run, DELETE; master data', async () => {
  const { app } = await server();
  try {
    const body = {
      name: 'receipts',
      query: {
        eventType: ['ObjectEvent', 'AggregationEvent'],
        EQ_bizStep: ['receiving'],
        orderBy: 'eventTime',
        orderDirection: 'ASC',
      },
    };
    const created = await app.inject({ method: 'POST', url: '/queries', payload: body });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers.location, '/queries/receipts');
    assert.equal((await app.inject({ method: 'POST', url: '/queries', payload: body })).statusCode, 409);
    const unknown = await app.inject({
      method: 'POST',
      url: '/queries',
      payload: { name: 'x', query: { GE_eventDate: '2026-01-01T00:00:00Z' } },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(JSON.parse(unknown.body).type, 'epcisException:QueryParameterException');
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/queries',
          payload: { name: 'x', query: { EQ_action: ['SHIPPED'] } },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/queries',
          payload: { name: 'x', query: { eventCountLimit: 3 } },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/queries',
          payload: {
            name: 'ok2',
            query: { EXISTS_bizStep: null, GE_errorDeclaration_Time: '2026-01-01T00:00:00Z' },
          },
        })
      ).statusCode,
      201,
    );

    assert.deepEqual(JSON.parse((await app.inject({ method: 'GET', url: '/queries/receipts' })).body), body);
    assert.deepEqual(
      JSON.parse((await app.inject({ method: 'GET', url: '/queries' })).body).map(
        (q: { name: string }) => q.name,
      ),
      ['ok2', 'receipts'],
    );
    const run = await app.inject({ method: 'GET', url: '/queries/receipts/events?perPage=4' });
    assert.equal(run.statusCode, 200);
    const first = eventsOf(run.body);
    assert.equal(first.length, 4);
    assert.equal(JSON.parse(run.body).epcisBody.queryResults.queryName, 'receipts');
    const times = first.map((e) => String(e.eventTime));
    assert.deepEqual([...times].sort(), times);
    const rest = await app.inject({ method: 'GET', url: /^<([^>]+)>/.exec(String(run.headers.link))![1]! });
    assert.equal(eventsOf(rest.body).length, 2);
    assert.equal((await app.inject({ method: 'GET', url: '/queries/nope/events' })).statusCode, 404);
    assert.equal(
      JSON.parse((await app.inject({ method: 'GET', url: '/queries/nope' })).body).type,
      'epcisException:NoSuchNameException',
    );
    assert.equal((await app.inject({ method: 'DELETE', url: '/queries/receipts' })).statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url: '/queries/receipts' })).statusCode, 404);

    const md = await app.inject({
      method: 'POST',
      url: '/masterData',
      payload: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:ReadPoint',
            vocabularyElementList: [
              {
                id: 'urn:epc:id:sgln:9506000.13435.1',
                attributes: [{ id: 'urn:epcglobal:cbv:mda#sst', attribute: '201' }],
              },
            ],
          },
        ],
      },
    });
    assert.equal(md.statusCode, 201, md.body);
    const got = JSON.parse(
      (
        await app.inject({
          method: 'GET',
          url: `/masterData?type=urn:epcglobal:epcis:vtype:ReadPoint&id=${encodeURIComponent('urn:epc:id:sgln:9506000.13435.1')}`,
        })
      ).body,
    );
    assert.equal(
      got.vocabularyList[0].vocabularyElementList[0].id,
      'https://id.gs1.org/414/9506000134352/254/1',
    );
    assert.equal(
      eventsOf(
        (await app.inject({ method: 'GET', url: '/events?EQ_ATTR_readPoint_cbvmda:sst=201&perPage=100' }))
          .body,
      ).length,
      13,
    );
    assert.equal(
      (await app.inject({ method: 'POST', url: '/masterData', payload: { vocabularyList: [{ type: 1 }] } }))
        .statusCode,
      400,
    );
  } finally {
    await app.close();
  }
});

test('content negotiation', () => {
  assert.equal(negotiate(undefined).kind, 'json');
  assert.equal(negotiate('application/xml').kind, 'xml');
  assert.equal(negotiate('application/ld+json').type, 'application/ld+json');
  assert.equal(negotiate('application/xml;q=0.5, application/json').kind, 'json');
  assert.equal(negotiate('*/*').kind, 'json');
  assert.throws(() => negotiate('text/csv'));
  assert.throws(() => negotiate('application/xml', false));
});
