import { HEALTH_DISPLAY, type AgentApi, type AgentStatusView, type HealthDisplayState } from '../../sync-engine/src/api/index.js';
import type { ShellLanguage } from './shell-language.js';
import { healthName, t } from './strings.js';
import { TONE_COLOURS, trayIconPng } from './tray-icon.js';

/** A menu entry in the shape Electron's Menu.buildFromTemplate accepts. */
export type TrayMenuItem = {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
};

export interface TrayLike<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(text: string): void;
  setContextMenu(menu: Menu): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** What the tray needs of Electron, as three small functions (fakes in tests). */
export type TrayPorts<Image, Menu> = {
  newTray(image: Image): TrayLike<Image, Menu>;
  /** One image from a 1x and a 2x PNG (nativeImage + addRepresentation). */
  imageFromPng(png1x: Buffer, png2x: Buffer): Image;
  buildMenu(template: TrayMenuItem[]): Menu;
};

export type HealthTrayOptions<Image, Menu> = {
  ports: TrayPorts<Image, Menu>;
  api: AgentApi;
  /** The tray re-labels itself when this changes. */
  language: ShellLanguage;
  onOpen(): void;
  onQuit(): void;
  startAtLogin?: { get(): boolean; set(enabled: boolean): void };
};

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

/**
 * The tray icon: its colour and name for the connection state are the
 * window's (HEALTH_DISPLAY; grey "checking" until a status arrives), its
 * tooltip says why in the staff's language, its menu opens the window, syncs
 * now or quits. A change of language re-labels menu and tooltip at once.
 */
export function createHealthTray<Image, Menu>(options: HealthTrayOptions<Image, Menu>) {
  const { ports, api } = options;
  const images = new Map<HealthDisplayState, Image>();
  const imageFor = (state: HealthDisplayState) => {
    let image = images.get(state);
    if (image === undefined) {
      const colour = TONE_COLOURS[HEALTH_DISPLAY[state].tone];
      image = ports.imageFromPng(trayIconPng(colour, 16), trayIconPng(colour, 32));
      images.set(state, image);
    }
    return image;
  };

  let status: AgentStatusView | null = null;
  let state: HealthDisplayState = 'unknown';
  const tray = ports.newTray(imageFor(state));
  tray.on('click', () => options.onOpen());

  const render = () => {
    const language = options.language.current();
    const name = healthName(language, state);
    const reason = status?.health.reason[language];
    tray.setImage(imageFor(state));
    tray.setToolTip(clip(`${t(language, 'productName')} — ${name}${reason ? `: ${reason}` : ''}`, TOOLTIP_MAX));
    const items: TrayMenuItem[] = [
      { label: `● ${name}`, enabled: false },
      { type: 'separator' },
      { label: t(language, 'trayOpen'), click: () => options.onOpen() },
      { label: t(language, 'traySyncNow'), enabled: status?.syncing !== true, click: () => void api.call('sync.now', {}) },
    ];
    const login = options.startAtLogin;
    if (login) {
      items.push({ label: t(language, 'trayStartAtLogin'), type: 'checkbox', checked: login.get(), click: () => login.set(!login.get()) });
    }
    items.push({ type: 'separator' }, { label: t(language, 'trayQuit'), click: () => options.onQuit() });
    tray.setContextMenu(ports.buildMenu(items));
  };

  const show = (next: AgentStatusView) => {
    status = next;
    state = next.health.state;
    render();
  };

  render();
  const unsubscribe = api.on('status.changed', show);
  const stopFollowingLanguage = options.language.onChange(render);
  const ready = api.call('status.get', {}).then((result) => {
    // An event may have arrived first; it is newer than this answer.
    if (result.ok && status === null) show(result.value);
  });

  return {
    ready,
    state: () => state,
    dispose() {
      unsubscribe();
      stopFollowingLanguage();
      tray.destroy();
    },
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
