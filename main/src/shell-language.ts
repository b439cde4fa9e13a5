import type { AgentApi } from '../../sync-engine/src/api/index.js';
import type { Language } from './strings.js';

/** The language the shell speaks now, and word when it changes. */
export interface ShellLanguage {
  current(): Language;
  onChange(listener: (language: Language) => void): () => void;
}

/**
 * The agent's `language` setting, which the window's language switch writes
 * (and so a restart keeps): read at start, then followed through the
 * settings.changed event, whichever door the change came through. Vietnamese
 * until the agent answers, or if it cannot.
 */
export function followAgentLanguage(api: AgentApi): ShellLanguage & { ready: Promise<void>; dispose(): void } {
  let current: Language = 'vi';
  let heard = false;
  const listeners = new Set<(language: Language) => void>();
  const take = (next: Language) => {
    heard = true;
    if (next === current) return;
    current = next;
    for (const listener of [...listeners]) listener(next);
  };
  const unsubscribe = api.on('settings.changed', (settings) => take(settings.language));
  const ready = api.call('settings.get', {}).then((result) => {
    // A change may have arrived first; it is newer than this answer.
    if (result.ok && !heard) take(result.value.language);
  });
  return {
    ready,
    current: () => current,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      unsubscribe();
      listeners.clear();
    },
  };
}

/** A language that never changes (dialogs before the agent answers; tests). */
export function fixedLanguage(language: Language): ShellLanguage {
  return { current: () => language, onChange: () => () => undefined };
}
