/**
 * Start-up recovery of capture jobs (`CaptureService.recoverInterrupted`) on a real SQLite store:
 * jobs a killed process left `running` become finished and failed with an 'interrupted' problem;
 * finished jobs and the jobs this service is running are left alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CaptureJob, Store } from '@rxtrace/store';
// The SQLite store is not (yet) exported by the @rxtrace/store index: taken from its folder.
import { openSqliteStore } from '../../../store/src/sqlite/index.ts';
import { sgtin, testEvent } from '../../../store/src/testing/events.ts';
import { CaptureService, INTERRUPTED_TITLE } from './service.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-recovery-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function freshStore(): Promise<Store> {
  const store = await openSqliteStore({ file: join(dir, `s${n++}.db`) });
  await store.migrate();
  return store;
}

function job(captureId: string, over: Partial<CaptureJob> = {}): CaptureJob {
  return {
    captureId,
    createdAt: '2026-03-01T10:00:00.000Z',
    running: true,
    success: true,
    captureErrorBehaviour: 'proceed',
    eventCount: 0,
    errors: [],
    ...over,
  };
}

function doc(serials: string[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T10:00:00Z',
    epcisBody: {
      eventList: serials.map((s) => ({
        type: 'ObjectEvent',
        eventTime: '2026-03-01T09:00:00.000+01:00',
        eventTimeZoneOffset: '+01:00',
        epcList: [`urn:epc:id:sgtin:9506000.013437.${s}`],
        action: 'ADD',
        bizStep: 'commissioning',
      })),
    },
  });
}

test('jobs left running by a killed process are finished and failed as interrupted; eventCount kept', async () => {
  const store = await freshStore();
  // A proceed job that wrote two units of work before its process died…
  const events = [1, 2, 3].map((i) => testEvent({ key: `r-${i}`, epcList: [sgtin(i)] }));
  await store.append({ captureId: 'proceed-1', events: events.slice(0, 2), job: job('proceed-1') });
  await store.append({ captureId: 'proceed-1', events: events.slice(2), job: job('proceed-1') });
  // …a running record with no events, and jobs that finished.
  await store.putCaptureJob(job('bare-running', { captureErrorBehaviour: 'rollback' }));
  const done = job('done', { running: false, finishedAt: '2026-03-01T10:00:01.000Z' });
  await store.putCaptureJob(done);
  const failed = job('failed', {
    running: false,
    success: false,
    finishedAt: '2026-03-01T10:00:01.000Z',
    errors: [{ type: 'epcisException:ValidationException', title: 'bad', status: 400 }],
  });
  await store.putCaptureJob(failed);

  const service = new CaptureService(store);
  assert.deepEqual((await service.recoverInterrupted()).sort(), ['bare-running', 'proceed-1']);

  const p = await store.getCaptureJob('proceed-1');
  assert.equal(p?.running, false);
  assert.equal(p?.success, false);
  assert.ok(p?.finishedAt && !Number.isNaN(Date.parse(p.finishedAt)));
  assert.equal(p?.eventCount, 3, 'the events its units stored stay counted');
  assert.equal(p?.errors.length, 1);
  assert.equal(p?.errors[0]?.title, INTERRUPTED_TITLE);
  assert.equal(p?.errors[0]?.status, 500);
  assert.match(p?.errors[0]?.detail ?? '', /interrupted/);
  assert.match(p?.errors[0]?.detail ?? '', /stay stored/);
  const b = await store.getCaptureJob('bare-running');
  assert.deepEqual([b?.running, b?.success, b?.eventCount], [false, false, 0]);
  assert.match(b?.errors[0]?.detail ?? '', /Nothing of the document was stored/);
  // The finished jobs are as they were; the events too.
  assert.deepEqual(await store.getCaptureJob('done'), done);
  assert.deepEqual(await store.getCaptureJob('failed'), failed);
  assert.equal(await store.countEvents(), 3);
  // Through the service too (finished jobs are read from the store).
  assert.equal((await service.getJob('proceed-1'))?.running, false);
  // Nothing left to recover.
  assert.deepEqual(await service.recoverInterrupted(), []);
  assert.equal((await store.listCaptureJobs({ limit: 100 })).jobs.filter((j) => j.running).length, 0);
  await store.close();
});

test('a job this service is running is not touched, even with its running state in the store', async () => {
  const store = await freshStore();
  const service = new CaptureService(store, { limits: { batchSize: 2 } });
  // A proceed capture whose body stalls after the first events: its first unit (running) is stored.
  let release!: () => void;
  const stalled = new Promise<void>((r) => {
    release = r;
  });
  const text = doc(['A1', 'A2', 'A3', 'A4', 'A5']);
  const cut = text.indexOf('"A4"');
  async function* body(): AsyncGenerator<string> {
    yield text.slice(0, cut);
    await stalled;
    yield text.slice(cut);
  }
  const started = service.start({ body: body(), errorBehaviour: 'proceed' });
  for (let i = 0; i < 200 && (await store.getCaptureJob(started.captureId))?.running !== true; i++)
    await new Promise((r) => setTimeout(r, 5));
  assert.equal((await store.getCaptureJob(started.captureId))?.running, true, 'a running unit was stored');

  assert.deepEqual(await service.recoverInterrupted(), []);
  release();
  const out = await started.done;
  assert.equal(out.job.success, true, JSON.stringify(out.job.errors));
  const j = await store.getCaptureJob(started.captureId);
  assert.deepEqual([j?.running, j?.success, j?.eventCount, j?.errors.length], [false, true, 5, 0]);
  await store.close();
});

test('paging: running jobs beyond the first page of the job list', async () => {
  const store = await freshStore();
  // Written in a few group commits (units queued in one turn share a transaction).
  await Promise.all(
    Array.from({ length: 2100 }, (_, i) =>
      store.append({
        captureId: `j${String(i).padStart(5, '0')}`,
        events: [],
        job: job(`j${String(i).padStart(5, '0')}`, { running: i % 100 === 7 }),
      }),
    ),
  );
  const ids = await new CaptureService(store).recoverInterrupted();
  assert.equal(ids.length, 21);
  assert.ok(ids.includes('j02007'), 'a job on the third page');
  const all: CaptureJob[] = [];
  let after: string | undefined;
  do {
    const page = await store.listCaptureJobs(after === undefined ? { limit: 1000 } : { limit: 1000, after });
    all.push(...page.jobs);
    after = page.next;
  } while (after !== undefined);
  assert.equal(all.length, 2100);
  assert.equal(all.filter((j) => j.running).length, 0);
  assert.equal(all.filter((j) => !j.success).length, 21);
  await store.close();
});
