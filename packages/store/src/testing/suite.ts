/**
 * The shared Store test suite: every implementation (./sqlite, ./postgres) runs it against a real
 * database. `runStoreSuite('sqlite', () => openSqliteStore({ file }))` registers the tests with
 * node:test. `makeStore` must give an empty store on each call (a new file, a new schema…); the
 * suite calls `migrate()` and `close()` itself.
 *
 * Query results are checked against an in-memory oracle (`matchesFilter`, `orderOf`) over a varied
 * data set, so every EventFilter field, ordering and direction is covered the same way.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidCursorError } from '../errors.ts';
import type {
  ApiKeyRecord,
  CaptureJob,
  EventFilter,
  EventOrder,
  MasterDataElement,
  NewEvent,
  QueryOptions,
  Store,
  StoredEvent,
  Subscription,
} from '../types.ts';
import { minutesAfterStart, sgln, sgtin, sscc, testErrorDeclaration, testEvent } from './events.ts';

export type MakeStore = () => Promise<Store>;

/** A stored event of the oracle: what was appended and the seq it got. */
export interface Appended {
  seq: number;
  ne: NewEvent;
  captureId: string;
}

const BIZ_LOCATION = 'urn:epcglobal:epcis:vtype:BusinessLocation';
const READ_POINT = 'urn:epcglobal:epcis:vtype:ReadPoint';
const GTIN_A = '09506000134352';
const GTIN_B = '09506000134369';
const GLN_1 = '9506000000019';
const GLN_2 = '9506000000026';
const GLN_3 = '9506000000033';

async function withStore(makeStore: MakeStore, fn: (s: Store) => Promise<void>): Promise<void> {
  const s = await makeStore();
  try {
    await s.migrate();
    await fn(s);
  } finally {
    await s.close();
  }
}

/** Appends events in one unit and returns them with their seq (all must be stored). */
async function appendAll(s: Store, events: NewEvent[], captureId: string): Promise<Appended[]> {
  const r = await s.append({ captureId, events });
  assert.equal(r.duplicates.length, 0, 'unexpected duplicates');
  assert.equal(r.stored.length, events.length);
  return events.map((ne, i) => {
    assert.equal(r.stored[i]!.eventId, ne.eventId);
    return { seq: r.stored[i]!.seq, ne, captureId };
  });
}

/** All pages of a query, concatenated. */
async function queryAll(
  s: Store,
  filter: EventFilter,
  opts: Omit<QueryOptions, 'after'> = { limit: 1000 },
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100_000; pages++) {
    const page = await s.queryEvents(filter, after === undefined ? opts : { ...opts, after });
    assert.ok(page.events.length <= opts.limit, 'page larger than limit');
    out.push(...page.events);
    if (page.next === undefined) return out;
    after = page.next;
  }
  throw new Error('too many pages');
}

const seqs = (events: { seq: number }[]): number[] => events.map((e) => e.seq);

// -------------------------------------------------------------------------------------------------
// The oracle

function inRange(v: string | undefined, r: { ge?: string; lt?: string } | undefined): boolean {
  if (!r) return true;
  if (v === undefined) return false;
  return (r.ge === undefined || v >= r.ge) && (r.lt === undefined || v < r.lt);
}

function oneOf(v: string | undefined, list: string[] | undefined): boolean {
  return list === undefined || (v !== undefined && list.includes(v));
}

/** What the store must answer for a filter, evaluated on the appended events. */
export function matchesFilter(a: Appended, f: EventFilter): boolean {
  const ne = a.ne;
  const e = ne.event;
  if (f.seq?.gt !== undefined && !(a.seq > f.seq.gt)) return false;
  if (f.seq?.le !== undefined && !(a.seq <= f.seq.le)) return false;
  if (!oneOf(e.type, f.eventTypes)) return false;
  if (!inRange(ne.eventTime, f.eventTime) || !inRange(ne.recordTime, f.recordTime)) return false;
  if (!oneOf(e.action, f.actions) || !oneOf(e.bizStep, f.bizSteps) || !oneOf(e.disposition, f.dispositions))
    return false;
  if (!oneOf(e.readPoint?.id, f.readPoints) || !oneOf(e.bizLocation?.id, f.bizLocations)) return false;
  if (!oneOf(ne.eventId, f.eventIds)) return false;
  for (const m of f.identifiers ?? []) {
    const hit = ne.identifiers.some(
      (i) =>
        m.roles.includes(i.role) &&
        ((m.values ?? []).includes(i.id) || (m.prefixes ?? []).some((p) => i.id.startsWith(p))),
    );
    if (!hit) return false;
  }
  for (const m of f.references ?? []) {
    if (!ne.references.some((r) => r.kind === m.kind && r.type === m.type && m.values.includes(r.value)))
      return false;
  }
  const d = ne.errorDeclaration;
  if (f.includeErrorDeclarations === false && d) return false;
  const fd = f.errorDeclaration;
  if (fd) {
    if (fd.exists === true && !d) return false;
    if (fd.exists === false && d) return false;
    if (fd.declarationTime && !inRange(d?.declarationTime, fd.declarationTime)) return false;
    if (fd.reasons && !oneOf(d?.reason, fd.reasons)) return false;
    if (
      fd.correctiveEventIds &&
      !(d?.correctiveEventIds ?? []).some((c) => fd.correctiveEventIds!.includes(c))
    )
      return false;
  }
  return true;
}

/** The order the store must return: by (key, seq), both in the direction asked. */
function orderOf(list: Appended[], orderBy: EventOrder, direction: 'ASC' | 'DESC'): number[] {
  const key = (a: Appended): string =>
    orderBy === 'eventTime' ? a.ne.eventTime : orderBy === 'recordTime' ? a.ne.recordTime : '';
  const sorted = [...list].sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    const c = kx < ky ? -1 : kx > ky ? 1 : x.seq - y.seq;
    return direction === 'ASC' ? c : -c;
  });
  return seqs(sorted);
}

// -------------------------------------------------------------------------------------------------
// A varied data set

const BIZ_STEPS = ['commissioning', 'packing', 'shipping', 'receiving', undefined] as const;
const DISPOSITIONS = ['active', 'in_transit', 'in_progress', undefined] as const;
const READ_POINTS = [sgln(GLN_1, '1'), sgln(GLN_2, '7'), sgln(GLN_3, '0.1'), undefined] as const;
const BIZ_LOCATIONS = [sgln(GLN_1), sgln(GLN_2), undefined] as const;
const TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransformationEvent',
  'TransactionEvent',
  'AssociationEvent',
] as const;
const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;

