import { useTranslation } from 'react-i18next';
import type { SaveOutcome } from '../api/save-file.js';

/**
 * What became of a file saved through the window's Save dialog (api/save-file.ts): where it
 * went ("Đã lưu tệp vào C:\…"), or that the dialog was closed without saving (not an error: the
 * screen's button saves again). Nothing for a browser's download (no path) or a failure (the
 * screen says it, with the reason).
 */
export function SavedFile({ outcome }: { outcome: SaveOutcome }) {
  const { t } = useTranslation();
  if (outcome.kind === 'saved' && outcome.path !== null) {
    return (
      <p className="saved-file">
        {t('files.savedTo')}{' '}
        <code className="saved-path" translate="no">
          {outcome.path}
        </code>
      </p>
    );
  }
  if (outcome.kind === 'cancelled') return <p className="muted">{t('files.cancelled')}</p>;
  return null;
}
