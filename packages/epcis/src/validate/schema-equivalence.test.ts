/**
 * Proof that rxtrace's hand-written validator gives the official JSON Schema's verdict: ajv
 * (draft-07 + ajv-formats) compiled once from ../shared is the oracle; the examples, the schema's
 * own test instances, hand-picked edge cases and thousands of seeded mutants must get the same
 * verdict (`report.schemaValid`), and a rejection must point where ajv finds a fault too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { validateEpcisJson } from './document.ts';
import { isDateTime, isUri } from './formats.ts';
import { mutateOnce, prng } from './mutate.ts';
import { validateQueryBody } from './query.ts';
import { haveSchemas, SHARED_CONFORMANCE, schemaOracle } from './schema-oracle.ts';

const MUTANTS = 5000;
const SEED = 20240301;

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (/\.json(ld)?$/.test(name)) out.push(p);
  }
  return out;
}

/** Whether rxtrace's schema problems sit where ajv reports faults (same place, or inside / around one). */
function related(ours: string[], ajvPaths: Set<string>): boolean {
  for (const p of ours) {
    if (ajvPaths.has(p)) return true;
    for (const q of ajvPaths) if (p.startsWith(`${q}/`) || q.startsWith(`${p}/`)) return true;
  }
  return false;
}

test('rxtrace validator ≡ official EPCIS JSON Schema (ajv oracle)', {
  skip: !haveSchemas() && '../shared/conformance not present: skipping the JSON Schema equivalence proof',
}, async (t) => {
  const oracle = schemaOracle();
  const examples = jsonFiles(join(SHARED_CONFORMANCE, 'epcis-examples/json'));
  const instances = join(SHARED_CONFORMANCE, 'epcis-schema/json-schema/schema-test-instances');
  const documents = [
    ...examples.filter((f) => !f.includes('/Queries/')),
    ...readdirSync(instances)
      .filter((n) => n.endsWith('.json'))
      .map((n) => join(instances, n)),
  ];
  const queries = examples.filter((f) => f.includes('/Queries/'));

  const agree = (value: unknown, what: string): void => {
    const expected = oracle.epcis(value) as boolean;
    const report = validateEpcisJson(value);
    assert.equal(
      report.schemaValid,
      expected,
      `${what}: ajv says ${expected ? 'valid' : 'invalid'}; rxtrace: ${JSON.stringify(report.problems.slice(0, 3))}`,
    );
    if (!expected) {
      const ajvPaths = new Set((oracle.epcis.errors ?? []).map((e) => e.instancePath));
      const ours = report.problems.filter((p) => p.source === 'schema').map((p) => p.pointer);
      assert.ok(
        related(ours, ajvPaths),
        `${what}: rxtrace rejects at ${ours.join(', ')}, ajv at ${[...ajvPaths].join(', ')}`,
      );
    }
  };

  await t.test('every example document and schema test instance', () => {
    assert.ok(documents.length >= 120);
    for (const f of documents) agree(JSON.parse(readFileSync(f, 'utf8')), f.slice(SHARED_CONFORMANCE.length));
  });

  await t.test('hand-picked edge cases', () => {
    const ev = {
      type: 'ObjectEvent',
      eventTime: '2024-03-01T10:00:00Z',
      eventTimeZoneOffset: '+00:00',
      action: 'OBSERVE',
      epcList: [],
    };
    const ctx = { '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld' };
    const doc = (events: unknown[], extra = {}) => ({
      ...ctx,
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2024-03-01T10:00:00Z',
      epcisBody: { eventList: events },
      ...extra,
    });
    const cases: unknown[] = [
      null,
      5,
      'x',
      [],
      {},
      { type: 5 },
      { type: 'EPCISDocument' },
      { ...ctx, type: 'ex:Custom', eventTime: 'x', eventTimeZoneOffset: '+00:00' },
      {
        ...ctx,
        type: 'ex:Custom',
        eventTime: '2024-03-01T10:00:00Z',
        eventTimeZoneOffset: '+00:00',
        epcList: 5,
      },
      { ...ev },
      { ...ev, ...ctx },
      { ...ev, ...ctx, ilmd: {} },
      { ...ev, ...ctx, action: 'ADD', ilmd: {} },
      { ...ev, ...ctx, action: undefined },
      doc([ev]),
      doc([{ ...ev, type: 'EPCISDocument' }]),
      doc([{ ...ev, type: undefined }]),
      doc([5]),
      doc([null]),
      doc([[ev]]),
      doc([{ ...ev, '@context': ['urn:a:b', { a: 1 }, { a: 1 }] }]),
      doc([{ ...ev, '@context': [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }] }]),
      doc([
        {
          ...ev,
          '@context': [
            { a: 1, b: 2 },
            { b: 2, a: 1 },
          ],
        },
      ]),
      doc([{ ...ev, '@context': [] }]),
      doc([{ ...ev, '@context': ['not uri'] }]),
      doc([{ ...ev, epcList: ['urn:a:1', 'urn:a:1'] }]),
      doc([
        {
          ...ev,
          type: 'TransactionEvent',
          bizTransactionList: [{ bizTransaction: 'urn:x:1' }],
          epcList: ['urn:a:1', 'urn:a:1'],
        },
      ]),
      doc([{ ...ev, type: 'AggregationEvent', action: 'DELETE', epcList: undefined }]),
      doc([{ ...ev, type: 'AggregationEvent', action: 'ADD', epcList: undefined, childEPCs: [] }]),
      doc([{ ...ev, type: 'AssociationEvent', action: 'DELETE', epcList: undefined }]),
      doc([
        {
          ...ev,
          type: 'TransformationEvent',
          action: undefined,
          epcList: undefined,
          outputQuantityList: [5],
        },
      ]),
      doc([
        {
          ...ev,
          type: 'TransformationEvent',
          action: undefined,
          epcList: undefined,
          inputEPCList: [5],
          outputEPCList: ['urn:x:1'],
        },
      ]),
      doc([{ ...ev, eventTime: '2016-12-31T23:59:60Z' }]),
      doc([{ ...ev, eventTime: '2016-12-31T15:59:60-08:00' }]),
      doc([{ ...ev, eventTime: '2016-12-31T23:59:60+01:00' }]),
      doc([{ ...ev, eventTime: '2024-03-01 10:00:00+0530' }]),
      doc([{ ...ev, eventTime: '2024-03-01T10:00:00' }]),
      doc([{ ...ev, eventTimeZoneOffset: '-14:00' }]),
      doc([{ ...ev, quantityList: [{ epcClass: 'urn:x:1', quantity: 1e308 * 10 }] }]),
      doc([
        { ...ev, sensorElementList: [{ sensorReport: [{ type: 'Temperature', hexBinaryValue: 'ABC' }] }] },
      ]),
      doc([{ ...ev, bizStep: 'URN:epcglobal:cbv:bizstep:x' }]),
      doc([{ ...ev, disposition: 'http://ns.gs1.org/cbv/x' }]),
      doc([{ ...ev, disposition: 'https://ns.gs1.org/cbv' }]),
      doc([
        { ...ev, sensorElementList: [{ sensorReport: [{ type: 'https://www.gs1.org/voc/Temperature' }] }] },
      ]),
      doc([
        {
          ...ev,
          sensorElementList: [
            {
              sensorReport: [
                { type: 'https://ref.gs1.org/voc/Temperature', exception: 'gs1:ALARM_CONDITION' },
              ],
            },
          ],
        },
      ]),
      doc([{ ...ev, readPoint: { id: 'urn:x:1', 'not a uri': [1] } }]),
      doc([{ ...ev, ['__proto__']: 1 }]),
      doc([{ ...ev, constructor: 1 }]),
      doc([ev], { sender: 'x', receiver: 5 }),
      doc([ev], { instanceIdentifier: 7 }),
      doc([ev], { schemaVersion: 2 }),
      doc([ev], { id: 'urn:x' }),
      doc([ev], {
        epcisHeader: {
          epcisMasterData: {
            vocabularyList: [
              { type: 'urn:x:t', vocabularyElementList: [{ id: 'urn:x:1', children: ['bad'] }] },
            ],
          },
        },
      }),
      doc([ev], { epcisHeader: { 'ex:h': 1, epcisMasterData: 5 } }),
      doc([ev], { epcisBody: { eventList: [], extra: 1 } }),
      {
        ...ctx,
        type: 'EPCISQueryDocument',
        epcisBody: { queryResults: { queryName: 'q', resultsBody: { eventList: [ev], vocabularyList: [] } } },
      },
      {
        ...ctx,
        type: 'EPCISQueryDocument',
        epcisBody: { queryResults: { queryName: 'q', subscriptionID: 5, resultsBody: { eventList: [] } } },
      },
      { ...ctx, type: 'EPCISQueryDocument', epcisBody: { queryResults: { queryName: 'q' } } },
      {
        ...ctx,
        type: 'EPCISQueryDocument',
        epcisBody: { 'ex:a': 1, queryResults: { queryName: 'q', resultsBody: { eventList: [], foo: 1 } } },
      },
    ];
    for (const [i, c] of cases.entries()) agree(JSON.parse(JSON.stringify(c) ?? 'null'), `edge case ${i}`);
    // Objects built in JavaScript (not through JSON.parse): __proto__ as an own key.
    agree(
      JSON.parse(
        '{"@context":"urn:c:1","type":"ObjectEvent","eventTime":"2024-03-01T10:00:00Z","eventTimeZoneOffset":"+00:00","action":"ADD","epcList":[],"__proto__":{"x":1}}',
      ),
      '__proto__ key',
    );
  });

  await t.test(
    `${MUTANTS} seeded mutants of the examples (drop, retype, bad dates and URIs, huge numbers, deep nesting, unknown keys)`,
    () => {
      const bases = documents.map((f) => JSON.parse(readFileSync(f, 'utf8')));
      const r = prng(SEED);
      let invalid = 0;
      for (let n = 0; n < MUTANTS; n++) {
        const i = Math.floor(r() * bases.length);
        const value = structuredClone(bases[i]);
        const edits: string[] = [];
        const count = 1 + Math.floor(r() * 3);
        for (let k = 0; k < count; k++) edits.push(mutateOnce(value, r));
        agree(
          value,
          `mutant ${n} of ${documents[i]!.slice(SHARED_CONFORMANCE.length)} (${edits.join('; ')})`,
        );
        if (!oracle.epcis(value)) invalid++;
      }
      // Both verdicts must be exercised.
      assert.ok(
        invalid > MUTANTS * 0.3 && invalid < MUTANTS * 0.95,
        `${invalid} of ${MUTANTS} mutants invalid`,
      );
    },
  );

  await t.test('uri and date-time checks equal ajv-formats on mutated strings', () => {
    const r = prng(SEED + 1);
    const uris = [
      'http://u:p@[::1]:80/a?b#c',
      'urn:epc:id:sgtin:0614141.107346.2017',
      'https://id.gs1.org/01/09521141012345/21/%2F1',
      'a:/[v1.x]/p',
      'x://[::ffff:1.2.3.4]',
      'mailto:a@b',
      'ex:f',
    ];
    const times = [
      '2005-04-03T20:33:31.116-06:00',
      '2016-12-31T23:59:60Z',
      '2020-02-29 15:59:60-08:00',
      '2021-01-01t00:00:00z',
      '2020-01-01T00:00:00+0530',
      '2020-01-01T23:59:59.99999999999999999Z',
    ];
    const alphabet = ' :/?#[]@%-+.TtZz0123456789aFv_~!é\u00a0';
    const edit = (s: string): string => {
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
        const pos = Math.floor(r() * (s.length + 1));
        const ch = alphabet[Math.floor(r() * alphabet.length)]!;
        const op = r();
        s =
          op < 0.4
            ? s.slice(0, pos) + ch + s.slice(pos)
            : op < 0.7
              ? s.slice(0, pos) + s.slice(pos + 1)
              : s.slice(0, pos) + ch + s.slice(pos + 1);
      }
      return s;
    };
    const uriFormat = fullFormats.uri as (s: string) => boolean;
    const dateTimeFormat = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
    for (let n = 0; n < 20000; n++) {
      const u = edit(uris[n % uris.length]!);
      assert.equal(isUri(u), uriFormat(u), `uri ${JSON.stringify(u)}`);
      const d = edit(times[n % times.length]!);
      assert.equal(isDateTime(d), dateTimeFormat(d), `date-time ${JSON.stringify(d)}`);
    }
  });

  await t.test('query bodies: the query-schema verdict, except the documented pattern fix', () => {
    for (const f of queries) {
      const q = JSON.parse(readFileSync(f, 'utf8'));
      assert.equal(validateQueryBody(q).schemaValid, oracle.query(q) as boolean, f);
    }
    const r = prng(SEED + 2);
    const names = [
      'eventType',
      'GE_eventTime',
      'LT_recordTime',
      'EQ_action',
      'EQ_bizStep',
      'EQ_disposition',
      'EQ_quantity',
      'GT_quantity',
      'MATCH_epc',
      'MATCH_anyEPCClass',
      'EQ_readPoint',
      'WD_bizLocation',
      'EXISTS_errorDeclaration',
      'GE_errorDeclaration_Time',
      'EQ_errorReason',
      'orderBy',
      'orderDirection',
      'eventCountLimit',
      'maxEventCount',
      'EQ_type',
      'EQ_booleanValue',
      'EQ_stringValue',
      'GE_percRank',
      'EQ_bizTransaction_po',
      'EQ_source_owning_party',
      'EQ_destination_x',
      'EQ_value_CEL',
      'GE_value_KGM',
      'LT_sDev_C62',
      'EQ_quantity_KGM',
      'EQ_value_cel',
      'GE_eventDate',
      'EQ_bizTransaction_',
      'foo',
      '@context',
    ];
    const values: unknown[] = [
      null,
      true,
      0,
      1.5,
      -3,
      'x',
      'ADD',
      'shipping',
      'urn:x:1',
      '2026-01-01T00:00:00Z',
      'ASC',
      [],
      ['ADD'],
      ['x'],
      ['urn:x:1'],
      [1, 2],
      ['shipping', 'transforming'],
      ['ObjectEvent', 'ex:E'],
      [null],
      {},
    ];
    for (let n = 0; n < 3000; n++) {
      const q: Record<string, unknown> = {};
      for (let k = Math.floor(r() * 4); k >= 0; k--)
        q[names[Math.floor(r() * names.length)]!] = values[Math.floor(r() * values.length)];
      assert.equal(validateQueryBody(q).schemaValid, oracle.query(q) as boolean, JSON.stringify(q));
    }
    // The deliberate difference: the schema's extension-parameter patterns are double-escaped and
    // match no real name; rxtrace accepts what they mean, and the OpenAPI spelling of the
    // error-declaration time filters.
    for (const q of [
      { 'EQ_example:lot': ['L1'] },
      { 'EXISTS_INNER_ILMD_example:f': null },
      { EQ_ATTR_bizLocation_city: ['Basel'] },
      { GE_errorDeclarationTime: '2026-01-01T00:00:00Z' },
    ]) {
      assert.equal(oracle.query(q), false, `the schema file rejects ${Object.keys(q)[0]}`);
      assert.equal(validateQueryBody(q).valid, true, `rxtrace accepts ${Object.keys(q)[0]}`);
    }
  });
});
