import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from './Badge.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SteadyButton } from './SteadyButton.js';
import { useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';

const PAGE = 200;

/**
 * Settled conflicts, read only, paged as the open ones: each says when it was
 * settled, by whom (as the audit log names them; one that settled by itself
 * at a sync names nobody) and which choice was made.
 */
export function SettledConflicts({ titleOf }: { titleOf: (dataset: string) => string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [limit, setLimit] = useState(PAGE);
  const settled = useCommand('conflicts.list', { status: 'resolved', offset: 0, limit });
  useEvent('conflicts.changed', settled.reload);
  const items = settled.result?.ok ? settled.result.value.items : [];
  const total = settled.result?.ok ? settled.result.value.total : 0;

  return (
    <>
      <p className="muted">{t('conflicts.settled.intro', { n: locale.number(total), count: total })}</p>
      {settled.result && !settled.result.ok ? <ErrorNotice error={settled.result.error} /> : null}
      {items.length === 0 && settled.result?.ok ? <p>{t('conflicts.settled.none')}</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table conflicts-table settled-conflicts">
            <caption className="visually-hidden">{t('conflicts.settled.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('conflicts.column.record')}</th>
                <th scope="col">{t('conflicts.column.dataset')}</th>
                <th scope="col">{t('conflicts.column.kind')}</th>
                <th scope="col">{t('conflicts.settled.column.at')}</th>
                <th scope="col">{t('conflicts.settled.column.by')}</th>
                <th scope="col">{t('conflicts.settled.column.choice')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.title ? <span translate="no">{c.title}</span> : t('conflicts.untitled')}</th>
                  <td>{titleOf(c.dataset)}</td>
                  <td>
                    <Badge tone="neutral">{t(`conflicts.kind.${c.kind}`)}</Badge>
                  </td>
                  <td>{c.settled ? locale.dateTime(c.settled.at) : ''}</td>
                  <td>{c.settled?.by ? <span translate="no">{c.settled.by}</span> : t('conflicts.settled.byItself')}</td>
                  <td>{t(`conflicts.settled.choice.${c.settled?.choice ?? 'auto'}`)}</td>
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
    </>
  );
}
