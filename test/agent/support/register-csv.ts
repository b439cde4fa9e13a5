import { datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import { fieldTitles } from '../../../sync-engine/src/protocol/validation/index.js';

/**
 * An office's register as a spreadsheet saves it: a header row of the fields'
 * Vietnamese titles (or English ones, or the field names), one row per record,
 * dates day/month/year, Excel's "CSV UTF-8" with a byte order mark and
 * semicolons unless told otherwise.
 */
export interface RegisterCsvOptions {
  headers?: 'vi' | 'en' | 'names';
  delimiter?: ',' | ';';
  bom?: boolean;
  /** Extra columns appended to the header (and an empty cell in each row). */
  extraColumns?: string[];
  /** A first column with this title numbering the rows 1, 2, 3… (a register's "STT"). */
  rowNumberColumn?: string;
}

export function registerCsv(dataset: string, records: ReadonlyArray<Record<string, unknown>>, options: RegisterCsvOptions = {}): string {
  const descriptor = datasetByName(dataset);
  if (!descriptor) throw new Error(`no dataset ${dataset}`);
  const fields = Object.keys(descriptor.schema['properties'] as Record<string, unknown>);
  const delimiter = options.delimiter ?? ';';
  const header = fields.map((f) => (options.headers === 'names' ? f : fieldTitles(descriptor, f)[options.headers ?? 'vi']));
  const quote = (cell: string) => (/["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const numbered = options.rowNumberColumn;
  const lines = [
    [...(numbered ? [numbered] : []), ...header, ...(options.extraColumns ?? [])].map(quote).join(delimiter),
    ...records.map((r, i) =>
      [...(numbered ? [String(i + 1)] : []), ...fields.map((f) => quote(cellOf(r[f]))), ...(options.extraColumns ?? []).map(() => '')].join(delimiter),
    ),
  ];
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

/** A value as a clerk types it in a spreadsheet: dates day/month/year, lists one item per line. */
function cellOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.split('-').reverse().join('/');
  return String(value);
}
