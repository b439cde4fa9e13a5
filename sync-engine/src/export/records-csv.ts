import { stringify } from 'csv-stringify/sync';
import { cellFieldsOf, guardFormula, SYNC_STATE_COLUMN, type CellField } from '../import/index.js';
import type { DatasetDescriptor, LocalizedText } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import { PENDING } from '../records/record-reads.js';
import type { RecordState } from '../records/record-row.js';
import { ftsMatchExpression } from '../search/fts-query.js';
import type { Sql } from '../store/sql.js';
import { fromJson } from '../store/sql.js';

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
 * ANSI code page, which mangles Vietnamese letters. A last column says each
 * record's sync state in the window's badge words ("Trạng thái đồng bộ" /
 * "Sync state"; not "Trạng thái", the title of a dossier's own status),
 * unless `stateColumn` is false. A cell a spreadsheet would run as a formula
 * gets a leading apostrophe (import/formula-cells.ts; the import takes it off).
 *
 * The records are the ones the Records list shows for the same filter (search
 * text, state): deleted ones never; a record in conflict as this office's
 * current version. They are read in pages of PAGE_ROWS by a keyset on the
 * row id (oldest record first), each page written before the next is read,
 * so memory stays flat at any size; a record written during the export is
 * exported at most once.
 */
export const PAGE_ROWS = 1000;

export type ExportLang = 'vi' | 'en';

export interface ExportFilter {
  /** The Records list's search text (accent-insensitive); blank: all records. */
  search?: string | undefined;
  state?: RecordState | undefined;
}

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

interface ExportRow {
  rid: number;
  data: string | null;
  state: RecordState;
}

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
  const withState = options.stateColumn !== false;
  const header = [...fields.map((f) => f.title[options.lang]), ...(withState ? [STATE_COLUMN[options.lang]] : [])];
  await write(BOM + stringify([header], CSV_OPTIONS));
  let count = 0;
  for await (const page of recordPages(db, descriptor.name, options)) {
    const rows = page.map((row) => {
      const data = fromJson<RecordData>(row.data) ?? {};
      const cells = fields.map((f) => guardFormula(cellText(f, data[f.name], options.lang)));
      return withState ? [...cells, STATE_LABELS[row.state][options.lang]] : cells;
    });
    await write(stringify(rows, CSV_OPTIONS));
    count += page.length;
  }
  return count;
}

/** The Records list's records for the filter, PAGE_ROWS at a time, oldest row first. */
async function* recordPages(db: Sql, dataset: string, filter: ExportFilter): AsyncGenerator<ExportRow[]> {
  const match = filter.search === undefined ? null : ftsMatchExpression(filter.search);
  const state = filter.state ? [`r."state" = ?`, ...(filter.state === 'synced' ? [] : [`r.${PENDING}`])] : [];
  const stateParams = filter.state ? [filter.state] : [];
  // ix_records_search (rid, dataset, deleted, state, updated_at) holds every column the filter reads, in rid order:
  // each page seeks past the last rid and walks the index, never sorting the dataset or reading skipped rows.
  const rids =
    match === null
      ? `SELECT r."rid" FROM "records" r INDEXED BY "ix_records_search" WHERE r."rid" > ? AND r."dataset" = ? AND r."deleted" = 0 ${state.map((s) => `AND ${s}`).join(' ')} ORDER BY r."rid" LIMIT ?`
      : // As the Records list's search (search/record-search.ts): the full-text index drives, in rowid order.
        `SELECT f.rowid AS "rid" FROM "records_fts" f CROSS JOIN "records" r INDEXED BY "ix_records_search" ON r."rid" = f.rowid
         WHERE "records_fts" MATCH ? AND f.rowid > ? AND r."dataset" = ? AND r."deleted" = 0 ${state.map((s) => `AND ${s}`).join(' ')} ORDER BY f.rowid LIMIT ?`;
  let after = 0;
  for (;;) {
    const params = match === null ? [after, dataset, ...stateParams, PAGE_ROWS] : [match, after, dataset, ...stateParams, PAGE_ROWS];
    const page = await db.all<ExportRow>(
      `SELECT p."rid" AS "rid", p."data" AS "data", p."state" AS "state" FROM (${rids}) m CROSS JOIN "records" p ON p."rid" = m."rid" ORDER BY p."rid"`,
      params,
    );
    // A row deleted between the two reads of the statement is not there: the page is what it found.
    const live = page.filter((r) => r.data !== null);
    if (live.length > 0) yield live;
    if (page.length < PAGE_ROWS) return;
    after = page[page.length - 1]!.rid;
  }
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
