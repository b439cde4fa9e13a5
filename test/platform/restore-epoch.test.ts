import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { driverOf } from '../../national-platform/src/store/data-source.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { newestChangeQuery } from '../../national-platform/src/services/epoch.js';
import { REV_GAP } from '../../national-platform/src/services/rev-gap.js';
import { enroll } from '../support/platform-client.js';
import { platformCli as cli } from '../support/platform-cli.js';
import { describeOnEachStore, TestClock, upsert, type PlatformEnv } from '../support/platform-harness.js';
import { BIRTHS, ids, pullAll } from '../support/pull-feed.js';

const run = promisify(execFile);

/**
 * The platform's database restored from a backup as docs/operations.md 1.11
 * says (SQLite: the file put back, its -wal and -shm removed; PostgreSQL:
 * pg_dump -Fc, pg_restore into a new, empty database), then `epoch new`: a
 * cursor issued before the restore is answered resync_required even once the
 * restored platform's writes have passed its position, where it was accepted
 * and the changes the restore put under it were never sent.
 */
async function backupAndRestore(env: PlatformEnv, db: string, dir: string): Promise<{ restore: () => Promise<string> }> {
  const file = join(dir, 'backup');
  if (driverOf(db) === 'sqlite') {
    copyFileSync(db, file);
    return {
      restore: async () => {
        for (const suffix of ['-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
        copyFileSync(file, db);
        return db;
      },
    };
  }
  await run('pg_dump', ['-Fc', '-f', file, db]);
  return {
    restore: async () => {
      const fresh = await env.newDb();
      await run('pg_restore', ['--no-owner', '-d', fresh, file]);
      return fresh;
    },
  };
}

const births = (gen: ReturnType<typeof createSampleGenerator>, n: number) => Array.from({ length: n }, () => ({ data: gen.birth('01') }));

/** What `status --json` says of the epochs begun (national-platform/src/services/admin.ts, PlatformStatus). */
const pick = (status: { epochHeadSeqs?: number[]; epochHeadAt?: string | null }) => ({ epochHeadSeqs: status.epochHeadSeqs, epochHeadAt: status.epochHeadAt });

describeOnEachStore('a restore from backup, then epoch new', (env) => {
  test('a cursor issued before the restore is refused (410 resync_required) even once new writes pass it; a pull from the beginning misses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'restore-epoch-'));
    const clock = new TestClock();
    const gen = createSampleGenerator(77);
    const births = (n: number) => Array.from({ length: n }, () => ({ data: gen.birth('01') }));
    let db = await env.newDb();
    const open = (at: string, port?: number) =>
      startPlatform({ db: at, rateLimit: false, now: clock.now, log: () => undefined, ...(port === undefined ? {} : { port }) });
    let p: RunningPlatform = await open(db);
    try {
      const port = p.port;
      await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
      const { client: agent } = await enroll(p.url, await p.admin.createToken({ site: 'HN-01' }), 'HN-01', 'agent', clock.seconds);
      const before = await p.admin.putRecords(BIRTHS, births(2));
      await p.close();
      const backup = await backupAndRestore(env, db, dir);
      p = await open(db, port);

      // After the backup: three more records, which the agent pulls (its cursor at seq 5).
      await p.admin.putRecords(BIRTHS, births(3));
      const { cursor, changes } = await pullAll(agent, BIRTHS);
      assert.equal(changes.length, 5);
      await p.close();

      db = await backup.restore();
      const epoch = await cli(db, ['epoch', 'new', '--yes', '--json']);
      assert.equal(epoch.code, 0, epoch.err);
      const started = JSON.parse(epoch.out) as { epoch: string; previousEpoch: string; headSeq: number; revGap: number; headAt: string | null };
      assert.equal(started.headSeq, 2, 'the restored head');
      assert.notEqual(started.epoch, started.previousEpoch);
      assert.equal(started.revGap, REV_GAP);
      p = await open(db, port);
      assert.equal((await p.admin.status()).epoch, started.epoch);
      const newest = (await Promise.all(before.map((w) => p.admin.getRecord(BIRTHS, w.id)))).map((r) => r?.updatedAt ?? '').sort().pop();
      assert.equal(started.headAt, newest, 'the newest change the restored database holds');

      // The restored platform writes past the agent's old position: seqs 3 to 6, other records than the lost ones.
      const after = await p.admin.putRecords(BIRTHS, births(4));
      assert.equal((await p.admin.status()).headSeq, 6);
      const refused = await agent.pull<ErrorBody>(BIRTHS, cursor);
      assert.deepEqual([refused.status, refused.body.error], [410, 'resync_required']);

      const again = await pullAll(agent, BIRTHS);
      assert.deepEqual(ids(again.changes), [...before, ...after].map((w) => w.id).sort(), 'every record of the restored platform, none of the lost');
      assert.equal((await agent.pull<PullPage>(BIRTHS, again.cursor)).status, 200, 'a cursor of the new epoch is served');
    } finally {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('restored without epoch new: the first cursor ahead of the head starts the missed epoch and says so on the log; records written before it skip revs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'restore-missed-'));
    const clock = new TestClock();
    const gen = createSampleGenerator(79);
    const lines: string[] = [];
    let db = await env.newDb();
    const open = (at: string, port?: number) =>
      startPlatform({ db: at, rateLimit: false, now: clock.now, log: (line) => lines.push(line), ...(port === undefined ? {} : { port }) });
    let p: RunningPlatform = await open(db);
    try {
      const port = p.port;
      await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội 1', provinceCode: '01' });
      await p.admin.addSite({ code: 'HN-02', name: 'Hà Nội 2', provinceCode: '01' });
      const { client: a } = await enroll(p.url, await p.admin.createToken({ site: 'HN-01' }), 'HN-01', 'agent-a', clock.seconds);
      const { client: b } = await enroll(p.url, await p.admin.createToken({ site: 'HN-02' }), 'HN-02', 'agent-b', clock.seconds);
      const kept = gen.birth('01');
      const { id } = await p.admin.putRecord(BIRTHS, kept);
      await p.close();
      const backup = await backupAndRestore(env, db, dir);
      p = await open(db, port);
      await p.admin.putRecords(BIRTHS, births(gen, 2));
      const fromA = await pullAll(a, BIRTHS);
      const fromB = await pullAll(b, BIRTHS);
      await p.close();

      db = await backup.restore();
      p = await open(db, port);
      const was = await p.admin.status();
      assert.equal(was.headSeq, 1, 'the restored head');
      const refused = await a.pull<ErrorBody>(BIRTHS, fromA.cursor);
      assert.deepEqual([refused.status, refused.body.error], [410, 'resync_required']);
      const now = await p.admin.status();
      assert.notEqual(now.epoch, was.epoch, 'the missed epoch was started');
      assert.deepEqual(lines.filter((l) => l.includes('ahead of this database')).length, 1);
      assert.match(lines.join('\n'), new RegExp(`cursor at seq 3 is ahead of this database's head seq 1: .* Started epoch ${now.epoch} now at head seq 1 \\(was ${was.epoch}\\)`));

      // Another agent's cursor of the old epoch: refused as well, with no second epoch.
      const refusedB = await b.pull<ErrorBody>(BIRTHS, fromB.cursor);
      assert.deepEqual([refusedB.status, refusedB.body.error], [410, 'resync_required']);
      assert.equal((await p.admin.status()).epoch, now.epoch);
      assert.equal(lines.filter((l) => l.includes('ahead of this database')).length, 1);
      // As after epoch new: the record written before the restore skips the gap at its next change.
      assert.equal((await p.admin.putRecord(BIRTHS, { ...kept, notes: 'sau khi khôi phục' }, { id, baseRev: 1 })).rev, 2 + REV_GAP);
    } finally {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('after epoch new, a record written before it skips REV_GAP revs on its next change, so an edit made on a rev the lost history gave out is answered conflict', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(78);
    const current = gen.birth('01');
    const untouchedData = gen.birth('01');
    const old = await p.admin.putRecord(BIRTHS, current);
    const untouched = await p.admin.putRecord(BIRTHS, untouchedData);
    assert.equal(old.rev, 1);

    // The restored platform (here: the same database) begins a new epoch at head seq 2.
    assert.equal((await p.admin.newEpoch()).headSeq, 2);
    // A lost history had given the record rev 2 (an office's edit made on it waits to be sent);
    // the restored platform's own next change of the record must not be rev 2 again.
    const national = await p.admin.putRecord(BIRTHS, { ...current, notes: 'sửa sau khi khôi phục' }, { id: old.id, baseRev: 1 });
    assert.equal(national.rev, 2 + REV_GAP);
    const stale = await agent.push<PushResponse>([upsert(BIRTHS, { ...current, notes: 'sửa trên bản đã mất' }, { id: old.id, baseRev: 2 })]);
    assert.equal(stale.status, 200);
    const [result] = stale.body.results;
    assert.equal(result?.status, 'conflict', 'a base the lost history gave out is not the current version');
    assert.equal(result?.status === 'conflict' ? result.current.rev : null, 2 + REV_GAP);
    assert.equal((await p.admin.getRecord(BIRTHS, old.id))?.data?.['notes'], 'sửa sau khi khôi phục', 'the change made after the restore stands');

    // Changes after that count on by one; a record created in the new epoch starts at 1.
    const onCurrent = await agent.push<PushResponse>([upsert(BIRTHS, { ...current, notes: 'tiếp theo' }, { id: old.id, baseRev: 2 + REV_GAP })]);
    assert.deepEqual(onCurrent.body.results.map((r) => (r.status === 'applied' ? r.rev : r.status)), [3 + REV_GAP]);
    const freshData = gen.birth('01');
    const fresh = await p.admin.putRecord(BIRTHS, freshData);
    assert.equal(fresh.rev, 1);

    // A second epoch: a record untouched through both skips two gaps; one changed between them, one.
    await p.admin.newEpoch();
    assert.equal((await p.admin.putRecord(BIRTHS, untouchedData, { id: untouched.id, baseRev: 1 })).rev, 2 + 2 * REV_GAP);
    assert.equal((await p.admin.putRecord(BIRTHS, { ...current, notes: 'lần hai' }, { id: old.id, baseRev: 3 + REV_GAP })).rev, 4 + 2 * REV_GAP);
    assert.equal((await p.admin.putRecord(BIRTHS, freshData, { id: fresh.id, baseRev: 1 })).rev, 2 + REV_GAP);
  });

  test('status shows the epochs begun and the current epoch\'s head time (here a delete, the newest change), in words and --json', async () => {
    const p = await env.start();
    const gen = createSampleGenerator(80);
    const fresh = await cli(p.db, ['status']);
    assert.equal(fresh.code, 0, fresh.err);
    assert.match(fresh.out, /\nepochs begun by "epoch new": none on this database \(the current epoch is the one it was made with\)\n$/);
    assert.deepEqual(pick(JSON.parse((await cli(p.db, ['status', '--json'])).out)), { epochHeadSeqs: [], epochHeadAt: null });

    const [first, second] = await p.admin.putRecords(BIRTHS, births(gen, 2));
    assert.equal((await cli(p.db, ['epoch', 'new', '--yes'])).code, 0);
    p.clock.advance(60);
    await p.admin.putRecord(BIRTHS, gen.birth('01'), { id: first?.id ?? '', baseRev: 1 });
    p.clock.advance(60);
    await p.admin.deleteRecord(BIRTHS, second?.id ?? '');
    const deletedAt = (await p.admin.getRecord(BIRTHS, second?.id ?? ''))?.updatedAt;
    assert.equal((await cli(p.db, ['epoch', 'new', '--yes'])).code, 0);

    const json = await cli(p.db, ['status', '--json']);
    assert.equal(json.code, 0, json.err);
    const status = pick(JSON.parse(json.out));
    assert.deepEqual(status, { epochHeadSeqs: [2, 4], epochHeadAt: deletedAt }, 'the tombstone is the newest change');
    const text = await cli(p.db, ['status']);
    assert.equal(text.code, 0, text.err);
    assert.equal(
      text.out.split('\n').slice(1).join('\n'),
      'epochs begun by "epoch new" (or by serve, finding the database went back): 2, at head seq 2, 4; ' +
        'the next change of a record last changed at or before one skips 1,000,000 revs for each\n' +
        `current epoch's head time: ${dateTime(status.epochHeadAt ?? '')}, the newest change the platform held when it began; agents create again the records they wrote after it\n`,
    );
  });

  test('the head time is read through the records (deleted, updated_at) index, not a scan of every record', async () => {
    const p = await env.start();
    await p.admin.putRecords(BIRTHS, births(createSampleGenerator(81), 20));
    const postgres = driverOf(p.db) === 'postgres';
    const runner = p.store.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // PostgreSQL plans by cost, and a seq scan of 20 rows is cheaper than any index: with seq scans priced out, a plan
      // still scanning would mean no index serves the query (at 1,000,000 records the planner picks it unprompted).
      if (postgres) {
        await runner.startTransaction();
        await runner.query('SET LOCAL enable_seqscan = off');
      }
      for (const deleted of [false, true]) {
        const [sql, params] = newestChangeQuery(runner.manager, deleted).getQueryAndParameters();
        const rows = (await runner.query(postgres ? `EXPLAIN ${sql}` : `EXPLAIN QUERY PLAN ${sql}`, params)) as Record<string, string>[];
        const plan = rows.map((r) => (postgres ? r['QUERY PLAN'] : r['detail'])).join('\n');
        if (postgres) {
          assert.match(plan, /Index Only Scan Backward using records_deleted_updated_at on records/, plan);
          assert.doesNotMatch(plan, /Seq Scan/, plan);
        } else assert.match(plan, /^SEARCH r USING COVERING INDEX records_deleted_updated_at \(deleted=\?\)$/, plan);
      }
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  test('epoch new refuses a --db holding no platform, and says what it did', async () => {
    const missing = await cli(await env.newDb(), ['epoch', 'new']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^error: there is no platform database at /);
    const p = await env.start();
    const was = (await p.admin.status()).epoch;
    const res = await cli(p.db, ['epoch', 'new', '--yes']);
    assert.equal(res.code, 0, res.err);
    const { epoch } = await p.admin.status();
    assert.notEqual(epoch, was);
    assert.equal(
      res.out,
      `epoch ${epoch} started at head seq 0 (was ${was}): every agent pulls its datasets again at its next sync, and the next change of each record written before it skips 1,000,000 revs; head time not known (no records held): agents create none of their records again\n`,
    );
    const written = await p.admin.putRecord(BIRTHS, createSampleGenerator(3).birth('01'));
    const headAt = (await p.admin.getRecord(BIRTHS, written.id))?.updatedAt;
    const again = await cli(p.db, ['epoch', 'new', '--yes']);
    assert.ok(again.out.endsWith(`skips 1,000,000 revs; head time ${dateTime(headAt ?? '')} (the newest change held): agents create again the records they wrote after it\n`), again.out);
  });
});