/** Event i of the varied data set (deterministic). */
function variedEvent(i: number, recordTime: string): NewEvent {
  const type = TYPES[i % TYPES.length]!;
  const base = {
    key: `varied-${i}`,
    type,
    eventTime: minutesAfterStart((i % 23) * 3),
    recordTime,
    bizStep: BIZ_STEPS[i % BIZ_STEPS.length],
    disposition: DISPOSITIONS[(i >> 1) % DISPOSITIONS.length],
    readPoint: READ_POINTS[i % READ_POINTS.length],
    bizLocation: BIZ_LOCATIONS[(i >> 2) % BIZ_LOCATIONS.length],
  };
  const gtin = i % 3 === 0 ? GTIN_B : GTIN_A;
  const bizTransactions =
    i % 4 === 0
      ? [
          { type: 'po', value: `urn:epcglobal:cbv:bt:${GLN_1}:PO-${i % 5}` },
          { value: `urn:x:bt:untyped-${i % 2}` },
        ]
      : undefined;
  const sources =
    i % 5 === 1
      ? [{ type: 'owning_party', value: `https://id.gs1.org/417/${i % 2 ? GLN_1 : GLN_2}` }]
      : undefined;
  const destinations =
    i % 5 === 2
      ? [
          { type: 'location', value: sgln(i % 2 ? GLN_3 : GLN_2) },
          { type: 'owning_party', value: `https://id.gs1.org/417/${GLN_3}` },
        ]
      : undefined;
  const spec: Parameters<typeof testEvent>[0] = { ...base };
  // Remove undefined fields so that the stored body equals the built one.
  for (const k of Object.keys(spec) as (keyof typeof spec)[]) if (spec[k] === undefined) delete spec[k];
  if (bizTransactions) spec.bizTransactions = bizTransactions;
  if (sources) spec.sources = sources;
  if (destinations) spec.destinations = destinations;
  switch (type) {
    case 'ObjectEvent':
      spec.action = ACTIONS[i % 3]!;
      spec.epcList = [sgtin(i, gtin), sgtin(i + 1, gtin)];
      if (i % 2 === 0) spec.classes = [`https://id.gs1.org/01/${gtin}/10/LOT${i % 3}`];
      break;
    case 'AggregationEvent':
      spec.action = ACTIONS[i % 3]!;
      spec.parentID = sscc(i % 4);
      spec.childEPCs = [sgtin(i, gtin), sgtin(i + 100, gtin)];
      if (i % 2 === 0) spec.childClasses = [`https://id.gs1.org/01/${gtin}/10/LOT${i % 3}`];
      break;
    case 'TransformationEvent':
      spec.inputEPCList = [sgtin(i, gtin)];
      spec.outputEPCList = [sgtin(i + 1000, GTIN_A)];
      spec.inputClasses = [`https://id.gs1.org/01/${gtin}/10/LOT${i % 3}`];
      spec.outputClasses = [`https://id.gs1.org/01/${GTIN_A}/10/OUT${i % 2}`];
      break;
    case 'TransactionEvent':
      spec.action = ACTIONS[i % 3]!;
      spec.parentID = sscc(i % 4);
      spec.epcList = [sgtin(i, gtin)];
      spec.bizTransactions = [...(bizTransactions ?? []), { type: 'desadv', value: `urn:x:desadv:${i % 3}` }];
      break;
    default:
      spec.action = ACTIONS[i % 3]!;
      spec.parentID = `urn:epc:id:grai:9506000.10000.${i % 2}`;
      spec.childEPCs = [sgtin(i, gtin)];
  }
  return testEvent(spec);
}

/**
 * Stores the varied data set (60 events in 4 units with increasing recordTimes, then 3 error
 * declarations) and returns the oracle's view of it.
 */
async function storeVaried(s: Store): Promise<Appended[]> {
  const out: Appended[] = [];
  for (let u = 0; u < 4; u++) {
    const events: NewEvent[] = [];
    for (let i = u * 15; i < (u + 1) * 15; i++) events.push(variedEvent(i, `2026-03-02T0${u}:00:00.000Z`));
    out.push(...(await appendAll(s, events, `capture-varied-${u}`)));
  }
  const decls = [
    testErrorDeclaration(
      out[3]!.ne,
      {
        declarationTime: '2026-03-03T10:00:00.000Z',
        reason: 'incorrect_data',
        correctiveEventIds: ['urn:x:fix:1'],
      },
      '2026-03-03T10:00:01.000Z',
    ),
    testErrorDeclaration(
      out[17]!.ne,
      { declarationTime: '2026-03-03T11:00:00.000Z', reason: 'did_not_occur' },
      '2026-03-03T11:00:01.000Z',
    ),
    testErrorDeclaration(
      out[40]!.ne,
      { declarationTime: '2026-03-03T12:00:00.000Z', correctiveEventIds: ['urn:x:fix:2', 'urn:x:fix:3'] },
      '2026-03-03T12:00:01.000Z',
    ),
  ];
  out.push(...(await appendAll(s, decls, 'capture-varied-decl')));
  return out;
}

