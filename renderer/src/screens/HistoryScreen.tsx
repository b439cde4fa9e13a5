import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, SyncRunView } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import type { Tone } from '../components/Badge.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SyncRunDetails } from '../components/SyncRunDetails.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';

const TONE: Record<SyncRunView['status'], Tone> = { running: 'info', ok: 'ok', conflicts: 'warn', failed: 'danger' };
const PAGE = 50;
const COLUMNS = 9;

/**
 * The oldest run a row stands for: the next page starts below it. It is also the row's own number: a
 * failed run that joins the row above (a spell offline going on) changes the row's newest run, not this,
 * so the row stays the same element, its details open and its button the keyboard's focus.
 */
const oldestOf = (run: SyncRunView) => run.repeats?.firstId ?? run.id;

/**
 * Each sync run: what started it, how long it took, what moved, and what went wrong in a sentence. Failed
 * runs in a row for the same reason are one row saying how many since when (a week offline is one row);
 * older runs come a page at a time; a row opens to the run's details.
 */
export function HistoryScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const datasets = useCommand('datasets.list', {});
  const [items, setItems] = useState<SyncRunView[] | null>(null);
  const [more, setMore] = useState(false);
  const [loadFailure, setLoadFailure] = useState<ApiError | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const ticket = useRef(0);
  /** The run whose row takes the focus once drawn: the first of an older page just loaded. */
  const [focusRun, setFocusRun] = useState<number | null>(null);
  useEffect(() => {
    if (focusRun === null) return;
    setFocusRun(null);
    // Older runs that joined a row of failures are found by that row (the nearest row at or below the run).
    const rows = [...document.querySelectorAll<HTMLButtonElement>('.history-table button.disclosure')];
    const id = (b: HTMLButtonElement) => Number(b.getAttribute('aria-controls')?.replace('run-details-', ''));
    (rows.find((b) => id(b) <= focusRun) ?? rows.at(-1))?.focus();
  }, [focusRun]);

  /** Older pages the person asked for: a refresh of the newest page keeps them below it. */
  const extended = useRef(false);

  /** `before` null: the newest page (over the older pages already shown); else the page below that run. */
  const load = useCallback(
    async (before: number | null) => {
      const mine = ++ticket.current;
      const answer = await api.call('syncRuns.list', { limit: PAGE, group: true, ...(before !== null ? { before } : {}) });
      if (mine !== ticket.current) return;
      if (!answer.ok) {
        setLoadFailure(answer.error);
        return;
      }
      setLoadFailure(null);
      const page = answer.value;
      if (before !== null) {
        extended.current = true;
        setItems((prev) => [...(prev ?? []), ...page]);
        setMore(page.length === PAGE);
        // The person pressed "older": the focus goes to the first run it brought (the button may be gone, with nothing older).
        setFocusRun(page[0]?.id ?? before);
        return;
      }
      const below = page.at(-1);
      if (extended.current && below) {
        // A run that failed like the ones before it joins their row: older rows the new page covers go.
        setItems((prev) => [...page, ...(prev ?? []).filter((r) => r.id < oldestOf(below))]);
        return;
      }
      setItems(page);
      setMore(page.length === PAGE);
    },
    [api],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  const reload = useCallback(() => void load(null), [load]);
  useEvent('sync.started', reload);
  useEvent('sync.finished', reload);

  async function syncNow() {
    const answer = await api.call('sync.now', {});
    setFailure(answer.ok ? null : answer.error);
    reload();
  }

  const datasetList = datasets.result?.ok ? datasets.result.value : [];
  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('history.title')}
      </h1>
      <ErrorNotice error={loadFailure} />
      <ErrorNotice error={failure} />
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => void syncNow()}>
          {t('overview.syncNow')}
        </button>
      </div>
      {items !== null && items.length === 0 ? <p>{t('history.empty')}</p> : null}
      {items !== null && items.length > 0 ? (
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
                <Fragment key={oldestOf(run)}>
                  <tr className={open === oldestOf(run) ? 'run-open' : undefined}>
                    <td className="nowrap run-started">
                      <button
                        type="button"
                        className="link-button disclosure"
                        aria-expanded={open === oldestOf(run)}
                        aria-controls={`run-details-${oldestOf(run)}`}
                        // Tabbing from row to row, a screen reader says how each run went, not only when (the badge is a cell away).
                        aria-label={t('history.detail.open', {
                          at: locale.dateTime(run.startedAt),
                          status: run.repeats
                            ? `${t(`runStatus.${run.status}`)}, ${t('history.repeatCount', { n: locale.number(run.repeats.count) })}`
                            : t(`runStatus.${run.status}`),
                        })}
                        onClick={() => setOpen((o) => (o === oldestOf(run) ? null : oldestOf(run)))}
                      >
                        {locale.dateTime(run.startedAt)}
                      </button>
                    </td>
                    <td>{t(`history.trigger.${run.trigger}`)}</td>
                    <td className="nowrap">{run.finishedAt ? locale.duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : t('history.inProgress')}</td>
                    <td>
                      <Badge tone={TONE[run.status]}>{t(`runStatus.${run.status}`)}</Badge>
                      {run.repeats ? <div className="run-repeats">{t('history.repeatCount', { n: locale.number(run.repeats.count) })}</div> : null}
                    </td>
                    <td className="num">{locale.number(run.pushed)}</td>
                    <td className="num">{locale.number(run.pulled)}</td>
                    <td className="num">{locale.number(run.conflicts)}</td>
                    <td className="num">{locale.number(run.rejected)}</td>
                    <td>
                      {run.error ? locale.pick(run.error.messages) : ''}
                      {run.repeats ? (
                        <div>{t('history.repeats', { n: locale.number(run.repeats.count), from: locale.dateTime(run.repeats.firstStartedAt), to: locale.dateTime(run.startedAt) })}</div>
                      ) : null}
                      {run.resent ? <div>{t('history.resent', { n: locale.number(run.resent), count: run.resent })}</div> : null}
                      {run.swept ? <div>{t('history.swept', { n: locale.number(run.swept), count: run.swept })}</div> : null}
                    </td>
                  </tr>
                  {open === oldestOf(run) ? (
                    <tr className="run-details-row" id={`run-details-${oldestOf(run)}`}>
                      <td colSpan={COLUMNS}>
                        <SyncRunDetails run={run} datasets={datasetList} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {more && items ? (
        <div className="toolbar">
          <button type="button" onClick={() => void load(oldestOf(items.at(-1)!))}>
            {t('history.older')}
          </button>
        </div>
      ) : null}
    </>
  );
}
