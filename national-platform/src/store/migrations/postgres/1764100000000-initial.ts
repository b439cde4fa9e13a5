import type { MigrationInterface, QueryRunner } from 'typeorm';

/** First schema of the platform store on PostgreSQL. Mirrors ../sqlite/1764100000000-initial.ts. */
export class InitialPostgres1764100000000 implements MigrationInterface {
  name = 'InitialPostgres1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE platform_state (
      id integer PRIMARY KEY NOT NULL,
      head_seq bigint NOT NULL,
      epoch varchar(36) NOT NULL,
      cursor_key varchar(64) NOT NULL,
      purge_horizon_seq bigint NOT NULL,
      maintenance boolean NOT NULL,
      maintenance_retry_after integer NOT NULL,
      created_at varchar(30) NOT NULL)`);
    await q.query(`CREATE TABLE sites (
      code varchar(64) PRIMARY KEY NOT NULL,
      name varchar(200) NOT NULL,
      province_code varchar(2) NOT NULL,
      commune_codes text,
      scope_version integer NOT NULL,
      require_approval boolean NOT NULL,
      created_at varchar(30) NOT NULL)`);
    await q.query(`CREATE TABLE site_scope_versions (
      site_code varchar(64) NOT NULL,
      version integer NOT NULL,
      scope text NOT NULL,
      created_at varchar(30) NOT NULL,
      PRIMARY KEY (site_code, version))`);
    await q.query(`CREATE TABLE site_access (
      site_code varchar(64) NOT NULL,
      dataset varchar(64) NOT NULL,
      access varchar(16) NOT NULL,
      PRIMARY KEY (site_code, dataset))`);
    await q.query(`CREATE TABLE enrollment_tokens (
      token_hash varchar(64) PRIMARY KEY NOT NULL,
      site_code varchar(64) NOT NULL,
      expires_at varchar(30) NOT NULL,
      used_at varchar(30),
      used_by_agent varchar(36),
      created_at varchar(30) NOT NULL)`);
    await q.query(`CREATE TABLE agents (
      id varchar(36) PRIMARY KEY NOT NULL,
      site_code varchar(64) NOT NULL,
      name varchar(200) NOT NULL,
      public_key_pem text NOT NULL,
      status varchar(16) NOT NULL,
      created_at varchar(30) NOT NULL,
      status_changed_at varchar(30) NOT NULL)`);
    await q.query(`CREATE INDEX agents_site ON agents (site_code)`);
    await q.query(`CREATE TABLE nonces (
      agent_id varchar(36) NOT NULL,
      nonce varchar(128) NOT NULL,
      expires_at bigint NOT NULL,
      PRIMARY KEY (agent_id, nonce))`);
    await q.query(`CREATE INDEX nonces_expiry ON nonces (expires_at)`);
    await q.query(`CREATE TABLE records (
      dataset varchar(64) NOT NULL,
      id varchar(36) NOT NULL,
      rev integer NOT NULL,
      deleted boolean NOT NULL,
      data text,
      updated_at varchar(30) NOT NULL,
      updated_by text NOT NULL,
      seq bigint NOT NULL,
      province_code varchar(2),
      commune_code varchar(5),
      digest_part varchar(32) NOT NULL,
      PRIMARY KEY (dataset, id))`);
    await q.query(`CREATE UNIQUE INDEX records_seq ON records (seq)`);
    await q.query(`CREATE INDEX records_dataset_seq ON records (dataset, seq)`);
    await q.query(`CREATE INDEX records_scope ON records (dataset, province_code, commune_code)`);
    await q.query(`CREATE TABLE record_scope_history (
      dataset varchar(64) NOT NULL,
      record_id varchar(36) NOT NULL,
      province_code varchar(2) NOT NULL,
      commune_code varchar(5) NOT NULL,
      PRIMARY KEY (dataset, record_id, province_code, commune_code))`);
    await q.query(`CREATE INDEX record_scope_history_scope ON record_scope_history (dataset, province_code, commune_code)`);
    await q.query(`CREATE TABLE unique_keys (
      dataset varchar(64) NOT NULL,
      field varchar(64) NOT NULL,
      value varchar(256) NOT NULL,
      record_id varchar(36) NOT NULL,
      PRIMARY KEY (dataset, field, value))`);
    await q.query(`CREATE INDEX unique_keys_record ON unique_keys (dataset, record_id)`);
    await q.query(`CREATE TABLE digest_buckets (
      dataset varchar(64) NOT NULL,
      province_code varchar(2) NOT NULL,
      commune_code varchar(5) NOT NULL,
      live_count integer NOT NULL,
      digest varchar(32) NOT NULL,
      PRIMARY KEY (dataset, province_code, commune_code))`);
    await q.query(`CREATE TABLE mutation_results (
      mutation_id varchar(36) PRIMARY KEY NOT NULL,
      agent_id varchar(36),
      result text NOT NULL,
      created_at varchar(30) NOT NULL)`);
    await q.query(`CREATE INDEX mutation_results_created ON mutation_results (created_at)`);
    await q.query(`CREATE TABLE message_log (
      mutation_id varchar(36) PRIMARY KEY NOT NULL,
      agent_id varchar(36) NOT NULL,
      site_code varchar(64) NOT NULL,
      dataset varchar(64) NOT NULL,
      record_id varchar(36) NOT NULL,
      seq bigint NOT NULL,
      rev integer NOT NULL,
      signature text NOT NULL,
      signature_input text NOT NULL,
      content_digest text NOT NULL,
      mutation text NOT NULL,
      received_at varchar(30) NOT NULL)`);
    await q.query(`CREATE INDEX message_log_record ON message_log (dataset, record_id)`);
    await q.query(`CREATE INDEX message_log_agent ON message_log (agent_id, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'message_log',
      'mutation_results',
      'digest_buckets',
      'unique_keys',
      'record_scope_history',
      'records',
      'nonces',
      'agents',
      'enrollment_tokens',
      'site_access',
      'site_scope_versions',
      'sites',
      'platform_state',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
