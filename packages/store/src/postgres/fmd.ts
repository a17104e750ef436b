/** FMD pack claims on PostgreSQL (see ../fmd.ts): one statement each, no transaction needed. */
import type pg from 'pg';
import type { FmdStore } from '../fmd.ts';

export class PostgresFmdStore implements FmdStore {
  constructor(private readonly pool: pg.Pool) {}

  async claim(packId: string, owner: string, now: number, until: number): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO fmd_claims (pack_id, owner, until) VALUES ($1, $2, $3)
       ON CONFLICT (pack_id) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until WHERE fmd_claims.until <= $4
       RETURNING pack_id`,
      [packId, owner, until, now],
    );
    return r.rowCount === 1;
  }

  async release(packId: string, owner: string): Promise<void> {
    await this.pool.query('DELETE FROM fmd_claims WHERE pack_id = $1 AND owner = $2', [packId, owner]);
  }
}
