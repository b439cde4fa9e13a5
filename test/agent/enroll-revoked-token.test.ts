import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { addSite, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * A token the platform's operator revoked (`tokens revoke`, a leaked token) is
 * answered `token_expired`, as an expired one is: the office is told the token
 * has expired or was revoked and to ask for a new one, not only "expired".
 */
describe('enrolling with a token the operator revoked', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('is refused, exit 3, saying the token expired or was revoked and to ask the operator for a new one; nothing is enrolled', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const leaked = await p.platform.admin.issueToken({ site });
      await p.platform.admin.revokeToken(leaked.id);
      const home = temp.make('agent-');

      const vi = await cli(home, ['enroll', '--platform', p.url, '--site', site, '--token', leaked.token]);
      assert.equal(vi.code, 3, vi.stderr);
      assert.match(vi.stderr, /Mã đăng ký đã hết hạn hoặc đã bị thu hồi\. Hãy xin mã mới từ người quản trị nền tảng quốc gia\./);
      const en = await cli(home, ['--lang', 'en', 'enroll', '--platform', p.url, '--site', site, '--token', leaked.token]);
      assert.equal(en.code, 3, en.stderr);
      assert.match(en.stderr, /The enrollment token has expired or was revoked\. Ask the national platform operator for a new one\./);
      assert.equal((await p.platform.admin.listAgents()).length, 0);

      const fresh = await p.platform.admin.createToken({ site });
      const enrolled = await cli(home, ['--json', 'enroll', '--platform', p.url, '--site', site, '--token', fresh]);
      assert.equal(enrolled.code, 0, enrolled.stderr);
    } finally {
      await p.close();
    }
  });
});
