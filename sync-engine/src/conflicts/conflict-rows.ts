import type { ConflictField, FieldResolution, MergeSide } from '../domain/merge.js';
import type { PlatformRestore } from '../outbox/outbox-entries.js';
import type { RecordError } from '../protocol/push.js';
import type { Sql } from '../store/sql.js';
import { fromJson, placeholders, toJson, whereEqual } from '../store/sql.js';

/**
 * A conflict a person settles. 'fields', 'delete-vs-edit' and
 * 'create-collision' come from the three-way merge; 'possible-duplicate' from
 * the platform's uniqueness check (`rejected` with code `unique`), holding what
 * the agent knows of both records: it fetches nothing, the existing record may
 * be outside this office's cache.
 */
export const CONFLICT_KINDS = ['fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export interface ConflictDetails {
  /** Fields the merge resolved on its own, pre-filled on the conflict screen. */
  autoResolved?: FieldResolution[];
  /** For delete-vs-edit: which side deleted. */
  deletedSide?: 'local' | 'remote';
  /** Why the platform or local validation refused (possible duplicates, invalid merges). */
  errors?: RecordError[];
  /** The unique fields that collided. */
  uniqueFields?: string[];
  /**
   * The conflict arose from a restore of the platform from an older backup: the
   * change pushed was one the restored platform had lost, sent again
   * (outbox.restored), or was made on a rev the platform answered from below (its
   * revs went back). The national side may be OLDER than this office's; the
   * conflict screen and `conflicts show` say so. Kept while the conflict is open.
   */
  restored?: PlatformRestore;
  /**
   * The common base is unknown (domain/merge.ts mergeWithoutBase): this
   * office's synced version, written after the restored head, was lost by the
   * restore, and the platform wrote another since (sync/lost-changes.ts). Every
   * field that differs is to decide, no policy applies; a newer national
   * version refreshing the conflict is judged the same way.
   */
  baseUnknown?: true;
  /**
   * What the open conflict was before each refresh, newest last (the newest EARLIER_KEPT): the
   * state that held from `since` (its `changed_seq` then) until the next. A bulk take by filter
   * names a counted conflict refreshed after its count even when the refresh moved it out of the
   * filter, and only a counted one (bulk-by-filter.ts): it needs what the conflict was then.
   */
  earlier?: EarlierState[];
}

/** An open conflict's state as a filter reads it (kind, and its one conflicting field if it has only one), from `since`. */
export interface EarlierState {
  since: number;
  kind: ConflictKind;
  field: string | null;
}

/** How many earlier states a conflict keeps: a take spans minutes; a conflict is not refreshed twenty times meanwhile. */
const EARLIER_KEPT = 20;

/** The conflict's one conflicting field, when it has exactly one: what `onlyFieldCondition` matches. */
export function onlyFieldOf(fields: readonly Pick<ConflictField, 'field'>[]): string | null {
  return fields.length === 1 ? fields[0]!.field : null;
}

export interface ConflictRecord {
  id: string;
  dataset: string;
  recordId: string;
  kind: ConflictKind;
  base: MergeSide | null;
  local: MergeSide;
  /** The platform's version; for a possible duplicate the existing record when cached, else null. */
  remote: MergeSide | null;
  remoteRev: number | null;
  fields: ConflictField[];
  details: ConflictDetails;
  existingId: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolution: Record<string, unknown> | null;
}

