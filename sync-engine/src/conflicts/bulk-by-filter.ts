import { LocalWriteRefused } from '../records/write-errors.js';
import { StoreBusyError, storeFailureOf, type AgentStore } from '../store/agent-store.js';
import { conflictVersion, onlyFieldCondition, onlyFieldOf, type ConflictDetails, type ConflictKind, type EarlierState } from './conflict-rows.js';
import type { ConflictResolution, Conflicts, ResolveManyResult } from './conflicts.js';

/**
 * A bulk take of every open conflict a filter holds (PRODUCT.md, Conflicts:
 * "bulk actions for many alike"), not only those a window has loaded: after
 * two weeks offline a national re-coding of communes opens 1,500 alike ones.
 *
 * The person is shown how many first (`matchingSummary`), with `through`, the
 * highest `changed_seq` then (store migration 0009). The take then goes a page
 * at a time (`resolveMatchingPage`, one call each, so the window says how far
 * it is and the agent answers other calls between pages), each conflict in its
 * own transaction as `Conflicts.resolveMany` settles them, on the version read
 * with its page: one a newer national version refreshed since the count
 * (`changed_seq` > `through`), or between its page's read and its transaction,
 * is left open and said once, on the last page (`changedSince`), never settled
 * on data the person was not counted on, even when the refresh moved it out of
 * the filter (its kind, or its one conflicting field, changed: a national delete
 * of an edited record), and none the filter did not hold when counted is said so
 * (`refreshedSinceCount`);
 * one opened since the count (`opened_seq` > `through`) is not touched, only
 * counted (`newSince`); one settled meanwhile elsewhere (another window, the
 * CLI, a sync that merged it) is no longer open and is not read.
 * A possible duplicate asks "same person?", which no bulk take answers: it is
 * never part of one, and counted apart (`duplicates`).
 */
export interface ConflictFilterOf {
  dataset?: string;
  kind?: ConflictKind;
  /** Only those whose one conflicting field is this one: the take is then of that field alone (conflict-rows.ts). */
  field?: string;
}

export interface MatchingSummary {
  /** Open conflicts the filter holds. */
  total: number;
  /** Of them, those a bulk take settles: all but the possible duplicates. */
  bulkable: number;
  /** Of those, the ones whose record left this office's scope: a take of this office's side leaves them open. */
  leftScope: number;
  /** Of the total, the possible duplicates, never taken in bulk. */
  duplicates: number;
  /** The highest `changed_seq` when counted: the take settles none opened or changed after it. */
  through: number;
}

export interface MatchingPage {
  /** Each conflict of this page settled or left open, but for those a refresh left open: `changedSince` names them. */
  results: ResolveManyResult[];
  /** The id to go on after; null: the last page (or the take stopped, the data file busy). */
  next: string | null;
  /**
   * On the last page: the counted ones a newer national version refreshed since the count (left open), before
   * their page's read or between it and their settling, each once, by id; `leftFilter` when the refresh moved it out
   * of the filter (the filtered list no longer shows it).
   */
  changedSince: Array<{ id: string; leftFilter: boolean }>;
  /** On the last page: open conflicts the filter holds, possible duplicates aside, opened after the count (not touched). */
  newSince: number;
  /** When the data file was busy: the conflicts past this page not tried (left open). */
  notTried: number;
}

function where(filter: ConflictFilterOf, alias = ''): { sql: string; params: unknown[] } {
  const a = alias ? `${alias}.` : '';
  const parts = [`${a}"status" = 'open'`];
  const params: unknown[] = [];
  if (filter.dataset) {
    parts.push(`${a}"dataset" = ?`);
    params.push(filter.dataset);
  }
  if (filter.kind) {
    parts.push(`${a}"kind" = ?`);
    params.push(filter.kind);
  }
  if (filter.field) {
    parts.push(onlyFieldCondition(alias));
    params.push(filter.field);
  }
  return { sql: parts.join(' AND '), params };
}

const BULKABLE = `"kind" <> 'possible-duplicate'`;

/** How many open conflicts the filter holds, and of them how many a bulk take settles, read in one transaction with `through`. */
export async function matchingSummary(store: AgentStore, filter: ConflictFilterOf): Promise<MatchingSummary> {
  return store.transaction(
    async (tx) => {
      const w = where(filter, 'c');
      const row = await tx.get<{ total: number; duplicates: number | null; away: number | null }>(
        `SELECT COUNT(*) AS total, SUM(c."kind" = 'possible-duplicate') AS duplicates,
           SUM(c."kind" <> 'possible-duplicate' AND l."id" IS NOT NULL) AS away
         FROM "conflicts" c LEFT JOIN "left_scope" l ON l."dataset" = c."dataset" AND l."id" = c."record_id"
         WHERE ${w.sql}`,
        w.params,
      );
      const through = (await tx.get<{ n: number | null }>(`SELECT MAX("changed_seq") AS n FROM "conflicts"`))?.n ?? 0;
      const total = row?.total ?? 0;
      const duplicates = row?.duplicates ?? 0;
      return { total, bulkable: total - duplicates, leftScope: row?.away ?? 0, duplicates, through };
    },
    { durable: false },
  );
}

