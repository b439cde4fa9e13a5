/**
 * The Electron main process's entry (bundled by scripts/build-main.mjs into
 * dist/electron/main.mjs). It only gathers the real electron module and the
 * engine and hands them to startDesktopApp.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, screen, session, shell, Tray } from 'electron';
import { fileURLToPath } from 'node:url';
import { startDesktopApp } from './app.js';
import { resolveAppPaths } from './app-paths.js';
import { startFailedBox } from './startup-dialogs.js';
import * as agent from '../../sync-engine/src/index.js';
import type { EnginePorts } from './ports.js';

const engine: EnginePorts = {
  async createAgentService(dataDir, options) {
    // Proxy, NO_PROXY and extra CAs as local IT set them (`edge-agent network set`), read for each platform client.
    const service = await agent.createAgentService({ dataDir, manualTrigger: 'manual', ...agent.networkAwareServiceOptions() });
    const started = await service.start();
    if (!started.syncing && started.holder && !options?.standby) {
      // The background service took the lease between the check and now: be its client instead.
      await service.close();
      throw new Error(`The data folder is synced by another process (${started.holder}).`);
    }
    return service;
  },
  createAdminApiClient: (options) => agent.createAdminApiClient(options),
  readAdminToken: (dataDir) => agent.readAdminToken(dataDir),
  leaseHeldByOther: (dataDir) => agent.isLeaseHeldByOther(dataDir),
  adminApiUrl: (dataDir) => agent.adminApiUrl(dataDir),
  defaultDataDir: () => agent.defaultDataDir(),
};

// dist/electron/main.mjs -> the project (or packaged app) root two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));

startDesktopApp({
  electron: { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, screen, session, shell, Tray },
  engine,
  paths: resolveAppPaths(root),
  argv: process.argv,
  platform: process.platform,
}).catch((error: unknown) => {
  const box = startFailedBox(error);
  dialog.showErrorBox(box.title, box.content);
  app.exit(1);
});
