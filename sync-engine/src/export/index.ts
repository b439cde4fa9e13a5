/** A dataset's records out of the agent as CSV (the reverse of import/). */
export { cellText, PAGE_ROWS, STATE_COLUMN, STATE_LABELS, writeRecordsCsv } from './records-csv.js';
export type { CsvExportOptions, ExportFilter, ExportLang } from './records-csv.js';
export { EXPORTS_FOLDER, EXPORTS_KEPT, ExportFileExists, exportRecordsToFile, exportRecordsToFolder, exportRecordsToStream, recordsExportedEvent } from './export-file.js';
export type { ExportAudit, ExportOrigin, ExportWritten } from './export-file.js';
