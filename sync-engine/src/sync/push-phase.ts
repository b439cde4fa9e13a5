import type { Outbox, OutboxBatch } from '../outbox/outbox.js';
import type { MutationResult } from '../protocol/push.js';
import { outboxRecordKey, type OutboxEntry } from '../outbox/outbox-entries.js';
import { PushAnswerMismatch } from '../outbox/apply-results.js';
import type { PlatformClient } from './ports.js';
import { PlatformError } from './platform-error.js';
import { HOLD_AFTER_PLATFORM_FAULTS, isPlatformFault, PLATFORM_FAILING_AFTER_FAULTS, platformFaultError } from './platform-fault.js';
import { AGENT_MAX_BODY_BYTES, AGENT_MAX_PUSH_BATCH } from './push-limits.js';

export interface PushTotals {
  pushed: number;
  conflicts: number;
  rejected: number;
  autoMerged: number;
  datasets: Set<string>;
  /** The 500s of mutations set aside in this run, to be sent again in a later one (platform-fault.ts); not the ones held back. */
  faults: SetAsideFault[];
}

/**
 * A mutation set aside after a 500: which record, and how many runs in a row it has failed (null: this run counted none);
 * `outcome` once it failed HOLD_AFTER_PLATFORM_FAULTS times: held back for a person, or superseded by a newer edit already queued.
 */
export interface SetAsideFault {
  error: PlatformError;
  dataset: string;
  recordId: string;
  faults: number | null;
  outcome?: PlatformFaultOutcome;
}

/** What became of a change the platform failed on HOLD_AFTER_PLATFORM_FAULTS times in a row. */
export type PlatformFaultOutcome = 'held' | 'superseded';

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

/** A mutation answered 500 alone in this run: not sent again in it; counted, or held back, once the push went through. */
interface SetAside {
  batch: OutboxBatch;
  entry: OutboxEntry;
  error: PlatformError;
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
 * or 400 for the whole request still halves the batch, and each halving is
 * sent once: a batch being read when the halved one comes back does not take
 * its records (they are freed once that read is done), and the batch size
 * grows back (doubling at each batch taken) no further than half the last
 * refused batch of any record not yet answered or set aside, so the half that
 * holds the bad record is sent at half the size, not again at the old one
 * (8, 4, 2, 1, not 8, 8, 4, 4, 2, 2, 1); a single mutation still
 * refused is settled as a `rejected` answer: held back (quarantined) with the
 * platform's reason, so it never blocks the rest, or, when a newer edit of its
 * record is already queued, superseded by that edit, which is judged on its own.
 *
 * An HTTP 500 is narrowed down the same way (platform-fault.ts), but a single
 * mutation still answered 500 is not settled at once: it is set aside for the
 * rest of the run, in flight under its mutationId, and the others go on. Once
 * the push went through (no failure stopped it) and the platform took some
 * other push in it, or this was the only mutation set aside, each one set
 * aside counts one fault; at HOLD_AFTER_PLATFORM_FAULTS in a row it is settled
 * as a `rejected` answer with platformFaultError's reason (held back, or
 * superseded), else its 500 is in `totals.faults` and it goes again in a later
 * run. A push in which the platform answered 500 to
 * PLATFORM_FAILING_AFTER_FAULTS single mutations and took nothing stops with
 * that 500 and counts none. 502, 503, 504, a timeout or no answer stop the
 * push as before: nothing is split or set aside.
 */
