import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

describe('a command stopped by the file system says why in the person\'s language', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a path through a file: the path, the cause and what to do, exit 1, no stack trace', async () => {
    const home = temp.make('cli-file-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const aFile = join(home, 'not-a-folder');
    writeFileSync(aFile, 'x');
    for (const args of [['backup', join(aFile, 'b.tar.gz')], ['diagnostics', join(aFile, 'd.json')]]) {
      const vi = await cli(home, args);
      assert.equal(vi.code, 1, vi.stderr);
      assert.match(vi.stderr, /^Không dùng được .*not-a-folder.*: .*(hãy kiểm tra lại đường dẫn|hãy chọn tên khác) \((ENOTDIR|EEXIST)\)\.\n$/);
      assert.doesNotMatch(vi.stderr, /\n\s+at /, 'no stack trace');
      const en = await cli(home, ['--lang', 'en', '--json', ...args]);
      assert.equal(en.code, 1);
      assert.equal(en.json.error.code, 'invalid_input');
      assert.match(en.json.error.messages.en, /^Cannot use .*not-a-folder/);
    }
  });

  test('a record file that cannot be read names the path and the cause, not Node\'s text, exit 1; one saved with a byte order mark is read', async () => {
    const home = temp.make('cli-file-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const missing = join(home, 'hồ sơ khai sinh.json');
    const vi = await cli(home, ['records', 'put', 'civil-status-births', missing]);
    assert.equal(vi.code, 1, vi.stderr);
    assert.equal(vi.stderr, `Không dùng được ${missing}: không có thư mục hoặc tệp này: hãy kiểm tra lại đường dẫn (ENOENT).\n`);
    const bom = join(home, 'bom.json');
    writeFileSync(bom, '\uFEFF{"fullName": "Nguyễn Thị Hương"}');
    const read = await cli(home, ['--lang', 'en', 'records', 'put', 'civil-status-births', bom]);
    assert.doesNotMatch(read.stderr, /not valid JSON/, 'the byte order mark is not JSON\'s business');
  });

  test('a record file that is not JSON says the line and column of the mistake, not a character offset, exit 1', async () => {
    const home = temp.make('cli-file-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const file = join(home, 'birth.json');
    writeFileSync(file, '{\n  "fullName": "Nguyễn Thị Hương",\n  "gender": "F",\n}\n');
    const vi = await cli(home, ['records', 'put', 'civil-status-births', file]);
    assert.equal(vi.code, 1, vi.stderr);
    assert.equal(vi.stderr, `${file} không phải JSON hợp lệ: dòng 4, cột 1: Expected double-quoted property name\n`);
    const en = await cli(home, ['--lang', 'en', 'records', 'put', 'civil-status-births', file]);
    assert.equal(en.stderr, `${file} is not valid JSON: line 4, column 1: Expected double-quoted property name\n`);
  });

  test('--home naming a file, or a path through one: the path and what to do, exit 1, not "cannot open the agent\'s data: EEXIST: file already exists, mkdir"', async () => {
    const dir = temp.make('cli-file-');
    const aFile = join(dir, 'dữ liệu');
    writeFileSync(aFile, 'x');
    const vi = await cli(aFile, ['status']);
    assert.equal(vi.code, 1, vi.stderr);
    assert.equal(vi.stderr, `Không dùng được ${aFile}: đã có một tệp trùng tên chắn đường: hãy chọn tên khác (EEXIST).\n`);
    const en = await cli(join(aFile, 'agent'), ['--lang', 'en', '--json', 'records', 'list', 'civil-status-births']);
    assert.equal(en.code, 1);
    assert.equal(en.json.error.code, 'invalid_input');
    assert.equal(en.json.error.messages.en, `Cannot use ${join(aFile, 'agent')}: part of the path is not a folder: check the path (ENOTDIR).`);
  });

  test('a folder it may not write: permission named, told to run as an administrator, exit 4', async () => {
    const home = temp.make('cli-file-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    // root may write anywhere but sysfs, which refuses new files to everyone; others meet a folder without write rights.
    const root = process.getuid?.() === 0;
    const locked = root ? '/sys' : join(home, 'locked');
    if (!root) mkdirSync(locked, { mode: 0o500 });
    const result = await cli(home, ['--lang', 'en', 'backup', join(locked, 'ndxp-backup-test.tar.gz')]);
    if (!root) chmodSync(locked, 0o700);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /^Cannot use .*ndxp-backup-test.*: permission denied: run the command as an administrator .*\(EACCES\)\.\n$/);
  });
});
