import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, DatasetView, SyncRunDetail, SyncRunView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { useNavigate } from '../hooks/useNavigation.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * What a run's row in Sync history does not say (syncRuns.get): every error it met, not only the one that
 * stopped it; per dataset, whether the records here matched the platform's afterwards; the datasets received
 * again from the beginning; changes merged automatically; and the way to the conflicts or the held-back
 * changes it left for a person. Read when the row is opened.
 */
export function SyncRunDetails({ run, datasets }: { run: SyncRunView; datasets: readonly DatasetView[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const navigate = useNavigate();
  const [answer, setAnswer] = useState<ApiResult<SyncRunDetail | null> | null>(null);

  useEffect(() => {
    let alive = true;
    void api.call('syncRuns.get', { id: run.id }).then((result) => alive && setAnswer(result));
    return () => {
      alive = false;
    };
  }, [api, run.id, run.status]);

  if (answer === null) return <p className="muted">{t('common.loading')}</p>;
  if (!answer.ok) return <ErrorNotice error={answer.error} />;
  const detail = answer.value;
  if (detail === null) return <p>{t('history.detail.gone')}</p>;
  const titleOf = (name: string) => locale.pick(datasets.find((d) => d.name === name)?.title) || name;

  return (
    <div className="run-details">
      {run.repeats ? <p className="muted">{t('history.detail.newestOf', { n: locale.number(run.repeats.count) })}</p> : null}
      {detail.errors.length > 0 ? (
        <>
          <h3>{t('history.detail.errors')}</h3>
          <ul className="run-errors">
            {detail.errors.map((error, i) => (
              <li key={i}>{locale.pick(error.messages)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {detail.digests.length > 0 ? (
        <>
          <h3>{t('history.detail.digests')}</h3>
          <ul className="run-digests">
            {detail.digests.map((d) => (
              <li key={d.dataset}>
                <strong>{titleOf(d.dataset)}</strong>: {t(`digest.${d.status}`)}
                {d.localCount !== null && d.platformCount !== null
                  ? ` (${t('history.detail.counts', { local: locale.number(d.localCount), platform: locale.number(d.platformCount) })})`
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : run.status !== 'running' ? (
        <p>{t('history.detail.noDigests')}</p>
      ) : null}
      {detail.resynced.length > 0 ? <p>{t('history.detail.resynced', { datasets: detail.resynced.map(titleOf).join(', ') })}</p> : null}
      {detail.autoMerged > 0 ? <p>{t('history.detail.autoMerged', { n: locale.number(detail.autoMerged), count: detail.autoMerged })}</p> : null}
      {run.conflicts > 0 || run.rejected > 0 ? (
        <div className="toolbar">
          {run.conflicts > 0 ? (
            <button type="button" onClick={() => navigate('conflicts')}>
              {t('history.detail.openConflicts')}
            </button>
          ) : null}
          {run.rejected > 0 ? (
            <button type="button" onClick={() => navigate('outbox')}>
              {t('history.detail.openOutbox')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
