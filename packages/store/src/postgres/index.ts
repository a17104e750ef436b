/** The PostgreSQL Store: `openPostgresStore({ connectionString })`, then `migrate()`. */

export { MIGRATIONS } from './migrations.ts';
export { monthStart, monthsOf, partitionName } from './partitions.ts';
export { isoFromPg, openPostgresStore, PostgresStore, type PostgresStoreOptions } from './store.ts';
