import { readFileSync } from 'node:fs';
import { filterOf, withFilterOptions, type FilterOptions } from './record-filter-options.js';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { RecordState, RecordView } from '../../api/views.js';
import { recordStateSchema } from '../../api/views.js';
import { call, CommandFailed, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { jsonErrorPlace } from '../../ops/json-error-place.js';
import { inputFileFailure } from '../file-errors.js';
import { show, table, type Printer } from '../output.js';
import { registerRecordHistory } from './record-history.js';
import { registerRecordExport } from './record-export.js';
import { registerRecordImport } from './record-import.js';

/** `datasets list` and `records put|get|list|history|import|export|delete` (history: record-history.ts, import: record-import.ts, export: record-export.ts). */
export function registerRecordCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('datasets')
    .description('the datasets this office sees')
    .command('list')
    .description('list the datasets, their access and how many records are cached')
    .action(async () => {
      done(
        await withSession(globals(), env, async (s) => {
          const datasets = await call(s, 'datasets.list', {});
          const p = s.printer;
          s.printer.result(datasets, () =>
            datasets.length === 0
              ? p.t(`Chưa có danh mục. Hãy chạy ${p.agent} sync.`, `No catalog yet. Run ${p.agent} sync.`)
              : table(
                  [p.t('Tên', 'Name'), p.t('Tiêu đề', 'Title'), p.t('Quyền', 'Access'), p.t('Bản ghi', 'Records')],
                  datasets.map((d) => [d.name, d.title[p.lang], d.access, String(d.records)]),
                ),
          );
          return EXIT.ok;
        }),
      );
    });

  const records = program.command('records').description('read and write records of the local cache');

  records
    .command('put')
    .description('create or update a record from a JSON file (or - for stdin)')
    .argument('<dataset>')
    .argument('<file>', 'JSON object of the record’s data, or - to read stdin')
    .option('--id <id>', 'the record’s id (update); a new id is made when absent')
    .action(async (dataset: string, file: string, opts: { id?: string }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const data = readJsonFile(file);
          const written = await call(s, 'records.put', { dataset, data, ...(opts.id ? { id: opts.id } : {}) });
          s.printer.result(written, () => `${written.id} ${stateText(s.printer, written.state)}`);
          return EXIT.ok;
        }),
      );
    });

  records
    .command('get')
    .description('print one record')
    .argument('<dataset>')
    .argument('<id>')
    .action(async (dataset: string, id: string) => {
      done(
        await withSession(globals(), env, async (s) => {
          const record = await call(s, 'records.get', { dataset, id });
          if (!record) {
            throw new CommandFailed({ code: 'not_found', messages: { vi: `Không tìm thấy bản ghi ${id}.`, en: `Record ${id} was not found.` } });
          }
          s.printer.result(record, () => recordText(s.printer, record));
          return EXIT.ok;
        }),
      );
    });

  withFilterOptions(
    records
      .command('list')
      .description('list or search records (accent-insensitive)')
      .argument('<dataset>')
      .option('--search <text>', 'words to find, e.g. "nguyen thi huong"')
      .option('--state <state>', 'synced, waiting, conflict or rejected', parseState),
  )
    .option('--limit <n>', 'at most this many (1-1000, default 50)', parseCount, 50)
    .option('--offset <n>', 'skip this many', parseCount, 0)
    .action(async (dataset: string, opts: { search?: string; state?: RecordState; limit: number; offset: number } & FilterOptions) => {
      done(
        await withSession(globals(), env, async (s) => {
          const filter = filterOf(opts);
          const page = await call(s, 'records.list', {
            dataset,
            limit: opts.limit,
            offset: opts.offset,
            ...(opts.search ? { search: opts.search } : {}),
            ...(opts.state ? { state: opts.state } : {}),
            ...(filter ? { filter } : {}),
          });
          const p = s.printer;
          s.printer.result(page, () => [
            table(
              ['id', p.t('Trạng thái', 'State'), p.t('Dữ liệu', 'Data')],
              page.items.map((r) => [r.id, recordStateText(p, r), Object.values(r.data ?? {}).slice(0, 4).map(show).join(' | ')]),
              60,
            ),
            page.totalCapped
              ? p.t(
                  `${page.items.length} / hơn ${page.total} bản ghi (tìm kiếm đếm đến ${page.total}; hãy gõ thêm để thu hẹp)`,
                  `${page.items.length} of more than ${page.total} records (the search counts up to ${page.total}; type more words to narrow it)`,
                )
              : p.t(`${page.items.length} / ${page.total} bản ghi`, `${page.items.length} of ${page.total} records`),
          ]);
          return EXIT.ok;
        }),
      );
    });

  registerRecordHistory(records, env, globals, done);
  registerRecordImport(records, env, globals, done);
  registerRecordExport(records, env, globals, done);

  records
    .command('delete')
    .description('delete a record (sent to the platform at the next sync)')
    .argument('<dataset>')
    .argument('<id>')
    .action(async (dataset: string, id: string) => {
      done(
        await withSession(globals(), env, async (s) => {
          const deleted = await call(s, 'records.delete', { dataset, id });
          s.printer.result(deleted, () =>
            deleted.sent
              ? `${deleted.id} ${s.printer.t('đã xóa; việc xóa sẽ được gửi lên nền tảng ở lần đồng bộ tới', 'deleted; the deletion goes to the platform at the next sync')} (${stateText(s.printer, deleted.state)})`
              : `${deleted.id} ${s.printer.t('đã xóa khỏi máy này; nền tảng chưa từng nhận bản ghi này nên không có gì phải gửi', 'deleted from this computer; the platform never received this record, so nothing is sent')}`,
          );
          return EXIT.ok;
        }),
      );
    });
}

