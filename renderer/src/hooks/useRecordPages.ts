import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ApiError, RecordState, RecordView } from '../api/types.js';
import { apiFilter, filterKey, NO_FILTER, type FilterValue } from '../model/record-filters.js';
import { useApi } from './useApi.js';

export const PAGE_SIZE = 100;
/** Pages kept in memory; farther ones are dropped and fetched again when scrolled back to. */
const MAX_PAGES = 30;

export interface RecordQuery {
  dataset: string;
  search: string;
  state: RecordState | null;
  /** The schema's filters (model/record-filters.ts); none when absent. */
  filter?: FilterValue;
}

export interface RecordPages {
  /** Total matching records; null until the first page answered. */
  total: number | null;
  /** A search too broad to count: more than `total` records match, and the list holds the first `total`. */
  capped: boolean;
  error: ApiError | null;
  recordAt: (index: number) => RecordView | undefined;
  /** Makes sure the rows from..to (inclusive) are loaded or on their way. */
  ensure: (from: number, to: number) => void;
  /** Drops what is cached (the data changed) and refetches the rows last asked for. */
  refresh: () => void;
}

/**
 * Pages through `records.list` with offset/limit as the list scrolls: only the
 * pages near what is on screen are held, so 100,000 records cost a few pages of
 * memory. A new query starts a new generation; late answers of an older one
 * are dropped.
 */
export function useRecordPages(query: RecordQuery): RecordPages {
  const api = useApi();
  // The total is kept with the query it counts, so a new search never shows the old count.
  const [counted, setCounted] = useState<{ key: string; total: number; capped: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const pages = useRef(new Map<number, RecordView[]>());
  /** Pages from before a refresh, shown until their fresh copy arrives (no flicker). */
  const stale = useRef(new Map<number, RecordView[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const lastRange = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const key = `${query.dataset}\u0000${query.search}\u0000${query.state ?? ''}\u0000${filterKey(query.filter ?? NO_FILTER)}`;
  const queryRef = useRef({ query, key });
  queryRef.current = { query, key };

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inflight.current.has(page)) return;
      inflight.current.add(page);
      const mine = generation.current;
      const { query: q, key: askedFor } = queryRef.current;
      const filter = apiFilter(q.filter ?? NO_FILTER);
      const input = {
        dataset: q.dataset,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(q.search.trim() ? { search: q.search.trim() } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(filter ? { filter } : {}),
      };
      void api.call('records.list', input).then((answer) => {
        if (mine !== generation.current) return;
        inflight.current.delete(page);
        if (!answer.ok) {
          setError(answer.error);
          return;
        }
        setError(null);
        pages.current.set(page, answer.value.items);
        stale.current.delete(page);
        evictFar(pages.current, page);
        setCounted({ key: askedFor, total: answer.value.total, capped: answer.value.totalCapped === true });
        rerender();
      });
    },
    [api],
  );

  const ensure = useCallback(
    (from: number, to: number) => {
      lastRange.current = [from, to];
      for (let p = Math.floor(from / PAGE_SIZE); p <= Math.floor(Math.max(from, to) / PAGE_SIZE); p++) load(p);
    },
    [load],
  );

  const refresh = useCallback(() => {
    generation.current++;
    stale.current = pages.current;
    pages.current = new Map();
    inflight.current.clear();
    const [from, to] = lastRange.current;
    ensure(from, to);
  }, [ensure]);

  useEffect(() => {
    generation.current++;
    pages.current.clear();
    stale.current.clear();
    inflight.current.clear();
    setError(null);
    lastRange.current = [0, PAGE_SIZE - 1];
    load(0);
  }, [key, load]);

  const recordAt = useCallback((index: number) => {
    const page = Math.floor(index / PAGE_SIZE);
    return (pages.current.get(page) ?? stale.current.get(page))?.[index % PAGE_SIZE];
  }, []);

  const mine = counted?.key === key ? counted : null;
  return { total: mine?.total ?? null, capped: mine?.capped ?? false, error, recordAt, ensure, refresh };
}

function evictFar(pages: Map<number, RecordView[]>, near: number): void {
  while (pages.size > MAX_PAGES) {
    let farthest = near;
    for (const p of pages.keys()) if (Math.abs(p - near) > Math.abs(farthest - near)) farthest = p;
    if (farthest === near) return;
    pages.delete(farthest);
  }
}
