import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * agents.last_seen_at: when the platform last answered a signed request of the
 * agent (a sync, or the agent's check of its credentials), kept by serve
 * (services/last-seen.ts) for `agents list`, which shows the offices that have
 * not synced for days. Null: none since it enrolled (or since this migration).
 * Mirrors ../postgres/1764800000000-agents-last-seen.ts.
 */
export class AgentsLastSeenSqlite1764800000000 implements MigrationInterface {
  name = 'AgentsLastSeenSqlite1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents ADD COLUMN last_seen_at varchar(30)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents DROP COLUMN last_seen_at`);
  }
}
