import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { addSite, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * `enroll` typed again, with the token already used, on a folder that is
 * enrolled (the command run twice, or from a note): the platform refuses the
 * token, and the message says this computer is still enrolled and nothing
 * changed, not only "already used, ask for a new one".
 */
describe('enrolling again with the used token a folder that is enrolled', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('says the token is used, that this computer is still enrolled (agent id, site) and nothing changed, exit 3; it still syncs', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const home = temp.make('agent-');
      const token = await p.platform.admin.createToken({ site });
      const first = await cli(home, ['--json', 'enroll', '--platform', p.url, '--site', site, '--token', token]);
      assert.equal(first.code, 0, first.stderr);
      const agentId = (first.json as { agentId: string }).agentId;

      const vi = await cli(home, ['enroll', '--token', token]);
      assert.equal(vi.code, 3);
      assert.match(vi.stderr, new RegExp(`Mã đăng ký đã được dùng.*Máy này vẫn đăng ký với nền tảng quốc gia \\(mã tác tử ${agentId}, đơn vị ${site}\\) và đồng bộ như trước: không có gì thay đổi`));
      const en = await cli(home, ['--lang', 'en', 'enroll', '--token', token]);
      assert.equal(en.code, 3);
      assert.match(en.stderr, new RegExp(`already been used.*This computer is still enrolled with the national platform \\(agent id ${agentId}, site ${site}\\) and syncs as before: nothing was changed`));
      assert.match(en.stderr, /only to enroll it anew\. To check: "edge-agent --home \S+ status"\.\n$/);

      const status = await cli(home, ['--json', 'status']);
      assert.equal(status.json.enrollment, 'active');
      assert.equal((await cli(home, ['sync'])).code, 0);
    } finally {
      await p.close();
    }
  });
});
