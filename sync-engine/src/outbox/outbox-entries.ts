import { coalesce, type CoalesceResult, type PendingChange } from '../domain/outbox-coalesce.js';
import { saysRecordNotOnPlatform, type Mutation, type RecordError } from '../protocol/push.js';
import type { RecordData } from '../protocol/records.js';
import { recordMarks } from '../records/record-marks.js';
import type { Sql } from '../store/sql.js';
import { chunk, fromJson, placeholders, toJson } from '../store/sql.js';

/**
 * Rows of the outbox and the one rule for adding a change to it.
 *
 * Status: 'queued' (never sent), 'in_flight' (sent at least once, no definitive
 * answer yet: it is re-sent with the SAME mutationId, so the platform answers
 * `duplicate` if it had applied it), 'quarantined' (the platform rejected it;
 * kept with its errors until a person edits, retries or discards it).
 *
 * `faults`: times in a row the platform answered HTTP 500 to the entry sent
 * alone (sync/platform-fault.ts); at HOLD_AFTER_PLATFORM_FAULTS it is held
 * back (quarantined) with the error PLATFORM_FAULT_CODE.
 *
 * `restored`: the entry sends again a change of this office that the platform
 * had accepted and lost when it was restored from an older backup
 * (sync/lost-changes.ts); a conflict its push opens says so. Kept when a later
 * edit is coalesced into the entry: the lost change is still in it.
 */
