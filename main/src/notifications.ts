import type { AgentApi } from '../../sync-engine/src/api/index.js';
import type { ShellLanguage } from './shell-language.js';
import { newConflictsBody, newConflictsTitle } from './strings.js';

export type NotificationLike = { show(): void; on(event: 'click', listener: () => void): unknown };

/** Electron's Notification and a clock, behind small functions (fakes in tests). */
export type NotifierPorts = {
  isSupported(): boolean;
  create(options: { title: string; body: string }): NotificationLike;
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
};

export const NOTIFY_THROTTLE_MS = 60_000;

/**
 * A desktop notification when sync reports new conflicts. At most one per
 * throttle window: conflicts that arrive inside it are counted and announced
 * together when the window ends, so a run that finds 200 conflicts raises one
 * notification, not 200, and none is silently lost.
 */
export function watchNewConflicts(options: {
  api: AgentApi;
  ports: NotifierPorts;
  /** Read when a notification is shown, so it speaks the language chosen by then. */
  language: ShellLanguage;
  onClick(): void;
  throttleMs?: number;
}): () => void {
  const { ports } = options;
  const throttleMs = options.throttleMs ?? NOTIFY_THROTTLE_MS;
  const pending = new Set<string>();
  let open = 0;
  let lastShownAt: number | null = null;
  let timer: unknown = null;

  const show = () => {
    timer = null;
    if (pending.size === 0 || !ports.isSupported()) return pending.clear();
    const language = options.language.current();
    const notification = ports.create({ title: newConflictsTitle(language), body: newConflictsBody(language, pending.size, open) });
    notification.on('click', () => options.onClick());
    notification.show();
    pending.clear();
    lastShownAt = ports.now();
  };

  const unsubscribe = options.api.on('conflicts.changed', (change) => {
    if (change.added.length === 0) return;
    for (const id of change.added) pending.add(id);
    open = change.open;
    if (timer !== null) return;
    const wait = lastShownAt === null ? 0 : lastShownAt + throttleMs - ports.now();
    if (wait <= 0) show();
    else timer = ports.setTimer(show, wait);
  });

  return () => {
    unsubscribe();
    if (timer !== null) ports.clearTimer(timer);
    timer = null;
  };
}
