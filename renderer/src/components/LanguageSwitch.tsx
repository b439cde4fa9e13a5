import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/index.js';
import type { Language } from '../i18n/index.js';
import { useLocale } from '../hooks/useLocale.js';

/**
 * Two buttons, each naming its language in that language (marked with `lang`
 * so screen readers pronounce it right). Choosing one also tells the agent, so
 * its tray menu and notifications follow.
 */
export function LanguageSwitch({ onChange }: { onChange: (language: Language) => void }) {
  const { t } = useTranslation();
  const { language } = useLocale();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          aria-pressed={language === lng}
          className={language === lng ? 'lang-button is-current' : 'lang-button'}
          onClick={() => onChange(lng)}
        >
          {t(`language.name.${lng}`, { lng })}
        </button>
      ))}
    </div>
  );
}
