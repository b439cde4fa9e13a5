import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, test } from 'node:test';
import type { EventName } from '../../sync-engine/src/api/contract.js';
import type { AgentStatusView } from '../../sync-engine/src/api/views.js';
import { splayDelay, splayFraction } from '../../sync-engine/src/domain/splay.js';
import { createAgentService, isLeaseHeldByOther } from '../../sync-engine/src/index.js';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { eventually, FakeCron, FakeTime } from './support/fake-time.js';

const DATASET = 'civil-status-births';

describe('the agent service', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('call never throws: unknown commands, bad input and refusals come back as ApiErrors', async () => {
    const agent = await createAgentService({ dataDir: temp.make(), onError: () => undefined });
    const unknown = await agent.call('records.explode' as 'status.get', {});
    assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'invalid_input');
    const bad = await agent.call('records.list', { dataset: 'NOT A NAME' } as never);
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'invalid_input');
    const notSetUp = await agent.call('sync.now', {});
    assert.equal(notSetUp.ok ? 'ok' : notSetUp.error.code, 'not_enrolled');
    assert.match(notSetUp.ok ? '' : notSetUp.error.messages.vi, /edge-agent init/);
    const noCatalog = await agent.call('records.put', { dataset: DATASET, data: {} });
    assert.equal(noCatalog.ok ? 'ok' : noCatalog.error.code, 'not_found');
    const schedule = await agent.call('settings.update', { schedule: '*/5 * * * * *' });
    assert.equal(schedule.ok ? 'ok' : schedule.error.code, 'validation_failed');
    assert.equal(schedule.ok ? '' : schedule.error.fieldErrors?.[0]?.path, '/schedule');
    assert.equal((await ok(agent, 'settings.update', { schedule: '0 * * * *' })).schedule, '0 * * * *');
    assert.equal((await ok(agent, 'status.get', {})).enrollment, 'not_initialised');
    await agent.close();
    const closed = await agent.call('status.get', {});
    assert.equal(closed.ok ? 'ok' : closed.error.code, 'busy');
  });

  test('a language chosen through settings.update is announced at once and kept across a restart', async () => {
    const dataDir = temp.make();
    const agent = await createAgentService({ dataDir, onError: () => undefined });
    const heard: string[] = [];
    agent.on('settings.changed', (settings) => heard.push(settings.language));
    await ok(agent, 'settings.update', { language: 'en' });
    assert.deepEqual(heard, ['en']);
    await agent.close();
    const again = await createAgentService({ dataDir, onError: () => undefined });
    assert.equal((await ok(again, 'settings.get', {})).language, 'en');
    await again.close();
  });

  test('announces runs, records and status to its listeners', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const seen: EventName[] = [];
    for (const name of ['sync.started', 'sync.finished', 'records.changed', 'status.changed'] as const) agent.on(name, () => seen.push(name));
    const put = await ok(agent, 'records.put', { dataset: DATASET, data: samples(51).sample(DATASET, '01') });
    assert.ok(seen.includes('records.changed'));
    const national = await env.p.platform.admin.putRecord(DATASET, samples(52).sample(DATASET, '01'));
    const started: number[] = [];
    agent.on('sync.started', (e) => started.push(e.runId));
    const finished = await syncOk(agent);
    assert.deepEqual(started, [finished.id]);
    assert.ok(seen.indexOf('sync.started') < seen.indexOf('sync.finished'));
    await eventually(() => seen.includes('status.changed'));
    assert.ok(put.id && national.id);
    const runs = await ok(agent, 'syncRuns.list', { limit: 5 });
    assert.equal(runs[0]?.id, finished.id);
    assert.equal(runs[0]?.trigger, 'manual');
    await agent.close();
  });

  test('a pull of many pages announces records.changed for its first page and its last, not for every page between', async () => {
    // The clock stands still: every page after the first falls within PULLED_CHANGES_EVERY_MS of it.
    const at = Date.now();
    const { agent } = await enrolledAgent(temp, env.p, { service: { now: () => at, sync: { pullLimit: 2 } } });
    const gen = samples(53);
    for (let i = 0; i < 7; i += 1) await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    const changed: Array<{ dataset: string; ids: string[] }> = [];
    agent.on('records.changed', (e) => changed.push(e));
    const run = await syncOk(agent);
    assert.equal(run.pulled, 7, 'four pages of at most two');
    assert.deepEqual(changed, [
      { dataset: DATASET, ids: [] },
      { dataset: DATASET, ids: [] },
    ]);
    await agent.close();
  });

  test('only one process syncs a data folder: a second one reads but refuses to sync, and takes over when the first stops', async () => {
    const { agent: first, dataDir } = await enrolledAgent(temp, env.p);
    const started = await first.start({ background: true, syncAtStart: false });
    assert.equal(started.syncing, true);
    assert.equal(await isLeaseHeldByOther(dataDir), true);

    const second = await createAgentService({ dataDir, onError: () => undefined, lease: { heartbeatMs: 50 } });
    const standby = await second.start({ background: true, syncAtStart: false });
    assert.equal(standby.syncing, false);
    assert.ok(standby.holder && standby.holder.includes(`/${process.pid}/`), 'it names the holder');
    assert.ok((await ok(second, 'datasets.list', {})).length > 0, 'reads still work');
    const refused = await second.call('sync.now', {});
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'busy');

    await first.close();
    await eventually(() => second.holdsLease());
    await syncOk(second);
    await second.close();
    assert.equal(await isLeaseHeldByOther(dataDir), false);
  });

  test('a service in standby names the computer and process that syncs the folder in its status, until it takes over', async () => {
    const { agent: first, dataDir } = await enrolledAgent(temp, env.p);
    await first.start({ background: true, syncAtStart: false });
    const second = await createAgentService({ dataDir, onError: () => undefined, lease: { heartbeatMs: 50 } });
    const heard: Array<AgentStatusView['leaseHeldBy']> = [];
    second.on('status.changed', (status) => heard.push(status.leaseHeldBy));
    await second.start({ background: true, syncAtStart: false });

    const holderProcess = { host: hostname(), pid: process.pid };
    assert.deepEqual((await ok(second, 'status.get', {})).leaseHeldBy, holderProcess, 'host and process id, not the random part');
    assert.equal((await ok(first, 'status.get', {})).leaseHeldBy, null, 'the holder names nobody');
    await eventually(() => heard.length > 0);
    assert.deepEqual(heard[0], holderProcess, 'announced as soon as it is seen');

    await first.close();
    await eventually(() => second.holdsLease());
    await eventually(() => heard.at(-1) === null);
    assert.equal((await ok(second, 'status.get', {})).leaseHeldBy, null);
    await second.close();
  });

  test('a service in standby announces each new holder as the lease passes between other computers', async () => {
    const { agent } = await enrolledAgent(temp, env.p, { sync: false, service: { lease: { heartbeatMs: 50 } } });
    const holdBy = (holder: string) =>
      agent.store.transaction((tx) => tx.run(`INSERT OR REPLACE INTO "lease" ("id", "holder", "expires_at") VALUES (1, ?, ?)`, [holder, Date.now() + 60_000]));
    await holdBy('may-tiep-nhan-1/4242/k3j9');
    const heard: Array<AgentStatusView['leaseHeldBy']> = [];
    agent.on('status.changed', (status) => heard.push(status.leaseHeldBy));
    assert.equal((await agent.start({ background: true, syncAtStart: false })).syncing, false);
    assert.deepEqual((await ok(agent, 'status.get', {})).leaseHeldBy, { host: 'may-tiep-nhan-1', pid: 4242 });

    await holdBy('may-tiep-nhan-2/5151/x8q2');
    await eventually(() => heard.some((h) => h?.host === 'may-tiep-nhan-2'));
    assert.deepEqual(heard.at(-1), { host: 'may-tiep-nhan-2', pid: 5151 });
    assert.equal(agent.holdsLease(), false);
    // "Sync now" meanwhile is refused naming the computer and process, not the lease's random part.
    const refused = await agent.call('sync.now', {});
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'busy');
    assert.equal(!refused.ok && refused.error.messages.vi.startsWith('Một chương trình khác trên máy may-tiep-nhan-2 (tiến trình 5151) đang đồng bộ'), true);
    assert.doesNotMatch(!refused.ok ? refused.error.messages.en : '', /x8q2/);

    await agent.store.transaction((tx) => tx.run(`DELETE FROM "lease"`));
    await eventually(() => agent.holdsLease() && heard.at(-1) === null);
    await agent.close();
  });

  test('in the background, a "sync now" during a run waits for it and then runs in place of the ticks\' follow-up, and runs never overlap', async () => {
    const time = new FakeTime();
    const cron = new FakeCron(time);
    const { agent } = await enrolledAgent(temp, env.p, { service: { cron } });
    const runs: string[] = [];
    let active = 0;
    let overlap = false;
    agent.on('sync.started', (e) => {
      runs.push(e.trigger);
      active += 1;
      if (active > 1) overlap = true;
    });
    agent.on('sync.finished', () => (active -= 1));
    await agent.start({ background: true, syncAtStart: true });
    cron.tick();
    cron.tick();
    const during = await ok(agent, 'sync.now', {});
    assert.equal(during.started, true);
    assert.equal(during.run?.trigger, 'manual', 'the answer is the run started after the request');
    assert.deepEqual(runs, ['startup', 'manual'], 'the request waited for the run in progress, and its run covered the ticks made during it');
    assert.equal(active, 0);
    assert.equal(overlap, false);
    await agent.close();
  });

  test("in the background, the next sync is the next cron tick plus this agent's splay, from its id: another agent's differs, and a restart keeps it", async () => {
    const time = new FakeTime();
    const cron = new FakeCron(time);
    const service = { cron, timer: time };
    const nextSync = async (agent: Awaited<ReturnType<typeof createAgentService>>) => {
      await agent.start({ background: true, syncAtStart: false });
      return Date.parse((await ok(agent, 'status.get', {})).nextSyncAt ?? '') - time.now();
    };
    const first = await enrolledAgent(temp, env.p, { service });
    const second = await enrolledAgent(temp, env.p, { service });
    const offset = splayDelay(splayFraction(first.agentId), 300_000);
    assert.ok(offset > 0 && offset < 299_000);
    assert.equal(await nextSync(first.agent), 300_000 + offset, 'the next tick (in 5 minutes here) plus the splay');
    const other = await nextSync(second.agent);
    assert.equal(other, 300_000 + splayDelay(splayFraction(second.agentId), 300_000));
    assert.notEqual(other, 300_000 + offset, 'another agent, another offset');
    await second.agent.close();
    await first.agent.close();
    const again = await createAgentService({ dataDir: first.dataDir, onError: () => undefined, ...service });
    assert.equal(await nextSync(again), 300_000 + offset, 'the same offset after a restart');
    await again.close();
  });

  test('a lease left by a process that died is free at once', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    // A holder on this computer whose process is gone (pid 2^22+1 is beyond any live pid here).
    await agent.store.transaction((tx) => tx.run(`INSERT OR REPLACE INTO "lease" ("id", "holder", "expires_at") VALUES (1, ?, ?)`, [`${hostname()}/4194305/dead`, Date.now() + 60_000]));
    assert.equal(await isLeaseHeldByOther(dataDir), false);
    await syncOk(agent);
    await agent.close();
  });
});
