import type { BrowserWindowConstructorOptions } from 'electron';
import { t, type Language } from './strings.js';

export type WindowPaths = { preload: string; icon?: string };

export const MIN_WIDTH = 1024;
export const MIN_HEIGHT = 768;

/**
 * The one window's options. The renderer is an untrusted web page as far as
 * main is concerned: sandboxed, isolated, no Node, and its only door is the
 * preload's `window.edgeAgent`. Never relax these "for now".
 */
export function createWindowOptions(paths: WindowPaths, language: Language = 'vi'): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
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
