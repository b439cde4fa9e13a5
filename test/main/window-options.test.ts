import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWindowOptions } from '../../main/src/window-options.js';

test('the window is sandboxed, isolated, without Node, and its preload is the only door', () => {
  const options = createWindowOptions({ preload: '/app/dist/electron/preload.cjs' });
  assert.deepEqual(
    {
      sandbox: options.webPreferences?.sandbox,
      contextIsolation: options.webPreferences?.contextIsolation,
      nodeIntegration: options.webPreferences?.nodeIntegration,
      nodeIntegrationInWorker: options.webPreferences?.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: options.webPreferences?.nodeIntegrationInSubFrames,
      webSecurity: options.webPreferences?.webSecurity,
      allowRunningInsecureContent: options.webPreferences?.allowRunningInsecureContent,
      webviewTag: options.webPreferences?.webviewTag,
      spellcheck: options.webPreferences?.spellcheck,
      navigateOnDragDrop: options.webPreferences?.navigateOnDragDrop,
      disableBlinkFeatures: options.webPreferences?.disableBlinkFeatures,
      preload: options.webPreferences?.preload,
    },
    {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist/electron/preload.cjs',
    },
  );
});

test('the window is at least 1024x768, titled in the staff language, and stays hidden until ready', () => {
  const vi = createWindowOptions({ preload: 'p' });
  assert.equal(vi.minWidth, 1024);
  assert.equal(vi.minHeight, 768);
  assert.equal(vi.show, false);
  assert.match(vi.backgroundColor ?? '', /^#[0-9a-f]{6}$/i);
  assert.equal(vi.title, 'Tác tử đồng bộ NDXP');
  assert.equal(createWindowOptions({ preload: 'p' }, 'en').title, 'NDXP edge agent');
});
