import { buildSearchText } from '../domain/search-fold.js';
import { valuesEqual } from '../domain/merge.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import { uuidSchema, type RecordData } from '../protocol/records.js';
import { entriesForRecord, heldAsNotOnPlatform, queueChange } from '../outbox/outbox-entries.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { AgentIdentity } from '../store/key-value.js';
import { deleteRecords, toView, writeRecord, type RecordRow, type RecordView } from './record-row.js';
import { readWriteSnapshot } from './write-snapshot.js';
import { recordProblems } from './record-checks.js';
import { LocalWriteRefused, UnknownDataset, ValidationFailed } from './write-errors.js';

export interface WriteOptions {
  /** The person making the change (shown in the audit log). */
  user?: string;
}

export interface PutOptions extends WriteOptions {
  /** Id of the record to update, or of a new record minted elsewhere; a UUID v7 is minted when absent. */
  id?: string;
}

export interface WriteResult {
  record: RecordView;
  /** False when the data equalled the current version: nothing was written or queued. */
  changed: boolean;
}

export interface DeleteResult extends WriteResult {
  /** False when nothing goes to the platform: the record's only changes were never sent (created here: it just leaves this computer) or were held back. */
  sent: boolean;
}

/**
 * Local creates, edits and deletes (ARCHITECTURE.md, "Local edit"). A write is
 * checked first against the CACHED catalog descriptor, the code lists and the
 * site's scope, so it works offline and is not refused later; a refused write
 * throws (ValidationFailed / LocalWriteRefused) with nothing written. A record
 * that left the office's scope (records/left-scope.ts) takes no edit or delete:
 * the platform would refuse it (scope), and its pending change waits for a
 * person as it is (take the national version, or discard the change). Nor
 * does a record whose held-back change the platform answered `not_found` (it
 * no longer holds the record): an edit would be sent as an update of a record
 * that does not exist there; discarding the change is what is left. An
 * accepted write is ONE transaction: the record (state 'waiting'), its outbox
 * entry appended or coalesced, and an audit event. It is committed before the
 * caller is told (SYNC-PROTOCOL.md, guarantee 1). Inside it, one statement
 * reads everything the checks and the write need (write-snapshot.ts), then
 * three write it: outbox, record, audit (docs/performance.md, "Local write").
 */
export class LocalWrites {
  constructor(private readonly ctx: EngineContext) {}

  async put(dataset: string, data: RecordData, options: PutOptions = {}): Promise<WriteResult> {
    return this.ctx.store.transaction(async (tx) => {
      // One read for every check and the state to build on (write-snapshot.ts); nothing written yet.
      const snapshot = await readWriteSnapshot(tx, this.ctx, dataset, options.id ?? null);
      const descriptor = writable(snapshot.descriptor, dataset);
      const identity = snapshot.identity;
      if (!identity) throw LocalWriteRefused.of('not_enrolled', '');
      if (options.id !== undefined && !uuidSchema.safeParse(options.id).success) throw LocalWriteRefused.of('invalid_id', options.id);
      // The platform's own answer first: a resync that no longer found the record marks it left-scope too.
      if (options.id !== undefined && heldAsNotOnPlatform(snapshot.entries)) throw LocalWriteRefused.of('not_on_platform', options.id);
      if (options.id !== undefined && snapshot.leftScope) throw LocalWriteRefused.of('left_scope', options.id);
      const errors = recordProblems(descriptor, data, identity.scope, this.ctx.adminUnits);
      if (errors.length > 0) throw new ValidationFailed(errors);

      const now = isoNow(this.ctx);
      const id = options.id ?? this.ctx.newId();
      const existing = snapshot.record;
      if (existing?.state === 'conflict') throw LocalWriteRefused.of('conflict_open', id);
      if (existing && !existing.deleted && valuesEqual(existing.data, data)) return { record: toView(existing), changed: false };

      const change = { op: 'upsert' as const, baseRev: existing?.rev ?? null, data };
      const queued = await queueChange(tx, { dataset, recordId: id }, change, this.ctx.newId, now, snapshot.entries);
      const row: RecordRow = {
        dataset,
        id,
        data,
        deleted: false,
        rev: existing?.rev ?? null,
        baseData: existing?.baseData ?? null,
        baseDeleted: existing?.baseDeleted ?? false,
        state: 'waiting',
        searchText: buildSearchText(data, searchFieldsOf(descriptor)),
        updatedAt: now,
        updatedBy: updatedBy(identity, options.user),
        pullGen: existing?.pullGen ?? 0,
      };
      await writeRecord(tx, row);
      await this.ctx.audit.append(
        tx,
        {
          action: 'local.put',
          actor: options.user ?? 'local',
          dataset,
          recordId: id,
          details: {
            op: !existing ? 'create' : existing.deleted ? 'undelete' : 'update',
            outbox: queued,
            changes: fieldChanges(existing?.deleted ? null : (existing?.data ?? null), data),
          },
        },
        snapshot.auditTail,
      );
      return { record: toView(row), changed: true };
    });
  }

