import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Localized } from '../api/types.js';
import { isLanguage } from '../i18n/index.js';
import type { Language } from '../i18n/index.js';
import * as format from '../model/format.js';

/** The current language and the formatters bound to it. */
export function useLocale() {
  const { i18n } = useTranslation();
  const language: Language = isLanguage(i18n.language) ? i18n.language : 'vi';
  /** Text the engine sent in both languages, in the one the window speaks. */
  const pick = useCallback((text: Localized | null | undefined) => (text ? text[language] : ''), [language]);
  return useMemo(
    () => ({
      language,
      pick,
      dateTime: (value: string | number | null | undefined) => format.formatDateTime(language, value),
      date: (value: string | null | undefined) => format.formatDate(language, value),
      time: (value: number) => format.formatTime(language, value),
      number: (value: number) => format.formatNumber(language, value),
      bytes: (value: number) => format.formatBytes(language, value),
      relative: (value: string | null | undefined, now = Date.now()) => format.formatRelative(language, value, now),
      duration: (ms: number) => format.formatDuration(language, ms),
    }),
    [language, pick],
  );
}
