import type { MutationResult, RecordError } from '../protocol/push.js';
import type { WireRecord } from '../protocol/records.js';
import { upsertOpenConflict } from '../conflicts/conflict-rows.js';
import { reconcileWithRemote } from '../conflicts/reconcile.js';
import { clearLeftScope, dropLeftScope } from '../records/left-scope.js';
import { baseSide, deleteRecords, getRecord, getRecordHeads, localSide, settleRecords, type AgreedBase } from '../records/record-row.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { AuditEventInput } from '../audit/audit-log.js';
import type { Sql } from '../store/sql.js';
import { toJson } from '../store/sql.js';
import { deleteEntries, entryFromDb, entryHeadsOfRecords, outboxRecordKey, rebaseEntries, type DbOutboxRow, type OutboxEntry, type PlatformRestore } from './outbox-entries.js';

export interface ApplySummary {
  /** applied + duplicate. */
  applied: number;
  duplicates: number;
  /** Conflicts opened or refreshed (three-way merge and possible duplicates). */
  conflicts: number;
  possibleDuplicates: number;
  /** Re-queued automatically on the platform's newer rev. */
  autoMerged: number;
  /** The platform already had the same change (or local had no net change). */
  adoptedRemote: number;
  /** Quarantined, or dropped because a newer local edit supersedes them. */
  rejected: number;
  /** Of `rejected`, those dropped because a newer local edit of the record supersedes them. */
  superseded: number;
  /** Datasets whose records changed rev (digest bookkeeping). */
  datasets: string[];
}

/** The push answer does not match the batch sent: nothing is applied, entries stay in flight. */
export class PushAnswerMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushAnswerMismatch';
  }
}

/**
 * Applies the platform's answers to one pushed batch, in ONE transaction:
 *
 * - applied / duplicate: the record is synced at the returned rev with base =
 *   the data sent; if a newer local edit is queued behind it, the record stays
 *   'waiting' and that entry is rebased onto the new rev. Multi-row writes. A
 *   synced record that left this office's scope meanwhile leaves the cache
 *   (records/left-scope.ts).
 * - duplicate on the entry's first recorded send: the entry is queued again
 *   under a new mutationId, its record left as it is (see `unrecorded`).
 * - conflict: three-way merge against `current` (reconcileWithRemote).
 * - rejected `unique`: a 'possible-duplicate' conflict with `existingId`.
 * - rejected otherwise: the entry is quarantined with its errors and the record
 *   becomes 'rejected'.
 * - rejected, `unique` or not, while a newer edit of the record is already
 *   queued: that one supersedes it and the rejected entry is dropped (the
 *   audit keeps why); the newer edit is judged on its own.
 */
