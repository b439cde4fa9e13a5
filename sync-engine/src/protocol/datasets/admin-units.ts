import type { DatasetDescriptor } from '../catalog.js';
import { AdminUnitsTable } from '../reference-data/admin-units-index.js';
import type { AdminCommune, AdminProvince, AdminUnitsIndex } from '../reference-data/admin-units-index.js';
import { communeCodeField, provinceCodeField, recordSchema, textField } from './schema-vocabulary.js';

/**
 * `admin-units`: the administrative units in force, national and read-only.
 *
 * One record per commune, carrying its province's code, name and type. A
 * province is never a record of its own: every province has communes, so the
 * province list is the distinct provinces of the commune records, and one record
 * shape keeps the agent's index builder (adminUnitsIndexFromRecords) and the
 * form's pickers simple. Renaming a province touches its communes' records, a
 * rare national change.
 */
export type AdminUnitRecordData = {
  provinceCode: string;
  provinceName: string;
  /** "tỉnh" or "thành phố trung ương". */
  provinceType: string;
  communeCode: string;
  communeName: string;
  /** "phường", "xã" or "đặc khu". */
  communeType: string;
};

const schema = recordSchema({
  title: { vi: 'Đơn vị hành chính', en: 'Administrative unit' },
  properties: {
    provinceCode: provinceCodeField({ vi: 'Mã tỉnh', en: 'Province code' }),
    provinceName: textField({ vi: 'Tên tỉnh', en: 'Province name' }, 100),
    provinceType: textField({ vi: 'Loại đơn vị cấp tỉnh', en: 'Province type' }, 50),
    communeCode: communeCodeField({ vi: 'Mã xã', en: 'Commune code' }),
    communeName: textField({ vi: 'Tên xã', en: 'Commune name' }, 100),
    communeType: textField({ vi: 'Loại đơn vị cấp xã', en: 'Commune type' }, 50),
  },
  required: ['provinceCode', 'provinceName', 'provinceType', 'communeCode', 'communeName', 'communeType'],
  // The records are the table itself: checking them against a table would be circular.
  rules: [],
});

export const adminUnitsDataset: DatasetDescriptor = {
  name: 'admin-units',
  title: { vi: 'Đơn vị hành chính (từ 01/7/2025)', en: 'Administrative units (from 1 July 2025)' },
  version: 1,
  schema,
  access: 'read',
  scope: 'national',
  uniqueFields: ['communeCode'],
  // Read-only for agents: whatever the platform says is the table.
  fieldPolicies: {
    provinceCode: 'national-wins',
    provinceName: 'national-wins',
    provinceType: 'national-wins',
    communeCode: 'national-wins',
    communeName: 'national-wins',
    communeType: 'national-wins',
  },
  display: {
    titleField: 'communeName',
    listFields: ['communeCode', 'communeName', 'communeType', 'provinceName'],
    searchFields: ['communeName', 'provinceName', 'communeCode'],
  },
};

export function adminUnitRecordData(commune: AdminCommune, province: AdminProvince): AdminUnitRecordData {
  return {
    provinceCode: province.code,
    provinceName: province.name,
    provinceType: province.type,
    communeCode: commune.code,
    communeName: commune.name,
    communeType: commune.type,
  };
}

/** One record per commune of the index, by province then commune code. */
export function adminUnitRecordsOf(index: AdminUnitsIndex): AdminUnitRecordData[] {
  const out: AdminUnitRecordData[] = [];
  for (const province of index.provinces()) {
    for (const commune of index.communesOf(province.code)) out.push(adminUnitRecordData(commune, province));
  }
  return out;
}

/**
 * Builds an AdminUnitsIndex from `admin-units` records, e.g. the agent's cache.
 * Records that are not well-formed are skipped: a broken cache entry must not
 * make every other code unknown.
 */
export function adminUnitsIndexFromRecords(records: Iterable<Readonly<Record<string, unknown>>>): AdminUnitsIndex {
  const provinces = new Map<string, AdminProvince>();
  const communes: AdminCommune[] = [];
  for (const r of records) {
    const { provinceCode, provinceName, provinceType, communeCode, communeName, communeType } = r;
    if (typeof provinceCode !== 'string' || typeof communeCode !== 'string') continue;
    const name = typeof provinceName === 'string' ? provinceName : provinceCode;
    provinces.set(provinceCode, { code: provinceCode, name, type: typeof provinceType === 'string' ? provinceType : '' });
    communes.push({
      code: communeCode,
      name: typeof communeName === 'string' ? communeName : communeCode,
      type: typeof communeType === 'string' ? communeType : '',
      provinceCode,
    });
  }
  return new AdminUnitsTable(provinces.values(), communes);
}

/**
 * The index of the `admin-units` records a side holds, or null when they make
 * no usable table: no province or no commune (nothing published or cached
 * yet, or nothing well-formed). The caller keeps the bundled table then: an
 * empty table would make every commune and province code unknown.
 */
export function heldAdminUnits(records: Iterable<Readonly<Record<string, unknown>>>): AdminUnitsIndex | null {
  const index = adminUnitsIndexFromRecords(records);
  return index.provinces().length > 0 && index.communes().length > 0 ? index : null;
}
