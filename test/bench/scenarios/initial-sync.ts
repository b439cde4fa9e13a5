import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SITE, BenchRecords } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { runChild } from '../child-runner.js';
import { CpuBetweenMarks } from '../cpu-marks.js';
import { cpuFigures, type CpuFigures } from '../cpu-figures.js';
import type { ChildResult } from '../agent-child.js';
import { startBenchPlatform, type BenchPlatform } from '../platform-host-client.js';
import { startPageServer, type PageServer } from '../raw-limit.js';
import { figure, type ScenarioResult } from '../report.js';
import { spread } from '../stats.js';

const MB = 1024 * 1024;
/** Targets (docs/performance.md). */
const MIN_RATE = 20_000;
const MIN_SHARE_OF_RAW = 60;
const MAX_RSS_MB = 200;

/** The child's result, and the CPU the platform's process used during the child's sync, ms. */
async function syncInChild(ctx: BenchContext, bench: BenchPlatform): Promise<ChildResult & { platformCpuMs: number }> {
  const dataDir = ctx.tempDir('bench-child-agent-');
  const token = await bench.createToken(BENCH_SITE);
  const platformCpu = new CpuBetweenMarks(bench.cpuMs);
  try {
    const r = await runChild(
      { kind: 'sync', platformUrl: bench.url, siteCode: BENCH_SITE, token, dataDir },
      { onMark: platformCpu.onMark, ...(ctx.config.cpuProfDir ? { cpuProfDir: ctx.config.cpuProfDir } : {}) },
    );
    return { ...r, platformCpuMs: (await platformCpu.spansMs())[0] ?? Number.NaN };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Scenario 1: an empty agent syncs `initial` records; and the raw limit on the same machine. */
export async function initialSync(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs, seed } = ctx.config;
  const bench = await ctx.cachePlatform();
  const rates: number[] = [];
  const rss: number[] = [];
  const baselines: number[] = [];
  const waitShares: number[] = [];
  const cpu: CpuFigures = { agent: [], platform: [] };
  const rawRates: number[] = [];
  // The raw limit: the same records (same seed) as pages from memory. Each
  // agent run is followed by a raw run, so that a slow stretch of the machine
  // lands on both of a pair rather than on one side of the share.
  const regenerated = new BenchRecords(seed).take(sizes.initial).map((data, i) => ({ id: bench.ids[i] as string, data }));
  const server = await startPageServer(regenerated, sizes.pageSize);
  regenerated.length = 0;
  try {
    for (let run = 0; run < runs; run += 1) {
      const r = await syncInChild(ctx, bench);
      if (r.records !== sizes.initial) throw new Error(`agent pulled ${r.records} records, expected ${sizes.initial}`);
      rates.push(r.records / (r.ms / 1000));
      cpu.agent.push((r.cpuMs[0] ?? Number.NaN) / 1000);
      cpu.platform.push(r.platformCpuMs / 1000);
      rss.push(r.peakRssBytes / MB);
      waitShares.push(((r.waitMs?.['pull'] ?? 0) / r.ms) * 100);
      baselines.push(r.baselineRssBytes / MB);
      rawRates.push(await rawRun(ctx, server));
      ctx.config.log(
        `  run ${run + 1}: ${Math.round(rates.at(-1) ?? 0)} records/s, peak RSS ${Math.round(rss.at(-1) ?? 0)} MB (baseline ${Math.round(r.baselineRssBytes / MB)} MB), ` +
          `a pull in flight ${Math.round(waitShares.at(-1) ?? 0)}% of the time; CPU agent ${(cpu.agent.at(-1) ?? 0).toFixed(1)} s, platform ${(cpu.platform.at(-1) ?? 0).toFixed(1)} s; ` +
          `raw limit right after ${Math.round(rawRates.at(-1) ?? 0)} records/s`,
      );
    }
  } finally {
    await server.close();
  }
  const rate = spread(rates);
  const raw = spread(rawRates);
  const n = sizes.initial.toLocaleString('en-US');
  result.figures.push(figure(`initial sync of ${n}, end to end`, 'records/s', rate, { op: '>=', value: MIN_RATE }));
  result.figures.push(figure(`raw limit (HTTP + JSON + multi-row SQL), ${n}`, 'records/s', raw));
  result.figures.push(figure('agent rate as a share of the raw limit', '%', spread(rates.map((r, i) => (r / (rawRates[i] ?? Number.NaN)) * 100)), { op: '>=', value: MIN_SHARE_OF_RAW }));
  const peak = spread(rss);
  ctx.initialPeakRss = peak.median;
  result.figures.push(figure(`agent peak RSS at ${n}`, 'MB', peak, { op: '<=', value: MAX_RSS_MB }));
  result.figures.push(figure('(part) agent RSS before syncing: node + modules', 'MB', spread(baselines)));
  result.figures.push(figure('(part) share of sync time with a pull request in flight', '%', spread(waitShares)));
  result.figures.push(...cpuFigures(cpu, sizes.initial, MIN_RATE));
  result.notes.push(`page size ${sizes.pageSize}; agent in a child process (its own RSS); share = each agent run's rate / the raw run right after it`);
}

/** One run of the raw limit (raw-limit.ts) in its own process: records/s. */
async function rawRun(ctx: BenchContext, server: PageServer): Promise<number> {
  const dir = ctx.tempDir('bench-raw-');
  try {
    const r = await runChild({ kind: 'raw', pageUrl: server.url, pages: server.pages, dbFile: join(dir, 'raw.sqlite') });
    return r.records / (r.ms / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scenario 2: an empty agent syncs `large` records: time and peak RSS (streaming pages keep it flat). */
export async function largeInitialSync(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs, seed } = ctx.config;
  ctx.config.log(`  preloading a platform with ${sizes.large.toLocaleString('en-US')} records...`);
  const bench = await startBenchPlatform({ preload: sizes.large, seed: seed + 2 }, ctx.config.cpuProfDir);
  ctx.config.log(`  preloaded in ${(bench.preloadMs / 1000).toFixed(1)} s`);
  try {
    const seconds: number[] = [];
    const rss: number[] = [];
    const trails: ChildResult['rssTrail'][] = [];
    for (let run = 0; run < runs; run += 1) {
      const r = await syncInChild(ctx, bench);
      if (r.records !== sizes.large) throw new Error(`agent pulled ${r.records} records, expected ${sizes.large}`);
      seconds.push(r.ms / 1000);
      rss.push(r.peakRssBytes / MB);
      trails.push(r.rssTrail);
      ctx.config.log(`  run ${run + 1}: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(rss.at(-1) ?? 0)} MB`);
    }
    const n = sizes.large.toLocaleString('en-US');
    const reference = ctx.initialPeakRss ?? MAX_RSS_MB;
    result.figures.push(figure(`initial sync of ${n}: time`, 's', spread(seconds)));
    result.figures.push(figure(`initial sync of ${n}: rate`, 'records/s', spread(seconds.map((s) => sizes.large / s)), { op: '>=', value: MIN_RATE }));
    result.figures.push(figure(`agent peak RSS at ${n}`, 'MB', spread(rss), { op: '<=', value: Math.round(reference * 1.2) }));
    result.notes.push(
      `RSS target = 1.2 x ${ctx.initialPeakRss === null ? `${MAX_RSS_MB} MB (scenario 1 not run)` : "scenario 1's median peak"}; ` +
        `memory every 10 pages, first run (MB rss/heapUsed/heapTotal/external): ${(trails[0] ?? []).map((t) => `${t.rss}/${t.heapUsed}/${t.heapTotal}/${t.external}`).join(' ')}`,
    );
  } finally {
    await bench.close();
  }
}
