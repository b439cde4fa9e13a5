import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { dateTime } from '../../national-platform/src/cli/date-time.js';
import { platformCli } from '../support/platform-cli.js';

/**
 * `tokens create` (docs/operations.md 1.11, "Enrollment"): the operator hands
 * the token to the office's IT, so on a terminal it says which site it
 * enrolls, when it expires, that it works once, and the exact `edge-agent
 * enroll` line and provisioning file fields. What scripts read is unchanged:
 * the token alone on stdout when stdout is not a terminal, the JSON with
 * --json; the explanation then goes to stderr, without the token.
 */
const LAUNCHER = resolve(import.meta.dirname, '../../bin/national-platform.js');

/** The operator CLI in-process, its stdout a terminal or not; no --lang unless `args` has one. */
const run = (db: string, args: string[], outIsTerminal: boolean) => platformCli(db, args, '', null, { outIsTerminal });

describe('tokens create tells the operator what to hand over, and scripts still read the token alone', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'token-handover-'));
    db = join(dir, 'platform.sqlite');
    assert.equal((await run(db, ['sites', 'add', 'HN-01', '--province', '01', '--name', 'UBND xã Ba Đình'], false)).code, 0);
    assert.equal((await run(db, ['sites', 'add', 'HN-02', '--province', '01', '--name', 'UBND xã Hoàn Kiếm', '--require-approval'], false)).code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function expiryOfNewest(): Promise<string> {
    const listed = JSON.parse((await run(db, ['tokens', 'list', '--json'], false)).out) as { expiresAt: string }[];
    return dateTime(listed[0]?.expiresAt ?? '');
  }

  test('on a terminal: the token, then its site, expiry, one use and the exact enroll line, in Vietnamese and English', async () => {
    const vi = await run(db, ['tokens', 'create', '--site', 'HN-01', '--ttl', '2h', '--platform-url', 'https://ndxp.example.gov.vn/'], true);
    assert.equal(vi.code, 0, vi.err);
    assert.equal(vi.err, '');
    const [token, blank, ...lines] = vi.out.trimEnd().split('\n');
    assert.match(token ?? '', /^[A-Za-z0-9_-]{43}$/, 'the token is the first line, alone');
    assert.equal(blank, '');
    assert.deepEqual(lines, [
      `Mã đăng ký trên dành cho đơn vị HN-01 (UBND xã Ba Đình), hết hạn lúc ${await expiryOfNewest()} (sau 2h).`,
      'Mã chỉ dùng được một lần, cho một máy, và không hiện lại được: giao cho bộ phận CNTT của đơn vị.',
      'Trên máy của đơn vị, gõ:',
      `  edge-agent enroll --token ${token} --site HN-01 --platform https://ndxp.example.gov.vn`,
      'hoặc, khi cài đặt bằng tệp cấu hình (provisioning.json), điền vào tệp:',
      `  "platformUrl": "https://ndxp.example.gov.vn", "siteCode": "HN-01", "token": "${token}"`,
      'rồi chạy: edge-agent provision <tệp>',
    ]);

    // Without --platform-url the address is a placeholder, said as such; a site that requires approval says it waits.
    const en = await run(db, ['--lang', 'en', 'tokens', 'create', '--site', 'HN-02'], true);
    assert.equal(en.code, 0, en.err);
    const enToken = en.out.split('\n')[0] ?? '';
    assert.match(en.out, new RegExp(`^The token above enrolls a computer of site HN-02 \\(UBND xã Hoàn Kiếm\\); it expires at ${await expiryOfNewest()} \\(in 24h\\)\\.$`, 'm'));
    assert.match(en.out, /^It works once, for one computer, and cannot be shown again: give it to the office's IT\.$/m);
    assert.ok(en.out.includes(`\n  edge-agent enroll --token ${enToken} --site HN-02 --platform <platform address>\n`), en.out);
    assert.match(en.out, /^Replace <platform address> with the https:\/\/ address the office reaches the platform at/m);
    assert.match(en.out, /^Site HN-02 requires approval: once enrolled, the computer waits for national-platform agents approve <agent id>/m);
  });

  test('not on a terminal: stdout is the token alone, as scripts read it; the explanation goes to stderr without the token', async () => {
    const piped = await run(db, ['--lang', 'en', 'tokens', 'create', '--site', 'HN-01'], false);
    assert.equal(piped.code, 0, piped.err);
    assert.match(piped.out, /^[A-Za-z0-9_-]{43}\n$/);
    assert.match(piped.err, /^The token \(printed on standard output\) enrolls a computer of site HN-01 \(UBND xã Ba Đình\)/);
    assert.ok(piped.err.includes('\n  edge-agent enroll --token <token> --site HN-01 --platform <platform address>\n'), piped.err);
    assert.ok(!piped.err.includes(piped.out.trim()), 'stderr, which may be kept in a log, does not repeat the token');

    // --json, even on a terminal: the same JSON as before, nothing else on stdout.
    const json = await run(db, ['tokens', 'create', '--site', 'HN-01', '--json'], true);
    assert.equal(json.code, 0, json.err);
    const issued = JSON.parse(json.out) as Record<string, unknown>;
    assert.deepEqual(Object.keys(issued), ['site', 'id', 'token', 'ttlSeconds', 'expiresAt']);
    assert.match(json.err, /^Mã đăng ký \(in ra ở đầu ra chuẩn\) dành cho đơn vị HN-01/);
  });

  test('through the real launcher with stdout captured by a script: the token alone on stdout, the explanation on stderr', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LAUNCHER, '--db', db, '--lang', 'en', 'tokens', 'create', '--site', 'HN-01']);
    assert.match(stdout, /^[A-Za-z0-9_-]{43}\n$/);
    assert.match(stderr, /It works once, for one computer/);
  });

  test('--platform-url that is not an http(s) address is refused, and no token is issued', async () => {
    const before = JSON.parse((await run(db, ['tokens', 'list', '--json'], false)).out) as unknown[];
    const refused = await run(db, ['--lang', 'en', 'tokens', 'create', '--site', 'HN-01', '--platform-url', 'ndxp.example.gov.vn'], true);
    assert.deepEqual([refused.code, refused.out], [1, '']);
    assert.equal(refused.err, 'error: --platform-url ndxp.example.gov.vn is not an http:// or https:// address, e.g. https://ndxp.example.gov.vn\n');
    assert.equal((JSON.parse((await run(db, ['tokens', 'list', '--json'], false)).out) as unknown[]).length, before.length);
  });
});
