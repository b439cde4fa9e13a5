import type { BrowserWindowConstructorOptions } from 'electron';
import { t, type Language } from './strings.js';

export type WindowPaths = { preload: string; icon?: string };

/**
 * The smallest the window may be made: what a 1366×768 laptop at 150 % display
 * scaling shows (911×512 CSS px), the smallest size every screen is checked at
 * (test/renderer/small-screens.test.ts). A minimum larger than the screen's
 * work area would force the window past its edges, so it never is (below).
 */
export const MIN_WIDTH = 911;
export const MIN_HEIGHT = 512;
/** The window's size at first start, where the screen has room for it. */
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 860;

/** The part of the screen a window may use (without the taskbar or dock), in CSS px. */
export type WorkArea = { width: number; height: number };

/**
 * The one window's options. The renderer is an untrusted web page as far as
 * main is concerned: sandboxed, isolated, no Node, and its only door is the
 * preload's `window.edgeAgent`. Never relax these "for now".
 */
export function createWindowOptions(paths: WindowPaths, language: Language = 'vi', workArea?: WorkArea): BrowserWindowConstructorOptions {
  // On a small or scaled-up screen (a 1366×768 laptop at 125 %: 1093×~580 px to use) the window starts no
  // larger than the screen's work area and may be made as small as it, never forced past its edges.
  const fit = (size: number, room: number | undefined) => (room !== undefined && room > 0 ? Math.min(size, Math.floor(room)) : size);
  return {
    width: fit(DEFAULT_WIDTH, workArea?.width),
    height: fit(DEFAULT_HEIGHT, workArea?.height),
    minWidth: fit(MIN_WIDTH, workArea?.width),
    minHeight: fit(MIN_HEIGHT, workArea?.height),
    title: t(language, 'productName'),
    backgroundColor: '#f4f6f8',
    // Shown on 'ready-to-show', so staff never see a blank white frame.
    show: false,
    autoHideMenuBar: true,
    ...(paths.icon ? { icon: paths.icon } : {}),
    webPreferences: {
      preload: paths.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A file dropped on the window must not replace the app with that file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click must not open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
