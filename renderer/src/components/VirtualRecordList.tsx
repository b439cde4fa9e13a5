import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { DatasetView, RecordView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import type { RecordPages } from '../hooks/useRecordPages.js';
import { listColumnTemplate } from '../model/list-columns.js';
import { fieldsOf } from '../model/schema-form.js';
import type { FieldSpec } from '../model/schema-form.js';
import { recordMark, RecordMarkBadge } from './RecordMark.js';
import { StatusBadge } from './StatusBadge.js';
import { ValueText } from './ValueText.js';

const ROW_HEIGHT = 44;
/**
 * Rows the list holds at most. Chromium (and so Electron) caps an element's
 * height at 33,554,428 px: at 44 px a row, a list of 1,000,000 records (a
 * province's cache) could not be scrolled past row 762,600, and End went
 * to a row that was never drawn. The list holds the first (newest) 750,000
 * (33,000,000 px) and the screen says so; older records are found by search
 * or a state filter.
 */
export const MAX_LIST_ROWS = 750_000;

interface Props {
  dataset: DatasetView;
  pages: RecordPages;
  /** Changes with the dataset, search or filter: a new query starts at the top. */
  queryKey: string;
  /** The record and its place in the list. */
  onOpen: (record: RecordView, index: number) => void;
  /** How far the list is scrolled, as it scrolls. */
  onOffset?: (offset: number) => void;
  /** Where the list starts when it opens again after a record's form. */
  initialOffset?: number;
  /** The row to give the keyboard focus to once it shows (back from its form); then onFocusReturned(found). */
  focusRow?: { index: number; id: string } | null;
  onFocusReturned?: (found: boolean) => void;
}

/**
 * The records of one dataset as a table whose rows exist only while near the
 * visible window (@tanstack/react-virtual): scrolling through 100,000 records
 * keeps a few dozen rows in the page. Each row's first cell is a button that
 * opens the record, so the list works from the keyboard: Tab, or Up / Down to
 * the row before or after and Home / End to the first or last, scrolling the
 * row into view (and loading it) when it is not drawn yet. The table stays a
 * table (not a grid): every row's button is a Tab stop, the arrows only add a
 * shorter way. The row holding the keyboard focus stays in the page however
 * far the list scrolls (Page Down, the scroll bar): removing it would drop the
 * focus to the page's top.
 */
export function VirtualRecordList({ dataset, pages, queryKey, onOpen, onOffset, initialOffset = 0, focusRow = null, onFocusReturned }: Props) {
  const { t } = useTranslation();
  const { pick, number } = useLocale();
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = Math.min(pages.total ?? 0, MAX_LIST_ROWS);
  // A row waiting for the focus is kept in the page like a focused one.
  const [focused, setFocused] = useState<number | null>(focusRow?.index ?? null);
  /** The row an arrow, Home or End sent the focus to, kept in the page until its button shows and takes it. */
  const [moving, setMoving] = useState<number | null>(null);
  const returning = useRef(focusRow);
  const columns = useMemo(() => {
    const specs = new Map(fieldsOf(dataset.schema).map((s) => [s.name, s]));
    const names = [dataset.display.titleField, ...dataset.display.listFields.filter((f) => f !== dataset.display.titleField)];
    return names.map((name): FieldSpec => specs.get(name) ?? { name, kind: 'text', title: { vi: name, en: name }, required: false, options: [] });
  }, [dataset]);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const kept = [focused, moving].filter((i): i is number => i !== null && i < range.count && !indexes.includes(i));
      return kept.length === 0 ? indexes : [...new Set([...indexes, ...kept])].sort((a, b) => a - b);
    },
    [focused, moving],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    rangeExtractor,
  });
  const items = virtualizer.getVirtualItems();
  // The kept rows are not part of the window to load: End from row 3 must not fetch every page between.
  const inView = items.filter((i) => i.index !== focused && i.index !== moving);
  const first = inView[0]?.index ?? focused ?? 0;
  const last = inView[inView.length - 1]?.index ?? focused ?? 0;
  /** The focused row's record, shown even after its page was dropped from memory. */
  const focusedRecord = useRef<RecordView | undefined>(undefined);
  const { ensure } = pages;

  useEffect(() => {
    if (count === 0) return;
    // The row the focus moves to is loaded on its own (its page only); the window stays the last asked for.
    if (moving !== null && moving < count) ensure(moving, moving);
    ensure(first, last);
  }, [ensure, first, last, count, moving]);

  // The row the focus moves to takes it once drawn with its record (already scrolled to: no focus scroll).
  useEffect(() => {
    if (moving === null) return;
    const button = moving < count ? openButton(moving) : null;
    if (moving < count && !button) return;
    setMoving(null);
    button?.focus({ preventScroll: true });
  });

  function openButton(index: number): HTMLElement | null {
    return scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] .row-open`) ?? null;
  }

  /** Up / Down: the row before or after; Home / End: the first or last. Other keys (Enter, Space, Tab) keep their meaning. */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.altKey || event.metaKey || event.shiftKey || count === 0) return;
    const from = moving ?? rowIndexOf(event.target);
    if (from === null || !(event.target instanceof HTMLElement) || !event.target.classList.contains('row-open')) return;
    const to = rowTarget(event.key, event.ctrlKey, from, count);
    if (to === null) return;
    event.preventDefault();
    virtualizer.scrollToIndex(to, { align: 'auto' });
    // A drawn row takes the focus at once; a far one when its page has loaded and it is drawn.
    const button = openButton(to);
    if (button) button.focus({ preventScroll: true });
    setMoving(button ? null : to);
  }

  // A new query starts at the top; the first one starts where the list was left.
  const startKey = useRef<string | null>(queryKey);
  const startOffset = useRef(initialOffset);
  useEffect(() => {
    if (queryKey !== startKey.current) startKey.current = null;
    virtualizer.scrollToOffset(startKey.current === null ? 0 : startOffset.current);
  }, [queryKey, virtualizer]);

  useEffect(() => {
    const target = returning.current;
    if (!target || pages.total === null) return;
    const record = target.index < count ? pages.recordAt(target.index) : undefined;
    if (target.index < count && !record) return;
    const button = record?.id === target.id ? scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target.index}"] .row-open`) : null;
    // The row is kept in the range, but the list draws no row before it has measured itself.
    if (record?.id === target.id && !button) return;
    returning.current = null;
    if (button) button.focus();
    else setFocused(null);
    onFocusReturned?.(!!button);
  });

  const template = useMemo(() => listColumnTemplate(columns), [columns]);

  return (
    <div className="vlist" role="table" aria-label={t('records.list.label', { dataset: pick(dataset.title) })} aria-rowcount={count + 1}>
      <div role="rowgroup" className="vlist-head">
        <div role="row" aria-rowindex={1} className="vlist-row" style={{ gridTemplateColumns: template }}>
          {columns.map((c) => (
            <span role="columnheader" key={c.name}>
              {pick(c.title)}
            </span>
          ))}
          <span role="columnheader">{t('records.list.state')}</span>
        </div>
      </div>
      <div ref={scrollRef} className="vlist-scroll" data-testid="record-scroll" onScroll={(e) => onOffset?.(e.currentTarget.scrollTop)}>
        <div
          role="rowgroup"
          className="vlist-body"
          style={{ height: virtualizer.getTotalSize() }}
          onFocus={(e) => {
            const index = rowIndexOf(e.target);
            setFocused(index);
            // The person went to another row meanwhile (a click, Tab): a far row still loading no longer takes the focus.
            setMoving((target) => (target === index ? target : null));
          }}
          onKeyDown={onKeyDown}
          onBlur={(e) => {
            if (e.currentTarget.contains(e.relatedTarget)) return;
            setFocused(null);
            setMoving(null);
          }}
        >
          {items.map((item) => {
            let record = pages.recordAt(item.index);
            if (item.index === focused) {
              record ??= focusedRecord.current;
              focusedRecord.current = record;
            }
            return (
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                data-index={item.index}
                className={`vlist-row${record?.deleted ? ' is-deleted' : ''}`}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {record ? (
                  <RowCells record={record} columns={columns} onOpen={(r) => onOpen(r, item.index)} />
                ) : (
                  <span role="cell" className="vlist-loading">
                    {t('records.list.loadingRow', { n: number(item.index + 1) })}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** Where a key moves the focus from row `from` of `count`, or null for a key that does not move it. */
function rowTarget(key: string, ctrl: boolean, from: number, count: number): number | null {
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (ctrl) return null;
  if (key === 'ArrowUp') return Math.max(0, from - 1);
  if (key === 'ArrowDown') return Math.min(count - 1, from + 1);
  return null;
}

/** The list index of the row an element sits in (data-index), or null outside a row. */
function rowIndexOf(element: EventTarget): number | null {
  const row = element instanceof Element ? element.closest<HTMLElement>('[data-index]') : null;
  return row ? Number(row.dataset.index) : null;
}

function RowCells({ record, columns, onOpen }: { record: RecordView; columns: FieldSpec[]; onOpen: (r: RecordView) => void }) {
  const { t } = useTranslation();
  const [titleColumn, ...rest] = columns;
  const title = record.data?.[titleColumn!.name];
  const mark = recordMark(record);
  return (
    <>
      <span role="cell" className={mark ? 'is-marked' : undefined}>
        <button type="button" className="link-button row-open" onClick={() => onOpen(record)}>
          {title === undefined || title === null || title === '' ? (
            t('records.list.untitled')
          ) : (
            <ValueText value={title} spec={titleColumn} />
          )}
        </button>
        <RecordMarkBadge mark={mark} />
      </span>
      {rest.map((c) => (
        <span role="cell" key={c.name} className="vlist-value">
          <ValueText value={record.data?.[c.name]} spec={c} />
        </span>
      ))}
      <span role="cell">
        {record.deleted ? <span className="deleted-note">{t('records.list.deleted')}</span> : null}
        <StatusBadge state={record.state} platformFault={record.platformFault} />
      </span>
    </>
  );
}
