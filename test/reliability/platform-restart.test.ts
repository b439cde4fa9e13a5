import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { SyncProgress } from '../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { TestClock } from '../engine/support/engine-fixture.js';
import { FaultProxy } from './support/fault-proxy.js';
import { mulberry32 as seeded } from '../../national-platform/src/seed/seeded-random.js';
import { proxiedAgent, type ProxiedAgent } from './support/proxied-agent.js';
import { reportRestart } from './support/restart-report.js';

const DS = 'civil-status-births';
const SEED = Number(process.env['RELIABILITY_SEED'] ?? 20251126);
const ROUNDS = process.env['SOAK'] === '1' ? 12 : 3;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function world() {
  const dir = mkdtempSync(join(tmpdir(), 'restart-'));
  dirs.push(dir);
  const db = join(dir, 'platform.sqlite');
  const clock = new TestClock();
  const start = () => startPlatform({ db, rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  const platform = await start();
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  const proxy = await new FaultProxy({ target: platform.url, random: seeded(SEED) }).start();
  const agent = await proxiedAgent(platform, 'HN-A', clock, proxy.url);
  return { dir, db, clock, start, platform, proxy, agent };
}

/** Syncs until the outbox is empty and a run moves nothing; returns the runs it took. */
async function syncUntilQuiet(agent: ProxiedAgent): Promise<number> {
  for (let run = 1; run <= 6; run += 1) {
    const summary = await agent.sync();
    for (const c of await agent.conflicts.list({ status: 'open' })) await agent.conflicts.resolve(c.id, { kind: 'take-remote' });
    const stats = await agent.outbox.stats();
    if (summary.status === 'ok' && summary.pushed === 0 && summary.pulled === 0 && stats.queued + stats.inFlight === 0) return run;
  }
  assert.fail('the agent did not go quiet within 6 runs');
}

async function assertConverged(platform: RunningPlatform, agent: ProxiedAgent, createdIds: readonly string[]) {
  const all = await platform.admin.listRecords(DS, { province: '01', includeDeleted: true, limit: 100_000 });
  const ids = all.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'no id twice on the platform');
  const personalIds = all.map((r) => r.data?.['personalId']);
  assert.equal(new Set(personalIds).size, personalIds.length, 'no person twice on the platform');
  for (const id of createdIds) assert.equal(ids.filter((x) => x === id).length, 1, `record ${id} exists exactly once`);
  const log = await platform.admin.messageLog({ agentId: agent.agentId, limit: 10_000 });
  assert.equal(new Set(log.map((l) => l.mutationId)).size, log.length, 'each mutation accepted once');
  assert.equal(new Set(log.map((l) => `${l.recordId}@${l.rev}`)).size, log.length, 'no rev of a record given twice');
  const digest = await agent.store.sql.get<{ status: string }>('SELECT "status" FROM "digests" WHERE "dataset" = ?', [DS]);
  assert.equal(digest?.status, 'match', 'digests equal');
}

describe('the platform stops and comes back', () => {
  test(`stopped while a push is in flight and restarted on the same database: no write lost or doubled (seed ${SEED})`, async () => {
    const w = await world();
    const rnd = seeded(SEED);
    const gen = createSampleGenerator(SEED);
    let platform = w.platform;
    const created: string[] = [];
    let committedBeforeStop = 0;
    try {
      await w.agent.sync();
      for (let round = 0; round < ROUNDS; round += 1) {
        for (let i = 0; i < 60; i += 1) created.push((await w.agent.writes.put(DS, gen.birth('01'))).record.id);
        const before = (await platform.admin.status()).headSeq;
        // Stop the platform a random moment after the push reached it.
        const delayMs = Math.floor(rnd() * 120);
        let stopping: Promise<void> | null = null;
        const running = platform;
        w.proxy.onForward = (method, path) => {
          if (method === 'POST' && path === '/v1/mutations' && !stopping) stopping = new Promise((r) => setTimeout(r, delayMs)).then(() => running.close());
        };
        const failed = await w.agent.sync();
        w.proxy.onForward = null;
        assert.ok(stopping, 'the push reached the platform');
        await stopping;
        platform = await w.start();
        w.proxy.retarget(platform.url);
        const head = (await platform.admin.status()).headSeq;
        if (head > before) committedBeforeStop += 1;
        console.log(`[reliability] restart round ${round}: stop after ${delayMs} ms, first run ${failed.status}, platform had ${head - before} new changes`);
        await syncUntilQuiet(w.agent);
      }
      await assertConverged(platform, w.agent, created);
      assert.equal((await platform.admin.listRecords(DS, { province: '01', limit: 100_000 })).length, created.length, 'every local write is on the platform');
      reportRestart({ scenario: 'platform-restart-mid-push', seed: SEED, rounds: ROUNDS, recordsWritten: created.length, committedBeforeStop, lost: 0, duplicated: 0 });
    } finally {
      await w.agent.store.close();
      await w.proxy.close();
      await platform.close();
    }
  });

  test(`restored from an older backup while the agent holds a newer cursor: the agent resyncs, keeps its outbox and converges (seed ${SEED})`, async () => {
    const w = await world();
    const gen = createSampleGenerator(SEED + 1);
    let platform = w.platform;
    const backup = join(w.dir, 'backup.sqlite');
    try {
      await w.agent.sync();
      const early: string[] = [];
      for (let i = 0; i < 5; i += 1) early.push((await w.agent.writes.put(DS, gen.birth('01'))).record.id);
      await platform.admin.putRecord(DS, gen.birth('01'));
      await syncUntilQuiet(w.agent);

      await platform.close();
      copyFileSync(w.db, backup);
      platform = await w.start();
      w.proxy.retarget(platform.url);
      // After the backup: more writes on both sides, and the agent's cursor moves past the backup's head;
      // among them an edit of a record the backup has, which the platform accepts (rev 2) and the restore loses.
      for (let i = 0; i < 6; i += 1) await w.agent.writes.put(DS, gen.birth('01'));
      for (let i = 0; i < 3; i += 1) await platform.admin.putRecord(DS, gen.birth('01'));
      const lost = early[1]!;
      await w.agent.writes.put(DS, { ...(await w.agent.reads.get(DS, lost))!.data, notes: 'sửa sau sao lưu / edited after the backup' }, { id: lost });
      await syncUntilQuiet(w.agent);
      assert.equal((await w.agent.reads.get(DS, lost))?.rev, 2);

      // Written while the platform is down for the restore: they wait in the outbox.
      const queued = [(await w.agent.writes.put(DS, gen.birth('01'))).record.id, (await w.agent.writes.put(DS, gen.birth('01'))).record.id];
      const kept = early[0]!;
      const keptRecord = await w.agent.reads.get(DS, kept);
      await w.agent.writes.put(DS, { ...keptRecord!.data, notes: 'sửa sau khi khôi phục / edited across the restore' }, { id: kept });
      await platform.close();
      for (const suffix of ['-wal', '-shm']) rmSync(`${w.db}${suffix}`, { force: true });
      copyFileSync(backup, w.db);
      assert.ok(!existsSync(`${w.db}-wal`));
      platform = await w.start();
      w.proxy.retarget(platform.url);

      const reasons: string[] = [];
      const run = new SyncRun({ ctx: w.agent.ctx, client: w.agent.client, onProgress: (e: SyncProgress) => e.type === 'resync' && reasons.push(e.reason) });
      const first = await run.run('test');
      assert.ok(first.resynced.includes(DS), `the agent noticed the restore and pulled ${DS} again: ${JSON.stringify(first)}`);
      assert.equal(first.resent, 1, 'the edit the restore lost, this office’s own, was sent again');
      console.log(`[reliability] restore from backup: noticed by ${reasons.join(', ')}; first run ${first.status}, pushed ${first.pushed}`);
      await syncUntilQuiet(w.agent);

      for (const id of queued) assert.ok(await platform.admin.getRecord(DS, id), 'a write queued across the restore reached the platform');
      assert.equal((await platform.admin.getRecord(DS, kept))?.data?.['notes'], 'sửa sau khi khôi phục / edited across the restore');
      assert.equal((await platform.admin.getRecord(DS, lost))?.data?.['notes'], 'sửa sau sao lưu / edited after the backup', 'the accepted edit the restore lost is on the platform again');
      await assertConverged(platform, w.agent, [...early, ...queued]);
      const local = await w.agent.reads.list(DS, { limit: 1000 });
      const national = await platform.admin.listRecords(DS, { province: '01', limit: 1000 });
      assert.deepEqual(new Set(local.items.map((r) => `${r.id}@${r.rev}`)), new Set(national.map((r) => `${r.id}@${r.rev}`)), 'the agent holds exactly the platform’s records');
      reportRestart({ scenario: 'platform-restored-from-backup', seed: SEED, rounds: 1, recordsWritten: 5 + 1 + 6 + 3 + 1 + 3, committedBeforeStop: 0, lost: 0, duplicated: 0, noticedBy: reasons });
    } finally {
      await w.agent.store.close();
      await w.proxy.close();
      await platform.close();
    }
  });
});
