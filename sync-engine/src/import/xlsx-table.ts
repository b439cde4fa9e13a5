import { stringify } from 'csv-stringify/sync';
import { unzipSync } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import { MAX_IMPORT_XLSX_BYTES } from '../api/record-import.js';
import type { LocalizedText } from '../protocol/catalog.js';
import type { CellField } from './cell-values.js';
import type { CsvRead, CsvRow } from './csv-table.js';
import { guardFormula } from './formula-cells.js';

/**
 * An Excel workbook (.xlsx) read into the same header and rows as a CSV
 * (csv-table.ts): its first sheet, or the one named `sheet`, the first
 * non-blank row the header, each
 * row numbered as the sheet numbers it. Reading is read-excel-file's
 * (docs/decisions.md). A cell keeps its kind: text as typed (spaces too; the
 * cell reading trims as it does a CSV's), a number, a date (a cell Excel
 * formats as a date), TRUE/FALSE. `cells` hold each as the text a CSV would
 * (a number plain, a date dd/mm/yyyy, with hh:mm when it has a time), for the
 * header, blank rows and the refused rows' file; `typed` keeps the values for
 * the cell reading (xlsxCellText), so a date cell fills a date-and-time field
 * and a number cell in a code column is seen as the number Excel kept (its
 * leading zeros gone). A row's `raw` is the row as one CSV line (a formula-like
 * text with the export's apostrophe), so the refused rows of a workbook are
 * a CSV file to fix and import again.
 */
export type XlsxValue = string | number | boolean | Date | null;

/** The most data rows a workbook may hold: about what MAX_IMPORT_CHARS of CSV holds. */
export const MAX_IMPORT_XLSX_ROWS = 100_000;
/**
 * The most its parts may unpack to, by the sizes the zip declares: a small file that unpacks to gigabytes is
 * refused before it is unpacked. read-excel-file holds the sheet's XML and its rows whole: 50 MB of XML
 * (33,000 rows of 16 cells) was read in 5.6 s with a peak RSS of 476 MB, so 64 MiB is some 40,000 such
 * rows, a few times what MAX_IMPORT_CHARS of CSV holds (docs/cli.md).
 */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** True when the bytes begin as a zip (an .xlsx is one): "PK\x03\x04". */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

export async function readXlsx(bytes: Uint8Array, sheetName?: string): Promise<CsvRead> {
  if (bytes.length > MAX_IMPORT_XLSX_BYTES) return tooLarge(`${Math.ceil(bytes.length / 1024 / 1024)} MiB`);
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) return notXlsx(true);
  if (!looksLikeXlsx(bytes)) return notXlsx(false);
  let unpacked = 0;
  try {
    // The filter sees each part's declared size and unpacks none.
    unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        return false;
      },
    });
  } catch {
    return notXlsx(false);
  }
  if (unpacked > MAX_UNPACKED_BYTES) {
    return failed(
      `Chưa nhập gì: tệp Excel giải nén ra ${Math.ceil(unpacked / 1024 / 1024)} MiB, quá ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB. Hãy chia thành nhiều tệp.`,
      `Nothing was imported: the Excel file unpacks to ${Math.ceil(unpacked / 1024 / 1024)} MiB, more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB. Split it into several files.`,
    );
  }
  let sheet: XlsxValue[][];
  try {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    sheet = (sheetName === undefined ? await readSheet(input, { trim: false }) : await readSheet(input, sheetName, { trim: false })) as XlsxValue[][];
  } catch (error) {
    if ((error as Error).name === 'SheetNotFoundError') {
      const names = ((error as { sheets?: string[] }).sheets ?? []).map((n) => `"${n}"`).join(', ');
      return failed(`Tệp không có trang tính "${sheetName}". Các trang tính của tệp: ${names}.`, `The workbook has no sheet "${sheetName}". Its sheets: ${names}.`);
    }
    if ((error as Error).name === 'InvalidInputError' || (error as Error).name === 'InvalidSpreadsheetError') return notXlsx((error as { code?: string }).code === 'XLS_FILE_NOT_SUPPORTED');
    throw error;
  }
  const rows: CsvRow[] = [];
  sheet.forEach((values, index) => {
    const cells = values.map((v) => xlsxCellText(v, null));
    if (cells.every((c) => c.trim() === '')) return;
    const raw = stringify([cells.map(guardFormula)], { quoted_match: /[\r\n]/ }).replace(/\r?\n$/, '');
    rows.push({ line: index + 1, cells, raw, typed: values });
  });
  const [header, ...data] = rows;
  if (!header) {
    const which = sheetName === undefined ? { vi: 'Trang tính đầu tiên của tệp', en: "The workbook's first sheet" } : { vi: `Trang tính "${sheetName}"`, en: `The sheet "${sheetName}"` };
    return failed(
      `${which.vi} trống: cần một dòng tiêu đề ghi tên các cột, rồi mỗi dòng một bản ghi.`,
      `${which.en} is empty: it needs a header row naming the columns, then one row per record.`,
    );
  }
  if (data.length > MAX_IMPORT_XLSX_ROWS) {
    return failed(
      `Chưa nhập gì: tệp có ${data.length} dòng dữ liệu, nhiều hơn ${MAX_IMPORT_XLSX_ROWS} dòng một lần nhập nhận. Hãy chia thành nhiều tệp.`,
      `Nothing was imported: the file has ${data.length} data rows, more than the ${MAX_IMPORT_XLSX_ROWS} one import takes. Split it into several files.`,
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
 * them. `field` null: the cell's kind alone decides.
 */
export function xlsxCellText(value: XlsxValue | undefined, field: CellField | null): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // read-excel-file gives the sheet's date and clock as that instant in UTC.
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
