import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox.faults`: how many times in a row the platform answered HTTP 500 to
 * this entry sent alone (sync/platform-fault.ts). The push phase counts it
 * across runs and holds the entry back for a person once it reaches
 * HOLD_AFTER_PLATFORM_FAULTS; a retry or a new edit of the record starts it
 * again from 0. Existing rows start at 0.
 */
export class OutboxFaults1768089600000 implements MigrationInterface {
  name = 'OutboxFaults1768089600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD COLUMN "faults" INTEGER NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "faults"`);
  }
}
