import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStoreSuite } from '../testing/index.ts';
import { openSqliteStore } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-sqlite-suite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// A real database file per test (WAL, synchronous=FULL): the suite never sees a mock.
runStoreSuite('sqlite', () => openSqliteStore({ file: join(dir, `store-${++n}`, 'rxtrace.db') }));
