import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload } from '../api/types.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';

/**
 * The window's one polite live region for syncs: a screen reader hears, in
 * the language of the moment, that a sync started and how it ended, whatever
 * screen is shown. Only the start and the end are said, never progress. The
 * sentence is made when the event comes; switching the language empties the
 * region, so the last sentence is neither said again nor left in the old
 * language.
 */
export function SyncAnnouncer() {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const [news, setNews] = useState('');
  useEffect(() => setNews(''), [i18n.language]);

  useEvent('sync.started', () => setNews(t('app.syncNews.started')));
  useEvent('sync.finished', (run: EventPayload<'sync.finished'>) => {
    if (run.status === 'failed') {
      setNews(run.error ? t('app.syncNews.failedBecause', { reason: locale.pick(run.error.messages) }) : t('app.syncNews.failed'));
      return;
    }
    const counts = { pulled: locale.number(run.pulled), pushed: locale.number(run.pushed), conflicts: locale.number(run.conflicts) };
    setNews(run.conflicts > 0 ? t('app.syncNews.finishedWithConflicts', counts) : t('app.syncNews.finished', counts));
  });

  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id="sync-news">
      {news}
    </div>
  );
}
