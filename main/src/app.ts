import { existsSync } from 'node:fs';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMain,
  Menu,
  NativeImage,
  Notification,
  Session,
  Shell,
  Tray,
} from 'electron';
import type { AgentApi } from '../../sync-engine/src/api/index.js';
import type { AppPaths } from './app-paths.js';
import { dataDirArgument } from './app-paths.js';
import { chooseHost } from './host-choice.js';
import { registerIpc, trustAppFrames } from './ipc.js';
import { createStartAtLogin, startedHidden } from './login-item.js';
import { watchNewConflicts } from './notifications.js';
import type { EnginePorts } from './ports.js';
import { registerSaveFile } from './save-file.js';
import { installSecurity } from './security.js';
import { followAgentLanguage } from './shell-language.js';
import { hostUnavailableBox, windowNotBuiltBox } from './startup-dialogs.js';
import { createHealthTray } from './tray.js';
import { createWindowOptions } from './window-options.js';

/** The parts of the electron module the shell uses; index.ts passes the real ones. */
export type ElectronShell = {
  app: App;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  ipcMain: IpcMain;
  session: { defaultSession: Session };
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showErrorBox' | 'showSaveDialog'>;
  Tray: new (image: NativeImage) => Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: { createFromBuffer(buffer: Buffer, options?: { scaleFactor?: number }): NativeImage };
  Notification: { isSupported(): boolean; new (options: { title: string; body: string }): Notification };
  screen: { getPrimaryDisplay(): { workAreaSize: { width: number; height: number } } };
};

export type DesktopAppDeps = {
  electron: ElectronShell;
  engine: EnginePorts;
  paths: AppPaths;
  argv: readonly string[];
  platform: NodeJS.Platform;
};

/**
 * Wiring only: single instance, security guards, host choice, IPC, window,
 * tray, notifications, quit. Every piece with logic lives in its own module.
 */
export async function startDesktopApp(deps: DesktopAppDeps): Promise<void> {
  const { app, BrowserWindow, dialog } = deps.electron;
  // A second start focuses the first window instead of opening the data folder twice.
  if (!app.requestSingleInstanceLock()) return app.quit();

  let window: BrowserWindow | null = null;
  const showWindow = () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // The agent lives on in the tray when its window is closed.
  app.on('window-all-closed', () => {});

  await app.whenReady();
  let platformHost: string | null = null;
  installSecurity(app, deps.electron.session.defaultSession, {
    appUrl: deps.paths.appUrl,
    externalHosts: () => (platformHost ? [platformHost] : []),
    openExternal: (url) => deps.electron.shell.openExternal(url),
  });

  if (!existsSync(deps.paths.rendererIndex)) {
    const box = windowNotBuiltBox(deps.paths.rendererIndex);
    dialog.showErrorBox(box.title, box.content);
    return app.quit();
  }

  const dataDir = dataDirArgument(deps.argv) ?? deps.engine.defaultDataDir();
  const host = await chooseHost({
    dataDir,
    leaseHeldByOther: () => deps.engine.leaseHeldByOther(dataDir),
    adminApiUrl: await deps.engine.adminApiUrl(dataDir),
    readAdminToken: deps.engine.readAdminToken,
    createClient: deps.engine.createAdminApiClient,
    createAgentService: deps.engine.createAgentService,
  });
  if (host.mode === 'unavailable') {
    const box = hostUnavailableBox(host.reason);
    dialog.showErrorBox(box.title, box.content);
    return app.quit();
  }
  const api: AgentApi = host.api;

  // The tray and notifications follow the language the person picks in the window.
  const language = followAgentLanguage(api);
  await language.ready;
  const offStatus = api.on('status.changed', (status) => {
    platformHost = hostOf(status.platformUrl);
  });
  const status = await api.call('status.get', {});
  if (status.ok) platformHost = hostOf(status.value.platformUrl);

  const unregisterIpc = registerIpc(deps.electron.ipcMain, api, trustAppFrames(deps.paths.appUrl), () =>
    window && !window.isDestroyed() ? [window.webContents] : [],
  );
  // The Save dialog for a file the page holds (the records export, an import's refused rows).
  const unregisterSaveFile = registerSaveFile(deps.electron.ipcMain, trustAppFrames(deps.paths.appUrl), {
    showSaveDialog: (parent: BrowserWindow | null, options) =>
      parent ? deps.electron.dialog.showSaveDialog(parent, options) : deps.electron.dialog.showSaveDialog(options),
    parentWindow: () => (window && !window.isDestroyed() ? window : null),
    downloadsDir: () => app.getPath('downloads'),
  });

  window = new BrowserWindow(createWindowOptions({ preload: deps.paths.preload }, language.current(), deps.electron.screen.getPrimaryDisplay().workAreaSize));
  const hidden = startedHidden(deps.argv);
  window.once('ready-to-show', () => {
    if (!hidden) showWindow();
  });
  let quitting = false;
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window?.hide();
  });
  await window.loadFile(deps.paths.rendererIndex);

  const { Tray: TrayClass, nativeImage, Menu: MenuClass } = deps.electron;
  const tray = createHealthTray<NativeImage, Menu>({
    ports: {
      newTray: (image) => new TrayClass(image),
      imageFromPng: (png1x, png2x) => {
        const image = nativeImage.createFromBuffer(png1x, { scaleFactor: 1 });
        image.addRepresentation({ scaleFactor: 2, buffer: png2x });
        return image;
      },
      buildMenu: (template) => MenuClass.buildFromTemplate(template),
    },
    api,
    language,
    onOpen: showWindow,
    onQuit: () => app.quit(),
    ...withStartAtLogin(createStartAtLogin(app, deps.platform)),
  });

  const { Notification: NotificationClass } = deps.electron;
  const stopNotifying = watchNewConflicts({
    api,
    ports: {
      isSupported: () => NotificationClass.isSupported(),
      create: (options) => new NotificationClass(options),
      now: () => Date.now(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    language,
    onClick: showWindow,
  });

  let closed = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    // Close the store and the sync loop before the process ends.
    event.preventDefault();
    stopNotifying();
    tray.dispose();
    language.dispose();
    offStatus();
    unregisterIpc();
    unregisterSaveFile();
    void host
      .close()
      .catch(() => {})
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function withStartAtLogin(setting: ReturnType<typeof createStartAtLogin>) {
  return setting ? { startAtLogin: setting } : {};
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