/** The filters checked against the oracle. */
function variedFilters(all: Appended[]): [string, EventFilter][] {
  const mid = all[30]!.seq;
  return [
    ['no filter', {}],
    ['eventTypes one', { eventTypes: ['ObjectEvent'] }],
    ['eventTypes two', { eventTypes: ['AggregationEvent', 'TransformationEvent'] }],
    ['eventTypes unknown', { eventTypes: ['https://example.com/MyEvent'] }],
    ['eventTypes empty list', { eventTypes: [] }],
    ['eventTime ge', { eventTime: { ge: minutesAfterStart(30) } }],
    ['eventTime lt', { eventTime: { lt: minutesAfterStart(30) } }],
    ['eventTime window', { eventTime: { ge: minutesAfterStart(9), lt: minutesAfterStart(21) } }],
    ['recordTime window', { recordTime: { ge: '2026-03-02T01:00:00.000Z', lt: '2026-03-02T03:00:00.000Z' } }],
    ['recordTime ge (error declarations)', { recordTime: { ge: '2026-03-03T00:00:00.000Z' } }],
    ['actions one', { actions: ['ADD'] }],
    ['actions two', { actions: ['OBSERVE', 'DELETE'] }],
    ['bizSteps one', { bizSteps: ['shipping'] }],
    ['bizSteps two', { bizSteps: ['shipping', 'receiving'] }],
    ['dispositions', { dispositions: ['in_transit'] }],
    ['readPoints', { readPoints: [sgln(GLN_1, '1'), sgln(GLN_3, '0.1')] }],
    ['bizLocations', { bizLocations: [sgln(GLN_2)] }],
    ['eventIds', { eventIds: [all[5]!.ne.eventId, all[40]!.ne.eventId, 'urn:uuid:unknown'] }],
    ['epc value', { identifiers: [{ roles: ['epc'], values: [sgtin(6, GTIN_B)] }] }],
    [
      'epc values (two events share one)',
      { identifiers: [{ roles: ['epc'], values: [sgtin(6, GTIN_B), sgtin(1, GTIN_A)] }] },
    ],
    [
      'anyEPC value',
      {
        identifiers: [
          { roles: ['epc', 'parent', 'child', 'input', 'output'], values: [sgtin(10, GTIN_A), sscc(1)] },
        ],
      },
    ],
    ['parent', { identifiers: [{ roles: ['parent'], values: [sscc(2)] }] }],
    ['child', { identifiers: [{ roles: ['child'], values: [sgtin(101, GTIN_A)] }] }],
    ['input', { identifiers: [{ roles: ['input'], values: [sgtin(7, GTIN_A), sgtin(12, GTIN_B)] }] }],
    ['output', { identifiers: [{ roles: ['output'], values: [sgtin(1002, GTIN_A)] }] }],
    ['class', { identifiers: [{ roles: ['class'], values: [`https://id.gs1.org/01/${GTIN_A}/10/LOT1`] }] }],
    [
      'anyEPCClass',
      {
        identifiers: [
          {
            roles: ['class', 'childClass', 'inputClass', 'outputClass'],
            values: [`https://id.gs1.org/01/${GTIN_A}/10/LOT2`, `https://id.gs1.org/01/${GTIN_A}/10/OUT1`],
          },
        ],
      },
    ],
    [
      'epc prefix (a GTIN: EPC pattern)',
      { identifiers: [{ roles: ['epc'], prefixes: [`https://id.gs1.org/01/${GTIN_B}/21/`] }] },
    ],
    [
      'epc prefix (partial serial)',
      { identifiers: [{ roles: ['epc', 'child'], prefixes: [`https://id.gs1.org/01/${GTIN_A}/21/1`] }] },
    ],
    [
      'class prefix (any lot of a GTIN)',
      {
        identifiers: [
          { roles: ['class', 'childClass', 'inputClass'], prefixes: [`https://id.gs1.org/01/${GTIN_B}/10/`] },
        ],
      },
    ],
    [
      'values and prefixes (OR)',
      {
        identifiers: [
          { roles: ['epc', 'parent'], values: [sscc(3)], prefixes: [`https://id.gs1.org/01/${GTIN_A}/21/5`] },
        ],
      },
    ],
    [
      'prefix matching nothing',
      { identifiers: [{ roles: ['epc'], prefixes: ['https://id.gs1.org/01/00000000000000/'] }] },
    ],
    ['role mismatch', { identifiers: [{ roles: ['parent'], values: [sgtin(6, GTIN_B)] }] }],
    [
      'two identifier entries (AND)',
      {
        identifiers: [
          { roles: ['parent'], values: [sscc(1), sscc(3)] },
          { roles: ['child', 'epc'], prefixes: [`https://id.gs1.org/01/${GTIN_B}/`] },
        ],
      },
    ],
    [
      'bizTransaction typed',
      {
        references: [
          {
            kind: 'bizTransaction',
            type: 'po',
            values: [`urn:epcglobal:cbv:bt:${GLN_1}:PO-2`, `urn:epcglobal:cbv:bt:${GLN_1}:PO-3`],
          },
        ],
      },
    ],
    [
      'bizTransaction untyped',
      { references: [{ kind: 'bizTransaction', type: '', values: ['urn:x:bt:untyped-1'] }] },
    ],
    [
      'bizTransaction wrong type',
      {
        references: [{ kind: 'bizTransaction', type: 'inv', values: [`urn:epcglobal:cbv:bt:${GLN_1}:PO-2`] }],
      },
    ],
    [
      'source',
      { references: [{ kind: 'source', type: 'owning_party', values: [`https://id.gs1.org/417/${GLN_1}`] }] },
    ],
    [
      'destination',
      { references: [{ kind: 'destination', type: 'location', values: [sgln(GLN_3), sgln(GLN_2)] }] },
    ],
    [
      'two reference entries (AND)',
      {
        references: [
          { kind: 'destination', type: 'location', values: [sgln(GLN_3)] },
          { kind: 'destination', type: 'owning_party', values: [`https://id.gs1.org/417/${GLN_3}`] },
        ],
      },
    ],
    ['errorDeclaration exists', { errorDeclaration: { exists: true } }],
    ['errorDeclaration not exists', { errorDeclaration: { exists: false } }],
    [
      'errorDeclaration time',
      {
        errorDeclaration: {
          declarationTime: { ge: '2026-03-03T10:30:00.000Z', lt: '2026-03-03T12:00:00.000Z' },
        },
      },
    ],
    [
      'errorDeclaration time ge',
      { errorDeclaration: { declarationTime: { ge: '2026-03-03T11:00:00.000Z' } } },
    ],
    ['errorDeclaration reasons', { errorDeclaration: { reasons: ['incorrect_data', 'other'] } }],
    [
      'errorDeclaration correctiveEventIds',
      { errorDeclaration: { correctiveEventIds: ['urn:x:fix:3', 'urn:x:nothing'] } },
    ],
    ['includeErrorDeclarations false', { includeErrorDeclarations: false }],
    [
      'includeErrorDeclarations false + eventIds',
      { includeErrorDeclarations: false, eventIds: [all[3]!.ne.eventId] },
    ],
    ['seq gt', { seq: { gt: mid } }],
    ['seq le', { seq: { le: mid } }],
    ['seq window + bizStep', { seq: { gt: 5, le: mid }, bizSteps: ['packing'] }],
    [
      'everything combined',
      {
        eventTypes: ['ObjectEvent', 'AggregationEvent', 'TransactionEvent'],
        eventTime: { ge: minutesAfterStart(0), lt: minutesAfterStart(60) },
        bizSteps: ['commissioning', 'packing', 'shipping', 'receiving'],
        identifiers: [{ roles: ['epc', 'child', 'parent'], prefixes: [`https://id.gs1.org/01/${GTIN_A}/`] }],
      },
    ],
  ];
}

// -------------------------------------------------------------------------------------------------

