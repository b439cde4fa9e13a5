import { useTranslation } from 'react-i18next';
import type { ConflictView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import { Badge } from './Badge.js';

/**
 * A conflict that arose from a restore of the national platform from an older
 * backup (ConflictView `restored`): this office's change was one the restore
 * lost, so the National side may be OLDER than this office's, not a newer
 * national change. Said before the person chooses, with the time the
 * platform's data went back to when the agent knows it.
 */
export function RestoredNotice({ restored }: { restored: ConflictView['restored'] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!restored) return null;
  const text = restored.headAt ? t('conflicts.restored.notice', { at: locale.dateTime(restored.headAt) }) : t('conflicts.restored.noticeUndated');
  return <p className="notice notice-warn restored-notice">{text}</p>;
}

/** The mark in the list's row; nothing for a conflict that did not arise from a restore. */
export function RestoredBadge({ restored }: { restored: ConflictView['restored'] }) {
  const { t } = useTranslation();
  if (!restored) return null;
  return (
    <span className="row-mark-badge restored-badge">
      <Badge tone="warn">{t('conflicts.restored.badge')}</Badge>
    </span>
  );
}
