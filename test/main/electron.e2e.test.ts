import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../main/src/electron-binary.js';

/**
 * The real window, driven by Playwright's Electron support. It needs an Electron
 * binary (and a display: xvfb-run on a Linux CI); where there is none it does not
 * run, and says why in the skip reason: it is not a pass.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = findElectronBinary(root);

type PageGlobals = {
  edgeAgent?: { call(command: string, input: unknown): Promise<{ ok: boolean; error?: { code: string } }> };
  open(url: string): unknown;
  require?: unknown;
  process?: unknown;
};

test(
  'the window runs the renderer sandboxed, with window.edgeAgent (call, on) as its only door',
  { skip: binary === null ? 'Electron binary not installed on this machine' : false },
  async (t) => {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs'), '--build-only'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);

    const dataDir = mkdtempSync(join(tmpdir(), 'edge-agent-e2e-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: binary!,
      args: [join(root, 'dist', 'electron', 'main.mjs'), `--data-dir=${dataDir}`],
      cwd: root,
    });
    t.after(() => app.close());
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');

    assert.deepEqual(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).edgeAgent ?? {}).sort()), ['call', 'on']);
    assert.equal(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).require), 'undefined');
    assert.equal(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).process), 'undefined');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://evil.example/')), null);

    const status = await page.evaluate(() => (globalThis as unknown as PageGlobals).edgeAgent!.call('status.get', {}));
    assert.equal(status.ok, true);
    const invalid = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).edgeAgent!.call('records.put', { dataset: 'civil-status-births', data: 'x' }),
    );
    assert.equal(invalid.error?.code, 'invalid_input');

    // The one window shows the built renderer from disk, nothing else.
    const urls = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()));
    assert.equal(urls.length, 1);
    assert.match(urls[0]!, /^file:\/\/.*\/renderer\/dist\/index\.html(#.*)?$/);
  },
);
