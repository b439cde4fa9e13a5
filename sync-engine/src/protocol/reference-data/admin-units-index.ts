import { COMMUNE_ROWS_2025_07, PROVINCE_ROWS_2025_07 } from './admin-units-2025-07.js';

/** A province of the table in force (34 since 2025-07-01). `type` is e.g. "tỉnh" or "thành phố trung ương". */
export interface AdminProvince {
  code: string;
  name: string;
  type: string;
}

/** A commune-level unit: `type` is "phường", "xã" or "đặc khu". */
export interface AdminCommune {
  code: string;
  name: string;
  type: string;
  provinceCode: string;
}

/**
 * The administrative units validation checks codes against. The bundled table is
 * one implementation; the platform builds another from the `admin-units` records
 * it holds (national-platform services/admin-units-in-force.ts) and the agent from
 * the ones it caches (store/cached-admin-units.ts), both through heldAdminUnits,
 * so a table the platform updates is honoured without a new release.
 */
export interface AdminUnitsIndex {
  hasProvince(code: string): boolean;
  hasCommune(code: string): boolean;
  /** The province a commune belongs to, or undefined for an unknown commune. */
  provinceOfCommune(communeCode: string): string | undefined;
  province(code: string): AdminProvince | undefined;
  commune(code: string): AdminCommune | undefined;
  provinceName(code: string): string | undefined;
  communeName(code: string): string | undefined;
  /** Every province, by code. */
  provinces(): readonly AdminProvince[];
  /** The communes of a province, by code; empty for an unknown province. */
  communesOf(provinceCode: string): readonly AdminCommune[];
  /** Every commune, by province then code. */
  communes(): readonly AdminCommune[];
}

/** The default AdminUnitsIndex: maps built once from lists of provinces and communes. */
export class AdminUnitsTable implements AdminUnitsIndex {
  private readonly provinceByCode = new Map<string, AdminProvince>();
  private readonly communeByCode = new Map<string, AdminCommune>();
  private readonly communesByProvince = new Map<string, AdminCommune[]>();
  private readonly sortedProvinces: readonly AdminProvince[];
  private readonly sortedCommunes: readonly AdminCommune[];

  constructor(provinces: Iterable<AdminProvince>, communes: Iterable<AdminCommune>) {
    for (const p of provinces) this.provinceByCode.set(p.code, Object.freeze({ ...p }));
    for (const c of communes) this.communeByCode.set(c.code, Object.freeze({ ...c }));
    this.sortedProvinces = Object.freeze([...this.provinceByCode.values()].sort((a, b) => compare(a.code, b.code)));
    this.sortedCommunes = Object.freeze(
      [...this.communeByCode.values()].sort((a, b) => compare(a.provinceCode, b.provinceCode) || compare(a.code, b.code)),
    );
    for (const c of this.sortedCommunes) {
      const list = this.communesByProvince.get(c.provinceCode) ?? [];
      list.push(c);
      this.communesByProvince.set(c.provinceCode, list);
    }
  }

  hasProvince(code: string): boolean {
    return this.provinceByCode.has(code);
  }

  hasCommune(code: string): boolean {
    return this.communeByCode.has(code);
  }

  provinceOfCommune(communeCode: string): string | undefined {
    return this.communeByCode.get(communeCode)?.provinceCode;
  }

  province(code: string): AdminProvince | undefined {
    return this.provinceByCode.get(code);
  }

  commune(code: string): AdminCommune | undefined {
    return this.communeByCode.get(code);
  }

  provinceName(code: string): string | undefined {
    return this.provinceByCode.get(code)?.name;
  }

  communeName(code: string): string | undefined {
    return this.communeByCode.get(code)?.name;
  }

  provinces(): readonly AdminProvince[] {
    return this.sortedProvinces;
  }

  communesOf(provinceCode: string): readonly AdminCommune[] {
    return this.communesByProvince.get(provinceCode) ?? [];
  }

  communes(): readonly AdminCommune[] {
    return this.sortedCommunes;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitRow(row: string, cells: number): string[] {
  const parts = row.split('|');
  if (parts.length !== cells) throw new Error(`malformed reference row: ${row}`);
  return parts;
}

/** Parses the generated `code|name|type` and `provinceCode|code|name|type` rows. */
export function parseAdminUnitRows(
  provinceRows: readonly string[],
  communeRows: readonly string[],
): { provinces: AdminProvince[]; communes: AdminCommune[] } {
  const provinces = provinceRows.map((row) => {
    const [code = '', name = '', type = ''] = splitRow(row, 3);
    return { code, name, type };
  });
  const communes = communeRows.map((row) => {
    const [provinceCode = '', code = '', name = '', type = ''] = splitRow(row, 4);
    return { code, name, type, provinceCode };
  });
  return { provinces, communes };
}

let bundled: AdminUnitsTable | undefined;

/**
 * The table in force since 2025-07-01 as bundled with this release. Built on first
 * use (3,321 rows) and shared: it is immutable reference data, not state.
 */
export function bundledAdminUnits(): AdminUnitsIndex {
  if (!bundled) {
    const { provinces, communes } = parseAdminUnitRows(PROVINCE_ROWS_2025_07, COMMUNE_ROWS_2025_07);
    bundled = new AdminUnitsTable(provinces, communes);
  }
  return bundled;
}
