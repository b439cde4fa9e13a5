/**
 * A long-lived agent for scenarios 4-7, in its own process (bundled, with the
 * service's V8 options and flags, as the installed service runs): the parent
 * sends one command at a time over the IPC channel and gets one reply. The
 * platform never shares this process's event loop or heap; every figure is
 * timed here, so the IPC round trip is not in it.
 */
import { applyAgentV8Flags } from '../../sync-engine/src/ops/runtime-options.js';
import { createAgentService, type AgentService, type CommandName } from '../../sync-engine/src/index.js';
import { RecordSearch } from '../../sync-engine/src/search/record-search.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { assertSynced, enrollWithToken, type BenchAgent } from './bench-agent.js';

// As `edge-agent run` does when it starts.
applyAgentV8Flags();

export type HostCommand =
  /** Enrols a cache agent and syncs it once (the cache for scenarios 4, 5 and 7). */
  | { op: 'enroll'; platformUrl: string; siteCode: string; token: string; dataDir: string }
  /** One sync of the cache agent, timed. */
  | { op: 'sync' }
  /** Each query once per repeat, in order, on the cache agent: first page of `limit`. */
  | { op: 'search'; dataset: string; queries: string[]; repeats: number; limit: number }
  /** An AgentService (enrolled, synced once, schedule not started) and local writes through `records.put`, timed one by one per run. */
  | { op: 'writes'; platformUrl: string; siteCode: string; token: string; dataDir: string; dataset: string; runs: RecordData[][] }
  | { op: 'close' };

export type HostReply =
  | { ok: true; ms?: number; pulled?: number; pushed?: number; requests?: number; samples?: number[]; totals?: number[]; runs?: number[][] }
  | { ok: false; error: string };

let cache: BenchAgent | null = null;

async function handle(command: HostCommand): Promise<HostReply> {
  switch (command.op) {
    case 'enroll': {
      cache = await enrollWithToken(command.platformUrl, command.siteCode, command.token, command.dataDir);
      const started = performance.now();
      assertSynced(await cache.sync());
      return { ok: true, ms: performance.now() - started };
    }
    case 'sync': {
      const agent = needCache();
      const before = agent.client.requests;
      const started = performance.now();
      const summary = assertSynced(await agent.sync());
      return { ok: true, ms: performance.now() - started, pulled: summary.pulled, pushed: summary.pushed, requests: agent.client.requests - before };
    }
    case 'search': {
      const searcher = new RecordSearch(needCache().ctx);
      const samples: number[] = [];
      const totals: number[] = [];
      for (let i = 0; i < command.repeats; i += 1) {
        for (const q of command.queries) {
          const started = performance.now();
          const answer = await searcher.searchRecords(command.dataset, q, { limit: command.limit, offset: 0 });
          samples.push(performance.now() - started);
          totals.push(answer.total);
        }
      }
      return { ok: true, samples, totals };
    }
    case 'writes':
      return { ok: true, runs: await timedWrites(command) };
    case 'close':
      await cache?.close();
      cache = null;
      return { ok: true };
  }
}

async function timedWrites(command: Extract<HostCommand, { op: 'writes' }>): Promise<number[][]> {
  const service = await createAgentService({ dataDir: command.dataDir, user: 'bench', onError: () => undefined });
  try {
    await must(service, 'settings.update', { platformUrl: command.platformUrl, siteCode: command.siteCode });
    await must(service, 'enrollment.enroll', { token: command.token });
    await must(service, 'sync.now', {});
    const runs: number[][] = [];
    for (const run of command.runs) {
      const samples: number[] = [];
      for (const data of run) {
        const started = performance.now();
        await must(service, 'records.put', { dataset: command.dataset, data });
        samples.push(performance.now() - started);
      }
      runs.push(samples);
    }
    return runs;
  } finally {
    await service.close();
  }
}

async function must(service: AgentService, command: CommandName, input: unknown): Promise<void> {
  const r = await service.call(command, input);
  if (!r.ok) throw new Error(`${command}: ${r.error.code}: ${r.error.messages.en}`);
}

function needCache(): BenchAgent {
  if (!cache) throw new Error('no cache agent: enroll first');
  return cache;
}

process.on('message', (command: HostCommand) => {
  handle(command)
    .catch((error: unknown): HostReply => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((reply) => {
      process.send?.(reply);
      if (command.op === 'close') process.disconnect();
    });
});
// A bench that dies must not leave its agent behind.
process.on('disconnect', () => process.exit(0));
