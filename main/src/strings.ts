import { HEALTH_DISPLAY, type HealthDisplayState, type Localized } from '../../sync-engine/src/api/index.js';

/**
 * The few sentences the shell itself shows (tray, notifications, dialogs);
 * everything else is the renderer's. Vietnamese first, English beside it.
 */
export type Language = keyof Localized;

const text = {
  productName: { vi: 'Tác tử đồng bộ NDXP', en: 'NDXP edge agent' },
  trayOpen: { vi: 'Mở cửa sổ', en: 'Open window' },
  traySyncNow: { vi: 'Đồng bộ ngay', en: 'Sync now' },
  trayStartAtLogin: { vi: 'Khởi động cùng máy tính', en: 'Start at login' },
  trayQuit: { vi: 'Thoát', en: 'Quit' },
  hostUnavailableTitle: { vi: 'Không mở được tác tử', en: 'Cannot open the agent' },
} as const satisfies Record<string, Localized>;

export type StringKey = keyof typeof text;

export function t(language: Language, key: StringKey): string {
  return text[key][language];
}

/** The window's words for the state, from the one table both read. */
export function healthName(language: Language, state: HealthDisplayState): string {
  return HEALTH_DISPLAY[state].name[language];
}

export function newConflictsTitle(language: Language): string {
  return language === 'vi' ? 'Có xung đột mới cần giải quyết' : 'New conflicts need a decision';
}

export function newConflictsBody(language: Language, added: number, open: number): string {
  if (language === 'vi') return `${added} xung đột mới khi đồng bộ; tổng cộng ${open} xung đột đang chờ bạn quyết định.`;
  const noun = added === 1 ? 'conflict' : 'conflicts';
  return `${added} new ${noun} from sync; ${open} in all wait for your decision.`;
}
