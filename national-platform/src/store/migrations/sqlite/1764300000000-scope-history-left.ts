import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * record_scope_history.left_seq: the seq of the change that last moved a record
 * away from a place (null while it is there), so a pull sends a record that left
 * an agent's scope as `removed` once, not again on each later change where it
 * went. Rows of places a record has already left get its current seq: agents
 * whose cursor is older get their one `removed`, the others nothing more.
 * Mirrors ../postgres/1764300000000-scope-history-left.ts.
 */
export class ScopeHistoryLeftSqlite1764300000000 implements MigrationInterface {
  name = 'ScopeHistoryLeftSqlite1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE record_scope_history ADD COLUMN left_seq bigint`);
    await q.query(`UPDATE record_scope_history SET left_seq = r.seq FROM records r
      WHERE r.dataset = record_scope_history.dataset AND r.id = record_scope_history.record_id
        AND (COALESCE(r.province_code, '') <> record_scope_history.province_code
          OR COALESCE(r.commune_code, '') <> record_scope_history.commune_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE record_scope_history DROP COLUMN left_seq`);
  }
}
