import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import type { SyncProgress } from '../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { isRetryableRun } from '../../sync-engine/src/service/sync-run-view.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

const DS = 'civil-status-births';
let f: EngineFixture;
let platform: ScriptedPlatform;
let events: SyncProgress[];
let run: SyncRun;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
  events = [];
  run = new SyncRun({ ctx: f.ctx, client: platform, onProgress: (e) => events.push(e) });
});
afterEach(async () => f.close());

test('one run pushes the outbox, pulls every dataset, checks digests and records itself', async () => {
  const local = (await f.writes.put(DS, validBirth())).record;
  platform.put(DS, uuidv7(), 1, validBirth({ personalId: '001301000001' }));
  const summary = await run.run('manual');
  assert.equal(summary.status, 'ok');
  assert.equal(summary.pushed, 1);
  assert.equal(summary.pulled, 2, 'the other record and the echo of our own');
  assert.equal(summary.digests[DS]?.status, 'match');
  assert.equal((await f.reads.get(DS, local.id))?.state, 'synced');
  const row = await f.store.sql.get<{ status: string; pushed: number; pulled: number; trigger: string; finished_at: string }>(
    'SELECT * FROM sync_runs WHERE id = ?',
    [summary.runId],
  );
  assert.equal(row?.status, 'ok');
  assert.equal(row?.pushed, 1);
  assert.equal(row?.trigger, 'manual');
  assert.ok(row?.finished_at);
  assert.deepEqual(
    [...new Set(events.map((e) => e.type))],
    ['run-started', 'phase', 'pushed', 'pulled', 'digest', 'run-finished'],
  );
});

test('a network failure stops the run, keeps the sent entries in flight and says why', async () => {
  await f.writes.put(DS, validBirth());
  platform.failures.push = new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED', cause: 'ECONNREFUSED' });
  const summary = await run.run('schedule');
  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.phase, 'push');
  assert.equal(summary.errors[0]?.error.kind, 'network');
  const [entry] = await f.outbox.list();
  assert.equal(entry?.status, 'in_flight');
  assert.equal((await f.store.sql.get<{ status: string }>('SELECT status FROM sync_runs WHERE id = ?', [summary.runId]))?.status, 'failed');

  delete platform.failures.push;
  const next = await run.run('schedule');
  assert.equal(next.status, 'ok');
  assert.equal(platform.pushed.at(-1)?.[0]?.mutationId, entry?.mutationId, 'same mutation id on the retry');
});

test('a 429 ends the run with the platform\'s Retry-After for the scheduler', async () => {
  platform.failures.catalog = new PlatformError({ kind: 'http', status: 429, code: 'rate_limited', message: 'slow down', retryAfterMs: 30_000 });
  const summary = await run.run('schedule');
  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.phase, 'catalog');
  assert.equal(summary.retryAfterMs, 30_000);
});

