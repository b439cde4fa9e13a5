import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { syncRunDetail, syncRunPage } from '../../sync-engine/src/service/sync-run-pages.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

/**
 * The Sync history after days offline: a failed run every few minutes, each
 * the same "cannot reach the platform". Grouped, they are one row that says
 * how many and since when; pages never cut a group in two; a run's details
 * keep what its row does not (every error, the digests, the resyncs).
 */
let f: EngineFixture;
let platform: ScriptedPlatform;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
});
afterEach(async () => f.close());

const HOME = '/var/lib/ndxp-agent';
const offline = () => new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED 10.0.0.5:443' });
const overloaded = () => new PlatformError({ kind: 'http', status: 503, code: 'unavailable', message: 'try later' });

async function run(failure: PlatformError | null): Promise<void> {
  if (failure) platform.failures.catalog = failure;
  else delete platform.failures.catalog;
  await new SyncRun({ ctx: f.ctx, client: platform }).run('schedule');
  f.clock.advance(300_000);
}

test('failed runs in a row that stopped for the same reason are one row saying how many and since when; runs that went through stay one each', async () => {
  platform.put('civil-status-births', '018f0000-0000-7000-8000-000000000001', 1, { fullName: 'Nguyễn Văn An' });
  await run(null); // 1: ok, pulls the record
  for (let i = 0; i < 6; i += 1) await run(offline()); // 2-7: offline
  await run(overloaded()); // 8: another reason
  await run(offline()); // 9: offline again, after it
  await run(null); // 10: back

  const all = await syncRunPage(f.store.sql, { limit: 50, group: false }, HOME);
  assert.deepEqual(all.map((r) => r.id), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 'ungrouped: every run, as before');
  assert.ok(all.every((r) => r.repeats === undefined));

  const grouped = await syncRunPage(f.store.sql, { limit: 50, group: true }, HOME);
  assert.deepEqual(
    grouped.map((r) => [r.id, r.status, r.repeats?.count ?? 1]),
    [
      [10, 'ok', 1],
      [9, 'failed', 1],
      [8, 'failed', 1],
      [7, 'failed', 6],
      [1, 'ok', 1],
    ],
  );
  const week = grouped[3]!;
  assert.equal(week.repeats?.firstId, 2);
  assert.equal(week.repeats?.firstStartedAt, all.find((r) => r.id === 2)!.startedAt);
  assert.equal(week.error?.code, 'network');
});

test('a page of grouped rows ends after a whole group, and the next page starts below its oldest run', async () => {
  await run(null); // 1
  for (let i = 0; i < 4; i += 1) await run(offline()); // 2-5
  await run(null); // 6
  await run(null); // 7

  const first = await syncRunPage(f.store.sql, { limit: 3, group: true }, HOME);
  assert.deepEqual(first.map((r) => [r.id, r.repeats?.count ?? 1]), [[7, 1], [6, 1], [5, 4]]);
  const next = await syncRunPage(f.store.sql, { limit: 3, group: true, before: first.at(-1)!.repeats!.firstId }, HOME);
  assert.deepEqual(next.map((r) => r.id), [1]);
  const ungrouped = await syncRunPage(f.store.sql, { limit: 2, group: false, before: 6 }, HOME);
  assert.deepEqual(ungrouped.map((r) => r.id), [5, 4], 'ungrouped pages go by run number too');
});

test('a group longer than one read of the history is still one row', async () => {
  await run(null);
  // More failed runs than the history is read at a time while grouping (500).
  for (let i = 0; i < 620; i += 1) await run(offline());
  const grouped = await syncRunPage(f.store.sql, { limit: 10, group: true }, HOME);
  assert.deepEqual(grouped.map((r) => [r.id, r.repeats?.count ?? 1]), [[621, 620], [1, 1]]);
});

test("a run's details keep every error with its dataset, the digests and the resyncs", async () => {
  const id = '018f0000-0000-7000-8000-000000000002';
  platform.put('civil-status-births', id, 1, { fullName: 'Trần Thị Bình' });
  await run(null);
  const detail = await syncRunDetail(f.store.sql, 1, HOME);
  assert.ok(detail);
  assert.equal(detail.run.status, 'ok');
  assert.deepEqual(detail.errors, []);
  const births = detail.digests.find((d) => d.dataset === 'civil-status-births');
  assert.deepEqual(births, { dataset: 'civil-status-births', status: 'match', localCount: 1, platformCount: 1 });
  assert.equal(detail.digests.length, platform.datasets.length, 'every dataset read to its end');

  await run(offline());
  const failed = await syncRunDetail(f.store.sql, 2, HOME);
  assert.equal(failed?.run.status, 'failed');
  assert.equal(failed?.errors.length, 1);
  assert.equal(failed?.errors[0]?.code, 'network');
  assert.equal(failed?.errors[0]?.dataset, null);
  assert.match(failed?.errors[0]?.messages.vi ?? '', /nền tảng/);
  assert.deepEqual(failed?.digests, [], 'nothing was compared');

  assert.equal(await syncRunDetail(f.store.sql, 99, HOME), null, 'no such run');
});
