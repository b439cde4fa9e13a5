import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * dataset_versions: the dataset versions the national operator published
 * (`datasets publish`), each the whole catalog descriptor as JSON; and
 * platform_state.catalog_version, bumped by each publish, so serve sees a new
 * version with the state row it already reads for every push. No row: every
 * dataset is the version the build ships. Mirrors ../sqlite/1764900000000-dataset-versions.ts.
 */
export class DatasetVersionsPostgres1764900000000 implements MigrationInterface {
  name = 'DatasetVersionsPostgres1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dataset_versions (
      dataset varchar(64) NOT NULL,
      version integer NOT NULL,
      descriptor text NOT NULL,
      published_at varchar(30) NOT NULL,
      PRIMARY KEY (dataset, version))`);
    await q.query(`ALTER TABLE platform_state ADD COLUMN catalog_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state DROP COLUMN catalog_version`);
    await q.query(`DROP TABLE dataset_versions`);
  }
}