export async function applyResults(
  tx: Sql,
  ctx: EngineContext,
  sent: readonly OutboxEntry[],
  results: readonly MutationResult[],
): Promise<ApplySummary> {
  const byId = matchResults(sent, results);
  // Every entry of the batch's records, payloads left out: whether each sent one is still
  // live, and which newer edits wait behind it. One statement per 500 records.
  const heads = await entryHeadsOfRecords(tx, sent);
  const current = new Map(heads.map((e) => [e.seq, e]));
  const ofRecord = groupBy(heads, (e) => outboxRecordKey(e.dataset, e.recordId));
  // An entry no longer in flight under the same id was settled elsewhere: its answer is stale.
  const live = sent.filter((e) => current.get(e.seq)?.status === 'in_flight' && current.get(e.seq)?.mutationId === e.mutationId);
  const summary: ApplySummary = { applied: 0, duplicates: 0, conflicts: 0, possibleDuplicates: 0, autoMerged: 0, adoptedRemote: 0, rejected: 0, superseded: 0, datasets: [] };
  const touched = new Set<string>();
  const now = isoNow(ctx);
  const generations = await pullGenerations(tx);
  const audits: AuditEventInput[] = [];

  // `duplicate` for what the agent holds as the entry's first send: an earlier send was
  // undone here (a restored backup), so a local edit may have merged into the entry since,
  // and the platform holds the data sent then, not this. Sent again under a new id, it is
  // judged against the platform's version: a `conflict`, then the three-way merge (which
  // just adopts that version if the data is the same, e.g. a proxy repeated the request).
  const unrecorded = live.filter((e) => byId.get(e.mutationId)?.status === 'duplicate' && e.attempts === 1);
  const applied = live.filter((e) => !unrecorded.includes(e) && ['applied', 'duplicate'].includes(byId.get(e.mutationId)?.status ?? ''));
  const rebases: Array<{ seq: number; rev: number }> = [];
  const leftScope = new Set<string>();
  for (const [dataset, group] of groupBy(applied, (e) => e.dataset)) {
    const records = await getRecordHeads(tx, dataset, group.map((e) => e.recordId));
    const agreed: AgreedBase[] = [];
    const removals: string[] = [];
    for (const entry of group) {
      const result = byId.get(entry.mutationId) as Extract<MutationResult, { status: 'applied' | 'duplicate' }>;
      summary.applied += 1;
      if (result.status === 'duplicate') summary.duplicates += 1;
      touched.add(dataset);
      audits.push({
        action: 'sync.applied',
        actor: 'sync',
        dataset,
        recordId: entry.recordId,
        details: { mutationId: entry.mutationId, op: entry.op, status: result.status, rev: result.rev, seq: result.seq },
      });
      const record = records.get(entry.recordId);
      if (!record) continue;
      const later = (ofRecord.get(outboxRecordKey(dataset, entry.recordId)) ?? []).filter((o) => o.seq > entry.seq);
      const deleted = entry.op === 'delete';
      const base = { id: entry.recordId, rev: result.rev, entrySeq: entry.seq, baseDeleted: deleted };
      if (later.length > 0) {
        // A newer local edit waits behind this one: it is rebased on the new rev, the record stays as it is.
        for (const o of later) if (o.status !== 'in_flight') rebases.push({ seq: o.seq, rev: result.rev });
        agreed.push({ ...base, state: null });
      } else if (deleted && record.deleted) {
        removals.push(entry.recordId);
      } else {
        agreed.push({ ...base, state: record.state === 'conflict' ? 'conflict' : 'synced' });
      }
    }
    await settleRecords(tx, dataset, agreed, generations.get(dataset) ?? 0);
    await deleteRecords(tx, dataset, removals);
    // Applied, but the record left this office's scope meanwhile: it goes as the `removed` would have taken it.
    for (const id of await dropLeftScope(tx, dataset, group.map((e) => e.recordId))) leftScope.add(outboxRecordKey(dataset, id));
  }
  await rebaseEntries(tx, rebases);
  await deleteEntries(tx, applied.map((e) => e.seq));
  for (const entry of unrecorded) {
    const mutationId = ctx.newId();
    await tx.run(`UPDATE "outbox" SET "mutation_id" = ?, "status" = 'queued', "attempts" = 0, "faults" = 0 WHERE "seq" = ?`, [mutationId, entry.seq]);
    const result = byId.get(entry.mutationId) as Extract<MutationResult, { status: 'duplicate' }>;
    audits.push({
      action: 'sync.applied',
      actor: 'sync',
      dataset: entry.dataset,
      recordId: entry.recordId,
      details: { mutationId: entry.mutationId, op: entry.op, status: result.status, rev: result.rev, seq: result.seq, resentAs: mutationId },
    });
  }
  await ctx.audit.appendMany(
    tx,
    audits.map((a) => (leftScope.has(outboxRecordKey(a.dataset ?? '', a.recordId ?? '')) ? { ...a, details: { ...a.details, leftScope: true } } : a)),
  );

  for (const entry of live) {
    const result = byId.get(entry.mutationId);
    if (result?.status === 'conflict') {
      await deleteEntries(tx, [entry.seq]);
      const record = await getRecord(tx, entry.dataset, entry.recordId);
      if (!record) continue;
      touched.add(entry.dataset);
      // Only a record in this office's scope is answered with its current version.
      await clearLeftScope(tx, entry.dataset, [entry.recordId]);
      const descriptor = await ctx.catalog.get(tx, entry.dataset);
      const outcome = await reconcileWithRemote(tx, ctx, descriptor, record, remoteOf(result.current), {
        origin: 'push',
        pullGen: generations.get(entry.dataset) ?? record.pullGen,
        restored: restoredBy(entry, result.current),
      });
      if (outcome === 'conflict') summary.conflicts += 1;
      else if (outcome === 'auto-merged') summary.autoMerged += 1;
      else if (outcome === 'adopted-remote') summary.adoptedRemote += 1;
    } else if (result?.status === 'rejected') {
      const outcome = await settleRejected(tx, ctx, entry, result.errors, result.existingId ?? null, now);
      if (outcome === 'possible-duplicate') {
        summary.conflicts += 1;
        summary.possibleDuplicates += 1;
      } else {
        summary.rejected += 1;
        if (outcome === 'superseded') summary.superseded += 1;
      }
    }
  }
  summary.datasets = [...touched];
  return summary;
}

/**
 * Whether a `conflict` answer arose from a restore of the platform from an
 * older backup: the entry sends again a change the restored platform lost
 * (outbox.restored), or was made on a rev above the platform's current one
 * (revs never go down on the platform but through a restore; when it went
 * back to is not known yet: a resync's 410 may tell, conflict-rows.ts).
 */
