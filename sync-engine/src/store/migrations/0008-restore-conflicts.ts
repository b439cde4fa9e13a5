import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox.restored`: the entry sends again a change of this office that the
 * platform had accepted and then lost when it was restored from an older
 * backup (sync/lost-changes.ts): JSON `{"headAt": …}`, the time of the newest
 * change the restored platform held (null: not known). A conflict its push
 * opens says so (conflicts.details.restored), so a person is told the national
 * side may be older than this office's. NULL: any other change.
 *
 * `ix_conflicts_resolved`: settled conflicts are listed newest settled first
 * (conflict-rows.ts, listConflicts: status = 'resolved' ORDER BY resolved_at,
 * created_at, id, all DESC); without it every page sorted all of them.
 */
export class RestoreConflicts1768348800000 implements MigrationInterface {
  name = 'RestoreConflicts1768348800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD COLUMN "restored" TEXT NULL`);
    await q.query(`CREATE INDEX "ix_conflicts_resolved" ON "conflicts" ("status", "resolved_at", "created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_conflicts_resolved"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "restored"`);
  }
}
