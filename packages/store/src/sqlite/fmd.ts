/** FMD pack claims on SQLite (see ../fmd.ts). */
import type Database from 'better-sqlite3';
import type { FmdStore } from '../fmd.ts';

export class SqliteFmdStore implements FmdStore {
  private s?: { claim: Database.Statement; release: Database.Statement };

  constructor(
    private readonly db: Database.Database,
    private readonly assertReady: () => void,
  ) {}

  private get st() {
    this.assertReady();
    this.s ??= {
      claim: this.db.prepare(
        `INSERT INTO fmd_claims (pack_id, owner, until) VALUES (?, ?, ?)
         ON CONFLICT (pack_id) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE fmd_claims.until <= ?`,
      ),
      release: this.db.prepare('DELETE FROM fmd_claims WHERE pack_id = ? AND owner = ?'),
    };
    return this.s;
  }

  /**
   * Runs a claim write without waiting for the disk: `synchronous = NORMAL` for this one
   * transaction (WAL mode: safe from corruption; the write reaches the disk with the next synced
   * commit or checkpoint), then the store's setting again. Synchronous code: nothing else runs on
   * the connection in between.
   */
  private unsynced<R>(fn: () => R): R {
    const before = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.pragma(`synchronous = ${before}`);
    }
  }

  async claim(packId: string, owner: string, now: number, until: number): Promise<boolean> {
    const st = this.st;
    return this.unsynced(() => st.claim.run(packId, owner, until, now).changes === 1);
  }

  async release(packId: string, owner: string): Promise<void> {
    const st = this.st;
    this.unsynced(() => st.release.run(packId, owner));
  }
}
