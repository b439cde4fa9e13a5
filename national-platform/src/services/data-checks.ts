import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { MAX_RECORD_BYTES } from '../../../sync-engine/src/protocol/limits.js';
import type { RecordError } from '../../../sync-engine/src/protocol/push.js';
import type { RecordData, SiteScope } from '../../../sync-engine/src/protocol/records.js';
import { validateRecordData, type ValidationContext } from '../../../sync-engine/src/protocol/validation/index.js';
import type { ChangeSet } from './change-set.js';
import { rejection } from './rejections.js';
import { inScope, placeOf } from './scope.js';

export interface DataVerdict {
  errors: RecordError[];
  /** The record already holding a unique value, when that is the reason. */
  existingId?: string;
}

/**
 * The checks of new record data that need nothing but the data and its
 * dataset: size, then the dataset's schema and rules. Pure, so a push runs
 * them before it queues for the write lock.
 */
export function checkDataShape(descriptor: DatasetDescriptor, data: RecordData, validation: ValidationContext): RecordError[] {
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_RECORD_BYTES) return [rejection.tooLarge(MAX_RECORD_BYTES)];
  return validateRecordData(descriptor, data, validation);
}

/**
 * Everything the platform checks about new record data, in the order a person
 * fixes things: size, the dataset's schema and rules, the writer's scope (a
 * national write has none), then uniqueness across every site's live records.
 * `shapeErrors` is checkDataShape's answer when the caller ran it already.
 */
export async function checkRecordData(
  changes: ChangeSet,
  descriptor: DatasetDescriptor,
  id: string,
  data: RecordData,
  scope: SiteScope | null,
  validation: ValidationContext,
  shapeErrors: RecordError[] = checkDataShape(descriptor, data, validation),
): Promise<DataVerdict> {
  if (shapeErrors.length > 0) return { errors: shapeErrors };
  if (scope && !inScope(descriptor, scope, placeOf(descriptor, data))) {
    const place = placeOf(descriptor, data);
    const field = place.provinceCode !== scope.provinceCode ? descriptor.scopeField : descriptor.communeField;
    return { errors: [rejection.dataOutOfScope(field ? `/${field}` : '')] };
  }
  const clash = await changes.uniqueClash(descriptor, data, id);
  if (clash) return { errors: [rejection.unique(descriptor, clash.field, clash.value)], existingId: clash.recordId };
  return { errors: [] };
}
