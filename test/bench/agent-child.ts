/**
 * The agent side of an initial-sync measurement, in its own process so that its
 * peak RSS (process.resourceUsage().maxRSS) is the agent's alone, not the
 * platform's or the bench's.
 *
 * argv[2]: a JSON ChildJob. Prints one line of JSON (a ChildResult) on stdout.
 */
import { readFileSync } from 'node:fs';
import { applyAgentV8Flags } from '../../sync-engine/src/ops/runtime-options.js';
import { LocalWrites } from '../../sync-engine/src/records/local-writes.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { rawSync } from './raw-limit.js';
import { assertSynced, enrollWithToken, type BenchAgent } from './bench-agent.js';
import { cpuNowMs, printMark } from './cpu-marks.js';
import { BENCH_DATASET } from './bench-records.js';

export type ChildJob =
  | { kind: 'sync'; platformUrl: string; siteCode: string; token: string; dataDir: string }
  | { kind: 'raw'; pageUrl: string; pages: number; dbFile: string }
  /** Scenario 3: each run writes its records (a JSON array per run in recordsFile) through LocalWrites, then one sync pushes them. */
  | { kind: 'push'; platformUrl: string; siteCode: string; token: string; dataDir: string; recordsFile: string };

export interface ChildResult {
  ms: number;
  records: number;
  /** Peak resident set of this process, bytes. */
  peakRssBytes: number;
  /** Resident set just before the measured work (runtime and modules loaded), bytes. */
  baselineRssBytes: number;
  /** Memory after every 10th page applied, MB: shows whether it stays flat, and which part grows. */
  rssTrail: Array<{ page: number; rss: number; heapUsed: number; heapTotal: number; external: number }>;
  /** Time spent waiting on the platform's answers (signing, HTTP, platform work, gunzip, JSON and schema parse), ms. */
  waitMs?: Record<string, number>;
  /** CPU time (user + system) of this process over the measured work: the sync (sync jobs) or each run's push phase (push jobs), ms. */
  cpuMs: number[];
  /** push jobs: each run's push phase, records/s; and the untimed local writes before it. */
  pushRates?: number[];
  writeRates?: number[];
}

// As `edge-agent run` does when it starts.
applyAgentV8Flags();

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<ChildResult> {
  if (job.kind === 'raw') {
    const baselineRssBytes = maxRss();
    const start = performance.now();
    const records = await rawSync(job.pageUrl, job.pages, job.dbFile);
    return { ms: performance.now() - start, records, peakRssBytes: maxRss(), baselineRssBytes, rssTrail: [], cpuMs: [] };
  }
  const agent = await enrollWithToken(job.platformUrl, job.siteCode, job.token, job.dataDir);
  if (job.kind === 'push') return pushRuns(agent, job.recordsFile);
  const baselineRssBytes = maxRss();
  const rssTrail: ChildResult['rssTrail'] = [];
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  let pages = 0;
  printMark('start');
  const cpuStart = cpuNowMs();
  const start = performance.now();
  const summary = assertSynced(
    await agent.sync((event) => {
      if (event.type !== 'pulled') return;
      pages += 1;
      if (pages % 10 !== 0) return;
      const m = process.memoryUsage();
      rssTrail.push({ page: pages, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) });
    }),
  );
  const ms = performance.now() - start;
  const cpuMs = [cpuNowMs() - cpuStart];
  printMark('end');
  await agent.store.close();
  return { ms, records: summary.pulled, peakRssBytes: maxRss(), baselineRssBytes, rssTrail, waitMs: agent.client.waitMs, cpuMs };
}

/** Scenario 3's runs: the time from the push phase to the pull phase of each sync, i.e. every batch sent, judged and its results stored. */
async function pushRuns(agent: BenchAgent, recordsFile: string): Promise<ChildResult> {
  const runs = JSON.parse(readFileSync(recordsFile, 'utf8')) as RecordData[][];
  assertSynced(await agent.sync()); // the catalog, so local writes know the dataset
  const baselineRssBytes = maxRss();
  const writes = new LocalWrites(agent.ctx);
  const pushRates: number[] = [];
  const writeRates: number[] = [];
  const cpuMs: number[] = [];
  let records = 0;
  const start = performance.now();
  for (const run of runs) {
    const startWrites = performance.now();
    for (const data of run) await writes.put(BENCH_DATASET, data, { user: 'bench' });
    writeRates.push(run.length / ((performance.now() - startWrites) / 1000));
    let pushStart = 0;
    let pushEnd = 0;
    let cpuStart = 0;
    const summary = assertSynced(
      await agent.sync((event) => {
        if (event.type !== 'phase') return;
        if (event.phase === 'push') {
          printMark('start');
          cpuStart = cpuNowMs();
          pushStart = performance.now();
        }
        if (event.phase === 'pull') {
          pushEnd = performance.now();
          cpuMs.push(cpuNowMs() - cpuStart);
          printMark('end');
        }
      }),
    );
    if (summary.pushed !== run.length) throw new Error(`pushed ${summary.pushed} of ${run.length} (rejected ${summary.rejected}, conflicts ${summary.conflicts})`);
    pushRates.push(run.length / ((pushEnd - pushStart) / 1000));
    records += run.length;
  }
  const ms = performance.now() - start;
  await agent.store.close();
  return { ms, records, peakRssBytes: maxRss(), baselineRssBytes, rssTrail: [], cpuMs, pushRates, writeRates };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
