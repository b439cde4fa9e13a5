import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/index.js';
import { addSite, enrolledAgent, ok, platformPerSuite, syncOk } from './support/agent-fixture.js';

describe('connection health and the agent’s standing', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('a revoked agent shows as unauthorized and revoked, and stays so for a new process', async () => {
    const { agent, agentId, dataDir } = await enrolledAgent(temp, env.p);
    assert.equal((await ok(agent, 'status.get', {})).health.state, 'online');
    await env.p.platform.admin.revokeAgent(agentId);
    const answer = await ok(agent, 'sync.now', {});
    assert.equal(answer.run?.status, 'failed');
    assert.equal(answer.run?.error?.code, 'agent_revoked');
    let status = await ok(agent, 'status.get', {});
    assert.equal(status.health.state, 'unauthorized');
    assert.equal(status.health.code, 'agent_revoked');
    assert.equal(status.enrollment, 'revoked');
    await agent.close();

    // The health probe is unsigned and still answers: the refusal must not be forgotten.
    const again = await createAgentService({ dataDir, onError: () => undefined });
    status = await ok(again, 'status.get', {});
    assert.equal(status.health.state, 'unauthorized');
    assert.equal(status.enrollment, 'revoked');
    await again.close();
  });

  test('a clock hours off is reported as clock skew, by the probe and by the refused signatures', async () => {
    const offset = 3 * 3_600_000;
    const { agent } = await enrolledAgent(temp, env.p, { sync: false, service: { now: () => Date.now() + offset } });
    const answer = await ok(agent, 'sync.now', {});
    assert.equal(answer.run?.status, 'failed');
    assert.equal(answer.run?.error?.code, 'clock_skew');
    const status = await ok(agent, 'status.get', {});
    assert.equal(status.health.state, 'clock_skew');
    assert.match(status.health.reason.en, /3 hours ahead of/);
    assert.match(status.health.reason.vi, /chạy nhanh 3 giờ/);
    await agent.close();
  });

  test('an agent awaiting approval says so, and syncs once the operator approves it', async () => {
    const site = await addSite(env.p, { requireApproval: true });
    const { agent, agentId } = await enrolledAgent(temp, env.p, { site, sync: false });
    let status = await ok(agent, 'status.get', {});
    assert.equal(status.enrollment, 'pending');
    assert.equal(status.health.state, 'unauthorized');
    assert.equal(status.health.code, 'agent_pending');
    const refused = await ok(agent, 'sync.now', {});
    assert.equal(refused.run?.error?.code, 'agent_pending');
    await env.p.platform.admin.approveAgent(agentId);
    await syncOk(agent);
    status = await ok(agent, 'status.get', {});
    assert.equal(status.health.state, 'online');
    await agent.close();
  });

  test('a platform under maintenance is degraded, with the retry it asked for', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    await env.p.platform.admin.setMaintenance(true, 60);
    try {
      const answer = await ok(agent, 'sync.now', {});
      assert.equal(answer.run?.status, 'failed');
      assert.equal(answer.run?.error?.code, 'maintenance');
      const status = await ok(agent, 'status.get', {});
      assert.equal(status.health.state, 'degraded');
      assert.equal(status.health.code, 'maintenance');
    } finally {
      await env.p.platform.admin.setMaintenance(false);
    }
    await agent.close();
  });

  test('every probe is kept as a sample for the latency chart, and the state is the latest judgement', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    await syncOk(agent);
    const status = await ok(agent, 'status.get', {});
    assert.equal(status.latency.length, 48);
    const probes = status.latency.reduce((n, b) => n + (b.p50 !== null ? 1 : 0), 0);
    assert.ok(probes >= 1, 'the last bucket holds the probes of the runs');
    assert.ok(status.health.latencyMs !== null && status.health.latencyMs >= 0);
    const rows = await agent.store.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM "health_samples"');
    assert.ok((rows[0]?.n ?? 0) >= 2);
    await agent.close();
  });
});
