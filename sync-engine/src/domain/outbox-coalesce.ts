/**
 * What a new local change does to an outbox entry for the same record that has
 * NOT been sent yet. The platform has seen neither, so the two can become one
 * mutation made on the first one's `baseRev`: fewer round trips, and the
 * platform's history shows the office's net change. An entry already sent (in
 * flight, or awaiting its result) is never coalesced: the caller appends.
 *
 *   pending              next      result
 *   create (baseRev null) upsert    replace: upsert, baseRev null, next data
 *   upsert (baseRev n)    upsert    replace: upsert, baseRev n, next data
 *   upsert (baseRev n)    delete    replace: delete, baseRev n
 *   create (baseRev null) delete    drop: the record never existed on the platform
 *   delete (baseRev n)    upsert    replace: upsert, baseRev n (an undelete is an edit of that rev)
 *   delete (baseRev n)    delete    replace: the pending delete
 *
 * 'append' only when the two disagree about the record's platform rev (both
 * non-null and different, or a pending create followed by a change made on a
 * platform rev): the rev moved between the edits, so each must be judged by the
 * platform on its own rev.
 */
import type { RecordData } from '../protocol/records.js';

export interface PendingChange {
  op: 'upsert' | 'delete';
  /** The platform rev the change was made on; null for a record this office created. */
  baseRev: number | null;
  /** The record's full data for an upsert; null for a delete. */
  data: RecordData | null;
}

export type CoalesceResult =
  | { kind: 'replace'; entry: PendingChange }
  /** The record never existed on the platform: create then delete = nothing to send. */
  | { kind: 'drop' }
  /** Cannot merge: queue `next` after `pending`. */
  | { kind: 'append' };

export function coalesce(pending: PendingChange, next: PendingChange): CoalesceResult {
  if (next.baseRev !== null && next.baseRev !== pending.baseRev) return { kind: 'append' };
  const baseRev = pending.baseRev;

  if (next.op === 'upsert') {
    return { kind: 'replace', entry: { op: 'upsert', baseRev, data: next.data } };
  }
  // A delete: of a record only this office knows there is nothing to tell the platform.
  if (pending.op === 'upsert' && baseRev === null) return { kind: 'drop' };
  return { kind: 'replace', entry: { op: 'delete', baseRev, data: null } };
}
