import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * platform_state.admin_units_version: bumped by every transaction that changes
 * an `admin-units` record (services/change-set.ts), so serve sees a reform
 * the operator published with the state row it already reads for every push,
 * and reads the units again only then (services/admin-units-in-force.ts).
 * Mirrors ../postgres/1765000000000-admin-units-version.ts.
 */
export class AdminUnitsVersionSqlite1765000000000 implements MigrationInterface {
  name = 'AdminUnitsVersionSqlite1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state ADD COLUMN admin_units_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state DROP COLUMN admin_units_version`);
  }
}
