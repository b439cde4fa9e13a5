import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleAccess } from '../api/console-access.js';

/** Above every screen of the web console once the service refuses its token: why, and where a new address comes from. */
export function ConsoleAccessNotice({ access }: { access: ConsoleAccess }) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(access.subscribe, access.snapshot);
  if (state === 'ok') return null;
  return (
    <div className="access-notice">
      <div className="notice notice-error" role="alert">
        <p>
          {t(state === 'restarted' ? 'consoleAccess.restarted' : 'consoleAccess.noToken')} <code translate="no">{t('consoleAccess.command')}</code>
        </p>
      </div>
    </div>
  );
}
