/**
 * Crash test of the event repository as it runs: `rxtrace serve` as a child process on a temporary
 * SQLite data directory, documents captured over HTTP in a loop by two concurrent clients (a few
 * hundred varied events each; mostly rollback mode, some proceed mode with units of 40 events, some
 * invalid), the server SIGKILLed at seeded random moments, 20 times, and restarted each time.
 *
 * After each restart, against the store and over HTTP:
 * - every document whose capture was answered with success before the kill is complete in the
 *   store and its job says so (GET /capture/{id}); one of its events is found with GET /events;
 * - no document left a partial trace: a rollback-mode document is in the store whole or not at all;
 *   an invalid document never; a document with events in the store was answered with success, or
 *   was in flight at the kill (then it is sent again and must be answered with success);
 * - no event is stored twice; no job is left `running`: jobs that a killed process left running
 *   (proceed mode, units written) are finished and failed with the 'interrupted' problem, their
 *   eventCount equal to the events stored under them, a whole number of units.
 * The first kill is aimed: it falls while a slowly sent proceed-mode document has two units stored.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CaptureJob, Store } from '@rxtrace/store';
// The SQLite store is not (yet) exported by the @rxtrace/store index: taken from its folder.
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';

const BIN = new URL('../../bin/rxtrace.js', import.meta.url).pathname;
const KEY = 'crash-test-admin-key';
const KILLS = 20;
const BATCH = 40;
const SEED = 20260415;
const INTERRUPTED = 'Capture interrupted';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-serve-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- Documents

type Mode = 'rollback' | 'proceed';

interface Doc {
  k: number;
  mode: Mode;
  size: number;
  /** One event is invalid (rollback mode): the document must be refused whole. */
  invalid: boolean;
  text: string;
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
/** eventID of event i of document k. */
const eventIdOf = (k: number, i: number): string => `urn:uuid:${hex(k, 8)}-0000-4000-8000-${hex(i, 12)}`;
const EVENT_ID = /^urn:uuid:([0-9a-f]{8})-0000-4000-8000-([0-9a-f]{12})$/;
const sgtin = (k: number, i: number, j: number): string => `urn:epc:id:sgtin:9506000.013437.K${k}E${i}N${j}`;
const sscc = (k: number, i: number): string =>
  `urn:epc:id:sscc:9506000.${String(k * 1000 + i).padStart(10, '0')}`;

