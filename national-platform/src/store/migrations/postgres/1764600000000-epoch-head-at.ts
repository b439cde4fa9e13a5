import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * platform_state.epoch_head_at: the time of the newest change the platform
 * held when its current epoch began (services/epoch.ts). A pull answered
 * resync_required because the platform went back gives it to the agent, which
 * sends again the records it created after it (docs/protocol.md, Pull). NULL:
 * not known (an epoch begun before this column). Mirrors ../sqlite/1764600000000-epoch-head-at.ts.
 */
export class EpochHeadAtPostgres1764600000000 implements MigrationInterface {
  name = 'EpochHeadAtPostgres1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state ADD COLUMN epoch_head_at varchar(30) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state DROP COLUMN epoch_head_at`);
  }
}
