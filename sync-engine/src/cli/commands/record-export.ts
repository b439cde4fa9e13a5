import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { ApiError } from '../../api/contract.js';
import { recordStateSchema, type RecordState } from '../../api/views.js';
import { ExportFileExists, exportRecordsToFile, exportRecordsToStream, type ExportFormat, type ExportOptions as RecordsExportOptions, type ExportWritten } from '../../export/index.js';
import { UnknownDataset } from '../../records/write-errors.js';
import { AgentSettings } from '../../service/agent-settings.js';
import { toApiError } from '../../service/api-errors.js';
import { localUserName } from '../../service/local-user.js';
import { openAgentStore, type AgentStore } from '../../store/agent-store.js';
import { createEngineContext } from '../../store/engine-context.js';
import { dataDirOf, openFailure, refuseWithoutAgent, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT, exitCodeOf, type ExitCode } from '../exit-codes.js';
import { fileSystemFailure } from '../file-errors.js';
import { Printer, processStreams } from '../output.js';
import { checkFilter } from '../../service/filter-refusal.js';
import { ServiceRefusal } from '../../service/service-errors.js';
import { filterOf, withFilterOptions, type FilterOptions } from './record-filter-options.js';

interface ExportOptions extends FilterOptions {
  search?: string;
  state?: RecordState;
  out: string;
  force?: boolean;
  stateColumn: boolean;
  format?: ExportFormat;
}

/**
 * `records export DATASET [--format csv|xlsx] [--search TEXT] [--state synced|waiting|conflict|rejected] [--where FIELD=VALUE]... [--due overdue|today] [--out FILE | -] [--force] [--no-state-column]`:
 * the records the window's Records list shows for the same filter, as CSV
 * (export/records-csv.ts) or an Excel workbook (export/records-xlsx.ts; the
 * format xlsx, or an --out FILE named .xlsx without --format; a file only,
 * never standard output) in the command's language (--lang, else the
 * settings'). It runs in this process on the data folder's store, whether or
 * not the service runs (as `backup FILE` does): the file is written where the
 * person asked, with their rights, and is never a path the service (another
 * account) is told to write. Recorded in the folder's audit log
 * ('records.exported', origin cli). An existing FILE is refused unless --force.
 */
export function registerRecordExport(records: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  withFilterOptions(
    records
      .command('export')
      .description('write the records (as the Records list filters them) to a CSV file or an Excel workbook, which records import takes back')
      .argument('<dataset>')
      .option('--format <format>', 'csv (the default) or xlsx, an Excel workbook that keeps the leading zeros of IDs and codes (needs --out FILE)', parseFormat)
      .option('--search <text>', 'only the records these words find, e.g. "nguyen thi huong"')
      .option('--state <state>', 'only records in this state: synced, waiting, conflict, rejected', parseState),
  )
    .option('--out <file>', 'the file to write, or - for standard output (CSV only)', '-')
    .option('--force', 'overwrite FILE if it exists')
    .option('--no-state-column', 'leave out the last column, the sync state (a file for another system)')
    .action(async (dataset: string, opts: ExportOptions) => done(await runExport(dataset, opts, env, globals())));
}

function parseFormat(value: string): ExportFormat {
  if (value !== 'csv' && value !== 'xlsx') throw new InvalidArgumentError('expected csv or xlsx');
  return value;
}

function parseState(value: string): RecordState {
  const parsed = recordStateSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`expected one of ${recordStateSchema.options.join(', ')}`);
  return parsed.data;
}

