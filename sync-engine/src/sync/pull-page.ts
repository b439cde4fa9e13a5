import { buildSearchText } from '../domain/search-fold.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import { isRemoval, type PullPage, type PulledRecordChange } from '../protocol/pull.js';
import { reconcileWithRemote, type RemoteVersion } from '../conflicts/reconcile.js';
import { clearLeftScope, markLeftScope, markMissingFromSnapshot } from '../records/left-scope.js';
import { deleteRecords, getRecordsForPull, markDigestStale, writePulledRecords, writeRecords, type PulledVersion, type RecordRow } from '../records/record-row.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';
import { endResync, saveCursor, type CursorState } from './cursor-store.js';
import { resendLostChanges, resendLostCreates, ThisOffice, type LostChange } from './lost-changes.js';

export interface PageOutcome {
  /** Changes written to the cache as they came (new, updated, deleted, removed). */
  applied: number;
  conflicts: number;
  autoMerged: number;
  /** Records dropped by a resync sweep (not seen in the snapshot, no pending change). */
  swept: number;
  /** Changes of this office the platform had lost (restored from a backup), queued again (lost-changes.ts). */
  resent: number;
}

/** Test seam: runs inside the page's transaction after the records, before the cursor. */
export type BeforeCursorHook = (dataset: string, page: PullPage) => void | Promise<void>;

/**
 * Applies one pulled page AND its cursor in ONE transaction (SYNC-PROTOCOL.md,
 * guarantee 3): a crash anywhere leaves either the page with its cursor or
 * neither, and the next pull starts from the last stored cursor.
 *
 * Per change, against the cached record:
 * - no pending local change ('synced', or not cached): overwritten, base =
 *   remote; multi-row INSERT ... ON CONFLICT for the whole page. A change older
 *   than the cached rev is ignored (never go backwards), but in a resync: the
 *   snapshot is the platform as it is now, which a restore from a backup may
 *   have put back to an older rev (kept, the digest would never match again).
 *   A pending change made on the newer rev is sent on it and answered
 *   `conflict` with the platform's version, which the merge takes up. A
 *   synced newer version this office wrote is not taken back: it is queued
 *   again on the snapshot's version (sync/lost-changes.ts). In a resync the
 *   platform asked for because it was restored, a synced version this office
 *   wrote after the restored head, which the snapshot holds at a rev not
 *   below with other data someone else wrote, is not overwritten either: a
 *   conflict for a person, the base unknown, marked restored (lost-changes.ts).
 * - pending local change ('waiting' / 'rejected' / 'conflict'): never silently
 *   overwritten: three-way merge through reconcileWithRemote (rare, per row).
 * - tombstone: the cached record is deleted (or merged, if it has a pending change).
 * - `removed` (left this office's scope): a synced record is dropped from the
 *   cache; a record with a pending change is KEPT, so the change still reaches
 *   the platform and comes back as applied, conflict or rejected for a person,
 *   and marked (records/left-scope.ts): it leaves the cache once nothing of it
 *   is pending. A later version of a marked record (back in scope) clears it.
 * - the last page of a resync: cached records the snapshot lacked are swept if
 *   synced, kept and marked as after a `removed` if a change of theirs is pending;
 *   in a resync the platform asked for because it was restored, a synced one
 *   this office wrote after the restored head is queued again as a create.
 */
