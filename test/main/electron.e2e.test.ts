import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** Builds the app, starts the window on a fresh data folder, and closes both when the test ends. */
async function launchWindow(t: TestContext) {
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
  return { app, page };
}

test(
  'the window runs the renderer sandboxed, with window.edgeAgent (call, on, saveFile) as its only door',
  { skip: binary === null ? 'Electron binary not installed on this machine' : false },
  async (t) => {
    const { app, page } = await launchWindow(t);

    assert.deepEqual(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).edgeAgent ?? {}).sort()), ['call', 'on', 'saveFile']);
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

test(
  "a file the page holds is saved through window.edgeAgent.saveFile: main's Save dialog over the window proposes its name in Downloads, and the bytes are written where the person chose",
  { skip: binary === null ? 'Electron binary not installed on this machine' : false },
  async (t) => {
    // The records export and the import's refused rows both use it (renderer/src/api/save-file.ts, main/src/save-file.ts,
    // docs/security.md). Unverified on the machine this was written on: no Electron binary.
    const { app, page } = await launchWindow(t);
    const folder = mkdtempSync(join(tmpdir(), 'edge-agent-save-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const target = join(folder, 'chosen.csv');
    // The dialog answered at once, as a person choosing `target`; what it was shown is kept.
    await app.evaluate(({ dialog }, chosen) => {
      const shown: unknown[] = [];
      (globalThis as unknown as { shown: unknown[] }).shown = shown;
      (dialog as unknown as { showSaveDialog: (...args: unknown[]) => Promise<unknown> }).showSaveDialog = async (...args: unknown[]) => {
        shown.push(args.at(-1));
        return { canceled: false, filePath: chosen };
      };
    }, target);
    const name = 'civil-status-births-20261128T101500Z.csv';
    // A string: this file has no DOM types.
    const answer = await page.evaluate(`window.edgeAgent.saveFile(${JSON.stringify(name)}, new TextEncoder().encode('a,b\\r\\n'))`);
    assert.deepEqual(answer, { saved: true, path: target });
    assert.equal(readFileSync(target, 'utf8'), 'a,b\r\n');
    const shown = (await app.evaluate(() => (globalThis as unknown as { shown: unknown[] }).shown)) as { defaultPath: string; filters: unknown }[];
    assert.equal(shown.length, 1);
    assert.match(shown[0]!.defaultPath, new RegExp(`[\\\\/]${name.replace(/\./g, '\\.')}$`), 'the name proposed, in Downloads');
    assert.deepEqual(shown[0]!.filters, [{ name: 'CSV', extensions: ['csv'] }]);
    assert.match(page.url(), /\/renderer\/dist\/index\.html(#.*)?$/, 'the window still shows the app');
  },
);
