import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `left_scope`: records that left this office's scope (a pulled `removed`)
 * while a local change of them was pending, so they were kept. Once nothing of
 * such a record is pending any more, it leaves the cache as the `removed`
 * would have dropped it (records/left-scope.ts). A mark lives only as long as
 * its record: ON DELETE CASCADE on the records' (dataset, id) key.
 */
export class LeftScope1768003200000 implements MigrationInterface {
  name = 'LeftScope1768003200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "left_scope" (
      "dataset" TEXT NOT NULL,
      "id" TEXT NOT NULL,
      "removed_at" TEXT NOT NULL,
      PRIMARY KEY ("dataset", "id"),
      CONSTRAINT "fk_left_scope_record" FOREIGN KEY ("dataset", "id") REFERENCES "records" ("dataset", "id") ON DELETE CASCADE
    ) WITHOUT ROWID`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "left_scope"`);
  }
}
