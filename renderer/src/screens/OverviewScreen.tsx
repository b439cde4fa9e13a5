import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentStatusView, ApiError } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import type { Tone } from '../components/Badge.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { HEALTH_TONE, HealthBadge } from '../components/HealthBadge.js';
import { LatencyChart } from '../components/LatencyChart.js';
import { SteadyButton } from '../components/SteadyButton.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { useNavigate } from '../hooks/useNavigation.js';
import { useStatus } from '../hooks/useStatus.js';
import { attentionItems } from '../model/attention.js';

const DIGEST_TONE: Record<AgentStatusView['datasets'][number]['digest'], Tone> = {
  match: 'ok',
  mismatch: 'danger',
  pending: 'info',
  unknown: 'neutral',
};

/** The office's sync at a glance: connection, what needs attention, queues, datasets. */
export function OverviewScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const { status, error } = useStatus();
  const [syncError, setSyncError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);

  async function syncNow() {
    setStarting(true);
    const answer = await api.call('sync.now', {});
    setStarting(false);
    setSyncError(answer.ok ? null : answer.error);
  }

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('overview.title')}
      </h1>
      <ErrorNotice error={error} />
      {status ? (
        <OverviewBody
          status={status}
          onSyncNow={() => void syncNow()}
          starting={starting}
          syncError={syncError}
          // The service stopped answering (the window is its client): its last state is old news, as the header says.
          serviceGone={error?.code === 'unreachable' ? error : null}
        />
      ) : error ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </>
  );
}

