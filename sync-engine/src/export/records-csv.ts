import { stringify } from 'csv-stringify/sync';
import { cellFieldsOf, guardFormula, SYNC_STATE_COLUMN, type CellField } from '../import/index.js';
import type { DatasetDescriptor, LocalizedText } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import type { RecordState } from '../records/record-row.js';
import type { Sql } from '../store/sql.js';
import { fromJson } from '../store/sql.js';
import { recordPages, type ExportFilter } from './record-pages.js';
import { exportColumns, readUnitNames } from './unit-names.js';

/**
 * A dataset's records as CSV for people and for other systems (docs/cli.md,
 * `records export`; docs/decisions.md). The file is one `records import`
 * takes back (it leaves the sync state column out): a header row of the fields' titles in the chosen language (the
 * import maps a column by a field's name or its Vietnamese or English title),
 * dates day/month/year and dates with a time dd/mm/yyyy HH:mm in this
 * computer's time zone (as the record form shows and takes them; seconds
 * are not shown there either), a choice by its label in the chosen language
 * (the import takes a label in either language or the value), whole numbers
 * plain, a list one item per line. UTF-8 with a byte order mark and commas
 * (RFC 4180, CRLF lines): Excel opens a CSV without a BOM in the computer's
 * ANSI code page, which mangles Vietnamese letters. Right after each code of
 * a commune or province (`x-lookup`) comes the unit's name from the cached
 * units ("Nơi sinh (mã xã) — tên xã": unit-names.ts), empty for a code that
 * names none; the import leaves that column out. A last column says each
 * record's sync state in the window's badge words ("Trạng thái đồng bộ" /
 * "Sync state"; not "Trạng thái", the title of a dossier's own status),
 * unless `stateColumn` is false. A cell a spreadsheet would run as a formula
 * gets a leading apostrophe (import/formula-cells.ts; the import takes it off).
 *
 * The records are the ones the Records list shows for the same filter
 * (record-pages.ts), each page written before the next is read.
 */
export type ExportLang = 'vi' | 'en';

export interface CsvExportOptions extends ExportFilter {
  lang: ExportLang;
  /** The sync state column (default true). */
  stateColumn?: boolean;
}

/** The badges' words for a record's state (renderer/src/i18n: state.*). */
export const STATE_LABELS: Record<RecordState, LocalizedText> = {
  synced: { vi: 'Đã đồng bộ', en: 'Synced' },
  waiting: { vi: 'Chờ gửi', en: 'Waiting' },
  conflict: { vi: 'Xung đột', en: 'Conflict' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected' },
};

export const STATE_COLUMN: LocalizedText = SYNC_STATE_COLUMN;

const BOM = '\uFEFF';
/** Quoted as RFC 4180 asks (a comma, a quote) and also for a lone line break, which csv-stringify quotes only as its record delimiter (CRLF). */
const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/**
 * Writes the CSV to `write`, one call per page (the first holds the BOM and
 * the header), awaiting each; returns the number of records written.
 */
export async function writeRecordsCsv(
  db: Sql,
  descriptor: DatasetDescriptor,
  options: CsvExportOptions,
  write: (chunk: string) => Promise<void> | void,
): Promise<number> {
  const fields = cellFieldsOf(descriptor);
  const columns = exportColumns(descriptor.name, fields, options.lang);
  const names = await readUnitNames(db, columns);
  const withState = options.stateColumn !== false;
  const header = [...columns.map((c) => c.title), ...(withState ? [STATE_COLUMN[options.lang]] : [])];
  await write(BOM + stringify([header], CSV_OPTIONS));
  let count = 0;
  for await (const page of recordPages(db, descriptor, options)) {
    const rows = page.map((row) => {
      const data = fromJson<RecordData>(row.data) ?? {};
      const cells = columns.map(({ field, unitName }) => guardFormula(unitName ? names.nameOf(field, data[field.name]) : cellText(field, data[field.name], options.lang)));
      return withState ? [...cells, STATE_LABELS[row.state][options.lang]] : cells;
    });
    await write(stringify(rows, CSV_OPTIONS));
    count += page.length;
  }
  return count;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A stored value as the cell the record form would show, in the import's terms (import/cell-values.ts reads it back). */
export function cellText(field: CellField, value: unknown, lang: ExportLang): string {
  if (value === undefined || value === null) return '';
  switch (field.kind) {
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      return m ? `${m[3]}/${m[2]}/${m[1]}` : text(value);
    }
    case 'dateTime': {
      // dd/mm/yyyy HH:mm in this computer's time zone, as the CLI and the window show an instant (cli/output.ts dateTime).
      const d = typeof value === 'string' ? new Date(value) : null;
      if (!d || Number.isNaN(d.getTime())) return text(value);
      return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${String(d.getFullYear()).padStart(4, '0')} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }
    case 'enum':
      return field.options.find((o) => o.value === String(value))?.title[lang] ?? text(value);
    case 'list':
      return Array.isArray(value) ? value.map(text).join('\n') : text(value);
    default:
      return text(value);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
