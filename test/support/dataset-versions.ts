import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { textField } from '../../sync-engine/src/protocol/datasets/schema-vocabulary.js';

/** A mutable deep copy of a shipped dataset (the shipped ones are frozen). */
export function copyOf(name: string): DatasetDescriptor {
  const shipped = datasetByName(name);
  if (!shipped) throw new Error(`no dataset ${name}`);
  return JSON.parse(JSON.stringify(shipped)) as DatasetDescriptor;
}

const properties = (d: DatasetDescriptor) => d.schema['properties'] as Record<string, Record<string, unknown>>;

/** civil-status-births version 2: an optional field `ethnicity` (Dân tộc), listed and searched. */
export function birthsWithEthnicity(version = 2): DatasetDescriptor {
  const d = copyOf('civil-status-births');
  d.version = version;
  properties(d)['ethnicity'] = textField({ vi: 'Dân tộc', en: 'Ethnicity' }, 50);
  d.display.listFields = [...d.display.listFields, 'ethnicity'];
  return d;
}

/** civil-status-births (or `base`) with a tighter registration number: digits, a slash, a four-digit year ("125/2001"). */
export function birthsWithStrictNumber(version = 2, base: DatasetDescriptor = copyOf('civil-status-births')): DatasetDescriptor {
  const d = JSON.parse(JSON.stringify(base)) as DatasetDescriptor;
  d.version = version;
  const field = properties(d)['registrationNumber'] as Record<string, unknown>;
  field['pattern'] = '^[0-9]+/[0-9]{4}$';
  field['x-pattern'] = {
    code: 'registration_number_format',
    vi: '{field} phải có dạng số/năm, ví dụ 125/2001.',
    en: '{field} must read number/year, e.g. 125/2001.',
  };
  return d;
}

/** procedure-dossiers with a new status value, `suspended` (Tạm dừng). */
export function dossiersWithSuspended(version = 2): DatasetDescriptor {
  const d = copyOf('procedure-dossiers');
  d.version = version;
  const status = properties(d)['status'] as { enum: string[]; 'x-enumTitles': Record<string, { vi: string; en: string }> };
  status.enum = [...status.enum, 'suspended'];
  status['x-enumTitles'] = { ...status['x-enumTitles'], suspended: { vi: 'Tạm dừng', en: 'Suspended' } };
  return d;
}

/** Writes `descriptor` as JSON into `dir`, for `datasets publish FILE`; answers the file's path. */
export function descriptorFile(dir: string, descriptor: unknown, name = 'descriptor.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(descriptor, null, 2));
  return file;
}
