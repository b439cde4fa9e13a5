import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentHost, type AgentHost } from './agent-host-client.js';
import { BENCH_SITE } from './bench-records.js';
import { startBenchPlatform, type BenchPlatform } from './platform-host-client.js';

export interface BenchSizes {
  /** Scenario 1, and the cache of scenarios 4, 5 and 7. */
  initial: number;
  /** Scenario 2. */
  large: number;
  /** Scenario 3. */
  push: number;
  /** Scenario 4. */
  changes: number;
  /** Scenario 6: writes per run. */
  writes: number;
  /** Scenario 7: repetitions of each query per run. */
  searchRepeats: number;
  /** Scenario 8. */
  fleetAgents: number;
  fleetConcurrency: number;
  /** Pull page size of the agent and of the raw limit. */
  pageSize: number;
  /** Scenario 9: rows per imported spreadsheet (about 0.6 M characters a thousand; records.import takes up to 8 M). */
  imports: number;
}

export const FULL_SIZES: BenchSizes = {
  initial: 100_000,
  large: 1_000_000,
  push: 10_000,
  changes: 1_000,
  writes: 2_000,
  searchRepeats: 20,
  fleetAgents: 500,
  fleetConcurrency: 50,
  pageSize: 1_000,
  imports: 10_000,
};

export const QUICK_SIZES: BenchSizes = {
  initial: 10_000,
  large: 50_000,
  push: 10_000,
  changes: 1_000,
  writes: 500,
  searchRepeats: 10,
  fleetAgents: 50,
  fleetConcurrency: 50,
  pageSize: 1_000,
  imports: 1_000,
};

export interface BenchConfig {
  quick: boolean;
  runs: number;
  seed: number;
  sizes: BenchSizes;
  /** Write CPU profiles of every agent and platform process here (`--profile`). */
  cpuProfDir?: string;
  log(line: string): void;
}

/**
 * Resources several scenarios share, started on first use and closed at the
 * end: the platform preloaded with `initial` records (scenarios 1, 4, 5, 7),
 * an agent that synced it, in its own process (4, 5, 7), and an empty
 * platform (3, 6).
 */
export class BenchContext {
  private cachePlatformP: Promise<BenchPlatform> | null = null;
  private cachedAgentP: Promise<AgentHost> | null = null;
  private emptyPlatformP: Promise<BenchPlatform> | null = null;
  private readonly scratch: string[] = [];
  /** Scenario 1's agent peak RSS (median, bytes), the reference of scenario 2's target. */
  initialPeakRss: number | null = null;

  constructor(readonly config: BenchConfig) {}

  cachePlatform(): Promise<BenchPlatform> {
    this.cachePlatformP ??= (async () => {
      this.config.log(`  preloading the platform with ${this.config.sizes.initial.toLocaleString('en-US')} records...`);
      const p = await startBenchPlatform({ preload: this.config.sizes.initial, seed: this.config.seed, keepIds: true }, this.config.cpuProfDir);
      this.config.log(`  preloaded in ${(p.preloadMs / 1000).toFixed(1)} s`);
      return p;
    })();
    return this.cachePlatformP;
  }

  /**
   * An agent holding the cache platform's records (synced once), in its own
   * process like the agents of scenarios 1-3 (agent-host.ts): at an office the
   * agent never shares a JavaScript thread or heap with the platform.
   */
  cachedAgent(): Promise<AgentHost> {
    this.cachedAgentP ??= (async () => {
      const bench = await this.cachePlatform();
      const host = await startAgentHost(this.config.cpuProfDir);
      const token = await bench.createToken(BENCH_SITE);
      const enrolled = await host.send({ op: 'enroll', platformUrl: bench.url, siteCode: BENCH_SITE, token, dataDir: this.tempDir('bench-cache-agent-') });
      this.config.log(`  cache agent synced in ${((enrolled.ms ?? 0) / 1000).toFixed(1)} s`);
      return host;
    })();
    return this.cachedAgentP;
  }

  emptyPlatform(): Promise<BenchPlatform> {
    this.emptyPlatformP ??= startBenchPlatform({ preload: 0, seed: this.config.seed + 1 }, this.config.cpuProfDir);
    return this.emptyPlatformP;
  }

  /** A temp folder removed by close(). */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.scratch.push(dir);
    return dir;
  }

  async close(): Promise<void> {
    const settle = async <T>(p: Promise<T> | null, close: (v: T) => Promise<void>) => {
      if (!p) return;
      const v = await p.catch(() => null);
      if (v !== null) await close(v).catch(() => undefined);
    };
    await settle(this.cachedAgentP, (a) => a.close());
    await settle(this.cachePlatformP, (p) => p.close());
    await settle(this.emptyPlatformP, (p) => p.close());
    for (const dir of this.scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
