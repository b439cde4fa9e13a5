import type { EntityManager } from 'typeorm';
import { AgentEntity } from '../store/entities/agent.js';
import { SiteEntity } from '../store/entities/site.js';
import { RecordEntity } from '../store/entities/record.js';
import { readState, type PlatformStore } from '../store/platform-store.js';
import { newestChangeAt } from './epoch.js';
import { PlatformError } from './platform-error.js';
import { parseEpochHeadSeqs, REV_GAP } from './rev-gap.js';

/**
 * What an operator command that cannot be undone would do, read from the
 * database before it runs (`epoch new`, `purge`): the CLI says it and asks
 * first (cli/consent.ts), and `--dry-run` says only this. Nothing here writes.
 */

/** The agents the platform knows, by status. */
export interface AgentCounts {
  active: number;
  pending: number;
  /** Sites with at least one active agent: the offices that sync. */
  sitesWithActiveAgents: number;
}

export interface EpochImpact {
  epoch: string;
  headSeq: number;
  /** The newest change held (epoch.ts, newestChangeAt): agents create again what they wrote after it; null when none held. */
  headAt: string | null;
  sites: number;
  agents: AgentCounts;
  /** Every record held: each active agent pulls the live ones of its scope again. */
  liveRecords: number;
  tombstones: number;
  /** Revs the next change of each record held skips (rev-gap.ts): liveRecords + tombstones records, for good. */
  revGap: number;
  /** Epochs begun before on this database (status's epochHeadSeqs). */
  epochsBegun: number;
}

export interface PurgeImpact {
  /** Deletions made before this instant are forgotten (the purge's `now` minus the retention). */
  cutoff: string;
  /** Tombstones that would be forgotten. */
  tombstones: number;
  purgeHorizonSeq: { from: number; to: number };
  /** When the deletion at the new horizon was made; null when the horizon does not move. */
  horizonAt: string | null;
  agents: AgentCounts;
  /**
   * Active agents last seen before horizonAt, or never: their position is
   * older than the new horizon, so they are answered 410 resync_required and
   * pull everything again. At least these: one seen since may still hold an
   * older position (a pull that stopped before it). 0 when the horizon does not move.
   */
  agentsBehind: number;
  /** The sites of those agents. */
  sitesBehind: number;
}

export async function epochImpact(store: PlatformStore): Promise<EpochImpact> {
  return store.read(async (em) => {
    const state = await readState(em);
    const records = em.getRepository(RecordEntity);
    return {
      epoch: state.epoch,
      headSeq: state.headSeq,
      headAt: await newestChangeAt(em),
      sites: await em.getRepository(SiteEntity).count(),
      agents: await agentCounts(em),
      liveRecords: await records.countBy({ deleted: false }),
      tombstones: await records.countBy({ deleted: true }),
      revGap: REV_GAP,
      epochsBegun: parseEpochHeadSeqs(state.epochHeadSeqs).length,
    };
  });
}

/** The tombstones purgeTombstones(store, now, olderThanSeconds) would forget, and the agents it would send back to the start. */
export async function purgeImpact(store: PlatformStore, now: Date, olderThanSeconds: number): Promise<PurgeImpact> {
  if (!Number.isFinite(olderThanSeconds) || olderThanSeconds < 0) throw new PlatformError('bad_request', 'the retention must be a number of seconds >= 0');
  const cutoff = new Date(now.getTime() - olderThanSeconds * 1000).toISOString();
  return store.read(async (em) => {
    const state = await readState(em);
    const doomed = () => em.getRepository(RecordEntity).createQueryBuilder('r').where('r.deleted = :deleted AND r.updated_at < :cutoff', { deleted: true, cutoff });
    const tombstones = await doomed().getCount();
    const newest = await doomed().select(['r.seq', 'r.updatedAt']).orderBy('r.seq', 'DESC').limit(1).getOne();
    const to = Math.max(state.purgeHorizonSeq, newest?.seq ?? 0);
    const horizonAt = newest && to > state.purgeHorizonSeq ? newest.updatedAt : null;
    const active = await em.getRepository(AgentEntity).findBy({ status: 'active' });
    const behind = horizonAt === null ? [] : active.filter((a) => a.lastSeenAt === null || a.lastSeenAt < horizonAt);
    return {
      cutoff,
      tombstones,
      purgeHorizonSeq: { from: state.purgeHorizonSeq, to },
      horizonAt,
      agents: await agentCounts(em, active),
      agentsBehind: behind.length,
      sitesBehind: new Set(behind.map((a) => a.siteCode)).size,
    };
  });
}

/** `active`: the active agents, when already read. */
async function agentCounts(em: EntityManager, active?: { siteCode: string }[]): Promise<AgentCounts> {
  const repo = em.getRepository(AgentEntity);
  const rows = active ?? (await repo.findBy({ status: 'active' }));
  return { active: rows.length, pending: await repo.countBy({ status: 'pending' }), sitesWithActiveAgents: new Set(rows.map((a) => a.siteCode)).size };
}
