/**
 * Helpers shared by the query tests: stores to run against (the in-memory store always, the
 * SQLite store when `@rxtrace/store` exports `openSqliteStore`, PostgreSQL when a test database is
 * configured), capturing documents through the
 * core capture pipeline, and running a query to its last page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureJob, Store, StoredEvent } from '@rxtrace/store';
import * as storeModule from '@rxtrace/store';
import { makeTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { captureDocument } from '../capture/index.ts';
import { planQuery } from './compile.ts';
import { runQuery } from './engine.ts';
import { MemoryStore } from './memory-store.ts';
import { parseQueryString } from './params.ts';

export interface StoreFactory {
  name: string;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

type OpenSqlite = (o: { file: string }) => Store | Promise<Store>;

/** The stores the tests run on: memory, and SQLite on a temp file once it exists. */
export function storeFactories(): StoreFactory[] {
  const out: StoreFactory[] = [
    {
      name: 'memory',
      open: async () => {
        const store = new MemoryStore();
        return { store, dispose: async () => {} };
      },
    },
  ];
  const openSqlite = (storeModule as unknown as { openSqliteStore?: OpenSqlite }).openSqliteStore;
  if (typeof openSqlite === 'function')
    out.push({
      name: 'sqlite',
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'rxtrace-query-'));
        const store = await openSqlite({ file: join(dir, 'events.db') });
        await store.migrate();
        return {
          store,
          dispose: async () => {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    });
  // PostgreSQL when RXTRACE_TEST_DATABASE_URL is set (else one skipped test says so; under CI=true
  // a failing one).
  const url = testDatabaseUrl();
  if (url)
    out.push({
      name: 'postgres',
      open: async () => ({ store: await makeTestStore(url), dispose: async () => {} }),
    });
  return out;
}

let jobNo = 0;

/** Captures a document (JSON or XML text) through the core pipeline; returns the outcome. */
export async function capture(store: Store, text: string, contentType = 'application/ld+json') {
  const job: CaptureJob = {
    captureId: `test-${process.pid}-${++jobNo}`,
    createdAt: new Date().toISOString(),
    running: true,
    success: true,
    captureErrorBehaviour: 'proceed',
    eventCount: 0,
    errors: [],
  };
  return captureDocument(store, job, { body: [text], contentType, errorBehaviour: 'proceed' });
}

/** Runs a REST query string to its last page; returns every event and the number of pages. */
export async function runAll(
  store: Store,
  search: string,
  perPage = 30,
  namespaces: Record<string, string> = {},
): Promise<{ events: StoredEvent[]; pages: number }> {
  const plan = await planQuery(parseQueryString(search, { namespaces }).query, store);
  const events: StoredEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await runQuery(store, plan, { perPage, ...(token ? { nextPageToken: token } : {}) });
    events.push(...page.events);
    token = page.nextPageToken;
    pages++;
    if (pages > 100_000) throw new Error('pagination does not end');
  } while (token);
  return { events, pages };
}