function OverviewBody(props: { status: AgentStatusView; onSyncNow: () => void; starting: boolean; syncError: ApiError | null; serviceGone: ApiError | null }) {
  const { status, onSyncNow, starting, syncError, serviceGone } = props;
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const now = Date.now();
  const items = attentionItems(status, now);
  const titleOf = (name: string) => locale.pick(status.datasets.find((d) => d.dataset === name)?.title) || name;
  // Another program holds the data folder's lease: this window reads and writes records but does not sync.
  const elsewhere = status.leaseHeldBy;
  /**
   * The "needs attention" button last focused. Its item goes when what it pointed at is done (a sync
   * emptied the queue): the focus then goes to the list's heading, where the person hears what is
   * left, instead of falling to the window's top.
   */
  const lastAttention = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const last = lastAttention.current;
    if (!last || last.isConnected) return;
    lastAttention.current = null;
    const active = document.activeElement;
    if (!active || active === document.body) document.getElementById('attention-heading')?.focus();
  });

  return (
    <>
      <section className={`health-panel tone-${serviceGone ? 'neutral' : HEALTH_TONE[status.health.state]}`} aria-labelledby="health-heading">
        <h2 id="health-heading" className="visually-hidden">
          {t('overview.connection')}
        </h2>
        {serviceGone ? <Badge tone="neutral">{t('health.notKnown')}</Badge> : <HealthBadge state={status.health.state} />}
        <p className="health-sentence">
          {serviceGone ? t('app.connectionNotKnown', { reason: locale.pick(serviceGone.messages) }) : locale.pick(status.health.reason)}
        </p>
        <div className="health-actions">
          <SteadyButton
            type="button"
            className="primary"
            onClick={onSyncNow}
            unavailable={starting || status.syncing}
            disabled={elsewhere !== null}
            aria-describedby={elsewhere ? 'sync-elsewhere' : undefined}
          >
            {status.syncing ? t('overview.syncing') : t('overview.syncNow')}
          </SteadyButton>
        </div>
        {elsewhere ? (
          <p id="sync-elsewhere" className="sync-elsewhere">
            {t('overview.syncElsewhere', { host: elsewhere.host, pid: elsewhere.pid ?? '?' })}
          </p>
        ) : null}
      </section>
      <ErrorNotice error={syncError} />

      <section aria-labelledby="attention-heading" className="panel">
        <h2 id="attention-heading" tabIndex={-1}>
          {t('overview.attention.title')}
        </h2>
        {items.length === 0 ? (
          <p>{t('overview.attention.none')}</p>
        ) : (
          <ol className="attention-list">
            {items.map((item) => (
              <li key={item.id} className={`attention tone-${item.tone}`}>
                <span id={`attention-${item.id}`}>
                  {t(`overview.attention.items.${item.id}`, {
                    n: locale.number(item.count ?? 0),
                    count: item.count ?? 0,
                    since: item.since ? locale.relative(item.since, now) : t('overview.never'),
                    datasets: (item.datasets ?? []).map(titleOf).join(', '),
                  })}
                </span>
                {item.screen ? (
                  <button
                    type="button"
                    className="link-button"
                    aria-describedby={`attention-${item.id}`}
                    onClick={() => navigate(item.screen!)}
                    onFocus={(e) => (lastAttention.current = e.currentTarget)}
                  >
                    {t(`overview.attention.goTo.${item.screen}`)}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <div className="overview-grid">
        <section aria-labelledby="sync-heading" className="panel">
          <h2 id="sync-heading">{t('overview.sync.title')}</h2>
          <dl className="facts">
            <dt>{t('overview.sync.last')}</dt>
            <dd>
              {status.lastSync
                ? t('overview.sync.lastValue', {
                    at: locale.dateTime(status.lastSync.at),
                    ago: locale.relative(status.lastSync.at, now),
                    status: t(`runStatus.${runStatusKey(status.lastSync.status)}`),
                  })
                : t('overview.never')}
            </dd>
            {status.lastSync && status.lastSync.at !== status.lastSuccessAt ? (
              <>
                <dt>{t('overview.sync.lastSuccess')}</dt>
                <dd>{status.lastSuccessAt ? `${locale.dateTime(status.lastSuccessAt)} (${locale.relative(status.lastSuccessAt, now)})` : t('overview.never')}</dd>
              </>
            ) : null}
            <dt>{t('overview.sync.next')}</dt>
            <dd>
              {status.nextSyncAt
                ? `${locale.dateTime(status.nextSyncAt)} (${locale.relative(status.nextSyncAt, now)})`
                : t(elsewhere ? 'overview.sync.elsewhere' : 'overview.sync.notScheduled')}
            </dd>
            <dt>{t('overview.outbox.depth')}</dt>
            <dd>{locale.number(status.outbox.depth)}</dd>
            <dt>{t('overview.outbox.oldest')}</dt>
            <dd>{status.outbox.oldestAt ? locale.relative(status.outbox.oldestAt, now) : t('overview.outbox.empty')}</dd>
            <dt>{t('overview.conflicts')}</dt>
            <dd>{locale.number(status.openConflicts)}</dd>
            <dt>{t('overview.rejected')}</dt>
            <dd>{locale.number(status.rejected)}</dd>
            {status.platformFaults > 0 ? (
              <>
                <dt>{t('overview.platformFaults')}</dt>
                <dd>{locale.number(status.platformFaults)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section aria-labelledby="latency-heading" className="panel">
          <h2 id="latency-heading">{t('overview.latency.title')}</h2>
          <LatencyChart points={status.latency} now={now} />
        </section>
      </div>

      <section aria-labelledby="datasets-heading" className="panel">
        <h2 id="datasets-heading">{t('overview.datasets.title')}</h2>
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('overview.datasets.name')}</th>
                <th scope="col">{t('overview.datasets.records')}</th>
                <th scope="col">{t('overview.datasets.fresh')}</th>
                <th scope="col">{t('overview.datasets.digest')}</th>
              </tr>
            </thead>
            <tbody>
              {status.datasets.map((d) => (
                <tr key={d.dataset}>
                  <th scope="row">{locale.pick(d.title)}</th>
                  <td className="num">{locale.number(d.records)}</td>
                  <td>{d.freshAt ? `${locale.dateTime(d.freshAt)} (${locale.relative(d.freshAt, now)})` : t('overview.never')}</td>
                  <td>
                    <Badge tone={DIGEST_TONE[d.digest]}>{t(`digest.${d.digest}`)}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** The status string of the last sync as a run status the window has words for. */
function runStatusKey(value: string): 'running' | 'ok' | 'conflicts' | 'failed' | 'other' {
  return value === 'running' || value === 'ok' || value === 'conflicts' || value === 'failed' ? value : 'other';
}
