import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed push requests kept once, as received, instead of a copy of each
 * mutation with its request's signature (see services/signed-requests.ts).
 * message_log rows written from now on point at their request and their place
 * in it; rows written before keep their own copy. mutation_results goes: replays
 * are answered `duplicate` from the message log, which holds the same rev and seq
 * for every accepted mutation and is never pruned. Mirrors
 * ../sqlite/1764200000000-signed-requests.ts.
 */
export class SignedRequestsPostgres1764200000000 implements MigrationInterface {
  name = 'SignedRequestsPostgres1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE signed_requests (
      id varchar(36) PRIMARY KEY NOT NULL,
      agent_id varchar(36) NOT NULL,
      site_code varchar(64) NOT NULL,
      method varchar(10) NOT NULL,
      target_uri text NOT NULL,
      signature text NOT NULL,
      signature_input text NOT NULL,
      content_digest text NOT NULL,
      content_encoding varchar(16) NOT NULL,
      body bytea NOT NULL,
      received_at varchar(30) NOT NULL)`);
    await q.query(`ALTER TABLE message_log
      ADD COLUMN request_id varchar(36),
      ADD COLUMN item integer,
      ALTER COLUMN signature DROP NOT NULL,
      ALTER COLUMN signature_input DROP NOT NULL,
      ALTER COLUMN content_digest DROP NOT NULL,
      ALTER COLUMN mutation DROP NOT NULL`);
    await q.query(`DROP TABLE mutation_results`);
  }

  /** Refused: rows written since hold their mutation only in the compressed request, which SQL cannot unpack. */
  down(): Promise<void> {
    return Promise.reject(new Error(`${this.name} cannot be undone`));
  }
}
