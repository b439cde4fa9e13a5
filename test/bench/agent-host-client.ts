import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_OPTIONS } from '../../sync-engine/src/ops/runtime-options.js';
import type { HostCommand, HostReply } from './agent-host.js';
import { bundled, cpuProfArgs } from './bundle.js';

const AGENT_HOST = fileURLToPath(new URL('./agent-host.ts', import.meta.url));

type Answer = Extract<HostReply, { ok: true }>;

/** The parent's handle on an agent-host process: one command out at a time, one reply each. */
export interface AgentHost {
  send(command: HostCommand): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * Starts agent-host.ts, bundled, with the service's NODE_OPTIONS
 * (BENCH_AGENT_NODE_OPTIONS replaces them, as for the other children). With
 * `cpuProfDir` (`--profile`) it writes a CPU profile of its life into the
 * folder's `agent-host/` when it closes.
 */
export async function startAgentHost(cpuProfDir?: string): Promise<AgentHost> {
  const script = await bundled(AGENT_HOST);
  const nodeOptions = process.env['BENCH_AGENT_NODE_OPTIONS'] ?? AGENT_NODE_OPTIONS;
  const profile = cpuProfArgs(cpuProfDir && join(cpuProfDir, 'agent-host'));
  const child: ChildProcess = spawn(process.execPath, [...profile, script], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  let pending: { resolve: (a: Answer) => void; reject: (e: Error) => void } | null = null;
  let exited = false;
  child.on('message', (reply: HostReply) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (reply.ok) p.resolve(reply);
    else p.reject(new Error(`agent host: ${reply.error}`));
  });
  child.on('exit', (code) => {
    exited = true;
    pending?.reject(new Error(`agent host exited with ${code}: ${stderr.trim()}`));
    pending = null;
  });
  const send = (command: HostCommand): Promise<Answer> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`agent host has exited: ${stderr.trim()}`));
      if (pending) return reject(new Error('agent host: one command at a time'));
      pending = { resolve, reject };
      child.send(command);
    });
  return {
    send,
    close: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await send({ op: 'close' }).catch(() => child.kill());
      await gone;
    },
  };
}
