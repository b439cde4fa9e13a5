/**
 * Three-way merge of one record, per top-level field (SYNC-PROTOCOL.md,
 * guarantee 5). A pure function from (base, local, remote, policies) to a
 * decision; the sync engine applies the decision, a person settles conflicts.
 *
 * Order of judgement, each step only reached when the ones before did not decide:
 * 1. deleted on both sides                 -> both-deleted
 * 2. local and remote equal                -> identical
 * 3. local equals the base (no net edit)   -> take-remote
 *    remote equals the base                -> keep-local
 * 4. one side deleted, the other edited    -> conflict 'delete-vs-edit', whatever the policies
 * 5. per field: one side changed -> that side; both to the same value -> same;
 *    both to different values -> the field's policy ('manual' -> conflict field).
 *    With no base (independent creates of one id) the base is the empty record
 *    and a field left manual makes the conflict a 'create-collision'.
 *    A field-by-field result equal to the remote (or the local) data is reported
 *    as take-remote (keep-local) with its resolutions: nothing new to send then.
 */
import type { FieldPolicy } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import { valuesEqual } from './json-equal.js';

export { valuesEqual } from './json-equal.js';

export interface MergeSide {
  /** null when deleted or absent. */
  data: RecordData | null;
  deleted: boolean;
}

export interface MergeInput {
  /** Last version both sides agreed on; null when the record was created locally and never agreed. */
  base: MergeSide | null;
  /** This office's pending version. */
  local: MergeSide;
  /** The platform's current version. */
  remote: MergeSide;
  /** Per top-level field; a missing field is 'manual'. */
  policies: Readonly<Record<string, FieldPolicy>>;
}

/** One field a person must settle; `undefined` = the field is absent on that side. */
export interface ConflictField {
  field: string;
  base: unknown;
  local: unknown;
  remote: unknown;
}

export interface FieldResolution {
  field: string;
  took: 'local' | 'remote' | 'same' | 'policy-local' | 'policy-remote';
}

export type MergeDecision =
  /** local and remote are equal (data and deleted): nothing to send; adopt the remote rev. */
  | { kind: 'identical' }
  /** Adopt remote, drop the local pending change. `resolutions` when reached field by field. */
  | { kind: 'take-remote'; resolutions?: FieldResolution[] }
  /** Re-send local unchanged on the remote rev. `resolutions` when reached field by field. */
  | { kind: 'keep-local'; resolutions?: FieldResolution[] }
  /** Every field resolved automatically: send `data` on the remote rev. */
  | { kind: 'merged'; data: RecordData; resolutions: FieldResolution[] }
  /** Deleted on both sides. */
  | { kind: 'both-deleted' }
  | {
      kind: 'conflict';
      reason: 'fields' | 'delete-vs-edit' | 'create-collision';
      /** For delete-vs-edit: every field that differs, so a person sees what would be lost. */
      fields: ConflictField[];
      /** Fields that did resolve, for the conflict screen to show pre-filled. */
      autoResolved: FieldResolution[];
      /** For delete-vs-edit: which side deleted the record. */
      deletedSide?: 'local' | 'remote';
    };

export type MergeConflict = Extract<MergeDecision, { kind: 'conflict' }>;

export function mergeRecord(input: MergeInput): MergeDecision {
  const { base, local, remote } = input;
  if (local.deleted && remote.deleted) return { kind: 'both-deleted' };
  if (sidesEqual(local, remote)) return { kind: 'identical' };
  if (base !== null) {
    if (sidesEqual(local, base)) return { kind: 'take-remote' };
    if (sidesEqual(remote, base)) return { kind: 'keep-local' };
  }
  if (local.deleted || remote.deleted) return deleteVsEdit(input);
  return mergeFields(input);
}

/** A person's choice for one field on the conflict screen or `conflicts resolve`. */
export type ResolutionChoice = { take: 'local' | 'remote' } | { value: unknown };

