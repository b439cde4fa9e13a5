import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AuditEventInput } from '../audit/audit-log.js';
import { timeStamp } from '../ops/backup-schedule.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { EngineContext } from '../store/engine-context.js';
import { writeRecordsCsv, type CsvExportOptions } from './records-csv.js';
import { writeRecordsXlsx } from './records-xlsx.js';

/**
 * An export of a dataset's records written to a file or a stream, and
 * recorded in the audit log: personal data leaving the store must be
 * traceable (docs/security.md). The event ('records.exported') says who, from
 * where (the window or web console, the CLI), which dataset, the filter and
 * language, the file (or "-" for the CLI's standard output), how many records
 * and bytes. It is written once the file is complete; a file whose event
 * cannot be written is removed, as a backup's is (ops/maintenance-audit.ts).
 */
export type ExportOrigin = 'window' | 'cli';

/** CSV (records-csv.ts) or an Excel workbook (records-xlsx.ts); the same columns and records either way. */
export type ExportFormat = 'csv' | 'xlsx';

export interface ExportOptions extends CsvExportOptions {
  /** Default csv. */
  format?: ExportFormat;
}

export interface ExportAudit {
  actor: string;
  origin: ExportOrigin;
}

export interface ExportWritten {
  /** The file written; "-" for a stream. */
  file: string;
  records: number;
  bytes: number;
}

/** The file is there and `force` was not given (EEXIST): nothing was written. */
export class ExportFileExists extends Error {
  constructor(readonly file: string) {
    super(`${file} exists`);
    this.name = 'ExportFileExists';
  }
}

export function recordsExportedEvent(audit: ExportAudit, dataset: string, options: ExportOptions, written: ExportWritten): AuditEventInput {
  return {
    action: 'records.exported',
    actor: audit.actor,
    dataset,
    details: {
      origin: audit.origin,
      file: written.file,
      format: options.format ?? 'csv',
      records: written.records,
      bytes: written.bytes,
      filter: {
        search: options.search?.trim() ? options.search.trim() : null,
        state: options.state ?? null,
        ...(options.filter?.fields && Object.keys(options.filter.fields).length > 0 ? { fields: { ...options.filter.fields } } : {}),
        ...(options.filter?.due ? { due: options.filter.due } : {}),
      },
      lang: options.lang,
    },
  };
}

/**
 * Writes the CSV or the workbook to `file` (owner-only), refusing one that exists unless
 * `force` (ExportFileExists, the file untouched); a failure half-way removes
 * what was written.
 */
export async function exportRecordsToFile(
  ctx: Pick<EngineContext, 'store' | 'audit'>,
  descriptor: DatasetDescriptor,
  options: ExportOptions,
  target: { file: string; force?: boolean },
  audit: ExportAudit,
): Promise<ExportWritten> {
  let handle;
  try {
    // 'wx' fails if the file exists, in the same call that creates it: no window between a check and the write.
    handle = await open(target.file, target.force ? 'w' : 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !target.force) throw new ExportFileExists(target.file);
    throw error;
  }
  let bytes = 0;
  try {
    const put = async (data: Uint8Array) => {
      bytes += data.length;
      await handle.write(data);
    };
    const records =
      options.format === 'xlsx'
        ? await writeRecordsXlsx(ctx.store.sql, descriptor, options, put)
        : await writeRecordsCsv(ctx.store.sql, descriptor, options, (chunk) => put(Buffer.from(chunk, 'utf8')));
    await handle.close();
    const written = { file: target.file, records, bytes };
    await ctx.store.transaction((tx) => ctx.audit.append(tx, recordsExportedEvent(audit, descriptor.name, options, written)));
    return written;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(target.file, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes the CSV to a stream (the CLI's `--out -`; a workbook is written to a file only), then records the export; the stream's writes are awaited. */
export async function exportRecordsToStream(
  ctx: Pick<EngineContext, 'store' | 'audit'>,
  descriptor: DatasetDescriptor,
  options: CsvExportOptions,
  write: (chunk: string) => Promise<void> | void,
  audit: ExportAudit,
): Promise<ExportWritten> {
  let bytes = 0;
  const records = await writeRecordsCsv(ctx.store.sql, descriptor, options, async (chunk) => {
    bytes += Buffer.byteLength(chunk, 'utf8');
    await write(chunk);
  });
  const written = { file: '-', records, bytes };
  await ctx.store.transaction((tx) => ctx.audit.append(tx, recordsExportedEvent(audit, descriptor.name, options, written)));
  return written;
}

/** The data folder's folder for the window's exports (a browser never chooses a path on disk). */
export const EXPORTS_FOLDER = 'exports';
/** Exports kept there; older ones are removed, so the folder does not fill the disk with copies of personal data. */
export const EXPORTS_KEPT = 20;
const EXPORT_NAME = /^[a-z][a-z0-9-]*-(\d{8}T\d{6}Z)(?:-(\d+))?\.(?:csv|xlsx)$/;

/** True for the name of a file exportRecordsToFolder writes (DATASET-<UTC time>[-N].csv or .xlsx): no folder, no "..". */
export function isExportName(name: string): boolean {
  return EXPORT_NAME.test(name);
}

/** An export's place in time from its name: the second it was made, then its number within that second. */
function orderOf(name: string): [string, number] {
  const m = EXPORT_NAME.exec(name);
  return [m?.[1] ?? '', Number(m?.[2] ?? 1)];
}

/**
 * The window's and web console's export: into DATADIR/exports/ (owner-only,
 * as the data folder), named DATASET-<UTC time>.csv or .xlsx (-2, -3... for
 * more in the same second, either kind), never a path from the caller, as
 * "Back up now" (service/maintenance.ts); the oldest beyond EXPORTS_KEPT, of
 * either kind, are removed.
 */
export async function exportRecordsToFolder(
  ctx: Pick<EngineContext, 'store' | 'audit' | 'now'>,
  dataDir: string,
  descriptor: DatasetDescriptor,
  options: ExportOptions,
  audit: ExportAudit,
): Promise<ExportWritten> {
  const folder = join(dataDir, EXPORTS_FOLDER);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const stamp = timeStamp(ctx.now());
  const prefix = `${descriptor.name}-${stamp}`;
  const ours = () => readdir(folder).then((names) => names.filter((name) => EXPORT_NAME.test(name)));
  // Past the highest number of this second, never a number freed by pruning (it would sort as the oldest).
  const taken = (await ours()).filter((name) => name.startsWith(prefix) && orderOf(name)[0] === stamp);
  let written: ExportWritten | null = null;
  for (let n = Math.max(0, ...taken.map((name) => orderOf(name)[1])) + 1; written === null; n += 1) {
    const file = join(folder, `${prefix}${n === 1 ? '' : `-${n}`}.${options.format ?? 'csv'}`);
    try {
      written = await exportRecordsToFile(ctx, descriptor, options, { file }, audit);
    } catch (error) {
      // Another export of this second took the name meanwhile.
      if (!(error instanceof ExportFileExists) || n >= taken.length + 100) throw error;
    }
  }
  const byAge = (await ours()).sort((a, b) => {
    const [sa, na] = orderOf(a);
    const [sb, nb] = orderOf(b);
    return sa < sb ? -1 : sa > sb ? 1 : na - nb;
  });
  const mine = basename(written.file);
  for (const old of byAge.slice(0, Math.max(0, byAge.length - EXPORTS_KEPT))) if (old !== mine) await rm(join(folder, old), { force: true });
  return written;
}
