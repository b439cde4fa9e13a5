import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_EXEC, serviceCommands, winswSourceOf, type ServiceFile, type ServiceOs } from '../ops/service-definitions.js';
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
}

export interface InstallOptions {
  /** Windows: the WinSW executable to copy beside the service XML (default: beside the packaged edge-agent command). */
  winsw?: string;
}

/**
 * Writes the definition to its system path and registers the service. A
 * `useradd` that fails because the user exists is not an error (re-running
 * install is safe); any other failing step stops the install.
 */
export async function installService(os: ServiceOs, file: ServiceFile, dataDir: string, runner: CommandRunner, options: InstallOptions = {}): Promise<InstallOutcome> {
  if (os === 'windows') return installWindowsService(file, dataDir, options.winsw ?? winswSourceOf(DEFAULT_EXEC.windows), runner);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content, { mode: 0o644 });
  if (os !== 'linux') mkdirSync(dataDir, { recursive: true });
  const steps: InstallOutcome['steps'] = [];
  for (const argv of serviceCommands(os, file).install) {
    const outcome = await runner(argv);
    steps.push({ argv, code: outcome.code, stderr: outcome.stderr.trim() });
    const userExists = argv[0] === 'useradd' && outcome.code === 9;
    if (outcome.code !== 0 && !userExists) return { file: file.path, steps, ok: false };
  }
  return { file: file.path, steps, ok: true };
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
  return { installed: existsSync(file.path), running: outcome.code === 0, detail: (outcome.stdout || outcome.stderr).trim() };
}