/** A JSON object from a file, or stdin for `-`; anything else is bad usage (exit 1). */
export function readJsonFile(file: string): Record<string, unknown> {
  const name = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const failure = file === '-' ? null : inputFileFailure(error, file);
    if (failure) throw new CommandFailed(failure);
    throw usage(`Không đọc được ${name}: ${(error as Error).message}`, `Cannot read ${name}: ${(error as Error).message}`);
  }
  const wrong = jsonErrorPlace(text);
  if (wrong !== null) {
    const { line, column, reason } = wrong;
    throw usage(`${name} không phải JSON hợp lệ: dòng ${line}, cột ${column}: ${reason}`, `${name} is not valid JSON: line ${line}, column ${column}: ${reason}`);
  }
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(`${name} phải chứa một đối tượng JSON ({ ... }).`, `${name} must hold one JSON object ({ ... }).`);
  }
  return value as Record<string, unknown>;
}

function usage(vi: string, en: string): CommandFailed {
  return new CommandFailed({ code: 'invalid_input', messages: { vi, en } });
}

/** A record's sync state in words, Vietnamese then English (the CLI's lists; the demo's story). */
export const RECORD_STATE: Record<RecordState, [string, string]> = {
  synced: ['đã đồng bộ', 'synced'],
  waiting: ['chờ gửi', 'waiting'],
  conflict: ['xung đột', 'conflict'],
  rejected: ['bị từ chối', 'rejected'],
};

export function stateText(p: Printer, state: RecordState): string {
  const [vi, en] = RECORD_STATE[state];
  return p.t(vi, en);
}

/** A record's state as said to people: one held back for the platform's own failures is not said to be rejected. */
export function recordStateText(p: Printer, record: Pick<RecordView, 'state' | 'platformFault'>): string {
  if (record.platformFault) return p.t('bị giữ lại: nền tảng bị lỗi', 'held back: the platform failed');
  return stateText(p, record.state);
}

function recordText(p: Printer, record: RecordView): string[] {
  const lines = [
    `${record.dataset}/${record.id}  rev ${record.rev ?? '—'}  ${recordStateText(p, record)}${record.deleted ? p.t(' (đã xóa)', ' (deleted)') : ''}`,
    ...Object.entries(record.data ?? {}).map(([field, value]) => `  ${field}: ${show(value)}`),
  ];
  for (const error of record.errors ?? []) lines.push(`  ! ${error.path}: ${error.messages[p.lang]}`);
  return lines;
}

function parseState(value: string): RecordState {
  const parsed = recordStateSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected synced, waiting, conflict or rejected');
  return parsed.data;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}
