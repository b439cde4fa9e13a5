import { buildSearchText } from '../domain/search-fold.js';
import { mergeRecord, mergeWithoutBase, type FieldResolution, type MergeDecision, type MergeSide } from '../domain/merge.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordData, UpdatedBy } from '../protocol/records.js';
import { validateRecordData } from '../protocol/validation/index.js';
import { baseSide, deleteRecords, localSide, writeRecord, type RecordRow } from '../records/record-row.js';
import { deleteEntries, entriesForRecord, insertEntry, type PlatformRestore } from '../outbox/outbox-entries.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';
import { closeOpenConflict, openConflictFor, upsertOpenConflict } from './conflict-rows.js';

/** The platform's current version of a record, from a pull or a push `conflict` answer. */
export interface RemoteVersion {
  rev: number;
  deleted: boolean;
  data: RecordData | null;
  updatedAt: string;
  updatedBy: UpdatedBy | null;
}

/** 'unchanged': the record's open conflict was already judged against this (or a newer) platform version. */
export type ReconcileOutcome = 'adopted-remote' | 'auto-merged' | 'conflict' | 'unchanged';

export interface ReconcileOptions {
  origin: 'push' | 'pull';
  /** Pull generation to stamp on the record (resync bookkeeping). */
  pullGen?: number;
  /** The change pushed arose from a restore of the platform (apply-results.ts): a conflict it opens says so. */
  restored?: PlatformRestore | null;
  /**
   * The record's synced version is one the restore lost and the platform wrote
   * another since (sync/lost-changes.ts): the base is unknown, every differing
   * field goes to a person (mergeWithoutBase). Kept by the conflict it opens
   * (`details.baseUnknown`), so a refresh judges the same way.
   */
  baseUnknown?: boolean;
}

/**
 * Applies a newer platform version to a record that has a pending local change
 * (SYNC-PROTOCOL.md, guarantees 4 and 5): never a silent overwrite, always the
 * three-way merge on the record's base, and the engine acts on the decision:
 *
 * - identical / take-remote / both-deleted: adopt the platform's version; the
 *   pending change is dropped (it is already there, or was a no-op), and the
 *   audit says so ('merge.auto' with the decision).
 * - keep-local / merged: re-queue the local (or merged) version on the remote
 *   rev and audit 'merge.auto'. A merge that local validation refuses (fields
 *   from two sides that disagree with each other) goes to a person instead.
 * - conflict: open (or refresh) the record's conflict; audit 'conflict.opened'.
 *
 * With the base unknown (options.baseUnknown, or the open conflict says so)
 * nothing is merged: the sides are equal, or a person decides.
 *
 * Entries already in flight are left alone: their answer comes back through
 * the outbox. Every other entry of the record is replaced by the outcome.
 */
