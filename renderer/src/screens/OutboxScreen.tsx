import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, OutboxEntryView } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import type { Tone } from '../components/Badge.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { LeftScopeBadge, LeftScopeNotice } from '../components/LeftScopeNotice.js';
import { SteadyButton } from '../components/SteadyButton.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';
import { useStatus } from '../hooks/useStatus.js';

const PAGE = 100;
type EntryStatus = OutboxEntryView['status'];
const TONE: Record<EntryStatus, Tone> = { queued: 'info', in_flight: 'neutral', quarantined: 'danger' };
const STATUSES: readonly EntryStatus[] = ['queued', 'in_flight', 'quarantined'];

/**
 * What waits to go up to the platform, and what the platform refused and why.
 * A refused entry is held aside (quarantined) so it never blocks the rest; once
 * the record is fixed, or the cause is gone, it can be sent again. The held-back
 * changes are read apart (however long the queue), and the list of all changes
 * filters by state and dataset. A change whose record left this office's
 * scope on the platform says so.
 */
export function OutboxScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const status = useStatus();
  const [limit, setLimit] = useState(PAGE);
  const [statusFilter, setStatusFilter] = useState<EntryStatus | null>(null);
  const [datasetFilter, setDatasetFilter] = useState<string | null>(null);
  const outbox = useCommand('outbox.list', {
    ...(statusFilter ? { status: statusFilter } : {}),
    ...(datasetFilter ? { dataset: datasetFilter } : {}),
    offset: 0,
    limit,
  });
  // Held-back changes are listed apart, wherever they sit in a long queue.
  const heldBack = useCommand('outbox.list', { status: 'quarantined', offset: 0, limit: PAGE });
  const datasets = useCommand('datasets.list', {});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [retried, setRetried] = useState<number | null>(null);
  const [retryingAll, setRetryingAll] = useState(false);

  const reloadLists = () => {
    outbox.reload();
    heldBack.reload();
  };
  const reload = () => {
    reloadLists();
    status.reload();
  };
  useEvent('sync.finished', reloadLists);
  useEvent('records.changed', reloadLists);

  const items = outbox.result?.ok ? outbox.result.value.items : [];
  const total = outbox.result?.ok ? outbox.result.value.total : 0;
  const quarantined = heldBack.result?.ok ? heldBack.result.value.items : [];
  const filtered = statusFilter !== null || datasetFilter !== null;
  const datasetList = datasets.result?.ok ? datasets.result.value : [];
  const titleOf = (name: string) => locale.pick(datasetList.find((d) => d.name === name)?.title) || name;

  async function retry(seq?: number) {
    const all = seq === undefined;
    if (all) setRetryingAll(true);
    const answer = await api.call('outbox.retry', all ? {} : { seq });
    if (all) setRetryingAll(false);
    if (answer.ok) {
      setFailure(null);
      setRetried(answer.value.retried);
      reload();
    } else setFailure(answer.error);
  }

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('outbox.title')}
      </h1>
      <p className="muted">
        {t('outbox.summary', {
          n: locale.number(status.status?.outbox.depth ?? total),
          q: locale.number(status.status?.outbox.quarantined ?? (heldBack.result?.ok ? heldBack.result.value.total : 0)),
        })}
      </p>
      {outbox.result && !outbox.result.ok ? <ErrorNotice error={outbox.result.error} /> : null}
      <ErrorNotice error={failure} />
      {retried !== null ? (
        <p className="notice notice-ok" role="status">
          {t('outbox.retried', { n: locale.number(retried) })}
        </p>
      ) : null}
      <div className="toolbar">
        <SteadyButton type="button" className="primary" onClick={() => void retry()} unavailable={retryingAll || quarantined.length === 0}>
          {t('outbox.retryAll')}
        </SteadyButton>
      </div>

      {quarantined.length > 0 ? (
        <section aria-labelledby="quarantine-heading" className="panel">
          <h2 id="quarantine-heading">{t('outbox.quarantineTitle')}</h2>
          <ul className="quarantine-list">
            {quarantined.map((e) => (
              <li key={e.seq} className="quarantine-item">
                <div className="quarantine-head">
                  <strong>{e.title ? <span translate="no">{e.title}</span> : t('outbox.untitled')}</strong>
                  <span className="muted">{titleOf(e.dataset)}</span>
                  <button type="button" onClick={() => void retry(e.seq)}>
                    {t('outbox.retryOne')}
                  </button>
                </div>
                <ul className="reasons">
                  {e.errors.length ? e.errors.map((err, i) => <li key={`${err.path}-${i}`}>{locale.pick(err.messages)}</li>) : <li>{t('outbox.noReason')}</li>}
                </ul>
                {e.leftScope ? <LeftScopeNotice about="held" /> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="entries-heading" className="panel">
        <h2 id="entries-heading">{t('outbox.entriesTitle')}</h2>
        {filtered || items.length > 0 ? (
          <div className="toolbar">
            <label className="inline-field">
              <span>{t('outbox.filter.status')}</span>
              <select value={statusFilter ?? ''} onChange={(e) => setStatusFilter(STATUSES.find((s) => s === e.target.value) ?? null)}>
                <option value="">{t('outbox.filter.all')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`outbox.status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>{t('outbox.filter.dataset')}</span>
              <select value={datasetFilter ?? ''} onChange={(e) => setDatasetFilter(e.target.value || null)}>
                <option value="">{t('outbox.filter.all')}</option>
                {datasetList.map((d) => (
                  <option key={d.name} value={d.name}>
                    {locale.pick(d.title)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : null}
        {items.length === 0 && outbox.result?.ok ? <p>{filtered ? t('outbox.noMatch') : t('outbox.empty')}</p> : null}
        {items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('outbox.column.seq')}</th>
                  <th scope="col">{t('outbox.column.record')}</th>
                  <th scope="col">{t('outbox.column.dataset')}</th>
                  <th scope="col">{t('outbox.column.op')}</th>
                  <th scope="col">{t('outbox.column.status')}</th>
                  <th scope="col">{t('outbox.column.attempts')}</th>
                  <th scope="col">{t('outbox.column.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.seq}>
                    <td className="num">{e.seq}</td>
                    <td>
                      {e.title ? <span translate="no">{e.title}</span> : t('outbox.untitled')}
                      {e.leftScope ? <LeftScopeBadge /> : null}
                    </td>
                    <td>{titleOf(e.dataset)}</td>
                    <td>{t(`outbox.op.${e.op}`)}</td>
                    <td>
                      <Badge tone={TONE[e.status]}>{t(`outbox.status.${e.status}`)}</Badge>
                    </td>
                    <td className="num">{locale.number(e.attempts)}</td>
                    <td>{locale.dateTime(e.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {items.length < total ? (
          <SteadyButton type="button" onClick={() => setLimit((n) => Math.min(n + PAGE, 1000))} unavailable={limit >= 1000}>
            {t('common.loadMore')}
          </SteadyButton>
        ) : null}
      </section>
    </>
  );
}
