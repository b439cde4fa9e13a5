import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { RollbackItem } from '../../adapters/install-rollback.js';
import { installService, serviceStatus, systemRunner, uninstallService, unsuitableDataFolder, type CommandRunner, type InstallOutcome } from '../../adapters/service-installer.js';
import { currentOs, DEFAULT_EXEC, defaultExecutable, PROGRAM_DATA, serviceFileOf, winswSourceOf, type ServiceOs } from '../../ops/service-definitions.js';
import type { CliEnvironment, GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { Printer } from '../output.js';

interface ServiceOptions {
  os?: ServiceOs;
  exec?: string;
  data?: string;
  dryRun?: boolean;
  output?: string;
  winsw?: string;
}

/**
 * Why a service install failed, in both languages: the known reason, else the
 * failing step and its error, then what the install had created and undid,
 * and what it could not undo (to remove by hand).
 */
export function installFailure(outcome: InstallOutcome): { vi: string; en: string } {
  if (outcome.reason) return outcome.reason;
  const step = outcome.steps.at(-1);
  const at = `${step?.argv.join(' ') ?? ''} (${step?.code ?? ''}) — ${step?.stderr ?? ''}`;
  const undone = outcome.rollback?.undone ?? [];
  const left = outcome.rollback?.left ?? [];
  const list = (items: RollbackItem[], lang: 'vi' | 'en') => items.map((item) => ROLLBACK_ITEM[item.kind][lang](item.name)).join(', ');
  return {
    vi:
      `Cài dịch vụ thất bại ở bước: ${at}. Nếu lỗi là không đủ quyền (access denied), chạy lại bằng quyền quản trị (root, Administrator).` +
      (undone.length > 0 ? ` Đã gỡ lại những gì lần cài này đã làm: ${list(undone, 'vi')}.` : '') +
      left.map((item) => ` Không gỡ lại được ${ROLLBACK_ITEM[item.kind].vi(item.name)} (${item.error}): hãy gỡ bằng tay.`).join(''),
    en:
      `Service install failed at: ${at}. If the error is access denied, run it again as administrator (root, Administrator).` +
      (undone.length > 0 ? ` What this install had done was undone: ${list(undone, 'en')}.` : '') +
      left.map((item) => ` Could not undo ${ROLLBACK_ITEM[item.kind].en(item.name)} (${item.error}): undo it by hand.`).join(''),
  };
}

/**
 * `service status` as a person reads it: installed and running in words (not `true`/`false`), and
 * what the OS's own tool said (systemctl, launchctl, WinSW), untranslated, on a line of its own.
 */
export function serviceStatusText(status: { installed: boolean; running: boolean; detail: string }): { vi: string; en: string } {
  const state = !status.installed
    ? { vi: 'Dịch vụ hệ thống: chưa cài.', en: 'OS service: not installed.' }
    : status.running
      ? { vi: 'Dịch vụ hệ thống: đã cài, đang chạy.', en: 'OS service: installed, running.' }
      : { vi: 'Dịch vụ hệ thống: đã cài, không chạy.', en: 'OS service: installed, not running.' };
  const detail = status.detail.trim();
  if (detail === '') return state;
  return { vi: `${state.vi}\nHệ điều hành trả lời:\n${detail}`, en: `${state.en}\nThe OS answered:\n${detail}` };
}

const ROLLBACK_ITEM: Record<RollbackItem['kind'], { vi: (name: string) => string; en: (name: string) => string }> = {
  account: { vi: (n) => `tài khoản ${n} (đã tạo)`, en: (n) => `the account ${n} (created)` },
  file: { vi: (n) => `tệp ${n} (đã ghi)`, en: (n) => `the file ${n} (written)` },
  folder: { vi: (n) => `thư mục ${n} (đã tạo)`, en: (n) => `the folder ${n} (created)` },
  owner: { vi: (n) => `chủ sở hữu của ${n} (đã đổi)`, en: (n) => `the owner of ${n} (changed)` },
};

/** `service install|uninstall|status`: the agent as an OS service (systemd, WinSW, launchd). */
export function registerServiceCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void, runner: CommandRunner = systemRunner): void {
  const service = program.command('service').description('install the agent as an OS service (needs administrator rights unless --dry-run/--output)');
  const common = (c: Command) =>
    c
      .addOption(new Option('--os <os>', 'target OS (default: this one)').choices(['linux', 'windows', 'macos']))
      .option('--exec <path>', 'the edge-agent command the service starts')
      .option('--data <dir>', 'data folder (default: the OS program-data location)');
  const fileOf = (o: ServiceOptions) => {
    const os = o.os ?? currentOs();
    // A service needs an absolute path; a relative --data means this computer's current folder.
    const dataDir = o.data !== undefined && os === currentOs() ? resolve(o.data) : (o.data ?? PROGRAM_DATA[os]);
    return { os, dataDir, file: serviceFileOf({ os, executable: o.exec ?? defaultExecutable(os, existsSync), dataDir }) };
  };

  common(service.command('install'))
    .option('--dry-run', 'print the service definition; change nothing')
    .option('--output <dir>', 'write the service definition into DIR; change nothing else')
    .option('--winsw <path>', 'Windows: the WinSW 2.x executable to install the service with (default: beside the edge-agent command)')
    .action(async (o: ServiceOptions) => {
      const printer = new Printer(globals().json ?? false, globals().lang ?? 'vi', env.streams);
      const { os, dataDir, file } = fileOf(o);
      // The folder the install would refuse is refused here first, so --dry-run and --output never show a definition
      // the install would not write (Windows has no such rule: its installer sets the folder's permissions).
      const refused = os === 'windows' ? null : unsuitableDataFolder(dataDir, os);
      if (refused) {
        printer.failure({ code: 'invalid_input', messages: refused });
        return done(EXIT.usage);
      }
      if (o.dryRun) {
        printer.result({ os, path: file.path, content: file.content }, () => [`# ${file.path}`, file.content]);
        return done(EXIT.ok);
      }
      if (o.output) {
        const target = join(resolve(o.output), file.name);
        mkdirSync(resolve(o.output), { recursive: true });
        writeFileSync(target, file.content);
        printer.result({ os, written: target }, () => printer.t(`Đã ghi ${target}.`, `Wrote ${target}.`));
        return done(EXIT.ok);
      }
      const outcome = await installService(os, file, dataDir, runner, { winsw: o.winsw ?? winswSourceOf(o.exec ?? DEFAULT_EXEC.windows) });
      const failure = outcome.ok ? null : installFailure(outcome);
      printer.result(outcome, () =>
        failure === null
          ? printer.t(`Đã cài dịch vụ (${outcome.file}); dữ liệu ở ${dataDir}.`, `Service installed (${outcome.file}); data in ${dataDir}.`)
          : printer.t(failure.vi, failure.en),
      );
      done(outcome.ok ? EXIT.ok : EXIT.other);
    });

  common(service.command('uninstall')).action(async (o: ServiceOptions) => {
    const printer = new Printer(globals().json ?? false, globals().lang ?? 'vi', env.streams);
    const { os, file } = fileOf(o);
    const outcome = await uninstallService(os, file, runner);
    printer.result(outcome, () => printer.t('Đã gỡ dịch vụ (dữ liệu vẫn giữ nguyên).', 'Service removed (the data is kept).'));
    done(EXIT.ok);
  });

  common(service.command('status')).action(async (o: ServiceOptions) => {
    const printer = new Printer(globals().json ?? false, globals().lang ?? 'vi', env.streams);
    const { os, file } = fileOf(o);
    const status = await serviceStatus(os, file, runner);
    const text = serviceStatusText(status);
    printer.result(status, () => printer.t(text.vi, text.en));
    done(status.running ? EXIT.ok : EXIT.other);
  });
}
