import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type RunningPostgres } from '../../support/postgres.js';
import { startBenchPlatform, type BenchPlatform } from '../platform-host-client.js';
import type { BenchContext } from '../bench-context.js';
import { runScript } from '../child-runner.js';
import type { FleetJob, FleetResult } from '../fleet-child.js';
import { figure, type ScenarioResult } from '../report.js';
import { latencies, spread } from '../stats.js';

const FLEET_CHILD = fileURLToPath(new URL('../fleet-child.ts', import.meta.url));
const MAX_P99_MS = 1000;
/** Provinces the fleet's sites cover (Hà Nội, Hải Phòng, Huế, Đà Nẵng, Hồ Chí Minh, Cần Thơ...). */
const PROVINCES = ['01', '31', '46', '48', '79', '92', '04', '08', '12', '22'];
/** Records each province holds before the fleet starts. */
const PER_PROVINCE = 300;
const MUTATIONS_PER_AGENT = 3;

/**
 * Scenario 8: the platform under a fleet of signed agents (the test suite's
 * SignedClient: Ed25519 RFC 9421 signatures, Content-Digest) over sites in ten
 * provinces. One round = every agent pushes 3 new births, pulls its scope from
 * its cursor to the end, and reads the digest; at most `fleetConcurrency`
 * agents in flight. The fleet runs in a child process (fleet-child.ts) so its
 * signing and HTTP work does not share the platform's event loop. The births
 * are drawn from the generator the preload used (in the platform's process), so no personal ID clashes.
 */
export async function fleet(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  let pg: RunningPostgres | null = null;
  try {
    await fleetOn(ctx, result, 'SQLite', undefined);
    pg = await startPostgres({ durable: true }); // as a national platform runs it: fsync and synchronous commit on
    await fleetOn(ctx, result, 'PostgreSQL', pg.url, MAX_P99_MS);
  } finally {
    await pg?.stop();
  }
}

async function fleetOn(ctx: BenchContext, result: ScenarioResult, label: string, db: string | undefined, p99Target?: number): Promise<void> {
  const { sizes, runs, seed } = ctx.config;
  const sites = PROVINCES.map((provinceCode) => ({ code: `FLEET-${provinceCode}`, provinceCode }));
  const bench: BenchPlatform = await startBenchPlatform({ ...(db ? { db } : {}), preload: 0, seed: seed + 3, sites }, ctx.config.cpuProfDir);
  try {
    for (const p of PROVINCES) await bench.storeGenerated(PER_PROVINCE, p);
    const agents: FleetJob['agents'] = [];
    for (let i = 0; i < sizes.fleetAgents; i += 1) {
      const site = `FLEET-${PROVINCES[i % PROVINCES.length] as string}`;
      agents.push({ site, token: await bench.createToken(site) });
    }
    const draws = Array.from({ length: runs * sizes.fleetAgents }, (_, k) => ({ count: MUTATIONS_PER_AGENT, province: PROVINCES[(k % sizes.fleetAgents) % PROVINCES.length] as string }));
    const drawn = await bench.takeMany(draws);
    const rounds = Array.from({ length: runs }, (_, run) => drawn.slice(run * sizes.fleetAgents, (run + 1) * sizes.fleetAgents));
    const jobFile = join(ctx.tempDir('bench-fleet-'), 'job.json');
    const job: FleetJob = { url: bench.url, agents, rounds, concurrency: sizes.fleetConcurrency };
    writeFileSync(jobFile, JSON.stringify(job));
    const answer = await runScript<FleetResult>(FLEET_CHILD, jobFile);
    const rps: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    const errors: number[] = [];
    for (const [run, stats] of answer.rounds.entries()) {
      const l = latencies(stats.samples);
      rps.push(stats.requests / stats.seconds);
      p50.push(l.p50);
      p99.push(l.p99);
      errors.push(stats.errors);
      ctx.config.log(
        `  ${label} run ${run + 1}: ${stats.requests} requests in ${stats.seconds.toFixed(1)} s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, errors ${stats.errors}` +
          (stats.firstError ? ` (first: ${stats.firstError})` : ''),
      );
    }
    result.figures.push(figure(`fleet on ${label}, ${sizes.fleetAgents} agents, ${sizes.fleetConcurrency} in flight: throughput`, 'requests/s', spread(rps)));
    result.figures.push(figure(`fleet on ${label}: request p50`, 'ms', spread(p50)));
    result.figures.push(figure(`fleet on ${label}: request p99`, 'ms', spread(p99), p99Target !== undefined ? { op: '<=', value: p99Target } : undefined));
    result.figures.push(figure(`fleet on ${label}: errors per round`, 'errors', spread(errors), { op: '<=', value: 0 }));
  } finally {
    await bench.close();
  }
  result.notes.push(
    `${label}: ${PROVINCES.length} sites, ${PER_PROVINCE} births per province preloaded; a round = push ${MUTATIONS_PER_AGENT} births, pull to the end, digest, per agent; the fleet runs in its own process; ${db ? 'PostgreSQL with fsync and synchronous_commit on' : 'SQLite with synchronous=FULL'}`,
  );
}