function restoredBy(entry: OutboxEntry, current: WireRecord): PlatformRestore | null {
  if (entry.restored) return entry.restored;
  return entry.baseRev !== null && current.rev < entry.baseRev ? { headAt: null } : null;
}

function remoteOf(current: WireRecord) {
  return { rev: current.rev, deleted: current.deleted, data: current.data, updatedAt: current.updatedAt, updatedBy: current.updatedBy };
}

/** What became of the rejected entry: held back, dropped for a newer edit, or a possible-duplicate conflict. */
async function settleRejected(
  tx: Sql,
  ctx: EngineContext,
  entry: OutboxEntry,
  errors: RecordError[],
  existingId: string | null,
  now: string,
): Promise<'held' | 'superseded' | 'possible-duplicate'> {
  const audit = (details: Record<string, unknown>) =>
    ctx.audit.append(tx, { action: 'sync.rejected', actor: 'sync', dataset: entry.dataset, recordId: entry.recordId, details: { mutationId: entry.mutationId, errors, ...details } });
  const record = await getRecord(tx, entry.dataset, entry.recordId);
  const siblings = (await tx.all<DbOutboxRow>('SELECT * FROM "outbox" WHERE "dataset" = ? AND "record_id" = ? AND "seq" <> ? ORDER BY "seq"', [
    entry.dataset,
    entry.recordId,
    entry.seq,
  ])).map(entryFromDb);
  const unique = errors.filter((e) => e.code === 'unique');

  if (siblings.some((s) => s.seq > entry.seq && s.status !== 'quarantined')) {
    // A newer edit of the record is queued: it carries the whole record and will be judged on its own,
    // a unique clash too (the edit may have corrected the clashing value; if not, its own answer says so).
    await deleteEntries(tx, [entry.seq]);
    await audit({ superseded: true, ...(unique.length > 0 ? { existingId } : {}) });
    return 'superseded';
  }

  if (unique.length > 0 && record) {
    // The platform holds another live record with the same unique value: a person decides whether they are one.
    await deleteEntries(tx, [entry.seq, ...siblings.filter((s) => s.status !== 'in_flight').map((s) => s.seq)]);
    const existing = existingId ? await getRecord(tx, entry.dataset, existingId) : null;
    const fields = unique.map((e) => e.path.replace(/^\//, '').split('/')[0] ?? '').filter((f) => f !== '');
    const { id, opened } = await upsertOpenConflict(
      tx,
      {
        dataset: entry.dataset,
        recordId: entry.recordId,
        kind: 'possible-duplicate',
        base: baseSide(record),
        local: localSide(record),
        remote: existing && !existing.deleted ? { data: existing.data, deleted: false } : null,
        remoteRev: existing?.rev ?? null,
        fields: fields.map((field) => ({
          field,
          base: record.baseData?.[field],
          local: record.data?.[field],
          remote: existing?.data?.[field],
        })),
        details: { errors, uniqueFields: fields },
        existingId,
      },
      ctx.newId,
      now,
    );
    await tx.run(`UPDATE "records" SET "state" = 'conflict' WHERE "dataset" = ? AND "id" = ?`, [entry.dataset, entry.recordId]);
    await audit({ possibleDuplicate: true, existingId });
    await ctx.audit.append(tx, {
      action: 'conflict.opened',
      actor: 'sync',
      dataset: entry.dataset,
      recordId: entry.recordId,
      details: { conflictId: id, reason: 'possible-duplicate', refreshed: !opened, existingId, fields },
    });
    return 'possible-duplicate';
  }

  await tx.run(`UPDATE "outbox" SET "status" = 'quarantined', "errors" = ? WHERE "seq" = ?`, [toJson(errors), entry.seq]);
  await tx.run(`UPDATE "records" SET "state" = 'rejected' WHERE "dataset" = ? AND "id" = ? AND "state" <> 'conflict'`, [entry.dataset, entry.recordId]);
  await audit({ quarantined: true });
  return 'held';
}

function matchResults(sent: readonly OutboxEntry[], results: readonly MutationResult[]): Map<string, MutationResult> {
  if (results.length !== sent.length) {
    throw new PushAnswerMismatch(`the platform answered ${results.length} results for ${sent.length} mutations`);
  }
  const byId = new Map(results.map((r) => [r.mutationId, r]));
  for (const entry of sent) {
    if (!byId.has(entry.mutationId)) throw new PushAnswerMismatch(`no result for mutation ${entry.mutationId}`);
  }
  return byId;
}

async function pullGenerations(db: Sql): Promise<Map<string, number>> {
  const rows = await db.all<{ dataset: string; generation: number }>('SELECT "dataset", "generation" FROM "cursors"');
  return new Map(rows.map((r) => [r.dataset, r.generation]));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}
