import type { EntityManager } from 'typeorm';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { PlatformStateEntity, type PlatformStateRow } from '../store/entities/platform-state.js';
import { RecordEntity } from '../store/entities/record.js';
import { readState, type PlatformStore } from '../store/platform-store.js';
import type { CursorAheadError } from './cursors.js';
import { REV_GAP, withEpochHead } from './rev-gap.js';

export interface NewEpoch {
  epoch: string;
  previousEpoch: string;
  /** The head the new epoch starts at: cursors issued from now on carry the new epoch. */
  headSeq: number;
  /** Revs the next change of each record written before the new epoch skips (rev-gap.ts). */
  revGap: number;
  /** The time of the newest change the platform held (epochHeadAt): agents create again what they wrote after it; null when it held none. */
  headAt: string | null;
}

/**
 * Starts a new cursor epoch: every pull cursor issued before is answered
 * `410 resync_required` (cursors.ts, openCursor), so each agent pulls its
 * datasets from the beginning and reconciles. A required step of restoring the
 * platform from a backup (docs/operations.md 1.11): a restored head is behind
 * what agents already pulled, and once new writes pass an agent's position its
 * cursor would be accepted again, and the changes the restore replaced under
 * that position never sent. The cursor key stays: old cursors are known to be
 * ours and stale (resync_required), not foreign (bad_cursor). The head it
 * began at is kept: the next change of every record written before it skips
 * revs (rev-gap.ts), so no rev the lost history gave out is given again. So
 * is the time of the newest change it held (epochHeadAt): a pull answered
 * resync_required for the new epoch gives it (cursors.ts), and each agent sends
 * again the records it created after it, which the restore lost.
 */
export async function startNewEpoch(store: PlatformStore): Promise<NewEpoch> {
  // Sequenced: the platform_state row lock, so no change commits between reading the head and the new epoch.
  return store.write(async (em) => begin(em, await readState(em)), { sequenced: true });
}

async function begin(em: EntityManager, state: PlatformStateRow): Promise<NewEpoch> {
  const epoch = uuidv7();
  const epochHeadAt = await newestChangeAt(em);
  await em
    .createQueryBuilder()
    .update(PlatformStateEntity)
    .set({ epoch, epochHeadSeqs: withEpochHead(state.epochHeadSeqs, state.headSeq), epochHeadAt })
    .where('id = :id', { id: state.id })
    .execute();
  return { epoch, previousEpoch: state.epoch, headSeq: state.headSeq, revGap: REV_GAP, headAt: epochHeadAt };
}

/**
 * The time of the newest change the store holds (a live record's or a
 * tombstone's updatedAt), null when it holds none. The newest of two seeks on
 * the records (deleted, updated_at) index, one per value of `deleted`: read
 * while the write lock is held (missedEpochStarter runs inside the serving
 * platform), so never a scan of every record. Not the time of the change
 * with the highest seq: a national write takes its time before it waits for
 * the lock (national-records.ts, putMany), and the clock can be set back, so a
 * later seq can carry an earlier time; a head time too early would have an
 * agent create again a record of its own that the restored platform held and
 * has deleted since (docs/reliability.md).
 */
export async function newestChangeAt(em: EntityManager): Promise<string | null> {
  let newest: string | null = null;
  for (const deleted of [false, true]) {
    const row = await newestChangeQuery(em, deleted).getRawOne<{ at: string | null }>();
    const at = row?.at ?? null;
    if (at !== null && (newest === null || at > newest)) newest = at;
  }
  return newest;
}

/** MAX(updated_at) of the live records (`deleted` false) or the tombstones: one seek on records_deleted_updated_at. */
export function newestChangeQuery(em: EntityManager, deleted: boolean) {
  return em.getRepository(RecordEntity).createQueryBuilder('r').select('MAX(r.updated_at)', 'at').where('r.deleted = :deleted', { deleted });
}

/**
 * Starts the epoch an operator missed, on the evidence of a cursor ahead of the
 * head in the current epoch (cursors.ts, CursorAheadError): only this platform
 * can seal such a cursor, and only at a position it had reached, so the
 * database went back in time. Null when an epoch has begun since (another pull
 * saw the same evidence first, or the operator ran `epoch new`).
 */
export async function startMissedEpoch(store: PlatformStore, seenEpoch: string): Promise<NewEpoch | null> {
  const state = await store.state();
  if (state.epoch !== seenEpoch) return null;
  return store.write(
    async (em) => {
      const now = await readState(em);
      if (now.epoch !== seenEpoch) return null;
      return begin(em, now);
    },
    { sequenced: true },
  );
}

/**
 * What the serving platform does with a cursor ahead of its head: starts the
 * missed epoch and says so on its log (stderr). Never throws: the pull is
 * answered `resync_required` either way.
 */
export function missedEpochStarter(store: PlatformStore, log: (line: string) => void): (seen: CursorAheadError) => Promise<void> {
  return async (seen) => {
    try {
      const started = await startMissedEpoch(store, seen.epoch);
      if (!started) return;
      log(
        `a pull cursor at seq ${seen.cursorSeq} is ahead of this database's head seq ${seen.headSeq}: the database went back in time ` +
          `(restored from a backup, or a replica that lagged) and "epoch new" was not run. Started epoch ${started.epoch} now at head seq ${started.headSeq} ` +
          `(was ${started.previousEpoch}): every agent pulls its datasets again. Changes written since the restore got no rev gap (docs/operations.md 1.11)`,
      );
    } catch (err) {
      log(`a pull cursor is ahead of this database's head (restored without "epoch new"?), and starting a new epoch failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