/** Thrown by applyResolution when a conflicting field has neither a choice nor an automatic resolution. */
export class MissingResolutionError extends Error {
  readonly fields: readonly string[];
  readonly vi: string;
  constructor(fields: readonly string[]) {
    const list = fields.join(', ');
    super(`a choice is needed for each conflicting field; missing: ${list}`);
    this.name = 'MissingResolutionError';
    this.fields = fields;
    this.vi = `Cần chọn giá trị cho từng trường xung đột; còn thiếu: ${list}`;
  }
}

/**
 * Builds the record data a person settled on. Starts from the automatic outcome
 * of `decision` (for a conflict: fields equal on both sides, then `autoResolved`),
 * then applies `choices`, which may also override an automatic resolution.
 * A `{ value: undefined }` choice, or taking a side where the field is absent,
 * leaves the field out. For 'delete-vs-edit' this builds the record that is
 * kept; accepting the delete needs no data and does not call this.
 */
export function applyResolution(
  input: MergeInput,
  choices: Readonly<Record<string, ResolutionChoice>>,
  decision: MergeDecision,
): RecordData {
  const localData = liveData(input.local);
  const remoteData = liveData(input.remote);
  const valueOf = (field: string, side: 'local' | 'remote'): unknown =>
    side === 'local' ? fieldOf(localData, field) : fieldOf(remoteData, field);

  const out: RecordData = {};
  switch (decision.kind) {
    case 'both-deleted':
      throw new Error('the record is deleted on both sides: there is no data to build');
    case 'identical':
    case 'keep-local':
      copyInto(out, localData);
      break;
    case 'take-remote':
      copyInto(out, remoteData);
      break;
    case 'merged':
      copyInto(out, decision.data);
      break;
    case 'conflict': {
      for (const field of unionKeys(remoteData, localData)) {
        const local = fieldOf(localData, field);
        if (valuesEqual(local, fieldOf(remoteData, field))) setField(out, field, local);
      }
      for (const resolution of decision.autoResolved) {
        setField(out, resolution.field, valueOf(resolution.field, sideOf(resolution)));
      }
      const missing = decision.fields.map((f) => f.field).filter((field) => !Object.hasOwn(choices, field));
      if (missing.length > 0) throw new MissingResolutionError(missing);
      break;
    }
  }
  for (const [field, choice] of Object.entries(choices)) {
    if ('value' in choice) setField(out, field, choice.value);
    else if (choice.take === 'local' || choice.take === 'remote') setField(out, field, valueOf(field, choice.take));
    else throw new Error(`invalid choice for field ${field}: expected { take: 'local' | 'remote' } or { value }`);
  }
  return out;
}

/** The side whose value an automatic resolution kept ('same' is equal on both). */
export function sideOf(resolution: FieldResolution): 'local' | 'remote' {
  return resolution.took === 'local' || resolution.took === 'policy-local' || resolution.took === 'same'
    ? 'local'
    : 'remote';
}

/**
 * The merge when the common base is unknown: the version this office holds
 * was lost by a restore of the platform from an older backup, and the platform
 * has written another since, on a version this agent never held
 * (docs/reliability.md, "The platform is restored from an older backup").
 * Nothing says which side changed a field, and the national value may be the
 * OLDER one, so no field resolves by itself and no field policy applies: every
 * field that differs is a person's to choose ('fields', with no base), and a
 * deleted side makes a delete against an edit, as in mergeRecord.
 */
export function mergeWithoutBase(input: Pick<MergeInput, 'local' | 'remote'>): MergeDecision {
  const { local, remote } = input;
  if (local.deleted && remote.deleted) return { kind: 'both-deleted' };
  if (sidesEqual(local, remote)) return { kind: 'identical' };
  const unknownBase = { ...input, base: null, policies: {} };
  if (local.deleted || remote.deleted) return deleteVsEdit(unknownBase);
  return { kind: 'conflict', reason: 'fields', fields: differingFields(unknownBase), autoResolved: [] };
}

