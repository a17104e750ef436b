/**
 * Pack state benchmarks (for `npm run bench -- serials`, see docs/trace.md):
 *
 * - `traceLatency`: fills a SQLite store with N events (default 10,000,000) through
 *   `Store.append` of prepared events in large units — single-EPC commissioning events as filler,
 *   with a few thousand pallet → case → pack hierarchies (commission, pack cases, pack pallet,
 *   ship, receive) among them — then measures `GET /trace/{id}` over HTTP for random packs inside a
 *   case inside a pallet: p50 / p99 per round, best of 3 rounds, and a VERDICT line (p99 < 10 ms).
 * - `projectionOverhead`: capture throughput (documents through the real pipeline and store) with
 *   pack state projections on and off, interleaved rounds, best of each: the ratio must stay ≥ 80%.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureDocument, packChangeOf } from '../../packages/core/src/index.ts';
import { buildServer } from '../../packages/server/src/app.ts';
import type { CaptureJob, NewEvent } from '../../packages/store/src/index.ts';
import { openSqliteStore } from '../../packages/store/src/sqlite/index.ts';
import { percentile } from './stats.ts';

const GTIN = '09506000134352';
const LOC_A = 'https://id.gs1.org/414/9506000000015';
const LOC_B = 'https://id.gs1.org/414/9506000000022';
const PARTY_A = 'https://id.gs1.org/417/9506000000015';
const PARTY_B = 'https://id.gs1.org/417/9506000000022';

function ssccOf(n: number): string {
  const body = `09506000${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (i % 2 === 0 ? 3 : 1);
  return `https://id.gs1.org/00/${body}${(10 - (sum % 10)) % 10}`;
}

/** A prepared event, built directly (as the capture pipeline would hand it to the store). */
function newEvent(e: Record<string, unknown>, ms: number): NewEvent {
  const eventTime = new Date(ms).toISOString();
  const ev = { eventTimeZoneOffset: '+00:00', ...e, eventTime } as unknown as NewEvent['event'];
  const hashId = `ni:///sha-256;${randomBytes(32).toString('hex')}?ver=CBV2.0`;
  ev.eventID = hashId;
  const ids: NewEvent['identifiers'] = [];
  for (const id of (ev.epcList as string[] | undefined) ?? []) ids.push({ role: 'epc', id });
  if (typeof ev.parentID === 'string') ids.push({ role: 'parent', id: ev.parentID });
  for (const id of (ev.childEPCs as string[] | undefined) ?? []) ids.push({ role: 'child', id });
  const ne: NewEvent = {
    event: ev,
    eventId: hashId,
    hashId,
    eventTime,
    recordTime: eventTime,
    identifiers: ids,
    references: [],
  };
  const pc = packChangeOf(ev, eventTime);
  if (pc) ne.packChange = pc;
  return ne;
}

export interface TraceLatencyOptions {
  /** Events stored before measuring (default 10,000,000). */
  events?: number;
  /** pallet → case → pack hierarchies among them (default 3,000). */
  hierarchies?: number;
  /** Trace requests per round (default 1,000). */
  requests?: number;
  rounds?: number;
  log?: (s: string) => void;
}

export interface TraceLatencyResult {
  events: number;
  fillSeconds: number;
  p50: number;
  p99: number;
  pass: boolean;
  verdict: string;
}

