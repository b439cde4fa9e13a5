import { stringify } from 'csv-stringify/sync';
import { MAX_IMPORT_CHARS, MAX_IMPORT_XLSX_BYTES } from '../api/record-import.js';
import type { LocalizedText } from '../protocol/catalog.js';
import type { CellField } from './cell-values.js';
import type { CsvRead, CsvRow } from './csv-table.js';
import { guardFormula } from './formula-cells.js';
import { CellError, openWorkbook, SheetNotFound, type SheetValue } from './xlsx-workbook.js';
import { NotAZip, UnpackBudget, UnpackedTooLarge, zipParts, type ZipPart } from './xlsx-zip.js';

/**
 * An Excel workbook (.xlsx) read into the same header and rows as a CSV
 * (csv-table.ts): its first sheet that Excel does not hide (a register may
 * keep a hidden lookup list first), or the one named `sheet`, the first
 * non-blank row the header, each row numbered as the sheet numbers it. The
 * sheet is streamed (xlsx-workbook.ts, docs/decisions.md): its XML is never
 * held whole, only the rows read. A cell keeps its kind: text as typed
 * (spaces too; the cell reading trims as it does a CSV's), a number, a date
 * (a cell Excel formats as a date), TRUE/FALSE. `cells` hold each as the text
 * a CSV would (a number plain, a date dd/mm/yyyy, with hh:mm when it has a
 * time, a formula's error as Excel shows it, "#N/A"), for the header, blank
 * rows and the refused rows' file; `typed` keeps
 * the values for the cell reading (xlsxCellText), so a date cell fills a
 * date-and-time field and a number cell in a code column is seen as the
 * number Excel kept (its leading zeros gone). A row's `raw` is the row as one
 * CSV line (a formula-like text with the export's apostrophe), written only
 * when asked (for a refused row), so the refused rows of a workbook are a CSV
 * file to fix and import again.
 */
export type XlsxValue = SheetValue;

/** The most data rows a workbook may hold. */
export const MAX_IMPORT_XLSX_ROWS = 100_000;
/**
 * The most text its rows may hold, counted cell by cell while the sheet is read: what the largest CSV
 * holds (MAX_IMPORT_CHARS), so the largest workbook costs the import no more memory than the largest CSV
 * (the rows read are kept until they are checked and written: docs/decisions.md).
 */
export const MAX_IMPORT_XLSX_CHARS = MAX_IMPORT_CHARS;
/**
 * The most its parts may unpack to: first by the sizes the zip declares (a small file that unpacks to
 * gigabytes is refused before anything is unpacked), then by a running count while inflating (a zip that
 * declares less than it holds is stopped there). The sheet is streamed, so this bounds the work, not the
 * memory: MAX_IMPORT_XLSX_CHARS does that.
 */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** True when the bytes begin as a zip (an .xlsx is one): "PK\x03\x04". */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Every sheet of the workbook is hidden, and no `sheet` was named. */
class AllSheetsHidden extends Error {
  constructor(readonly sheets: string[]) {
    super('every sheet hidden');
  }
}

/** The rows read so far hold more than MAX_IMPORT_XLSX_CHARS: the reading stops there. */
class TooMuchText extends Error {}

/** A sheet row as the CSV reader's row; its CSV line written only when asked for. */
class SheetRow implements CsvRow {
  constructor(
    readonly line: number,
    readonly cells: string[],
    readonly typed: ReadonlyArray<XlsxValue>,
  ) {}

  get raw(): string {
    return stringify([this.cells.map(guardFormula)], { quoted_match: /[\r\n]/ }).replace(/\r?\n$/, '');
  }
}

