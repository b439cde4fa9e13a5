/**
 * The fleet of scenario 8, in its own process: the signing and HTTP work of
 * hundreds of simulated agents must not share the platform's event loop, or
 * the figure measures the bench as much as the platform.
 *
 * argv[2]: path of a JSON FleetJob. Prints one line of JSON (a FleetResult).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { enroll, type SignedClient } from '../support/platform-client.js';
import { BENCH_DATASET } from './bench-records.js';

export interface FleetJob {
  url: string;
  agents: Array<{ site: string; token: string }>;
  /** rounds[r][a]: the births agent `a` pushes in round `r`. */
  rounds: RecordData[][][];
  concurrency: number;
}

export interface RoundStats {
  requests: number;
  errors: number;
  samples: number[];
  seconds: number;
  firstError?: string;
}

export interface FleetResult {
  rounds: RoundStats[];
}

interface FleetAgent {
  client: SignedClient;
  cursor: string | null;
}

async function main(): Promise<FleetResult> {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as FleetJob;
  const agents: FleetAgent[] = [];
  await inPool(job.agents.length, 10, async (i) => {
    const a = job.agents[i] as FleetJob['agents'][number];
    const { res, client } = await enroll(job.url, a.token, a.site, `fleet agent ${i}`);
    if (res.status !== 201) throw new Error(`enrollment ${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
    agents[i] = { client, cursor: null };
  });
  const rounds: RoundStats[] = [];
  for (const births of job.rounds) {
    const stats: RoundStats = { requests: 0, errors: 0, samples: [], seconds: 0 };
    const started = performance.now();
    await inPool(agents.length, job.concurrency, (i) => agentRound(agents[i] as FleetAgent, births[i] ?? [], stats));
    stats.seconds = (performance.now() - started) / 1000;
    rounds.push(stats);
  }
  return { rounds };
}

/** One agent's sync: push its births, pull its scope from its cursor to the end, read the digest. */
async function agentRound(agent: FleetAgent, births: RecordData[], stats: RoundStats): Promise<void> {
  const timed = async <T>(call: () => Promise<{ status: number; body: T }>): Promise<T | null> => {
    const started = performance.now();
    stats.requests += 1;
    try {
      const answer = await call();
      stats.samples.push(performance.now() - started);
      if (answer.status >= 300) {
        stats.errors += 1;
        stats.firstError ??= `HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
        return null;
      }
      return answer.body;
    } catch (error) {
      stats.samples.push(performance.now() - started);
      stats.errors += 1;
      stats.firstError ??= String((error as Error).message ?? error);
      return null;
    }
  };
  const mutations = births.map((data) => ({ mutationId: randomUUID(), dataset: BENCH_DATASET, id: uuidv7(), op: 'upsert' as const, baseRev: null, data }));
  const pushed = await timed(() => agent.client.push<{ results: Array<{ status: string }> }>(mutations));
  if (pushed && pushed.results.some((r) => r.status !== 'applied')) {
    stats.errors += 1;
    stats.firstError ??= `push result ${JSON.stringify(pushed.results).slice(0, 200)}`;
  }
  for (;;) {
    const page = await timed(() => agent.client.pull<{ cursor: string; hasMore: boolean }>(BENCH_DATASET, agent.cursor ?? undefined, 1000));
    if (!page) break;
    agent.cursor = page.cursor;
    if (!page.hasMore) break;
  }
  await timed(() => agent.client.digest(BENCH_DATASET));
}

/** Runs task(0..count-1) with at most `width` in flight; the first failure is thrown after all settle. */
async function inPool(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      try {
        await task(i);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  if (failure) throw failure;
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
