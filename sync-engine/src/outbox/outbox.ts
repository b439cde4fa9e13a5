import { buildSearchText } from '../domain/search-fold.js';
import type { Mutation, MutationResult } from '../protocol/push.js';
import { dropLeftScope, leftScopeMarks } from '../records/left-scope.js';
import { deleteRecords, getRecord, writeRecord, type RecordState } from '../records/record-row.js';
import { LocalWriteRefused } from '../records/write-errors.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { REDOABLE } from '../store/durability.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { whereEqual } from '../store/sql.js';
import { applyResults, type ApplySummary } from './apply-results.js';
import {
  deleteEntries,
  entriesForRecord,
  entryFromDb,
  heldAfterPlatformFaults,
  heldAsNotOnPlatform,
  outboxRecordKey,
  toMutation,
  type DbOutboxRow,
  type OutboxEntry,
  type OutboxStatus,
} from './outbox-entries.js';

/**
 * Bytes one mutation adds around its data in a push body, at most: its keys,
 * two UUIDs, a dataset name of up to 64 characters, the op, the baseRev and
 * the commas.
 */
export const ENVELOPE_BYTES = 256;

/** One batch to push (PowerSync's CrudBatch): it leaves the outbox only through `complete`. */
export interface OutboxBatch {
  entries: OutboxEntry[];
  mutations: Mutation[];
  /** More entries are ready to send after this batch. */
  hasMore: boolean;
  /** Applies the platform's answers (one per mutation, same order) in one transaction. */
  complete(results: readonly MutationResult[]): Promise<ApplySummary>;
}

export interface OutboxStats {
  queued: number;
  inFlight: number;
  quarantined: number;
  /** created_at of the oldest entry still to be sent (queued or in flight), or null. */
  oldestPendingAt: string | null;
}

/**
 * The durable queue of local changes (SYNC-PROTOCOL.md, guarantees 1 and 2).
 *
 * Order and isolation: entries go in seq order; at most ONE mutation per record
 * is in a batch or in flight (a later entry for the same record waits for the
 * earlier one's answer, which may rebase it); quarantined entries are skipped and
 * never hold back other records.
 *
 * Exactly once: an entry is marked in_flight, durably, before it is sent and
 * keeps its mutationId and its data until a definitive answer; after a crash,
 * a power cut or a lost answer it is simply sent again, and the platform
 * answers `duplicate` if it had applied it.
 */
