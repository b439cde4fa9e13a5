import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetView, RecordState, RecordView } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ExportCsvButton, ExportCsvOutcome, useCsvExport } from '../components/ExportCsv.js';
import { ImportCsvButton, ImportCsvPanel } from '../components/ImportCsv.js';
import { describeFilter, RecordFilters } from '../components/RecordFilters.js';
import { RecordForm } from '../components/RecordForm.js';
import { MAX_LIST_ROWS, VirtualRecordList } from '../components/VirtualRecordList.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLeave } from '../hooks/useLeaveGuard.js';
import { useLocale } from '../hooks/useLocale.js';
import { useRecordPages } from '../hooks/useRecordPages.js';
import { apiFilter, filterKey, listFiltersOf, NO_FILTER, type FilterValue } from '../model/record-filters.js';

const STATES: readonly RecordState[] = ['synced', 'waiting', 'conflict', 'rejected'];
/** The engine folds accents; the box only waits for the typing to pause. */
const SEARCH_DELAY_MS = 300;

/** A new record's form; `round` counts the records saved before it with "Lưu và thêm tiếp" (0: opened from the list). */
type Editing = { kind: 'none' } | { kind: 'new'; round: number } | { kind: 'record'; record: RecordView };
/** Where the keyboard focus goes back to when the form closes: the record's row, or the "new record" button. */
type ReturnTo = { row: { index: number; id: string } | null };

/** A record the screen opens in its form as it comes up (another screen asked for it). */
type OpenRecord = { dataset: string; id: string };

/** Browse and search each dataset; open a record in its generated form. */
export function RecordsScreen({ open = null }: { open?: OpenRecord | null }) {
  const { t } = useTranslation();
  const datasets = useCommand('datasets.list', {});
  const list = datasets.result?.ok ? datasets.result.value : [];
  const [name, setName] = useState<string | null>(open?.dataset ?? null);
  const dataset = list.find((d) => d.name === name) ?? list.find((d) => d.access === 'read-write') ?? list[0];

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('records.title')}
      </h1>
      {datasets.result && !datasets.result.ok ? <ErrorNotice error={datasets.result.error} /> : null}
      {!datasets.result ? <p className="muted">{t('common.loading')}</p> : null}
      {dataset ? (
        <DatasetRecords key={dataset.name} datasets={list} dataset={dataset} onDataset={setName} open={open?.dataset === dataset.name ? open.id : null} />
      ) : null}
    </>
  );
}