/** Registers the Store test suite for one implementation. */
export function runStoreSuite(name: string, makeStore: MakeStore): void {
  const test = (title: string, fn: (s: Store) => Promise<void>) => it(title, () => withStore(makeStore, fn));

  describe(`Store suite: ${name}`, () => {
    describe('lifecycle', () => {
      test('migrate is idempotent; an empty store has no events', async (s) => {
        await s.migrate();
        await s.migrate();
        assert.equal(typeof s.dialect, 'string');
        assert.ok(s.dialect.length > 0);
        assert.equal(await s.lastSeq(), 0);
        assert.equal(await s.countEvents(), 0);
        const page = await s.queryEvents({}, { limit: 10 });
        assert.deepEqual(page.events, []);
        assert.equal(page.next, undefined);
      });
    });

    describe('append', () => {
      test('stores events in order with increasing seq and returns them as stored', async (s) => {
        const evs = [0, 1, 2].map((i) =>
          testEvent({
            key: `a${i}`,
            epcList: [sgtin(i)],
            action: 'ADD',
            bizStep: 'commissioning',
            eventTime: minutesAfterStart(i),
            recordTime: '2026-03-05T00:00:00.000Z',
          }),
        );
        const r = await s.append({ captureId: 'cap-1', events: evs });
        assert.deepEqual(
          r.stored.map((x) => x.eventId),
          evs.map((e) => e.eventId),
        );
        assert.deepEqual(r.duplicates, []);
        for (let i = 1; i < r.stored.length; i++) assert.ok(r.stored[i]!.seq > r.stored[i - 1]!.seq);
        assert.equal(await s.lastSeq(), r.stored[2]!.seq);
        assert.equal(await s.countEvents(), 3);
        const [got, ...rest] = await s.getEventsById(evs[1]!.eventId);
        assert.equal(rest.length, 0);
        assert.ok(got);
        assert.equal(got.seq, r.stored[1]!.seq);
        assert.equal(got.eventId, evs[1]!.eventId);
        assert.equal(got.hashId, evs[1]!.hashId);
        assert.equal(got.eventType, 'ObjectEvent');
        assert.equal(got.eventTime, minutesAfterStart(1));
        assert.equal(got.recordTime, '2026-03-05T00:00:00.000Z');
        assert.equal(got.captureId, 'cap-1');
        assert.equal(got.corrected, false);
        assert.equal(got.isErrorDeclaration, false);
        assert.deepEqual(got.event, evs[1]!.event);
        assert.deepEqual(await s.getEventsById('urn:uuid:none'), []);
        // A second unit continues the sequence.
        const r2 = await s.append({
          captureId: 'cap-2',
          events: [testEvent({ key: 'a3', epcList: [sgtin(3)] })],
        });
        assert.ok(r2.stored[0]!.seq > r.stored[2]!.seq);
      });

      test('an event body with extensions, nested values and unicode round-trips', async (s) => {
        const ne = testEvent({ key: 'body', epcList: [sgtin('ÄÖ%C3')] });
        ne.event['@context'] = [
          'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
          { ex: 'https://example.com/ns#' },
        ];
        ne.event['ex:temperature'] = { value: -3.5, nested: [1, 'two', null, true, { 'ex:deep': '😀 ü' }] };
        ne.event.ilmd = { 'ex:lot': 'L1', 'ex:expiry': '2027-01-31' };
        await appendAll(s, [ne], 'cap');
        const [got] = await s.getEventsById(ne.eventId);
        assert.deepEqual(got!.event, ne.event);
      });

      test('an empty unit of work stores nothing and succeeds', async (s) => {
        const r = await s.append({ captureId: 'empty', events: [] });
        assert.deepEqual(r, { stored: [], duplicates: [] });
        assert.equal(await s.countEvents(), 0);
      });
    });

    describe('idempotency', () => {
      test('an event with a stored hash ID is skipped and reported, also within one unit', async (s) => {
        const a = testEvent({ key: 'same', epcList: [sgtin(1)] });
        const b = testEvent({ key: 'other', epcList: [sgtin(2)] });
        const first = await s.append({ captureId: 'c1', events: [a, b] });
        assert.equal(first.stored.length, 2);
        // Same hash, another eventID (a partner resending the event with a fresh UUID).
        const again = { ...a, eventId: 'urn:uuid:resent', event: { ...a.event, eventID: 'urn:uuid:resent' } };
        const c = testEvent({ key: 'new', epcList: [sgtin(3)] });
        const r = await s.append({ captureId: 'c2', events: [again, c, c] });
        assert.deepEqual(
          r.stored.map((x) => x.eventId),
          [c.eventId],
        );
        assert.deepEqual(r.duplicates, [
          { eventId: 'urn:uuid:resent', hashId: a.hashId },
          { eventId: c.eventId, hashId: c.hashId },
        ]);
        assert.equal(await s.countEvents(), 3);
        assert.deepEqual(await s.getEventsById('urn:uuid:resent'), []);
        // The identifier index has the event once.
        const byEpc = await queryAll(s, { identifiers: [{ roles: ['epc'], values: [sgtin(1)] }] });
        assert.equal(byEpc.length, 1);
        // Resending a whole unit stores nothing.
        const r3 = await s.append({ captureId: 'c3', events: [a, b, c] });
        assert.equal(r3.stored.length, 0);
        assert.equal(r3.duplicates.length, 3);
        assert.equal(await s.countEvents(), 3);
      });

      test('repeated identifiers and references within one event are indexed once', async (s) => {
        const ne = testEvent({
          key: 'rep',
          epcList: [sgtin(1), sgtin(1)],
          classes: [`https://id.gs1.org/01/${GTIN_A}/10/L1`, `https://id.gs1.org/01/${GTIN_A}/10/L1`],
          bizTransactions: [
            { type: 'po', value: 'urn:x:po:1' },
            { type: 'po', value: 'urn:x:po:1' },
          ],
        });
        await appendAll(s, [ne], 'cap');
        assert.equal(
          (await queryAll(s, { identifiers: [{ roles: ['epc'], values: [sgtin(1)] }] })).length,
          1,
        );
        assert.equal(
          (
            await queryAll(s, {
              references: [{ kind: 'bizTransaction', type: 'po', values: ['urn:x:po:1'] }],
            })
          ).length,
          1,
        );
      });
    });

    describe('error declarations', () => {
      test('an error declaration is stored beside the event and marks it corrected', async (s) => {
        const a = testEvent({ key: 'orig', epcList: [sgtin(1)], recordTime: '2026-03-01T00:00:00.000Z' });
        const b = testEvent({ key: 'untouched', epcList: [sgtin(2)] });
        const [sa] = await appendAll(s, [a, b], 'c1');
        const decl = testErrorDeclaration(a, {
          declarationTime: '2026-03-02T00:00:00.000Z',
          reason: 'incorrect_data',
          correctiveEventIds: ['urn:x:corr'],
        });
        const r = await s.append({ captureId: 'c2', events: [decl] });
        assert.equal(r.stored.length, 1);
        assert.deepEqual(r.duplicates, []);
        const both = await s.getEventsById(a.eventId);
        assert.deepEqual(
          both.map((x) => [x.seq, x.isErrorDeclaration, x.corrected]),
          [
            [sa!.seq, false, true],
            [r.stored[0]!.seq, true, false],
          ],
        );
        assert.deepEqual(both[1]!.event.errorDeclaration, decl.event.errorDeclaration);
        assert.equal((await s.getEventsById(b.eventId))[0]!.corrected, false);
        // The same declaration again is a duplicate; the original again too.
        const again = await s.append({ captureId: 'c3', events: [decl, a] });
        assert.equal(again.stored.length, 0);
        assert.equal(again.duplicates.length, 2);
        // Queries see the correction flag on every page.
        const page = await s.queryEvents(
          { identifiers: [{ roles: ['epc'], values: [sgtin(1)] }] },
          { limit: 10 },
        );
        assert.deepEqual(
          page.events.map((x) => x.corrected),
          [true, false],
        );
      });

      test('an event stored after its error declaration is stored as corrected', async (s) => {
        const a = testEvent({ key: 'late', epcList: [sgtin(1)] });
        const decl = testErrorDeclaration(a, { declarationTime: '2026-03-02T00:00:00.000Z' });
        await appendAll(s, [decl], 'c1');
        await appendAll(s, [a], 'c2');
        const both = await s.getEventsById(a.eventId);
        assert.deepEqual(
          both.map((x) => [x.isErrorDeclaration, x.corrected]),
          [
            [true, false],
            [false, true],
          ],
        );
      });

      test('declaration and event in one unit', async (s) => {
        const a = testEvent({ key: 'same-unit', epcList: [sgtin(1)] });
        const decl = testErrorDeclaration(a, { declarationTime: '2026-03-02T00:00:00.000Z' });
        await appendAll(s, [a, decl], 'c1');
        const both = await s.getEventsById(a.eventId);
        assert.deepEqual(
          both.map((x) => [x.isErrorDeclaration, x.corrected]),
          [
            [false, true],
            [true, false],
          ],
        );
      });
    });

    describe('atomicity', () => {
      test('a unit that fails half-way (a bad row) leaves nothing: events, indexes, master data, job', async (s) => {
        const before = await appendAll(s, [testEvent({ key: 'kept', epcList: [sgtin(99)] })], 'c0');
        const good1 = testEvent({
          key: 'g1',
          epcList: [sgtin(1)],
          bizStep: 'shipping',
          bizTransactions: [{ type: 'po', value: 'urn:x:po:9' }],
        });
        const good2 = testEvent({ key: 'g2', epcList: [sgtin(2)] });
        // eventId NULL violates a NOT NULL constraint of the event row: the database refuses it.
        const bad = { ...testEvent({ key: 'bad', epcList: [sgtin(3)] }), eventId: null as unknown as string };
        const job: CaptureJob = {
          captureId: 'c-bad',
          createdAt: '2026-03-01T00:00:00.000Z',
          finishedAt: '2026-03-01T00:00:01.000Z',
          running: false,
          success: true,
          captureErrorBehaviour: 'rollback',
          eventCount: 0,
          errors: [],
        };
        const md: MasterDataElement[] = [
          { type: BIZ_LOCATION, id: sgln(GLN_1), children: [sgln(GLN_1, '1')] },
        ];
        await assert.rejects(
          s.append({ captureId: 'c-bad', events: [good1, good2, bad], masterData: md, job }),
        );
        assert.equal(await s.countEvents(), 1);
        assert.equal(await s.lastSeq(), before[0]!.seq);
        assert.deepEqual(await s.getEventsById(good1.eventId), []);
        assert.deepEqual(
          await queryAll(s, { identifiers: [{ roles: ['epc'], values: [sgtin(1), sgtin(2), sgtin(3)] }] }),
          [],
        );
        assert.deepEqual(
          await queryAll(s, { references: [{ kind: 'bizTransaction', type: 'po', values: ['urn:x:po:9'] }] }),
          [],
        );
        assert.deepEqual(await queryAll(s, { bizSteps: ['shipping'] }), []);
        assert.deepEqual(await s.getMasterData(), []);
        assert.equal(await s.getCaptureJob('c-bad'), undefined);
        assert.deepEqual((await s.distinctValues('bizStep', { limit: 10 })).values, []);
        // A bad master-data row after good events: nothing either.
        const badMd = [{ type: BIZ_LOCATION, id: null as unknown as string }];
        await assert.rejects(
          s.append({
            captureId: 'c-bad2',
            events: [good1, good2],
            masterData: badMd,
            job: { ...job, captureId: 'c-bad2' },
          }),
        );
        assert.equal(await s.countEvents(), 1);
        assert.deepEqual(await s.getMasterData(), []);
        assert.equal(await s.getCaptureJob('c-bad2'), undefined);
        // The same events can be stored afterwards (no hash left behind by the failed units).
        const ok = await s.append({
          captureId: 'c-ok',
          events: [good1, good2],
          masterData: md,
          job: { ...job, captureId: 'c-ok' },
        });
        assert.equal(ok.stored.length, 2);
        assert.ok(ok.stored[0]!.seq > before[0]!.seq);
        assert.equal((await s.getCaptureJob('c-ok'))?.eventCount, 2);
        assert.equal((await s.getMasterData()).length, 1);
      });
    });

    describe('capture jobs', () => {
      const job = (captureId: string, createdAt: string, over: Partial<CaptureJob> = {}): CaptureJob => ({
        captureId,
        createdAt,
        running: true,
        success: true,
        captureErrorBehaviour: 'rollback',
        eventCount: 0,
        errors: [],
        ...over,
      });

      test('put, get, replace; eventCount is kept by the store from the units appended', async (s) => {
        assert.equal(await s.getCaptureJob('nope'), undefined);
        await s.putCaptureJob(job('j1', '2026-03-01T00:00:00.000Z', { eventCount: 77 }));
        assert.deepEqual(await s.getCaptureJob('j1'), job('j1', '2026-03-01T00:00:00.000Z'));
        const e1 = testEvent({ key: 'j-e1', epcList: [sgtin(1)] });
        const e2 = testEvent({ key: 'j-e2', epcList: [sgtin(2)] });
        const e3 = testEvent({ key: 'j-e3', epcList: [sgtin(3)] });
        await s.append({ captureId: 'j1', events: [e1, e2] });
        assert.equal((await s.getCaptureJob('j1'))?.eventCount, 2);
        const final = job('j1', '2026-03-01T00:00:00.000Z', {
          running: false,
          success: false,
          finishedAt: '2026-03-01T00:00:05.000Z',
          captureErrorBehaviour: 'proceed',
          errors: [
            {
              type: 'epcisException:ValidationException',
              title: 'bad event',
              status: 400,
              detail: 'x',
              eventIndex: 3,
              pointer: '/epcisBody/eventList/3',
            },
          ],
        });
        // e1 is a duplicate: not counted.
        await s.append({ captureId: 'j1', events: [e1, e3], job: final });
        assert.deepEqual(await s.getCaptureJob('j1'), { ...final, eventCount: 3 });
        await s.putCaptureJob({ ...final, eventCount: 0 });
        assert.equal((await s.getCaptureJob('j1'))?.eventCount, 3);
        // A unit's job alone (no earlier putCaptureJob).
        await s.append({
          captureId: 'j2',
          events: [testEvent({ key: 'j-e4', epcList: [sgtin(4)] })],
          job: job('j2', '2026-03-01T00:01:00.000Z', { running: false }),
        });
        assert.deepEqual(
          await s.getCaptureJob('j2'),
          job('j2', '2026-03-01T00:01:00.000Z', { running: false, eventCount: 1 }),
        );
      });

      test('appending without a job record creates none', async (s) => {
        await s.append({ captureId: 'nojob', events: [testEvent({ key: 'nj', epcList: [sgtin(1)] })] });
        assert.equal(await s.getCaptureJob('nojob'), undefined);
        assert.deepEqual((await s.listCaptureJobs({ limit: 10 })).jobs, []);
        // A record put later counts the events appended before.
        await s.putCaptureJob(job('nojob', '2026-03-01T00:00:00.000Z'));
        assert.equal((await s.getCaptureJob('nojob'))?.eventCount, 1);
      });

      test('list: oldest first, paginated', async (s) => {
        const ids: string[] = [];
        for (let i = 0; i < 23; i++) {
          const id = `job-${String(i).padStart(2, '0')}`;
          ids.push(id);
          // Several jobs share a creation time: the captureId breaks the tie.
          await s.putCaptureJob(
            job(id, `2026-03-01T00:00:${String(Math.floor(i / 3)).padStart(2, '0')}.000Z`),
          );
        }
        const seen: string[] = [];
        let after: string | undefined;
        for (let n = 0; n < 10; n++) {
          const r = await s.listCaptureJobs(after === undefined ? { limit: 5 } : { limit: 5, after });
          assert.ok(r.jobs.length <= 5);
          seen.push(...r.jobs.map((j) => j.captureId));
          if (!r.next) break;
          after = r.next;
        }
        assert.deepEqual(seen, ids);
      });
    });

    describe('queries over a varied data set', () => {
      test('every EventFilter field, alone and combined, matches the oracle', async (s) => {
        const all = await storeVaried(s);
        for (const [title, filter] of variedFilters(all)) {
          const want = seqs(all.filter((a) => matchesFilter(a, filter)));
          const got = seqs(await queryAll(s, filter, { limit: 1000 }));
          assert.deepEqual(got, want, `filter ${title}: ${JSON.stringify(filter)}`);
        }
        // The data set really exercises the filters: most of them select some but not all events.
        const sizes = variedFilters(all).map(([, f]) => all.filter((a) => matchesFilter(a, f)).length);
        assert.ok(sizes.filter((n) => n > 0 && n < all.length).length >= 40);
      });

      test('a prefix matches identifiers with any character after it, and only those', async (s) => {
        const p = 'urn:x:pfx:1';
        const inside = [p, `${p}0`, `${p}~`, `${p}\u007f`, `${p}é`, `${p}😀`, `${p}\u{10FFFF}x`];
        const outside = ['urn:x:pfx:0~', 'urn:x:pfx:2', 'urn:x:pfx:', 'urn:x:pfx', 'urn:x:pfy:1'];
        const events = [...inside, ...outside].map((id, i) => testEvent({ key: `pfx-${i}`, epcList: [id] }));
        const stored = await appendAll(s, events, 'pfx');
        const got = seqs(await queryAll(s, { identifiers: [{ roles: ['epc'], prefixes: [p] }] }));
        assert.deepEqual(got, seqs(stored.slice(0, inside.length)));
      });

      test('ordering by seq, eventTime and recordTime, both directions, small pages, ties by seq', async (s) => {
        const all = await storeVaried(s);
        const filters: EventFilter[] = [
          {},
          { bizSteps: ['shipping', 'packing'] },
          { identifiers: [{ roles: ['epc', 'child'], prefixes: [`https://id.gs1.org/01/${GTIN_A}/`] }] },
        ];
        for (const filter of filters) {
          const matching = all.filter((a) => matchesFilter(a, filter));
          for (const orderBy of ['seq', 'eventTime', 'recordTime'] as const) {
            for (const direction of ['ASC', 'DESC'] as const) {
              const got = seqs(await queryAll(s, filter, { orderBy, direction, limit: 7 }));
              assert.deepEqual(
                got,
                orderOf(matching, orderBy, direction),
                `${orderBy} ${direction} ${JSON.stringify(filter)}`,
              );
            }
          }
        }
        // Defaults: seq ascending.
        assert.deepEqual(seqs(await queryAll(s, {}, { limit: 9 })), seqs(all));
      });

      test('returned events carry their stored fields', async (s) => {
        const all = await storeVaried(s);
        const page = await s.queryEvents({}, { limit: 1000 });
        assert.equal(page.events.length, all.length);
        for (const [i, got] of page.events.entries()) {
          const a = all[i]!;
          assert.equal(got.seq, a.seq);
          assert.equal(got.eventId, a.ne.eventId);
          assert.equal(got.hashId, a.ne.hashId);
          assert.equal(got.eventType, a.ne.event.type);
          assert.equal(got.eventTime, a.ne.eventTime);
          assert.equal(got.recordTime, a.ne.recordTime);
          assert.equal(got.captureId, a.captureId);
          assert.equal(got.isErrorDeclaration, a.ne.errorDeclaration !== undefined);
          const corrected =
            !a.ne.errorDeclaration && all.some((d) => d.ne.errorDeclaration && d.ne.eventId === a.ne.eventId);
          assert.equal(got.corrected, corrected);
          assert.deepEqual(got.event, a.ne.event);
        }
      });

      test('a cursor from elsewhere is refused with InvalidCursorError', async (s) => {
        await storeVaried(s);
        const p = await s.queryEvents({}, { orderBy: 'eventTime', direction: 'ASC', limit: 5 });
        assert.ok(p.next);
        await assert.rejects(
          s.queryEvents({}, { orderBy: 'eventTime', direction: 'ASC', limit: 5, after: 'garbage!' }),
          InvalidCursorError,
        );
        await assert.rejects(
          s.queryEvents({}, { orderBy: 'eventTime', direction: 'ASC', limit: 5, after: '' }),
          InvalidCursorError,
        );
        await assert.rejects(
          s.queryEvents({}, { orderBy: 'recordTime', direction: 'ASC', limit: 5, after: p.next }),
          InvalidCursorError,
        );
        await assert.rejects(
          s.queryEvents({}, { orderBy: 'eventTime', direction: 'DESC', limit: 5, after: p.next }),
          InvalidCursorError,
        );
        const ok = await s.queryEvents(
          {},
          { orderBy: 'eventTime', direction: 'ASC', limit: 5, after: p.next },
        );
        assert.equal(ok.events.length, 5);
      });

      test('distinctValues of every field, paginated in byte order', async (s) => {
        const all = await storeVaried(s);
        const fields = {
          eventType: (a: Appended) => [a.ne.event.type],
          bizStep: (a: Appended) => [a.ne.event.bizStep],
          disposition: (a: Appended) => [a.ne.event.disposition],
          readPoint: (a: Appended) => [a.ne.event.readPoint?.id],
          bizLocation: (a: Appended) => [a.ne.event.bizLocation?.id],
          epc: (a: Appended) =>
            a.ne.identifiers
              .filter((i) => ['epc', 'parent', 'child', 'input', 'output'].includes(i.role))
              .map((i) => i.id),
        } as const;
        for (const [field, get] of Object.entries(fields) as [
          keyof typeof fields,
          (a: Appended) => (string | undefined)[],
        ][]) {
          const want = [...new Set(all.flatMap(get).filter((v): v is string => v !== undefined))].sort(
            (x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)),
          );
          const got: string[] = [];
          let after: string | undefined;
          for (let n = 0; n < 1000; n++) {
            const r = await s.distinctValues(field, after === undefined ? { limit: 4 } : { limit: 4, after });
            assert.ok(r.values.length <= 4);
            got.push(...r.values);
            if (!r.next) break;
            after = r.next;
          }
          assert.deepEqual(got, want, field);
        }
      });
    });

    describe('pagination under load', () => {
      test('10,000 events paged with small pages: each exactly once, in every order', async (s) => {
        const all: Appended[] = [];
        for (let u = 0; u < 20; u++) {
          const events: NewEvent[] = [];
          for (let i = u * 500; i < (u + 1) * 500; i++) {
            events.push(
              testEvent({
                key: `bulk-${i}`,
                epcList: [sgtin(i)],
                action: 'ADD',
                bizStep: 'commissioning',
                // Many ties: 10,000 events over 1,000 distinct minutes, not in capture order.
                eventTime: minutesAfterStart((i * 7919) % 1000),
                recordTime: `2026-04-01T00:${String(Math.floor(u / 3)).padStart(2, '0')}:00.000Z`,
              }),
            );
          }
          all.push(...(await appendAll(s, events, `bulk-${u}`)));
        }
        assert.equal(await s.countEvents(), 10_000);
        for (const orderBy of ['seq', 'eventTime', 'recordTime'] as const) {
          for (const direction of ['ASC', 'DESC'] as const) {
            const got = seqs(await queryAll(s, {}, { orderBy, direction, limit: 97 }));
            assert.equal(got.length, 10_000);
            assert.deepEqual(got, orderOf(all, orderBy, direction), `${orderBy} ${direction}`);
          }
        }
      });

      test('pages stay correct while new events are appended between them', async (s) => {
        const all: Appended[] = [];
        for (let u = 0; u < 10; u++) {
          const events: NewEvent[] = [];
          for (let i = u * 500; i < (u + 1) * 500; i++) {
            events.push(
              testEvent({
                key: `live-${i}`,
                epcList: [sgtin(i)],
                bizStep: 'commissioning',
                eventTime: minutesAfterStart((i * 7919) % 700),
                recordTime: `2026-04-01T00:00:${String(u).padStart(2, '0')}.000Z`,
              }),
            );
          }
          all.push(...(await appendAll(s, events, `live-${u}`)));
        }
        let extra = 0;
        for (const orderBy of ['seq', 'eventTime', 'recordTime'] as const) {
          for (const direction of ['ASC', 'DESC'] as const) {
            const original = new Set(seqs(all));
            const seen = new Set<number>();
            let after: string | undefined;
            let pages = 0;
            for (;;) {
              const page = await s.queryEvents(
                { bizSteps: ['commissioning'] },
                after === undefined
                  ? { orderBy, direction, limit: 50 }
                  : { orderBy, direction, limit: 50, after },
              );
              for (const e of page.events) {
                assert.ok(!seen.has(e.seq), `seq ${e.seq} returned twice (${orderBy} ${direction})`);
                seen.add(e.seq);
              }
              if (!page.next) break;
              after = page.next;
              pages++;
              if (pages % 5 === 0) {
                // New events before, among and after the ones already returned.
                const events: NewEvent[] = [];
                for (let k = 0; k < 20; k++, extra++) {
                  events.push(
                    testEvent({
                      key: `extra-${extra}`,
                      epcList: [sgtin(100_000 + extra)],
                      bizStep: 'commissioning',
                      eventTime: minutesAfterStart((extra * 31) % 800),
                      recordTime: `2026-04-02T00:00:00.${String(extra % 1000).padStart(3, '0')}Z`,
                    }),
                  );
                }
                await appendAll(s, events, `extra-${extra}`);
              }
            }
            for (const q of original) assert.ok(seen.has(q), `seq ${q} missed (${orderBy} ${direction})`);
          }
        }
        assert.ok(extra > 0);
      });
    });

    describe('master data', () => {
      const md: MasterDataElement[] = [
        {
          type: BIZ_LOCATION,
          id: sgln(GLN_1),
          attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Plant 1' }],
          children: [sgln(GLN_1, '1'), sgln(GLN_1, '2')],
        },
        { type: BIZ_LOCATION, id: sgln(GLN_1, '1'), children: [sgln(GLN_1, '1.a')] },
        {
          type: READ_POINT,
          id: sgln(GLN_1, '1.a'),
          attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: { nested: ['x', 1] } }],
        },
        { type: BIZ_LOCATION, id: sgln(GLN_2), children: [sgln(GLN_2, '9')] },
        // A cycle must not hang descendants().
        { type: BIZ_LOCATION, id: sgln(GLN_2, '9'), children: [sgln(GLN_2)] },
      ];

      test('put, get by type and ids, replace', async (s) => {
        await s.putMasterData(md);
        assert.deepEqual(await s.getMasterData(), [...md].sort(byTypeId));
        assert.deepEqual(await s.getMasterData(READ_POINT), [md[2]]);
        assert.deepEqual(await s.getMasterData(BIZ_LOCATION, [sgln(GLN_2), sgln(GLN_1), 'urn:x:none']), [
          md[0],
          md[3],
        ]);
        assert.deepEqual(await s.getMasterData(undefined, [sgln(GLN_1, '1.a')]), [md[2]]);
        const replaced: MasterDataElement = {
          type: BIZ_LOCATION,
          id: sgln(GLN_1),
          attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Plant One' }],
          children: [sgln(GLN_1, '2')],
        };
        await s.putMasterData([replaced]);
        assert.deepEqual(await s.getMasterData(BIZ_LOCATION, [sgln(GLN_1)]), [replaced]);
        assert.deepEqual((await s.descendants([sgln(GLN_1)])).sort(), [sgln(GLN_1), sgln(GLN_1, '2')].sort());
      });

      test('descendants: direct and indirect children, each once, cycles allowed', async (s) => {
        await s.putMasterData(md);
        assert.deepEqual(
          (await s.descendants([sgln(GLN_1)])).sort(),
          [sgln(GLN_1), sgln(GLN_1, '1'), sgln(GLN_1, '2'), sgln(GLN_1, '1.a')].sort(),
        );
        assert.deepEqual((await s.descendants([sgln(GLN_2)])).sort(), [sgln(GLN_2), sgln(GLN_2, '9')].sort());
        assert.deepEqual((await s.descendants(['urn:x:unknown'])).sort(), ['urn:x:unknown']);
        assert.deepEqual(
          (await s.descendants([sgln(GLN_1, '1'), sgln(GLN_1, '1.a')])).sort(),
          [sgln(GLN_1, '1'), sgln(GLN_1, '1.a')].sort(),
        );
        assert.deepEqual(await s.descendants([]), []);
      });

      test('master data of a unit of work is stored with its events', async (s) => {
        await s.append({
          captureId: 'md',
          events: [testEvent({ key: 'md-e', epcList: [sgtin(1)] })],
          masterData: md.slice(0, 2),
        });
        assert.deepEqual(await s.getMasterData(), md.slice(0, 2));
        assert.deepEqual(
          (await s.descendants([sgln(GLN_1)])).sort(),
          [sgln(GLN_1), sgln(GLN_1, '1'), sgln(GLN_1, '2'), sgln(GLN_1, '1.a')].sort(),
        );
      });
    });

    describe('named queries and subscriptions', () => {
      const sub = (id: string, queryName: string, over: Partial<Subscription> = {}): Subscription => ({
        subscriptionId: id,
        queryName,
        dest: `https://example.com/hook/${id}`,
        stream: true,
        reportIfEmpty: false,
        createdAt: `2026-03-01T00:00:0${id.length % 10}.000Z`,
        lastAckedSeq: 0,
        ...over,
      });

      test('named queries: create once, get, list by name, delete', async (s) => {
        const q1 = {
          name: 'shipped',
          query: { EQ_bizStep: ['shipping'], nested: { a: [1, 2] } },
          createdAt: '2026-03-01T00:00:00.000Z',
        };
        const q2 = { name: 'all-packs', query: {}, createdAt: '2026-03-01T00:00:01.000Z' };
        assert.equal(await s.putNamedQuery(q1), true);
        assert.equal(await s.putNamedQuery(q2), true);
        assert.equal(await s.putNamedQuery({ ...q1, query: { other: true } }), false);
        assert.deepEqual(await s.getNamedQuery('shipped'), q1);
        assert.equal(await s.getNamedQuery('nope'), undefined);
        assert.deepEqual(await s.listNamedQueries(), [q2, q1]);
        assert.equal(await s.deleteNamedQuery('shipped'), true);
        assert.equal(await s.deleteNamedQuery('shipped'), false);
        assert.deepEqual(await s.listNamedQueries(), [q2]);
      });

      test('subscriptions: put (replace), list, ack (never backwards), delete; deleting the query ends them', async (s) => {
        await s.putNamedQuery({ name: 'q1', query: {}, createdAt: '2026-03-01T00:00:00.000Z' });
        await s.putNamedQuery({ name: 'q2', query: {}, createdAt: '2026-03-01T00:00:00.000Z' });
        const a = sub('s-a', 'q1', {
          signatureToken: 'tok',
          schedule: { minute: '0', hour: '*/2' },
          initialRecordTime: '2026-02-01T00:00:00.000Z',
          stream: false,
          reportIfEmpty: true,
        });
        const b = sub('s-bb', 'q1');
        const c = sub('s-ccc', 'q2');
        await s.putSubscription(a);
        await s.putSubscription(b);
        await s.putSubscription(c);
        assert.deepEqual(await s.listSubscriptions(), [a, b, c]);
        assert.deepEqual(await s.listSubscriptions('q1'), [a, b]);
        assert.deepEqual(await s.listSubscriptions('none'), []);
        await s.ackSubscription('s-a', 42, '2026-03-01T01:00:00.000Z');
        await s.ackSubscription('s-a', 17, '2026-03-01T02:00:00.000Z');
        await s.ackSubscription('unknown', 1, '2026-03-01T02:00:00.000Z');
        const [a2] = await s.listSubscriptions('q1');
        assert.equal(a2!.lastAckedSeq, 42);
        assert.equal(a2!.lastNotifiedAt, '2026-03-01T02:00:00.000Z');
        const b2 = { ...b, dest: 'https://example.com/new' };
        await s.putSubscription(b2);
        assert.deepEqual((await s.listSubscriptions('q1'))[1], b2);
        assert.equal(await s.deleteSubscription('s-bb'), true);
        assert.equal(await s.deleteSubscription('s-bb'), false);
        assert.deepEqual(seqless(await s.listSubscriptions()), ['s-a', 's-ccc']);
        await assert.rejects(s.putSubscription(sub('s-x', 'no-such-query')));
        assert.equal(await s.deleteNamedQuery('q1'), true);
        assert.deepEqual(seqless(await s.listSubscriptions()), ['s-ccc']);
      });
    });

    describe('API keys', () => {
      test('put, find, list, replace (revoke)', async (s) => {
        const k1: ApiKeyRecord = {
          keyId: 'k1',
          secretHash: 'a'.repeat(64),
          roles: ['capture', 'query'],
          label: 'Line 1',
          createdAt: '2026-03-01T00:00:00.000Z',
        };
        const k0: ApiKeyRecord = {
          keyId: 'k0',
          secretHash: 'b'.repeat(64),
          roles: [],
          label: '',
          createdAt: '2026-03-01T00:00:01.000Z',
        };
        await s.putApiKey(k1);
        await s.putApiKey(k0);
        assert.deepEqual(await s.findApiKey('k1'), k1);
        assert.equal(await s.findApiKey('nope'), undefined);
        assert.deepEqual(await s.listApiKeys(), [k0, k1]);
        const revoked = { ...k1, revokedAt: '2026-03-02T00:00:00.000Z' };
        await s.putApiKey(revoked);
        assert.deepEqual(await s.findApiKey('k1'), revoked);
      });
    });

    describe('concurrency', () => {
      test('several appends at once: all stored, seqs unique, each unit in order', async (s) => {
        const units = Array.from({ length: 8 }, (_, u) =>
          Array.from({ length: 100 }, (_, i) =>
            testEvent({ key: `conc-${u}-${i}`, epcList: [sgtin(u * 1000 + i)] }),
          ),
        );
        const results = await Promise.all(
          units.map((events, u) => s.append({ captureId: `conc-${u}`, events })),
        );
        const all = results.flatMap((r) => seqs(r.stored));
        assert.equal(all.length, 800);
        assert.equal(new Set(all).size, 800);
        for (const r of results)
          for (let i = 1; i < r.stored.length; i++) assert.ok(r.stored[i]!.seq > r.stored[i - 1]!.seq);
        assert.equal(await s.countEvents(), 800);
        assert.equal(await s.lastSeq(), Math.max(...all));
        // Each unit's events are contiguous in capture order: no unit interleaves with another.
        const page = await queryAll(s, {}, { limit: 1000 });
        const captureOf = page.map((e) => e.captureId);
        const runs = captureOf.filter((c, i) => i === 0 || c !== captureOf[i - 1]).length;
        assert.equal(runs, 8);
      });

      test('the same events appended at once are stored once', async (s) => {
        const events = Array.from({ length: 50 }, (_, i) =>
          testEvent({ key: `race-${i}`, epcList: [sgtin(i)] }),
        );
        const results = await Promise.all(
          [0, 1, 2, 3].map((k) => s.append({ captureId: `race-${k}`, events })),
        );
        assert.equal(
          results.reduce((n, r) => n + r.stored.length, 0),
          50,
        );
        assert.equal(
          results.reduce((n, r) => n + r.duplicates.length, 0),
          150,
        );
        assert.equal(await s.countEvents(), 50);
      });

      test('a failing unit among concurrent ones fails alone', async (s) => {
        const good = [0, 1, 2].map((u) => [testEvent({ key: `ok-${u}`, epcList: [sgtin(u)] })]);
        const bad = [
          testEvent({ key: 'bad-1', epcList: [sgtin(10)] }),
          { ...testEvent({ key: 'bad-2', epcList: [sgtin(11)] }), hashId: null as unknown as string },
        ];
        const results = await Promise.allSettled([
          s.append({ captureId: 'g0', events: good[0]! }),
          s.append({ captureId: 'b', events: bad }),
          s.append({ captureId: 'g1', events: good[1]! }),
          s.append({ captureId: 'g2', events: good[2]! }),
        ]);
        assert.deepEqual(
          results.map((r) => r.status),
          ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
        );
        assert.equal(await s.countEvents(), 3);
        assert.deepEqual(await s.getEventsById(bad[0]!.eventId), []);
      });
    });
  });
}

function byTypeId(a: MasterDataElement, b: MasterDataElement): number {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const seqless = (subs: Subscription[]): string[] => subs.map((x) => x.subscriptionId);
