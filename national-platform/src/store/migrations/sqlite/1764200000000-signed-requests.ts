import type { MigrationInterface, QueryRunner } from 'typeorm';

const LOG_COLUMNS = 'mutation_id, agent_id, site_code, dataset, record_id, seq, rev, signature, signature_input, content_digest, mutation, received_at';

/**
 * Signed push requests kept once, as received, instead of a copy of each
 * mutation with its request's signature (see services/signed-requests.ts).
 * message_log rows written from now on point at their request and their place
 * in it; rows written before keep their own copy. mutation_results goes: replays
 * are answered `duplicate` from the message log, which holds the same rev and seq
 * for every accepted mutation and is never pruned. SQLite cannot relax NOT NULL
 * in place, so message_log is rebuilt with its rows. Mirrors
 * ../postgres/1764200000000-signed-requests.ts.
 */
export class SignedRequestsSqlite1764200000000 implements MigrationInterface {
  name = 'SignedRequestsSqlite1764200000000';

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
      body blob NOT NULL,
      received_at varchar(30) NOT NULL)`);
    await q.query(`CREATE TABLE message_log_next (
      mutation_id varchar(36) PRIMARY KEY NOT NULL,
      agent_id varchar(36) NOT NULL,
      site_code varchar(64) NOT NULL,
      dataset varchar(64) NOT NULL,
      record_id varchar(36) NOT NULL,
      seq bigint NOT NULL,
      rev integer NOT NULL,
      request_id varchar(36),
      item integer,
      signature text,
      signature_input text,
      content_digest text,
      mutation text,
      received_at varchar(30) NOT NULL)`);
    await q.query(`INSERT INTO message_log_next (${LOG_COLUMNS}) SELECT ${LOG_COLUMNS} FROM message_log`);
    await q.query(`DROP TABLE message_log`);
    await q.query(`ALTER TABLE message_log_next RENAME TO message_log`);
    await q.query(`CREATE INDEX message_log_record ON message_log (dataset, record_id)`);
    await q.query(`CREATE INDEX message_log_agent ON message_log (agent_id, received_at)`);
    await q.query(`DROP TABLE mutation_results`);
  }

  /** Refused: rows written since hold their mutation only in the compressed request, which SQL cannot unpack. */
  down(): Promise<void> {
    return Promise.reject(new Error(`${this.name} cannot be undone`));
  }
}
