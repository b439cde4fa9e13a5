import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * record_scope_history.left_seq: the seq of the change that last moved a record
 * away from a place (null while it is there), so a pull sends a record that left
 * an agent's scope as `removed` once, not again on each later change where it
 * went. Rows of places a record has already left get its current seq: agents
 * whose cursor is older get their one `removed`, the others nothing more.
 *
 * record_scope_history_left holds the departures only: the incremental pull
 * hashes those of the agent's province after its cursor, once per page (a
 * sequential scan of the whole table without it: 70-110 ms a page over 300,000
 * records, against 12-22 ms with it). SQLite plans the same check as a probe of
 * the primary key per record and needs no such index.
 * Mirrors ../sqlite/1764300000000-scope-history-left.ts.
 */
export class ScopeHistoryLeftPostgres1764300000000 implements MigrationInterface {
  name = 'ScopeHistoryLeftPostgres1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE record_scope_history ADD COLUMN left_seq bigint`);
    await q.query(`UPDATE record_scope_history h SET left_seq = r.seq FROM records r
      WHERE r.dataset = h.dataset AND r.id = h.record_id
        AND (COALESCE(r.province_code, '') <> h.province_code OR COALESCE(r.commune_code, '') <> h.commune_code)`);
    await q.query(`CREATE INDEX record_scope_history_left ON record_scope_history (dataset, province_code, left_seq) WHERE left_seq IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX record_scope_history_left`);
    await q.query(`ALTER TABLE record_scope_history DROP COLUMN left_seq`);
  }
}
