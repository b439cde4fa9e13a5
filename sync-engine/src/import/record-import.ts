import type { DatasetDescriptor, LocalizedText } from '../protocol/catalog.js';
import type { RecordError } from '../protocol/push.js';
import { bundledAdminUnits, type AdminUnitsIndex } from '../protocol/reference-data/index.js';
import { fieldOfPointer } from '../protocol/validation/field-titles.js';
import type { LocalCreates, NewRecord } from '../records/local-creates.js';
import { cellFieldsOf, cellValue, type CellField } from './cell-values.js';
import { readCsv, type CsvRow } from './csv-table.js';
import { unguardFormula } from './formula-cells.js';
import { headerFurtherDown, mapColumns } from './import-columns.js';
import { UnitCells, type UnitProblem } from './unit-cells.js';
import { readXlsx, xlsxCellText } from './xlsx-table.js';
import { CellError } from './xlsx-workbook.js';

/**
 * A spreadsheet (CSV text, or an Excel workbook's bytes: xlsx-table.ts)
 * imported into a read-write dataset as new records (docs/cli.md, `records
 * import`). The file is refused whole, nothing read further, when it is no
 * CSV or workbook, or its header does not match the dataset
 * (import-columns.ts). Otherwise every row is converted as the record form
 * converts what staff type (cell-values.ts), a commune's or province's name
 * in a code column read as its code (unit-cells.ts), and checked as every
 * local write is (records/local-creates.ts); rows are written in batches of BATCH_ROWS,
 * one transaction each. A refused row is not written, the valid ones are:
 * the result names each refused row by its line in the file (a workbook's:
 * the sheet's row number), with the field and the message in both languages,
 * and holds the refused rows as CSV (the header and those rows as written; a
 * workbook's as CSV lines) to be fixed and imported again. A row
 * whose unique value (a personal ID number for births) a cached record holds
 * is "already present" and skipped, so importing a file twice adds nothing; a
 * row repeating an earlier row's unique value is refused, naming that line.
 * A workbook's row with a formula's error (#N/A) in a dataset column is
 * refused, naming the error, rather than that field read as left empty.
 */
export const BATCH_ROWS = 500;

export interface ImportRequest {
  dataset: string;
  /** The file: CSV text, or an .xlsx workbook's bytes. */
  csv?: string;
  xlsx?: Uint8Array;
  /** The workbook's sheet to read; the first when left out. */
  sheet?: string;
  /** The file's name, for the audit log ("imported from ..."). */
  source: string | null;
  dryRun: boolean;
  user?: string;
  /** The units in force a name in a commune or province column is read against: those the row's check validates codes by (EngineContext.adminUnits); the bundled table when left out. */
  adminUnits?: AdminUnitsIndex;
}

export interface RowProblem {
  /** The dataset field; null: the row as a whole. */
  field: string | null;
  /** The column's header as written in the file; null when the problem is not one column's. */
  column: string | null;
  code: string;
  messages: LocalizedText;
}

export interface ImportResult {
  dryRun: boolean;
  /** Data rows read (blank rows aside). */
  rows: number;
  imported: number;
  alreadyPresent: number;
  refused: number;
  refusals: Array<{ line: number; problems: RowProblem[] }>;
  present: Array<{ line: number; id: string; field: string }>;
  /** The header and the refused rows as the file wrote them (its separator, CRLF lines); null when none was refused. */
  refusedCsv: string | null;
}

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; messages: LocalizedText };

interface PreparedRow {
  row: CsvRow;
  data: NewRecord['data'];
  /** The commune or province cells whose name names no single unit, kept as written: what to say when the check refuses them. */
  named: ReadonlyMap<string, UnitProblem>;
}

