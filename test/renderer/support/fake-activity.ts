/**
 * The fake agent's sample activity: the outbox (two changes the platform
 * refused, forty waiting), the recent sync runs and the latency chart's points.
 */
import type { OutboxEntryView, RecordView, SyncRunDetail, SyncRunView } from '../../../sync-engine/src/api/index.js';
import { mulberry32 as seeded } from '../../../national-platform/src/seed/seeded-random.js';
import { fakeId } from './fake-ids.js';

export function outboxEntries(waiting: readonly RecordView[], rejected: readonly RecordView[], now: number): OutboxEntryView[] {
  const entries: OutboxEntryView[] = [];
  let seq = 1;
  for (const r of rejected.slice(0, 2)) {
    entries.push({
      seq: seq++,
      mutationId: fakeId(9, seq),
      dataset: r.dataset,
      recordId: r.id,
      op: 'upsert',
      status: 'quarantined',
      attempts: 3,
      createdAt: new Date(now - 3 * 86_400_000).toISOString(),
      errors: r.errors ?? [],
      title: typeof r.data?.fullName === 'string' ? r.data.fullName : null,
      leftScope: false,
      nationalVersion: r.rev !== null,
      notOnPlatform: false,
      othersHeld: 0,
    });
  }
  for (const r of waiting.slice(0, 40)) {
    entries.push({
      seq: seq++,
      mutationId: fakeId(9, seq),
      dataset: r.dataset,
      recordId: r.id,
      op: 'upsert',
      status: 'queued',
      attempts: seq % 3,
      createdAt: new Date(now - 2 * 3_600_000 + seq * 60_000).toISOString(),
      errors: [],
      title: typeof r.data?.fullName === 'string' ? r.data.fullName : null,
      leftScope: false,
      nationalVersion: r.rev !== null,
      notOnPlatform: false,
      othersHeld: 0,
    });
  }
  return entries;
}

/** The row of the sample history that stands for a run of failures (a night offline), as the engine groups them. */
export const FAILED_IN_A_ROW = 37;

/**
 * Fourteen rows of history, newest first, numbered as the engine numbers runs: the fifth row is a night
 * offline, FAILED_IN_A_ROW failed runs in a row grouped into one (`repeats`), so the rows below it are
 * numbered that much lower. The third has conflicts, the second a rejected change.
 */
export function syncRuns(now: number): SyncRunView[] {
  const triggers: SyncRunView['trigger'][] = ['schedule', 'manual', 'startup', 'retry', 'watchdog', 'cli'];
  const rows: SyncRunView[] = [];
  let id = 0;
  for (let k = 13; k >= 0; k -= 1) {
    const startedAt = now - k * 15 * 60_000 - 60_000;
    const failed = k === 4;
    const firstId = id + 1;
    id += failed ? FAILED_IN_A_ROW : 1;
    const conflicts = k === 2 ? 3 : 0;
    rows.unshift({
      id,
      trigger: triggers[k % triggers.length]!,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(startedAt + 4_000 + k * 1_500).toISOString(),
      status: failed ? 'failed' : conflicts ? 'conflicts' : 'ok',
      pushed: failed ? 0 : 3 * k,
      pulled: failed ? 0 : 120 + k * 7,
      conflicts,
      rejected: k === 1 ? 1 : 0,
      ...(k === 3 ? { resent: 2 } : {}),
      ...(k === 5 ? { swept: 1200 } : {}),
      error: failed
        ? {
            code: 'unreachable',
            messages: {
              vi: 'Không kết nối được tới nền tảng quốc gia: hết thời gian chờ sau 30 giây. Kiểm tra mạng hoặc proxy.',
              en: 'Could not reach the national platform: timed out after 30 seconds. Check the network or the proxy.',
            },
          }
        : null,
      ...(failed ? { repeats: { count: FAILED_IN_A_ROW, firstId, firstStartedAt: new Date(startedAt - 8 * 3_600_000).toISOString() } } : {}),
    });
  }
  return rows;
}

/** COUNT runs that went through, newest first, numbered COUNT down to 1, every 5 minutes back from `newest`. */
export function runsThatWentThrough(count: number, newest: number): SyncRunView[] {
  return Array.from({ length: count }, (_, k): SyncRunView => ({
    id: count - k,
    trigger: 'schedule',
    startedAt: new Date(newest - k * 300_000).toISOString(),
    finishedAt: new Date(newest - k * 300_000 + 2_000).toISOString(),
    status: 'ok',
    pushed: 0,
    pulled: k,
    conflicts: 0,
    rejected: 0,
    error: null,
  }));
}

/** A run's details as syncRuns.get gives them: its error; after a run that went through, every dataset compared. */
export function runDetail(run: SyncRunView): SyncRunDetail {
  const went = run.status === 'ok' || run.status === 'conflicts';
  return {
    run,
    errors: run.error ? [{ ...run.error, dataset: null }] : [],
    autoMerged: run.conflicts > 0 ? 2 : 0,
    resynced: run.swept ? ['civil-status-births'] : [],
    digests: went
      ? [
          { dataset: 'civil-status-births', status: run.conflicts > 0 ? 'pending' : 'match', localCount: 1_204, platformCount: 1_204 },
          { dataset: 'procedure-dossiers', status: 'mismatch', localCount: 310, platformCount: 311 },
        ]
      : [],
  };
}

export function latencyPoints(now: number): Array<{ at: number; p50: number | null; failures: number }> {
  const rand = seeded(99);
  return Array.from({ length: 96 }, (_, k) => {
    const at = now - (95 - k) * 15 * 60_000;
    const down = k >= 40 && k < 44;
    return { at, p50: down ? null : Math.round(80 + rand() * 120 + (k > 70 ? 60 : 0)), failures: down ? 2 : k % 29 === 0 ? 1 : 0 };
  });
}
