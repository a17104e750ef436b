/**
 * Every valid example document of ../shared/conformance/epcis-examples/json is captured into a
 * fresh store; then, for each of its events, queries are built from the event's own content
 * (type, bizStep, disposition, read point, business location, an EPC, a class, a business
 * transaction, a source, a destination, the eventID, action, times, error declaration,
 * transformation, sensor type, ILMD, persistent disposition) and the answer must be exactly the
 * events an independent scan of the document selects.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type EPCISAnyDocument,
  type EPCISEvent,
  eventsOf,
  normaliseCbv,
  normaliseIdentifier,
} from '@rxtrace/epcis';
import { namespacesOfContext } from './params.ts';
import { capture, runAll, storeFactories } from './test-support.ts';

const ROOT = new URL('../../../../../shared/conformance/epcis-examples/json/', import.meta.url).pathname;
const TSV = join(ROOT, 'json-schema-validation.tsv');

interface Probe {
  search: string;
  expect: (e: EPCISEvent) => boolean;
}

const nid = normaliseIdentifier;
const gtinLevel = (dl: string) => /^https:\/\/id\.gs1\.org\/01\/\d{14}$/.test(dl);
const times = (s: string | undefined) => (s === undefined ? Number.NaN : Date.parse(s));

/** Queries built from one event's content, each with the selection it must make. */
function probesOf(e: EPCISEvent, ns: Record<string, string>): Probe[] {
  const out: Probe[] = [];
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const noPipe = (v: string) => !v.includes('|');
  out.push({ search: q({ eventType: e.type }), expect: (x) => x.type === e.type });
  for (const k of ['bizStep', 'disposition'] as const) {
    const v = e[k];
    if (typeof v === 'string' && noPipe(v)) {
      const n = normaliseCbv(k, v, ns);
      out.push({
        search: q({ [`EQ_${k}`]: v }),
        expect: (x) => typeof x[k] === 'string' && normaliseCbv(k, x[k] as string, ns) === n,
      });
    }
  }
  for (const k of ['readPoint', 'bizLocation'] as const) {
    const v = e[k]?.id;
    if (v && noPipe(v))
      out.push({
        search: q({ [`EQ_${k}`]: v }),
        expect: (x) => x[k]?.id !== undefined && nid(x[k]!.id) === nid(v),
      });
  }
  const instances = (x: EPCISEvent) => [...(x.epcList ?? []), ...(x.childEPCs ?? [])].map(nid);
  const epc = instances(e).find((v) => !gtinLevel(v) && !v.startsWith('urn:epc:idpat:'));
  const epcRaw = [...(e.epcList ?? []), ...(e.childEPCs ?? [])].find((v) => nid(v) === epc);
  if (epc && epcRaw)
    out.push({ search: q({ MATCH_epc: epcRaw }), expect: (x) => instances(x).includes(epc) });
  const anyIds = (x: EPCISEvent) => [
    ...instances(x),
    ...(x.parentID ? [nid(x.parentID)] : []),
    ...(x.inputEPCList ?? []).map(nid),
    ...(x.outputEPCList ?? []).map(nid),
  ];
  const anyRaw = e.parentID ?? e.inputEPCList?.[0] ?? e.outputEPCList?.[0];
  if (anyRaw && !gtinLevel(nid(anyRaw)) && !anyRaw.startsWith('urn:epc:idpat:')) {
    const n = nid(anyRaw);
    out.push({ search: q({ MATCH_anyEPC: anyRaw }), expect: (x) => anyIds(x).includes(n) });
  }
  if (e.parentID && !gtinLevel(nid(e.parentID))) {
    const n = nid(e.parentID);
    out.push({
      search: q({ MATCH_parentID: e.parentID }),
      expect: (x) => x.parentID !== undefined && nid(x.parentID) === n,
    });
  }
  const classes = (x: EPCISEvent) =>
    [...(x.quantityList ?? []), ...(x.childQuantityList ?? [])].map((c) => nid(c.epcClass));
  const cls = e.quantityList?.[0]?.epcClass ?? e.childQuantityList?.[0]?.epcClass;
  if (cls) {
    const n = nid(cls);
    const covers = (c: string) => c === n || (gtinLevel(n) && c.startsWith(`${n}/`));
    out.push({ search: q({ MATCH_epcClass: cls }), expect: (x) => classes(x).some(covers) });
  }
  for (const b of e.bizTransactionList ?? []) {
    const type = b.type === undefined ? undefined : normaliseCbv('bizTransactionType', b.type, ns);
    if (!type || !/^[a-zA-Z][a-zA-Z0-9_]*$/.test(type) || !noPipe(b.bizTransaction)) continue;
    out.push({
      search: q({ [`EQ_bizTransaction_${type}`]: b.bizTransaction }),
      expect: (x) =>
        (x.bizTransactionList ?? []).some(
          (y) =>
            y.type !== undefined &&
            normaliseCbv('bizTransactionType', y.type, ns) === type &&
            nid(y.bizTransaction) === nid(b.bizTransaction),
        ),
    });
  }
  for (const [kind, list] of [
    ['source', (x: EPCISEvent) => (x.sourceList ?? []).map((s) => ({ type: s.type, id: s.source }))],
    [
      'destination',
      (x: EPCISEvent) => (x.destinationList ?? []).map((s) => ({ type: s.type, id: s.destination })),
    ],
  ] as const) {
    const first = list(e)[0];
    if (!first) continue;
    const type = normaliseCbv('sourceDestType', first.type, ns);
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(type)) continue;
    out.push({
      search: q({ [`EQ_${kind}_${type}`]: first.id }),
      expect: (x) =>
        list(x).some(
          (y) => normaliseCbv('sourceDestType', y.type, ns) === type && nid(y.id) === nid(first.id),
        ),
    });
  }
  if (e.eventID) out.push({ search: q({ EQ_eventID: e.eventID }), expect: (x) => x.eventID === e.eventID });
  if (e.action) out.push({ search: q({ EQ_action: e.action }), expect: (x) => x.action === e.action });
  const t = times(e.eventTime);
  out.push({ search: q({ GE_eventTime: e.eventTime }), expect: (x) => times(x.eventTime) >= t });
  out.push({ search: q({ LT_eventTime: e.eventTime }), expect: (x) => times(x.eventTime) < t });
  if (e.errorDeclaration) {
    out.push({ search: 'EXISTS_errorDeclaration', expect: (x) => x.errorDeclaration !== undefined });
    const r = e.errorDeclaration.reason;
    if (r)
      out.push({
        search: q({ EQ_errorReason: r }),
        expect: (x) =>
          x.errorDeclaration?.reason !== undefined &&
          normaliseCbv('errorReason', x.errorDeclaration.reason, ns) === normaliseCbv('errorReason', r, ns),
      });
    const c = e.errorDeclaration.correctiveEventIDs?.[0];
    if (c)
      out.push({
        search: q({ EQ_correctiveEventID: c }),
        expect: (x) => (x.errorDeclaration?.correctiveEventIDs ?? []).includes(c),
      });
  }
  if (e.transformationID)
    out.push({
      search: q({ EQ_transformationID: e.transformationID }),
      expect: (x) => x.transformationID === e.transformationID,
    });
  const sensorType = e.sensorElementList?.[0]?.sensorReport?.[0]?.type;
  if (sensorType) {
    const n = normaliseCbv('measurementType', sensorType, ns);
    out.push({
      search: q({ EQ_type: sensorType }),
      expect: (x) =>
        (x.sensorElementList ?? []).some((se) =>
          (se.sensorReport ?? []).some(
            (r) => r.type !== undefined && normaliseCbv('measurementType', r.type, ns) === n,
          ),
        ),
    });
  }
  for (const [k, v] of Object.entries(e.ilmd ?? {})) {
    if (typeof v !== 'string' || !/^[a-z][a-zA-Z0-9]*:\w+$/.test(k) || !noPipe(v)) continue;
    out.push({
      search: q({ [`EQ_ILMD_${k}`]: v }),
      expect: (x) => {
        const have = x.ilmd?.[k];
        return have === v || (Array.isArray(have) && have.includes(v));
      },
    });
    out.push({ search: q({ [`EXISTS_ILMD_${k}`]: '' }), expect: (x) => x.ilmd?.[k] !== undefined });
    break;
  }
  const pd = e.persistentDisposition?.set?.[0];
  if (pd) {
    const n = normaliseCbv('disposition', pd, ns);
    out.push({
      search: q({ EQ_persistentDisposition_set: pd }),
      expect: (x) =>
        (x.persistentDisposition?.set ?? []).some((d) => normaliseCbv('disposition', d, ns) === n),
    });
  }
  return out;
}