export async function importRecords(
  descriptor: DatasetDescriptor,
  creates: LocalCreates,
  request: ImportRequest,
  onWritten: (ids: string[]) => void = () => undefined,
): Promise<ImportOutcome> {
  const format = request.xlsx ? 'xlsx' : 'csv';
  const read = request.xlsx ? await readXlsx(request.xlsx, request.sheet) : readCsv(request.csv ?? '');
  if (!read.ok) return read;
  const { header, rows } = read.table;
  const fields = cellFieldsOf(descriptor);
  const mapped = mapColumns(header.cells, fields, (index) => rows.every((r) => (r.cells[index] ?? '').trim() === ''));
  if (!mapped.ok) {
    const below = headerFurtherDown(header, rows, fields);
    return below ? { ok: false, messages: below } : mapped;
  }
  const columns = mapped.columns.fields;
  const columnOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  columns.forEach((field, index) => {
    if (!field) return;
    columnOf.set(field.name, header.cells[index]!.trim());
    indexOf.set(field.name, index);
  });
  const units = new UnitCells(request.adminUnits ?? bundledAdminUnits());
  const problemIn = (row: CsvRow, error: RecordError, named: ReadonlyMap<string, UnitProblem>): RowProblem => {
    const problem = problemOf(error, columnOf);
    const field = fields.find((f) => f.name === problem.field);
    const index = problem.field === null ? undefined : indexOf.get(problem.field);
    const cell = index === undefined ? '' : (row.cells[index] ?? '');
    const unit = field ? (named.get(field.name) ?? (error.code === 'unknown_province' ? units.formerCode(field, cell) : null)) : null;
    if (unit) return { ...problem, code: unit.code, messages: unit.messages };
    const unreadable = field ? unreadableDate(field, error.code, cell) : null;
    if (unreadable) return { ...problem, messages: unreadable };
    return field && lostLeadingZeros(field, cell) ? { ...problem, messages: withZerosHint(problem.messages, format) } : problem;
  };

  const refusals = new Map<number, { row: CsvRow; problems: RowProblem[] }>();
  const refuse = (row: CsvRow, problems: RowProblem[]) => refusals.set(row.line, { row, problems });
  const firstLine = new Map<string, number>();
  const prepared: PreparedRow[] = [];
  for (const row of rows) {
    if (row.cells.slice(columns.length).some((c) => c.trim() !== '')) {
      refuse(row, [extraCells(row.cells.length, columns.length)]);
      continue;
    }
    const errors = formulaErrors(columns, row, columnOf);
    if (errors.length > 0) {
      refuse(row, errors);
      continue;
    }
    const data = rowData(columns, row);
    const named = units.read(columns, data);
    const repeated = repeatedUnique(descriptor, data, row.line, firstLine);
    if (repeated) {
      const column = columnOf.get(repeated.field) ?? null;
      const title = fields.find((f) => f.name === repeated.field)?.title ?? { vi: repeated.field, en: repeated.field };
      refuse(row, [
        {
          field: repeated.field,
          column,
          code: 'duplicate_in_file',
          messages: {
            vi: `${title.vi} trùng với dòng ${repeated.line} của tệp; dòng này không được nhập.`,
            en: `${title.en} repeats line ${repeated.line} of the file; this row was not imported.`,
          },
        },
      ]);
      continue;
    }
    prepared.push({ row, data, named });
  }

  let imported = 0;
  const present: ImportResult['present'] = [];
  for (let i = 0; i < prepared.length; i += BATCH_ROWS) {
    const batch = prepared.slice(i, i + BATCH_ROWS);
    const outcomes = await creates.createMany(
      request.dataset,
      batch.map(({ row, data }) => ({ data, audit: { import: { file: request.source, line: row.line } } })),
      { dryRun: request.dryRun, ...(request.user ? { user: request.user } : {}) },
    );
    const ids: string[] = [];
    outcomes.forEach((outcome, j) => {
      const { row, named } = batch[j]!;
      if (outcome.kind === 'created') {
        imported += 1;
        ids.push(outcome.id);
      } else if (outcome.kind === 'present') {
        present.push({ line: row.line, id: outcome.id, field: outcome.field });
      } else {
        refuse(row, distinct(outcome.errors.map((e) => problemIn(row, e, named))));
      }
    });
    if (!request.dryRun && ids.length > 0) onWritten(ids);
  }

  const refused = [...refusals.values()].sort((a, b) => a.row.line - b.row.line);
  return {
    ok: true,
    result: {
      dryRun: request.dryRun,
      rows: rows.length,
      imported,
      alreadyPresent: present.length,
      refused: refused.length,
      refusals: refused.map(({ row, problems }) => ({ line: row.line, problems })),
      present,
      refusedCsv: refused.length === 0 ? null : [header, ...refused.map((r) => r.row)].map((r) => `${r.raw}\r\n`).join(''),
    },
  };
}

/** A workbook's cells are read from their values (a date cell by the field's kind) and never carry the CSV's apostrophe: no .xlsx cell is a formula unless written as one. */
function rowData(columns: ReadonlyArray<CellField | null>, row: CsvRow): NewRecord['data'] {
  const data: NewRecord['data'] = {};
  columns.forEach((field, index) => {
    if (!field) return;
    const text = row.typed ? xlsxCellText(row.typed[index], field) : unguardFormula(row.cells[index] ?? '');
    const value = cellValue(field, text);
    if (value !== undefined) data[field.name] = value;
  });
  return data;
}

/** The first unique field whose value an earlier row of the file already had, and that row's line; the row's values claim their lines otherwise. */
function repeatedUnique(descriptor: DatasetDescriptor, data: NewRecord['data'], line: number, firstLine: Map<string, number>): { field: string; line: number } | null {
  const keys = descriptor.uniqueFields.flatMap((field) => {
    const value = data[field];
    return typeof value === 'string' || typeof value === 'number' ? [{ field, key: `${field}\u0000${String(value)}` }] : [];
  });
  for (const { field, key } of keys) {
    const first = firstLine.get(key);
    if (first !== undefined) return { field, line: first };
  }
  for (const { key } of keys) firstLine.set(key, line);
  return null;
}