function DatasetRecords({
  datasets,
  dataset,
  onDataset,
  open: openAtStart,
}: {
  datasets: DatasetView[];
  dataset: DatasetView;
  onDataset: (name: string) => void;
  /** A record of this dataset to open in its form at once (the Outbox's "Mở bản ghi"). */
  open: string | null;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { pick, number } = useLocale();
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [state, setState] = useState<RecordState | null>(null);
  const filters = useMemo(() => listFiltersOf(dataset.schema), [dataset.schema]);
  const [filter, setFilter] = useState<FilterValue>(NO_FILTER);
  const filtered = apiFilter(filter) !== undefined;
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  /**
   * Said above the next new-record form after "Lưu và thêm tiếp" (a live region: a screen reader hears the save),
   * with the saved record's id: a typo seen just after saving is corrected at once ("Sửa bản ghi vừa lưu").
   */
  const [savedAnother, setSavedAnother] = useState<{ text: string; id: string } | null>(null);
  const leave = useLeave();
  /** The record another screen asked to open is no longer on this computer. */
  const [gone, setGone] = useState(false);
  const pages = useRecordPages({ dataset: dataset.name, search, state, filter });
  /** How far the list was scrolled, so it opens where it was when the form closes. */
  const listOffset = useRef(0);
  const [returnTo, setReturnTo] = useState<ReturnTo | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const exporter = useCsvExport();
  /** The CSV file being imported: its panel stands in for the list until it closes. */
  const [importing, setImporting] = useState<File | null>(null);
  const [importClosed, setImportClosed] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  useEvent('records.changed', (change) => {
    if (change.dataset === dataset.name) pages.refresh();
  });

  useEffect(() => {
    if (editing.kind !== 'none' || returnTo?.row !== null) return;
    newButton.current?.focus();
    setReturnTo(null);
  }, [editing, returnTo]);

  // Back from an import: the keyboard is where it started, on the import button.
  useEffect(() => {
    if (importing || !importClosed) return;
    importButton.current?.focus();
    setImportClosed(false);
  }, [importing, importClosed]);

  // Asked for by another screen: the record's form, as it is now; the list behind it, on closing.
  useEffect(() => {
    if (openAtStart === null) return;
    let alive = true;
    void api.call('records.get', { dataset: dataset.name, id: openAtStart }).then((answer) => {
      if (!alive) return;
      if (answer.ok && answer.value) {
        setReturnTo({ row: null });
        setEditing({ kind: 'record', record: answer.value });
      } else {
        setGone(true);
      }
    });
    return () => {
      alive = false;
    };
  }, [api, dataset.name, openAtStart]);

  async function open(record: RecordView, index: number) {
    // The list row may be a page old: edit the record as it is now.
    const answer = await api.call('records.get', { dataset: dataset.name, id: record.id });
    setNotice(null);
    setReturnTo({ row: { index, id: record.id } });
    setEditing({ kind: 'record', record: answer.ok && answer.value ? answer.value : record });
  }

  /** The record "Lưu và thêm tiếp" just saved, in its form as it is now (what was typed since was given up first). */
  async function openSaved(id: string) {
    const answer = await api.call('records.get', { dataset: dataset.name, id });
    setSavedAnother(null);
    if (answer.ok && answer.value) setEditing({ kind: 'record', record: answer.value });
    else setGone(true);
  }

  if (editing.kind !== 'none') {
    return (
      <>
        <div role="status" className="saved-another">
          {savedAnother ? <p className="notice notice-ok">{savedAnother.text}</p> : null}
        </div>
        {savedAnother ? (
          // Outside the live region, so the save is said once, not with the button; Shift+Tab from the first field.
          <p className="saved-another-actions">
            <button type="button" onClick={() => leave(() => void openSaved(savedAnother.id))}>
              {t('records.openSaved')}
            </button>
          </p>
        ) : null}
        <RecordForm
          key={editing.kind === 'record' ? editing.record.id : `new-${editing.round}`}
          dataset={dataset}
          record={editing.kind === 'record' ? editing.record : null}
          onClose={() => {
            setSavedAnother(null);
            setEditing({ kind: 'none' });
          }}
          onOpenOther={(other) => {
            setNotice(null);
            setSavedAnother(null);
            setReturnTo({ row: null });
            setEditing({ kind: 'record', record: other });
          }}
          onSaved={() => {
            setSavedAnother(null);
            setEditing({ kind: 'none' });
            setNotice(t('records.saved'));
            pages.refresh();
          }}
          {...(editing.kind === 'new'
            ? {
                // A fresh form (today's date, the office's values, the registrar last saved), the focus on its first field.
                focusFirstField: editing.round > 0,
                onSavedAnother: (title: string | null, id: string) => {
                  const n = editing.round + 1;
                  const text = title === null ? t('records.savedAnotherUntitled', { n }) : t('records.savedAnother', { n, title });
                  setSavedAnother({ text, id });
                  setEditing({ kind: 'new', round: n });
                  pages.refresh();
                },
              }
            : {})}
          onDeleted={(sent) => {
            setEditing({ kind: 'none' });
            setNotice(t(sent ? 'records.deleted' : 'records.deletedHereOnly'));
            pages.refresh();
          }}
        />
      </>
    );
  }

  if (importing) {
    return (
      <ImportCsvPanel
        dataset={dataset}
        file={importing}
        onClose={(wrote) => {
          setImporting(null);
          setImportClosed(true);
          if (wrote) pages.refresh();
        }}
      />
    );
  }

  return (
    <>
      <div className="toolbar" role="search">
        <label className="inline-field">
          <span>{t('records.dataset')}</span>
          <select value={dataset.name} onChange={(e) => onDataset(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {pick(d.title)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field grow">
          <span>{t('records.search')}</span>
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={t('records.searchPlaceholder')} maxLength={200} />
        </label>
        <label className="inline-field">
          <span>{t('records.stateFilter')}</span>
          <select value={state ?? ''} onChange={(e) => setState((e.target.value || null) as RecordState | null)}>
            <option value="">{t('records.allStates')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {/* Rejected records and those held back after the platform's failures (their badges say which) are one state underneath. */}
                {s === 'rejected' ? t('records.rejectedOrHeld') : t(`recordState.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {dataset.access === 'read-write' ? (
          <button
            type="button"
            className="primary"
            ref={newButton}
            onClick={() => {
              setReturnTo({ row: null });
              setSavedAnother(null);
              setEditing({ kind: 'new', round: 0 });
            }}
          >
            {t('records.new')}
          </button>
        ) : null}
        {dataset.access === 'read-write' ? (
          <ImportCsvButton
            buttonRef={importButton}
            onFile={(file) => {
              setNotice(null);
              setImporting(file);
            }}
          />
        ) : null}
        <ExportCsvButton exporter={exporter} onPress={(format) => void exporter.run({ dataset: dataset.name, search, state, filter: apiFilter(filter) }, format)} />
      </div>
      {filters.choices.length > 0 || filters.commune || filters.due ? <RecordFilters dataset={dataset} filters={filters} value={filter} onChange={setFilter} /> : null}
      <ExportCsvOutcome exporter={exporter} />
      <p className="muted" aria-live="polite">
        {pages.total === null
          ? t('common.loading')
          : filtered
            ? t(search.trim() ? 'records.filter.countSearch' : 'records.filter.count', {
                n: number(pages.total),
                count: pages.total,
                search: search.trim(),
                what: describeFilter(
                  filters,
                  filter,
                  { commune: t('records.filter.commune'), due: t('records.filter.due'), overdue: t('records.filter.overdue'), today: t('records.filter.today') },
                  pick,
                ),
              }) + (filter.due ? ` ${t('records.filter.dueOrder')}` : '')
          : search.trim()
            ? t(pages.capped ? 'records.countSearchCapped' : 'records.countSearch', { n: number(pages.total), count: pages.total, search: search.trim() })
            : t('records.count', { n: number(pages.total), count: pages.total })}
        {pages.total !== null && pages.total > MAX_LIST_ROWS ? ` ${t('records.listCapped', { n: number(MAX_LIST_ROWS) })}` : null}
        {dataset.access === 'read-write' ? null : ` ${t('records.readOnlyDataset')}`}
      </p>
      {notice ? (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      ) : null}
      {gone ? (
        <p className="notice notice-warn" role="status">
          {t('records.openGone')}
        </p>
      ) : null}
      <ErrorNotice error={pages.error} />
      {pages.total === 0 ? <p>{t('records.empty')}</p> : (
        <VirtualRecordList
          dataset={dataset}
          pages={pages}
          queryKey={`${search}|${state ?? ''}|${filterKey(filter)}`}
          onOpen={(r, index) => void open(r, index)}
          onOffset={(offset) => (listOffset.current = offset)}
          initialOffset={returnTo ? listOffset.current : 0}
          focusRow={returnTo?.row ?? null}
          onFocusReturned={(found) => {
            if (!found) document.querySelector<HTMLElement>('main .screen-title')?.focus();
            setReturnTo(null);
          }}
        />
      )}
    </>
  );
}
