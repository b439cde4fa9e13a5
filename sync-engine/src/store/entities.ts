import { EntitySchema } from 'typeorm';

/**
 * TypeORM EntitySchemas of the agent's tables, with explicit column types
 * (tsx emits no decorator metadata). The DDL itself lives in migrations/;
 * test/engine checks the two agree. JSON columns are TEXT holding JSON written
 * by the engine; booleans are INTEGER 0/1; times are RFC 3339 UTC text.
 */

export interface RecordEntityRow {
  rid: number;
  dataset: string;
  id: string;
  data: string | null;
  deleted: number;
  rev: number | null;
  baseData: string | null;
  baseDeleted: number;
  baseSame: number;
  state: string;
  searchText: string;
  updatedAt: string;
  updatedBy: string | null;
  pullGen: number;
}

export const RecordEntity = new EntitySchema<RecordEntityRow>({
  name: 'Record',
  tableName: 'records',
  checks: [{ name: 'ck_records_state', expression: `"state" IN ('synced', 'waiting', 'conflict', 'rejected')` }],
  columns: {
    // INTEGER PRIMARY KEY: SQLite's rowid alias, assigned on insert (no AUTOINCREMENT needed).
    rid: { type: 'integer', primary: true },
    dataset: { type: 'text' },
    id: { type: 'text' },
    data: { type: 'text', nullable: true },
    deleted: { type: 'integer', default: 0 },
    rev: { type: 'integer', nullable: true },
    baseData: { name: 'base_data', type: 'text', nullable: true },
    baseDeleted: { name: 'base_deleted', type: 'integer', default: 0 },
    // 1: the base is the local version itself and base_data is NULL (migration 0002).
    baseSame: { name: 'base_same', type: 'integer', default: 0 },
    state: { type: 'text' },
    searchText: { name: 'search_text', type: 'text', default: '' },
    updatedAt: { name: 'updated_at', type: 'text' },
    updatedBy: { name: 'updated_by', type: 'text', nullable: true },
    pullGen: { name: 'pull_gen', type: 'integer', default: 0 },
  },
  indices: [
    { name: 'ux_records_dataset_id', columns: ['dataset', 'id'], unique: true },
    { name: 'ix_records_live', columns: ['dataset', 'deleted', 'updatedAt'] },
    { name: 'ix_records_pending', columns: ['dataset', 'state', 'deleted', 'updatedAt'], where: `"state" <> 'synced'` },
    { name: 'ix_records_search', columns: ['rid', 'dataset', 'deleted', 'state', 'updatedAt'] },
  ],
});

export interface OutboxEntityRow {
  seq: number;
  mutationId: string;
  dataset: string;
  recordId: string;
  op: string;
  baseRev: number | null;
  data: string | null;
  status: string;
  attempts: number;
  errors: string | null;
  createdAt: string;
  sentAt: string | null;
  faults: number;
  restored: string | null;
}

export const OutboxEntity = new EntitySchema<OutboxEntityRow>({
  name: 'OutboxEntry',
  tableName: 'outbox',
  checks: [
    { name: 'ck_outbox_op', expression: `"op" IN ('upsert', 'delete')` },
    { name: 'ck_outbox_status', expression: `"status" IN ('queued', 'in_flight', 'quarantined')` },
  ],
  columns: {
    seq: { type: 'integer', primary: true, generated: 'increment' },
    mutationId: { name: 'mutation_id', type: 'text' },
    dataset: { type: 'text' },
    recordId: { name: 'record_id', type: 'text' },
    op: { type: 'text' },
    baseRev: { name: 'base_rev', type: 'integer', nullable: true },
    data: { type: 'text', nullable: true },
    status: { type: 'text' },
    attempts: { type: 'integer', default: 0 },
    errors: { type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'text' },
    sentAt: { name: 'sent_at', type: 'text', nullable: true },
    faults: { type: 'integer', default: 0 },
    // JSON {"headAt"}: a change the restored platform lost, sent again (migration 0008).
    restored: { type: 'text', nullable: true },
  },
  indices: [
    { name: 'ux_outbox_mutation_id', columns: ['mutationId'], unique: true },
    { name: 'ix_outbox_status_seq', columns: ['status', 'seq'] },
    { name: 'ix_outbox_record', columns: ['dataset', 'recordId', 'seq'] },
  ],
});

