/** @rxtrace/store/testing — the shared Store test suite and event builders for store tests. */

export * from './events.ts';
export { type Appended, type MakeStore, matchesFilter, runStoreSuite } from './suite.ts';
