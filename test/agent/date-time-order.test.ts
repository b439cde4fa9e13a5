import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import { parseDateTimeDraft } from '../../renderer/src/model/date-input.js';
import { formatDateTime } from '../../renderer/src/model/format.js';
import { enrolledAgent, ok, platformPerSuite } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

// Every date and time is read in this computer's time zone: a commune office's (UTC+7).
process.env.TZ = 'Asia/Ho_Chi_Minh';

/**
 * A date and time is written one way wherever people read it: date first,
 * "24/03/2025 14:30", as the form's hints ask for it and the clerk types it,
 * in the window in both languages and in the CLI's text (vi-VN's own order put
 * the time first, en-GB a comma between, and the CLI printed ISO timestamps).
 */
describe('a date and time reads dd/mm/yyyy HH:mm everywhere', () => {
  const instants: Array<[string, string]> = [
    ['2025-03-24T07:30:00Z', '24/03/2025 14:30'],
    ['2025-12-31T17:05:42.123Z', '01/01/2026 00:05'],
    ['2026-07-01T01:00:00Z', '01/07/2026 08:00'],
  ];

  test('the window shows date first in Vietnamese and English, and the form reads back what it shows', () => {
    for (const [iso, shown] of instants) {
      assert.equal(formatDateTime('vi', iso), shown, iso);
      assert.equal(formatDateTime('en', iso), shown, iso);
      assert.equal(formatDateTime('vi', Date.parse(iso)), shown, 'a time in milliseconds too');
      assert.equal(parseDateTimeDraft(shown), new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString().replace(/\.000Z$/, 'Z'), `typed as shown: ${shown}`);
    }
  });

  test("the CLI's text writes a time as the window does; text that is no time is left as it is", () => {
    for (const [iso, shown] of instants) assert.equal(dateTime(iso), shown, iso);
    assert.equal(dateTime('not a time'), 'not a time');
  });

  const env = platformPerSuite();

  test('status speaks the window\'s date and time in text, ISO in --json', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    const status = await ok(agent, 'status.get', {});
    await agent.close();
    const lastSync = status.lastSync!.at;
    const freshAt = status.datasets.find((d) => d.freshAt)!.freshAt!;
    for (const [lang, label] of [
      ['vi', 'Lần đồng bộ gần nhất'],
      ['en', 'Last sync'],
    ] as const) {
      const text = await cli(dataDir, ['--lang', lang, 'status']);
      assert.equal(text.code, 0, text.stderr);
      assert.ok(text.stdout.includes(`\n${label}: ${formatDateTime(lang, lastSync)} (`), text.stdout);
      assert.ok(text.stdout.includes(` ${formatDateTime(lang, freshAt)} `), `a dataset's freshness: ${text.stdout}`);
      assert.doesNotMatch(text.stdout, /\d{4}-\d{2}-\d{2}T/, 'no ISO timestamp for people');
    }
    const json = await cli(dataDir, ['--json', 'status']);
    assert.equal(json.json.lastSync.at, lastSync, '--json keeps the ISO instant');
  });
});