export async function reconcileWithRemote(
  tx: Sql,
  ctx: EngineContext,
  descriptor: DatasetDescriptor | null,
  row: RecordRow,
  remote: RemoteVersion,
  options: ReconcileOptions,
): Promise<ReconcileOutcome> {
  const now = isoNow(ctx);
  const open = row.state === 'conflict' ? await openConflictFor(tx, row.dataset, row.id) : null;
  if (open) {
    // A possible duplicate's remoteRev is the OTHER record's: a version of this one is always merged.
    const judged = open.kind !== 'possible-duplicate' ? open.remoteRev : null;
    if (judged !== null && remote.rev <= judged) {
      // Still stamped as seen by this pull: a resync's sweep must not take a record its snapshot held for one that left the scope.
      if (options.pullGen !== undefined && options.pullGen !== row.pullGen) await writeRecord(tx, { ...row, pullGen: options.pullGen });
      return 'unchanged';
    }
  }
  const entries = await entriesForRecord(tx, row.dataset, row.id);
  const inFlight = entries.filter((e) => e.status === 'in_flight');
  await deleteEntries(
    tx,
    entries.filter((e) => e.status !== 'in_flight').map((e) => e.seq),
  );
  const remoteSide: MergeSide = { data: remote.deleted ? null : remote.data, deleted: remote.deleted };
  const baseUnknown = options.baseUnknown === true || open?.details.baseUnknown === true;
  const input = { base: baseUnknown ? null : baseSide(row), local: localSide(row), remote: remoteSide, policies: descriptor?.fieldPolicies ?? {} };
  let decision: MergeDecision = baseUnknown ? mergeWithoutBase(input) : mergeRecord(input);
  let mergeErrors = null;
  if (decision.kind === 'merged' && descriptor) {
    const errors = validateRecordData(descriptor, decision.data, { adminUnits: ctx.adminUnits });
    if (errors.length > 0) {
      mergeErrors = errors;
      decision = {
        kind: 'conflict',
        reason: 'fields',
        // Each field one side changed, or a policy settled, is the person's to choose; one both sides
        // changed to the same value is no conflict and stays pre-filled.
        fields: decision.resolutions
          .filter((r) => r.took !== 'same')
          .map((r) => ({
            field: r.field,
            base: fieldOf(input.base?.data, r.field),
            local: fieldOf(row.data, r.field),
            remote: fieldOf(remote.data, r.field),
          })),
        autoResolved: decision.resolutions.filter((r) => r.took === 'same'),
      };
    }
  }
  const searchFields = descriptor ? searchFieldsOf(descriptor) : [];
  const pullGen = options.pullGen ?? row.pullGen;
  const withRemoteBase = (data: RecordData | null, deleted: boolean, state: RecordRow['state']): RecordRow => ({
    ...row,
    data: deleted ? null : data,
    deleted,
    rev: remote.rev,
    baseData: remoteSide.data,
    baseDeleted: remote.deleted,
    state,
    searchText: deleted || !data ? '' : buildSearchText(data, searchFields),
    updatedAt: now,
    pullGen,
  });
  const audit = (action: 'merge.auto' | 'conflict.opened', details: Record<string, unknown>) =>
    ctx.audit.append(tx, { action, actor: 'sync', dataset: row.dataset, recordId: row.id, details: { origin: options.origin, remoteRev: remote.rev, ...details } });

  switch (decision.kind) {
    case 'identical':
    case 'take-remote':
    case 'both-deleted': {
      await closeOpenConflict(tx, row.dataset, row.id, { auto: true, decision: decision.kind }, now);
      if (remote.deleted && inFlight.length === 0) await deleteRecords(tx, row.dataset, [row.id]);
      else {
        const adopted = withRemoteBase(remote.data, remote.deleted, inFlight.length > 0 ? 'waiting' : 'synced');
        await writeRecord(tx, { ...adopted, updatedAt: remote.updatedAt, updatedBy: remote.updatedBy });
      }
      // Always audited: a pending local change ends here, and the log must say where it went.
      const resolutions = resolutionsOf(decision);
      await audit('merge.auto', { decision: decision.kind, ...(resolutions.length > 0 ? { resolutions } : {}) });
      return 'adopted-remote';
    }
    case 'keep-local':
    case 'merged': {
      const deleted = decision.kind === 'keep-local' ? row.deleted : false;
      const data = decision.kind === 'merged' ? decision.data : row.data;
      await insertEntry(tx, {
        mutationId: ctx.newId(),
        dataset: row.dataset,
        recordId: row.id,
        change: { op: deleted ? 'delete' : 'upsert', baseRev: remote.rev, data: deleted ? null : data },
        createdAt: now,
      });
      await writeRecord(tx, withRemoteBase(data, deleted, 'waiting'));
      await closeOpenConflict(tx, row.dataset, row.id, { auto: true, decision: decision.kind }, now);
      await audit('merge.auto', { decision: decision.kind, resolutions: resolutionsOf(decision) });
      return 'auto-merged';
    }
    case 'conflict': {
      const { id, opened } = await upsertOpenConflict(
        tx,
        {
          dataset: row.dataset,
          recordId: row.id,
          kind: decision.reason,
          base: input.base,
          local: input.local,
          remote: remoteSide,
          remoteRev: remote.rev,
          fields: decision.fields,
          details: {
            autoResolved: decision.autoResolved,
            ...(decision.deletedSide ? { deletedSide: decision.deletedSide } : {}),
            ...(mergeErrors ? { errors: mergeErrors } : {}),
            ...(options.restored ? { restored: options.restored } : {}),
            ...(baseUnknown ? { baseUnknown: true as const } : {}),
          },
          existingId: null,
        },
        ctx.newId,
        now,
      );
      await writeRecord(tx, { ...row, state: 'conflict', pullGen });
      await audit('conflict.opened', {
        conflictId: id,
        reason: decision.reason,
        refreshed: !opened,
        fields: decision.fields.map((f) => f.field),
        ...(options.restored ? { restored: options.restored } : {}),
        ...(baseUnknown ? { baseUnknown: true } : {}),
      });
      return 'conflict';
    }
  }
}

function resolutionsOf(decision: MergeDecision): FieldResolution[] {
  return 'resolutions' in decision ? (decision.resolutions ?? []) : [];
}

function fieldOf(data: RecordData | null | undefined, field: string): unknown {
  return data && Object.hasOwn(data, field) ? data[field] : undefined;
}
