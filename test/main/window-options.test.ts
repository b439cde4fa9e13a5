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

test('the window may be made as small as 911x512 (a 1366x768 laptop at 150 %), is titled in the staff language, and stays hidden until ready', () => {
  const vi = createWindowOptions({ preload: 'p' });
  assert.deepEqual([vi.width, vi.height, vi.minWidth, vi.minHeight], [1280, 860, 911, 512]);
  assert.equal(vi.show, false);
  assert.match(vi.backgroundColor ?? '', /^#[0-9a-f]{6}$/i);
  assert.equal(vi.title, 'Tác tử đồng bộ NDXP');
  assert.equal(createWindowOptions({ preload: 'p' }, 'en').title, 'NDXP edge agent');
});

test('on a small or scaled-up screen the window starts within the work area and its minimum never exceeds it', () => {
  // 1366x768 at 125 %: 1093 px wide, about 580 high once the taskbar is off; at 150 %: 911 x about 485.
  const at125 = createWindowOptions({ preload: 'p' }, 'vi', { width: 1093, height: 580 });
  assert.deepEqual([at125.width, at125.height, at125.minWidth, at125.minHeight], [1093, 580, 911, 512]);
  const at150 = createWindowOptions({ preload: 'p' }, 'vi', { width: 911, height: 485.5 });
  assert.deepEqual([at150.width, at150.height, at150.minWidth, at150.minHeight], [911, 485, 911, 485]);
  const roomy = createWindowOptions({ preload: 'p' }, 'vi', { width: 1920, height: 1040 });
  assert.deepEqual([roomy.width, roomy.height, roomy.minWidth, roomy.minHeight], [1280, 860, 911, 512]);
});
