import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import type { RecordData, SiteScope } from '../../../sync-engine/src/protocol/records.js';

/** Where a record sits: the codes its scope fields hold (null when absent). */
export interface RecordPlace {
  provinceCode: string | null;
  communeCode: string | null;
}

export const NOWHERE: RecordPlace = { provinceCode: null, communeCode: null };

export type ScopeDescriptor = Pick<DatasetDescriptor, 'scope' | 'scopeField' | 'communeField'>;

function codeAt(data: RecordData, field: string | undefined): string | null {
  if (!field) return null;
  const value = data[field];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The place of `data` in a dataset; national datasets have none. */
export function placeOf(descriptor: ScopeDescriptor, data: RecordData | null): RecordPlace {
  if (descriptor.scope !== 'province' || !data) return NOWHERE;
  return { provinceCode: codeAt(data, descriptor.scopeField), communeCode: codeAt(data, descriptor.communeField) };
}

/**
 * True when a site with `scope` may see a record at `place`: every record of a
 * national dataset; for a province dataset the province must match and, when the
 * site lists communes and the dataset names a commune field, the commune too.
 */
export function inScope(descriptor: ScopeDescriptor, scope: SiteScope, place: RecordPlace): boolean {
  if (descriptor.scope === 'national') return true;
  if (place.provinceCode !== scope.provinceCode) return false;
  if (scope.communeCodes && scope.communeCodes.length > 0 && descriptor.communeField) {
    return place.communeCode !== null && scope.communeCodes.includes(place.communeCode);
  }
  return true;
}

/** A site's scope as stored (commune list as JSON text) turned into the wire shape. */
export function parseScope(provinceCode: string, communeCodes: string | null): SiteScope {
  const communes = communeCodes ? (JSON.parse(communeCodes) as string[]) : null;
  return communes && communes.length > 0 ? { provinceCode, communeCodes: communes } : { provinceCode };
}

export function sameScope(a: SiteScope, b: SiteScope): boolean {
  const ca = [...(a.communeCodes ?? [])].sort().join(',');
  const cb = [...(b.communeCodes ?? [])].sort().join(',');
  return a.provinceCode === b.provinceCode && ca === cb;
}
