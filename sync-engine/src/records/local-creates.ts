import { buildSearchText } from '../domain/search-fold.js';
import type { AuditEventInput } from '../audit/audit-log.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordError } from '../protocol/push.js';
import type { RecordData } from '../protocol/records.js';
import { insertEntries, type NewEntry } from '../outbox/outbox-entries.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { heldUniqueValues, type HeldValues } from './held-unique.js';
import { fieldChanges, updatedBy, writable } from './local-writes.js';
import { recordProblems } from './record-checks.js';
import { writeRecords, type RecordRow } from './record-row.js';
import { readWriteSnapshot } from './write-snapshot.js';
import { LocalWriteRefused } from './write-errors.js';

/** A record to create, with what its audit event says besides the change (where it came from). */
export interface NewRecord {
  data: RecordData;
  audit: Record<string, unknown>;
}

export type CreateOutcome =
  | { kind: 'created'; id: string }
  /** A live record already holds the value of one of the dataset's unique fields: nothing was written for this one. */
  | { kind: 'present'; id: string; field: string }
  | { kind: 'refused'; errors: RecordError[] };

export interface CreateManyOptions {
  /** The person making the change (shown in the audit log). */
  user?: string;
  /** Check only: every outcome as it would be, nothing written. */
  dryRun?: boolean;
}

/**
 * New records created in bulk (an import): the same checks and the same three
 * writes as a local put (records/local-writes.ts: the record in state
 * 'waiting', its outbox entry, an audit event 'local.put' with the fields as
 * created), for a whole batch in ONE transaction with multi-row statements
 * (ARCHITECTURE.md, "Hot paths"), not one transaction per record. A record
 * that fails the checks is refused and not written; the others are. A record
 * whose value of a unique field (the dataset's `uniqueFields`, e.g. a personal
 * ID number) a live cached record already holds is `present` and skipped, so
 * creating the same records again creates nothing. The caller keeps a batch
 * to a few hundred records: the transaction holds the write lock meanwhile.
 */
export class LocalCreates {
  constructor(private readonly ctx: EngineContext) {}

  async createMany(dataset: string, records: readonly NewRecord[], options: CreateManyOptions = {}): Promise<CreateOutcome[]> {
    return this.ctx.store.transaction(async (tx) => {
      const snapshot = await readWriteSnapshot(tx, this.ctx, dataset, null);
      const descriptor = writable(snapshot.descriptor, dataset);
      const identity = snapshot.identity;
      if (!identity) throw LocalWriteRefused.of('not_enrolled', '');
      const held = await heldUniqueValues(tx, descriptor, records.map((r) => r.data));

      const now = isoNow(this.ctx);
      const outcomes: CreateOutcome[] = [];
      const rows: RecordRow[] = [];
      const entries: NewEntry[] = [];
      const events: AuditEventInput[] = [];
      for (const { data, audit } of records) {
        const errors = recordProblems(descriptor, data, identity.scope, this.ctx.adminUnits);
        if (errors.length > 0) {
          outcomes.push({ kind: 'refused', errors });
          continue;
        }
        const present = presentIn(held, descriptor, data);
        if (present) {
          outcomes.push({ kind: 'present', ...present });
          continue;
        }
        const id = this.ctx.newId();
        outcomes.push({ kind: 'created', id });
        if (options.dryRun) continue;
        entries.push({ mutationId: this.ctx.newId(), dataset, recordId: id, change: { op: 'upsert', baseRev: null, data }, createdAt: now });
        rows.push({
          dataset,
          id,
          data,
          deleted: false,
          rev: null,
          baseData: null,
          baseDeleted: false,
          state: 'waiting',
          searchText: buildSearchText(data, searchFieldsOf(descriptor)),
          updatedAt: now,
          updatedBy: updatedBy(identity, options.user),
          pullGen: 0,
        });
        events.push({
          action: 'local.put',
          actor: options.user ?? 'local',
          dataset,
          recordId: id,
          details: { op: 'create', outbox: 'appended', changes: fieldChanges(null, data), ...audit },
        });
      }
      if (rows.length > 0) {
        await insertEntries(tx, entries);
        await writeRecords(tx, rows);
        await this.ctx.audit.appendMany(tx, events, snapshot.auditTail);
      }
      return outcomes;
    });
  }
}

function presentIn(held: HeldValues, descriptor: DatasetDescriptor, data: RecordData): { id: string; field: string } | null {
  for (const field of descriptor.uniqueFields) {
    const value = data[field];
    const id = value === undefined || value === null ? undefined : held.get(field)?.get(String(value));
    if (id !== undefined) return { id, field };
  }
  return null;
}
