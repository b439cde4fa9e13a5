/** A dataset's records out of the agent as CSV (the reverse of import/). */
export { cellText, PAGE_ROWS, STATE_COLUMN, STATE_LABELS, writeRecordsCsv } from './records-csv.js';
export type { CsvExportOptions, ExportFilter, ExportLang } from './records-csv.js';
export { EXPORTS_FOLDER, EXPORTS_KEPT, ExportFileExists, exportRecordsToFile, exportRecordsToFolder, exportRecordsToStream, isExportName, recordsExportedEvent } from './export-file.js';
export { ExportNotReadable, readExportBytes } from './export-read.js';
export type { ExportBytes } from './export-read.js';
export type { ExportAudit, ExportOrigin, ExportWritten } from './export-file.js';