interface DbConflictRow {
  id: string;
  dataset: string;
  record_id: string;
  kind: ConflictKind;
  base: string | null;
  local: string;
  remote: string | null;
  remote_rev: number | null;
  fields: string;
  details: string;
  existing_id: string | null;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

export function conflictFromDb(row: DbConflictRow): ConflictRecord {
  return {
    id: row.id,
    dataset: row.dataset,
    recordId: row.record_id,
    kind: row.kind,
    base: fromJson<MergeSide>(row.base),
    local: JSON.parse(row.local) as MergeSide,
    remote: fromJson<MergeSide>(row.remote),
    remoteRev: row.remote_rev,
    // JSON turns `undefined` (a field absent on one side) into a missing member, which reads back as undefined.
    fields: JSON.parse(row.fields) as ConflictField[],
    details: JSON.parse(row.details) as ConflictDetails,
    existingId: row.existing_id,
    status: row.status,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: fromJson<Record<string, unknown>>(row.resolution),
  };
}

/**
 * Which state of an open conflict a person decided on. A refresh (a newer
 * national version, from a pull or a push answer) always changes the platform
 * rev it was judged against, or its kind; this office's side cannot change
 * while the conflict is open (local writes are refused).
 */
export function conflictVersion(conflict: Pick<ConflictRecord, 'kind' | 'remoteRev'>): string {
  return `${conflict.kind}@${conflict.remoteRev ?? 0}`;
}

export async function getConflict(db: Sql, id: string): Promise<ConflictRecord | null> {
  const row = await db.get<DbConflictRow>('SELECT * FROM "conflicts" WHERE "id" = ?', [id]);
  return row ? conflictFromDb(row) : null;
}

export async function openConflictFor(db: Sql, dataset: string, recordId: string): Promise<ConflictRecord | null> {
  const row = await db.get<DbConflictRow>(`SELECT * FROM "conflicts" WHERE "dataset" = ? AND "record_id" = ? AND "status" = 'open'`, [
    dataset,
    recordId,
  ]);
  return row ? conflictFromDb(row) : null;
}

export type ConflictInput = Omit<ConflictRecord, 'id' | 'status' | 'createdAt' | 'resolvedAt' | 'resolution'>;

/**
 * Opens a conflict for a record, or refreshes the record's open one (one open
 * conflict per record; a newer remote version replaces the remote side). A
 * conflict that arose from a platform restore stays marked so when refreshed
 * (`details.restored`): this office's side is still the change the restore lost.
 */
export async function upsertOpenConflict(tx: Sql, input: ConflictInput, newId: () => string, now: string): Promise<{ id: string; opened: boolean }> {
  const existing = await openConflictFor(tx, input.dataset, input.recordId);
  const restored = input.details.restored ?? existing?.details.restored;
  // What it was until this refresh, for a bulk take counted before it (bulk-by-filter.ts).
  const since = existing ? (await tx.get<{ n: number }>(`SELECT "changed_seq" AS n FROM "conflicts" WHERE "id" = ?`, [existing.id]))?.n : undefined;
  const earlier =
    existing && since !== undefined
      ? [...(existing.details.earlier ?? []), { since, kind: existing.kind, field: onlyFieldOf(existing.fields) }].slice(-EARLIER_KEPT)
      : undefined;
  const details: ConflictDetails = { ...input.details, ...(restored ? { restored } : {}), ...(earlier ? { earlier } : {}) };
  const values = [
    input.kind,
    toJson(input.base),
    JSON.stringify(input.local),
    toJson(input.remote),
    input.remoteRev,
    JSON.stringify(input.fields),
    JSON.stringify(details),
    input.existingId,
  ];
  // In the agent's order: a bulk take by filter settles none opened or refreshed after its count (bulk-by-filter.ts).
  const seq = await nextConflictSeq(tx);
  if (existing) {
    await tx.run(
      `UPDATE "conflicts" SET "kind" = ?, "base" = ?, "local" = ?, "remote" = ?, "remote_rev" = ?, "fields" = ?, "details" = ?,
         "existing_id" = ?, "changed_seq" = ? WHERE "id" = ?`,
      [...values, seq, existing.id],
    );
    return { id: existing.id, opened: false };
  }
  const id = newId();
  await tx.run(
    `INSERT INTO "conflicts" ("id", "dataset", "record_id", "kind", "base", "local", "remote", "remote_rev", "fields", "details",
       "existing_id", "status", "created_at", "opened_seq", "changed_seq") VALUES ${placeholders(15)}`,
    [id, input.dataset, input.recordId, ...values, 'open', now, seq, seq],
  );
  return { id, opened: true };
}

/**
 * One past the highest `changed_seq` (store migration 0009), read in the transaction that writes it:
 * transactions run one at a time, and no conflict row is ever deleted, so it only grows.
 */
async function nextConflictSeq(tx: Sql): Promise<number> {
  return ((await tx.get<{ n: number | null }>(`SELECT MAX("changed_seq") AS n FROM "conflicts"`))?.n ?? 0) + 1;
}

/**
 * The platform said it was restored (a 410 `reason: platform_restored` with
 * `headAt`): the dataset's open conflicts marked as arising from a restore
 * whose head time was not known yet (a push answered from below, before the
 * pull learned it) take this one.
 */
export async function dateRestoredConflicts(tx: Sql, dataset: string, headAt: string): Promise<void> {
  await tx.run(
    `UPDATE "conflicts" SET "details" = json_set("details", '$.restored.headAt', ?)
     WHERE "dataset" = ? AND "status" = 'open' AND json_type("details", '$.restored') = 'object' AND json_type("details", '$.restored.headAt') = 'null'`,
    [headAt, dataset],
  );
}

/** Marks the record's open conflict resolved (if it has one); returns its id. */
export async function closeOpenConflict(
  tx: Sql,
  dataset: string,
  recordId: string,
  resolution: Record<string, unknown>,
  now: string,
): Promise<string | null> {
  const open = await openConflictFor(tx, dataset, recordId);
  if (!open) return null;
  await tx.run(`UPDATE "conflicts" SET "status" = 'resolved', "resolved_at" = ?, "resolution" = ? WHERE "id" = ?`, [
    now,
    JSON.stringify(resolution),
    open.id,
  ]);
  return open.id;
}

export interface ConflictFilter {
  status?: 'open' | 'resolved';
  dataset?: string;
  /** Only conflicts of this kind: the window's filter for many alike, applied to all of them, not to a page. */
  kind?: ConflictKind;
  /** Only conflicts whose one conflicting field is this one (a take for many alike, of that field alone). */
  field?: string;
  limit?: number;
  offset?: number;
}

/**
 * Conflicts newest first: the open ones (or all) by when they were opened,
 * the settled ones by when they were settled, so the last decisions come
 * first in the window's history and `conflicts list --resolved`.
 */
export async function listConflicts(db: Sql, filter: ConflictFilter = {}): Promise<ConflictRecord[]> {
  const { sql, params } = conflictListQuery(filter);
  return (await db.all<DbConflictRow>(sql, params)).map(conflictFromDb);
}

/** How many conflicts the filter holds (its paging aside): the total of the list the window pages through. */
export async function countConflicts(db: Sql, filter: Omit<ConflictFilter, 'limit' | 'offset'> = {}): Promise<number> {
  const { where, params } = conflictWhere(filter);
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "conflicts" ${where}`, params))?.n ?? 0;
}

function conflictWhere(filter: ConflictFilter): { where: string; params: unknown[] } {
  const equal = whereEqual({ status: filter.status || undefined, dataset: filter.dataset || undefined, kind: filter.kind || undefined });
  if (!filter.field) return equal;
  const only = onlyFieldCondition();
  return { where: equal.where ? `${equal.where} AND ${only}` : `WHERE ${only}`, params: [...equal.params, filter.field] };
}

/**
 * The conflicts whose one conflicting field is the one given (a `?`): taking a side for them takes it for that
 * field alone. A conflict with another field to decide is not one of them: a choice of one field cannot settle it
 * (domain/merge.ts applyResolution wants every conflicting field decided), and settling it would decide the others
 * unseen.
 */
export function onlyFieldCondition(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `json_array_length(${a}"fields") = 1 AND json_extract(${a}"fields", '$[0].field') = ?`;
}

/** listConflicts' statement; the settled ones are read in order on ix_conflicts_resolved (migration 0008), never sorted whole. */
export function conflictListQuery(filter: ConflictFilter): { sql: string; params: unknown[] } {
  const { where, params } = conflictWhere(filter);
  const order = filter.status === 'resolved' ? '"resolved_at" DESC, "created_at" DESC, "id" DESC' : '"created_at" DESC, "id" DESC';
  return { sql: `SELECT * FROM "conflicts" ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, params: [...params, filter.limit ?? 100, filter.offset ?? 0] };
}

