import { unitNameTitle, type CellField } from '../import/index.js';
import { adminUnitsDataset } from '../protocol/datasets/index.js';
import type { Sql } from '../store/sql.js';
import { fromJson } from '../store/sql.js';
import type { ExportLang } from './records-csv.js';

/** The national dataset whose records are the administrative units in force (x-lookup's source). */
export const ADMIN_UNITS_DATASET = adminUnitsDataset.name;

/**
 * The names of the administrative units as this agent caches them (the
 * `admin-units` records: provinceCode, provinceName, communeCode,
 * communeName), for the column an export writes beside each commune or
 * province code: what the window shows beside a code (renderer ValueText).
 * Read once per export, one statement (3,355 communes, 34 provinces), never
 * per record. A code that names no cached unit (or every code, before the
 * first sync has brought the units) has no name: its cell is left empty.
 */
export interface UnitNames {
  /** The name of the unit `field` (an x-lookup field) holds, '' when none. */
  nameOf(field: CellField, code: unknown): string;
}

interface UnitRecord {
  provinceCode?: unknown;
  provinceName?: unknown;
  communeCode?: unknown;
  communeName?: unknown;
}

/** The cached units' names by code; none when the export has no name column (the units are not read then). */
export async function readUnitNames(db: Sql, columns: readonly ExportColumn[]): Promise<UnitNames> {
  const communes = new Map<string, string>();
  const provinces = new Map<string, string>();
  if (columns.some((c) => c.unitName)) {
    const rows = await db.all<{ data: string | null }>(`SELECT "data" FROM "records" WHERE "dataset" = ? AND "deleted" = 0`, [ADMIN_UNITS_DATASET]);
    for (const row of rows) {
      const unit = fromJson<UnitRecord>(row.data);
      if (!unit) continue;
      if (typeof unit.communeCode === 'string' && typeof unit.communeName === 'string' && unit.communeName !== '') communes.set(unit.communeCode, unit.communeName);
      if (typeof unit.provinceCode === 'string' && typeof unit.provinceName === 'string' && unit.provinceName !== '') provinces.set(unit.provinceCode, unit.provinceName);
    }
  }
  return {
    nameOf(field, code) {
      if (typeof code !== 'string' || !field.lookup) return '';
      return (field.lookup === 'commune' ? communes : provinces).get(code.trim()) ?? '';
    },
  };
}

/** A column of the export: a field's value, or the name of the unit the field before it holds. */
export interface ExportColumn {
  field: CellField;
  /** True: the unit's name column written right after the field's own (its title unitNameTitle's). */
  unitName: boolean;
  title: string;
}

/**
 * The dataset's fields in order, each x-lookup field followed by its unit's name
 * column; not in an export of the units themselves, whose records hold the names.
 */
export function exportColumns(dataset: string, fields: readonly CellField[], lang: ExportLang): ExportColumn[] {
  return fields.flatMap((field) => {
    const own = { field, unitName: false, title: field.title[lang] };
    const name = dataset === ADMIN_UNITS_DATASET ? null : unitNameTitle(field);
    return name ? [own, { field, unitName: true, title: name[lang] }] : [own];
  });
}
