import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { addSite, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * The platform accepts an enrollment whatever this computer's clock says (it
 * is not signed), then refuses every signed call: whoever enrolls is told at
 * once, not at the first sync after they have left.
 */
describe('enrolling a computer whose clock is 10 minutes off', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('enroll and provision succeed (exit 0) and warn, in the chosen language, that nothing syncs until the clock is set', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const behind = { service: { onError: () => undefined, now: () => Date.now() - 600_000 } };
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      const enrolled = await cli(home, ['enroll', '--token', await p.platform.admin.createToken({ site })], behind);
      assert.equal(enrolled.code, 0, enrolled.stderr);
      assert.match(enrolled.stdout, /^Đã đăng ký\. .*\nCảnh báo: Đồng hồ của máy này chạy chậm 10 phút .* chưa đồng bộ được cho đến khi chỉnh đồng hồ/);

      const file = join(temp.make('prov-'), 'provisioning.json');
      writeFileSync(file, JSON.stringify({ platformUrl: p.url, siteCode: site, token: await p.platform.admin.createToken({ site }), installService: false }));
      const provisioned = await cli(temp.make('agent-'), ['--lang', 'en', 'provision', file], behind);
      assert.equal(provisioned.code, 0, provisioned.stderr);
      assert.match(provisioned.stdout, /\nWarning: This computer's clock is 10 minutes behind the national platform's.*nothing syncs until the clock is set/);

      const onTime = await cli(temp.make('agent-'), ['--lang', 'en', 'enroll', '--platform', p.url, '--site', site, '--token', await p.platform.admin.createToken({ site })]);
      assert.equal(onTime.code, 0, onTime.stderr);
      assert.doesNotMatch(onTime.stdout, /Warning/);
    } finally {
      await p.close();
    }
  });
});
