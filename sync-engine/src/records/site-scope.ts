import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordError } from '../protocol/push.js';
import type { SiteScope } from '../protocol/records.js';
import { pointerOf } from '../protocol/validation/index.js';

/**
 * The platform refuses a record outside the site's scope (SYNC-PROTOCOL.md,
 * Catalog `scope`); checking it before the write means a person hears it now,
 * not days later as a rejection.
 */
export function scopeErrors(descriptor: DatasetDescriptor, data: unknown, scope: SiteScope): RecordError[] {
  if (descriptor.scope !== 'province' || typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  const errors: RecordError[] = [];
  const provinceField = descriptor.scopeField;
  if (provinceField) {
    const value = record[provinceField];
    if (typeof value === 'string' && value !== scope.provinceCode) {
      errors.push(
        scopeError(
          provinceField,
          `Mã tỉnh ${value} nằm ngoài phạm vi của đơn vị (tỉnh ${scope.provinceCode}).`,
          `Province code ${value} is outside this office's scope (province ${scope.provinceCode}).`,
        ),
      );
    }
  }
  const communeField = descriptor.communeField;
  const communes = scope.communeCodes ?? [];
  if (communeField && communes.length > 0) {
    const value = record[communeField];
    if (typeof value === 'string' && !communes.includes(value)) {
      errors.push(
        scopeError(
          communeField,
          `Mã xã ${value} nằm ngoài phạm vi của đơn vị (${communes.join(', ')}).`,
          `Commune code ${value} is outside this office's scope (${communes.join(', ')}).`,
        ),
      );
    }
  }
  return errors;
}

function scopeError(field: string, vi: string, en: string): RecordError {
  return { path: pointerOf(field), code: 'out_of_scope', message: en, messages: { vi, en } };
}
