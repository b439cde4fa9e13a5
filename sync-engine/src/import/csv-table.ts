import { CsvError, parse } from 'csv-parse/sync';
import type { LocalizedText } from '../protocol/catalog.js';
import type { XlsxValue } from './xlsx-table.js';

/**
 * A spreadsheet saved as CSV (UTF-8), read into its header and rows with the
 * line each row starts on. The separator is the header line's: a semicolon
 * when it has more semicolons than commas (Excel in a Vietnamese locale writes
 * semicolons), else a comma. A byte order mark (Excel's "CSV UTF-8") is
 * dropped. Rows whose cells are all empty (Excel keeps ";;;" lines where a
 * formatted row was) are left out; so are columns with no header and no
 * value in any row. Parsing is csv-parse's (docs/decisions.md): quotes,
 * doubled quotes and line breaks inside quoted cells as RFC 4180 has them.
 */
export interface CsvRow {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  cells: string[];
  /** The row as written in the file, without its line break (a workbook's row: as one CSV line, xlsx-table.ts). */
  raw: string;
  /** A workbook's row: each cell's value as the sheet holds it (a number, a date), which `cells` gives as text. */
  typed?: ReadonlyArray<XlsxValue>;
}

export interface CsvTable {
  delimiter: ',' | ';';
  header: CsvRow;
  rows: CsvRow[];
}

export type CsvRead = { ok: true; table: CsvTable } | { ok: false; messages: LocalizedText };

const BOM = '\uFEFF';

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

export function readCsv(text: string): CsvRead {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const delimiter = delimiterOf(body);
  let parsed: ParsedRecord[];
  try {
    // With `raw` and `info`, each record comes as { record, raw, info } (csv-parse's types say string[][]).
    parsed = parse(body, { delimiter, raw: true, info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as ParsedRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const where = typeof line === 'number' ? { vi: ` (dòng ${line})`, en: ` (line ${line})` } : { vi: '', en: '' };
    return failed(
      `Tệp không phải CSV hợp lệ${where.vi}: ${quoteProblem(error.code).vi}. Hãy lưu lại bảng tính dưới dạng "CSV UTF-8".`,
      `The file is not valid CSV${where.en}: ${quoteProblem(error.code).en}. Save the spreadsheet again as "CSV UTF-8".`,
    );
  }
  const rows = parsed.map(({ record, raw, info }) => {
    const text = raw.replace(/\r?\n$|\r$/, '');
    return { line: info.lines - (text.match(/\r\n|\r|\n/g)?.length ?? 0), cells: record, raw: text };
  });
  const [header, ...data] = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!header) return failed('Tệp trống: cần một dòng tiêu đề ghi tên các cột, rồi mỗi dòng một bản ghi.', 'The file is empty: it needs a header row naming the columns, then one row per record.');
  return { ok: true, table: { delimiter, header, rows: data } };
}

/** The header line's more frequent separator outside quotes; a comma when neither appears. */
function delimiterOf(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas += 1;
    else if (!quoted && ch === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

function quoteProblem(code: string): LocalizedText {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return { vi: 'một dấu ngoặc kép mở mà không đóng', en: 'a quote is opened and never closed' };
  if (code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'INVALID_OPENING_QUOTE') return { vi: 'dấu ngoặc kép đặt sai chỗ trong một ô', en: 'a quote is misplaced in a cell' };
  return { vi: `lỗi ${code}`, en: `error ${code}` };
}

function failed(vi: string, en: string): CsvRead {
  return { ok: false, messages: { vi, en } };
}
