import type { LocalizedText } from '../protocol/catalog.js';
import type { AdminUnitsIndex } from '../protocol/reference-data/index.js';
import type { NewRecord } from '../records/local-creates.js';
import type { CellField } from './cell-values.js';
import { formerProvinceOfCode, matchCommuneName, matchProvinceName, type CommuneMatch, type FormerProvince, type ProvinceMatch } from './unit-names.js';

/**
 * A register's commune and province cells written as names ("Phường Hoàn
 * Kiếm", "Hà Nội", "tinh thanh hoa"), read as their codes (unit-names.ts).
 * Only a code field (`x-lookup`, a `^[0-9]{N}$` pattern) is read so, and only
 * a cell with a letter in it: a code cell is left exactly as it was, the
 * leading-zeros hint for a code a spreadsheet kept as a number included. The
 * province cells are read first, so a commune name several communes share is
 * narrowed by the row's own province ("Ba Đình" with Hà Nội in the province
 * column), as by a province written after it in the cell ("Ba Đình, Hà Nội").
 * A name that names no single unit in force (several, a province merged on
 * 2025-07-01, none) is kept as written: the row's check refuses it as no code
 * (the pattern), and the import tells why in these words instead.
 */
export interface UnitProblem {
  code: string;
  messages: LocalizedText;
}

/** A cell holds a name rather than a code: a letter, and not a number in scientific notation (1.325E+11). */
function holdsName(text: string): boolean {
  return /\p{L}/u.test(text) && !/^\d+([.,]\d+)?E[+-]?\d+$/i.test(text.trim());
}

/** One import's readings, by cell text (a register names the same few communes again and again). */
export class UnitCells {
  private readonly communes = new Map<string, CommuneMatch>();
  private readonly provinces = new Map<string, ProvinceMatch>();

  constructor(private readonly index: AdminUnitsIndex) {}

  /**
   * DATA (a row as cell-values.ts read it) with each commune or province code
   * field that holds one unit's name holding its code; the fields whose name
   * names none or several, each with what to tell.
   */
  read(fields: ReadonlyArray<CellField | null>, data: NewRecord['data']): Map<string, UnitProblem> {
    const problems = new Map<string, UnitProblem>();
    const named = (field: CellField | null, lookup: 'commune' | 'province'): field is CellField => {
      const value = field?.lookup === lookup && field.digits !== undefined ? data[field.name] : undefined;
      return typeof value === 'string' && holdsName(value);
    };
    for (const field of fields) {
      if (!named(field, 'province')) continue;
      const text = data[field.name] as string;
      const match = this.province(text);
      if (match && 'code' in match) data[field.name] = match.code;
      else problems.set(field.name, provinceProblem(field, text, match, this.index));
    }
    const provinceField = fields.find((f) => f?.lookup === 'province');
    const province = provinceField ? data[provinceField.name] : undefined;
    const rowProvince = typeof province === 'string' && this.index.hasProvince(province) ? province : undefined;
    for (const field of fields) {
      if (!named(field, 'commune')) continue;
      const text = data[field.name] as string;
      const match = this.commune(text, rowProvince);
      if (match && 'code' in match) data[field.name] = match.code;
      else problems.set(field.name, communeProblem(field, text, match, this.index, provinceField !== undefined && rowProvince === undefined));
    }
    return problems;
  }

  /** The words for a code the row's check refused that was a province's code before 2025-07-01 ("02"); null for any other cell. */
  formerCode(field: CellField, text: string): UnitProblem | null {
    const former = field.lookup === 'province' ? formerProvinceOfCode(this.index, text) : undefined;
    if (!former) return null;
    const now = this.index.provinceName(former.into) ?? former.into;
    return {
      code: 'province_code_former',
      messages: {
        vi: `${field.title.vi} “${former.code}” là mã cũ của ${former.name} (trước ngày 01/07/2025). Từ ngày đó, mã tỉnh là ${former.into} (${now}).`,
        en: `${field.title.en} “${former.code}” is the old code of ${former.name} (before 01/07/2025). Since then the province code is ${former.into} (${now}).`,
      },
    };
  }