  async delete(dataset: string, id: string, options: WriteOptions = {}): Promise<DeleteResult> {
    return this.ctx.store.transaction(async (tx) => {
      const snapshot = await readWriteSnapshot(tx, this.ctx, dataset, id);
      writable(snapshot.descriptor, dataset);
      const now = isoNow(this.ctx);
      const existing = snapshot.record;
      if (!existing || existing.deleted) throw LocalWriteRefused.of('not_found', id);
      if (heldAsNotOnPlatform(snapshot.entries)) throw LocalWriteRefused.of('not_on_platform', id);
      if (snapshot.leftScope) throw LocalWriteRefused.of('left_scope', id);
      if (existing.state === 'conflict') throw LocalWriteRefused.of('conflict_open', id);

      const change = { op: 'delete' as const, baseRev: existing.rev, data: null };
      const queued = await queueChange(tx, { dataset, recordId: id }, change, this.ctx.newId, now, snapshot.entries);
      const row: RecordRow = { ...existing, data: null, deleted: true, state: 'waiting', searchText: '', updatedAt: now };
      const remaining = queued === 'dropped' ? await entriesForRecord(tx, dataset, id) : [];
      const localOnly = queued === 'dropped' && remaining.length === 0;
      if (localOnly) {
        // Created here and never sent: the platform never heard of it.
        await deleteRecords(tx, dataset, [id]);
      } else {
        await writeRecord(tx, row);
      }
      await this.ctx.audit.append(
        tx,
        { action: 'local.delete', actor: options.user ?? 'local', dataset, recordId: id, details: { outbox: queued, before: existing.data } },
        snapshot.auditTail,
      );
      return { record: toView(row), changed: true, sent: queued !== 'dropped' };
    });
  }

}

/** The dataset's descriptor if this office may write it; else the refusal. */
export function writable(descriptor: DatasetDescriptor | null, dataset: string): DatasetDescriptor {
  if (!descriptor) throw new UnknownDataset(dataset);
  if (descriptor.access !== 'read-write') throw LocalWriteRefused.readOnly(descriptor.title);
  return descriptor;
}

export function updatedBy(identity: AgentIdentity, user: string | undefined): RecordRow['updatedBy'] {
  return { siteCode: identity.siteCode, agentId: identity.agentId, ...(user ? { user } : {}) };
}

/** Field-level before/after of a local edit, for the audit log. */
export function fieldChanges(before: RecordData | null, after: RecordData): Array<{ field: string; before?: unknown; after?: unknown }> {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const out: Array<{ field: string; before?: unknown; after?: unknown }> = [];
  for (const field of fields) {
    const b = before?.[field];
    const a = after[field];
    if (!valuesEqual(a, b)) out.push({ field, ...(b === undefined ? {} : { before: b }), ...(a === undefined ? {} : { after: a }) });
  }
  return out;
}
