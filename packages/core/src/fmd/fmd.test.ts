/** The EU FMD suite (./fmd-suite.ts) on a real SQLite file and a real PostgreSQL schema. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStore } from '@rxtrace/store';
import { openTestStore, testDatabaseUrl } from '../../../store/src/postgres/test-database.ts';
import { runFmdSuite } from './fmd-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-fmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runFmdSuite('sqlite', () => openSqliteStore({ file: join(dir, `s${++n}`, 'rxtrace.db') }));
const url = testDatabaseUrl();
if (url) runFmdSuite('postgres', async () => openTestStore(url));