/** The problems without repeats: a name kept as written fails both the code's pattern and the office's scope, and is told once. */
function distinct(problems: RowProblem[]): RowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field ?? ''}\u0000${p.code}\u0000${p.messages.vi}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function problemOf(error: RecordError, columnOf: ReadonlyMap<string, string>): RowProblem {
  const field = fieldOfPointer(error.path) ?? null;
  return { field, column: field === null ? null : (columnOf.get(field) ?? null), code: error.code, messages: error.messages ?? { vi: error.message, en: error.message } };
}

/**
 * A date cell that reads as no real date is refused by the schema's format check, whose words ask for
 * YYYY-MM-DD, the stored form: the spreadsheet is better told the forms it may use, as the window's form does.
 */
function unreadableDate(field: CellField, code: string, text: string): LocalizedText | null {
  const typed = text.trim();
  if (field.kind === 'date' && code === 'date_format') {
    return {
      vi: `${field.title.vi} “${typed}” không phải một ngày có thật: hãy viết ngày/tháng/năm (ví dụ 24/03/2012) hoặc năm-tháng-ngày (2012-03-24).`,
      en: `${field.title.en} “${typed}” is not a real date: write day/month/year (e.g. 24/03/2012) or year-month-day (2012-03-24).`,
    };
  }
  if (field.kind === 'dateTime' && code === 'date_time_format') {
    return {
      vi: `${field.title.vi} “${typed}” không phải một thời điểm có thật: hãy viết ngày/tháng/năm giờ:phút theo giờ của máy này (ví dụ 24/03/2025 14:30).`,
      en: `${field.title.en} “${typed}” is not a real date and time: write day/month/year hours:minutes in this computer's time (e.g. 24/03/2025 14:30).`,
    };
  }
  return null;
}

/**
 * A code or personal ID number that a spreadsheet kept as a number: Excel drops its leading zeros
 * ("01" → 1, "001325000123" → 1325000123) or writes it in scientific notation (1.325E+11). Guessing
 * the digits back could make a typo someone else's number, so the row is refused as it is, with how
 * to keep such a column as text.
 */
function lostLeadingZeros(field: CellField, text: string): boolean {
  if (field.digits === undefined) return false;
  const typed = text.trim();
  return (/^\d+$/.test(typed) && typed.length < field.digits) || /^\d+([.,]\d+)?E\+?\d+$/i.test(typed);
}

function withZerosHint(messages: LocalizedText, format: 'csv' | 'xlsx'): LocalizedText {
  const save = format === 'csv' ? { vi: 'tệp CSV', en: 'the CSV' } : { vi: 'tệp Excel', en: 'the workbook' };
  return {
    vi: `${messages.vi} Bảng tính có thể đã lưu ô này dưới dạng số nên bỏ mất các số 0 ở đầu: trong Excel, hãy định dạng cột là Văn bản (Text), nhập lại các mã rồi lưu lại ${save.vi}.`,
    en: `${messages.en} The spreadsheet may have kept this cell as a number and dropped its leading zeros: in Excel, format the column as Text, type the codes again and save ${save.en} again.`,
  };
}

/** A workbook row's cells in dataset columns that show a formula's error (xlsx-workbook.ts), each a problem of its column. */
function formulaErrors(columns: ReadonlyArray<CellField | null>, row: CsvRow, columnOf: ReadonlyMap<string, string>): RowProblem[] {
  if (!row.typed) return [];
  return columns.flatMap((field, index) => {
    const value = row.typed![index];
    if (!field || !(value instanceof CellError)) return [];
    return [
      {
        field: field.name,
        column: columnOf.get(field.name) ?? null,
        code: 'formula_error',
        messages: {
          vi: `Ô này hiện lỗi công thức ${value.code} của Excel; hãy sửa công thức hoặc nhập giá trị, rồi nhập lại.`,
          en: `This cell shows Excel's formula error ${value.code}; fix the formula or type the value, then import again.`,
        },
      },
    ];
  });
}

function extraCells(cells: number, columns: number): RowProblem {
  return {
    field: null,
    column: null,
    code: 'extra_cells',
    messages: {
      vi: `Dòng có ${cells} ô nhưng dòng tiêu đề chỉ có ${columns} cột: có thể một ô chứa dấu phân cách mà không được đặt trong ngoặc kép.`,
      en: `The row has ${cells} cells but the header row only ${columns} columns: a cell may hold the separator without quotes.`,
    },
  };
}