export async function applyPullPage(
  tx: Sql,
  ctx: EngineContext,
  descriptor: DatasetDescriptor,
  page: PullPage,
  state: CursorState,
  beforeCursor?: BeforeCursorHook,
): Promise<PageOutcome> {
  const dataset = descriptor.name;
  const now = isoNow(ctx);
  const searchFields = searchFieldsOf(descriptor);
  const outcome: PageOutcome = { applied: 0, conflicts: 0, autoMerged: 0, swept: 0, resent: 0 };
  // The feed is compacted (one entry per record); should a page repeat an id, its last entry wins.
  const latest = new Map(page.changes.map((c) => [c.id, c]));
  // In a resync after a restore, also the synced versions written after its head: what the restore lost (lost-changes.ts).
  const cached = await getRecordsForPull(tx, dataset, latest, state.resyncing ? state.restoredHeadAt : null);

  const writes: RecordRow[] = [];
  const pulled: PulledVersion[] = [];
  const drops: string[] = [];
  // baseUnknown: this office's synced version, lost by the restore, against one the platform wrote since (lost-changes.ts).
  const merges: Array<{ row: RecordRow; remote: RemoteVersion; baseUnknown?: true }> = [];
  const lost: LostChange[] = [];
  const office = new ThisOffice(tx, ctx);
  // Records with a pending change that left the scope, and that (again) have a platform version.
  const leftScope: string[] = [];
  const inScope: string[] = [];
  for (const change of latest.values()) {
    const local = cached.get(change.id);
    if (isRemoval(change)) {
      if (local?.state === 'synced') drops.push(change.id);
      else if (local) leftScope.push(change.id);
      if (local) outcome.applied += 1;
      continue;
    }
    const remote = remoteOf(change);
    if (local && local.state !== 'synced') {
      inScope.push(change.id);
      if (local.rev !== null && remote.rev <= local.rev) writes.push({ ...local, pullGen: state.generation });
      else merges.push({ row: local, remote });
      continue;
    }
    // Never go backwards, except in a resync: its snapshot is the platform as it is, and a rev
    // below the cached one means the platform went back (restored from a backup). What this
    // office wrote and the platform lost is sent again on the snapshot's version (lost-changes.ts).
    if (local && local.rev !== null && remote.rev < local.rev) {
      if (!state.resyncing) {
        writes.push({ ...local, pullGen: state.generation });
        continue;
      }
      if (await office.lostHere(local, remote)) {
        lost.push({ row: local, remote });
        continue;
      }
    } else if (local && state.resyncing && state.restoredHeadAt !== null && (await office.lostUnder(local, remote, state.restoredHeadAt))) {
      // Written here after the restored head, so lost by the restore; the platform changed the record since: a person decides.
      merges.push({ row: local, remote, baseUnknown: true });
      continue;
    }
    outcome.applied += 1;
    if (remote.deleted) {
      if (local) drops.push(change.id);
      continue;
    }
    const { data, rev, updatedAt, updatedBy } = remote;
    pulled.push({ id: change.id, data, rev, searchText: data ? buildSearchText(data, searchFields) : '', updatedAt, updatedBy });
  }
  await writePulledRecords(tx, dataset, state.generation, pulled);
  await writeRecords(tx, writes);
  await deleteRecords(tx, dataset, drops);
  await markLeftScope(tx, dataset, leftScope, now);
  await clearLeftScope(tx, dataset, inScope);
  outcome.resent = await resendLostChanges(tx, ctx, lost, state.generation, state.restoredHeadAt, now);
  for (const { row, remote, baseUnknown } of merges) {
    const restored = baseUnknown ? { baseUnknown, restored: { headAt: state.restoredHeadAt } } : {};
    const result = await reconcileWithRemote(tx, ctx, descriptor, row, remote, { origin: 'pull', pullGen: state.generation, ...restored });
    if (result !== 'unchanged') outcome.applied += 1;
    if (result === 'conflict') outcome.conflicts += 1;
    if (result === 'auto-merged') outcome.autoMerged += 1;
  }

  if (beforeCursor) await beforeCursor(dataset, page);
  if (!page.hasMore && state.resyncing) {
    // The platform was restored: what this office created after its newest change is sent again, not swept (lost-changes.ts).
    if (state.restoredHeadAt !== null) outcome.resent += await resendLostCreates(tx, ctx, dataset, state.generation, state.restoredHeadAt, now);
    // Not in the snapshot: a synced record is swept; one with a pending change is kept and marked, as at a `removed`.
    const leftWithChange = await markMissingFromSnapshot(tx, dataset, state.generation, now);
    outcome.swept = await tx.run(`DELETE FROM "records" WHERE "dataset" = ? AND "pull_gen" < ? AND "state" = 'synced'`, [
      dataset,
      state.generation,
    ]);
    await markDigestStale(tx, [dataset]);
    await endResync(tx, dataset);
    const kept = leftWithChange.length > 0 ? { keptLeftScope: leftWithChange.length } : {};
    await ctx.audit.append(tx, { action: 'resync', actor: 'sync', dataset, details: { generation: state.generation, swept: outcome.swept, ...kept } });
  }
  await saveCursor(tx, dataset, page.cursor, !page.hasMore, now);
  return outcome;
}

function remoteOf(change: PulledRecordChange): RemoteVersion {
  return {
    rev: change.rev,
    deleted: change.deleted,
    data: change.deleted ? null : (change.data ?? null),
    updatedAt: change.updatedAt,
    updatedBy: change.updatedBy,
  };
}
