import type { HealthStateView, Localized } from './views.js';

/** A state's colour, by meaning; the window's CSS and the tray icon draw each one in the same colour. */
export type HealthTone = 'ok' | 'warn' | 'danger' | 'neutral';

/**
 * How the connection to the national platform is shown, the same in the
 * window and in the tray: one colour and one name per state, and `unknown`
 * until the first status arrives. Grey (neutral) says nothing is known yet. Red means sync has stopped until something
 * is done (the network, the agent's access, the computer's clock); amber that
 * it works, slowly.
 *
 * The tray reads this table. The window carries no engine code, so its badge
 * tones are pinned to `HealthTones` by type, and its words (i18n `health.*`)
 * and colours (CSS `--<tone>-line`) by test/main/health-display.test.ts.
 */
export const HEALTH_DISPLAY = {
  online: { tone: 'ok', name: { vi: 'Trực tuyến', en: 'Online' } },
  degraded: { tone: 'warn', name: { vi: 'Kết nối chập chờn', en: 'Unstable connection' } },
  offline: { tone: 'danger', name: { vi: 'Mất kết nối', en: 'Offline' } },
  unauthorized: { tone: 'danger', name: { vi: 'Không được cấp quyền', en: 'Not authorised' } },
  clock_skew: { tone: 'danger', name: { vi: 'Đồng hồ máy bị lệch', en: 'Clock is wrong' } },
  // Never checked (no probe yet, as right after enrollment): not known to be offline, so not red.
  unchecked: { tone: 'neutral', name: { vi: 'Chưa kiểm tra', en: 'Not checked yet' } },
  unknown: { tone: 'neutral', name: { vi: 'Đang kiểm tra', en: 'Checking' } },
} as const satisfies Record<HealthStateView | 'unknown', { tone: HealthTone; name: Localized }>;

export type HealthDisplayState = keyof typeof HEALTH_DISPLAY;

/** Each state's tone as a literal type, for the window to check its own table against. */
export type HealthTones = { readonly [S in HealthStateView]: (typeof HEALTH_DISPLAY)[S]['tone'] };
