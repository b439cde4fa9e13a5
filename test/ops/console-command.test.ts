import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { consoleUrl, newAdminToken, readAdminToken, saveAdminToken } from '../../sync-engine/src/admin-api/index.js';
import { readServiceFile } from '../../sync-engine/src/service/service-file.js';
import { rawRequest } from '../admin-api/http-request.js';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli, cliProcessAs } from '../agent/support/cli-runner.js';
import { eventually } from '../agent/support/fake-time.js';

/**
 * `edge-agent run`'s start-up lines go to the service's journal or log file,
 * which other local users and log shippers may read: they name the web
 * console's address without the admin token. `edge-agent console` gives the
 * full address to whoever may read the token file.
 */
describe('the web console address and its token', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  function consoleFiles(): string {
    const dir = temp.make('console-files-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>stand-in console</title>');
    return dir;
  }

  /** Starts `edge-agent ...args run` on `port` (0: a free one) and resolves once its start-up lines are out. */
  async function startRun(home: string, args: string[] = [], port = 0): Promise<{ out: () => string; stop(): Promise<void> }> {
    let out = '';
    const stop = new AbortController();
    const running = cli(home, [...args, 'run', '--port', String(port), '--no-sync-at-start', '--static', consoleFiles()], {
      stopSignal: stop.signal,
      streams: { out: (t) => void (out += t), err: (t) => void (out += t) },
    });
    const stopped = async () => {
      stop.abort();
      assert.equal((await running).code, 0, out);
    };
    try {
      await eventually(() => /Press Ctrl-C|Nhấn Ctrl-C|"consoleFiles"[^}]*}/.test(out), 20_000);
    } catch (error) {
      await stopped();
      throw error;
    }
    return { out: () => out, stop: stopped };
  }

  /** Runs `edge-agent ...args run` until its start-up lines are out, runs `during`, then stops it. */
  async function whileRunning<T>(home: string, args: string[], during: (out: string) => Promise<T>): Promise<{ out: string; value: T }> {
    const run = await startRun(home, args);
    try {
      return { out: run.out(), value: await during(run.out()) };
    } finally {
      await run.stop();
    }
  }

  test('`run` prints the console address without the token, in its lines, its --json result and its --log file; it names `console`', async () => {
    const home = temp.make('console-run-');
    const log = join(temp.make('console-log-'), 'run.log');
    const { out: en } = await whileRunning(home, ['--lang', 'en', '--log', log], async () => undefined);
    const token = readAdminToken(home);
    assert.ok(token, 'the service made its token');
    assert.match(en, /^Web console: http:\/\/127\.0\.0\.1:\d+\/ \(for the address with its access token, run edge-agent --home \S+ console as the service's account or an administrator\)$/m);
    assert.ok(en.includes(`edge-agent --home ${home} console`), en);
    const { out: vi } = await whileRunning(home, [], async () => undefined);
    assert.match(vi, /^Bảng điều khiển web: http:\/\/127\.0\.0\.1:\d+\/ \(địa chỉ kèm mã truy cập: chạy edge-agent --home \S+ console bằng tài khoản của dịch vụ hoặc quyền quản trị\)$/m);
    const { out: json } = await whileRunning(home, ['--json'], async () => undefined);
    const result = JSON.parse(json) as { url: string; adminApi: string };
    assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(result.url, `${result.adminApi}/`);
    for (const [name, text] of Object.entries({ en, vi, json, log: readFileSync(log, 'utf8') })) {
      assert.ok(!text.includes(token), `${name} holds the token:\n${text}`);
      assert.doesNotMatch(text, /#token=/, name);
    }
  });

  test('`console` prints the full address of the running service, and only that, on stdout; it opens the console', async () => {
    const home = temp.make('console-ok-');
    await whileRunning(home, ['--lang', 'en'], async () => {
      const token = readAdminToken(home)!;
      const service = readServiceFile(home)!;
      const printed = await cli(home, ['console']);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(printed.stdout, `${consoleUrl(service.port, token)}\n`);
      assert.match(printed.stderr, /chứa mã truy cập quản trị: chỉ mở trên máy này/);
      const en = await cli(home, ['--lang', 'en', 'console']);
      assert.match(en.stderr, /holds the admin access token: open it on this computer only/);
      const json = await cli(home, ['--json', 'console']);
      assert.deepEqual(json.json, { url: consoleUrl(service.port, token), adminApi: service.url, dataDir: home });
      assert.equal(json.stderr, '');
      const page = await rawRequest({ port: service.port, path: new URL(printed.stdout.trim()).pathname });
      assert.equal(page.status, 200);
      assert.match(page.body, /stand-in console/);
    });
  });

  test('each start of `run` issues a new token: after a restart the old one is refused with 401, and the address `console` printed before no longer opens the console', async () => {
    const home = temp.make('console-restart-');
    const { value: before } = await whileRunning(home, [], async () => ({ token: readAdminToken(home)!, url: (await cli(home, ['console'])).stdout.trim() }));
    await whileRunning(home, [], async () => {
      const { port } = readServiceFile(home)!;
      const token = readAdminToken(home)!;
      assert.notEqual(token, before.token, 'a new token in the folder');
      const ask = (bearer: string) =>
        rawRequest({ port, path: '/api/commands/status.get', method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: '{}' });
      const old = await ask(before.token);
      assert.equal(old.status, 401);
      assert.equal((JSON.parse(old.body) as { error: { code: string } }).error.code, 'unauthorized');
      assert.equal((await rawRequest({ port, path: '/api/events', headers: { authorization: `Bearer ${before.token}` } })).status, 401);
      assert.equal((await ask(token)).status, 200);
      const now = (await cli(home, ['console'])).stdout.trim();
      assert.equal(now, consoleUrl(port, token));
      assert.notEqual(new URL(now).hash, new URL(before.url).hash);
    });
  });

  test('a CLI command holding the token of a service that restarts under it reads the token file again and is answered by the new run', async () => {
    const home = temp.make('console-reread-');
    // The restart falls before the CLI's proof (it proves the file's new token), or between the proof and its first command (401).
    for (const moment of ['/api/health', '/api/commands/']) {
      let run = await startRun(home);
      const { port } = readServiceFile(home)!;
      const old = readAdminToken(home)!;
      const sent: string[] = [];
      let restarted = false;
      const restarting: typeof fetch = async (input, init) => {
        if (!restarted && String(input).includes(moment)) {
          restarted = true;
          await run.stop();
          run = await startRun(home, [], port);
        }
        if (String(input).includes('/api/commands/')) sent.push(new Headers(init?.headers).get('authorization') ?? '');
        return fetch(input, init);
      };
      try {
        const status = await cli(home, ['--json', 'status'], { fetch: restarting });
        assert.equal(status.code, 0, moment + status.stdout + status.stderr);
        const fresh = readAdminToken(home)!;
        assert.notEqual(fresh, old, moment);
        assert.ok(restarted, moment);
        const expected = moment === '/api/health' ? [] : [`Bearer ${old}`];
        assert.deepEqual(sent.slice(0, expected.length), expected, moment);
        assert.ok(sent.length > expected.length, `${moment}: the commands went to the running service, not in-process`);
        assert.deepEqual(new Set(sent.slice(expected.length)), new Set([`Bearer ${fresh}`]), moment);
      } finally {
        await run.stop();
      }
    }
  });

  test('`console` refuses --log: the token would go into the log file', async () => {
    const home = temp.make('console-log-');
    const log = join(temp.make('console-log-'), 'console.log');
    await whileRunning(home, [], async () => {
      const refused = await cli(home, ['--lang', 'en', '--log', log, 'console']);
      assert.equal(refused.code, 1);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /does not run with --log: the address it prints holds the admin access token/);
      assert.ok(!readFileSync(log, 'utf8').includes(readAdminToken(home)!));
    });
  });

  test('`console` without a running service, or before the service ever ran, says so in Vietnamese and English (exit 4)', async () => {
    const fresh = temp.make('console-fresh-');
    const none = await cli(fresh, ['console']);
    assert.equal(none.code, 4);
    assert.match(none.stderr, /chưa có mã truy cập quản trị: dịch vụ nền chưa chạy lần nào với thư mục này/);
    assert.match((await cli(fresh, ['--lang', 'en', 'console'])).stderr, /has no admin access token yet: the background service has never run with it/);
    const json = await cli(fresh, ['--json', 'console']);
    assert.equal(json.json.error.code, 'not_found');

    saveAdminToken(fresh, newAdminToken());
    const stopped = await cli(fresh, ['console']);
    assert.equal(stopped.code, 4);
    assert.equal(stopped.stdout, '');
    assert.match(stopped.stderr, /Dịch vụ nền của thư mục dữ liệu .* không chạy: hãy khởi động nó/);
    assert.match((await cli(fresh, ['--lang', 'en', 'console'])).stderr, /The background service of the data folder .* is not running: start it/);
  });

  test("`console` run by an account that may not read the token says who may, in Vietnamese and English (exit 3)", { skip: process.platform === 'win32' }, async () => {
    const home = temp.make('console-denied-');
    const token = newAdminToken();
    saveAdminToken(home, token);
    // Root reads every file: the command then runs as `nobody`; anyone else simply loses access to the folder.
    const asRoot = process.getuid?.() === 0;
    const other = asRoot ? { uid: 65534, gid: 65534 } : {};
    chmodSync(home, asRoot ? 0o700 : 0o000);
    try {
      // One run of the real launcher as that account (each takes seconds): --json carries both languages.
      const refused = await cliProcessAs(other, home, ['--json', 'console']);
      assert.equal(refused.code, 3, refused.stdout + refused.stderr);
      const { code, messages } = refused.json.error as { code: string; messages: { vi: string; en: string } };
      assert.equal(code, 'unauthorized');
      assert.match(messages.vi, /^Tài khoản này không đọc được mã truy cập quản trị \(.*admin-token\): chỉ tài khoản của dịch vụ nền và root đọc được\. Hãy chạy lại bằng quyền root: sudo edge-agent --home \S+ console$/);
      assert.match(messages.en, /^This account cannot read the admin access token \(.*admin-token\): only the background service's account and root may\. Run it again as root: sudo edge-agent --home \S+ console$/);
      assert.ok(!(refused.stdout + refused.stderr).includes(token));
    } finally {
      chmodSync(home, 0o700);
    }
  });

  test('the command `run` names quotes a data folder with spaces or quotes for the shell', async () => {
    const home = join(temp.make('console-quote-'), "Dữ liệu của Lan's");
    mkdirSync(home);
    const { out } = await whileRunning(home, ['--lang', 'en'], async () => undefined);
    assert.ok(out.includes(`run edge-agent --home '${home.replace("'", `'\\''`)}' console as`), out);
  });
});
