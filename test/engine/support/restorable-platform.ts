import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../../national-platform/src/index.js';
import { validBirth } from '../../datasets/fixtures.js';
import { platformCli } from '../../support/platform-cli.js';
import { TestClock } from './engine-fixture.js';
import { enrolledAgent, type EnrolledAgent } from './enrolled-agent.js';

const DS = 'civil-status-births';

/**
 * The reference platform on a temp SQLite file that a test backs up and
 * restores as an operator would (the file put back while it is stopped, then
 * started on the same address), with the agents it enrolls; close() stops
 * them all and removes the files.
 */
export async function restorablePlatform() {
  const dir = mkdtempSync(join(tmpdir(), 'restore-'));
  const db = join(dir, 'platform.sqlite');
  const backup = join(dir, 'backup.sqlite');
  const clock = new TestClock();
  const start = (port?: number) =>
    startPlatform({ db, rateLimit: false, now: () => new Date(clock.now()), log: () => undefined, ...(port === undefined ? {} : { port }) });
  const agents: EnrolledAgent[] = [];
  const r = {
    db,
    clock,
    platform: await start(),
    /** A site in province 01 and an agent enrolled for it. */
    async enrolledAgent(site: string): Promise<EnrolledAgent> {
      await r.platform.admin.addSite({ code: site, name: 'UBND phường A', provinceCode: '01' });
      const agent = await enrolledAgent(r.platform, site, clock);
      agents.push(agent);
      return agent;
    },
    /** The platform's file copied aside while it is stopped. */
    async backUp(): Promise<void> {
      const port = r.platform.port;
      await r.platform.close();
      copyFileSync(db, backup);
      r.platform = await start(port);
    },
    /** The backup put back while the platform is stopped (`beforeStart`: the operator's step on the restored file). */
    async restore(beforeStart?: () => Promise<void>): Promise<void> {
      const port = r.platform.port;
      await r.platform.close();
      for (const suffix of ['-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
      copyFileSync(backup, db);
      await beforeStart?.();
      r.platform = await start(port);
    },
    /** Restored as docs/operations.md 1.11 says: the backup put back, then `epoch new` before the platform starts. */
    async restoreWithNewEpoch(): Promise<void> {
      await r.restore(async () => {
        const epoch = await platformCli(db, ['epoch', 'new', '--yes']);
        assert.equal(epoch.code, 0, epoch.err);
      });
    },
    /** Office HN-A's agent, holding a national birth record (rev 1) it synced. */
    async officeHoldingRecord(): Promise<{ a: EnrolledAgent; national: ReturnType<typeof validBirth>; id: string }> {
      const a = await r.enrolledAgent('HN-A');
      const national = validBirth();
      const { id } = await r.platform.admin.putRecord(DS, national);
      assert.equal((await a.sync()).status, 'ok');
      return { a, national, id };
    },
    async close(): Promise<void> {
      for (const agent of agents) await agent.close();
      await r.platform.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return r;
}
