import type { RecordData, UpdatedBy, WireRecord } from '../../../sync-engine/src/protocol/records.js';
import type { RecordRow } from '../store/entities/record.js';
import type { RecordPlace } from './scope.js';

/** A record's latest state, parsed. */
export interface StoredRecord {
  dataset: string;
  id: string;
  rev: number;
  deleted: boolean;
  data: RecordData | null;
  updatedAt: string;
  updatedBy: UpdatedBy;
  seq: number;
  place: RecordPlace;
  digestPart: string;
}

export function fromRow(row: RecordRow): StoredRecord {
  return {
    dataset: row.dataset,
    id: row.id,
    rev: row.rev,
    deleted: row.deleted,
    data: row.data === null ? null : (JSON.parse(row.data) as RecordData),
    updatedAt: row.updatedAt,
    updatedBy: JSON.parse(row.updatedBy) as UpdatedBy,
    seq: row.seq,
    place: { provinceCode: row.provinceCode, communeCode: row.communeCode },
    digestPart: row.digestPart,
  };
}

export function toRow(record: StoredRecord): RecordRow {
  return {
    dataset: record.dataset,
    id: record.id,
    rev: record.rev,
    deleted: record.deleted,
    data: record.data === null ? null : JSON.stringify(record.data),
    updatedAt: record.updatedAt,
    updatedBy: JSON.stringify(record.updatedBy),
    seq: record.seq,
    provinceCode: record.place.provinceCode,
    communeCode: record.place.communeCode,
    digestPart: record.digestPart,
  };
}

export function toWire(record: StoredRecord): WireRecord {
  return {
    id: record.id,
    rev: record.rev,
    deleted: record.deleted,
    data: record.deleted ? null : record.data,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}
