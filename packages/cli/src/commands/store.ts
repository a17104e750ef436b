/**
 * Opening the store the commands work on: PostgreSQL when `--db postgres://…` (or DATABASE_URL) is
 * given, else the SQLite file `rxtrace.db` in `--data DIR` (default ./data), created on first use.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from '@rxtrace/store';

export interface StoreChoice {
  data?: string | undefined;
  db?: string | undefined;
}

export interface OpenedStore {
  store: Store;
  /** Where the data is, for messages (`SQLite data/rxtrace.db`, `PostgreSQL host/db`). */
  where: string;
}

type Opener = (o: Record<string, unknown>) => Store | Promise<Store>;

/** The SQLite file of a data directory. */
export function sqliteFile(dataDir: string): string {
  return join(resolve(dataDir), 'rxtrace.db');
}

/** The store's opener: from the @rxtrace/store index, or from the implementation's folder. */
async function opener(
  name: 'openSqliteStore' | 'openPostgresStore',
  folder: 'sqlite' | 'postgres',
): Promise<Opener | undefined> {
  const main = (await import('@rxtrace/store')) as unknown as Record<string, unknown>;
  if (typeof main[name] === 'function') return main[name] as Opener;
  const spec = `../../../store/src/${folder}/index.ts`; // until the index exports it
  const mod = (await import(spec)) as Record<string, unknown>;
  return typeof mod[name] === 'function' ? (mod[name] as Opener) : undefined;
}

export async function openStore(choice: StoreChoice): Promise<OpenedStore> {
  const url = choice.db ?? process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//i.test(url))
      throw new Error(`--db must be a postgres:// URL, not ${JSON.stringify(url)}`);
    const open = await opener('openPostgresStore', 'postgres');
    if (typeof open !== 'function') throw new Error('this build of rxtrace has no PostgreSQL store');
    const store = await open({ connectionString: url });
    let where = 'PostgreSQL';
    try {
      const u = new URL(url);
      where = `PostgreSQL ${u.host}${u.pathname}`;
    } catch {}
    return { store, where };
  }
  const dir = resolve(choice.data ?? 'data');
  mkdirSync(dir, { recursive: true });
  const open = await opener('openSqliteStore', 'sqlite');
  if (typeof open !== 'function') throw new Error('this build of rxtrace has no SQLite store');
  const file = sqliteFile(dir);
  const store = await open({ file });
  return { store, where: `SQLite ${file}` };
}
