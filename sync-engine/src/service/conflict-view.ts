import type { ConflictView } from '../api/views.js';
import { sideOf, type FieldResolution } from '../domain/merge.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import { fieldTitles } from '../protocol/validation/index.js';
import { conflictVersion, type ConflictRecord } from '../conflicts/conflict-rows.js';

/**
 * A stored conflict as the conflict screen and `conflicts show` see it: one
 * row per field with the common base, this office's value and the national
 * value. Fields the merge settled by itself come pre-filled (`auto`), so a
 * person sees the whole record and may still override them. `leftScope`: the
 * record left this office's scope meanwhile (records/left-scope.ts).
 * `restored`: the conflict arose from a platform restore (conflict-rows.ts).
 * `baseKnown`/`baseUnknown`: whether the common base is known, and why not.
 */
export function toConflictView(conflict: ConflictRecord, descriptor: DatasetDescriptor | null, leftScope: boolean): ConflictView {
  const title = (field: string) => (descriptor ? fieldTitles(descriptor, field) : { vi: field, en: field });
  const localData = conflict.local.deleted ? null : conflict.local.data;
  const remoteData = conflict.remote && !conflict.remote.deleted ? conflict.remote.data : null;
  const baseData = conflict.base && !conflict.base.deleted ? conflict.base.data : null;
  const unknownBase = unknownBaseOf(conflict);

  const fields: ConflictView['fields'] = conflict.fields.map((f) => ({
    field: f.field,
    title: title(f.field),
    base: f.base ?? null,
    local: f.local ?? null,
    national: f.remote ?? null,
    auto: null,
  }));
  const listed = new Set(fields.map((f) => f.field));
  const autoResolved: FieldResolution[] = conflict.details.autoResolved ?? [];
  for (const resolution of autoResolved) {
    if (listed.has(resolution.field)) continue;
    listed.add(resolution.field);
    fields.push({
      field: resolution.field,
      title: title(resolution.field),
      base: valueOf(baseData, resolution.field),
      local: valueOf(localData, resolution.field),
      national: valueOf(remoteData, resolution.field),
      auto: sideOf(resolution) === 'local' ? 'local' : 'national',
    });
  }

  return {
    id: conflict.id,
    dataset: conflict.dataset,
    recordId: conflict.recordId,
    kind: conflict.kind,
    status: conflict.status,
    version: conflictVersion(conflict),
    createdAt: conflict.createdAt,
    title: recordTitle(descriptor, localData ?? remoteData ?? baseData),
    fields,
    localDeleted: conflict.local.deleted,
    nationalDeleted: conflict.kind !== 'possible-duplicate' && (conflict.remote?.deleted ?? false),
    existing: conflict.kind === 'possible-duplicate' && conflict.existingId !== null ? { id: conflict.existingId, data: remoteData } : null,
    leftScope,
    restored: conflict.details.restored ? { headAt: conflict.details.restored.headAt ?? null } : null,
    baseKnown: unknownBase === null,
    baseUnknown: unknownBase,
    settled: settledOf(conflict),
  };
}

/**
 * Why the version both sides started from is unknown, or null when it is known. A merge with no base stores none:
 * the restore lost it (details.baseUnknown, mergeWithoutBase), or the record was never agreed on (reconcile.ts
 * baseSide: this office created it, and so did the platform's side). A possible duplicate compares two records.
 */
function unknownBaseOf(conflict: ConflictRecord): ConflictView['baseUnknown'] {
  if (conflict.kind === 'possible-duplicate') return null;
  if (conflict.details.baseUnknown) return 'restore';
  return conflict.base === null ? 'created' : null;
}

const CHOICES: Record<string, NonNullable<ConflictView['settled']>['choice']> = {
  'keep-local': 'local',
  'take-remote': 'national',
  fields: 'fields',
  edit: 'edit',
  'discard-local': 'discard-local',
};
const OUTCOMES = new Set(['queued', 'adopted-remote', 'discarded']);

/** A settled conflict's decision as stored with it (conflicts.ts, reconcile.ts): when, by whom, which choice, what it did. */
function settledOf(conflict: ConflictRecord): ConflictView['settled'] {
  if (conflict.status !== 'resolved' || conflict.resolvedAt === null) return null;
  const stored = conflict.resolution ?? {};
  const auto = stored['auto'] === true;
  const kind = typeof stored['kind'] === 'string' ? stored['kind'] : '';
  const outcome = typeof stored['outcome'] === 'string' && OUTCOMES.has(stored['outcome']) ? (stored['outcome'] as 'queued' | 'adopted-remote' | 'discarded') : null;
  return {
    at: conflict.resolvedAt,
    by: !auto && typeof stored['user'] === 'string' ? stored['user'] : null,
    choice: auto ? 'auto' : (CHOICES[kind] ?? 'auto'),
    outcome,
  };
}

/** The record's display title (the catalog's titleField), or null. */
export function recordTitle(descriptor: DatasetDescriptor | null, data: RecordData | null | undefined): string | null {
  if (!descriptor || !data) return null;
  const value = data[descriptor.display.titleField];
  return value === undefined || value === null ? null : String(value);
}

function valueOf(data: RecordData | null, field: string): unknown {
  return data && Object.hasOwn(data, field) ? data[field] : null;
}
