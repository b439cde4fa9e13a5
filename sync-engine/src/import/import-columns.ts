import { foldForSearch } from '../domain/search-fold.js';
import type { LocalizedText } from '../protocol/catalog.js';
import type { CellField } from './cell-values.js';

/**
 * Which field each column of the header row fills. A column is named by the
 * field's name (personalId) or its Vietnamese or English title as the window
 * shows it (Số định danh cá nhân, Personal ID number), compared without
 * accents, case or extra spaces (the search fold). The whole file is refused,
 * before anything is read or written, when a column names no field, two
 * columns name the same field, or a required field has no column: the message
 * names them and lists the names that are expected. The export's sync state
 * column (SYNC_STATE_COLUMN) names no field and is left out, so a file the
 * window exported comes back as it went; so is a register's row-number column
 * (ROW_NUMBER_COLUMNS: "STT", "Số thứ tự"), which nearly every register kept in
 * Excel starts with and which holds nothing a record keeps, and the unit's name
 * the export writes beside a commune or province code (unitNameTitle: "Nơi
 * sinh (mã xã) — tên xã"): the code is what is imported, the name only read
 * by people.
 */
export interface ColumnMap {
  /** Per column of the header, the field it fills; null: a blank column with no header and no value, left out. */
  fields: Array<CellField | null>;
}

/** The last column of `records export`: each record's sync state, which an import does not write. */
export const SYNC_STATE_COLUMN: LocalizedText = { vi: 'Trạng thái đồng bộ', en: 'Sync state' };

/**
 * The titles of a register's row-number column ("STT", "Số TT", "Số thứ tự", "TT",
 * "No.", "#"), folded: left out unless a field of the dataset has that name.
 */
export const ROW_NUMBER_COLUMNS: ReadonlySet<string> = new Set(['STT', 'Số TT', 'Số thứ tự', 'TT', 'No.', 'No', '#'].map((name) => foldForSearch(name)));

const UNIT_NAME_SUFFIX: Record<'commune' | 'province', LocalizedText> = {
  commune: { vi: 'tên xã', en: 'commune name' },
  province: { vi: 'tên tỉnh', en: 'province name' },
};

/**
 * The title of the column the export writes right after a code field that names
 * an administrative unit (`x-lookup`), holding the unit's name: the field's title
 * and "— tên xã" / "— commune name" ("— tên tỉnh" / "— province name"). Null for
 * any other field.
 */
export function unitNameTitle(field: CellField): LocalizedText | null {
  if (!field.lookup) return null;
  const suffix = UNIT_NAME_SUFFIX[field.lookup];
  return { vi: `${field.title.vi} — ${suffix.vi}`, en: `${field.title.en} — ${suffix.en}` };
}

export type ColumnsRead = { ok: true; columns: ColumnMap } | { ok: false; messages: LocalizedText };

