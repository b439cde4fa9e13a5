/**
 * "Start at login" through Electron's login items. Only Windows and macOS have
 * them; on Linux the option is absent rather than a switch that does nothing.
 * When started this way the window stays hidden in the tray (HIDDEN_ARG).
 */
export const HIDDEN_ARG = '--hidden';

type LoginItemSettingsQuery = { args?: string[] };
export interface LoginItemApp {
  getLoginItemSettings(options?: LoginItemSettingsQuery): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export type StartAtLogin = { get(): boolean; set(enabled: boolean): void };

export function loginItemSupported(platform: NodeJS.Platform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

/** The setting, or null where the OS has no login items. */
export function createStartAtLogin(app: LoginItemApp, platform: NodeJS.Platform): StartAtLogin | null {
  if (!loginItemSupported(platform)) return null;
  // Windows matches the registered entry by its arguments: query with the same ones.
  const args = [HIDDEN_ARG];
  return {
    get: () => app.getLoginItemSettings({ args }).openAtLogin,
    set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args }),
  };
}

/** Whether this start came from the login item (the window then waits in the tray). */
export function startedHidden(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_ARG);
}