export interface ConflictEntityRow {
  id: string;
  dataset: string;
  recordId: string;
  kind: string;
  base: string | null;
  local: string;
  remote: string | null;
  remoteRev: number | null;
  fields: string;
  details: string;
  existingId: string | null;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  openedSeq: number;
  changedSeq: number;
}

export const ConflictEntity = new EntitySchema<ConflictEntityRow>({
  name: 'Conflict',
  tableName: 'conflicts',
  checks: [
    { name: 'ck_conflicts_kind', expression: `"kind" IN ('fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate')` },
    { name: 'ck_conflicts_status', expression: `"status" IN ('open', 'resolved')` },
  ],
  columns: {
    id: { type: 'text', primary: true },
    dataset: { type: 'text' },
    recordId: { name: 'record_id', type: 'text' },
    kind: { type: 'text' },
    base: { type: 'text', nullable: true },
    local: { type: 'text' },
    remote: { type: 'text', nullable: true },
    remoteRev: { name: 'remote_rev', type: 'integer', nullable: true },
    fields: { type: 'text', default: '[]' },
    details: { type: 'text', default: '{}' },
    existingId: { name: 'existing_id', type: 'text', nullable: true },
    status: { type: 'text' },
    createdAt: { name: 'created_at', type: 'text' },
    resolvedAt: { name: 'resolved_at', type: 'text', nullable: true },
    resolution: { type: 'text', nullable: true },
    // When it was opened and last refreshed, in the agent's order: a bulk take by filter settles none changed since its count (migration 0009).
    openedSeq: { name: 'opened_seq', type: 'integer', default: 0 },
    changedSeq: { name: 'changed_seq', type: 'integer', default: 0 },
  },
  indices: [
    { name: 'ix_conflicts_status', columns: ['status', 'createdAt'] },
    { name: 'ix_conflicts_changed', columns: ['changedSeq'] },
    // Settled ones, newest settled first (migration 0008).
    { name: 'ix_conflicts_resolved', columns: ['status', 'resolvedAt', 'createdAt', 'id'] },
    { name: 'ix_conflicts_record', columns: ['dataset', 'recordId'] },
    { name: 'ux_conflicts_open', columns: ['dataset', 'recordId'], unique: true, where: `"status" = 'open'` },
  ],
});

export const CursorEntity = new EntitySchema<{
  dataset: string;
  cursor: string | null;
  generation: number;
  resyncing: number;
  updatedAt: string;
  caughtUpAt: string | null;
  restoredHeadAt: string | null;
}>({
  name: 'Cursor',
  tableName: 'cursors',
  columns: {
    dataset: { type: 'text', primary: true },
    cursor: { type: 'text', nullable: true },
    generation: { type: 'integer', default: 0 },
    resyncing: { type: 'integer', default: 0 },
    updatedAt: { name: 'updated_at', type: 'text' },
    caughtUpAt: { name: 'caught_up_at', type: 'text', nullable: true },
    restoredHeadAt: { name: 'restored_head_at', type: 'text', nullable: true },
  },
});

export const CatalogEntity = new EntitySchema<{ dataset: string; position: number; descriptor: string; fetchedAt: string }>({
  name: 'CatalogEntry',
  tableName: 'catalog',
  columns: {
    dataset: { type: 'text', primary: true },
    position: { type: 'integer' },
    descriptor: { type: 'text' },
    fetchedAt: { name: 'fetched_at', type: 'text' },
  },
});

export const DigestEntity = new EntitySchema<{
  dataset: string;
  localDigest: string | null;
  localCount: number | null;
  platformDigest: string | null;
  platformCount: number | null;
  localStale: number;
  status: string;
  checkedAt: string;
}>({
  name: 'Digest',
  tableName: 'digests',
  checks: [{ name: 'ck_digests_status', expression: `"status" IN ('match', 'mismatch', 'pending')` }],
  columns: {
    dataset: { type: 'text', primary: true },
    localDigest: { name: 'local_digest', type: 'text', nullable: true },
    localCount: { name: 'local_count', type: 'integer', nullable: true },
    platformDigest: { name: 'platform_digest', type: 'text', nullable: true },
    platformCount: { name: 'platform_count', type: 'integer', nullable: true },
    /** 1 when records changed since local_digest was computed (see records/record-row.ts). */
    localStale: { name: 'local_stale', type: 'integer', default: 1 },
    status: { type: 'text' },
    checkedAt: { name: 'checked_at', type: 'text' },
  },
});

