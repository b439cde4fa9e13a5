import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { nodeCronSource } from '../../sync-engine/src/adapters/cron-node.js';
import { runDoctor } from '../../sync-engine/src/ops/doctor.js';
import { parseProvisioningFile } from '../../sync-engine/src/ops/provisioning-file.js';
import { createAgentService } from '../../sync-engine/src/index.js';
import { AgentSettings } from '../../sync-engine/src/service/agent-settings.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { ok, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * Every door through which the agent takes a platform address refuses plain
 * HTTP to another machine (SYNC-PROTOCOL.md: plain HTTP only on loopback).
 * The addresses are names under example.gov.vn: nothing here connects anywhere.
 */
const REMOTE_HTTP = 'http://ndxp.example.gov.vn:8080';
const LOOKALIKE = 'http://127.0.0.1.example.gov.vn';
const TOKEN = 'one-time-token-0123456789';

const refusedAddress = (error: { code: string; messages: { vi: string; en: string } }) => {
  assert.equal(error.code, 'invalid_input');
  assert.match(error.messages.vi, /http:\/\/ không mã hóa chỉ được dùng khi nền tảng chạy ngay trên máy này/);
  assert.match(error.messages.en, /unencrypted http:\/\/ is allowed only when the platform runs on this computer/);
};

describe('a plain-HTTP platform address to another machine', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('settings.update and enrollment.enroll refuse it and store nothing; loopback http and any https are taken', async () => {
    let enrollCalls = 0;
    const agent = await createAgentService({
      dataDir: temp.make(),
      onError: () => undefined,
      enroll: async () => {
        enrollCalls += 1;
        throw new Error('no platform in this test');
      },
    });
    try {
      for (const address of [REMOTE_HTTP, LOOKALIKE]) {
        const settings = await agent.call('settings.update', { platformUrl: address });
        assert.ok(!settings.ok);
        refusedAddress(settings.error);
        const enrolled = await agent.call('enrollment.enroll', { token: TOKEN, platformUrl: address, siteCode: 'HN-01' });
        assert.ok(!enrolled.ok);
        refusedAddress(enrolled.error);
      }
      assert.equal(enrollCalls, 0, 'no enrollment request was made');
      assert.equal((await ok(agent, 'settings.get', {})).platformUrl, null);
      for (const address of ['http://127.0.0.1:8080', 'HTTP://LOCALHOST:8080', 'http://[::1]:8080', 'https://ndxp.example.gov.vn']) {
        assert.equal((await ok(agent, 'settings.update', { platformUrl: address })).platformUrl, address);
      }
    } finally {
      await agent.close();
    }
  });

  test('an address stored before the rule is kept for the person to see, but enrollment and sync refuse to use it', async () => {
    const dataDir = temp.make();
    const store = await openAgentStore(dataDir);
    await new AgentSettings(store).write({ platformUrl: REMOTE_HTTP, siteCode: 'HN-01' });
    await store.close();
    let clients = 0;
    let enrollCalls = 0;
    const agent = await createAgentService({
      dataDir,
      onError: () => undefined,
      platformClientFactory: () => {
        clients += 1;
        throw new Error('no platform in this test');
      },
      enroll: async () => {
        enrollCalls += 1;
        throw new Error('no platform in this test');
      },
    });
    try {
      assert.equal((await ok(agent, 'settings.get', {})).platformUrl, REMOTE_HTTP);
      const enrolled = await agent.call('enrollment.enroll', { token: TOKEN });
      assert.ok(!enrolled.ok);
      refusedAddress(enrolled.error);
      assert.match(enrolled.error.messages.vi, /Địa chỉ nền tảng http:\/\/ndxp\.example\.gov\.vn:8080 không dùng được/);
      const synced = await agent.call('sync.now', {});
      assert.ok(!synced.ok);
      refusedAddress(synced.error);
      assert.equal(enrollCalls, 0);
      assert.equal(clients, 0, 'no platform client was built for the refused address');
    } finally {
      await agent.close();
    }
  });

  test('edge-agent init and enroll refuse it with the reason in the chosen language, exit 1', async () => {
    const home = temp.make('agent-');
    const init = await cli(home, ['--lang', 'vi', 'init', '--platform', REMOTE_HTTP, '--site', 'HN-01']);
    assert.equal(init.code, 1, init.stderr);
    assert.match(init.stderr, /Địa chỉ nền tảng: http:\/\/ không mã hóa/);
    const enroll = await cli(home, ['--lang', 'en', 'enroll', '--token', TOKEN, '--platform', LOOKALIKE, '--site', 'HN-01']);
    assert.equal(enroll.code, 1, enroll.stderr);
    assert.match(enroll.stderr, /Platform address: unencrypted http:\/\//);
    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.json.enrollment, 'not_initialised');
  });

  test('a provisioning file with it names the platformUrl field and the reason; a loopback http file is valid', () => {
    const file = (platformUrl: string) => JSON.stringify({ platformUrl, siteCode: 'HN-01', token: TOKEN, installService: false });
    const refused = parseProvisioningFile(file(REMOTE_HTTP), nodeCronSource);
    assert.ok(!refused.ok);
    assert.deepEqual(refused.problems.map((p) => p.path), ['platformUrl']);
    assert.match(refused.problems[0]!.messages.vi, /trường "platformUrl" sai: http:\/\/ không mã hóa/);
    assert.match(refused.problems[0]!.messages.en, /field "platformUrl" is wrong: unencrypted http:\/\//);
    assert.equal(parseProvisioningFile(file('http://127.0.0.1:8080'), nodeCronSource).ok, true);
  });

  test('edge-agent doctor fails the settings step with the reason and probes nothing', async () => {
    const probed: string[] = [];
    const probe = {
      resolve: async (host: string) => (probed.push(host), { ok: false as const, code: 'ENOTFOUND' }),
      connect: async (host: string) => (probed.push(host), { ok: false as const, code: 'ECONNREFUSED' }),
      handshake: async (host: string) => (probed.push(host), { ok: false }),
    };
    const keyStore = { ref: 'none', load: async () => null, save: async () => undefined };
    const report = await runDoctor({ platformUrl: REMOTE_HTTP, agentId: null, keyStore, network: { proxy: null }, probe, now: Date.now });
    assert.equal(report.ok, false);
    const settings = report.checks.find((c) => c.id === 'settings');
    assert.equal(settings?.status, 'fail');
    assert.match(settings!.messages.en, /cannot be used: unencrypted http:\/\//);
    assert.deepEqual(probed, []);
  });
});
