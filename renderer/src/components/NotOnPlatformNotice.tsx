import { useTranslation } from 'react-i18next';
import { Badge } from './Badge.js';

/**
 * A record the platform answered, holding back a change of it, that it no
 * longer holds (OutboxEntryView / RecordView `notOnPlatform`): it accepts no
 * change of it, so the change is not sent again nor the record edited;
 * discarding the change is what is left, and entering the record again as a
 * new one if it is still needed.
 */
export function NotOnPlatformNotice({ about }: { about: 'held' | 'record' }) {
  const { t } = useTranslation();
  return <p className="notice notice-warn not-on-platform-notice">{t(`notOnPlatform.${about}`)}</p>;
}

/** The same fact in a list's row. */
export function NotOnPlatformBadge() {
  const { t } = useTranslation();
  return (
    <span className="row-mark-badge not-on-platform-badge">
      <Badge tone="warn">{t('notOnPlatform.badge')}</Badge>
    </span>
  );
}
