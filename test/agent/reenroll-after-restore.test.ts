import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { addSite, enrolledAgent, ok, platformLive, samples, syncOk, TempDirs } from './support/agent-fixture.js';
import { RestorablePlatform } from './support/restorable-platform.js';

const DS = 'civil-status-births';

/**
 * An office whose agent was enrolled after the platform's last backup: the
 * platform is restored (docs/operations.md 1.11: the file put back, `epoch
 * new`), so it knows neither that agent nor what it sent, and the office is
 * enrolled again with a new token. Its new identity names the one it had;
 * the restored platform, which does not know that one, answers the time of the
 * newest change it held, and the office's records created after it are sent
 * again instead of swept by the first pull (docs/reliability.md).
 */
describe('an office enrolled after the platform’s backup, enrolled again after the restore', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('creates again the records it had created, after the restored platform says it was restored without that enrollment', async () => {
    const r = await RestorablePlatform.start(temp);
    try {
      const site = await addSite(r.p);
      const gen = samples(61);
      const national = await r.p.platform.admin.putRecord(DS, gen.sample(DS, '01'));
      await r.backUp();

      const { agent } = await enrolledAgent(temp, r.p, { site });
      const mine = gen.sample(DS, '01');
      const created = await ok(agent, 'records.put', { dataset: DS, data: mine });
      assert.equal((await syncOk(agent)).pushed, 1);

      await r.restore();
      assert.equal((await platformLive(r.p, DS)).has(created.id), false, 'the restore lost the record');
      const refused = await ok(agent, 'sync.now', {});
      assert.equal(refused.run?.error?.code, 'unknown_agent', JSON.stringify(refused.run?.error));

      await ok(agent, 'enrollment.enroll', { token: await r.p.platform.admin.createToken({ site }) });
      const run = await syncOk(agent);
      assert.deepEqual([run.resent, run.pushed, run.rejected], [1, 1, 0], JSON.stringify(run));
      const live = await platformLive(r.p, DS);
      assert.deepEqual(live.get(created.id)?.data, mine, 'the platform holds the office’s record again');
      assert.ok(live.has(national.id));
      const local = await ok(agent, 'records.get', { dataset: DS, id: created.id });
      assert.equal(local?.state, 'synced');
      const again = await syncOk(agent);
      assert.deepEqual([again.resent, again.pushed], [undefined, 0]);
    } finally {
      await r.close();
    }
  });
});
