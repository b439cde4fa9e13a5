import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import type { BenchPlatformOptions } from './bench-platform.js';
import { bundled, cpuProfArgs } from './bundle.js';
import type { PlatformCommand, PlatformReply, PlatformRequest, PlatformStarted } from './platform-host.js';

const PLATFORM_HOST = fileURLToPath(new URL('./platform-host.ts', import.meta.url));

/** A scenario's reference platform, running in its own process (platform-host.ts). */
export interface BenchPlatform {
  url: string;
  /** Ids of preloaded records, in order (kept only when asked). */
  ids: string[];
  preloadMs: number;
  createToken(site: string): Promise<string>;
  /** `count` records from the generator the preload drew from, so personal IDs stay unique (Hà Nội unless `province`). */
  take(count: number, province?: string): Promise<RecordData[]>;
  /** Several draws in one round trip, in order. */
  takeMany(requests: Array<{ count: number; province?: string }>): Promise<RecordData[][]>;
  putRecords(dataset: string, updates: Array<{ id: string; data: RecordData }>): Promise<void>;
  /** `count` new national records of `province`, stored as the preload stores them. */
  storeGenerated(count: number, province?: string): Promise<void>;
  /** The platform process's CPU time so far (user + system), ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts platform-host.ts, bundled, in plain node with V8's defaults (the
 * reference platform has no V8 settings of its own), and starts and preloads
 * the platform in it (bench-platform.ts). With `cpuProfDir` (`--profile`), the
 * process writes a V8 CPU profile of its whole life into its `platform/`
 * folder when it closes.
 */
export async function startBenchPlatform(options: BenchPlatformOptions, cpuProfDir?: string): Promise<BenchPlatform> {
  const script = await bundled(PLATFORM_HOST);
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const profile = cpuProfArgs(cpuProfDir && join(cpuProfDir, 'platform'));
  const child = spawn(process.execPath, [...profile, script], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  child.on('message', (reply: PlatformReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (!p) return;
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(`platform host: ${reply.error}`));
  });
  child.on('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`platform host exited with ${code}: ${stderr.trim()}`));
    pending.clear();
  });
  const send = <T>(command: PlatformCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`platform host has exited: ${stderr.trim()}`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, command } satisfies PlatformRequest);
    });
  try {
    const started = await send<PlatformStarted>({ op: 'start', options });
    return {
      ...started,
      createToken: (site) => send<string>({ op: 'createToken', site }),
      take: async (count, province) => (await send<RecordData[][]>({ op: 'take', requests: [{ count, ...(province ? { province } : {}) }] }))[0] ?? [],
      takeMany: (requests) => send<RecordData[][]>({ op: 'take', requests }),
      putRecords: (dataset, updates) => send<void>({ op: 'putRecords', dataset, updates }),
      storeGenerated: (count, province) => send<void>({ op: 'storeGenerated', count, ...(province ? { province } : {}) }),
      cpuMs: () => send<number>({ op: 'cpu' }),
      close: async () => {
        if (exited) return;
        await send<null>({ op: 'close' });
        child.disconnect();
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}
