import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AGENT_VERSION } from '../../ops/agent-version.js';
import { BackupRefused, createBackup, restoreBackup, verifyBackup } from '../../ops/backup.js';
import { leaseHolder } from '../../service/lease-keeper.js';
import { AGENT_DB_FILE, StoreCorruptedError } from '../../store/agent-store.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { Printer } from '../output.js';

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
      if (!existsSync(join(dataDir, AGENT_DB_FILE))) {
        printer.failure({ code: 'not_found', messages: { vi: `Không có dữ liệu tác tử trong ${dataDir}.`, en: `No agent data in ${dataDir}.` } });
        return done(EXIT.usage);
      }
      const manifest = await createBackup(dataDir, resolve(file), { now, agentVersion: AGENT_VERSION });
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
        printer.result({ ok: true, manifest }, () => printer.t(`Bản sao lưu tốt (tạo lúc ${manifest.createdAt}).`, `The backup is sound (made ${manifest.createdAt}).`));
        done(EXIT.ok);
      } catch (error) {
        done(refused(printer, error));
      }
    });

  program
    .command('restore <file>')
    .description('restore a backup: verified first; the current files are kept in pre-restore-<time>/; refused while the service runs')
    .action(async (file: string) => {
      const options = globals();
      const printer = printerOf(options);
      try {
        const result = await restoreBackup(dataDirOf(options, env.env), resolve(file), { now, leaseHolder: leaseHolderOfDamaged });
        printer.result(result, () => [
          printer.t(`Đã khôi phục bản sao lưu tạo lúc ${result.manifest.createdAt}.`, `Restored the backup made ${result.manifest.createdAt}.`),
          ...(result.previous ? [printer.t(`Dữ liệu trước đó được giữ ở ${result.previous}.`, `The previous data is kept in ${result.previous}.`)] : []),
        ]);
        done(EXIT.ok);
      } catch (error) {
        done(refused(printer, error));
      }
    });

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

function refused(printer: Printer, error: unknown): number {
  if (!(error instanceof BackupRefused)) throw error;
  printer.failure({ code: error.reason === 'busy' ? 'busy' : 'invalid_input', messages: error.messages });
  return error.reason === 'busy' ? EXIT.other : EXIT.usage;
}
