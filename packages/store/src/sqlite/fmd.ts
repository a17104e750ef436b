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

  async claim(packId: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.st.claim.run(packId, owner, until, now).changes === 1;
  }

  async release(packId: string, owner: string): Promise<void> {
    this.st.release.run(packId, owner);
  }
}
