import { useState } from 'react';
import type { ApiError, ApiResult, CommandOutput, ConflictView } from '../api/types.js';
import { useApi } from './useApi.js';

/** The filter a take of all matching conflicts covers: the Conflicts screen's dataset, kind and field. */
export interface MatchingFilter {
  dataset?: string;
  kind?: ConflictView['kind'];
  /** Only those whose one conflicting field is this one. */
  field?: string;
}

/** What a bulk take did, chosen conflicts or all a filter holds (then with those opened since and those not tried). */
export type BulkAnswer = CommandOutput<'conflicts.resolveMany'> & { newSince?: number; notTried?: number };

export type MatchingCount = CommandOutput<'conflicts.matching'>;

/**
 * A take of every open conflict a filter holds, not only the rows loaded: the
 * agent counts them (`conflicts.matching`, asked when the person presses a take,
 * for the confirmation), then settles them a page at a time
 * (`conflicts.resolveMatching`), none that a newer national version changed
 * after the count. The pages are gathered into one answer; `done` says how
 * far it is meanwhile.
 */
export function useTakeMatching() {
  const api = useApi();
  const [done, setDone] = useState<number | null>(null);

  async function count(filter: MatchingFilter): Promise<ApiResult<MatchingCount>> {
    return api.call('conflicts.matching', filter);
  }

  /** Every page; a refused page ends it with its error and what the pages before it did. */
  async function take(filter: MatchingFilter, take: 'local' | 'national', through: number): Promise<{ answer: BulkAnswer; error: ApiError | null }> {
    const answer: BulkAnswer = { resolved: 0, gone: 0, changed: [], outOfScope: [], busy: [], failed: [], newSince: 0, notTried: 0 };
    let after: string | undefined;
    setDone(0);
    try {
      for (;;) {
        const page = await api.call('conflicts.resolveMatching', { ...filter, take, through, ...(after ? { after } : {}) });
        if (!page.ok) return { answer, error: page.error };
        const v = page.value;
        answer.resolved += v.resolved;
        answer.gone += v.gone;
        answer.changed.push(...v.changed);
        answer.outOfScope.push(...v.outOfScope);
        answer.busy.push(...v.busy);
        answer.failed.push(...v.failed);
        answer.newSince = v.newSince;
        answer.notTried = v.notTried;
        setDone(answer.resolved + answer.changed.length + answer.outOfScope.length + answer.busy.length + answer.failed.length);
        if (v.next === null) return { answer, error: null };
        after = v.next;
      }
    } finally {
      setDone(null);
    }
  }

  return { count, take, done };
}
