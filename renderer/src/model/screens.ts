/** The window's screens, in the order of its navigation. */
export const SCREENS = ['overview', 'records', 'outbox', 'conflicts', 'history', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

/** The tones of a status word (components/Badge.tsx draws them). */
export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';
