import { createHash } from 'node:crypto';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';

const MAX_STORED = 200;

/**
 * The form a unique field's value is stored and compared in: strings as they
 * are, numbers and booleans as text; empty and non-scalar values take no part in
 * uniqueness. A long value is stored as its hash to fit the index.
 */
export function uniqueValue(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else return null;
  if (text.length === 0) return null;
  return text.length > MAX_STORED ? `sha256:${createHash('sha256').update(text).digest('hex')}` : text;
}

/** [field, value] of every unique field `data` holds. */
export function uniqueValuesOf(descriptor: Pick<DatasetDescriptor, 'uniqueFields'>, data: RecordData | null): [string, string][] {
  if (!data) return [];
  const out: [string, string][] = [];
  for (const field of descriptor.uniqueFields) {
    const value = uniqueValue(data[field]);
    if (value !== null) out.push([field, value]);
  }
  return out;
}
