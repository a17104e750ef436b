/** VerificationStore behaviour on SQLite and on PostgreSQL (the same suite). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openTestStore, testDatabaseUrl } from './postgres/test-database.ts';
import { openSqliteStore, type SqliteStore } from './sqlite/store.ts';
import { verificationStoreSuite } from './verification-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxtrace-verification-'));
const sqlite: SqliteStore[] = [];
after(async () => {
  for (const s of sqlite) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
verificationStoreSuite('sqlite', async () => {
  const s = await openSqliteStore({ file: join(dir, `s${n++}.db`) });
  sqlite.push(s);
  await s.migrate();
  return s.verification;
});

const url = testDatabaseUrl();
if (url)
  verificationStoreSuite('postgres', async () => {
    const s = openTestStore(url);
    await s.migrate();
    return s.verification;
  });
