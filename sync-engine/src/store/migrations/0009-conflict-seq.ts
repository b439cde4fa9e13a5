import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `conflicts.opened_seq` / `conflicts.changed_seq`: when, in the agent's own
 * order, a conflict was opened and last refreshed by a newer national version
 * (conflict-rows.ts, upsertOpenConflict: one past the highest `changed_seq`,
 * in the transaction that writes it). A bulk take of every conflict a filter
 * holds counts them first and gets the highest `changed_seq` then (`through`),
 * and settles only those no newer national version changed since
 * (`changed_seq` <= `through`): the others are left open and said, and those
 * opened since (`opened_seq` > `through`) are not touched. Rows of an older
 * build start at 0, before any count.
 *
 * `ix_conflicts_changed`: the highest `changed_seq` is read per conflict
 * written, without a scan.
 */
export class ConflictSeq1768435200000 implements MigrationInterface {
  name = 'ConflictSeq1768435200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "conflicts" ADD COLUMN "opened_seq" INTEGER NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "conflicts" ADD COLUMN "changed_seq" INTEGER NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX "ix_conflicts_changed" ON "conflicts" ("changed_seq")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_conflicts_changed"`);
    await q.query(`ALTER TABLE "conflicts" DROP COLUMN "changed_seq"`);
    await q.query(`ALTER TABLE "conflicts" DROP COLUMN "opened_seq"`);
  }
}