export const OUTBOX_STATUSES = ['queued', 'in_flight', 'quarantined'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The platform was restored from an older backup: `headAt`, the time of the
 * newest change it held (the 410's headAt, docs/protocol.md), i.e. what its
 * records went back to; null when the agent does not know it.
 */
export interface PlatformRestore {
  headAt: string | null;
}

export interface OutboxEntry {
  seq: number;
  mutationId: string;
  dataset: string;
  recordId: string;
  op: 'upsert' | 'delete';
  baseRev: number | null;
  data: RecordData | null;
  status: OutboxStatus;
  attempts: number;
  errors: RecordError[] | null;
  createdAt: string;
  sentAt: string | null;
  faults: number;
  restored: PlatformRestore | null;
}

export interface DbOutboxRow {
  seq: number;
  mutation_id: string;
  dataset: string;
  record_id: string;
  op: 'upsert' | 'delete';
  base_rev: number | null;
  data: string | null;
  status: OutboxStatus;
  attempts: number;
  errors: string | null;
  created_at: string;
  sent_at: string | null;
  faults: number;
  restored: string | null;
}

const ENTRY_COLUMNS = ['seq', 'mutation_id', 'dataset', 'record_id', 'op', 'base_rev', 'data', 'status', 'attempts', 'errors', 'created_at', 'sent_at', 'faults', 'restored'] as const;

/**
 * An outbox row as one JSON object (SQLite json_object, keys = column names),
 * for a query that fetches it along with other things in one statement;
 * `entryFromDb(JSON.parse(text))` reads it.
 */
export function entryJsonObject(alias: string): string {
  return `json_object(${ENTRY_COLUMNS.map((c) => `'${c}', ${alias}."${c}"`).join(', ')})`;
}

export function entryFromDb(row: DbOutboxRow): OutboxEntry {
  return {
    seq: row.seq,
    mutationId: row.mutation_id,
    dataset: row.dataset,
    recordId: row.record_id,
    op: row.op,
    baseRev: row.base_rev,
    data: fromJson<RecordData>(row.data),
    status: row.status,
    attempts: row.attempts,
    errors: fromJson<RecordError[]>(row.errors),
    createdAt: row.created_at,
    sentAt: row.sent_at,
    faults: row.faults ?? 0,
    restored: fromJson<PlatformRestore>(row.restored ?? null),
  };
}

export function toMutation(entry: OutboxEntry): Mutation {
  return {
    mutationId: entry.mutationId,
    dataset: entry.dataset,
    id: entry.recordId,
    op: entry.op,
    baseRev: entry.baseRev,
    data: entry.op === 'delete' ? null : entry.data,
  };
}

/** A record's entries, oldest first (at most a few: coalescing keeps it short). */
export async function entriesForRecord(db: Sql, dataset: string, recordId: string): Promise<OutboxEntry[]> {
  const rows = await db.all<DbOutboxRow>('SELECT * FROM "outbox" WHERE "dataset" = ? AND "record_id" = ? ORDER BY "seq"', [
    dataset,
    recordId,
  ]);
  return rows.map(entryFromDb);
}

/**
 * The platform held back one of these entries (a record's) answering that it
 * does not hold the record (`not_found`, protocol/push.ts): no change of the
 * record can be accepted any more, however it is sent.
 */
export function heldAsNotOnPlatform(entries: readonly Pick<OutboxEntry, 'status' | 'errors'>[]): boolean {
  return entries.some((e) => e.status === 'quarantined' && saysRecordNotOnPlatform(e.errors));
}

/**
 * The error code of an entry the agent held back because the platform kept
 * failing on it (HTTP 500 to it alone, sync/platform-fault.ts), not because
 * the platform refused it: the platform never gave its mutationId an answer,
 * and may even have applied it before failing, so a retry sends it again
 * under the same id (Outbox.retry).
 */
export const PLATFORM_FAULT_CODE = 'platform_fault';

/** Whether a held-back entry was held for the platform's repeated failures (PLATFORM_FAULT_CODE), not refused. */
export function heldAfterPlatformFaults(entry: Pick<OutboxEntry, 'status' | 'errors'>): boolean {
  return entry.status === 'quarantined' && saysPlatformFault(entry.errors);
}

/** Whether these reasons of a held-back change are the agent's own for the platform's repeated failures (PLATFORM_FAULT_CODE). */
export function saysPlatformFault(errors: readonly Pick<RecordError, 'code' | 'path'>[] | null | undefined): boolean {
  return (errors ?? []).some((e) => e.code === PLATFORM_FAULT_CODE && e.path === '');
}

/**
 * Which of these records `heldAsNotOnPlatform` holds for (any held-back entry of
 * the record, not only one on a page), for the record and outbox views: one
 * statement per dataset and 500 records (records/record-marks.ts), never one
 * per row. The SQL says what saysRecordNotOnPlatform says: an error `not_found`
 * on the record itself (path '').
 */
export function notOnPlatformMarks(db: Sql, records: readonly { dataset: string; recordId: string }[]): Promise<(dataset: string, recordId: string) => boolean> {
  return recordMarks(
    db,
    records,
    (part) =>
      `SELECT DISTINCT "record_id" AS "id" FROM "outbox" WHERE "dataset" = ? AND "record_id" IN (${part.map(() => '?').join(', ')}) AND "status" = 'quarantined'
       AND EXISTS (SELECT 1 FROM json_each("outbox"."errors") AS e WHERE e."value" ->> '$.code' = 'not_found' AND e."value" ->> '$.path' = '')`,
  );
}

/** An entry without its payload: enough to know whether it is still live and what follows it. */
export type EntryHead = Pick<OutboxEntry, 'seq' | 'mutationId' | 'dataset' | 'recordId' | 'status'>;

/** One key per record (dataset and id), as the outbox groups and skips entries by record. */
export function outboxRecordKey(dataset: string, recordId: string): string {
  return `${dataset}\u0000${recordId}`;
}

/**
 * Every entry of the given records (any dataset), oldest first, without their
 * data: one statement per 500 records on ix_outbox_record.
 */
export async function entryHeadsOfRecords(db: Sql, records: ReadonlyArray<{ dataset: string; recordId: string }>): Promise<EntryHead[]> {
  const keys = [...new Map(records.map((r) => [outboxRecordKey(r.dataset, r.recordId), r])).values()];
  const out: EntryHead[] = [];
  for (const part of chunk(keys, 500)) {
    const rows = await db.all<Pick<DbOutboxRow, 'seq' | 'mutation_id' | 'dataset' | 'record_id' | 'status'>>(
      `SELECT "seq", "mutation_id", "dataset", "record_id", "status" FROM "outbox"
       WHERE ("dataset", "record_id") IN (VALUES ${part.map(() => '(?, ?)').join(', ')})`,
      part.flatMap((r) => [r.dataset, r.recordId]),
    );
    out.push(...rows.map((r) => ({ seq: r.seq, mutationId: r.mutation_id, dataset: r.dataset, recordId: r.record_id, status: r.status })));
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Moves queued entries onto the rev the platform just gave their record: one UPDATE per 500 entries. */
export async function rebaseEntries(tx: Sql, rebases: ReadonlyArray<{ seq: number; rev: number }>): Promise<void> {
  for (const part of chunk(rebases, 500)) {
    await tx.run(
      `UPDATE "outbox" SET "base_rev" = v.column2 FROM (VALUES ${part.map(() => '(?, ?)').join(', ')}) AS v WHERE "outbox"."seq" = v.column1`,
      part.flatMap((r) => [r.seq, r.rev]),
    );
  }
}

export async function deleteEntries(tx: Sql, seqs: readonly number[]): Promise<void> {
  for (const part of chunk(seqs, 500)) {
    await tx.run(`DELETE FROM "outbox" WHERE "seq" IN (${part.map(() => '?').join(', ')})`, part);
  }
}

export interface NewEntry {
  mutationId: string;
  dataset: string;
  recordId: string;
  change: PendingChange;
  status?: 'queued' | 'quarantined';
  errors?: RecordError[] | null;
  createdAt: string;
}

export async function insertEntry(tx: Sql, entry: NewEntry): Promise<void> {
  await insertEntries(tx, [entry]);
}

/** New entries with multi-row INSERTs (500 per statement, 10 parameters each), seq in the order given. */
export async function insertEntries(tx: Sql, entries: readonly NewEntry[]): Promise<void> {
  for (const part of chunk(entries, 500)) {
    await tx.run(
      `INSERT INTO "outbox" ("mutation_id", "dataset", "record_id", "op", "base_rev", "data", "status", "attempts", "errors", "created_at")
       VALUES ${part.map(() => placeholders(10)).join(', ')}`,
      part.flatMap((entry) => [
        entry.mutationId,
        entry.dataset,
        entry.recordId,
        entry.change.op,
        entry.change.baseRev,
        toJson(entry.change.op === 'delete' ? null : entry.change.data),
        entry.status ?? 'queued',
        0,
        toJson(entry.errors ?? null),
        entry.createdAt,
      ]),
    );
  }
}

export type QueueOutcome = 'appended' | 'replaced' | 'dropped';

/** Marks the record's newest entry still to be sent as sending again a change the restored platform lost (`restored`). */
export async function markRestored(tx: Sql, target: { dataset: string; recordId: string }, restore: PlatformRestore): Promise<void> {
  await tx.run(
    `UPDATE "outbox" SET "restored" = ? WHERE "seq" = (SELECT MAX("seq") FROM "outbox" WHERE "dataset" = ? AND "record_id" = ? AND "status" = 'queued')`,
    [JSON.stringify(restore), target.dataset, target.recordId],
  );
}

/**
 * Adds a local change for one record to the outbox: coalesced (domain
 * `coalesce`) into the record's newest entry when that entry was never sent,
 * appended otherwise. An in-flight entry is never touched.
 *
 * A quarantined entry counts as not sent: the platform refused it, so the new
 * change replaces it as a fresh attempt, under a NEW mutationId (the old id
 * has a definitive answer on the platform and must not be reused).
 *
 * `entries`: the record's entries, oldest first, if the caller read them in
 * this transaction; else they are read here.
 */
export async function queueChange(
  tx: Sql,
  target: { dataset: string; recordId: string },
  change: PendingChange,
  newId: () => string,
  now: string,
  entries?: readonly OutboxEntry[],
): Promise<QueueOutcome> {
  entries ??= await entriesForRecord(tx, target.dataset, target.recordId);
  const last = entries.at(-1);
  if (last && last.status !== 'in_flight') {
    let result: CoalesceResult = coalesce({ op: last.op, baseRev: last.baseRev, data: last.data }, change);
    // 'drop' assumes the platform never heard of the record; an earlier entry
    // still in flight may be its create, so the delete must still be sent.
    if (result.kind === 'drop' && entries.some((e) => e.status === 'in_flight')) {
      result = { kind: 'replace', entry: { op: 'delete', baseRev: last.baseRev, data: null } };
    }
    if (result.kind === 'drop') {
      await deleteEntries(tx, [last.seq]);
      return 'dropped';
    }
    if (result.kind === 'replace') {
      const fresh = last.status === 'quarantined';
      await tx.run(
        `UPDATE "outbox" SET "op" = ?, "base_rev" = ?, "data" = ?, "status" = 'queued', "errors" = NULL,
           "mutation_id" = ?, "attempts" = ?, "faults" = 0 WHERE "seq" = ?`,
        [
          result.entry.op,
          result.entry.baseRev,
          toJson(result.entry.op === 'delete' ? null : result.entry.data),
          fresh ? newId() : last.mutationId,
          fresh ? 0 : last.attempts,
          last.seq,
        ],
      );
      return 'replaced';
    }
  }
  await insertEntry(tx, { mutationId: newId(), dataset: target.dataset, recordId: target.recordId, change, createdAt: now });
  return 'appended';
}
