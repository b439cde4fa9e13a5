import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AGENT_VERSION } from '../../ops/agent-version.js';
import { BackupRefused, createBackup, restoreBackup, verifyBackup } from '../../ops/backup.js';
import { appendAuditEventToFolder, backupMadeEvent, backupRestoredEvent } from '../../ops/maintenance-audit.js';
import { leaseHolder } from '../../service/lease-keeper.js';
import { localUserName } from '../../service/local-user.js';
import type { ApiError } from '../../api/contract.js';
import { refusals } from '../../service/service-errors.js';
import { storeFailure, storeRefusalOf } from '../../service/store-refusal.js';
import { StoreBusyError, StoreCorruptedError } from '../../store/agent-store.js';
import { dataDirOf, refuseWithoutAgent, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { inputFileFailure } from '../file-errors.js';
import { dateTime, Printer } from '../output.js';

/** `backup FILE`, `restore FILE`, `verify-backup FILE`. */
export function registerBackupCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  const now = () => (env.service?.now ?? Date.now)();
  const printerOf = (o: GlobalOptions) => new Printer(o.json ?? false, o.lang ?? 'vi', env.streams);

  program
    .command('backup <file>')
    .description('write a consistent backup (database with settings, key; .tar.gz with SHA-256 manifest), safe while the service runs')
    .action(async (file: string) => {
      const options = globals();
      const printer = printerOf(options);
      const dataDir = dataDirOf(options, env.env);
      const missing = refuseWithoutAgent(options, env, printer);
      if (missing !== null) return done(missing);
      const manifest = await createBackup(dataDir, resolve(file), { now, agentVersion: AGENT_VERSION });
      try {
        // Who copied the office's data, and where: a backup whose event cannot be written is not kept.
        await appendAuditEventToFolder(dataDir, backupMadeEvent(localUserName(), 'cli', resolve(file), statSync(resolve(file)).size, manifest), now);
      } catch (error) {
        rmSync(resolve(file), { force: true });
        printer.failure(await auditRefusal(dataDir, resolve(file), error));
        return done(EXIT.other);
      }
      printer.result({ file: resolve(file), manifest }, () => printer.t(`Đã sao lưu vào ${resolve(file)} (${manifest.files.length} tệp).`, `Backed up to ${resolve(file)} (${manifest.files.length} files).`));
      done(EXIT.ok);
    });

  program
    .command('verify-backup <file>')
    .description('check a backup (checksums and database integrity) without restoring it')
    .action(async (file: string) => {
      const printer = printerOf(globals());
      try {
        const { manifest } = await verifyBackup(resolve(file));
        printer.result({ ok: true, manifest }, () => printer.t(`Bản sao lưu tốt (tạo lúc ${dateTime(manifest.createdAt)}).`, `The backup is sound (made ${dateTime(manifest.createdAt)}).`));
        done(EXIT.ok);
      } catch (error) {
        done(refused(printer, error, resolve(file)));
      }
    });

  program
    .command('restore <file>')
    .description('restore a backup: verified first; the current files are kept in pre-restore-<time>/; refused while the service runs')
    .action(async (file: string) => {
      const options = globals();
      const printer = printerOf(options);
      try {
        const dataDir = dataDirOf(options, env.env);
        const result = await restoreBackup(dataDir, resolve(file), { now, leaseHolder: leaseHolderOfDamaged });
        // Written into the restored store: its log then says when and by whom an older state was put back.
        const audited = await appendAuditEventToFolder(dataDir, backupRestoredEvent(localUserName(), resolve(file), result.manifest, result.previous), now).then(
          () => null,
          (error: unknown) => String((error as Error)?.message ?? error),
        );
        printer.result({ ...result, audited: audited === null }, () => [
          printer.t(`Đã khôi phục bản sao lưu tạo lúc ${dateTime(result.manifest.createdAt)}.`, `Restored the backup made ${dateTime(result.manifest.createdAt)}.`),
          ...(result.previous ? [printer.t(`Dữ liệu trước đó được giữ ở ${result.previous}.`, `The previous data is kept in ${result.previous}.`)] : []),
          ...(audited !== null
            ? [printer.t(`Cảnh báo: không ghi được việc khôi phục vào nhật ký kiểm toán (${audited}).`, `Warning: the restore could not be written to the audit log (${audited}).`)]
            : []),
        ]);
        done(EXIT.ok);
      } catch (error) {
        done(refused(printer, error, resolve(file), dataDirOf(options, env.env)));
      }
    });

}

/**
 * Why a backup's audit event was not written, the backup removed: another
 * process kept the data file's write lock past the busy timeout (the folder in
 * use, in the words of the other busy refusals, naming the lease's holder, and
 * that no backup was kept; `busy`), a data file this version does not open
 * or a damaged one (as every command says it, and that no backup was kept),
 * or the error's own text.
 */
async function auditRefusal(dataDir: string, file: string, error: unknown): Promise<ApiError> {
  if (storeFailure(dataDir, error) instanceof StoreBusyError) {
    const holder = await leaseHolder(dataDir).catch(() => null);
    const busy = refusals.storeWriteBusy(dataDir, holder, {
      vi: `không ghi được việc sao lưu vào nhật ký kiểm toán và không giữ bản sao lưu nào (đã xóa ${file})`,
      en: `the backup could not be written to the audit log and no backup was kept (${file} was removed)`,
    });
    return { code: busy.code, messages: busy.messages };
  }
  // A data file this version does not open (a newer version upgraded it) or a damaged one: in every command's words.
  const refusal = storeRefusalOf(dataDir, error, null, 'write');
  if (refusal !== null) {
    return {
      code: refusal.code,
      messages: { vi: `${refusal.messages.vi} Không giữ bản sao lưu nào (đã xóa ${file}).`, en: `${refusal.messages.en} No backup was kept (${file} was removed).` },
    };
  }
  const text = String((error as Error)?.message ?? error);
  return {
    code: 'internal',
    messages: {
      vi: `Không ghi được nhật ký kiểm toán (${text}), nên bản sao lưu đã bị xóa. Thử lại sau ít phút.`,
      en: `Could not write the audit log (${text}), so the backup was removed. Try again in a few minutes.`,
    },
  };
}

/** A store too damaged to open has no live service on it (the service cannot open it either): restoring is the fix. */
async function leaseHolderOfDamaged(dataDir: string): Promise<string | null> {
  try {
    return await leaseHolder(dataDir);
  } catch (error) {
    if (error instanceof StoreCorruptedError) return null;
    throw error;
  }
}

/**
 * Why verify-backup or restore refused FILE: it cannot be read (the file
 * system's words, exit 1), or the backup was refused (damaged, not a backup,
 * the service running: BackupRefused). `unchanged`: restore's data folder,
 * which a refusal leaves as it was, and the message says so.
 */
function refused(printer: Printer, error: unknown, file: string, unchanged: string | null = null): number {
  const unreadable = error instanceof BackupRefused ? null : inputFileFailure(error, file);
  if (!unreadable && !(error instanceof BackupRefused)) throw error;
  const failure: ApiError = unreadable ?? { code: (error as BackupRefused).reason === 'busy' ? 'busy' : 'invalid_input', messages: (error as BackupRefused).messages };
  if (unchanged !== null) {
    failure.messages = {
      vi: `${failure.messages.vi} Dữ liệu trong ${unchanged} vẫn như cũ, không có gì bị thay đổi.`,
      en: `${failure.messages.en} Nothing in ${unchanged} was changed.`,
    };
  }
  printer.failure(failure);
  return failure.code === 'busy' ? EXIT.other : EXIT.usage;
}
