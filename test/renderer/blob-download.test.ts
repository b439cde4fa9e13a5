import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { RENDERER_CSP } from '../../main/src/security.js';
import { launchChromium } from './support/browser.js';

/**
 * What the window's downloads rest on (the records export's file, the import's refused rows):
 * in Chromium, which Electron embeds, an <a download> of a blob: URL the page made is handed to
 * the download manager from the page and starts no navigation, so Electron's will-navigate guard
 * (main/src/security.ts) never sees it. Shown here on a file:// page, as the window loads its
 * own, under the window's CSP, with the DevTools protocol: a download and no requested
 * navigation, where a plain link requests one. (test/main/electron.e2e.test.ts checks the same
 * in Electron where its binary is installed.)
 */
let browser: Browser;
let folder: string;
before(async () => {
  browser = await launchChromium();
  folder = mkdtempSync(join(tmpdir(), 'blob-download-'));
  writeFileSync(
    join(folder, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}"></head>` +
      `<body><button id="save">save</button><a id="plain" href="other.html">other</a><script src="page.js"></script></body></html>`,
  );
  // As ExportCsv.tsx offers the file: after awaits (the chunks), long past the press.
  writeFileSync(
    join(folder, 'page.js'),
    `document.getElementById('save').addEventListener('click', async () => {
       await new Promise((resolve) => setTimeout(resolve, 200));
       const link = document.createElement('a');
       link.href = URL.createObjectURL(new Blob(['\\uFEFFid,state\\r\\n1,synced\\r\\n'], { type: 'text/csv' }));
       link.download = 'civil-status-births-20261128T101500Z.csv';
       link.hidden = true;
       document.body.append(link);
       link.click();
       link.remove();
     });`,
  );
  writeFileSync(join(folder, 'other.html'), '<!doctype html><p>other</p>');
});
after(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

test("a blob <a download> from a file:// page under the window's CSP is a download, not a navigation; a plain link is one", async () => {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.enable');
  await page.goto(pathToFileURL(join(folder, 'index.html')).href);
  const requested: string[] = [];
  cdp.on('Page.frameRequestedNavigation', (event: { url: string }) => requested.push(event.url));
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

  const download = page.waitForEvent('download');
  await page.click('#save');
  const saved = await download;
  assert.equal(saved.suggestedFilename(), 'civil-status-births-20261128T101500Z.csv');
  assert.match(saved.url(), /^blob:/);
  assert.equal(readFileSync((await saved.path())!, 'utf8'), '\uFEFFid,state\r\n1,synced\r\n');
  assert.equal(requested.length, 0, `no navigation for a guard to cancel: ${requested.join(', ')}`);
  assert.match(page.url(), /index\.html$/);
  assert.deepEqual(errors, [], 'nothing refused by the CSP');

  // The control: a link without download is a navigation, which the window's guard would see.
  await page.click('#plain');
  await page.waitForURL(/other\.html$/);
  assert.deepEqual(requested.map((url) => url.split('/').at(-1)), ['other.html']);
  await page.close();
});
