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
 * Everything the platform checks about new record data, in the order a person
 * fixes things: size, the dataset's schema and rules, the writer's scope (a
 * national write has none), then uniqueness across every site's live records.
 */
export async function checkRecordData(
  changes: ChangeSet,
  descriptor: DatasetDescriptor,
  id: string,
  data: RecordData,
  scope: SiteScope | null,
  validation: ValidationContext,
): Promise<DataVerdict> {
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_RECORD_BYTES) return { errors: [rejection.tooLarge(MAX_RECORD_BYTES)] };
  const errors = validateRecordData(descriptor, data, validation);
  if (errors.length > 0) return { errors };
  if (scope && !inScope(descriptor, scope, placeOf(descriptor, data))) {
    const place = placeOf(descriptor, data);
    const field = place.provinceCode !== scope.provinceCode ? descriptor.scopeField : descriptor.communeField;
    return { errors: [rejection.dataOutOfScope(field ? `/${field}` : '')] };
  }
  const clash = await changes.uniqueClash(descriptor, data, id);
  if (clash) return { errors: [rejection.unique(clash.field, clash.value)], existingId: clash.recordId };
  return { errors: [] };
}