/**
 * One page of a bulk take by filter: up to `limit` of the counted conflicts past `after` (by id), each
 * settled on the version read here. See the file's comment.
 */
export async function resolveMatchingPage(
  store: AgentStore,
  conflicts: Conflicts,
  filter: ConflictFilterOf,
  resolution: ConflictResolution,
  page: { through: number; after?: string; limit: number; user?: string },
): Promise<MatchingPage> {
  const w = where(filter);
  const counted = `${w.sql} AND ${BULKABLE} AND "changed_seq" <= ?`;
  const rows = await store.sql.all<{ id: string; kind: ConflictKind; remote_rev: number | null }>(
    `SELECT "id", "kind", "remote_rev" FROM "conflicts" WHERE ${counted} AND "id" > ? ORDER BY "id" LIMIT ?`,
    [...w.params, page.through, page.after ?? '', page.limit],
  );
  const versions = Object.fromEntries(rows.map((r) => [r.id, conflictVersion({ kind: r.kind, remoteRev: r.remote_rev })]));
  const tried = rows.length > 0 ? await conflicts.resolveMany(rows.map((r) => r.id), resolution, { user: page.user, versions }) : [];
  // One refreshed between this read and its transaction now has a `changed_seq` past `through`: the last page names
  // it among `changedSince` (saying whether it left the filter), so it is not answered here too, or it is named twice.
  const results = tried.filter((r) => r.ok || !refreshedMeanwhile(r.error));
  // resolveMany stops at a busy data file and answers the rest of the page with it: the take stops there.
  const stopped = tried.some((r) => !r.ok && storeFailureOf(store.file, r.error) instanceof StoreBusyError);
  const last = rows.at(-1)?.id;
  if (rows.length === page.limit && last !== undefined && !stopped) return { results, next: last, changedSince: [], newSince: 0, notTried: 0 };
  const notTried =
    stopped && last !== undefined
      ? ((await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "conflicts" WHERE ${counted} AND "id" > ?`, [...w.params, page.through, last]))?.n ?? 0)
      : 0;
  const changedSince = await refreshedSinceCount(store, filter, page.through);
  const newSince = await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "conflicts" WHERE ${w.sql} AND ${BULKABLE} AND "opened_seq" > ?`, [
    ...w.params,
    page.through,
  ]);
  return { results, next: null, changedSince, newSince: newSince?.n ?? 0, notTried };
}

/**
 * The open conflicts the count took (the filter held them, possible duplicates aside, as they were at `through`)
 * that a newer national version refreshed since: what each was at `through` is its state kept from before the
 * refresh (ConflictDetails.earlier). Only the dataset is filtered in SQL: it is the record's, no refresh changes it.
 */
async function refreshedSinceCount(store: AgentStore, filter: ConflictFilterOf, through: number): Promise<MatchingPage['changedSince']> {
  const rows = await store.sql.all<{ id: string; kind: ConflictKind; fields: string; details: string }>(
    `SELECT "id", "kind", "fields", "details" FROM "conflicts"
     WHERE "status" = 'open' ${filter.dataset ? `AND "dataset" = ?` : ''} AND "opened_seq" <= ? AND "changed_seq" > ? ORDER BY "id"`,
    [...(filter.dataset ? [filter.dataset] : []), through, through],
  );
  const out: MatchingPage['changedSince'] = [];
  for (const row of rows) {
    const now = { kind: row.kind, field: onlyFieldOf(JSON.parse(row.fields) as Array<{ field: string }>) };
    const earlier = (JSON.parse(row.details) as ConflictDetails).earlier ?? [];
    // Refreshed before the agent kept earlier states (or past the ones kept): as it is now, the most that is known.
    const then = earlier.filter((e) => e.since <= through).at(-1) ?? now;
    if (held(filter, then)) out.push({ id: row.id, leftFilter: !held(filter, now) });
  }
  return out;
}

/** A conflict resolveMany left open because its version was no longer the one read (Conflicts.resolve's check). */
function refreshedMeanwhile(error: Error): boolean {
  return error instanceof LocalWriteRefused && error.code === 'conflict_changed';
}

/** Whether the filter holds a conflict in this state, for a bulk take (never a possible duplicate). */
function held(filter: ConflictFilterOf, state: Pick<EarlierState, 'kind' | 'field'>): boolean {
  return state.kind !== 'possible-duplicate' && (!filter.kind || state.kind === filter.kind) && (!filter.field || state.field === filter.field);
}
