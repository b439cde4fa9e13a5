import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { damageStoreFile } from '../support/damage-store.js';
import { after, describe, test } from 'node:test';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { openAgentStore, StoreCorruptedError, type AgentStore } from '../../sync-engine/src/store/agent-store.js';
import type { Sql } from '../../sync-engine/src/store/sql.js';
import type { TransactionOptions } from '../../sync-engine/src/store/durability.js';
import { TestClock } from '../engine/support/engine-fixture.js';
import { proxiedAgent, type ProxiedAgent } from './support/proxied-agent.js';
import { mountTinyDisk } from './support/tiny-disk.js';

const DS = 'civil-status-births';
const SEED = Number(process.env['RELIABILITY_SEED'] ?? 4242);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function platformWithSite(clock: TestClock): Promise<RunningPlatform> {
  const platform = await startPlatform({ db: join(temp('faults-platform-'), 'p.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  return platform;
}

/** What the agent holds: records, outbox and conflicts, to compare before and after a failure. */
async function snapshot(agent: ProxiedAgent) {
  const sql = agent.store.sql;
  return {
    records: await sql.all('SELECT "dataset", "id", "rev", "data", "state", "deleted" FROM "records" ORDER BY "dataset", "id"'),
    outbox: await sql.all('SELECT "seq", "mutation_id", "record_id", "status" FROM "outbox" ORDER BY "seq"'),
    cursors: await sql.all('SELECT * FROM "cursors"').catch(() => []),
    conflicts: await sql.all('SELECT "id", "status" FROM "conflicts" ORDER BY "id"'),
  };
}

/**
 * A fault in the middle of a transaction, as SQLite reports a full disk:
 * the statement number `failAt` (1-based, writes only) throws SQLITE_FULL.
 * Used where no small file system can be mounted, and to hit an exact point.
 */
/**
 * Makes the `failAt`-th write statement of a transaction throw SQLITE_FULL.
 * With `after`, writes are counted only once a statement matching it has run
 * in that transaction (e.g. a pulled page's records), so the fault lands inside
 * the transaction meant, however many statements other transactions make.
 */
function injectDiskFull(store: AgentStore, failAt: number, after?: RegExp): { disarm(): void; hits: () => number } {
  const original = store.transaction.bind(store);
  let armed = true;
  let hits = 0;
  store.transaction = <T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T> =>
    original(async (tx) => {
      if (!armed) return fn(tx);
      let writes = 0;
      let counting = after === undefined;
      const failing = new Proxy(tx, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if ((prop !== 'run' && prop !== 'all' && prop !== 'get') || typeof value !== 'function') return value;
          return async (sql: string, params?: unknown[]) => {
            if (counting && /^\s*(INSERT|UPDATE|DELETE|REPLACE)/i.test(sql) && ++writes >= failAt) {
              hits += 1;
              throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL', errno: 13 });
            }
            const result = await (value as (s: string, p?: unknown[]) => Promise<unknown>).call(target, sql, params);
            if (after?.test(sql)) counting = true;
            return result;
          };
        },
      });
      return fn(failing);
    }, options);
  return { disarm: () => (armed = false), hits: () => hits };
}

describe('the agent’s own disk and clock fail', () => {
  test('a local write on a full disk (real tmpfs) fails clearly, leaves nothing half-written, and works once space returns', async () => {
    const disk = mountTinyDisk(8);
    if (!disk) {
      console.log('[reliability] tmpfs could not be mounted (not root): the injected SQLITE_FULL tests below cover disk full');
      return;
    }
    const clock = new TestClock();
    const platform = await platformWithSite(clock);
    const gen = createSampleGenerator(SEED);
    const agent = await proxiedAgent(platform, 'HN-A', clock, platform.url, join(disk.dir, 'agent'));
    try {
      assert.equal((await agent.sync()).status, 'ok');
      await platform.admin.putRecords(DS, Array.from({ length: 250 }, () => ({ data: gen.birth('01') })));
      await agent.store.sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
      const filled = disk.fill();
      console.log(`[reliability] tmpfs filled with ${filled} bytes`);
      const before = await snapshot(agent);

      // A pull of 250 records cannot be stored: the run fails or throws, nothing of the page is kept.
      let pullError = '';
      try {
        const run = await agent.sync();
        pullError = JSON.stringify(run.errors);
        assert.notEqual(run.status, 'ok', 'the run reports the failure');
      } catch (error) {
        pullError = String((error as Error).message);
      }
      assert.match(pullError, /SQLITE_FULL|disk is full/i, 'the error says the disk is full');
      assert.deepEqual(await snapshot(agent), before, 'the cache, cursors and outbox are as before the pull');

      let writeError: unknown;
      await agent.writes.put(DS, gen.birth('01')).catch((e: unknown) => (writeError = e));
      assert.match(String((writeError as Error)?.message), /SQLITE_FULL|disk is full/i, 'a local write refuses clearly');
      assert.deepEqual(await snapshot(agent), before, 'nothing half-written');

      disk.free();
      const { record } = await agent.writes.put(DS, gen.birth('01'));
      const run = await agent.sync();
      assert.equal(run.status, 'ok', JSON.stringify(run.errors));
      assert.equal(run.digests[DS]?.status, 'match');
      assert.equal((await platform.admin.getRecord(DS, record.id))?.rev, 1);
      assert.equal((await agent.reads.list(DS, { limit: 1000 })).total, 251);
    } finally {
      await agent.store.close();
      await platform.close();
      disk.unmount();
    }
  });

  test('SQLITE_FULL injected midway through a local write rolls it back whole; the retry works', async () => {
    const clock = new TestClock();
    const platform = await platformWithSite(clock);
    const gen = createSampleGenerator(SEED + 1);
    const agent = await proxiedAgent(platform, 'HN-A', clock, platform.url);
    try {
      await agent.sync();
      const before = await snapshot(agent);
      const auditBefore = await agent.store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM "audit_log"');
      const fault = injectDiskFull(agent.store, 2);
      await assert.rejects(agent.writes.put(DS, gen.birth('01')), /SQLITE_FULL/);
      assert.equal(fault.hits(), 1, 'the fault hit after the first statement of the write');
      assert.deepEqual(await snapshot(agent), before, 'no record, no outbox entry');
      assert.deepEqual(await agent.store.sql.get('SELECT COUNT(*) AS n FROM "audit_log"'), auditBefore, 'no audit entry');
      fault.disarm();
      const { record } = await agent.writes.put(DS, gen.birth('01'));
      assert.equal((await agent.sync()).pushed, 1);
      assert.equal((await platform.admin.getRecord(DS, record.id))?.rev, 1);
      assert.equal((await agent.ctx.audit.verify(agent.store.sql)).ok, true, 'the audit chain is intact');
    } finally {
      await agent.store.close();
      await platform.close();
    }
  });

  test('SQLITE_FULL injected while a pulled page is applied: the run reports it, the page and cursor are not kept, the next run converges', async () => {
    const clock = new TestClock();
    const platform = await platformWithSite(clock);
    const gen = createSampleGenerator(SEED + 2);
    const agent = await proxiedAgent(platform, 'HN-A', clock, platform.url);
    try {
      await agent.sync();
      await platform.admin.putRecords(DS, Array.from({ length: 30 }, () => ({ data: gen.birth('01') })));
      const before = await snapshot(agent);
      // The first write after the page's records (its cursor, or anything the page writes next) fails.
      const fault = injectDiskFull(agent.store, 1, /INSERT INTO "records"/);
      let reported = '';
      try {
        const run = await agent.sync();
        assert.notEqual(run.status, 'ok');
        reported = JSON.stringify(run.errors);
      } catch (error) {
        reported = String((error as Error).message);
      }
      assert.ok(fault.hits() > 0);
      assert.match(reported, /SQLITE_FULL/);
      fault.disarm();
      assert.deepEqual((await snapshot(agent)).records, before.records, 'no pulled record half-applied');
      const birthsCursor = (rows: unknown[]) => rows.find((r) => (r as { dataset: string }).dataset === DS);
      assert.deepEqual(birthsCursor((await snapshot(agent)).cursors), birthsCursor(before.cursors), 'the cursor of the failed page did not move');
      const run = await agent.sync();
      assert.equal(run.status, 'ok');
      assert.equal(run.digests[DS]?.status, 'match');
      assert.equal((await agent.reads.list(DS, { limit: 1000 })).total, 30);
    } finally {
      await agent.store.close();
      await platform.close();
    }
  });

  test('a database file damaged on disk is detected at start with a message in Vietnamese and English', async () => {
    const dir = temp('corrupt-');
    // Scribble over pages in the middle of the file (not the header): a damaged b-tree.
    const file = await damageStoreFile(dir);
    assert.notEqual(readFileSync(file).subarray(0, 16).toString('latin1'), '', 'the header survives');

    await assert.rejects(openAgentStore(dir), (error: unknown) => {
      assert.ok(error instanceof StoreCorruptedError, `StoreCorruptedError, got ${String(error)}`);
      assert.equal(error.kind, 'store_corrupted');
      assert.match(error.messages.vi, /bị hỏng/);
      assert.match(error.messages.en, /damaged/);
      assert.ok(error.problems.length > 0);
      return true;
    });
  });

  test('a clock hours off is refused as clock_skew with the platform’s time, and the queued write goes up once the clock is right', async () => {
    const platformClock = new TestClock();
    const platform = await platformWithSite(platformClock);
    const agentClock = new TestClock(platformClock.ms);
    const agent = await proxiedAgent(platform, 'HN-A', agentClock, platform.url);
    try {
      await agent.sync();
      const { record } = await agent.writes.put(DS, createSampleGenerator(SEED + 3).birth('01'));
      agentClock.advance(-3 * 3600_000);
      const probe = await agent.client.health();
      assert.ok(Math.abs(probe.skewMs - 3 * 3600_000) < 60_000, `the probe sees the platform 3 h ahead: ${probe.skewMs}`);
      const run = await agent.sync();
      assert.equal(run.status, 'failed');
      const error = run.errors[0]?.error;
      assert.ok(error && 'status' in error);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'clock_skew');
      assert.ok(error.serverDate && Math.abs(Date.parse(error.serverDate) - platformClock.ms) < 5000, 'the platform’s clock travels in Date');
      assert.equal((await agent.outbox.stats()).queued, 1, 'the write waits, not quarantined');
      assert.equal(await platform.admin.getRecord(DS, record.id), null);
      agentClock.ms = platformClock.ms;
      assert.equal((await agent.sync()).pushed, 1);
      assert.equal((await platform.admin.getRecord(DS, record.id))?.rev, 1);
    } finally {
      await agent.store.close();
      await platform.close();
    }
  });
});