export async function readXlsx(bytes: Uint8Array, sheetName?: string): Promise<CsvRead> {
  if (bytes.length > MAX_IMPORT_XLSX_BYTES) return tooLarge(`${Math.ceil(bytes.length / 1024 / 1024)} MiB`);
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) return notXlsx(true);
  if (!looksLikeXlsx(bytes)) return notXlsx(false);
  let parts: Map<string, ZipPart>;
  try {
    parts = zipParts(bytes);
  } catch {
    return notXlsx(false);
  }
  // The sizes the zip declares, before anything is unpacked.
  const declared = [...parts.values()].reduce((sum, p) => sum + p.size, 0);
  if (declared > MAX_UNPACKED_BYTES) return unpacksTo(Math.ceil(declared / 1024 / 1024));
  const rows: CsvRow[] = [];
  let dataRows = 0;
  let chars = 0;
  let lastFitting = 0;
  let firstSheet = true;
  let readName = sheetName ?? '';
  try {
    const workbook = openWorkbook(bytes, parts, new UnpackBudget(MAX_UNPACKED_BYTES));
    const sheet = sheetName === undefined ? workbook.sheets.find((s) => !s.hidden) : workbook.sheets.find((s) => s.name === sheetName);
    if (!sheet && sheetName === undefined && workbook.sheets.length > 0) throw new AllSheetsHidden(workbook.sheets.map((s) => s.name));
    if (!sheet) throw new SheetNotFound(workbook.sheets.map((s) => s.name));
    firstSheet = sheet === workbook.sheets[0];
    readName = sheet.name;
    workbook.read(sheet, (line, values) => {
      const cells = values.map((v) => xlsxCellText(v, null));
      if (cells.every((c) => c.trim() === '')) return;
      chars += cells.reduce((sum, c) => sum + c.length, 0);
      if (chars > MAX_IMPORT_XLSX_CHARS) throw new TooMuchText();
      lastFitting = line;
      // Past the cap the rows are counted, to say how many, and not kept.
      if (rows.length > 0) dataRows += 1;
      if (dataRows <= MAX_IMPORT_XLSX_ROWS) rows.push(new SheetRow(line, cells, values));
    });
  } catch (error) {
    if (error instanceof SheetNotFound) {
      const names = error.sheets.map((n) => `"${n}"`).join(', ');
      return failed(`Tệp không có trang tính "${sheetName}". Các trang tính của tệp: ${names}.`, `The workbook has no sheet "${sheetName}". Its sheets: ${names}.`);
    }
    if (error instanceof AllSheetsHidden) {
      const names = error.sheets.map((n) => `"${n}"`).join(', ');
      return failed(
        `Mọi trang tính của tệp đều đang bị ẩn (${names}): trong Excel, hãy bỏ ẩn trang tính cần nhập (nhấp phải vào tên một trang tính, chọn Bỏ ẩn) rồi lưu lại, và nhập lại.`,
        `Every sheet of the workbook is hidden (${names}): in Excel, unhide the sheet to import (right-click a sheet's name, Unhide) and save, then import again.`,
      );
    }
    if (error instanceof UnpackedTooLarge) return unpacksTo(null);
    if (error instanceof TooMuchText) {
      const cap = `${MAX_IMPORT_XLSX_CHARS / 1_000_000}`;
      return failed(
        `Chưa nhập gì: trang tính chứa hơn ${cap} triệu ký tự, nhiều hơn một lần nhập nhận (như với tệp CSV). Hãy chia thành nhiều tệp: các dòng đến dòng ${lastFitting} của trang tính vừa một tệp.`,
        `Nothing was imported: the sheet holds more than ${cap} million characters, more than one import takes (as for a CSV). Split it into several files: the rows up to row ${lastFitting} of the sheet fit in one.`,
      );
    }
    if (error instanceof NotAZip) return notXlsx(false);
    throw error;
  }
  const [header, ...data] = rows;
  if (!header) {
    const which =
      sheetName === undefined && firstSheet ? { vi: 'Trang tính đầu tiên của tệp', en: "The workbook's first sheet" } : { vi: `Trang tính "${readName}"`, en: `The sheet "${readName}"` };
    return failed(
      `${which.vi} trống: cần một dòng tiêu đề ghi tên các cột, rồi mỗi dòng một bản ghi.`,
      `${which.en} is empty: it needs a header row naming the columns, then one row per record.`,
    );
  }
  if (dataRows > MAX_IMPORT_XLSX_ROWS) {
    return failed(
      `Chưa nhập gì: tệp có ${dataRows} dòng dữ liệu, nhiều hơn ${MAX_IMPORT_XLSX_ROWS} dòng một lần nhập nhận. Hãy chia thành nhiều tệp.`,
      `Nothing was imported: the file has ${dataRows} data rows, more than the ${MAX_IMPORT_XLSX_ROWS} one import takes. Split it into several files.`,
    );
  }
  return { ok: true, table: { delimiter: ',', header, rows: data } };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A cell as the text the cell reading takes (cell-values.ts): a date cell as
 * dd/mm/yyyy, with hh:mm for a date-and-time field or when it has a time (to
 * the nearest minute; Excel keeps a time as a fraction of a day), its clock
 * this computer's as the CSV's is; a number plain; TRUE/FALSE as Excel shows
 * them; a formula's error as Excel shows it ("#N/A"), which the import
 * refuses (record-import.ts). `field` null: the cell's kind alone decides.
 */