export function mapColumns(header: readonly string[], fields: readonly CellField[], blankColumn: (index: number) => boolean): ColumnsRead {
  const byName = new Map<string, CellField>();
  for (const field of fields) for (const name of [field.name, field.title.vi, field.title.en]) byName.set(foldForSearch(name), field);
  const stateColumn = new Set([SYNC_STATE_COLUMN.vi, SYNC_STATE_COLUMN.en].map((name) => foldForSearch(name)));
  const unitNames = new Set(fields.flatMap((field) => unitNameTitle(field) ?? []).flatMap((title) => [title.vi, title.en].map((name) => foldForSearch(name))));
  const leftOut = (name: string) => stateColumn.has(name) || ROW_NUMBER_COLUMNS.has(name) || unitNames.has(name);

  const mapped: Array<CellField | null> = [];
  const unknown: string[] = [];
  const seen = new Map<string, string>();
  const twice: string[] = [];
  header.forEach((text, index) => {
    const name = text.trim();
    if (name === '' && blankColumn(index)) return void mapped.push(null);
    const field = byName.get(foldForSearch(name));
    if (!field && leftOut(foldForSearch(name))) return void mapped.push(null);
    if (!field) {
      unknown.push(name === '' ? `#${index + 1}` : `"${name}"`);
      return void mapped.push(null);
    }
    const first = seen.get(field.name);
    if (first !== undefined) twice.push(`"${first}" / "${name}"`);
    else seen.set(field.name, name);
    mapped.push(field);
  });
  const missing = fields.filter((f) => f.required && !seen.has(f.name));
  if (unknown.length === 0 && twice.length === 0 && missing.length === 0) return { ok: true, columns: { fields: mapped } };

  const problems: LocalizedText[] = [];
  if (unknown.length > 0) {
    problems.push({ vi: `Cột không thuộc bộ dữ liệu: ${unknown.join(', ')}.`, en: `Columns that are no field of the dataset: ${unknown.join(', ')}.` });
  }
  if (twice.length > 0) problems.push({ vi: `Hai cột cho cùng một trường: ${twice.join('; ')}.`, en: `Two columns for the same field: ${twice.join('; ')}.` });
  if (missing.length > 0) {
    problems.push({
      vi: `Thiếu cột bắt buộc: ${missing.map((f) => `"${f.title.vi}"`).join(', ')}.`,
      en: `Required columns missing: ${missing.map((f) => `"${f.title.en}"`).join(', ')}.`,
    });
  }
  const expected = (lang: 'vi' | 'en') => fields.map((f) => `${f.title[lang]} (${f.name})${f.required ? '*' : ''}`).join(', ');
  return {
    ok: false,
    messages: {
      vi: `Chưa nhập gì: dòng tiêu đề của tệp không khớp với bộ dữ liệu. ${problems.map((p) => p.vi).join(' ')} Các cột được nhận (tên tiếng Việt, tiếng Anh hoặc tên trường; * là bắt buộc): ${expected('vi')}.`,
      en: `Nothing was imported: the file's header row does not match the dataset. ${problems.map((p) => p.en).join(' ')} Columns accepted (Vietnamese or English title, or the field name; * required): ${expected('en')}.`,
    },
  };
}

/** How far down a header row is looked for when the first row is none: a register's title block is a few rows. */
const HEADER_SEARCH_ROWS = 20;

/**
 * When the first row does not name the dataset's columns, but a row a little
 * further down does (a register kept in Excel often starts with its title,
 * "SỔ ĐĂNG KÝ KHAI SINH", the national motto, a blank line, over merged
 * cells): the refusal says so, naming that row, instead of listing the title
 * as unknown columns. Nothing is read from such a file: the rows above the
 * header are the person's to remove (in a copy), not the import's to guess
 * past. Null when no row below is a header either.
 */
export function headerFurtherDown(first: { line: number }, rows: ReadonlyArray<{ line: number; cells: readonly string[] }>, fields: readonly CellField[]): LocalizedText | null {
  const found = rows.slice(0, HEADER_SEARCH_ROWS).find((row) => mapColumns(row.cells, fields, () => true).ok);
  if (!found) return null;
  const above = { vi: `dòng ${first.line} đến dòng ${found.line - 1}`, en: `lines ${first.line} to ${found.line - 1}` };
  return {
    vi: `Chưa nhập gì: dòng đầu tiên có chữ của tệp (dòng ${first.line}) phải là dòng tiêu đề ghi tên các cột, nhưng tên các cột nằm ở dòng ${found.line}. Hãy xóa các dòng phía trên nó (${above.vi}: tên sổ, tiêu đề…) trong một bản sao của tệp, rồi nhập bản sao đó.`,
    en: `Nothing was imported: the file's first row with text (line ${first.line}) must be the header row naming the columns, but the columns are named on line ${found.line}. Delete the rows above it (${above.en}: a title, a heading…) in a copy of the file, then import that copy.`,
  };
}
