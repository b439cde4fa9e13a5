import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_sync_runs_through`: the runs that went through (ok or partial), by when
 * they finished. The Overview and `status` read the last one at every refresh
 * ("last successful sync"), and the history's pruning keeps it: without the
 * index, SQLite scans back over every failed run since, some thousands after
 * weeks without the platform.
 */
export class SyncRunsThrough1768176000000 implements MigrationInterface {
  name = 'SyncRunsThrough1768176000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_sync_runs_through" ON "sync_runs" ("finished_at") WHERE "status" IN ('ok', 'partial')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_sync_runs_through"`);
  }
}
