import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, SyncRunView } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import type { Tone } from '../components/Badge.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';

const TONE: Record<SyncRunView['status'], Tone> = { running: 'info', ok: 'ok', conflicts: 'warn', failed: 'danger' };

/** Each sync run: what started it, how long it took, what moved, and what went wrong in a sentence. */
export function HistoryScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const runs = useCommand('syncRuns.list', { limit: 100 });
  const [failure, setFailure] = useState<ApiError | null>(null);
  useEvent('sync.started', runs.reload);
  useEvent('sync.finished', runs.reload);
  const items = runs.result?.ok ? runs.result.value : [];

  async function syncNow() {
    const answer = await api.call('sync.now', {});
    setFailure(answer.ok ? null : answer.error);
    runs.reload();
  }

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('history.title')}
      </h1>
      {runs.result && !runs.result.ok ? <ErrorNotice error={runs.result.error} /> : null}
      <ErrorNotice error={failure} />
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void syncNow()}>
          {t('overview.syncNow')}
        </button>
      </div>
      {items.length === 0 && runs.result?.ok ? <p>{t('history.empty')}</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table history-table">
            <thead>
              <tr>
                <th scope="col">{t('history.column.startedAt')}</th>
                <th scope="col">{t('history.column.trigger')}</th>
                <th scope="col">{t('history.column.duration')}</th>
                <th scope="col">{t('history.column.status')}</th>
                <th scope="col">{t('history.column.pushed')}</th>
                <th scope="col">{t('history.column.pulled')}</th>
                <th scope="col">{t('history.column.conflicts')}</th>
                <th scope="col">{t('history.column.rejected')}</th>
                <th scope="col">{t('history.column.error')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id}>
                  <td className="nowrap run-started">{locale.dateTime(run.startedAt)}</td>
                  <td>{t(`history.trigger.${run.trigger}`)}</td>
                  <td className="nowrap">{run.finishedAt ? locale.duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : t('history.inProgress')}</td>
                  <td>
                    <Badge tone={TONE[run.status]}>{t(`runStatus.${run.status}`)}</Badge>
                  </td>
                  <td className="num">{locale.number(run.pushed)}</td>
                  <td className="num">{locale.number(run.pulled)}</td>
                  <td className="num">{locale.number(run.conflicts)}</td>
                  <td className="num">{locale.number(run.rejected)}</td>
                  <td>
                    {run.error ? locale.pick(run.error.messages) : ''}
                    {run.resent ? <div>{t('history.resent', { n: locale.number(run.resent), count: run.resent })}</div> : null}
                    {run.swept ? <div>{t('history.swept', { n: locale.number(run.swept), count: run.swept })}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
