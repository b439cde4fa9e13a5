import type { DatasetDescriptor } from '../protocol/catalog.js';
import { MAX_RECORD_BYTES } from '../protocol/limits.js';
import type { RecordError } from '../protocol/push.js';
import type { SiteScope } from '../protocol/records.js';
import type { AdminUnitsIndex } from '../protocol/reference-data/index.js';
import { validateRecordData } from '../protocol/validation/index.js';
import { scopeErrors } from './site-scope.js';

/**
 * Every check a record's data passes before it may enter the outbox: the
 * dataset's schema and rules, the site's scope, the size cap. [] = acceptable.
 */
export function recordProblems(descriptor: DatasetDescriptor, data: unknown, scope: SiteScope, adminUnits: AdminUnitsIndex): RecordError[] {
  const errors = [...validateRecordData(descriptor, data, { adminUnits }), ...scopeErrors(descriptor, data, scope)];
  const size = Buffer.byteLength(JSON.stringify(data ?? null));
  if (size > MAX_RECORD_BYTES) {
    const en = `The record is ${size} bytes; at most ${MAX_RECORD_BYTES} are allowed.`;
    errors.push({ path: '', code: 'too_large', message: en, messages: { vi: `Bản ghi có ${size} byte, vượt giới hạn ${MAX_RECORD_BYTES} byte.`, en } });
  }
  return errors;
}