  private commune(text: string, province: string | undefined): CommuneMatch {
    const key = `${province ?? ''}\u0000${text}`;
    if (!this.communes.has(key)) this.communes.set(key, matchCommuneName(this.index, text.replace(/[,;]/g, ' '), province));
    return this.communes.get(key)!;
  }

  private province(text: string): ProvinceMatch {
    if (!this.provinces.has(text)) this.provinces.set(text, matchProvinceName(this.index, text));
    return this.provinces.get(text)!;
  }
}

function provinceProblem(field: CellField, text: string, match: Exclude<ProvinceMatch, { code: string }>, index: AdminUnitsIndex): UnitProblem {
  const t = field.title;
  if (match && 'former' in match) return merged(field, text, match.former, index);
  if (match) {
    const listed = match.several.map((p) => `${p.code} ${p.name}`).join(', ');
    const more = match.total - match.several.length;
    return {
      code: 'province_name_ambiguous',
      messages: {
        vi: `${t.vi} “${text}”: có ${match.total} tỉnh, thành phố có “${text}” trong tên: ${listed}${more > 0 ? ` và ${more} tỉnh, thành phố khác` : ''}. Hãy ghi mã tỉnh, hoặc ghi đủ tên tỉnh.`,
        en: `${t.en} “${text}”: ${match.total} provinces have “${text}” in their name: ${listed}${more > 0 ? ` and ${more} more` : ''}. Write the province's code, or its whole name.`,
      },
    };
  }
  return {
    code: 'province_name_unknown',
    messages: {
      vi: `${t.vi} “${text}”: không có tỉnh, thành phố nào mang tên này trong danh mục hiện hành. Hãy ghi mã tỉnh (${field.digits} chữ số) hoặc tên tỉnh như trong danh mục.`,
      en: `${t.en} “${text}”: no province in the current list has this name. Write the province's code (${field.digits} digits) or its name as the list has it.`,
    },
  };
}

function merged(field: CellField, text: string, former: FormerProvince, index: AdminUnitsIndex): UnitProblem {
  const now = index.provinceName(former.into) ?? former.into;
  return {
    code: 'province_merged',
    messages: {
      vi: `${field.title.vi} “${text}”: ${former.name} đã sáp nhập vào ${now} từ ngày 01/07/2025. Nếu đúng, hãy ghi mã tỉnh ${former.into}.`,
      en: `${field.title.en} “${text}”: ${former.name} has been part of ${now} since 01/07/2025. If that is right, write the province code ${former.into}.`,
    },
  };
}

/** NO_PROVINCE: the dataset has a province column and the row gives no province in force, which would narrow the name. */
function communeProblem(field: CellField, text: string, match: Exclude<CommuneMatch, { code: string }>, index: AdminUnitsIndex, noProvince: boolean): UnitProblem {
  const t = field.title;
  if (match) {
    const listed = match.several.map((c) => `${c.code} ${c.name} (${index.provinceName(c.provinceCode) ?? c.provinceCode})`).join(', ');
    const more = match.total - match.several.length;
    const orProvince = noProvince ? { vi: ', hoặc ghi tỉnh của dòng vào cột tỉnh', en: ", or write the row's province in the province column" } : { vi: '', en: '' };
    return {
      code: 'commune_name_ambiguous',
      messages: {
        vi: `${t.vi} “${text}”: có ${match.total} xã, phường tên này: ${listed}${more > 0 ? ` và ${more} xã, phường khác` : ''}. Hãy ghi mã xã, hoặc ghi thêm tên tỉnh sau tên xã (“Ba Đình, Hà Nội”)${orProvince.vi}.`,
        en: `${t.en} “${text}”: ${match.total} communes have this name: ${listed}${more > 0 ? ` and ${more} more` : ''}. Write the commune's code, or add the province's name after the commune's (“Ba Đình, Hà Nội”)${orProvince.en}.`,
      },
    };
  }
  return {
    code: 'commune_name_unknown',
    messages: {
      vi: `${t.vi} “${text}”: không có xã, phường, đặc khu nào mang tên này trong danh mục hiện hành. Hãy ghi mã xã (${field.digits} chữ số) hoặc tên xã như trong danh mục.`,
      en: `${t.en} “${text}”: no commune in the current list has this name. Write the commune's code (${field.digits} digits) or its name as the list has it.`,
    },
  };
}