const docs = existsSync(TSV)
  ? readFileSync(TSV, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((c) => c[2] === 'valid' && c[0] && !c[0].includes('/Queries/'))
      .map((c) => c[0]!)
  : [];

if (docs.length === 0) {
  test('example documents: ../shared/conformance/epcis-examples absent — query tests on the published examples skipped', {
    skip: true,
  }, () => {});
} else {
  for (const factory of storeFactories()) {
    test(`example documents (${factory.name} store): queries built from each event select exactly the events a scan selects`, async (t) => {
      let probes = 0;
      const skipped: string[] = [];
      for (const rel of docs) {
        const text = readFileSync(join(ROOT, rel), 'utf8');
        const doc = JSON.parse(text) as EPCISAnyDocument;
        if (!doc.epcisBody) continue; // a bare event (Capture/Events/), not a document
        const events = eventsOf(doc);
        const ns = namespacesOfContext(doc['@context']);
        const { store, dispose } = await factory.open();
        try {
          const outcome = await capture(store, text);
          if (outcome.duplicates > 0) {
            // Repeated events collapse into one stored event: no one-to-one document ↔ store mapping.
            skipped.push(rel);
            continue;
          }
          assert.equal(
            outcome.stored,
            events.length,
            `${rel}: every event stored (${JSON.stringify(outcome.job.errors[0] ?? null)})`,
          );
          // Capture order is document order: stored event i is document event i.
          const all = (await runAll(store, '', 1000)).events.sort((a, b) => a.seq - b.seq);
          const keyOfSeq = new Map(all.map((s, i) => [s.seq, `#${i}`]));
          for (const e of events)
            for (const p of probesOf(e, ns)) {
              const want = events.flatMap((x, i) => (p.expect(x) ? [`#${i}`] : [])).sort();
              const got = (await runAll(store, p.search, 2, ns)).events
                .map((s) => keyOfSeq.get(s.seq) ?? '?')
                .sort();
              assert.deepEqual(got, want, `${rel}: ${decodeURIComponent(p.search)}`);
              probes++;
            }
        } finally {
          await dispose();
        }
      }
      t.diagnostic(
        `${docs.length - skipped.length} documents, ${probes} queries; skipped (repeated events): ${skipped.join(', ') || 'none'}`,
      );
      assert.ok(probes > 500);
    });
  }
}
