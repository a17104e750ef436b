/** The SQLite implementation of Store (embedded: one file, WAL, durable commits). */
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './store.ts';