async function runExport(dataset: string, opts: ExportOptions, env: CliEnvironment, options: GlobalOptions): Promise<ExitCode> {
  const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
  const toStdout = opts.out === '-';
  const format: ExportFormat = opts.format ?? (/\.xlsx$/i.test(opts.out) ? 'xlsx' : 'csv');
  const named = /\.(csv|xlsx)$/i.exec(opts.out)?.[1]?.toLowerCase();
  if (named !== undefined && named !== format) {
    // A workbook named .csv, or CSV text named .xlsx: Excel refuses to open either ("the file format or file extension is not valid").
    return refuse(printer, {
      code: 'invalid_input',
      messages: {
        vi: `--format ${format} ghi tệp ${format === 'xlsx' ? 'Excel (.xlsx)' : 'CSV (.csv)'}, nhưng --out ${opts.out} mang đuôi .${named}: Excel sẽ không mở được tệp này. Hãy đặt tên tệp đuôi .${format}, hoặc bỏ --format.`,
        en: `--format ${format} writes ${format === 'xlsx' ? 'an Excel workbook (.xlsx)' : 'a CSV file (.csv)'}, but --out ${opts.out} is named .${named}: Excel would not open it. Name the file .${format}, or leave out --format.`,
      },
    });
  }
  if (toStdout && format === 'xlsx') {
    return refuse(printer, {
      code: 'invalid_input',
      messages: {
        vi: 'Tệp Excel không ghi ra đầu ra chuẩn: hãy cho biết tệp cần ghi bằng --out TỆP.xlsx.',
        en: 'An Excel workbook is not written to standard output: name the file to write with --out FILE.xlsx.',
      },
    });
  }
  if (toStdout && printer.json) {
    return refuse(printer, {
      code: 'invalid_input',
      messages: { vi: 'Với --json, đầu ra chuẩn dành cho kết quả JSON: hãy ghi tệp CSV bằng --out TỆP.', en: 'With --json, standard output carries the JSON result: write the CSV with --out FILE.' },
    });
  }
  const missing = refuseWithoutAgent(options, env, printer);
  if (missing !== null) return missing;
  const dataDir = dataDirOf(options, env.env);
  let store: AgentStore;
  try {
    store = await openAgentStore(dataDir, { integrityCheck: false });
  } catch (error) {
    return refuse(printer, await openFailure(dataDir, error));
  }
  try {
    const ctx = createEngineContext(store, env.service?.now ? { now: env.service.now } : {});
    if (!options.lang) printer.lang = (await new AgentSettings(store).read()).language;
    const descriptor = await ctx.catalog.get(store.sql, dataset);
    if (!descriptor) return refuse(printer, toApiError(new UnknownDataset(dataset, (await ctx.catalog.list(store.sql)).map((d) => d.name))));
    const filter = filterOf(opts);
    if (filter) {
      try {
        checkFilter(descriptor, filter);
      } catch (error) {
        if (error instanceof ServiceRefusal) return refuse(printer, { code: error.code, messages: error.messages });
        throw error;
      }
    }
    const csv: RecordsExportOptions = { lang: printer.lang, search: opts.search, state: opts.state, filter, now: ctx.now(), stateColumn: opts.stateColumn, format };
    const audit = { actor: localUserName(), origin: 'cli' as const };
    const file = toStdout ? '-' : resolve(opts.out);
    const written = toStdout
      ? await exportRecordsToStream(ctx, descriptor, csv, (chunk) => writeOut(env, chunk), audit)
      : await exportRecordsToFile(ctx, descriptor, csv, { file, force: opts.force === true }, audit);
    report(printer, dataset, format, written);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExportFileExists) {
      return refuse(printer, {
        code: 'invalid_input',
        messages: {
          vi: `${error.file} đã có: chưa ghi gì. Hãy chọn tên tệp khác, hoặc thêm --force để ghi đè.`,
          en: `${error.file} already exists: nothing was written. Choose another file name, or add --force to overwrite it.`,
        },
      });
    }
    const path = fileSystemFailure(error);
    if (path) return refuse(printer, path.error, path.exit);
    return refuse(printer, await openFailure(dataDir, error));
  } finally {
    await store.close();
  }
}

/** The CSV on standard output: the process's own stream is drained page by page, so a slow reader does not pile the file up in memory. */
async function writeOut(env: CliEnvironment, chunk: string): Promise<void> {
  if (env.streams.out !== processStreams.out) return env.streams.out(chunk);
  if (!process.stdout.write(chunk)) await new Promise<void>((go) => process.stdout.once('drain', () => go()));
}

function report(p: Printer, dataset: string, format: ExportFormat, w: ExportWritten): void {
  const value = { dataset, file: w.file, format, records: w.records, bytes: w.bytes, lang: p.lang };
  if (w.file === '-') {
    // Standard output holds the CSV: the summary goes to standard error.
    p.note(`Đã xuất ${w.records} bản ghi của ${dataset}.`, `Exported ${w.records} records of ${dataset}.`);
    return;
  }
  p.result(value, () => p.t(`Đã xuất ${w.records} bản ghi của ${dataset} vào ${w.file}.`, `Exported ${w.records} records of ${dataset} to ${w.file}.`));
}

function refuse(printer: Printer, error: ApiError, exit: ExitCode = exitCodeOf(error)): ExitCode {
  printer.failure(error);
  return exit;
}
