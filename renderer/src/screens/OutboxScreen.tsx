import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommandOutput, FieldError, OutboxEntryView } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import type { Tone } from '../components/Badge.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { recordMark, RecordMarkBadge, RecordMarkNotice } from '../components/RecordMark.js';
import { SteadyButton } from '../components/SteadyButton.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLocale } from '../hooks/useLocale.js';
import { useStatus } from '../hooks/useStatus.js';
import { fieldOfPointer, fieldsOf } from '../model/schema-form.js';
import { useNavigate } from '../hooks/useNavigation.js';

const PAGE = 100;
type EntryStatus = OutboxEntryView['status'];
const TONE: Record<EntryStatus, Tone> = { queued: 'info', in_flight: 'neutral', quarantined: 'danger' };
const STATUSES: readonly EntryStatus[] = ['queued', 'in_flight', 'quarantined'];

/**
 * What waits to go up to the platform, and what the platform refused and why.
 * A refused entry is held aside (quarantined) so it never blocks the rest; once
 * the record is fixed, or the cause is gone, it can be sent again; or a person
 * discards it, after a confirmation that says what is lost (the record goes
 * back to the national version, or off this computer). The held-back
 * changes are read apart (however long the queue), and the list of all changes
 * filters by state and dataset. A change whose record left this office's
 * scope on the platform, or that the platform answered it no longer holds the
 * record of, says so and offers no retry (the platform would refuse it again):
 * discarding it is what is left.
 */
