import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/** A command line that does not parse is said in Vietnamese by default, in English with --lang en, and as one JSON document with --json; exit 1. */
describe('usage errors in the person\'s language', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a missing token, an unknown command, a bad option value (what was expected said in the language too), too many arguments', async () => {
    const home = temp.make('usage-');
    const cases: Array<[string[], string, RegExp]> = [
      [['enroll'], 'Thiếu tùy chọn bắt buộc --token <token>.', /^required option '--token <token>' not specified$/],
      [['syncc'], 'Không có lệnh syncc (có phải sync?).', /^unknown command 'syncc'/],
      [['doctor', '--timeout', 'abc'], "Giá trị 'abc' của tùy chọn --timeout <ms> không hợp lệ (cần một số nguyên mili giây, ví dụ 5000).", /^option '--timeout <ms>' argument 'abc' is invalid/],
      [['conflicts', 'resolve', 'x', '--take', 'both'], "Giá trị 'both' của tùy chọn --take <side> không hợp lệ (cần local hoặc national).", /^option '--take <side>' argument 'both' is invalid\. expected local or national$/],
      [['outbox', 'list', '--status', 'nope'], "Giá trị 'nope' của tùy chọn --status <status> không hợp lệ (cần một trong: queued, in_flight, quarantined).", /^option '--status <status>' argument 'nope' is invalid/],
      [['backup', 'a.tar.gz', 'b.tar.gz'], 'Thừa tham số cho lệnh backup: cần 1, nhưng có 2.', /^too many arguments for 'backup'/],
      [['provision'], 'Thiếu tham số file.', /^missing required argument 'file'$/],
    ];
    for (const [args, vi, en] of cases) {
      const human = await cli(home, args);
      assert.equal(human.code, 1, args.join(' '));
      assert.equal(human.stderr.split('\n')[0], vi, human.stderr);
      assert.match(human.stderr, /Usage: edge-agent/, 'the help follows');
      const english = await cli(home, ['--lang', 'en', ...args]);
      assert.match(english.stderr.split('\n')[0]!, en);
      const json = await cli(home, ['--json', ...args]);
      assert.equal(json.code, 1);
      assert.deepEqual(Object.keys(json.json), ['error'], json.stdout);
      assert.equal(json.json.error.code, 'invalid_input');
      assert.equal(json.json.error.messages.vi, vi);
      assert.match(json.json.error.messages.en, en);
    }
  });
});
