import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { DEFAULT_EXEC, PRIVATE_TMP_DIRS, serviceCommands, winswSourceOf, type ServiceFile, type ServiceOs } from '../ops/service-definitions.js';
import { beforeInstall, rollBackInstall, type InstallRollback } from './install-rollback.js';
import { installWindowsService, uninstallWindowsService, windowsServiceStatus } from './windows-service-installer.js';

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one system command (systemctl, launchctl, WinSW); tests pass a recording fake. */
export type CommandRunner = (argv: readonly string[]) => Promise<CommandOutcome>;

export const systemRunner: CommandRunner = (argv) =>
  new Promise((done) => {
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => done({ code: 127, stdout, stderr: String(error.message) }));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });

export interface InstallOutcome {
  file: string;
  steps: { argv: readonly string[]; code: number; stderr: string }[];
  ok: boolean;
  /** Why it failed when that is known before any step runs (e.g. WinSW is missing). */
  reason?: { vi: string; en: string };
  /** After a failed step (systemd, launchd): what the install had created and was undone, and what could not be. */
  rollback?: InstallRollback;
}

export interface InstallOptions {
  /** Windows: the WinSW executable to copy beside the service XML (default: beside the packaged edge-agent command). */
  winsw?: string;
}

/**
 * Writes the definition, creates the data folder, gives it to the service's
 * account and registers the service. A `useradd` that fails because the user
 * exists, or a `launchctl bootout` of a job not loaded, is not an error
 * (re-running install is safe); any other failing step stops the install and
 * undoes what it had created (install-rollback.ts).
 */
export async function installService(os: ServiceOs, file: ServiceFile, dataDir: string, runner: CommandRunner, options: InstallOptions = {}): Promise<InstallOutcome> {
  if (os === 'windows') return installWindowsService(file, dataDir, options.winsw ?? winswSourceOf(DEFAULT_EXEC.windows), runner);
  const refused = unsuitableDataFolder(dataDir, os);
  if (refused) return { file: file.path, steps: [], ok: false, reason: refused };
  const before = beforeInstall(file.path, dataDir);
  const definition = placeDefinition(file);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // launchd opens the plist's StandardOutPath/StandardErrorPath there before the agent runs.
  if (os === 'macos') mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const steps: InstallOutcome['steps'] = [];
  for (const argv of serviceCommands(os, file, dataDir).install) {
    const outcome = await runner(argv);
    steps.push({ argv, code: outcome.code, stderr: outcome.stderr.trim() });
    const userExists = argv[0] === 'useradd' && outcome.code === 9;
    const notLoaded = argv[0] === 'launchctl' && argv[1] === 'bootout';
    if (outcome.code !== 0 && !userExists && !notLoaded) return { file: definition, steps, ok: false, rollback: await rollBackInstall(before, steps, runner) };
  }
  return { file: definition, steps, ok: true };
}

/**
 * Puts the definition where the OS reads it and answers that path. When an OS
 * package ships the same definition (the headless .deb's unit in /lib), a copy
 * in /etc would only shadow it, and the package's later changes would never
 * apply: the package's is used, and a copy an earlier install left is removed.
 */
function placeDefinition(file: ServiceFile): string {
  if (file.packaged && existsSync(file.packaged) && readFileSync(file.packaged, 'utf8') === file.content) {
    rmSync(file.path, { force: true });
    return file.packaged;
  }
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content, { mode: 0o644 });
  return file.path;
}

/** Top-level folders whose direct children are the system's or a person's (/var/lib, /usr/local, /home/it), never the agent's own. */
const SYSTEM_ROOTS = new Set(['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'root', 'run', 'sbin', 'sys', 'usr', 'var', 'Applications', 'Library', 'System', 'Users', 'Volumes', 'private']);

/**
 * The install gives the whole data folder to the service's account: never a system folder such as /srv, /var/lib or /.
 * On Linux the unit's PrivateTmp=yes gives the service a /tmp and /var/tmp of its own, empty at each start: a data
 * folder there would be one the service never sees (it would run on an empty one, lost at each restart).
 */
export function unsuitableDataFolder(dataDir: string, os: ServiceOs): { vi: string; en: string } | null {
  const parts = posix.normalize(dataDir).split('/').filter(Boolean);
  const ownFolder = parts.length >= 3 || (parts.length === 2 && !SYSTEM_ROOTS.has(parts[0]!));
  const privateTmp = os === 'linux' ? PRIVATE_TMP_DIRS.find((tmp) => posix.isAbsolute(dataDir) && isUnder(posix.normalize(dataDir), tmp)) : undefined;
  if (privateTmp !== undefined) {
    return {
      vi: `Thư mục dữ liệu ${dataDir} nằm trong ${privateTmp}: dịch vụ systemd của tác tử (PrivateTmp=yes) có ${privateTmp} riêng, trống mỗi lần khởi động, nên không thấy thư mục này và sẽ chạy trên một thư mục trống. Hãy chọn thư mục ngoài /tmp và /var/tmp, ví dụ /var/lib/ndxp-edge-agent (mặc định) hoặc /srv/ndxp-edge-agent; muốn dùng dữ liệu đang có ở ${dataDir} thì chép sang đó trước.`,
      en: `The data folder ${dataDir} is under ${privateTmp}: the agent's systemd service (PrivateTmp=yes) has a ${privateTmp} of its own, empty at each start, so it would not see this folder and would run on an empty one. Choose a folder outside /tmp and /var/tmp, e.g. /var/lib/ndxp-edge-agent (the default) or /srv/ndxp-edge-agent; to use the data already in ${dataDir}, copy it there first.`,
    };
  }
  if (posix.isAbsolute(dataDir) && ownFolder) return null;
  return {
    vi: `Thư mục dữ liệu ${dataDir} không dùng được cho dịch vụ: cần một đường dẫn tuyệt đối tới thư mục riêng của tác tử, ví dụ /srv/ndxp-edge-agent (dịch vụ sẽ sở hữu toàn bộ thư mục này).`,
    en: `The data folder ${dataDir} cannot be used for the service: give an absolute path to a folder of the agent's own, e.g. /srv/ndxp-edge-agent (the service will own all of it).`,
  };
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Stops and unregisters the service, then removes its definition (the data stays). */
export async function uninstallService(os: ServiceOs, file: ServiceFile, runner: CommandRunner): Promise<InstallOutcome> {
  if (os === 'windows') return uninstallWindowsService(file, runner);
  const steps: InstallOutcome['steps'] = [];
  for (const argv of serviceCommands(os, file).uninstall) {
    const outcome = await runner(argv);
    steps.push({ argv, code: outcome.code, stderr: outcome.stderr.trim() });
  }
  if (existsSync(file.path)) rmSync(file.path);
  return { file: file.path, steps, ok: true };
}

export async function serviceStatus(os: ServiceOs, file: ServiceFile, runner: CommandRunner): Promise<{ installed: boolean; running: boolean; detail: string }> {
  if (os === 'windows') return windowsServiceStatus(file, runner);
  const outcome = await runner(serviceCommands(os, file).status);
  const installed = existsSync(file.path) || (file.packaged !== undefined && existsSync(file.packaged));
  return { installed, running: outcome.code === 0, detail: (outcome.stdout || outcome.stderr).trim() };
}
