import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { findConsoleFiles } from '../../sync-engine/src/cli/console-files.js';
import { rawRequest } from '../admin-api/http-request.js';
import { TempDirs } from '../agent/support/agent-fixture.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CONSOLE_PAGE = '<!doctype html><title>stand-in console</title>';

/**
 * The desktop package's app folder as electron-builder lays it out (app.asar
 * unpacked): package.json, renderer/dist and the CLI bundle in dist/cli/bin.
 */
async function packagedApp(temp: TempDirs, withConsole: boolean): Promise<string> {
  const app = join(temp.make('packaged-'), 'resources', 'app');
  await promisify(execFile)(process.execPath, ['installers/build-cli.mjs', '--outdir', join(app, 'dist', 'cli', 'bin')], { cwd: ROOT });
  copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
  if (withConsole) {
    mkdirSync(join(app, 'renderer', 'dist'), { recursive: true });
    writeFileSync(join(app, 'renderer', 'dist', 'index.html'), CONSOLE_PAGE);
  }
  return app;
}

/** Starts `edge-agent run` from the bundle; resolves with its start-up lines and admin port, and stops it. */
async function startupOf(app: string, home: string, args: string[], probe: (port: number) => Promise<void>, runArgs: string[] = []): Promise<string> {
  const cli = join(app, 'dist', 'cli', 'bin', 'edge-agent.mjs');
  const child = spawn(process.execPath, [cli, '--home', home, ...args, 'run', '--port', '0', '--no-sync-at-start', ...runArgs], {
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, sig) => done(code ?? sig)));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    const port = await new Promise<number>((done, fail) => {
      const look = () => {
        const found = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (found && out.includes('\n', found.index)) done(Number(found[1]));
      };
      child.stdout.on('data', look);
      void exited.then((code) => fail(new Error(`edge-agent run exited (${code}) before starting:\n${out}`)));
    });
    await probe(port);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, out);
  return out;
}

describe('the web console of an installation', () => {
  const temp = new TempDirs();
  let app: string;
  let bare: string;
  before(async () => {
    [app, bare] = await Promise.all([packagedApp(temp, true), packagedApp(temp, false)]);
  });
  after(() => temp.cleanup());

  test('the built CLI in a packaged app folder serves the index.html packed beside it', async () => {
    const out = await startupOf(app, temp.make('home-'), ['--lang', 'en'], async (port) => {
      const page = await rawRequest({ port, path: '/' });
      assert.equal(page.status, 200);
      assert.equal(page.body, CONSOLE_PAGE);
    });
    // The start-up lines land in the service's journal: the address, never its token.
    assert.match(out, /Web console: http:\/\/127\.0\.0\.1:\d+\/ \(for the address with its access token, run edge-agent --home \S+ console /);
    assert.doesNotMatch(out, /#token=/);
    assert.doesNotMatch(out, /not found/);
  });

  test('without built console files `run` says so at start-up, in Vietnamese and in English, and still serves its admin API', async () => {
    const vi = await startupOf(bare, temp.make('home-'), [], async (port) => {
      assert.equal((await rawRequest({ port, path: '/' })).status, 404);
    });
    assert.match(vi, /Không tìm thấy bảng điều khiển web của bản cài đặt này/);
    // A source checkout has no console until it is built: the line says how (the README's step).
    assert.match(vi, /chạy từ mã nguồn thì dựng nó trước bằng npm run build:renderer/);
    assert.match(vi, /API quản trị: http:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(vi, /Bảng điều khiển web: /);
    const en = await startupOf(bare, temp.make('home-'), ['--lang', 'en'], async () => undefined);
    assert.match(en, /This installation's web console was not found/);
    assert.match(en, /from a source checkout, build it first with npm run build:renderer/);
    assert.match(en, /Admin API: http:\/\/127\.0\.0\.1:\d+/);
  });

  test('--static DIR serves that folder, and names it when it holds no index.html', async () => {
    const served = await startupOf(bare, temp.make('home-'), ['--lang', 'en'], async (port) => {
      assert.equal((await rawRequest({ port, path: '/' })).body, CONSOLE_PAGE);
    }, ['--static', join(app, 'renderer', 'dist')]);
    assert.match(served, /Web console: /);
    const empty = temp.make('empty-console-');
    const out = await startupOf(app, temp.make('home-'), ['--lang', 'en'], async () => undefined, ['--static', empty]);
    assert.ok(out.includes(`The --static folder ${empty} has no index.html`), out);
  });

  test('the search stops at the nearest agent package.json: the source tree finds its own renderer/dist or nothing', () => {
    const found = findConsoleFiles(join(app, 'dist', 'cli', 'bin', 'edge-agent.mjs'));
    assert.equal(found, join(app, 'renderer', 'dist'));
    assert.equal(findConsoleFiles(join(bare, 'dist', 'cli', 'bin', 'edge-agent.mjs')), undefined);
    assert.equal(findConsoleFiles(join(temp.make('elsewhere-'), 'x.mjs')), undefined);
  });
});
