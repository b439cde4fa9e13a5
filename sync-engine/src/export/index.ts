/** A dataset's records out of the agent as CSV or an Excel workbook (the reverse of import/). */
export { cellText, STATE_COLUMN, STATE_LABELS, writeRecordsCsv } from './records-csv.js';
export type { CsvExportOptions, ExportLang } from './records-csv.js';
export { PAGE_ROWS } from './record-pages.js';
export type { ExportFilter } from './record-pages.js';
export { writeRecordsXlsx } from './records-xlsx.js';
export { EXPORTS_FOLDER, EXPORTS_KEPT, ExportFileExists, exportRecordsToFile, exportRecordsToFolder, exportRecordsToStream, isExportName, recordsExportedEvent } from './export-file.js';
export { ExportNotReadable, readExportBytes } from './export-read.js';
export type { ExportBytes } from './export-read.js';
export type { ExportAudit, ExportFormat, ExportOptions, ExportOrigin, ExportWritten } from './export-file.js';
