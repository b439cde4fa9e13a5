import { EventEmitter } from 'node:events';
import type { GuardedSession, GuardedWebContents, NavigationEvent } from '../../main/src/security.js';
import type { IpcInvokeEvent, IpcMainLike, EventSink } from '../../main/src/ipc.js';
import type { ContextBridgeLike, IpcRendererLike } from '../../main/src/preload-bridge.js';

/**
 * Small stand-ins for the electron module's objects, enough to drive the
 * shell's modules in Node: they record what was registered and let a test
 * fire the events Electron would fire.
 */
export class FakeWebContents implements GuardedWebContents {
  private readonly emitter = new EventEmitter();
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  /** The URLs downloadURL was asked for. */
  readonly downloads: string[] = [];

  on(event: string, listener: (event: never) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  downloadURL(url: string): void {
    this.downloads.push(url);
  }
  /** Fires a navigation-like event; answers whether a listener prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string, isMainFrame = true): boolean {
    let prevented = false;
    const e: NavigationEvent = { url, isMainFrame, preventDefault: () => void (prevented = true) };
    this.emitter.emit(event, e);
    return prevented;
  }
  attachWebview(): boolean {
    let prevented = false;
    this.emitter.emit('will-attach-webview', { preventDefault: () => void (prevented = true) });
    return prevented;
  }
  listenerCount(event: string): number {
    return this.emitter.listenerCount(event);
  }
}

export class FakeSession implements GuardedSession {
  requestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  headersListener:
    | ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void)
    | null = null;

  setPermissionRequestHandler(handler: NonNullable<FakeSession['requestHandler']>) {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['checkHandler']>) {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: NonNullable<FakeSession['deviceHandler']>) {
    this.deviceHandler = handler;
  }
  webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = listener;
    },
  };
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would get: Electron rejects a channel without a handler. */
  async invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

export class FakeSink implements EventSink {
  sent: unknown[][] = [];
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  readonly emitter = new EventEmitter();
  answer: unknown = { ok: true, value: null };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.answer;
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    this.emitter.on(channel, listener);
    return this;
  }
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    this.emitter.removeListener(channel, listener);
    return this;
  }
}

export class FakeContextBridge implements ContextBridgeLike {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(apiKey: string, api: unknown): void {
    this.exposed.set(apiKey, api);
  }
}
