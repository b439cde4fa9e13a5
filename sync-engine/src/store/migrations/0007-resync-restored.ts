import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cursors.restored_head_at`: a resync begun because the platform was restored
 * from an older backup (410 `reason: platform_restored`) keeps the head time
 * the platform gave, until its snapshot ends, across runs and crashes: at the
 * end, the records this office created after it, which the restore lost, are
 * sent again instead of swept (sync/lost-changes.ts). NULL: any other resync.
 */
export class ResyncRestored1768262400000 implements MigrationInterface {
  name = 'ResyncRestored1768262400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cursors" ADD COLUMN "restored_head_at" text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cursors" DROP COLUMN "restored_head_at"`);
  }
}