export async function pushOutbox(outbox: Outbox, client: PlatformClient, options: PushOptions, totals: PushTotals): Promise<void> {
  const max = Math.max(1, Math.min(options.batchSize, AGENT_MAX_PUSH_BATCH));
  const bodyBytes = Math.min(options.bodyBytes ?? AGENT_MAX_BODY_BYTES, AGENT_MAX_BODY_BYTES);
  const byteBudget = Math.floor(bodyBytes * (1 - BODY_MARGIN));
  let size = max;
  let failure: { error: unknown } | null = null;
  /** Records with a batch out, and those of the mutations set aside (asideKeys), which stay in it for the rest of the run. */
  const busy = new Set<string>();
  const out = new Set<Promise<void>>();
  /** Records of the mutations set aside: not read into a batch again in this run. */
  const asideKeys = new Set<string>();
  const aside: SetAside[] = [];
  /** The platform answered a push with its results in this run. */
  let took = false;
  /**
   * Records of a halved batch not yet answered or set aside, with half that
   * batch's size: the batch size grows back no further than the smallest (a
   * half taken would double it, and the other half, the one with the bad
   * record, would go again at the size it was refused at).
   */
  const narrowing = new Map<string, number>();
  /** Batches that came back: a read that found nothing while one did may find its records now. */
  let returned = 0;
  /** A batch is being read; the records of a halved batch that comes back meanwhile wait in `halvedBack`. */
  let reading = false;
  const halvedBack: string[] = [];

  /** Sends one batch and stores its answer; true when it was refused whole and halved, its records to go again. */
  const send = async (batch: OutboxBatch): Promise<boolean> => {
    let response;
    try {
      response = await client.push(batch.mutations);
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      const fault = isPlatformFault(error);
      if (!fault && !isBatchRefusal(error)) throw error;
      if (batch.entries.length > 1) {
        const half = Math.ceil(batch.entries.length / 2);
        size = Math.max(1, Math.min(size, half));
        for (const e of batch.entries) narrowing.set(outboxRecordKey(e.dataset, e.recordId), half);
        return true;
      }
      for (const e of batch.entries) narrowing.delete(outboxRecordKey(e.dataset, e.recordId));
      if (fault) {
        const entry = batch.entries[0];
        // The platform fails on everything it is sent, not on one record: stop as for any 5xx, count nothing.
        if (!took && aside.length + 1 >= PLATFORM_FAILING_AFTER_FAULTS) throw error;
        if (entry) {
          aside.push({ batch, entry, error });
          const key = outboxRecordKey(entry.dataset, entry.recordId);
          asideKeys.add(key);
          busy.add(key);
        }
        return false;
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
      return false;
    }
    const summary = await batch.complete(response.results).catch((error: unknown) => {
      if (error instanceof PushAnswerMismatch) throw new PlatformError({ kind: 'malformed', message: error.message });
      throw error;
    });
    took = true;
    totals.pushed += summary.applied;
    totals.conflicts += summary.conflicts;
    totals.rejected += summary.rejected;
    totals.autoMerged += summary.autoMerged;
    for (const d of summary.datasets) totals.datasets.add(d);
    options.onBatch?.(summary.applied, summary.conflicts, summary.rejected, batch.hasMore);
    for (const e of batch.entries) narrowing.delete(outboxRecordKey(e.dataset, e.recordId));
    size = Math.min(max, size * 2, ...narrowing.values());
    return false;
  };

  for (let round = 0; round < options.maxBatches && !failure; ) {
    const before = returned;
    reading = true;
    let batch: OutboxBatch;
    try {
      batch = await outbox.nextBatch(size, busy, byteBudget);
    } finally {
      reading = false;
      for (const k of halvedBack.splice(0)) busy.delete(k);
    }
    // A batch out failed while this one was read: its records, no longer busy, may be in this one again. Not sent.
    if (failure) break;
    if (batch.entries.length === 0) {
      // A batch came back while this one was read: its records (halved, or a merge its answer queued) are read now.
      if (returned !== before) continue;
      // Nothing more to read until a batch out comes back (its answer may queue a merge).
      if (out.size === 0) break;
      await Promise.race(out);
      continue;
    }
    round += 1;
    const keys = batch.entries.map((e) => outboxRecordKey(e.dataset, e.recordId));
    for (const k of keys) busy.add(k);
    let halved = false;
    const task: Promise<void> = send(batch)
      .then(
        (h) => {
          halved = h;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => {
        const free = keys.filter((k) => !asideKeys.has(k));
        // Not to the read under way: it would take them again at the size they were refused at.
        if (halved && reading) halvedBack.push(...free);
        else for (const k of free) busy.delete(k);
        out.delete(task);
        returned += 1;
      });
    out.add(task);
    if (out.size >= PUSH_PIPELINE_DEPTH) await Promise.race(out);
  }
  await Promise.all(out);
  if (failure) throw (failure as { error: unknown }).error;
  // Several set aside and nothing taken: more likely the platform failing on every push than several bad records.
  const counted = took || aside.length === 1;
  for (const { batch, entry, error } of aside) {
    if (counted) await settleFault(outbox, batch, entry, error, totals);
    else totals.faults.push({ error, dataset: entry.dataset, recordId: entry.recordId, faults: null });
  }
}

/**
 * One mutation set aside after a 500, in a push that otherwise went through:
 * one more fault counted; held back (or superseded, as a `rejected` answer is)
 * at HOLD_AFTER_PLATFORM_FAULTS, else left in flight for a later run. Either
 * way it is one of the run's faults, not one of its rejections: the platform
 * never judged it.
 */
async function settleFault(outbox: Outbox, batch: OutboxBatch, entry: OutboxEntry, error: PlatformError, totals: PushTotals): Promise<void> {
  const faults = await outbox.countPlatformFault(entry);
  if (faults === null) return;
  if (faults < HOLD_AFTER_PLATFORM_FAULTS) {
    totals.faults.push({ error, dataset: entry.dataset, recordId: entry.recordId, faults });
    return;
  }
  const held: MutationResult = { mutationId: entry.mutationId, status: 'rejected', errors: [platformFaultError(entry, faults, error)] };
  const summary = await batch.complete([held]);
  // Settled meanwhile (not in flight under this id any more): nothing was held back or superseded here.
  if (summary.rejected === 0) return;
  totals.faults.push({ error, dataset: entry.dataset, recordId: entry.recordId, faults, outcome: summary.superseded > 0 ? 'superseded' : 'held' });
}
