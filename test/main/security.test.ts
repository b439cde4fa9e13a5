import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { CONSOLE_CSP } from '../../sync-engine/src/admin-api/index.js';
import {
  RENDERER_CSP,
  hardenSession,
  hardenWebContents,
  installSecurity,
  isAllowedExternalUrl,
  isAppBlobUrl,
  isAppUrl,
  type GuardedWebContents,
} from '../../main/src/security.js';
import { FakeSession, FakeWebContents } from './fake-electron.js';

const APP_URL = 'file:///opt/edge-agent/renderer/dist/index.html';
const PLATFORM_HOST = 'ndxp.example.gov.vn';

function guarded() {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  hardenWebContents(contents, { appUrl: APP_URL, externalHosts: () => [PLATFORM_HOST], openExternal: (url) => void opened.push(url) });
  return { contents, opened };
}

test("the app's own page is recognised with any fragment, and nothing else is", () => {
  assert.equal(isAppUrl(`${APP_URL}#/conflicts`, APP_URL), true);
  assert.equal(isAppUrl(`${APP_URL}?lang=en`, APP_URL), true);
  for (const other of [
    'file:///etc/passwd',
    'file:///opt/edge-agent/renderer/dist/other.html',
    'file://evil-share/opt/edge-agent/renderer/dist/index.html',
    'https://ndxp.example.gov.vn/',
    'http://127.0.0.1:47700/',
    'javascript:alert(1)',
    'not a url',
  ]) {
    assert.equal(isAppUrl(other, APP_URL), false, other);
  }
  assert.equal(isAppUrl('app://edge-agent/index.html#/x', 'app://edge-agent/index.html'), true);
  assert.equal(isAppUrl('app://other/index.html', 'app://edge-agent/index.html'), false);
});

test('navigation to another origin is prevented; a reload of the app page is not', () => {
  const { contents, opened } = guarded();
  assert.equal(contents.navigate('will-navigate', 'https://evil.example/phish'), true);
  assert.equal(contents.navigate('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(contents.navigate('will-redirect', 'https://evil.example/'), true);
  assert.equal(contents.navigate('will-frame-navigate', 'https://evil.example/', false), true);
  assert.equal(contents.navigate('will-navigate', `${APP_URL}#/overview`), false);
  assert.equal(contents.navigate('will-redirect', APP_URL), false);
  assert.deepEqual(opened, []);
});

test("an <a download> of a file the page built, reported as a navigation, is saved as a download; the page stays, and no other blob is fetched", () => {
  const { contents, opened } = guarded();
  const made = 'blob:file:///5f0c1d2e-8a9b-4c3d-9e1f-0a1b2c3d4e5f';
  assert.equal(contents.navigate('will-navigate', made), true, 'the page does not navigate to its blob');
  assert.deepEqual(contents.downloads, [made]);
  for (const other of ['blob:https://evil.example/5f0c1d2e', 'blob:null/5f0c1d2e', 'blob:file://evil-share/5f0c1d2e', 'blob:http://127.0.0.1:47700/5f0c1d2e']) {
    assert.equal(contents.navigate('will-navigate', other), true, other);
  }
  assert.deepEqual(contents.downloads, [made], 'only the app origin\'s blobs are downloaded');
  assert.deepEqual(opened, []);
  assert.equal(isAppBlobUrl('blob:app://edge-agent/5f0c1d2e', 'app://edge-agent/index.html'), true);
  assert.equal(isAppBlobUrl('blob:app://other/5f0c1d2e', 'app://edge-agent/index.html'), false);
  assert.equal(isAppBlobUrl(`${APP_URL}`, APP_URL), false);
});

test('window.open is always denied; an allowed https link goes to the OS browser instead', () => {
  const { contents, opened } = guarded();
  assert.ok(contents.windowOpenHandler);
  assert.deepEqual(contents.windowOpenHandler({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(contents.windowOpenHandler({ url: `https://${PLATFORM_HOST}/help` }), { action: 'deny' });
  assert.deepEqual(opened, [`https://${PLATFORM_HOST}/help`]);
  // A main-frame link to the platform is prevented in the window and opened outside.
  assert.equal(contents.navigate('will-navigate', `https://${PLATFORM_HOST}/status`), true);
  assert.deepEqual(opened, [`https://${PLATFORM_HOST}/help`, `https://${PLATFORM_HOST}/status`]);
});

test('external links open only for https to an allowed host, never file:, javascript:, data: or credentials', () => {
  const allowed = [PLATFORM_HOST];
  assert.equal(isAllowedExternalUrl(`https://${PLATFORM_HOST}/a?b=c`, allowed), true);
  assert.equal(isAllowedExternalUrl(`https://NDXP.example.gov.vn:8443/`, allowed), true);
  for (const url of [
    `http://${PLATFORM_HOST}/`,
    `https://${PLATFORM_HOST}.evil.example/`,
    `https://evil.example/${PLATFORM_HOST}`,
    `https://user:pw@${PLATFORM_HOST}/`,
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'smb://share/x',
    '',
  ]) {
    assert.equal(isAllowedExternalUrl(url, allowed), false, url);
  }
  assert.equal(isAllowedExternalUrl(`https://${PLATFORM_HOST}/`, []), false);
  const { contents, opened } = guarded();
  contents.windowOpenHandler!({ url: 'javascript:alert(1)' });
  contents.windowOpenHandler!({ url: 'file:///etc/passwd' });
  contents.navigate('will-navigate', `http://${PLATFORM_HOST}/`);
  assert.deepEqual(opened, []);
});

test('attaching a webview is refused', () => {
  const { contents } = guarded();
  assert.equal(contents.attachWebview(), true);
});

test('every permission request is denied and every permission check answers no', () => {
  const session = new FakeSession();
  hardenSession(session);
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
    let granted: boolean | null = null;
    session.requestHandler!({}, permission, (g) => (granted = g));
    assert.equal(granted, false, permission);
    assert.equal(session.checkHandler!({}, permission), false, permission);
  }
  assert.equal(session.deviceHandler!({ deviceType: 'usb' }), false);
});

test('every response gets the strict CSP, replacing whatever CSP it carried', () => {
  const session = new FakeSession();
  hardenSession(session);
  let out: Record<string, string[]> | undefined;
  session.headersListener!({ responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-inline'"], 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
  assert.deepEqual(out, { 'Content-Type': ['text/html'], 'Content-Security-Policy': [RENDERER_CSP] });
});

test("the window's CSP, the web console's and the renderer page's are the same string", () => {
  assert.equal(RENDERER_CSP, CONSOLE_CSP);
  const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  assert.equal(meta?.[1], RENDERER_CSP);
});

test('the guards are installed on every web contents Electron creates', () => {
  const app = new EventEmitter();
  const session = new FakeSession();
  installSecurity(
    { on: (event, listener) => app.on(event, listener) },
    session,
    { appUrl: APP_URL, externalHosts: () => [], openExternal: () => {} },
  );
  assert.ok(session.requestHandler, 'the session is hardened at once');
  const first = new FakeWebContents();
  const second = new FakeWebContents();
  app.emit('web-contents-created', {}, first as GuardedWebContents);
  app.emit('web-contents-created', {}, second as GuardedWebContents);
  for (const contents of [first, second]) {
    assert.equal(contents.navigate('will-navigate', 'https://evil.example/'), true);
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
  }
});
