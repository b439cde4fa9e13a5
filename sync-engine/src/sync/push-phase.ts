import type { Outbox, OutboxBatch } from '../outbox/outbox.js';
import type { MutationResult } from '../protocol/push.js';
import { outboxRecordKey } from '../outbox/outbox-entries.js';
import { PushAnswerMismatch } from '../outbox/apply-results.js';
import type { PlatformClient } from './ports.js';
import { PlatformError } from './platform-error.js';
import { AGENT_MAX_BODY_BYTES, AGENT_MAX_PUSH_BATCH } from './push-limits.js';

export interface PushTotals {
  pushed: number;
  conflicts: number;
  rejected: number;
  autoMerged: number;
  datasets: Set<string>;
}

export interface PushOptions {
  /** Mutations per push at most (the agent's own maximum bounds it too). */
  batchSize: number;
  /** The platform's body cap (default the agent's own, 4 MiB): a batch's serialized size stays under it with BODY_MARGIN. */
  bodyBytes?: number;
  /** Bound on batches per run: an auto-merge re-queues, and a busy platform could keep a loop alive. */
  maxBatches: number;
  onBatch?: (applied: number, conflicts: number, rejected: number, hasMore: boolean) => void;
}

/** Whole-request refusals that one bad mutation can cause: split the batch to find it. */
function isBatchRefusal(error: PlatformError): boolean {
  return error.kind === 'http' && (error.status === 413 || error.status === 400);
}

/** Part of the body cap a batch may use, for the estimate's slack (the body's own brackets, a number written differently). */
const BODY_MARGIN = 1 / 16;

/**
 * Batches out at once, unanswered. While the platform judges batch n (its
 * checks, its transaction and fsync), the agent reads and sends batch n+1, so
 * the platform starts on it as soon as n commits. Deeper pipelines (3, 4)
 * measured no faster (docs/performance.md, scenario 3).
 */
export const PUSH_PIPELINE_DEPTH = 2;

/**
 * Pushes the outbox in batches until it is empty or the platform cannot be
 * reached. Throws the PlatformError that stopped it (entries sent stay
 * in_flight and go again, under the same mutationIds, next time).
 *
 * Up to PUSH_PIPELINE_DEPTH batches are out at once. The outbox's rule of one
 * mutation in flight per record still holds: a record with a batch out is
 * skipped when the next batch is read, so batches never share a record and
 * their answers can be stored in whatever order they arrive. After a failure
 * no new batch is sent; the ones already out are waited for (an answer that
 * arrives is stored), then the first failure is thrown.
 *
 * A batch holds at most `batchSize` mutations and stops short of the body cap
 * (Outbox.nextBatch's byte bound), so big records do not bounce off 413. A 413
 * or 400 for the whole request still halves the batch; a single mutation still
 * refused is settled as a `rejected` answer: held back (quarantined) with the
 * platform's reason, so it never blocks the rest, or, when a newer edit of its
 * record is already queued, superseded by that edit, which is judged on its own.
 */
export async function pushOutbox(outbox: Outbox, client: PlatformClient, options: PushOptions, totals: PushTotals): Promise<void> {
  const max = Math.max(1, Math.min(options.batchSize, AGENT_MAX_PUSH_BATCH));
  const bodyBytes = Math.min(options.bodyBytes ?? AGENT_MAX_BODY_BYTES, AGENT_MAX_BODY_BYTES);
  const byteBudget = Math.floor(bodyBytes * (1 - BODY_MARGIN));
  let size = max;
  let failure: { error: unknown } | null = null;
  const busy = new Set<string>();
  const out = new Set<Promise<void>>();

  const send = async (batch: OutboxBatch): Promise<void> => {
    let response;
    try {
      response = await client.push(batch.mutations);
    } catch (error) {
      if (!(error instanceof PlatformError) || !isBatchRefusal(error)) throw error;
      if (batch.entries.length > 1) {
        size = Math.max(1, Math.min(size, Math.ceil(batch.entries.length / 2)));
        return;
      }
      // The refusal is this one mutation's answer: settled as a `rejected` result is (apply-results.ts), held
      // back with the platform's reason, or superseded by a newer edit of its record already queued.
      const entry = batch.entries[0];
      if (entry) {
        const refused: MutationResult = {
          mutationId: entry.mutationId,
          status: 'rejected',
          errors: [{ path: '', code: error.code ?? `http_${error.status}`, message: error.message }],
        };
        const summary = await batch.complete([refused]);
        totals.rejected += summary.rejected;
      }
      return;
    }
    const summary = await batch.complete(response.results).catch((error: unknown) => {
      if (error instanceof PushAnswerMismatch) throw new PlatformError({ kind: 'malformed', message: error.message });
      throw error;
    });
    totals.pushed += summary.applied;
    totals.conflicts += summary.conflicts;
    totals.rejected += summary.rejected;
    totals.autoMerged += summary.autoMerged;
    for (const d of summary.datasets) totals.datasets.add(d);
    options.onBatch?.(summary.applied, summary.conflicts, summary.rejected, batch.hasMore);
    size = Math.min(max, size * 2);
  };

  for (let round = 0; round < options.maxBatches && !failure; ) {
    const batch = await outbox.nextBatch(size, busy, byteBudget);
    // A batch out failed while this one was read: its records, no longer busy, may be in this one again. Not sent.
    if (failure) break;
    if (batch.entries.length === 0) {
      // Nothing more to read until a batch out comes back (its answer may queue a merge).
      if (out.size === 0) break;
      await Promise.race(out);
      continue;
    }
    round += 1;
    const keys = batch.entries.map((e) => outboxRecordKey(e.dataset, e.recordId));
    for (const k of keys) busy.add(k);
    const task: Promise<void> = send(batch)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        for (const k of keys) busy.delete(k);
        out.delete(task);
      });
    out.add(task);
    if (out.size >= PUSH_PIPELINE_DEPTH) await Promise.race(out);
  }
  await Promise.all(out);
  if (failure) throw (failure as { error: unknown }).error;
}
