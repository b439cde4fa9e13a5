/**
 * The reference platform of a bench scenario in its own process, bundled and
 * run by plain node like the agent's children (platform-host-client.ts starts
 * it). A national platform never shares a process with the bench that drives
 * it: in the bench's own process it carried the bench's heap (tsx's compiled
 * sources, the preload's leftovers), and after the first run of a scenario its
 * old generation, trimmed, filled again while serving, so V8 marked that heap
 * over and over: platform CPU per 100,000 records served 2.2-2.5 s in a
 * scenario's first run against 3.6-4.3 s in the next two, which also took CPU
 * from the agent under test.
 *
 * Requests come over the IPC channel with an id; each gets one reply with the
 * same id, so the parent may have several out (a CPU reading during a sync).
 */
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { cpuNowMs } from './cpu-marks.js';
import { startPlatformInProcess, storeDirectly, type BenchPlatformOptions, type InProcessPlatform } from './bench-platform.js';

export type PlatformCommand =
  /** Starts the platform and preloads it; the reply is PlatformStarted. */
  | { op: 'start'; options: BenchPlatformOptions }
  /** A one-time enrollment token for `site`. */
  | { op: 'createToken'; site: string }
  /** Records drawn from the generator the preload used (so personal IDs never clash), one array per request. */
  | { op: 'take'; requests: Array<{ count: number; province?: string }> }
  /** National updates through the platform's admin API (validated, as a national write is). */
  | { op: 'putRecords'; dataset: string; updates: Array<{ id: string; data: RecordData }> }
  /** `count` new records of `province`, drawn here and stored as the preload stores them. */
  | { op: 'storeGenerated'; count: number; province?: string }
  /** This process's CPU time so far (user + system), ms. */
  | { op: 'cpu' }
  | { op: 'close' };

export interface PlatformStarted {
  url: string;
  ids: string[];
  preloadMs: number;
}

export type PlatformRequest = { id: number; command: PlatformCommand };
export type PlatformReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

let running: InProcessPlatform | null = null;

function platform(): InProcessPlatform {
  if (!running) throw new Error('the platform has not been started');
  return running;
}

async function handle(command: PlatformCommand): Promise<unknown> {
  switch (command.op) {
    case 'start': {
      if (running) throw new Error('the platform is already running');
      running = await startPlatformInProcess(command.options);
      const started: PlatformStarted = { url: running.url, ids: running.ids, preloadMs: running.preloadMs };
      return started;
    }
    case 'createToken':
      return platform().platform.admin.createToken({ site: command.site });
    case 'take':
      return command.requests.map((r) => platform().records.take(r.count, r.province));
    case 'putRecords':
      await platform().platform.admin.putRecords(command.dataset, command.updates);
      return null;
    case 'storeGenerated': {
      const p = platform();
      await storeDirectly(p.platform, p.records.take(command.count, command.province));
      return null;
    }
    case 'cpu':
      return cpuNowMs();
    case 'close':
      await running?.close();
      running = null;
      return null;
  }
}

process.on('message', (request: PlatformRequest) => {
  handle(request.command).then(
    (value) => process.send?.({ id: request.id, ok: true, value } satisfies PlatformReply),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies PlatformReply),
  );
});
// A bench that dies must not leave its platform behind.
process.on('disconnect', () => process.exit(0));