test('a run stopped by a 503 is retried with the longest Retry-After, even after a 403 on another dataset', async () => {
  const others: string[] = [];
  // Datasets are pulled four at a time: the others answer once the run has recorded the refusal (its 'error'
  // event), so it is recorded before them. A fixed delay raced the refused dataset's own reads of the store,
  // which on a loaded machine may call its pull later than that. Two seconds at most: a run that pulls one
  // dataset at a time fails below instead of hanging.
  let recorded!: () => void;
  const refusal = new Promise<void>((resolve) => (recorded = resolve));
  const onProgress = (e: SyncProgress) => {
    if (e.type === 'error' && e.error.dataset === DS) recorded();
  };
  platform.pull = async (dataset) => {
    if (dataset === DS) throw new PlatformError({ kind: 'http', status: 403, code: 'forbidden', message: 'not this dataset' });
    await Promise.race([refusal, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    others.push(dataset);
    const retryAfterMs = others.length === 1 ? 5_000 : 60_000;
    throw new PlatformError({ kind: 'http', status: 503, code: 'maintenance', message: 'back soon', retryAfterMs });
  };
  const summary = await new SyncRun({ ctx: f.ctx, client: platform, onProgress }).run('schedule');
  assert.equal(summary.status, 'failed');
  assert.ok(others.length >= 2, 'two datasets or more were stopped by the 503');
  assert.deepEqual(summary.errors.map((e) => e.error.kind === 'http' && e.error.status), [403, ...others.map(() => 503)]);
  assert.equal(isRetryableRun(summary), true, 'the 503 that stopped the run is retried with backoff');
  assert.equal(summary.retryAfterMs, 60_000, 'the longest wait asked for');
  // The run's history row names what stopped it (the 503), not the refusal recorded first.
  const row = await f.store.sql.get<{ error: string }>('SELECT "error" FROM sync_runs WHERE id = ?', [summary.runId]);
  const headline = JSON.parse(row!.error) as { phase: string; error: { status?: number } };
  assert.equal(headline.phase, 'pull');
  assert.equal(headline.error.status, 503);
});

test('a run that stopped on refusals only is not retried by itself', async () => {
  platform.failures.catalog = new PlatformError({ kind: 'http', status: 401, code: 'agent_revoked', message: 'revoked' });
  const summary = await run.run('schedule');
  assert.equal(summary.status, 'failed');
  assert.equal(isRetryableRun(summary), false);
});

test('a batch refused as too large is split, and the one mutation still refused is quarantined', async () => {
  for (let i = 0; i < 4; i += 1) await f.writes.put(DS, validBirth({ personalId: `00130100000${i}`, notes: i === 2 ? 'quá lớn' : 'ok' }));
  const defaultPush = platform.onPush;
  platform.onPush = (mutations) => {
    if (mutations.some((m) => m.data?.['notes'] === 'quá lớn')) {
      throw new PlatformError({ kind: 'http', status: 413, code: 'payload_too_large', message: 'too large' });
    }
    return defaultPush(mutations);
  };
  const summary = await run.run('manual');
  assert.equal(summary.pushed, 3);
  assert.equal(summary.rejected, 1);
  const quarantined = await f.outbox.list({ status: 'quarantined' });
  assert.equal(quarantined.length, 1);
  assert.equal(quarantined[0]?.data?.['notes'], 'quá lớn');
  assert.equal(quarantined[0]?.errors?.[0]?.code, 'payload_too_large');
  assert.equal(summary.digests[DS]?.status, 'pending', 'not comparable while a change waits for a person');
});

test('a mutation refused as a whole request while a newer edit of its record is queued is superseded by that edit, as a rejection is: the edit goes up, nothing stays held back', async () => {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  await run.run('manual');
  await f.writes.put(DS, validBirth({ registrar: 'Lê Văn Bình' }), { id });
  const inner = platform.push.bind(platform);
  let refused = 0;
  platform.push = async (mutations) => {
    if (mutations.some((m) => m.data?.['registrar'] === 'Lê Văn Bình')) {
      // While that version is out, the office edits the record again; then the platform refuses the batch of one.
      if ((refused += 1) === 1) await f.writes.put(DS, validBirth({ registrar: 'Trần Thị Mai' }), { id });
      throw new PlatformError({ kind: 'http', status: 413, code: 'payload_too_large', message: 'too large' });
    }
    return inner(mutations);
  };
  const summary = await run.run('manual');
  assert.equal(refused, 1, 'the refused version is not sent again');
  assert.equal(summary.status, 'ok');
  assert.equal(summary.pushed, 1);
  assert.equal(await f.count('outbox'), 0, 'no held-back change of a record the platform has in its newer version');
  const record = await f.reads.get(DS, id);
  assert.deepEqual([record?.state, record?.rev, record?.data?.['registrar']], ['synced', 2, 'Trần Thị Mai']);
  const national = platform.feeds.get(DS)?.at(-1);
  assert.equal(national && !national.removed ? national.data?.['registrar'] : null, 'Trần Thị Mai');
  const rejected = (await f.audit.list(f.store.sql, { recordId: id })).find((e) => e.action === 'sync.rejected');
  assert.deepEqual([rejected?.details['superseded'], (rejected?.details['errors'] as Array<{ code: string }>)[0]?.code], [true, 'payload_too_large']);
  assert.equal(summary.digests[DS]?.status, 'match');
});

test('a digest mismatch with nothing pending triggers one resync, after which the sides agree', async () => {
  const stray = uuidv7();
  await seedSynced(f, DS, stray, validBirth({ personalId: '001301000009' }), 4);
  const kept = uuidv7();
  platform.put(DS, kept, 1, validBirth());
  const summary = await run.run('manual');
  assert.deepEqual(summary.resynced, [DS]);
  assert.equal(summary.digests[DS]?.status, 'match');
  assert.equal(await f.reads.get(DS, stray), null);
  assert.ok(await f.reads.get(DS, kept));
  assert.ok(events.some((e) => e.type === 'resync' && e.reason === 'digest_mismatch'));
});

test('an authentication refusal stops the run at once', async () => {
  platform.failures.catalog = new PlatformError({ kind: 'http', status: 401, code: 'agent_revoked', message: 'revoked' });
  const summary = await run.run('manual');
  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors.length, 1);
  assert.equal(summary.errors[0]?.error.kind === 'http' && summary.errors[0].error.code, 'agent_revoked');
});

test('a dataset the platform refuses is skipped; the others still sync', async () => {
  platform.put('procedure-dossiers', uuidv7(), 1, { anything: true });
  const pull = platform.pull.bind(platform);
  platform.pull = async (dataset, since, limit) => {
    if (dataset === DS) throw new PlatformError({ kind: 'http', status: 403, code: 'forbidden', message: 'not for this site' });
    return pull(dataset, since, limit);
  };
  const summary = await run.run('manual');
  assert.equal(summary.status, 'partial');
  assert.equal(summary.errors[0]?.dataset, DS);
  assert.equal(summary.pulled, 1);
});

test('a second run on the same SyncRun while one is running is refused', async () => {
  const first = run.run('manual');
  await assert.rejects(run.run('manual'), /already in progress/);
  assert.equal((await first).status, 'ok');
});

test('a platform restored to an older version of a record is followed by the resync: its snapshot wins over the newer version cached, and the sides agree', async () => {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  platform.put(DS, id, 2, validBirth({ registrar: 'Hoàng Minh Đức' }));
  assert.equal((await run.run('manual')).digests[DS]?.status, 'match');
  assert.equal((await f.reads.get(DS, id))?.rev, 2);

  // Restored from a backup taken before rev 2: older cursors are answered 410, the record is at rev 1 again.
  platform.purge(DS, () => platform.put(DS, id, 1, validBirth()));
  const summary = await run.run('manual');
  assert.deepEqual(summary.resynced, [DS]);
  assert.equal(summary.digests[DS]?.status, 'match');
  const record = await f.reads.get(DS, id);
  assert.equal(record?.rev, 1);
  assert.equal(record?.data?.['registrar'], validBirth()['registrar']);
  assert.equal(record?.state, 'synced');
  // Nothing left to do: the next run agrees without pulling the dataset again.
  assert.deepEqual((await run.run('manual')).resynced, []);
});
