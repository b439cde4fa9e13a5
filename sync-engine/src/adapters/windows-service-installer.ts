import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { windowsAclCommands, winswPathOf, type ServiceFile } from '../ops/service-definitions.js';
import type { CommandOutcome, CommandRunner, InstallOutcome } from './service-installer.js';

/**
 * The Windows service through WinSW 2.x: its XML and its own copy of WinSW
 * (ndxp-edge-agent.exe) in the service folder, the folder permissions
 * LocalService needs, then `install` and `start`.
 * Safe to run again, e.g. after an upgrade: a registered service is stopped
 * (its files are then free), its XML and wrapper are replaced and it is
 * started again without registering it twice (WinSW 2.x refuses that).
 */
export async function installWindowsService(file: ServiceFile, dataDir: string, winswSource: string, runner: CommandRunner): Promise<InstallOutcome> {
  const wrapper = winswPathOf(file);
  const steps: InstallOutcome['steps'] = [];
  const run = async (argv: readonly string[]): Promise<CommandOutcome> => {
    const outcome = await runner(argv);
    steps.push({ argv, code: outcome.code, stderr: outcome.stderr.trim() });
    return outcome;
  };
  const failed = (): InstallOutcome => ({ file: file.path, steps, ok: false });

  const haveSource = existsSync(winswSource);
  if (!haveSource && !existsSync(wrapper)) return { ...failed(), reason: winswMissing(winswSource, wrapper) };

  let registered = false;
  if (existsSync(wrapper)) {
    const status = await run([wrapper, 'status']);
    registered = status.code === 0 && !/NonExistent/i.test(status.stdout);
    if (/Started/i.test(status.stdout) && (await run([wrapper, 'stopwait'])).code !== 0) return failed();
  }
  mkdirSync(dirname(file.path), { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file.path, file.content);
  if (haveSource && resolve(winswSource) !== resolve(wrapper)) copyFileSync(winswSource, wrapper);

  for (const argv of [...windowsAclCommands(dataDir, dirname(file.path)), ...(registered ? [] : [[wrapper, 'install']]), [wrapper, 'start']]) {
    if ((await run(argv)).code !== 0) return failed();
  }
  return { file: file.path, steps, ok: true };
}

/** Stops and unregisters the service, then removes its XML and wrapper (the data stays). */
export async function uninstallWindowsService(file: ServiceFile, runner: CommandRunner): Promise<InstallOutcome> {
  const wrapper = winswPathOf(file);
  const steps: InstallOutcome['steps'] = [];
  if (existsSync(wrapper)) {
    for (const argv of [[wrapper, 'stopwait'], [wrapper, 'uninstall']]) {
      const outcome = await runner(argv);
      steps.push({ argv, code: outcome.code, stderr: outcome.stderr.trim() });
    }
  }
  for (const path of [file.path, wrapper]) if (existsSync(path)) rmSync(path);
  return { file: file.path, steps, ok: true };
}

/** WinSW 2.x `status` exits 0 and prints NonExistent, Stopped or Started. */
export async function windowsServiceStatus(file: ServiceFile, runner: CommandRunner): Promise<{ installed: boolean; running: boolean; detail: string }> {
  const wrapper = winswPathOf(file);
  if (!existsSync(wrapper)) return { installed: false, running: false, detail: 'NonExistent' };
  const outcome = await runner([wrapper, 'status']);
  const detail = (outcome.stdout || outcome.stderr).trim();
  return { installed: existsSync(file.path) && !/NonExistent/i.test(detail), running: outcome.code === 0 && /Started/i.test(detail), detail };
}

function winswMissing(source: string, wrapper: string): { vi: string; en: string } {
  return {
    vi: `Không tìm thấy WinSW (trình bao dịch vụ Windows) ở ${source}: gói cài đặt được dựng thiếu tệp này, không phải lỗi quyền. Cài lại bằng gói đầy đủ, hoặc chép WinSW 2.12.0 (WinSW-x64.exe) vào ${wrapper} (hay chỉ đường dẫn bằng --winsw) rồi chạy lại.`,
    en: `WinSW (the Windows service wrapper) is not at ${source}: the package was built without it; this is not a permissions problem. Reinstall from a complete package, or copy WinSW 2.12.0 (WinSW-x64.exe) to ${wrapper} (or give its path with --winsw) and run this again.`,
  };
}
