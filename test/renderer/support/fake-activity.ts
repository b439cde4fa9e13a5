/**
 * The fake agent's sample activity: the outbox (two changes the platform
 * refused, forty waiting), the recent sync runs and the latency chart's points.
 */
import type { OutboxEntryView, RecordView, SyncRunView } from '../../../sync-engine/src/api/index.js';
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
    });
  }
  return entries;
}

export function syncRuns(now: number): SyncRunView[] {
  const triggers: SyncRunView['trigger'][] = ['schedule', 'manual', 'startup', 'retry', 'watchdog', 'cli'];
  return Array.from({ length: 14 }, (_, k) => {
    const id = 14 - k;
    const startedAt = now - k * 15 * 60_000 - 60_000;
    const failed = id === 10;
    const conflicts = id === 12 ? 3 : 0;
    return {
      id,
      trigger: triggers[k % triggers.length]!,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(startedAt + 4_000 + k * 1_500).toISOString(),
      status: failed ? 'failed' : conflicts ? 'conflicts' : 'ok',
      pushed: failed ? 0 : 3 * k,
      pulled: failed ? 0 : 120 + k * 7,
      conflicts,
      rejected: id === 13 ? 1 : 0,
      ...(id === 11 ? { resent: 2 } : {}),
      ...(id === 9 ? { swept: 1200 } : {}),
      error: failed
        ? {
            code: 'unreachable',
            messages: {
              vi: 'Không kết nối được tới nền tảng quốc gia: hết thời gian chờ sau 30 giây. Kiểm tra mạng hoặc proxy.',
              en: 'Could not reach the national platform: timed out after 30 seconds. Check the network or the proxy.',
            },
          }
        : null,
    };
  });
}

export function latencyPoints(now: number): Array<{ at: number; p50: number | null; failures: number }> {
  const rand = seeded(99);
  return Array.from({ length: 96 }, (_, k) => {
    const at = now - (95 - k) * 15 * 60_000;
    const down = k >= 40 && k < 44;
    return { at, p50: down ? null : Math.round(80 + rand() * 120 + (k > 70 ? 60 : 0)), failures: down ? 2 : k % 29 === 0 ? 1 : 0 };
  });
}
