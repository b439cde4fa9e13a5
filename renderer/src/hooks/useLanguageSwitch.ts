import { useEffect, useRef } from 'react';
import type { Language } from '../i18n/index.js';
import { useLocale } from './useLocale.js';

/**
 * Runs `onSwitch(from, to)` each time the window's language switches while the
 * component is shown: text typed the way one language writes it (a whole
 * number's thousands) is rewritten the way the other reads it.
 */
export function useLanguageSwitch(onSwitch: (from: Language, to: Language) => void): void {
  const { language } = useLocale();
  const shownIn = useRef(language);
  const current = useRef(onSwitch);
  useEffect(() => {
    current.current = onSwitch;
  });
  useEffect(() => {
    const from = shownIn.current;
    if (from === language) return;
    shownIn.current = language;
    current.current(from, language);
  }, [language]);
}
