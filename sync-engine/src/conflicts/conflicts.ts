import { applyResolution, valuesEqual, type MergeDecision, type MergeInput, type MergeSide, type ResolutionChoice } from '../domain/merge.js';
import { buildSearchText } from '../domain/search-fold.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import { validateRecordData } from '../protocol/validation/index.js';
import { deleteEntries, entriesForRecord, insertEntry } from '../outbox/outbox-entries.js';
import { dropLeftScope, leftScopeMarks } from '../records/left-scope.js';
import { recordProblems } from '../records/record-checks.js';
import { deleteRecords, getRecord, writeRecord, type RecordRow } from '../records/record-row.js';
import { LocalWriteRefused, ValidationFailed } from '../records/write-errors.js';
import { StoreBusyError, storeFailureOf } from '../store/agent-store.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';
import { conflictVersion, countConflicts, getConflict, listConflicts, type ConflictFilter, type ConflictRecord } from './conflict-rows.js';

/**
 * How a person settles a conflict (PRODUCT.md, Conflicts screen):
 * - take-remote: accept the platform's version (or its delete). For a field
 *   conflict or a create collision, the national value of each conflicting
 *   field: a field only this office changed keeps that change, as if
 *   'national' were chosen on every conflicting row. For a possible
 *   duplicate: give up this office's change (same as discard-local).
 * - keep-local: send this office's version (or delete) on the platform's rev.
 *   For a field conflict or a create collision, this office's value of each
 *   conflicting field: a field only the platform changed keeps the national
 *   change (never a silent revert), as if 'local' were chosen on every row.
 * - fields: choose per field ({ take: 'local' | 'remote' } or { value }); fields
 *   the merge resolved need no choice but may be overridden. For a possible
 *   duplicate: this office's record with the values chosen (its other side is
 *   another record, of which nothing else is taken).
 * - edit: a whole new version typed by the person, e.g. a corrected personal ID
 *   for a possible duplicate ("they are two different people").
 * - discard-local: drop this office's change; the record goes back to the
 *   last agreed version, or disappears if the platform never had it.
 *
 * A record that left this office's scope while the conflict was open (a pulled
 * `removed`) leaves the cache when the choice leaves nothing of it pending
 * (take-remote, discard-local, or a choice equal to the platform's version);
 * the audit event says so (`leftScope`). See records/left-scope.ts. For such a
 * record take-remote is the national version whole (a field only this office
 * changed is not kept: the platform accepts nothing of this office's change),
 * and a choice that would send anything of this office's change (keep-local,
 * a field kept or typed, an edit) is refused (LocalWriteRefused 'left_scope'),
 * nothing written: the platform would refuse it (scope). The same holds in a
 * dataset the catalog now gives this office to read only (its `access` is
 * `read`): take-remote is the national version whole, and a choice that would
 * send anything is refused (LocalWriteRefused 'read_only'; the platform would
 * refuse it: access).
 */
export type ConflictResolution =
  | { kind: 'take-remote' }
  | { kind: 'keep-local' }
  | { kind: 'fields'; choices: Record<string, ResolutionChoice> }
  | { kind: 'edit'; data: RecordData }
  | { kind: 'discard-local' };

export type ResolveOutcome = 'adopted-remote' | 'queued' | 'discarded';

/** One conflict of a bulk action: settled, or left open with why (not tried: the busy error of an earlier one). */
export type ResolveManyResult = { id: string; ok: true; outcome: ResolveOutcome } | { id: string; ok: false; error: Error };

export interface ResolveOptions {
  /** The person deciding, for the audit log. */
  user?: string;
  /** conflictVersion of the conflict as the person saw it; absent: whatever it is now. */
  version?: string;
}

export class Conflicts {
  constructor(private readonly ctx: EngineContext) {}

  async list(filter: ConflictFilter = {}): Promise<ConflictRecord[]> {
    return listConflicts(this.ctx.store.sql, filter);
  }