function makeDoc(k: number, rnd: () => number, forced?: { mode: Mode; size: number }): Doc {
  const r = rnd();
  const mode: Mode = forced?.mode ?? (r < 0.2 ? 'proceed' : 'rollback');
  const invalid = !forced && mode === 'rollback' && r > 0.92;
  const size = forced?.size ?? 100 + Math.floor(rnd() * 301);
  let bad = invalid ? Math.floor(rnd() * size) : -1;
  while (bad >= 0 && (k + bad) % 5 >= 3) bad = (bad + 1) % size; // a commissioning ObjectEvent
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < size; i++) {
    const base = {
      eventID: eventIdOf(k, i),
      eventTime: new Date(Date.UTC(2026, 2, 1, 9) + k * 3_600_000 + i * 1000).toISOString(),
      eventTimeZoneOffset: '+01:00',
    };
    const kind = (k + i) % 5;
    if (kind === 3) {
      const n = 2 + Math.floor(rnd() * 5);
      events.push({
        type: 'AggregationEvent',
        ...base,
        parentID: sscc(k, i),
        childEPCs: Array.from({ length: n }, (_, j) => sgtin(k, i, j)),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: 'urn:epc:id:sgln:9506000.00011.0' },
      });
    } else if (kind === 4) {
      events.push({
        type: 'ObjectEvent',
        ...base,
        epcList: [sscc(k, i)],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:9506000000019:PO-${k}` }],
        sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:9506000.00000' }],
        destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:9506001.00000' }],
      });
    } else {
      const n = 1 + Math.floor(rnd() * 3);
      events.push({
        type: 'ObjectEvent',
        ...base,
        epcList: Array.from({ length: n }, (_, j) => sgtin(k, i, j)),
        ...(i === bad ? {} : { action: 'ADD' }), // an ObjectEvent without action is invalid
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: 'urn:epc:id:sgln:9506000.00011.0' },
        bizLocation: { id: 'urn:epc:id:sgln:9506000.00001.0' },
        ilmd: { 'cbvmda:lotNumber': `LOT${k}` },
      });
    }
  }
  const text = JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    epcisBody: { eventList: events },
  });
  return { k, mode, size, invalid, text };
}

// ---- The server

interface Server {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

async function startServer(data: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      data,
      '--log-level',
      'error',
      '--capture-batch',
      String(BATCH),
    ],
    { env: { ...process.env, RXTRACE_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => {
    err += c;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in time: ${out} ${err}`)), 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /rxtrace listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rxtrace serve exited (${code}): ${out} ${err}`));
    });
  });
  return { child, port, exited };
}

interface Answer {
  status: number;
  body: string;
}

/** One HTTP request on a fresh connection; rejects when the connection fails (server killed). */
function request(
  port: number,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/ld+json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---- The run's bookkeeping

interface Acked {
  captureId: string;
  /** Events the answer says this capture stored (others were duplicates of an earlier attempt). */
  eventCount: number;
  duplicates: number;
}

const docs = new Map<number, Doc>();
/** Documents answered with success: k → the successful capture. */
const acked = new Map<number, Acked>();
/** Invalid documents answered with 400 (nothing stored). */
const refused = new Set<number>();
/** Sent, but no answer came (the server was killed): sent again after the restart. */
const unanswered = new Set<number>();
const resend: number[] = [];
/** Captures whose answer was lost to a kill. */
let lostAnswers = 0;
/** Acknowledged since the last check (looked up over HTTP once). */
let newlyAcked: number[] = [];

async function send(port: number, d: Doc): Promise<boolean> {
  let a: Answer;
  try {
    a = await request(
      port,
      'POST',
      '/capture',
      d.text,
      d.mode === 'proceed' ? { 'GS1-Capture-Error-Behaviour': 'proceed' } : {},
    );
  } catch {
    unanswered.add(d.k);
    lostAnswers++;
    return false;
  }
  if (a.status === 202) {
    const job = JSON.parse(a.body) as {
      captureID: string;
      success: boolean;
      running: boolean;
      eventCount: number;
      duplicates: number;
    };
    assert.ok(!d.invalid, `invalid document ${d.k} was accepted`);
    assert.equal(job.success, true, `document ${d.k}: ${a.body.slice(0, 500)}`);
    assert.equal(job.running, false);
    assert.equal(job.eventCount + job.duplicates, d.size, `document ${d.k}: stored + duplicates`);
    acked.set(d.k, { captureId: job.captureID, eventCount: job.eventCount, duplicates: job.duplicates });
    newlyAcked.push(d.k);
    unanswered.delete(d.k);
    return true;
  }
  if (a.status === 400 && d.invalid) {
    refused.add(d.k);
    unanswered.delete(d.k);
    return true;
  }
  throw new Error(
    `document ${d.k} (${d.mode}${d.invalid ? ', invalid' : ''}): ${a.status} ${a.body.slice(0, 500)}`,
  );
}

// ---- The check after each restart

async function allEvents(store: Store) {
  const out: { k: number; i: number; captureId: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.queryEvents({}, after === undefined ? { limit: 5000 } : { limit: 5000, after });
    for (const e of page.events) {
      const m = EVENT_ID.exec(e.eventId);
      assert.ok(m, `unexpected eventID ${e.eventId}`);
      out.push({ k: Number.parseInt(m[1]!, 16), i: Number.parseInt(m[2]!, 16), captureId: e.captureId });
    }
    if (!page.next) return out;
    after = page.next;
  }
}

async function allJobs(store: Store): Promise<CaptureJob[]> {
  const jobs: CaptureJob[] = [];
  let after: string | undefined;
  do {
    const page = await store.listCaptureJobs(after === undefined ? { limit: 1000 } : { limit: 1000, after });
    jobs.push(...page.jobs);
    after = page.next;
  } while (after !== undefined);
  return jobs;
}

interface CheckResult {
  events: number;
  interrupted: CaptureJob[];
}

async function check(port: number, file: string, round: number): Promise<CheckResult> {
  const store = await openSqliteStore({ file });
  await store.migrate();
  try {
    const events = await allEvents(store);
    const byDoc = new Map<number, { seen: Set<number>; captures: Set<string> }>();
    const byCapture = new Map<string, number>();
    for (const e of events) {
      let d = byDoc.get(e.k);
      if (!d) byDoc.set(e.k, (d = { seen: new Set(), captures: new Set() }));
      assert.ok(!d.seen.has(e.i), `round ${round}: event ${e.i} of document ${e.k} is stored twice`);
      d.seen.add(e.i);
      d.captures.add(e.captureId);
      byCapture.set(e.captureId, (byCapture.get(e.captureId) ?? 0) + 1);
    }
    // Acknowledged documents: complete, their job finished and successful (over HTTP).
    for (const [k, a] of acked) {
      const doc = docs.get(k)!;
      assert.equal(
        byDoc.get(k)?.seen.size ?? 0,
        doc.size,
        `round ${round}: acknowledged document ${k} is not complete`,
      );
      const r = await request(port, 'GET', `/capture/${a.captureId}`);
      assert.equal(r.status, 200, `round ${round}: job ${a.captureId} of document ${k}: ${r.body}`);
      const job = JSON.parse(r.body) as { running: boolean; success: boolean; eventCount: number };
      assert.deepEqual(
        [job.running, job.success, job.eventCount],
        [false, true, a.eventCount],
        `round ${round}: job of document ${k}`,
      );
      assert.equal(
        byCapture.get(a.captureId) ?? 0,
        a.eventCount,
        `round ${round}: events stored under ${a.captureId}`,
      );
    }
    // One event of each newly acknowledged document, over HTTP.
    for (const k of newlyAcked) {
      const i = docs.get(k)!.size - 1;
      const r = await request(
        port,
        'GET',
        `/events?EQ_eventID=${encodeURIComponent(eventIdOf(k, i))}`,
        undefined,
        {
          accept: 'application/ld+json',
        },
      );
      assert.equal(r.status, 200, r.body);
      const list = (
        JSON.parse(r.body) as {
          epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
        }
      ).epcisBody.queryResults.resultsBody.eventList;
      assert.deepEqual(
        list.map((e) => e.eventID),
        [eventIdOf(k, i)],
        `round ${round}: last event of document ${k} over HTTP`,
      );
    }
    newlyAcked = [];
    // No partial trace.
    for (const [k, d] of byDoc) {
      const doc = docs.get(k);
      assert.ok(doc, `round ${round}: events of a document never sent (${k})`);
      assert.ok(!doc.invalid, `round ${round}: invalid document ${k} left ${d.seen.size} events`);
      assert.ok(
        acked.has(k) || unanswered.has(k),
        `round ${round}: document ${k} has ${d.seen.size} events but was never answered with success`,
      );
      if (doc.mode === 'rollback') {
        assert.equal(
          d.seen.size,
          doc.size,
          `round ${round}: rollback document ${k} is partial: ${d.seen.size} of ${doc.size} events`,
        );
        assert.equal(
          d.captures.size,
          1,
          `round ${round}: rollback document ${k} stored by ${d.captures.size} captures`,
        );
      }
    }
    // Jobs: none left running; interrupted ones failed, with the events of whole units.
    const jobs = await allJobs(store);
    const interrupted: CaptureJob[] = [];
    for (const j of jobs) {
      assert.equal(j.running, false, `round ${round}: job ${j.captureId} is still running after the restart`);
      assert.ok(j.finishedAt, `round ${round}: job ${j.captureId} has no finishedAt`);
      assert.equal(
        j.eventCount,
        byCapture.get(j.captureId) ?? 0,
        `round ${round}: eventCount of job ${j.captureId}`,
      );
      if (j.errors.some((p) => p.title === INTERRUPTED)) {
        assert.equal(j.success, false);
        assert.equal(
          j.captureErrorBehaviour,
          'proceed',
          `round ${round}: rollback jobs never have a running record`,
        );
        assert.equal(
          j.eventCount % BATCH,
          0,
          `round ${round}: interrupted job ${j.captureId}: ${j.eventCount} events is not whole units`,
        );
        assert.match(j.errors[j.errors.length - 1]!.detail ?? '', /interrupted/);
        interrupted.push(j);
      } else if (j.success) {
        // A successful job is one that was answered, or that committed just before the kill.
        const k = [...acked].find(([, a]) => a.captureId === j.captureId)?.[0];
        if (k === undefined) {
          const ks = events.filter((e) => e.captureId === j.captureId).map((e) => e.k);
          assert.ok(
            ks.every((x) => unanswered.has(x) || acked.has(x)),
            `round ${round}: unexplained job ${j.captureId}`,
          );
        }
      }
    }
    // Every capture that stored events has a job record.
    const withJob = new Set(jobs.map((j) => j.captureId));
    for (const c of byCapture.keys())
      assert.ok(withJob.has(c), `round ${round}: events of capture ${c} without a job`);
    return { events: events.length, interrupted };
  } finally {
    await store.close();
  }
}

// ---- The test

test('rxtrace serve: SIGKILL at 20 random moments loses no acknowledged capture and leaves no partial one', {
  timeout: 180_000,
}, async () => {
  const data = join(dir, 'data');
  const file = join(data, 'rxtrace.db');
  const rnd = prng(SEED);
  let next = 1;
  const newDoc = (forced?: { mode: Mode; size: number }): Doc => {
    const d = makeDoc(next++, rnd, forced);
    docs.set(d.k, d);
    return d;
  };
  const interruptedSeen = new Set<string>();
  let aimedCapture: string | undefined;
  let killsDuringCapture = 0;
  const t0 = Date.now();

  for (let round = 0; round <= KILLS; round++) {
    const server = await startServer(data);
    try {
      if (round > 0) {
        const r = await check(server.port, file, round);
        for (const j of r.interrupted) interruptedSeen.add(j.captureId);
        if (round === 1) {
          assert.ok(
            aimedCapture && interruptedSeen.has(aimedCapture),
            'the aimed kill left an interrupted proceed job',
          );
          const j = r.interrupted.find((x) => x.captureId === aimedCapture)!;
          assert.ok(j.eventCount >= 2 * BATCH, `the aimed job had ${j.eventCount} events stored`);
        }
      }
      if (round === KILLS) {
        // Last start: everything unanswered is sent again; the final state is checked.
        for (const k of [...unanswered]) assert.ok(await send(server.port, docs.get(k)!));
        assert.equal(unanswered.size, 0);
        await check(server.port, file, round + 1);
        server.child.kill('SIGTERM');
        await server.exited;
        break;
      }
      resend.push(...unanswered);
      if (round === 0) {
        // The aimed kill: a proceed document sent slowly, killed once two of its units are stored.
        const d = newDoc({ mode: 'proceed', size: 400 });
        const req = http.request({
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/capture',
          agent: false,
          headers: {
            authorization: `Bearer ${KEY}`,
            'content-type': 'application/ld+json',
            'GS1-Capture-Error-Behaviour': 'proceed',
          },
        });
        req.on('error', () => unanswered.add(d.k));
        req.write(d.text.slice(0, Math.floor(d.text.length * 0.6)));
        for (let i = 0; i < 500 && aimedCapture === undefined; i++) {
          const r = await request(server.port, 'GET', '/capture');
          const running = (
            JSON.parse(r.body) as { captureID: string; running: boolean; eventCount: number }[]
          ).find((j) => j.running && j.eventCount >= 2 * BATCH);
          if (running) aimedCapture = running.captureID;
          else await new Promise((res) => setTimeout(res, 10));
        }
        assert.ok(aimedCapture, 'the slow proceed capture stored two units');
        unanswered.add(d.k);
        server.child.kill('SIGKILL');
        await server.exited;
        continue;
      }
      // Two clients capture in a loop until the kill.
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const k = resend.shift();
          const d = k === undefined ? newDoc() : docs.get(k)!;
          if (!(await send(server.port, d))) return;
        }
      };
      const delay = 100 + Math.floor(rnd() * 600);
      const kill = new Promise<void>((res) =>
        setTimeout(() => {
          killed = true;
          server.child.kill('SIGKILL');
          res();
        }, delay),
      );
      const before = lostAnswers;
      await Promise.all([worker(), worker(), kill]);
      await server.exited;
      if (lostAnswers > before) killsDuringCapture++;
    } catch (e) {
      server.child.kill('SIGKILL');
      await server.exited;
      throw e;
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  const stats = {
    seconds,
    documents: docs.size,
    acknowledged: acked.size,
    refused: refused.size,
    killsDuringCapture,
    interruptedJobs: interruptedSeen.size,
  };
  console.log(`crash test: ${JSON.stringify(stats)}`);
  assert.ok(acked.size >= 40, `only ${acked.size} documents were captured`);
  assert.ok(killsDuringCapture >= 10, `only ${killsDuringCapture} kills fell during a capture`);
});
