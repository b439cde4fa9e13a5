import { AUDIT_TAIL_COLUMNS, type AuditTail } from '../audit/audit-log.js';
import { entryFromDb, entryJsonObject, type DbOutboxRow, type OutboxEntry } from '../outbox/outbox-entries.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { EngineContext } from '../store/engine-context.js';
import type { AgentIdentity } from '../store/key-value.js';
import type { Sql } from '../store/sql.js';
import { fromDb, recordJsonObject, type DbRecordRow, type RecordRow } from './record-row.js';

/** Everything a local write reads before it writes (see readWriteSnapshot). */
export interface WriteSnapshot {
  /** The dataset's cached catalog descriptor. */
  descriptor: DatasetDescriptor | null;
  /** Who this agent is; null when not enrolled. */
  identity: AgentIdentity | null;
  /** The record as cached; null for a new one. */
  record: RecordRow | null;
  /** The record left this office's scope and is kept only for its pending change (records/left-scope.ts). */
  leftScope: boolean;
  /** The record's outbox entries, oldest first. */
  entries: OutboxEntry[];
  /** The end of the audit chain, for the write's audit event. */
  auditTail: AuditTail;
}

const SNAPSHOT_SQL = `SELECT
  (SELECT "descriptor" FROM "catalog" WHERE "dataset" = ?) AS "descriptor",
  (SELECT json_group_array(json_object('key', "key", 'value', "value")) FROM "credentials") AS "credentials",
  (SELECT ${recordJsonObject('r')} FROM "records" r WHERE r."dataset" = ? AND r."id" = ?) AS "record",
  (SELECT json_group_array(${entryJsonObject('o')}) FROM "outbox" o WHERE o."dataset" = ? AND o."record_id" = ?) AS "entries",
  EXISTS (SELECT 1 FROM "left_scope" l WHERE l."dataset" = ? AND l."id" = ?) AS "left_scope",
  ${AUDIT_TAIL_COLUMNS}`;

interface SnapshotRow extends AuditTail {
  descriptor: string | null;
  credentials: string;
  record: string | null;
  entries: string;
  left_scope: number;
}

/**
 * Reads, in ONE statement inside the write's transaction, what a local write
 * checks and builds on: the descriptor, the identity, the cached record, its
 * outbox entries, whether it left this office's scope, and the audit chain's
 * end. Every statement is a round trip to SQLite's worker thread and back;
 * read one by one these took five of a write's eleven (docs/performance.md,
 * "Local write"). Scalar subqueries
 * over the same indexes as the single reads, rows as json_object, parsed here
 * by each table's own reader. `id` null: a new record, nothing to read for it.
 */
export async function readWriteSnapshot(tx: Sql, ctx: EngineContext, dataset: string, id: string | null): Promise<WriteSnapshot> {
  const row = await tx.get<SnapshotRow>(SNAPSHOT_SQL, [dataset, dataset, id, dataset, id, dataset, id]);
  if (!row) throw new Error('the write snapshot query returned no row');
  const entries = (JSON.parse(row.entries) as DbOutboxRow[]).map(entryFromDb).sort((a, b) => a.seq - b.seq);
  return {
    descriptor: row.descriptor === null ? null : ctx.catalog.parse(row.descriptor),
    identity: ctx.credentials.identityFrom(JSON.parse(row.credentials) as Array<{ key: string; value: string }>),
    record: row.record === null ? null : fromDb(JSON.parse(row.record) as DbRecordRow),
    entries,
    leftScope: row.left_scope === 1,
    auditTail: { audit_last_seq: row.audit_last_seq, audit_last_hash: row.audit_last_hash, audit_used_seq: row.audit_used_seq },
  };
}
