import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CurrentVersionView, DatasetView, RecordEventView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';
import type { FieldSpec } from '../model/schema-form.js';
import { ErrorNotice } from './ErrorNotice.js';
import { ValueText } from './ValueText.js';

const PAGE = 20;

/**
 * "Who changed this record, and when?": the record's audit events (records.history), newest first,
 * under its form, folded until asked for. Each says when (as the window writes dates and times),
 * who (the person's name as the audit log holds it) and what, in plain words; an edit shows each
 * field by its title with its value before and after, written as the form shows it. Shown only
 * where the record itself is shown: the values are the record's own.
 */
export function RecordHistory({ dataset, recordId, specs }: { dataset: DatasetView; recordId: string; specs: readonly FieldSpec[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<RecordEventView[] | null>(null);
  const [current, setCurrent] = useState<CurrentVersionView | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const ticket = useRef(0);
  const bodyId = `record-history-${recordId}`;

  const load = useCallback(
    async (before: number | null) => {
      const mine = ++ticket.current;
      setLoading(true);
      const answer = await api.call('records.history', { dataset: dataset.name, id: recordId, limit: PAGE, ...(before !== null ? { before } : {}) });
      if (mine !== ticket.current) return;
      setLoading(false);
      if (!answer.ok) {
        setFailure(answer.error);
        return;
      }
      setFailure(null);
      setItems((prev) => (before !== null && prev ? [...prev, ...answer.value.items] : answer.value.items));
      if (before === null) setCurrent(answer.value.current ?? null);
      setNext(answer.value.next);
    },
    [api, dataset.name, recordId],
  );

  useEffect(() => {
    if (open && items === null) void load(null);
  }, [open, items, load]);
  // A sync or another window changed the record: read its history again, from the newest.
  useEvent('records.changed', (change) => {
    if (open && change.dataset === dataset.name && change.ids.includes(recordId)) void load(null);
  });

  return (
    <section className="record-history" aria-labelledby={`${bodyId}-title`}>
      <h3 id={`${bodyId}-title`}>
        <button type="button" className="disclosure" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          {t('records.history.title')}
        </button>
      </h3>
      <div id={bodyId} hidden={!open}>
        {open ? (
          <>
            <p className="muted">{t('records.history.intro')}</p>
            <ErrorNotice error={failure} />
            {current ? <CurrentVersion current={current} /> : null}
            {items === null && !failure ? <p className="muted">{t('common.loading')}</p> : null}
            {items !== null && items.length === 0 ? <p>{t('records.history.none')}</p> : null}
            {items !== null && items.length > 0 ? (
              <ol className="history-events">
                {items.map((event) => (
                  <HistoryEvent key={event.seq} event={event} specs={specs} />
                ))}
              </ol>
            ) : null}
            {next !== null ? (
              <button type="button" disabled={loading} onClick={() => void load(next)}>
                {t('records.history.older')}
              </button>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}

function HistoryEvent({ event, specs }: { event: RecordEventView; specs: readonly FieldSpec[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const specOf = (field: string) => specs.find((s) => s.name === field);
  const titleOf = (field: string) => {
    const spec = specOf(field);
    return spec ? locale.pick(spec.title) : field;
  };
  const changes = event.changes ?? [];
  return (
    <li className="history-event">
      <p className="history-what">
        <strong>{eventWords(t, event)}</strong>
      </p>
      <p className="history-when muted">
        <time dateTime={event.at}>{locale.dateTime(event.at)}</time>
        <span aria-hidden="true"> · </span>
        <ActorName actor={event.actor} />
      </p>
      {event.leftScope ? <p>{t('records.history.leftScope')}</p> : null}
      {event.fields && event.fields.length > 0 ? <p>{t('records.history.fields', { fields: event.fields.map(titleOf).join(', ') })}</p> : null}
      {event.errors && event.errors.length > 0 ? (
        <ul className="history-reasons">
          {event.errors.map((e, i) => (
            <li key={`${e.path}-${i}`}>{e.messages ? locale.pick(e.messages) : e.code}</li>
          ))}
        </ul>
      ) : null}
      {changes.length > 0 ? (
        <table className="data-table history-changes">
          <caption className="visually-hidden">{t('records.history.changesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('records.history.column.field')}</th>
              <th scope="col">{t('records.history.column.before')}</th>
              <th scope="col">{t('records.history.column.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <th scope="row">{titleOf(c.field)}</th>
                <td>
                  <ValueText value={c.before} spec={specOf(c.field)} />
                </td>
                <td>
                  <ValueText value={c.after} spec={specOf(c.field)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

/**
 * Whose the version on this computer is: national and other offices' changes come by pull, which
 * the audit log does not record one by one, so this line is where they show.
 */
function CurrentVersion({ current }: { current: CurrentVersionView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const at = locale.dateTime(current.at);
  const by = current.by;
  // The person's name is data, not words to translate: it goes in its own translate="no" span.
  const NAME = '\u0000';
  const words =
    by.kind === 'national'
      ? t('records.history.current.national', { at })
      : by.kind === 'this-office'
        ? by.user
          ? t('records.history.current.thisOfficeBy', { at, user: NAME })
          : t('records.history.current.thisOffice', { at })
        : by.user
          ? t('records.history.current.otherOfficeBy', { at, user: NAME, site: by.siteCode })
          : t('records.history.current.otherOffice', { at, site: by.siteCode });
  const [head, tail] = words.split(NAME);
  return (
    <p className="history-current">
      {head}
      {tail !== undefined ? (
        <>
          <span translate="no">{by.kind !== 'national' ? by.user : null}</span>
          {tail}
        </>
      ) : null}
      {by.kind === 'this-office' ? null : <> {t('records.history.current.pulled')}</>}
    </p>
  );
}

/** Who, as the audit log holds it: a person's name (data, not words to translate); the agent itself; nobody named. */
function ActorName({ actor }: { actor: string }) {
  const { t } = useTranslation();
  if (actor === 'sync') return <span>{t('records.history.actor.sync')}</span>;
  if (actor === 'local') return <span>{t('records.history.actor.local')}</span>;
  return <span translate="no">{actor}</span>;
}

type Translate = ReturnType<typeof useTranslation>['t'];

/** What happened, in plain words (api/record-history.ts says what each kind means). */
function eventWords(t: Translate, e: RecordEventView): string {
  switch (e.kind) {
    case 'accepted':
      return t(e.op === 'delete' ? 'records.history.kind.acceptedDelete' : 'records.history.kind.accepted');
    case 'rejected':
      return t(`records.history.rejected.${e.outcome ?? 'held'}`);
    case 'conflict-opened': {
      const kind = e.reason ? t(`conflicts.kind.${e.reason}`) : '';
      const words = t(e.refreshed ? 'records.history.kind.conflictRefreshed' : 'records.history.kind.conflictOpened', { kind });
      return e.restored ? `${words} ${t('records.history.restored')}` : words;
    }
    case 'conflict-settled':
      return e.settled ? t('records.history.kind.conflictSettled', { choice: t(`records.history.settled.${e.settled}`) }) : t('records.history.kind.conflictSettledPlain');
    case 'other':
      return t('records.history.kind.other', { action: e.action });
    default:
      return t(`records.history.kind.${e.kind}`);
  }
}
