/**
 * Guards on every web contents and on the session (Electron's security
 * checklist; Actual's desktop-electron/security.ts is the model). The window
 * shows one local page; it may not go anywhere else, open windows, attach
 * webviews or ask for permissions. A link to the configured platform opens in
 * the OS browser, after its URL is checked.
 */

/** The renderer's CSP, identical to the web console's (sync-engine/src/admin-api). */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export type NavigationEvent = { url: string; isMainFrame?: boolean; preventDefault(): void };

/** The part of Electron's WebContents the guards use (a fake in tests). */
export interface GuardedWebContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  /** Starts a download of the URL (the session's will-download; with no handler, Electron's Save dialog). */
  downloadURL(url: string): void;
}

export type GuardedSession = {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
};

export type NavigationPolicy = {
  /** The app's own page, e.g. file:///.../renderer/dist/index.html or app://edge-agent/index.html. */
  appUrl: string;
  /** Hosts whose https links may open in the OS browser (the configured platform's host). */
  externalHosts(): readonly string[];
  openExternal(url: string): Promise<void> | void;
};

/** True for the app's own page (any fragment or query); nothing else is "ours". */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  const url = parse(candidate);
  const app = parse(appUrl);
  if (!url || !app || url.protocol !== app.protocol) return false;
  if (url.protocol === 'file:') return url.host === app.host && url.pathname === app.pathname;
  if (url.protocol === 'app:') return url.host === app.host;
  return false;
}

/**
 * True for a `blob:` URL the app's page made (URL.createObjectURL): its inner
 * origin is the app's (`blob:file:///<uuid>` for a file:// page,
 * `blob:app://edge-agent/<uuid>`). The window's own files (the records export,
 * an import's refused rows) go through main's Save dialog (save-file.ts); this
 * only keeps a stray `<a download>` of such a blob from being lost.
 */
export function isAppBlobUrl(candidate: string, appUrl: string): boolean {
  const url = parse(candidate);
  if (!url || url.protocol !== 'blob:') return false;
  const inner = parse(url.pathname);
  const app = parse(appUrl);
  if (!inner || !app || inner.protocol !== app.protocol || inner.host !== app.host) return false;
  return inner.protocol === 'file:' || inner.protocol === 'app:';
}

/** https only, no credentials in the URL, host exactly one of the allowed. */
export function isAllowedExternalUrl(candidate: string, allowedHosts: readonly string[]): boolean {
  const url = parse(candidate);
  if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host);
}

export function hardenWebContents(contents: GuardedWebContents, policy: NavigationPolicy): void {
  const openIfAllowed = (url: string) => {
    if (!isAllowedExternalUrl(url, policy.externalHosts())) return;
    void Promise.resolve(policy.openExternal(url)).catch(() => {
      // No browser registered: nothing useful to tell the page.
    });
  };

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, policy.appUrl)) return;
    event.preventDefault();
    // A fallback: the window saves its files through main's Save dialog (save-file.ts, 'edge-agent:save-file'),
    // not <a download>. Should a blob link still be clicked, Electron is reported to give it to will-navigate
    // (electron/electron#44375): it is saved through the session's download instead (a Save dialog that may
    // propose the blob's UUID as the name, unverified here); the page never leaves.
    if (isAppBlobUrl(event.url, policy.appUrl)) return contents.downloadURL(event.url);
    openIfAllowed(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, policy.appUrl)) event.preventDefault();
  });
  // Sub-frames: the main frame is handled by will-navigate (which may open a browser).
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame === true) return;
    if (!isAppUrl(event.url, policy.appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: GuardedSession, csp: string = RENDERER_CSP): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  // Every response in this session is the app's own content: give it the strict
  // CSP whatever it carried (file:// pages also carry it as a meta tag).
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}

/** Applies the guards to every web contents ever created, before any window exists. */
export function installSecurity(
  app: { on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown },
  session: GuardedSession,
  policy: NavigationPolicy,
): void {
  hardenSession(session);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, policy));
}

function parse(candidate: string): URL | null {
  try {
    return new URL(candidate);
  } catch {
    return null;
  }
}
