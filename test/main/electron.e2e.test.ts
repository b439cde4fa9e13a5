import { test, type TestContext } from 'node:test';
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
  'the window runs the renderer sandboxed, with window.edgeAgent (call, on) as its only door',
  { skip: binary === null ? 'Electron binary not installed on this machine' : false },
  async (t) => {
    const { app, page } = await launchWindow(t);

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

test(
  "a blob <a download> from the window's page is a download Electron saves (will-download: the Save dialog), not a navigation its guard cancels away",
  { skip: binary === null ? 'Electron binary not installed on this machine' : false },
  async (t) => {
    // The records export and the import's refused rows both rely on it (renderer/src/components/ExportCsv.tsx, docs/security.md).
    const { app, page } = await launchWindow(t);

    type Seen = { downloads: string[]; navigations: string[] };
    await app.evaluate(({ session, BrowserWindow }) => {
      const seen: Seen = { downloads: [], navigations: [] };
      (globalThis as unknown as { seen: Seen }).seen = seen;
      // Cancelled at once: no Save dialog waits for a person.
      session.defaultSession.on('will-download', (_event, item) => {
        seen.downloads.push(item.getFilename());
        item.cancel();
      });
      BrowserWindow.getAllWindows()[0]!.webContents.on('will-navigate', (_event, url) => seen.navigations.push(url));
    });
    const name = 'civil-status-births-20261128T101500Z.csv';
    // After an await, as the export offers its file once the chunks are in (a string: this file has no DOM types).
    await page.evaluate(`(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob(['a,b\\r\\n'], { type: 'text/csv' }));
      link.download = ${JSON.stringify(name)};
      document.body.append(link);
      link.click();
      link.remove();
    })()`);
    let seen: Seen = { downloads: [], navigations: [] };
    for (let i = 0; i < 100 && seen.downloads.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await app.evaluate(() => (globalThis as unknown as { seen: Seen }).seen);
    }
    // Either Chromium's own download (under its name, no navigation), or, where Electron reports the click as a
    // navigation (electron/electron#44375), the guard's downloadURL of the page's blob (main/src/security.ts).
    assert.equal(seen.downloads.length, 1, JSON.stringify(seen));
    if (seen.navigations.length === 0) assert.deepEqual(seen.downloads, [name], 'saved under its name');
    else assert.match(seen.navigations[0]!, /^blob:file:\/\/\//, 'the only navigation reported is the blob the guard downloads');
    assert.match(page.url(), /\/renderer\/dist\/index\.html(#.*)?$/, 'the window still shows the app');
  },
);
