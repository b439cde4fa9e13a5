import { cellFieldsOf, type CellField } from '../import/index.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordData } from '../protocol/records.js';
import type { Sql } from '../store/sql.js';
import { fromJson } from '../store/sql.js';
import { recordPages } from './record-pages.js';
import { cellText, STATE_COLUMN, STATE_LABELS, type CsvExportOptions } from './records-csv.js';
import { exportColumns, readUnitNames } from './unit-names.js';
import { excelSerial, sheetName, XlsxSheetWriter, type XlsxCell, type XlsxColumn } from './xlsx-writer.js';

/**
 * A dataset's records as an Excel workbook (.xlsx): the CSV export's columns,
 * titles, labels, units' names, filter and sync state column (records-csv.ts), one sheet
 * named after the dataset's title. The cells keep their kinds, so Excel shows
 * them as the clerk expects and `records import` reads them back: every text
 * (an ID, a code, a name, a choice's label, a list one item per line) is a
 * Text cell, leading zeros kept; a whole number (capital in VND) a number; a
 * date a real date shown dd/mm/yyyy; a date with a time a real date and time
 * in this computer's time zone shown dd/mm/yyyy hh:mm (seconds dropped, as
 * the CSV and the record form do). A date before 1 March 1900, which Excel
 * cannot hold as a date, is written as dd/mm/yyyy text; so is a stored value
 * of no such kind (the validation of the day let it through), as its CSV
 * cell. A text longer than a cell holds is cut (xlsx-writer.ts). No cell is a formula, so the CSV's apostrophe before a formula-like
 * text is not needed and not written.
 */
export async function writeRecordsXlsx(
  db: Sql,
  descriptor: DatasetDescriptor,
  options: CsvExportOptions,
  write: (bytes: Uint8Array) => Promise<void> | void,
): Promise<number> {
  const fields = cellFieldsOf(descriptor);
  const exported = exportColumns(descriptor.name, fields, options.lang);
  const names = await readUnitNames(db, exported);
  const withState = options.stateColumn !== false;
  const columns: XlsxColumn[] = [
    ...exported.map(({ field, unitName, title }) =>
      unitName ? { title, kind: 'text' as const, width: Math.min(60, Math.max(20, title.length + 2)) } : { title, kind: columnKind(field), width: columnWidth(field, title) },
    ),
    ...(withState ? [{ title: STATE_COLUMN[options.lang], kind: 'text' as const, width: 20 }] : []),
  ];
  const sheet = new XlsxSheetWriter(columns, sheetName(descriptor.title[options.lang], descriptor.name), write);
  let count = 0;
  for await (const page of recordPages(db, descriptor, options)) {
    const rows = page.map((row) => {
      const data = fromJson<RecordData>(row.data) ?? {};
      const cells = exported.map(({ field, unitName }): XlsxCell => (unitName ? nameCell(names.nameOf(field, data[field.name])) : xlsxCell(field, data[field.name], options.lang)));
      return withState ? [...cells, { kind: 'text' as const, text: STATE_LABELS[row.state][options.lang] }] : cells;
    });
    await sheet.addRows(rows);
    count += page.length;
  }
  await sheet.finish();
  return count;
}

/** A unit's name as a Text cell; none for a code that names no unit. */
function nameCell(name: string): XlsxCell {
  return name === '' ? null : { kind: 'text', text: name };
}

function columnKind(field: CellField): XlsxColumn['kind'] {
  switch (field.kind) {
    case 'integer':
      return 'number';
    case 'date':
      return 'date';
    case 'dateTime':
      return 'dateTime';
    case 'list':
    case 'longText':
      return 'wrapText';
    default:
      return 'text';
  }
}

function columnWidth(field: CellField, title: string): number {
  const least = field.kind === 'date' ? 12 : field.kind === 'dateTime' ? 17 : field.kind === 'longText' ? 40 : 14;
  return Math.min(60, Math.max(least, title.length + 2));
}

/** A stored value as its cell; text where it has no number or date form (records-csv.ts cellText's words). */
export function xlsxCell(field: CellField, value: unknown, lang: CsvExportOptions['lang']): XlsxCell {
  if (value === undefined || value === null) return null;
  if (field.kind === 'integer' && typeof value === 'number' && Number.isFinite(value)) return { kind: 'number', value };
  if (field.kind === 'date' && typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const serial = m ? excelSerial(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    if (serial !== null) return { kind: 'date', serial };
  }
  if (field.kind === 'dateTime' && typeof value === 'string') {
    const d = new Date(value);
    const day = Number.isNaN(d.getTime()) ? null : excelSerial(d.getFullYear(), d.getMonth() + 1, d.getDate());
    // The wall clock here, as the CSV writes it; whole minutes.
    if (day !== null) return { kind: 'dateTime', serial: day + (d.getHours() * 60 + d.getMinutes()) / 1440 };
  }
  const text = cellText(field, value, lang);
  return text === '' ? null : { kind: 'text', text };
}
