import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * records (deleted, updated_at): the time of the newest change, which `epoch
 * new` keeps as the epoch's head time (services/epoch.ts), read as two index
 * seeks (the newest live record, the newest tombstone) instead of a scan of
 * every record while the write lock is held; the tombstone purge's
 * `deleted AND updated_at < cutoff` reads only old tombstones through it.
 * Mirrors ../postgres/1764700000000-records-updated-at.ts.
 */
export class RecordsUpdatedAtSqlite1764700000000 implements MigrationInterface {
  name = 'RecordsUpdatedAtSqlite1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX records_deleted_updated_at ON records (deleted, updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX records_deleted_updated_at`);
  }
}
