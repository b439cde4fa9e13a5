import { excelSerial, XlsxSheetWriter, type XlsxCell, type XlsxColumn } from '../../../sync-engine/src/export/xlsx-writer.js';
import { datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import { fieldTitles } from '../../../sync-engine/src/protocol/validation/index.js';

/** An office's register as an Excel workbook: a header row of the fields' Vietnamese titles, then each row's cells as typed (a field left out: an empty cell). */
export async function registerXlsx(dataset: string, rows: ReadonlyArray<Record<string, XlsxCell>>): Promise<Buffer> {
  const descriptor = datasetByName(dataset);
  if (!descriptor) throw new Error(`no dataset ${dataset}`);
  const fields = Object.keys(descriptor.schema['properties'] as Record<string, unknown>);
  const columns: XlsxColumn[] = fields.map((f) => ({ title: fieldTitles(descriptor, f).vi, kind: 'text', width: 14 }));
  const parts: Uint8Array[] = [];
  const sheet = new XlsxSheetWriter(columns, 'Sheet1', (bytes) => void parts.push(bytes));
  await sheet.addRows(rows.map((row) => fields.map((f) => row[f] ?? null)));
  await sheet.finish();
  return Buffer.concat(parts);
}

/** A record's values as text cells, but a date as a date cell (Excel's own date, as typed in a Date column); a list one item per line. */
export function typedRow(record: Record<string, unknown>): Record<string, XlsxCell> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]): [string, XlsxCell] => {
      const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
      return [k, m ? { kind: 'date', serial: excelSerial(Number(m[1]), Number(m[2]), Number(m[3]))! } : { kind: 'text', text: Array.isArray(v) ? v.join('\n') : String(v) }];
    }),
  );
}
