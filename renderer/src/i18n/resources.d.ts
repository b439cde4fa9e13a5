import type vi from './vi.json';

/** Translation keys are checked at compile time against the Vietnamese file. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof vi };
  }
}
