import { canAcquire, holdsLease, renewed, type Lease } from '../domain/lease.js';
import type { AgentStore } from './agent-store.js';
import type { Sql } from './sql.js';

/**
 * The one-row lease that lets exactly one process sync a data folder
 * (ARCHITECTURE.md). The decision is the domain's; the compare-and-set is one
 * transaction here, and SQLite's file lock makes it atomic across processes.
 */
export class LeaseStore {
  constructor(private readonly store: AgentStore) {}

  async current(db: Sql = this.store.sql): Promise<Lease | null> {
    const row = await db.get<{ holder: string; expires_at: number }>('SELECT "holder", "expires_at" FROM "lease" WHERE "id" = 1');
    return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
  }

  /** Takes or renews the lease for `holder`; false when another live holder has it. */
  async acquire(holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      if (!canAcquire(await this.current(tx), holder, now)) return false;
      const next = renewed(holder, now, ttlMs);
      await tx.run(
        `INSERT INTO "lease" ("id", "holder", "expires_at") VALUES (1, ?, ?)
         ON CONFLICT ("id") DO UPDATE SET "holder" = excluded."holder", "expires_at" = excluded."expires_at"`,
        [next.holder, next.expiresAt],
      );
      return true;
    });
  }

  async holds(holder: string, now: number): Promise<boolean> {
    return holdsLease(await this.current(), holder, now);
  }

  /** Gives the lease up (only if `holder` has it). */
  async release(holder: string): Promise<void> {
    await this.store.transaction((tx) => tx.run('DELETE FROM "lease" WHERE "id" = 1 AND "holder" = ?', [holder]));
  }
}