  /** How many conflicts the filter holds, its paging aside. */
  async count(filter: Omit<ConflictFilter, 'limit' | 'offset'> = {}): Promise<number> {
    return countConflicts(this.ctx.store.sql, filter);
  }

  async get(id: string): Promise<ConflictRecord | null> {
    return getConflict(this.ctx.store.sql, id);
  }

  async countOpen(dataset?: string): Promise<number> {
    const row = await this.ctx.store.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "conflicts" WHERE "status" = 'open' ${dataset ? 'AND "dataset" = ?' : ''}`,
      dataset ? [dataset] : [],
    );
    return row?.n ?? 0;
  }

  /**
   * Settles one open conflict in one transaction: the record, its outbox entry
   * (a new mutation on the platform's rev when this office's version is kept),
   * the conflict row, and an audit event with who and which choices.
   * Throws ValidationFailed when the chosen data, to be sent, is not valid (nothing written);
   * the platform's version adopted as it is goes unchecked: nothing of it is sent.
   * Refuses, writing nothing, a conflict settled meanwhile (another window, the
   * CLI, or a sync that merged it) and, with `version`, one a newer national
   * version refreshed since the person looked (conflictVersion): their choice
   * was made against data that is no longer the platform's.
   */
  async resolve(id: string, resolution: ConflictResolution, options: ResolveOptions = {}): Promise<ResolveOutcome> {
    const identity = await this.ctx.credentials.identity(this.ctx.store.sql);
    return this.ctx.store.transaction(async (tx) => {
      const conflict = await getConflict(tx, id);
      checkStillOpen(conflict, id, options.version);
      const descriptor = await this.ctx.catalog.get(tx, conflict.dataset);
      const record = await getRecord(tx, conflict.dataset, conflict.recordId);
      const away = (await leftScopeMarks(tx, [conflict]))(conflict.dataset, conflict.recordId);
      // The catalog now gives this office the dataset to read only: the platform would refuse any change (access).
      const readOnly = descriptor !== null && descriptor.access !== 'read-write';
      const target = this.target(conflict, resolution, descriptor, record, away || readOnly);
      const sending = record !== null && sends(target, baseOf(conflict, record));
      // The platform accepts nothing of this office's change of a record that left its scope: nothing is sent again.
      if (away && sending) throw LocalWriteRefused.keepLeftScope(conflict.recordId);
      if (readOnly && sending) throw LocalWriteRefused.keepReadOnly(descriptor.title);
      // Checked is what goes up; the platform's own version, adopted as it is, is not (a newer schema may not fit it yet).
      if (sending && target.kind === 'side' && !target.side.deleted && descriptor) {
        const problems = identity
          ? recordProblems(descriptor, target.side.data, identity.scope, this.ctx.adminUnits)
          : validateRecordData(descriptor, target.side.data, { adminUnits: this.ctx.adminUnits });
        if (problems.length > 0) throw new ValidationFailed(problems);
      }
      const outcome = record ? await this.apply(tx, conflict, record, descriptor, target) : 'discarded';
      // A record that left this office's scope meanwhile leaves the cache once nothing of it is pending.
      const leftScope = (await dropLeftScope(tx, conflict.dataset, [conflict.recordId])).length > 0;
      const now = isoNow(this.ctx);
      const settled = { ...resolution, user: options.user ?? 'local', outcome, ...(leftScope ? { leftScope } : {}) };
      await tx.run(`UPDATE "conflicts" SET "status" = 'resolved', "resolved_at" = ?, "resolution" = ? WHERE "id" = ?`, [now, JSON.stringify(settled), id]);
      await this.ctx.audit.append(tx, {
        action: 'conflict.resolved',
        actor: options.user ?? 'local',
        dataset: conflict.dataset,
        recordId: conflict.recordId,
        details: { conflictId: id, kind: conflict.kind, resolution, outcome, ...(leftScope ? { leftScope } : {}) },
      });
      return outcome;
    });
  }

  /**
   * Bulk action for many alike conflicts; each one settles (or fails) on its own
   * transaction. With `versions`, a conflict a newer national version refreshed
   * since the person looked is skipped (LocalWriteRefused 'conflict_changed',
   * left open) while the others settle: the person chose for the ones they saw.
   * An id without a version settles on whatever the conflict is now.
   *
   * A conflict refused because the data file is busy (another process kept its
   * write lock past the busy timeout: StoreBusyError, or the bare SQLITE_BUSY)
   * ends the bulk action there: each later conflict would wait the same timeout
   * for the same lock (100 of them, minutes). The ones not tried are answered
   * with that same error, left open and untouched. Any other
   * failure is that conflict's alone and the next one is tried.
   */
  async resolveMany(
    ids: readonly string[],
    resolution: ConflictResolution,
    options: Omit<ResolveOptions, 'version'> & { versions?: Readonly<Record<string, string>> } = {},
  ): Promise<ResolveManyResult[]> {
    const out: ResolveManyResult[] = [];
    const versions = new Map(Object.entries(options.versions ?? {}));
    for (const [i, id] of ids.entries()) {
      try {
        out.push({ id, ok: true, outcome: await this.resolve(id, resolution, { user: options.user, version: versions.get(id) }) });
      } catch (error) {
        out.push({ id, ok: false, error: error as Error });
        if (storeFailureOf(this.ctx.store.file, error) instanceof StoreBusyError) {
          for (const untried of ids.slice(i + 1)) out.push({ id: untried, ok: false, error: error as Error });
          break;
        }
      }
    }
    return out;
  }

  /** What the record becomes: a version to keep (or send), or a revert to the agreed base. */
  private target(
    conflict: ConflictRecord,
    resolution: ConflictResolution,
    descriptor: DatasetDescriptor | null,
    record: RecordRow | null,
    nationalOnly: boolean,
  ): Target {
    const duplicate = conflict.kind === 'possible-duplicate';
    // Taking one side of a field merge decides only the conflicting fields; the rest keep the merge's result.
    const byField = conflict.kind === 'fields' || conflict.kind === 'create-collision';
    const merged = (choices: Record<string, ResolutionChoice>): { kind: 'side'; side: MergeSide } => {
      const input: MergeInput = {
        base: conflict.base,
        local: conflict.local,
        remote: conflict.remote ?? { data: null, deleted: true },
        policies: descriptor?.fieldPolicies ?? {},
      };
      // The decision the person was shown (its fields to choose, those the merge resolved by a field's policy), not
      // the one a catalog fetched since, with other policies, would make: a choice means what it meant on screen.
      // A possible duplicate's other side is ANOTHER record: nothing of it is merged in; the choices change this office's record.
      const shown: MergeDecision =
        conflict.kind === 'possible-duplicate'
          ? { kind: 'keep-local' }
          : { kind: 'conflict', reason: conflict.kind, fields: conflict.fields, autoResolved: conflict.details.autoResolved ?? [] };
      return { kind: 'side', side: { data: applyResolution(input, choices, shown), deleted: false } };
    };
    switch (resolution.kind) {
      case 'discard-local':
        return { kind: 'revert' };
      case 'take-remote':
        if (duplicate || !conflict.remote) return { kind: 'revert' };
        // Out of scope or read-only here, nothing of this office's change can go up: the national version whole.
        if (nationalOnly) return { kind: 'side', side: conflict.remote };
        return byField ? merged(everyConflictingField(conflict, 'remote')) : { kind: 'side', side: conflict.remote };
      case 'keep-local':
        if (byField) return merged(everyConflictingField(conflict, 'local'));
        return { kind: 'side', side: record ? { data: record.deleted ? null : record.data, deleted: record.deleted } : conflict.local };
      case 'edit':
        return { kind: 'side', side: { data: resolution.data, deleted: false } };
      case 'fields':
        return merged(resolution.choices);
    }
  }

  private async apply(
    tx: Sql,
    conflict: ConflictRecord,
    record: RecordRow,
    descriptor: DatasetDescriptor | null,
    target: Target,
  ): Promise<ResolveOutcome> {
    const now = isoNow(this.ctx);
    const entries = await entriesForRecord(tx, record.dataset, record.id);
    const inFlight = entries.some((e) => e.status === 'in_flight');
    await deleteEntries(tx, entries.filter((e) => e.status !== 'in_flight').map((e) => e.seq));
    const searchOf = (data: RecordData | null) => (data && descriptor ? buildSearchText(data, searchFieldsOf(descriptor)) : '');
    const base = baseOf(conflict, record);

    if (target.kind === 'revert') {
      if (base.rev === null || base.baseDeleted) {
        if (!inFlight) await deleteRecords(tx, record.dataset, [record.id]);
        return 'discarded';
      }
      await writeRecord(tx, { ...record, ...base, data: base.baseData, deleted: false, state: inFlight ? 'waiting' : 'synced', searchText: searchOf(base.baseData), updatedAt: now });
      return 'discarded';
    }

    const side = target.side;
    if (!sends(target, base)) {
      // The chosen version is what the platform already has: nothing to send.
      if (side.deleted && !inFlight) await deleteRecords(tx, record.dataset, [record.id]);
      else await writeRecord(tx, { ...record, ...base, data: side.data, deleted: side.deleted, state: inFlight ? 'waiting' : 'synced', searchText: searchOf(side.data), updatedAt: now });
      return 'adopted-remote';
    }
    await insertEntry(tx, {
      mutationId: this.ctx.newId(),
      dataset: record.dataset,
      recordId: record.id,
      change: { op: side.deleted ? 'delete' : 'upsert', baseRev: base.rev, data: side.deleted ? null : side.data },
      createdAt: now,
    });
    await writeRecord(tx, { ...record, ...base, data: side.deleted ? null : side.data, deleted: side.deleted, state: 'waiting', searchText: searchOf(side.deleted ? null : side.data), updatedAt: now });
    return 'queued';
  }
}

/** What a choice makes of the record: a version to keep (or send), or a revert to the agreed base. */
type Target = { kind: 'side'; side: MergeSide } | { kind: 'revert' };

/** The version the record is settled on: a merge conflict's new base is the platform's version it was judged against. */
function baseOf(conflict: ConflictRecord, record: RecordRow): Pick<RecordRow, 'rev' | 'baseData' | 'baseDeleted'> {
  const onRemote = conflict.kind !== 'possible-duplicate' && conflict.remote !== null && conflict.remoteRev !== null;
  return onRemote
    ? { rev: conflict.remoteRev, baseData: conflict.remote?.deleted ? null : (conflict.remote?.data ?? null), baseDeleted: conflict.remote?.deleted ?? false }
    : { rev: record.rev, baseData: record.baseData, baseDeleted: record.baseDeleted };
}

/** Whether settling on `target` queues a change for the platform: a version other than what it already has (`base`). */
function sends(target: Target, base: Pick<RecordRow, 'rev' | 'baseData' | 'baseDeleted'>): boolean {
  if (target.kind === 'revert') return false;
  const side = target.side;
  return !(base.rev !== null && side.deleted === base.baseDeleted && (side.deleted || valuesEqual(side.data, base.baseData)));
}

/** The same side chosen on each of the conflict's field rows. */
function everyConflictingField(conflict: ConflictRecord, take: 'local' | 'remote'): Record<string, ResolutionChoice> {
  return Object.fromEntries(conflict.fields.map((f) => [f.field, { take }]));
}

/** Throws unless `conflict` is open and, when the caller names the version it saw, still that version. */
export function checkStillOpen(conflict: ConflictRecord | null, id: string, version: string | undefined): asserts conflict is ConflictRecord {
  if (!conflict) throw LocalWriteRefused.of('not_found', id);
  if (conflict.status !== 'open') {
    const settled = conflict.resolution ?? {};
    const by = settled['auto'] === true ? '' : typeof settled['user'] === 'string' ? settled['user'] : '';
    throw LocalWriteRefused.of('conflict_settled', by);
  }
  if (version !== undefined && version !== conflictVersion(conflict)) throw LocalWriteRefused.of('conflict_changed', id);
}
