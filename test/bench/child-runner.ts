import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildJob, ChildResult } from './agent-child.js';
import { bundled, cpuProfArgs } from './bundle.js';
import { MARK_PREFIX } from './cpu-marks.js';
import { AGENT_NODE_OPTIONS } from '../../sync-engine/src/ops/runtime-options.js';

const AGENT_CHILD = fileURLToPath(new URL('./agent-child.ts', import.meta.url));

export interface ChildOptions {
  /** Write a V8 CPU profile of the child into this folder (node --cpu-prof). */
  cpuProfDir?: string;
  /** NODE_OPTIONS of the child. */
  nodeOptions?: string;
  /** Called, as it arrives, with each mark the child prints (cpu-marks.ts). */
  onMark?: (mark: string) => void;
}

/**
 * Runs one agent job in a fresh node process as the installed service runs the
 * agent: the bundled script, with the service's V8 options (AGENT_NODE_OPTIONS).
 * Returns its result line.
 */
export async function runChild(job: ChildJob, options: ChildOptions = {}): Promise<ChildResult> {
  return runScript<ChildResult>(await bundled(AGENT_CHILD), JSON.stringify(job), { nodeOptions: AGENT_NODE_OPTIONS, ...options });
}

/** Runs a bench script (a .ts through tsx, or bundled .mjs) in its own node process with one argument; its last stdout line is its JSON result. */
export function runScript<T>(script: string, argument: string, options: ChildOptions = {}): Promise<T> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const args = [...loader, ...cpuProfArgs(options.cpuProfDir), script, argument];
  return new Promise((resolve, reject) => {
    // BENCH_AGENT_NODE_OPTIONS replaces the child's node options (to try others), never the bench's own.
    const nodeOptions = process.env['BENCH_AGENT_NODE_OPTIONS'] ?? options.nodeOptions;
    const env = nodeOptions ? { ...process.env, NODE_OPTIONS: nodeOptions } : process.env;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let seen = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      for (let end = out.indexOf('\n', seen); end !== -1; end = out.indexOf('\n', seen)) {
        const line = out.slice(seen, end);
        seen = end + 1;
        if (line.startsWith(MARK_PREFIX)) options.onMark?.((JSON.parse(line) as { mark: string }).mark);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench child ${script} exited with ${code}: ${err.trim().slice(-2000)}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}