export class Outbox {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * The next entries to send, at most `max`, marked in_flight. `busy` names
   * records (outboxRecordKey) whose batch is still out, unanswered: none of
   * their entries is picked, so a push phase can send the next batch before
   * the answer to the one before it arrives.
   *
   * `maxBytes` bounds the batch's serialized size: entries are taken while
   * their data's bytes (SQLite's octet_length of the stored JSON, which is the
   * text sent) plus ENVELOPE_BYTES each stay within it; the first entry is
   * always taken. A batch of big records thus stops short of the platform's
   * body cap instead of being refused with 413 and halved.
   */
  async nextBatch(max: number, busy: ReadonlySet<string> = new Set(), maxBytes = Number.POSITIVE_INFINITY): Promise<OutboxBatch> {
    // Durable, not REDOABLE: the batch goes out once this resolves. Were a power
    // cut to undo the mark, the entry would be 'queued' again under a mutationId
    // the platform may have applied, a local edit would merge into it
    // (queueChange), and the platform would answer `duplicate` for data it never had.
    const entries = await this.ctx.store.transaction(async (tx) => {
      const seqs: number[] = [];
      const seen = new Set<string>(busy);
      let after = 0;
      let more = false;
      // Keyset scan in seq order; one entry per record, the record's oldest unsettled one.
      // Only the columns that decide are read: the scan passes the batches still out
      // (a whole batch of rows), whose payloads would be decoded for nothing.
      scan: for (;;) {
        const rows = await tx.all<Pick<DbOutboxRow, 'seq' | 'dataset' | 'record_id' | 'status'>>(
          `SELECT "seq", "dataset", "record_id", "status" FROM "outbox" WHERE "seq" > ? ORDER BY "seq" LIMIT ?`,
          [after, Math.max(2 * max, 100)],
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          after = row.seq;
          if (row.status === 'quarantined') continue;
          const key = outboxRecordKey(row.dataset, row.record_id);
          if (seen.has(key)) continue;
          seen.add(key);
          if (seqs.length === max) {
            more = true;
            break scan;
          }
          seqs.push(row.seq);
        }
      }
      const picked: OutboxEntry[] = [];
      const now = isoNow(this.ctx);
      let bytes = 0;
      let full = false;
      for (let i = 0; i < seqs.length && !full; i += 500) {
        const part = seqs.slice(i, i + 500);
        const rows = await tx.all<DbOutboxRow & { bytes: number | null }>(
          `SELECT *, octet_length("data") AS "bytes" FROM "outbox" WHERE "seq" IN (${part.map(() => '?').join(', ')}) ORDER BY "seq"`,
          part,
        );
        const taken: number[] = [];
        for (const row of rows) {
          bytes += (row.bytes ?? 0) + ENVELOPE_BYTES;
          if (bytes > maxBytes && picked.length > 0) {
            full = more = true;
            break;
          }
          picked.push(entryFromDb(row));
          taken.push(row.seq);
        }
        if (taken.length === 0) break;
        const marks = taken.map(() => '?').join(', ');
        await tx.run(`UPDATE "outbox" SET "status" = 'in_flight', "attempts" = "attempts" + 1, "sent_at" = ? WHERE "seq" IN (${marks})`, [now, ...taken]);
      }
      return { picked, more };
    });
    const list = entries.picked.map((e) => ({ ...e, status: 'in_flight' as const, attempts: e.attempts + 1 }));
    return {
      entries: list,
      mutations: list.map(toMutation),
      hasMore: entries.more,
      complete: (results) => this.applyResults(list, results),
    };
  }

  /**
   * Counts one more HTTP 500 the platform answered to this entry sent alone
   * (sync/platform-fault.ts) and returns the count so far, or null when the
   * entry is no longer in flight under the same mutationId (settled meanwhile).
   * The entry stays in flight under its mutationId: it goes again as it is.
   */
  async countPlatformFault(entry: Pick<OutboxEntry, 'seq' | 'mutationId'>): Promise<number | null> {
    return this.ctx.store.transaction(async (tx) => {
      await tx.run(`UPDATE "outbox" SET "faults" = "faults" + 1 WHERE "seq" = ? AND "mutation_id" = ? AND "status" = 'in_flight'`, [entry.seq, entry.mutationId]);
      const row = await tx.get<{ faults: number }>(`SELECT "faults" FROM "outbox" WHERE "seq" = ? AND "mutation_id" = ? AND "status" = 'in_flight'`, [
        entry.seq,
        entry.mutationId,
      ]);
      return row?.faults ?? null;
    });
  }

  /** Applies one batch's answers; see apply-results.ts. */
  async applyResults(entries: readonly OutboxEntry[], results: readonly MutationResult[]): Promise<ApplySummary> {
    return this.ctx.store.transaction((tx) => applyResults(tx, this.ctx, entries, results), REDOABLE);
  }

  async list(filter: OutboxFilter & { limit?: number; offset?: number } = {}): Promise<OutboxEntry[]> {
    const { where, params } = whereEqual({ status: filter.status || undefined, dataset: filter.dataset || undefined });
    const rows = await this.ctx.store.sql.all<DbOutboxRow>(`SELECT * FROM "outbox" ${where} ORDER BY "seq" LIMIT ? OFFSET ?`, [
      ...params,
      filter.limit ?? 100,
      filter.offset ?? 0,
    ]);
    return rows.map(entryFromDb);
  }

  /** How many entries `list` would page through with the same filter. */
  async count(filter: OutboxFilter = {}): Promise<number> {
    const { where, params } = whereEqual({ status: filter.status || undefined, dataset: filter.dataset || undefined });
    return (await this.ctx.store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "outbox" ${where}`, params))?.n ?? 0;
  }

  async stats(): Promise<OutboxStats> {
    const db = this.ctx.store.sql;
    const rows = await db.all<{ status: OutboxStatus; n: number }>('SELECT "status", COUNT(*) AS n FROM "outbox" GROUP BY "status"');
    const count = (s: OutboxStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    const oldest = await db.get<{ at: string | null }>(`SELECT MIN("created_at") AS at FROM "outbox" WHERE "status" <> 'quarantined'`);
    return { queued: count('queued'), inFlight: count('in_flight'), quarantined: count('quarantined'), oldestPendingAt: oldest?.at ?? null };
  }

  /** Number of entries still to be sent for one dataset, or all. */
  async pendingCount(dataset?: string): Promise<number> {
    const row = await this.ctx.store.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "outbox" ${dataset ? 'WHERE "dataset" = ?' : ''}`,
      dataset ? [dataset] : [],
    );
    return row?.n ?? 0;
  }

  /**
   * Puts quarantined entries (one, or all) back in the queue, each under a NEW
   * mutationId: the platform gave the old id a definitive answer (rejected).
   * An edit of a rejected record needs no retry: it replaces the quarantined
   * entry itself (see queueChange).
   *
   * Except an entry held back because the platform kept failing on it (HTTP
   * 500, heldAfterPlatformFaults): its id never had an answer and the platform
   * may have applied it before failing, so it goes back in flight under the
   * SAME mutationId (SYNC-PROTOCOL.md, guarantee 2: a replay of an applied
   * one is answered `duplicate`), its count of failures started again.
   *
   * Not an entry the platform is certain to refuse again: its record left this
   * office's scope (records/left-scope.ts), or the platform answered that it
   * no longer holds the record (heldAsNotOnPlatform). Retrying one such entry
   * by its seq is refused (LocalWriteRefused, nothing written); retrying all
   * leaves them held back, each in `kept` with the refusal saying why and
   * that discarding it is what is left, and queues the others.
   */
  async retry(seq?: number, user?: string): Promise<RetryOutcome> {
    return this.ctx.store.transaction(async (tx) => {
      const held = await tx.all<DbOutboxRow>(
        `SELECT * FROM "outbox" WHERE "status" = 'quarantined' ${seq === undefined ? '' : 'AND "seq" = ?'} ORDER BY "seq"`,
        seq === undefined ? [] : [seq],
      );
      const leftScope = await leftScopeMarks(tx, held.map((r) => ({ dataset: r.dataset, recordId: r.record_id })));
      // Every held-back entry of a record counts: one `not_found` answer says the record is gone from the platform.
      const first = held[0];
      const related = seq === undefined ? held.map(entryFromDb) : first ? await entriesForRecord(tx, first.dataset, first.record_id) : [];
      const gone = new Set(related.filter((e) => heldAsNotOnPlatform([e])).map((e) => outboxRecordKey(e.dataset, e.recordId)));
      const rows: DbOutboxRow[] = [];
      const kept: RetryOutcome['kept'] = [];
      for (const row of held) {
        // The platform's own answer first: a resync that no longer found the record marks it left-scope too.
        const why = gone.has(outboxRecordKey(row.dataset, row.record_id)) ? 'not_on_platform' : leftScope(row.dataset, row.record_id) ? 'left_scope' : null;
        if (why === null) rows.push(row);
        else if (seq !== undefined) throw LocalWriteRefused.notSentAgain(row.record_id, why);
        else kept.push({ seq: row.seq, dataset: row.dataset, recordId: row.record_id, refusal: LocalWriteRefused.notSentAgain(row.record_id, why) });
      }
      for (const row of rows) {
        if (heldAfterPlatformFaults(entryFromDb(row))) {
          await tx.run(`UPDATE "outbox" SET "status" = 'in_flight', "errors" = NULL, "faults" = 0 WHERE "seq" = ?`, [row.seq]);
        } else {
          await tx.run(`UPDATE "outbox" SET "status" = 'queued', "errors" = NULL, "attempts" = 0, "faults" = 0, "mutation_id" = ? WHERE "seq" = ?`, [
            this.ctx.newId(),
            row.seq,
          ]);
        }
        await tx.run(`UPDATE "records" SET "state" = 'waiting' WHERE "dataset" = ? AND "id" = ? AND "state" = 'rejected'`, [
          row.dataset,
          row.record_id,
        ]);
      }
      if (rows.length > 0) {
        await this.ctx.audit.appendMany(
          tx,
          rows.map((r) => ({ action: 'outbox.retry' as const, actor: user ?? 'local', dataset: r.dataset, recordId: r.record_id, details: { seq: r.seq } })),
        );
      }
      return { retried: rows.length, kept };
    });
  }

  /**
   * Gives up a change the platform held back (quarantined), at a person's
   * choice (SYNC-PROTOCOL.md, guarantee 1: never without one): every held-back
   * entry of its record goes, and the record goes back to the last version both
   * sides agreed on, or leaves this computer if the platform never had it (a
   * create it did not accept), holds it deleted, answered that it does not hold
   * it (`not_found`: its deletion was purged; audited `notOnPlatform`), or it
   * left this office's scope meanwhile (records/left-scope.ts). A record with
   * an open conflict keeps it.
   * Refused for an entry still to be sent (queued, in flight), and while a
   * newer change of the record waits or is in flight: that one is not the
   * person's choice to drop, and its answer may settle this one.
   */
  async discard(seq: number, user?: string): Promise<DiscardOutcome> {
    return this.ctx.store.transaction(async (tx) => {
      const row = await tx.get<DbOutboxRow>('SELECT * FROM "outbox" WHERE "seq" = ?', [seq]);
      if (!row) throw LocalWriteRefused.cannotDiscard(seq, null);
      if (row.status !== 'quarantined') throw LocalWriteRefused.cannotDiscard(seq, row.status);
      const entries = await entriesForRecord(tx, row.dataset, row.record_id);
      if (entries.some((e) => e.status === 'in_flight')) throw LocalWriteRefused.of('in_flight', row.record_id);
      if (entries.some((e) => e.status === 'queued')) throw LocalWriteRefused.of('pending_after', row.record_id);
      await deleteEntries(tx, entries.map((e) => e.seq));
      // The platform answered that it does not hold the record (its deletion was purged): the version last received is gone too.
      const notOnPlatform = heldAsNotOnPlatform(entries);
      const record = await getRecord(tx, row.dataset, row.record_id);
      if (record && record.state !== 'conflict') {
        if (record.rev === null || record.baseDeleted || notOnPlatform) await deleteRecords(tx, record.dataset, [record.id]);
        else {
          const descriptor = await this.ctx.catalog.get(tx, record.dataset);
          await writeRecord(tx, {
            ...record,
            data: record.baseData,
            deleted: false,
            state: 'synced',
            searchText: descriptor && record.baseData ? buildSearchText(record.baseData, searchFieldsOf(descriptor)) : '',
            updatedAt: isoNow(this.ctx),
          });
        }
      }
      const leftScope = (await dropLeftScope(tx, row.dataset, [row.record_id])).length > 0;
      await this.ctx.audit.append(tx, {
        action: 'outbox.discard',
        actor: user ?? 'local',
        dataset: row.dataset,
        recordId: row.record_id,
        details: {
          seqs: entries.map((e) => e.seq),
          discarded: entryFromDb(row).data,
          errors: entryFromDb(row).errors,
          ...(leftScope ? { leftScope } : {}),
          ...(notOnPlatform ? { notOnPlatform } : {}),
        },
      });
      const after = await getRecord(tx, row.dataset, row.record_id);
      return { dataset: row.dataset, recordId: row.record_id, discarded: entries.length, recordState: after?.state ?? null };
    });
  }
}

/** What `retry` did: how many entries it queued again, and the held-back ones it left held back, each with why. */
export interface RetryOutcome {
  retried: number;
  kept: Array<{ seq: number; dataset: string; recordId: string; refusal: LocalWriteRefused }>;
}

/** What `discard` did: the entries it dropped, and the record's state after (null: no longer on this computer). */
export interface DiscardOutcome {
  dataset: string;
  recordId: string;
  discarded: number;
  recordState: RecordState | null;
}

/** Which entries `list` and `count` take: all, or those of one status and/or one dataset. */
export interface OutboxFilter {
  status?: OutboxStatus;
  dataset?: string;
}
