import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '../columns.js';

/**
 * The latest state of one record (live or tombstone). The feed is compacted by
 * construction: a change moves the row to its new `seq`, so a pull over
 * `seq > since` sees each record at most once, in its latest state.
 */
export interface RecordRow {
  dataset: string;
  id: string;
  rev: number;
  deleted: boolean;
  /** JSON text of `data`; null for a tombstone. */
  data: string | null;
  updatedAt: string;
  /** JSON text of `updatedBy`. */
  updatedBy: string;
  seq: number;
  /** Scope of the latest data (kept on tombstones, so a delete reaches the right agents). */
  provinceCode: string | null;
  communeCode: string | null;
  /** Hex of the first 16 bytes of sha256(id:rev). */
  digestPart: string;
}

export const RecordEntity = new EntitySchema<RecordRow>({
  name: 'Record',
  tableName: 'records',
  columns: {
    dataset: { type: 'varchar', length: 64, primary: true },
    id: { type: 'varchar', length: 36, primary: true },
    rev: { type: 'integer' },
    deleted: { type: 'boolean' },
    data: { type: 'text', nullable: true },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 30 },
    updatedBy: { name: 'updated_by', type: 'text' },
    seq: { type: 'bigint', transformer: bigintAsNumber },
    provinceCode: { name: 'province_code', type: 'varchar', length: 2, nullable: true },
    communeCode: { name: 'commune_code', type: 'varchar', length: 5, nullable: true },
    digestPart: { name: 'digest_part', type: 'varchar', length: 32 },
  },
});

/**
 * Every (province, commune) a record has ever had, and when it last left it. A
 * pull answers `removed` for a record whose current data is outside the agent's
 * scope but which was inside it at the agent's cursor (it left the place after
 * that seq), without keeping any per-agent state. '' stands for "no commune".
 */
export interface RecordScopeHistoryRow {
  dataset: string;
  recordId: string;
  provinceCode: string;
  communeCode: string;
  /** seq of the change that last moved the record away from this place; null while it is there. */
  leftSeq: number | null;
}

export const RecordScopeHistoryEntity = new EntitySchema<RecordScopeHistoryRow>({
  name: 'RecordScopeHistory',
  tableName: 'record_scope_history',
  columns: {
    dataset: { type: 'varchar', length: 64, primary: true },
    recordId: { name: 'record_id', type: 'varchar', length: 36, primary: true },
    provinceCode: { name: 'province_code', type: 'varchar', length: 2, primary: true },
    communeCode: { name: 'commune_code', type: 'varchar', length: 5, primary: true },
    leftSeq: { name: 'left_seq', type: 'bigint', nullable: true, transformer: bigintAsNumber },
  },
});

/** Values of unique fields held by live records: the primary key enforces uniqueness across all sites. */
export interface UniqueKeyRow {
  dataset: string;
  field: string;
  value: string;
  recordId: string;
}

export const UniqueKeyEntity = new EntitySchema<UniqueKeyRow>({
  name: 'UniqueKey',
  tableName: 'unique_keys',
  columns: {
    dataset: { type: 'varchar', length: 64, primary: true },
    field: { type: 'varchar', length: 64, primary: true },
    value: { type: 'varchar', length: 256, primary: true },
    recordId: { name: 'record_id', type: 'varchar', length: 36 },
  },
});

/**
 * XOR of the digest parts and count of the live records of one
 * (dataset, province, commune) bucket, kept up to date by every write, so a
 * digest costs one row per commune instead of one per record. '' = no code.
 */
export interface DigestBucketRow {
  dataset: string;
  provinceCode: string;
  communeCode: string;
  liveCount: number;
  digest: string;
}

export const DigestBucketEntity = new EntitySchema<DigestBucketRow>({
  name: 'DigestBucket',
  tableName: 'digest_buckets',
  columns: {
    dataset: { type: 'varchar', length: 64, primary: true },
    provinceCode: { name: 'province_code', type: 'varchar', length: 2, primary: true },
    communeCode: { name: 'commune_code', type: 'varchar', length: 5, primary: true },
    liveCount: { name: 'live_count', type: 'integer' },
    digest: { type: 'varchar', length: 32 },
  },
});
