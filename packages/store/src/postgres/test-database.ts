/**
 * The PostgreSQL the tests run against: `RXTRACE_TEST_DATABASE_URL` (CI sets it, see .ci/postgres).
 * Without it the PostgreSQL tests are skipped with one line, except under `CI=true`, where its
 * absence fails the run: CI never skips PostgreSQL silently. Each store made here lives in its own
 * schema, dropped when the test file ends, so runs (and files running in parallel) never collide.
 */
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from './store.ts';

export const TEST_DATABASE_ENV = 'RXTRACE_TEST_DATABASE_URL';

/**
 * The connection string, or undefined after registering the one skipped (or, under CI=true,
 * failing) test that says why.
 */
export function testDatabaseUrl(): string | undefined {
  const url = process.env[TEST_DATABASE_ENV];
  if (url) {
    registerCleanup(url);
    return url;
  }
  if (process.env.CI === 'true') {
    test(`PostgreSQL store tests need ${TEST_DATABASE_ENV}`, () => {
      throw new Error(
        `CI=true but ${TEST_DATABASE_ENV} is not set: .ci/run must start PostgreSQL (see .ci/postgres)`,
      );
    });
  } else {
    test(`PostgreSQL store tests: set ${TEST_DATABASE_ENV} to run them (e.g. export ${TEST_DATABASE_ENV}="$(bash .ci/postgres)")`, {
      skip: true,
    }, () => {});
  }
  return undefined;
}

const schemas: string[] = [];
const stores: PostgresStore[] = [];
let cleanupRegistered = false;

/**
 * At the end of the test file: close the stores made here and drop their schemas. Registered at
 * the top level (by `testDatabaseUrl`), so it runs once, after every test of the file.
 */
function registerCleanup(url: string): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  after(async () => {
    await Promise.allSettled(stores.map((s) => s.close()));
    if (schemas.length === 0 || process.env.RXTRACE_TEST_KEEP_SCHEMAS) return;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    } finally {
      await c.end();
    }
  });
}

/**
 * An unmigrated store in a fresh schema of its own (4 hash partitions, enough for tests), closed
 * (if still open) and its schema dropped when the test file ends. Call `testDatabaseUrl()` at the
 * top level of the test file first.
 */
export function openTestStore(url: string, o: { hashPartitions?: number } = {}): PostgresStore {
  registerCleanup(url);
  const schema = `rxtrace_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  const store = openPostgresStore({
    connectionString: url,
    schema,
    hashPartitions: o.hashPartitions ?? 4,
    maxConnections: 4,
  });
  stores.push(store);
  return store;
}

/** A migrated store in a fresh schema of its own. */
export async function makeTestStore(
  url: string,
  o: { hashPartitions?: number } = {},
): Promise<PostgresStore> {
  const store = openTestStore(url, o);
  await store.migrate();
  return store;
}
