import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * platform_state.epoch_head_seqs: the head seq at which each `epoch new` began,
 * so a record's first change after a restore skips the revs the lost history
 * may have given out (services/rev-gap.ts). Epochs begun before this column
 * are not known; '' is "none". Mirrors ../sqlite/1764500000000-epoch-head-seqs.ts.
 */
export class EpochHeadSeqsPostgres1764500000000 implements MigrationInterface {
  name = 'EpochHeadSeqsPostgres1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state ADD COLUMN epoch_head_seqs text NOT NULL DEFAULT ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform_state DROP COLUMN epoch_head_seqs`);
  }
}
