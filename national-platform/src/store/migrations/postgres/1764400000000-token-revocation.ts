import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * enrollment_tokens.revoked_at: when an operator revoked a token before it was
 * used (`tokens revoke`); a revoked token is refused at enrollment as an
 * expired one is. Mirrors ../sqlite/1764400000000-token-revocation.ts.
 */
export class TokenRevocationPostgres1764400000000 implements MigrationInterface {
  name = 'TokenRevocationPostgres1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrollment_tokens ADD COLUMN revoked_at varchar(30)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrollment_tokens DROP COLUMN revoked_at`);
  }
}