function deleteVsEdit(input: MergeInput): MergeConflict {
  return {
    kind: 'conflict',
    reason: 'delete-vs-edit',
    fields: differingFields(input),
    autoResolved: [],
    deletedSide: input.local.deleted ? 'local' : 'remote',
  };
}

/** Every field whose value differs between the two sides (a deleted side has none), with the base's value. */
function differingFields(input: MergeInput): ConflictField[] {
  const baseData = input.base ? liveData(input.base) : {};
  const localData = liveData(input.local);
  const remoteData = liveData(input.remote);
  const fields: ConflictField[] = [];
  for (const field of unionKeys(remoteData, localData)) {
    const local = fieldOf(localData, field);
    const remote = fieldOf(remoteData, field);
    if (!valuesEqual(local, remote)) fields.push({ field, base: fieldOf(baseData, field), local, remote });
  }
  return fields;
}

function mergeFields(input: MergeInput): MergeDecision {
  const baseData = input.base ? liveData(input.base) : {};
  const localData = liveData(input.local);
  const remoteData = liveData(input.remote);
  const merged: RecordData = {};
  const resolutions: FieldResolution[] = [];
  const conflicts: ConflictField[] = [];

  for (const field of unionKeys(remoteData, localData, baseData)) {
    const base = fieldOf(baseData, field);
    const local = fieldOf(localData, field);
    const remote = fieldOf(remoteData, field);
    let took: FieldResolution['took'] | null | undefined;
    if (valuesEqual(local, remote)) took = valuesEqual(local, base) ? null : 'same';
    else if (valuesEqual(local, base)) took = 'remote';
    else if (valuesEqual(remote, base)) took = 'local';
    else took = byPolicy(policyFor(input.policies, field));

    if (took === undefined) {
      conflicts.push({ field, base, local, remote });
      continue;
    }
    if (took !== null) resolutions.push({ field, took });
    setField(merged, field, took === 'remote' || took === 'policy-remote' ? remote : local);
  }

  if (conflicts.length > 0) {
    return {
      kind: 'conflict',
      reason: input.base === null ? 'create-collision' : 'fields',
      fields: conflicts,
      autoResolved: resolutions,
    };
  }
  if (valuesEqual(merged, remoteData)) return { kind: 'take-remote', resolutions };
  if (valuesEqual(merged, localData)) return { kind: 'keep-local', resolutions };
  return { kind: 'merged', data: merged, resolutions };
}

/** undefined = manual: a person decides. */
function byPolicy(policy: FieldPolicy): FieldResolution['took'] | undefined {
  if (policy === 'national-wins') return 'policy-remote';
  if (policy === 'local-wins') return 'policy-local';
  return undefined;
}

function policyFor(policies: Readonly<Record<string, FieldPolicy>>, field: string): FieldPolicy {
  // hasOwn: a field named like an Object.prototype member is still just a field.
  return Object.hasOwn(policies, field) ? (policies[field] ?? 'manual') : 'manual';
}

function sidesEqual(a: MergeSide, b: MergeSide): boolean {
  if (a.deleted !== b.deleted) return false;
  return a.deleted || valuesEqual(a.data ?? {}, b.data ?? {});
}

/** A deleted side contributes no values: every field of it is absent. */
function liveData(side: MergeSide): RecordData {
  return side.deleted ? {} : (side.data ?? {});
}

function fieldOf(data: RecordData, field: string): unknown {
  return Object.hasOwn(data, field) ? data[field] : undefined;
}

/** Keys in first-seen order: the platform's order first, then fields only this office has. */
function unionKeys(...objects: RecordData[]): string[] {
  const keys = new Set<string>();
  for (const object of objects) for (const key of Object.keys(object)) keys.add(key);
  return [...keys];
}

/** Sets an own property (even `__proto__`, which plain assignment would treat as the prototype); undefined removes it. */
function setField(target: RecordData, field: string, value: unknown): void {
  if (value === undefined) {
    delete target[field];
    return;
  }
  Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
}

function copyInto(target: RecordData, source: RecordData): void {
  for (const field of Object.keys(source)) setField(target, field, source[field]);
}
