/** @rxtrace/store — the Store interface and its SQLite and PostgreSQL implementations. */

export * from './dscsa.ts';
export * from './errors.ts';
export * from './fmd.ts';
export * from './index-rows.ts';
export * from './packs.ts';
export { openPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres/index.ts';
export * from './recalls.ts';
export * from './registry.ts';
export * from './serials.ts';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite/index.ts';
export * from './types.ts';
export * from './verification.ts';
