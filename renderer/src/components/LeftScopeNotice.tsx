import { useTranslation } from 'react-i18next';
import { Badge } from './Badge.js';

/**
 * A record that left this office's scope on the national platform while a
 * change of it was pending (ConflictView / OutboxEntryView / RecordView `leftScope`): said
 * before the person settles the change, since settling it takes the record off
 * this computer, and the platform refuses the change while the record is away.
 */
export function LeftScopeNotice({ about }: { about: 'conflict' | 'held' | 'record' }) {
  const { t } = useTranslation();
  return <p className="notice notice-warn left-scope-notice">{t(`leftScope.${about}`)}</p>;
}

/** The same fact in a list's row. */
export function LeftScopeBadge() {
  const { t } = useTranslation();
  return (
    <span className="row-mark-badge left-scope-badge">
      <Badge tone="warn">{t('leftScope.badge')}</Badge>
    </span>
  );
}