export async function traceLatency(o: TraceLatencyOptions = {}): Promise<TraceLatencyResult> {
  const N = o.events ?? 10_000_000;
  const H = Math.min(o.hierarchies ?? 3000, Math.max(1, Math.floor(N / 40)));
  const requests = o.requests ?? 1000;
  const rounds = o.rounds ?? 3;
  const log = o.log ?? ((s: string) => console.log(s));
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-bench-trace-'));
  try {
    const store = await openSqliteStore({ file: join(dir, 'rxtrace.db') });
    await store.migrate();
    const CASES = 2;
    const PER_CASE = 6;
    const perHierarchy = CASES * PER_CASE > 0 ? 1 + CASES + 1 + 2 : 0; // commission, cases, pallet, ship, receive
    const traced: string[] = [];
    const t0 = performance.now();
    let stored = 0;
    let h = 0;
    let filler = 0;
    let ms = Date.UTC(2025, 0, 1);
    const UNIT = 5000;
    const fillerPerHierarchy = Math.max(0, Math.floor((N - H * perHierarchy) / H));
    let lastLog = t0;
    while (stored < N) {
      const unit: NewEvent[] = [];
      while (unit.length < UNIT && stored + unit.length < N) {
        if (h < H && filler >= fillerPerHierarchy) {
          filler = 0;
          const pallet = ssccOf(h * 10);
          const cases = Array.from({ length: CASES }, (_, c) => ssccOf(h * 10 + 1 + c));
          const packs = cases.map((_, c) =>
            Array.from({ length: PER_CASE }, (_, i) => `https://id.gs1.org/01/${GTIN}/21/H${h}C${c}P${i}`),
          );
          unit.push(
            newEvent(
              {
                type: 'ObjectEvent',
                action: 'ADD',
                bizStep: 'commissioning',
                disposition: 'active',
                epcList: packs.flat(),
                bizLocation: { id: LOC_A },
                ilmd: { 'cbvmda:lotNumber': `L${h % 50}` },
              },
              (ms += 1000),
            ),
          );
          cases.forEach((c, i) => {
            unit.push(
              newEvent(
                {
                  type: 'AggregationEvent',
                  action: 'ADD',
                  bizStep: 'packing',
                  disposition: 'in_progress',
                  parentID: c,
                  childEPCs: packs[i],
                  bizLocation: { id: LOC_A },
                },
                (ms += 1000),
              ),
            );
          });
          unit.push(
            newEvent(
              {
                type: 'AggregationEvent',
                action: 'ADD',
                bizStep: 'packing',
                disposition: 'in_progress',
                parentID: pallet,
                childEPCs: cases,
                bizLocation: { id: LOC_A },
              },
              (ms += 1000),
            ),
          );
          unit.push(
            newEvent(
              {
                type: 'ObjectEvent',
                action: 'OBSERVE',
                bizStep: 'shipping',
                disposition: 'in_transit',
                epcList: [pallet],
                bizLocation: { id: LOC_A },
                sourceList: [{ type: 'owning_party', source: PARTY_A }],
                destinationList: [{ type: 'owning_party', destination: PARTY_B }],
              },
              (ms += 1000),
            ),
          );
          unit.push(
            newEvent(
              {
                type: 'ObjectEvent',
                action: 'OBSERVE',
                bizStep: 'receiving',
                disposition: 'active',
                epcList: [pallet],
                bizLocation: { id: LOC_B },
                destinationList: [{ type: 'owning_party', destination: PARTY_B }],
              },
              (ms += 1000),
            ),
          );
          traced.push(packs[h % CASES]![h % PER_CASE]!);
          h++;
        } else {
          filler++;
          unit.push(
            newEvent(
              {
                type: 'ObjectEvent',
                action: 'ADD',
                bizStep: 'commissioning',
                disposition: 'active',
                epcList: [`https://id.gs1.org/01/${GTIN}/21/F${stored + unit.length}`],
                bizLocation: { id: LOC_A },
              },
              (ms += 10),
            ),
          );
        }
      }
      await store.append({ captureId: `fill-${stored}`, events: unit });
      stored += unit.length;
      const now = performance.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        log(
          `  … ${stored.toLocaleString('en')} events stored (${Math.round(stored / ((now - t0) / 1000)).toLocaleString('en')}/s)`,
        );
      }
    }
    const fillSeconds = (performance.now() - t0) / 1000;
    log(`filled ${stored.toLocaleString('en')} events (${H} hierarchies) in ${fillSeconds.toFixed(1)} s`);

    const key = 'bench-key';
    const app = await buildServer({
      store,
      apiKeys: [{ key, roles: ['admin'] }],
      subscriptions: false,
      logger: false,
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    let best: { p50: number; p99: number } | undefined;
    try {
      let seed = 1;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      // warm-up
      for (let i = 0; i < 50; i++)
        await fetch(`${url}/trace/${encodeURIComponent(traced[i % traced.length]!)}`, {
          headers: { authorization: `Bearer ${key}` },
        }).then((r) => r.arrayBuffer());
      for (let r = 0; r < rounds; r++) {
        const times: number[] = [];
        for (let i = 0; i < requests; i++) {
          const id = traced[Math.floor(rnd() * traced.length)]!;
          const s = performance.now();
          const res = await fetch(`${url}/trace/${encodeURIComponent(id)}`, {
            headers: { authorization: `Bearer ${key}` },
          });
          const body = (await res.json()) as { journey?: unknown[] };
          times.push(performance.now() - s);
          if (res.status !== 200 || body.journey?.length !== 5)
            throw new Error(`trace of ${id}: ${res.status}, ${body.journey?.length} steps`);
        }
        const p50 = percentile(times, 50);
        const p99 = percentile(times, 99);
        log(
          `  round ${r + 1}: GET /trace p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${requests} packs inside a case inside a pallet)`,
        );
        if (!best || p99 < best.p99) best = { p50, p99 };
      }
    } finally {
      await app.close();
    }
    const pass = best!.p99 < 10;
    const verdict = `VERDICT trace latency: ${pass ? 'PASS' : 'FAIL'}: GET /trace p50 ${best!.p50.toFixed(2)} ms, p99 ${best!.p99.toFixed(2)} ms with ${stored.toLocaleString('en')} events stored (goal p99 < 10 ms; best of ${rounds} rounds)`;
    log(verdict);
    return { events: stored, fillSeconds, p50: best!.p50, p99: best!.p99, pass, verdict };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function commissioningDoc(seed: number, n: number): string {
  const events = Array.from({ length: n }, (_, i) => ({
    type: 'ObjectEvent',
    eventTime: new Date(Date.UTC(2026, 0, 1) + seed * 100_000 + i).toISOString(),
    eventTimeZoneOffset: '+00:00',
    epcList: [`urn:epc:id:sgtin:9506000.013435.S${seed}x${i}`],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    bizLocation: { id: 'urn:epc:id:sgln:9506000.00001.0' },
    ilmd: { 'cbvmda:lotNumber': 'L1' },
  }));
  return docOf(events);
}

function aggregationDoc(seed: number, n: number, children: number): string {
  const events = Array.from({ length: n }, (_, i) => ({
    type: 'AggregationEvent',
    eventTime: new Date(Date.UTC(2026, 0, 1) + seed * 100_000 + i).toISOString(),
    eventTimeZoneOffset: '+00:00',
    parentID: `urn:epc:id:sscc:9506000.${String(seed * 1000 + i).padStart(10, '0')}`,
    childEPCs: Array.from(
      { length: children },
      (_, c) => `urn:epc:id:sgtin:9506000.013435.A${seed}x${i}x${c}`,
    ),
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    bizLocation: { id: 'urn:epc:id:sgln:9506000.00001.0' },
  }));
  return docOf(events);
}

function docOf(events: unknown[]): string {
  return JSON.stringify({
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { cbvmda: 'urn:epcglobal:cbv:mda:' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T00:00:00Z',
    epcisBody: { eventList: events },
  });
}

export interface OverheadResult {
  workload: string;
  unit: string;
  without: number;
  with: number;
  ratio: number;
}

/**
 * Capture throughput (documents through the capture pipeline into a SQLite file store) with and
 * without projections, in interleaved rounds, best round of each.
 */
export async function projectionOverhead(
  o: { rounds?: number; log?: (s: string) => void } = {},
): Promise<OverheadResult[]> {
  const rounds = o.rounds ?? 8;
  const log = o.log ?? ((s: string) => console.log(s));
  const dir = mkdtempSync(join(tmpdir(), 'rxtrace-bench-proj-'));
  const out: OverheadResult[] = [];
  try {
    const on = await openSqliteStore({ file: join(dir, 'on.db') });
    const off = await openSqliteStore({ file: join(dir, 'off.db'), projections: false });
    await on.migrate();
    await off.migrate();
    const workloads = [
      {
        name: '500 single-EPC commissioning events',
        unit: 'events',
        count: 500,
        make: (s: number) => commissioningDoc(s, 500),
      },
      {
        name: '10 aggregations × 1,000 children',
        unit: 'EPCs',
        count: 10_010,
        make: (s: number) => aggregationDoc(s, 10, 1000),
      },
    ];
    let seed = 0;
    for (const w of workloads) {
      const best = { on: Number.POSITIVE_INFINITY, off: Number.POSITIVE_INFINITY };
      for (let r = 0; r < rounds + 1; r++) {
        for (const [name, store] of [
          ['on', on],
          ['off', off],
        ] as const) {
          const body = w.make(++seed);
          const job: CaptureJob = {
            captureId: `b${seed}`,
            createdAt: new Date().toISOString(),
            running: true,
            success: true,
            captureErrorBehaviour: 'rollback',
            eventCount: 0,
            errors: [],
          };
          const s = performance.now();
          const res = await captureDocument(store, job, { body: [body] });
          const t = performance.now() - s;
          if (!res.job.success) throw new Error(JSON.stringify(res.job.errors));
          if (r > 0) best[name] = Math.min(best[name], t);
        }
      }
      const rOn = (w.count / best.on) * 1000;
      const rOff = (w.count / best.off) * 1000;
      out.push({ workload: w.name, unit: w.unit, without: rOff, with: rOn, ratio: rOn / rOff });
      log(
        `  ${w.name}: without projections ${Math.round(rOff).toLocaleString('en')} ${w.unit}/s, with ${Math.round(rOn).toLocaleString('en')} ${w.unit}/s → ${((100 * rOn) / rOff).toFixed(0)}%`,
      );
    }
    await on.close();
    await off.close();
    const worst = Math.min(...out.map((x) => x.ratio));
    log(
      `VERDICT projections: ${worst >= 0.8 ? 'PASS' : 'FAIL'}: capture with pack state projections at ${(100 * worst).toFixed(0)}% of the rate without them (worst workload; goal ≥ 80%)`,
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
