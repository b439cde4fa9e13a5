import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FileKeyStore } from '../../sync-engine/src/adapters/file-key-store.js';
import type { AgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { createAgentService, type AgentService } from '../../sync-engine/src/service/agent-service.js';
import { holdWrite } from '../support/hold-write.js';
import { addSite, enrolledAgent, ok, platformPerSuite, syncOk } from './support/agent-fixture.js';

const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

// The one-time enrollment token is spent once the platform accepts it, so an enrollment whose data
// file another agent process keeps busy (its write lock held past the 5 s a write waits) is refused
// before the token is sent: the platform holds no new agent, the token still works, and this
// computer's key and identity are as they were.
describe('enrolling beside a busy data file', () => {
  const env = platformPerSuite();
  const { temp } = env;

  /** A command's service opened beside `window` (the folder's holder: the lease taken, no admin API). */
  async function beside(dataDir: string): Promise<AgentService> {
    const agent = await createAgentService({ dataDir, onError: () => undefined });
    await agent.start({ background: false });
    return agent;
  }

  /** enrollment.enroll through `agent` while `window` holds the data file's write lock. */
  async function enrollWhileBusy(agent: AgentService, window: AgentService, token: string) {
    const write = await holdWrite(window.store, 'enroll-busy');
    try {
      return await agent.call('enrollment.enroll', { token });
    } finally {
      await write.release();
    }
  }

  test('a first enrollment is refused busy before its token is sent; the token stays unused and enrolls once the folder is free', async () => {
    const site = await addSite(env.p);
    const dataDir = temp.make('enroll-busy-');
    const window = await createAgentService({ dataDir, onError: () => undefined });
    await ok(window, 'settings.update', { platformUrl: env.p.url, siteCode: site });
    await window.start({ background: true, syncAtStart: false });
    const agent = await beside(dataDir);
    try {
      const token = await env.p.platform.admin.createToken({ site });
      const answer = await enrollWhileBusy(agent, window, token);
      // Nothing happened on either side: no agent on the platform, no key or identity here.
      assert.deepEqual(await env.p.platform.admin.listAgents({ site }), []);
      assert.equal(existsSync(join(dataDir, 'agent-key.pem')), false, 'no key file');
      assert.equal((await ok(agent, 'status.get', {})).enrollment, 'not_enrolled');

      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'busy', answer.error.messages.en);
      assert.ok(answer.error.messages.vi.includes(`Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}`), answer.error.messages.vi);
      assert.match(answer.error.messages.vi, /mã đăng ký chưa được gửi đến nền tảng quốc gia và chưa có gì được lưu \(mã vẫn dùng được\)\. Dữ liệu không bị hỏng\. Hãy thử lại/);
      assert.match(answer.error.messages.en, /the enrollment token was not sent to the national platform and nothing was saved \(the token can still be used\)\. The data is not damaged\. Try again/);
      assert.doesNotMatch(JSON.stringify(answer.error), /unexpected|không lường trước|SQLITE_BUSY|database is locked/);

      // The same token enrolls once the folder is free.
      const enrolled = await ok(agent, 'enrollment.enroll', { token });
      assert.equal(enrolled.status, 'active');
      assert.deepEqual((await env.p.platform.admin.listAgents({ site })).map((a) => a.id), [enrolled.agentId]);
      assert.equal((await ok(agent, 'status.get', {})).enrollment, 'active');
    } finally {
      await agent.close();
      await window.close();
    }
  });

  test('an enrolled agent enrolling again beside a busy data file keeps its key and identity, and still syncs', async () => {
    const { agent: window, dataDir, agentId, site } = await enrolledAgent(temp, env.p);
    await window.start({ background: true, syncAtStart: false });
    const agent = await beside(dataDir);
    try {
      const key = readFileSync(join(dataDir, 'agent-key.pem'), 'utf8');
      const token = await env.p.platform.admin.createToken({ site });
      const answer = await enrollWhileBusy(agent, window, token);
      assert.deepEqual((await env.p.platform.admin.listAgents({ site })).map((a) => a.id), [agentId], 'no second agent');
      assert.equal(readFileSync(join(dataDir, 'agent-key.pem'), 'utf8'), key, 'the key is kept');
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'busy', answer.error.messages.en);
      assert.match(answer.error.messages.en, /the enrollment token was not sent/);

      // Its identity still signs: a sync goes through.
      assert.equal((await ok(agent, 'status.get', {})).enrollment, 'active');
      await syncOk(window);
    } finally {
      await agent.close();
      await window.close();
    }
  });

  test('a key that cannot be saved after the platform accepted the token says the token is used up, and the agent keeps its identity and key', async () => {
    // A key file whose next save fails once the new key is written (its public half met a full disk, say).
    const keys = new (class extends FileKeyStore {
      failNext = false;
      override async save(pair: AgentKeyPair): Promise<void> {
        await super.save(pair);
        if (this.failNext) {
          this.failNext = false;
          throw new Error('ENOSPC: no space left on device');
        }
      }
    })(temp.make('key-store-'));
    const { agent, agentId, site } = await enrolledAgent(temp, env.p, { service: { keyStore: keys } });
    try {
      const key = await keys.load();
      const token = await env.p.platform.admin.createToken({ site });
      keys.failNext = true;
      const answer = await agent.call('enrollment.enroll', { token });
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      const [second] = (await env.p.platform.admin.listAgents({ site })).map((a) => a.id).filter((id) => id !== agentId);
      assert.ok(second, 'the platform accepted the token');
      assert.equal(answer.error.code, 'internal');
      assert.ok(answer.error.messages.vi.includes(`Nền tảng quốc gia đã nhận mã đăng ký (mã tác tử ${second}), nhưng máy này không lưu được danh tính mới: ENOSPC`), answer.error.messages.vi);
      assert.match(answer.error.messages.vi, /Mã đăng ký đã được dùng và không dùng lại được; máy này vẫn như trước khi đăng ký\. .*xin người quản trị nền tảng quốc gia một mã mới/);
      assert.ok(answer.error.messages.en.includes(`The national platform accepted the enrollment token (agent id ${second}), but this computer could not save its new identity: ENOSPC`), answer.error.messages.en);
      assert.match(answer.error.messages.en, new RegExp(`The token is used up and cannot be used again; this computer is as it was before enrolling\\. .*ask the national platform operator for a new token \\(and to revoke agent ${second}\\)`));
      assert.doesNotMatch(JSON.stringify(answer.error), /nothing was saved|unexpected|không lường trước/);

      // As it was: the same key, the same identity, which still syncs.
      assert.deepEqual(await keys.load(), key);
      await syncOk(agent);
      assert.equal((await ok(agent, 'status.get', {})).enrollment, 'active');
    } finally {
      await agent.close();
    }
  });
});
