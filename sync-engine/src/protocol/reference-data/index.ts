import { PROVINCE_MERGE_ROWS_2025_07 } from './provinces-merged-2025-07.js';
import { PRE_2025_PROVINCE_ROWS } from './provinces-pre-2025-07.js';

export { ADMIN_UNITS_EFFECTIVE_FROM, COMMUNE_ROWS_2025_07, PROVINCE_ROWS_2025_07 } from './admin-units-2025-07.js';
export { PRE_2025_PROVINCE_ROWS } from './provinces-pre-2025-07.js';
export { AdminUnitsTable, bundledAdminUnits, parseAdminUnitRows } from './admin-units-index.js';
export type { AdminCommune, AdminProvince, AdminUnitsIndex } from './admin-units-index.js';
// Re-exported here so the agent finds its cache-backed index next to the bundled one.
export { adminUnitsIndexFromRecords } from '../datasets/admin-units.js';

/**
 * The 63 provinces before 2025-07-01, two-digit code → name. Personal ID numbers
 * issued before and after the merger carry one of these codes, with a leading 0,
 * as their first three digits (001 Hà Nội, 079 Hồ Chí Minh City).
 */
export const PRE_2025_PROVINCES: ReadonlyMap<string, string> = new Map(
  PRE_2025_PROVINCE_ROWS.map((row) => {
    const bar = row.indexOf('|');
    return [row.slice(0, bar), row.slice(bar + 1)] as const;
  }),
);

/** Two-digit codes of the 63 pre-2025 provinces ("01" … "96"). */
export const PRE_2025_PROVINCE_CODES: ReadonlySet<string> = new Set(PRE_2025_PROVINCES.keys());

/**
 * Each pre-2025 province's code → the code of the province in force it is part
 * of since 2025-07-01 ("02" Hà Giang → "08" Tuyên Quang; "01" → "01").
 */
export const PRE_2025_PROVINCES_INTO: ReadonlyMap<string, string> = new Map(
  PROVINCE_MERGE_ROWS_2025_07.map((row) => {
    const bar = row.indexOf('|');
    return [row.slice(0, bar), row.slice(bar + 1)] as const;
  }),
);
