import i18next from 'i18next';
import type { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import vi from './vi.json';
import en from './en.json';

export type Language = 'vi' | 'en';
export const LANGUAGES: readonly Language[] = ['vi', 'en'];

export function isLanguage(value: unknown): value is Language {
  return value === 'vi' || value === 'en';
}

/**
 * Every word the window shows lives in vi.json / en.json (a test keeps their
 * keys equal). Vietnamese first; no fallback language, so a missing English key
 * shows as its key in review rather than silently in Vietnamese.
 */
export function createI18n(language: Language = 'vi'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  instance.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
    document.title = instance.t('app.title');
  });
  document.documentElement.lang = language;
  document.title = instance.t('app.title');
  return instance;
}
