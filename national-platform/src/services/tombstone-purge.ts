import { NonceEntity } from '../store/entities/agent.js';
import { PlatformStateEntity } from '../store/entities/platform-state.js';
import { RecordEntity, RecordScopeHistoryEntity } from '../store/entities/record.js';
import { readState, type PlatformStore } from '../store/platform-store.js';
import { PlatformError } from './platform-error.js';

export interface PurgeOutcome {
  purgedTombstones: number;
  /** Cursors below this seq are answered resync_required. */
  purgeHorizonSeq: number;
}

const CHUNK = 400;

/**
 * Forgets tombstones older than the retention and raises the purge horizon to
 * the newest purged one: an agent whose cursor is below it may have missed a
 * delete, so it resyncs. Also drops expired nonces. The message log, which
 * answers replayed mutations as `duplicate`, is never pruned.
 */
export async function purgeTombstones(store: PlatformStore, now: Date, olderThanSeconds: number): Promise<PurgeOutcome> {
  if (!Number.isFinite(olderThanSeconds) || olderThanSeconds < 0) throw new PlatformError('bad_request', 'the retention must be a number of seconds >= 0');
  const cutoff = new Date(now.getTime() - olderThanSeconds * 1000).toISOString();
  return store.write(
    async (em) => {
      const state = await readState(em);
      const doomed = await em
        .getRepository(RecordEntity)
        .createQueryBuilder('r')
        .select(['r.dataset', 'r.id', 'r.seq'])
        .where('r.deleted = :deleted AND r.updated_at < :cutoff', { deleted: true, cutoff })
        .getMany();
      let horizon = state.purgeHorizonSeq;
      for (let i = 0; i < doomed.length; i += CHUNK) {
        for (const [dataset, ids] of groupByDataset(doomed.slice(i, i + CHUNK))) {
          await em.createQueryBuilder().delete().from(RecordScopeHistoryEntity).where('dataset = :dataset AND record_id IN (:...ids)', { dataset, ids }).execute();
          await em.createQueryBuilder().delete().from(RecordEntity).where('dataset = :dataset AND id IN (:...ids)', { dataset, ids }).execute();
        }
      }
      for (const r of doomed) horizon = Math.max(horizon, r.seq);
      if (horizon !== state.purgeHorizonSeq) {
        await em.createQueryBuilder().update(PlatformStateEntity).set({ purgeHorizonSeq: horizon }).where('id = 1').execute();
      }
      await em.createQueryBuilder().delete().from(NonceEntity).where('expires_at < :now', { now: Math.floor(now.getTime() / 1000) }).execute();
      return { purgedTombstones: doomed.length, purgeHorizonSeq: horizon };
    },
    { sequenced: true },
  );
}

function groupByDataset(rows: { dataset: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.dataset, [...(out.get(r.dataset) ?? []), r.id]);
  return out;
}
