import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { addSite, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * The platform refuses a signed call from a clock more than 5 minutes off and
 * sends its own time (Date): the failed run says how far off this clock is,
 * where it said only "more than 5 minutes".
 */
describe('sync on a computer whose clock is 17 minutes ahead', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('the failed run (the text of sync and its --json, as the history shows it) says how far off the clock is, in vi and en', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const home = temp.make('agent-');
      const enrolled = await cli(home, ['enroll', '--platform', p.url, '--site', site, '--token', await p.platform.admin.createToken({ site })]);
      assert.equal(enrolled.code, 0, enrolled.stderr);
      const ahead = { service: { onError: () => undefined, now: () => Date.now() + 17 * 60_000 } };
      const vi = await cli(home, ['sync'], ahead);
      assert.equal(vi.code, 3, vi.stderr);
      assert.match(vi.stdout, /\n {2}Đồng hồ của máy này chạy nhanh 17 phút so với nền tảng quốc gia nên việc đồng bộ bị từ chối\. Hãy chỉnh lại đồng hồ/);
      assert.doesNotMatch(vi.stdout, /lệch quá 5 phút/);
      const json = await cli(home, ['--json', '--lang', 'en', 'sync'], ahead);
      const run = (json.json as { run: { status: string; error: { code: string; messages: { en: string } } } }).run;
      assert.equal(run.status, 'failed');
      assert.equal(run.error.code, 'clock_skew');
      assert.match(run.error.messages.en, /^This computer's clock is 17 minutes ahead of the national platform's, so sync is refused\. Set this computer's clock/);
    } finally {
      await p.close();
    }
  });
});
