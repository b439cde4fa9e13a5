import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { PlatformStateEntity } from '../store/entities/platform-state.js';
import { readState, type PlatformStore } from '../store/platform-store.js';
import { REV_GAP, withEpochHead } from './rev-gap.js';

export interface NewEpoch {
  epoch: string;
  previousEpoch: string;
  /** The head the new epoch starts at: cursors issued from now on carry the new epoch. */
  headSeq: number;
  /** Revs the next change of each record written before the new epoch skips (rev-gap.ts). */
  revGap: number;
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
 * revs (rev-gap.ts), so no rev the lost history gave out is given again.
 */
export async function startNewEpoch(store: PlatformStore): Promise<NewEpoch> {
  // Sequenced: the platform_state row lock, so no change commits between reading the head and the new epoch.
  return store.write(
    async (em) => {
      const state = await readState(em);
      const epoch = uuidv7();
      await em.createQueryBuilder().update(PlatformStateEntity).set({ epoch, epochHeadSeqs: withEpochHead(state.epochHeadSeqs, state.headSeq) }).where('id = :id', { id: state.id }).execute();
      return { epoch, previousEpoch: state.epoch, headSeq: state.headSeq, revGap: REV_GAP };
    },
    { sequenced: true },
  );
}
