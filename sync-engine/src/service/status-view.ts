import type { AgentStatusView, DatasetStatus } from '../api/views.js';
import type { HealthAssessment, LatencyBucket } from '../domain/health.js';
import { Conflicts } from '../conflicts/conflicts.js';
import { Outbox } from '../outbox/outbox.js';
import type { EngineContext } from '../store/engine-context.js';
import { allCursorStates, hasUnsettledChanges, storedDigests } from '../sync/index.js';
import { lastSuccessfulRunAt } from '../sync/run-history.js';
import type { AgentSettings } from './agent-settings.js';
import { holderProcess } from '../domain/lease.js';
import { liveCounts, rejectedCounts } from './record-views.js';

export interface StatusInputs {
  ctx: EngineContext;
  settings: AgentSettings;
  health: HealthAssessment;
  latency: LatencyBucket[];
  /** The standing refusal of this agent's identity (agent_revoked, agent_pending, ...), or null. */
  refusal: string | null;
  syncing: boolean;
  nextSyncAt: number | null;
  /** The id of another live process holding the data folder's lease, or null. */
  leaseHolder: string | null;
}

/**
 * The Overview in one object (PRODUCT.md, "What the window shows"): enrollment,
 * connection health, last and next sync (or the other process that syncs), outbox depth and age, conflicts,
 * rejections and, apart from them, changes held back for the platform's failures, and per dataset its size, freshness and digest agreement.
 */
export async function buildStatus(inputs: StatusInputs): Promise<AgentStatusView> {
  const { ctx } = inputs;
  const db = ctx.store.sql;
  const settings = await inputs.settings.read();
  const identity = await ctx.credentials.identity(db);
  const outbox = await new Outbox(ctx).stats();
  const openConflicts = await new Conflicts(ctx).countOpen();
  const rejected = await rejectedCounts(db);
  const lastRun = await db.get<{ finished_at: string; status: string; conflicts: number }>(
    `SELECT "finished_at", "status", "conflicts" FROM "sync_runs" WHERE "finished_at" IS NOT NULL ORDER BY rowid DESC LIMIT 1`,
  );
  const lastSuccessAt = lastRun === undefined || lastRun.status === 'ok' ? (lastRun?.finished_at ?? null) : await lastSuccessfulRunAt(db);

  return {
    enrollment: enrollmentState(settings.platformUrl, identity?.status ?? null, inputs.refusal),
    siteCode: identity?.siteCode ?? settings.siteCode,
    platformUrl: settings.platformUrl,
    health: {
      state: inputs.health.state,
      reason: { vi: inputs.health.reason.vi, en: inputs.health.reason.en },
      code: inputs.health.reason.code,
      latencyMs: inputs.health.latencyMs,
      at: inputs.health.at === null ? null : new Date(inputs.health.at).toISOString(),
    },
    latency: inputs.latency.map((b) => ({ at: b.at, p50: b.p50, failures: b.failures })),
    syncing: inputs.syncing,
    lastSync: lastRun ? { at: lastRun.finished_at, status: runStatus(lastRun.status, lastRun.conflicts) } : null,
    lastSuccessAt,
    nextSyncAt: inputs.nextSyncAt === null ? null : new Date(inputs.nextSyncAt).toISOString(),
    leaseHeldBy: inputs.leaseHolder === null ? null : holderProcess(inputs.leaseHolder),
    outbox: { depth: outbox.queued + outbox.inFlight, oldestAt: outbox.oldestPendingAt, quarantined: outbox.quarantined },
    openConflicts,
    rejected: rejected.refused,
    platformFaults: rejected.platformFaults,
    datasets: await datasetStatuses(ctx),
  };
}

function enrollmentState(platformUrl: string | null, status: string | null, refusal: string | null): AgentStatusView['enrollment'] {
  if (refusal === 'agent_revoked') return 'revoked';
  if (refusal === 'agent_pending') return 'pending';
  if (status !== null) return status === 'pending' ? 'pending' : status === 'revoked' ? 'revoked' : 'active';
  return platformUrl === null ? 'not_initialised' : 'not_enrolled';
}

function runStatus(status: string, conflicts: number): string {
  if (status === 'ok') return conflicts > 0 ? 'conflicts' : 'ok';
  return status === 'partial' ? 'failed' : status;
}

async function datasetStatuses(ctx: EngineContext): Promise<DatasetStatus[]> {
  const db = ctx.store.sql;
  const [catalog, counts, cursors, digests] = await Promise.all([ctx.catalog.list(db), liveCounts(ctx.store), allCursorStates(db), storedDigests(db)]);
  const freshAt = new Map(cursors.map((c) => [c.dataset, c.caughtUpAt]));
  const unsettled = await Promise.all(catalog.map((d) => hasUnsettledChanges(db, d.name)));
  return catalog.map((d, i) => ({
    dataset: d.name,
    title: d.title,
    records: counts.get(d.name) ?? 0,
    freshAt: freshAt.get(d.name) ?? null,
    digest: digestNow(digests[d.name]?.status, unsettled[i] === true),
  }));
}

/**
 * The digest agreement as of now: a match (or no check yet) says nothing true
 * once this office has changed the dataset since, until those changes are
 * settled, so it reads as the check would ('pending'). A mismatch stays: the
 * next sync catches up on it.
 */
function digestNow(stored: DatasetStatus['digest'] | undefined, unsettled: boolean): DatasetStatus['digest'] {
  if (stored === 'mismatch') return stored;
  return unsettled ? 'pending' : (stored ?? 'unknown');
}
