/**
 * The Electron main process's entry (bundled by scripts/build-main.mjs into
 * dist/electron/main.mjs). It only gathers the real electron module and the
 * engine and hands them to startDesktopApp.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, session, shell, Tray } from 'electron';
import { fileURLToPath } from 'node:url';
import { startDesktopApp } from './app.js';
import { resolveAppPaths } from './app-paths.js';
import type { EnginePorts } from './ports.js';

// LEAD: wire the engine here once sync-engine/src/index.ts exports it, e.g.
//   import * as engine from '../../sync-engine/src/index.js';
// (createAgentService, createAdminApiClient, readAdminToken, leaseHeldByOther, adminApiUrl, defaultDataDir),
// and delete engineNotWired below.
const engine: EnginePorts = engineNotWired();

// dist/electron/main.mjs -> the project (or packaged app) root two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));

startDesktopApp({
  electron: { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, session, shell, Tray },
  engine,
  paths: resolveAppPaths(root),
  argv: process.argv,
  platform: process.platform,
}).catch((error: unknown) => {
  dialog.showErrorBox('NDXP edge agent', error instanceof Error ? error.message : String(error));
  app.exit(1);
});

function engineNotWired(): EnginePorts {
  const missing = () => new Error('The AgentService is not wired into the Electron shell yet (main/src/index.ts).');
  return {
    createAgentService: () => Promise.reject(missing()),
    createAdminApiClient: () => {
      throw missing();
    },
    readAdminToken: () => null,
    leaseHeldByOther: () => Promise.resolve(false),
    adminApiUrl: () => Promise.resolve('http://127.0.0.1:0'),
    defaultDataDir: () => app.getPath('userData'),
  };
}
