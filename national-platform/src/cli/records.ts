import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import { CliError, printRows, withAdmin, type CliIo } from './context.js';
import { langOf, nounOf, speaker } from './language.js';

function isObject(value: unknown): value is RecordData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordsCommand(program: Command, io: CliIo): void {
  const records = program.command('records').description('national reads and writes of dataset records');
  records
    .command('put <dataset> <file>')
    .description('write a record (a JSON object) or many (a JSON array) from FILE, or "-" for standard input')
    .option('--id <id>', 'the record id (default: a new UUID v7); only for a single record')
    .action(async (dataset: string, file: string, o: { id?: string }, command: Command) => {
      const text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8').catch(() => {
        throw new CliError({ vi: `không đọc được ${file}`, en: `cannot read ${file}` });
      });
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliError(
          file === '-' ? { vi: 'đầu vào chuẩn không phải JSON hợp lệ', en: 'standard input is not valid JSON' } : { vi: `${file} không phải JSON hợp lệ`, en: `${file} is not valid JSON` },
        );
      }
      const t = speaker(command);
      if (Array.isArray(parsed)) {
        if (o.id) throw new CliError({ vi: '--id chỉ dùng cho một bản ghi; đầu vào là một mảng', en: '--id names one record; the input is an array' });
        if (!parsed.every(isObject)) throw new CliError({ vi: 'mỗi phần tử của mảng phải là một đối tượng JSON', en: 'every element of the array must be a JSON object' });
        const written = await withAdmin(command, (admin) => admin.putRecords(dataset, parsed.map((data) => ({ data }))));
        io.out(`${t(`đã ghi ${written.length} bản ghi vào ${dataset}`, `${written.length} ${nounOf(written.length, 'record')} written to ${dataset}`)}\n`);
        return;
      }
      if (!isObject(parsed)) throw new CliError({ vi: 'đầu vào phải là một đối tượng JSON (hoặc một mảng các đối tượng)', en: 'the input must be a JSON object (or an array of them)' });
      const out = await withAdmin(command, (admin) => admin.putRecord(dataset, parsed, o.id ? { id: o.id } : {}));
      io.out(`${t(`bản ghi ${out.id} ở rev ${out.rev} (seq ${out.seq})`, `record ${out.id} is at rev ${out.rev} (seq ${out.seq})`)}\n`);
    });
  records
    .command('delete <dataset> <id>')
    .description('delete a record (agents receive a tombstone)')
    .action(async (dataset: string, id: string, _o: unknown, command: Command) => {
      const out = await withAdmin(command, (admin) => admin.deleteRecord(dataset, id));
      io.out(`${speaker(command)(`đã xóa bản ghi ${out.id} ở rev ${out.rev} (seq ${out.seq})`, `record ${out.id} deleted at rev ${out.rev} (seq ${out.seq})`)}\n`);
    });
  records
    .command('list <dataset>')
    .description('list live records in seq order')
    .option('--province <code>', 'only this province')
    .option('--json', 'print JSON (with data)')
    .action(async (dataset: string, o: { province?: string; json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.listRecords(dataset, o.province ? { province: o.province } : {}));
      if (o.json) {
        printRows(io, langOf(command), true, list, []);
        return;
      }
      printRows(
        io,
        langOf(command),
        false,
        list.map((r) => ({ seq: r.seq, id: r.id, rev: r.rev, updatedAt: r.updatedAt, data: JSON.stringify(r.data).slice(0, 80) })),
        ['seq', 'id', 'rev', 'updatedAt', 'data'],
      );
    });
}
