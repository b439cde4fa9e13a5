import { MAX_PUSH_BATCH } from '../protocol/limits.js';
import type { Outbox } from '../outbox/outbox.js';
import { PushAnswerMismatch } from '../outbox/apply-results.js';
import type { PlatformClient } from './ports.js';
import { PlatformError } from './platform-error.js';

export interface PushTotals {
  pushed: number;
  conflicts: number;
  rejected: number;
  autoMerged: number;
  datasets: Set<string>;
}

export interface PushOptions {
  batchSize: number;
  /** Bound on batches per run: an auto-merge re-queues, and a busy platform could keep a loop alive. */
  maxBatches: number;
  onBatch?: (applied: number, conflicts: number, rejected: number, hasMore: boolean) => void;
}

/** Whole-request refusals that one bad mutation can cause: split the batch to find it. */
function isBatchRefusal(error: PlatformError): boolean {
  return error.kind === 'http' && (error.status === 413 || error.status === 400);
}

/**
 * Pushes the outbox in batches until it is empty or the platform cannot be
 * reached. Throws the PlatformError that stopped it (entries sent stay
 * in_flight and go again, under the same mutationIds, next time).
 *
 * A 413 or 400 for the whole request halves the batch; a single mutation still
 * refused is quarantined with the platform's reason, so it never blocks the rest.
 */
export async function pushOutbox(outbox: Outbox, client: PlatformClient, options: PushOptions, totals: PushTotals): Promise<void> {
  const max = Math.max(1, Math.min(options.batchSize, MAX_PUSH_BATCH));
  let size = max;
  for (let round = 0; round < options.maxBatches; round += 1) {
    const batch = await outbox.nextBatch(size);
    if (batch.entries.length === 0) return;
    let response;
    try {
      response = await client.push(batch.mutations);
    } catch (error) {
      if (!(error instanceof PlatformError) || !isBatchRefusal(error)) throw error;
      if (batch.entries.length > 1) {
        size = Math.ceil(batch.entries.length / 2);
        continue;
      }
      const entry = batch.entries[0];
      if (entry) {
        await outbox.quarantine(entry.seq, [{ path: '', code: error.code ?? `http_${error.status}`, message: error.message }]);
        totals.rejected += 1;
      }
      continue;
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
  }
}
