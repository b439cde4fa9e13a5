import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { platformCli } from '../support/platform-cli.js';
import { LastSeenRecorder } from '../../national-platform/src/services/last-seen.js';
import { describeOnEachStore } from '../support/platform-harness.js';

const DAY = 86_400;

interface Listed {
  id: string;
  siteCode: string;
  status: string;
  lastSeenAt: string | null;
}

describeOnEachStore('agents list: when each office last synced', (env) => {
  test('shows each agent\'s last signed request, and --not-seen-for names the active ones silent that long or never seen', async () => {
    const p = await env.start();
    // An office that synced five days ago and has been silent since (its PC is off).
    p.clock.advance(-5 * DAY);
    const silent = await p.agent('HN-SILENT');
    assert.equal((await silent.catalog()).status, 200);
    p.clock.advance(5 * DAY);
    // One that syncs now, one that enrolled and never synced, one revoked long ago.
    const busy = await p.agent('HN-BUSY');
    assert.equal((await busy.pull('civil-status-births')).status, 200);
    const never = await p.agent('HN-NEVER');
    const stolen = await p.agent('HN-STOLEN');
    await p.admin.revokeAgent(stolen.agentId);
    // serve writes what it saw when it stops (and every half minute while it runs).
    await p.close();

    const all = JSON.parse((await platformCli(p.db, ['agents', 'list', '--json'])).out) as Listed[];
    const seen = new Map(all.map((a) => [a.id, a.lastSeenAt]));
    const fiveDaysAgo = Date.now() - 5 * DAY * 1000;
    assert.ok(Math.abs(Date.parse(seen.get(silent.agentId) ?? '') - fiveDaysAgo) < 60_000, `silent office last seen ${seen.get(silent.agentId)}`);
    assert.ok(Math.abs(Date.parse(seen.get(busy.agentId) ?? '') - Date.now()) < 60_000, `busy office last seen ${seen.get(busy.agentId)}`);
    assert.equal(seen.get(never.agentId), null);

    const stale = await platformCli(p.db, ['agents', 'list', '--not-seen-for', '3d', '--json']);
    assert.equal(stale.code, 0, stale.err);
    // Active only: the revoked PC is expected to be silent.
    assert.deepEqual((JSON.parse(stale.out) as Listed[]).map((a) => a.siteCode).sort(), ['HN-NEVER', 'HN-SILENT']);

    const text = await platformCli(p.db, ['agents', 'list', '--not-seen-for', '3d']);
    assert.match(text.out, /lastSeenAt/);
    assert.match(text.out, /HN-NEVER .*\(never\)/);
    assert.match(text.out, /HN-SILENT .*\d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const vi = await platformCli(p.db, ['agents', 'list', '--site', 'HN-NEVER'], '', 'vi');
    assert.match(vi.out, /liên lạc lần cuối/);
    assert.match(vi.out, /\(chưa lần nào\)/);

    const recent = await platformCli(p.db, ['agents', 'list', '--not-seen-for', '10d']);
    assert.equal(recent.code, 0, recent.err);
    assert.match(recent.out, /HN-NEVER/);
    assert.doesNotMatch(recent.out, /HN-SILENT|HN-BUSY/);
  });

  test('with none silent, it says every active agent was seen', async () => {
    const p = await env.start();
    const busy = await p.agent('HN-BUSY');
    assert.equal((await busy.catalog()).status, 200);
    await p.close();
    const out = await platformCli(p.db, ['agents', 'list', '--not-seen-for', '1d']);
    assert.equal(out.code, 0, out.err);
    assert.equal(out.out, 'every active agent was seen within the last 1d\n');
    const vi = await platformCli(p.db, ['agents', 'list', '--not-seen-for', '1d'], '', 'vi');
    assert.equal(vi.out, 'mọi tác tử đang được đồng bộ đều đã liên lạc trong vòng 1d qua\n');
  });
});

describeOnEachStore('the last-seen recorder while serve runs', (env) => {
  test('a sighting is written by the half-minute timer (here 20 ms) without waiting for serve to stop, and a time never goes back', async () => {
    const p = await env.start();
    try {
      const agent = await p.agent('HN-TIMER');
      let now = new Date('2026-11-20T08:00:00.000Z');
      const recorder = new LastSeenRecorder(p.store, { now: () => now, flushDelayMs: 20 });
      const lastSeen = async () => (await p.admin.listAgents()).find((a) => a.id === agent.agentId)?.lastSeenAt ?? null;
      recorder.seen(agent.agentId);
      // Written by the timer alone: nothing here calls flush() or close() before it is read back.
      for (let waited = 0; (await lastSeen()) !== '2026-11-20T08:00:00.000Z'; waited += 10) {
        assert.ok(waited < 10_000, 'the timer wrote the sighting');
        await delay(10);
      }
      // A later batch holding an older time (another process's, a clock set back) does not move it back.
      now = new Date('2026-11-19T08:00:00.000Z');
      recorder.seen(agent.agentId);
      await recorder.flush();
      assert.equal(await lastSeen(), '2026-11-20T08:00:00.000Z');
      await recorder.close();
    } finally {
      await p.close();
    }
  });
});
