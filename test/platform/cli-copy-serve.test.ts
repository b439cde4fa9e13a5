import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { holdCopyLock } from '../../national-platform/src/store/serve-lock.js';
import { platformCli as cli } from '../support/platform-cli.js';
import { describeOnEachStore, type PlatformEnv } from '../support/platform-harness.js';

/**
 * `copy --to` refuses while `serve` runs on its source (a copy taken while
 * agents push could miss their last writes), against a real `serve` process
 * of the launcher; a serve that crashed leaves nothing that blocks the copy;
 * a serve started while a copy runs waits for no one: it is refused.
 */
const LAUNCHER = resolve(import.meta.dirname, '../../bin/national-platform.js');

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function newSqliteFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'copy-serve-'));
  dirs.push(dir);
  return join(dir, 'copy.sqlite');
}

/** A platform database with one site. */
async function platformDb(env: PlatformEnv): Promise<string> {
  const db = await env.newDb();
  const added = await cli(db, ['sites', 'add', 'HN-01', '--province', '01', '--name', 'Hà Nội']);
  assert.equal(added.code, 0, added.err);
  return db;
}

/** `national-platform serve` as its own process, once it listens. */
async function serve(db: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [LAUNCHER, '--lang', 'en', '--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((listening, fail) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/listening on /.test(out)) listening();
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => fail(new Error(`serve exited ${String(code)}: ${out}${err}`)));
  });
  return child;
}

/** How a serve process ends up: listening (then stopped here), or exited with its code and stderr. */
function serveOutcome(db: string): Promise<{ listening: boolean; code: number | null; err: string }> {
  const child = spawn(process.execPath, [LAUNCHER, '--lang', 'en', '--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done) => {
    let listening = false;
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      if (!listening && /listening on /.test(c.toString())) {
        listening = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => done({ listening, code, err }));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((done) => {
    child.removeAllListeners('exit');
    child.once('exit', () => done());
    child.kill(signal);
  });
}

describeOnEachStore('copy while serve runs', (env) => {
  test('copy is refused while serve runs on the source, nothing copied, in both languages; once serve stopped it copies', async () => {
    const db = await platformDb(env);
    const to = newSqliteFile();
    const running = await serve(db);
    try {
      const refused = await cli(db, ['copy', '--to', to]);
      assert.equal(refused.code, 1, refused.out);
      assert.equal(refused.out, '');
      assert.match(refused.err, /^error: serve is running on .*: a copy taken now could miss what agents are sending; nothing was copied\. Stop serve first \(Ctrl-C, or stop the service that runs it\), then run copy again\n$/);
      assert.equal(existsSync(to), false, 'no file was made for the copy');
      const vi = await cli(db, ['copy', '--to', to], '', null);
      assert.match(vi.err, /^lỗi: serve đang chạy trên .*: bản sao lấy lúc này có thể thiếu những gì các tác tử vừa gửi; không có gì được sao chép\. Hãy dừng serve trước/);
      // Other commands still read the database while serve runs.
      assert.equal((await cli(db, ['sites', 'list', '--json'])).code, 0);
    } finally {
      await stop(running, 'SIGINT');
    }
    const copied = await cli(db, ['copy', '--to', to, '--json']);
    assert.equal(copied.code, 0, copied.err);
    assert.equal((JSON.parse(copied.out) as { tables: Record<string, number> }).tables['sites'], 1);
  });

  test('a serve killed without stopping (SIGKILL) leaves no lock behind: the copy goes through', async () => {
    const db = await platformDb(env);
    await stop(await serve(db), 'SIGKILL');
    const copied = await cli(db, ['copy', '--to', newSqliteFile()]);
    assert.equal(copied.code, 0, copied.err);
  });

  test('two serves of one database both run (the lock is shared); copy waits for the last to stop', async () => {
    const db = await platformDb(env);
    const first = await serve(db);
    const second = await serve(db);
    await stop(first, 'SIGINT');
    assert.match((await cli(db, ['copy', '--to', newSqliteFile()])).err, /^error: serve is running on /);
    await stop(second, 'SIGINT');
    const copied = await cli(db, ['copy', '--to', newSqliteFile()]);
    assert.equal(copied.code, 0, copied.err);
  });

  test('serve is refused while a copy of its database runs, and starts once it ended', async () => {
    const db = await platformDb(env);
    const copying = await holdCopyLock(db);
    try {
      const refused = await serveOutcome(db);
      assert.equal(refused.listening, false, 'serve did not start');
      assert.equal(refused.code, 1, refused.err);
      assert.match(refused.err, /^error: a copy of .* \(copy --to\) is running; serve does not start meanwhile, so the copy misses nothing: wait for it to end/);
    } finally {
      await copying.release();
    }
    await stop(await serve(db), 'SIGINT');
  });
});