export function xlsxCellText(value: XlsxValue | undefined, field: CellField | null): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof CellError) return value.code;
  // A date cell holds the sheet's date and clock as that instant in UTC (xlsx-workbook.ts).
  const d = new Date(Math.round(value.getTime() / 60_000) * 60_000);
  if (Number.isNaN(d.getTime())) return '';
  const date = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${String(d.getUTCFullYear()).padStart(4, '0')}`;
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0;
  if (field?.kind === 'date' || (midnight && field?.kind !== 'dateTime')) return date;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function notXlsx(oldExcel: boolean): CsvRead {
  return oldExcel
    ? failed(
        'Tệp là bảng tính Excel 97–2003 (.xls), tác tử không đọc được: trong Excel, hãy chọn Lưu thành (Save As) kiểu "Sổ làm việc Excel (.xlsx)" hoặc "CSV UTF-8" rồi nhập lại.',
        'The file is an Excel 97–2003 workbook (.xls), which the agent cannot read: in Excel, use Save As with the type "Excel Workbook (.xlsx)" or "CSV UTF-8", then import again.',
      )
    : failed(
        'Tệp không phải sổ làm việc Excel (.xlsx) hợp lệ. Hãy mở tệp trong Excel, chọn Lưu thành (Save As) kiểu "Sổ làm việc Excel (.xlsx)" hoặc "CSV UTF-8" rồi nhập lại.',
        'The file is not a valid Excel workbook (.xlsx). Open it in Excel, use Save As with the type "Excel Workbook (.xlsx)" or "CSV UTF-8", then import again.',
      );
}

/** Unpacks to `mib` by the zip's declared sizes, or (null) to more than the cap, counted while inflating. */
function unpacksTo(mib: number | null): CsvRead {
  const cap = `${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`;
  return mib === null
    ? failed(`Chưa nhập gì: tệp Excel giải nén ra hơn ${cap}. Hãy chia thành nhiều tệp.`, `Nothing was imported: the Excel file unpacks to more than ${cap}. Split it into several files.`)
    : failed(`Chưa nhập gì: tệp Excel giải nén ra ${mib} MiB, quá ${cap}. Hãy chia thành nhiều tệp.`, `Nothing was imported: the Excel file unpacks to ${mib} MiB, more than ${cap}. Split it into several files.`);
}

function tooLarge(size: string): CsvRead {
  const cap = `${MAX_IMPORT_XLSX_BYTES / 1024 / 1024} MiB`;
  return failed(
    `Chưa nhập gì: tệp Excel quá lớn (${size}; tối đa ${cap}, và ${MAX_IMPORT_XLSX_ROWS} dòng). Hãy chia thành nhiều tệp.`,
    `Nothing was imported: the Excel file is too large (${size}; at most ${cap}, and ${MAX_IMPORT_XLSX_ROWS} rows). Split it into several files.`,
  );
}

function failed(vi: string, en: string): CsvRead {
  const messages: LocalizedText = { vi, en };
  return { ok: false, messages };
}