export function OutboxScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const fieldText = useFieldText();
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
  /** Where the page of held-back changes shown starts: every one of them is reachable, a page at a time, however many. */
  const [heldFrom, setHeldFrom] = useState(0);
  // Held-back changes are listed apart, wherever they sit in a long queue.
  const heldBack = useCommand('outbox.list', { status: 'quarantined', offset: heldFrom, limit: PAGE });
  const datasets = useCommand('datasets.list', {});
  const navigate = useNavigate();
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [retried, setRetried] = useState<CommandOutput<'outbox.retry'> | null>(null);
  const [retryingAll, setRetryingAll] = useState(false);
  /** The held-back change a person is about to discard (the dialog is open), and the answer once it came. */
  const [discarding, setDiscarding] = useState<OutboxEntryView | null>(null);
  const [discardBusy, setDiscardBusy] = useState(false);
  const [discardFailure, setDiscardFailure] = useState<ApiError | null>(null);
  const [discarded, setDiscarded] = useState<{ title: string | null; outcome: CommandOutput<'outbox.discard'> } | null>(null);
  /** Counts the outcomes shown: each is a new notice, said again by a screen reader even in the same words as the last. */
  const [outcomes, setOutcomes] = useState(0);
  /** Once the dialog of a discarded change has closed: its item is gone, so the focus goes to the screen's heading. */
  const [focusTitle, setFocusTitle] = useState(false);

  useEffect(() => {
    if (discarding || !focusTitle) return;
    document.querySelector<HTMLElement>('main .screen-title')?.focus();
    setFocusTitle(false);
  }, [discarding, focusTitle]);
  /** A held-back change sent again: its item leaves the list with the button pressed, and the focus would fall to the window's top. */
  const [retriedSeq, setRetriedSeq] = useState<number | null>(null);
  useEffect(() => {
    if (retriedSeq === null || !heldBack.result?.ok || heldBack.result.value.items.some((e) => e.seq === retriedSeq)) return;
    // Gone: the focus goes to the screen's heading, as after a discard, unless the person has put it somewhere since.
    if (document.activeElement === null || document.activeElement === document.body) document.querySelector<HTMLElement>('main .screen-title')?.focus();
    setRetriedSeq(null);
  }, [heldBack.result, retriedSeq]);

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
  const listed = outbox.answered;
  /** The table answers a filter since changed, the new one still asked: shown dimmed and out of reach, its count not said, until it comes. */
  const stale = listed !== null && ((listed.status ?? null) !== statusFilter || (listed.dataset ?? null) !== datasetFilter);
  const quarantined = heldBack.result?.ok ? heldBack.result.value.items : [];
  const heldTotal = heldBack.result?.ok ? heldBack.result.value.total : 0;
  // Retried or discarded, the last page may have emptied: show the last one that holds any.
  useEffect(() => {
    if (heldBack.result?.ok && heldFrom > 0 && heldFrom >= heldTotal) setHeldFrom(Math.max(0, Math.floor((heldTotal - 1) / PAGE) * PAGE));
  }, [heldBack.result, heldFrom, heldTotal]);
  // "Send all again" sends every held-back change, shown or not: one on another page may be one to send.
  const anyRetryable = quarantined.some(retryable) || heldTotal > quarantined.length;
  /** The change being discarded as the list last read it (the dialog stays open across a reload that counted its record's others again). */
  const discardingNow = discarding ? (quarantined.find((q) => q.seq === discarding.seq) ?? discarding) : null;
  const filtered = statusFilter !== null || datasetFilter !== null;
  const datasetList = useMemo(() => (datasets.result?.ok ? datasets.result.value : []), [datasets.result]);
  const titleOf = (name: string) => locale.pick(datasetList.find((d) => d.name === name)?.title) || name;
  /** Each dataset's fields by name: a held-back change's reasons are said as the record form says them (a date day/month/year). */
  const specsOf = useMemo(() => new Map(datasetList.map((d) => [d.name, new Map(fieldsOf(d.schema).map((s) => [s.name, s]))])), [datasetList]);
  const reasonOf = (entry: OutboxEntryView, error: FieldError) => fieldText.message(error, specsOf.get(entry.dataset)?.get(fieldOfPointer(error.path) ?? ''));

  async function retry(seq?: number) {
    const all = seq === undefined;
    if (all) setRetryingAll(true);
    const answer = await api.call('outbox.retry', all ? {} : { seq });
    if (all) setRetryingAll(false);
    if (answer.ok) {
      setFailure(null);
      setDiscarded(null);
      setRetried(answer.value);
      setOutcomes((n) => n + 1);
      if (seq !== undefined && answer.value.retried > 0) setRetriedSeq(seq);
      reload();
    } else setFailure(answer.error);
  }

  function askDiscard(entry: OutboxEntryView) {
    setDiscardFailure(null);
    setDiscarding(entry);
  }

  async function discard(entry: OutboxEntryView) {
    setDiscardBusy(true);
    const answer = await api.call('outbox.discard', { seq: entry.seq });
    setDiscardBusy(false);
    if (!answer.ok) {
      setDiscardFailure(answer.error);
      return;
    }
    setFailure(null);
    setRetried(null);
    setDiscarded({ title: entry.title, outcome: answer.value });
    setOutcomes((n) => n + 1);
    setDiscarding(null);
    setFocusTitle(true);
    reload();
  }

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('outbox.title')}
      </h1>
      <p className="muted">
        {t('outbox.summary', {
          n: locale.number(status.status?.outbox.depth ?? total),
          q: locale.number(status.status?.outbox.quarantined ?? heldTotal),
        })}
      </p>
      {outbox.result && !outbox.result.ok ? <ErrorNotice error={outbox.result.error} /> : null}
      <ErrorNotice error={failure} />
      <LiveStatus id="outbox-outcome">
        {retried !== null ? (
          <div className={`notice ${retried.kept.length ? 'notice-warn' : 'notice-ok'}`} key={`retried-${outcomes}`}>
            <p>{t('outbox.retried', { n: locale.number(retried.retried), count: retried.retried })}</p>
            {retried.kept.length ? <p>{t('outbox.kept', { n: locale.number(retried.kept.length) })}</p> : null}
          </div>
        ) : null}
        {discarded ? (
          <p className="notice notice-ok" key={`discarded-${outcomes}`}>
            {discarded.title ? <span translate="no">{discarded.title}</span> : t('outbox.untitled')}: {t(discardedKey(discarded.outcome))}
          </p>
        ) : null}
      </LiveStatus>
      <div className="toolbar">
        <SteadyButton type="button" className="primary" onClick={() => void retry()} unavailable={retryingAll || !anyRetryable}>
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
                  {/* Each item's buttons say the same words: their names add the record and its dataset ("Gửi lại Nguyễn Văn A Hộ tịch"), so a
                      screen reader's list of buttons tells which change each acts on, and the platform's reasons describe them. */}
                  <strong id={`held-${e.seq}-title`}>{e.title ? <span translate="no">{e.title}</span> : t('outbox.untitled')}</strong>
                  <span className="muted" id={`held-${e.seq}-dataset`}>
                    {titleOf(e.dataset)}
                  </span>
                  {retryable(e) ? (
                    <button type="button" id={`held-${e.seq}-retry`} onClick={() => void retry(e.seq)} {...heldNames(e.seq, 'retry')}>
                      {t('outbox.retryOne')}
                    </button>
                  ) : null}
                  {e.op === 'upsert' ? (
                    <button
                      type="button"
                      id={`held-${e.seq}-open`}
                      onClick={() => navigate('records', { openRecord: { dataset: e.dataset, id: e.recordId } })}
                      {...heldNames(e.seq, 'open')}
                    >
                      {t('outbox.openRecord')}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="danger"
                    aria-haspopup="dialog"
                    id={`held-${e.seq}-discard`}
                    onClick={() => askDiscard(e)}
                    {...heldNames(e.seq, 'discard')}
                  >
                    {t('outbox.discard.button')}
                  </button>
                </div>
                <ul className="reasons" id={`held-${e.seq}-reasons`}>
                  {e.errors.length ? e.errors.map((err, i) => <li key={`${err.path}-${i}`}>{reasonOf(e, err)}</li>) : <li>{t('outbox.noReason')}</li>}
                </ul>
                <RecordMarkNotice mark={recordMark(e)} about="held" />
              </li>
            ))}
          </ul>
          {heldTotal > PAGE ? (
            <nav className="toolbar held-pages" aria-label={t('outbox.heldPages.label')}>
              <span aria-live="polite">
                {t('outbox.heldPages.shown', {
                  from: locale.number(heldFrom + 1),
                  to: locale.number(heldFrom + quarantined.length),
                  n: locale.number(heldTotal),
                })}
              </span>
              <SteadyButton type="button" onClick={() => setHeldFrom((n) => Math.max(0, n - PAGE))} unavailable={heldFrom === 0}>
                {t('outbox.heldPages.previous')}
              </SteadyButton>
              <SteadyButton type="button" onClick={() => setHeldFrom((n) => n + PAGE)} unavailable={heldFrom + PAGE >= heldTotal}>
                {t('outbox.heldPages.next')}
              </SteadyButton>
            </nav>
          ) : null}
        </section>
      ) : null}

      {discarding ? (
        <ConfirmDialog
          id="discard-change"
          title={t('outbox.discard.title')}
          subject={discarding.title}
          confirmLabel={t('outbox.discard.confirm')}
          cancelLabel={t('outbox.discard.cancel')}
          busy={discardBusy}
          error={discardFailure}
          onConfirm={() => void discard(discarding)}
          onCancel={() => setDiscarding(null)}
        >
          <p>{t('outbox.discard.what', { dataset: titleOf(discarding.dataset) })}</p>
          <p>{t(discarding.leftScope && !discarding.notOnPlatform ? 'outbox.discard.goneScope' : discarding.nationalVersion ? 'outbox.discard.back' : 'outbox.discard.goneNew')}</p>
          {/* The engine counts them over the whole outbox: another held-back change of the record may sit on another page. */}
          {discardingNow && discardingNow.othersHeld > 0 ? (
            <p>{t('outbox.discard.others', { n: locale.number(discardingNow.othersHeld), count: discardingNow.othersHeld })}</p>
          ) : null}
          <p>{t('outbox.discard.final')}</p>
        </ConfirmDialog>
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
        {items.length === 0 && outbox.result?.ok && !stale ? <p>{filtered ? t('outbox.noMatch') : t('outbox.empty')}</p> : null}
        {items.length > 0 ? (
          <div className="table-wrap" inert={stale}>
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
                      <RecordMarkBadge mark={recordMark(e)} />
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
        {total > PAGE && !stale ? (
          // Stays once everything is shown (unavailable), so the focus stays on it after the last page; the count is said on each page.
          <div className="toolbar">
            <p className="muted" aria-live="polite">
              {t('outbox.shownOf', { shown: locale.number(items.length), n: locale.number(total) })}
            </p>
            <SteadyButton type="button" onClick={() => setLimit((n) => Math.min(n + PAGE, 1000))} unavailable={limit >= 1000 || items.length >= total}>
              {t('common.loadMore')}
            </SteadyButton>
          </div>
        ) : null}
      </section>
    </>
  );
}

/** A held-back change's button named by its words, then the change's record and dataset; described by the platform's reasons. */
function heldNames(seq: number, button: 'retry' | 'open' | 'discard'): { 'aria-labelledby': string; 'aria-describedby': string } {
  return { 'aria-labelledby': `held-${seq}-${button} held-${seq}-title held-${seq}-dataset`, 'aria-describedby': `held-${seq}-reasons` };
}

/** Whether sending a held-back change again can help: not when the platform is certain to refuse it again (the engine refuses the retry). */
function retryable(entry: OutboxEntryView): boolean {
  return !entry.leftScope && !entry.notOnPlatform;
}

/** The sentence for a discarded change: the record back to the national version, off this computer, or still in its conflict. */
function discardedKey(outcome: CommandOutput<'outbox.discard'>): 'outbox.discard.done' | 'outbox.discard.doneGone' | 'outbox.discard.doneConflict' {
  if (outcome.recordState === null) return 'outbox.discard.doneGone';
  return outcome.recordState === 'conflict' ? 'outbox.discard.doneConflict' : 'outbox.discard.done';
}
