import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { runCli } from '../../../sync-engine/src/cli/program.js';
import type { CliEnvironment } from '../../../sync-engine/src/cli/cli-session.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs `edge-agent ...args` in this process with captured output. */
export async function cli(home: string, args: string[], extra: Partial<CliEnvironment> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'edge-agent', '--home', home, ...args], {
    env: { ...process.env, EDGE_AGENT_HOME: '' },
    streams: { out: (t) => void (stdout += t), err: (t) => void (stderr += t) },
    service: { onError: () => undefined },
    ...extra,
  });
  return { code, stdout, stderr, json: parseJson(stdout) };
}

/** Runs the real launcher, bin/edge-agent.js, as a child process. */
export function cliProcess(home: string, args: string[], input?: string): Promise<CliResult> {
  return spawnLauncher(home, args, { input });
}

/**
 * The real launcher as another account (`uid`/`gid`; none: this one), as a
 * person at the computer runs it, with no EDGE_AGENT_HOME of the test's.
 */
export function cliProcessAs(account: { uid?: number; gid?: number }, home: string, args: string[]): Promise<CliResult> {
  return spawnLauncher(home, args, { account, env: { ...process.env, EDGE_AGENT_HOME: '' } });
}

function spawnLauncher(
  home: string,
  args: string[],
  options: { input?: string | undefined; account?: { uid?: number; gid?: number }; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/edge-agent.js'), '--home', home, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
      ...options.account,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr, json: parseJson(stdout) }));
    child.stdin.end(options.input ?? '');
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
