/** Bulk import of a spreadsheet (CSV or an Excel workbook) into a read-write dataset. */
export { BATCH_ROWS, importRecords } from './record-import.js';
export type { ImportOutcome, ImportRequest, ImportResult, RowProblem } from './record-import.js';
export { cellFieldsOf, cellValue } from './cell-values.js';
export type { CellField, CellKind } from './cell-values.js';
export { guardFormula, unguardFormula } from './formula-cells.js';
export { SYNC_STATE_COLUMN, unitNameTitle } from './import-columns.js';
export { looksLikeXlsx, MAX_IMPORT_XLSX_ROWS } from './xlsx-table.js';
