import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { MAX_IMPORT_XLSX_BYTES, type ImportResultView } from '../../api/record-import.js';
import { looksLikeXlsx } from '../../import/index.js';
import { call, CommandFailed, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { fileSystemFailure, inputFileFailure } from '../file-errors.js';
import type { Printer } from '../output.js';

/**
 * `records import DATASET FILE.csv|FILE.xlsx [--sheet NAME] [--dry-run]`: one records.import
 * call with the file's text, or an Excel workbook's bytes (a name ending in
 * .xlsx, or a file that begins as a zip does). The rows refused are written
 * next to the file as FILE.refused.csv (the header and those rows as written,
 * a workbook's as CSV; UTF-8 with a BOM so Excel opens it as such) to fix and
 * import again; a dry run writes nothing.
 * Exit 0 when every row was imported or already present, 1 when a row was
 * refused (the valid ones are imported) or the file cannot be used.
 */
export function registerRecordImport(records: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  records
    .command('import')
    .description('import the rows of an Excel workbook (.xlsx, its first sheet) or a spreadsheet saved as CSV (UTF-8, comma or semicolon) as new records')
    .argument('<dataset>')
    .argument('<file>', 'the .xlsx or CSV file; its first row names the columns (field names or their Vietnamese or English titles)')
    .option('--sheet <name>', "an Excel workbook's sheet to read, by its name (default: the first)")
    .option('--dry-run', 'check every row and say what would be imported; write nothing')
    .action(async (dataset: string, file: string, opts: { dryRun?: boolean; sheet?: string }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const content = readImportFile(file);
          const result = await call(s, 'records.import', { dataset, ...content, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}), source: basename(file), dryRun: opts.dryRun === true });
          const refusedFile = result.refusedCsv !== null && !result.dryRun ? writeRefused(file, result.refusedCsv) : null;
          s.printer.result({ ...result, refusedFile }, () => importText(s.printer, file, dataset, result, refusedFile));
          return result.refused > 0 ? EXIT.usage : EXIT.ok;
        }),
      );
    });
}

/**
 * The file as records.import takes it: a workbook's bytes in base64 (at most MAX_IMPORT_XLSX_BYTES), else
 * the text, which must be UTF-8 (Excel: "CSV UTF-8"); a file in another encoding is bad usage, said as such.
 */
function readImportFile(file: string): { csv: string } | { xlsx: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const failure = inputFileFailure(error, file);
    if (failure) throw new CommandFailed(failure);
    throw usage(`Không đọc được ${file}: ${(error as Error).message}`, `Cannot read ${file}: ${(error as Error).message}`);
  }
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) {
    // Not a zip, not text: without this it would be read as CSV and called "not UTF-8".
    throw usage(
      `${file} là bảng tính Excel 97–2003 (.xls) hoặc sổ làm việc có đặt mật khẩu, tác tử không đọc được: chưa nhập gì. Trong Excel, hãy bỏ mật khẩu nếu có, rồi chọn Lưu thành (Save As) kiểu "Sổ làm việc Excel (.xlsx)" hoặc "CSV UTF-8" và nhập lại.`,
      `${file} is an Excel 97–2003 workbook (.xls) or a workbook with a password, which the agent cannot read: nothing was imported. In Excel, remove the password if there is one, then use Save As with the type "Excel Workbook (.xlsx)" or "CSV UTF-8" and import again.`,
    );
  }
  if (/\.xlsx$/i.test(file) || looksLikeXlsx(bytes)) {
    if (bytes.length > MAX_IMPORT_XLSX_BYTES) {
      const mib = (n: number) => Math.ceil(n / 1024 / 1024);
      throw usage(
        `${file} quá lớn (${mib(bytes.length)} MiB; tệp Excel tối đa ${mib(MAX_IMPORT_XLSX_BYTES)} MiB): chưa nhập gì. Hãy chia thành nhiều tệp.`,
        `${file} is too large (${mib(bytes.length)} MiB; an Excel file may hold at most ${mib(MAX_IMPORT_XLSX_BYTES)} MiB): nothing was imported. Split it into several files.`,
      );
    }
    return { xlsx: bytes.toString('base64') };
  }
  try {
    return { csv: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw usage(
      `${file} không phải văn bản UTF-8. Trong Excel, hãy chọn Lưu thành (Save As) kiểu "CSV UTF-8 (Comma delimited)" rồi nhập lại.`,
      `${file} is not UTF-8 text. In Excel, use Save As with the type "CSV UTF-8 (Comma delimited)", then import again.`,
    );
  }
}

/** An OLE compound file: an Excel 97–2003 workbook (.xls), or an .xlsx Excel encrypted with a password. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** FILE.csv or FILE.xlsx → FILE.refused.csv beside it (a CSV either way). */
export function refusedPath(file: string): string {
  return `${file.replace(/\.(csv|xlsx)$/i, '')}.refused.csv`;
}

function writeRefused(file: string, text: string): string {
  const path = refusedPath(file);
  try {
    writeFileSync(path, `\uFEFF${text}`);
  } catch (error) {
    const failure = fileSystemFailure(error);
    if (failure) throw new CommandFailed(failure.error);
    throw error;
  }
  return path;
}

function importText(p: Printer, file: string, dataset: string, r: ImportResultView, refusedFile: string | null): string[] {
  const counts = p.t(
    `${r.imported} bản ghi ${r.dryRun ? 'sẽ được nhập' : 'đã nhập'}, ${r.alreadyPresent} đã có sẵn (bỏ qua), ${r.refused} dòng bị từ chối, trên ${r.rows} dòng dữ liệu.`,
    `${r.imported} records ${r.dryRun ? 'would be imported' : 'imported'}, ${r.alreadyPresent} already present (skipped), ${r.refused} rows refused, of ${r.rows} data rows.`,
  );
  const lines = [
    r.dryRun
      ? p.t(`Chạy thử ${file} vào ${dataset}, chưa ghi gì: ${counts}`, `Dry run of ${file} into ${dataset}, nothing written: ${counts}`)
      : `${file} → ${dataset}: ${counts}`,
  ];
  for (const refusal of r.refusals) {
    for (const problem of refusal.problems) {
      const column = problem.column === null ? '' : p.t(`, cột "${problem.column}"`, `, column "${problem.column}"`);
      lines.push(`  ${p.t('Dòng', 'Line')} ${refusal.line}${column}: ${problem.messages[p.lang]}`);
    }
  }
  if (refusedFile) {
    lines.push(
      p.t(
        `Các dòng bị từ chối đã được ghi vào ${refusedFile}: hãy sửa rồi nhập lại tệp đó. Các dòng khác đã được nhập và sẽ gửi lên nền tảng ở lần đồng bộ tới.`,
        `The refused rows were written to ${refusedFile}: fix them and import that file again. The other rows were imported and go to the platform at the next sync.`,
      ),
    );
  } else if (!r.dryRun && r.imported > 0) {
    lines.push(p.t('Các bản ghi mới sẽ được gửi lên nền tảng ở lần đồng bộ tới.', 'The new records go to the platform at the next sync.'));
  }
  return lines;
}

function usage(vi: string, en: string): CommandFailed {
  return new CommandFailed({ code: 'invalid_input', messages: { vi, en } });
}
