import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import { recordUnstartedRun } from '../../sync-engine/src/sync/unstarted-run.js';
import { LAST_THROUGH_SQL, SYNC_HISTORY_DAYS, SYNC_HISTORY_MIN_RUNS } from '../../sync-engine/src/sync/run-history.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

/**
 * The sync history gains a row at every run, for as long as the service runs:
 * 288 a day at the default schedule, more while the platform cannot be reached.
 * It is kept to its last 30 days (docs/operations.md, "Left running for months").
 */
const DAY = 86_400_000;
let f: EngineFixture;
let platform: ScriptedPlatform;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
});
afterEach(async () => f.close());

/** Runs every `everyMs` over the `days` before now, as the service would have left them; the first one ok, the rest failed. */
async function pastRuns(days: number, everyMs: number): Promise<{ okAt: string; count: number }> {
  const now = f.clock.now();
  let count = 0;
  let okAt = '';
  await f.store.transaction(async (tx) => {
    for (let at = now - days * DAY; at < now; at += everyMs) {
      const iso = new Date(at).toISOString();
      const status = count === 0 ? 'ok' : 'failed';
      if (count === 0) okAt = iso;
      await tx.run(`INSERT INTO "sync_runs" ("id", "trigger", "started_at", "finished_at", "status") VALUES (?, 'retry', ?, ?, ?)`, [uuidv7(at), iso, iso, status]);
      count += 1;
    }
  });
  return { okAt, count };
}

const rows = () => f.store.sql.all<{ started_at: string; status: string }>(`SELECT "started_at", "status" FROM "sync_runs" ORDER BY rowid`);

test('a run keeps the sync history to its last 30 days, and the last run that went through however old', async () => {
  // Four months cut off from the platform: a failed run every half hour since the last good one.
  const past = await pastRuns(120, 1_800_000);
  platform.failures.catalog = new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED' });
  const summary = await new SyncRun({ ctx: f.ctx, client: platform }).run('retry');
  assert.equal(summary.status, 'failed');

  const kept = await rows();
  const horizon = new Date(f.clock.now() - SYNC_HISTORY_DAYS * DAY).toISOString();
  const old = kept.filter((r) => r.started_at < horizon);
  assert.deepEqual(old, [{ started_at: past.okAt, status: 'ok' }], 'older than 30 days: only the last run that went through');
  assert.equal(kept.length, 1 + SYNC_HISTORY_DAYS * 48 + 1, 'the last good run, 30 days of failed runs and this one');
  assert.ok(SYNC_HISTORY_DAYS * 48 > SYNC_HISTORY_MIN_RUNS, 'more runs in those days than the newest kept whatever their age');
  assert.equal(kept.at(-1)?.status, 'failed', 'this run is kept');
});

test('a clock set years ahead does not empty the history: the newest runs are kept', async () => {
  await pastRuns(30, 600_000);
  f.clock.advance(10 * 365 * DAY);
  await recordUnstartedRun(f.ctx, 'schedule', { phase: 'run', error: { kind: 'ca_file', file: '/etc/ssl/ndxp/ca.pem', cause: 'ENOENT', message: 'gone' } });
  const kept = await rows();
  assert.equal(kept.length, SYNC_HISTORY_MIN_RUNS + 1, 'the newest runs and the last one that went through');
  assert.equal(kept[0]?.status, 'ok');
});

test('the last run that went through is read through its index, not by scanning the failed runs after it', async () => {
  const plan = await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${LAST_THROUGH_SQL}`);
  assert.deepEqual(
    plan.map((p) => p.detail),
    ['SEARCH sync_runs USING INDEX ix_sync_runs_through (finished_at>?)'],
  );
});
