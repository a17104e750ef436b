/**
 * The recalls suite (testing/recalls-suite.ts) on both stores: a real SQLite file per test, and a
 * real PostgreSQL schema per test when RXTRACE_TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openTestStore, testDatabaseUrl } from './postgres/test-database.ts';
import { openSqliteStore } from './sqlite/index.ts';
import { runRecallsSuite } from './testing/recalls-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-recalls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runRecallsSuite('sqlite', () => openSqliteStore({ file: join(dir, `store-${++n}`, 'rxtrace.db') }));

const url = testDatabaseUrl();
if (url) runRecallsSuite('postgres', async () => openTestStore(url));
