/**
 * EU FMD pack claims: a short lease on one pack while an FMD operation (decommission, undo,
 * dispense) verifies it and captures its event, so that two servers (or a server and the CLI) on
 * one database never both supply the same pack. A claim not released (a crashed process) lapses at
 * `until`. Times are epoch milliseconds of the wall clock.
 */
export interface FmdStore {
  /** Takes the claim on the pack for `owner` until `until`; false while another owner holds it. */
  claim(packId: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Releases the owner's claim (no-op when it lapsed and another owner holds it). */
  release(packId: string, owner: string): Promise<void>;
}

/**
 * Part of migration 7 (both databases; `BIGINT` is an integer on SQLite). Claims need no
 * durability (a claim lost in a crash would have lapsed anyway): UNLOGGED on PostgreSQL, written
 * without a sync on SQLite (./sqlite/fmd.ts), so an operation pays no extra disk flush for them.
 */
export const FMD_CLAIMS_SQL = `
CREATE TABLE fmd_claims (
  pack_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until BIGINT NOT NULL
);
`;