export const SyncRunEntity = new EntitySchema<{
  id: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: number;
  error: string | null;
  summary: string | null;
}>({
  name: 'SyncRun',
  tableName: 'sync_runs',
  checks: [{ name: 'ck_sync_runs_status', expression: `"status" IN ('running', 'ok', 'partial', 'failed')` }],
  columns: {
    id: { type: 'text', primary: true },
    trigger: { type: 'text' },
    startedAt: { name: 'started_at', type: 'text' },
    finishedAt: { name: 'finished_at', type: 'text', nullable: true },
    status: { type: 'text' },
    pushed: { type: 'integer', default: 0 },
    pulled: { type: 'integer', default: 0 },
    conflicts: { type: 'integer', default: 0 },
    rejected: { type: 'integer', default: 0 },
    error: { type: 'text', nullable: true },
    summary: { type: 'text', nullable: true },
  },
  indices: [
    { name: 'ix_sync_runs_started', columns: ['startedAt'] },
    { name: 'ix_sync_runs_through', columns: ['finishedAt'], where: `"status" IN ('ok', 'partial')` },
  ],
});

export const HealthSampleEntity = new EntitySchema<{
  id: number;
  at: string;
  ok: number;
  latencyMs: number | null;
  httpStatus: number | null;
  errorCode: string | null;
  skewMs: number | null;
}>({
  name: 'HealthSample',
  tableName: 'health_samples',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    at: { type: 'text' },
    ok: { type: 'integer' },
    latencyMs: { name: 'latency_ms', type: 'integer', nullable: true },
    httpStatus: { name: 'http_status', type: 'integer', nullable: true },
    errorCode: { name: 'error_code', type: 'text', nullable: true },
    skewMs: { name: 'skew_ms', type: 'integer', nullable: true },
  },
  indices: [{ name: 'ix_health_samples_at', columns: ['at'] }],
});

export const AuditEntity = new EntitySchema<{
  seq: number;
  at: string;
  actor: string;
  action: string;
  dataset: string | null;
  recordId: string | null;
  details: string;
  prevHash: string;
  hash: string;
}>({
  name: 'AuditEvent',
  tableName: 'audit_log',
  columns: {
    seq: { type: 'integer', primary: true, generated: 'increment' },
    at: { type: 'text' },
    actor: { type: 'text' },
    action: { type: 'text' },
    dataset: { type: 'text', nullable: true },
    recordId: { name: 'record_id', type: 'text', nullable: true },
    details: { type: 'text' },
    prevHash: { name: 'prev_hash', type: 'text' },
    hash: { type: 'text' },
  },
  indices: [{ name: 'ix_audit_log_record', columns: ['dataset', 'recordId'] }],
});

export const SettingEntity = new EntitySchema<{ key: string; value: string }>({
  name: 'Setting',
  tableName: 'settings',
  columns: { key: { type: 'text', primary: true }, value: { type: 'text' } },
});

export const CredentialEntity = new EntitySchema<{ key: string; value: string }>({
  name: 'Credential',
  tableName: 'credentials',
  columns: { key: { type: 'text', primary: true }, value: { type: 'text' } },
});

export const LeaseEntity = new EntitySchema<{ id: number; holder: string; expiresAt: number }>({
  name: 'Lease',
  tableName: 'lease',
  checks: [{ name: 'ck_lease_id', expression: `"id" = 1` }],
  columns: {
    id: { type: 'integer', primary: true },
    holder: { type: 'text' },
    expiresAt: { name: 'expires_at', type: 'integer' },
  },
});

export const ENTITIES = [
  RecordEntity,
  OutboxEntity,
  ConflictEntity,
  CursorEntity,
  CatalogEntity,
  DigestEntity,
  SyncRunEntity,
  HealthSampleEntity,
  AuditEntity,
  SettingEntity,
  CredentialEntity,
  LeaseEntity,
];
